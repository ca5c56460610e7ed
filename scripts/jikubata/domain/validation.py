"""Checks that compare records with each other, with the settings and with today.

Pure: takes the Dataset a reader produced and returns one holding only the
records that count, with every problem found added. GALAT rows are left out,
PERINGATAN rows stay.
"""
from __future__ import annotations

import collections
import dataclasses
import itertools
import datetime as dt
import re
from typing import Iterable

from jikubata.domain import parse, reconciliation
from jikubata.domain.model import (PROGRAM_START, WIT, Dataset, Employee, FormIdentity, Place, Purchase, Severity,
                                   Sale, office_key, registered_only, seller_key)
from jikubata.domain.indonesian import month_year, rupiah, short_date, timestamp
from jikubata.domain.parse import printable
from jikubata.domain.problems import problem
from jikubata.domain.purchase_table import PurchaseTable

_name_key = parse.name_key  # names compare ignoring case, academic titles and punctuation


def validate(data: Dataset, today: dt.date) -> Dataset:
    replaced = superseded_forms(data.forms.values())
    # A replaced form counts wholesale for nothing: its rows and their problems leave before any check,
    # so the newer form's receipts are not duplicates of the old one's.
    problems = [p for p in data.problems if p.place.file not in replaced]
    problems += [_replaced_problem(data.forms[old], new) for old, new in replaced.items()]
    table = PurchaseTable.to_check(data.purchases)
    # A replaced form's rows count for nothing (checked against nothing).
    dropped = [k for k, source in enumerate(table.sources) if source is not None and source.file in replaced]

    employees, excluded_nips = _unique_employees(data.employees, problems, data.saved_at)
    excluded_nips |= data.rejected_nips
    roster = {e.nip: e for e in employees}

    only_registered = registered_only(data)
    registered = {seller_key(s.name) for s in data.sellers}
    check_sellers = data.has_seller_sheet or only_registered
    keep, repeats = _check_purchases(table, data, dropped, roster, excluded_nips, registered, check_sellers,
                                     only_registered, today, problems)
    if repeats:
        receipts: dict[str, int] = {}  # rows with a receipt, per file that has repeats
        for k, n in collections.Counter(table.source).items():
            source = table.sources[k]
            if source is not None and source.file in repeats:
                receipts[source.file] = receipts.get(source.file, 0) + n
        problems += _older_versions(repeats, receipts, data.saved_at)
    kept = table.counted(keep, {}, [])

    # The sellers' own books (README: Rekonsiliasi): checked like purchases, then set against the claims that count.
    seller_forms = [f for f in data.seller_forms.values()]
    replaced_books = superseded_forms(seller_forms)
    problems = [p for p in problems if p.place.file not in replaced_books]
    problems += [_replaced_problem(data.seller_forms[old], new) for old, new in replaced_books.items()]
    sales = _valid_sales([s for s in data.sales if s.source is None or s.source.file not in replaced_books],
                         today, problems, registered if check_sellers else None, only_registered, data.saved_at)
    counted, found, rec = reconciliation.reconcile(
        kept, sales, [f for f in seller_forms if f.file not in replaced_books], set(roster), data.settings)
    problems += found
    problems.sort(key=problem_order(data.files))
    return dataclasses.replace(data, employees=employees, purchases=counted, problems=problems, sales=sales,
                               reconciliation=rec)


def _valid_sales(sales: list[Sale], today: dt.date, problems: list, registered, only_registered: bool,
                 saved_at: dict) -> list[Sale]:
    """The sales that are a record at all: dated from the programme's start to today, from a registered UMKM
    where only those count, each receipt once (within a file the first row, across files the newest saved:
    a book sent again replaces the old one's rows)."""
    kept: list[Sale] = []
    receipt_keys, counting = _counting_receipts(sales, {}, saved_at)
    for s, receipt_key in zip(sales, receipt_keys):
        ok = True
        if s.date > today:
            problems.append(problem(s.place("date"), "TANGGAL_MASA_DEPAN", value=short_date(s.date),
                                    today=short_date(day=today)))
            ok = False
        elif s.date < PROGRAM_START:
            problems.append(problem(s.place("date"), "TANGGAL_SEBELUM_PROGRAM", value=short_date(s.date)))
            ok = False
        if registered is not None:
            if receipt_key[0] not in registered:
                problems.append(problem(s.place("seller"), "UMKM_TIDAK_TERDAFTAR",
                                        Severity.GALAT if only_registered else Severity.PERINGATAN, value=s.seller,
                                        consequence=" Buku penjualan ini tidak dicocokkan." if only_registered
                                        else " Buku penjualan ini tetap dicocokkan."))
                ok = ok and not only_registered
        first = counting[receipt_key]
        if first is not s:
            problems.append(_duplicate_receipt(s, s.place("receipt"), first, first.place("receipt"), saved_at))
            ok = False
        if ok:
            kept.append(s)
    return kept


def _counting_receipts(purchases: list[Purchase], seller_keys: dict, saved_at: dict) -> tuple[list, dict]:
    """Each purchase's receipt key (UMKM, No. Nota), and for each receipt the row that counts: within a file
    the first; across files the one in the file saved most recently (equal times: the file read first)."""
    keys: list[tuple] = []
    counting: dict[tuple, Purchase] = {}
    add_key, first_of, known_seller = keys.append, counting.setdefault, seller_keys.get
    for p in purchases:
        seller = known_seller(p.seller)
        if seller is None:
            seller = seller_keys[p.seller] = seller_key(p.seller)
        key = (seller, p.receipt.casefold())
        add_key(key)
        first = first_of(key, p)
        if first is not p and first.source is not None and p.source is not None \
                and first.source.file != p.source.file:
            mine, theirs = saved_at.get(p.source.file), saved_at.get(first.source.file)
            if mine is not None and theirs is not None and mine > theirs:
                counting[key] = p
    return keys, counting


def _check_purchases(table: PurchaseTable, data: Dataset, dropped: list[int], roster: dict, excluded_nips: set,
                     registered: set, check_sellers: bool, only_registered: bool, today: dt.date,
                     problems: list, every_row: bool = False) -> tuple[bytearray, dict]:
    """Every purchase row checked against the roster, its form, today, the UMKM list and the other rows' receipts:
    the problems found are added to `problems`; returns which rows count (`keep[i]`) and, per file, the files
    that repeat its receipts (for BERKAS_GANDA).

    Nearly every row passes every check: that is decided on the table's integers (README: Kinerja), and a
    `Purchase` is made only for a row with something to say. `every_row` checks every row the slow way (the
    test that both ways agree)."""
    n = table.rows()
    keep = bytearray(b"\x01") * n
    dropped_set = set(dropped)
    counting, contested = _counting_rows(table, dropped_set, data.saved_at)
    repeats: dict[str, dict[str, int]] = {}  # older file -> newer file -> its receipts repeated there
    limit = data.settings.reasonable_limit
    consequence = (" Belanja ini tidak dihitung karena hanya UMKM terdaftar yang dihitung."
                   if only_registered else " Belanja tetap dihitung.")
    employee_of = [roster.get(nip) for nip in table.nips]
    # The buyer-name number of each NIP's name in the roster (-1: nobody wrote it so): a row naming its buyer
    # exactly so, or not at all (0), needs no comparison.
    expected = [-1 if e is None else table.name_ids.get(e.name, -1) for e in employee_of]
    seller_ok = [not check_sellers or table.seller_keys[table.seller_key_ids[k]] in registered
                 for k in range(len(table.sellers))]
    names_ok: set[tuple[int, int]] = set()
    name_keys: dict[str, str] = {}
    roster_name_keys = _NameKeys(roster)
    today_o, start_o = today.toordinal(), PROGRAM_START.toordinal()
    current, form, drop, lo, hi, belongs = -1, None, False, start_o, today_o, {}
    columns = zip(range(n), table.day, table.nip, table.seller, table.amount, table.buyer, table.source)
    for i, d, who, seller, amount, buyer, k in columns:
        if k != current:  # rows come sheet by sheet: the form is looked up once per sheet
            current, belongs = k, {}
            source = table.sources[k]
            drop = k in dropped_set
            form = data.forms.get(source.file) if source is not None else None
            lo, hi = (max(start_o, form.period.first_day.toordinal()), min(today_o, form.period.last_day.toordinal())) \
                if form is not None else (start_o, today_o)
        if drop:
            keep[i] = 0
            continue
        e = employee_of[who]
        if e is not None and not every_row and lo <= d <= hi and amount <= limit and seller_ok[seller] and i not in contested \
                and (buyer == 0 or buyer == expected[who] or (buyer, who) in names_ok):
            if form is None:
                continue
            fits = belongs.get(who)
            if fits is None:
                fits = belongs[who] = form.belongs_to(printable(e.office))
            if fits:
                continue
        # Something to say about this row: the checks one by one, as written.
        p = table.purchase(i)
        ok = True
        nip, name, day = p.nip, p.buyer_name, p.date
        if e is None:
            if nip in excluded_nips:  # a roster row with its own problem explains the rest
                pass
            elif parse.is_nik_shaped(nip):  # a NIK identifies only the Wali Kota and Wakil in the roster
                problems.append(problem(p.place("nip"), "NIP_TIDAK_VALID", value=nip,
                                        reason=parse.NIK_NOT_ALLOWED_REASON))
            else:
                problems.append(problem(p.place("nip"), "NIP_TIDAK_TERDAFTAR", value=nip))
            ok = False
        elif form is not None and not form.belongs_to(printable(e.office)):
            problems.append(problem(p.place("nip"), "NIP_OPD_LAIN", value=nip, name=e.name,
                                    office=e.office, form_office=form.office))
        elif name and name != e.name and (
                name_keys.get(name) or name_keys.setdefault(name, _name_key(name))) != roster_name_keys[nip]:
            problems.append(problem(p.place("buyer_name"), "NAMA_TIDAK_COCOK", value=name,
                                    expected=e.name, nip=nip))
        elif name:
            names_ok.add((buyer, who))
        if day > today:
            problems.append(problem(p.place("date"), "TANGGAL_MASA_DEPAN", value=short_date(day),
                                    today=short_date(day=today)))
            ok = False
        elif day < PROGRAM_START:
            problems.append(problem(p.place("date"), "TANGGAL_SEBELUM_PROGRAM", value=short_date(day)))
            ok = False
        elif form is not None and not form.period.first_day <= day <= form.period.last_day:
            problems.append(problem(p.place("date"), "TANGGAL_DI_LUAR_PERIODE", value=short_date(day),
                                    period=month_year(form.period.year, form.period.month),
                                    month=month_year(day.year, day.month)))
        if not seller_ok[seller]:
            problems.append(problem(p.place("seller"), "UMKM_TIDAK_TERDAFTAR",
                                    Severity.GALAT if only_registered else Severity.PERINGATAN,
                                    value=p.seller, consequence=consequence))
            ok = ok and not only_registered
        if i in contested:
            first_i = counting[table.receipt_key(i)]
            if first_i != i:
                first = table.purchase(first_i)
                here, other = p.place("receipt"), first.place("receipt")
                if other.file != here.file:
                    newer = repeats.setdefault(here.file, {})
                    newer[other.file] = newer.get(other.file, 0) + 1
                problems.append(_duplicate_receipt(p, here, first, other, data.saved_at))
                ok = False
        if p.amount > limit:
            problems.append(problem(p.place("amount"), "JUMLAH_BESAR", value=rupiah(p.amount), limit=rupiah(limit)))
        if not ok:
            keep[i] = 0
    return keep, repeats


class _NameKeys(dict):
    """NIP -> `_name_key` of the roster's name, made when a row's buyer name is first compared with it."""

    def __init__(self, roster: dict):
        super().__init__()
        self.roster = roster

    def __missing__(self, nip: str) -> str:
        key = self[nip] = _name_key(self.roster[nip].name)
        return key


def _counting_rows(table: PurchaseTable, dropped: set, saved_at: dict) -> tuple[dict, set]:
    """For each receipt that more than one row holds (`PurchaseTable.receipt_key`), the row that counts, as
    `_counting_receipts` chooses it; and the rows that hold such a receipt.

    Millions of rows (README: Kinerja): only rows whose receipt hash another row has too are looked at, and
    among them the receipts themselves are compared."""
    hashes = table.receipt_hash
    counting: dict[tuple, int] = {}
    contested: set[int] = set()
    # A bit per hash value seen (16 bits per row, so about 6% of the rows share a bit with another by chance);
    # the rows whose bit was already set, then those whose whole hash another of them has.
    bits = 1 << 16
    while bits < 16 * len(hashes):
        bits <<= 1
    mask = bits - 1
    seen = bytearray(bits >> 3)
    twice = set()
    for b in map(mask.__and__, hashes):
        byte, bit = b >> 3, 1 << (b & 7)
        if seen[byte] & bit:
            twice.add(b)
        else:
            seen[byte] |= bit
    del seen
    if not twice:
        return counting, contested
    rows_of: dict[int, list[int]] = {}
    for i in itertools.compress(itertools.count(), map(twice.__contains__, map(mask.__and__, hashes))):
        rows_of.setdefault(hashes[i], []).append(i)
    candidates = sorted(i for rows in rows_of.values() if len(rows) > 1 for i in rows)
    sources, rows_source = table.sources, table.source
    for i in candidates:
        if rows_source[i] in dropped:
            continue
        key = table.receipt_key(i)
        first = counting.setdefault(key, i)
        if first == i:
            continue
        if first not in contested:
            contested.add(first)
        contested.add(i)
        mine, theirs = sources[rows_source[i]], sources[rows_source[first]]
        if mine is not None and theirs is not None and mine.file != theirs.file:
            mine_at, theirs_at = saved_at.get(mine.file), saved_at.get(theirs.file)
            if mine_at is not None and theirs_at is not None and mine_at > theirs_at:
                counting[key] = i
    return counting, contested


def _duplicate_receipt(p: Purchase, here, first: Purchase, other, saved_at: dict):
    """NOTA_GANDA on `p`, naming the row that counts and, across files, what differs."""
    if other.file == here.file:
        where = f"sel {other.cell}" if other.sheet == here.sheet else f"lembar {other.sheet}, sel {other.cell}"
        return problem(here, "NOTA_GANDA", value=p.receipt, seller=p.seller, other=where, differs="")
    when = saved_at.get(other.file)
    where = f"berkas yang disimpan lebih baru {other.file}" + (f" ({_local(when)})" if when else "") \
        if when is not None and saved_at.get(here.file) is not None and when > saved_at[here.file] \
        else f"berkas {other.file}"
    where += f", lembar {other.sheet}, sel {other.cell}"
    differences = []
    if p.amount != first.amount:
        differences.append(f"jumlah {rupiah(p.amount)} di sini, {rupiah(first.amount)} di sana")
    if p.date != first.date:
        differences.append(f"tanggal {p.date:%d/%m/%Y} di sini, {first.date:%d/%m/%Y} di sana")
    if p.nip != first.nip:
        differences.append(f"NIP {p.nip} di sini, {first.nip} di sana")
    differs = f" Bedanya: {'; '.join(differences)}." if differences else " Isinya sama."
    return problem(here, "NOTA_GANDA", value=p.receipt, seller=p.seller, other=where, differs=differs)


def _older_versions(repeats: dict, receipts: dict, saved_at: dict) -> list:
    """BERKAS_GANDA on a file when at least half its receipts are repeated in one newer file."""
    found = []
    for older, newer_files in repeats.items():
        newer, repeated = max(newer_files.items(), key=lambda item: item[1])
        total = receipts.get(older, 0)
        if total and repeated * 2 >= total and saved_at.get(newer) and saved_at.get(older) \
                and saved_at[newer] > saved_at[older]:
            found.append(problem(Place(older, "", ""), "BERKAS_GANDA", newer=newer, repeated=repeated, total=total,
                                 when=_local(saved_at[newer])))
    return found



def _local(when: dt.datetime) -> str:
    """A saved time as Ambon reads it."""
    return f"{when.astimezone(WIT):%d/%m/%Y %H:%M} WIT"


def superseded_forms(forms: Iterable[FormIdentity]) -> dict[str, FormIdentity]:
    """Entry forms replaced by a later one for the same OPD and period: file name -> the form that counts.

    The form saved last counts wholesale, whatever its receipts say. A form
    nobody saved since it was generated (a blank copy left in the folder)
    never replaces one that was filled in and saved.
    """
    groups: dict[tuple, list[FormIdentity]] = {}
    for f in forms:
        groups.setdefault((office_key(f.office), f.period), []).append(f)
    replaced: dict[str, FormIdentity] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        latest = max(group, key=_recency)
        for f in group:
            if f is not latest:
                replaced[f.file] = latest
    return replaced


def _recency(form: FormIdentity) -> tuple:
    return (not form.pristine, form.saved_at or form.generated_at, form.generated_at, form.file)


def _replaced_problem(old: FormIdentity, newer: FormIdentity):
    """A file-level problem: the place names the file only."""
    return problem(Place(old.file, "", ""), "FORMULIR_VERSI_LAMA", office=newer.office,
                   period=month_year(newer.period.year, newer.period.month), saved=_when(old),
                   other=newer.file, other_saved=_when(newer))


def _when(form: FormIdentity) -> str:
    """`disimpan 28-11-2026 09:15 WIT`, or that nobody saved it since it was made."""
    if form.pristine:
        return "belum diisi sejak dibuat"
    return "disimpan " + timestamp(form.saved_at.astimezone(WIT))


def problem_order(files: list[str]):
    """Sort key: file-level problems first, then files in input order, sheet, row and column of the cell."""
    rank = {f: i for i, f in enumerate(files)}

    def key(p):
        m = _CELL.match(p.place.cell)
        row, col = (int(m.group(2)), (len(m.group(1)), m.group(1))) if m else (0, (0, ""))
        file_level = not p.place.sheet and not p.place.cell
        return not file_level, rank.get(p.place.file, len(rank)), p.place.sheet.casefold(), row, col

    return key


_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def _unique_employees(employees: list[Employee], problems: list,
                      saved_at: dict) -> tuple[list[Employee], set[str]]:
    """Drop every row of a NIP listed twice (both rows reported)."""
    by_nip: dict[str, list[Employee]] = {}
    for e in employees:
        by_nip.setdefault(e.nip, []).append(e)
    unique, duplicated = [], set()
    for e in employees:
        rows = by_nip[e.nip]
        if len(rows) == 1:
            unique.append(e)
            continue
        duplicated.add(e.nip)
        others = ", ".join(_where(o, e) for o in rows if o is not e)
        problems.append(problem(e.place, "NIP_GANDA", value=e.nip, other=others))
    problems += _repeated_rosters(employees, by_nip, saved_at)
    return unique, duplicated


_COPY_NAME = re.compile(r"\(\d+\)|\bsalinan\b|\bcopy\b|\bkopi\b", re.IGNORECASE)


def _repeated_rosters(employees: list[Employee], by_nip: dict, saved_at: dict) -> list:
    """DAFTAR_PEGAWAI_GANDA on a file whose roster is at least half repeated in another file (a copy of the
    central workbook among the office files): the cause of its many NIP_GANDA, said once, on the copy —
    the file saved later; at equal times the one named like a copy (`… (1)`, `Salinan …`), else the later read."""
    files = [e.place.file for e in employees if e.place is not None]
    total = {f: files.count(f) for f in dict.fromkeys(files)}
    order = {f: i for i, f in enumerate(total)}

    def copy_of_pair(x: str, y: str) -> tuple[str, str]:
        tx, ty = saved_at.get(x), saved_at.get(y)
        if tx is not None and ty is not None and tx != ty:
            return (x, y) if tx > ty else (y, x)
        cx, cy = bool(_COPY_NAME.search(x)), bool(_COPY_NAME.search(y))
        if cx != cy:
            return (x, y) if cx else (y, x)
        return (x, y) if order[x] > order[y] else (y, x)

    shared: dict[tuple[str, str], int] = {}
    for rows in by_nip.values():
        owners = sorted({e.place.file for e in rows if e.place is not None}, key=order.get)
        for k, x in enumerate(owners):
            for y in owners[k + 1:]:
                shared[x, y] = shared.get((x, y), 0) + 1
    flagged: dict[str, tuple[int, str]] = {}
    for (x, y), n in shared.items():
        copy, original = copy_of_pair(x, y)
        if n * 2 >= total[copy] and n > flagged.get(copy, (0, ""))[0]:
            flagged[copy] = (n, original)
    return [problem(Place(copy, "", ""), "DAFTAR_PEGAWAI_GANDA", other=original, repeated=n, total=total[copy])
            for copy, (n, original) in sorted(flagged.items(), key=lambda item: order[item[0]])]


def _where(other: Employee, this: Employee) -> str:
    if other.place is None:
        return "baris lain"
    if this.place and (other.place.file, other.place.sheet) == (this.place.file, this.place.sheet):
        return f"sel {other.place.cell}"
    return f"{other.place.file}, lembar {other.place.sheet}, sel {other.place.cell}"
