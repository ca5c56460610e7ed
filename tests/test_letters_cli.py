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
    ], extra={"Pengaturan": W.signer_settings()})
    before = source.read_bytes()
    out = tmp_path / "keluaran"
    args = ["surat", str(source), "--periode", "2025-11", "--keluaran", str(out)]

    assert cli.main(args) == 0
    text = capsys.readouterr().out
    # Ani's office and Ani; Kecamatan Sirimau sent no purchase: its Camat is asked for the data, not chased.
    assert ("1 surat kepada Kepala OPD, 1 surat kepada pejabat, 1 permintaan data, 1 laporan kepada Wali Kota"
            in text)
    assert "Belum melapor (1 OPD): Kecamatan Sirimau" in text
    index = openpyxl.load_workbook(out / "Daftar-Surat-2025-11.xlsx")["Daftar Surat"]
    numbers = [r[1] for r in index.iter_rows(min_row=5, values_only=True)]
    assert len(set(numbers)) == 4  # and the laporan to the Wali Kota
    letters = sorted((out / "Surat-2025-11").glob("*.docx"))
    assert len(letters) == 4
    request = next(p for p in letters if p.name.startswith("Permintaan-Data-"))
    body = "\n".join(p.text for p in Document(str(request)).paragraphs)
    assert "belum menerima data belanja Jiku Bata bulan November 2025 dari Kecamatan Sirimau" in body
    ani = next(p for p in letters if W.NIP_ANI in p.name)
    body = "\n".join(p.text for p in Document(str(ani)).paragraphs)
    assert "Rp15.000 (lima belas ribu rupiah)" in body

    assert cli.main(args) == 0
    index = openpyxl.load_workbook(out / "Daftar-Surat-2025-11.xlsx")["Daftar Surat"]
    assert [r[1] for r in index.iter_rows(min_row=5, values_only=True)] == numbers
    assert source.read_bytes() == before  # the input is never modified


def test_a_konsep_takes_no_register_number_and_a_complete_run_numbers_from_one(tmp_path, capsys):
    """Without the signer the letters are a KONSEP: own folder, dotted number, no register row (issue 12)."""
    day = dt.date(2025, 11, 7)
    purchases = [(day, W.NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie", 5_000, "N1")]
    draft_book = W.basic(tmp_path / "konsep" / "pusat.xlsx", purchases=purchases)
    out = tmp_path / "keluaran"
    assert cli.main(["surat", str(draft_book), "--periode", "2025-11", "--keluaran", str(out)]) == 0
    text = capsys.readouterr().out
    assert "KONSEP: belum diberi nomor" in text
    drafts = sorted((out / "Surat-2025-11-KONSEP").glob("*.docx"))
    assert drafts and not (out / "Surat-2025-11").exists()
    body = "\n".join(p.text for p in Document(str(drafts[0])).paragraphs)
    assert "…………………" in body and "/2025" not in body.split("Sifat")[0]
    index = openpyxl.load_workbook(out / "Daftar-Surat-2025-11-KONSEP.xlsx")["Daftar Surat"]
    assert {r[1] for r in index.iter_rows(min_row=5, values_only=True) if r[0]} == {"KONSEP"}
    assert {r[8] for r in index.iter_rows(min_row=5, values_only=True) if r[0]} == {"KONSEP — tidak dikirim"}
    assert not (out / "Register-Surat.sqlite").exists()

    signed = W.basic(tmp_path / "final" / "pusat.xlsx", purchases=purchases,
                     extra={"Pengaturan": W.signer_settings()})
    assert cli.main(["surat", str(signed), "--periode", "2025-11", "--keluaran", str(out)]) == 0
    from jikubata.adapters.register import Register
    with Register(out) as register:
        assert [e.seq for e in register.entries("2025-11")] == list(range(1, len(drafts) + 1))
    assert len(list((out / "Surat-2025-11").glob("*.docx"))) == len(drafts)
    assert len(list((out / "Surat-2025-11-KONSEP").glob("*.docx"))) == len(drafts)  # the drafts are left as they were
    assert "Surat-2025-11-KONSEP berisi KONSEP dari sebelum penandatangan dilengkapi" in capsys.readouterr().out
