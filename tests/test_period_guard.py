"""The period guard: no report, summary or letter for a month that has not begun or before the programme."""
import datetime as dt

import pytest

from jikubata.domain.model import Period, period_refusal
from tests.support.cli import jikubata_here as jb
from tests.test_cli import book  # noqa: F401  (the fixture)

TODAY = dt.date(2026, 11, 28)


@pytest.mark.parametrize("period", ["2026-11", "2026-10", "2022-09", "2025-01"])
def test_current_and_past_periods_are_accepted(period):
    assert period_refusal(Period.parse(period), None, TODAY) is None


def test_a_period_after_the_current_month_is_refused():
    why = period_refusal(Period(2027, 1), None, TODAY)
    assert why and "Januari 2027" in why and "belum dimulai" in why


def test_a_period_before_september_2022_is_refused():
    assert "sebelum program" in period_refusal(Period(2022, 8), None, TODAY)


def test_as_of_outside_the_period_is_refused():
    assert "di luar periode" in period_refusal(Period(2026, 10), dt.date(2026, 11, 2), TODAY)
    assert "di luar periode" in period_refusal(Period(2026, 10), dt.date(2026, 9, 30), TODAY)


def test_as_of_after_today_is_refused():
    assert "belum terjadi" in period_refusal(Period(2026, 11), dt.date(2026, 11, 29), TODAY)
    assert period_refusal(Period(2026, 11), TODAY, TODAY) is None


def _next_month():
    from jikubata.adapters.clock import SYSTEM

    t = SYSTEM.today()
    return f"{t.year + (t.month == 12)}-{t.month % 12 + 1:02d}"


@pytest.mark.parametrize("command", ["hitung", "rekap", "surat"])
def test_cli_refuses_next_month_with_exit_2_and_one_line(book, tmp_path, command):  # noqa: F811
    extra = ["--keluaran", tmp_path / "out"] if command != "hitung" else []
    r = jb(command, book, "--periode", _next_month(), *extra)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "belum dimulai" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()


def test_cli_refuses_a_period_before_the_programme(book):  # noqa: F811
    r = jb("surat", book, "--periode", "2022-08", "--keluaran", book.parent / "out")
    assert r.returncode == 2 and "sebelum program" in r.stderr


def test_cli_refuses_per_tanggal_outside_the_period(book):  # noqa: F811
    r = jb("hitung", book, "--periode", "2026-10", "--per-tanggal", "2026-11-05")
    assert r.returncode == 2 and "di luar periode" in r.stderr


def test_weekly_refuses_a_day_before_the_programme(book, tmp_path):  # noqa: F811
    r = jb("mingguan", book, "--keluaran", tmp_path / "w", "--per-tanggal", "2022-08-28")
    assert r.returncode == 2 and "sebelum program" in r.stderr


def test_the_yearly_recap_refuses_an_as_of_day_after_today_and_a_year_before_the_programme(book, tmp_path):  # noqa: F811
    from jikubata.adapters.clock import SYSTEM

    tomorrow = SYSTEM.today() + dt.timedelta(days=1)
    if tomorrow.year == SYSTEM.today().year:
        r = jb("rekap", book, "--tahun", tomorrow.year, "--per-tanggal", tomorrow, "--keluaran", tmp_path / "o")
        assert r.returncode == 2 and "belum terjadi" in r.stderr
    r = jb("rekap", book, "--tahun", "2021", "--keluaran", tmp_path / "o")
    assert r.returncode == 2 and "sebelum program" in r.stderr
