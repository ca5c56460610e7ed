"""Rules of official letters (Tata Naskah Dinas, Permendagri 1/2023) that need no file and no clock.

Who may be reminded by whom, the deadline, what makes a letter a draft, how
the legal basis and the addressee are written.
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Collection, Optional

from jikubata.domain.indonesian import long_date, month_year
from jikubata.domain.model import (EmployeeResult, OfficeTotals, Period, Place, Problem, Result, Settings, Status,
                                   Tier, office_key, office_totals)
from jikubata.domain.parse import printable
from jikubata.domain.problems import problem

# Above any signer the product has (a Kepala Dinas): they get a report, never a reminder.
HEADS_OF_REGION = (Tier.WALIKOTA, Tier.WAKIL_WALIKOTA)
NATURES = ("Biasa", "Terbatas", "Rahasia", "Sangat Rahasia")
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


# ---------------------------------------------------------------- safe text


def clean(text: object) -> str:
    """Text for a letter: unprintable characters (XML cannot hold most) and runs of whitespace made single spaces.

    `&`, `<`, `>` and quotes stay: docxtpl's autoescape writes them as they are.
    """
    return " ".join(printable(text or "").split())


_UNSAFE_FILE_CHARS = re.compile(r"[^\w.,()+-]+")
STEM_LIMIT = 80


def safe_stem(text: str, limit: int = STEM_LIMIT) -> str:
    """A file-name part from any office or person name.

    Letters, digits and `. , ( ) + -` are kept; anything else (`/`, `\\`, `:`,
    `*`, `?`, quotes, `<`, `>`, `|`, spaces, control characters) becomes `-`;
    no `..`, no leading/trailing dots or dashes; at most `limit` characters.
    """
    text = unicodedata.normalize("NFKC", str(text))
    text = _UNSAFE_FILE_CHARS.sub("-", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"-{2,}", "-", text)
    text = text[:limit].strip(".-_ ")
    return text or "tanpa-nama"


def digits(text: object) -> str:
    return "".join(ch for ch in str(text or "") if ch.isdigit())


# ---------------------------------------------------------------- when a letter may be written (README: Surat)


class Mode(str, Enum):
    """The two kinds of letter about a month, chosen by the letter's date."""

    REMINDER = "pengingat"        # while the month runs: make up the shortfall by a deadline inside the month
    NOTICE = "pemberitahuan"      # after the month: the final figures, no make-up (a purchase counts in its month)

    @property
    def label(self) -> str:
        return "Pengingat" if self is Mode.REMINDER else "Pemberitahuan"


def last_working_day(period: Period, holidays: Collection[dt.date] = ()) -> dt.date:
    day = period.last_day
    while not is_working_day(day, holidays) and day > period.first_day:
        day -= dt.timedelta(days=1)
    return day


def reminder_start(period: Period, settings: Settings) -> dt.date:
    """The first day reminders may be written: `Tanggal Pengingat`, never before the day after Hari Jiku Bata."""
    last = calendar.monthrange(period.year, period.month)[1]
    day = max(int(settings.reminder_day or 0), int(settings.jiku_bata_day or 0) + 1, 1)
    return dt.date(period.year, period.month, min(day, last))


def letter_mode(period: Period, today: dt.date, settings: Settings) -> tuple[Optional[Mode], str]:
    """(the kind of letter written today about `period`, "") or (None, why no letter may be written today).

    A finished month gets notices. A running month gets reminders only from
    `Tanggal Pengingat` to its last working day: before, a reminder would
    accuse people who still have most of the month; after, no deadline is
    left inside the month.
    """
    current = Period.of(today)
    if period < current:
        return Mode.NOTICE, ""
    if period > current:
        return None, f"periode {period} belum dimulai"
    start, end = reminder_start(period, settings), last_working_day(period, settings.holidays)
    previous = period.previous()
    label = month_year(period.year, period.month)
    if today < start:
        return None, (f"surat pengingat bulan {label} baru dapat dibuat mulai {long_date(start)} (pengaturan "
                      f"Tanggal Pengingat); surat pemberitahuan bulan lalu: jalankan dengan --periode {previous}")
    if today > end:
        following = period.last_day + dt.timedelta(days=1)
        return None, (f"hari kerja terakhir bulan {label} ({long_date(end)}) sudah lewat; pemberitahuan bulan "
                      f"{label} dapat dibuat mulai {long_date(following)}")
    return Mode.REMINDER, ""


def default_letter_period(today: dt.date, settings: Settings) -> Period:
    """The period a letter button means when no period is given: the running month from `Tanggal Pengingat`
    on (reminders), the month before until then (notices)."""
    current = Period.of(today)
    if letter_mode(current, today, settings)[0] is Mode.REMINDER:
        return current
    return current.previous()


def reminder_deadline(letter_date: dt.date, period: Period, settings: Settings) -> dt.date:
    """`Batas Waktu (hari)` working days after the letter, never after the month's last working day."""
    end = last_working_day(period, settings.holidays)
    return min(add_working_days(letter_date, max(int(settings.deadline_days or 0), 0), settings.holidays), end)


# ---------------------------------------------------------------- who outranks whom (README: Surat)

# Highest first. In a city only the Sekretaris Daerah is II.a (found by his position): an Eselon II written
# without its sub-grade (`II`, SIASN's `JPT Pratama`) is a II.b, as every Kepala Dinas/Badan, Asisten and
# Staf Ahli is. III and IV without a sub-grade are taken as the higher one (a); no signer is below them.
RANK_WALIKOTA, RANK_WAKIL, RANK_SEKDA = 0, 1, 2
_GRADE_RANKS = {"I.a": 3, "I.b": 4, "I": 3, "II.a": 5, "II.b": 6, "II": 6, "III.a": 7, "III.b": 8, "III": 7,
                "IV.a": 9, "IV.b": 10, "IV": 9}
_TIER_RANKS = {Tier.WALIKOTA: RANK_WALIKOTA, Tier.WAKIL_WALIKOTA: RANK_WAKIL, Tier.ESELON_II: 6,
               Tier.ESELON_III: 7, Tier.ESELON_IV: 9}
UNRANKED = 99   # staff: below every signer
_SEKDA = re.compile(r"\b(sekretaris\s+(daerah|kota)|sekda|sekkot)\b", re.IGNORECASE)
# A signer not in the roster is ranked by the words of his position.
_POSITION_RANKS = ((re.compile(r"\bwakil\s+wali\s*kota\b|\bwawali\b", re.I), RANK_WAKIL),
                   (re.compile(r"\bwali\s*kota\b", re.I), RANK_WALIKOTA),
                   (_SEKDA, RANK_SEKDA),
                   (re.compile(r"^(kepala\s+(seksi|sub\s*bagian|subbagian|sub\s*bidang|subbidang|"
                               r"kelurahan|unit)|lurah)\b", re.I), 9),
                   (re.compile(r"^(camat|sekretaris|kepala\s+(bidang|bagian))\b", re.I), 7))
_SIGNER_DEFAULT_RANK = 6   # a Kepala Dinas/Badan, Asisten or Staf Ahli (II.b)


def is_regional_secretary(position: str) -> bool:
    """The Sekretaris Daerah (of a city: Sekretaris Kota), the highest ASN of the region."""
    text = _ACTING.sub("", " ".join(str(position or "").split()))
    return bool(_SEKDA.match(text))


def official_rank(tier: Tier, grade: str = "", position: str = "") -> int:
    """Rank of a person of the roster: 0 Wali Kota, 1 Wakil, 2 Sekda, then I.a … IV.b; lower is higher."""
    if tier in (Tier.WALIKOTA, Tier.WAKIL_WALIKOTA):
        return _TIER_RANKS[tier]
    if is_regional_secretary(position):
        return RANK_SEKDA
    if grade in _GRADE_RANKS:
        return _GRADE_RANKS[grade]
    return _TIER_RANKS.get(tier, UNRANKED)


def position_rank(position: str) -> int:
    """Rank read from a position alone (a signer or head not in the roster)."""
    text = _ACTING.sub("", " ".join(str(position or "").split()))
    for pattern, rank in _POSITION_RANKS:
        if pattern.search(text):
            return rank
    return _SIGNER_DEFAULT_RANK


def signer_rank(settings: Settings, people: Collection[EmployeeResult]) -> int:
    """The signer's rank: his roster row (`NIP Penandatangan`), else his `Jabatan Penandatangan`."""
    nip = digits(settings.signatory_nip)
    row = next((e for e in people if nip and e.nip == nip), None)
    if row is not None:
        return official_rank(row.tier, row.grade, row.position)
    return position_rank(settings.signatory_position)


def person_rank(e: EmployeeResult) -> int:
    return official_rank(e.tier, e.grade, e.position)


def outranks(rank: int, signer: int) -> bool:
    """Strictly higher: equals (one Kepala Dinas to another) may write to each other."""
    return rank < signer


# ---------------------------------------------------------------- who gets which letter (README: Surat)

KIND_OFFICE = "OPD"
KIND_OFFICIAL = "PEJABAT"
KIND_REPORT = "LAPORAN"
KIND_DATA_REQUEST = "PERMINTAAN"
HEADS_OF_REGION_LABEL = {Tier.WALIKOTA: "Kepala Daerah (Wali Kota)", Tier.WAKIL_WALIKOTA: "Wakil Kepala Daerah"}
# The laporan's `Keterangan`: what was done about each office.
NOTE_LETTER, NOTE_IN_REPORT, NOTE_DATA_REQUEST, NOTE_NOT_REPORTED = (
    "disurati", "dalam laporan ini", "diminta data", "belum melapor")


@dataclass(frozen=True)
class OfficeRow:
    """A line of the laporan's table: an office's ASN (not the Wali Kota or Wakil) and what was done."""

    totals: OfficeTotals
    note: str = ""


@dataclass(frozen=True)
class Plan:
    """One letter to write: who receives it and every figure it shows (nothing is recomputed later)."""

    kind: str
    key: str                 # register key: the office (`opd:…`), the official's NIP, the laporan
    recipient: str           # as listed in the index
    office: str
    file_stem: str
    shortfall: int
    addressee: tuple[str, ...]
    employees: tuple[EmployeeResult, ...]
    email: str = ""          # where the letter is delivered (`--kirim`); empty: no address
    head_nip: str = ""       # an office letter: the head's NIP when the head is among the short
    obliged: int = 0         # a data request: the office's people obliged in the month
    # The laporan only:
    office_rows: tuple[OfficeRow, ...] = ()
    reported_staff: tuple[tuple[str, tuple[EmployeeResult, ...]], ...] = ()   # offices whose head outranks the signer
    heads_of_region: tuple[EmployeeResult, ...] = ()
    not_reported: tuple[str, ...] = ()
    asn_totals: Optional[OfficeTotals] = None
    # Repeated shortfall (README: Kekurangan berulang dan daftar TPP), notices only. `repeat_threshold`: `Batas Berturut` when someone in the
    # letter reached it (0: nobody); `extra_copies`: the `Tembusan Berulang` such a letter adds; the laporan's
    # `repeated_staff`: per office, the ASN at or above the threshold.
    repeat_threshold: int = 0
    extra_copies: tuple[str, ...] = ()
    repeated_staff: tuple[tuple[str, tuple[EmployeeResult, ...]], ...] = ()

    @property
    def repeated(self) -> tuple[EmployeeResult, ...]:
        """The people of the letter at or above `Batas Berturut`, but the head it is addressed to: he is asked
        to act on them as their direct superior."""
        if not self.repeat_threshold:
            return ()
        return tuple(e for e in self.employees if (e.short_run or 0) >= self.repeat_threshold
                     and not (self.head_nip and e.nip == self.head_nip))

    def fingerprint(self) -> str:
        """What the letter says, as a digest: the same fingerprint is the same letter (README: Surat).

        The repeated-shortfall parts enter only when the letter has them, so a letter without them (every
        reminder) keeps the fingerprint, and the number, it had before they existed.
        """
        def person(e: EmployeeResult) -> tuple:
            base = (e.nip, clean(e.name), clean(e.position), clean(e.office), e.tier.value, e.minimum, e.spent,
                    e.shortfall, e.status.value)
            return base if e.short_run is None else base + (e.short_run,)
        parts = (self.kind, self.addressee, self.recipient, self.head_nip, self.obliged, self.shortfall,
                 tuple(person(e) for e in self.employees),
                 tuple((r.totals, r.note) for r in self.office_rows),
                 tuple((o, tuple(person(e) for e in people)) for o, people in self.reported_staff),
                 tuple(person(e) for e in self.heads_of_region), self.not_reported, self.asn_totals)
        if self.repeat_threshold or self.extra_copies or self.repeated_staff:
            parts += (self.repeat_threshold, self.extra_copies,
                      tuple((o, tuple(person(e) for e in people)) for o, people in self.repeated_staff))
        return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]


@dataclass
class LetterPlan:
    mode: Mode
    plans: list[Plan]
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Head:
    """Who heads an office, as far as the data says."""

    position: str            # addressed form: `Kepala Dinas Kesehatan Kota Ambon`
    name: str
    nip: str
    email: str
    rank: int
    recorded: bool           # from the OPD sheet (False: found in the roster by position, or only a title)


def find_office(result: Result, office: str):
    """The OPD sheet's record of `office` (one key: `model.office_key`)."""
    info = result.office_info.get(office)
    if info is not None:
        return info
    key = office_key(office)
    return next((o for o in result.office_info.values()
                 if office_key(o.name) == key or (o.abbreviation and office_key(o.abbreviation) == key)), None)


def _position_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).casefold()


def is_head_position(position: str, office: str, region: str) -> bool:
    """Is `position` (of someone in `office`) the head of that office? `Kepala Dinas`, `Kepala Dinas
    Kesehatan`, `Plt. Camat` of Kecamatan Sirimau…"""
    position = _ACTING.sub("", " ".join(str(position or "").split()))
    if not position:
        return False
    return _position_key(addressed_by_position(position, office, region)) == \
        _position_key(addressed_by_position("", office, region))


def office_head(result: Result, office: str, region: str) -> Head:
    info = find_office(result, office)
    name, nip = clean(info.head_name if info else ""), digits(info.head_nip if info else "")
    position = clean(info.head_position if info else "")
    if name or nip:
        row = next((e for e in result.employees if nip and e.nip == nip), None)
        addressed = addressed_by_position(position, clean(office), region)
        rank = person_rank(row) if row is not None else position_rank(position or head_title(clean(office)))
        email = clean(info.email) if info else ""
        return Head(addressed, name, nip, email, rank, True)
    found = [e for e in result.employees if e.office == office and is_head_position(e.position, office, region)]
    if len(found) == 1:
        (e,) = found
        return Head(addressed_by_position(clean(e.position), clean(office), region), clean(e.name), e.nip,
                    clean(info.email) if info and info.email else clean(e.email), person_rank(e), False)
    title = addressed_by_position("", clean(office), region)
    return Head(title, "", "", clean(info.email) if info else "", position_rank(head_title(clean(office))), False)


def _unknown_head_problem(result: Result, office: str, head: Head) -> Problem:
    info = find_office(result, office)
    place = info.place if info is not None and info.place is not None else next(
        (e.place for e in result.employees if e.office == office and e.place is not None), Place("", "OPD", ""))
    found = f" (kepala menurut daftar pegawai: {head.name})" if head.name else ""
    return problem(place, "KEPALA_OPD_TIDAK_DIKETAHUI", office=clean(office), addressee=head.position, found=found)


def plan_letters(result: Result, mode: Mode) -> LetterPlan:
    """Who receives which letter about `result`'s month (README: Surat). Pure: no file, no clock.

    - An office that has not reported gets one data request, nothing else.
    - Nobody receives a letter from a signer he outranks (`outranks`): such an
      official, and the staff of an office whose head outranks the signer,
      are in the laporan to the Wali Kota instead, and in no office letter.
    - A head of an office who is short is named in his office's letter
      ("termasuk Saudara sendiri"), never in a second letter; the signer
      never writes to himself (his own office's letter goes to its Sekretaris).
    - Every other short official (Eselon II–IV) gets a letter of his own.
    """
    s = result.settings
    region = region_name(s)
    signer_nip = digits(s.signatory_nip)
    signer = signer_rank(s, result.employees)
    plans: list[Plan] = []
    problems: list[Problem] = []
    office_order = {o.office: i for i, o in enumerate(result.offices)}
    addressed_heads: set[str] = set()
    above_signer = [e for e in result.short_employees() if e.tier not in HEADS_OF_REGION
                    and outranks(person_rank(e), signer)]
    # The signer does not write to himself either: when short, he is reported with them.
    above_signer += [e for e in result.short_employees() if signer_nip and e.nip == signer_nip
                     and e not in above_signer]
    above_nips = {e.nip for e in above_signer}
    notes: dict[str, str] = {}
    reported_staff: list[tuple[str, tuple[EmployeeResult, ...]]] = []
    for totals in result.offices:
        if not totals.obliged:
            continue
        office = totals.office
        short = [e for e in result.short_employees(office) if may_be_reminded(e.tier) and e.nip not in above_nips]
        if totals.reported and not short:
            continue
        head = office_head(result, office, region)
        if not head.recorded:
            problems.append(_unknown_head_problem(result, office, head))
        if outranks(head.rank, signer):
            if totals.reported:
                reported_staff.append((office, tuple(short)))
                notes[office] = NOTE_IN_REPORT
            else:
                notes[office] = NOTE_NOT_REPORTED
            continue
        position, name, head_nip, email = head.position, head.name, head.nip, head.email
        if (signer_nip and head_nip == signer_nip) or same_position(position, s.signatory_position, region):
            # The signer's own office: he does not write to himself; its Sekretaris reminds the staff.
            short = [e for e in short if e.nip != signer_nip]
            deputy = next((e for e in result.employees if e.office == office
                           and clean(e.position).casefold().startswith("sekretaris")), None)
            if (not short and totals.reported) or deputy is None:
                continue
            head_nip, name, email = deputy.nip, clean(deputy.name), clean(deputy.email)
            position = addressed_by_position(clean(deputy.position), clean(office), region)
        recipient = f"{position} ({name})" if name else position
        stem = safe_stem(office)
        if not totals.reported:
            notes[office] = NOTE_DATA_REQUEST
            plans.append(Plan(KIND_DATA_REQUEST, office_letter_key(office), recipient, office,
                              "Permintaan-Data-" + stem, 0, (position,), (), email, obliged=totals.obliged))
            continue
        head_short = next((e for e in short if head_nip and e.nip == head_nip), None)
        if head_short is not None:
            addressed_heads.add(head_short.nip)
            short = [head_short] + [e for e in short if e is not head_short]
        elif head_nip:
            addressed_heads.add(head_nip)
        notes[office] = NOTE_LETTER
        plans.append(with_repeated(
            Plan(KIND_OFFICE, office_letter_key(office), recipient, office, "Surat-OPD-" + stem,
                 sum(e.shortfall for e in short), (position,), tuple(short), email,
                 head_short.nip if head_short is not None else ""), s, mode))
    official_tiers = (Tier.ESELON_II, Tier.ESELON_III, Tier.ESELON_IV)
    tier_rank = {t: i for i, t in enumerate(official_tiers)}
    officials = sorted((e for e in result.short_employees() if e.tier in official_tiers
                        and e.nip not in above_nips and e.nip not in addressed_heads
                        and e.nip != signer_nip),
                       key=lambda e: (office_order.get(e.office, len(office_order)), tier_rank[e.tier],
                                      e.name.casefold(), e.nip))
    for e in officials:
        name, position, office = clean(e.name), clean(e.position), clean(e.office)
        addressed = addressed_by_position(position or f"Pejabat {e.tier.label}", office, region)
        plans.append(Plan(KIND_OFFICIAL, f"nip:{e.nip}", f"{name} ({position})" if position else name, e.office,
                          f"Surat-Pejabat-{safe_stem(e.name, 50)}-{safe_stem(e.nip, 20)}", e.shortfall,
                          (addressed,), (e,), clean(e.email)))
    report = _report_plan(result, region, signer, above_signer, reported_staff, notes)
    if report is not None and mode is Mode.NOTICE:
        report = replace(report, repeated_staff=repeated_by_office(result))
    if report is not None:
        plans.append(report)
    return LetterPlan(mode, plans, problems)


def with_repeated(plan: Plan, settings: Settings, mode: Mode) -> Plan:
    """A notice to a head of office naming someone at or above `Batas Berturut`: the threshold (the letter asks
    the head to act as direct superior) and `Tembusan Berulang` in copy. A reminder has no count."""
    threshold = max(int(settings.repeat_threshold or 0), 0)
    if mode is not Mode.NOTICE or not threshold:
        return plan
    if not any((e.short_run or 0) >= threshold for e in plan.employees):
        return plan
    copy = clean(settings.repeat_copy_to)
    return replace(plan, repeat_threshold=threshold, extra_copies=(copy,) if copy else ())


def repeated_by_office(result: Result) -> tuple[tuple[str, tuple[EmployeeResult, ...]], ...]:
    """Per office (in the result's order), the ASN short `Batas Berturut` finished months in a row or more,
    longest run first: the laporan's section "Kekurangan berulang"."""
    threshold = max(int(result.settings.repeat_threshold or 0), 0)
    if not threshold:
        return ()
    out = []
    for totals in result.offices:
        people = sorted((e for e in result.short_employees(totals.office)
                         if e.tier not in HEADS_OF_REGION and (e.short_run or 0) >= threshold),
                        key=lambda e: (-(e.short_run or 0), e.name.casefold(), e.nip))
        if people:
            out.append((totals.office, tuple(people)))
    return tuple(out)


def office_letter_key(office: str) -> str:
    """Register key of a letter about an office: one key for every spelling of its name."""
    return "opd:" + office_key(office)


def _report_plan(result: Result, region: str, signer: int, above_signer: list[EmployeeResult],
                 reported_staff: list, notes: dict[str, str]) -> Optional[Plan]:
    """The laporan to the Wali Kota: ASN figures per office (the Kepala Daerah and Wakil on a line of
    their own), the officials the signer may not write to, the staff of offices whose head outranks the
    signer, and the offices that have not reported."""
    heads = tuple(e for e in result.employees if e.tier in HEADS_OF_REGION and e.status is not Status.TIDAK_WAJIB)
    asn = [e for e in result.employees if e.tier not in HEADS_OF_REGION]
    rows = tuple(OfficeRow(t, notes.get(t.office, "")) for t in office_totals(asn, [o.office for o in result.offices])
                 if t.obliged)
    reported = [r.totals for r in rows if r.totals.reported]
    asn_totals = OfficeTotals("Jumlah", sum(t.obliged for t in reported), sum(t.met for t in reported),
                              sum(t.short for t in reported), sum(t.spent for t in reported),
                              sum(t.shortfall for t in reported))
    not_reported = tuple(r.totals.office for r in rows if not r.totals.reported)
    if not (asn_totals.short or above_signer or not_reported or any(e.status is Status.KURANG for e in heads)):
        return None
    if signer <= RANK_WALIKOTA:
        return None   # the Wali Kota does not report to himself
    walikota = next((e for e in result.employees if e.tier is Tier.WALIKOTA), None)
    position = addressed_by_position(clean(walikota.position) if walikota else "Wali Kota", "", region)
    email = clean(walikota.email) if walikota and clean(walikota.email) else clean(result.settings.leadership_email)
    return Plan(KIND_REPORT, "laporan:walikota", position, "", "Laporan-Wali-Kota", asn_totals.shortfall,
                (position,), tuple(above_signer), email, office_rows=rows, reported_staff=tuple(reported_staff),
                heads_of_region=heads, not_reported=not_reported, asn_totals=asn_totals)
