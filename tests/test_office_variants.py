"""Issue 11: the shapes real offices send are read to the SAME NUMBERS as our template, or named as problems.

Every variant is built in code (openpyxl, an independent writer) from the same
data as a template-shaped original, and `hitung --json` of both is compared.
"""
import datetime as dt
import json
import os
import shutil
import subprocess

import openpyxl
import pytest
from hypothesis import given, strategies as st

from jikubata import services
from jikubata.adapters.clock import Clock
from jikubata.domain import parse
from jikubata.domain.model import Period
from tests.support.cli import jikubata_here as jikubata
from tests.support.workbooks import NIP_ANI, NIP_BUDI, NIP_CICI, NIP_DEDI, write

TODAY = dt.date(2026, 11, 28)
CLOCK = Clock.fixed(TODAY)
PERIOD = Period(2026, 11)
NIK_WALIKOTA = "8171010503700001"   # born 05-03-70, a man
NIK_WAKIL = "8171054511780002"      # born 05-11-78, a woman: day + 40

PEOPLE = [  # nip, name, position, eselon, office
    (NIK_WALIKOTA, "Yohanis Pattimura", "Wali Kota Ambon", "Wali Kota", "Sekretariat Daerah"),
    (NIK_WAKIL, "Maria Tuhumury", "Wakil Wali Kota Ambon", "Wakil Walikota", "Sekretariat Daerah"),
    (NIP_ANI, "Ani Latuconsina", "Kepala Seksi Pendataan", "IV.a", "Dinas Kesehatan"),
    (NIP_BUDI, "Budi Pattiasina", "Kepala Dinas Kesehatan", "II.b", "Dinas Kesehatan"),
    (NIP_CICI, "Cici Tuasikal", "Pengelola Data", "Non Eselon", "Dinas Kesehatan"),
    (NIP_DEDI, "Dedi Matulessy", "Kepala Bidang Program", "III.a", "Dinas Kesehatan"),
]
SELLERS = ["Mie Sagu Mama Ona", "Bagea Kenari Hative", "Kenari Salawaku"]
# date, nip, name, seller, product, unit price, quantity, receipt
BUYS = [
    (dt.date(2026, 11, 7), NIK_WALIKOTA, "Yohanis Pattimura", "Kenari Salawaku", "Kenari", 45_000, 3, "N01"),
    (dt.date(2026, 11, 7), NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie sagu", 15_000, 1, "N02"),
    (dt.date(2026, 11, 7), NIP_BUDI, "Budi Pattiasina", "Bagea Kenari Hative", "Bagea", 25_000, 2, "N03"),
    (dt.date(2026, 11, 9), NIP_BUDI, "Budi Pattiasina", "Kenari Salawaku", "Kenari", 45_000, 1, "N04"),
    (dt.date(2026, 11, 9), NIP_DEDI, "Dedi Matulessy", "Mie Sagu Mama Ona", "Mie sagu", 15_000, 2, "N05"),
    (dt.date(2026, 11, 12), NIP_CICI, "Cici Tuasikal", "Bagea Kenari Hative", "Bagea", 20_000, 1, "N06"),
    (dt.date(2026, 11, 12), NIP_ANI, "Ani Latuconsina", "Kenari Salawaku", "Kenari", 30_000, 1, "N07"),
]
TEMPLATE_HEADER = ["Tanggal", "NIP", "Nama Pegawai", "UMKM", "Produk", "Jumlah (Rp)", "No. Nota"]


def template_purchases():
    return [TEMPLATE_HEADER] + [[d, n, nm, s, p, price * qty, r] for d, n, nm, s, p, price, qty, r in BUYS]


def central(path, *, roster=None, sellers_sheet="UMKM"):
    roster = roster or [["NIP", "Nama", "Jabatan", "Eselon", "OPD"]] + [list(p) for p in PEOPLE]
    return write(path, {"Pegawai": roster, sellers_sheet: [["Nama UMKM"]] + [[s] for s in SELLERS],
                        "OPD": [["Nama OPD", "Singkatan"], ["Sekretariat Daerah", "SETDA"],
                                ["Dinas Kesehatan", "DINKES"]]})


def run(folder):
    return services.calculate([folder], PERIOD, clock=CLOCK).to_json()


def figures(j):
    """The numbers of `hitung --json`: per person (by NIP) and per office."""
    people = sorted((e["nip"], e["opd"], e["tingkat"], e["minimum"], e["belanja"], e["kekurangan"], e["status"])
                    for e in j["pegawai"])
    return people, j["opd"]


def original(tmp_path):
    folder = tmp_path / "asli"
    central(folder / "pusat.xlsx")
    write(folder / "dinkes.xlsx", {"Belanja": template_purchases()})
    j = run(folder)
    assert j["masalah"] == []
    return j


def problems(j):
    return [(m["kode"], m["berkas"], m["lembar"], m["sel"]) for m in j["masalah"]]


def test_original_numbers_are_what_the_rows_say(tmp_path):
    j = original(tmp_path)
    spent = {e["nip"]: e["belanja"] for e in j["pegawai"]}
    assert spent[NIK_WALIKOTA] == 135_000 and spent[NIP_BUDI] == 95_000 and spent[NIP_ANI] == 45_000
    statuses = {e["nip"]: e["status"] for e in j["pegawai"]}
    assert statuses[NIK_WALIKOTA] == "KURANG" and statuses[NIP_BUDI] == "KURANG"
    assert statuses[NIP_ANI] == "MEMENUHI" and statuses[NIP_DEDI] == "MEMENUHI"


# ---------------------------------------------------------------- rule 2: tables found by their headers


def test_purchase_sheet_under_any_name_gives_the_same_numbers(tmp_path):
    expected = figures(original(tmp_path))
    for name in ("Sheet1", "Data Belanja", "Pembelian"):
        folder = tmp_path / name
        central(folder / "pusat.xlsx")
        write(folder / "dinkes.xlsx", {name: template_purchases()})
        j = run(folder)
        assert figures(j) == expected, name
        assert j["masalah"] == []
        assert {"berkas": "dinkes.xlsx", "lembar": name, "peran": "belanja", "baris": len(BUYS)} in j["dibaca"]


def test_umkm_sheet_renamed_daftar_umkm_gives_the_same_numbers(tmp_path):
    expected = figures(original(tmp_path))
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx", sellers_sheet="Daftar UMKM")
    write(folder / "dinkes.xlsx", {"Belanja": template_purchases()})
    j = run(folder)
    assert figures(j) == expected and j["masalah"] == []
    assert {"berkas": "pusat.xlsx", "lembar": "Daftar UMKM", "peran": "umkm", "baris": 3} in j["dibaca"]


def test_a_sheet_matching_no_table_is_left_alone_and_listed(tmp_path):
    expected = figures(original(tmp_path))
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    write(folder / "dinkes.xlsx", {"Belanja": template_purchases(), "Catatan": [["Tanggal", "Catatan"], ["x", "y"]]})
    data = services.check([folder], clock=CLOCK)
    assert figures(run(folder)) == expected
    fate = {(s.file, s.sheet): s for s in data.sheets}
    assert fate["dinkes.xlsx", "Catatan"].role is None and "tidak cocok" in fate["dinkes.xlsx", "Catatan"].skipped


def test_roster_in_a_sheet_called_sheet1_is_the_roster(tmp_path):
    expected = figures(original(tmp_path))
    folder = tmp_path / "v"
    roster = [["NIP", "Nama", "Jabatan", "Eselon", "OPD"]] + [list(p) for p in PEOPLE]
    write(folder / "pegawai.xlsx", {"Sheet1": roster})
    write(folder / "pusat.xlsx", {"UMKM": [["Nama UMKM"]] + [[s] for s in SELLERS],
                                  "OPD": [["Nama OPD"], ["Sekretariat Daerah"], ["Dinas Kesehatan"]]})
    write(folder / "dinkes.xlsx", {"Belanja": template_purchases()})
    j = run(folder)
    assert figures(j) == expected and j["masalah"] == []


# ---------------------------------------------------------------- rule 3: nothing read is a problem


def test_file_with_no_table_is_berkas_tanpa_data_naming_its_sheets_and_the_columns_needed(tmp_path):
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    write(folder / "dinkes.xlsx", {"Rekapan": [["Tgl", "Pegawai", "Uang"], [dt.date(2026, 11, 7), NIP_ANI, 5000]],
                                   "Sheet2": [["catatan"]]})
    j = run(folder)
    (m,) = [m for m in j["masalah"] if m["berkas"] == "dinkes.xlsx"]
    assert (m["kode"], m["tingkat"], m["lembar"], m["sel"]) == ("BERKAS_TANPA_DATA", "PERINGATAN", "", "")
    assert "'Rekapan'" in m["pesan"] and "'Sheet2'" in m["pesan"]
    assert "No. Nota" in m["pesan"] and "Nama UMKM" in m["pesan"] and "Eselon" in m["pesan"]


# ---------------------------------------------------------------- rule 4: the amount column


def with_quantity(amount_header):
    header = ["Tanggal", "NIP", "Nama Pegawai", "UMKM", "Produk", "Jumlah", amount_header, "No. Nota"]
    return [header] + [[d, n, nm, s, p, qty, price * qty, r] for d, n, nm, s, p, price, qty, r in BUYS]


def test_quantity_jumlah_beside_jumlah_rp_is_a_quantity_reported_once(tmp_path):
    expected = figures(original(tmp_path))
    for amount_header in ("Jumlah (Rp)", "Total (Rp)", "Total Harga"):
        folder = tmp_path / amount_header.replace(" ", "").replace("(", "").replace(")", "")
        central(folder / "pusat.xlsx")
        write(folder / "dinkes.xlsx", {"Belanja": with_quantity(amount_header)})
        j = run(folder)
        assert figures(j) == expected, amount_header
        assert problems(j) == [("KOLOM_MERAGUKAN", "dinkes.xlsx", "Belanja", "F1")]
        assert j["masalah"][0]["tingkat"] == "PERINGATAN" and f"'{amount_header}'" in j["masalah"][0]["pesan"]


def test_unit_price_times_quantity_when_no_amount_column(tmp_path):
    expected = figures(original(tmp_path))
    for quantity_header in ("Qty", "Jumlah", "Banyaknya"):
        header = ["Tanggal", "NIP", "Nama Pegawai", "UMKM", "Produk", "Harga Satuan", quantity_header, "No. Nota"]
        rows = [header] + [[d, n, nm, s, p, price, qty, r] for d, n, nm, s, p, price, qty, r in BUYS]
        folder = tmp_path / quantity_header
        central(folder / "pusat.xlsx")
        write(folder / "dinkes.xlsx", {"Pembelian": rows})
        j = run(folder)
        assert figures(j) == expected, quantity_header
        assert j["masalah"] == []


def test_bad_unit_price_is_jumlah_tidak_valid_at_the_price(tmp_path):
    rows = [["Tanggal", "NIP", "UMKM", "Harga Satuan", "Qty", "No. Nota"],
            [dt.date(2026, 11, 7), NIP_ANI, "Mie Sagu Mama Ona", "lima ribu", 2, "N1"]]
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    write(folder / "dinkes.xlsx", {"Belanja": rows})
    assert problems(run(folder)) == [("JUMLAH_TIDAK_VALID", "dinkes.xlsx", "Belanja", "D2")]


# ---------------------------------------------------------------- rule 5: SIASN roster exports


SIASN_HEADER = ["NO", "NIP BARU", "NIP LAMA", "NAMA", "GELAR DEPAN", "GELAR BELAKANG", "JENIS JABATAN",
                "JABATAN NAMA", "ESELON", "UNOR NAMA", "UNOR INDUK NAMA", "KEDUDUKAN HUKUM"]
ESELON_SIASN = {"II.b": "JPT Pratama", "III.a": "Administrator", "IV.a": "Pengawas", "Non Eselon": ""}


def siasn_roster():
    rows = [["DAFTAR PEGAWAI NEGERI SIPIL — EKSPOR SIASN"], [], SIASN_HEADER]
    for i, (nip, name, position, eselon, office) in enumerate(PEOPLE[2:], 1):
        kind = "Jabatan Fungsional" if eselon == "Non Eselon" else "Jabatan Struktural"
        rows.append([i, nip, "", name.upper(), "dr." if i == 1 else "", "M.Kes" if i == 1 else "", kind, position,
                     ESELON_SIASN[eselon], "Subbagian Umum", office, "Aktif"])
    return rows


def test_siasn_roster_export_gives_the_same_numbers(tmp_path):
    expected = figures(original(tmp_path))
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx", roster=[["NIP", "Nama", "Jabatan", "Eselon", "OPD"]] + [list(p) for p in PEOPLE[:2]])
    write(folder / "siasn-dinkes.xlsx", {"Data PNS": siasn_roster()})
    write(folder / "dinkes.xlsx", {"Belanja": template_purchases()})
    j = run(folder)
    assert figures(j) == expected
    assert j["masalah"] == []  # the names in capitals with titles still match the purchases' names
    names = {e["nip"]: e["nama"] for e in j["pegawai"]}
    assert names[NIP_ANI] == "dr. ANI LATUCONSINA, M.Kes" and names[NIP_BUDI] == "BUDI PATTIASINA"
    assert {"berkas": "siasn-dinkes.xlsx", "lembar": "Data PNS", "peran": "pegawai", "baris": 4} in j["dibaca"]


def test_siasn_kedudukan_hukum_and_pppk_numbers(tmp_path):
    pppk = "199003152023212001"  # digits 13–14 are 21 for PPPK, not a month
    rows = [SIASN_HEADER[1:]]
    for nip, status in ((NIP_ANI, "CLTN"), (NIP_BUDI, "Masa Persiapan Pensiun"), (NIP_CICI, "Pemberhentian Sementara"),
                        (pppk, "Aktif")):
        rows.append([nip, "", "X", "", "", "Jabatan Pelaksana", "Staf", "", "Unit", "Dinas Kesehatan", status])
    folder = tmp_path / "v"
    write(folder / "pegawai.xlsx", {"Sheet1": rows})
    data = services.check([folder], clock=CLOCK)
    assert data.problems == []
    assert {e.nip: e.status.value for e in data.employees} == {
        NIP_ANI: "Cuti", NIP_BUDI: "Cuti", NIP_CICI: "Diberhentikan", pppk: "Aktif"}
    assert {e.tier.value for e in data.employees} == {"NON_ESELON"}


def test_when_unor_and_unor_induk_exist_the_opd_is_the_induk(tmp_path):
    folder = tmp_path / "v"
    write(folder / "pegawai.xlsx", {"Sheet1": [["NIP Baru", "Nama", "Jabatan Nama", "Eselon", "Unor Nama",
                                                "Unor Induk Nama"],
                                               [NIP_ANI, "Ani", "Kepala Seksi", "Pengawas", "Seksi Data",
                                                "Dinas Kesehatan"]]})
    (e,) = services.check([folder], clock=CLOCK).employees
    assert (e.office, e.tier.value) == ("Dinas Kesehatan", "ESELON_IV")


# ---------------------------------------------------------------- rule 6: names compare as people compare them


def test_names_differing_in_titles_case_and_punctuation_are_no_problem(tmp_path):
    rows = template_purchases()
    rows[2][2] = "Dr. ANI LATUCONSINA, S.E., M.Kes."
    rows[3][2] = "budi pattiasina s.t"
    rows[5][2] = "Dedy Matulessy"  # a different spelling stays a warning
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    write(folder / "dinkes.xlsx", {"Belanja": rows})
    assert problems(run(folder)) == [("NAMA_TIDAK_COCOK", "dinkes.xlsx", "Belanja", "C6")]


@given(st.sampled_from(["Ani Latuconsina", "Budi Pattiasina", "Maria Goreti Tuhumury"]),
       st.lists(st.sampled_from(["Dr.", "Drs.", "Ir.", "H.", "Hj.", "Prof."]), max_size=2),
       st.lists(st.sampled_from(["S.E.", "M.Kes", "S.T.", "M.T.", "S.Sos", "M.Si.", "S.Pd", "S.H.", "M.M."]),
                max_size=3),
       st.sampled_from([str.upper, str.lower, str.title, lambda s: s]))
def test_name_key_ignores_titles_case_and_punctuation(name, front, back, case):
    written = case(" ".join(front + [name]) + (", " + ", ".join(back) if back else ""))
    assert parse.name_key(written) == parse.name_key(name)


def test_name_key_tells_different_people_apart():
    assert parse.name_key("Ani Latuconsina") != parse.name_key("Ani Latukonsina")
    assert parse.name_key("Dr. Budi") != parse.name_key("Budi Santoso")


# ---------------------------------------------------------------- rule 7: the Wali Kota's NIK


@given(st.dates(dt.date(1940, 1, 1), dt.date(2005, 12, 31)), st.booleans(),
       st.integers(110000, 949999), st.integers(1, 9999))
def test_a_nik_with_a_valid_birth_date_is_accepted(born, woman, region, number):
    day = born.day + (40 if woman else 0)
    nik = f"{region:06d}{day:02d}{born:%m%y}{number:04d}"
    assert parse.is_nik(nik)
    assert parse.parse_nip(nik, nik=True) == (nik, None, "")
    assert parse.parse_nip(nik)[1] == "NIP_TIDAK_VALID"  # where a NIK may not stand, it is not a NIP


@given(st.integers(110000, 949999), st.sampled_from(["3213", "0005", "0013", "7205", "3206", "7206"]),
       st.integers(0, 99), st.integers(1, 9999))
def test_a_nik_without_a_birth_date_is_refused(region, day_month, year, number):
    nik = f"{region:06d}{day_month}{year:02d}{number:04d}"
    assert not parse.is_nik(nik)
    assert parse.parse_nip(nik, nik=True)[1] == "NIP_TIDAK_VALID"


def test_wali_kota_and_wakil_identified_by_nik_and_json_holds_it(tmp_path):
    j = original(tmp_path)
    by_nip = {e["nip"]: e for e in j["pegawai"]}
    assert by_nip[NIK_WALIKOTA]["tingkat"] == "WALIKOTA" and by_nip[NIK_WALIKOTA]["belanja"] == 135_000
    assert by_nip[NIK_WAKIL]["tingkat"] == "WAKIL_WALIKOTA"


def test_a_nik_on_any_other_tier_is_nip_tidak_valid(tmp_path):
    roster = [["NIP", "Nama", "Jabatan", "Eselon", "OPD"]] + [list(p) for p in PEOPLE]
    roster.append(["8171010101800001", "Eko", "Kepala Seksi", "IV.a", "Dinas Kesehatan"])
    rows = template_purchases() + [[dt.date(2026, 11, 7), "8171010101800001", "Eko", "Kenari Salawaku", "", 20000, "N99"],
                                   [dt.date(2026, 11, 7), "8171010101800002", "", "Kenari Salawaku", "", 20000, "N98"]]
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx", roster=roster)
    write(folder / "dinkes.xlsx", {"Belanja": rows})
    j = run(folder)
    # the roster row, and the purchase of a NIK nobody in the roster carries; Eko's own purchase is not
    # reported twice
    assert problems(j) == [("NIP_TIDAK_VALID", "dinkes.xlsx", "Belanja", "B10"),
                           ("NIP_TIDAK_VALID", "pusat.xlsx", "Pegawai", "A8")]
    assert all("NIK" in m["pesan"] for m in j["masalah"])


def test_nik_as_nip_kepala_is_accepted(tmp_path):
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    write(folder / "opd.xlsx", {"OPD": [["Nama OPD", "NIP Kepala"], ["Sekretariat Daerah", NIK_WALIKOTA]]})
    assert services.check([folder], clock=CLOCK).problems == []


# ---------------------------------------------------------------- rule 12: totals rows and merged cells


def test_totals_rows_are_skipped_without_a_problem(tmp_path):
    expected = figures(original(tmp_path))
    rows = template_purchases()
    total = sum(r[5] for r in rows[1:])
    rows.insert(4, ["", "", "Sub Total", "", "", 80_000, ""])
    rows += [[], ["TOTAL", None, None, None, None, total, None], ["", "", "", "Grand Total:", "", total, ""]]
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    write(folder / "dinkes.xlsx", {"Belanja": rows})
    j = run(folder)
    assert figures(j) == expected and j["masalah"] == []


def test_a_row_without_nip_that_is_no_total_is_still_incomplete(tmp_path):
    rows = template_purchases() + [[dt.date(2026, 11, 7), "", "Jumlah Ani", "Kenari Salawaku", "", 5000, "N50"]]
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    write(folder / "dinkes.xlsx", {"Belanja": rows})
    assert problems(run(folder)) == [("BARIS_TIDAK_LENGKAP", "dinkes.xlsx", "Belanja", "B9")]


def test_values_merged_down_several_rows_apply_to_each_row(tmp_path):
    expected = figures(original(tmp_path))
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    path = write(folder / "dinkes.xlsx", {"Belanja": template_purchases()})
    wb = openpyxl.load_workbook(path)
    ws = wb["Belanja"]
    # the date of rows 2–4 (all 7 November), and Budi's NIP and name on rows 4–5, typed once and merged
    for rng in ("A2:A4", "B4:B5", "C4:C5"):
        ws.merge_cells(rng)
    wb.save(path)
    j = run(folder)
    assert figures(j) == expected and j["masalah"] == []


# ---------------------------------------------------------------- rule 14: every file's fate is visible


def test_periksa_prints_each_sheet_with_its_role_and_rows_or_why_it_was_left_alone(tmp_path):
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    write(folder / "dinkes.xlsx", {"Pembelian": template_purchases(), "Catatan": [["apa saja"]]})
    r = jikubata("periksa", folder)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "dinkes.xlsx" in out and "Pembelian" in out and f"dibaca sebagai belanja, {len(BUYS)} baris" in out
    assert "dibaca sebagai pegawai, 6 baris" in out
    assert "Catatan" in out and "dilewati (nama dan judul kolomnya tidak cocok" in out


def test_hitung_json_lists_what_was_read(tmp_path):
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    write(folder / "dinkes.xlsx", {"Pembelian": template_purchases()})
    r = jikubata("hitung", folder, "--periode", "2026-11", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["dibaca"] == [
        {"berkas": "dinkes.xlsx", "lembar": "Pembelian", "peran": "belanja", "baris": len(BUYS)},
        {"berkas": "pusat.xlsx", "lembar": "Pegawai", "peran": "pegawai", "baris": len(PEOPLE)},
        {"berkas": "pusat.xlsx", "lembar": "UMKM", "peran": "umkm", "baris": len(SELLERS)},
        {"berkas": "pusat.xlsx", "lembar": "OPD", "peran": "opd", "baris": 2},
    ]


def test_rekap_has_a_berkas_sheet(tmp_path):
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    write(folder / "dinkes.xlsx", {"Pembelian": template_purchases(), "Catatan": [["apa saja"]]})
    r = jikubata("rekap", folder, "--periode", "2026-11", "--keluaran", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    (path,) = (tmp_path / "out").glob("Rekap-Jiku-Bata-*.xlsx")
    ws = openpyxl.load_workbook(path)["Berkas"]
    rows = [tuple(c.value for c in row) for row in ws.iter_rows()]
    header = rows.index(("No", "Berkas", "Lembar", "Dibaca Sebagai", "Baris", "Keterangan"))
    body = {(r[1], r[2]): (r[3], r[4], r[5]) for r in rows[header + 1:]}
    assert body["dinkes.xlsx", "Pembelian"] == ("belanja", len(BUYS), None)
    assert body["dinkes.xlsx", "Catatan"][0] == "-" and "tidak cocok" in body["dinkes.xlsx", "Catatan"][2]


# ---------------------------------------------------------------- the same, saved by LibreOffice as .xls


needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                                   reason="LibreOffice (soffice) tidak terpasang")


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_siasn_roster_and_merged_purchases_saved_by_libreoffice_give_the_same_numbers(tmp_path, fmt):
    """BKPSDM's exports are often .xls: the roster and a purchase sheet with merged cells and totals rows,
    converted by a real office application, read as the template does."""
    expected = figures(original(tmp_path))
    work = tmp_path / "xlsx"
    roster = write(work / "siasn-dinkes.xlsx", {"Data PNS": siasn_roster()})
    rows = template_purchases()
    rows.append(["", "", "TOTAL", "", "", sum(r[5] for r in rows[1:]), ""])
    purchases = write(work / "dinkes.xlsx", {"Pembelian": rows})
    wb = openpyxl.load_workbook(purchases)
    for merge in ("A2:A4", "B4:B5", "C4:C5"):
        wb["Pembelian"].merge_cells(merge)
    wb.save(purchases)
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx", roster=[["NIP", "Nama", "Jabatan", "Eselon", "OPD"]] + [list(p) for p in PEOPLE[:2]])
    profile = tmp_path / "profil"
    r = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
                        "--outdir", str(folder), str(roster), str(purchases)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0 and (folder / f"dinkes.{fmt}").exists(), r.stderr
    j = run(folder)
    assert figures(j) == expected and j["masalah"] == []
    assert {(d["berkas"], d["peran"]) for d in j["dibaca"]} >= {(f"siasn-dinkes.{fmt}", "pegawai"),
                                                                 (f"dinkes.{fmt}", "belanja")}


def test_a_purchase_sheet_one_column_short_is_reported_not_taken_for_a_list_of_umkm(tmp_path):
    rows = [[c for c in r[:6]] for r in template_purchases()]  # no No. Nota; `UMKM` written `Nama UMKM`
    rows[0][3] = "Nama UMKM"
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    write(folder / "dinkes.xlsx", {"Sheet1": rows})
    data = services.check([folder], clock=CLOCK)
    assert [(p.code, p.place.file, p.place.cell) for p in data.problems] == [("KOLOM_HILANG", "dinkes.xlsx", "A1")]
    assert "No. Nota" in data.problems[0].message
    assert len(data.sellers) == len(SELLERS)


@given(st.permutations(range(len(TEMPLATE_HEADER))), st.integers(0, 4),
       st.sampled_from(["Sheet1", "Data Belanja", "Pembelian", "Rekap Nota Jiku Bata", "Lembar 2"]),
       st.sampled_from(["Jumlah (Rp)", "JUMLAH RP", "Total (Rp)", "Total Harga", "Harga Total", "Nilai (Rp)",
                        "Total", "jumlah"]))
def test_purchases_under_any_name_column_order_title_rows_and_amount_header_read_the_same(order, titles, name,
                                                                                           amount_header):
    """Property: the same purchases in any of these shapes give the same records (read from memory)."""
    header = [amount_header if h == "Jumlah (Rp)" else h for h in TEMPLATE_HEADER]
    body = template_purchases()[1:]
    rows = [["BELANJA JIKU BATA"]] * titles + [[header[k] for k in order]] + [[r[k] for k in order] for r in body]
    roster = [["NIP", "Nama", "Jabatan", "Eselon", "OPD"]] + [list(p) for p in PEOPLE]
    data = services.check(services.Sheets([("pusat.xlsx", {"Pegawai": roster}), ("dinkes.xlsx", {name: rows})]),
                          clock=CLOCK)
    assert data.problems == []
    assert sorted((p.nip, p.amount, p.receipt) for p in data.purchases) == sorted(
        (n, price * qty, r) for _, n, _, _, _, price, qty, r in BUYS)


def test_our_own_summary_among_the_inputs_is_left_alone_even_renamed(tmp_path):
    expected = figures(original(tmp_path))
    folder = tmp_path / "v"
    central(folder / "pusat.xlsx")
    write(folder / "dinkes.xlsx", {"Rekap Belanja November": template_purchases()})  # an office's own name
    r = jikubata("rekap", folder, "--periode", "2026-11", "--keluaran", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    (summary,) = (tmp_path / "out").glob("Rekap-Jiku-Bata-*.xlsx")
    shutil.copyfile(summary, folder / "laporan bulan lalu.xlsx")
    data = services.check([folder], clock=CLOCK)
    j = run(folder)
    assert figures(j) == expected
    ours = [s for s in data.sheets if s.file == "laporan bulan lalu.xlsx"]
    assert ours and all(s.skipped == "lembar keluaran Jiku Bata" for s in ours), ours
    assert [m["kode"] for m in j["masalah"]] == ["BERKAS_TANPA_DATA"]


# ---------------------------------------------------------------- one office, one identity (issue 19.2)


def test_an_opd_spelled_in_capitals_in_the_roster_is_one_office_with_its_record(tmp_path):
    """OPD sheet "Dinas Kesehatan", roster "DINAS KESEHATAN" (and "DINKES"): one office everywhere,
    its head and email found, the summary and the letters addressed to it."""
    from jikubata.adapters import letters, summary

    folder = tmp_path / "masukan"
    roster = [["NIP", "Nama", "Jabatan", "Eselon", "OPD"]] + [
        [nip, name, position, eselon, {NIP_ANI: "DINAS KESEHATAN", NIP_DEDI: "DINKES"}.get(nip, office)]
        for nip, name, position, eselon, office in PEOPLE]
    write(folder / "pusat.xlsx", {
        "Pegawai": roster, "UMKM": [["Nama UMKM"]] + [[s] for s in SELLERS],
        "OPD": [["Nama OPD", "Singkatan", "Nama Kepala", "NIP Kepala", "Jabatan Kepala", "Email"],
                ["Sekretariat Daerah", "SETDA", "", "", "", ""],
                ["Dinas Kesehatan", "DINKES", "Budi Pattiasina", NIP_BUDI, "Kepala Dinas Kesehatan",
                 "dinkes@ambon.go.id"]]})
    write(folder / "dinkes.xlsx", {"Belanja": template_purchases()})
    result = services.calculate([folder], PERIOD, clock=CLOCK)
    assert [o.office for o in result.offices] == ["Sekretariat Daerah", "Dinas Kesehatan"]
    dinkes = next(o for o in result.offices if o.office == "Dinas Kesehatan")
    assert (dinkes.obliged, dinkes.short) == (3, 1)   # Ani, Budi (short), Dedi; Cici's tier has no minimum
    ani = next(e for e in result.employees if e.nip == NIP_ANI)
    assert result.office_info[ani.office].email == "dinkes@ambon.go.id"
    assert summary.office_label(result, ani.office) == "DINKES"

    (plan,) = [p for p in letters.plan_letters(result) if p.kind == letters.KIND_OFFICE]
    assert "Budi Pattiasina" in plan.recipient and plan.email == "dinkes@ambon.go.id"

    path = summary.write_summary(result, tmp_path / "hasil")
    wb = openpyxl.load_workbook(path, read_only=True)
    assert [n for n in wb.sheetnames if n.startswith("Rekap ")] == ["Rekap SETDA", "Rekap DINKES"]
