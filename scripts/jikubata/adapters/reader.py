"""Read the input workbooks into domain records and row-level problems.

Which files, and how each becomes sheets of rows, is `files` (python-calamine
and CSV; read-only: inputs are never modified). The same row-reading code
serves sheets that arrive as lists of rows from elsewhere (the live Excel
workbook through xlwings).

A reader never decides a rule: checks that compare records (duplicate NIP,
unknown NIP, duplicate receipt, dates against today…) live in `validation`.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional, Sequence

from jikubata.adapters import forms
from jikubata.adapters import files
from jikubata.adapters.files import SheetRows
from jikubata.domain import parse, schema
from jikubata.domain.model import (DEFAULT_MINIMUMS, Dataset, Employee, Office, Place, Problem, Purchase, Seller,
                     Settings, SheetSource, column_letter)
from jikubata.domain.errors import InputError
from jikubata.domain.indonesian import rupiah
from jikubata.domain.problems import problem

HEADER_SEARCH_ROWS = 10
_UNSEEN = object()
log = logging.getLogger("jikubata.reader")


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
    saved_at: dict = field(default_factory=dict)
    ignored_files: list = field(default_factory=list)
    unreadable: list = field(default_factory=list)
    forms: dict = field(default_factory=dict)

    def dataset(self) -> Dataset:
        return Dataset(self.settings, self.employees, self.purchases, self.offices, self.sellers,
                       self.problems, self.has_seller_sheet, self.files, self.rejected_nips,
                       saved_at=self.saved_at, ignored_files=self.ignored_files, forms=self.forms)


# ---------------------------------------------------------------- entry points


def read_inputs(paths: Sequence[str | os.PathLike],
                progress: Optional[Callable[[str], None]] = None) -> Dataset:
    """Read every spreadsheet of `paths`; raise InputError for an unusable one named on its own.

    A file found in a folder that cannot be read is a file-level problem
    (`BERKAS_TIDAK_TERBACA`), and the rest is read. calamine parses outside
    the GIL, so the next files are parsed in background threads while this
    one's rows are checked (a bounded look-ahead keeps memory flat).
    """
    inputs = files.list_inputs(paths)
    acc = _Accumulator()
    acc.ignored_files = inputs.ignored
    todo = inputs.files
    lookahead = 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending = [pool.submit(files.open_file, f.path) for f in todo[:lookahead]]
        for i, item in enumerate(todo):
            if progress:
                progress(f"membaca {item.path.name} ({i + 1}/{len(todo)})")
            future = pending.pop(0)
            if i + lookahead < len(todo):
                pending.append(pool.submit(files.open_file, todo[i + lookahead].path))
            try:
                book = future.result()
            except files.UnreadableFile as exc:
                if exc.detail:
                    log.debug("%s: %s", exc.file_name, exc.detail)
                if item.named:
                    raise
                acc.files.append(item.path.name)
                acc.unreadable.append(f"{item.path.name} ({exc.reason.split('.')[0]})")
                acc.problems.append(problem(Place(item.path.name, "", ""), "BERKAS_TIDAK_TERBACA", reason=exc.reason))
                continue
            acc.saved_at[book.name] = book.saved_at
            _read_workbook(book.name, book.sheets, acc)
            del book
            identity = forms.read_identity(item.path)  # an entry form says whose and which month it is
            if identity is not None:
                acc.forms[item.path.name] = identity
    return _finish(acc, todo[0].path.name if len(todo) == 1 else "berkas masukan")


def read_sheets(sources: Sequence[tuple[str, dict]]) -> Dataset:
    """Read workbooks given as `(file_name, {sheet_name: rows})`, rows from cell A1."""
    acc = _Accumulator()
    for file_name, sheets in sources:
        _read_workbook(file_name, (SheetRows(name, rows) for name, rows in sheets.items()), acc)
    return _finish(acc, sources[0][0] if len(sources) == 1 else "workbook")


def _finish(acc: _Accumulator, label: str) -> Dataset:
    if not acc.has_employee_sheet:
        unread = f" (berkas yang tidak terbaca: {'; '.join(acc.unreadable)})" if acc.unreadable else ""
        raise InputError(f"{label}: tidak ada lembar 'Pegawai' (daftar pegawai) di workbook mana pun{unread}")
    return acc.dataset()


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


def _empty_fields(sheet: SheetRows, source: SheetSource, i: int, cols: dict,
                  missing: list[schema.Column]) -> list[Problem]:
    """The problems of row `i` whose required fields read empty: an Excel error value or a formula saved
    without its value is named at its cell; the fields truly empty make BARIS_TIDAK_LENGKAP."""
    row_no = sheet.row0 + i + 1
    found, empty = [], []
    for column in missing:
        note = sheet.note(i, cols[column.key])
        if note is None:
            empty.append(column)
        elif note == files.FORMULA_WITHOUT_VALUE:
            found.append(problem(source.place(row_no, column.key), "RUMUS_TANPA_NILAI", column=column.header))
        else:
            found.append(problem(source.place(row_no, column.key), "SEL_GALAT_EXCEL", column=column.header,
                                 value=note))
    if empty:
        found.append(_incomplete(source, row_no, empty))
    return found


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
            acc.problems.extend(_empty_fields(sheet, source, i, cols, missing))
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
                acc.problems.extend(_empty_fields(sheet, source, i, cols, _missing(cells, spec)))
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
    date_cache: dict[str, Optional[dt.date]] = {}
    amount_cache: dict[str, tuple] = {}
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
                problems.extend(_empty_fields(sheet, source, i, cols, missing))
                continue
        ok = True
        # date
        t = type(d)
        if t is date_type:
            day = d
        elif t is datetime_type:
            day = d.date()
        else:
            # dates and amounts written as text (a CSV): few distinct values, parse each once
            day = date_cache.get(d, _UNSEEN) if t is str_type else _UNSEEN
            if day is _UNSEEN:
                day = parse_date(d)
                if t is str_type:
                    date_cache[d] = day
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
            verdict = amount_cache.get(a) if t is str_type else None
            if verdict is None:
                verdict = parse.parse_amount(a)
                if t is str_type:
                    amount_cache[a] = verdict
            amount, reason = verdict
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
