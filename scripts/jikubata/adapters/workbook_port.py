"""The open workbook, as the button actions see it, and the few primitives it is built on.

`buttons` talks only to a `WorkbookPort`: read every sheet as rows, write a
result sheet (`OutputSheet`), read or write one cell, show a message.

Underneath is a `CellPort`: the handful of primitives a spreadsheet program
offers (write a block of values, apply a style to a range, add a link, set
widths, freeze, print set-up). `sheet_layout.Workbook` turns any `CellPort`
into a `WorkbookPort`, so one layout function (with the formula guard, the
colours and the formats) serves every implementation:
`adapters.xlwings_port.XlwingsPort` (live Excel) and the openpyxl port the
tests use on `.xlsm` files (`tests/support/openpyxl_port.py`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Protocol

from jikubata.adapters.styles import CHART_COLOUR, ColourScale, Style

# A rectangle of cells, 1-based and inclusive: (first row, first column, last row, last column).
Area = tuple[int, int, int, int]


@dataclass
class ChartData:
    """What a result sheet's chart shows, as values: a label per point and one or more series.

    `kind` is `bar` (horizontal bars, the first label on top), `column` or
    `line`; with `percent` the value axis runs from 0 % to 100 %. A `None`
    value is a gap (nobody obliged, no data), not 0 %.
    """

    kind: str
    title: str
    labels: list[str]
    series: list[tuple[str, list[Optional[float]]]]
    colours: tuple[str, ...] = (CHART_COLOUR,)
    percent: bool = True


@dataclass
class Chart:
    """A chart as a port places it. `source` holds a header row and, below it, the labels in its first
    column and one column per series; `anchor` is the top-left cell; the size is in pixels."""

    name: str
    kind: str
    title: str
    source: Area
    anchor: tuple[int, int]
    width: int
    height: int
    colours: tuple[str, ...]
    percent: bool


@dataclass
class OutputSheet:
    """A result sheet as plain values: title lines, a header row, rows, and how to show them.

    `links[(i, j)]` makes cell j of row i a hyperlink: `#'Sheet'!B12` jumps
    inside the workbook, anything else is a file path. `row_fills[i]` colours
    a whole row (e.g. the ASN who are short).
    """

    name: str
    title: list[str]
    header: list[str]
    kinds: list[str]
    rows: list[list]
    total: Optional[list] = None
    links: dict = field(default_factory=dict)
    row_fills: dict = field(default_factory=dict)
    widths: Optional[list[float]] = None
    empty_text: str = ""
    # Key figures under the title as cells (label, value, kind): a figure is never part of a title line.
    facts: list[tuple[str, object, str]] = field(default_factory=list)
    # Colour scales over the rows (not the total): (first column, last column, scale), 0-based columns.
    scales: list[tuple[int, int, ColourScale]] = field(default_factory=list)
    table_name: Optional[str] = None  # an Excel table (filterable) over the header and the rows
    chart: Optional[ChartData] = None  # placed below the table
    one_page: bool = False  # printed on one page (a summary with its chart), no header repeated

    @property
    def facts_row(self) -> int:
        """1-based row of the key figures' labels (their values are on the row below)."""
        return len(self.title) + 2

    @property
    def header_row(self) -> int:
        """1-based row of the header: title lines, a blank row, the key figures (label and value rows)."""
        if self.facts:
            return self.facts_row + 2
        return len(self.title) + 2 if self.title else 1

    def column_widths(self) -> list[float]:
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


class WorkbookPort(Protocol):
    """What the button actions need from an open workbook."""

    @property
    def path(self) -> Path: ...  # the workbook file (its folder receives the output files)

    def read_sheets(self, wanted: Callable[[str], bool]) -> dict[str, list[list]]: ...  # rows from A1

    def sheet_names(self) -> list[str]: ...

    def write_sheet(self, sheet: OutputSheet) -> None: ...  # replaces a sheet of the same name

    def delete_sheet(self, name: str) -> None: ...

    def read_cell(self, sheet: str, cell: str): ...

    def write_cell(self, sheet: str, cell: str, value) -> None: ...

    def message(self, text: str, error: bool = False) -> None: ...


class CellPort(Protocol):
    """The primitives of a spreadsheet program. Sheet names are exact (the caller matched them).

    `write_values` takes values the way a person types them into Excel: a
    string starting with `=` becomes a formula and one starting with `'` is
    literal text (the apostrophe is not kept). Deciding what must be protected
    is the layout's job (`sheet_layout.as_text`), not the port's.
    """

    @property
    def path(self) -> Path: ...

    def sheet_names(self) -> list[str]: ...

    def read_sheets(self, wanted: Callable[[str], bool]) -> dict[str, list[list]]: ...  # rows from A1

    def read_cell(self, sheet: str, cell: str): ...

    def write_cell(self, sheet: str, cell: str, value) -> None: ...

    def delete_sheet(self, name: str) -> None: ...

    def add_sheet(self, name: str) -> None: ...  # after the last sheet

    def write_values(self, sheet: str, row: int, column: int, values: list[list]) -> None: ...

    def apply_style(self, sheet: str, area: Area, style: Style) -> None: ...

    def add_link(self, sheet: str, row: int, column: int, target: str, text: str) -> None: ...

    def set_column_widths(self, sheet: str, widths: list[float]) -> None: ...

    def freeze_rows(self, sheet: str, rows: int) -> None: ...  # rows 1..rows stay in view

    def set_print(self, sheet: str, title_row: int, one_page: bool = False, landscape: bool = True) -> None: ...
    # A4, one page wide, the header row repeated; or with `one_page` all on one page (a table with its chart)

    # Comforts of a spreadsheet program: a port that cannot offer one skips it, never fails the run.

    def color_scale(self, sheet: str, area: Area, scale: ColourScale) -> None: ...  # replaces the area's scales

    def names_in_use(self) -> set[str]: ...  # casefolded table and defined names: a new table may not take one

    def add_table(self, sheet: str, area: Area, name: str, style: str) -> None: ...  # header row first

    def add_chart(self, sheet: str, chart: Chart) -> bool: ...  # replaces a chart of that name; True when
    # it plots cells in hidden columns (so its source may be hidden)

    def fit_rows(self, sheet: str, area: Area) -> None: ...  # rows tall enough to show their wrapped text

    def hide_columns(self, sheet: str, first: int, last: int) -> None: ...

    def message(self, text: str, error: bool = False) -> None: ...


def find_sheet(names: list[str], wanted: str) -> Optional[str]:
    """The workbook's spelling of a sheet name, matched case-insensitively."""
    key = wanted.strip().casefold()
    return next((n for n in names if n.strip().casefold() == key), None)


def location(sheet: str, cell: str) -> str:
    """`'Sheet'!B12` — a place inside the workbook, quoted the way Excel quotes sheet names."""
    return "'" + sheet.replace("'", "''") + "'!" + cell
