"""Issue 22: the matching rule of claims against sales, on plain records (no file, no clock)."""
import datetime as dt

from hypothesis import given, settings as hsettings, strategies as st

from jikubata.domain import reconciliation as rec
from jikubata.domain.model import (Dataset, Employee, FormIdentity, Period, Purchase, Sale, Settings, SheetSource,
                                   Status, Tier, compute)
from jikubata.domain.validation import validate

NOV = Period(2026, 11)
TODAY = dt.date(2026, 11, 28)
ANI, BUDI = "198001012010012001", "197503152000031002"
OFFICE = SheetSource("dinkes.xlsx", "Belanja", {"date": 0, "nip": 1, "seller": 3, "amount": 5, "receipt": 6})
BOOK = SheetSource("kopi.xlsx", "Penjualan", {"date": 0, "receipt": 1, "nip": 3, "amount": 6})


def claim(day, nip, seller, amount, receipt, row=2):
    return Purchase(dt.date(2026, 11, day), nip, seller, amount, receipt=receipt, source=OFFICE, row=row)


def sale(day, seller, amount, receipt, nip="", row=6):
    return Sale(dt.date(2026, 11, day), seller, amount, receipt, nip, source=BOOK, row=row)


# ---------------------------------------------------------------- the receipt key


def test_a_receipt_number_ignores_case_spaces_dashes_slashes_and_leading_zeros():
    keys = {rec.receipt_key(r) for r in ("NT-0012", "nt 12", "Nt/012", "NT12", " nt-00012 ")}
    assert keys == {"nt12"}
    assert rec.receipt_key("NT-120") != rec.receipt_key("NT-12")
    assert rec.receipt_key("2026/11/007") == rec.receipt_key("2026-11-7")


def _receipt_key_by_regex(receipt: str) -> str:
    """The rule as first written (two regular expressions over the whole receipt): the fast key must agree."""
    import re
    return re.sub(r"[\s\-/]+", "", re.sub(r"(?<!\d)0+(?=\d)", "", str(receipt).casefold()))


_RECEIPT_CHARACTERS = "0012 9-/aBxZ\t\x1c\x00\xa0\u2003\u0660\u00b2\u0130\u00df"


@hsettings(max_examples=2000, deadline=None)
@given(st.text(alphabet=_RECEIPT_CHARACTERS, max_size=14))
def test_the_receipt_key_is_the_rule_as_written(receipt):
    assert rec.receipt_key(receipt) == _receipt_key_by_regex(receipt)


@hsettings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=_RECEIPT_CHARACTERS, max_size=8), max_size=6))
def test_the_receipt_keys_of_many_receipts_at_once_are_each_ones_key(receipts):
    assert rec.receipt_keys(receipts) == [_receipt_key_by_regex(r) for r in receipts]


def test_the_separators_are_every_whitespace_character_and_dash_and_slash():
    import sys
    spaces = {c for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert set(rec._SEPARATORS) == spaces | {ord("-"), ord("/")}


# ---------------------------------------------------------------- matching


def test_claims_and_sales_match_by_seller_and_receipt_then_by_date_and_amount():
    claims = [claim(7, ANI, "Kopi Rempah", 20_000, "NT-01"), claim(9, BUDI, "kopi  rempah", 50_000, "X9"),
              claim(9, ANI, "Kopi Rempah", 15_000, "NT-05")]
    sales = [sale(9, "KOPI REMPAH", 50_000, "NT-03"), sale(7, "Kopi Rempah", 25_000, "nt 0001")]
    m = rec.match(claims, sales)
    assert [(p.claim.receipt, p.sale.receipt, p.by_receipt) for p in m.pairs] == [
        ("NT-01", "nt 0001", True), ("X9", "NT-03", False)]
    assert m.pairs[0].amount_differs and not m.pairs[0].date_differs
    assert [c.receipt for c in m.unmatched_claims] == ["NT-05"] and m.unmatched_sales == []


def test_another_seller_never_matches():
    m = rec.match([claim(7, ANI, "Kopi Rempah", 20_000, "N1")], [sale(7, "Bagea Hative", 20_000, "N1")])
    assert m.pairs == [] and len(m.unmatched_claims) == 1 and len(m.unmatched_sales) == 1


def test_a_sale_with_a_nip_pairs_by_date_and_amount_only_with_that_nip():
    sales = [sale(7, "Kopi", 20_000, "S1", nip=BUDI)]
    assert rec.match([claim(7, ANI, "Kopi", 20_000, "C1")], sales).pairs == []
    (pair,) = rec.match([claim(7, BUDI, "Kopi", 20_000, "C1")], sales).pairs
    assert not pair.by_receipt


def test_one_sale_matches_at_most_one_claim():
    """Two claims of one receipt (a copy typed twice, leading zeros apart) and one sale: one pair."""
    claims = [claim(7, ANI, "Kopi", 20_000, "N-7"), claim(7, ANI, "Kopi", 20_000, "N-007", row=3)]
    m = rec.match(claims, [sale(7, "Kopi", 20_000, "N7")])
    assert len(m.pairs) == 1 and m.pairs[0].claim.row == 2 and [c.row for c in m.unmatched_claims] == [3]


records = st.tuples(st.integers(1, 5), st.sampled_from(["Kopi", "Bagea", "KOPI "]),
                    st.sampled_from([10_000, 20_000, 30_000]), st.sampled_from(["N1", "n-01", "N2", "N3", "X"]),
                    st.sampled_from(["", ANI, BUDI]))


@hsettings(max_examples=300, deadline=None)
@given(st.lists(records, max_size=25), st.lists(records, max_size=25))
def test_matching_is_one_to_one_and_conserves_every_record_and_rupiah(claim_rows, sale_rows):
    claims = [claim(d, n or ANI, s, a, r, row=i) for i, (d, s, a, r, n) in enumerate(claim_rows)]
    sales = [sale(d, s, a, r, n, row=i) for i, (d, s, a, r, n) in enumerate(sale_rows)]
    m = rec.match(claims, sales)
    paired_claims = [id(p.claim) for p in m.pairs]
    paired_sales = [id(p.sale) for p in m.pairs]
    assert len(set(paired_claims)) == len(paired_claims) and len(set(paired_sales)) == len(paired_sales)
    assert sorted(paired_claims + [id(c) for c in m.unmatched_claims]) == sorted(map(id, claims))
    assert sorted(paired_sales + [id(s) for s in m.unmatched_sales]) == sorted(map(id, sales))
    assert sum(p.claim.amount for p in m.pairs) + sum(c.amount for c in m.unmatched_claims) == \
        sum(c.amount for c in claims)
    assert sum(p.sale.amount for p in m.pairs) + sum(s.amount for s in m.unmatched_sales) == \
        sum(s.amount for s in sales)
    for p in m.pairs:
        c, s = p.claim, p.sale
        assert c.seller.split() == s.seller.split() or c.seller.strip().casefold() == s.seller.strip().casefold()
        if p.by_receipt:
            assert rec.receipt_key(c.receipt) == rec.receipt_key(s.receipt)
        else:
            assert (c.date, c.amount) == (s.date, s.amount) and s.nip in ("", c.nip)
    # Nothing left over could still pair: no unmatched claim shares a receipt with an unmatched sale.
    left = {(s.seller.strip().casefold(), rec.receipt_key(s.receipt)) for s in m.unmatched_sales}
    assert not any((c.seller.strip().casefold(), rec.receipt_key(c.receipt)) in left for c in m.unmatched_claims)


# ---------------------------------------------------------------- what it means for the counting


def dataset(purchases, sales, *, strict=False, accept=True, forms=()):
    people = [Employee(ANI, "Ani", "Kepala Seksi", Tier.ESELON_IV, "Dinas Kesehatan"),
              Employee(BUDI, "Budi", "Kepala Bidang", Tier.ESELON_III, "Dinas Kesehatan")]
    settings = Settings(require_seller_match=strict, accept_seller_records=accept)
    return Dataset(settings, people, purchases, [], [], [], sales=list(sales),
                   seller_forms={f.file: f for f in forms})


def spent(purchases, sales, **kw):
    data = validate(dataset(purchases, sales, **kw), TODAY)
    result = compute(data, NOV, dt.date(2026, 11, 30))
    return {e.nip: e.spent for e in result.employees}, data, result


CASE_CLAIMS = [claim(7, ANI, "Kopi", 20_000, "K1", row=2),          # in the book
               claim(8, ANI, "Kopi", 12_000, "K2", row=3),          # the book says 9_000: BEDA_DENGAN_PENJUAL
               claim(9, BUDI, "Kopi", 30_000, "K3", row=4),         # not in the book: TIDAK_ADA_DI_BUKU_PENJUAL
               claim(10, BUDI, "Kopi", 5_000, "K4", row=5),         # in the book as K-40: NOTA_BEDA_NOMOR
               claim(11, BUDI, "Bagea", 7_000, "B1", row=6)]        # Bagea sent no book: not reconciled
CASE_SALES = [sale(7, "Kopi", 20_000, "k-01", row=6), sale(8, "Kopi", 9_000, "K2", row=7),
              sale(10, "Kopi", 5_000, "K-40", row=8),
              sale(12, "Kopi", 25_000, "K5", nip=ANI, row=9),      # nobody claimed it: PENJUALAN_TIDAK_DILAPORKAN
              sale(12, "Kopi", 4_000, "K6", row=10)]               # no NIP: listed only


def codes(data):
    return sorted((p.code, p.severity.value, p.place.file, p.place.cell) for p in data.problems)


def test_every_code_at_its_cell_by_default_and_the_hand_count():
    people, data, result = spent(CASE_CLAIMS, CASE_SALES)
    assert codes(data) == [
        ("BEDA_DENGAN_PENJUAL", "PERINGATAN", "dinkes.xlsx", "F3"),
        ("NOTA_BEDA_NOMOR", "PERINGATAN", "dinkes.xlsx", "G5"),
        ("PENJUALAN_TIDAK_DILAPORKAN", "PERINGATAN", "kopi.xlsx", "D9"),
        ("TIDAK_ADA_DI_BUKU_PENJUAL", "PERINGATAN", "dinkes.xlsx", "G4"),
    ]
    # Hand count (Tidak / Ya): Ani 20_000 + 12_000 (claim's own) + 25_000 (the seller's record); Budi all claims.
    assert people == {ANI: 20_000 + 12_000 + 25_000, BUDI: 30_000 + 5_000 + 7_000}
    beda = next(p for p in data.problems if p.code == "BEDA_DENGAN_PENJUAL")
    assert "kopi.xlsx" in beda.message and "sel G7" in beda.message and "Rp9.000" in beda.message


def test_strict_matching_drops_claims_without_a_sale_and_counts_the_smaller_amount():
    people, data, _ = spent(CASE_CLAIMS, CASE_SALES, strict=True)
    severity = {p.code: p.severity.value for p in data.problems}
    assert severity["TIDAK_ADA_DI_BUKU_PENJUAL"] == "GALAT" and severity["BEDA_DENGAN_PENJUAL"] == "PERINGATAN"
    assert people == {ANI: 20_000 + 9_000 + 25_000, BUDI: 5_000 + 7_000}


def test_without_accepting_the_sellers_records_an_unreported_sale_is_only_a_warning():
    people, data, _ = spent(CASE_CLAIMS, CASE_SALES, strict=True, accept=False)
    assert "PENJUALAN_TIDAK_DILAPORKAN" in {p.code for p in data.problems}
    assert people == {ANI: 20_000 + 9_000, BUDI: 5_000 + 7_000}


def test_the_json_lists_each_umkm_and_those_not_reconciled():
    _, _, result = spent(CASE_CLAIMS, CASE_SALES)
    rows = result.to_json()["rekonsiliasi"]
    assert rows == [
        {"umkm": "Kopi", "direkonsiliasi": True, "penjualan": 5, "klaim": 4, "cocok": 3, "hanya_penjual": 2,
         "hanya_klaim": 1, "rupiah_penjualan": 63_000, "rupiah_klaim": 67_000},
        {"umkm": "Bagea", "direkonsiliasi": False, "penjualan": 0, "klaim": 1, "cocok": 0, "hanya_penjual": 0,
         "hanya_klaim": 0, "rupiah_penjualan": 0, "rupiah_klaim": 7_000},
    ]
    assert result.claims_without_sale == 1


def test_without_any_sales_book_nothing_changes():
    people, data, result = spent(CASE_CLAIMS, [])
    assert data.problems == [] and result.reconciliation == []
    assert people == {ANI: 32_000, BUDI: 42_000}


def test_a_returned_empty_form_reconciles_its_seller_for_that_month_only():
    form = FormIdentity("kopi.xlsx", "Kopi", "", NOV, "1", dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc),
                        kind="penjualan")
    claims = [claim(7, ANI, "Kopi", 20_000, "K1"),
              Purchase(dt.date(2026, 10, 7), ANI, "Kopi", 10_000, receipt="K0", source=OFFICE, row=9)]
    _, data, _ = spent(claims, [], forms=[form])
    assert [(p.code, p.place.cell) for p in data.problems] == [("TIDAK_ADA_DI_BUKU_PENJUAL", "G2")]


def test_a_sale_counts_in_the_month_of_its_own_date():
    late = Sale(dt.date(2026, 10, 31), "Kopi", 40_000, "K9", ANI, source=BOOK, row=7)
    data = validate(dataset([], [sale(7, "Kopi", 20_000, "K1", nip=ANI), late]), TODAY)
    nov = compute(data, NOV, dt.date(2026, 11, 30))
    oct_ = compute(data, Period(2026, 10), dt.date(2026, 10, 31))
    assert {e.nip: e.spent for e in nov.employees}[ANI] == 20_000
    assert {e.nip: e.spent for e in oct_.employees}[ANI] == 40_000


def test_a_counted_sale_makes_its_buyers_office_reported():
    """Decision (issue 22): a seller's record of an ASN's purchase is data about the month, so the office is
    no longer `belum melapor` and its people get their real figures."""
    _, _, without = spent([], [sale(7, "Kopi", 30_000, "K5", nip=BUDI)], accept=False)
    assert without.offices_not_reported == ["Dinas Kesehatan"]
    people, _, result = spent([], [sale(7, "Kopi", 30_000, "K5", nip=BUDI)])
    assert result.offices_not_reported == [] and people[BUDI] == 30_000
    budi = next(e for e in result.employees if e.nip == BUDI)
    assert budi.status is Status.MEMENUHI
