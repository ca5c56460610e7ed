"""Rules of official letters (Tata Naskah Dinas, Permendagri 1/2023) that need no file and no clock.

Who may be reminded by whom, the deadline, what makes a letter a draft, how
the legal basis and the addressee are written.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Collection, Optional

from jikubata.domain.model import Settings, Tier

# Above any signer the product has (a Kepala Dinas): they get a report, never a reminder.
HEADS_OF_REGION = (Tier.WALIKOTA, Tier.WAKIL_WALIKOTA)
NATURES = ("Biasa", "Terbatas", "Rahasia", "Sangat Rahasia")
MIN_WORKING_DAYS = 3
DRAFT_MARK = "KONSEP"


def may_be_reminded(tier: Tier) -> bool:
    """Nobody receives a reminder from a signer below them: not the Wali Kota, not the Wakil."""
    return tier not in HEADS_OF_REGION


def is_working_day(day: dt.date, holidays: Collection[dt.date] = ()) -> bool:
    """Monday to Friday, and not a holiday of the `Hari Libur` setting."""
    return day.weekday() < 5 and day not in holidays


def add_working_days(day: dt.date, n: int, holidays: Collection[dt.date] = ()) -> dt.date:
    """`day` plus `n` working days (Monday to Friday, holidays skipped)."""
    while n > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            n -= 1
    return day


def deadline(letter_date: dt.date, days: int, holidays: Collection[dt.date] = ()) -> dt.date:
    """`days` after the letter's date, never earlier than its date + 3 working days, and on a working day
    (a deadline on a Saturday, Sunday or holiday moves to the next working day)."""
    day = max(letter_date + dt.timedelta(days=max(days, 0)), add_working_days(letter_date, MIN_WORKING_DAYS, holidays))
    while not is_working_day(day, holidays):
        day += dt.timedelta(days=1)
    return day


def missing_signature_fields(settings: Settings) -> list[str]:
    """Pasal 44: a signer other than the Kepala Daerah, Wakil or Sekda shows name, pangkat and NIP."""
    fields = (("Nama Penandatangan", settings.signatory_name), ("Pangkat Penandatangan", settings.signatory_rank),
              ("NIP Penandatangan", settings.signatory_nip))
    return [label for label, value in fields if not str(value or "").strip()]


def legal_basis_text(settings: Settings) -> str:
    """`Peraturan Wali Kota Ambon Nomor 12 Tahun 2023 tentang …` from the three settings."""
    text = " ".join(str(settings.legal_basis or "").split())
    number, year = str(settings.legal_basis_number or "").strip(), str(settings.legal_basis_year or "").strip()
    if not number or re.search(r"\bNomor\b", text, re.IGNORECASE):
        return text
    cite = f"Nomor {number}" + (f" Tahun {year}" if year else "")
    head, sep, rest = text.partition(" tentang ")
    return f"{head} {cite}{sep}{rest}" if sep else f"{text} {cite}"


def region_name(settings: Settings) -> str:
    """`PEMERINTAH KOTA AMBON` → `Kota Ambon`."""
    text = " ".join(str(settings.government or "").split())
    text = re.sub(r"^pemerintah\s+", "", text, flags=re.IGNORECASE)
    return text.title() if text.isupper() else text


def addressed_by_position(position: str, office: str, region: str) -> str:
    """`Kepala Dinas Kesehatan` + region → `Kepala Dinas Kesehatan Kota Ambon`; office added when missing."""
    position = " ".join(position.split())
    office = " ".join(office.split())
    text = position
    if office and office.casefold() not in position.casefold():
        text = f"{position} {office}" if position else office
    place = region.split()[-1] if region else ""  # `Kota Ambon` → `Ambon`: `Wali Kota Ambon` has it
    if region and place.casefold() not in text.casefold():
        text = f"{text} {region}"
    return text


def same_position(addressee: str, position: str, region: str) -> bool:
    """`Kepala Dinas Perindustrian dan Perdagangan Kota Ambon` is the signer `Kepala Dinas … Perdagangan`."""
    def key(text: str) -> str:
        return re.sub(r"[\W_]+", "", addressed_by_position(text, "", region)).casefold()
    return bool(position.strip()) and key(addressee) == key(position)


def names_same_addressee(copy: str, addressee: str) -> bool:
    """Does a Tembusan line (`Wali Kota Ambon (sebagai laporan)`) name the addressee itself?"""
    def key(text: str) -> str:
        return re.sub(r"[\W_]+", "", re.sub(r"\(.*?\)", "", text)).casefold()
    return bool(key(copy)) and key(copy) == key(addressee)


def nature_or_default(text: Optional[str]) -> str:
    """A known classification, case-insensitive; anything else falls back to `Biasa`."""
    for n in NATURES:
        if str(text or "").strip().casefold() == n.casefold():
            return n
    return NATURES[0]
