"""Parsers for the values offices type into cells (README: Format workbook masukan). Pure functions.

Each parser accepts any cell content (str, int, float, bool, date, datetime,
None) and never raises: it returns the value, or None with a reason.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import Optional

from jikubata.domain.model import EmploymentStatus, Tier

# ---------------------------------------------------------------- NIP

NIP_NUMBER = "NIP_ANGKA"
NIP_INVALID = "NIP_TIDAK_VALID"
_NIP_STRIP = re.compile(r"[\s.\u00a0]+")
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE][+]?\d+$")
# A choice from an entry form's drop-down: `198001012010012001 — Ani Latuconsina` (em dash, or a hyphen,
# with a space either side). The name may not hold a digit, so a second number cannot hide behind the dash.
_NIP_AND_NAME = re.compile(r"([0-9]{18}) (?:\u2014|-) [^\W\d_][^\d\x00-\x1f]*")
NIP_NAME_SEPARATOR = " \u2014 "


def nip_and_name(nip: str, name: str) -> str:
    """A drop-down choice of an entry form: the NIP, then the person's name, in the one shape `parse_nip`
    reads back as that NIP (digits and control characters left out of the name; no name, the bare NIP)."""
    shown = re.sub(r"^[\W\d_]+", "", " ".join(re.sub(r"[\d\x00-\x1f]+", " ", str(name)).split()))
    return f"{nip}{NIP_NAME_SEPARATOR}{shown}" if shown else nip


def parse_nip(value: object, nik: bool = False) -> tuple[Optional[str], Optional[str], str]:
    """Return (nip, problem_code, reason).

    An 18-digit NIP once spaces, dots and a leading apostrophe are removed;
    digits 1–8 are a valid birth date (YYYYMMDD), digit 15 is 1 or 2. PPPK
    numbers have the same shape (digits 13–14 are `21`, not a month), so they
    are valid too. A NIP stored as a number has already lost digits (Excel
    keeps 15): it is reported, never guessed. With `nik`, a valid 16-digit
    NIK is accepted as well (the Wali Kota and Wakil Wali Kota are not ASN
    and have none): whether its owner may use it is for the caller to decide.
    A drop-down choice of an entry form (`nip_and_name`) is its NIP; nothing
    else around the digits is.
    """
    if type(value) is str and len(value) == 18 and value.isascii() and value.isdigit():
        text = value  # as most are typed: nothing to strip, no NIK, no number
    elif type(value) is str and (choice := _NIP_AND_NAME.fullmatch(value.strip())):
        text = choice[1]
    else:
        if isinstance(value, bool):
            return None, NIP_INVALID, "isinya bukan NIP"
        if isinstance(value, (int, float)):
            return None, NIP_NUMBER, "NIP tersimpan sebagai angka sehingga digit terakhirnya hilang; ketik ulang sebagai teks"
        text = _NIP_STRIP.sub("", str(value).strip().lstrip("'"))
        if nik and len(text) == NIK_LENGTH:
            return (text, None, "") if is_nik(text) else (None, NIP_INVALID, NIK_INVALID_REASON)
        if _SCIENTIFIC.match(text):  # a number written out as text (CSV): `1,99512E+17`
            return None, NIP_NUMBER, "NIP tersimpan sebagai angka sehingga digit terakhirnya hilang; ketik ulang sebagai teks"
        if len(text) != 18 or not text.isascii() or not text.isdigit():
            return None, NIP_INVALID, f"harus 18 digit angka (terbaca {len(text)} karakter)"
    try:
        born = dt.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None, NIP_INVALID, "8 digit pertama bukan tanggal lahir yang valid"
    if born.year < 1900:
        return None, NIP_INVALID, "8 digit pertama bukan tanggal lahir yang valid"
    if text[14] not in "12":
        return None, NIP_INVALID, "digit ke-15 (jenis kelamin) harus 1 atau 2"
    return text, None, ""


# ---------------------------------------------------------------- NIK

NIK_LENGTH = 16
NIK_INVALID_REASON = ("harus 18 digit angka (terbaca 16 digit); bila ini NIK Wali Kota/Wakil Wali Kota, digit ke-7 "
                      "sampai ke-12 harus tanggal lahir HHBBTT (perempuan: tanggal + 40)")
NIK_NOT_ALLOWED_REASON = "NIK (16 digit) hanya untuk Wali Kota dan Wakil Wali Kota; ASN memakai NIP 18 digit"


def is_nik(text: str) -> bool:
    """A Nomor Induk Kependudukan: 16 digits; digits 7–12 a birth date DDMMYY, DD + 40 for women."""
    if len(text) != NIK_LENGTH or not text.isascii() or not text.isdigit() or text[0] == "0":
        return False
    day, month, year = int(text[6:8]), int(text[8:10]), int(text[10:12])
    if day > 40:
        day -= 40
    # The century is not written: a date valid in either one is a date (29 Feb 00 is 2000).
    return any(_make_date(century + year, month, day) for century in (1900, 2000)) and text[12:] != "0000"


def is_nik_shaped(nip: str) -> bool:
    """An identifier that `parse_nip(..., nik=True)` accepted as a NIK rather than a NIP."""
    return len(nip) == NIK_LENGTH


# ---------------------------------------------------------------- Eselon

_TIER_WORDS = {
    "walikota": Tier.WALIKOTA,
    "wakilwalikota": Tier.WAKIL_WALIKOTA,
    "wawali": Tier.WAKIL_WALIKOTA,
    "non": Tier.NON_ESELON,
    "noneselon": Tier.NON_ESELON,
    "nonesselon": Tier.NON_ESELON,
    "staf": Tier.NON_ESELON,
    "staff": Tier.NON_ESELON,
    "pelaksana": Tier.NON_ESELON,
    "fungsional": Tier.NON_ESELON,
    "jabatanfungsional": Tier.NON_ESELON,
    # SIASN's names of the structural levels (UU ASN): JPT Pratama = II, Administrator = III, Pengawas = IV.
    "jptpratama": Tier.ESELON_II,
    "jabatanpimpinantinggipratama": Tier.ESELON_II,
    "administrator": Tier.ESELON_III,
    "jabatanadministrator": Tier.ESELON_III,
    "pengawas": Tier.ESELON_IV,
    "jabatanpengawas": Tier.ESELON_IV,
    "": Tier.NON_ESELON,  # what is left of "-" or "—"
}
_TIER_LEVELS = {"ii": Tier.ESELON_II, "2": Tier.ESELON_II, "iii": Tier.ESELON_III, "3": Tier.ESELON_III,
                "iv": Tier.ESELON_IV, "4": Tier.ESELON_IV}
_TIER_LEVEL = re.compile(r"^(ii|iii|iv|2|3|4)([ab])?$")


def parse_tier(value: object) -> Optional[Tier]:
    """Map the spellings offices use (`II.a`, `2a`, `Eselon IV-B`, `Walikota`, `Staf`, `-`…) to a tier."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value).strip()
    if not raw:
        return None
    if raw.upper() in Tier.__members__:
        return Tier[raw.upper()]
    key = re.sub(r"[\W_]+", "", raw.casefold())
    if key in _TIER_WORDS:
        return _TIER_WORDS[key]
    key = key.replace("eselon", "", 1)
    if key in _TIER_WORDS and key:
        return _TIER_WORDS[key]
    m = _TIER_LEVEL.match(key)
    return _TIER_LEVELS[m.group(1)] if m else None


def eselon_grade(value: object) -> str:
    """The grade inside an eselon (`II.a`, `IV.b`), or `II` when no sub-grade is written; "" for a tier
    word (`Wali Kota`, `Staf`). The grade orders officials of one tier (a II.a outranks a II.b)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    key = re.sub(r"[\W_]+", "", str(value).strip().casefold()).replace("eselon", "", 1)
    m = _TIER_LEVEL.match(key)
    if not m:
        return ""
    level = {"2": "ii", "3": "iii", "4": "iv"}.get(m.group(1), m.group(1)).upper()
    return f"{level}.{m.group(2)}" if m.group(2) else level


# ---------------------------------------------------------------- Status

_STATUSES = {re.sub(r"\W+", "", s.value.casefold()): s for s in EmploymentStatus}
_STATUSES.update({"": EmploymentStatus.AKTIF, "tubel": EmploymentStatus.TUGAS_BELAJAR,
                  "wafat": EmploymentStatus.MENINGGAL, "purnatugas": EmploymentStatus.PENSIUN})
# SIASN's `Kedudukan Hukum`: leave outside the state's budget and the year before retirement are leave;
# a temporary discharge is a discharge.
_STATUSES.update({"cltn": EmploymentStatus.CUTI, "cutidiluartanggungannegara": EmploymentStatus.CUTI,
                  "masapersiapanpensiun": EmploymentStatus.CUTI, "mpp": EmploymentStatus.CUTI,
                  "pemberhentiansementara": EmploymentStatus.DIBERHENTIKAN,
                  "diberhentikansementara": EmploymentStatus.DIBERHENTIKAN})


def parse_status(value: object) -> Optional[EmploymentStatus]:
    """`Aktif` (also blank), `Cuti`, `Tugas Belajar`, `Pensiun`, `Diberhentikan`, `Meninggal`."""
    if value is None:
        return EmploymentStatus.AKTIF
    return _STATUSES.get(re.sub(r"\W+", "", str(value).casefold()))


# ---------------------------------------------------------------- names

# Academic and religious titles, as keys (letters only, lower case). Front titles only count at the
# start of a name; back titles anywhere after the first word (`ANI S.E`), and everything after the
# first comma is a back title (`Ani Latuconsina, S.E., M.Si.`).
_FRONT_TITLES = frozenset({"dr", "drs", "dra", "drg", "ir", "h", "hj", "prof", "kh", "apt", "ns", "hc", "tn",
                           "ny", "nn", "bpk", "ibu"})
_BACK_TITLES = frozenset({
    "se", "sh", "st", "ssos", "spd", "skom", "sip", "sap", "sstp", "ssi", "sag", "sked", "skep", "skm", "sfarm",
    "stp", "spt", "shut", "spi", "sikom", "shi", "spsi", "sds", "sak", "sei", "ssn", "spdi", "spdsd", "ssit",
    "mt", "mm", "msi", "mkes", "mpd", "mh", "map", "mkom", "mak", "msc", "mba", "mag", "mpsi", "mkm", "mars",
    "mtr", "mhum", "mec", "mse", "msp", "mpa", "phd", "amd", "amdkeb", "amdkep", "amdkes",
    "spog", "spa", "sppd", "spb", "spm", "spkk", "spjp", "spok", "sprad", "sps", "bsc", "ba", "ma",
})
_NAME_WORD = re.compile(r"[^\W\d_]+")


def name_key(name: str) -> str:
    """A person's name as people compare it: case, academic titles and punctuation ignored."""
    main = str(name).split(",", 1)[0]
    words = ["".join(_NAME_WORD.findall(w)) for w in main.casefold().split()]
    words = [w for w in words if w]
    while len(words) > 1 and words[0] in _FRONT_TITLES:
        words.pop(0)
    kept = words[:1] + [w for w in words[1:] if w not in _BACK_TITLES]
    return "".join(kept)


def full_name(front: object, name: object, back: object) -> str:
    """SIASN keeps titles apart: `{depan} {NAMA}, {belakang}`, empty parts left out, the name as written."""
    name, front, back = cell_text(name), cell_text(front), cell_text(back)
    text = f"{front} {name}" if front else name
    return f"{text}, {back}" if back else text


# ---------------------------------------------------------------- dates

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agus": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}
_WEEKDAYS = r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad)"
_NUMERIC_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4}|\d{2})$")
_NUMERIC_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# A time of day after a date, as other systems export it: `05/11/2026 08:45`, `05/11/2026 08.45`,
# `2026-11-05 08:45:00`, `2026-11-05T08:45`, `11/24/2026 8:45 AM`, and `08,45` (an Indonesian
# LibreOffice writes a format's HH.MM with its decimal comma). Text already casefolded.
_TIME_OF_DAY = re.compile(r"^(.*\d)(?:\s+|t)(\d{1,2})[:.,](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?(?:\s?([ap])\.?m\.?)?$")
_SERIAL_TEXT = re.compile(r"^[2-7]\d{4}$")
_WORDS_DMY = re.compile(r"^(\d{1,2})[\s\-/.]+([a-z]+)\.?[\s\-/.]+(\d{4})$")


def _make_date(year: int, month: int, day: int) -> Optional[dt.date]:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def without_time(text: str) -> str:
    """Date text without a trailing time of day (a real one: hours 0–23, or 1–12 with am/pm)."""
    m = _TIME_OF_DAY.match(text)
    if m is None:
        return text
    hour, minute, second = int(m[2]), int(m[3]), int(m[4] or 0)
    if minute > 59 or second > 59 or hour > (12 if m[5] else 23) or (m[5] and hour == 0):
        return text
    return m[1]


def parse_date(value: object) -> Optional[dt.date]:
    """A date cell, an Excel serial number, or Indonesian text, day first; a time of day after it is
    ignored (the purchase counts on that date)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or not 1 <= value < 2958466:
            return None
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = " ".join(str(value).strip().casefold().split())
    if not text:
        return None
    text = without_time(re.sub(rf"^{_WEEKDAYS},?\s*", "", text))
    if _SERIAL_TEXT.match(text):  # an Excel serial number written out as text (CSV): 1954–2119
        return _EXCEL_EPOCH + dt.timedelta(days=int(text))
    m = _NUMERIC_DMY.match(text)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if len(m.group(3)) == 2:
            year += 2000
        return _make_date(year, month, day)
    m = _NUMERIC_YMD.match(text)
    if m:
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _WORDS_DMY.match(text)
    if m and m.group(2) in _MONTHS:
        return _make_date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
    return None


# ---------------------------------------------------------------- amounts

# No purchase, minimum or limit reaches Rp1.000 triliun; beyond it a cell holds junk (1e308 and the like).
MAX_AMOUNT = 10 ** 15
_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_PLAIN = re.compile(r"^\d+(?:,\d+)?$")
_AMBIGUOUS = re.compile(r"^\d{1,3}(?:,\d{3})+$")


def whole_rupiah(value: float) -> int:
    """A number of rupiah made whole, halves away from zero as Excel's ROUND does: 20000.5 → 20001.

    Every amount read (a purchase, a minimum in Pengaturan) is rounded here.
    """
    whole = int(value)                 # toward zero; `value - whole` is exact
    fraction = value - whole
    return whole + (1 if fraction >= 0.5 else -1 if fraction <= -0.5 else 0)


def parse_amount(value: object) -> tuple[Optional[int], str]:
    """Return (rupiah, reason). Rupiah are whole; a fraction of a rupiah is rounded.

    Text uses Indonesian conventions: `.` groups thousands, `,` marks decimals
    (`Rp 20.000`, `Rp20.000,-`, `20.000,00`). `20,000` is ambiguous (twenty
    or twenty thousand?) and is reported instead of guessed.
    """
    if isinstance(value, bool) or value is None:
        return None, "bukan angka"
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return None, "bukan angka"
        amount = whole_rupiah(value)
    else:
        text = str(value).strip().replace("\u00a0", " ")
        text = _CURRENCY.sub("", text).replace(" ", "")
        for tail in (",-", ".-", "-"):
            if text.endswith(tail) and len(text) > len(tail):
                text = text[: -len(tail)]
                break
        if _AMBIGUOUS.match(text):
            return None, f"'{value}' meragukan: tulis 20.000 (titik pemisah ribuan) atau 20000"
        if _GROUPED.match(text) or _PLAIN.match(text):
            whole, _, frac = text.replace(".", "").partition(",")
            amount = int(whole) + (1 if frac and int(frac[0]) >= 5 else 0)
        elif text.startswith("-") and (_GROUPED.match(text[1:]) or _PLAIN.match(text[1:])):
            return None, "jumlah negatif"
        else:
            return None, f"'{value}' bukan jumlah rupiah"
    if amount < 0:
        return None, "jumlah negatif"
    if amount == 0:
        return None, "jumlah nol"
    if amount >= MAX_AMOUNT:
        return None, "jumlah terlalu besar"
    return amount, ""


# ---------------------------------------------------------------- settings values


def parse_yes_no(value: object) -> Optional[bool]:
    """`Ya`/`Tidak` and their spellings; a number cell 1 or 0 (a checkbox or a typed 1 is stored as a number)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    key = str(value).strip().casefold()
    if key in ("ya", "y", "yes", "benar", "true", "1"):
        return True
    if key in ("tidak", "t", "no", "n", "false", "0", "tdk"):
        return False
    return None


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def printable(value: object) -> str:
    """Text from an input made safe to show: control and other unprintable characters become spaces.

    The one cleaner of such characters: escape codes cannot reach a terminal,
    nor characters XML cannot hold a letter or a workbook.
    """
    text = str(value)
    return text if text.isprintable() else "".join(ch if ch.isprintable() else " " for ch in text)


def cell_text(value: object) -> str:
    """A cell's value as the text a person typed (numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    return str(value).strip()
