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
from tests.test_office_variants import (BUYS, CLOCK, PEOPLE, SELLERS, TEMPLATE_HEADER, central, figures, original,
                                        problems, run, template_purchases)
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


def test_the_same_row_outside_a_table_or_under_a_hidden_total_row_is_still_incomplete(tmp_path):
    """Without a table (or with its Total Row turned off) that last row is an incomplete purchase."""
    rows = template_purchases() + [purchases_totals(False)]
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
