"""Indonesian forms of money, dates and numbers: the one place for them.

Babel gives month names and number grouping, num2words the words; we only
choose the forms official letters use (`Rp125.000`, `4 April 2023`,
`seratus dua puluh lima ribu rupiah`).
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from num2words import num2words

LOCALE = "id_ID"
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@lru_cache(maxsize=4096)  # Babel is slow per call and letters repeat the same few amounts
def rupiah(amount: int | None) -> str:
    """`Rp125.000`; `-` for a value that is not set."""
    if amount is None:
        return "-"
    return "Rp" + format_decimal(int(amount), format="#,##0", locale=LOCALE)


def long_date(day: dt.date) -> str:
    """`4 April 2023`."""
    return format_date(day, format="d MMMM y", locale=LOCALE)


def month_year(year: int, month: int) -> str:
    """`November 2026`."""
    return format_date(dt.date(year, month, 1), format="MMMM y", locale=LOCALE)


def words(amount: int) -> str:
    """`seratus dua puluh lima ribu`; `satu juta seribu`, never `satu juta satu ribu`.

    num2words already says `seribu`, `seratus`, `sebelas`, but spells a
    thousands group equal to one after a larger scale as `satu ribu`
    (1.001.000 → `satu juta satu ribu`). Official terbilang writes `seribu`
    there, so that one form is rewritten; `satu ribu` ending a larger group
    (`dua puluh satu ribu`, `seratus satu ribu`) is correct and kept.
    """
    tokens = num2words(int(amount), lang="id").split()
    out: list[str] = []
    for i, token in enumerate(tokens):
        if token == "ribu" and out and out[-1] == "satu" and (i < 2 or _is_scale(tokens[i - 2])):
            out[-1] = "seribu"
        else:
            out.append(token)
    return " ".join(out)


def _is_scale(word: str) -> bool:
    """`juta`, `miliar`, `triliun`, `kuadriliun`…: after one, `satu ribu` is a group of its own."""
    return word in ("juta", "miliar") or word.endswith("liun")


def rupiah_words(amount: int) -> str:
    """`seratus dua puluh lima ribu rupiah` (the terbilang of a letter)."""
    return f"{words(amount)} rupiah"


def roman_month(month: int) -> str:
    return _ROMAN[month - 1]


def percent(share: float | None) -> str:
    """`75,0%` for a share of 0.75; `-` when there is none (nobody obliged)."""
    if share is None:
        return "-"
    return format_percent(share, format="#,##0.0%", locale=LOCALE)
