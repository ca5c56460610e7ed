"""The Perwali's rules (SPEC §4) on plain records: no file, no workbook, no clock."""
import datetime as dt

import pytest
from hypothesis import given, strategies as st

from jikubata.domain.model import (Dataset, Employee, EmploymentStatus, Office, Period, Purchase, Seller, Settings, Status,
                             Tier, compute)

NOV = Period(2026, 11)


def emp(nip="198001012010012001", tier=Tier.ESELON_IV, office="Dinas Kesehatan", **kw):
    return Employee(nip=nip, name=kw.pop("name", "Ani"), position="Kepala Seksi", tier=tier, office=office, **kw)


def buy(day, amount, nip="198001012010012001", seller="Mie Sagu"):
    return Purchase(date=day, nip=nip, seller=seller, amount=amount)


def run(employees, purchases=(), settings=None, as_of=dt.date(2026, 11, 30), period=NOV, offices=()):
    data = Dataset(settings or Settings(), list(employees), list(purchases), list(offices), [Seller("Mie Sagu")], [])
    return compute(data, period, as_of)


def test_default_minimums_per_tier():
    s = Settings()
    assert s.minimums == {Tier.WALIKOTA: 200_000, Tier.WAKIL_WALIKOTA: None, Tier.ESELON_II: 100_000,
                          Tier.ESELON_III: 30_000, Tier.ESELON_IV: 20_000, Tier.NON_ESELON: None}


def test_shortfall_is_minimum_less_spend():
    r = run([emp()], [buy(dt.date(2026, 11, 7), 15_000)])
    (e,) = r.employees
    assert (e.minimum, e.spent, e.shortfall, e.status) == (20_000, 15_000, 5_000, Status.KURANG)


def test_meeting_the_minimum_exactly_is_enough():
    (e,) = run([emp()], [buy(dt.date(2026, 11, 7), 10_000), buy(dt.date(2026, 11, 20), 10_000)]).employees
    assert (e.shortfall, e.status) == (0, Status.MEMENUHI)


def test_spending_more_never_gives_negative_shortfall():
    (e,) = run([emp()], [buy(dt.date(2026, 11, 7), 250_000)]).employees
    assert e.shortfall == 0 and e.spent == 250_000


def test_purchases_count_in_the_month_of_their_date():
    r = run([emp()], [buy(dt.date(2026, 10, 31), 20_000), buy(dt.date(2026, 12, 1), 20_000)])
    assert r.employees[0].spent == 0


def test_as_of_date_counts_only_purchases_up_to_it():
    purchases = [buy(dt.date(2026, 11, 7), 10_000), buy(dt.date(2026, 11, 21), 10_000)]
    (e,) = run([emp()], purchases, as_of=dt.date(2026, 11, 14)).employees
    assert e.spent == 10_000 and e.status is Status.KURANG


def test_tier_with_blank_minimum_is_not_obliged():
    (e,) = run([emp(tier=Tier.NON_ESELON)], [buy(dt.date(2026, 11, 7), 5_000)]).employees
    assert (e.minimum, e.status, e.shortfall, e.spent) == (None, Status.TIDAK_WAJIB, 0, 5_000)


def test_minimum_set_in_settings_obliges_that_tier():
    s = Settings()
    s.minimums[Tier.NON_ESELON] = 10_000
    (e,) = run([emp(tier=Tier.NON_ESELON)], settings=s).employees
    assert (e.minimum, e.status, e.shortfall) == (10_000, Status.KURANG, 10_000)


@pytest.mark.parametrize("status", [s for s in EmploymentStatus if s is not EmploymentStatus.AKTIF])
def test_only_active_employees_are_obliged(status):
    (e,) = run([emp(status=status)]).employees
    assert e.status is Status.TIDAK_WAJIB


@pytest.mark.parametrize("start, end, obliged", [
    (dt.date(2026, 11, 7), None, True),       # starts on the Jiku Bata day
    (dt.date(2026, 11, 8), None, False),      # starts after it
    (None, dt.date(2026, 11, 7), True),       # leaves on the day
    (None, dt.date(2026, 11, 6), False),      # left before it
    (dt.date(2020, 1, 1), dt.date(2030, 1, 1), True),
])
def test_in_post_on_the_jiku_bata_day(start, end, obliged):
    (e,) = run([emp(start=start, end=end)]).employees
    assert (e.status is not Status.TIDAK_WAJIB) is obliged


def test_jiku_bata_day_is_a_setting():
    s = Settings(jiku_bata_day=15)
    (e,) = run([emp(start=dt.date(2026, 11, 10))], settings=s).employees
    assert e.status is Status.KURANG


def test_jiku_bata_day_31_falls_on_the_last_day_of_short_months():
    assert Period(2026, 2).jiku_bata_day(31) == dt.date(2026, 2, 28)


def test_default_as_of_is_period_end_or_today():
    assert NOV.default_as_of(dt.date(2026, 12, 15)) == dt.date(2026, 11, 30)
    assert NOV.default_as_of(dt.date(2026, 11, 20)) == dt.date(2026, 11, 20)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "26-11", "2026/11", "November", ""])
def test_bad_period_is_refused_in_indonesian(text):
    with pytest.raises(ValueError, match="periode"):
        Period.parse(text)


def test_office_totals():
    people = [emp("198001012010012001", Tier.ESELON_IV), emp("198001012010012002", Tier.ESELON_III),
              emp("198001012010012003", Tier.NON_ESELON), emp("198001012010012004", Tier.ESELON_II, office="Inspektorat")]
    purchases = [buy(dt.date(2026, 11, 7), 20_000, "198001012010012001"),
                 buy(dt.date(2026, 11, 7), 10_000, "198001012010012002"),
                 buy(dt.date(2026, 11, 7), 5_000, "198001012010012003")]
    purchases.append(buy(dt.date(2026, 11, 9), 40_000, "198001012010012004"))
    r = run(people, purchases, offices=[Office("Inspektorat"), Office("Dinas Kesehatan")])
    assert [(o.office, o.obliged, o.met, o.short, o.spent, o.shortfall) for o in r.offices] == [
        ("Inspektorat", 1, 0, 1, 40_000, 60_000), ("Dinas Kesehatan", 2, 1, 1, 35_000, 20_000)]
    assert r.total.obliged == 3 and r.total.shortfall == 80_000
    assert r.offices[1].compliance == 0.5


def test_an_office_without_purchases_in_the_month_has_not_reported_and_is_no_verdict():
    people = [emp("198001012010012001", Tier.ESELON_IV), emp("198001012010012004", Tier.ESELON_II, office="Inspektorat")]
    purchases = [buy(dt.date(2026, 11, 7), 5_000, "198001012010012001"),
                 buy(dt.date(2026, 10, 7), 100_000, "198001012010012004")]  # October is not November
    r = run(people, purchases, offices=[Office("Inspektorat"), Office("Dinas Kesehatan")])
    inspektorat, dinkes = r.offices
    assert (inspektorat.reported, dinkes.reported) == (False, True)
    assert inspektorat.compliance is None and r.offices_not_reported == ["Inspektorat"]
    assert [e.nip for e in r.short_employees()] == ["198001012010012001"]  # nobody of the silent office
    assert (r.total.obliged, r.total.short, r.total.shortfall) == (1, 1, 15_000)
    out = r.to_json()
    assert [o["melapor"] for o in out["opd"]] == [False, True]
    assert {p["nip"]: p["melapor"] for p in out["pegawai"]} == {"198001012010012001": True,
                                                                "198001012010012004": False}


def test_seller_totals_count_transactions_buyers_and_revenue():
    purchases = [buy(dt.date(2026, 11, 7), 20_000, "198001012010012001"),
                 buy(dt.date(2026, 11, 8), 10_000, "198001012010012001", seller="mie  SAGU"),
                 buy(dt.date(2026, 11, 8), 5_000, "198001012010012002", seller="Bagea")]
    r = run([emp("198001012010012001"), emp("198001012010012002")], purchases)
    assert [(s.seller, s.transactions, s.buyers, s.revenue) for s in r.sellers] == [
        ("Mie Sagu", 2, 1, 30_000), ("Bagea", 1, 1, 5_000)]


@given(minimum=st.integers(1, 10**7), amounts=st.lists(st.integers(1, 10**7), max_size=20))
def test_shortfall_arithmetic(minimum, amounts):
    s = Settings()
    s.minimums[Tier.ESELON_IV] = minimum
    (e,) = run([emp()], [buy(dt.date(2026, 11, 1 + i % 28), a) for i, a in enumerate(amounts)], settings=s).employees
    assert e.spent == sum(amounts)
    assert e.shortfall == max(0, minimum - sum(amounts))
    assert e.shortfall + min(e.spent, minimum) == minimum
    assert (e.status is Status.MEMENUHI) == (sum(amounts) >= minimum)


def test_json_matches_the_spec_fields():
    r = run([emp()], [buy(dt.date(2026, 11, 7), 15_000)])
    j = r.to_json()
    # issue 11 adds dibaca, issue 22 rekonsiliasi
    assert list(j) == ["periode", "per_tanggal", "pegawai", "opd", "masalah", "dibaca", "rekonsiliasi"]
    assert j["periode"] == "2026-11" and j["per_tanggal"] == "2026-11-30"
    assert j["pegawai"][0] == {"nip": "198001012010012001", "nama": "Ani", "opd": "Dinas Kesehatan",
                               "tingkat": "ESELON_IV", "minimum": 20000, "belanja": 15000, "kekurangan": 5000,
                               "status": "KURANG", "melapor": True}
    assert j["opd"][0] == {"opd": "Dinas Kesehatan", "wajib": 1, "memenuhi": 0, "kurang": 1, "belanja": 15000,
                           "kekurangan": 5000, "melapor": True}


def test_problems_are_counted_on_the_dataset_and_carried_to_the_result():
    from jikubata.domain.model import Place, Problem, Severity

    def at(cell, severity):
        return Problem(Place("a.xlsx", "Belanja", cell), "KODE", severity, "pesan")

    problems = [at("A2", Severity.GALAT), at("A3", Severity.PERINGATAN), at("A4", Severity.GALAT)]
    data = Dataset(Settings(), [emp()], [], [], [Seller("Mie Sagu")], problems)
    result = compute(data, NOV, dt.date(2026, 11, 30))

    assert (data.error_count, data.warning_count) == (2, 1)
    assert (result.error_count, result.warning_count) == (2, 1)


def test_statuses_are_listed_short_first_then_met_then_not_obliged():
    assert sorted(Status, key=lambda s: s.rank) == [Status.KURANG, Status.MEMENUHI, Status.TIDAK_WAJIB]


# ---------------------------------------------------------------- one office, one identity (issue 19.2)


def test_office_key_ignores_case_spacing_and_punctuation():
    from jikubata.domain.model import office_key

    assert office_key("Dinas Kesehatan") == office_key("  DINAS   KESEHATAN ") == office_key("Dinas Kesehatan.")
    assert office_key("Kec. Sirimau") == office_key("KEC SIRIMAU") == office_key("kec.sirimau")
    assert office_key("Dinas Kesehatan") != office_key("Dinas Kesehatan Hewan")


def test_roster_spellings_of_an_opd_become_the_opd_sheets_one_office():
    dinkes = Office("Dinas Kesehatan", abbreviation="DINKES", head_name="dr. Budi")
    people = [emp("198001012010012001", office="DINAS KESEHATAN"),
              emp("198001012010012009", office="Dinas  Kesehatan"),
              emp("199002022015022003", office="DINKES")]
    r = run(people, offices=[dinkes])
    assert {e.office for e in r.employees} == {"Dinas Kesehatan"}
    (totals,) = r.offices
    assert (totals.office, totals.obliged) == ("Dinas Kesehatan", 3)
    assert r.office_info[r.employees[0].office] is dinkes


def test_offices_missing_from_the_opd_sheet_are_one_office_under_their_first_spelling():
    r = run([emp("198001012010012001", office="Dinas Pariwisata"),
             emp("198001012010012009", office="DINAS PARIWISATA")])
    assert [(o.office, o.obliged) for o in r.offices] == [("Dinas Pariwisata", 2)]


def test_a_name_wins_over_another_offices_abbreviation():
    from jikubata.domain.model import office_index

    a, b = Office("Inspektorat", abbreviation="INSP"), Office("INSP", abbreviation="X")
    assert office_index([a, b])["insp"] is b
