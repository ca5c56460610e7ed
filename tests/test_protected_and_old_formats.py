"""Issue 11 rules 1 and 8: formats that had no writer here — Excel 95 (BIFF5), .xlsb, and .xls/.ods saved with a
password by LibreOffice — read to the same numbers, or named as BERKAS_TIDAK_TERBACA with the reason.

- Excel 95: LibreOffice only imports it (its "MS Excel 95" filter has no export), xlwt writes BIFF8; the
  files are written by `tests/support/biff5.py`, which LibreOffice reads back to the same cells.
- .xlsb: `tests/data/xlsb/date_field.xlsb` was saved by Microsoft Excel (from pyexcel-xlsbr's test
  fixtures, BSD licence beside it); our own purchases are written as .xlsb by pyxlsbwriter.
- Passwords: LibreOffice stores a file with a `Password` through UNO (`tests/support/lo_password.py`, run by
  the system Python that has LibreOffice's `uno`).
"""
from __future__ import annotations

import datetime as dt
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from jikubata.adapters import files
from jikubata.domain.errors import InputError
from tests.support import biff5
from tests.test_file_formats import OFFICE, calculate, city, folder_with, numbers, run_cli  # noqa: F401 (fixture)
from tests.test_office_variants import BUYS, central, figures, original, run, template_purchases

DATA = Path(__file__).parent / "data"
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice tidak terpasang")
TITLED = [["BELANJA JIKU BATA — Dinas Kesehatan"], ["Bulan: November 2026"]] + template_purchases()


def office_folder(tmp_path: Path, office: Path) -> Path:
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    shutil.copy(office, folder / office.name)
    return folder


def unreadable(result, name: str) -> str:
    found = [p for p in result.problems if p.place.file == name]
    assert [(p.code, p.place.sheet, p.place.cell) for p in found] == [("BERKAS_TIDAK_TERBACA", "", "")]
    return found[0].message


# ---------------------------------------------------------------- Excel 5.0/95 (BIFF5)


def test_an_excel_95_workbook_gives_the_same_numbers(tmp_path):
    expected = figures(original(tmp_path))
    office = biff5.write_biff5(tmp_path / "b5" / "dinkes.xls", {"Belanja": TITLED, "Catatan": [["apa saja"]]})
    book = files.open_file(office)
    assert book.kind == "xls" and [s.name for s in book.sheets] == ["Belanja", "Catatan"]
    j = run(office_folder(tmp_path, office))
    assert figures(j) == expected and j["masalah"] == []
    assert {"berkas": "dinkes.xls", "lembar": "Belanja", "peran": "belanja", "baris": len(BUYS)} in j["dibaca"]


@pytest.mark.slow
@needs_soffice
def test_libreoffice_reads_our_excel_95_files_to_the_same_cells(tmp_path):
    """The writer's files are real Excel 95 workbooks: LibreOffice (a reader of its own) opens them."""
    office = biff5.write_biff5(tmp_path / "dinkes.xls", {"Belanja": TITLED})
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"), str(office)],
                   check=True, capture_output=True, timeout=180)
    ws = openpyxl.load_workbook(tmp_path / "lo" / "dinkes.xlsx")["Belanja"]
    cells = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    expected = [[dt.datetime.combine(c, dt.time()) if isinstance(c, dt.date) else c for c in row] for row in TITLED]
    assert [[c for c in row[:len(want)]] for row, want in zip(cells, expected)] == expected


def test_an_excel_95_workbook_that_cannot_be_read_is_format_lama(tmp_path, city):
    stream = biff5.book_stream({"Belanja": TITLED})
    bad = tmp_path / "buruk" / "lama.xls"
    bad.parent.mkdir()
    bad.write_bytes(biff5.compound_file("Book", stream[:len(stream) // 2]))  # its sheet cut off halfway
    result = calculate(folder_with(tmp_path, city, {"lama.xls": bad}))
    assert "format lama yang tidak didukung (Excel 5.0/95)" in unreadable(result, "lama.xls")
    assert numbers(result) == numbers(calculate(city))
    with pytest.raises(InputError, match=r"berkas lama\.xls: format lama yang tidak didukung"):
        calculate(bad)


def with_filepass(stream: bytes) -> bytes:
    """The stream with the FILEPASS record Excel 95 writes after BOF when a password is set (its content is
    not obfuscated: a reader must stop at the record), the sheet offsets moved past it."""
    filepass = struct.pack("<HHHH", 0x002F, 4, 0x1234, 0xABCD)
    bof_end = 4 + struct.unpack_from("<H", stream, 2)[0]
    out = bytearray(stream[:bof_end] + filepass + stream[bof_end:])
    at = 0
    while at + 4 <= len(out):
        kind, size = struct.unpack_from("<HH", out, at)
        if kind == 0x0085:
            struct.pack_into("<I", out, at + 4, struct.unpack_from("<I", out, at + 4)[0] + len(filepass))
        if kind == 0x000A:
            break
        at += 4 + size
    return bytes(out)


def test_an_excel_95_workbook_with_a_password_says_kata_sandi(tmp_path, city):
    locked = tmp_path / "sandi" / "sandi95.xls"
    locked.parent.mkdir()
    locked.write_bytes(biff5.compound_file("Book", with_filepass(biff5.book_stream({"Belanja": TITLED}))))
    result = calculate(folder_with(tmp_path, city, {"sandi95.xls": locked}))
    assert "dilindungi kata sandi" in unreadable(result, "sandi95.xls")
    assert numbers(result) == numbers(calculate(city))


def pointing_outside(stream: bytes) -> bytes:
    out = bytearray(stream)
    at = out.index(struct.pack("<H", 0x0085))
    struct.pack_into("<I", out, at + 4, 9_999_999)
    return bytes(out)


def test_a_sheet_list_pointing_outside_the_file_is_rusak_not_a_crash(tmp_path, city):
    """calamine 0.9.1 panics on it (a Rust panic is no Exception): refused before, reported as damaged."""
    bad = tmp_path / "buruk" / "luar.xls"
    bad.parent.mkdir()
    bad.write_bytes(biff5.compound_file("Book", pointing_outside(biff5.book_stream({"Belanja": TITLED}))))
    result = calculate(folder_with(tmp_path, city, {"luar.xls": bad}))
    assert "rusak" in unreadable(result, "luar.xls")
    assert numbers(result) == numbers(calculate(city))


@pytest.mark.slow
@needs_soffice
def test_an_excel_97_sheet_list_pointing_outside_the_file_is_rusak_not_a_crash(tmp_path, city):
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}", "--headless",
                    "--convert-to", "xls", "--outdir", str(tmp_path / "lo"), str(city / OFFICE)],
                   check=True, capture_output=True, timeout=180)
    import olefile

    source = tmp_path / "lo" / (Path(OFFICE).stem + ".xls")
    with olefile.OleFileIO(str(source)) as ole:
        stream = ole.openstream("Workbook").read()
    at = stream.index(struct.pack("<H", 0x0085))
    data = source.read_bytes()
    record = stream[at:at + 8]
    assert data.count(record) == 1
    bad = tmp_path / "buruk" / "luar97.xls"
    bad.parent.mkdir()
    bad.write_bytes(data.replace(record, record[:4] + struct.pack("<I", 9_999_999)))
    result = calculate(folder_with(tmp_path, city, {"luar97.xls": bad}))
    assert "rusak" in unreadable(result, "luar97.xls")
    r = run_cli("periksa", bad)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "panicked" not in r.stderr
    assert "luar97.xls" in r.stderr and "rusak" in r.stderr
