"""Repeated shortfall (issue 21): `bulan_berturut`, counted over the finished months read, on plain records."""
import datetime as dt

from hypothesis import given, strategies as st

from jikubata.domain.model import (Dataset, Employee, EmploymentStatus, Period, Purchase, Seller, Settings, Status,
                                   Tier, aggregate_year, compute, run_length, verdict)

SEP, OCT, NOV = Period(2026, 9), Period(2026, 10), Period(2026, 11)
HEALTH, DISTRICT = "Dinas Kesehatan", "Kecamatan Sirimau"
ALWAYS = "198001012010012001"   # short three months in a row
AGAIN = "197505052000031002"    # short, met, short
LEAVE = "199002022015022003"    # short, on cuti, short
SILENT = "196806061990031004"   # short, office silent, short
JOINED = "198503032010011005"   # joined in October, short since
FINE = "197001012000011006"     # meets every month (keeps the health office reporting)
NEIGHBOUR = "197202022000011007"  # the district's other official: buys in September and November only


def person(nip, office=HEALTH, **kw):
    return Employee(nip=nip, name=kw.pop("name", nip[-3:]), position="Kepala Seksi", tier=Tier.ESELON_IV,
                    office=office, **kw)


def buy(nip, period, amount):
    return Purchase(date=period.jiku_bata_day(7), nip=nip, seller="Mie Sagu", amount=amount)


def people(leave_in=None):
    """The roster; `leave_in`: the month whose roster says `LEAVE` is on cuti (the roster is one month's)."""
    return [person(ALWAYS), person(AGAIN), person(FINE),
            person(LEAVE, status=EmploymentStatus.CUTI if leave_in else EmploymentStatus.AKTIF),
            person(SILENT, office=DISTRICT), person(NEIGHBOUR, office=DISTRICT),
            person(JOINED, start=dt.date(2026, 10, 1))]


def purchases():
    rows = []
    for month in (SEP, OCT, NOV):
        rows += [buy(FINE, month, 20_000), buy(ALWAYS, month, 5_000), buy(LEAVE, month, 5_000)]
        rows.append(buy(AGAIN, month, 20_000 if month == OCT else 10_000))
        if month != OCT:   # the district sends nothing in October
            rows += [buy(SILENT, month, 1_000), buy(NEIGHBOUR, month, 20_000)]
        if month != SEP:
            rows.append(buy(JOINED, month, 2_000))
    return rows


def dataset(roster=None, rows=None, settings=None):
    return Dataset(settings or Settings(), roster or people(), purchases() if rows is None else rows, [],
                   [Seller("Mie Sagu")], [])


def runs(result):
    return {e.nip: e.short_run for e in result.employees}


def test_short_three_finished_months_in_a_row_counts_three():
    assert runs(compute(dataset(), NOV, NOV.last_day, finished=True))[ALWAYS] == 3


def test_a_month_met_breaks_the_run():
    assert runs(compute(dataset(), NOV, NOV.last_day, finished=True))[AGAIN] == 1


def test_a_month_the_office_had_not_reported_neither_counts_nor_breaks():
    result = compute(dataset(), NOV, NOV.last_day, finished=True)
    assert runs(result)[SILENT] == 2
    october = compute(dataset(), OCT, OCT.last_day, finished=True)
    assert [e.reported for e in october.employees if e.nip == SILENT] == [False]
    assert runs(october)[SILENT] == 0   # no verdict in a month not reported


def test_months_before_joining_are_skipped():
    assert runs(compute(dataset(), NOV, NOV.last_day, finished=True))[JOINED] == 2


def test_cuti_in_the_middle_month_continues_the_run():
    # Each month judged with that month's roster: in October `LEAVE` was on cuti (TIDAK_WAJIB).
    months = [compute(dataset(people(leave_in=m == OCT)), m, m.last_day) for m in (SEP, OCT, NOV)]
    verdicts = [next(verdict(e) for e in r.employees if e.nip == LEAVE) for r in months]
    assert verdicts == [Status.KURANG, None, Status.KURANG]
    assert run_length(reversed(verdicts)) == 2


def test_zero_unless_short_in_the_month_itself():
    result = compute(dataset(), OCT, OCT.last_day, finished=True)
    assert runs(result)[AGAIN] == 0 and runs(result)[FINE] == 0
    assert runs(result)[ALWAYS] == 2


def test_a_running_month_has_no_count():
    result = compute(dataset(), NOV, NOV.last_day)
    assert set(runs(result).values()) == {None}
    assert all("bulan_berturut" not in p for p in result.to_json()["pegawai"])


def test_json_gives_the_count_for_a_finished_month():
    by_nip = {p["nip"]: p for p in compute(dataset(), NOV, NOV.last_day, finished=True).to_json()["pegawai"]}
    assert by_nip[ALWAYS]["bulan_berturut"] == 3 and by_nip[FINE]["bulan_berturut"] == 0


def test_counts_reach_back_over_a_year_boundary_and_stop_at_the_first_data():
    rows = [buy(ALWAYS, Period(2025, 12), 1_000), buy(ALWAYS, Period(2026, 1), 1_000),
            buy(FINE, Period(2025, 12), 20_000), buy(FINE, Period(2026, 1), 20_000)]
    result = compute(dataset([person(ALWAYS), person(FINE)], rows), Period(2026, 1), dt.date(2026, 1, 31),
                     finished=True)
    assert runs(result)[ALWAYS] == 2


def test_a_returned_form_makes_its_month_reported():
    from jikubata.domain.model import FormIdentity

    rows = [r for r in purchases() if not (r.date.month == 10 and r.nip in (SILENT, NEIGHBOUR))]
    data = dataset(rows=rows)
    at = dt.datetime(2026, 10, 1, tzinfo=dt.timezone.utc)
    data.forms["f.xlsx"] = FormIdentity("f.xlsx", DISTRICT, "", OCT, "1", at, at + dt.timedelta(days=3))
    # The district returned an empty form for October: SILENT spent nothing, so October counts.
    assert runs(compute(data, NOV, NOV.last_day, finished=True))[SILENT] == 3


def test_the_year_gives_months_short_and_the_longest_run():
    data = dataset()
    year = aggregate_year(2026, NOV.last_day, {m.month: compute(data, m, m.last_day) for m in (SEP, OCT, NOV)})
    by_nip = {e.nip: e for e in year.employees}
    assert (by_nip[ALWAYS].months_short, by_nip[ALWAYS].longest_run) == (3, 3)
    assert (by_nip[AGAIN].months_short, by_nip[AGAIN].longest_run) == (2, 1)
    assert (by_nip[SILENT].months_short, by_nip[SILENT].longest_run) == (2, 2)
    assert (by_nip[FINE].months_short, by_nip[FINE].longest_run) == (0, 0)


verdicts = st.lists(st.sampled_from([Status.KURANG, Status.MEMENUHI, Status.TIDAK_WAJIB, None]), max_size=30)


@given(verdicts)
def test_skipped_months_neither_count_nor_break(months):
    kept = [v for v in months if v in (Status.KURANG, Status.MEMENUHI)]
    if months and months[0] is Status.KURANG:
        expected = kept.index(Status.MEMENUHI) if Status.MEMENUHI in kept else len(kept)
    else:
        expected = 0
    assert run_length(months) == expected


@given(verdicts)
def test_the_count_is_never_more_than_the_months_short(months):
    n = run_length(months)
    assert 0 <= n <= months.count(Status.KURANG)
    assert (n > 0) == (bool(months) and months[0] is Status.KURANG)


def test_the_yearly_pegawai_sheet_puts_the_worst_first_with_months_short_and_longest_run():
    from jikubata.adapters import summary

    data = dataset()
    year = aggregate_year(2026, NOV.last_day, {m.month: compute(data, m, m.last_day) for m in (SEP, OCT, NOV)})
    sheet = next(t for t in summary.year_tables(year) if t.name == summary.YEAR_EMPLOYEES_SHEET)
    short, run = sheet.header.index("Bulan Kurang"), sheet.header.index("Berturut Terpanjang")
    nip = sheet.header.index("NIP")
    assert [row[nip] for row in sheet.rows[:2]] == [ALWAYS, LEAVE]       # three months short each
    assert (sheet.rows[0][short], sheet.rows[0][run]) == (3, 3)
    keys = [(row[short], row[run]) for row in sheet.rows]
    assert keys == sorted(keys, reverse=True)
