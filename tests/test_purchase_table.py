"""The purchase table (README: Kinerja): rows kept as columns of numbers, checked mostly without a `Purchase` object.

The checks decide nearly every row from the table's integers and make a `Purchase` only for a row with something
to say. Here both ways meet: on random rows, forms and rosters, `validate`'s fast way and the slow way for every
row give the same problems, in the same order, and keep the same rows."""
import dataclasses
import datetime as dt

from hypothesis import given, settings, strategies as st

from jikubata.domain import validation
from jikubata.domain.model import (Dataset, Employee, FormIdentity, Period, Purchase, Seller, Settings, SheetSource,
                                   Tier, purchase_facts)
from jikubata.domain.purchase_table import PurchaseTable

TODAY = dt.date(2026, 11, 20)
NOV, OCT = Period(2026, 11), Period(2026, 10)
ROSTER = [Employee("198001012010012001", "Ani Latuconsina", "Staf", Tier.ESELON_IV, "Dinas Kesehatan"),
          Employee("198101012010011002", "dr. Budi Pattiasina, M.Kes", "Kepala", Tier.ESELON_II, "Dinas Sosial"),
          Employee("8171010101800001", "Wali", "Wali Kota", Tier.WALIKOTA, "Sekretariat Daerah")]
NIPS = [e.nip for e in ROSTER] + ["198201012010011003", "8171010101800002"]
NAMES = ["", "Ani Latuconsina", "ANI LATUCONSINA", "Budi Pattiasina", "dr. Budi Pattiasina, M.Kes", "Orang Lain"]
SELLERS = ["Mie Sagu", "mie  sagu", "Kopi Rempah"]
DAYS = [dt.date(2025, 12, 31), dt.date(2026, 1, 5), dt.date(2026, 10, 30), dt.date(2026, 11, 7), dt.date(2026, 11, 20),
        dt.date(2026, 11, 21)]
FILES = ["dinkes.xlsx", "dinsos.xlsx", "pusat.xlsx"]
SOURCES = {f: SheetSource(f, "Belanja", {"date": 0, "nip": 1, "buyer_name": 2, "seller": 3, "amount": 5,
                                         "receipt": 6}) for f in FILES}

row = st.tuples(st.sampled_from(FILES), st.sampled_from(DAYS), st.sampled_from(NIPS), st.sampled_from(NAMES),
                st.sampled_from(SELLERS), st.sampled_from([20_000, 5_000_001]), st.sampled_from(["N1", "n1", "N2", "N3"]))


def form(file: str, office: str, period: Period, hour: int) -> FormIdentity:
    made = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    return FormIdentity(file, office, "", period, "1", made, made + dt.timedelta(hours=hour))


forms = st.fixed_dictionaries({
    "dinkes.xlsx": st.one_of(st.none(), st.sampled_from([NOV, OCT]).map(lambda p: form("dinkes.xlsx", "Dinas Kesehatan", p, 1))),
    "dinsos.xlsx": st.one_of(st.none(), st.sampled_from([NOV, OCT]).map(lambda p: form("dinsos.xlsx", "Dinas Kesehatan", p, 2))),
})


def checked(data: Dataset, every_row: bool):
    table = PurchaseTable.of(data.purchases)
    replaced = validation.superseded_forms(data.forms.values())
    dropped = [k for k, s in enumerate(table.sources) if s is not None and s.file in replaced]
    roster = {e.nip: e for e in data.employees}
    problems: list = []
    only = validation.registered_only(data)
    keep, repeats = validation._check_purchases(
        table, data, dropped, roster, set(), {"miesagu"}, data.has_seller_sheet or only, only, TODAY, problems,
        every_row=every_row)
    return [(p.code, p.place, p.message, p.severity) for p in problems], list(keep), repeats


@settings(max_examples=300, deadline=None)
@given(st.lists(row, max_size=25), forms, st.booleans(), st.sampled_from([None, True, False]))
def test_the_fast_checks_agree_with_checking_every_row(rows, found_forms, seller_sheet, only_registered):
    purchases = [Purchase(day, nip, seller, amount, name, "", receipt, "", SOURCES[f], i + 2)
                 for i, (f, day, nip, name, seller, amount, receipt) in enumerate(rows)]
    data = Dataset(Settings(registered_only=only_registered), list(ROSTER), purchases, [], [Seller("Mie Sagu")], [],
                   has_seller_sheet=seller_sheet, files=FILES,
                   saved_at={"dinkes.xlsx": dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc)},
                   forms={f: v for f, v in found_forms.items() if v is not None})
    assert checked(data, every_row=False) == checked(data, every_row=True)


def test_a_table_gives_back_the_purchases_put_in_and_counts_only_kept_rows():
    source = SOURCES["dinkes.xlsx"]
    purchases = [Purchase(dt.date(2026, 11, 7), NIPS[0], "Mie Sagu", 20_000, "Ani", "", "N-01", "", source, 2),
                 Purchase(dt.date(2026, 11, 8), NIPS[1], "Kopi Rempah", 30_000, "", "", "Ñ-02", "", source, 3),
                 Purchase(dt.date(2026, 10, 8), NIPS[0], "Mie Sagu", 15_000, "Ani", "", "", "", None, 0)]
    table = PurchaseTable.of(purchases)
    assert list(table) == purchases and len(table) == 3 and table[1].receipt == "Ñ-02" and table[-1].source is None
    extra = Purchase(dt.date(2026, 11, 9), NIPS[1], "Kopi Rempah", 5_000, source=None)
    counted = table.counted(bytearray([1, 0, 1]), {2: 10_000}, [extra])
    assert [p.amount for p in counted] == [20_000, 10_000, 5_000] and len(counted) == 3
    assert list(purchase_facts(counted)) == [(p.date, p.nip, p.seller, p.amount) for p in counted]
    assert list(table) == purchases  # the table read is left as it was


def test_checking_the_purchases_that_count_again_checks_only_those():
    source = SOURCES["dinkes.xlsx"]
    purchases = [Purchase(dt.date(2026, 11, 7), NIPS[0], "Mie Sagu", 20_000, "", "", "N1", "", source, 2),
                 Purchase(dt.date(2026, 11, 30), NIPS[0], "Mie Sagu", 20_000, "", "", "N2", "", source, 3)]
    data = Dataset(Settings(), list(ROSTER), purchases, [], [Seller("Mie Sagu")], [], has_seller_sheet=True,
                   files=FILES)
    once = validation.validate(data, TODAY)
    assert [p.code for p in once.problems] == ["TANGGAL_MASA_DEPAN"] and len(once.purchases) == 1
    twice = validation.validate(dataclasses.replace(once, problems=[]), TODAY)
    assert twice.problems == [] and list(twice.purchases) == list(once.purchases)
