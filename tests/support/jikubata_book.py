"""`workbook/JikuBata.xlsm` (the committed front end), copied and filled as an office administrator would."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from jikubata.tools import workbook

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "workbook" / "JikuBata.xlsm"


def filled_copy(path: Path, sheets: dict[str, list[list]], period=None, *, as_text: bool = False) -> Path:
    """Copy the committed workbook to `path`, put `sheets` (name -> rows, from row 2) and the period cell in.

    With `as_text`, strings are stored as text cells whatever they look like (`=…` included), as Excel keeps
    text typed into a text-formatted column.
    """
    key = repr((sheets, period, as_text))
    if key in _FILLED:  # the same filling again (most button tests): its bytes, without openpyxl
        Path(path).write_bytes(_FILLED[key])
        return path
    shutil.copyfile(COMMITTED, path)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    for sheet, rows in sheets.items():
        for i, row in enumerate(rows, 2):
            for j, value in enumerate(row, 1):
                cell = wb[sheet].cell(i, j, value)
                if as_text and isinstance(value, str):
                    cell.data_type = "s"
    wb["Beranda"][workbook.PERIOD_CELL] = period
    wb.save(path)
    _FILLED[key] = Path(path).read_bytes()
    return path


_FILLED: dict[str, bytes] = {}   # repr of a filling -> the workbook it made, for this test session
