"""Reading real workbooks: every tolerance of SPEC §3 and every problem code of SPEC §4 at its cell."""
import datetime as dt

import pytest

from jikubata import services
from jikubata.adapters.clock import Clock
from jikubata.domain.model import Period, Severity, Tier
from jikubata.domain.errors import InputError
from tests.support.workbooks import NIP_ANI, NIP_BUDI, basic, purchase_rows, roster_rows, write

TODAY = dt.date(2026, 11, 28)
NOV7 = dt.date(2026, 11, 7)


def load(*paths):
    return services.check(paths, clock=Clock.fixed(TODAY))


def codes(dataset):
    return {(p.code, p.place.sheet, p.place.cell, p.severity) for p in dataset.problems}


def only_problem(dataset):
    assert len(dataset.problems) == 1, [(p.code, p.place.cell, p.message) for p in dataset.problems]
    return dataset.problems[0]


# ---------------------------------------------------------------- tolerances


def test_clean_workbook_reads_without_problems(tmp_path):
    d = load(basic(tmp_path / "a.xlsx", purchases=[(NOV7, NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie",
                                                    20000, "N1")]))
    assert d.problems == [] and len(d.employees) == 4 and len(d.purchases) == 1
    assert d.purchases[0].amount == 20000 and d.purchases[0].date == NOV7


def test_purchases_keep_each_repeated_seller_name_and_nip_once(tmp_path):
    # Memory grows with the people, not the rows (README: Kinerja): a row is numbers in the purchase table's
    # columns; a repeated UMKM, name or NIP is kept once, the receipts as one text per sheet.
    rows = [(NOV7, NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie", 20000, f"N{k}") for k in range(3)]
    d = load(basic(tmp_path / "a.xlsx", purchases=rows))
    table = d.purchases
    assert len(table) == 3 and d.problems == []
    assert table.sellers == ["Mie Sagu Mama Ona"] and table.nips == [NIP_ANI] and table.names == ["", "Ani Latuconsina"]
    assert list(table.day) == [NOV7.toordinal()] * 3 and list(table.amount) == [20000] * 3
    assert [p.receipt for p in table] == ["N0", "N1", "N2"] and {p.seller for p in table} == {"Mie Sagu Mama Ona"}


def test_header_below_title_rows_any_order_extra_columns_and_blank_rows(tmp_path):
    rows = [["BELANJA JIKU BATA DINAS KESEHATAN"], ["Bulan November 2026"], [],
            ["no. nota", "EXTRA", "jumlah rp", "  umkm ", "NIP", "tanggal"],
            ["N1", "x", "Rp 20.000", "mie sagu mama ona", NIP_ANI, "7 November 2026"],
            [], [None, None, None, None, None, None],
            ["N2", "y", "15.000,-", "Mie Sagu Mama Ona", NIP_BUDI, "07/11/2026"]]
    path = basic(tmp_path / "a.xlsx")
    write(tmp_path / "b.xlsx", {"belanja november": rows}, start="C2")
    d = load(path, tmp_path / "b.xlsx")
    assert d.problems == []
    assert sorted((p.nip, p.amount) for p in d.purchases) == sorted([(NIP_ANI, 20000), (NIP_BUDI, 15000)])
    assert {p.place("amount").cell for p in d.purchases} == {"E6", "E9"}


def test_every_sheet_starting_with_belanja_is_read(tmp_path):
    path = basic(tmp_path / "a.xlsx", purchases=[(NOV7, NIP_ANI, "", "Mie Sagu Mama Ona", "", 10000, "N1")],
                 extra={"Belanja Oktober": purchase_rows((dt.date(2026, 10, 7), NIP_ANI, "", "Mie Sagu Mama Ona", "",
                                                          20000, "N2")),
                        "Catatan": [["Tanggal", "NIP"], ["x", "y"]]})
    assert len(load(path).purchases) == 2


def test_folder_reads_workbooks_and_skips_lock_files(tmp_path):
    basic(tmp_path / "pusat.xlsx")
    write(tmp_path / "dinkes.xlsm", {"Belanja": purchase_rows((NOV7, NIP_ANI, "", "Mie Sagu Mama Ona", "", 20000, "N1"))})
    (tmp_path / "~$dinkes.xlsx").write_bytes(b"lock")
    (tmp_path / "catatan.txt").write_text("bukan workbook")
    d = load(tmp_path)
    assert d.files == ["dinkes.xlsm", "pusat.xlsx"] and len(d.purchases) == 1


def test_half_a_rupiah_rounds_up_alike_in_a_purchase_and_in_pengaturan(tmp_path):
    """One rounding rule for every amount (Excel's ROUND): 20000.5 is 20001 wherever it is typed."""
    settings = [["Pengaturan", "Nilai"], [], ["Tingkat", "Minimum Belanja (Rp)"], ["Eselon IV", 20000.5]]
    d = load(basic(tmp_path / "a.xlsx", extra={"Pengaturan": settings},
                   purchases=[(NOV7, NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie", 20000.5, "N1")]))
    assert d.purchases[0].amount == 20001 and d.settings.minimums[Tier.ESELON_IV] == 20001


def test_settings_and_tier_table_are_read(tmp_path):
    settings = [["Pengaturan", "Nilai"], ["Hari Jiku Bata", 10], ["hanya umkm terdaftar", "Tidak"],
                ["Batas Wajar Transaksi", "Rp 1.000.000"], ["Tembusan", "Wali Kota Ambon; Sekretaris Kota"], [],
                ["Tingkat", "Minimum Belanja (Rp)"], ["Eselon IV", 25000], ["Non Eselon", 10000],
                ["Wali Kota", None]]
    d = load(basic(tmp_path / "a.xlsx", extra={"PENGATURAN": settings}))
    s = d.settings
    assert (s.jiku_bata_day, s.registered_only, s.reasonable_limit) == (10, False, 1_000_000)
    assert s.copies_to == ("Wali Kota Ambon", "Sekretaris Kota")
    assert s.minimums[Tier.ESELON_IV] == 25000 and s.minimums[Tier.NON_ESELON] == 10000
    assert s.minimums[Tier.WALIKOTA] is None and s.minimums[Tier.ESELON_III] == 30000


def test_bad_setting_keeps_default_and_is_reported(tmp_path):
    d = load(basic(tmp_path / "a.xlsx", extra={"Pengaturan": [["Hari Jiku Bata", "tujuh"]]}))
    p = only_problem(d)
    assert (p.code, p.place.cell, p.severity) == ("PENGATURAN_TIDAK_VALID", "B1", Severity.PERINGATAN)
    assert d.settings.jiku_bata_day == 7


# ---------------------------------------------------------------- problem codes at their cells

ROW = (NOV7, NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie sagu", 20000, "N1")


def with_row(tmp_path, **change):
    keys = ["date", "nip", "name", "seller", "product", "amount", "receipt"]
    row = dict(zip(keys, ROW), **change)
    return load(basic(tmp_path / "a.xlsx", purchases=[tuple(row[k] for k in keys)]))


def test_kolom_hilang_at_header_rows_first_cell(tmp_path):
    path = basic(tmp_path / "a.xlsx")
    write(tmp_path / "b.xlsx", {"Belanja": [["Judul"], ["Tanggal", "NIP", "UMKM", "No. Nota"], [NOV7, NIP_ANI, "x", "1"]]},
          start="B3")
    d = load(path, tmp_path / "b.xlsx")
    p = only_problem(d)
    assert (p.code, p.place.file, p.place.sheet, p.place.cell) == ("KOLOM_HILANG", "b.xlsx", "Belanja", "B4")
    assert "Jumlah (Rp)" in p.message and d.purchases == []


def test_baris_tidak_lengkap_at_the_empty_field(tmp_path):
    p = only_problem(with_row(tmp_path, seller=None))
    assert (p.code, p.place.cell, p.severity) == ("BARIS_TIDAK_LENGKAP", "D2", Severity.GALAT)
    assert "UMKM" in p.message


def test_nip_tidak_valid(tmp_path):
    d = with_row(tmp_path, nip="19800101201001200")
    assert codes(d) == {("NIP_TIDAK_VALID", "Belanja", "B2", Severity.GALAT)} and d.purchases == []


def test_nip_angka_in_roster(tmp_path):
    people = [(198001012010012001, "Ani", "Kasi", "IV.a", "Dinkes"), (NIP_BUDI, "Budi", "Kadis", "II.b", "Dinkes")]
    d = load(basic(tmp_path / "a.xlsx", people=people))
    assert codes(d) == {("NIP_ANGKA", "Pegawai", "A2", Severity.GALAT)} and len(d.employees) == 1


def test_nip_ganda_reports_both_rows(tmp_path):
    people = [(NIP_ANI, "Ani", "Kasi", "IV.a", "Dinkes"), (NIP_BUDI, "Budi", "Kadis", "II.b", "Dinkes"),
              (NIP_ANI, "Ani L.", "Kasi", "IV.a", "Dinkes")]
    d = load(basic(tmp_path / "a.xlsx", people=people))
    assert codes(d) == {("NIP_GANDA", "Pegawai", "A2", Severity.GALAT), ("NIP_GANDA", "Pegawai", "A4", Severity.GALAT)}
    assert [e.nip for e in d.employees] == [NIP_BUDI]


def test_nip_tidak_terdaftar(tmp_path):
    d = with_row(tmp_path, nip="199901012020011999")
    assert codes(d) == {("NIP_TIDAK_TERDAFTAR", "Belanja", "B2", Severity.GALAT)} and d.purchases == []


def test_nama_tidak_cocok_is_a_warning_and_counts(tmp_path):
    d = with_row(tmp_path, name="Anita")
    assert codes(d) == {("NAMA_TIDAK_COCOK", "Belanja", "C2", Severity.PERINGATAN)} and len(d.purchases) == 1


def test_name_differing_only_in_case_and_spaces_matches(tmp_path):
    assert with_row(tmp_path, name="  ANI  latuconsina ").problems == []


def test_eselon_tidak_dikenal(tmp_path):
    people = [(NIP_ANI, "Ani", "Kasi", "Eselon V", "Dinkes")]
    d = load(basic(tmp_path / "a.xlsx", people=people))
    assert codes(d) == {("ESELON_TIDAK_DIKENAL", "Pegawai", "D2", Severity.GALAT)} and d.employees == []


def test_tanggal_tidak_valid(tmp_path):
    d = with_row(tmp_path, date="31/02/2026")
    assert codes(d) == {("TANGGAL_TIDAK_VALID", "Belanja", "A2", Severity.GALAT)}


def test_tanggal_masa_depan(tmp_path):
    d = with_row(tmp_path, date=dt.date(2026, 11, 29))
    assert codes(d) == {("TANGGAL_MASA_DEPAN", "Belanja", "A2", Severity.GALAT)} and d.purchases == []


def test_purchase_after_as_of_but_not_after_today_is_no_problem(tmp_path):
    path = basic(tmp_path / "a.xlsx", purchases=[ROW[:0] + (dt.date(2026, 11, 20),) + ROW[1:]])
    r = services.calculate([path], Period(2026, 11), as_of=dt.date(2026, 11, 14), clock=Clock.fixed(TODAY))
    assert r.problems == [] and r.employees[0].spent == 0


def test_tanggal_sebelum_program(tmp_path):
    d = with_row(tmp_path, date=dt.date(2022, 9, 6))
    assert codes(d) == {("TANGGAL_SEBELUM_PROGRAM", "Belanja", "A2", Severity.GALAT)}


@pytest.mark.parametrize("amount", [0, -20000, "dua puluh ribu", "20,000"])
def test_jumlah_tidak_valid(tmp_path, amount):
    d = with_row(tmp_path, amount=amount)
    assert codes(d) == {("JUMLAH_TIDAK_VALID", "Belanja", "F2", Severity.GALAT)}


def test_jumlah_besar_is_a_warning_and_counts(tmp_path):
    d = with_row(tmp_path, amount=5_000_001)
    assert codes(d) == {("JUMLAH_BESAR", "Belanja", "F2", Severity.PERINGATAN)} and len(d.purchases) == 1


def test_nota_ganda_on_the_later_row_only(tmp_path):
    later = (dt.date(2026, 11, 8), NIP_BUDI, "", "mie sagu MAMA ona", "", 30000, "N1")
    other_seller = (dt.date(2026, 11, 8), NIP_BUDI, "", "Bagea Kenari Hative", "", 30000, "N1")
    d = load(basic(tmp_path / "a.xlsx", purchases=[ROW, later, other_seller]))
    assert codes(d) == {("NOTA_GANDA", "Belanja", "G3", Severity.GALAT)} and len(d.purchases) == 2


def test_umkm_tidak_terdaftar_is_an_error_when_only_registered_count(tmp_path):
    d = with_row(tmp_path, seller="Toko Sebelah")
    assert codes(d) == {("UMKM_TIDAK_TERDAFTAR", "Belanja", "D2", Severity.GALAT)} and d.purchases == []


def test_umkm_tidak_terdaftar_is_a_warning_when_setting_says_no(tmp_path):
    path = basic(tmp_path / "a.xlsx", purchases=[ROW[:3] + ("Toko Sebelah",) + ROW[4:]],
                 extra={"Pengaturan": [["Hanya UMKM Terdaftar", "Tidak"]]})
    d = load(path)
    assert codes(d) == {("UMKM_TIDAK_TERDAFTAR", "Belanja", "D2", Severity.PERINGATAN)} and len(d.purchases) == 1


def test_without_umkm_sheet_every_seller_counts(tmp_path):
    d = load(basic(tmp_path / "a.xlsx", purchases=[ROW[:3] + ("Toko Sebelah",) + ROW[4:]], sellers=None))
    assert d.problems == [] and len(d.purchases) == 1


@pytest.mark.parametrize("value", ["#N/A", "=1/0", "a\tb\nc", "x" * 40_000, True, 3.14, "💥"])
def test_any_cell_content_never_crashes(tmp_path, value):
    for field in ("date", "nip", "name", "seller", "amount", "receipt"):
        with_row(tmp_path, **{field: value})


# ---------------------------------------------------------------- unusable inputs


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="tidak ditemukan"):
        load(tmp_path / "tidak-ada.xlsx")


def test_csv_named_xlsx(tmp_path):
    (tmp_path / "a.xlsx").write_text("Tanggal,NIP\n07/11/2026,1\n")
    with pytest.raises(InputError, match="a.xlsx: bukan workbook Excel yang valid"):
        load(tmp_path / "a.xlsx")


def test_not_a_spreadsheet_extension(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(InputError, match="a.txt: bukan spreadsheet"):
        load(tmp_path / "a.txt")


def test_no_pegawai_sheet_anywhere(tmp_path):
    write(tmp_path / "a.xlsx", {"Belanja": purchase_rows(ROW)})
    with pytest.raises(InputError, match="Pegawai"):
        load(tmp_path / "a.xlsx")


def test_corrupt_zip(tmp_path):
    good = basic(tmp_path / "a.xlsx").read_bytes()
    (tmp_path / "b.xlsx").write_bytes(good[: len(good) // 2])
    with pytest.raises(InputError, match="b.xlsx"):
        load(tmp_path / "b.xlsx")


def test_folder_scan_skips_our_own_outputs(tmp_path):
    basic(tmp_path / "pusat.xlsx")
    write(tmp_path / "Rekap-Jiku-Bata-2026-11.xlsx", {"UMKM": [["UMKM"], ["Toko Palsu"]], "Pegawai": [["x"]]})
    write(tmp_path / "Daftar-Surat-2026-11.xlsx", {"Daftar": [["x"]]})
    d = load(tmp_path)
    assert d.files == ["pusat.xlsx"] and "Toko Palsu" not in {s.name for s in d.sellers}


def test_hari_libur_takes_dates_as_cells_or_text_and_names_an_unreadable_one(tmp_path):
    settings = [["Pengaturan", "Nilai"], ["Hari Libur", "25/12/2026; 1 Januari 2027\n31/02/2026; 25-12-2026"]]
    d = load(basic(tmp_path / "a.xlsx", extra={"Pengaturan": settings}))
    assert d.settings.holidays == (dt.date(2026, 12, 25), dt.date(2027, 1, 1))
    (bad,) = [p for p in d.problems if p.code == "PENGATURAN_TIDAK_VALID"]
    assert "Hari Libur" in bad.message and "31/02/2026" in bad.message and bad.place.cell == "B2"
    one = load(basic(tmp_path / "b.xlsx", extra={"Pengaturan": [["Hari Libur", dt.date(2026, 12, 25)]]}))
    assert one.settings.holidays == (dt.date(2026, 12, 25),)


@pytest.mark.parametrize("text, days", [
    ("07/12/2026, 08/12/2026", [7, 8]),
    ("07/12/2026 s.d. 09/12/2026", [7, 8, 9]),
    ("24 - 26 Desember 2026; 31/12/2026", [24, 25, 26, 31]),
    ("Jumat, 25 Desember 2026", [25]),
    ("24 s/d 26/12/2026", [24, 25, 26]),
])
def test_hari_libur_takes_commas_and_spans_of_cuti_bersama(tmp_path, text, days):
    d = load(basic(tmp_path / "a.xlsx", extra={"Pengaturan": [["Hari Libur", text]]}))
    assert d.settings.holidays == tuple(dt.date(2026, 12, n) for n in days)
    assert not [p for p in d.problems if p.code == "PENGATURAN_TIDAK_VALID"]


def test_a_setting_that_cannot_be_read_is_said_by_surat_too(tmp_path, capsys):
    from jikubata.entrypoints import cli
    from tests.support.workbooks import NIP_ANI, signer_settings

    book = basic(tmp_path / "a.xlsx", purchases=[(dt.date(2025, 11, 7), NIP_ANI, "Ani Latuconsina",
                                                  "Mie Sagu Mama Ona", "Mie", 5_000, "N1")],
                 extra={"Pengaturan": signer_settings() + [["Hari Libur", "Natal"]]})
    assert cli.main(["surat", str(book), "--periode", "2025-11", "--keluaran", str(tmp_path / "k")]) == 0
    out = capsys.readouterr().out
    assert "Perhatian: a.xlsx Pengaturan!B5: Pengaturan 'Hari Libur' bernilai 'Natal'" in out


def test_files_of_the_same_name_in_two_folders_are_told_apart_by_their_folder(tmp_path):
    from pathlib import Path

    from jikubata.adapters.reader import file_labels

    a, b, c = Path("/x/Formulir-2026-10/f.xlsx"), Path("/x/Formulir-2026-11/f.xlsx"), Path("/x/Masukan/g.xlsx")
    assert file_labels([a, b, c]) == {a: "Formulir-2026-10/f.xlsx", b: "Formulir-2026-11/f.xlsx", c: "g.xlsx"}
    assert file_labels([c], taken=["G.xlsx"]) == {c: "Masukan/g.xlsx"}
    d, e = Path("/x/DINKES/2026-11/Belanja.xlsx"), Path("/x/DISHUB/2026-11/Belanja.xlsx")
    assert file_labels([d, e]) == {d: "DINKES/2026-11/Belanja.xlsx", e: "DISHUB/2026-11/Belanja.xlsx"}

    # The same purchases in two folders: NOTA_GANDA names the other file by its folder.
    rows = [(dt.date(2025, 11, 7), NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie", 5_000, "N1")]
    central = basic(tmp_path / "pusat.xlsx")
    write(tmp_path / "satu" / "belanja.xlsx", {"Belanja": purchase_rows(*rows)})
    write(tmp_path / "dua" / "belanja.xlsx", {"Belanja": purchase_rows(*rows)})
    d = load(central, tmp_path / "satu", tmp_path / "dua")
    (dup,) = [p for p in d.problems if p.code == "NOTA_GANDA"]
    assert dup.place.file in ("satu/belanja.xlsx", "dua/belanja.xlsx") and "/belanja.xlsx" in dup.message
    assert len([p for p in d.purchases]) == 1


def test_a_copy_of_the_roster_among_the_inputs_is_named_once_as_the_cause(tmp_path):
    """A copy of the central workbook among the office files: every NIP twice (NIP_GANDA, as SPEC says),
    and once, at the copy, DAFTAR_PEGAWAI_GANDA naming the file it repeats."""
    central = basic(tmp_path / "a" / "pusat.xlsx")
    copy = basic(tmp_path / "b" / "pusat (1).xlsx")
    d = load(central, copy)
    (cause,) = [p for p in d.problems if p.code == "DAFTAR_PEGAWAI_GANDA"]
    assert cause.place.file == "pusat (1).xlsx" and cause.place.sheet == "" and "pusat.xlsx" in cause.message
    assert d.problems[0] is cause  # file-level problems come first
    assert len([p for p in d.problems if p.code == "NIP_GANDA"]) == 8
    # Saved at the same moment, a copy named like one (` (1)`) is the one named, wherever it sorts; else the
    # file saved later is.
    from tests.test_forms import set_saved

    moment = dt.datetime(2026, 11, 20, 8, tzinfo=dt.timezone.utc)
    renamed = set_saved(basic(tmp_path / "d" / "Pegawai (1).xlsx"), moment)
    plain = set_saved(basic(tmp_path / "e" / "Pegawai.xlsx"), moment)
    d = load(renamed, plain)
    assert [p.place.file for p in d.problems if p.code == "DAFTAR_PEGAWAI_GANDA"] == ["Pegawai (1).xlsx"]
    set_saved(plain, moment + dt.timedelta(hours=1))
    d = load(renamed, plain)
    assert [p.place.file for p in d.problems if p.code == "DAFTAR_PEGAWAI_GANDA"] == ["Pegawai.xlsx"]
    # One person listed in two rosters is no copy of a roster.
    other = write(tmp_path / "c" / "bkpsdm.xlsx", {"Pegawai": roster_rows(
        (NIP_ANI, "Ani Latuconsina", "Kepala Seksi Pendataan", "IV.a", "Dinas Kesehatan"),
        ("199512122020121001", "Eka Tuhumury", "Analis", "Staf", "BKPSDM"),
        ("199611122020121002", "Fani Lewerissa", "Analis", "Staf", "BKPSDM"))})
    assert not [p for p in load(central, other).problems if p.code == "DAFTAR_PEGAWAI_GANDA"]
