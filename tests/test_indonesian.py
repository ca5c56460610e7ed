"""Indonesian forms used in letters: money, dates, terbilang, Roman months."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from jikubata.domain import indonesian
from jikubata.domain.indonesian import decimal, long_date, month_year, percent, roman_month, rupiah, rupiah_words, words

_UNITS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
          "delapan": 8, "sembilan": 9}
_SCALES = {"juta": 10**6, "miliar": 10**9, "triliun": 10**12}


def parse_words(text: str) -> int:
    """An independent reader of Indonesian number words, to check `words` against."""
    total = group = unit = 0
    for w in text.split():
        if w == "nol":
            continue
        if w in _UNITS:
            unit = _UNITS[w]
        elif w in ("sepuluh", "sebelas"):
            group += 10 if w == "sepuluh" else 11
        elif w == "belas":
            group, unit = group + unit + 10, 0
        elif w == "puluh":
            group, unit = group + unit * 10, 0
        elif w == "seratus":
            group += 100
        elif w == "ratus":
            group, unit = group + unit * 100, 0
        elif w == "seribu":
            total += 1000
        elif w == "ribu":
            total, group, unit = total + (group + unit) * 1000, 0, 0
        elif w in _SCALES:
            total, group, unit = total + (group + unit) * _SCALES[w], 0, 0
        else:
            raise ValueError(w)
    return total + group + unit


amounts = st.integers(min_value=0, max_value=10**15 - 1)


@given(amounts)
def test_words_read_back_as_the_same_number(n):
    assert parse_words(words(n)) == n


@given(amounts)
def test_words_use_the_se_forms_never_satu_puluh_ratus_belas(n):
    text = f" {words(n)} "
    for wrong in (" satu puluh ", " satu ratus ", " satu belas "):
        assert wrong not in text


@given(amounts)
def test_satu_ribu_appears_only_as_the_tail_of_a_larger_group(n):
    tokens = words(n).split()
    for i in range(1, len(tokens)):
        if tokens[i - 1:i + 1] == ["satu", "ribu"]:
            assert i >= 2 and tokens[i - 2] not in ("juta", "miliar", "triliun")


def test_a_thousands_group_of_one_is_seribu():
    assert words(1000) == "seribu"
    assert words(1_001_000) == "satu juta seribu"
    assert words(5_001_000_000) == "lima miliar satu juta"
    assert words(2_000_001_000) == "dua miliar seribu"


def test_twenty_one_thousand_keeps_satu_ribu():
    assert words(21_000) == "dua puluh satu ribu"
    assert words(101_000) == "seratus satu ribu"


def test_rupiah_words_of_a_typical_shortfall():
    assert rupiah_words(125_000) == "seratus dua puluh lima ribu rupiah"
    assert rupiah_words(11_500) == "sebelas ribu lima ratus rupiah"


def test_rupiah_groups_thousands_with_dots_and_no_space():
    assert rupiah(125_000) == "Rp125.000"
    assert rupiah(1_250_000) == "Rp1.250.000"
    assert rupiah(None) == "-"


def test_long_date_and_month_in_indonesian():
    assert long_date(dt.date(2023, 4, 4)) == "4 April 2023"
    assert long_date(dt.date(2026, 8, 17)) == "17 Agustus 2026"
    assert month_year(2026, 11) == "November 2026"


def test_roman_months():
    assert [roman_month(m) for m in (1, 4, 9, 11, 12)] == ["I", "IV", "IX", "XI", "XII"]


# ---------------------------------------------------------------- the same forms as Babel (CLDR) and num2words

# The module writes these forms with the standard library (the domain has no dependencies); Babel's
# id_ID locale data and num2words are the references they must agree with.

babel_numbers = pytest.importorskip("babel.numbers")
babel_dates = pytest.importorskip("babel.dates")
num2words = pytest.importorskip("num2words").num2words


@settings(deadline=None)
@given(st.integers(min_value=-10**15, max_value=10**15))
def test_rupiah_agrees_with_babel(n):
    assert rupiah(n) == "Rp" + babel_numbers.format_decimal(n, format="#,##0", locale="id_ID")


@settings(deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_dates_agree_with_babel(day):
    assert long_date(day) == babel_dates.format_date(day, format="d MMMM y", locale="id_ID")
    assert month_year(day.year, day.month) == babel_dates.format_date(day, format="MMMM y", locale="id_ID")


@settings(deadline=None)
@given(st.one_of(st.floats(min_value=0, max_value=30, allow_nan=False),
                 st.fractions(min_value=0, max_value=1, max_denominator=5000).map(float),
                 st.sampled_from([0.0005, 0.0015, 0.0025, 0.12345, 0.99995, 1 / 3, 2 / 3])))
def test_percent_agrees_with_babel(share):
    assert percent(share) == babel_numbers.format_percent(share, format="#,##0.0%", locale="id_ID")


@settings(deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_decimal_agrees_with_babel(value):
    assert decimal(value) == babel_numbers.format_decimal(value, format="#,##0.0", locale="id_ID")


@settings(deadline=None)
@given(amounts)
def test_words_agree_with_num2words_but_for_seribu_after_a_larger_scale(n):
    expected = num2words(n, lang="id").split()
    for i in range(len(expected) - 1, 0, -1):   # `juta satu ribu` → `juta seribu` (the official form)
        if expected[i] == "ribu" and expected[i - 1] == "satu" and (i < 2 or expected[i - 2] in
                                                                      ("juta", "miliar", "triliun")):
            expected[i - 1:i + 1] = ["seribu"]
    assert words(n) == " ".join(expected)


def test_numeric_dates_and_times():
    from jikubata.domain.indonesian import short_date, short_date_time, timestamp

    moment = dt.datetime(2026, 11, 7, 9, 5, 3, tzinfo=ZoneInfo("Asia/Jayapura"))
    assert short_date(moment.date()) == "07/11/2026"
    assert short_date_time(moment) == "07/11/2026 09:05"
    assert timestamp(moment) == "07-11-2026 09:05 WIT"
    assert timestamp(moment, seconds=True) == "07-11-2026 09:05:03 WIT"


@pytest.mark.parametrize("day, said", [
    (dt.date(2026, 11, 22), "minggu ke-4 November 2026 (16–22 November)"),
    (dt.date(2026, 11, 18), "minggu ke-4 November 2026 (16–22 November)"),   # any day of the week
    (dt.date(2026, 11, 1), "minggu ke-1 November 2026 (26 Oktober–1 November)"),
    (dt.date(2026, 12, 6), "minggu ke-1 Desember 2026 (30 November–6 Desember)"),
    (dt.date(2026, 11, 30), "minggu ke-6 November 2026 (30 November–6 Desember)"),
    (dt.date(2026, 1, 4), "minggu ke-1 Januari 2026 (29 Desember 2025–4 Januari 2026)"),
])
def test_a_week_is_said_as_people_say_it(day, said):
    assert indonesian.week(day) == said


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_week_numbers_start_at_one_and_step_on_mondays(day):
    n = indonesian.week_of_month(day)
    assert 1 <= n <= 6
    assert indonesian.week_of_month(day.replace(day=1)) == 1
    yesterday = day - dt.timedelta(days=1)
    if yesterday.month == day.month:
        assert n == indonesian.week_of_month(yesterday) + (day.weekday() == 0)
