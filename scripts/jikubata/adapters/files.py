"""Which input files there are, and how each one becomes sheets of rows.

The file layer of the readers: it lists the spreadsheets of the paths given
(README: Format workbook masukan), opens each by what its content is (not only by
its name), refuses hostile files before parsing them, and tells why a file
cannot be read in Indonesian (`UnreadableFile`). What happens to a sheet's
rows is `reader`'s business.

Formats: `.xlsx`, `.xlsm`, `.xls`, `.xlsb`, `.ods` through python-calamine,
and `.csv` (UTF-8 with or without BOM, or Windows-1252; `;`, `,` or tab).
Each file also says when it was last saved (its own properties, else the
file's mtime): a resubmitted file's newer version wins (validation).
"""
from __future__ import annotations

import collections.abc
import contextlib
import csv
import datetime as dt
import html
import io
import logging
import operator
import os
import posixpath
import re
import stat
import sys
import tempfile
import threading
import zipfile
import zlib
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from jikubata.domain import schema
from jikubata.domain.errors import InputError
from jikubata.domain.indonesian import grouped
from jikubata.domain.model import WIT, column_letter

log = logging.getLogger("jikubata.files")

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")
ACCEPTED = ".xlsx/.xlsm/.xls/.xlsb/.ods/.csv"

# Every error value a cell can hold (README: Format berkas).
EXCEL_ERRORS = ("#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!",
                "#GETTING_DATA", "#BLOCKED!", "#FIELD!", "#CONNECT!", "#BUSY!", "#UNKNOWN!")
# What a formula cell saved without its value holds (README: Format berkas).
FORMULA_WITHOUT_VALUE = "rumus"

# Refuse archives that expand beyond this: a real office workbook is far smaller.
MAX_UNCOMPRESSED_BYTES = 1 << 30
MAX_COMPRESSION_RATIO = 200
# A file calamine reads whole (.xls, .xlsb) or a CSV held as text.
MAX_FILE_BYTES = 256 << 20
MAX_CSV_BYTES = 128 << 20


# ---------------------------------------------------------------- what a file becomes


@dataclass
class SheetRows:
    """A sheet's used range: `rows[i][j]` is the cell at (row0 + i, col0 + j), 0-based.

    Error values and formulas saved without a value read as empty cells;
    `note(i, j)` says which an empty cell really is (looked up only when
    asked: the sheet's XML is searched once, on the first question).
    """

    name: str
    rows: list
    row0: int = 0
    col0: int = 0
    notes: Optional[Callable[[], dict]] = field(default=None, repr=False)
    _notes: Optional[dict] = field(default=None, repr=False)
    # merged ranges ((first row, first col), (last row, last col)), absolute, 0-based
    merged: list = field(default_factory=list, repr=False)
    # indices i of `rows` that are an Excel Table's totals row (an .xlsx/.xlsm table with its Total Row shown)
    totals: frozenset = frozenset()
    # indices i of `rows` with a cell that held a NUL byte (CSV): emptied, noted NUL_CELL, the row reported
    nul_rows: frozenset = frozenset()

    def note(self, i: int, j: int) -> Optional[str]:
        """For the empty cell rows[i][j]: its error value (`#N/A`…), FORMULA_WITHOUT_VALUE, or None."""
        if self.notes is None:
            return None
        if self._notes is None:
            try:
                self._notes = self.notes()
            except Exception as exc:  # a note is a better message, never a reason to fail
                log.debug("catatan sel lembar %s tidak dapat dibaca: %r", self.name, exc)
                self._notes = {}
        return self._notes.get((self.row0 + i, self.col0 + j))


@dataclass
class Workbook:
    """One input file, read: its sheets and when it was last saved."""

    name: str                 # file name without folders
    kind: str                 # xlsx, xlsm, xls, xlsb, ods, csv
    saved_at: dt.datetime     # aware; the file's own "last saved" property, else its mtime
    sheets: list[SheetRows]


def shown_name(name: str) -> str:
    """A file name as people see it: bytes that are not UTF-8 (a copy made on another system, which Python
    keeps as lone surrogates) become U+FFFD `�`, so reports, links and JSON can hold it. Opening a file
    always uses its real path; this is only what it is called."""
    if not any("\udc80" <= c <= "\udcff" for c in name):
        return name
    return os.fsencode(name).decode("utf-8", "replace")


class UnreadableFile(InputError):
    """A file that cannot be read: `reason` is the Indonesian reason, `detail` the library's own text
    (for the log and `--debug` only, never for a message)."""

    def __init__(self, file_name: str, reason: str, detail: str = ""):
        file_name = shown_name(file_name)
        super().__init__(f"berkas {file_name}: {reason}")
        self.file_name, self.reason, self.detail = file_name, reason, detail


# The reasons (README: Format berkas), each with what to do about it.
RESAVE = "Buka di Excel lalu simpan ulang sebagai Buku Kerja Excel (.xlsx)"
PASSWORD = ("dilindungi kata sandi, sehingga isinya tidak dapat dibaca. Buka dengan kata sandinya di Excel, "
            "pilih File > Info > Lindungi Buku Kerja > Enkripsi dengan Kata Sandi, kosongkan kata sandi, "
            "lalu simpan (di LibreOffice: Simpan Sebagai tanpa centang 'Simpan dengan kata sandi')")


def _old_format(what: str) -> str:
    return f"format lama yang tidak didukung ({what}). {RESAVE}"


def _corrupt(what: str) -> str:
    return f"rusak, bukan workbook Excel yang valid ({what}). {RESAVE}"


def _not_spreadsheet(what: str) -> str:
    return f"bukan spreadsheet ({what}). Kirim data belanja dalam {ACCEPTED}"


# ---------------------------------------------------------------- which files


@dataclass(frozen=True)
class InputFile:
    path: Path
    named: bool  # named on the command line (an unreadable one stops the run), not found in a folder
    opened_in: str = ""  # "Excel" or "LibreOffice" when its lock file lies beside it: unsaved edits are not read


@dataclass
class Inputs:
    files: list[InputFile]
    ignored: list[str]  # names of other files in the folders, left alone


def list_inputs(paths: Iterable[str | os.PathLike]) -> Inputs:
    """Files as given; folders as their spreadsheets (not recursing, skipping `~$` lock files, hidden
    files and our own outputs; any other file is listed as ignored)."""
    files: list[InputFile] = []
    ignored: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = []
            entries = sorted(path.iterdir())
            opened = _opened_elsewhere(p.name for p in entries)
            for p in entries:
                if not p.is_file() or p.name.startswith(("~$", ".")) or _hidden(p) \
                        or p.name.startswith(schema.OUTPUT_FILE_PREFIXES):
                    continue
                if p.suffix.lower() in SPREADSHEET_SUFFIXES:
                    found.append(InputFile(p, named=False, opened_in=opened.get(p.name.casefold(), "")))
                else:
                    ignored.append(shown_name(p.name))
            if not found:
                raise InputError(f"folder {path} tidak berisi spreadsheet ({ACCEPTED})")
            files.extend(found)
        elif path.is_file():
            if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
                raise InputError(f"berkas {path.name}: bukan spreadsheet yang dapat dibaca (gunakan {ACCEPTED})")
            locks = [n for n in (f"~${path.name}", f".~lock.{path.name}#") if (path.parent / n).is_file()]
            files.append(InputFile(path, named=True, opened_in=_opened_elsewhere(locks).get(path.name.casefold(), "")))
        elif not path.suffix or str(raw).endswith(("/", os.sep)):
            # `data/`, `dataa`: a name without a file type is a folder the user meant
            raise InputError(f"folder {path} tidak ditemukan")
        else:
            raise InputError(f"berkas {path} tidak ditemukan")
    # The same file named twice would count its purchases twice.
    unique: dict[Path, InputFile] = {}
    for f in files:
        key = f.path.resolve()
        if key not in unique or f.named:
            unique[key] = InputFile(key, f.named, f.opened_in)
    return Inputs(list(unique.values()), ignored)


def _opened_elsewhere(names: Iterable[str]) -> dict[str, str]:
    """{file name (casefolded): program} for the lock files among `names`: Excel's `~$name.xlsx` and
    LibreOffice's `.~lock.name.xlsx#`, left beside a workbook while it is open."""
    opened = {}
    for name in names:
        if name.startswith("~$") and len(name) > 2:
            opened[name[2:].casefold()] = "Excel"
        elif name.startswith(".~lock.") and name.endswith("#") and len(name) > 8:
            opened[name[7:-1].casefold()] = "LibreOffice"
    return opened


def _hidden(path: Path) -> bool:
    """Hidden on Windows (the attribute); on other systems a leading dot, checked by the caller."""
    attributes = getattr(os.stat(path), "st_file_attributes", 0)
    return bool(attributes & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))


# ---------------------------------------------------------------- opening a file

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# BOF records of the BIFF2–4 formats (Excel 2.x–4.0), stored without a compound file.
_RAW_BIFF = (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08")


def open_file(path: Path) -> Workbook:
    """Read `path` into sheets of rows; raise UnreadableFile (an InputError) naming the reason."""
    name = path.name
    try:
        with open(path, "rb") as f:
            head = f.read(8)
        if path.suffix.lower() == ".csv" and not head.startswith((_CFB, _ZIP)):
            return _read_csv(path)
        if head.startswith(_ZIP):
            return _read_zip(path)
        if head.startswith(_CFB):
            return _read_compound(path)
        raise UnreadableFile(name, _unknown_content(path, head))
    except UnreadableFile:
        raise
    except InputError as exc:  # a hostile-file refusal: keep its message, make it a reason
        raise UnreadableFile(name, str(exc).removeprefix(f"berkas {name}").lstrip(":, ")) from None
    except MemoryError:
        raise UnreadableFile(name, "terlalu besar untuk dibaca dengan memori yang tersedia") from None
    except OSError as exc:
        raise UnreadableFile(name, f"tidak dapat dibuka ({exc.strerror or 'galat sistem berkas'})",
                             repr(exc)) from None


def _unknown_content(path: Path, head: bytes) -> str:
    """Why a file that is neither a zip nor a compound file cannot be read."""
    if not head:
        return _corrupt("berkas kosong, 0 byte")
    if head[:2] in _RAW_BIFF:
        return _old_format("Excel 4.0 atau lebih lama")
    with open(path, "rb") as f:
        start = f.read(4096)
    text = start.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in start.lower():
        return _old_format("Lembar Kerja XML 2003")
    if text.startswith((b"<html", b"<!doctype", b"<table", b"<meta")) or b"<html" in text:
        return (f"bukan spreadsheet: isinya halaman web yang diberi nama {path.suffix.lower()} (sebenarnya "
                f"CSV/HTML, bukan workbook Excel yang valid). {RESAVE}")
    if b"\x00" not in start:
        return ("bukan workbook Excel yang valid: isinya teks biasa (sebenarnya CSV/HTML yang diberi nama "
                f"{path.suffix.lower()}). Bila isinya CSV, ganti akhiran namanya menjadi .csv; bila bukan, "
                f"{RESAVE[0].lower()}{RESAVE[1:]}")
    return _corrupt("isinya tidak dikenali")


def saved_or_mtime(path: Path, saved: Optional[dt.datetime]) -> dt.datetime:
    if saved is not None:
        return saved
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc)


# ---------------------------------------------------------------- zip: xlsx, xlsm, xlsb, ods


def _read_zip(path: Path) -> Workbook:
    name = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.NameToInfo)
            if "mimetype" in names and zf.read("mimetype")[:80].strip() == b"application/vnd.oasis.opendocument.spreadsheet":
                _check_archive(path, zf, sheets=False)
                if b"encryption-data" in _small(zf, "META-INF/manifest.xml"):
                    raise UnreadableFile(name, PASSWORD)
                kind, saved = "ods", ods_saved(_small(zf, "meta.xml"))
            elif "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                binary = "xl/workbook.bin" in names
                _check_archive(path, zf, sheets=not binary)
                kind = "xlsb" if binary else ("xlsm" if path.suffix.lower() == ".xlsm" else "xlsx")
                saved = ooxml_saved(_small(zf, "docProps/core.xml"))
            elif "word/document.xml" in names or "ppt/presentation.xml" in names:
                raise UnreadableFile(name, _not_spreadsheet("dokumen Word/PowerPoint"))
            elif "mimetype" in names:
                raise UnreadableFile(name, _not_spreadsheet("dokumen OpenDocument yang bukan lembar kerja"))
            elif "[Content_Types].xml" in names:
                raise UnreadableFile(name, _corrupt("bagian xl/workbook.xml tidak ada"))
            else:
                raise UnreadableFile(name, _not_spreadsheet("arsip zip biasa"))
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(name, _corrupt("arsip zip-nya terpotong atau rusak"), repr(exc)) from None
    except (EOFError, zlib.error, NotImplementedError, RuntimeError, ValueError) as exc:
        raise UnreadableFile(name, _corrupt("isi arsip zip-nya rusak"), repr(exc)) from None
    sheets = _calamine_sheets(path, kind)
    return Workbook(name, kind, saved_or_mtime(path, saved), sheets)


def _small(zf: zipfile.ZipFile, part: str) -> bytes:
    info = zf.NameToInfo.get(part)
    return zf.read(info) if info is not None and info.file_size < (1 << 20) else b""


_CORE_MODIFIED = re.compile(rb"<(?:\w+:)?modified\b[^>]*>\s*([^<\s]+)\s*<")
_ODS_DATE = re.compile(rb"<dc:date>\s*([^<\s]+)\s*<")


def _timestamp(text: bytes, naive_zone: dt.tzinfo) -> Optional[dt.datetime]:
    """An ISO 8601 time as written in document properties; naive ones are in `naive_zone`."""
    raw = text.decode("ascii", "replace").strip()
    m = re.match(r"^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d(?::\d\d)?)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?$", raw)
    if not m:
        return None
    zone = m.group(3) or ""
    if zone == "Z":
        zone = "+00:00"
    elif zone and ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    try:
        value = dt.datetime.fromisoformat(f"{m.group(1)}T{m.group(2)}{zone}")
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=naive_zone)
    return value.astimezone(dt.timezone.utc) if value.year >= 1990 else None


def ooxml_saved(core: bytes) -> Optional[dt.datetime]:
    """The last-saved time in an OOXML workbook's `docProps/core.xml` (its bytes), or None."""
    m = _CORE_MODIFIED.search(core)
    return _timestamp(m.group(1), dt.timezone.utc) if m else None


def ods_saved(meta: bytes) -> Optional[dt.datetime]:
    """The last-saved time in an .ods `meta.xml` (its bytes), or None.

    LibreOffice writes the local time of the machine that saved, without a
    zone: it is read as WIT (UTC+9, no daylight saving: `domain.model.WIT`), the
    time of the offices' computers (README: *Formulir isian OPD*).
    """
    m = _ODS_DATE.search(meta)
    return _timestamp(m.group(1), WIT) if m else None


# ---------------------------------------------------------------- compound files: xls, encrypted OOXML


def _read_compound(path: Path) -> Workbook:
    import olefile

    name = path.name
    if path.stat().st_size > MAX_FILE_BYTES:
        raise UnreadableFile(name, f"terlalu besar untuk dibaca ({path.stat().st_size >> 20} MiB)")
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(s).casefold() for s in ole.listdir(streams=True, storages=False)}
            if "encryptedpackage" in streams or "encryptioninfo" in streams:
                raise UnreadableFile(name, PASSWORD)
            # Excel 97–2003 (BIFF8) keeps its sheets in `Workbook`, Excel 5.0/95 (BIFF5/7) in `Book`
            stream = "Workbook" if "workbook" in streams else "Book" if "book" in streams else None
            if stream is None:
                if "worddocument" in streams:
                    raise UnreadableFile(name, _not_spreadsheet("dokumen Word"))
                raise UnreadableFile(name, _not_spreadsheet("berkas Office yang bukan workbook Excel"))
            records = ole.openstream(stream).read()
            if _biff_encrypted(records[:4096]):
                raise UnreadableFile(name, PASSWORD)
            if not _biff_sheets_inside(records):
                raise UnreadableFile(name, _corrupt("daftar lembarnya menunjuk ke luar isi berkas"))
            del records
            saved = None
            if ole.exists("\x05SummaryInformation"):
                meta = ole.get_metadata()
                when = meta.last_saved_time
                if isinstance(when, dt.datetime) and when.year >= 1990:
                    saved = when.replace(tzinfo=dt.timezone.utc)
    except UnreadableFile:
        raise
    except Exception as exc:  # olefile's errors on a damaged compound file
        raise UnreadableFile(name, _corrupt("struktur berkas Office-nya rusak"), repr(exc)) from None
    try:
        sheets = _calamine_sheets(path, "xls")
    except UnreadableFile as exc:
        if stream == "Book" and exc.reason != PASSWORD:  # calamine reads most Excel 95 files, not all
            raise UnreadableFile(name, _old_format("Excel 5.0/95"), exc.detail) from None
        raise
    return Workbook(name, "xls", saved_or_mtime(path, saved), sheets)


def _biff_encrypted(stream: bytes) -> bool:
    """Whether the workbook globals carry a FILEPASS record (0x002F) before their first sheet data."""
    at = 0
    while at + 4 <= len(stream):
        kind, size = int.from_bytes(stream[at:at + 2], "little"), int.from_bytes(stream[at + 2:at + 4], "little")
        if kind == 0x002F:
            return True
        if kind in (0x0085, 0x000A):  # BOUNDSHEET or EOF: past where FILEPASS must be
            return False
        at += 4 + size
    return False


def _biff_sheets_inside(stream: bytes) -> bool:
    """Whether every sheet the workbook globals list (BOUNDSHEET) starts with a BOF record inside the
    stream: calamine 0.9.1 panics on one that points outside it."""
    at = 0
    while at + 4 <= len(stream):
        kind, size = int.from_bytes(stream[at:at + 2], "little"), int.from_bytes(stream[at + 2:at + 4], "little")
        if kind == 0x0085:
            if size < 4:
                return False
            offset = int.from_bytes(stream[at + 4:at + 8], "little")
            if offset + 8 > len(stream) or stream[offset:offset + 2] not in (b"\x09\x08", b"\x09\x04",
                                                                              b"\x09\x02", b"\x09\x00"):
                return False
        if kind == 0x000A:
            return True
        at += 4 + size
    return True


def _library_failure(exc: BaseException) -> bool:
    """An error of a parsing library: an Exception, or a Rust panic (pyo3's PanicException is a
    BaseException), never an interrupt or an exit."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


# ---------------------------------------------------------------- calamine


def _calamine_sheets(path: Path, kind: str) -> list[SheetRows]:
    with rust_panics_to_log():
        return _calamine_sheets_quietly(path, kind)


# calamine is Rust: on a damaged file it may panic, and Rust's panic hook writes "thread '<unnamed>'
# panicked at …" straight to file descriptor 2, before Python turns the panic into an exception (which
# we report in Indonesian). While calamine reads, descriptor 2 goes to a temporary file; afterwards the
# panic text goes to the log, anything else written meanwhile (a progress line) to the real stderr.
_quiet = threading.Lock()
_quiet_depth = 0
_quiet_state: Optional[tuple[int, object]] = None      # (saved fd 2, capture file)
_PANIC_START = re.compile(r"^thread '.*?'(?: \(\d+\))? panicked at ")
_PANIC_END = re.compile(r"^note: .*RUST_BACKTRACE")    # the panic's last line, with or without a backtrace


@contextlib.contextmanager
def rust_panics_to_log():
    """Hold Rust's panic text (written to fd 2) away from the screen while calamine reads; log it."""
    global _quiet_depth, _quiet_state
    with _quiet:
        if _quiet_depth == 0:
            try:
                sys.stderr.flush()
                capture = tempfile.TemporaryFile()
                saved = os.dup(2)
                os.dup2(capture.fileno(), 2)
                _quiet_state = (saved, capture)
            except (OSError, ValueError, AttributeError):   # no fd 2 (a GUI host): nothing to hide from
                _quiet_state = None
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet:
            _quiet_depth -= 1
            if _quiet_depth == 0 and _quiet_state is not None:
                saved, capture = _quiet_state
                _quiet_state = None
                with contextlib.suppress(OSError, ValueError, AttributeError):
                    sys.stderr.flush()
                os.dup2(saved, 2)
                os.close(saved)
                capture.seek(0)
                _replay_stderr(capture.read().decode("utf-8", "replace"))
                capture.close()


def _replay_stderr(text: str) -> None:
    """Panic blocks to the log; every other line back to stderr, as it was written."""
    if not text:
        return
    kept, in_panic = [], False
    for line in text.splitlines(keepends=True):
        if not in_panic and _PANIC_START.match(line):
            in_panic = True
            if kept and not kept[-1].strip():
                kept.pop()      # the blank line Rust writes before the panic
        if in_panic:
            log.debug("calamine: %s", line.rstrip())
            if _PANIC_END.match(line):
                in_panic = False
            continue
        kept.append(line)
    if kept:
        with contextlib.suppress(OSError):
            os.write(2, "".join(kept).encode("utf-8", "replace"))


def _calamine_sheets_quietly(path: Path, kind: str) -> list[SheetRows]:
    from python_calamine import CalamineWorkbook, PasswordError

    name = path.name
    content = None  # the archive, patched, when calamine cannot read an error value
    try:
        wb = _open_calamine(path, kind)
    except PasswordError as exc:
        raise UnreadableFile(name, PASSWORD, repr(exc)) from None
    except BaseException as exc:  # calamine's errors: damaged zip or XML, missing parts… (a panic too)
        if not _library_failure(exc):
            raise
        raise UnreadableFile(name, _corrupt("isinya tidak dapat diurai"), repr(exc)) from None
    parts, table_totals = _xlsx_layout(path) if kind in ("xlsx", "xlsm") else ({}, {})
    sheets = []
    ods_merged = None
    try:
        for meta in wb.sheets_metadata:
            if str(meta.typ).rsplit(".", 1)[-1] not in ("WorkSheet",):
                continue  # chart and macro sheets hold no table
            try:
                sheet = wb.get_sheet_by_name(meta.name)
                rows = sheet.to_python()
            except BaseException as exc:
                if not _library_failure(exc):
                    raise
                if content is None and kind in ("xlsx", "xlsm") and "error value" in str(exc):
                    # calamine 0.9.1 refuses #SPILL!, #CALC!… (newer Excel): read a copy in which
                    # every error value reads as #N/A; the notes still name the real one.
                    log.debug("%s lembar %s: %r; dibaca ulang", name, meta.name, exc)
                    content = _errors_as_na(path)
                    wb.close()
                    wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
                    try:
                        sheet = wb.get_sheet_by_name(meta.name)
                        rows = sheet.to_python()
                    except BaseException as again:
                        if not _library_failure(again):
                            raise
                        raise UnreadableFile(name, f"lembar '{meta.name}' " + _corrupt("isinya tidak dapat diurai"),
                                             repr(again)) from None
                else:
                    raise UnreadableFile(name, f"lembar '{meta.name}' " + _corrupt("isinya tidak dapat diurai"),
                                         repr(exc)) from None
            start = sheet.start or (0, 0)
            notes = None
            part = parts.get(meta.name)
            if part is not None:
                notes = (lambda part=part: _xlsx_notes(path, part))
            elif kind == "ods":
                notes = (lambda sheet_name=meta.name: _ods_notes(path, sheet_name))
            elif kind == "xls":
                notes = (lambda index=len(sheets): _xls_notes(path, index))
            try:
                merged = sheet.merged_cell_ranges or []
            except Exception:  # not every format keeps them; a merge only repeats a value
                merged = []
            if kind == "ods":  # calamine does not give an .ods sheet's merges
                if ods_merged is None:
                    ods_merged = _ods_merged(path)
                merged = ods_merged.get(meta.name, [])
            totals = frozenset(r - start[0] for r in table_totals.get(meta.name, ()) if r >= start[0])
            sheets.append(SheetRows(meta.name, rows, start[0], start[1], notes, merged=merged, totals=totals))
    finally:
        wb.close()
    return sheets


def _open_calamine(path: Path, kind: str):
    from python_calamine import CalamineWorkbook

    suffix = path.suffix.lower().lstrip(".")
    if suffix == kind or (kind == "xlsx" and suffix in ("xlsx", "xlsm")):
        return CalamineWorkbook.from_path(str(path))
    # The name says another format than the content: let calamine go by the content.
    with open(path, "rb") as f:
        return CalamineWorkbook.from_filelike(io.BytesIO(f.read()))


_ERROR_VALUE = re.compile(rb"(<c\b[^>]*?\bt\s*=\s*[\"']e[\"'][^>]*>(?:(?!</c>).){0,8000}?<v>)([^<]*)(</v>)", re.S)


def _errors_as_na(path: Path) -> bytes:
    """The archive with every cached error value of its sheets replaced by #N/A (held in memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                data = _ERROR_VALUE.sub(rb"\1#N/A\3", data)
            zout.writestr(info.filename, data)
    return out.getvalue()


_ERROR_TYPE = re.compile(rb"(?<![\w:])t\s*=\s*[\"']e[\"']")
_FORMULA = re.compile(rb"<f[\s>/]")
_CELL_REF = re.compile(rb"(?<![\w:])r\s*=\s*[\"']\s*([A-Za-z]{1,3})([0-9]{1,7})")
_VALUE = re.compile(rb"<v(?:\s[^>]*)?>([^<]*)</v>")
_TYPE = re.compile(rb"(?<![\w:])t\s*=\s*[\"'](\w+)[\"']")


def _xlsx_notes(path: Path, part: str) -> dict:
    """{(row, col): error value or FORMULA_WITHOUT_VALUE} of one sheet's XML, 0-based.

    Found by searching for the few cells concerned (`t="e"`, `<f`) rather
    than parsing the sheet: this runs only once a needed cell reads empty.
    """
    with zipfile.ZipFile(path) as zf:
        info = zf.NameToInfo.get(part)
        if info is None:
            return {}
        data = bytes(_read_part(zf, info))
    notes: dict = {}
    for pattern in (_ERROR_TYPE, _FORMULA):
        for m in pattern.finditer(data):
            cell = _enclosing_cell(data, m.start())
            if cell is None:
                continue
            tag, body = cell
            ref = _CELL_REF.search(tag)
            kind = _TYPE.search(tag)
            if ref is None:
                continue
            where = (int(ref.group(2)) - 1, _column_number(ref.group(1)) - 1)
            value = _VALUE.search(body or b"")
            if kind is not None and kind.group(1) == b"e":
                notes[where] = html.unescape(value.group(1).decode("utf-8", "replace")).strip() if value else "#N/A"
            elif pattern is _FORMULA and (value is None or not value.group(1)) and not (kind and kind.group(1) == b"str"):
                notes[where] = FORMULA_WITHOUT_VALUE
    return notes


def _enclosing_cell(data: bytes, at: int) -> Optional[tuple[bytes, Optional[bytes]]]:
    """The start tag and the content of the `<c>` element around position `at`, or None."""
    start = max(data.rfind(b"<c" + ch, 0, at) for ch in (b" ", b"\t", b"\r", b"\n"))
    if start < 0:
        return None
    tag_end = data.find(b">", start)
    if tag_end < 0:
        return None
    tag = data[start:tag_end + 1]
    if at <= tag_end:
        return tag, (None if tag.endswith(b"/>") else data[tag_end + 1:max(tag_end + 1, data.find(b"</c>", tag_end))])
    if tag.endswith(b"/>"):
        return None
    end = data.find(b"</c>", tag_end)
    if end < at:
        return None  # `at` lies after that cell closed
    return tag, data[tag_end + 1:end]


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"


def _ods_notes(path: Path, sheet_name: str) -> dict:
    """{(row, col): error value or FORMULA_WITHOUT_VALUE} of one .ods sheet, walking content.xml's cells."""
    import xml.etree.ElementTree as ET

    notes: dict = {}
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as f:
        in_sheet, row, col = False, -1, 0
        for event, el in ET.iterparse(f, events=("start", "end")):
            tag = el.tag
            if tag == _ODS_TABLE + "table":
                if event == "start":
                    in_sheet, row = el.get(_ODS_TABLE + "name") == sheet_name, -1
                elif in_sheet:
                    break
                continue
            if not in_sheet:
                if event == "end":
                    el.clear()
                continue
            if tag == _ODS_TABLE + "table-row":
                if event == "start":
                    row, col = row + 1, 0
                else:
                    row += int(el.get(_ODS_TABLE + "number-rows-repeated", "1")) - 1
                    el.clear()
            elif tag in (_ODS_TABLE + "table-cell", _ODS_TABLE + "covered-table-cell") and event == "end":
                repeat = int(el.get(_ODS_TABLE + "number-columns-repeated", "1"))
                if el.get(_ODS_CALCEXT + "value-type") == "error":
                    text = "".join(el.itertext()).strip()
                    notes[(row, col)] = text if text in EXCEL_ERRORS else "#N/A"
                elif el.get(_ODS_TABLE + "formula") and el.get(_ODS_OFFICE + "value-type") is None:
                    notes[(row, col)] = FORMULA_WITHOUT_VALUE
                col += repeat
                el.clear()
    return notes


def _ods_merged(path: Path) -> dict:
    """{sheet name: [((first row, first col), (last row, last col))]} of the cells merged down several rows
    in an .ods; the XML is walked only when it has such a merge."""
    import xml.etree.ElementTree as ET

    try:
        with zipfile.ZipFile(path) as zf:
            if b"number-rows-spanned" not in zf.read("content.xml"):
                return {}
            found: dict = {}
            with zf.open("content.xml") as f:
                table, row, col = None, -1, 0
                for event, el in ET.iterparse(f, events=("start", "end")):
                    tag = el.tag
                    if tag == _ODS_TABLE + "table":
                        table, row = (el.get(_ODS_TABLE + "name"), -1) if event == "start" else (None, -1)
                    elif table is None:
                        pass
                    elif tag == _ODS_TABLE + "table-row":
                        if event == "start":
                            row, col = row + 1, 0
                        else:
                            row += int(el.get(_ODS_TABLE + "number-rows-repeated", "1")) - 1
                    elif tag in (_ODS_TABLE + "table-cell", _ODS_TABLE + "covered-table-cell") and event == "end":
                        down = int(el.get(_ODS_TABLE + "number-rows-spanned", "1"))
                        if down > 1:
                            found.setdefault(table, []).append(((row, col), (row + down - 1, col)))
                        col += int(el.get(_ODS_TABLE + "number-columns-repeated", "1"))
                    if event == "end":
                        el.clear()
            return found
    except Exception as exc:  # a merge only repeats a value: never a reason to fail
        log.debug("sel gabungan %s tidak dapat dibaca: %r", path.name, exc)
        return {}


_BIFF_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
                0x2A: "#N/A", 0x2B: "#GETTING_DATA"}


def _xls_notes(path: Path, index: int) -> dict:
    """{(row, col): error value} of the `index`-th worksheet of an .xls (BIFF8, or BIFF5/7 of Excel 95: the
    same records): its BOOLERR records and FORMULA records whose cached result is an error."""
    import olefile

    with olefile.OleFileIO(str(path)) as ole:
        stream = ole.openstream("Workbook" if ole.exists("Workbook") else "Book").read()
    offsets, at = [], 0
    while at + 4 <= len(stream):  # the globals: BOUNDSHEET records give each sheet's offset
        kind, size = int.from_bytes(stream[at:at + 2], "little"), int.from_bytes(stream[at + 2:at + 4], "little")
        if kind == 0x0085 and stream[at + 4 + 5] == 0:  # a worksheet
            offsets.append(int.from_bytes(stream[at + 4:at + 8], "little"))
        if kind == 0x000A:
            break
        at += 4 + size
    if index >= len(offsets):
        return {}
    notes: dict = {}
    at = offsets[index]
    while at + 4 <= len(stream):
        kind, size = int.from_bytes(stream[at:at + 2], "little"), int.from_bytes(stream[at + 2:at + 4], "little")
        body = stream[at + 4:at + 4 + size]
        if kind == 0x000A:
            break
        if len(body) >= 8 and kind in (0x0205, 0x0006):
            where = (int.from_bytes(body[0:2], "little"), int.from_bytes(body[2:4], "little"))
            if kind == 0x0205 and body[7] == 1:
                notes[where] = _BIFF_ERRORS.get(body[6], "#N/A")
            elif kind == 0x0006 and len(body) >= 14 and body[6] == 2 and body[12:14] == b"\xff\xff":
                notes[where] = _BIFF_ERRORS.get(body[8], "#N/A")
        at += 4 + size
    return notes


def _xlsx_layout(path: Path) -> tuple[dict, dict]:
    """Sheet name -> its part in the archive, and sheet name -> the rows (absolute, 0-based) of the totals
    rows of its Excel Tables (README: Format berkas). Only a sheet with relationships of its own is asked for
    tables, and only its small parts are read."""
    with zipfile.ZipFile(path) as zf:
        names = set(zf.NameToInfo)
        parts, _, _ = _sheet_parts(zf, names)
        totals = {}
        for part, sheet in parts.items():
            rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
            if rels in names:
                rows = _table_totals_rows(zf, part, _small(zf, rels))
                if rows:
                    totals[sheet] = rows
    return {sheet: part for part, sheet in parts.items()}, totals


_TABLE_START = re.compile(rb"<(?:\w+:)?table\s[^>]*>")
_RANGE_END_ROW = re.compile(r"^\$?[A-Za-z]{1,3}\$?[0-9]{1,7}:\$?[A-Za-z]{1,3}\$?([0-9]{1,7})$")


def _table_totals_rows(zf: zipfile.ZipFile, part: str, rels: bytes) -> set:
    """The rows (absolute, 0-based) of the totals rows of the tables a sheet's relationships name: the
    last `totalsRowCount` rows of each table's `ref`."""
    rows: set = set()
    for tag in _REL_TAG.findall(rels):
        if not _attribute(tag, "Type").endswith("/table") or _attribute(tag, "TargetMode").lower() == "external":
            continue
        target = _attribute(tag, "Target")
        table = target.lstrip("/") if target.startswith("/") \
            else posixpath.normpath(posixpath.join(posixpath.dirname(part), target))
        m = _TABLE_START.search(_small(zf, table)[:4096])
        if m is None:
            continue
        count = _attribute(m.group(0), "totalsRowCount").strip()
        end = _RANGE_END_ROW.match(_attribute(m.group(0), "ref").strip())
        if end is None or not count.isdigit() or not 0 < int(count) <= 16:
            continue
        last = int(end.group(1)) - 1
        rows.update(range(max(0, last - int(count) + 1), last + 1))
    return rows


# ---------------------------------------------------------------- CSV


def _read_csv(path: Path) -> Workbook:
    name = shown_name(path.name)
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise UnreadableFile(name, f"terlalu besar untuk dibaca ({size >> 20} MiB, batas {MAX_CSV_BYTES >> 20} MiB)")
    text = _decode(name, path.read_bytes())  # the bytes are let go as soon as they are text
    if text.lstrip()[:20].lower().startswith(("<html", "<!doctype", "<table")):
        raise UnreadableFile(name, _not_spreadsheet("halaman web HTML yang diberi nama .csv"))
    lines = _first_lines(text, 60)
    delimiter = None
    if lines and re.fullmatch(r"sep=(.)", lines[0].strip()):
        delimiter = lines[0].strip()[4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
    delimiter = delimiter or _sniff_delimiter(lines[:60])
    guarded, errors = '="' in text, "#" in text
    rows = TextRows(text, delimiter, errors) if _plain_lines(text) else None
    if rows is not None and rows.longest_line() <= CSV_FIELD_LIMIT:
        # One row per line, split when the reader asks for it (README: Kinerja): a CSV at the cap is 127 MB of
        # text and over a million rows, which as lists of cells took over half a gigabyte.
        del text
        notes = rows.error_notes() if errors else None
        sheet = SheetRows(shown_name(path.stem), rows, 0, 0, (lambda: notes) if notes else None)
        return Workbook(name, "csv", saved_or_mtime(path, None), [sheet])
    rows = _csv_rows(name, text, delimiter)
    if guarded:
        rows = [[_unguarded(cell) for cell in row] for row in rows]
    notes = _csv_errors(rows) if errors else None
    nul_rows: frozenset = frozenset()
    if "\0" in text:
        damaged = _nul_cells(rows)
        notes = {**(notes or {}), **damaged}
        nul_rows = frozenset(i for i, _ in damaged)
    sheet = SheetRows(shown_name(path.stem), rows, 0, 0, (lambda: notes) if notes else None, nul_rows=nul_rows)
    return Workbook(name, "csv", saved_or_mtime(path, None), [sheet])


def _plain_lines(text: str) -> bool:
    """Whether each line of `text` is one row, its cells split by the delimiter: nothing quoted, every carriage
    return part of a `\\r\\n`, no NUL (what a spreadsheet saves when no cell needs quoting)."""
    return '"' not in text and "\0" not in text and text.count("\r") == text.count("\r\n")


class TextRows(collections.abc.Sequence):
    """The rows of a CSV text of plain lines (`_plain_lines`), each split into cells when it is asked for.

    Holds the text and where each line starts (8 bytes a row); a slice is a view of the same text. An error
    value (`#N/A`…) reads as an empty cell, as `_read_csv` reads it from a CSV that is split at once.
    """

    def __init__(self, text: str, delimiter: str, errors: bool = False):
        starts = array("Q", [0])
        find, add, pos = text.find, starts.append, text.find("\n")
        while pos >= 0:
            add(pos + 1)
            pos = find("\n", pos + 1)
        if starts[-1] == len(text):  # the text ends with a line break: it ends the last line
            starts.pop()
            starts.append(len(text))
        else:
            starts.append(len(text) + 1)  # where a line after the last would start, after its line break
        self._text, self._starts, self._delimiter = text, starts, delimiter
        self._errors = errors
        self._lo, self._hi = 0, len(starts) - 1

    def _row(self, i: int) -> list:
        line = self._text[self._starts[i]:self._starts[i + 1] - 1]
        if line[-1:] == "\r":
            line = line[:-1]
        if not line:
            return []
        row = line.split(self._delimiter)
        if self._errors and "#" in line:
            row = [_error_or_cell(cell)[1] for cell in row]
        return row

    def __len__(self) -> int:
        return self._hi - self._lo

    def __getitem__(self, k):
        if isinstance(k, slice):
            lo, hi, step = k.indices(len(self))
            if step != 1:
                return [self[j] for j in range(lo, hi, step)]
            view = object.__new__(TextRows)
            view.__dict__.update(self.__dict__)
            view._lo, view._hi = self._lo + lo, self._lo + max(lo, hi)
            return view
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(k)
        return self._row(self._lo + k)

    def __iter__(self):
        return map(self._row, range(self._lo, self._hi))

    def longest_line(self) -> int:
        """The length of the longest line, its line break included (a field can be no longer)."""
        starts = self._starts
        return max(map(operator.sub, starts[1:], starts[:-1]), default=0)

    def error_notes(self) -> dict:
        """(row, column) -> the error value, of the cells that hold one (`_csv_errors`)."""
        notes = {}
        errors, self._errors = self._errors, False
        try:
            for i, row in enumerate(self):
                for j, cell in enumerate(row):
                    error, _ = _error_or_cell(cell)
                    if error:
                        notes[(i, j)] = error
        finally:
            self._errors = errors
        return notes


def _error_or_cell(cell: str) -> tuple[Optional[str], str]:
    """An error value a spreadsheet wrote as text (emptied, as calamine empties it) and what the cell reads as."""
    if cell[:1] == "#" and cell.strip() in _ERRORS:
        return cell.strip(), ""
    return None, cell


_ERRORS = frozenset(EXCEL_ERRORS)


def _unguarded(cell: str) -> str:
    """`="198501012010011001"` -> `198501012010011001`: the formula other systems write in a CSV so that
    Excel keeps a long number as text (Excel shows the text; so do we)."""
    if cell.startswith('="') and cell.endswith('"') and len(cell) >= 3:
        return cell[2:-1].replace('""', '"')
    return cell


def _first_lines(text: str, count: int, look: int = 1 << 16) -> list[str]:
    """`text.splitlines()[:count]`, without splitting a whole city's CSV for its first lines (the first
    `look` characters suffice when they hold more than `count` lines)."""
    head = text[:look].splitlines()
    return head[:count] if len(head) > count else text.splitlines()[:count]


# The csv module refuses a field longer than its limit (131,072 characters by default), and it is one
# setting for the whole process. We raise it, only while reading, to 16,777,216 characters: 512 times
# what a spreadsheet cell can hold (32,767), so no real file meets it; a field longer still (the file cap
# is 128 MiB) makes that one file BERKAS_TIDAK_TERBACA with the reason, never the end of the run.
CSV_FIELD_LIMIT = 1 << 24
# A CSV is binary (not a spreadsheet) when more than 1% of its first block is NUL bytes; a stray NUL
# in a text file only spoils its row (BARIS_TIDAK_TERBACA).
_BINARY_BLOCK = 4096
_BINARY_NUL_SHARE = 0.01
# What no text file starts with: PDF, PNG, JPEG, GIF, gzip, 7-Zip, RAR, ELF and Windows programs.
_BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"\x7fELF", b"MZ")
NUL_CELL = "NUL"          # the note of a CSV cell that held a NUL byte: emptied, its row reported


@contextlib.contextmanager
def _csv_field_limit():
    old = csv.field_size_limit()
    csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _csv_rows(name: str, text: str, delimiter: str) -> list[list[str]]:
    """The rows of a CSV text, as the csv module reads them.

    What a spreadsheet saves when no cell needs quoting (no `"`, no carriage
    return inside a line, no NUL) is split directly: the same rows in about
    two thirds of the time. Anything else goes through the csv module.
    """
    plain = text.replace("\r\n", "\n") if "\r" in text else text
    if '"' not in plain and "\r" not in plain and "\0" not in plain and len(plain) <= CSV_FIELD_LIMIT:
        lines = plain.split("\n")
        if lines[-1] == "":
            lines.pop()  # the text ends with a line break
        return [line.split(delimiter) if line else [] for line in lines]
    try:
        with _csv_field_limit():
            return list(csv.reader(_text_lines(text), delimiter=delimiter))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise UnreadableFile(name, f"satu sel CSV lebih panjang dari {CSV_FIELD_LIMIT:,} karakter".replace(
                ",", "."), repr(exc)) from None
        raise UnreadableFile(name, _corrupt("isi CSV-nya tidak dapat diurai"), repr(exc)) from None


_LINES_CHUNK = 1 << 20


def _text_lines(text: str):
    """The lines of `text` as `io.StringIO(text, newline="")` gives them (ends kept; `\n`, `\r\n` and `\r`),
    a megabyte at a time: a StringIO of the whole text holds 4 bytes per character, which for a CSV at the
    cap was half a gigabyte (README: Keandalan). A piece always ends after a `\n`, so no `\r\n` is cut in two."""
    n, start = len(text), 0
    while start < n:
        end = text.find("\n", min(start + _LINES_CHUNK, n - 1))
        end = n if end < 0 else end + 1
        yield from io.StringIO(text[start:end], newline="")
        start = end


def _decode(name: str, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if raw.startswith(_BINARY_MAGIC) or raw[:_BINARY_BLOCK].count(0) > _BINARY_NUL_SHARE * min(len(raw), _BINARY_BLOCK):
        raise UnreadableFile(name, _not_spreadsheet("berkas biner yang diberi nama .csv"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _sniff_delimiter(lines: list[str]) -> str:
    """`;`, tab or `,`: the one that splits the most lines into the same number (>1) of fields."""
    lines = [line for line in lines if line.strip()]
    best, best_score = ";", (0, 0)
    for delimiter in (";", "\t", ","):
        try:
            with _csv_field_limit():
                counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:   # a field too long even so: judged by the other delimiters; the read says why
            continue
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        score = (counts.count(common), common) if common > 1 else (0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _nul_cells(rows: list[list[str]]) -> dict:
    """Cells holding a NUL byte (a damaged stretch of the file): emptied and noted, so their row is reported."""
    notes = {}
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if "\0" in cell:
                notes[(i, j)] = NUL_CELL
                row[j] = ""
    return notes


def _csv_errors(rows: list[list[str]]) -> dict:
    """Error values a spreadsheet wrote as text: emptied like calamine empties them, and noted."""
    notes = {}
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            error, row[j] = _error_or_cell(cell)
            if error:
                notes[(i, j)] = error
    return notes


# ---------------------------------------------------------------- hostile archives


def _check_archive(path: Path, zf: zipfile.ZipFile, sheets: bool = True) -> None:
    """Refuse zip bombs, and sheets too large to hold, before calamine parses any XML.

    The limits bound the memory a hostile file can make us use (about 1 GiB
    at most): the sizes in the zip directory (total, and per entry), the XML
    that will be parsed, and the area of each sheet, because calamine holds
    a sheet as one dense grid from its first to its last filled cell.
    """
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED_BYTES or (total > (50 << 20) and total / packed > MAX_COMPRESSION_RATIO) \
            or any(i.file_size > (50 << 20) and i.file_size > MAX_COMPRESSION_RATIO * i.compress_size
                   for i in infos):
        raise InputError(f"berkas {path.name}: isinya mengembang menjadi {total // (1 << 20)} MiB "
                         f"(kemungkinan berkas berbahaya/zip bomb); berkas ditolak")
    if sheets:
        _check_parts(path, zf, infos)
    else:
        size = sum(i.file_size for i in infos if i.filename.lower().endswith(".xml"))
        if size > MAX_XML_BYTES:
            raise InputError(f"berkas {path.name}: data lembarnya terlalu besar untuk dibaca ({size >> 20} MiB XML, "
                             f"batas {MAX_XML_BYTES >> 20} MiB); pecah menjadi beberapa berkas")


# XML that calamine will parse (sheets, shared strings, styles…): about
# 7 bytes of memory per byte at worst, so this keeps a workbook under ~1 GiB.
MAX_XML_BYTES = 128 << 20
# A sheet's grid from A1 to its farthest filled cell; ~60 bytes each once read.
MAX_SHEET_CELLS = 10_000_000
# Sheets up to this size are walked for their farthest cell (a hostile file is
# small); a larger one is judged by its <dimension>, which every spreadsheet
# writer sets: walking city-scale sheets would cost a quarter of `hitung`.
FULL_SCAN_BYTES = 1 << 20
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref\s*=\s*[\"']\s*(?:[A-Za-z]*[0-9]*:)?([A-Za-z]*)([0-9]*)")
# A cell/row reference that may lie far away: a column of 2+ letters or a row of
# 6+ digits, in any spelling calamine accepts (quotes, spaces, lower case).
_FAR_REF = re.compile(rb"r\s*+=\s*+[\"']\s*+(?:[A-Za-z]{2}|[A-Za-z]?[0-9]{6})")
# A cell without a reference first: calamine places it after the previous one.
_UNREFERENCED_CELL = re.compile(rb"<c[\s/>](?!\s*r\s*=)")
_TAG = re.compile(rb"<(row|c)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"(?<![\w:])r\s*=\s*[\"']\s*([A-Za-z]*)\s*([0-9]*)")
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")


def _attribute(tag: bytes, name: str) -> str:
    m = re.search(rb"(?<![\w:])" + name.encode() + rb"\s*=\s*([\"'])(.*?)\1", tag, re.S)
    return html.unescape(m.group(2).decode("utf-8", "replace")) if m else ""


def _sheet_parts(zf: zipfile.ZipFile, names: set) -> tuple[dict, set, bool]:
    """Zip part name -> sheet name, every part the workbook refers to, and whether a sheet was not
    found, from workbook.xml and its relationships (read with patterns, not an XML parser)."""
    def read(name: str) -> bytes:
        info = zf.NameToInfo.get(name)
        return zf.read(info) if info is not None and info.file_size < (16 << 20) else b""

    targets = {}
    for tag in _REL_TAG.findall(read("xl/_rels/workbook.xml.rels")):
        target = _attribute(tag, "Target")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
        targets[_attribute(tag, "Id")] = part
    parts, lost = {}, False
    for tag in _SHEET_TAG.findall(read("xl/workbook.xml")):
        rid = re.search(rb"(?<![\w])(?:\w+:)?id\s*=\s*[\"']([^\"']*)", tag)
        part = targets.get(html.unescape(rid.group(1).decode("utf-8", "replace"))) if rid else None
        if part in names:
            parts[part] = _attribute(tag, "name")
        else:
            lost = True
    return parts, set(targets.values()), lost


def _check_parts(path: Path, zf: zipfile.ZipFile, infos: list) -> None:
    """The XML calamine will parse: its size, and each sheet's grid area."""
    names = {i.filename for i in infos}
    sheets, referred, lost = _sheet_parts(zf, names)
    xml = [i for i in infos if not i.is_dir()
           and (i.filename.lower().endswith((".xml", ".rels")) or i.filename in referred)]
    size = sum(i.file_size for i in xml)
    if size > MAX_XML_BYTES:
        raise InputError(f"berkas {path.name}: data lembarnya terlalu besar untuk dibaca ({size >> 20} MiB XML, "
                         f"batas {MAX_XML_BYTES >> 20} MiB); pecah menjadi beberapa workbook")
    for info in xml:
        # the sheets; every part when one of them was not found the way calamine finds it
        if info.filename not in sheets and not lost:
            continue
        if info.file_size > FULL_SCAN_BYTES and (dimension := _declared_area(zf, info)) is not None:
            rows, cols = dimension
        else:
            data = _read_part(zf, info)
            rows, cols = _sheet_area(data)
            del data
        if rows * cols > MAX_SHEET_CELLS:
            where = f"lembar '{sheets[info.filename]}'" if info.filename in sheets else f"bagian {info.filename}"
            raise InputError(f"berkas {path.name}, {where}: ada isi sampai baris {grouped(rows)} dan kolom "
                             f"{column_letter(cols - 1)} ({grouped(rows * cols)} sel), terlalu luas untuk "
                             f"dibaca. Hapus isi sel yang jauh di luar tabel lalu simpan ulang")


def _declared_area(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Optional[tuple[int, int]]:
    """Rows and columns up to the far corner of the sheet's <dimension>, or None when it has none."""
    with zf.open(info) as f:
        head = f.read(8192)
    m = _DIMENSION.search(head)
    if not m or not m.group(1) or not m.group(2):
        return None
    return int(m.group(2)), _column_number(m.group(1))


def _column_number(letters: bytes) -> int:
    col = 0
    for ch in letters.upper():
        col = col * 26 + ch - 64
    return col


def _read_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytearray:
    """A part's bytes, inflated 1 MiB at a time: zipfile stops at the size the header declares and then
    checks the CRC, so a header that lies about a bomb costs at most that size."""
    data = bytearray()
    with zf.open(info) as f:
        while chunk := f.read(1 << 20):
            data += chunk
    return data


def _far_reference(data: bytes) -> bool:
    """Whether an `r` attribute (not `xmlns:r`, not `lastClr`…) may point far away."""
    at = 0
    while (m := _FAR_REF.search(data, at)) is not None:
        if data[m.start() - 1:m.start()].isspace():
            return True
        at = m.end()
    return False


def _sheet_area(data: bytes) -> tuple[int, int]:
    """Rows and columns of the grid calamine would allocate for this sheet XML (an upper bound).

    Sheets written by Excel and the usual libraries reference every cell and
    stay small: two fast searches settle those. Anything else is walked tag by
    tag the way calamine places cells.
    """
    if not _far_reference(data) and _UNREFERENCED_CELL.search(data) is None:
        return 1, 1
    row = col = -1
    max_row = max_col = 0
    for kind, attrs in _TAG.findall(data):
        if kind == b"c" and attrs.endswith(b"/"):
            continue  # an empty cell: calamine leaves it out of the grid
        ref = _REF.search(attrs)
        letters, digits = (ref.group(1), ref.group(2)) if ref else (b"", b"")
        if kind == b"row":
            row = int(digits) - 1 if digits else row + 1
            col = -1
            continue
        if letters:
            col = _column_number(letters) - 1
        else:
            col += 1
        cell_row = max(row, int(digits) - 1) if digits else row
        max_row, max_col = max(max_row, cell_row), max(max_col, col)
    return max_row + 1, max_col + 1
