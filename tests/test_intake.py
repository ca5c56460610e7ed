"""The intake rules (README: Format berkas) on plain rows: no file, no workbook, no clock."""
import datetime as dt

from jikubata.domain import intake, schema
from jikubata.domain.model import DEFAULT_MINIMUMS, Place, Settings, Tier

PURCHASE_HEADER = ["Tanggal", "NIP", "UMKM", "Jumlah (Rp)", "No. Nota"]


def amount_of(header_row: list) -> tuple[dict, object]:
    return intake.amount_columns(intake.match_header([header_row], schema.PURCHASES))


# ---------------------------------------------------------------- the header row


def test_the_header_is_the_row_of_the_first_ten_naming_the_most_columns():
    rows = [["Belanja UMKM November"], ["Tanggal", "Catatan"], PURCHASE_HEADER, ["2026-11-03", "1980…"]]
    header = intake.match_header(rows, schema.PURCHASES)
    assert header.index == 2
    assert header.best() == {"date": 0, "nip": 1, "seller": 2, "amount": 3, "receipt": 4}


def test_a_header_below_the_tenth_row_is_not_found():
    rows = [[]] * intake.HEADER_SEARCH_ROWS + [PURCHASE_HEADER]
    assert intake.match_header(rows, schema.PURCHASES).matches == {}


def test_headers_match_whatever_their_case_spacing_and_punctuation():
    header = intake.match_header([["TANGGAL", "nip", " Nama  UMKM ", "jumlah rp", "No Nota"]], schema.PURCHASES)
    assert header.best() == {"date": 0, "nip": 1, "seller": 2, "amount": 3, "receipt": 4}


def test_where_two_headers_name_one_column_the_lower_rank_wins():
    header = intake.match_header([["Unit Kerja", "NIP", "Nama", "Eselon", "Unor Induk Nama"]], schema.EMPLOYEES)
    assert header.best()["office"] == 4



def test_a_header_missing_required_columns_says_which():
    found = intake.header_columns([["Tanggal", "NIP", "Keterangan"]], schema.PURCHASES)
    assert found.missing == ["UMKM", "Jumlah (Rp)", "No. Nota"] and found.named_any


def test_purchases_with_unit_price_and_quantity_miss_no_amount():
    found = intake.header_columns([PURCHASE_HEADER[:3] + ["Harga", "Qty", "Nota"]], schema.PURCHASES)
    assert found.missing == [] and found.doubtful is None
    assert (found.columns["unit_price"], found.columns["quantity"]) == (3, 4) and "amount" not in found.columns


def test_a_bare_jumlah_beside_the_amount_is_named_as_doubtful():
    found = intake.header_columns([PURCHASE_HEADER + ["Jumlah"]], schema.PURCHASES)
    assert (found.columns["amount"], found.doubtful) == (3, 5)

# ---------------------------------------------------------------- a purchase's amount


def test_the_strongest_amount_header_gives_the_amount():
    assert amount_of(["Tanggal", "Total", "Nominal", "Jumlah (Rp)"]) == ({"amount": 3}, None)


def test_a_bare_jumlah_beside_a_stronger_amount_column_is_doubtful():
    assert amount_of(["Jumlah", "Total Harga"]) == ({"amount": 1}, 0)


def test_a_bare_jumlah_alone_is_the_amount():
    assert amount_of(["Tanggal", "Jumlah"]) == ({"amount": 1}, None)


def test_a_bare_jumlah_beside_a_unit_price_is_the_quantity():
    assert amount_of(["Harga Satuan", "Jumlah"]) == ({"unit_price": 0, "quantity": 1}, None)


def test_without_an_amount_column_the_amount_is_unit_price_times_quantity():
    assert amount_of(["Qty", "Harga"]) == ({"unit_price": 1, "quantity": 0}, None)


def test_a_unit_price_without_a_quantity_gives_no_amount():
    assert amount_of(["Harga Satuan", "Keterangan"]) == ({}, None)


def test_a_bare_jumlah_is_the_weakest_name_of_an_amount_and_of_a_quantity():
    amount, quantity = (next(c for c in schema.PURCHASES.columns if c.key == k) for k in ("amount", "quantity"))
    for column in (amount, quantity):
        assert column.rank(schema.header_key(schema.BARE_AMOUNT)) == max(a.rank for a in column.names)



def test_the_amount_of_a_row_is_unit_price_times_quantity():
    rows = [["Harga Satuan", "Qty"], [12_500, 2], ["Rp5.000", "3"], [12_500, None], ["gratis", 2]]
    out, column = intake.with_products(rows, 1, 0, 1, 2)
    assert column == 2 and out[0] == rows[0]
    assert [row[column] for row in out[1:4]] == [25_000, 15_000, ""]   # a blank one: an incomplete row
    bad = out[4][column]
    assert type(bad) is intake.BadAmount and bad.startswith("harga satuan ")

# ---------------------------------------------------------------- which table a sheet is


def test_a_sheet_is_the_table_its_name_says():
    assert intake.role_of("Pegawai", []) == (schema.ROLE_EMPLOYEES, "")
    assert intake.role_of("Belanja Oktober", []) == (schema.ROLE_PURCHASES, "")
    assert intake.role_of("penjualan", []) == (schema.ROLE_SALES, "")


def test_a_sheet_with_another_name_is_the_table_its_header_names():
    assert intake.role_of("Sheet1", [PURCHASE_HEADER]) == (schema.ROLE_PURCHASES, "")
    assert intake.role_of("Data", [["NIP", "Nama", "Eselon", "OPD"]]) == (schema.ROLE_EMPLOYEES, "")


def test_purchases_with_a_column_missing_are_still_purchases():
    assert intake.role_of("Sheet1", [["Tanggal", "NIP", "UMKM"]]) == (schema.ROLE_PURCHASES, "")


def test_a_sales_book_names_its_seller_in_a_column_or_above_the_header():
    header = ["Tanggal", "No. Nota", "Jumlah (Rp)"]
    assert intake.role_of("Sheet1", [header + ["UMKM"]]) == (schema.ROLE_SALES, "")
    assert intake.role_of("Sheet1", [["UMKM: Kopi Rempah"], header]) == (schema.ROLE_SALES, "")
    # Without a seller it is purchases with the NIP and UMKM columns missing (three of five).
    assert intake.role_of("Sheet1", [header]) == (schema.ROLE_PURCHASES, "")


def test_a_list_with_a_name_column_is_no_list_of_sellers_when_it_names_a_nip():
    assert intake.role_of("Sheet1", [["Nama UMKM", "Pemilik"]]) == (schema.ROLE_SELLERS, "")
    assert intake.role_of("Sheet1", [["Nama UMKM", "NIP"]])[0] is None


def test_our_own_output_sheets_empty_sheets_and_named_others_are_left_alone():
    assert intake.role_of("UMKM", [[schema.REPORT_TITLE]]) == (None, "lembar keluaran Jiku Bata")
    assert intake.role_of("Sheet1", [[None, ""]]) == (None, "kosong")
    assert intake.role_of("Petunjuk", [PURCHASE_HEADER], {"petunjuk": "lembar petunjuk"}) == (None, "lembar petunjuk")


def test_the_seller_above_the_header_is_read_from_one_cell_or_two():
    assert intake.seller_above([["UMKM:  Kopi   Rempah"]]) == "Kopi Rempah"
    assert intake.seller_above([["Nama UMKM", None, "Mie Sagu"]]) == "Mie Sagu"
    assert intake.seller_above([["Catatan", "UMKM"]]) is None


# ---------------------------------------------------------------- totals rows


def test_a_row_reading_total_with_no_nip_date_or_nota_is_a_totals_row():
    # Tanggal, NIP, UMKM, Jumlah (Rp), No. Nota; the key columns are the date, the NIP and the nota.
    assert intake.is_totals_row(["TOTAL:", None, "", 325_000, None], (0, 1, 4))
    assert intake.is_totals_row([None, None, "Jumlah Belanja", 325_000], (0, 1, 4))
    assert not intake.is_totals_row(["2026-11-03", None, "Total", 325_000, None], (0, 1, 4))
    assert not intake.is_totals_row([None, None, "Mie Sagu", 325_000, None], (0, 1, 4))


def test_a_lists_totals_row_reads_just_total_beside_counts():
    assert intake.is_totals_name(["Jumlah UMKM", "25", None], 0)
    assert intake.is_totals_name(["Total", 25, "25 UMKM"], 0)
    assert not intake.is_totals_name(["Jumlah Jaya", None], 0)
    assert not intake.is_totals_name(["Total", "Budi"], 0)


def test_a_row_of_just_the_sum_of_the_purchases_above_is_a_totals_row():
    cols = {"date": 0, "nip": 1, "seller": 2, "amount": 3, "receipt": 4}
    rows = [PURCHASE_HEADER,
            ["2026-11-03", "198001012010012001", "Mie Sagu", 20_000, "N1"],
            ["2026-11-04", "198001012010012001", "Mie Sagu", 30_000, "N2"],
            [None, None, None, 50_000, 2],
            [None, None, None, 40_000, None]]
    sums = intake.SumsAbove(rows, 1, cols)
    assert sums.is_total(rows[3], 3, {"amount": 50_000, "receipt": 2})
    assert not sums.is_total(rows[4], 4, {"amount": 40_000, "receipt": None})


def test_an_amount_cell_is_a_positive_number_or_text_reading_one():
    assert [intake.amount_value(v) for v in (325_000, "Rp325.000", 0, -5, "", None, "lima")] == \
        [325_000, 325_000, None, None, None, None, None]


# ---------------------------------------------------------------- month-first dates


def month_first(*dates) -> bool:
    return intake.month_first_dates([["Tanggal"]] + [[d] for d in dates], 1, 0) is not None


def test_dates_are_day_first_unless_two_are_real_only_month_first():
    assert not month_first("03/11/2026", "05/11/2026")        # both ways real: day first stays
    assert not month_first("11/24/2026")                      # one date is no evidence
    assert month_first("11/24/2026", "11/25/2026", "11/05/2026")


def test_month_first_needs_ten_times_the_dates_real_only_day_first():
    assert not month_first("13/11/2026", "11/24/2026", "11/25/2026")


def test_month_first_dates_come_with_their_dates_and_an_example():
    verdicts, (example, meaning) = intake.month_first_dates([["11/24/2026"], ["11/25/2026"]], 0, 0)
    assert verdicts["11/24/2026"].isoformat() == "2026-11-24"
    assert example in verdicts and "November 2026" in meaning


# ---------------------------------------------------------------- a roster's blank Eselon


SIASN_HEADER = ["NIP Baru", "Nama", "Jabatan Nama", "Eselon", "Unor Induk Nama", "Jenis Jabatan"]


def roster_columns(header_row: list) -> dict:
    return intake.match_header([header_row], schema.EMPLOYEES).best()


def test_in_a_siasn_export_a_blank_eselon_is_non_eselon():
    staff = intake.blank_tier_is_staff(roster_columns(SIASN_HEADER))
    assert staff
    assert intake.roster_tier(None, staff) is Tier.NON_ESELON
    assert intake.roster_tier("IV.a", staff) is Tier.ESELON_IV
    tier = next(c for c in schema.EMPLOYEES.columns if c.key == "tier")
    assert intake.roster_missing([tier], staff) == []


def test_in_our_own_roster_a_blank_eselon_is_missing():
    staff = intake.blank_tier_is_staff(roster_columns(["NIP", "Nama", "Jabatan", "Eselon", "OPD"]))
    assert not staff
    assert intake.roster_tier("", staff) is None
    tier = next(c for c in schema.EMPLOYEES.columns if c.key == "tier")
    assert intake.roster_missing([tier], staff) == [tier]


# ---------------------------------------------------------------- the Pengaturan sheet


def settings_of(rows: list) -> tuple[Settings, list]:
    settings, problems = Settings(), []
    intake.read_settings(rows, settings, lambda i, j: Place("pusat.xlsx", "Pengaturan", f"{i},{j}"), problems)
    return settings, problems


def test_a_setting_is_the_value_right_of_its_label():
    settings, problems = settings_of([["Hari Jiku Bata", 9, "tanggal berapa pun 1–31"]])
    assert (settings.jiku_bata_day, problems) == (9, [])


def test_an_unreadable_setting_is_named_where_it_is_and_its_default_kept():
    settings, (p,) = settings_of([[None], ["Hari Jiku Bata", 40]])
    assert settings.jiku_bata_day == 7
    assert (p.code, p.place.cell) == ("PENGATURAN_TIDAK_VALID", "1,1")


def test_the_tier_table_sets_minimums_and_a_blank_minimum_means_none():
    settings, problems = settings_of([["Tingkat", "Minimum Belanja (Rp)"], ["Eselon III", 50_000],
                                      ["Eselon IV", None], ["Eselon II", "banyak"]])
    assert settings.minimums[Tier.ESELON_III] == 50_000
    assert settings.minimums[Tier.ESELON_IV] is None
    assert settings.minimums[Tier.ESELON_II] == DEFAULT_MINIMUMS[Tier.ESELON_II]
    assert [p.code for p in problems] == ["PENGATURAN_TIDAK_VALID"]


def test_the_tpp_table_reads_months_in_a_row_and_percent():
    settings, problems = settings_of([["Bulan Berturut", "Potongan (%)"], [3, "10%"], [1, 5], ["dua", 5]])
    assert settings.tpp_deductions == ((1, 5.0), (3, 10.0))
    assert len(problems) == 1


def test_holidays_are_dates_and_spans_of_days():
    settings, problems = settings_of([["Hari Libur", "25/12/2026; 24 s.d. 26 Desember 2026, besok"]])
    assert settings.holidays == (dt.date(2026, 12, 24), dt.date(2026, 12, 25), dt.date(2026, 12, 26))
    assert [p.code for p in problems] == ["PENGATURAN_TIDAK_VALID"]
