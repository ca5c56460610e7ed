"""The yearly recap (`jikubata rekap --tahun`): the same figures as the twelve monthly runs."""
from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from jikubata.adapters import summary
from jikubata.domain.model import (Dataset, Employee, Office, Period, Purchase, Settings, Status, Tier,
                                   aggregate_year, compute, compute_year)
from jikubata.tools import demo
from tests.support.cli import jikubata_here
from tests.support.workbooks import NIP_ANI, basic

AS_OF = dt.date(2026, 11, 27)  # issue 12: --per-tanggal may not be after today
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def jb(*args):
    return jikubata_here(*args)


def rows_under(ws, first_header="No"):
    rows = list(ws.iter_rows(values_only=True))
    h = next(i for i, r in enumerate(rows) if r[0] == first_header)
    header = []
    for c in rows[h]:
        if c is None or c in header:
            break
        header.append(c)
    return [dict(zip(header, r[:len(header)])) for r in rows[h + 1:] if any(v is not None for v in r[:len(header)])]


# ---------------------------------------------------------------- the demo, against twelve `hitung --json` runs


@pytest.fixture(scope="module")
def demo_year(tmp_path_factory):
    root = tmp_path_factory.mktemp("tahun")
    # Four months of purchases (Agustus to November 2026) of eight offices: every rule of the year at a
    # fifth of the city's reading, eleven times over.
    demo.generate(root / "masuk", today=AS_OF, offices=8)
    done = jb("rekap", root / "masuk", "--tahun", "2026", "--per-tanggal", AS_OF, "--keluaran", root / "keluar")
    assert done.returncode == 0, done.stderr
    assert "Rekap-Jiku-Bata-2026.xlsx" in done.stdout
    monthly = {}
    for m in range(1, 13):
        period = Period(2026, m)
        if period.first_day > AS_OF:
            continue  # December has not begun: nothing to run
        out = jb("hitung", root / "masuk", "--periode", period, "--per-tanggal", min(period.last_day, AS_OF), "--json")
        assert out.returncode == 0, out.stderr
        monthly[m] = json.loads(out.stdout)
    return openpyxl.load_workbook(root / "keluar" / "Rekap-Jiku-Bata-2026.xlsx"), monthly


def has_data(month_json) -> bool:
    return any(o["belanja"] for o in month_json["opd"])


@pytest.mark.slow
def test_yearly_grids_equal_the_monthly_hitung_runs(demo_year):
    wb, monthly = demo_year
    assert wb.sheetnames == ["Ringkasan", "Kekurangan", "Pegawai", "Masalah Data"]
    with_data = {m for m, j in monthly.items() if has_data(j)}
    assert with_data == {8, 9, 10, 11}  # the demo's months, and no other
    compliance = {r["OPD"]: r for r in rows_under(wb["Ringkasan"])}
    shortfall = {r["OPD"]: r for r in rows_under(wb["Kekurangan"])}
    offices = {o["opd"] for j in monthly.values() for o in j["opd"]}
    assert set(compliance) == set(shortfall) == offices | {"Jumlah"}
    for office in offices | {"Jumlah"}:
        obliged_year = met_year = short_year = 0
        assert "Jan\u2013Jul" in compliance[office] and "Jan" not in compliance[office]   # before the data: folded
        assert compliance[office]["Jan\u2013Jul"] == "tanpa data"
        for m, label in enumerate(MONTHS, 1):
            if m < 8:
                continue
            c, s = compliance[office][label], shortfall[office][label]
            if m not in with_data:
                assert c == s == "tanpa data", (office, label)  # not 0 %
                continue
            rows = monthly[m]["opd"] if office == "Jumlah" else [o for o in monthly[m]["opd"] if o["opd"] == office]
            wajib, memenuhi = sum(o["wajib"] for o in rows), sum(o["memenuhi"] for o in rows)
            kekurangan = sum(o["kekurangan"] for o in rows)
            assert c == (pytest.approx(memenuhi / wajib) if wajib else "-"), (office, label)
            assert s == kekurangan, (office, label)
            obliged_year, met_year, short_year = obliged_year + wajib, met_year + memenuhi, short_year + kekurangan
        assert compliance[office]["Setahun"] == pytest.approx(met_year / obliged_year)
        assert shortfall[office]["Setahun"] == short_year


def test_each_employee_has_months_obliged_met_and_the_year_shortfall_of_the_monthly_runs(demo_year):
    wb, monthly = demo_year
    expected: dict[str, list[int]] = {}
    for m, j in monthly.items():
        if not has_data(j):
            continue
        for e in j["pegawai"]:
            x = expected.setdefault(e["nip"], [0, 0, 0, 0])
            x[0] += e["status"] != "TIDAK_WAJIB"
            x[1] += e["status"] == "MEMENUHI"
            x[2] += e["belanja"]
            x[3] += e["kekurangan"]
    rows = rows_under(wb["Pegawai"])
    total, rows = rows[-1], rows[:-1]
    got = {r["NIP"]: [r["Bulan Wajib"], r["Bulan Memenuhi"], r["Belanja Setahun"], r["Kekurangan Setahun"]]
           for r in rows}
    assert got == expected
    assert total["Kekurangan Setahun"] == sum(x[3] for x in expected.values())
    assert wb["Pegawai"].tables  # a filterable Excel table


def test_the_city_chart_plots_the_months_with_data_only(demo_year):
    wb, monthly = demo_year
    ws = wb["Ringkasan"]
    [chart] = ws._charts
    assert chart.tagname == "barChart"  # columns: one per month
    [(r, c)] = [(cell.row, cell.column) for row in ws.iter_rows() for cell in row if cell.value == "Kepatuhan kota"]
    labels = [ws.cell(r + i, c - 1).value for i in range(1, 13)]
    shown = [MONTHS.index(label) + 1 for label in labels if label]
    assert shown == list(range(8, 13))   # the months before the first data (August) are not plotted
    plotted = {m: ws.cell(r + i, c).value for i, m in enumerate(shown, 1)}
    for m, value in plotted.items():
        j = monthly.get(m)
        if j is None or not has_data(j):
            assert value is None  # a gap, not a 0 % column
        else:
            assert value == pytest.approx(sum(o["memenuhi"] for o in j["opd"]) / sum(o["wajib"] for o in j["opd"]))


# ---------------------------------------------------------------- the domain


def test_a_month_without_purchases_and_a_month_not_begun_have_no_data():
    people = [Employee("198001012010011001", "Ani", "Kasi", Tier.ESELON_IV, "Dinas A"),
              Employee("198001012010011002", "Budi", "Kabid", Tier.ESELON_III, "Dinas A",
                       start=dt.date(2026, 3, 1))]
    purchases = [Purchase(dt.date(2026, 1, 7), "198001012010011001", "Kopi", 20_000),
                 Purchase(dt.date(2026, 3, 7), "198001012010011002", "Kopi", 10_000),
                 Purchase(dt.date(2026, 4, 7), "198001012010011001", "Kopi", 5_000)]
    dataset = Dataset(Settings(), people, purchases, [Office("Dinas A", "DA")], [], [], False)
    year = compute_year(dataset, 2026, dt.date(2026, 4, 20))
    assert year.months_with_data == [1, 3, 4]  # February had no purchase; May has not begun
    ani, budi = sorted(year.employees, key=lambda e: e.name)
    assert (ani.months_obliged, ani.months_met, ani.spent, ani.shortfall) == (3, 1, 25_000, 20_000 + 15_000)
    # Budi starts in March: not obliged in January; March and April short.
    assert (budi.months_obliged, budi.months_met, budi.shortfall) == (2, 0, 20_000 + 30_000)
    assert year.office_month("Dinas A", 2) is None and year.city_month(5) is None
    april = compute(dataset, Period(2026, 4), dt.date(2026, 4, 20))
    assert year.office_month("Dinas A", 4) == april.offices[0]  # the month is the monthly result itself
    total = year.total
    assert (total.obliged, total.met) == (5, 1)


def test_aggregate_refuses_a_result_of_another_period():
    dataset = Dataset(Settings(), [], [], [], [], [], False)
    with pytest.raises(ValueError):
        aggregate_year(2026, AS_OF, {3: compute(dataset, Period(2026, 4), AS_OF)})


def test_an_office_with_nobody_obliged_in_a_month_with_data_shows_a_dash(tmp_path):
    people = [Employee("198001012010011001", "Ani", "Kasi", Tier.ESELON_IV, "Dinas A"),
              Employee("198001012010011002", "Cici", "Staf", Tier.NON_ESELON, "Dinas B")]
    purchases = [Purchase(dt.date(2026, 2, 7), "198001012010011001", "Kopi", 20_000)]
    dataset = Dataset(Settings(), people, purchases, [Office("Dinas A"), Office("Dinas B")], [], [], False)
    path = summary.write_year_summary(compute_year(dataset, 2026, dt.date(2026, 2, 28)), tmp_path)
    assert path.name == "Rekap-Jiku-Bata-2026.xlsx"
    rows = {r["OPD"]: r for r in rows_under(openpyxl.load_workbook(path)["Ringkasan"])}
    assert rows["Dinas A"]["Feb"] == 1 and rows["Dinas B"]["Feb"] == "-" and rows["Dinas A"]["Jan"] == "tanpa data"
    assert list(rows)[:2] == ["Dinas A", "Dinas B"]  # nobody obliged: last


# ---------------------------------------------------------------- the command line


def test_periode_and_tahun_cannot_be_given_together(tmp_path):
    done = jb("rekap", tmp_path, "--periode", "2026-11", "--tahun", "2026", "--keluaran", tmp_path / "k")
    assert done.returncode == 2 and "Traceback" not in done.stderr


@pytest.mark.parametrize("bad", ["26", "2026-11", "tahun"])
def test_a_bad_year_is_a_clear_indonesian_error(tmp_path, bad):
    done = jb("rekap", tmp_path, "--tahun", bad, "--keluaran", tmp_path / "k")
    assert done.returncode == 2 and "tidak valid" in done.stderr and "TTTT" in done.stderr


def test_as_of_date_outside_the_year_is_refused(tmp_path):
    basic(tmp_path / "masuk" / "dinkes.xlsx", purchases=[
        (dt.date(2026, 11, 7), NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie sagu", 20000, "N1")])
    done = jb("rekap", tmp_path / "masuk", "--tahun", "2025", "--per-tanggal", "2026-11-30",
              "--keluaran", tmp_path / "k")
    assert done.returncode == 2 and "tidak berada pada tahun 2025" in done.stderr
    assert not (tmp_path / "k").exists()
