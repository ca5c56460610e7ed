"""Issue 22 through files: sellers' forms made, filled, sent back (as .xlsx, .ods, CSV, twice) and reconciled.

Office claims come from the same central workbook and forms as test_forms; the
sellers' books are our forms filled through openpyxl, or saved again by
LibreOffice as .ods and CSV, or typed by a seller in a layout of their own.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from jikubata import services
from jikubata.adapters import forms, seller_forms
from jikubata.adapters.clock import Clock
from jikubata.entrypoints import cli
from tests.support.workbooks import write
from tests.test_forms import (ANI, BUDI, CICI, CLOCK, DINKES, EKO, GENERATED, KOPI, PERIOD, SAGU, central,
                              set_saved, type_into)

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
COLUMN = {key: j + 1 for j, (_, key, _) in enumerate(seller_forms.COLUMNS)}


def day(d: int, m: int = 11) -> dt.date:
    return dt.date(2026, m, d)


@pytest.fixture
def made(tmp_path):
    """The central workbook, an office's claims, and the sellers' forms `formulir --penjual` made."""
    pusat = central(tmp_path / "masukan" / "JikuBata-Pusat.xlsx")
    write(tmp_path / "masukan" / "dinkes.xlsx", {"Belanja": [
        ["Tanggal", "NIP", "UMKM", "Jumlah (Rp)", "No. Nota"],
        [day(7), ANI, KOPI, 15000, "K-001"],       # in Kopi's book
        [day(8), BUDI, KOPI, 60000, "K-002"],      # Kopi's book says 50000
        [day(9), BUDI, KOPI, 40000, "K-003"],      # not in Kopi's book
        [day(9), CICI, SAGU, 12000, "S-1"],        # Sagu sent no book
    ]})
    outcome = services.write_seller_forms([pusat], tmp_path / "formulir-penjual", PERIOD,
                                          clock=Clock.fixed(GENERATED))
    return pusat, {seller.name: path for seller, path in outcome.written}


KOPI_SALES = [(day(7), "K1", "Ani", ANI, DINKES, "Kopi", 15000),
              (day(8), "K 2", "", "", DINKES, "Kopi", 50000),
              (day(12), "K4", "Eko", EKO, DINKES, "Kopi", 20000)]    # unreported


def fill(form: Path, rows: list[tuple], target: Path) -> Path:
    """Type (date, receipt, buyer, nip, office, product, amount) rows into a seller's form."""
    wb = openpyxl.load_workbook(form)
    ws = wb[seller_forms.SHEET_SALES]
    for i, row in enumerate(rows):
        for key, value in zip(("date", "receipt", "buyer_name", "nip", "office", "product", "amount"), row):
            if value != "":
                type_into(ws, seller_forms.FIRST_ROW + i, COLUMN[key], value)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


def by_code(result):
    return sorted((p.code, p.place.file, p.place.cell) for p in result.problems)


def spent(result):
    return {e.nip: e.spent for e in result.employees}


# ---------------------------------------------------------------- the forms


def test_one_form_per_registered_umkm_with_its_identity_and_drop_downs(made):
    _, paths = made
    assert sorted(p.name for p in paths.values()) == [
        "Formulir-Penjualan-Kopi-Rarobang-Ambon-2026-11.xlsx", "Formulir-Penjualan-Mie-Sagu-Mama-Ona-2026-11.xlsx"]
    identity = forms.read_identity(paths[KOPI])
    assert (identity.kind, identity.office, identity.period, identity.pristine) == ("penjualan", KOPI, PERIOD, True)
    wb = openpyxl.load_workbook(paths[KOPI])
    assert wb.sheetnames[:2] == [seller_forms.SHEET_SALES, forms.SHEET_GUIDE]
    ws = wb[seller_forms.SHEET_SALES]
    assert (ws["A2"].value, ws["B2"].value) == ("UMKM", KOPI)
    rules = {openpyxl.utils.get_column_letter(COLUMN[k]): k for k in COLUMN}
    kinds = {rules[str(v.sqref).split(":")[0].rstrip("0123456789")]: (v.type, v.formula1)
             for v in ws.data_validations.dataValidation}
    assert kinds["office"] == ("list", "DaftarOPD") and kinds["amount"][0] == "whole"
    assert kinds["nip"][0] == "custom" and "LEN(" in kinds["nip"][1] and "18" in kinds["nip"][1]
    assert ws.protection.sheet
    guide = wb[forms.SHEET_GUIDE]
    steps = [c.value for c in guide["B"] if isinstance(c.value, str) and c.value]
    assert len(steps) <= 5


def test_the_cli_writes_the_sellers_forms(made, tmp_path, capsys):
    pusat, _ = made
    assert cli.main(["formulir", "--penjual", str(pusat), "--periode", "2026-11", "--keluaran",
                     str(tmp_path / "lagi")]) == 0
    assert "2 formulir penjualan UMKM" in capsys.readouterr().out
    assert len(list((tmp_path / "lagi").glob("Formulir-Penjualan-*-2026-11.xlsx"))) == 2


# ---------------------------------------------------------------- reconciled through files


def test_a_filled_form_is_reconciled_with_the_offices_claims(made, tmp_path):
    pusat, paths = made
    book = fill(paths[KOPI], KOPI_SALES, tmp_path / "masukan" / paths[KOPI].name)
    result = services.calculate([tmp_path / "masukan"], PERIOD, clock=CLOCK)
    name = book.name
    assert by_code(result) == [
        ("BEDA_DENGAN_PENJUAL", "dinkes.xlsx", "D3"),
        ("PENJUALAN_TIDAK_DILAPORKAN", name, "D8"),
        ("TIDAK_ADA_DI_BUKU_PENJUAL", "dinkes.xlsx", "E4"),
    ]
    assert spent(result)[EKO] == 20000 and spent(result)[BUDI] == 100000
    (kopi, sagu) = result.to_json()["rekonsiliasi"]
    assert kopi == {"umkm": KOPI, "direkonsiliasi": True, "penjualan": 3, "klaim": 3, "cocok": 2,
                    "hanya_penjual": 1, "hanya_klaim": 1, "rupiah_penjualan": 85000, "rupiah_klaim": 115000}
    assert sagu["umkm"] == SAGU and not sagu["direkonsiliasi"]
    assert {"berkas": name, "lembar": "Penjualan", "peran": "penjualan", "baris": 3} in result.to_json()["dibaca"]


def test_strict_setting_through_the_settings_sheet(made, tmp_path):
    pusat, paths = made
    fill(paths[KOPI], KOPI_SALES, tmp_path / "masukan" / paths[KOPI].name)
    write(tmp_path / "masukan" / "pengaturan.xlsx", {"Pengaturan": [
        ["Belanja Harus Cocok Penjual", "Ya"], ["Akui Catatan Penjual", "Tidak"]]})
    result = services.calculate([tmp_path / "masukan"], PERIOD, clock=CLOCK)
    # BUDI: 60000 claimed, the seller says 50000 (the smaller counts); K-003 not in the book (not counted)
    assert spent(result)[BUDI] == 50000 and spent(result)[EKO] == 0 and spent(result)[ANI] == 15000


def test_a_book_resubmitted_replaces_the_older_one(made, tmp_path):
    pusat, paths = made
    old = fill(paths[KOPI], KOPI_SALES[:1], tmp_path / "masukan" / "kopi-lama.xlsx")
    set_saved(old, dt.datetime(2026, 11, 10, tzinfo=dt.timezone.utc))
    new = fill(paths[KOPI], KOPI_SALES, tmp_path / "masukan" / "kopi-baru.xlsx")
    set_saved(new, dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc))
    result = services.calculate([tmp_path / "masukan"], PERIOD, clock=CLOCK)
    codes = by_code(result)
    assert ("FORMULIR_VERSI_LAMA", "kopi-lama.xlsx", "") in codes
    assert not any(f == "kopi-lama.xlsx" and c != "FORMULIR_VERSI_LAMA" for c, f, _ in codes)
    assert result.to_json()["rekonsiliasi"][0]["penjualan"] == 3


def test_a_sellers_own_layout_with_a_seller_column_and_a_totals_row(made, tmp_path):
    pusat, _ = made
    write(tmp_path / "masukan" / "catatan-kopi.xlsx", {"Sheet1": [
        ["Buku jualan saya"], [],
        ["Tgl", "Nomor Nota", "Penjual", "NIP Pembeli", "Total (Rp)"],
        ["07/11/2026", "k/0001", KOPI, "", "Rp15.000"],
        ["8 November 2026", "K-2", KOPI, "", 60000],
        ["09/11/2026", "K-3", KOPI, "", 40000],
        ["", "", "", "", 115000],
    ]})
    result = services.calculate([tmp_path / "masukan"], PERIOD, clock=CLOCK)
    assert by_code(result) == []
    assert {"berkas": "catatan-kopi.xlsx", "lembar": "Sheet1", "peran": "penjualan", "baris": 3} \
        in result.to_json()["dibaca"]


def test_a_sale_in_another_month_counts_there(made, tmp_path):
    pusat, paths = made
    fill(paths[KOPI], [(day(30, 10), "K9", "Eko", EKO, DINKES, "Kopi", 20000)], tmp_path / "masukan" / "k.xlsx")
    october = services.calculate([tmp_path / "masukan"], PERIOD.previous(), clock=CLOCK)
    november = services.calculate([tmp_path / "masukan"], PERIOD, clock=CLOCK)
    assert spent(october)[EKO] == 20000 and spent(november)[EKO] == 0


def test_the_summary_has_a_reconciliation_sheet_with_links(made, tmp_path):
    pusat, paths = made
    fill(paths[KOPI], KOPI_SALES, tmp_path / "masukan" / paths[KOPI].name)
    outcome = services.write_summary([tmp_path / "masukan"], tmp_path / "rekap", PERIOD, clock=CLOCK)
    wb = openpyxl.load_workbook(outcome.path)
    ws = wb["Rekonsiliasi"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    umkm_rows = [r for r in values if r[1] in (KOPI, SAGU)]
    assert [r[1] for r in umkm_rows[:2]] == [KOPI, SAGU]
    assert umkm_rows[1][2] == "tidak direkonsiliasi"
    linked = [c.hyperlink.target for row in ws.iter_rows() for c in row if c.hyperlink]
    assert any(t.startswith("dinkes.xlsx") for t in linked) and any(t.startswith(paths[KOPI].name) for t in linked)


def test_the_weekly_email_says_how_many_claims_have_no_sellers_record(made, tmp_path):
    pusat, paths = made
    fill(paths[KOPI], KOPI_SALES, tmp_path / "masukan" / paths[KOPI].name)
    outcome = services.run_weekly([tmp_path / "masukan"], tmp_path / "keluar", as_of=day(22), clock=CLOCK)
    assert "1 klaim tanpa catatan penjual" in outcome.plain_text()
    assert "1 klaim tanpa catatan penjual" in outcome.email_html.read_text(encoding="utf-8")


# ---------------------------------------------------------------- through LibreOffice: .ods and CSV


def convert(src: Path, target: str, out_dir: Path, profile: Path) -> Path:
    """LibreOffice as a seller in Ambon runs it: Indonesian locale (a CSV keeps `Rp15.000` and 07/11/2026)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, LC_ALL="id_ID.UTF-8", LANG="id_ID.UTF-8")
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", target, "--outdir", str(out_dir), str(src)],
                   check=True, capture_output=True, timeout=180, env=env)
    return next(out_dir.glob(src.stem + ".*"))


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("target", ["ods", 'csv:Text - txt - csv (StarCalc):59,34,76,1,,,false,true,true'], ids=["ods", "csv"])
def test_a_book_saved_by_libreoffice_as_ods_or_csv_reads_the_same(made, tmp_path, target):
    pusat, paths = made
    filled = fill(paths[KOPI], KOPI_SALES, tmp_path / "isi" / paths[KOPI].name)
    saved = convert(filled, target, tmp_path / "masukan", tmp_path / "profile")
    result = services.calculate([tmp_path / "masukan"], PERIOD, clock=CLOCK)
    assert [c for c, _, _ in by_code(result)] == ["BEDA_DENGAN_PENJUAL", "PENJUALAN_TIDAK_DILAPORKAN",
                                                   "TIDAK_ADA_DI_BUKU_PENJUAL"]
    assert result.to_json()["rekonsiliasi"][0]["cocok"] == 2 and spent(result)[EKO] == 20000
    if saved.suffix == ".ods":
        identity = forms.read_identity(saved)
        assert (identity.kind, identity.office) == ("penjualan", KOPI)
