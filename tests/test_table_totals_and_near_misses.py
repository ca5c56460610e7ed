"""Issue 11 rules 2, 3 and 12: an Excel Table's totals row, and sheets one or two columns short of a table.

Workbooks are built with openpyxl (an independent writer); the Excel Tables
also go through a LibreOffice round trip, which computes their SUBTOTALs.
"""
import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from jikubata import services
from jikubata.adapters import files
from tests.test_office_variants import (BUYS, CLOCK, PEOPLE, SELLERS, central, figures, original, problems,
                                        run, template_purchases)
from tests.support.workbooks import write

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice tidak terpasang")
ROSTER = [["NIP", "Nama", "Jabatan", "Eselon", "OPD"]] + [list(p) for p in PEOPLE]


def with_table(path: Path, sheet: str, rows: list, totals: list | None, *, at: str = "A1",
               count: int | None = None) -> Path:
    """`rows` (header first) as an Excel Table at `at`; `totals` is its totals row (no label unless given),
    shown when `count` (the table's totalsRowCount) is not 0."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    col0 = openpyxl.utils.column_index_from_string("".join(c for c in at if c.isalpha()))
    row0 = int("".join(c for c in at if c.isdigit()))
    body = rows + ([totals] if totals is not None else [])
    for i, row in enumerate(body):
        for j, value in enumerate(row):
            if value is not None:
                cell = ws.cell(row=row0 + i, column=col0 + j, value=value)
                if isinstance(value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
    shown = (1 if totals is not None else 0) if count is None else count
    ref = f"{at}:{get_column_letter(col0 + len(rows[0]) - 1)}{row0 + len(body) - 1}"
    table = Table(displayName="Tabel1", ref=ref, totalsRowCount=shown or None,
                  totalsRowShown=True if totals is not None else False)
    table.tableColumns = [TableColumn(id=k + 1, name=str(h)) for k, h in enumerate(rows[0])]
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def purchases_totals(formulas: bool) -> list:
    """Excel's Total Row on our template: SUBTOTAL of the amounts, a count of the notas (Excel's default on
    a last column of text), no label."""
    if formulas:
        return [None, None, None, None, None, "=SUBTOTAL(109,Tabel1[Jumlah (Rp)])", "=SUBTOTAL(103,Tabel1[No. Nota])"]
    return [None, None, None, None, None, sum(p * q for *_, p, q, _ in BUYS), len(BUYS)]


def folder_with_purchases(tmp_path: Path, make) -> Path:
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    make(folder / "dinkes.xlsx")
    return folder


# ---------------------------------------------------------------- rule 12: an Excel Table's totals row


@pytest.mark.parametrize("formulas", [False, True], ids=["nilai", "rumus-tanpa-nilai"])
@pytest.mark.parametrize("at", ["A1", "C4"])
def test_an_excel_tables_totals_row_without_a_label_is_skipped_without_a_problem(tmp_path, formulas, at):
    expected = figures(original(tmp_path))
    folder = folder_with_purchases(tmp_path, lambda p: with_table(p, "Sheet1", template_purchases(),
                                                                  purchases_totals(formulas), at=at))
    j = run(folder)
    assert figures(j) == expected and j["masalah"] == []
    assert {"berkas": "dinkes.xlsx", "lembar": "Sheet1", "peran": "belanja", "baris": len(BUYS)} in j["dibaca"]


def test_a_row_like_it_outside_a_table_or_under_a_hidden_total_row_is_still_incomplete(tmp_path):
    """Without a table (or with its Total Row turned off) such a row is an incomplete purchase, unless its
    amount is the sum of the amounts above it (a totals row of a table saved as .xls/.ods/.csv, below)."""
    not_the_sum = purchases_totals(False)
    not_the_sum[5] -= 1000
    rows = template_purchases() + [not_the_sum]
    last = f"A{len(rows)}"
    folder = folder_with_purchases(tmp_path, lambda p: write(p, {"Sheet1": rows}))
    assert problems(run(folder)) == [("BARIS_TIDAK_LENGKAP", "dinkes.xlsx", "Sheet1", last)]
    hidden = tmp_path / "hidden"
    central(hidden / "pusat.xlsx")
    with_table(hidden / "dinkes.xlsx", "Sheet1", rows, None)  # the row is inside the table, no Total Row
    assert problems(run(hidden)) == [("BARIS_TIDAK_LENGKAP", "dinkes.xlsx", "Sheet1", last)]


def test_a_table_totals_row_holding_a_whole_purchase_is_still_read(tmp_path):
    """The totals row is skipped only where a required field is blank: a purchase typed into it is kept."""
    expected = figures(original(tmp_path))
    rows = template_purchases()
    folder = folder_with_purchases(tmp_path, lambda p: with_table(p, "Belanja", rows[:-1], rows[-1]))
    j = run(folder)
    assert figures(j) == expected and j["masalah"] == []


def test_roster_and_lists_as_excel_tables_with_totals_rows(tmp_path):
    """Excel's defaults: the label `Total` in the first column, a count in the last (the name column of a
    one-column list)."""
    expected = figures(original(tmp_path))
    folder = tmp_path / "v"
    with_table(folder / "pegawai.xlsx", "Pegawai", ROSTER, ["Total", None, None, None, len(PEOPLE)])
    with_table(folder / "umkm.xlsx", "Daftar UMKM", [["Nama UMKM"]] + [[s] for s in SELLERS], [len(SELLERS)])
    with_table(folder / "opd.xlsx", "OPD", [["Nama OPD", "Singkatan"], ["Sekretariat Daerah", "SETDA"],
                                            ["Dinas Kesehatan", "DINKES"]], ["Total", 2])
    write(folder / "dinkes.xlsx", {"Belanja": template_purchases()})
    j = run(folder)
    assert figures(j) == expected and j["masalah"] == []
    read = {(d["berkas"], d["peran"]): d["baris"] for d in j["dibaca"]}
    assert read == {("pegawai.xlsx", "pegawai"): len(PEOPLE), ("umkm.xlsx", "umkm"): len(SELLERS),
                    ("opd.xlsx", "opd"): 2, ("dinkes.xlsx", "belanja"): len(BUYS)}


def test_table_totals_rows_are_read_from_the_tables_of_each_sheet(tmp_path):
    path = with_table(tmp_path / "t.xlsx", "Sheet1", template_purchases(), purchases_totals(True), at="C4")
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("Kosong")
    wb.save(path)
    book = files.open_file(path)
    sheets = {s.name: s for s in book.sheets}
    last = len(template_purchases())  # the totals row, counted from the table's header row (calamine's start)
    assert sheets["Sheet1"].totals == frozenset({last}) and (sheets["Sheet1"].row0, sheets["Sheet1"].col0) == (3, 2)
    assert "Kosong" not in sheets or sheets["Kosong"].totals == frozenset()


@pytest.mark.slow
@needs_soffice
def test_a_table_resaved_by_libreoffice_keeps_its_totals_row_and_the_same_numbers(tmp_path):
    expected = figures(original(tmp_path))
    source = with_table(tmp_path / "src" / "dinkes.xlsx", "Sheet1", template_purchases(), purchases_totals(True))
    out = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    resaved = out / "dinkes.xlsx"
    with zipfile.ZipFile(resaved) as zf:  # LibreOffice kept the table, its Total Row and computed the sums
        (table,) = [n for n in zf.namelist() if n.startswith("xl/tables/")]
        assert b'totalsRowCount="1"' in zf.read(table)
        assert b"<v>" + str(sum(p * q for *_, p, q, _ in BUYS)).encode() + b"</v>" in zf.read("xl/worksheets/sheet1.xml")
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    shutil.copy(resaved, folder / "dinkes.xlsx")
    j = run(folder)
    assert figures(j) == expected and j["masalah"] == []


# ---------------------------------------------------------------- rules 2–3: a table with a column missing


def without(rows: list, *headers: str) -> list:
    keep = [k for k, h in enumerate(rows[0]) if h not in headers]
    return [[r[k] for k in keep] for r in rows]


def renamed(rows: list, old: str, new: str) -> list:
    return [[new if h == old else h for h in rows[0]]] + rows[1:]


NEAR_ROSTERS = {  # sheet rows, the columns the problem must name
    "tanpa Eselon, OPD ditulis Nama OPD": (renamed(without(ROSTER, "Eselon"), "OPD", "Nama OPD"), ["Eselon"]),
    "tanpa Eselon dan Jabatan": (without(ROSTER, "Eselon", "Jabatan"), ["Jabatan", "Eselon"]),
    "tanpa NIP": (without(ROSTER, "NIP"), ["NIP"]),
    "tanpa NIP, OPD ditulis Nama OPD": (renamed(without(ROSTER, "NIP"), "OPD", "Nama OPD"), ["NIP"]),
    "tanpa Nama": (without(ROSTER, "Nama"), ["Nama"]),
    "tanpa OPD": (without(ROSTER, "OPD"), ["OPD"]),
}
NEAR_PURCHASES = {
    "tanpa No. Nota": (without(template_purchases(), "No. Nota"), ["No. Nota"]),
    "tanpa Tanggal": (without(template_purchases(), "Tanggal"), ["Tanggal"]),
    "tanpa NIP": (without(template_purchases(), "NIP"), ["NIP"]),
    "tanpa NIP, UMKM ditulis Nama UMKM": (renamed(without(template_purchases(), "NIP"), "UMKM", "Nama UMKM"), ["NIP"]),
    "tanpa UMKM": (without(template_purchases(), "UMKM"), ["UMKM"]),
    "tanpa Jumlah (Rp)": (without(template_purchases(), "Jumlah (Rp)"), ["Jumlah (Rp)"]),
    "tanpa Tanggal dan No. Nota": (without(template_purchases(), "Tanggal", "No. Nota"), ["Tanggal", "No. Nota"]),
}


@pytest.mark.parametrize("case", [*NEAR_ROSTERS, *(f"belanja {k}" for k in NEAR_PURCHASES)])
@pytest.mark.parametrize("beside", [False, True], ids=["sendiri", "di-samping-tabel-lain"])
def test_a_table_missing_a_column_is_named_in_a_problem_never_read_as_another_or_passed_over(tmp_path, case,
                                                                                           beside):
    """Under any sheet name, alone in its file or beside a table that is read."""
    rows, missing = NEAR_PURCHASES[case[8:]] if case.startswith("belanja ") else NEAR_ROSTERS[case]
    role = "belanja" if case.startswith("belanja ") else "pegawai"
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    sheets = {"Sheet1": rows}
    if beside:
        sheets["Belanja"] = template_purchases()
    write(folder / "x.xlsx", sheets)
    if not beside:
        write(folder / "dinkes.xlsx", {"Belanja": template_purchases()})
    data = services.check([folder], clock=CLOCK)
    ours = [(p.code, p.place.sheet, p.place.cell) for p in data.problems if p.place.file == "x.xlsx"]
    assert ours == [("KOLOM_HILANG", "Sheet1", "A1")], ours
    (message,) = [p.message for p in data.problems if p.place.file == "x.xlsx"]
    assert message.startswith("Kolom wajib tidak ditemukan: " + ", ".join(missing) + "."), message
    (fate,) = [s for s in data.sheets if s.file == "x.xlsx" and s.sheet == "Sheet1"]
    assert fate.role == role and fate.skipped
    # nothing of it was taken for a list of offices or UMKM
    assert sorted(o.name for o in data.offices) == ["Dinas Kesehatan", "Sekretariat Daerah"]
    assert sorted(s.name for s in data.sellers) == sorted(SELLERS)
    assert len(data.employees) == len(PEOPLE)


@pytest.mark.parametrize("rows", [
    [["Tanggal", "Catatan"], [dt.date(2026, 11, 7), "rapat"]],
    [["NIP", "Nama"], [PEOPLE[2][0], PEOPLE[2][1]]],  # half a roster: a list of people, no more
    [["Nama UMKM", "Pemilik", "Jenis Produk", "Kontak"], [SELLERS[0], "Ona", "Mie", "0812"]],
    [["Nama OPD", "Singkatan", "Nama Kepala", "NIP Kepala"], ["Dinas Kesehatan", "DINKES", "Budi", PEOPLE[3][0]]],
], ids=["catatan", "nip-nama", "daftar-umkm", "daftar-opd"])
def test_sheets_far_from_a_roster_or_purchases_are_not_reported_as_one(tmp_path, rows):
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    write(folder / "dinkes.xlsx", {"Belanja": template_purchases(), "Sheet2": rows})
    data = services.check([folder], clock=CLOCK)
    assert [p.code for p in data.problems] == []
    (fate,) = [s for s in data.sheets if s.sheet == "Sheet2"]
    assert fate.role in (None, "umkm", "opd")


def test_a_hand_typed_total_row_under_a_list_is_no_entry_but_a_name_like_jumlah_jaya_is(tmp_path):
    """Rule 12 for the OPD and UMKM lists outside an Excel Table: `Jumlah` / `TOTAL:` with a count beside
    it sums the list; a seller whose name only starts with the word is a seller."""
    expected = figures(original(tmp_path))
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    write(folder / "dinkes.xlsx", {"Belanja": template_purchases()})
    write(folder / "umkm.xlsx", {"Daftar UMKM": [["Nama UMKM", "Pemilik"]] + [[s, "Ibu Contoh"] for s in SELLERS]
                                 + [["Jumlah Jaya Kios", "Bapak Contoh"], ["Jumlah:", len(SELLERS) + 1],
                                    ["Jumlah UMKM", len(SELLERS) + 1], ["Jumlah", f"{len(SELLERS) + 1} UMKM"]]})
    write(folder / "opd.xlsx", {"OPD": [["Nama OPD", "Singkatan"], ["Sekretariat Daerah", "SETDA"],
                                        ["Dinas Kesehatan", "DINKES"], ["TOTAL", 2], ["Jumlah OPD", "2 OPD"]]})
    j = run(folder)
    assert figures(j) == expected
    read = {(d["berkas"], d["peran"]): d["baris"] for d in j["dibaca"]}
    assert read[("umkm.xlsx", "umkm")] == len(SELLERS) + 1 and read[("opd.xlsx", "opd")] == 2
    assert not [p for p in j["masalah"] if p["berkas"] in ("umkm.xlsx", "opd.xlsx")]


@needs_soffice
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["xls", "ods", "csv"])
def test_a_table_totals_row_saved_as_xls_ods_or_csv_is_still_no_purchase(tmp_path, kind):
    """The Table is gone once saved as .xls/.ods/.csv; its Total Row stays as a row with no date, NIP or
    UMKM whose amount is the sum of the amounts above it: skipped, without a problem (review of issue 11)."""
    expected = figures(original(tmp_path))
    source = with_table(tmp_path / "x" / "dinkes.xlsx", "Belanja", template_purchases(), purchases_totals(False))
    from tests.test_file_formats import CSV_FILTER, INDONESIAN_PROFILE

    profile = tmp_path / "profil"  # an Indonesian office's LibreOffice (day-first dates in the CSV)
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(INDONESIAN_PROFILE)
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                    CSV_FILTER if kind == "csv" else kind, "--outdir", str(tmp_path / "v"), str(source)],
                   capture_output=True, timeout=180, check=True)
    central(tmp_path / "v" / "pusat.xlsx")
    j = run(tmp_path / "v")
    assert figures(j) == expected and j["masalah"] == []


def test_a_row_with_only_an_amount_that_is_no_sum_is_still_incomplete(tmp_path):
    rows = template_purchases()
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    write(folder / "dinkes.xlsx", {"Belanja": rows + [[None, None, None, None, None, 12345, None]]})
    assert [p["kode"] for p in run(folder)["masalah"]] == ["BARIS_TIDAK_LENGKAP"]


def test_subtotals_per_person_and_the_grand_total_are_skipped_but_a_row_with_a_name_is_reported(tmp_path):
    """Review of issue 11: subtotals (since the last total) and the grand total are no purchases; a row that
    holds anything besides an amount and a count (a name, a product) is an incomplete purchase."""
    rows = template_purchases()
    header, body = rows[0], rows[1:]
    amount = header.index("Jumlah (Rp)")
    blank = [None] * len(header)

    def total(value):
        row = list(blank)
        row[amount] = value
        return row

    first, rest = body[:2], body[2:]
    sub1, sub2 = sum(r[amount] for r in first), sum(r[amount] for r in rest)
    with_subtotals = [header, *first, total(sub1), *rest, total(sub2), total(sub1 + sub2)]
    expected = figures(original(tmp_path))
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    write(folder / "dinkes.xlsx", {"Belanja": with_subtotals})
    j = run(folder)
    assert figures(j) == expected and j["masalah"] == []

    named = list(blank)
    named[amount], named[header.index("Nama Pegawai")] = body[0][amount], "Drs. Eli Waluyo"
    write(folder / "dinkes.xlsx", {"Belanja": [header, body[0], named, *body[1:]]})
    assert [p["kode"] for p in run(folder)["masalah"]] == ["BARIS_TIDAK_LENGKAP"]
