"""Per-office entry forms (README: Formulir isian OPD): write one plain .xlsx per OPD.

A form prevents the mistakes the reader otherwise has to report: a person is
picked from that office's obliged staff as `NIP — Nama` (kept as text; the
reader takes its first 18 digits, `parse.parse_nip`), the seller from the
registered UMKM, dates are limited to the period, amounts are whole rupiah
above zero. Name, position and minimum fill themselves in with INDEX/MATCH
(Excel 2010+, LibreOffice, Google Sheets; no XLOOKUP), and `Petunjuk` shows
each person's spend so far against the minimum. Only the input cells are
unlocked; the sheets are protected without a password, against accidents.

The form says whose and which month it is in its custom document properties
(and again on its hidden sheet, for programs that drop those properties), so
the reader never has to guess from the file name; `form_identity` holds those
names and reads them back.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from jikubata.adapters.atomic import atomic_path, unwritable
# Identity names are also re-exported here: callers (and tests) know them as `forms.PROP_KIND`, …
from jikubata.adapters.form_identity import (IDENTITY_LABELS, KIND, PROP_ABBREVIATION, PROP_GENERATED,  # noqa: F401
                                             PROP_KIND, PROP_OFFICE, PROP_PERIOD, PROP_SELLER, PROP_VERSION,
                                             SALES_IDENTITY_LABELS, SALES_KIND, SALES_KIND_CODE, SHEET_DATA,
                                             SHEET_GUIDE, identity_of, read_identity)
from jikubata.adapters.styles import (ACCENT, COMPUTED_FILL, DARK_TEXT, GRID_COLOUR, INPUT_FILL, MUTED, NAVY,
                                      RUPIAH_FORMAT, STATUS_COLOURS, STATUS_LABELS, WHITE)
from jikubata.domain import schema
from jikubata.domain.indonesian import long_date, month_year, timestamp
from jikubata.domain.model import (WIT, Dataset, Employee, Office, Period, Status, Tier, is_obliged,
                                   office_index, office_key, registered_only)
from jikubata.domain.model import column_letter as _letter
from jikubata.domain.parse import MAX_AMOUNT, nip_and_name, printable

FORM_VERSION = "1"
FILE_PREFIX = "Formulir-Belanja-"
SHEET_PURCHASES = schema.PURCHASES.name   # read by the ordinary purchase reader

# The Belanja sheet: title rows, the header on row HEADER_ROW, input rows below it.
HEADER_ROW = 4            # 1-based
FIRST_ROW = HEADER_ROW + 1
MIN_ROWS = 100            # rows whose name, position and minimum fill themselves in
ROWS_PER_PERSON = 4
MAX_ROWS = 10_000
# Input columns are open to the bottom of the sheet (their format is the column's); drop-downs, checks and
# the live status cover the rows down to this one.
LAST_INPUT_ROW = 20_000
AUTO = "(otomatis)"       # computed columns say so, and no purchase column matches their headers


@dataclass(frozen=True)
class _Column:
    header: str
    key: str          # the schema key of an input column, or "name"/"position"/"minimum" for a computed one
    width: float
    computed: bool = False


COLUMNS = (
    _Column("Tanggal", "date", 13),
    _Column("NIP", "nip", 38),       # holds the choice `NIP — Nama`
    _Column(f"Nama {AUTO}", "name", 28, True),
    _Column(f"Jabatan {AUTO}", "position", 30, True),
    _Column(f"Minimum {AUTO}", "minimum", 15, True),
    _Column("UMKM", "seller", 30),
    _Column("Produk", "product", 24),
    _Column("Jumlah (Rp)", "amount", 14),
    _Column("No. Nota", "receipt", 16),
    _Column("Keterangan", "note", 24),
)
_COL = {c.key: i for i, c in enumerate(COLUMNS)}

# Workbook names behind the drop-downs and formulas (Excel 2010+, LibreOffice and Google Sheets all keep them).
N_NIP, N_NAME, N_POSITION, N_MINIMUM, N_SELLERS = "DaftarNIP", "DaftarNama", "DaftarJabatan", "DaftarMinimum", \
    "DaftarUMKM"
N_CHOICES = "DaftarPilihanNIP"   # the drop-down: `NIP — Nama`, one per person, beside DaftarNIP
NIP_LENGTH = 18                  # the formulas look a choice up by its first 18 characters
N_FIRST, N_LAST = "AwalPeriode", "AkhirPeriode"
N_DATES, N_NIPS, N_AMOUNTS = "KolomTanggal", "KolomNIP", "KolomJumlah"
UNKNOWN_NIP = "NIP tidak ada di daftar"
SHORT, MET = STATUS_LABELS[Status.KURANG], STATUS_LABELS[Status.MEMENUHI]   # as every report says them

_TIER_ORDER = {t: i for i, t in enumerate(Tier)}
_GUIDE_WIDTHS = (5, 21, 28, 36, 13, 13, 13, 11)   # No, NIP, Nama, Jabatan, Minimum, Belanja, Kekurangan, Status
_STEP_LINE = 160                                  # characters a merged step row holds on one line
_MINOR_WORDS = {"dan", "atau", "di", "ke", "dari", "untuk", "pada", "serta"}


# ---------------------------------------------------------------- what to write


@dataclass
class OfficeForm:
    """One OPD's form: the office, its obliged staff for the period, and where it goes."""

    office: Office
    staff: list[Employee]
    file_name: str


@dataclass
class FormsOutcome:
    folder: Path
    period: Period
    written: list[tuple[OfficeForm, Path]] = field(default_factory=list)
    kept: list[tuple[OfficeForm, Path]] = field(default_factory=list)    # filled forms never overwritten
    without_staff: list[str] = field(default_factory=list)              # offices with nobody obliged
    roster_problems: int = 0                                            # roster rows left out of every form

    def summary_text(self, detail: bool = True) -> str:
        """What was written, for the terminal (`detail`: one line per form) or a message box."""
        period = month_year(self.period.year, self.period.month)
        lines = [f"{len(self.written)} formulir OPD periode {period} ditulis ke {self.folder}."]
        if detail:
            lines += [f"  {path.name}: {form.office.name}, {len(form.staff)} pegawai wajib"
                      for form, path in self.written]
        for _, path in self.kept:
            lines.append(f"{path.name} tidak ditimpa karena sudah diisi atau disimpan oleh OPD; "
                         "pindahkan dahulu bila memang ingin membuat formulir baru.")
        if self.without_staff:
            lines.append("Tanpa formulir (tidak ada pegawai wajib belanja pada periode ini): "
                         + ", ".join(self.without_staff) + ".")
        if self.roster_problems:
            lines.append(f"Perhatian: {self.roster_problems} masalah data di lembar {schema.EMPLOYEES.name}; "
                         "pegawai pada baris itu tidak masuk formulir (lihat tombol Periksa Data atau "
                         "`jikubata periksa`).")
        if self.written and detail:
            lines.append("Kirim setiap berkas ke admin OPD-nya. Formulir yang kembali cukup disimpan di folder "
                         "data bersama workbook OPD lain, lalu jalankan perhitungan seperti biasa.")
        elif self.written:  # the button: its other buttons read this very folder
            lines.append(f"Kirim setiap berkas ke admin OPD-nya. Simpan formulir yang kembali di folder "
                         f"{self.folder.name} ini (menimpa formulir kosongnya), lalu tekan Hitung Kekurangan: "
                         "tombol membaca folder itu bersama workbook ini.")
        return "\n".join(lines)


def folder_name(period: Period) -> str:
    """The folder the Beranda button writes the forms to, beside the workbook."""
    return f"Formulir-{period}"


def plan_forms(dataset: Dataset, period: Period) -> tuple[list[OfficeForm], list[str]]:
    """Which forms to write: every OPD (OPD sheet order, then offices known only from the roster) with
    at least one employee obliged in `period`; and the names of the offices left without one."""
    offices: dict[str, Office] = {}
    for o in dataset.offices:
        offices.setdefault(office_key(o.name), o)
    records = office_index(dataset.offices)
    staff: dict[str, list[Employee]] = {k: [] for k in offices}
    for e in dataset.employees:
        key = office_key(e.office)
        key = office_key(records[key].name) if key in records else key
        if key not in offices:
            offices[key] = Office(name=" ".join(e.office.split()))
            staff[key] = []
        if is_obliged(e, period, dataset.settings):
            staff[key].append(e)
    forms, empty, used = [], [], set()
    for key, office in offices.items():
        people = sorted(staff[key], key=lambda e: (_TIER_ORDER[e.tier], e.name.casefold(), e.nip))
        if not people:
            empty.append(office.name)
            continue
        forms.append(OfficeForm(office, people, _file_name(office, period, used)))
    return forms, empty


def _file_name(office: Office, period: Period, used: set) -> str:
    base = _slug(office.abbreviation)[:40].strip("-") or _slug(office.name)[:40].strip("-") or "OPD"
    name, n = f"{FILE_PREFIX}{base}-{period}.xlsx", 2
    while name.casefold() in used:
        name, n = f"{FILE_PREFIX}{base}-{n}-{period}.xlsx", n + 1
    used.add(name.casefold())
    return name


def _proper(text: str) -> str:
    """`DINAS PERINDUSTRIAN DAN PERDAGANGAN` (a letterhead line) -> `Dinas Perindustrian dan Perdagangan`."""
    if not text.isupper():
        return text
    words = text.title().split(" ")
    return " ".join(w.lower() if i and w.lower() in _MINOR_WORDS else w for i, w in enumerate(words))


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "-", text).strip("-")


# ---------------------------------------------------------------- writing


def write_forms(dataset: Dataset, period: Period, folder: os.PathLike | str,
                generated_at: dt.datetime) -> FormsOutcome:
    """Write one form per OPD into `folder` (atomically); a form an office already filled is never replaced."""
    folder = Path(folder)
    generated_at = generated_at.astimezone(WIT).replace(microsecond=0)
    forms, empty = plan_forms(dataset, period)
    roster = schema.EMPLOYEES.name.casefold()
    outcome = FormsOutcome(folder, period, without_staff=empty,
                           roster_problems=sum(p.place.sheet.casefold() == roster for p in dataset.problems))
    sellers = sorted({" ".join(s.name.split()): None for s in dataset.sellers if s.name.strip()}, key=str.casefold)
    strict_sellers = registered_only(dataset) and bool(sellers)
    issuer = _proper(dataset.settings.issuing_office)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for form in forms:
            path = folder / form.file_name
            if path.exists() and not _replaceable(path):
                outcome.kept.append((form, path))
                continue
            with atomic_path(path) as tmp:
                _FormWriter(tmp, form, period, generated_at, dataset, sellers, strict_sellers, issuer).write()
            outcome.written.append((form, path))
    except OSError as exc:
        raise unwritable(exc, folder) from None
    return outcome


def _replaceable(path: Path) -> bool:
    """Only a blank form of ours (nobody saved it since it was generated) may be overwritten."""
    identity = read_identity(path)
    return identity is not None and identity.pristine


def identity_properties(office: Office, period: Period, generated_at: dt.datetime) -> dict[str, str]:
    return {PROP_KIND: KIND, PROP_OFFICE: _property_text(office.name),
            PROP_ABBREVIATION: _property_text(office.abbreviation), PROP_PERIOD: str(period),
            PROP_VERSION: FORM_VERSION, PROP_GENERATED: generated_at.isoformat()}


def _property_text(text: str) -> str:
    """A document property holds one line of at most 255 printable characters (what Excel accepts)."""
    return " ".join(printable(text).split())[:255]


class _FormWriter:
    def __init__(self, path: Path, form: OfficeForm, period: Period, generated_at: dt.datetime, dataset: Dataset,
                 sellers: list[str], strict_sellers: bool, issuer: str):
        import xlsxwriter

        self.form, self.period, self.generated_at = form, period, generated_at
        self.settings = dataset.settings
        self.sellers, self.strict_sellers, self.issuer = sellers, strict_sellers, issuer
        self.rows = min(MAX_ROWS, max(MIN_ROWS, ROWS_PER_PERSON * len(form.staff)))
        self.wb = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_numbers": False,
                                                  "strings_to_formulas": False, "strings_to_urls": False})
        office = form.office.name
        self.wb.set_properties({
            "title": _property_text(f"Formulir Belanja Jiku Bata \u2014 {office} \u2014 "
                                    f"{month_year(period.year, period.month)}"),
            "subject": "Formulir belanja wajib ASN pada UMKM Jiku Bata",
            "author": "Pemerintah Kota Ambon", "company": "Pemerintah Kota Ambon",
            "comments": "Dibuat dengan `jikubata formulir`. Isi lembar Belanja; jangan ubah nama lembar.",
            # created = modified = the moment of generation: a form saved since then has been filled in
            "created": generated_at.astimezone(dt.timezone.utc),
        })
        for name, value in identity_properties(form.office, period, generated_at).items():
            self.wb.set_custom_property(name, value)
        f = self.wb.add_format
        border = {"border": 1, "border_color": GRID_COLOUR}
        (short_fill, short_font), (met_fill, met_font) = STATUS_COLOURS[SHORT], STATUS_COLOURS[MET]
        self.fmt = {
            "title": f({"bold": True, "font_size": 16, "font_color": NAVY}),
            "subtitle": f({"font_color": MUTED}),
            "header": f({"bold": True, "font_color": WHITE, "bg_color": NAVY, "text_wrap": True,
                         "valign": "vcenter", **border}),
            # Shown with the month's name: what the computer understood, whatever its language and date order.
            "in_date": f({"num_format": "d mmm yyyy", "locked": False, "bg_color": INPUT_FILL, "align": "left",
                          **border}),
            "in_text": f({"num_format": "@", "locked": False, "bg_color": INPUT_FILL, **border}),
            "in_amount": f({"num_format": RUPIAH_FORMAT, "locked": False, "bg_color": INPUT_FILL, **border}),
            "auto": f({"bg_color": COMPUTED_FILL, "font_color": DARK_TEXT, **border}),
            "auto_rupiah": f({"num_format": RUPIAH_FORMAT, "bg_color": COMPUTED_FILL, **border}),
            "text": f({"num_format": "@"}),
            "rupiah": f({"num_format": RUPIAH_FORMAT}),
            "date": f({"num_format": "dd/mm/yyyy", "align": "left"}),
            "label": f({"bold": True, "valign": "top"}),
            "value": f({"valign": "top", "text_wrap": True}),
            "section": f({"bold": True, "font_size": 12, "font_color": NAVY, "bottom": 2, "bottom_color": ACCENT}),
            "step_no": f({"bold": True, "font_color": WHITE, "bg_color": ACCENT, "align": "center",
                          "valign": "top"}),
            "step": f({"text_wrap": True, "valign": "top"}),
            "note": f({"italic": True, "font_color": MUTED, "text_wrap": True, "valign": "top"}),
            "cell": f({**border}),
            "cell_text": f({"num_format": "@", **border}),
            "cell_rupiah": f({"num_format": RUPIAH_FORMAT, **border}),
            "total": f({"bold": True, "top": 1}),
            "short": f({"bold": True, "font_color": short_font, "bg_color": short_fill}),
            "met": f({"bold": True, "font_color": met_font, "bg_color": met_fill}),
            "unknown": f({"italic": True, "font_color": short_font}),
            "plain": f({"bg_color": WHITE}),  # a cell of its own format: not the column's input style
        }

    def write(self) -> None:
        sheet = _worksheet_class()
        guide = self.wb.add_worksheet(SHEET_GUIDE, worksheet_class=sheet)
        purchases = self.wb.add_worksheet(SHEET_PURCHASES, worksheet_class=sheet)
        data = self.wb.add_worksheet(SHEET_DATA, worksheet_class=sheet)
        self._data(data)
        self._purchases(purchases)
        self._guide(guide)
        guide.activate()
        self.wb.close()

    # ------------------------------------------------------------ hidden data sheet

    def _data(self, ws) -> None:
        """Identity (A:B), the staff list (D:G), the drop-down's choices (H) and the sellers (I), with the
        names the formulas use."""
        fmt = self.fmt
        for i, (prop, label) in enumerate(IDENTITY_LABELS):
            ws.write_string(i, 0, label, fmt["label"])
            ws.write_string(i, 1, identity_properties(self.form.office, self.period, self.generated_at)[prop],
                            fmt["text"])
        row = len(IDENTITY_LABELS) + 1
        ws.write_string(row, 0, "Awal Periode", fmt["label"])
        ws.write_datetime(row, 1, dt.datetime.combine(self.period.first_day, dt.time()), fmt["date"])
        ws.write_string(row + 1, 0, "Akhir Periode", fmt["label"])
        ws.write_datetime(row + 1, 1, dt.datetime.combine(self.period.last_day, dt.time()), fmt["date"])
        self.wb.define_name(N_FIRST, f"='{SHEET_DATA}'!$B${row + 1}")
        self.wb.define_name(N_LAST, f"='{SHEET_DATA}'!$B${row + 2}")

        ws.write_row(0, 3, ["NIP", "Nama", "Jabatan", "Minimum", "Pilihan NIP"], fmt["label"])
        for i, e in enumerate(self.form.staff, 1):
            ws.write_string(i, 3, e.nip, fmt["text"])
            ws.write_string(i, 4, e.name)
            ws.write_string(i, 5, e.position)
            ws.write_number(i, 6, self.settings.minimums[e.tier], fmt["rupiah"])
            ws.write_string(i, 7, nip_and_name(e.nip, e.name), fmt["text"])
        last = len(self.form.staff) + 1
        for name, letter in ((N_NIP, "D"), (N_NAME, "E"), (N_POSITION, "F"), (N_MINIMUM, "G"), (N_CHOICES, "H")):
            self.wb.define_name(name, f"='{SHEET_DATA}'!${letter}$2:${letter}${last}")
        ws.write_string(0, 8, "UMKM", fmt["label"])
        for i, seller in enumerate(self.sellers, 1):
            ws.write_string(i, 8, seller)
        if self.sellers:
            self.wb.define_name(N_SELLERS, f"='{SHEET_DATA}'!$I$2:$I${len(self.sellers) + 1}")
        ws.set_column(0, 0, 16)
        ws.set_column(1, 1, 30)
        ws.set_column(3, 3, 21)
        ws.set_column(4, 5, 30)
        ws.set_column(6, 6, 12)
        ws.set_column(7, 7, 48)
        ws.set_column(8, 8, 32)
        ws.protect("", {"select_locked_cells": True})
        ws.hide()

    # ------------------------------------------------------------ Belanja

    def _purchases(self, ws) -> None:
        fmt, period_text = self.fmt, month_year(self.period.year, self.period.month)
        top, first, last = HEADER_ROW - 1, FIRST_ROW - 1, FIRST_ROW - 1 + self.rows - 1  # 0-based rows
        # An input column is unlocked and yellow as a whole (the column's format), so a long month never
        # runs out of rows and the file stays small; the rows above the header are locked cell by cell.
        inputs = {"date": fmt["in_date"], "nip": fmt["in_text"], "seller": fmt["in_text"],
                  "product": fmt["in_text"], "amount": fmt["in_amount"], "receipt": fmt["in_text"],
                  "note": fmt["in_text"]}
        for j, c in enumerate(COLUMNS):
            ws.set_column(j, j, c.width, fmt["auto"] if c.computed else inputs[c.key])
            for r in range(top):
                ws.write_blank(r, j, None, fmt["plain"])
            ws.write_string(top, j, c.header, fmt["header"])
        ws.write_string(0, 0, f"Formulir Belanja Jiku Bata \u2014 {self.form.office.name}", fmt["title"])
        ws.write_string(1, 0, f"Periode {period_text} \u00b7 isi hanya sel berwarna kuning; kolom {AUTO} "
                              f"terisi sendiri \u00b7 petunjuk di lembar {SHEET_GUIDE}", fmt["subtitle"])
        ws.set_row(top, 30)
        ref = {k: f"${_letter(j)}${FIRST_ROW}:${_letter(j)}${LAST_INPUT_ROW}" for k, j in _COL.items()}
        for name, key in ((N_DATES, "date"), (N_NIPS, "nip"), (N_AMOUNTS, "amount")):
            self.wb.define_name(name, f"='{SHEET_PURCHASES}'!{ref[key]}")
        nip = _letter(_COL["nip"])
        lookups = [(j, c.key, *{"name": (N_NAME, f'"{UNKNOWN_NIP}"'), "position": (N_POSITION, '""'),
                                "minimum": (N_MINIMUM, '""')}[c.key]) for j, c in enumerate(COLUMNS) if c.computed]
        for r in range(first, last + 1):
            excel_row = r + 1
            for j, key, names, missing in lookups:
                # IFERROR/INDEX/MATCH: the same result in Excel 2010+, LibreOffice and Google Sheets. LEFT:
                # the NIP of a choice `NIP — Nama`, and a bare NIP as it is.
                ws.write_formula(r, j, f'=IF(${nip}{excel_row}="","",IFERROR(INDEX({names},'
                                       f'MATCH(LEFT(${nip}{excel_row},{NIP_LENGTH}),{N_NIP},0)),{missing}))',
                                 fmt["auto_rupiah"] if key == "minimum" else fmt["auto"], "")
        self._validations(ws, first, LAST_INPUT_ROW - 1, period_text)
        name_col = _COL["name"]
        ws.conditional_format(first, name_col, last, name_col, {
            "type": "cell", "criteria": "==", "value": f'"{UNKNOWN_NIP}"', "format": fmt["unknown"]})
        ws.freeze_panes(HEADER_ROW, 0)
        ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True})
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(top)
        ws.print_area(0, 0, last, len(COLUMNS) - 1)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)

    def _validations(self, ws, first: int, last: int, period_text: str) -> None:
        def column(key: str, rule: dict) -> None:
            j = _COL[key]
            ws.data_validation(first, j, last, j, rule)

        column("date", {
            "validate": "date", "criteria": "between",
            "minimum": dt.datetime.combine(self.period.first_day, dt.time()),
            "maximum": dt.datetime.combine(self.period.last_day, dt.time()),
            "input_title": "Tanggal belanja",
            "input_message": f"Tanggal di bulan {period_text}. Ketik misalnya {self.period.first_day:%Y-%m}-05 "
                             f"(tahun-bulan-tanggal, terbaca di komputer berbahasa apa pun); sel lalu menampilkan "
                             f"tanggalnya dengan nama bulan.",
            "error_title": "Tanggal di luar periode",
            "error_message": f"Formulir ini untuk {period_text}: tanggal {long_date(self.period.first_day)} sampai "
                             f"{long_date(self.period.last_day)}. Ketik tahun-bulan-tanggal, misalnya "
                             f"{self.period.first_day:%Y-%m}-05."})
        column("nip", {
            "validate": "list", "source": f"={N_CHOICES}",
            "input_title": "NIP", "input_message": "Pilih pegawai dari daftar (NIP \u2014 Nama); nama, jabatan "
                                                   "dan minimum muncul sendiri.",
            "error_title": "NIP tidak ada di daftar",
            "error_message": "Pilih pegawai dari daftar (NIP \u2014 Nama) pegawai wajib OPD ini (lihat lembar "
                             "Petunjuk). Bila pegawai belum ada, hubungi admin Jiku Bata."})
        if self.sellers:
            column("seller", {
                "validate": "list", "source": f"={N_SELLERS}", "error_type": "stop" if self.strict_sellers
                else "warning",
                "input_title": "UMKM", "input_message": "Pilih UMKM Jiku Bata dari daftar.",
                "error_title": "UMKM tidak terdaftar",
                "error_message": "Hanya belanja pada UMKM terdaftar yang dihitung. Pilih dari daftar."
                if self.strict_sellers else "UMKM ini tidak ada di daftar UMKM Jiku Bata. Tetap simpan?"})
        column("amount", {
            "validate": "integer", "criteria": "between", "minimum": 1, "maximum": MAX_AMOUNT - 1,
            "input_title": "Jumlah (Rp)", "input_message": "Ketik angka saja, misalnya 20000 (tanpa Rp, titik atau -).",
            "error_title": "Jumlah tidak valid",
            "error_message": "Isi jumlah rupiah berupa bilangan bulat lebih dari nol, tanpa titik (misalnya 25000)."})
        seller, receipt = _letter(_COL["seller"]), _letter(_COL["receipt"])
        span = lambda letter: f"${letter}${FIRST_ROW}:${letter}${LAST_INPUT_ROW}"  # noqa: E731
        column("receipt", {
            "validate": "custom",
            "value": f"=COUNTIFS({span(seller)},{seller}{FIRST_ROW},{span(receipt)},{receipt}{FIRST_ROW})<=1",
            "error_type": "warning", "input_title": "No. Nota", "input_message": "Nomor pada nota dari UMKM.",
            "error_title": "No. Nota ganda",
            "error_message": "Nomor nota ini sudah dicatat untuk UMKM yang sama. Nota yang sama hanya dihitung "
                             "sekali. Tetap simpan?"})

    # ------------------------------------------------------------ Petunjuk

    def _guide(self, ws) -> None:
        fmt, office = self.fmt, self.form.office
        period_text = month_year(self.period.year, self.period.month)
        ws.hide_gridlines(2)
        for j, w in enumerate(_GUIDE_WIDTHS):
            ws.set_column(j, j, w)
        ws.write_string(0, 0, "Formulir Belanja Jiku Bata", fmt["title"])
        ws.write_string(1, 0, "Belanja wajib ASN pada UMKM di Jiku Bata (Sudut Balai Kota) \u00b7 "
                              f"{_proper(self.settings.government)}", fmt["subtitle"])
        facts = [("OPD", office.name), ("Periode", period_text), ("Versi formulir", FORM_VERSION),
                 ("Dibuat pada", timestamp(self.generated_at))]
        for i, (label, value) in enumerate(facts):
            ws.merge_range(3 + i, 0, 3 + i, 1, label, fmt["label"])
            ws.merge_range(3 + i, 2, 3 + i, 5, value, fmt["value"])
        row = 8
        row = self._steps(ws, row, "Cara mengisi", [
            f"Buka lembar {SHEET_PURCHASES}. Isi satu baris untuk setiap nota belanja di Jiku Bata pada bulan "
            f"{period_text}.",
            "Di kolom NIP, pilih pegawai dari daftar (klik sel, lalu tanda panah di sebelahnya): setiap "
            "pilihan berisi NIP dan nama, misalnya 198001012010012001 \u2014 Ani Latuconsina. Nama, jabatan "
            "dan minimum belanja muncul sendiri.",
            f"Pilih UMKM dari daftar. Isi tanggal ({long_date(self.period.first_day)} sampai "
            f"{long_date(self.period.last_day)}; ketik tahun-bulan-tanggal, misalnya "
            f"{self.period.first_day:%Y-%m}-05, agar terbaca benar di komputer berbahasa apa pun), jumlah: "
            "ketik angka saja, misalnya 20000 (tanpa Rp, titik atau tanda -), dan nomor nota.",
            "Hanya sel berwarna kuning yang dapat diisi. Lembar dikunci tanpa kata sandi agar rumus tidak "
            "terhapus tanpa sengaja.",
            "Periksa tabel di bawah: pegawai berstatus Kurang belum mencapai minimum belanja bulan ini.",
        ])
        row = self._steps(ws, row + 1, "Cara mengirim", [
            "Simpan berkas ini sebagai .xlsx tanpa mengubah nama lembar, lalu kirim ke admin Jiku Bata di "
            f"{self.issuer}.",
            "Ada belanja tambahan sesudah mengirim? Tambahkan di berkas yang sama lalu kirim lagi. Berkas yang "
            "terakhir disimpan menggantikan kiriman sebelumnya seluruhnya, jadi jangan membagi satu bulan "
            "ke dua berkas.",
        ])
        row += 1
        ws.set_row(row, 22)
        ws.write_string(row, 0, f"Status belanja per pegawai \u2014 {period_text}", fmt["section"])
        for j in range(1, 8):
            ws.write_blank(row, j, None, fmt["section"])
        row += 1
        ws.write_row(row, 0, ["No", "NIP", "Nama", "Jabatan", "Minimum", "Belanja", "Kekurangan", "Status"],
                     fmt["header"])
        first = row + 1
        for i, e in enumerate(self.form.staff):
            r, excel_row = first + i, first + i + 1
            minimum = self.settings.minimums[e.tier]
            ws.write_number(r, 0, i + 1, fmt["cell"])
            ws.write_string(r, 1, e.nip, fmt["cell_text"])
            ws.write_string(r, 2, e.name, fmt["cell"])
            ws.write_string(r, 3, e.position, fmt["cell"])
            ws.write_number(r, 4, minimum, fmt["cell_rupiah"])
            # SUMIFS compares text that looks like a number as a number (15 digits), so two NIPs that
            # differ only in their last digits would be added together; the wildcard keeps it a text match.
            ws.write_formula(r, 5, f'=SUMIFS({N_AMOUNTS},{N_NIPS},B{excel_row}&"*",{N_DATES},">="&{N_FIRST},'
                                   f'{N_DATES},"<="&{N_LAST})', fmt["cell_rupiah"], 0)
            ws.write_formula(r, 6, f"=MAX(0,E{excel_row}-F{excel_row})", fmt["cell_rupiah"], minimum)
            ws.write_formula(r, 7, f'=IF(F{excel_row}>=E{excel_row},"{MET}","{SHORT}")', fmt["cell"], SHORT)
        end = first + len(self.form.staff) - 1
        ws.conditional_format(first, 7, end, 7, {"type": "cell", "criteria": "==", "value": f'"{SHORT}"',
                                                 "format": fmt["short"]})
        ws.conditional_format(first, 7, end, 7, {"type": "cell", "criteria": "==", "value": f'"{MET}"',
                                                 "format": fmt["met"]})
        total = end + 1
        ws.write_string(total, 2, "Jumlah", fmt["total"])
        ws.write_blank(total, 3, None, fmt["total"])
        for j, letter in ((4, "E"), (5, "F"), (6, "G")):
            cached = 0 if j == 5 else sum(self.settings.minimums[e.tier] for e in self.form.staff)
            ws.write_formula(total, j, f"=SUM({letter}{first + 1}:{letter}{end + 1})", fmt["rupiah"], cached)
        ws.write_formula(total, 7, f'=COUNTIF(H{first + 1}:H{end + 1},"{SHORT}")&" kurang"', fmt["total"],
                         f"{len(self.form.staff)} kurang")
        ws.merge_range(total + 2, 0, total + 3, 7,
                       "Angka di tabel ini dihitung dari isian formulir sebagai gambaran. Perhitungan resmi dibuat "
                       "oleh admin Jiku Bata; misalnya belanja pada UMKM yang tidak terdaftar tidak dihitung.",
                       fmt["note"])
        ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True})
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)

    def _steps(self, ws, row: int, title: str, steps: list[str]) -> int:
        fmt = self.fmt
        ws.set_row(row, 22)
        ws.write_string(row, 0, title, fmt["section"])
        for j in range(1, 8):
            ws.write_blank(row, j, None, fmt["section"])
        for i, text in enumerate(steps, 1):
            r = row + i
            ws.set_row(r, 15 * -(-len(text) // _STEP_LINE) + 3)
            ws.write_number(r, 0, i, fmt["step_no"])
            ws.merge_range(r, 1, r, 7, text, fmt["step"])
        return row + len(steps) + 1


def _worksheet_class():
    """XlsxWriter's worksheet, without its rewriting of formulas for functions newer than Excel 2007.

    The forms use only IF, IFERROR, INDEX, MATCH, SUMIFS, COUNTIFS, COUNTIF,
    MAX and SUM, so there is nothing to rewrite; XlsxWriter's thirty-odd
    pattern substitutions per formula were most of the time of writing a form.
    """
    from xlsxwriter.worksheet import Worksheet

    class PlainFormulas(Worksheet):
        def _prepare_formula(self, formula, expand_future_functions=False):
            return formula[1:] if formula.startswith("=") else formula

    return PlainFormulas
