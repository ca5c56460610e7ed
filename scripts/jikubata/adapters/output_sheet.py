"""One model of every result sheet we write: its values, and how to show them.

`summary` builds these sheets (the recap's tables, and the open workbook's own
`Hasil`, `Masalah Data` and `Daftar Surat`) from a `Result`, never adding a
figure up again; two layouts show them: `summary`'s XlsxWriter writer (the
`Rekap-…xlsx` file) and `sheet_layout` (the open workbook, through a
`CellPort`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from jikubata.adapters.styles import CHART_COLOUR, ColourScale


@dataclass
class ChartData:
    """What a result sheet's chart shows, as values: a label per point and one or more series.

    `kind` is `bar` (horizontal bars, the first label on top), `column` or
    `line`; with `percent` the value axis runs from 0 % to 100 %. A `None`
    value is a gap (nobody obliged, no data), not 0 %. With `emphasise_last`
    the last series (the city's) is drawn bolder where the layout can.
    """

    kind: str
    title: str
    labels: list[str]
    series: list[tuple[str, list[Optional[float]]]]
    colours: tuple[str, ...] = (CHART_COLOUR,)
    percent: bool = True
    emphasise_last: bool = False


@dataclass
class OutputSheet:
    """A result sheet as plain values: title lines, key figures, a header row, rows, a total, and how to
    show them.

    `kinds[j]` says how column j is shown: `text`, `longtext` (wrapped),
    `message` (wrapped, wide), `count`, `rupiah`, `percent`, `status`
    (coloured by its text), `link`. A text value in a number column is a
    placeholder (`belum ditetapkan`, `-`) and is shown as text.
    """

    name: str
    title: list[str]
    header: list[str]
    kinds: list[str]
    rows: list[list]
    total: Optional[list] = None  # the closing row (figures from the `Result`), if any
    # `links[(i, j)]` makes cell j of row i a hyperlink: `#'Sheet'!B12` jumps inside the workbook, anything
    # else is a file path. `places[(i, j)]` links it to a place in an input file: (file, sheet, cell).
    links: dict = field(default_factory=dict)
    places: dict = field(default_factory=dict)
    row_fills: dict = field(default_factory=dict)  # `row_fills[i]` colours a whole row (the ASN who are short)
    widths: Optional[list[float]] = None  # column widths; None: from the values
    empty_text: str = ""  # shown instead of rows when there are none
    # Key figures under the title as cells (label, value, kind): a figure is never part of a title line.
    facts: list[tuple[str, object, str]] = field(default_factory=list)
    # Colour scales over the rows (not the total): (first column, last column, scale), 0-based columns.
    scales: list[tuple[int, int, ColourScale]] = field(default_factory=list)
    table_name: Optional[str] = None  # an Excel table (filterable) over the header and the rows
    chart: Optional[ChartData] = None  # placed below the table (beside it, for weekly lines in the file)
    one_page: bool = False  # printed on one page (a summary with its chart), no header repeated
    key: str = ""  # which table of the recap: ringkasan | kurang | opd | umkm | rekonsiliasi | masalah | berkas
    #                | tren | tahun | tahun_kurang | tahun_pegawai
    office: Optional[str] = None  # the office of an `opd` table
    strong_rows: list[int] = field(default_factory=list)  # rows shown in bold like the total
    same_width: tuple = ()  # (first, last) columns given one width, e.g. the months of a grid

    @property
    def facts_row(self) -> int:
        """0-based row of the key figures' labels (their values are on the row below)."""
        return len(self.title) + 1

    @property
    def header_row(self) -> int:
        """0-based row of the header: the title, the key figures (label and value rows), a blank row."""
        return len(self.title) + (3 if self.facts else 1)

    def column_widths(self) -> list[float]:
        """Widths in characters: `widths`, or from the longest value within a cap per kind."""
        if self.widths:
            out = [float(w) for w in self.widths]
        else:
            caps = {"longtext": 60, "message": 80, "text": 40, "link": 14, "status": 14, "rupiah": 16, "count": 10,
                    "percent": 11}
            out = []
            for j, (header, kind) in enumerate(zip(self.header, self.kinds)):
                longest = max([len(str(header))] + [len(_display(r[j], kind)) for r in self.rows[:500] if j < len(r)])
                out.append(float(min(max(longest + 2, 8), caps.get(self.kinds[j], 40))))
        # A key figure (bold, larger) must show in full, never as `####`.
        for j, (label, value, kind) in enumerate(self.facts, 1):
            if j < len(out):
                out[j] = max(out[j], round(len(_display(value, kind)) * 1.25 + 2, 1), len(label) + 1.0)
        return out


def _display(value, kind: str = "rupiah") -> str:
    """About as wide as Excel shows `value` (for column widths)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if kind == "percent":
            return f"{value * 100:.1f}%"
        return f"Rp{value:,.0f}" if kind == "rupiah" else f"{value:,.0f}"
    return "" if value is None else str(value)
