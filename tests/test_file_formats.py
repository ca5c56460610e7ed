"""Files as offices really send them (issue 11 rules 1, 8–11, 13), made by other programs.

The demo's office workbook is re-saved by LibreOffice (.xls, .ods, an Indonesian
.csv), encrypted by msoffcrypto-tool, given formulas without values by
openpyxl and error values in its sheet XML; each variant must give the same
numbers as the original, or the named problem where its data differs.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jikubata import services
from jikubata.adapters import files
from jikubata.adapters.clock import Clock
from jikubata.domain.errors import InputError
from jikubata.domain.model import Period
from jikubata.tools import demo
from tests.support.cli import jikubata_here

TODAY = dt.date(2026, 11, 28)
PERIOD = Period(2026, 11)
CLOCK = Clock.fixed(TODAY)
OFFICE = "Belanja-SETDA.xlsx"  # the first office: title rows above its header, as offices write them

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice tidak terpasang")


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("asli")
    demo.generate(folder, today=TODAY, offices=3)
    return folder


def calculate(*paths):
    return services.calculate(list(paths), PERIOD, clock=CLOCK)


def numbers(result) -> tuple:
    data = result.to_json()
    return data["pegawai"], data["opd"]


def problems(result, sheets: bool = True) -> set:
    """(file stem, sheet, cell, code) of every problem: the same for a file and its re-saved copy
    (a CSV's one sheet is named after the file: `sheets=False` leaves sheet names out)."""
    return {(Path(p.place.file).stem, p.place.sheet if sheets else "", p.place.cell, p.code) for p in result.problems}


def folder_with(tmp_path: Path, city: Path, replace: dict[str, Path]) -> Path:
    """The city's folder with some of its files replaced by others."""
    folder = tmp_path / "masukan"
    folder.mkdir()
    for f in city.glob("*.xlsx"):
        if f.name not in replace:
            shutil.copy2(f, folder / f.name)
    for new in replace.values():
        shutil.copy2(new, folder / new.name)
    return folder


# ---------------------------------------------------------------- LibreOffice re-saves

INDONESIAN_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">\
<value>id-ID</value></prop></item>
</oor:items>
"""
# CSV as an Indonesian LibreOffice saves it: `;`, UTF-8, cells as shown (07/11/2026, Rp20.000).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):59,34,76,1,,,false,true,true"


@pytest.fixture(scope="module")
def resaved(city, tmp_path_factory) -> dict[str, Path]:
    """The office workbook re-saved by LibreOffice (a machine set to Indonesian) as .xls, .ods and .csv."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice tidak terpasang")
    out = tmp_path_factory.mktemp("libreoffice")
    profile = out / "profil"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(INDONESIAN_PROFILE)
    made = {}
    for target in ("xls", "ods", CSV_FILTER):
        subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target,
                        "--outdir", str(out), str(city / OFFICE)], capture_output=True, timeout=180, check=True)
        suffix = target.split(":")[0]
        made[suffix] = out / (Path(OFFICE).stem + "." + suffix)
        assert made[suffix].exists(), target
    return made


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("kind", ["xls", "ods", "csv"])
def test_the_office_workbook_resaved_by_libreoffice_gives_the_same_numbers(tmp_path, city, resaved, kind):
    original = calculate(city)
    variant = calculate(folder_with(tmp_path, city, {OFFICE: resaved[kind]}))
    assert numbers(variant) == numbers(original)
    assert problems(variant, kind != "csv") == problems(original, kind != "csv") != set()


@pytest.mark.slow  # LibreOffice (the module's fixture)
@needs_soffice
def test_csv_in_windows_1252_with_commas_or_tabs_gives_the_same_numbers(tmp_path, city, resaved):
    text = resaved["csv"].read_text(encoding="utf-8")
    original = calculate(city)
    for delimiter, encoding, bom in ((",", "cp1252", ""), ("\t", "utf-8", "\ufeff")):
        variant = tmp_path / delimiter.strip().replace(",", "koma") / resaved["csv"].name
        variant.parent.mkdir(exist_ok=True)
        rows = [line.split(";") for line in text.splitlines()]
        quoted = [[f'"{c}"' if delimiter in c else c for c in row] for row in rows]
        variant.write_bytes((bom + "\r\n".join(delimiter.join(r) for r in quoted) + "\r\n").encode(encoding))
        result = calculate(*[p for p in city.glob("*.xlsx") if p.name != OFFICE], variant)
        assert numbers(result) == numbers(original), (delimiter, encoding)


def test_csv_cells_are_text_through_the_same_parsers(tmp_path, city):
    csv_file = tmp_path / "Belanja-Kecil.csv"
    nip = calculate(city).employees[0].nip
    csv_file.write_text("Tanggal;NIP;UMKM;Jumlah (Rp);No. Nota\n"
                        f"07/11/2026;1,99512E+17;Mie Sagu Mama Ona;Rp20.000;K1\n"
                        f"7 Nov 2026;'{nip};Mie Sagu Mama Ona;#N/A;K2\n", encoding="utf-8")
    result = calculate(city / "JikuBata-Pusat.xlsx", csv_file)
    found = {(p.place.sheet, p.place.cell, p.code) for p in result.problems if p.place.file == csv_file.name}
    assert found == {("Belanja-Kecil", "B2", "NIP_ANGKA"), ("Belanja-Kecil", "D3", "SEL_GALAT_EXCEL")}


# Texts as offices save them (plain cells, line breaks of every kind), and the characters that make a CSV
# need the csv module: quotes, carriage returns alone, NUL.
CSV_TEXT = st.lists(st.sampled_from(["a", "Rp20.000", "07/11/2026", " ", ";", ",", "\t", "\n", "\r\n", "\r", '"',
                                     "\x00", "\x0b", "\u2028", "é"]), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(CSV_TEXT, st.sampled_from([";", ",", "\t"]))
def test_csv_rows_are_the_rows_the_csv_module_reads(text, delimiter):
    import csv
    import io

    try:
        expected = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:  # NUL before Python 3.11
        with pytest.raises(files.UnreadableFile):
            files._csv_rows("x.csv", text, delimiter)
        return
    assert files._csv_rows("x.csv", text, delimiter) == expected


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["xy", "sep=;", "", "\r\n", "\n", "\r", "\u2028"]), max_size=60).map("".join),
       st.integers(1, 12), st.integers(0, 40))
def test_first_lines_are_the_first_of_all_lines(text, count, look):
    assert files._first_lines(text, count, look) == text.splitlines()[:count]


# ---------------------------------------------------------------- unreadable files


def encrypted(source: Path, target: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(source, "rb") as f, open(target, "wb") as out:
        OOXMLFile(f).encrypt("rahasia", out)
    return target


def test_password_protected_file_in_a_folder_is_reported_and_the_rest_counted(tmp_path, city):
    locked = encrypted(city / OFFICE, tmp_path / OFFICE)
    result = calculate(folder_with(tmp_path, city, {OFFICE: locked}))
    without = calculate(*[p for p in city.glob("*.xlsx") if p.name != OFFICE])
    assert numbers(result) == numbers(without)
    first = result.to_json()["masalah"][0]
    assert (first["berkas"], first["lembar"], first["sel"], first["kode"], first["tingkat"]) == \
        (OFFICE, "", "", "BERKAS_TIDAK_TERBACA", "GALAT")
    assert "dilindungi kata sandi" in first["pesan"] and "kosongkan kata sandi" in first["pesan"]


def run_cli(*args) -> subprocess.CompletedProcess:
    """A child process: what a library prints to the process's stderr itself shows there too."""
    return subprocess.run([sys.executable, "-m", "jikubata", *map(str, args)], capture_output=True, text=True,
                          timeout=300)


def test_password_protected_file_named_on_the_command_line_exits_2_with_the_reason(tmp_path, city):
    r = run_cli("periksa", encrypted(city / OFFICE, tmp_path / OFFICE))
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().splitlines() == [r.stderr.strip()]
    assert OFFICE in r.stderr and "dilindungi kata sandi" in r.stderr


SPREADSHEET_2003 = """<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Belanja"/></Workbook>
"""


def word_document(path: Path) -> Path:
    import docx

    docx.Document().save(path)
    return path


@pytest.mark.parametrize("name, make, reason", [
    ("lama.xls", lambda p: p.write_bytes(b"\x09\x00\x04\x00\x02\x00\x10\x00\x0a\x00\x00\x00"),
     "format lama yang tidak didukung (Excel 4.0"),
    ("xml2003.xls", lambda p: p.write_text(SPREADSHEET_2003), "format lama yang tidak didukung (Lembar Kerja XML 2003"),
    ("laman.xls", lambda p: p.write_text("<html><body><table><tr><td>NIP</td></tr></table></body></html>"),
     "bukan spreadsheet: isinya halaman web"),
    ("surat.xlsx", word_document, "bukan spreadsheet (dokumen Word/PowerPoint)"),
    ("potong.xlsx", None, "rusak, bukan workbook Excel yang valid (arsip zip-nya terpotong atau rusak)"),
    ("kosong.ods", lambda p: p.write_bytes(b""), "rusak, bukan workbook Excel yang valid (berkas kosong"),
])
def test_each_unreadable_file_has_its_reason_in_a_folder_and_on_the_command_line(tmp_path, city, name, make, reason):
    bad = tmp_path / "buruk" / name
    bad.parent.mkdir()
    if make is None:
        data = (city / OFFICE).read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    else:
        make(bad)
    folder = folder_with(tmp_path, city, {name: bad})
    result = calculate(folder)
    found = [p for p in result.problems if p.place.file == name]
    assert [(p.code, p.place.sheet, p.place.cell) for p in found] == [("BERKAS_TIDAK_TERBACA", "", "")]
    assert reason in found[0].message
    assert numbers(result) == numbers(calculate(city))
    with pytest.raises(InputError, match=re.escape(f"berkas {name}: ")) as named:
        calculate(bad)
    assert reason in str(named.value)


def test_no_message_carries_the_libraries_english_text(tmp_path, city):
    data = (city / OFFICE).read_bytes()
    (tmp_path / "a.xlsx").write_bytes(data[: len(data) // 2])
    r = run_cli("periksa", tmp_path / "a.xlsx")
    assert r.returncode == 2 and not re.search(r"\b(invalid|error|zip file|archive|the)\b", r.stderr, re.I), r.stderr
    debug = run_cli("periksa", "--debug", tmp_path / "a.xlsx")
    assert debug.returncode == 2 and "debug:" in debug.stderr


def test_folder_skips_lock_and_hidden_files_and_lists_the_others_as_ignored(tmp_path, city):
    folder = folder_with(tmp_path, city, {})
    (folder / "~$JikuBata-Pusat.xlsx").write_bytes(b"lock")
    (folder / ".tersembunyi.xlsx").write_bytes(b"junk")
    (folder / "catatan.txt").write_text("catatan admin")
    (folder / "foto nota.jpg").write_bytes(b"\xff\xd8\xff")
    listed = files.list_inputs([folder])
    assert sorted(f.path.name for f in listed.files) == sorted(p.name for p in city.glob("*.xlsx"))
    assert listed.ignored == ["catatan.txt", "foto nota.jpg"]
    r = jikubata_here("periksa", folder)
    assert r.returncode == 0 and "Diabaikan (2 berkas bukan spreadsheet): catatan.txt, foto nota.jpg" in r.stdout


def test_a_workbook_open_in_excel_is_a_warning_on_that_file_and_still_read(tmp_path, city):
    """Excel's `~$name.xlsx` beside an input: the edits not yet saved are not in the file (issue 19.4)."""
    folder = folder_with(tmp_path, city, {})
    (folder / f"~${OFFICE}").write_bytes(b"\x0cadmin dinkes")
    result = calculate(folder)
    (said,) = [p for p in result.problems if p.code == "BERKAS_SEDANG_DIBUKA"]
    assert (said.place.file, said.place.sheet, said.place.cell, said.severity.value) == (OFFICE, "", "", "PERINGATAN")
    assert ("sedang dibuka di Excel; perubahan yang belum disimpan tidak terbaca \u2014 simpan dan tutup, "
            "lalu ulangi") in said.message
    assert result.problems[0] is said   # a file-level problem comes first
    assert numbers(result) == numbers(calculate(city))


def test_a_file_named_on_its_own_or_open_in_libreoffice_is_said_to_be_open_too(tmp_path, city):
    folder = folder_with(tmp_path, city, {})
    (folder / ".~lock.JikuBata-Pusat.xlsx#").write_text("admin,komputer-1,01.12.2026 08:00,")
    (folder / f"~${OFFICE}").write_bytes(b"lock")
    opened = {f.path.name: f.opened_in for f in files.list_inputs([folder / OFFICE, folder]).files}
    assert opened[OFFICE] == "Excel" and opened["JikuBata-Pusat.xlsx"] == "LibreOffice"
    assert not any(opened[name] for name in opened if name not in (OFFICE, "JikuBata-Pusat.xlsx"))
    r = jikubata_here("periksa", folder / OFFICE, folder / "JikuBata-Pusat.xlsx")
    assert r.returncode == 0 and r.stdout.count("BERKAS_SEDANG_DIBUKA") == 2 and "di LibreOffice" in r.stdout


# ---------------------------------------------------------------- error values and formulas without values


def patched(source: Path, target: Path, edit) -> Path:
    """A copy of `source` whose office purchase sheet XML is changed by `edit(xml) -> xml`."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = edit(data)
            zout.writestr(info, data)
    return target


def cell_pattern(ref: str) -> re.Pattern:
    return re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)


def header_row(path: Path) -> tuple[int, dict[str, str]]:
    ws = openpyxl.load_workbook(path)["Belanja"]
    for row in ws.iter_rows(max_row=10):
        names = {c.value: c.column_letter for c in row if isinstance(c.value, str)}
        if "NIP" in names:
            return row[0].row, names
    raise AssertionError("no header")


def test_excel_error_values_are_named_in_needed_fields_and_ignored_in_optional_ones(tmp_path, city):
    header, col = header_row(city / OFFICE)
    r1, r2, r3 = header + 1, header + 2, header + 3
    errors = {f"{col['NIP']}{r1}": "#N/A", f"{col['Jumlah (Rp)']}{r2}": "#SPILL!",
              f"{col['Nama Pegawai']}{r3}": "#REF!", f"{col['Keterangan']}{r3}": "#GETTING_DATA"}

    def edit(xml: bytes) -> bytes:
        for ref, value in errors.items():
            new = f'<c r="{ref}" t="e"><f>X()</f><v>{value}</v></c>'.encode()
            xml, n = cell_pattern(ref).subn(new, xml, count=1)
            if not n:  # an empty optional cell: add it to its row
                xml = re.sub(rb'(<row r="' + ref[1:].encode() + rb'"[^>]*>)', rb"\1" + new, xml, count=1)
        return xml

    variant = patched(city / OFFICE, tmp_path / OFFICE, edit)
    result = calculate(folder_with(tmp_path, city, {OFFICE: variant}))
    found = {(p.place.cell, p.code) for p in result.problems if p.place.file == OFFICE} - \
        {(p.place.cell, p.code) for p in calculate(city).problems if p.place.file == OFFICE}
    assert found == {(f"{col['NIP']}{r1}", "SEL_GALAT_EXCEL"), (f"{col['Jumlah (Rp)']}{r2}", "SEL_GALAT_EXCEL")}
    messages = " ".join(p.message for p in result.problems if p.code == "SEL_GALAT_EXCEL")
    assert "#N/A" in messages and "#SPILL!" in messages


def test_formulas_saved_without_their_values_are_named_not_empty(tmp_path, city):
    wb = openpyxl.load_workbook(city / OFFICE)
    ws = wb["Belanja"]
    header, col = header_row(city / OFFICE)
    cell = ws[f"{col['Jumlah (Rp)']}{header + 1}"]
    cell.value = f"={int(cell.value)}"  # openpyxl saves a formula with no cached value
    variant = tmp_path / OFFICE
    wb.save(variant)
    result = calculate(folder_with(tmp_path, city, {OFFICE: variant}))
    found = [p for p in result.problems if p.code == "RUMUS_TANPA_NILAI"]
    assert [(p.place.file, p.place.cell) for p in found] == [(OFFICE, cell.coordinate)]
    assert "simpan ulang di Excel agar rumus dihitung" in found[0].message
    assert not any(p.code == "BARIS_TIDAK_LENGKAP" and p.place.cell == cell.coordinate for p in result.problems)


# ---------------------------------------------------------------- resubmissions


def saved_at(source: Path, target: Path, when: str) -> Path:
    """A copy of `source` whose own last-saved property says `when` (docProps/core.xml)."""
    def edit(core: bytes) -> bytes:
        return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + when.encode() + rb"\2", core)

    temporary = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, edit(data) if info.filename == "docProps/core.xml" else data)
    return temporary.replace(target)


def november_row(ws, header: int, col: dict) -> int:
    """The first purchase row dated in the period, with a plain amount."""
    from jikubata.domain.parse import parse_date

    for r in range(header + 1, ws.max_row + 1):
        day = parse_date(ws[f"{col['Tanggal']}{r}"].value)
        if day and Period.of(day) == PERIOD and isinstance(ws[f"{col['Jumlah (Rp)']}{r}"].value, (int, float)):
            return r
    raise AssertionError("no purchase in the period")


def test_a_resubmitted_workbook_counts_its_newest_version(tmp_path, city):
    old = tmp_path / "lama" / "Belanja-SETDA-lama.xlsx"
    old.parent.mkdir()
    wb = openpyxl.load_workbook(city / OFFICE)
    ws = wb["Belanja"]
    header, col = header_row(city / OFFICE)
    row = november_row(ws, header, col)
    changed = ws[f"{col['Jumlah (Rp)']}{row}"]
    changed.value = int(changed.value) + 5000
    wb.save(old)
    saved_at(old, old, "2026-11-10T08:00:00Z")
    newer = saved_at(city / OFFICE, tmp_path / OFFICE, "2026-11-20T08:00:00Z")
    folder = folder_with(tmp_path, city, {OFFICE: newer, "lama": old})
    # the old copy is read first (its name sorts first) and still loses to the newer one
    assert [f.path.name for f in files.list_inputs([folder]).files].index(old.name) < \
        [f.path.name for f in files.list_inputs([folder]).files].index(OFFICE)
    result = calculate(folder)
    assert numbers(result) == numbers(calculate(city))
    repeated = [p for p in result.problems if p.code == "NOTA_GANDA" and p.place.file == old.name]
    assert repeated and not any(p.code == "NOTA_GANDA" and p.place.file == OFFICE for p in result.problems)
    moved = next(p for p in repeated if p.place.cell == f"{col['No. Nota']}{row}")
    assert OFFICE in moved.message and "Bedanya: jumlah" in moved.message and "20/11/2026 17:00 WIT" in moved.message
    assert all("Isinya sama" in p.message for p in repeated if p is not moved)
    first = result.problems[0]
    assert (first.code, first.place.file, first.place.sheet, first.place.cell) == ("BERKAS_GANDA", old.name, "", "")
    assert f"versi lama dari {OFFICE}" in first.message and "simpan hanya versi terbaru" in first.message


def test_the_newer_save_wins_whatever_the_file_order(tmp_path, city):
    old = tmp_path / "a" / OFFICE.replace(".xlsx", "-revisi.xlsx")
    old.parent.mkdir()
    wb = openpyxl.load_workbook(city / OFFICE)
    header, col = header_row(city / OFFICE)
    ws = wb["Belanja"]
    row = november_row(ws, header, col)
    cell = ws[f"{col['Jumlah (Rp)']}{row}"]
    cell.value = int(cell.value) + 5000
    buyer = ws[f"{col['NIP']}{row}"].value
    wb.save(old)
    saved_at(old, old, "2026-11-25T08:00:00Z")   # the revision is newer: its amount counts
    orig = saved_at(city / OFFICE, tmp_path / OFFICE, "2026-11-01T08:00:00Z")
    result = calculate(folder_with(tmp_path, city, {OFFICE: orig, "rev": old}))
    spent = {e["nip"]: e["belanja"] for e in result.to_json()["pegawai"]}
    base = {e["nip"]: e["belanja"] for e in calculate(city).to_json()["pegawai"]}
    assert {nip: spent[nip] - base[nip] for nip in spent if spent[nip] != base[nip]} == {buyer: 5000}
    assert {p.place.file for p in result.problems if p.code == "BERKAS_GANDA"} == {OFFICE}


def test_csv_files_without_properties_compare_by_their_modification_time(tmp_path, city):
    header = "Tanggal;NIP;UMKM;Jumlah (Rp);No. Nota\n"
    nip = calculate(city).employees[0].nip
    a, b = tmp_path / "Belanja-a.csv", tmp_path / "Belanja-b.csv"
    a.write_text(header + f"07/11/2026;'{nip};Mie Sagu Mama Ona;20000;Z1\n")
    b.write_text(header + f"07/11/2026;'{nip};Mie Sagu Mama Ona;25000;Z1\n")
    os.utime(a, (1_790_000_000, 1_790_000_000))
    os.utime(b, (1_780_000_000, 1_780_000_000))
    result = calculate(city / "JikuBata-Pusat.xlsx", a, b)
    dup = [p for p in result.problems if p.code == "NOTA_GANDA"]
    assert [(p.place.file, p.place.cell) for p in dup] == [("Belanja-b.csv", "E2")]
    assert "Belanja-a.csv" in dup[0].message and "jumlah Rp25.000 di sini, Rp20.000 di sana" in dup[0].message


@pytest.mark.slow  # LibreOffice (the module's fixture)
def test_libreoffice_and_legacy_files_carry_their_own_saved_time(tmp_path, city, resaved):
    for kind in ("xls", "ods"):
        book = files.open_file(resaved[kind])
        os.utime(resaved[kind], (1_000_000_000, 1_000_000_000))  # an mtime far from the property
        again = files.open_file(resaved[kind])
        assert book.saved_at == again.saved_at and again.saved_at.year >= 2026, kind


@pytest.mark.slow
@needs_soffice
def test_error_values_computed_by_libreoffice_are_named_in_xls_and_ods(tmp_path, city):
    # openpyxl saves the formulas without values (RUMUS_TANPA_NILAI); LibreOffice computes them on
    # conversion, and its .xls and .ods hold the resulting error values (SEL_GALAT_EXCEL).
    wb = openpyxl.load_workbook(city / OFFICE)
    ws = wb["Belanja"]
    header, col = header_row(city / OFFICE)
    nip, amount = f"{col['NIP']}{header + 1}", f"{col['Jumlah (Rp)']}{header + 2}"
    ws[nip] = "=NA()"
    ws[amount] = "=1/0"
    source = tmp_path / "sumber" / OFFICE
    source.parent.mkdir()
    wb.save(source)
    expected = {"xlsx": {(nip, "RUMUS_TANPA_NILAI", ""), (amount, "RUMUS_TANPA_NILAI", "")},
                "xls": {(nip, "SEL_GALAT_EXCEL", "#N/A"), (amount, "SEL_GALAT_EXCEL", "#DIV/0!")}}
    expected["ods"] = expected["xls"]
    for kind in ("xlsx", "xls", "ods"):
        if kind == "xlsx":
            variant = source
        else:
            subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}", "--headless",
                            "--convert-to", kind, "--outdir", str(tmp_path), str(source)],
                           capture_output=True, timeout=180, check=True)
            variant = tmp_path / f"{Path(OFFICE).stem}.{kind}"
        result = calculate(city / "JikuBata-Pusat.xlsx", variant)
        found = {(p.place.cell, p.code, next((e for e in files.EXCEL_ERRORS if e in p.message), ""))
                 for p in result.problems if p.code in ("SEL_GALAT_EXCEL", "RUMUS_TANPA_NILAI", "BARIS_TIDAK_LENGKAP")
                 and p.place.cell in (nip, amount)}
        assert found == expected[kind], kind


def test_file_level_problems_come_first_in_periksa_the_summary_and_the_weekly_email(tmp_path, city):
    folder = folder_with(tmp_path, city, {OFFICE: encrypted(city / OFFICE, tmp_path / OFFICE)})
    r = jikubata_here("periksa", folder)
    assert r.returncode == 0, r.stderr
    groups = [line for line in r.stdout.splitlines() if " — " in line]
    assert groups[0] == f"{OFFICE} — berkas (1 masalah)" and len(groups) > 1
    out = tmp_path / "keluaran"
    assert jikubata_here("rekap", folder, "--periode", PERIOD, "--keluaran", out).returncode == 0
    ws = openpyxl.load_workbook(next(out.glob("Rekap-Jiku-Bata-*.xlsx")))["Masalah Data"]
    rows = [r for r in ws.iter_rows(values_only=True) if r and r[0] == 1]
    assert rows and rows[0][1:6] == (OFFICE, None, None, "GALAT", "BERKAS_TIDAK_TERBACA")
    weekly = jikubata_here("mingguan", folder, "--keluaran", out, "--per-tanggal", "2026-11-22")
    assert weekly.returncode == 0, weekly.stderr
    email = next(out.glob("mingguan/*/email.html")).read_text(encoding="utf-8")
    assert email.index(OFFICE) < email.index("Masalah data:") and "dilindungi kata sandi" in email


# ---------------------------------------------------------------- dates written month first


@pytest.mark.slow
@needs_soffice
def test_csv_saved_by_an_english_libreoffice_has_month_first_dates_and_the_same_numbers(tmp_path, city):
    """LibreOffice (or Excel) set to English saves 11/05/2026 for 5 November: read month first, said once."""
    profile = tmp_path / "profil"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(INDONESIAN_PROFILE.replace("id-ID", "en-US"))
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "csv",
                    "--outdir", str(tmp_path), str(city / OFFICE)], capture_output=True, timeout=180, check=True)
    made = tmp_path / (Path(OFFICE).stem + ".csv")
    assert re.search(r"^\d\d/(1[3-9]|2\d|3[01])/\d{4},", made.read_text(encoding="cp1252"), re.MULTILINE)  # month first
    original = calculate(city)
    variant = calculate(folder_with(tmp_path, city, {OFFICE: made}))
    assert numbers(variant) == numbers(original)
    (said,) = [p for p in variant.problems if p.code == "TANGGAL_BULAN_DULU"]
    assert said.place.file == made.name and said.place.cell.startswith("A") and "bulan/hari/tahun" in said.message


@pytest.mark.parametrize("dates, month_first", [
    (["11/05/2026", "11/06/2026", "11/24/2026", "11/25/2026"], True),  # 24 and 25 can only be days
    (["05/11/2026", "24/11/2026"], False),                  # Indonesian
    (["11/05/2026", "11/06/2026", "11/09/2026"], False),    # reads both ways: nothing says month first
    (["07/08/2026", "7-9-2026"], False),                    # the demo's text dates (7 Aug, 7 Sep)
    (["07/08/2026", "07/09/2026", "07/10/2026", "07/11/2026"], False),  # Hari Jiku Bata of four months
    (["07/11/2026"], False),                                # one date: the Indonesian rule
    (["02/11/2026", "03/11/2026", "05/13/2026"], False),    # one mistyped date turns nothing round
    (["31/02/2026", "11/24/2026", "11/25/2026"], True),     # a wrong date is evidence of nothing
    (["13/11/2026", "11/24/2026", "11/25/2026"], False),    # evidence both ways: the Indonesian rule
    (["7 November 2026", "2026-11-07"], False),             # not numeric day/month
    (["11/05/2026 08:45", "11/24/2026 9:00 AM", "11/25/2026 10.15"], True),  # with a time of day
])
def test_dates_are_read_month_first_only_on_evidence(dates, month_first):
    from jikubata.domain.intake import month_first_dates as _month_first_dates

    rows = [["Tanggal"]] + [[d] for d in dates]
    found = _month_first_dates(rows, 1, 0)
    assert (found is not None) == month_first
    if found:
        verdicts, _ = found
        assert all(verdicts[d] is None or verdicts[d].month == int(d[:2]) for d in dates if d[2] == "/")


# ---------------------------------------------------------------- exports of other systems (issue 19.3)


def _guarded_csv(path: Path, rows: list[list[str]]) -> Path:
    header = ["Tanggal", "NIP", "UMKM", "Jumlah (Rp)", "No. Nota"]
    path.write_text("\r\n".join(";".join(r) for r in [header] + rows) + "\r\n", encoding="utf-8")
    return path


def test_csv_dates_with_a_time_of_day_and_nips_guarded_as_formulas_read_as_written(tmp_path, city):
    """What payment systems export: `05/11/2026 08:45`, `05/11/2026 08.45`, `2026-11-05 08:45:00`, and the NIP
    as `="…"` so that Excel keeps its 18 digits."""
    central = city / "JikuBata-Pusat.xlsx"
    nip = next(e.nip for e in calculate(central).employees if len(e.nip) == 18)
    made = _guarded_csv(tmp_path / "Ekspor-Kasir.csv", [
        ["05/11/2026 08:45", f'="{nip}"', "Mie Sagu Mama Ona", "20000", "K-1"],
        ["06/11/2026 08.45", f'="{nip}"', "Mie Sagu Mama Ona", "15000", "K-2"],
        ["2026-11-07 08:45:00", f'"=""{nip}"""', "Mie Sagu Mama Ona", "5000", "K-3"]])
    result = calculate(central, made)
    assert [p for p in result.problems if p.place.file == made.name] == []
    assert next(e.spent for e in result.employees if e.nip == nip) == 40000
    assert files.open_file(made).sheets[0].rows[1][1] == nip


@pytest.mark.slow
@needs_soffice
def test_csv_written_by_libreoffice_with_times_and_guarded_nips_reads_the_same(tmp_path, city):
    """LibreOffice saves date-time cells as `05/11/2026 08:45` (Indonesian) and keeps a cell holding `="…"`."""
    central = city / "JikuBata-Pusat.xlsx"
    nip = next(e.nip for e in calculate(central).employees if len(e.nip) == 18)
    source = tmp_path / "Ekspor-Kasir.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Belanja"
    ws.append(["Tanggal", "NIP", "UMKM", "Jumlah (Rp)", "No. Nota"])
    for i, (moment, number_format) in enumerate([(dt.datetime(2026, 11, 5, 8, 45), "DD/MM/YYYY HH:MM"),
                                                 (dt.datetime(2026, 11, 6, 8, 45), "DD/MM/YYYY HH.MM"),
                                                 (dt.datetime(2026, 11, 7, 8, 45), "YYYY-MM-DD HH:MM:SS")]):
        ws.append([moment, f'="{nip}"', "Mie Sagu Mama Ona", 10000 + i, f"K-{i}"])
        ws.cell(i + 2, 1).number_format = number_format
        ws.cell(i + 2, 2).data_type = "s"   # the text `="…"`, as a system writes it, not a formula
    wb.save(source)
    profile = tmp_path / "profil"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(INDONESIAN_PROFILE)
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", CSV_FILTER,
                    "--outdir", str(tmp_path / "lo"), str(source)], capture_output=True, timeout=180, check=True)
    made = tmp_path / "lo" / "Ekspor-Kasir.csv"
    text = made.read_text(encoding="utf-8")
    # (Indonesian LibreOffice writes the HH.MM of a format as 08,45: its decimal separator)
    assert "05/11/2026 08:45" in text and re.search("06/11/2026 08[.,]45", text) and "2026-11-07 08:45:00" in text
    assert f'=""{nip}""' in text   # LibreOffice quotes the guard: "=""198…"""
    result = calculate(central, made)
    assert [p for p in result.problems if p.place.file == made.name] == []
    assert next(e.spent for e in result.employees if e.nip == nip) == 30003


# ---------------------------------------------------------------- a CSV at the cap (issue 20 point 4)

from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402


@hsettings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab;\"\r\n\x0c\u2028", max_size=60), st.integers(1, 8))
def test_csv_text_is_split_into_the_same_lines_a_piece_at_a_time(text, chunk):
    import io

    from jikubata.adapters import files

    old = files._LINES_CHUNK
    files._LINES_CHUNK = chunk  # pieces of a few characters: every boundary is met
    try:
        assert list(files._text_lines(text)) == list(io.StringIO(text, newline=""))
    finally:
        files._LINES_CHUNK = old
