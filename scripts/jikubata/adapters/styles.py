"""How our workbooks look, in one place: status labels, colours, number formats, named styles.

Every writer takes its looks from here: `summary` (the `Rekap-…xlsx` file,
XlsxWriter), `sheet_layout` (the result sheets inside the open workbook,
through a `CellPort`), the entry forms (`forms`, `seller_forms`), the letter
index, the TPP list and the workbook builder. A colour or a number format
changed here changes them all.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Optional, Sequence

from jikubata.domain.model import Severity, Status

# ---------------------------------------------------------------- the words a status cell holds

STATUS_LABELS = {
    Status.KURANG: "Kurang",
    Status.MEMENUHI: "Memenuhi",
    Status.TIDAK_WAJIB: "Tidak wajib",
}
SEVERITY_LABELS = {Severity.GALAT: "GALAT", Severity.PERINGATAN: "PERINGATAN"}

# ---------------------------------------------------------------- colours

NAVY = "#1F3864"  # titles; the header of a form or a list made for an office
ACCENT = "#2E75B6"  # a form's section lines and step numbers; the bars and columns of charts
HEADER_FILL, HEADER_FONT = "#1F4E78", "#FFFFFF"
WHITE = "#FFFFFF"
LINK_COLOUR = "#0563C1"
MUTED = "#595959"  # placeholders, "nothing to show" lines
DARK_TEXT = "#262626"  # text of computed cells and notes on a grey or yellow fill
LINE_COLOUR = "#404040"
GRID_COLOUR = "#BFBFBF"  # cell borders
SOFT_GREY = "#D9D9D9"  # chart gridlines; the header of the letter index
TOTAL_FILL = "#F2F2F2"
COMPUTED_FILL = "#F2F2F2"  # cells a formula fills in (a form's `(otomatis)` columns, Beranda's result)
INPUT_FILL = "#FFF2CC"  # cells a person fills in
PERIOD_BORDER = "#BF9000"  # around Beranda's period cell
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

RUPIAH_FORMAT = '"Rp"#,##0'  # whole rupiah, thousands grouped as the computer shows them
# Excel number formats by column kind.
NUMBER_FORMATS = {
    "count": "#,##0",
    "rupiah": RUPIAH_FORMAT,
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
CHART_COLOUR = ACCENT
# Distinct line colours for the lowest offices (Okabe-Ito, readable by the colour-blind); the city is black.
LINE_COLOURS = ("#D55E00", "#0072B2", "#E69F00", "#009E73", "#CC79A7")
CITY_LINE_COLOUR = "#000000"
# Colour scales as XlsxWriter rules (`ColourScale.from_xlsxwriter` for a `CellPort`). Compliance: red at 0 %,
# yellow at 50 %, green at 100 % (fixed, so months compare). Shortfall: white at none, red at the largest.
COMPLIANCE_SCALE = {"type": "3_color_scale", "min_type": "num", "min_value": 0, "min_color": "#F8696B",
                    "mid_type": "num", "mid_value": 0.5, "mid_color": "#FFEB84",
                    "max_type": "num", "max_value": 1, "max_color": "#63BE7B"}
SHORTFALL_SCALE = {"type": "2_color_scale", "min_type": "num", "min_value": 0, "min_color": WHITE,
                   "max_type": "max", "max_color": "#F8696B"}


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

    def to_xlsxwriter(self) -> dict:
        """The scale as an XlsxWriter `2_color_scale`/`3_color_scale` rule (what `from_xlsxwriter` reads)."""
        names = ("min", "mid", "max") if len(self.points) == 3 else ("min", "max")
        types = {kind: name for name, kind in self._KINDS.items()}
        rule = {"type": f"{len(self.points)}_color_scale"}
        for name, point in zip(names, self.points):
            rule[f"{name}_type"] = types[point.kind]
            if point.kind not in ("lowest", "highest"):
                rule[f"{name}_value"] = point.value
            rule[f"{name}_color"] = point.colour
        return rule


def column_pixels(chars: float) -> int:
    """Pixel width of a column `chars` characters wide, as Excel lays it out (default font: 7 px digits,
    5 px padding)."""
    return int(chars * 7 + 5) if chars >= 1 else int(chars * 12 + 0.5)


# ---------------------------------------------------------------- text measured as Excel and LibreOffice lay it out

# Advance widths of Arial (units per 1000 em), to measure text as Excel and LibreOffice lay it out.
_ARIAL = {ch: w for chars, w in (
    ("ijl'", 222), (" !,./:;[]\\ftI|", 278), ("-()r`", 333), ("*", 389), ("\"", 355), ("J", 500),
    ("cksvxyz", 500), ("0123456789#$?_abdeghnopqu^", 556), ("+<=>~", 584), ("FTZ", 611),
    ("&ABEKPSVXY", 667), ("CDHNRUw", 722), ("GOQ", 778), ("mM", 833), ("%", 889), ("W", 944), ("@", 1015),
) for ch in chars}
_PX_PER_UNIT = 10 * 96 / 72 / 1000  # 10 pt at 96 dpi
CELL_PADDING_PX = 7


@functools.lru_cache(maxsize=65_536)  # positions and names repeat a lot
def text_px(text: str) -> float:
    get = _ARIAL.get
    return sum(get(ch, 600) for ch in text) * _PX_PER_UNIT


def chars_for_px(px: float) -> float:
    """The column width (Excel's units: 7 px digits + 5 px padding) that holds `px` of text."""
    return round((px + CELL_PADDING_PX - 5) / 7 + 1.5, 1)  # and a little air


@functools.lru_cache(maxsize=65_536)
def wrapped_lines(text: str, room: float) -> int:
    """Lines `text` takes when wrapped at word boundaries in `room` pixels."""
    space = _ARIAL[" "] * _PX_PER_UNIT
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            w = text_px(word)
            if used and used + space + w > room:
                lines += 1
                used = 0.0
            if w > room:  # a word longer than the column is broken anywhere
                extra = int(w // room)
                lines += extra
                w -= extra * room
            used += (space if used else 0) + w
    return lines


def wrapped_row_height(cells: Sequence[tuple[str, float]]) -> Optional[float]:
    """The row height (points) that shows every `(text, column width)` wrapped in full; None if one line does.

    LibreOffice does not grow rows on opening, so writers that wrap text set the height themselves.
    """
    lines = max((wrapped_lines(text, column_pixels(width) - CELL_PADDING_PX)
                 for text, width in cells if isinstance(text, str) and text), default=1)
    return 12.75 * lines + 2 if lines > 1 else None


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
