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
from jikubata.adapters.output_sheet import OutputSheet
from jikubata.adapters.workbook_port import Chart, CellPort, find_sheet

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
    if sheet.facts:
        _write_facts(cells, sheet)
    top, width = sheet.header_row + 1, len(sheet.header)  # 1-based, as a CellPort counts
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
    if sheet.rows:
        end = first + len(sheet.rows) - 1  # the rows, not the total
        for c1, c2, scale in sheet.scales:
            cells.color_scale(name, (first, c1 + 1, end, c2 + 1), scale)
        if sheet.table_name:
            cells.add_table(name, (top, 1, end, width), unique_table_name(sheet.table_name, cells.names_in_use()),
                            styles.TABLE_STYLE)
    widths = sheet.column_widths()
    cells.set_column_widths(name, widths)
    if body and any(kind in styles.WRAPPED_KINDS for kind in sheet.kinds):
        cells.fit_rows(name, (first, 1, last, width))
    if sheet.rows and sheet.chart and sheet.chart.labels:
        _place_chart(cells, sheet, last, widths)
    cells.freeze_rows(name, top)
    # Landscape, unless a summary on one page is narrow enough to read upright.
    cells.set_print(name, top, one_page=sheet.one_page, landscape=not sheet.one_page or width > 10)


def _write_facts(cells: CellPort, sheet: OutputSheet) -> None:
    """The key figures: labels on one row, the figures below them as numbers in number formats."""
    name, row, n = sheet.name, sheet.facts_row + 1, len(sheet.facts)
    cells.write_values(name, row, 2, [[as_text(label) for label, _, _ in sheet.facts]])
    cells.apply_style(name, (row, 2, row, n + 1), styles.FACT_LABEL)
    for j, (_, value, kind) in enumerate(sheet.facts, 2):
        style = styles.kind_style(kind)
        if style and not isinstance(value, str):
            cells.apply_style(name, (row + 1, j, row + 1, j), style)
    cells.write_values(name, row + 1, 2, [[as_text(value) for _, value, _ in sheet.facts]])
    cells.apply_style(name, (row + 1, 2, row + 1, n + 1), styles.FACT_VALUE)


def _place_chart(cells: CellPort, sheet: OutputSheet, last: int, widths: list[float]) -> None:
    """The chart below the table (its total included); its source is a block right of the table, hidden
    where the port's chart can plot hidden cells."""
    data, name, top = sheet.chart, sheet.name, sheet.header_row + 1
    base = len(sheet.header) + 2  # one empty column between the table and the block
    header = ["Label grafik"] + [label for label, _ in data.series]
    block = [[as_text(label)] + [values[i] for _, values in data.series] for i, label in enumerate(data.labels)]
    cells.write_values(name, top, base, [[as_text(h) for h in header]])
    cells.apply_style(name, (top + 1, base, top + len(block), base), styles.kind_style("text"))
    if data.percent:
        cells.apply_style(name, (top + 1, base + 1, top + len(block), base + len(data.series)),
                          styles.kind_style("percent"))
    cells.write_values(name, top + 1, base, block)
    width = max(sum(styles.column_pixels(w) for w in widths), 480)
    height = max(240, 70 + 15 * len(block)) if data.kind == "bar" else 300
    chart = Chart(name="Grafik " + name, kind=data.kind, title=data.title,
                  source=(top, base, top + len(block), base + len(data.series)), anchor=(last + 2, 1),
                  width=width, height=height, colours=data.colours, percent=data.percent)
    if cells.add_chart(name, chart):
        cells.hide_columns(name, base, base + len(data.series))


_TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def unique_table_name(wanted: str, in_use: set[str]) -> str:
    """`wanted`, or `wanted2`, `wanted3`… : the first that no table or defined name holds (ignoring case)."""
    base = wanted if _TABLE_NAME.fullmatch(wanted) else "Tabel"
    candidate, n = base, 2
    while candidate.casefold() in in_use:
        candidate, n = f"{base}{n}", n + 1
    return candidate


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
