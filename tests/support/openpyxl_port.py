"""The `CellPort` primitives over an `.xlsm` on disk (openpyxl, VBA kept): the tests' stand-in for Excel.

It implements only the primitives; the layout is `jikubata.adapters.sheet_layout`,
the same that runs in Excel. To keep the tests honest about the formula guard,
`write_values` takes values the way Excel takes typed (or COM-assigned) values:
`=…` becomes a formula, a number-like string in a cell not formatted as text
becomes a number, and a leading apostrophe makes the rest literal text.
"""
from __future__ import annotations

from copy import copy
from pathlib import Path
from typing import Callable

import openpyxl
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from jikubata.adapters.sheet_layout import Workbook
from jikubata.adapters.styles import Style
from jikubata.adapters.workbook_port import Area
from tests.support.excel_typing import typed


class OpenpyxlCells:
    """The primitives over an `.xlsm` file; `save()` writes it back."""

    def __init__(self, path: Path | str):
        self._path = Path(path)
        self.book = openpyxl.load_workbook(self._path, keep_vba=True)
        self.messages: list[tuple[str, bool]] = []

    @property
    def path(self) -> Path:
        return self._path

    def sheet_names(self) -> list[str]:
        return list(self.book.sheetnames)

    def read_sheets(self, wanted: Callable[[str], bool] = lambda name: True) -> dict[str, list[list]]:
        return {ws.title: [list(row) for row in ws.iter_rows(min_row=1, min_col=1, values_only=True)]
                for ws in self.book.worksheets if wanted(ws.title)}

    def read_cell(self, sheet: str, cell: str):
        return self.book[sheet][cell].value

    def write_cell(self, sheet: str, cell: str, value) -> None:
        _type_in(self.book[sheet][cell], value)

    def delete_sheet(self, name: str) -> None:
        del self.book[name]

    def add_sheet(self, name: str) -> None:
        self.book.create_sheet(name)

    def write_values(self, sheet: str, row: int, column: int, values: list[list]) -> None:
        ws = self.book[sheet]
        for i, line in enumerate(values):
            for j, value in enumerate(line):
                _type_in(ws.cell(row + i, column + j), value)

    def apply_style(self, sheet: str, area: Area, style: Style) -> None:
        ws = self.book[sheet]
        r1, c1, r2, c2 = area
        for row in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2):
            for c in row:
                _style(c, style)

    def add_link(self, sheet: str, row: int, column: int, target: str, text: str) -> None:
        c = self.book[sheet].cell(row, column)
        if target.startswith("#"):
            c.hyperlink = Hyperlink(ref=c.coordinate, location=target[1:])
        else:
            c.hyperlink = Hyperlink(ref=c.coordinate, target=target)

    def set_column_widths(self, sheet: str, widths: list[float]) -> None:
        ws = self.book[sheet]
        for j, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(j)].width = width

    def freeze_rows(self, sheet: str, rows: int) -> None:
        ws = self.book[sheet]
        ws.freeze_panes = ws.cell(rows + 1, 1)

    def set_print(self, sheet: str, title_row: int) -> None:
        ws = self.book[sheet]
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{title_row}:{title_row}"

    def message(self, text: str, error: bool = False) -> None:
        self.messages.append((text, error))

    def save(self) -> None:
        self.book.save(self._path)


def _type_in(cell, value) -> None:
    """Put `value` into `cell` as Excel does with a value typed or assigned through COM."""
    kept, kind = typed(value, cell.number_format)
    cell.value = kept
    if kind == "text":
        cell.data_type = "s"
        cell.quotePrefix = isinstance(value, str) and value.startswith("'")
    elif kind == "formula":
        cell.data_type = "f"


def _style(c, style: Style) -> None:
    if style.number_format is not None:
        c.number_format = style.number_format
    if style.fill is not None:
        c.fill = PatternFill("solid", fgColor=style.fill[1:])
    if style.wrap is not None:
        alignment = copy(c.alignment)
        alignment.wrap_text = style.wrap
        c.alignment = alignment
    changes = {}
    if style.bold is not None:
        changes["b"] = style.bold
    if style.italic is not None:
        changes["i"] = style.italic
    if style.size is not None:
        changes["sz"] = style.size
    if style.underline is not None:
        changes["u"] = "single" if style.underline else None
    if style.font_colour is not None:
        changes["color"] = style.font_colour[1:]
    if changes:
        font = copy(c.font)
        for key, value in changes.items():
            setattr(font, key, value)
        c.font = font


class OpenpyxlPort(Workbook):
    """The workbook as a button sees it, over `OpenpyxlCells`: `buttons.run(port, …)`, then `save()`."""

    def __init__(self, path: Path | str):
        super().__init__(OpenpyxlCells(path))

    @property
    def book(self):
        return self.cells.book

    @property
    def messages(self) -> list[tuple[str, bool]]:
        return self.cells.messages

    def save(self) -> None:
        self.cells.save()
