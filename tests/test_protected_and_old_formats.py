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


# ---------------------------------------------------------------- .xlsb


def test_an_xlsb_saved_by_excel_opens_with_its_cells_and_saved_time(tmp_path, city):
    real = DATA / "xlsb" / "date_field.xlsb"
    book = files.open_file(real)
    assert book.kind == "xlsb"
    assert book.saved_at == dt.datetime(2018, 8, 3, 15, 40, 48, tzinfo=dt.timezone.utc)  # docProps/core.xml
    sheets = {s.name: s.rows for s in book.sheets}
    assert list(sheets) == ["Sheet1", "Sheet2", "Sheet3"]
    assert sheets["Sheet1"][:2] == [["Date", "Time"], [dt.date(2014, 12, 25), dt.time(11, 11, 11)]]
    # in a folder: read, no table in it, said so; the rest as before
    folder = folder_with(tmp_path, city, {real.name: real})
    result = calculate(folder)
    assert [p.code for p in result.problems if p.place.file == real.name] == ["BERKAS_TANPA_DATA"]
    assert numbers(result) == numbers(calculate(city))


def test_purchases_saved_as_xlsb_give_the_same_numbers(tmp_path):
    from pyxlsbwriter import XlsbWriter

    expected = figures(original(tmp_path))
    office = tmp_path / "xlsb" / "dinkes.xlsb"
    office.parent.mkdir()
    width = max(len(r) for r in TITLED)
    with XlsbWriter(str(office)) as writer:
        writer.add_sheet("Data Belanja")
        writer.write_sheet([r + [None] * (width - len(r)) for r in TITLED])
    with zipfile.ZipFile(office) as zf:
        assert "xl/workbook.bin" in zf.namelist() and "xl/worksheets/sheet1.bin" in zf.namelist()
    j = run(office_folder(tmp_path, office))
    assert figures(j) == expected and j["masalah"] == []
    assert {"berkas": "dinkes.xlsb", "lembar": "Data Belanja", "peran": "belanja", "baris": len(BUYS)} in j["dibaca"]


# ---------------------------------------------------------------- .xls and .ods saved with a password


def _uno_missing() -> str:
    if shutil.which("soffice") is None:
        return "LibreOffice tidak terpasang"
    python = shutil.which("python3", path="/usr/bin")
    if python is None or subprocess.run([python, "-c", "import uno"], capture_output=True).returncode != 0:
        return "python3-uno (UNO LibreOffice untuk Python sistem) tidak terpasang"
    return ""


needs_uno = pytest.mark.skipif(bool(_uno_missing()), reason=_uno_missing() or "-")
LO_FILTERS = {"xls": "MS Excel 97", "ods": "calc8"}


@pytest.fixture(scope="module")
def locked(city, tmp_path_factory) -> dict[str, Path]:
    """The office workbook saved by LibreOffice as .xls and .ods with the password `rahasia`."""
    out = tmp_path_factory.mktemp("sandi")
    made = {}
    for suffix, filter_name in LO_FILTERS.items():
        target = out / (Path(OFFICE).stem + "." + suffix)
        subprocess.run(["/usr/bin/python3", str(Path(__file__).parent / "support" / "lo_password.py"),
                        str(city / OFFICE), str(target), filter_name, "rahasia"],
                       check=True, capture_output=True, timeout=240)
        made[suffix] = target
    return made


@pytest.mark.slow
@needs_uno
@pytest.mark.parametrize("suffix", list(LO_FILTERS))
def test_xls_and_ods_saved_with_a_password_say_kata_sandi_and_the_rest_is_counted(tmp_path, city, locked, suffix):
    name = locked[suffix].name
    result = calculate(folder_with(tmp_path, city, {OFFICE: locked[suffix]}))
    message = unreadable(result, name)
    assert "dilindungi kata sandi" in message and "kosongkan kata sandi" in message
    assert numbers(result) == numbers(calculate(*[p for p in city.glob("*.xlsx") if p.name != OFFICE]))
    r = run_cli("periksa", locked[suffix])
    assert r.returncode == 2 and r.stdout == "" and name in r.stderr and "kata sandi" in r.stderr


@pytest.mark.slow
@needs_uno
def test_the_password_files_are_really_encrypted_and_hold_the_office_data(tmp_path, city, locked):
    """Not a mark only: the .ods content is ciphertext; the .xls, decrypted with its password, gives the
    office's numbers again."""
    import msoffcrypto

    with zipfile.ZipFile(locked["ods"]) as zf:
        assert b"encryption-data" in zf.read("META-INF/manifest.xml")
        assert not zf.read("content.xml").lstrip().startswith(b"<")
    opened = tmp_path / "terbuka" / (Path(OFFICE).stem + ".xls")
    opened.parent.mkdir()
    with open(locked["xls"], "rb") as f, open(opened, "wb") as out:
        office = msoffcrypto.OfficeFile(f)
        office.load_key(password="rahasia")
        office.decrypt(out)
    assert numbers(calculate(folder_with(tmp_path, city, {OFFICE: opened}))) == numbers(calculate(city))
