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


# Words that say what kind of office it is, not which one (`Dinas`, `Kecamatan` …): the rest names it.
_OFFICE_KIND_WORDS = frozenset("""dinas badan kantor kecamatan kelurahan inspektorat sekretariat satuan bagian
unit daerah kota kabupaten dan""".split())
# Offices whose head has his own title: `Kecamatan Sirimau` is led by the `Camat Sirimau`.
_HEAD_TITLES = (("kecamatan ", "Camat "), ("kelurahan ", "Lurah "), ("inspektorat", "Inspektur"),
                ("sekretariat daerah", "Sekretaris Daerah"), ("sekretariat dprd", "Sekretaris DPRD"),
                ("sekretariat dewan perwakilan rakyat daerah", "Sekretaris DPRD"))
# Other ways the same heads are called: the Sekda of a city is its `Sekretaris Kota`.
_HEAD_ALIASES = {"sekretariat daerah": ("sekretaris kota", "sekda"),
                 "sekretariat dprd": ("sekretaris dewan", "sekwan"),
                 "sekretariat dewan perwakilan rakyat daerah": ("sekretaris dewan", "sekwan", "sekretaris dprd")}
# A title alone, without saying of what: the office completes it.
_BARE_TITLES = ("camat", "lurah", "kepala", "inspektur")
# Heads of a district or village are addressed without the city: `Camat Sirimau`.
_LOCAL_HEADS = ("camat ", "lurah ")
# An acting official keeps the prefix of his title: `Plt. Camat Sirimau`.
_ACTING = re.compile(r"^(plt|plh|pj|pgs|pjs)\.?\s+", re.IGNORECASE)


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w\s]+", " ", text).casefold().split()


def head_title(office: str) -> str:
    """The title of an office's head when none is recorded: `Kepala Dinas Kesehatan`, `Camat Sirimau`."""
    office = " ".join(office.split())
    folded = office.casefold()
    for prefix, title in _HEAD_TITLES:
        if folded == prefix.strip() or (prefix.endswith(" ") and folded.startswith(prefix)):
            return title + office[len(prefix):] if prefix.endswith(" ") else title
    return f"Kepala {office}" if office else "Kepala"


def names_office(position: str, office: str) -> bool:
    """Does the position already name the office? `Camat Sirimau` names `Kecamatan Sirimau`; `Inspektur`
    names `Inspektorat`, `Sekretaris Kota` the `Sekretariat Daerah`; `Direktur RSUD` names `Rumah Sakit Umum
    Daerah`; `Kepala Seksi` names no office."""
    folded_position, folded_office = position.casefold(), office.casefold()
    if folded_office in folded_position:
        return True
    for prefix, title in _HEAD_TITLES:  # an office that is only its kind (`Inspektorat`) is named by its head
        if folded_office == prefix.strip():
            names = (title.strip().casefold(),) + _HEAD_ALIASES.get(folded_office, ())
            if folded_position.startswith(names):
                return True
    have = set(_words(position))
    initials = "".join(w[0] for w in _words(office) if w not in ("dan", "dr"))
    if len(initials) >= 3 and initials in have:
        return True
    own = [w for w in _words(office) if w not in _OFFICE_KIND_WORDS]
    return bool(own) and all(w in have for w in own)


def _joined(position: str, office: str) -> str:
    """`Kepala Satuan` + `Satuan Polisi Pamong Praja` → `Kepala Satuan Polisi Pamong Praja` (no word twice)."""
    p, o = position.split(), office.split()
    for k in range(min(len(p), len(o)), 0, -1):
        if [w.casefold() for w in p[-k:]] == [w.casefold() for w in o[:k]]:
            return " ".join(p + o[k:])
    return f"{position} {office}"


def _overlaps(position: str, office: str) -> bool:
    p, o = position.casefold().split(), office.casefold().split()
    return any(p[-k:] == o[:k] for k in range(1, min(len(p), len(o)) + 1))


def addressed_by_position(position: str, office: str, region: str) -> str:
    """How a letter addresses an official (Tata Naskah Dinas): by position, with the office when the
    position does not name it, and the region unless it is already there or the head is a Camat/Lurah.

    `Kepala Dinas Kesehatan` → `Kepala Dinas Kesehatan Kota Ambon`; `Kepala Seksi Gizi` of Dinas Kesehatan →
    `Kepala Seksi Gizi Dinas Kesehatan Kota Ambon`; `Inspektur` of Inspektorat → `Inspektur Kota Ambon`;
    `Camat Sirimau`, `Camat` or none recorded, of Kecamatan Sirimau → `Camat Sirimau`; `Plt. Camat` →
    `Plt. Camat Sirimau`; `Sekretaris Kota` of the Sekretariat Daerah → `Sekretaris Kota Ambon`.
    """
    position = " ".join(position.split())
    office = " ".join(office.split())
    acting = _ACTING.match(position)
    prefix = acting.group(0) if acting else ""
    position = position[len(prefix):]
    text = position
    if office and (not position or position.casefold() in _BARE_TITLES and not _overlaps(position, office)):
        text = head_title(office)
    elif office and office.casefold() not in position.casefold() and _overlaps(position, office):
        text = _joined(position, office)  # `Kepala Bagian Umum` + `Bagian Umum Sekretariat Daerah`
    elif office and not names_office(position, office):
        text = _joined(position, office)
    if region and region.casefold() not in text.casefold() and not text.casefold().startswith(_LOCAL_HEADS):
        text = _joined(text, region)  # `Wali Kota` + `Kota Ambon` → `Wali Kota Ambon`
    return prefix + text


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
