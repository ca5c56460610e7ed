"""The rules of the Peraturan Wali Kota, with no file, workbook or clock inside.

Everything here works on plain records (built by the readers or by a test) and
returns plain records. Validation that needs "today" takes it as an argument.
"""
from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import itertools
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Iterable, Iterator, Optional

PROGRAM_START = dt.date(2022, 9, 7)
# Ambon's time (WIT, UTC+9, no daylight saving) for showing a moment to users; the clock lives in adapters.
WIT = dt.timezone(dt.timedelta(hours=9), "WIT")


class Tier(str, Enum):
    WALIKOTA = "WALIKOTA"
    WAKIL_WALIKOTA = "WAKIL_WALIKOTA"
    ESELON_II = "ESELON_II"
    ESELON_III = "ESELON_III"
    ESELON_IV = "ESELON_IV"
    NON_ESELON = "NON_ESELON"

    @property
    def label(self) -> str:
        return TIER_LABELS[self]


TIER_LABELS = {
    Tier.WALIKOTA: "Wali Kota",
    Tier.WAKIL_WALIKOTA: "Wakil Wali Kota",
    Tier.ESELON_II: "Eselon II",
    Tier.ESELON_III: "Eselon III",
    Tier.ESELON_IV: "Eselon IV",
    Tier.NON_ESELON: "Non Eselon",
}

# Officials who receive a personal reminder letter when short (README: Surat).
OFFICIAL_TIERS = (Tier.WALIKOTA, Tier.WAKIL_WALIKOTA, Tier.ESELON_II, Tier.ESELON_III, Tier.ESELON_IV)

# Not ASN, so without a NIP: identified by their NIK wherever a NIP goes (README: Format berkas).
NIK_TIERS = (Tier.WALIKOTA, Tier.WAKIL_WALIKOTA)

# Minimum monthly spend per tier; None = "not set by the source".
DEFAULT_MINIMUMS: dict[Tier, Optional[int]] = {
    Tier.WALIKOTA: 200_000,
    Tier.WAKIL_WALIKOTA: None,
    Tier.ESELON_II: 100_000,
    Tier.ESELON_III: 30_000,
    Tier.ESELON_IV: 20_000,
    Tier.NON_ESELON: None,
}


class EmploymentStatus(str, Enum):
    AKTIF = "Aktif"
    CUTI = "Cuti"
    TUGAS_BELAJAR = "Tugas Belajar"
    PENSIUN = "Pensiun"
    DIBERHENTIKAN = "Diberhentikan"
    MENINGGAL = "Meninggal"


class Status(str, Enum):
    MEMENUHI = "MEMENUHI"
    KURANG = "KURANG"
    TIDAK_WAJIB = "TIDAK_WAJIB"

    @property
    def rank(self) -> int:
        """The order statuses are listed in: the short first, then those who met it, then the not obliged."""
        return _STATUS_RANK[self]


_STATUS_RANK = {Status.KURANG: 0, Status.MEMENUHI: 1, Status.TIDAK_WAJIB: 2}


class Severity(str, Enum):
    GALAT = "GALAT"
    PERINGATAN = "PERINGATAN"


# ---------------------------------------------------------------- settings

DEFAULT_LETTER_NUMBER_FORMAT = "500.2/{urut}/DISPERINDAG/{bulan_romawi}/{tahun}"


@dataclass
class Settings:
    """The `Pengaturan` sheet, with the defaults of the SPEC."""

    minimums: dict[Tier, Optional[int]] = field(default_factory=lambda: dict(DEFAULT_MINIMUMS))
    jiku_bata_day: int = 7
    # None = not said: then "Ya" when a UMKM sheet exists (README: Aturan perhitungan).
    registered_only: Optional[bool] = None
    reasonable_limit: int = 5_000_000
    require_seller_match: bool = False   # `Belanja Harus Cocok Penjual` (README: Rekonsiliasi)
    accept_seller_records: bool = True   # `Akui Catatan Penjual` (README: Rekonsiliasi)
    letter_number_format: str = DEFAULT_LETTER_NUMBER_FORMAT
    government: str = "PEMERINTAH KOTA AMBON"
    issuing_office: str = "DINAS PERINDUSTRIAN DAN PERDAGANGAN"
    office_address: str = "Jl. Sultan Hairun No. 1"
    postal_code: str = "97126"
    office_phone: str = ""
    office_fax: str = ""
    office_website: str = ""
    office_email: str = ""
    crest_image: str = ""
    city: str = "Ambon"
    signatory_position: str = "Kepala Dinas Perindustrian dan Perdagangan"
    signatory_name: str = ""
    signatory_rank: str = ""
    signatory_nip: str = ""
    nature: str = "Biasa"
    legal_basis: str = "Peraturan Wali Kota Ambon tentang Gerakan Belanja Produk UMKM pada Jiku Bata"
    legal_basis_number: str = ""
    legal_basis_year: str = ""
    deadline_days: int = 7
    reminder_day: int = 20               # from this day of a running month reminders may be written
    leadership_email: str = ""           # `Surel Sekretariat Pimpinan`: the laporan's address when the Wali Kota has none
    holidays: tuple[dt.date, ...] = ()   # public holidays and cuti bersama: not working days
    copies_to: tuple[str, ...] = ("Wali Kota Ambon (sebagai laporan)", "Sekretaris Kota Ambon", "Inspektur Kota Ambon")
    report_recipients: tuple[str, ...] = ()
    # Repeated shortfall (README: Kekurangan berulang dan daftar TPP): from this many finished months short in a row, a notice asks the head of
    # office to act as direct superior, and the letter goes in copy to the personnel agency (BKPSDM).
    repeat_threshold: int = 3
    repeat_copy_to: str = "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kota Ambon"
    # `Potongan TPP` table: (months short in a row, deduction in %), ascending; empty = not decided by the city.
    tpp_deductions: tuple[tuple[int, float], ...] = ()


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class Place:
    """Where a value sits: file name (no folders), sheet, cell like `B12`."""

    file: str
    sheet: str
    cell: str


@dataclass(frozen=True)
class Problem:
    place: Place
    code: str
    severity: Severity
    message: str


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Period":
        """`YYYY-MM`; raises ValueError with an Indonesian message."""
        parts = str(text).strip().split("-")
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
            raise ValueError(f"periode '{text}' tidak valid: gunakan bentuk TTTT-BB, misalnya 2026-11")
        year, month = int(parts[0]), int(parts[1])
        if not 1 <= month <= 12:
            raise ValueError(f"periode '{text}' tidak valid: bulan harus 01 sampai 12")
        return cls(year, month)

    @classmethod
    def of(cls, day: dt.date) -> "Period":
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def jiku_bata_day(self, day_of_month: int) -> dt.date:
        return dt.date(self.year, self.month, min(day_of_month, calendar.monthrange(self.year, self.month)[1]))

    def previous(self) -> "Period":
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)

    def default_as_of(self, today: dt.date) -> dt.date:
        """The period's last day, or today if that is earlier (README: Pemakaian sehari-hari)."""
        return min(self.last_day, today)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


PROGRAM_FIRST_PERIOD = Period(PROGRAM_START.year, PROGRAM_START.month)


def period_refusal(period: Period, as_of: Optional[dt.date], today: dt.date) -> Optional[str]:
    """Why `period` (and the as-of day) cannot be reported on, in Indonesian; None when it can.

    A period after the current month has no data yet (a letter "bulan Januari
    2027" written in November 2026 is nonsense); the programme began in
    September 2022. The as-of day must lie inside the period and not after today.
    """
    from jikubata.domain.indonesian import long_date, month_year

    label = month_year(period.year, period.month)
    if period > Period.of(today):
        return (f"periode {period} ({label}) belum dimulai: bulan ini {month_year(today.year, today.month)}; "
                f"pilih bulan ini atau bulan yang sudah lewat")
    if period < PROGRAM_FIRST_PERIOD:
        return (f"periode {period} ({label}) sebelum program Jiku Bata dimulai "
                f"({long_date(PROGRAM_START)}); pilih {PROGRAM_FIRST_PERIOD} atau sesudahnya")
    if as_of is not None:
        if not period.first_day <= as_of <= period.last_day:
            return (f"per tanggal {long_date(as_of)} di luar periode {period}: pilih tanggal antara "
                    f"{long_date(period.first_day)} dan {long_date(period.last_day)}")
        if as_of > today:
            day_now = today
            return (f"per tanggal {long_date(as_of)} belum terjadi (hari ini {long_date(day_now)}): "
                    f"pilih hari ini atau tanggal yang sudah lewat")
    return None


@dataclass
class Employee:
    nip: str
    name: str
    position: str
    tier: Tier
    office: str
    status: EmploymentStatus = EmploymentStatus.AKTIF
    start: Optional[dt.date] = None
    end: Optional[dt.date] = None
    email: str = ""
    place: Optional[Place] = None  # the row's NIP cell
    grade: str = ""                # `II.a`, `IV.b`, `II` (no sub-grade written); "" outside the eselons


def column_letter(index: int) -> str:
    """0-based column index -> `A`, `B`, … `AA`."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(eq=False)
class SheetSource:
    """A sheet that records were read from: enough to name any of its cells."""

    file: str
    sheet: str
    columns: dict  # column key -> 0-based column index

    def place(self, row: int, key: Optional[str] = None) -> Place:
        """The Place of column `key` (or the row's first column) in 1-based `row`."""
        col = self.columns.get(key) if key else None
        if col is None:
            col = min(self.columns.values(), default=0)
        return Place(self.file, self.sheet, f"{column_letter(col)}{row}")


@dataclass(slots=True)
class Purchase:
    date: dt.date
    nip: str
    seller: str
    amount: int
    buyer_name: str = ""
    product: str = ""
    receipt: str = ""
    note: str = ""
    source: Optional[SheetSource] = None
    row: int = 0  # 1-based row in the source sheet

    def place(self, key: Optional[str] = None) -> Place:
        return self.source.place(self.row, key) if self.source else Place("", "", "")


@dataclass(slots=True)
class Sale:
    """One line of a seller's sales book (README: Rekonsiliasi): the seller's own record of a purchase.

    `nip` is "" when the seller did not write the buyer's NIP (or wrote one that is not valid)."""

    date: dt.date
    seller: str
    amount: int
    receipt: str
    nip: str = ""
    buyer_name: str = ""
    office: str = ""
    product: str = ""
    note: str = ""
    source: Optional[SheetSource] = None
    row: int = 0

    def place(self, key: Optional[str] = None) -> Place:
        return self.source.place(self.row, key) if self.source else Place("", "", "")


@dataclass
class Office:
    name: str
    abbreviation: str = ""
    head_name: str = ""
    head_nip: str = ""
    head_position: str = ""
    email: str = ""
    place: Optional[Place] = field(default=None, compare=False)  # the row's `Nama OPD` cell


@dataclass
class Seller:
    name: str
    owner: str = ""
    product_type: str = ""
    contact: str = ""
    status: str = ""


@dataclass(frozen=True)
class SheetRead:
    """What became of one sheet of an input file (README: Format berkas).

    `role` is the table it was read as (`belanja`, `pegawai`, `umkm`, `opd`,
    `pengaturan`), or None; `rows` its data rows; `skipped` says, in
    Indonesian, why nothing was read from it (then `read` is False).
    """

    file: str
    sheet: str
    role: Optional[str]
    rows: int = 0
    skipped: str = ""

    @property
    def read(self) -> bool:
        return self.role is not None and not self.skipped
class _WithProblems:
    """The problem counts of a `Dataset` or a `Result`: counted here, nowhere else."""

    problems: list["Problem"]

    @property
    def error_count(self) -> int:
        """GALAT: rows left out of the computation."""
        return sum(p.severity is Severity.GALAT for p in self.problems)

    @property
    def warning_count(self) -> int:
        """PERINGATAN: rows counted all the same."""
        return len(self.problems) - self.error_count


@dataclass(frozen=True)
class FormIdentity:
    """Who a returned entry form belongs to (README: Formulir isian OPD): kept in the form's document properties.

    `saved_at` is when the file was last saved (its core properties, else the
    file's modification time); a form nobody saved since it was generated is
    `pristine`.
    """

    file: str                   # file name, no folders
    office: str                 # the OPD's name as in the `OPD` sheet
    abbreviation: str
    period: Period
    version: str
    generated_at: dt.datetime   # aware
    saved_at: Optional[dt.datetime] = None  # aware
    kind: str = "belanja"       # "belanja": an OPD's entry form; "penjualan": a seller's (`office` is the UMKM)

    @property
    def pristine(self) -> bool:
        return self.saved_at is None or abs((self.saved_at - self.generated_at).total_seconds()) < 1

    def belongs_to(self, office: str) -> bool:
        """Whether a roster's `OPD` text (made printable) names this form's office (by name or abbreviation)."""
        key = office_key(office)
        return key == office_key(self.office) or (bool(self.abbreviation) and key == office_key(self.abbreviation))


@lru_cache(maxsize=4096)
def office_key(name: str) -> str:
    """One office, one identity: OPD names match whatever the case, spacing and punctuation
    (`Dinas Kesehatan`, `DINAS  KESEHATAN`, `Kec. Sirimau` = `KEC SIRIMAU`). `office_index` also
    accepts an office's `Singkatan`. Every comparison of offices goes through this key.

    Only the first 200 characters count: an entry form keeps at most 255 of
    the name (made printable) in its document properties.
    """
    return "".join(ch for ch in str(name).casefold() if ch.isalnum())[:200]


def office_index(offices: Iterable["Office"]) -> dict[str, "Office"]:
    """The OPD sheet's records by `office_key` of their name and of their `Singkatan` (an office's name
    wins over another office's abbreviation; the first of two same-named rows wins)."""
    index: dict[str, Office] = {}
    for attribute in ("name", "abbreviation"):
        for o in offices:
            key = office_key(getattr(o, attribute) or "")
            if key:
                index.setdefault(key, o)
    return index


@dataclass
class Dataset(_WithProblems):
    """Everything read from the input workbooks, with the problems found."""

    settings: Settings
    employees: list[Employee]
    purchases: list[Purchase]
    offices: list[Office]
    sellers: list[Seller]
    problems: list[Problem]
    has_seller_sheet: bool = False
    files: list[str] = field(default_factory=list)
    # NIPs of roster rows left out for their own problem: their purchases need no second report.
    rejected_nips: set[str] = field(default_factory=set)
    sheets: list[SheetRead] = field(default_factory=list)
    # file name -> when it was last saved (aware): of two files holding one receipt, the newer counts.
    saved_at: dict[str, dt.datetime] = field(default_factory=dict)
    # files in the input folders that are not spreadsheets, left alone
    ignored_files: list[str] = field(default_factory=list)
    # Entry forms among the files (file name -> identity): their rows are checked against it.
    forms: dict[str, FormIdentity] = field(default_factory=dict)
    # Sellers' sales books (README: Rekonsiliasi): their lines, and the sellers' forms among the files.
    sales: list[Sale] = field(default_factory=list)
    seller_forms: dict[str, FormIdentity] = field(default_factory=dict)
    # After validation: a `reconciliation.Reconciliation` (claims set against the sales books); None before.
    reconciliation: Optional[object] = None


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class EmployeeResult:
    nip: str
    name: str
    office: str
    position: str
    tier: Tier
    minimum: Optional[int]
    spent: int
    shortfall: int
    status: Status
    email: str = ""
    grade: str = ""
    reported: bool = True   # False: the office sent no data for the period (`belum melapor`)
    place: Optional[Place] = field(default=None, compare=False)  # the roster row's NIP cell
    # `bulan_berturut`: finished months short in a row up to this one (0 unless KURANG); None for a running month.
    short_run: Optional[int] = None


@dataclass(frozen=True)
class OfficeTotals:
    office: str
    obliged: int
    met: int
    short: int
    spent: int
    shortfall: int
    reported: bool = True   # False: `belum melapor` (no data for the period); its figures are not a verdict

    @property
    def compliance(self) -> Optional[float]:
        """Share of the obliged who met the minimum (0..1); None if nobody is obliged or the office has
        not reported (no percentage is shown for data that never arrived)."""
        return self.met / self.obliged if self.obliged and self.reported else None


@dataclass(frozen=True)
class SellerTotals:
    seller: str
    transactions: int
    buyers: int
    revenue: int


@dataclass
class Result(_WithProblems):
    """The computation for one period: the one source of truth every renderer reads."""

    period: Period
    as_of: dt.date
    employees: list[EmployeeResult]
    offices: list[OfficeTotals]
    sellers: list[SellerTotals]
    problems: list[Problem]
    settings: Settings
    office_info: dict[str, Office]
    sheets: list[SheetRead] = field(default_factory=list)
    # Per UMKM, the offices' claims against the sellers' books in the period (`reconciliation.summarise`);
    # empty when no UMKM sent a sales book for it.
    reconciliation: list = field(default_factory=list)

    @property
    def claims_without_sale(self) -> int:
        """Claims of the period that their UMKM's sales book does not hold (the weekly email's line)."""
        return sum(r.only_claim for r in self.reconciliation)

    @property
    def total(self) -> OfficeTotals:
        """The city's totals over the offices that reported (one that sent no data is no verdict)."""
        offices = [o for o in self.offices if o.reported]
        return OfficeTotals(
            office="Jumlah",
            obliged=sum(o.obliged for o in offices),
            met=sum(o.met for o in offices),
            short=sum(o.short for o in offices),
            spent=sum(o.spent for o in self.offices),
            shortfall=sum(o.shortfall for o in offices),
        )

    @property
    def offices_not_reported(self) -> list[str]:
        """Offices with someone obliged that sent no data for the period, in the OPD sheet's order."""
        return [o.office for o in self.offices if not o.reported]

    def short_employees(self, office: Optional[str] = None) -> list[EmployeeResult]:
        """The people short in the period, among offices that reported."""
        return [e for e in self.employees if e.status is Status.KURANG and e.reported
                and (office is None or e.office == office)]

    def to_json(self) -> dict:
        """The object of README: Pemakaian sehari-hari, field names and values exactly as written there."""
        return {
            "periode": str(self.period),
            "per_tanggal": self.as_of.isoformat(),
            "pegawai": [
                {
                    "nip": e.nip, "nama": e.name, "opd": e.office, "tingkat": e.tier.value,
                    "minimum": e.minimum, "belanja": e.spent, "kekurangan": e.shortfall,
                    "status": e.status.value, "melapor": e.reported,
                    **({} if e.short_run is None else {"bulan_berturut": e.short_run}),
                }
                for e in self.employees
            ],
            "opd": [
                {"opd": o.office, "wajib": o.obliged, "memenuhi": o.met, "kurang": o.short,
                 "belanja": o.spent, "kekurangan": o.shortfall, "melapor": o.reported}
                for o in self.offices
            ],
            "masalah": [problem_json(p) for p in self.problems],
            "dibaca": [{"berkas": s.file, "lembar": s.sheet, "peran": s.role, "baris": s.rows}
                       for s in self.sheets if s.read],
            "rekonsiliasi": [r.to_json() for r in self.reconciliation],
        }


def problem_json(p: Problem) -> dict:
    return {"berkas": p.place.file, "lembar": p.place.sheet, "sel": p.place.cell,
            "tingkat": p.severity.value, "kode": p.code, "pesan": p.message}


# ---------------------------------------------------------------- rules


def purchase_facts(purchases, first: Optional[dt.date] = None, last: Optional[dt.date] = None
                   ) -> Iterator[tuple[dt.date, str, str, int]]:
    """(date, NIP, UMKM as written, amount) of each purchase that counts, only those dated from `first` to `last`
    when given: the one way the rules read purchases, kept column by column (`purchase_table.PurchaseTable.facts`)
    or as a list of `Purchase`."""
    table_facts = getattr(purchases, "facts", None)
    if table_facts is not None:
        return table_facts(first, last)
    return ((p.date, p.nip, p.seller, p.amount) for p in purchases
            if (first is None or p.date >= first) and (last is None or p.date <= last))


def seller_key(name: str) -> str:
    """UMKM names match case- and space-insensitively."""
    return "".join(str(name).split()).casefold()


def is_obliged(employee: Employee, period: Period, settings: Settings) -> bool:
    """Aktif and in post on the period's Jiku Bata day, with a tier minimum set."""
    if employee.status is not EmploymentStatus.AKTIF:
        return False
    if settings.minimums.get(employee.tier) is None:
        return False
    day = period.jiku_bata_day(settings.jiku_bata_day)
    if employee.start is not None and employee.start > day:
        return False
    if employee.end is not None and employee.end < day:
        return False
    return True


def registered_only(dataset: Dataset) -> bool:
    s = dataset.settings.registered_only
    return dataset.has_seller_sheet if s is None else s


def compute(dataset: Dataset, period: Period, as_of: dt.date, *, finished: bool = False) -> Result:
    """Each employee's shortfall for `period`, counting purchases dated on or before `as_of`.

    The purchases in `dataset` are those already accepted by validation
    (rows with a GALAT problem are not there). For a `finished` month each
    employee also gets `short_run` (`bulan_berturut`, see `short_runs`).
    """
    settings = dataset.settings
    first, last = period.first_day, min(period.last_day, as_of)
    spent: dict[str, int] = {}
    seller_tx: dict[str, int] = {}
    seller_buyers: dict[str, set] = {}
    seller_revenue: dict[str, int] = {}
    seller_names: dict[str, str] = {seller_key(s.name): s.name for s in dataset.sellers}
    keys: dict[str, str] = {}  # seller_key of each spelling, made once
    buyers: set[str] = set()   # who bought anything in the period, for `offices_not_reported`
    for day, nip, seller, amount in purchase_facts(dataset.purchases, first, period.last_day):
        buyers.add(nip)
        if day <= last:
            spent[nip] = spent.get(nip, 0) + amount
            key = keys.get(seller)
            if key is None:
                key = keys[seller] = seller_key(seller)
            seller_names.setdefault(key, seller)
            seller_tx[key] = seller_tx.get(key, 0) + 1
            seller_revenue[key] = seller_revenue.get(key, 0) + amount
            seller_buyers.setdefault(key, set()).add(nip)

    # The roster's OPD text becomes the OPD sheet's spelling of that office (by name or Singkatan), else
    # the first spelling seen: one office is never split in two, and `office_info[e.office]` finds it.
    records, spelling = office_index(dataset.offices), {}
    employees: list[EmployeeResult] = []
    silent = offices_not_reported(dataset, period, buyers)
    for e in dataset.employees:
        key = office_key(e.office)
        if key in records:
            office = records[key].name
        else:
            office = spelling.setdefault(key, e.office) if key else e.office
        minimum = settings.minimums.get(e.tier)
        total = spent.get(e.nip, 0)
        if is_obliged(e, period, settings):
            shortfall = max(0, minimum - total)
            status = Status.KURANG if shortfall else Status.MEMENUHI
        else:
            shortfall, status = 0, Status.TIDAK_WAJIB
        employees.append(EmployeeResult(e.nip, e.name, office, e.position, e.tier, minimum, total, shortfall,
                                        status, e.email, e.grade, key not in silent, e.place,
                                        0 if finished else None))
    if finished:
        runs = short_runs(dataset, period, employees)
        if runs:
            employees = [dataclasses.replace(r, short_run=runs[r.nip]) if r.nip in runs else r for r in employees]

    offices = office_totals(employees, [o.name for o in dataset.offices])
    sellers = sorted(
        (SellerTotals(seller_names[k], seller_tx[k], len(seller_buyers[k]), seller_revenue[k]) for k in seller_tx),
        key=lambda s: (-s.revenue, s.seller.casefold()),
    )
    rec = dataset.reconciliation
    return Result(period, as_of, employees, offices, sellers, list(dataset.problems), settings,
                  {o.name: o for o in dataset.offices}, list(dataset.sheets),
                  rec.summary(period, last) if rec is not None else [])


def offices_not_reported(dataset: Dataset, period: Period, buyers: Optional[set[str]] = None) -> set[str]:
    """`office_key`s of the offices that have not reported for `period` (`belum melapor`).

    An office has not reported when it has someone obliged in the period, no
    purchase of any of its people dated in the period was read, and no entry
    form of the period came back from it. An entry form returned empty has
    reported: its people spent nothing. Letters are never written about an
    office that has not reported, only a request for its data. `buyers`: the
    NIPs with a purchase dated in the period, when the caller has them.
    """
    first, last = period.first_day, period.last_day
    office_of = {e.nip: office_key(e.office) for e in dataset.employees}
    if buyers is None:
        buyers = {nip for _, nip, _, _ in purchase_facts(dataset.purchases, first, last)}
    reported = {office_of.get(nip) for nip in buyers}
    for form in dataset.forms.values():
        if form.period == period:
            reported.add(office_key(form.office))
            if form.abbreviation:
                reported.add(office_key(form.abbreviation))
    obliged = {office_key(e.office) for e in dataset.employees if is_obliged(e, period, dataset.settings)}
    return {o for o in obliged if o not in reported}


# ---------------------------------------------------------------- repeated shortfall (README: Kekurangan berulang dan daftar TPP)

# A month's verdict on one person, as far as a run of shortfall goes: short, met, or skipped (None: not
# obliged — cuti, not yet in post, tier not set — or the office had not reported).
SHORT, MET = Status.KURANG, Status.MEMENUHI


def run_length(verdicts: Iterable[Optional[Status]]) -> int:
    """Months short in a row, newest month first: `bulan_berturut` of the first month.

    0 unless the first month is short. A skipped month (None or TIDAK_WAJIB)
    neither counts nor breaks the run; a month met ends it.
    """
    it = iter(verdicts)
    if next(it, None) is not SHORT:
        return 0
    n = 1
    for v in it:
        if v is SHORT:
            n += 1
        elif v is MET:
            break
    return n


def verdict(e: EmployeeResult) -> Optional[Status]:
    """One month's `EmployeeResult` as a verdict for `run_length`."""
    if not e.reported or e.status is Status.TIDAK_WAJIB:
        return None
    return e.status


def _month_number(year: int, month: int) -> int:
    return year * 12 + month - 1


def short_runs(dataset: Dataset, period: Period, results: Iterable[EmployeeResult]) -> dict[str, int]:
    """`bulan_berturut` of every short person of `period` (NIP -> months), from the purchases of all months read.

    `results` are the period's own verdicts (`compute`); earlier months are
    judged whole, as `compute` would judge them as finished months: obliged
    on their Jiku Bata day (by the roster: it is the only record of who was in
    post), short of the tier's minimum, and skipped when the person's office
    had not reported in that month (no purchase of its people, no returned
    form). The walk back stops at the first month met, or at the first month
    of any data. One pass over the purchases, kept to the short people and
    their offices, so the count stays cheap at city scale.
    """
    short = {r.nip: r for r in results if verdict(r) is SHORT}
    if not short:
        return {}
    roster = {e.nip: e for e in dataset.employees if e.nip in short}
    offices = {office_key(e.office) for e in roster.values()}
    office_of = {e.nip: key for e in dataset.employees if (key := office_key(e.office)) in offices}
    current = _month_number(period.year, period.month)
    spent: dict[tuple[str, int], int] = {}
    reported: set[tuple[str, int]] = set()
    first = current
    for d, nip, _, amount in purchase_facts(dataset.purchases, last=period.first_day - dt.timedelta(days=1)):
        m = d.year * 12 + d.month - 1
        if m >= current:
            continue
        if m < first:
            first = m
        office = office_of.get(nip)
        if office is not None:
            reported.add((office, m))
            if nip in short:
                key = (nip, m)
                spent[key] = spent.get(key, 0) + amount
    for form in dataset.forms.values():
        m = _month_number(form.period.year, form.period.month)
        if m < current:
            first = min(first, m)
            reported.add((office_key(form.office), m))
            if form.abbreviation:
                reported.add((office_key(form.abbreviation), m))
    settings = dataset.settings

    def earlier(e: Employee):
        office = office_key(e.office)
        minimum = settings.minimums.get(e.tier)
        for m in range(current - 1, first - 1, -1):
            month = Period(m // 12, m % 12 + 1)
            if (office, m) not in reported or not is_obliged(e, month, settings):
                yield None
            else:
                yield SHORT if spent.get((e.nip, m), 0) < minimum else MET

    runs = {}
    for nip in short:
        e = roster.get(nip)
        runs[nip] = 1 if e is None else run_length(itertools.chain((SHORT,), earlier(e)))
    return runs


def office_totals(employees: Iterable[EmployeeResult], known_offices: Iterable[str] = ()) -> list[OfficeTotals]:
    """Per-office totals, offices in the order of the OPD sheet, then any others by name."""
    acc: dict[str, list[int]] = {}
    silent: set[str] = set()
    for e in employees:
        if not e.reported:
            silent.add(e.office)
        a = acc.setdefault(e.office, [0, 0, 0, 0, 0])
        a[3] += e.spent  # all spend of the office counts, obliged or not
        if e.status is Status.TIDAK_WAJIB:
            continue
        a[0] += 1
        a[1] += e.status is Status.MEMENUHI
        a[2] += e.status is Status.KURANG
        a[4] += e.shortfall
    order = [o for o in dict.fromkeys(known_offices) if o in acc]
    order += sorted((o for o in acc if o not in set(order)), key=str.casefold)
    return [OfficeTotals(o, *acc[o], reported=o not in silent) for o in order]


def worst_first_key(compliance: Optional[float], shortfall: int, office: str) -> tuple:
    """The one order of offices in every report (rekap, `hitung`, weekly email, Tren): the lowest
    compliance first, then the largest shortfall, then the name; offices where nobody is obliged last."""
    return (compliance is None, compliance or 0.0, -shortfall, office.casefold())


def worst_first(offices: Iterable[OfficeTotals]) -> list[OfficeTotals]:
    return sorted(offices, key=lambda o: worst_first_key(o.compliance, o.shortfall, o.office))


# ---------------------------------------------------------------- the year


@dataclass(frozen=True)
class EmployeeYear:
    """One employee over a year: months obliged and met, total spent and short."""

    nip: str
    name: str
    office: str
    position: str
    tier: Tier
    months_obliged: int
    months_met: int
    spent: int
    shortfall: int
    months_short: int = 0    # months short in an office that had reported
    longest_run: int = 0     # most months short in a row within the year (`run_length`, skipped months skipped)


@dataclass
class YearResult(_WithProblems):
    """A year as the twelve monthly `Result`s; every figure here is read from them.

    `months[m - 1]` is None for a month with no data: not begun by `as_of`, or
    no purchase dated in it. Such a month is "no data", never 0%.
    """

    year: int
    as_of: dt.date
    months: list[Optional[Result]]
    employees: list[EmployeeYear]
    offices: list[str]  # every office seen in any month, in the OPD sheet's order
    problems: list[Problem]
    settings: Settings
    office_info: dict[str, Office]

    @property
    def months_with_data(self) -> list[int]:
        return [m for m, r in enumerate(self.months, 1) if r is not None]

    def office_month(self, office: str, month: int) -> Optional[OfficeTotals]:
        """The office's totals in `month`, None when the month has no data or the office no one in it."""
        result = self.months[month - 1]
        if result is None:
            return None
        return next((o for o in result.offices if o.office == office), None)

    def city_month(self, month: int) -> Optional[OfficeTotals]:
        result = self.months[month - 1]
        return None if result is None else result.total

    def office_year(self, office: str) -> OfficeTotals:
        """The office's obliged person-months, met person-months and money over the months with data."""
        rows = [t for m in self.months_with_data if (t := self.office_month(office, m)) is not None and t.reported]
        return OfficeTotals(office, sum(t.obliged for t in rows), sum(t.met for t in rows),
                            sum(t.short for t in rows), sum(t.spent for t in rows), sum(t.shortfall for t in rows))

    @property
    def total(self) -> OfficeTotals:
        rows = [r.total for r in self.months if r is not None]
        return OfficeTotals("Jumlah", sum(t.obliged for t in rows), sum(t.met for t in rows),
                            sum(t.short for t in rows), sum(t.spent for t in rows), sum(t.shortfall for t in rows))


def month_has_data(result: Result) -> bool:
    """A month has data when at least one purchase was counted in it."""
    return any(s.transactions for s in result.sellers)


def aggregate_year(year: int, as_of: dt.date, monthly: dict[int, Result]) -> YearResult:
    """Put twelve monthly results together (months missing from `monthly` have no data).

    Nothing is recomputed: each employee's months and money are sums of the
    monthly `EmployeeResult`s, so the year always agrees with its months.
    """
    months: list[Optional[Result]] = [None] * 12
    for m, result in monthly.items():
        if result.period != Period(year, m):
            raise ValueError(f"hasil bulan {m} adalah periode {result.period}, bukan {year}-{m:02d}")
        if month_has_data(result):
            months[m - 1] = result
    present = [r for r in months if r is not None]
    acc: dict[tuple[str, str], list] = {}
    for result in present:
        for e in result.employees:
            a = acc.get((e.nip, e.office))
            if a is None:
                a = acc[(e.nip, e.office)] = [e, 0, 0, 0, 0, []]
            a[0] = e  # the latest month's name, position and tier
            a[1] += e.status is not Status.TIDAK_WAJIB
            a[2] += e.status is Status.MEMENUHI
            a[3] += e.spent
            a[4] += e.shortfall
            a[5].append(verdict(e))   # months without data, or without this person, are skipped
    employees = [EmployeeYear(e.nip, e.name, e.office, e.position, e.tier, obliged, met, spent, short,
                              verdicts.count(SHORT), _longest_run(verdicts))
                 for e, obliged, met, spent, short, verdicts in acc.values()]
    latest = present[-1] if present else (monthly[max(monthly)] if monthly else None)
    offices: list[str] = []
    for result in present or ([latest] if latest else []):
        offices += [o.office for o in result.offices if o.office not in offices]
    if latest is not None:
        known = list(latest.office_info)
        offices = [o for o in known if o in offices] + [o for o in offices if o not in known]
    return YearResult(
        year=year, as_of=as_of, months=months, employees=employees, offices=offices,
        problems=list(latest.problems) if latest else [],
        settings=latest.settings if latest else Settings(),
        office_info=dict(latest.office_info) if latest else {},
    )


def _longest_run(verdicts: list[Optional[Status]]) -> int:
    """The most months short in a row among `verdicts` (oldest first), each month's run by `run_length`."""
    if SHORT not in verdicts:
        return 0
    return max(run_length(reversed(verdicts[:i + 1])) for i in range(len(verdicts)))


def compute_year(dataset: Dataset, year: int, as_of: dt.date) -> YearResult:
    """`compute` for every month of `year` begun by `as_of`, put together by `aggregate_year`."""
    monthly = {}
    for m in range(1, 13):
        period = Period(year, m)
        if period.first_day > as_of:
            break
        monthly[m] = compute(dataset, period, min(period.last_day, as_of))
    return aggregate_year(year, as_of, monthly)
