"""How results look in a workbook, in one place: status labels, colours, number formats, named styles.

Both writers take their looks from here: `summary` (the `Rekap-…xlsx` file,
XlsxWriter) and `sheet_layout` (the result sheets inside the open workbook,
through a `CellPort`). A colour or a number format changed here changes both.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from jikubata.domain.model import Severity, Status

# ---------------------------------------------------------------- the words a status cell holds

STATUS_LABELS = {
    Status.KURANG: "Kurang",
    Status.MEMENUHI: "Memenuhi",
    Status.TIDAK_WAJIB: "Tidak wajib",
}
SEVERITY_LABELS = {Severity.GALAT: "GALAT", Severity.PERINGATAN: "PERINGATAN"}

# ---------------------------------------------------------------- colours

NAVY = "#1F3864"  # titles
HEADER_FILL, HEADER_FONT = "#1F4E78", "#FFFFFF"
LINK_COLOUR = "#0563C1"
MUTED = "#595959"  # placeholders, "nothing to show" lines
LINE_COLOUR = "#404040"
GRID_COLOUR = "#BFBFBF"
TOTAL_FILL = "#F2F2F2"
SHORT_FILL = "#FCE4E4"  # the row of an ASN who is short, in `Hasil`

_BAD, _GOOD, _NEUTRAL, _WARNING = ("#FFC7CE", "#9C0006"), ("#C6EFCE", "#006100"), ("#EDEDED", MUTED), \
    ("#FFEB9C", "#9C5700")
# Status colours (fill, font) by the text a status cell holds.
STATUS_COLOURS = {
    STATUS_LABELS[Status.KURANG]: _BAD,
    STATUS_LABELS[Status.MEMENUHI]: _GOOD,
    STATUS_LABELS[Status.TIDAK_WAJIB]: _NEUTRAL,
    SEVERITY_LABELS[Severity.GALAT]: _BAD,
    SEVERITY_LABELS[Severity.PERINGATAN]: _WARNING,
}

# ---------------------------------------------------------------- column kinds

# Excel number formats by column kind.
NUMBER_FORMATS = {
    "count": "#,##0",
    "rupiah": '"Rp"#,##0',
    "percent": "0.0%",
}
TEXT_FORMAT = "@"
# Kinds whose values are text (a text value in a number column is a placeholder such as `-`).
TEXT_KINDS = ("text", "longtext", "message", "status", "link")
WRAPPED_KINDS = ("longtext", "message")


# ---------------------------------------------------------------- named styles


@dataclass(frozen=True)
class Style:
    """A named look for a range; an attribute left `None` is left as it is."""

    name: str
    bold: Optional[bool] = None
    italic: Optional[bool] = None
    underline: Optional[bool] = None
    size: Optional[float] = None
    font_colour: Optional[str] = None  # "#RRGGBB"
    fill: Optional[str] = None
    number_format: Optional[str] = None
    wrap: Optional[bool] = None
    align: Optional[str] = None  # horizontal: left | center | right
    valign: Optional[str] = None  # vertical: top | center | bottom


TITLE = Style("judul", bold=True, size=14, font_colour=NAVY)
HEADER = Style("kepala", bold=True, font_colour=HEADER_FONT, fill=HEADER_FILL, wrap=True)
TOTAL = Style("jumlah", bold=True)
EMPTY = Style("kosong", italic=True, font_colour=MUTED)
LINK = Style("tautan", font_colour=LINK_COLOUR, underline=True)
WRAP = Style("bungkus", wrap=True)
# Key figures under a title: a small grey label above a bold figure (numbers stay numbers).
FACT_LABEL = Style("label angka", size=9, font_colour=MUTED)
FACT_VALUE = Style("angka", bold=True, size=11, font_colour=NAVY, align="left")
# Excel tables (ListObjects) over result lists: filter buttons, no banding over the status colours.
TABLE_STYLE = "TableStyleLight1"
CHART_COLOUR = "#2E75B6"


# ---------------------------------------------------------------- colour scales


@dataclass(frozen=True)
class ScalePoint:
    """One point of a colour scale: `kind` is `number` (at `value`), `lowest`, `highest`, `percent` or
    `percentile` (at `value`, 0–100)."""

    kind: str
    value: Optional[float]
    colour: str  # "#RRGGBB"


@dataclass(frozen=True)
class ColourScale:
    """A two- or three-colour scale (conditional format), from the lowest point to the highest."""

    points: tuple[ScalePoint, ...]

    _KINDS = {"num": "number", "min": "lowest", "max": "highest", "percent": "percent",
              "percentile": "percentile"}

    @classmethod
    def from_xlsxwriter(cls, rule: dict) -> "ColourScale":
        """The same scale as an XlsxWriter `2_color_scale`/`3_color_scale` rule (the CLI recap's)."""
        names = ("min", "mid", "max") if rule["type"] == "3_color_scale" else ("min", "max")
        defaults = {"min": "min", "mid": "percentile", "max": "max"}
        points = []
        for name in names:
            kind = cls._KINDS[rule.get(f"{name}_type", defaults[name])]
            value = rule.get(f"{name}_value", 50 if name == "mid" else None)
            points.append(ScalePoint(kind, None if kind in ("lowest", "highest") else value,
                                     rule[f"{name}_color"].upper()))
        return cls(tuple(points))


def fill_style(colour: str) -> Style:
    return Style("isi " + colour, fill=colour)


def kind_style(kind: str) -> Optional[Style]:
    """The number format of a column kind: text kinds are text (`@`), figures as `NUMBER_FORMATS`."""
    fmt = TEXT_FORMAT if kind in TEXT_KINDS else NUMBER_FORMATS.get(kind)
    # Top-aligned, as in the recap file: a row made tall by wrapped text still reads along its first line.
    return Style("format " + kind, number_format=fmt, valign="top") if fmt else None


def status_style(value) -> Optional[Style]:
    """The colours of a status cell (`Kurang`, `GALAT`, …), or None for any other value."""
    colours = STATUS_COLOURS.get(value) if isinstance(value, str) else None
    if colours is None:
        return None
    return Style("status " + value, bold=True, fill=colours[0], font_colour=colours[1])
