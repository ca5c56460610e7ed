"""The Excel buttons: what `RunPython "import jikubata.excel as jb; jb.…()"` calls.

Thin on purpose: each entry point takes the workbook that pressed the button
(`xw.Book.caller()`), wraps its primitives (`adapters.xlwings_port`) in the
shared layout (`adapters.sheet_layout.Workbook`) and runs the action of
`entrypoints.buttons`. The tests run the same layout and actions on files.
Nothing here decides a rule or formats a figure.
"""
from __future__ import annotations

import sys

TITLE = "Jiku Bata"  # the fallback message box; imports nothing, so it works when nothing else does


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


def buat_formulir() -> None:
    """Button `Buat Formulir OPD`."""
    _press("buat_formulir")


def buat_daftar_tpp() -> None:
    """Button `Buat Daftar TPP`."""
    _press("buat_daftar_tpp")


def buat_formulir_penjual() -> None:
    """Button `Buat Formulir Penjual`."""
    _press("buat_formulir_penjual")


def _press(action: str) -> None:
    try:
        import xlwings as xw

        from jikubata.adapters.sheet_layout import Workbook
        from jikubata.adapters.xlwings_port import XlwingsPort
        from jikubata.entrypoints import buttons

        book = xw.Book.caller()
        port = Workbook(XlwingsPort(book))
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
