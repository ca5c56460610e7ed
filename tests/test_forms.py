"""Per-office entry forms (issue 14): generated, filled as an office would, read back by their identity.

Forms are filled two ways: through openpyxl (values typed into the input
cells, as an admin does in Excel) and through LibreOffice, which opens the
filled file, recalculates every formula and saves it again: the figures its
formulas compute are checked, and the file it wrote is read back.
"""
from __future__ import annotations

import copy
import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from jikubata import services
from jikubata.adapters import forms
from jikubata.adapters.clock import Clock
from jikubata.domain.model import FormIdentity, Period, Status
from jikubata.domain.validation import superseded_forms
from jikubata.entrypoints import cli
from tests.support.workbooks import write

TODAY = dt.date(2026, 11, 25)
PERIOD = Period(2026, 11)
GENERATED = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.timezone.utc)
CLOCK = Clock.fixed(dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.timezone.utc))
DINKES, SIRIMAU = "Dinas Kesehatan", "Kecamatan Sirimau"

# Valid NIPs. ANI and EKO share their first 15 digits: a spreadsheet comparing them as numbers mixes them up.
ANI, EKO = "198001012010012001", "198001012010012009"
BUDI, CICI, DEDI = "197505052000031002", "199002022015022003", "196806061990031004"
NAMES = {ANI: "Ani Latuconsina", EKO: "Eko Sahetapy", BUDI: "Budi Pattiasina", CICI: "Cici Tuasikal",
         DEDI: "Dedi Matulessy"}
SAGU, KOPI = "Mie Sagu Mama Ona", "Kopi Rarobang Ambon"

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")


def central(path: Path) -> Path:
    """The central workbook: roster, offices and sellers, written by openpyxl (an independent writer)."""
    return write(path, {
        "Pegawai": [["NIP", "Nama", "Jabatan", "Eselon", "OPD", "Status"],
                    [BUDI, NAMES[BUDI], "Kepala Dinas Kesehatan", "II.b", DINKES, "Aktif"],
                    [ANI, NAMES[ANI], "Kepala Seksi Pendataan", "IV.a", DINKES, "Aktif"],
                    [EKO, NAMES[EKO], "Kepala Subbagian Umum dan Kepegawaian", "IV.b", DINKES, "Aktif"],
                    [CICI, NAMES[CICI], "Pengelola Data", "Staf", DINKES, "Aktif"],
                    [DEDI, NAMES[DEDI], "Camat Sirimau", "III.a", "KEC. SIRIMAU", "Aktif"]],
        "OPD": [["Nama OPD", "Singkatan"], [DINKES, "DINKES"], [SIRIMAU, "KEC. SIRIMAU"],
                ["Inspektorat", "INSP"]],
        "UMKM": [["Nama UMKM"], [SAGU], [KOPI]],
    })


@pytest.fixture
def made(tmp_path):
    """The central workbook and the forms `jikubata formulir` made from it (in `formulir/`)."""
    pusat = central(tmp_path / "masukan" / "JikuBata-Pusat.xlsx")
    outcome = services.write_forms([pusat], tmp_path / "formulir", PERIOD, clock=Clock.fixed(GENERATED))
    return pusat, {form.office.name: path for form, path in outcome.written}, outcome


COLUMN = {c.key: j + 1 for j, c in enumerate(forms.COLUMNS)}


def fill(form: Path, rows: list[tuple], target: Path) -> Path:
    """Type `rows` (date, nip, seller, product, amount, receipt) into the input cells, as an admin would."""
    wb = openpyxl.load_workbook(form)
    ws = wb[forms.SHEET_PURCHASES]
    for i, (date, nip, seller, product, amount, receipt) in enumerate(rows):
        r = forms.FIRST_ROW + i
        for key, value in (("date", date), ("nip", nip), ("seller", seller), ("product", product),
                           ("amount", amount), ("receipt", receipt)):
            type_into(ws, r, COLUMN[key], value)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


def type_into(ws, row: int, col: int, value) -> None:
    """What Excel does when a value is typed into an empty cell: the cell takes its column's format first."""
    cell = ws.cell(row, col)
    column = ws.column_dimensions[openpyxl.utils.get_column_letter(col)]
    cell.number_format = column.number_format
    for attribute in ("protection", "fill", "border", "alignment", "font"):
        setattr(cell, attribute, copy.copy(getattr(column, attribute)))
    cell.value = value


def set_saved(path: Path, moment: dt.datetime) -> Path:
    """Set the last-saved time in docProps/core.xml, as the saving program would have."""
    with zipfile.ZipFile(path) as zf:
        parts = [(i, zf.read(i)) for i in zf.infolist()]
    stamp = moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            zf.writestr(info, data)
    return path


def day(d: int, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, d)


def spent(result) -> dict[str, int]:
    return {e.nip: e.spent for e in result.employees}


def codes(problems) -> list[str]:
    return [p.code for p in problems]


# ---------------------------------------------------------------- writing


def test_cli_writes_one_form_per_office_with_obliged_staff(tmp_path, capsys):
    pusat = central(tmp_path / "JikuBata-Pusat.xlsx")
    assert cli.main(["formulir", str(pusat), "--periode", "2026-11", "--keluaran", str(tmp_path / "f")]) == 0
    assert sorted(p.name for p in (tmp_path / "f").glob("*.xlsx")) == [
        "Formulir-Belanja-DINKES-2026-11.xlsx", "Formulir-Belanja-KEC-SIRIMAU-2026-11.xlsx"]
    out = capsys.readouterr().out
    assert "2 formulir OPD periode November 2026" in out
    assert "Inspektorat" in out  # nobody obliged there: said, not silently skipped


def _listed(wb, name: str) -> list:
    sheet, cells = next(wb.defined_names[name].destinations)
    return [c[0].value for c in wb[sheet][cells.replace("$", "")]]


def choice(nip: str) -> str:
    """What the NIP drop-down puts in the cell."""
    return f"{nip} \u2014 {NAMES[nip]}"


def test_nip_drop_down_offers_that_offices_obliged_staff_as_nip_and_name(made):
    _, paths, _ = made
    wb = openpyxl.load_workbook(paths[DINKES])
    # by tier, then name; CICI (Staf) has no minimum, DEDI is another OPD
    assert _listed(wb, forms.N_CHOICES) == [choice(BUDI), choice(ANI), choice(EKO)]
    assert _listed(wb, forms.N_NIP) == [BUDI, ANI, EKO]  # what the formulas look the choice up in, as text
    rule = _rule(wb[forms.SHEET_PURCHASES], "nip")
    assert (rule.type, rule.formula1, rule.errorStyle in (None, "stop")) == ("list", forms.N_CHOICES, True)


def _rule(ws, key: str):
    letter = openpyxl.utils.get_column_letter(COLUMN[key])
    first = f"{letter}{forms.FIRST_ROW}"
    return next(dv for dv in ws.data_validations.dataValidation if first in dv.sqref)


def test_sellers_dates_amounts_and_receipts_are_validated(made):
    _, paths, _ = made
    wb = openpyxl.load_workbook(paths[DINKES])
    ws = wb[forms.SHEET_PURCHASES]
    seller = _rule(ws, "seller")
    assert (seller.type, seller.formula1) == ("list", forms.N_SELLERS)
    sheet, cells = next(wb.defined_names[forms.N_SELLERS].destinations)
    assert [c[0].value for c in wb[sheet][cells.replace("$", "")]] == [KOPI, SAGU]
    date = _rule(ws, "date")
    assert date.type == "date" and date.operator in (None, "between")  # "between" is the default
    assert (float(date.formula1), float(date.formula2)) == (46327.0, 46356.0)  # 1 and 30 November 2026
    amount = _rule(ws, "amount")
    assert (amount.type, amount.operator in (None, "between"), amount.formula1) == ("whole", True, "1")
    assert _rule(ws, "receipt").type == "custom"


def test_name_position_and_minimum_are_index_match_formulas_on_the_choices_nip(made):
    _, paths, _ = made
    ws = openpyxl.load_workbook(paths[DINKES])[forms.SHEET_PURCHASES]
    for key in ("name", "position", "minimum"):
        formula = ws.cell(forms.FIRST_ROW, COLUMN[key]).value
        assert "INDEX(" in formula and "XLOOKUP" not in formula
        assert f"MATCH(LEFT($B{forms.FIRST_ROW},18),{forms.N_NIP},0)" in formula


def test_only_input_cells_are_unlocked_and_sheets_are_protected_without_password(made):
    _, paths, _ = made
    wb = openpyxl.load_workbook(paths[DINKES])
    for name in (forms.SHEET_GUIDE, forms.SHEET_PURCHASES, forms.SHEET_DATA):
        assert wb[name].protection.sheet is True
        assert not wb[name].protection.password
    ws = wb[forms.SHEET_PURCHASES]
    for key, j in COLUMN.items():
        letter = openpyxl.utils.get_column_letter(j)
        if key in ("name", "position", "minimum"):
            assert ws.cell(forms.FIRST_ROW, j).protection.locked is True
            assert ws.cell(ws.max_row, j).value.startswith("=IF(")  # the last prepared row has its formula
        else:  # the whole column is an input (its format): a long month never runs out of rows
            assert ws.column_dimensions[letter].protection.locked is False, key
        for r in range(1, forms.HEADER_ROW + 1):  # title and header cells stay locked
            assert ws.cell(r, j).protection.locked is True
    assert ws.column_dimensions["B"].number_format == "@"  # 18 digits stay text
    assert wb[forms.SHEET_DATA].sheet_state == "hidden"


def test_identity_is_in_custom_properties_and_on_the_hidden_sheet(made):
    _, paths, _ = made
    wb = openpyxl.load_workbook(paths[SIRIMAU])
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props[forms.PROP_OFFICE] == SIRIMAU and props[forms.PROP_ABBREVIATION] == "KEC. SIRIMAU"
    assert props[forms.PROP_PERIOD] == "2026-11" and props[forms.PROP_VERSION] == forms.FORM_VERSION
    assert dt.datetime.fromisoformat(props[forms.PROP_GENERATED]) == GENERATED
    hidden = {r[0]: r[1] for r in wb[forms.SHEET_DATA].iter_rows(max_col=2, values_only=True) if r[0]}
    assert hidden["OPD"] == SIRIMAU and hidden["Periode"] == "2026-11"
    identity = forms.read_identity(paths[SIRIMAU])
    assert (identity.office, identity.period, identity.pristine) == (SIRIMAU, PERIOD, True)


def test_petunjuk_names_office_period_and_lists_each_person_with_a_live_status(made):
    _, paths, _ = made
    ws = openpyxl.load_workbook(paths[DINKES])[forms.SHEET_GUIDE]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert DINKES in texts and "November 2026" in texts
    assert any("kirim" in t for t in texts)
    formulas = [t for t in texts if t.startswith("=SUMIFS(")]
    assert len(formulas) == 3  # one per obliged person


def test_forms_are_read_as_forms_and_blank_ones_give_no_problem(made):
    pusat, paths, _ = made
    dataset = services.check([pusat, *paths.values()], clock=CLOCK)
    assert sorted(f.office for f in dataset.forms.values()) == [DINKES, SIRIMAU]
    assert dataset.purchases == [] and dataset.problems == []


# ---------------------------------------------------------------- round trip through openpyxl


def test_a_form_filled_as_an_admin_would_gives_exactly_the_entered_figures(made, tmp_path):
    pusat, paths, _ = made
    filled = fill(paths[DINKES], [(day(7), ANI, SAGU, "Mie sagu", 15000, "N-1"),
                                  (day(7), EKO, KOPI, "Kopi", 20000, "N-2"),
                                  (day(12), ANI, KOPI, "Kopi", 7500, "N-3"),
                                  (day(20), BUDI, SAGU, "Mie sagu kering", 125000, "N-4")],
                  tmp_path / "kembali" / "Formulir-Belanja-DINKES-2026-11.xlsx")
    result = services.calculate([pusat, filled], PERIOD, clock=CLOCK)
    assert result.problems == []
    assert spent(result) == {ANI: 22500, EKO: 20000, BUDI: 125000, CICI: 0, DEDI: 0}
    status = {e.nip: e.status for e in result.employees}
    assert (status[ANI], status[EKO], status[BUDI]) == (Status.MEMENUHI, Status.MEMENUHI, Status.MEMENUHI)


def test_a_form_filled_from_the_drop_down_counts_each_choice_as_its_nip(made, tmp_path):
    pusat, paths, _ = made
    filled = fill(paths[DINKES], [(day(7), choice(ANI), SAGU, "Mie sagu", 15000, "N-1"),
                                  (day(7), choice(EKO), KOPI, "Kopi", 20000, "N-2"),
                                  (day(12), f"{ANI} - {NAMES[ANI]}", KOPI, "Kopi", 7500, "N-3"),
                                  (day(20), BUDI, SAGU, "Mie sagu kering", 125000, "N-4")],  # pasted bare
                  tmp_path / "kembali" / "Formulir-Belanja-DINKES-2026-11.xlsx")
    result = services.calculate([pusat, filled], PERIOD, clock=CLOCK)
    assert result.problems == []
    assert spent(result) == {ANI: 22500, EKO: 20000, BUDI: 125000, CICI: 0, DEDI: 0}


def test_a_nip_cell_that_is_not_exactly_a_choice_is_reported_not_guessed(made, tmp_path):
    pusat, paths, _ = made
    filled = fill(paths[DINKES], [(day(7), f"{ANI} \u2014 {NAMES[ANI]} {EKO}", SAGU, "Mie sagu", 15000, "N-1"),
                                  (day(7), f"{ANI}\u2014{NAMES[ANI]}", KOPI, "Kopi", 20000, "N-2")],
                  tmp_path / "f.xlsx")
    result = services.calculate([pusat, filled], PERIOD, clock=CLOCK)
    assert codes(result.problems) == ["NIP_TIDAK_VALID", "NIP_TIDAK_VALID"]
    assert spent(result)[ANI] == 0


def test_computed_columns_are_never_read_as_purchase_data(made, tmp_path):
    pusat, paths, _ = made
    filled = fill(paths[DINKES], [(day(7), ANI, SAGU, "Mie sagu", 15000, "N-1")], tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(filled)
    ws = wb[forms.SHEET_PURCHASES]
    # What a stale cached value could hold: another name, a number where a position is.
    ws.cell(forms.FIRST_ROW, COLUMN["name"]).value = "Nama Lama Sekali"
    ws.cell(forms.FIRST_ROW, COLUMN["position"]).value = 12
    ws.cell(forms.FIRST_ROW + 1, COLUMN["minimum"]).value = "#N/A"
    wb.save(filled)
    result = services.calculate([pusat, filled], PERIOD, clock=CLOCK)
    assert result.problems == [] and spent(result)[ANI] == 15000


def test_nip_of_another_office_is_a_warning_and_still_counts(made, tmp_path):
    pusat, paths, _ = made
    filled = fill(paths[DINKES], [(day(7), DEDI, SAGU, "Mie sagu", 30000, "N-1")], tmp_path / "f.xlsx")
    result = services.calculate([pusat, filled], PERIOD, clock=CLOCK)
    (p,) = result.problems
    assert (p.code, p.severity.value, p.place.cell) == ("NIP_OPD_LAIN", "PERINGATAN", f"B{forms.FIRST_ROW}")
    assert "KEC. SIRIMAU" in p.message and DINKES in p.message
    assert spent(result)[DEDI] == 30000


def test_a_date_outside_the_forms_period_is_a_warning_and_counts_in_its_own_month(made, tmp_path):
    pusat, paths, _ = made
    filled = fill(paths[DINKES], [(day(30, 10), ANI, SAGU, "Mie sagu", 20000, "N-1"),
                                  (day(3), ANI, KOPI, "Kopi", 5000, "N-2")], tmp_path / "f.xlsx")
    november = services.calculate([pusat, filled], PERIOD, clock=CLOCK)
    (p,) = november.problems
    assert (p.code, p.severity.value, p.place.cell) == ("TANGGAL_DI_LUAR_PERIODE", "PERINGATAN",
                                                          f"A{forms.FIRST_ROW}")
    assert "Oktober 2026" in p.message
    assert spent(november)[ANI] == 5000
    assert spent(services.calculate([pusat, filled], Period(2026, 10), clock=CLOCK))[ANI] == 20000


def test_forms_and_free_form_office_files_are_read_from_the_same_folder(made, tmp_path):
    pusat, paths, _ = made
    folder = pusat.parent
    fill(paths[DINKES], [(day(7), ANI, SAGU, "Mie sagu", 15000, "N-1")], folder / paths[DINKES].name)
    write(folder / "Belanja-Sirimau.xlsx", {"Belanja": [
        ["Tanggal", "NIP", "Nama Pegawai", "UMKM", "Produk", "Jumlah (Rp)", "No. Nota"],
        [day(9), DEDI, NAMES[DEDI], KOPI, "Kopi", "Rp 30.000", "S-1"]]})
    dataset = services.check([folder], clock=CLOCK)
    assert list(dataset.forms) == [paths[DINKES].name]
    result = services.calculate([folder], PERIOD, clock=CLOCK)
    assert result.problems == []
    assert (spent(result)[ANI], spent(result)[DEDI]) == (15000, 30000)


# ---------------------------------------------------------------- two versions of a form


def test_the_form_saved_last_counts_wholesale_and_the_other_is_an_old_version(made, tmp_path):
    pusat, paths, _ = made
    folder = tmp_path / "kembali"
    first = fill(paths[DINKES], [(day(5), ANI, SAGU, "Mie sagu", 15000, "N-1"),
                                 (day(6), EKO, KOPI, "Kopi", 20000, "N-2"),
                                 (day(6), BUDI, KOPI, "Kopi", 40000, "N-9")], folder / "dinkes-kiriman-1.xlsx")
    # The resend drops one receipt and adds another: the later file counts as it is.
    second = fill(paths[DINKES], [(day(5), ANI, SAGU, "Mie sagu", 15000, "N-1"),
                                  (day(6), EKO, KOPI, "Kopi", 20000, "N-2"),
                                  (day(21), ANI, KOPI, "Kopi", 10000, "N-3")], folder / "dinkes-kiriman-2.xlsx")
    set_saved(first, dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone.utc))
    set_saved(second, dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.timezone.utc))
    result = services.calculate([pusat, folder], PERIOD, clock=CLOCK)
    (p,) = result.problems
    assert (p.code, p.severity.value, p.place.file, p.place.sheet, p.place.cell) == \
        ("FORMULIR_VERSI_LAMA", "PERINGATAN", "dinkes-kiriman-1.xlsx", "", "")
    assert "dinkes-kiriman-2.xlsx" in p.message and "22-11-2026 18:30 WIT" in p.message
    assert spent(result) == {ANI: 25000, EKO: 20000, BUDI: 0, CICI: 0, DEDI: 0}


def test_the_newest_wins_whatever_the_file_order_or_names(made, tmp_path):
    pusat, paths, _ = made
    folder = tmp_path / "kembali"
    newer = fill(paths[DINKES], [(day(5), ANI, SAGU, "Mie sagu", 9000, "N-1")], folder / "a.xlsx")
    older = fill(paths[DINKES], [(day(5), ANI, SAGU, "Mie sagu", 15000, "N-1"),
                                 (day(9), ANI, KOPI, "Kopi", 15000, "N-7")], folder / "b.xlsx")
    set_saved(newer, dt.datetime(2026, 11, 24, 1, 0, tzinfo=dt.timezone.utc))
    set_saved(older, dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.timezone.utc))
    result = services.calculate([pusat, folder], PERIOD, clock=CLOCK)
    assert [(p.code, p.place.file) for p in result.problems] == [("FORMULIR_VERSI_LAMA", "b.xlsx")]
    assert spent(result)[ANI] == 9000


def test_an_old_versions_own_row_problems_are_not_reported(made, tmp_path):
    pusat, paths, _ = made
    folder = tmp_path / "kembali"
    old = fill(paths[DINKES], [(day(5), ANI, SAGU, "Mie sagu", "Rp 2O.000", "N-1")], folder / "lama.xlsx")
    new = fill(paths[DINKES], [(day(5), ANI, SAGU, "Mie sagu", 20000, "N-1")], folder / "baru.xlsx")
    set_saved(old, dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc))
    set_saved(new, dt.datetime(2026, 11, 21, tzinfo=dt.timezone.utc))
    result = services.calculate([pusat, folder], PERIOD, clock=CLOCK)
    assert codes(result.problems) == ["FORMULIR_VERSI_LAMA"]
    assert spent(result)[ANI] == 20000


def test_a_blank_form_left_in_the_folder_never_replaces_a_filled_one(made, tmp_path):
    pusat, paths, _ = made
    folder = tmp_path / "kembali"
    filled = fill(paths[DINKES], [(day(5), ANI, SAGU, "Mie sagu", 20000, "N-1")], folder / "diisi.xlsx")
    set_saved(filled, dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc))
    later = forms.write_forms(services.check([pusat], clock=CLOCK), PERIOD, folder,
                              dt.datetime(2026, 11, 10, tzinfo=dt.timezone.utc))
    result = services.calculate([pusat, folder], PERIOD, clock=CLOCK)
    blank = next(path.name for form, path in later.written if form.office.name == DINKES)
    assert [(p.code, p.place.file) for p in result.problems] == [("FORMULIR_VERSI_LAMA", blank)]
    assert "belum diisi sejak dibuat" in result.problems[0].message
    assert spent(result)[ANI] == 20000


def test_forms_of_other_months_or_offices_do_not_replace_each_other(made, tmp_path):
    pusat, paths, _ = made
    folder = tmp_path / "kembali"
    fill(paths[DINKES], [(day(5), ANI, SAGU, "Mie sagu", 20000, "N-1")], folder / "dinkes.xlsx")
    fill(paths[SIRIMAU], [(day(5), DEDI, SAGU, "Mie sagu", 30000, "S-1")], folder / "sirimau.xlsx")
    october = forms.write_forms(services.check([pusat], clock=CLOCK), Period(2026, 10), tmp_path / "okt",
                                GENERATED - dt.timedelta(days=31))
    oct_form = next(path for form, path in october.written if form.office.name == DINKES)
    fill(oct_form, [(day(7, 10), ANI, KOPI, "Kopi", 20000, "O-1")], folder / "dinkes-oktober.xlsx")
    result = services.calculate([pusat, folder], PERIOD, clock=CLOCK)
    assert result.problems == []
    assert (spent(result)[ANI], spent(result)[DEDI]) == (20000, 30000)


# ---------------------------------------------------------------- generating again


def test_generating_again_never_overwrites_a_form_an_office_filled(made, tmp_path, capsys):
    pusat, paths, _ = made
    fill(paths[DINKES], [(day(5), ANI, SAGU, "Mie sagu", 20000, "N-1")], paths[DINKES])  # returned in place
    before = paths[DINKES].read_bytes()
    blank_before = paths[SIRIMAU].read_bytes()
    assert cli.main(["formulir", str(pusat), "--periode", "2026-11", "--keluaran", str(paths[DINKES].parent)]) == 0
    assert paths[DINKES].read_bytes() == before
    assert paths[SIRIMAU].read_bytes() != blank_before  # a blank form of ours is simply made again
    assert f"{paths[DINKES].name} tidak ditimpa" in capsys.readouterr().out


# ---------------------------------------------------------------- identity


def test_identity_is_read_from_the_hidden_sheet_when_the_properties_are_gone(made, tmp_path):
    _, paths, _ = made
    stripped = tmp_path / "tanpa-properti.xlsx"
    with zipfile.ZipFile(paths[DINKES]) as src, zipfile.ZipFile(stripped, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "docProps/custom.xml":
                dst.writestr(info, src.read(info))
    identity = forms.read_identity(stripped)
    assert (identity.office, identity.abbreviation, identity.period) == (DINKES, "DINKES", PERIOD)


def test_other_workbooks_and_broken_properties_are_no_form(made, tmp_path):
    pusat, paths, _ = made
    assert forms.read_identity(pusat) is None
    broken = tmp_path / "rusak.xlsx"
    with zipfile.ZipFile(paths[DINKES]) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/custom.xml":
                data = data.replace(b"2026-11<", b"bulan depan<")
            dst.writestr(info, data)
    assert forms.read_identity(broken) is None
    (tmp_path / "bukan.xlsx").write_text("bukan zip")
    assert forms.read_identity(tmp_path / "bukan.xlsx") is None


# ---------------------------------------------------------------- LibreOffice


def recalculated(src: Path, out_dir: Path, profile: Path, fmt: str = "xlsx") -> Path:
    """`src` opened by LibreOffice, every formula recalculated, saved again as .xlsx (or .ods)."""
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">\n'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
        '<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n'
        '</oor:items>\n')
    out_dir.mkdir(parents=True, exist_ok=True)
    filters = {"xlsx": "xlsx:Calc Office Open XML", "ods": "ods"}
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", filters[fmt], "--outdir", str(out_dir), str(src)],
                   check=True, capture_output=True, timeout=180)
    return out_dir / f"{src.stem}.{fmt}"


@pytest.mark.slow
@needs_soffice
def test_libreoffice_computes_the_forms_formulas_and_its_file_reads_back_exactly(made, tmp_path):
    pusat, paths, _ = made
    rows = [(day(7), ANI, SAGU, "Mie sagu", 15000, "N-1"),
            (day(7), EKO, KOPI, "Kopi", 7000, "N-2"),       # shares ANI's first 15 digits
            (day(12), ANI, KOPI, "Kopi", 7500, "N-3"),
            (day(2), BUDI, SAGU, "Mie sagu", 60000, "N-4"),
            (day(30, 10), BUDI, SAGU, "Mie sagu", 50000, "N-5"),  # pasted from October: not this form's month
            (day(9), "199912312020121009", KOPI, "Kopi", 5000, "N-6")]  # pasted: not in the list
    filled = fill(paths[DINKES], rows, tmp_path / "isi" / paths[DINKES].name)
    lo = recalculated(filled, tmp_path / "lo", tmp_path / "profile")

    wb = CalamineWorkbook.from_path(str(lo))
    sheet = wb.get_sheet_by_name(forms.SHEET_PURCHASES).to_python(skip_empty_area=False)
    computed = [(r[COLUMN["name"] - 1], r[COLUMN["minimum"] - 1])
                for r in sheet[forms.FIRST_ROW - 1:forms.FIRST_ROW - 1 + len(rows)]]
    assert computed == [(NAMES[ANI], 20000), (NAMES[EKO], 20000), (NAMES[ANI], 20000), (NAMES[BUDI], 100000),
                        (NAMES[BUDI], 100000), (forms.UNKNOWN_NIP, "")]
    guide = wb.get_sheet_by_name(forms.SHEET_GUIDE).to_python(skip_empty_area=False)
    status = {r[1]: (r[5], r[6], r[7]) for r in guide if isinstance(r[1], str) and r[1] in NAMES}
    assert status == {BUDI: (60000, 40000, forms.SHORT), ANI: (22500, 0, forms.MET), EKO: (7000, 13000, forms.SHORT)}

    identity = forms.read_identity(lo)
    assert (identity.office, identity.period, identity.pristine) == (DINKES, PERIOD, False)
    result = services.calculate([pusat, lo], PERIOD, clock=CLOCK)
    assert sorted(codes(result.problems)) == ["NIP_TIDAK_TERDAFTAR", "TANGGAL_DI_LUAR_PERIODE"]
    assert spent(result) == {ANI: 22500, EKO: 7000, BUDI: 60000, CICI: 0, DEDI: 0}


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_libreoffice_fills_in_each_drop_down_choices_person_and_its_file_reads_back(made, tmp_path, fmt):
    """Chosen from the drop-down (`NIP \u2014 Nama`): LibreOffice's formulas find the person, the Petunjuk
    adds the choice to that NIP, and the file LibreOffice saved counts each choice as its NIP."""
    pusat, paths, _ = made
    rows = [(day(7), choice(ANI), SAGU, "Mie sagu", 15000, "N-1"),
            (day(7), choice(EKO), KOPI, "Kopi", 7000, "N-2"),       # shares ANI's first 15 digits
            (day(12), choice(ANI), KOPI, "Kopi", 7500, "N-3"),
            (day(2), choice(BUDI), SAGU, "Mie sagu", 60000, "N-4"),
            (day(3), BUDI, KOPI, "Kopi", 5000, "N-5")]               # pasted bare: still that person
    filled = fill(paths[DINKES], rows, tmp_path / "isi" / paths[DINKES].name)
    lo = recalculated(filled, tmp_path / "lo", tmp_path / "profile", fmt)

    wb = CalamineWorkbook.from_path(str(lo))
    sheet = wb.get_sheet_by_name(forms.SHEET_PURCHASES).to_python(skip_empty_area=False)
    computed = [(r[COLUMN["nip"] - 1], r[COLUMN["name"] - 1], r[COLUMN["minimum"] - 1])
                for r in sheet[forms.FIRST_ROW - 1:forms.FIRST_ROW - 1 + len(rows)]]
    assert computed == [(choice(ANI), NAMES[ANI], 20000), (choice(EKO), NAMES[EKO], 20000),
                        (choice(ANI), NAMES[ANI], 20000), (choice(BUDI), NAMES[BUDI], 100000),
                        (BUDI, NAMES[BUDI], 100000)]
    guide = wb.get_sheet_by_name(forms.SHEET_GUIDE).to_python(skip_empty_area=False)
    status = {r[1]: (r[5], r[6], r[7]) for r in guide if isinstance(r[1], str) and r[1] in NAMES}
    assert status == {BUDI: (65000, 35000, forms.SHORT), ANI: (22500, 0, forms.MET), EKO: (7000, 13000, forms.SHORT)}

    result = services.calculate([pusat, lo], PERIOD, clock=CLOCK)
    assert result.problems == []
    assert spent(result) == {ANI: 22500, EKO: 7000, BUDI: 65000, CICI: 0, DEDI: 0}


@pytest.mark.slow
@needs_soffice
def test_libreoffice_keeps_drop_downs_validation_and_protection(made, tmp_path):
    _, paths, _ = made
    filled = fill(paths[DINKES], [(day(7), ANI, SAGU, "Mie sagu", 15000, "N-1")], tmp_path / "isi" / "f.xlsx")
    wb = openpyxl.load_workbook(recalculated(filled, tmp_path / "lo", tmp_path / "profile"))
    ws = wb[forms.SHEET_PURCHASES]
    assert _rule(ws, "nip").type == "list" and _rule(ws, "seller").type == "list"
    assert _rule(ws, "date").type == "date" and _rule(ws, "amount").type == "whole"
    assert ws.protection.sheet and ws.cell(forms.FIRST_ROW, COLUMN["nip"]).protection.locked is False
    note = openpyxl.utils.get_column_letter(COLUMN["note"])  # nothing typed there: the column's own format
    assert ws.column_dimensions[note].protection.locked is False
    assert ws.cell(forms.FIRST_ROW, COLUMN["name"]).protection.locked is True
    assert wb[forms.SHEET_DATA].sheet_state == "hidden"


# ---------------------------------------------------------------- the Beranda button


def test_button_writes_the_forms_beside_the_workbook(tmp_path):
    from jikubata.entrypoints import buttons
    from tests.support.jikubata_book import filled_copy
    from tests.support.openpyxl_port import OpenpyxlPort

    book = filled_copy(tmp_path / "JikuBata.xlsm", {
        "Pegawai": [[BUDI, NAMES[BUDI], "Kepala Dinas", "II.b", DINKES, "Aktif"],
                    [ANI, NAMES[ANI], "Kepala Seksi", "IV.a", DINKES, "Aktif"]],
        "OPD": [[DINKES, "DINKES"]], "UMKM": [[SAGU], [KOPI]]}, "2026-11", as_text=True)
    port = OpenpyxlPort(book)
    text = buttons.run(port, "buat_formulir", clock=Clock.fixed(GENERATED))
    ((message, error),) = port.messages
    assert not error and message == text
    written = tmp_path / "Formulir-2026-11" / "Formulir-Belanja-DINKES-2026-11.xlsx"
    assert written.exists() and str(written.parent) in text
    assert "1 formulir OPD periode November 2026" in text and written.name not in text  # brief for a message box
    assert "Simpan formulir yang kembali di folder Formulir-2026-11" in text
    identity = forms.read_identity(written)
    assert (identity.office, identity.period, identity.generated_at) == (DINKES, PERIOD, GENERATED)


# ---------------------------------------------------------------- the rule alone (no file)


def _identity(file: str, saved_hour: int | None, *, office=DINKES, period=PERIOD, generated_hour=0):
    at = lambda hour: dt.datetime(2026, 11, 20, hour, tzinfo=dt.timezone.utc)  # noqa: E731
    generated = at(generated_hour)
    return FormIdentity(file, office, "", period, "1", generated, generated if saved_hour is None else at(saved_hour))


def test_rule_the_last_saved_form_of_an_office_and_month_replaces_the_others():
    a, b, c = _identity("a.xlsx", 9), _identity("b.xlsx", 11), _identity("c.xlsx", 10)
    assert superseded_forms([a, b, c]) == {"a.xlsx": b, "c.xlsx": b}


def test_rule_office_names_match_whatever_the_case_and_spacing():
    a, b = _identity("a.xlsx", 9), _identity("b.xlsx", 10, office="  dinas   KESEHATAN ")
    assert superseded_forms([a, b]) == {"a.xlsx": b}


def test_rule_other_offices_and_other_months_stand_alone():
    forms_ = [_identity("a.xlsx", 9), _identity("b.xlsx", 10, office=SIRIMAU),
              _identity("c.xlsx", 11, period=Period(2026, 10))]
    assert superseded_forms(forms_) == {}


def test_rule_a_never_saved_form_loses_to_any_saved_one_even_if_made_later():
    filled, blank = _identity("diisi.xlsx", 3), _identity("kosong.xlsx", None, generated_hour=12)
    assert superseded_forms([filled, blank]) == {"kosong.xlsx": filled}


def test_periksa_names_an_old_version_as_a_whole_file(made, tmp_path, capsys):
    pusat, paths, _ = made
    folder = pusat.parent
    old = fill(paths[DINKES], [(day(5), ANI, SAGU, "Mie sagu", 20000, "N-1")], folder / "lama.xlsx")
    new = fill(paths[DINKES], [(day(5), ANI, SAGU, "Mie sagu", 20000, "N-1")], folder / "baru.xlsx")
    set_saved(old, dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc))
    set_saved(new, dt.datetime(2026, 11, 21, tzinfo=dt.timezone.utc))
    assert cli.main(["periksa", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "lama.xlsx — berkas (1 masalah)" in out and "FORMULIR_VERSI_LAMA" in out


def test_button_asks_for_a_month_when_the_period_cell_holds_a_year(tmp_path):
    from jikubata.entrypoints import buttons
    from tests.support.jikubata_book import filled_copy
    from tests.support.openpyxl_port import OpenpyxlPort

    book = filled_copy(tmp_path / "JikuBata.xlsm", {
        "Pegawai": [[ANI, NAMES[ANI], "Kepala Seksi", "IV.a", DINKES, "Aktif"]]}, "2026", as_text=True)
    port = OpenpyxlPort(book)
    text = buttons.run(port, "buat_formulir", clock=Clock.fixed(GENERATED))
    assert port.messages[-1][1] and "TTTT-BB" in text
    assert not (tmp_path / "Formulir-2026-11").exists()


# ---------------------------------------------------------------- the buttons read the returned forms


def test_buttons_read_the_returned_forms_and_the_masukan_folder_beside_the_workbook(tmp_path):
    """Issue 14: the admin who works only with the buttons makes the forms, saves the returned ones over
    the blank ones in `Formulir-TTTT-BB/` (or office files in `Masukan/`), and presses Hitung."""
    from jikubata.entrypoints import buttons
    from tests.support.jikubata_book import filled_copy
    from tests.support.openpyxl_port import OpenpyxlPort
    from tests.test_excel import table

    book = filled_copy(tmp_path / "JikuBata.xlsm", {
        "Pegawai": [[BUDI, NAMES[BUDI], "Kepala Dinas", "II.b", DINKES, "Aktif"],
                    [ANI, NAMES[ANI], "Kepala Seksi", "IV.a", DINKES, "Aktif"],
                    [DEDI, NAMES[DEDI], "Camat Sirimau", "III.a", SIRIMAU, "Aktif"]],
        "OPD": [[DINKES, "DINKES"], [SIRIMAU, "KEC. SIRIMAU"]], "UMKM": [[SAGU], [KOPI]]}, "2026-11", as_text=True)
    clock = Clock.fixed(dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.timezone.utc))

    def press(action):
        port = OpenpyxlPort(book)
        text = buttons.run(port, action, clock=clock)
        port.save()
        return text, openpyxl.load_workbook(book)

    text, _ = press("hitung_kekurangan")
    assert "Dibaca juga" not in text  # no folder yet: the workbook alone
    buttons.run(OpenpyxlPort(book), "buat_formulir", clock=Clock.fixed(GENERATED))
    folder = tmp_path / "Formulir-2026-11"
    dinkes = folder / "Formulir-Belanja-DINKES-2026-11.xlsx"
    fill(dinkes, [(day(5), ANI, SAGU, "Mie sagu", 20000, "N-1"), (day(6), BUDI, KOPI, "Kopi", 40000, "N-2"),
                  (day(7), "199912312020121009", KOPI, "Kopi", 5000, "N-3")], dinkes)  # saved over the blank one
    masukan = tmp_path / "Masukan"
    write(masukan / "Belanja-Sirimau.xlsx", {"Belanja": [
        ["Tanggal", "NIP", "Nama", "UMKM", "Produk", "Jumlah (Rp)", "No. Nota"],
        [day(9), DEDI, NAMES[DEDI], SAGU, "Bagea", 30000, "S-1"]]})
    # An office returned the same template under the same name: read, and told apart by its folder.
    filled_copy(masukan / book.name, {"Pegawai": [], "Belanja": [
        [dt.datetime(2026, 11, 10), DEDI, NAMES[DEDI], KOPI, "Kopi", 15000, "S-2"]]}, "2026-11", as_text=True)

    text, wb = press("hitung_kekurangan")
    assert "Dibaca juga berkas di folder Masukan, Formulir-2026-11" in text
    spent = {r["NIP"]: r["Belanja"] for r in table(wb["Hasil"])}
    assert spent == {BUDI: 40000, ANI: 20000, DEDI: 45000}
    problems = table(wb["Masalah Data"])
    (stranger,) = [p for p in problems if p["Kode"] == "NIP_TIDAK_TERDAFTAR"]
    assert stranger["Berkas"] == dinkes.name
    cell = next(c for row in wb["Masalah Data"].iter_rows() for c in row if c.value == dinkes.name)
    assert cell.hyperlink is not None and cell.hyperlink.target == str(dinkes)

    text, wb = press("periksa_data")
    assert "Dibaca juga berkas di folder Masukan, Formulir-2026-11" in text


def test_periksa_says_what_a_forms_helper_sheets_are(made, capsys):
    pusat, paths, _ = made
    assert cli.main(["periksa", str(pusat), str(paths[DINKES])]) == 0
    out = capsys.readouterr().out
    assert re.search(r"Petunjuk\s+dilewati \(lembar petunjuk\)", out)
    assert re.search(r"Data Formulir\s+dilewati \(lembar data formulir OPD: identitas dan daftar pilihan\)", out)


# ---------------------------------------------------------------- a form saved in another format (issue 19.1)


def saved_by_libreoffice(src: Path, out_dir: Path, profile: Path, fmt: str) -> Path:
    """`src` opened and saved by LibreOffice as `fmt` (ods, xlsx, xls).

    Converting keeps the source's last-saved time; in an .ods LibreOffice
    writes it without a zone, as it writes a user's local save time.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    filters = {"xlsx": "xlsx:Calc Office Open XML", "ods": "ods", "xls": "xls:MS Excel 97"}
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", filters[fmt], "--outdir", str(out_dir), str(src)],
                   check=True, capture_output=True, timeout=180)
    return out_dir / f"{src.stem}.{fmt}"


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("fmt", ["ods", "xlsx"])
def test_a_corrected_resubmission_saved_by_libreoffice_replaces_the_first_wholesale(made, tmp_path, fmt):
    """The office sent Budi's two receipts, then deleted the wrong one and sent the form again from
    LibreOffice: only the corrected form counts (Rp60.000, KURANG Rp40.000), in either format."""
    pusat, paths, _ = made
    folder = tmp_path / "kembali"
    first = fill(paths[DINKES], [(day(6), BUDI, KOPI, "Kopi", 60000, "N-1"),
                                 (day(6), BUDI, SAGU, "Mie sagu", 40000, "N-2")], folder / "dinkes-1.xlsx")
    set_saved(first, dt.datetime(2026, 11, 22, 0, 0, tzinfo=dt.timezone.utc))
    corrected = fill(paths[DINKES], [(day(6), BUDI, KOPI, "Kopi", 60000, "N-1")], tmp_path / "isi" / "dinkes-2.xlsx")
    set_saved(corrected, dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.timezone.utc))
    resent = saved_by_libreoffice(corrected, folder, tmp_path / "profile", fmt)

    identity = forms.read_identity(resent)
    assert (identity.office, identity.abbreviation, identity.period) == (DINKES, "DINKES", PERIOD)
    # .xlsx: 09:30 UTC; .ods: "09:30", no zone, read as 09:30 WIT (00:30 UTC): still after the first
    hour = {"xlsx": 9, "ods": 0}[fmt]
    assert identity.saved_at == dt.datetime(2026, 11, 22, hour, 30, tzinfo=dt.timezone.utc)
    result = services.calculate([pusat, folder], PERIOD, clock=CLOCK)
    assert [(p.code, p.place.file) for p in result.problems] == [("FORMULIR_VERSI_LAMA", "dinkes-1.xlsx")]
    budi = next(e for e in result.employees if e.nip == BUDI)
    assert (budi.spent, budi.shortfall, budi.status) == (60000, 40000, Status.KURANG)


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_a_form_saved_as_ods_or_xls_still_reports_other_offices_and_other_months(made, tmp_path, fmt):
    pusat, paths, _ = made
    filled = fill(paths[DINKES], [(day(30, 10), ANI, SAGU, "Mie sagu", 20000, "N-1"),
                                  (day(7), DEDI, KOPI, "Kopi", 30000, "N-2")], tmp_path / "isi" / "f.xlsx")
    saved = saved_by_libreoffice(filled, tmp_path / "lo", tmp_path / "profile", fmt)
    result = services.calculate([pusat, saved], PERIOD, clock=CLOCK)
    assert sorted((p.code, p.place.file, p.place.cell) for p in result.problems) == [
        ("NIP_OPD_LAIN", saved.name, f"B{forms.FIRST_ROW + 1}"),
        ("TANGGAL_DI_LUAR_PERIODE", saved.name, f"A{forms.FIRST_ROW}")]
    assert spent(result)[DEDI] == 30000


def _ods_meta() -> str:
    """What LibreOffice writes for a form saved as .ods (its meta.xml user-defined properties)."""
    meta = ('<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            '<office:meta><dc:date>2026-11-22T09:30:00</dc:date>'
            '<meta:user-defined meta:name="JikuBata.DibuatPada">2026-11-01T17:00:00+09:00</meta:user-defined>'
            '<meta:user-defined meta:name="JikuBata.Jenis">Formulir Belanja Jiku Bata</meta:user-defined>'
            '<meta:user-defined meta:name="JikuBata.OPD">Dinas Kesehatan</meta:user-defined>'
            '<meta:user-defined meta:name="JikuBata.Periode" meta:value-type="string">2026-11</meta:user-defined>'
            '<meta:user-defined meta:name="JikuBata.Singkatan" meta:value-type="string">DINKES</meta:user-defined>'
            '</office:meta></office:document-meta>')
    return meta


def test_an_ods_meta_xml_gives_the_identity_and_its_save_time_in_wit(tmp_path):
    path = tmp_path / "formulir.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("meta.xml", _ods_meta())
        zf.writestr("content.xml", "<office:document-content/>")
    identity = forms.read_identity(path)
    assert (identity.office, identity.abbreviation, identity.period) == (DINKES, "DINKES", PERIOD)
    assert identity.saved_at == dt.datetime(2026, 11, 22, 0, 30, tzinfo=dt.timezone.utc)  # 09:30 WIT
    assert not identity.pristine


def test_identity_is_read_from_the_data_formulir_sheet_of_any_format(made, tmp_path):
    """A form re-saved as .xls/.xlsb keeps no custom properties, but its hidden sheet."""
    from jikubata.adapters.files import SheetRows, Workbook

    _, paths, _ = made
    rows = CalamineWorkbook.from_path(str(paths[DINKES])).get_sheet_by_name(forms.SHEET_DATA).to_python()
    saved = dt.datetime(2026, 11, 22, tzinfo=dt.timezone.utc)
    book = Workbook("f.xls", "xls", saved, [SheetRows("Belanja", []), SheetRows(forms.SHEET_DATA, rows)])
    identity = forms.identity_of(tmp_path / "f.xls", book)
    assert (identity.file, identity.office, identity.period, identity.saved_at) == ("f.xls", DINKES, PERIOD, saved)
    assert forms.identity_of(tmp_path / "g.xls", Workbook("g.xls", "xls", saved, [SheetRows("Belanja", [])])) is None
