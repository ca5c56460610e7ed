"""The per-department summary workbook (SPEC §6.1), read back with openpyxl, an independent reader."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from jikubata.adapters import summary
from jikubata.domain.model import (Dataset, Employee, EmploymentStatus, Office, Period, Place, Problem, Purchase, Seller,
                             Settings, Severity, Status, Tier, compute, office_key)
from jikubata.domain.errors import InputError

from tests.support import workbooks
from tests.support.cli import jikubata_here as jb

PERIOD = Period(2026, 11)
AS_OF = dt.date(2026, 11, 20)
FORMULA_LIKE = ['=HYPERLINK("http://contoh.id","klik")', "+1", "-1", "@SUM(A1:A3)", "=1+1"]


def nip(i: int) -> str:
    return f"19800101201001{1 + i % 2}{i:03d}"


def make_result(offices=None, people=None, purchases=None, sellers=None, problems=(), as_of=AS_OF, settings=None):
    """A Result from domain records: the same `compute` every entry point uses."""
    offices = offices if offices is not None else [
        Office("Dinas Kesehatan", "Dinkes", "dr. Wendy Pelupessy", "197505052000031002"),
        Office("Kecamatan Sirimau", "KEC. SIRIMAU"),
    ]
    people = people if people is not None else [
        Employee(nip(0), "Ani Latuconsina", "Kepala Seksi Pendataan", Tier.ESELON_IV, "Dinas Kesehatan"),
        Employee(nip(1), "Budi Pattiasina", "Kepala Dinas Kesehatan", Tier.ESELON_II, "Dinas Kesehatan"),
        Employee(nip(2), "Cici Tuasikal", "Pengelola Data", Tier.NON_ESELON, "Dinas Kesehatan"),
        Employee(nip(3), "Dedi Matulessy", "Camat Sirimau", Tier.ESELON_III, "Kecamatan Sirimau"),
        Employee(nip(4), "Eka Souisa", "Lurah Batu Merah", Tier.ESELON_IV, "Kecamatan Sirimau",
                 status=EmploymentStatus.CUTI),
        Employee(nip(5), "Frans Leiwakabessy", "Kepala Seksi Umum", Tier.ESELON_IV, "Kecamatan Sirimau"),
    ]
    purchases = purchases if purchases is not None else [
        Purchase(dt.date(2026, 11, 7), nip(0), "Mie Sagu Mama Ona", 15_000),
        Purchase(dt.date(2026, 11, 7), nip(1), "Mie Sagu Mama Ona", 40_000),
        Purchase(dt.date(2026, 11, 9), nip(1), "Bagea Kenari Hative", 25_000),
        Purchase(dt.date(2026, 11, 7), nip(3), "Bagea Kenari Hative", 30_000),
        Purchase(dt.date(2026, 11, 8), nip(2), "Kopi Rarobang", 10_000),
        Purchase(dt.date(2026, 11, 25), nip(5), "Kopi Rarobang", 20_000),  # after as-of: not counted
    ]
    sellers = sellers if sellers is not None else [Seller("Mie Sagu Mama Ona"), Seller("Bagea Kenari Hative"),
                                                   Seller("Kopi Rarobang")]
    dataset = Dataset(settings or Settings(), people, purchases, offices, sellers, list(problems), True)
    return compute(dataset, PERIOD, as_of)


def write(result, tmp_path, **kw) -> openpyxl.Workbook:
    path = summary.write_summary(result, tmp_path, **kw)
    return openpyxl.load_workbook(path)


def table_rows(ws, header_first="No"):
    """Data rows under the header row (the row whose first cell is `header_first`), as dicts."""
    rows = list(ws.iter_rows(values_only=True))
    h = next(i for i, r in enumerate(rows) if r[0] == header_first)
    header = []
    for c in rows[h]:  # the table's own header; hidden chart helper columns may follow it
        if c is None or c in header:
            break
        header.append(c)
    out = []
    for r in rows[h + 1:]:
        if all(v is None for v in r[:len(header)]):
            continue
        out.append(dict(zip(header, r[:len(header)])))
    return out


def sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode() for n in z.namelist() if n.endswith(".xml")}


# ---------------------------------------------------------------- the file


def test_file_is_named_after_the_period_with_sheets_in_order(tmp_path):
    path = summary.write_summary(make_result(), tmp_path)
    assert path == tmp_path / "Rekap-Jiku-Bata-2026-11.xlsx"
    assert openpyxl.load_workbook(path).sheetnames == [
        "Ringkasan", "Belum Memenuhi", "Rekap Dinkes", "Rekap KEC. SIRIMAU", "UMKM", "Masalah Data",
        "Berkas"]  # Berkas: issue 11


def test_file_name_can_be_chosen(tmp_path):
    path = summary.write_summary(make_result(), tmp_path / "keluar", file_name="rekap.xlsx")
    assert path == tmp_path / "keluar" / "rekap.xlsx" and path.exists()


def test_titles_give_period_and_as_of_date_in_indonesian(tmp_path):
    wb = write(make_result(), tmp_path)
    for ws in wb.worksheets:
        titles = [ws.cell(r, 1).value for r in range(1, 6)]
        assert "Periode November 2026 · keadaan per 20 November 2026" in titles or ws.title == "Masalah Data"


# ---------------------------------------------------------------- figures equal the computation


def test_summary_rows_equal_the_computation(tmp_path):
    result = make_result()
    rows = table_rows(write(result, tmp_path)["Ringkasan"])
    offices = result.to_json()["opd"]
    assert [{"opd": r["OPD"], "wajib": r["Wajib"], "memenuhi": r["Memenuhi"], "kurang": r["Kurang"],
             "belanja": r["Total Belanja"], "kekurangan": r["Total Kekurangan"],
             "melapor": r["Kepatuhan"] != summary.NOT_REPORTED} for r in rows[:-1]] == offices
    for r, o in zip(rows, result.offices):
        assert r["Kepatuhan"] == pytest.approx(o.compliance)


def test_summary_total_row_is_result_total(tmp_path):
    result = make_result()
    total = table_rows(write(result, tmp_path)["Ringkasan"])[-1]
    t = result.total
    assert (total["OPD"], total["Wajib"], total["Memenuhi"], total["Kurang"], total["Total Belanja"],
            total["Total Kekurangan"]) == ("Jumlah", t.obliged, t.met, t.short, t.spent, t.shortfall)
    assert total["Kepatuhan"] == pytest.approx(t.compliance)


def test_office_sheets_list_every_employee_with_the_computed_figures(tmp_path):
    result = make_result()
    wb = write(result, tmp_path)
    seen = {}
    for name in ("Rekap Dinkes", "Rekap KEC. SIRIMAU"):
        for r in table_rows(wb[name])[:-1]:
            seen[r["NIP"]] = r
    status_text = {s.value: summary.STATUS_LABELS[s] for s in Status}
    tier_label = {t.value: t.label for t in Tier}
    expected = result.to_json()["pegawai"]
    assert set(seen) == {e["nip"] for e in expected}
    for e in expected:
        r = seen[e["nip"]]
        assert (r["Nama"], r["Tingkat"], r["Belanja"], r["Kekurangan"], r["Status"]) == (
            e["nama"], tier_label[e["tingkat"]], e["belanja"], e["kekurangan"], status_text[e["status"]])
        assert r["Minimum"] == (e["minimum"] if e["minimum"] is not None else summary.MINIMUM_NOT_SET)


def test_office_sheet_total_row_is_the_office_totals(tmp_path):
    result = make_result()
    total = table_rows(write(result, tmp_path)["Rekap Dinkes"])[-1]
    office = result.offices[0]
    assert (total["Nama"], total["Belanja"], total["Kekurangan"]) == ("Jumlah", office.spent, office.shortfall)


def test_office_sheet_is_sorted_by_shortfall_largest_first(tmp_path):
    rows = table_rows(write(make_result(), tmp_path)["Rekap Dinkes"])[:-1]
    shortfalls = [r["Kekurangan"] for r in rows]
    assert shortfalls == sorted(shortfalls, reverse=True) and shortfalls[0] > 0


def test_minimum_not_set_is_said_in_words_not_shown_as_zero(tmp_path):
    wb = write(make_result(), tmp_path)
    cici = next(r for r in table_rows(wb["Rekap Dinkes"]) if r["Nama"] == "Cici Tuasikal")
    assert cici["Minimum"] == "belum ditetapkan"
    assert cici["Status"] == "Tidak wajib"


def test_purchases_after_as_of_date_are_not_in_the_figures(tmp_path):
    frans = next(r for r in table_rows(write(make_result(), tmp_path)["Rekap KEC. SIRIMAU"])
                 if r["Nama"] == "Frans Leiwakabessy")
    assert (frans["Belanja"], frans["Kekurangan"]) == (0, 20_000)


def test_sellers_sheet_gives_transactions_buyers_and_revenue_by_revenue(tmp_path):
    result = make_result()
    rows = table_rows(write(result, tmp_path)["UMKM"])
    assert [(r["UMKM"], r["Transaksi"], r["Pembeli"], r["Pendapatan"]) for r in rows] == [
        ("Bagea Kenari Hative", 2, 2, 55_000), ("Mie Sagu Mama Ona", 2, 2, 55_000), ("Kopi Rarobang", 1, 1, 10_000)]
    assert [(s.seller, s.revenue) for s in result.sellers] == [(r["UMKM"], r["Pendapatan"]) for r in rows]


def test_problems_sheet_lists_every_problem_with_its_place(tmp_path):
    problems = [
        Problem(Place("dinkes.xlsx", "Belanja", "B12"), "NIP_TIDAK_TERDAFTAR", Severity.GALAT,
                "NIP 198001012010011999 tidak ada di lembar Pegawai."),
        Problem(Place("sirimau.xlsx", "Belanja Nov", "F9"), "JUMLAH_BESAR", Severity.PERINGATAN,
                "Jumlah Rp6.000.000 di atas batas wajar Rp5.000.000."),
    ]
    result = make_result(problems=problems)
    rows = table_rows(write(result, tmp_path)["Masalah Data"])
    assert [{"berkas": r["Berkas"], "lembar": r["Lembar"], "sel": r["Sel"], "tingkat": r["Tingkat"],
             "kode": r["Kode"], "pesan": r["Pesan"]} for r in rows] == result.to_json()["masalah"]


def test_no_problems_is_said_not_left_blank(tmp_path):
    ws = write(make_result(problems=()), tmp_path)["Masalah Data"]
    assert "Tidak ada masalah data." in [c.value for row in ws.iter_rows() for c in row]


def test_workbook_cells_are_exactly_the_sheet_tables(tmp_path):
    """One source: the xlsx writer lays out `sheet_tables`, nothing else."""
    result = make_result()
    wb = write(result, tmp_path)
    for table in summary.sheet_tables(result):
        ws = wb[table.name]
        first = table.header_row + 1  # 1-based row of the header
        assert [ws.cell(first, c + 1).value for c in range(len(table.header))] == table.header
        for i, row in enumerate(table.rows + ([table.total] if table.total else []), first + 1):
            got = [ws.cell(i, c + 1).value for c in range(len(row))]
            assert got == [None if v == "" else v for v in row]


# ---------------------------------------------------------------- text stays text


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_looking_input_text_stays_text(tmp_path, text):
    people = [Employee(nip(0), text, text, Tier.ESELON_IV, text)]
    result = make_result(offices=[Office(text, "")], people=people, sellers=[Seller(text)],
                         purchases=[Purchase(dt.date(2026, 11, 7), nip(0), text, 5_000)],
                         problems=[Problem(Place(text, text, "A1"), "X", Severity.GALAT, text)])
    path = summary.write_summary(result, tmp_path)
    wb = openpyxl.load_workbook(path)
    found = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == text]
    assert len(found) >= 7  # office, name, position (office sheet), Ringkasan, UMKM, and the problem's fields
    assert all(c.data_type == "s" for c in found)
    assert not any(re.search(r"<f[ >]", xml) for name, xml in sheet_xml(path).items() if "worksheets" in name)


def test_control_characters_in_names_do_not_corrupt_the_file(tmp_path):
    weird = "Ani\x01 La\x0btu\x1f [x]"
    people = [Employee(nip(0), weird, "Staf\x07", Tier.ESELON_IV, "Dinas\x02 Kesehatan")]
    result = make_result(offices=[Office("Dinas\x02 Kesehatan", "Din\x03kes")], people=people)
    wb = write(result, tmp_path)
    assert wb.sheetnames[2] == "Rekap Din kes"
    assert table_rows(wb["Rekap Din kes"])[0]["Nama"].startswith("Ani")


# ---------------------------------------------------------------- sheet names


def names_for(*offices: Office) -> list[str]:
    people = [Employee(nip(i), f"Pegawai {i}", "Staf", Tier.ESELON_IV, o.name) for i, o in enumerate(offices)]
    return list(summary.sheet_names(make_result(offices=list(offices), people=people)).values())


def test_sheet_name_uses_the_abbreviation():
    assert names_for(Office("Dinas Perindustrian dan Perdagangan", "Disperindag")) == ["Rekap Disperindag"]


def test_long_name_without_abbreviation_is_cut_at_a_word_to_31_characters():
    [name] = names_for(Office("Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah"))
    assert name == "Rekap Badan Perencanaan" and len(name) <= 31


def test_forbidden_characters_and_edge_apostrophes_are_removed():
    [a, b] = names_for(Office("Bagian Umum/Protokol [Setda]: *Pimpinan*?"), Office("x", "'Dinas O'"))
    assert not set("[]:*?/\\") & set(a + b)
    assert a == "Rekap Bagian Umum Protokol" and b == "Rekap Dinas O"


def test_offices_that_shorten_alike_get_unique_names_ignoring_case():
    names = names_for(Office("Dinas Kesehatan", "DINKES"), Office("Dinas Kesehatan Hewan", "Dinkes"),
                      Office("Unit Pelaksana Teknis Daerah Puskesmas Rijali"),
                      Office("Unit Pelaksana Teknis Daerah Puskesmas Passo"),
                      Office("Unit Pelaksana Teknis Daerah Puskesmas Waihaong"))
    assert len({n.casefold() for n in names}) == len(names)
    assert all(len(n) <= 31 for n in names)
    assert names[:2] == ["Rekap DINKES", "Rekap Dinkes (2)"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=70), st.text(max_size=40)), min_size=1, max_size=12,
                unique_by=lambda o: office_key(o[0])))
def test_any_office_names_give_valid_unique_sheet_names(offices):
    names = names_for(*(Office(name, abbreviation) for name, abbreviation in offices))
    assert len(names) == len(offices)
    assert len({n.casefold() for n in names}) == len(names)
    assert not {n.casefold() for n in names} & {r.casefold() for r in summary.RESERVED_SHEET_NAMES}
    for n in names:
        assert 0 < len(n) <= 31 and not set("[]:*?/\\") & set(n)
        assert not n.startswith("'") and not n.endswith("'") and n.isprintable()


def test_sheet_names_are_accepted_by_a_real_workbook(tmp_path):
    offices = [Office("A" * 60), Office("A" * 61), Office("Rekap"), Office("UMKM"), Office("ringkasan"),
               Office("'''"), Office("Dinas ' Test'")]
    people = [Employee(nip(i), f"P {i}", "Staf", Tier.ESELON_IV, o.name) for i, o in enumerate(offices)]
    wb = write(make_result(offices=offices, people=people), tmp_path)
    assert len(wb.sheetnames) == len(offices) + 5  # Ringkasan, Belum Memenuhi, UMKM, Masalah Data, Berkas


# ---------------------------------------------------------------- formatted for people


def test_headers_are_frozen_filtered_and_printed_on_every_page(tmp_path):
    path = summary.write_summary(make_result(), tmp_path)
    ws = openpyxl.load_workbook(path)["Rekap Dinkes"]
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "No")
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.auto_filter.ref.startswith(f"A{header_row}:I")
    assert ws.print_title_rows == f"${header_row}:${header_row}"
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage  # 1 page wide (the default), pages down as needed
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert "Halaman &P dari &N" in ws.oddFooter.right.text


def test_money_is_in_rupiah_format_and_compliance_in_percent(tmp_path):
    ws = write(make_result(), tmp_path)["Ringkasan"]
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "No")
    assert ws.cell(header_row + 1, 8).number_format == '"Rp"#,##0'
    assert ws.cell(header_row + 1, 7).number_format == "0.0%"


def test_status_column_is_coloured_by_conditional_formatting(tmp_path):
    ws = write(make_result(), tmp_path)["Rekap Dinkes"]
    rules = {rule.formula[0] for cf in ws.conditional_formatting for rule in cf.rules}
    assert {'"Kurang"', '"Memenuhi"', '"Tidak wajib"'} <= rules
    assert all(str(cf.sqref).startswith("I") for cf in ws.conditional_formatting)


def test_summary_has_a_bar_chart_of_compliance_by_office(tmp_path):
    path = summary.write_summary(make_result(), tmp_path)
    charts = [x for n, x in sheet_xml(path).items() if n.startswith("xl/charts/")]
    assert len(charts) == 1 and "<c:barChart>" in charts[0] and "Ringkasan" in charts[0]


def test_rows_with_long_wrapped_text_are_made_taller(tmp_path):
    long_position = "Kepala Sub Bagian Perencanaan, Evaluasi dan Pelaporan pada Sekretariat Dinas Kesehatan Kota Ambon"
    people = [Employee(nip(0), "Ani", long_position, Tier.ESELON_IV, "Dinas Kesehatan"),
              Employee(nip(1), "Budi", "Staf", Tier.ESELON_IV, "Dinas Kesehatan")]
    ws = write(make_result(people=people), tmp_path)["Rekap Dinkes"]
    rows = {ws.cell(r, 3).value: r for r in range(1, ws.max_row + 1)}
    assert ws.row_dimensions[rows["Ani"]].height >= 2 * 12.75
    assert ws.row_dimensions[rows["Budi"]].height is None  # the default height
    assert ws.cell(rows["Ani"], 4).alignment.wrap_text


def test_office_where_nobody_is_obliged_shows_a_dash_not_zero_percent(tmp_path):
    people = [Employee(nip(0), "Cici", "Staf", Tier.NON_ESELON, "Dinas Kesehatan")]
    rows = table_rows(write(make_result(people=people), tmp_path)["Ringkasan"])
    assert rows[0]["Kepatuhan"] == "-" and rows[0]["Wajib"] == 0


def test_summary_lists_the_worst_office_first_with_a_colour_scale_and_prints_on_one_page(tmp_path):
    result = make_result()
    ws = write(result, tmp_path)["Ringkasan"]
    rows = table_rows(ws)[:-1]
    shares = {o.office: o.compliance for o in result.offices}
    assert [r["OPD"] for r in rows] == sorted(shares, key=shares.get)
    assert [r["No"] for r in rows] == list(range(1, len(rows) + 1))
    [scale] = [cf for cf in ws.conditional_formatting if any(rule.type == "colorScale" for rule in cf.rules)]
    assert str(scale.sqref).startswith("G")  # Kepatuhan
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight in (None, 1)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and not ws.print_title_rows
    assert not ws.row_breaks.brk  # no page break before the chart


def test_figures_are_cells_never_text_in_titles(tmp_path):
    path = summary.write_summary(make_result(), tmp_path)
    wb = openpyxl.load_workbook(path)
    for table in summary.sheet_tables(make_result()):
        for line in table.title:
            assert not re.search(r"Rp ?\d|\d ?%|\d+ (galat|peringatan|orang)", line), (table.name, line)
    ws = wb["Rekap Dinkes"]
    facts = {ws.cell(r, c).value: ws.cell(r + 1, c) for r in range(1, 8) for c in range(2, 7)
             if ws.cell(r, c).value in ("Wajib", "Kepatuhan", "Kekurangan")}
    dinkes = next(o for o in make_result().offices if o.office == "Dinas Kesehatan")
    assert facts["Wajib"].value == dinkes.obliged
    assert facts["Kepatuhan"].value == pytest.approx(dinkes.compliance) and facts["Kepatuhan"].number_format == "0.0%"
    assert facts["Kekurangan"].value == dinkes.shortfall and facts["Kekurangan"].number_format == '"Rp"#,##0'


def test_belum_memenuhi_lists_everyone_short_by_office_then_shortfall_as_an_excel_table(tmp_path):
    offices = [Office("Dinas Pariwisata", "Dispar"), Office("Dinas Kesehatan", "Dinkes")]
    people = [Employee(nip(i), f"Pegawai {i}", "Kasi", tier, office)
              for i, (tier, office) in enumerate([(Tier.ESELON_IV, "Dinas Pariwisata"),
                                                  (Tier.ESELON_III, "Dinas Pariwisata"),
                                                  (Tier.ESELON_II, "Dinas Kesehatan"),
                                                  (Tier.ESELON_IV, "Dinas Kesehatan"),
                                                  (Tier.ESELON_IV, "Dinas Kesehatan"),
                                                  (Tier.NON_ESELON, "Dinas Kesehatan")])]
    purchases = [Purchase(dt.date(2026, 11, 7), nip(1), "Kopi Rarobang", 10_000),
                 Purchase(dt.date(2026, 11, 7), nip(4), "Kopi Rarobang", 25_000)]
    result = make_result(offices=offices, people=people, purchases=purchases)
    path = summary.write_summary(result, tmp_path)
    ws = openpyxl.load_workbook(path)["Belum Memenuhi"]
    rows = table_rows(ws)
    total, rows = rows[-1], rows[:-1]
    assert [(r["OPD"], r["NIP"], r["Kekurangan"]) for r in rows] == [  # the OPD by its Singkatan
        ("Dinkes", nip(2), 100_000), ("Dinkes", nip(3), 20_000),
        ("Dispar", nip(0), 20_000), ("Dispar", nip(1), 20_000)]  # a tie: by name
    expected = {e.nip: e for e in result.short_employees()}
    for r in rows:
        e = expected[r["NIP"]]
        assert (r["Nama"], r["Tingkat"], r["Minimum"], r["Belanja"]) == (e.name, e.tier.label, e.minimum, e.spent)
    assert total["Kekurangan"] == result.total.shortfall
    [table] = ws.tables.values()
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "No")
    assert table.ref == f"A{header_row}:H{header_row + 4}" and table.autoFilter is not None


def test_belum_memenuhi_says_so_when_nobody_is_short(tmp_path):
    people = [Employee(nip(0), "Cici", "Staf", Tier.NON_ESELON, "Dinas Kesehatan")]
    ws = write(make_result(people=people), tmp_path)["Belum Memenuhi"]
    assert "Semua ASN yang wajib telah memenuhi belanja minimum." in [c.value for row in ws.iter_rows() for c in row]


# ---------------------------------------------------------------- trend


def trend_for(result, weeks):
    points = []
    for week, day in weeks:
        points += summary.trend_points(make_result(as_of=day, offices=list(result.office_info.values())), week)
    return points


def test_trend_sheet_is_a_grid_of_offices_by_week_worst_office_first(tmp_path):
    result = make_result()
    trend = trend_for(result, [("2026-W45", dt.date(2026, 11, 8)), ("2026-W47", dt.date(2026, 11, 20))])
    path = summary.write_summary(result, tmp_path, trend=trend)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[-1] == "Tren"
    rows = table_rows(wb["Tren"])
    week_heads = ["s.d. 8 Nov", "s.d. 20 Nov"]
    assert list(rows[0]) == ["No", "OPD", "Wajib"] + week_heads
    by_key = {(p.week, p.office): p for p in trend}
    latest = {o: by_key[("2026-W47", o)].compliance for o in ("Dinas Kesehatan", "Kecamatan Sirimau")}
    expected_order = sorted(latest, key=lambda o: latest[o])
    assert [r["OPD"] for r in rows] == expected_order + ["Jumlah semua OPD"]
    for r in rows:
        office = summary.TREND_TOTAL if r["OPD"] == "Jumlah semua OPD" else r["OPD"]
        for week, head in zip(("2026-W45", "2026-W47"), week_heads):
            assert r[head] == pytest.approx(by_key[(week, office)].compliance)
        assert r["Wajib"] == by_key[("2026-W47", office)].obliged
    ws = wb["Tren"]
    scales = [cf for cf in ws.conditional_formatting if any(rule.type == "colorScale" for rule in cf.rules)]
    assert [str(cf.sqref)[0] for cf in scales] == ["D"]  # the weeks, D…E
    [line] = [x for n, x in sheet_xml(path).items() if n.startswith("xl/charts/") and "<c:lineChart>" in x]
    assert line.count("<c:ser>") == 3 and "seluruh OPD dan setiap OPD" in line  # two offices and the city


def test_trend_chart_shows_the_city_and_the_five_lowest_offices_in_distinct_colours(tmp_path):
    offices = [Office(f"Kantor {i:02d}", f"K{i:02d}") for i in range(20)]
    people = [Employee(nip(i * 10 + k), f"P {i} {k}", "Kasi", Tier.ESELON_IV, o.name)
              for i, o in enumerate(offices) for k in range(4)]
    # Office i: i // 5 of its four staff meet the minimum (0 %, 25 %, 50 %, 75 %).
    purchases = [Purchase(dt.date(2026, 11, 7), nip(i * 10 + k), "Kopi Rarobang", 20_000)
                 for i in range(20) for k in range(i // 5)]
    purchases += [Purchase(dt.date(2026, 11, 8), nip(i * 10 + 3), "Kopi Rarobang", 1_000) for i in range(20)]
    result = make_result(offices=offices, people=people, purchases=purchases)
    path = summary.write_summary(result, tmp_path, trend=summary.trend_points(result, "2026-W47"))
    [chart] = [x for n, x in sheet_xml(path).items() if n.startswith("xl/charts/") and "<c:lineChart>" in x]
    assert chart.count("<c:ser>") == summary.TREND_CHART_OFFICES + 1
    assert "seluruh OPD dan 5 OPD terendah" in chart
    names = re.findall(r"<c:tx><c:strRef><c:f>[^<]*</c:f><c:strCache><c:ptCount val=\"1\"/><c:pt idx=\"0\"><c:v>([^<]*)",
                       chart)
    assert names == ["K00", "K01", "K02", "K03", "K04", "Jumlah semua OPD"]  # the 0 % offices, then the city
    colours = re.findall(r'<c:spPr><a:ln w="\d+"><a:solidFill><a:srgbClr val="([0-9A-F]{6})"', chart)
    assert len(colours) == 6 and len(set(colours)) == 6
    rows = table_rows(openpyxl.load_workbook(path)["Tren"])
    shares = [r["s.d. 20 Nov"] for r in rows[:-1]]
    assert shares == sorted(shares) and len(rows) == 21


# ---------------------------------------------------------------- atomic, errors


def test_a_failed_write_leaves_the_previous_summary_untouched(tmp_path, monkeypatch):
    path = summary.write_summary(make_result(), tmp_path)
    before = path.read_bytes()

    def disk_full(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("zipfile.ZipFile.writestr", disk_full)  # the disk fills up while the zip is written
    with pytest.raises(InputError, match=r"folder keluaran .* tidak dapat ditulis \(disk penuh\)") as raised:
        summary.write_summary(make_result(as_of=dt.date(2026, 11, 30)), tmp_path)
    assert "No space" not in str(raised.value)   # never the system's English
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_a_folder_in_the_way_of_the_summary_is_a_clear_error_and_stays(tmp_path):
    (tmp_path / "Rekap-Jiku-Bata-2026-11.xlsx").mkdir()
    with pytest.raises(InputError, match="Rekap-Jiku-Bata-2026-11.xlsx tidak dapat ditulis: di tempatnya ada folder"):
        summary.write_summary(make_result(), tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["Rekap-Jiku-Bata-2026-11.xlsx"]


def test_output_folder_that_is_a_file_is_a_clear_indonesian_error(tmp_path):
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("x")
    with pytest.raises(InputError, match=r"folder keluaran .*bukan-folder tidak dapat ditulis \(jalurnya melewati "
                                         r"sebuah berkas, bukan folder\)"):
        summary.write_summary(make_result(), blocker)


# ---------------------------------------------------------------- through the command line


def test_rekap_command_matches_hitung_json_for_messy_input(tmp_path):
    book = workbooks.basic(tmp_path / "masuk" / "dinkes.xlsx", purchases=[
        (dt.date(2026, 11, 7), workbooks.NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie", "Rp 15.000", "N1"),
        ("7 November 2026", workbooks.NIP_BUDI, "Budi", "mie sagu  mama ona", "Mie", 120000, "N2"),
        (dt.date(2026, 11, 8), "198001012010011999", "Siapa", "Mie Sagu Mama Ona", "Mie", 5000, "N3"),
        (dt.date(2026, 11, 9), workbooks.NIP_DEDI, "Dedi", "=HYPERLINK(\"x\")", "Kue", "20.000", "N4"),
    ])
    out = tmp_path / "keluar"
    done = jb("rekap", book, "--periode", "2026-11", "--per-tanggal", "2026-11-20", "--keluaran", out)
    assert done.returncode == 0, done.stderr
    assert "Rekap-Jiku-Bata-2026-11.xlsx" in done.stdout
    assert "keadaan per 20 November 2026: kepatuhan" in done.stdout and "masalah data" in done.stdout
    expected = json.loads(jb("hitung", book, "--periode", "2026-11", "--per-tanggal", "2026-11-20", "--json").stdout)
    wb = openpyxl.load_workbook(out / "Rekap-Jiku-Bata-2026-11.xlsx")
    rows = table_rows(wb["Ringkasan"])[:-1]
    assert sorted((r["OPD"], r["Wajib"], r["Memenuhi"], r["Kurang"], r["Total Belanja"], r["Total Kekurangan"])
                  for r in rows) == sorted((o["opd"], o["wajib"], o["memenuhi"], o["kurang"], o["belanja"],
                                            o["kekurangan"]) for o in expected["opd"])
    employees = {r["NIP"]: r for name in wb.sheetnames if name.startswith("Rekap ")
                 for r in table_rows(wb[name])[:-1]}
    assert {n: (r["Belanja"], r["Kekurangan"]) for n, r in employees.items()} == {
        e["nip"]: (e["belanja"], e["kekurangan"]) for e in expected["pegawai"]}
    problems = table_rows(wb["Masalah Data"])
    assert [(p["Sel"], p["Kode"]) for p in problems] == [(m["sel"], m["kode"]) for m in expected["masalah"]]
    assert book.stat().st_size > 0 and expected["masalah"]  # messy input did produce problems


def test_rekap_command_into_an_unusable_folder_exits_2_without_traceback(tmp_path):
    book = workbooks.basic(tmp_path / "dinkes.xlsx")
    blocker = tmp_path / "berkas"
    blocker.write_text("x")
    done = jb("rekap", book, "--periode", "2026-11", "--keluaran", blocker)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "bukan folder" in done.stderr and str(blocker) in done.stderr


# ---------------------------------------------------------------- a real office application


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"), reason="LibreOffice not installed")
def test_libreoffice_opens_the_summary_and_prints_it_with_page_numbers(tmp_path):
    result = make_result()
    trend = trend_for(result, [("2026-W46", dt.date(2026, 11, 15)), ("2026-W47", dt.date(2026, 11, 20))])
    path = summary.write_summary(result, tmp_path / "rekap", trend=trend)
    pdf_dir = tmp_path / "pdf"
    done = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                           "--convert-to", "pdf", "--outdir", str(pdf_dir), str(path)],
                          capture_output=True, text=True, timeout=180)
    pdf = pdf_dir / "Rekap-Jiku-Bata-2026-11.pdf"
    assert pdf.exists(), done.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "Halaman 1 dari" in text
        assert "REKAP BELANJA WAJIB PRODUK UMKM" in text
        assert "Ani Latuconsina" in text and "Kepatuhan per OPD" in text


@given(st.lists(st.text(alphabet="abcAB c", min_size=1, max_size=40), min_size=1, max_size=12))
def test_unique_sheet_names_fit_excel_and_never_repeat_ignoring_case(bases):
    used: set[str] = set()
    names = [summary.unique_sheet_name("Rekap ", base, used) for base in bases]

    assert all(len(n) <= 31 and n.startswith("Rekap ") for n in names)
    assert len({n.casefold() for n in names}) == len(names)


# ---------------------------------------------------------------- one order of offices (issue 19.9)


def _tied_offices():
    """Seven offices all at 0 %: their shortfalls differ, and the ones with more staff owe less (so ordering
    by the number of staff, or by the OPD sheet, would give another order than by the shortfall)."""
    offices = [Office(f"Kantor {c}", f"K{c}") for c in "ABCDEFG"]
    sizes = {"A": 6, "B": 5, "C": 1, "D": 2, "E": 4, "F": 3, "G": 2}
    tiers = {"A": Tier.ESELON_IV, "B": Tier.ESELON_IV, "C": Tier.ESELON_II, "D": Tier.ESELON_II,
             "E": Tier.ESELON_III, "F": Tier.ESELON_III, "G": Tier.ESELON_II}
    people = [Employee(nip(i * 10 + k), f"P {c} {k}", "Kasi", tiers[c], f"Kantor {c}")
              for i, c in enumerate("ABCDEFG") for k in range(sizes[c])]
    # Each office reported (one small purchase, nobody meets the minimum).
    bought = [Purchase(dt.date(2026, 11, 7), nip(i * 10), "Kopi Rarobang", 1_000) for i in range(7)]
    return make_result(offices=offices, people=people, purchases=bought)


def test_worst_first_is_lowest_compliance_then_largest_shortfall_then_name():
    from jikubata.domain.model import OfficeTotals, worst_first

    offices = [OfficeTotals("b", 4, 2, 2, 0, 10), OfficeTotals("A", 4, 2, 2, 0, 10), OfficeTotals("c", 4, 2, 2, 0, 30),
               OfficeTotals("nobody", 0, 0, 0, 0, 0), OfficeTotals("d", 4, 1, 3, 0, 5), OfficeTotals("e", 4, 4, 0, 0, 0)]
    assert [o.office for o in worst_first(offices)] == ["d", "c", "A", "b", "e", "nobody"]


def test_weekly_email_and_tren_chart_name_the_same_lowest_offices_when_compliance_ties(tmp_path):
    from jikubata.adapters.weekly import WeeklyReport

    result = _tied_offices()
    behind = [summary.office_label(result, o.office) for o in WeeklyReport("2026-W47", result, None, []).most_behind()]
    path = summary.write_summary(result, tmp_path, trend=summary.trend_points(result, "2026-W47"))
    [chart] = [x for n, x in sheet_xml(path).items() if n.startswith("xl/charts/") and "<c:lineChart>" in x]
    names = re.findall(r"<c:tx><c:strRef><c:f>[^<]*</c:f><c:strCache><c:ptCount val=\"1\"/><c:pt idx=\"0\"><c:v>([^<]*)",
                       chart)
    # short Rp200.000 (D, G: by name), Rp120.000 (A, E), Rp100.000 (B before C); by staff it would be A, B, E…
    assert behind == names[:-1] == ["KD", "KG", "KA", "KE", "KB"]
    ringkasan = [r["OPD"] for r in table_rows(openpyxl.load_workbook(path)["Ringkasan"])[:-1]]
    assert ringkasan[:5] == [f"Kantor {c}" for c in "DGAEB"]


def test_hitung_table_lists_the_worst_office_first_like_the_rekap():
    from jikubata.entrypoints import report

    offices = [Office("Dinas Satu", "SATU"), Office("Dinas Dua", "DUA"), Office("Dinas Tiga", "TIGA")]
    people = [Employee(nip(i), f"P {i}", "Kasi", Tier.ESELON_IV, o.name) for i, o in enumerate(offices)]
    purchases = [Purchase(dt.date(2026, 11, 7), nip(0), "Kopi Rarobang", 20_000),
                 Purchase(dt.date(2026, 11, 7), nip(1), "Kopi Rarobang", 1_000),
                 Purchase(dt.date(2026, 11, 7), nip(2), "Kopi Rarobang", 5_000)]
    text = report.result_text(make_result(offices=offices, people=people, purchases=purchases))
    table = [line.split()[0] for line in text.splitlines() if line.split()[:1] in (["SATU"], ["DUA"], ["TIGA"])]
    assert table[:3] == ["DUA", "TIGA", "SATU"]   # 0 % (Rp19.000 short), 0 % (Rp15.000 short), 100 %
