"""Read the input workbooks into domain records and row-level problems.

Files are read with python-calamine (fast, read-only: inputs are never
modified). The same row-reading code serves sheets that arrive as lists of
rows from elsewhere (the live Excel workbook through xlwings).

A reader never decides a rule: checks that compare records (duplicate NIP,
unknown NIP, duplicate receipt, dates against today…) live in `validation`.
"""
from __future__ import annotations

import datetime as dt
import html
import os
import posixpath
import re
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence

from jikubata.adapters import forms
from jikubata.domain import parse, schema
from jikubata.domain.model import (DEFAULT_MINIMUMS, Dataset, Employee, Office, Place, Problem, Purchase, Seller,
                     Settings, SheetSource, column_letter)
from jikubata.domain.errors import InputError
from jikubata.domain.indonesian import grouped, rupiah
from jikubata.domain.problems import problem

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
HEADER_SEARCH_ROWS = 10
# Refuse archives that expand beyond this: a real office workbook is far smaller.
MAX_UNCOMPRESSED_BYTES = 1 << 30
MAX_COMPRESSION_RATIO = 200


@dataclass
class SheetRows:
    """A sheet's used range: `rows[i][j]` is the cell at (row0 + i, col0 + j), 0-based."""

    name: str
    rows: list
    row0: int = 0
    col0: int = 0


@dataclass
class _Accumulator:
    settings: Settings = field(default_factory=Settings)
    settings_from: Optional[str] = None
    employees: list = field(default_factory=list)
    purchases: list = field(default_factory=list)
    offices: list = field(default_factory=list)
    sellers: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    has_seller_sheet: bool = False
    has_employee_sheet: bool = False
    files: list = field(default_factory=list)
    rejected_nips: set = field(default_factory=set)
    forms: dict = field(default_factory=dict)

    def dataset(self) -> Dataset:
        return Dataset(self.settings, self.employees, self.purchases, self.offices, self.sellers,
                       self.problems, self.has_seller_sheet, self.files, self.rejected_nips, self.forms)


# ---------------------------------------------------------------- entry points


def expand_paths(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Files as given, folders as their workbooks (not recursing, skipping `~$` lock files and our outputs)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith("~$")
                           and not p.name.startswith(schema.OUTPUT_FILE_PREFIXES))
            if not found:
                raise InputError(f"folder {path} tidak berisi workbook .xlsx/.xlsm")
            files.extend(found)
        elif path.is_file():
            if path.suffix.lower() not in WORKBOOK_SUFFIXES:
                raise InputError(f"berkas {path.name}: bukan workbook Excel (.xlsx/.xlsm)")
            files.append(path)
        else:
            raise InputError(f"berkas {path} tidak ditemukan")
    # The same file named twice would count its purchases twice.
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return [Path(p) for p in unique]


def read_inputs(paths: Sequence[str | os.PathLike],
                progress: Optional[Callable[[str], None]] = None) -> Dataset:
    """Read every workbook of `paths`; raise InputError for an unusable one.

    calamine parses outside the GIL, so the next workbooks are parsed in
    background threads while this one's rows are checked (a bounded
    look-ahead keeps memory flat).
    """
    files = expand_paths(paths)
    acc = _Accumulator()
    lookahead = 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending = [pool.submit(_load_workbook, p) for p in files[:lookahead]]
        for i, path in enumerate(files):
            if progress:
                progress(f"membaca {path.name} ({i + 1}/{len(files)})")
            sheets = pending.pop(0).result()
            if i + lookahead < len(files):
                pending.append(pool.submit(_load_workbook, files[i + lookahead]))
            _read_workbook(path.name, sheets, acc)
            del sheets
            identity = forms.read_identity(path)  # an entry form says whose and which month it is
            if identity is not None:
                acc.forms[path.name] = identity
    return _finish(acc, files[0].name if len(files) == 1 else "berkas masukan")


def read_sheets(sources: Sequence[tuple[str, dict]]) -> Dataset:
    """Read workbooks given as `(file_name, {sheet_name: rows})`, rows from cell A1."""
    acc = _Accumulator()
    for file_name, sheets in sources:
        _read_workbook(file_name, (SheetRows(name, rows) for name, rows in sheets.items()), acc)
    return _finish(acc, sources[0][0] if len(sources) == 1 else "workbook")


def _finish(acc: _Accumulator, label: str) -> Dataset:
    if not acc.has_employee_sheet:
        raise InputError(f"{label}: tidak ada lembar 'Pegawai' (daftar pegawai) di workbook mana pun")
    return acc.dataset()


# ---------------------------------------------------------------- files


def _check_archive(path: Path) -> None:
    """Refuse what is not an xlsx zip, and zip bombs, before calamine parses any XML.

    The limits bound the memory a hostile file can make us use (about 1 GiB
    at most): the sizes in the zip directory (total, and per entry), the XML
    that will be parsed, and the area of each sheet, because calamine holds
    a sheet as one dense grid from its first to its last filled cell.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > MAX_UNCOMPRESSED_BYTES or (total > (50 << 20) and total / packed > MAX_COMPRESSION_RATIO) \
                    or any(i.file_size > (50 << 20) and i.file_size > MAX_COMPRESSION_RATIO * i.compress_size
                           for i in infos):
                raise InputError(f"berkas {path.name}: isinya mengembang menjadi {total // (1 << 20)} MiB "
                                 f"(kemungkinan berkas berbahaya/zip bomb); berkas ditolak")
            _check_parts(path, zf, infos)
    except zipfile.BadZipFile:
        raise InputError(f"berkas {path.name}: bukan workbook Excel yang valid (rusak, atau sebenarnya CSV/HTML "
                         f"yang diberi nama .xlsx). Buka di Excel lalu simpan ulang sebagai .xlsx") from None
    except MemoryError:
        raise InputError(f"berkas {path.name}: terlalu besar untuk dibaca dengan memori yang tersedia") from None
    except (OSError, EOFError, zlib.error, NotImplementedError, RuntimeError, ValueError) as exc:
        if isinstance(exc, OSError) and exc.strerror:
            raise InputError(f"berkas {path.name} tidak dapat dibuka: {exc.strerror}") from None
        raise InputError(f"berkas {path.name}: bukan workbook Excel yang valid ({_brief(exc)})") from None


# XML that calamine will parse (sheets we read, shared strings, styles…): about
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
    """Zip part name -> sheet name, every part the workbook refers to, and whether a sheet we read was
    not found, from workbook.xml and its relationships (read with patterns, not an XML parser)."""
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
        elif schema.is_input_sheet(_attribute(tag, "name")):
            lost = True
    return parts, set(targets.values()), lost


def _check_parts(path: Path, zf: zipfile.ZipFile, infos: list) -> None:
    """The XML calamine will parse: its size, and each sheet's grid area."""
    names = {i.filename for i in infos}
    sheets, referred, lost = _sheet_parts(zf, names)
    xml = [i for i in infos
           if not i.is_dir() and (i.filename not in sheets or schema.is_input_sheet(sheets[i.filename]))
           and (i.filename.lower().endswith((".xml", ".rels")) or i.filename in referred)]
    size = sum(i.file_size for i in xml)
    if size > MAX_XML_BYTES:
        raise InputError(f"berkas {path.name}: data lembarnya terlalu besar untuk dibaca ({size >> 20} MiB XML, "
                         f"batas {MAX_XML_BYTES >> 20} MiB); pecah menjadi beberapa workbook")
    for info in xml:
        # the sheets we read; every part when one of them was not found the way calamine finds it
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


def _load_workbook(path: Path) -> list[SheetRows]:
    return list(_calamine_sheets(path))


def _calamine_sheets(path: Path) -> Iterator[SheetRows]:
    from python_calamine import CalamineWorkbook

    _check_archive(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = wb.sheet_names
    except Exception as exc:  # calamine's errors: corrupt zip, bad XML, password…
        raise InputError(f"berkas {path.name}: tidak dapat dibaca sebagai workbook Excel ({_brief(exc)})") from None
    try:
        for name in names:
            if not schema.is_input_sheet(name):
                continue
            try:
                sheet = wb.get_sheet_by_name(name)
                rows = sheet.to_python()
                start = sheet.start or (0, 0)
            except Exception as exc:
                raise InputError(f"berkas {path.name}, lembar '{name}': tidak dapat dibaca ({_brief(exc)})") from None
            yield SheetRows(name, rows, start[0], start[1])
    finally:
        wb.close()


def _brief(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:160]


# ---------------------------------------------------------------- sheets


def _read_workbook(file_name: str, sheets: Iterable[SheetRows], acc: _Accumulator) -> None:
    acc.files.append(file_name)
    for sheet in sheets:
        key = sheet.name.strip().casefold()
        if key in _SHEET_READERS:
            _SHEET_READERS[key](file_name, sheet, acc)
        elif key.startswith(schema.PURCHASE_PREFIX.casefold()):
            _read_purchases(file_name, sheet, acc)


def _find_header(file_name: str, sheet: SheetRows, spec: schema.SheetSpec, acc: _Accumulator):
    """Locate the header row in the first rows; return (SheetSource, first data index) or None.

    The header row is the one matching the most of the sheet's columns; a
    missing required column is reported at the header row's first cell and
    the sheet is skipped.
    """
    best, best_index, best_cols = -1, 0, {}
    for i, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        cols: dict[str, int] = {}
        for j, cell in enumerate(row):
            if not isinstance(cell, str) or not cell.strip():
                continue
            for column in spec.columns:
                if column.key not in cols and column.matches(cell):
                    cols[column.key] = j
                    break
        if len(cols) > best:
            best, best_index, best_cols = len(cols), i, cols
    missing = [c.header for c in spec.required if c.key not in best_cols]
    if missing:
        row = sheet.rows[best_index] if sheet.rows and best > 0 else []
        first = next((j for j, c in enumerate(row) if not parse.is_blank(c)), 0)
        place = Place(file_name, sheet.name, f"{column_letter(sheet.col0 + first)}{sheet.row0 + best_index + 1}")
        acc.problems.append(problem(place, "KOLOM_HILANG", columns=", ".join(missing)))
        return None
    source = SheetSource(file_name, sheet.name, {k: sheet.col0 + j for k, j in best_cols.items()})
    return source, best_index + 1, best_cols


def _row_cells(row: list, cols: dict) -> dict:
    width = len(row)
    return {k: (row[j] if j < width else None) for k, j in cols.items()}


def _missing(cells: dict, spec: schema.SheetSpec) -> list[schema.Column]:
    return [c for c in spec.required if parse.is_blank(cells.get(c.key))]


def _incomplete(source: SheetSource, row_no: int, missing: list[schema.Column]) -> Problem:
    return problem(source.place(row_no, missing[0].key), "BARIS_TIDAK_LENGKAP",
                   columns=", ".join(c.header for c in missing))


def _read_employees(file_name: str, sheet: SheetRows, acc: _Accumulator) -> None:
    acc.has_employee_sheet = True
    found = _find_header(file_name, sheet, schema.EMPLOYEES, acc)
    if not found:
        return
    source, first, cols = found
    for i in range(first, len(sheet.rows)):
        row = sheet.rows[i]
        if not any(not parse.is_blank(c) for c in row):
            continue
        row_no = sheet.row0 + i + 1
        cells = _row_cells(row, cols)
        missing = _missing(cells, schema.EMPLOYEES)
        if missing:
            acc.problems.append(_incomplete(source, row_no, missing))
            continue
        nip, code, reason = parse.parse_nip(cells["nip"])
        ok = True
        if code:
            acc.problems.append(problem(source.place(row_no, "nip"), code, value=parse.cell_text(cells["nip"]),
                                        reason=reason))
            ok = False
        tier = parse.parse_tier(cells["tier"])
        if tier is None:
            acc.problems.append(problem(source.place(row_no, "tier"), "ESELON_TIDAK_DIKENAL",
                                        value=parse.cell_text(cells["tier"])))
            ok = False
        status = parse.parse_status(cells.get("status"))
        if status is None:
            acc.problems.append(problem(source.place(row_no, "status"), "STATUS_TIDAK_DIKENAL",
                                        value=parse.cell_text(cells["status"])))
            ok = False
        dates = {}
        for key in ("start", "end"):
            value = cells.get(key)
            if parse.is_blank(value):
                dates[key] = None
                continue
            dates[key] = parse.parse_date(value)
            if dates[key] is None:
                acc.problems.append(problem(source.place(row_no, key), "TANGGAL_TIDAK_VALID",
                                            value=parse.cell_text(value)))
                ok = False
        if not ok and nip:
            acc.rejected_nips.add(nip)
        if ok:
            acc.employees.append(Employee(
                nip=nip, name=parse.cell_text(cells["name"]), position=parse.cell_text(cells["position"]),
                tier=tier, office=parse.cell_text(cells["office"]), status=status,
                start=dates["start"], end=dates["end"], email=parse.cell_text(cells.get("email")),
                place=source.place(row_no, "nip")))


def _named_rows(file_name: str, sheet: SheetRows, spec: schema.SheetSpec, acc: _Accumulator):
    """Rows of a reference sheet (OPD, UMKM) keyed by a name: yield (source, row number, cells).

    A row without its name but with other content is reported, not dropped.
    """
    found = _find_header(file_name, sheet, spec, acc)
    if not found:
        return
    source, first, cols = found
    for i in range(first, len(sheet.rows)):
        cells = _row_cells(sheet.rows[i], cols)
        if parse.is_blank(cells["name"]):
            if any(not parse.is_blank(v) for v in cells.values()):
                acc.problems.append(_incomplete(source, sheet.row0 + i + 1, _missing(cells, spec)))
            continue
        yield source, sheet.row0 + i + 1, cells


def _texts(cells: dict, spec: schema.SheetSpec) -> dict:
    return {c.key: parse.cell_text(cells.get(c.key)) for c in spec.columns}


def _read_offices(file_name: str, sheet: SheetRows, acc: _Accumulator) -> None:
    for source, row_no, cells in _named_rows(file_name, sheet, schema.OFFICES, acc):
        head_nip = cells.get("head_nip")
        if not parse.is_blank(head_nip):
            nip, code, reason = parse.parse_nip(head_nip)
            if code:
                acc.problems.append(problem(source.place(row_no, "head_nip"), code,
                                            value=parse.cell_text(head_nip), reason=reason))
        acc.offices.append(Office(**_texts(cells, schema.OFFICES)))


def _read_sellers(file_name: str, sheet: SheetRows, acc: _Accumulator) -> None:
    acc.has_seller_sheet = True
    for _, _, cells in _named_rows(file_name, sheet, schema.SELLERS, acc):
        acc.sellers.append(Seller(**_texts(cells, schema.SELLERS)))


def _read_purchases(file_name: str, sheet: SheetRows, acc: _Accumulator) -> None:
    """The hot loop: city scale is hundreds of thousands of rows, so the common
    cell types take a short path and a Place is only built for a problem."""
    found = _find_header(file_name, sheet, schema.PURCHASES, acc)
    if not found:
        return
    source, first, cols = found
    c_date, c_nip, c_seller, c_amount, c_receipt = (cols[k] for k in ("date", "nip", "seller", "amount", "receipt"))
    c_name, c_product, c_note = cols.get("buyer_name"), cols.get("product"), cols.get("note")
    need = max(cols.values()) + 1
    nip_cache: dict[str, tuple] = {}
    date_type, datetime_type, float_type, int_type, str_type = dt.date, dt.datetime, float, int, str
    problems, purchases, parse_nip, parse_date = acc.problems, acc.purchases, parse.parse_nip, parse.parse_date
    text, max_amount, whole_rupiah = parse.cell_text, parse.MAX_AMOUNT, parse.whole_rupiah
    row0 = sheet.row0 + 1
    rows = sheet.rows
    for i in range(first, len(rows)):
        row = rows[i]
        if len(row) < need:
            row = list(row) + [""] * (need - len(row))
        d, n, s, a, r = row[c_date], row[c_nip], row[c_seller], row[c_amount], row[c_receipt]
        if d == "" or n == "" or s == "" or a == "" or r == "" or d is None or n is None or s is None \
                or a is None or r is None:
            cells = _row_cells(row, cols)
            if all(parse.is_blank(v) for v in cells.values()):
                continue
            missing = _missing(cells, schema.PURCHASES)
            if missing:
                problems.append(_incomplete(source, row0 + i, missing))
                continue
        ok = True
        # date
        t = type(d)
        if t is date_type:
            day = d
        elif t is datetime_type:
            day = d.date()
        else:
            day = parse_date(d)
            if day is None:
                problems.append(problem(source.place(row0 + i, "date"), "TANGGAL_TIDAK_VALID",
                                        value=parse.cell_text(d)))
                ok = False
        # NIP (few distinct values: cache the verdict)
        if type(n) is str_type:
            verdict = nip_cache.get(n)
            if verdict is None:
                verdict = nip_cache[n] = parse_nip(n)
        else:
            verdict = parse_nip(n)
        nip = verdict[0]
        if nip is None:
            problems.append(problem(source.place(row0 + i, "nip"), verdict[1], value=parse.cell_text(n),
                                    reason=verdict[2]))
            ok = False
        # amount
        t = type(a)
        if (t is float_type or t is int_type) and 1 <= a < max_amount:  # not nan, inf or junk like 1e308
            amount = whole_rupiah(a)
        else:
            amount, reason = parse.parse_amount(a)
            if amount is None:
                problems.append(problem(source.place(row0 + i, "amount"), "JUMLAH_TIDAK_VALID",
                                        reason=reason))
                ok = False
        if not ok:
            continue
        name = "" if c_name is None else row[c_name]
        product = "" if c_product is None else row[c_product]
        note = "" if c_note is None else row[c_note]
        purchases.append(Purchase(
            day, nip, s.strip() if type(s) is str_type else text(s), amount,
            name.strip() if type(name) is str_type else text(name),
            product.strip() if type(product) is str_type else text(product),
            r.strip() if type(r) is str_type else text(r),
            note.strip() if type(note) is str_type else text(note), source, row0 + i))


def _read_settings(file_name: str, sheet: SheetRows, acc: _Accumulator) -> None:
    """Key/value rows (`Hari Jiku Bata | 7`) and the tier table (`Tingkat | Minimum Belanja (Rp)`).

    Taken from the first workbook that has a `Pengaturan` sheet.
    """
    if acc.settings_from is not None:
        return
    acc.settings_from = file_name
    settings = acc.settings
    by_label = {schema.header_key(s.label): s for s in schema.SETTINGS}
    tier_header = schema.header_key(schema.TIER_TABLE_HEADERS[0])
    in_tiers = False
    for i, row in enumerate(sheet.rows):
        filled = [(j, c) for j, c in enumerate(row) if not parse.is_blank(c)]
        if not filled:
            continue
        j0, first = filled[0]
        # The value sits right of the label; further right is an explanation, never the value.
        value = row[j0 + 1] if j0 + 1 < len(row) else None
        key = schema.header_key(first)
        place = Place(file_name, sheet.name, f"{column_letter(sheet.col0 + j0 + 1)}{sheet.row0 + i + 1}")
        if key == tier_header:
            in_tiers = True
            continue
        spec = by_label.get(key)
        if spec is not None:
            in_tiers = False
            _apply_setting(settings, spec, value, place, acc)
        elif in_tiers:
            tier = parse.parse_tier(first)
            if tier is None:
                continue
            cell = row[j0 + 1] if j0 + 1 < len(row) else None
            if parse.is_blank(cell):
                settings.minimums[tier] = None
                continue
            amount, reason = parse.parse_amount(cell)
            if amount is None:
                acc.problems.append(problem(place, "PENGATURAN_TIDAK_VALID", label=f"Minimum {tier.label}",
                                            value=parse.cell_text(cell), default=rupiah(DEFAULT_MINIMUMS[tier])))
                settings.minimums[tier] = DEFAULT_MINIMUMS[tier]
            else:
                settings.minimums[tier] = amount


def _apply_setting(settings: Settings, spec: schema.SettingSpec, value: object, place: Place,
                   acc: _Accumulator) -> None:
    if parse.is_blank(value):
        if spec.kind in ("text", "list"):
            setattr(settings, spec.key, "" if spec.kind == "text" else ())
        return
    if spec.kind == "int":
        parsed, _ = parse.parse_amount(value)
        if spec.key == "jiku_bata_day" and parsed is not None and not 1 <= parsed <= 31:
            parsed = None
    elif spec.kind == "bool":
        parsed = parse.parse_yes_no(value)
    elif spec.kind == "list":
        parsed = tuple(p.strip() for p in str(value).replace("\n", ";").split(";") if p.strip())
    else:
        parsed = parse.cell_text(value)
    if parsed is None:
        acc.problems.append(problem(place, "PENGATURAN_TIDAK_VALID", label=spec.label,
                                    value=parse.cell_text(value), default=str(getattr(settings, spec.key))))
        return
    setattr(settings, spec.key, parsed)


_SHEET_READERS = {
    schema.EMPLOYEES.name.casefold(): _read_employees,
    schema.OFFICES.name.casefold(): _read_offices,
    schema.SELLERS.name.casefold(): _read_sellers,
    schema.SHEET_SETTINGS.casefold(): _read_settings,
}
