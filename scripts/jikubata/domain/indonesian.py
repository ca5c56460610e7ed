"""Indonesian forms of money, dates and numbers: the one place for them.

The forms official letters use (`Rp125.000`, `4 April 2023`, `75,0%`,
`seratus dua puluh lima ribu rupiah`), written with the standard library
only so the domain stays free of dependencies. tests/test_indonesian.py
checks them against Babel (CLDR, locale id_ID) and num2words.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def grouped(amount: int) -> str:
    """`125.000`: whole numbers with `.` between thousands."""
    return f"{int(amount):,}".replace(",", ".")


def rupiah(amount: int | None) -> str:
    """`Rp125.000`; `-` for a value that is not set."""
    if amount is None:
        return "-"
    return "Rp" + grouped(amount)


def decimal(value: float, places: int = 1) -> str:
    """`1.234,5`: a number with `places` decimals after a comma, rounded half to even (as CLDR)."""
    q = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    whole, _, fraction = f"{abs(q):f}".partition(".")
    sign = "-" if q.is_signed() else ""
    return sign + grouped(int(whole)) + ("," + fraction if places > 0 else "")


def long_date(day: dt.date) -> str:
    """`4 April 2023`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """`07/11/2026`: a date as offices type it in a cell."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def short_date_time(moment: dt.datetime) -> str:
    """`07/11/2026 09:05`: when a button ran, in its result cell."""
    return f"{short_date(moment)} {moment.hour:02d}:{moment.minute:02d}"


def timestamp(moment: dt.datetime, *, seconds: bool = False) -> str:
    """`23-11-2026 07:00 WIT`: when a run started or is scheduled (logs, the lock's holder)."""
    time = f"{moment.hour:02d}:{moment.minute:02d}" + (f":{moment.second:02d}" if seconds else "")
    return f"{moment.day:02d}-{moment.month:02d}-{moment.year:04d} {time} {moment.tzname() or ''}".rstrip()


def month_year(year: int, month: int) -> str:
    """`November 2026`."""
    return f"{MONTHS[month - 1]} {year}"


_DIGITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_SCALES = ("", "ribu", "juta", "miliar", "triliun", "kuadriliun", "kuantiliun", "sekstiliun", "septiliun",
           "oktiliun", "noniliun", "desiliun")


def words(amount: int) -> str:
    """`seratus dua puluh lima ribu`; `satu juta seribu`, never `satu juta satu ribu`.

    Terbilang as official letters write it: `se-` for one ten, hundred or
    thousand (`sepuluh`, `sebelas`, `seratus`, `seribu`), `satu` before the
    larger scales (`satu juta`); a thousands group of one is `seribu` unless
    it ends a larger group (`dua puluh satu ribu`, `seratus satu ribu`).
    """
    amount = int(amount)
    if amount < 0:
        return "min " + words(-amount)
    if amount == 0:
        return "nol"
    groups = []
    while amount:
        amount, group = divmod(amount, 1000)
        groups.append(group)
    if len(groups) > len(_SCALES):
        raise ValueError("angka terlalu besar untuk ditulis dengan kata")
    out: list[str] = []
    for scale in range(len(groups) - 1, -1, -1):
        group = groups[scale]
        if not group:
            continue
        if scale == 1 and group == 1:
            out.append("seribu")
            continue
        out += _hundreds(group)
        if scale:
            out.append(_SCALES[scale])
    return " ".join(out)


def _hundreds(n: int) -> list[str]:
    """1–999 in words."""
    hundreds, rest = divmod(n, 100)
    out = [] if not hundreds else ["seratus"] if hundreds == 1 else [_DIGITS[hundreds], "ratus"]
    tens, unit = divmod(rest, 10)
    if tens == 1:
        out += ["sepuluh"] if unit == 0 else ["sebelas"] if unit == 1 else [_DIGITS[unit], "belas"]
    else:
        if tens:
            out += [_DIGITS[tens], "puluh"]
        if unit:
            out.append(_DIGITS[unit])
    return out


def rupiah_words(amount: int) -> str:
    """`seratus dua puluh lima ribu rupiah` (the terbilang of a letter)."""
    return f"{words(amount)} rupiah"


def roman_month(month: int) -> str:
    return _ROMAN[month - 1]


def percent(share: float | None) -> str:
    """`75,0%` for a share of 0.75; `-` when there is none (nobody obliged)."""
    if share is None:
        return "-"
    return decimal(Decimal(str(share)).scaleb(2), 1) + "%"


def week_of_month(day: dt.date) -> int:
    """Which Monday–Sunday week of its month `day` falls in: the week holding the 1st is week 1."""
    first = day.replace(day=1)
    return (day.day - 1 + first.weekday()) // 7 + 1


def week_range(day: dt.date) -> str:
    """The Monday–Sunday week holding `day`: `16–22 November`, `30 November–6 Desember`,
    `29 Desember 2025–4 Januari 2026` (the year only when the week spans two)."""
    monday = day - dt.timedelta(days=day.weekday())
    sunday = monday + dt.timedelta(days=6)
    if monday.year != sunday.year:
        return f"{long_date(monday)}–{long_date(sunday)}"
    if monday.month != sunday.month:
        return f"{_day_month(monday)}–{_day_month(sunday)}"
    return f"{monday.day}–{_day_month(sunday)}"


def _day_month(day: dt.date) -> str:
    """`16 November`: `long_date` without the year."""
    return long_date(day).rsplit(" ", 1)[0]


def week(day: dt.date) -> str:
    """The week holding `day` as people say it: `minggu ke-4 November 2026 (16–22 November)`.

    Numbered within the month of `day` (the month a weekly report is about),
    so the week of 30 November–6 Desember 2026 seen from 6 December is
    `minggu ke-1 Desember 2026`. Never the ISO form `2026-W47`.
    """
    return f"{week_name(day)} ({week_range(day)})"


def week_name(day: dt.date) -> str:
    """`minggu ke-4 November 2026`: `week` without its dates."""
    return f"minggu ke-{week_of_month(day)} {month_year(day.year, day.month)}"


# Words an Indonesian title keeps in lower case inside a name (`Dinas Perindustrian dan Perdagangan`).
_SMALL_WORDS = frozenset("dan atau serta di ke dari untuk pada yang dengan".split())


def title_case(text: str) -> str:
    """`DINAS PERINDUSTRIAN DAN PERDAGANGAN` → `Dinas Perindustrian dan Perdagangan`: an upper-case
    letterhead line written inside a sentence. Text already in mixed case is kept as it is."""
    if not text.isupper():
        return text
    words = text.title().split(" ")
    return " ".join(w.lower() if i and w.lower() in _SMALL_WORDS else w for i, w in enumerate(words))
