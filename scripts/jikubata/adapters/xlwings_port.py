"""The `CellPort` primitives over a live Excel workbook (an xlwings `Book`).

Only primitives: how a sheet looks is decided by `sheet_layout`, which is the
same code the tests run on files. Excel-only comforts (print set-up through
the COM `PageSetup`, links inside the workbook) are tried and skipped where
the platform does not offer them, so a button never fails for them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from jikubata.adapters.styles import Style
from jikubata.adapters.workbook_port import Area

TITLE = "Jiku Bata"
_XL_UNDERLINE_SINGLE, _XL_UNDERLINE_NONE = 2, -4142
_XL_LANDSCAPE, _XL_PAPER_A4 = 2, 9


class XlwingsPort:
    """Primitives of the workbook that pressed the button (`xw.Book.caller()`)."""

    def __init__(self, book):
        self.book = book

    @property
    def path(self) -> Path:
        return Path(self.book.fullname)

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def read_sheets(self, wanted: Callable[[str], bool] = lambda name: True) -> dict[str, list[list]]:
        out = {}
        for sheet in self.book.sheets:
            if not wanted(sheet.name):
                continue
            last = sheet.used_range.last_cell
            out[sheet.name] = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value
        return out

    def read_cell(self, sheet: str, cell: str):
        return self.book.sheets[sheet].range(cell).value

    def write_cell(self, sheet: str, cell: str, value) -> None:
        self.book.sheets[sheet].range(cell).value = value

    def delete_sheet(self, name: str) -> None:
        self.book.sheets[name].delete()

    def add_sheet(self, name: str) -> None:
        self.book.sheets.add(name, after=self.book.sheets[len(self.book.sheets) - 1])

    def write_values(self, sheet: str, row: int, column: int, values: list[list]) -> None:
        self.book.sheets[sheet].range((row, column)).value = values

    def apply_style(self, sheet: str, area: Area, style: Style) -> None:
        r1, c1, r2, c2 = area
        rng = self.book.sheets[sheet].range((r1, c1), (r2, c2))
        if style.number_format is not None:
            rng.number_format = style.number_format
        if style.fill is not None:
            rng.color = style.fill
        if style.wrap is not None:
            rng.wrap_text = style.wrap
        font = rng.font
        if style.bold is not None:
            font.bold = style.bold
        if style.italic is not None:
            font.italic = style.italic
        if style.size is not None:
            font.size = style.size
        if style.font_colour is not None:
            font.color = style.font_colour
        if style.underline is not None:
            try:  # not in xlwings' Font; Excel's object model has it
                rng.api.Font.Underline = _XL_UNDERLINE_SINGLE if style.underline else _XL_UNDERLINE_NONE
            except Exception:
                pass

    def add_link(self, sheet: str, row: int, column: int, target: str, text: str) -> None:
        cell = self.book.sheets[sheet].range((row, column))
        if target.startswith("#"):
            try:  # Windows: a link to a place inside this workbook
                cell.api.Hyperlinks.Add(Anchor=cell.api, Address="", SubAddress=target[1:], TextToDisplay=text)
                return
            except Exception:
                pass
        cell.add_hyperlink(target, text)

    def set_column_widths(self, sheet: str, widths: list[float]) -> None:
        ws = self.book.sheets[sheet]
        for j, w in enumerate(widths, 1):
            ws.range((1, j)).column_width = w

    def freeze_rows(self, sheet: str, rows: int) -> None:
        try:  # a frozen header is a comfort; never fail the run for it
            self.book.sheets[sheet].freeze_panes.freeze_at(f"{rows}:{rows}")
        except Exception:
            pass

    def set_print(self, sheet: str, title_row: int) -> None:
        try:  # the COM PageSetup (Windows Excel); elsewhere the sheet prints with Excel's defaults
            setup = self.book.sheets[sheet].api.PageSetup
            setup.Orientation, setup.PaperSize = _XL_LANDSCAPE, _XL_PAPER_A4
            setup.Zoom, setup.FitToPagesWide, setup.FitToPagesTall = False, 1, False
            setup.PrintTitleRows = f"${title_row}:${title_row}"
        except Exception:
            pass

    def message(self, text: str, error: bool = False) -> None:
        self.book.app.alert(text, title=TITLE, mode="critical" if error else "info")
