"""The intake rules (README: Format berkas) on plain rows: no file, no workbook, no clock."""
from jikubata.domain import intake, schema

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
