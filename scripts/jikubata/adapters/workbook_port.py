"""The open workbook, as the button actions see it, and the few primitives it is built on.

`buttons` talks only to a `WorkbookPort`: read every sheet as rows, write a
result sheet (`output_sheet.OutputSheet`), read or write one cell, show a message.

Underneath is a `CellPort`: the handful of primitives a spreadsheet program
offers (write a block of values, apply a style to a range, add a link, set
widths, freeze, print set-up). `sheet_layout.Workbook` turns any `CellPort`
into a `WorkbookPort`, so one layout function (with the formula guard, the
colours and the formats) serves every implementation:
`adapters.xlwings_port.XlwingsPort` (live Excel) and the openpyxl port the
tests use on `.xlsm` files (`tests/support/openpyxl_port.py`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Protocol

from jikubata.adapters.output_sheet import OutputSheet
from jikubata.adapters.styles import ColourScale, Style

# A rectangle of cells, 1-based and inclusive: (first row, first column, last row, last column).
Area = tuple[int, int, int, int]


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
