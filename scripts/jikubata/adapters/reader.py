"""Read the input workbooks into domain records and row-level problems.

Which files, and how each becomes sheets of rows, is `files` (python-calamine
and CSV; read-only: inputs are never modified). The same row-reading code
serves sheets that arrive as lists of rows from elsewhere (the live Excel
workbook through xlwings).

A reader never decides a rule: checks that compare records (duplicate NIP,
unknown NIP, duplicate receipt, dates against today…) live in `validation`.
"""
from __future__ import annotations

import dataclasses
from array import array
import datetime as dt
import logging
import operator
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

from jikubata.adapters import allocator, form_identity
from jikubata.adapters import files
from jikubata.adapters.files import SheetRows
from jikubata.domain import intake, parse, schema
from jikubata.domain.purchase_table import PurchaseTable
from jikubata.domain.model import (Dataset, Severity, Employee, Office, Place, Problem, Sale,
                                   Seller, Settings, SheetRead, SheetSource, NIK_TIERS, column_letter)
from jikubata.domain.errors import InputError
from jikubata.domain.problems import problem

_UNSEEN = object()
log = logging.getLogger("jikubata.reader")


@dataclass
class _Accumulator:
    settings: Settings = field(default_factory=Settings)
    settings_from: Optional[str] = None
    employees: list = field(default_factory=list)
    purchases: PurchaseTable = field(default_factory=PurchaseTable)
    offices: list = field(default_factory=list)
    sellers: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    has_seller_sheet: bool = False
    has_employee_sheet: bool = False
    files: list = field(default_factory=list)
    rejected_nips: set = field(default_factory=set)
    sheets: list = field(default_factory=list)
    saved_at: dict = field(default_factory=dict)
    ignored_files: list = field(default_factory=list)
    unreadable: list = field(default_factory=list)
    forms: dict = field(default_factory=dict)
    sales: list = field(default_factory=list)
    seller_forms: dict = field(default_factory=dict)
    # The verdicts of NIPs, dates and amounts already parsed (value -> verdict), shared by all purchase
    # sheets: a city repeats the same few hundred dates and amounts in every office's file.
    nip_verdicts: dict = field(default_factory=dict)
    date_verdicts: dict = field(default_factory=dict)
    amount_verdicts: dict = field(default_factory=dict)
    # A date cell's day as an ordinal, once per distinct cell value (a city repeats a few hundred days).
    same_day: dict = field(default_factory=dict)

    def dataset(self) -> Dataset:
        return Dataset(self.settings, self.employees, self.purchases, self.offices, self.sellers,
                       self.problems, self.has_seller_sheet, self.files, self.rejected_nips, self.sheets,
                       saved_at=self.saved_at, ignored_files=self.ignored_files, forms=self.forms,
                       sales=self.sales, seller_forms=self.seller_forms)


# ---------------------------------------------------------------- entry points


def read_inputs(paths: Sequence[str | os.PathLike],
                progress: Optional[Callable[[str], None]] = None,
                memory: Sequence[tuple[str, dict]] = ()) -> Dataset:
    """Read every spreadsheet of `paths`; raise InputError for an unusable one named on its own.

    A file found in a folder that cannot be read is a file-level problem
    (`BERKAS_TIDAK_TERBACA`), and the rest is read. calamine parses outside
    the GIL, so the next files are parsed in background threads while this
    one's rows are checked (a bounded look-ahead keeps memory flat).

    `memory` are workbooks already in memory (the open workbook of the Excel
    buttons, as for `read_sheets`), read first. Files are named by their file
    name; two of the same name (in two folders, or the open workbook and a
    file) are told apart by their folder: `Formulir-2026-11/Formulir….xlsx`.
    """
    inputs = files.list_inputs(paths)
    allocator.large_blocks_mapped()
    acc = _Accumulator()
    acc.ignored_files = list(inputs.ignored)
    for file_name, sheets in memory:
        _read_workbook(file_name, (SheetRows(name, rows) for name, rows in sheets.items()), acc)
    todo = inputs.files
    labels = file_labels([f.path for f in todo], taken=[name for name, _ in memory])
    lookahead = 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending = [pool.submit(files.open_file, f.path) for f in todo[:lookahead]]
        for i, item in enumerate(todo):
            if progress:
                progress(f"membaca {labels[item.path]} ({i + 1}/{len(todo)})")
            future = pending.pop(0)
            if i + lookahead < len(todo):
                pending.append(pool.submit(files.open_file, todo[i + lookahead].path))
            if item.opened_in:
                acc.problems.append(problem(Place(labels[item.path], "", ""), "BERKAS_SEDANG_DIBUKA",
                                            program=item.opened_in))
            try:
                book = future.result()
            except files.UnreadableFile as exc:
                if exc.detail:
                    log.debug("%s: %s", exc.file_name, exc.detail)
                if item.named:
                    raise
                label = labels[item.path]
                acc.files.append(label)
                acc.unreadable.append(f"{label} ({exc.reason.split('.')[0]})")
                acc.problems.append(problem(Place(label, "", ""), "BERKAS_TIDAK_TERBACA", reason=exc.reason))
                acc.sheets.append(SheetRead(label, "", None, skipped="berkas tidak dapat dibaca"))
                continue
            label = labels[item.path]
            acc.saved_at[label] = book.saved_at
            _read_workbook(label, book.sheets, acc)
            # An entry form says whose and which month it is, in whatever format it came back.
            identity = form_identity.identity_of(item.path, book)
            del book
            if identity is not None:
                found = acc.seller_forms if identity.kind == form_identity.SALES_KIND_CODE else acc.forms
                found[label] = replace(identity, file=label)
    return _finish(acc, labels[todo[0].path] if len(todo) == 1 and not memory else "berkas masukan")


def file_labels(paths: Sequence[Path], taken: Sequence[str] = ()) -> dict[Path, str]:
    """How each file is named in problems and sheets: its name; when other files (or a workbook in memory,
    `taken`) have the same name, the shortest run of folders that tells them all apart: `DINKES/2026-11/x.xlsx`
    and `DISHUB/2026-11/x.xlsx`."""
    groups: dict[str, list[Path]] = {}
    for path in paths:
        groups.setdefault(path.name.casefold(), []).append(path)
    taken_names = {name.casefold() for name in taken}
    labels: dict[Path, str] = {}
    for name, group in groups.items():
        if len(group) == 1 and name not in taken_names:
            labels[group[0]] = files.shown_name(group[0].name)
            continue
        depth = 1
        while True:
            tails = ["/".join(p.parts[-1 - depth:]) for p in group]
            if len({t.casefold() for t in tails}) == len(group) or depth >= max(len(p.parts) for p in group):
                break
            depth += 1
        labels.update(zip(group, map(files.shown_name, tails)))
    return labels


def read_sheets(sources: Sequence[tuple[str, dict]]) -> Dataset:
    """Read workbooks given as `(file_name, {sheet_name: rows})`, rows from cell A1."""
    acc = _Accumulator()
    for file_name, sheets in sources:
        _read_workbook(file_name, (SheetRows(name, rows) for name, rows in sheets.items()), acc)
    return _finish(acc, sources[0][0] if len(sources) == 1 else "workbook")


def _finish(acc: _Accumulator, label: str) -> Dataset:
    if not acc.has_employee_sheet:
        unread = f" (berkas yang tidak terbaca: {'; '.join(acc.unreadable)})" if acc.unreadable else ""
        raise InputError(f"{label}: tidak ada lembar 'Pegawai' (daftar pegawai) di workbook mana pun, juga tidak ada "
                         f"lembar berkolom {_needs(schema.EMPLOYEES)}{unread}")
    return acc.dataset()


# ---------------------------------------------------------------- sheets


def _read_workbook(file_name: str, sheets: Iterable[SheetRows], acc: _Accumulator) -> None:
    """Read each sheet as the table its name, or else its header row, says it is (README: Format berkas).

    Every sheet's fate is recorded (`Dataset.sheets`); a file from which no
    table was read is reported (`BERKAS_TANPA_DATA`), never passed silently.
    """
    acc.files.append(file_name)
    names, found_any = [], False
    for sheet in sheets:
        names.append(sheet.name)
        role, why = _role_of(sheet)
        if role is None:
            acc.sheets.append(SheetRead(file_name, sheet.name, None, skipped=why))
            continue
        found_any = True
        _fill_merged(sheet)
        outcome = _READERS[role](file_name, sheet, acc)
        if isinstance(outcome, str):
            acc.sheets.append(SheetRead(file_name, sheet.name, role, skipped=outcome))
        else:
            acc.sheets.append(SheetRead(file_name, sheet.name, role, outcome))
    if not found_any:
        listed = ", ".join(f"'{n}'" for n in names[:8]) + (f" dan {len(names) - 8} lainnya" if len(names) > 8 else "")
        acc.problems.append(problem(Place(file_name, "", ""), "BERKAS_TANPA_DATA",
                                    sheets=listed or "(tidak ada)", needs=_ROLE_NEEDS))


def _role_of(sheet: SheetRows) -> tuple[Optional[str], str]:
    """The role a sheet is read as, or None and why it is left alone (in Indonesian)."""
    return intake.role_of(sheet.name, sheet.rows, _FORM_HELPER_SHEETS)


# An entry form's guide and its hidden lists: its purchases are on `Belanja`.
_FORM_HELPER_SHEETS = {form_identity.SHEET_GUIDE.casefold(): "lembar petunjuk",
                       form_identity.SHEET_DATA.casefold(): "lembar data formulir OPD: identitas dan daftar pilihan"}


def _fill_merged(sheet: SheetRows) -> None:
    """A value merged down several rows applies to each row of the merge (rule 12)."""
    rows = sheet.rows
    for (r0, c0), (r1, _c1) in sheet.merged:
        i0, j = r0 - sheet.row0, c0 - sheet.col0
        if r1 <= r0 or i0 < 0 or j < 0 or i0 >= len(rows) or j >= len(rows[i0]):
            continue
        value = rows[i0][j]
        if parse.is_blank(value):
            continue
        for i in range(i0 + 1, min(r1 - sheet.row0, len(rows) - 1) + 1):
            row = rows[i]
            if j < len(row) and parse.is_blank(row[j]):
                row[j] = value


def _find_header(file_name: str, sheet: SheetRows, spec: schema.SheetSpec, acc: _Accumulator):
    """Locate the header row in the first rows; return (SheetSource, first data index, columns) or None.

    Which row and columns is `intake.header_columns`. A doubtful amount
    column is reported; a missing required column is reported at the header
    row's first cell and the sheet is skipped.
    """
    header = intake.header_columns(sheet.rows, spec)
    best_index, best_cols = header.index, header.columns
    if header.doubtful is not None:
        row = sheet.rows[best_index]
        place = Place(file_name, sheet.name,
                      f"{column_letter(sheet.col0 + header.doubtful)}{sheet.row0 + best_index + 1}")
        acc.problems.append(problem(place, "KOLOM_MERAGUKAN", value=parse.cell_text(row[header.doubtful]),
                                    used=parse.cell_text(row[best_cols["amount"]])))
    if header.missing:
        row = sheet.rows[best_index] if sheet.rows and header.named_any else []
        first = next((j for j, c in enumerate(row) if not parse.is_blank(c)), 0)
        place = Place(file_name, sheet.name, f"{column_letter(sheet.col0 + first)}{sheet.row0 + best_index + 1}")
        acc.problems.append(problem(place, "KOLOM_HILANG", columns=", ".join(header.missing)))
        return None
    source = SheetSource(file_name, sheet.name, {k: sheet.col0 + j for k, j in best_cols.items()})
    if "unit_price" in best_cols:  # problems with the amount are shown at the unit price
        source.columns["amount"] = source.columns["unit_price"]
    return source, best_index + 1, best_cols


_MISSING_COLUMNS = "kolom wajib tidak ditemukan, lihat KOLOM_HILANG"


def _row_cells(row: list, cols: dict) -> dict:
    width = len(row)
    return {k: (row[j] if j < width else None) for k, j in cols.items()}


def _missing(cells: dict, spec: schema.SheetSpec) -> list[schema.Column]:
    return [c for c in spec.required if c.key in cells and parse.is_blank(cells.get(c.key))]


def _incomplete(source: SheetSource, row_no: int, missing: list[schema.Column]) -> Problem:
    return problem(source.place(row_no, missing[0].key), "BARIS_TIDAK_LENGKAP",
                   columns=", ".join(c.header for c in missing))


def _damaged_row(sheet: SheetRows, source: SheetSource, i: int, cols: dict, spec: schema.SheetSpec) -> list[Problem]:
    """A CSV row with a NUL byte in one of its columns (a damaged stretch of the file): BARIS_TIDAK_TERBACA
    at that cell, and the row is not counted. Only a file that is mostly NULs is not a spreadsheet."""
    for column in spec.columns:
        if column.key in cols and sheet.note(i, cols[column.key]) == files.NUL_CELL:
            return [problem(source.place(sheet.row0 + i + 1, column.key), "BARIS_TIDAK_TERBACA",
                            column=column.header)]
    return []


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


def _read_employees(file_name: str, sheet: SheetRows, acc: _Accumulator):
    acc.has_employee_sheet = True
    found = _find_header(file_name, sheet, schema.EMPLOYEES, acc)
    if not found:
        return _MISSING_COLUMNS
    source, first, cols = found
    blank_tier_is_staff = intake.blank_tier_is_staff(cols)
    key_columns = [cols[k] for k in ("nip", "tier")]
    parse_tier, parse_status = _once_per_text(parse.parse_tier), _once_per_text(parse.parse_status)
    parse_grade = _once_per_text(parse.eselon_grade)
    parse_nip = _once_per_text(lambda value: parse.parse_nip(value, True), acc.nip_verdicts)
    count = 0
    for i in range(first, len(sheet.rows)):
        row = sheet.rows[i]
        if not any(not parse.is_blank(c) for c in row):
            continue
        row_no = sheet.row0 + i + 1
        cells = _row_cells(row, cols)
        if parse.is_blank(cells["nip"]) and intake.is_totals_row(row, key_columns):
            continue
        missing = _missing(cells, schema.EMPLOYEES)
        if missing and i in sheet.totals:
            continue
        count += 1
        if i in sheet.nul_rows and (damaged := _damaged_row(sheet, source, i, cols, schema.EMPLOYEES)):
            acc.problems.extend(damaged)
            continue
        missing = intake.roster_missing(missing, blank_tier_is_staff)
        if missing:
            acc.problems.extend(_empty_fields(sheet, source, i, cols, missing))
            continue
        tier = intake.roster_tier(cells["tier"], blank_tier_is_staff, parse_tier)
        nip, code, reason = parse_nip(cells["nip"])
        if nip and parse.is_nik_shaped(nip) and tier not in NIK_TIERS:
            acc.rejected_nips.add(nip)  # its purchases need no second report
            nip, code, reason = None, parse.NIP_INVALID, parse.NIK_NOT_ALLOWED_REASON
        ok = True
        if code:
            acc.problems.append(problem(source.place(row_no, "nip"), code, value=parse.cell_text(cells["nip"]),
                                        reason=reason))
            ok = False
        if tier is None:
            acc.problems.append(problem(source.place(row_no, "tier"), "ESELON_TIDAK_DIKENAL",
                                        value=parse.cell_text(cells["tier"])))
            ok = False
        status = parse_status(cells.get("status"))
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
            name = parse.full_name(cells.get("title_front"), cells["name"], cells.get("title_back"))
            acc.employees.append(Employee(
                nip=nip, name=name, position=parse.cell_text(cells["position"]),
                tier=tier, office=parse.cell_text(cells["office"]), status=status,
                start=dates["start"], end=dates["end"], email=parse.cell_text(cells.get("email")),
                place=source.place(row_no, "nip"), grade=parse_grade(cells["tier"])))
    return count


def _once_per_text(parse_value: Callable, seen: Optional[dict] = None) -> Callable:
    """`parse_value` with each distinct text parsed once (a roster repeats a few tiers and statuses), its
    verdicts kept in `seen` (default: for this sheet only)."""
    seen = {} if seen is None else seen

    def parsed(value):
        if type(value) is not str:
            return parse_value(value)
        if value not in seen:
            seen[value] = parse_value(value)
        return seen[value]

    return parsed


def _named_rows(file_name: str, sheet: SheetRows, spec: schema.SheetSpec, acc: _Accumulator, counter: list):
    """Rows of a reference sheet (OPD, UMKM) keyed by a name: yield (source, row number, cells).

    A row without its name but with other content is reported, not dropped
    (unless it is a totals row; an Excel Table's totals row is never an entry).
    `counter[0]` counts the data rows; it stays None when the header was not found.
    """
    found = _find_header(file_name, sheet, spec, acc)
    if not found:
        return
    source, first, cols = found
    counter[0] = 0
    for i in range(first, len(sheet.rows)):
        if i in sheet.totals:  # a list of names has nothing to total: its table's totals row is no entry
            continue
        cells = _row_cells(sheet.rows[i], cols)
        if intake.is_totals_name(sheet.rows[i], cols["name"]):
            continue
        if parse.is_blank(cells["name"]):
            if any(not parse.is_blank(v) for v in cells.values()) \
                    and not intake.is_totals_row(sheet.rows[i], [cols["name"]]):
                counter[0] += 1
                acc.problems.extend(_empty_fields(sheet, source, i, cols, _missing(cells, spec)))
            continue
        counter[0] += 1
        yield source, sheet.row0 + i + 1, cells


def _texts(cells: dict, spec: schema.SheetSpec) -> dict:
    return {c.key: parse.cell_text(cells.get(c.key)) for c in spec.columns}


def _read_offices(file_name: str, sheet: SheetRows, acc: _Accumulator):
    counter = [None]
    for source, row_no, cells in _named_rows(file_name, sheet, schema.OFFICES, acc, counter):
        head_nip = cells.get("head_nip")
        if not parse.is_blank(head_nip):
            nip, code, reason = parse.parse_nip(head_nip, nik=True)
            if code:
                acc.problems.append(problem(source.place(row_no, "head_nip"), code,
                                            value=parse.cell_text(head_nip), reason=reason))
        acc.offices.append(Office(**_texts(cells, schema.OFFICES), place=source.place(row_no, "name")))
    return _MISSING_COLUMNS if counter[0] is None else counter[0]


def _read_sellers(file_name: str, sheet: SheetRows, acc: _Accumulator):
    acc.has_seller_sheet = True
    counter = [None]
    for _, _, cells in _named_rows(file_name, sheet, schema.SELLERS, acc, counter):
        acc.sellers.append(Seller(**_texts(cells, schema.SELLERS)))
    return _MISSING_COLUMNS if counter[0] is None else counter[0]


def _read_purchases(file_name: str, sheet: SheetRows, acc: _Accumulator):
    """The hot loop: city scale is hundreds of thousands of rows, so the common
    cell types take a short path and a Place is only built for a problem."""
    found = _find_header(file_name, sheet, schema.PURCHASES, acc)
    if not found:
        return _MISSING_COLUMNS
    source, first, cols = found
    rows = sheet.rows
    if "unit_price" in cols:
        rows, product = intake.with_products(rows, first, cols["unit_price"], cols["quantity"], max(cols.values()) + 1)
        cols = dict(cols, amount=product)
    c_date, c_nip, c_seller, c_amount, c_receipt = (cols[k] for k in ("date", "nip", "seller", "amount", "receipt"))
    c_name = cols.get("buyer_name")
    need = max(cols.values()) + 1
    # One C call picks a row's cells (an absent `Nama Pegawai` picks the receipt, then reads as ""). Product and
    # note only tell a blank or totals row (`_row_cells`): no later step reads them, so no purchase keeps them.
    pick = operator.itemgetter(c_date, c_nip, c_seller, c_amount, c_receipt, c_receipt if c_name is None else c_name)
    no_name = c_name is None
    # Few distinct NIPs, dates written as text (a CSV) and amounts among many rows: each is parsed once.
    nip_cache, date_cache, amount_cache = acc.nip_verdicts, acc.date_verdicts, acc.amount_verdicts
    month_first = intake.month_first_dates(rows, first, c_date)
    if month_first is not None:  # this sheet's text dates are month/day/year: its own verdicts
        date_cache, (example, meaning) = month_first
        acc.problems.append(problem(source.place(sheet.row0 + first, "date"), "TANGGAL_BULAN_DULU",
                                    column=parse.cell_text(rows[first - 1][c_date]) if first else "Tanggal",
                                    example=example, meaning=meaning))
    date_type, datetime_type, float_type, int_type, str_type = dt.date, dt.datetime, float, int, str
    problems, parse_nip, parse_date = acc.problems, parse.parse_nip, parse.parse_date
    # The row goes into the purchase table's columns (README: Kinerja): distinct NIPs, UMKM and names are
    # numbered once, the receipts of the sheet kept as one string.
    table = acc.purchases
    same_day = acc.same_day
    nip_ids, seller_ids, name_ids = table.nip_ids, table.seller_ids, table.name_ids
    seller_to_key = table.seller_key_ids
    add_day, add_nip, add_seller, add_amount = table.day.append, table.nip.append, table.seller.append, \
        table.amount.append
    add_buyer, add_row, add_hash = table.buyer.append, table.row.append, table.receipt_hash.append
    receipts: list[str] = []
    add_receipt = receipts.append
    source_id = table.source_id(source)
    first_row = len(table.day)
    text, max_amount, whole_rupiah = parse.cell_text, parse.MAX_AMOUNT, parse.whole_rupiah
    row0 = sheet.row0 + 1
    skipped = 0
    sums_above = intake.SumsAbove(rows, first, cols)
    for i, row in enumerate(rows[first:], first):
        if len(row) < need:
            row = list(row) + [""] * (need - len(row))
        if i in sheet.nul_rows and (damaged := _damaged_row(sheet, source, i, cols, schema.PURCHASES)):
            problems.extend(damaged)
            continue
        d, n, s, a, r, name = pick(row)
        if d == "" or n == "" or s == "" or a == "" or r == "" or d is None or n is None or s is None \
                or a is None or r is None:
            cells = _row_cells(row, cols)
            if all(parse.is_blank(v) for v in cells.values()) or i in sheet.totals \
                    or intake.is_totals_row(row, (c_date, c_nip, c_receipt)) \
                    or sums_above.is_total(row, i, cells):
                skipped += 1
                continue
            missing = _missing(cells, schema.PURCHASES)
            if missing:
                problems.extend(_empty_fields(sheet, source, i, cols, missing))
                continue
        ok = True
        # date
        t = type(d)
        if t is datetime_type or t is date_type:  # the ordinal of the day
            day = same_day.get(d)
            if day is None:
                day = same_day[d] = (d.date() if t is datetime_type else d).toordinal()
        else:
            day = date_cache.get(d, _UNSEEN) if t is str_type else _UNSEEN
            if day is _UNSEEN:
                day = parse_date(d)
                if t is str_type:
                    date_cache[d] = day
            if day is None:
                problems.append(problem(source.place(row0 + i, "date"), "TANGGAL_TIDAK_VALID",
                                        value=parse.cell_text(d)))
                ok = False
            else:
                day = day.toordinal()
        # NIP (the Wali Kota's NIK is checked against the roster)
        if type(n) is str_type:
            verdict = nip_cache.get(n)
            if verdict is None:
                verdict = nip_cache[n] = parse_nip(n, True)
        else:
            verdict = parse_nip(n, True)
        nip = verdict[0]
        if nip is None:
            problems.append(problem(source.place(row0 + i, "nip"), verdict[1], value=parse.cell_text(n),
                                    reason=verdict[2]))
            ok = False
        # amount: numbers and text alike (an int and the float equal to it have the same verdict)
        t = type(a)
        cached = t is float_type or t is int_type or t is str_type
        verdict = amount_cache.get(a) if cached else None
        if verdict is None:
            if t is intake.BadAmount:  # unit price × quantity that could not be computed
                verdict = None, str(a)
            elif (t is float_type or t is int_type) and 1 <= a < max_amount:  # not nan, inf or junk like 1e308
                verdict = whole_rupiah(a), ""
            else:
                verdict = parse.parse_amount(a)
            if cached:
                amount_cache[a] = verdict
        amount = verdict[0]
        if amount is None:
            problems.append(problem(source.place(row0 + i, "amount"), "JUMLAH_TIDAK_VALID",
                                    reason=verdict[1]))
            ok = False
        if not ok:
            continue
        if no_name:
            name = ""
        s = s.strip() if type(s) is str_type else text(s)
        name = name.strip() if type(name) is str_type else text(name)
        r = r.strip() if type(r) is str_type else text(r)
        seller = seller_ids.get(s)
        if seller is None:
            seller = table.seller_id(s)
        who = nip_ids.get(nip)
        if who is None:
            who = table.nip_id(nip)
        buyer = name_ids.get(name)
        if buyer is None:
            buyer = table.name_id(name)
        add_day(day)
        add_nip(who)
        add_seller(seller)
        add_amount(amount)
        add_buyer(buyer)
        add_row(row0 + i)
        add_receipt(r)
        add_hash(hash((seller_to_key[seller], r.casefold())))
    table.add_receipts(receipts)
    table.source.extend(array("i", [source_id]) * (len(table.day) - first_row))
    return len(rows) - first - skipped


def _read_sales(file_name: str, sheet: SheetRows, acc: _Accumulator):
    """A seller's sales book (README: Rekonsiliasi): date, No. Nota and amount required; the seller from its column or,
    in a book made for one seller, from the line above the header; buyer's NIP, name, OPD, product optional.

    A buyer's NIP that is not valid is reported as a warning and the sale is kept without it."""
    header = intake.match_header(sheet.rows, schema.SALES)
    named = None if "seller" in header.matches else intake.seller_above(sheet.rows[:header.index])
    found = _find_header(file_name, sheet, _SALES_ONE_SELLER if named else schema.SALES, acc)
    if not found:
        return _MISSING_COLUMNS
    source, first, cols = found
    rows = sheet.rows
    c_date, c_receipt, c_amount = cols["date"], cols["receipt"], cols["amount"]
    optional = [(k, cols.get(k)) for k in ("seller", "nip", "buyer_name", "office", "product", "note")]
    need = max(cols.values()) + 1
    required = [c for c in _SALES_ONE_SELLER.required] + ([] if named else [schema.SALES.columns[-1]])
    nip_cache, date_cache, amount_cache = acc.nip_verdicts, acc.date_verdicts, acc.amount_verdicts
    month_first = intake.month_first_dates(rows, first, c_date)
    if month_first is not None:
        date_cache, (example, meaning) = month_first
        acc.problems.append(problem(source.place(sheet.row0 + first, "date"), "TANGGAL_BULAN_DULU",
                                    column=parse.cell_text(rows[first - 1][c_date]) if first else "Tanggal",
                                    example=example, meaning=meaning))
    text, blank = parse.cell_text, parse.is_blank
    keys = list(cols)
    pick_cells = operator.itemgetter(*cols.values())
    # One C call picks a row's cells, as for purchases (an optional column that is absent picks the receipt,
    # then reads as absent).
    c_seller, c_nip, c_name, c_office, c_product, c_note = (cols.get(k) for k, _ in optional)
    pick = operator.itemgetter(c_date, c_receipt, c_amount, *(
        c_receipt if c is None else c for c in (c_seller, c_nip, c_name, c_office, c_product, c_note)))
    no_nip, no_name, no_office, no_product, no_note = (
        c is None for c in (c_nip, c_name, c_office, c_product, c_note))
    optional_cols = [j for k, j in optional if j is not None]
    str_type, date_type, datetime_type, int_type, float_type = str, dt.date, dt.datetime, int, float
    add_sale, problems, totals = acc.sales.append, acc.problems, sheet.totals
    parse_date, parse_nip, parse_amount, whole_rupiah = parse.parse_date, parse.parse_nip, parse.parse_amount, \
        parse.whole_rupiah
    max_amount, row0 = parse.MAX_AMOUNT, sheet.row0 + 1
    # The seller as written, once per spelling (a book names a few sellers, or only one, on every line).
    seller_names: dict = {}
    count = 0
    for i in range(first, len(rows)):
        row = rows[i]
        if len(row) < need:
            row = list(row) + [""] * (need - len(row))
        d, r, a, seller_cell, n, name, office, product, note = pick(row)
        if named:
            seller_cell = named
        if type(r) is str_type:
            r = r.strip()
        if d is None or d == "" or r is None or r == "" or a is None or a == "" or seller_cell is None \
                or seller_cell == "" or (type(d) is str_type and not d.strip()):
            if all(blank(c) for c in row) or i in totals:
                continue
            cells = dict(zip(keys, pick_cells(row)))
            missing = [c for c in required if blank(cells.get(c.key))]
            if missing:
                if intake.is_totals_row(row, (c_date, c_receipt)) or (
                        blank(d) and blank(r) and intake.amount_value(a) is not None
                        and all(blank(row[j]) for j in optional_cols)):
                    continue  # a totals row, labelled or not
                count += 1
                problems.extend(_empty_fields(sheet, source, i, cols, missing))
                continue
        elif i in totals:
            continue
        count += 1
        t = type(d)
        if t is datetime_type:
            day = d.date()
        elif t is date_type:
            day = d
        else:
            day = date_cache.get(d, _UNSEEN) if t is str_type else _UNSEEN
            if day is _UNSEEN:
                day = parse_date(d)
                if t is str_type:
                    date_cache[d] = day
        t = type(a)
        cached = t is int_type or t is float_type or t is str_type
        verdict = amount_cache.get(a) if cached else None
        if verdict is None:
            verdict = (whole_rupiah(a), "") if (t is int_type or t is float_type) and 1 <= a < max_amount \
                else parse_amount(a)
            if cached:
                amount_cache[a] = verdict
        if day is None or verdict[0] is None:
            if day is None:
                problems.append(problem(source.place(row0 + i, "date"), "TANGGAL_TIDAK_VALID", value=text(d)))
            if verdict[0] is None:
                problems.append(problem(source.place(row0 + i, "amount"), "JUMLAH_TIDAK_VALID", reason=verdict[1]))
            continue
        nip = ""
        if not no_nip and n is not None and n != "":
            found_nip = nip_cache.get(n) if type(n) is str_type else None
            if found_nip is None:
                found_nip = parse_nip(n, True)
                if type(n) is str_type:
                    nip_cache[n] = found_nip
            if found_nip[0] is None:
                if not blank(n):
                    problems.append(problem(source.place(row0 + i, "nip"), found_nip[1], Severity.PERINGATAN,
                                            value=text(n), reason=found_nip[2]))
            else:
                nip = found_nip[0]
        if named:
            seller = named
        else:
            seller = seller_names.get(seller_cell) if type(seller_cell) is str_type else None
            if seller is None:
                seller = text(seller_cell).strip()
                if type(seller_cell) is str_type:
                    seller_names[seller_cell] = seller
        add_sale(Sale(day, seller, verdict[0], r if type(r) is str_type else text(r), nip,
                      "" if no_name or name is None else name.strip() if type(name) is str_type else text(name),
                      "" if no_office or office is None else office.strip() if type(office) is str_type
                      else text(office),
                      "" if no_product or product is None else product.strip() if type(product) is str_type
                      else text(product),
                      "" if no_note or note is None else note.strip() if type(note) is str_type else text(note),
                      source, row0 + i))
    return count


_SALES_ONE_SELLER = schema.SheetSpec(schema.SALES.name, tuple(
    dataclasses.replace(c, required=False) if c.key == "seller" else c for c in schema.SALES.columns))


def _read_settings(file_name: str, sheet: SheetRows, acc: _Accumulator) -> None:
    """The settings (`intake.read_settings`), taken from the first workbook that has a `Pengaturan` sheet."""
    if acc.settings_from is not None:
        return f"pengaturan sudah diambil dari {acc.settings_from}"
    acc.settings_from = file_name

    def place_of(i: int, j: int) -> Place:
        return Place(file_name, sheet.name, f"{column_letter(sheet.col0 + j)}{sheet.row0 + i + 1}")

    return intake.read_settings(sheet.rows, acc.settings, place_of, acc.problems)


_READERS = {
    schema.ROLE_PURCHASES: _read_purchases,
    schema.ROLE_EMPLOYEES: _read_employees,
    schema.ROLE_OFFICES: _read_offices,
    schema.ROLE_SELLERS: _read_sellers,
    schema.ROLE_SETTINGS: _read_settings,
    schema.ROLE_SALES: _read_sales,
}
def _needs(spec: schema.SheetSpec) -> str:
    by_key = {c.key: c.header for c in spec.columns}
    return ", ".join(by_key[k] for k in spec.detect)


_ROLE_NEEDS = "; ".join([
    f"belanja (nama lembar diawali '{schema.PURCHASE_PREFIX}', atau kolom {_needs(schema.PURCHASES)})",
    f"pegawai (lembar '{schema.EMPLOYEES.name}', atau kolom {_needs(schema.EMPLOYEES)})",
    f"UMKM (lembar '{schema.SELLERS.name}', atau kolom {_needs(schema.SELLERS)})",
    f"OPD (lembar '{schema.OFFICES.name}', atau kolom {_needs(schema.OFFICES)})",
    f"buku penjualan UMKM (nama lembar diawali '{schema.SALES_PREFIX}', atau kolom {_needs(schema.SALES)})",
    f"pengaturan (lembar '{schema.SHEET_SETTINGS}')",
])
