"""`jikubata surat` end to end: workbook in, letters, register and index out."""
from __future__ import annotations

import datetime as dt

import openpyxl
from docx import Document

from tests.support import workbooks as W
from jikubata.entrypoints import cli


def test_surat_command_writes_letters_for_the_short_and_reruns_with_the_same_numbers(tmp_path, capsys):
    day = dt.date(2025, 11, 7)
    source = W.basic(tmp_path / "pusat.xlsx", purchases=[
        (day, W.NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie", 5_000, "N1"),
        (day, W.NIP_BUDI, "Budi Pattiasina", "Mie Sagu Mama Ona", "Mie", 100_000, "N2"),
    ])
    before = source.read_bytes()
    out = tmp_path / "keluaran"
    args = ["surat", str(source), "--periode", "2025-11", "--keluaran", str(out)]

    assert cli.main(args) == 0
    text = capsys.readouterr().out
    assert "2 surat kepada Kepala OPD, 2 surat kepada pejabat, 1 laporan kepada Wali Kota" in text  # Ani, Dedi
    index = openpyxl.load_workbook(out / "Daftar-Surat-2025-11.xlsx")["Daftar Surat"]
    numbers = [r[1] for r in index.iter_rows(min_row=5, values_only=True)]
    assert len(set(numbers)) == 5  # issue 12: and the laporan to the Wali Kota
    letters = sorted((out / "Surat-2025-11").glob("*.docx"))
    assert len(letters) == 5
    ani = next(p for p in letters if W.NIP_ANI in p.name)
    body = "\n".join(p.text for p in Document(str(ani)).paragraphs)
    assert "Rp15.000 (lima belas ribu rupiah)" in body

    assert cli.main(args) == 0
    index = openpyxl.load_workbook(out / "Daftar-Surat-2025-11.xlsx")["Daftar Surat"]
    assert [r[1] for r in index.iter_rows(min_row=5, values_only=True)] == numbers
    assert source.read_bytes() == before  # the input is never modified
