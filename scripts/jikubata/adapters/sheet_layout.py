"""One layout for every result sheet written into an open workbook.

`write_sheet(cells, sheet)` turns an `OutputSheet` into the primitive calls
of a `CellPort`: values (text protected by `as_text`), the named styles of
`styles`, links, widths, frozen header and print set-up. The live Excel port
and the test port implement only those primitives, so what runs in Excel is
what the tests run.
"""
from __future__ import annotations

import re
from itertools import groupby
from pathlib import Path
from typing import Callable

from jikubata.adapters import styles
from jikubata.adapters.workbook_port import CellPort, OutputSheet, find_sheet

_FORMULA_START = ("=", "+", "-", "@", "'")
# What Excel would turn into a number, a date, a percentage or a truth value when typed.
_LOOKS_TYPED = re.compile(r"\s*([-+(]?[\d.,]+\)?\s*%?|\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?|true|false|benar|salah)\s*",
                          re.IGNORECASE)


def as_text(value):
    """A string is written as text, whatever it looks like: `=…` never becomes a formula, `0812…` never a number.

    Excel's own rule for typing: a leading apostrophe makes the rest literal
    text (and is not kept). Only strings that Excel would otherwise convert get
    one, so ordinary text is written as it is.
    """
    if isinstance(value, str) and value and (value.startswith(_FORMULA_START) or _LOOKS_TYPED.fullmatch(value)):
        return "'" + value
    return value


def write_sheet(cells: CellPort, sheet: OutputSheet) -> None:
    """Replace the sheet named `sheet.name` with the laid-out `sheet`."""
    old = find_sheet(cells.sheet_names(), sheet.name)
    if old:
        cells.delete_sheet(old)
    name = sheet.name
    cells.add_sheet(name)
    if sheet.title:
        cells.write_values(name, 1, 1, [[as_text(line)] for line in sheet.title])
        cells.apply_style(name, (1, 1, 1, 1), styles.TITLE)
    top, width = sheet.header_row, len(sheet.header)
    cells.write_values(name, top, 1, [[as_text(h) for h in sheet.header]])
    cells.apply_style(name, (top, 1, top, width), styles.HEADER)
    body = list(sheet.rows) + ([sheet.total] if sheet.total else [])
    first, last = top + 1, top + max(len(body), 1)
    if body:
        # Formats first, so text stays text and figures show as Rupiah.
        for j, kind in enumerate(sheet.kinds, 1):
            style = styles.kind_style(kind)
            if style:
                cells.apply_style(name, (first, j, last, j), style)
        cells.write_values(name, first, 1, [[as_text(v) for v in row] for row in body])
        for rows, colour in _runs(range(len(body)), sheet.row_fills.get):
            cells.apply_style(name, (first + rows[0], 1, first + rows[-1], width), styles.fill_style(colour))
        for j, kind in enumerate(sheet.kinds):
            if kind == "status":
                for rows, style in _runs(range(len(body)), lambda i: styles.status_style(body[i][j])):
                    cells.apply_style(name, (first + rows[0], j + 1, first + rows[-1], j + 1), style)
        if sheet.total:
            cells.apply_style(name, (last, 1, last, width), styles.TOTAL)
        for (i, j), target in sorted(sheet.links.items()):
            cells.add_link(name, first + i, j + 1, target, str(body[i][j]))
            cells.apply_style(name, (first + i, j + 1, first + i, j + 1), styles.LINK)
    elif sheet.empty_text:
        cells.write_values(name, first, 1, [[as_text(sheet.empty_text)]])
        cells.apply_style(name, (first, 1, first, 1), styles.EMPTY)
    for j, kind in enumerate(sheet.kinds, 1):
        if kind in styles.WRAPPED_KINDS:
            cells.apply_style(name, (first, j, last, j), styles.WRAP)
    cells.set_column_widths(name, sheet.column_widths())
    cells.freeze_rows(name, top)
    cells.set_print(name, top)


def _runs(indexes, value_of: Callable):
    """Consecutive indexes with the same non-None value, as (indexes, value): one style call per run."""
    for value, group in groupby(indexes, key=value_of):
        if value is not None:
            yield list(group), value


class Workbook:
    """A `WorkbookPort` over any `CellPort`: reads pass through, sheets are laid out by `write_sheet`."""

    def __init__(self, cells: CellPort):
        self.cells = cells

    @property
    def path(self) -> Path:
        return self.cells.path

    def sheet_names(self) -> list[str]:
        return self.cells.sheet_names()

    def read_sheets(self, wanted: Callable[[str], bool] = lambda name: True) -> dict[str, list[list]]:
        return self.cells.read_sheets(wanted)

    def read_cell(self, sheet: str, cell: str):
        name = find_sheet(self.sheet_names(), sheet)
        return self.cells.read_cell(name, cell) if name else None

    def write_cell(self, sheet: str, cell: str, value) -> None:
        name = find_sheet(self.sheet_names(), sheet)
        if name:
            self.cells.write_cell(name, cell, as_text(value))

    def delete_sheet(self, name: str) -> None:
        found = find_sheet(self.sheet_names(), name)
        if found:
            self.cells.delete_sheet(found)

    def write_sheet(self, sheet: OutputSheet) -> None:
        write_sheet(self.cells, sheet)

    def message(self, text: str, error: bool = False) -> None:
        self.cells.message(text, error)
