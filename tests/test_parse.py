"""The cell parsers of SPEC §3: NIP, Eselon, dates, amounts, status."""
import datetime as dt

import pytest
from hypothesis import given, strategies as st

from jikubata.domain.model import EmploymentStatus, Tier
from jikubata.domain.parse import (nip_and_name, parse_amount, parse_date, parse_nip, parse_status, parse_tier,
                                   printable, whole_rupiah)

# ---------------------------------------------------------------- NIP


@pytest.mark.parametrize("typed", ["198001012010012001", "'198001012010012001", "19800101 201001 2 001",
                                   "19800101.201001.2.001", " 198001012010012001 "])
def test_nip_spaces_dots_and_apostrophe_are_removed(typed):
    assert parse_nip(typed) == ("198001012010012001", None, "")


def test_nip_stored_as_number_is_reported_not_guessed():
    nip, code, _ = parse_nip(198001012010012001.0)
    assert nip is None and code == "NIP_ANGKA"


@pytest.mark.parametrize("typed, why", [
    ("19800101201001200", "18 digit"), ("1980010120100120011", "18 digit"), ("19800101201001200A", "18 digit"),
    ("198013012010012001", "tanggal lahir"), ("198002302010012001", "tanggal lahir"),
    ("198001012010013001", "digit ke-15"), ("", "18 digit"),
])
def test_invalid_nip_says_why(typed, why):
    nip, code, reason = parse_nip(typed)
    assert nip is None and code == "NIP_TIDAK_VALID" and why in reason


@pytest.mark.parametrize("chosen", ["198001012010012001 \u2014 Ani Latuconsina", "198001012010012001 - Ani Latuconsina",
                                    "198001012010012001 \u2014 Dr. Ani Latuconsina, S.E., M.Si.",
                                    " 198001012010012001 \u2014 Ani "])
def test_a_forms_drop_down_choice_nip_and_name_is_that_nip(chosen):
    assert parse_nip(chosen) == ("198001012010012001", None, "")


@pytest.mark.parametrize("typed", [
    "198001012010012001\u2014Ani",                            # no spaces around the dash
    "198001012010012001 \u2013 Ani",                          # an en dash
    "198001012010012001 / Ani", "198001012010012001 Ani",     # another separator, none
    "198001012010012001 \u2014 ", "198001012010012001 \u2014 -",  # no name
    "198001012010012001 \u2014 198001012010012009",           # a second NIP behind the dash
    "198001012010012001 \u2014 Ani 2", "198001012010012001 \u2014 Ani\nEko",
    "Ani \u2014 198001012010012001",                          # name first
    "19800101201001200 \u2014 Ani", "1980010120100120011 \u2014 Ani",
    "198013012010012001 \u2014 Ani",                          # the NIP itself is still checked
])
def test_only_exactly_nip_dash_name_is_read_as_a_choice(typed):
    nip, code, _ = parse_nip(typed)
    assert nip is None and code == "NIP_TIDAK_VALID"


def test_a_drop_down_choice_shows_the_name_as_written():
    assert nip_and_name("198001012010012001", " Dr. Ani  Latuconsina, S.E. ") == \
        "198001012010012001 \u2014 Dr. Ani Latuconsina, S.E."


@given(st.text())
def test_every_drop_down_choice_whatever_the_roster_holds_reads_back_as_its_nip(name):
    assert parse_nip(nip_and_name("198001012010012001", name)) == ("198001012010012001", None, "")


@given(st.text())
def test_nip_parser_never_crashes(text):
    nip, code, _ = parse_nip(text)
    assert (nip is None) != (code is None)


# ---------------------------------------------------------------- Eselon


@pytest.mark.parametrize("typed, tier", [
    ("II.a", Tier.ESELON_II), ("IIa", Tier.ESELON_II), ("II/a", Tier.ESELON_II), ("2a", Tier.ESELON_II),
    ("Eselon II.b", Tier.ESELON_II), ("III.a", Tier.ESELON_III), ("3b", Tier.ESELON_III),
    ("Eselon III", Tier.ESELON_III), ("IV-B", Tier.ESELON_IV), ("iv.a", Tier.ESELON_IV), ("4", Tier.ESELON_IV),
    (4.0, Tier.ESELON_IV), ("Wali Kota", Tier.WALIKOTA), ("Walikota", Tier.WALIKOTA),
    ("Wakil Walikota", Tier.WAKIL_WALIKOTA), ("Wakil Wali Kota", Tier.WAKIL_WALIKOTA),
    ("Non Eselon", Tier.NON_ESELON), ("Non-Eselon", Tier.NON_ESELON), ("Staf", Tier.NON_ESELON),
    ("Pelaksana", Tier.NON_ESELON), ("Fungsional", Tier.NON_ESELON), ("-", Tier.NON_ESELON),
    ("ESELON_IV", Tier.ESELON_IV), ("NON_ESELON", Tier.NON_ESELON),
])
def test_eselon_spellings_map_to_tiers(typed, tier):
    assert parse_tier(typed) is tier


@pytest.mark.parametrize("typed", ["V.a", "I.a", "Honorer?", "Eselon", "IIc", "", None, True])
def test_unknown_eselon_maps_to_nothing(typed):
    assert parse_tier(typed) is None


# ---------------------------------------------------------------- dates

NOV7 = dt.date(2026, 11, 7)


@pytest.mark.parametrize("typed", [
    NOV7, dt.datetime(2026, 11, 7, 9, 30), 46333, 46333.5, "07/11/2026", "7/11/2026", "7-11-2026",
    "07.11.2026", "2026-11-07", "7 November 2026", "7 Nov 2026", "7 nop 2026", "7 NOVEMBER 2026",
    "Sabtu, 7 November 2026", "07/11/26", "2026-11-07 00:00:00",
    # exports of other systems: a time of day after the date (issue 19.3)
    "07/11/2026 08:45", "07/11/2026 08.45", "07/11/2026 08,45", "2026-11-07 08:45:00", "2026-11-07T08:45", "7-11-2026 23:59:59",
    "7 November 2026 14.30", "07/11/2026 8:45 PM", "Sabtu, 07/11/2026 08:45",
])
def test_dates_in_every_form_offices_use(typed):
    assert parse_date(typed) == NOV7


@pytest.mark.parametrize("typed, day", [("7 Agustus 2026", dt.date(2026, 8, 7)), ("17 Agt 2026", dt.date(2026, 8, 17)),
                                        ("1 Mei 2023", dt.date(2023, 5, 1)), ("31 Desember 2025", dt.date(2025, 12, 31)),
                                        ("5 Okt 2024", dt.date(2024, 10, 5))])
def test_indonesian_month_names(typed, day):
    assert parse_date(typed) == day


@pytest.mark.parametrize("typed", ["31/02/2026", "13/13/2026", "kemarin", "7 Novembre 2026", "", True, None,
                                   float("nan"), -5, 10**12, "#N/A", "07/11/2026 24:00", "07/11/2026 08:60",
                                   "07/11/2026 13:00 PM", "07/11/2026 pukul", "31/02/2026 08:45"])
def test_unreadable_dates(typed):
    assert parse_date(typed) is None


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2099, 12, 31)))
def test_date_round_trips_through_every_text_form(day):
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
              "November", "Desember"]
    for text in (day.strftime("%d/%m/%Y"), f"{day.day}-{day.month}-{day.year}", day.isoformat(),
                 f"{day.day} {months[day.month - 1]} {day.year}", f"{day.day} {months[day.month - 1][:3]} {day.year}"):
        assert parse_date(text) == day, text
    assert parse_date((day - dt.date(1899, 12, 30)).days) == day


@given(st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none()))
def test_date_parser_never_crashes(value):
    assert parse_date(value) is None or isinstance(parse_date(value), dt.date)


# ---------------------------------------------------------------- amounts


@pytest.mark.parametrize("typed, amount", [
    (20000, 20000), (20000.0, 20000), ("20000", 20000), ("20.000", 20000), ("Rp 20.000", 20000),
    ("Rp20.000,-", 20000), ("20.000,00", 20000), ("15.000,-", 15000), ("Rp. 1.250.000", 1250000),
    ("IDR 5.000", 5000), ("rp 7.500", 7500), ("20.000,60", 20001), (19999.6, 20000),
])
def test_amounts_in_indonesian_forms(typed, amount):
    assert parse_amount(typed) == (amount, "")


@pytest.mark.parametrize("typed, why", [(0, "nol"), (-5000, "negatif"), ("-5.000", "negatif"), ("Rp 2O.000", "bukan"),
                                        ("20,000", "meragukan"), ("dua puluh ribu", "bukan"), (True, "bukan"),
                                        (None, "bukan"), (float("inf"), "bukan"), ("", "bukan")])
def test_invalid_amounts_say_why(typed, why):
    amount, reason = parse_amount(typed)
    assert amount is None and why in reason


@given(st.integers(min_value=1, max_value=10**12))
def test_amount_round_trips_through_text_forms(n):
    grouped = f"{n:,}".replace(",", ".")
    for text in (str(n), grouped, f"Rp {grouped}", f"Rp{grouped},-", f"{grouped},00", f"Rp. {grouped}"):
        assert parse_amount(text) == (n, ""), text


@given(st.one_of(st.text(), st.integers(), st.floats(), st.booleans()))
def test_amount_parser_never_crashes(value):
    amount, reason = parse_amount(value)
    assert (amount is None) == bool(reason)
    assert amount is None or amount >= 1


# ---------------------------------------------------------------- status


@pytest.mark.parametrize("typed, status", [
    ("Aktif", EmploymentStatus.AKTIF), ("", EmploymentStatus.AKTIF), (None, EmploymentStatus.AKTIF),
    ("CUTI", EmploymentStatus.CUTI), ("tugas belajar", EmploymentStatus.TUGAS_BELAJAR),
    ("Pensiun", EmploymentStatus.PENSIUN), ("Diberhentikan", EmploymentStatus.DIBERHENTIKAN),
    ("Meninggal", EmploymentStatus.MENINGGAL),
])
def test_employment_status(typed, status):
    assert parse_status(typed) is status


def test_unknown_status_is_not_guessed():
    assert parse_status("Mutasi?") is None


@given(st.one_of(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
                 st.integers(-10**9, 10**9).map(lambda n: n + 0.5)))
def test_whole_rupiah_rounds_halves_away_from_zero_as_excel(value):
    from decimal import ROUND_HALF_UP, Decimal

    assert whole_rupiah(value) == int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_a_numeric_amount_with_half_a_rupiah_rounds_up_like_the_same_text():
    assert parse_amount(20000.5) == parse_amount("20.000,5") == (20001, "")
    assert parse_amount(20000.49) == (20000, "")


@given(st.text())
def test_printable_turns_each_unprintable_character_into_a_space(text):
    shown = printable(text)
    assert shown.isprintable() and len(shown) == len(text)
    assert all(a == b or b == " " for a, b in zip(text, shown))


def test_printable_leaves_ordinary_text_alone_and_blanks_escape_codes():
    assert printable("Dinas Kesehatan – Rp20.000") == "Dinas Kesehatan – Rp20.000"
    assert printable("Ani\x1b[31m\tB\u202eudi") == "Ani [31m B udi"


@pytest.mark.parametrize("value, expected", [("Ya", True), ("tidak", False), (1, True), (0.0, False), (1.0, True),
                                             (True, True), (2, None), ("mungkin", None)])
def test_yes_no_settings_accept_number_cells_one_and_zero(value, expected):
    from jikubata.domain.parse import parse_yes_no

    assert parse_yes_no(value) is expected
