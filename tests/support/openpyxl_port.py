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
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableStyleInfo

from jikubata.adapters.sheet_layout import Workbook
from jikubata.adapters.styles import ColourScale, Style
from jikubata.adapters.workbook_port import Area, Chart

_RULE_TYPES = {"number": "num", "lowest": "min", "highest": "max", "percent": "percent", "percentile": "percentile"}
_CM_PER_PIXEL = 2.54 / 96
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

    def set_print(self, sheet: str, title_row: int, one_page: bool = False, landscape: bool = True) -> None:
        ws = self.book[sheet]
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        if one_page:
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 1
        else:
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
            ws.print_title_rows = f"{title_row}:{title_row}"

    def color_scale(self, sheet: str, area: Area, scale: ColourScale) -> None:
        ws, ref = self.book[sheet], _ref(area)
        rules = ws.conditional_formatting._cf_rules
        for old in [cf for cf in rules if str(cf.sqref) == str(MultiCellRange(ref))]:  # the area's earlier scale is replaced
            del rules[old]
        ends = {}
        for name, point in zip(("start", "mid", "end") if len(scale.points) == 3 else ("start", "end"), scale.points):
            ends.update({f"{name}_type": _RULE_TYPES[point.kind], f"{name}_color": point.colour[1:]})
            if point.value is not None:
                ends[f"{name}_value"] = point.value
        ws.conditional_formatting.add(ref, ColorScaleRule(**ends))

    def names_in_use(self) -> set[str]:
        names = {t.casefold() for ws in self.book.worksheets for t in ws.tables}
        names |= {n.casefold() for n in self.book.defined_names}
        names |= {n.casefold() for ws in self.book.worksheets for n in ws.defined_names}
        return names

    def add_table(self, sheet: str, area: Area, name: str, style: str) -> None:
        table = Table(displayName=name, ref=_ref(area),
                      tableStyleInfo=TableStyleInfo(name=style, showRowStripes=False, showColumnStripes=False))
        self.book[sheet].add_table(table)  # refuses a name in use, as Excel does

    def add_chart(self, sheet: str, chart: Chart) -> bool:
        ws = self.book[sheet]
        ws._charts = [c for c in ws._charts if getattr(c, "jikubata_name", None) != chart.name]
        r1, c1, r2, c2 = chart.source
        if chart.kind == "line":
            made = LineChart()
        else:
            made = BarChart()
            made.type = "bar" if chart.kind == "bar" else "col"
            made.gapWidth = 60
        made.add_data(Reference(ws, min_col=c1 + 1, min_row=r1, max_col=c2, max_row=r2), titles_from_data=True)
        labels = Reference(ws, min_col=c1, min_row=r1 + 1, max_row=r2)
        for series in made.series:  # the labels are text: a string reference, as Excel writes it
            series.cat = AxDataSource(strRef=StrRef(f=str(labels)))
        made.title = chart.title
        made.width, made.height = chart.width * _CM_PER_PIXEL, chart.height * _CM_PER_PIXEL
        made.x_axis.delete = made.y_axis.delete = False  # openpyxl hides both axes unless told
        if chart.percent:
            made.y_axis.scaling.min, made.y_axis.scaling.max, made.y_axis.majorUnit = 0, 1, 0.25
            made.y_axis.number_format = "0%"
            if chart.kind != "line":
                made.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False,
                                                showLegendKey=False, showPercent=False, numFmt="0%")
        made.x_axis.tickLblSkip = 1  # every label, as the recap file does
        if chart.kind == "bar":
            made.x_axis.scaling.orientation = "maxMin"
        if c2 - c1 == 1:
            made.legend = None
        for series, colour in zip(made.series, chart.colours):
            if chart.kind == "line":
                series.graphicalProperties.line.solidFill = colour[1:]
            else:
                series.graphicalProperties.solidFill = colour[1:]
        made.visible_cells_only = False  # its source may be hidden
        made.jikubata_name = chart.name
        ws.add_chart(made, f"{get_column_letter(chart.anchor[1])}{chart.anchor[0]}")
        return True

    def fit_rows(self, sheet: str, area: Area) -> None:
        # As Excel's AutoFit would; LibreOffice keeps the stored height, so the render shows this one.
        from jikubata.adapters.styles import wrapped_row_height

        ws = self.book[sheet]
        r1, c1, r2, c2 = area
        widths = [ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(c1, c2 + 1)]
        for r in range(r1, r2 + 1):
            cells = [(ws.cell(r, c).value, w) for c, w in zip(range(c1, c2 + 1), widths)
                     if ws.cell(r, c).alignment.wrap_text]
            height = wrapped_row_height(cells)
            if height:
                ws.row_dimensions[r].height = height

    def hide_columns(self, sheet: str, first: int, last: int) -> None:
        ws = self.book[sheet]
        for column in range(first, last + 1):
            ws.column_dimensions[get_column_letter(column)].hidden = True

    def message(self, text: str, error: bool = False) -> None:
        self.messages.append((text, error))

    def save(self) -> None:
        self.book.save(self._path)


def _ref(area: Area) -> str:
    r1, c1, r2, c2 = area
    return f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"


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
    if style.wrap is not None or style.align is not None or style.valign is not None:
        alignment = copy(c.alignment)
        if style.wrap is not None:
            alignment.wrap_text = style.wrap
        if style.align is not None:
            alignment.horizontal = style.align
        if style.valign is not None:
            alignment.vertical = style.valign
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
