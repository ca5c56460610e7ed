"""The Excel buttons: what `RunPython "import jikubata.excel as jb; jb.…()"` calls.

Thin on purpose: each entry point takes the workbook that pressed the button
(`xw.Book.caller()`), wraps it in `XlwingsPort` and runs the shared action of
`buttons`, which is tested on real files through `workbook_port.OpenpyxlPort`.
Nothing here decides a rule or formats a figure.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

from jikubata.adapters.workbook_port import TEXT_KINDS, OutputSheet, find_sheet, number_format, status_colours

TITLE = "Jiku Bata"
_FORMULA_START = ("=", "+", "-", "@")


def periksa_data() -> None:
    """Button `Periksa Data`."""
    _press("periksa_data")


def hitung_kekurangan() -> None:
    """Button `Hitung Kekurangan`."""
    _press("hitung_kekurangan")


def buat_rekap() -> None:
    """Button `Buat Rekap OPD`."""
    _press("buat_rekap")


def buat_surat() -> None:
    """Button `Buat Surat Pengingat`."""
    _press("buat_surat")


def _press(action: str) -> None:
    try:
        import xlwings as xw

        from jikubata.entrypoints import buttons

        book = xw.Book.caller()
        port = XlwingsPort(book)
    except Exception as exc:  # no workbook to talk to: a plain Windows message box, still no traceback
        _fallback_message(f"Jiku Bata tidak dapat terhubung ke Excel ({type(exc).__name__}: {exc}).")
        return
    app = book.app
    screen = app.screen_updating
    app.screen_updating = False
    try:
        buttons.run(port, action)
    finally:
        app.screen_updating = screen


def _fallback_message(text: str) -> None:
    if sys.platform.startswith("win"):
        import ctypes

        ctypes.windll.user32.MessageBoxW(0, text, TITLE, 0x10)
    else:
        print(text, file=sys.stderr)


class XlwingsPort:
    """`WorkbookPort` over the live workbook (xlwings `Book`)."""

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
        name = find_sheet(self.sheet_names(), sheet)
        return self.book.sheets[name].range(cell).value if name else None

    def write_cell(self, sheet: str, cell: str, value) -> None:
        name = find_sheet(self.sheet_names(), sheet)
        if name:
            self.book.sheets[name].range(cell).value = value

    def delete_sheet(self, name: str) -> None:
        found = find_sheet(self.sheet_names(), name)
        if found:
            self.book.sheets[found].delete()

    def write_sheet(self, sheet: OutputSheet) -> None:
        self.delete_sheet(sheet.name)
        ws = self.book.sheets.add(sheet.name, after=self.book.sheets[len(self.book.sheets) - 1])
        for i, line in enumerate(sheet.title, 1):
            cell = ws.range((i, 1))
            cell.value = _as_text(line)
            cell.font.bold = i == 1
            if i == 1:
                cell.font.size = 14
        top = sheet.header_row
        width = len(sheet.header)
        header = ws.range((top, 1), (top, width))
        header.value = [sheet.header]
        header.font.bold = True
        header.font.color = "#FFFFFF"
        header.color = "#1F3864"
        body = list(sheet.rows) + ([sheet.total] if sheet.total else [])
        if body:
            # Formats first, so text stays text and figures show as Rupiah.
            for j, kind in enumerate(sheet.kinds):
                fmt = number_format(kind)
                if fmt:
                    ws.range((top + 1, j + 1), (top + len(body), j + 1)).number_format = fmt
            ws.range((top + 1, 1)).value = [[_as_text(v) if sheet.kinds[j] in TEXT_KINDS or isinstance(v, str)
                                             else v for j, v in enumerate(row)] for row in body]
            for i, fill in sheet.row_fills.items():
                ws.range((top + 1 + i, 1), (top + 1 + i, width)).color = fill
            for j, kind in enumerate(sheet.kinds):
                if kind != "status":
                    continue
                for i, row in enumerate(body):
                    colours = status_colours(row[j])
                    if colours:
                        cell = ws.range((top + 1 + i, j + 1))
                        cell.color, cell.font.color, cell.font.bold = colours[0], colours[1], True
            if sheet.total:
                ws.range((top + len(body), 1), (top + len(body), width)).font.bold = True
            for (i, j), target in sheet.links.items():
                _link(ws.range((top + 1 + i, j + 1)), target)
        elif sheet.empty_text:
            ws.range((top + 1, 1)).value = sheet.empty_text
        for j, w in enumerate(sheet.column_widths(), 1):
            ws.range((1, j)).column_width = w
        for j, kind in enumerate(sheet.kinds, 1):
            if kind == "longtext":
                ws.range((top + 1, j), (top + max(len(body), 1), j)).wrap_text = True
        try:  # frozen header and print set-up are a comfort; never fail the run for them
            ws.freeze_panes.freeze_at(f"{top}:{top}")
            setup = ws.api.PageSetup
            setup.Orientation, setup.PaperSize = 2, 9  # landscape A4
            setup.Zoom, setup.FitToPagesWide, setup.FitToPagesTall = False, 1, False
            setup.PrintTitleRows = f"${top}:${top}"
        except Exception:
            pass

    def message(self, text: str, error: bool = False) -> None:
        self.book.app.alert(text, title=TITLE, mode="critical" if error else "info")


def _as_text(value):
    """Text from the inputs is written as text: `=…` never becomes a formula (leading apostrophe)."""
    if isinstance(value, str) and (value.startswith(_FORMULA_START) or value.strip().isdigit()):
        return "'" + value
    return value


def _link(cell, target: str) -> None:
    text = cell.value
    if target.startswith("#"):
        try:  # Windows: a link to a place inside this workbook
            cell.api.Hyperlinks.Add(Anchor=cell.api, Address="", SubAddress=target[1:], TextToDisplay=str(text))
            return
        except Exception:
            pass
    cell.add_hyperlink(target, str(text))
