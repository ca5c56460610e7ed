"""Checks that compare records with each other, with the settings and with today.

Pure: takes the Dataset a reader produced and returns one holding only the
records that count, with every problem found added. GALAT rows are left out,
PERINGATAN rows stay.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from jikubata.domain.model import (PROGRAM_START, WIT, Dataset, Employee, FormIdentity, Place, Purchase, Severity,
                                   office_key, registered_only, seller_key)
from jikubata.domain.indonesian import month_year, rupiah, short_date, timestamp
from jikubata.domain.parse import printable
from jikubata.domain.problems import problem

_NAME_NOISE = re.compile(r"[\W\d_]+")


def _name_key(name: str) -> str:
    return _NAME_NOISE.sub("", name.casefold())


def validate(data: Dataset, today: dt.date) -> Dataset:
    replaced = superseded_forms(data.forms.values())
    # A replaced form counts wholesale for nothing: its rows and their problems leave before any check,
    # so the newer form's receipts are not duplicates of the old one's.
    problems = [p for p in data.problems if p.place.file not in replaced]
    problems += [_replaced_problem(data.forms[old], new) for old, new in replaced.items()]
    purchases = [p for p in data.purchases if p.source is None or p.source.file not in replaced] \
        if replaced else data.purchases

    employees, excluded_nips = _unique_employees(data.employees, problems)
    excluded_nips |= data.rejected_nips
    roster = {e.nip: e for e in employees}

    only_registered = registered_only(data)
    registered = {seller_key(s.name) for s in data.sellers}
    check_sellers = data.has_seller_sheet or only_registered
    limit = data.settings.reasonable_limit
    seen_receipts: dict[tuple, Purchase] = {}
    kept: list[Purchase] = []
    consequence = (" Belanja ini tidak dihitung karena hanya UMKM terdaftar yang dihitung."
                   if only_registered else " Belanja tetap dihitung.")

    # Few distinct names and sellers among many rows: normalise each once.
    name_keys: dict[str, str] = {}
    seller_keys: dict[str, str] = {}
    roster_name_keys = {nip: _name_key(e.name) for nip, e in roster.items()}

    source, form = None, None
    for p in purchases:
        if p.source is not source:  # rows come sheet by sheet: look the form up once per sheet
            source = p.source
            form = data.forms.get(source.file) if source is not None else None
        ok = True
        employee = roster.get(p.nip)
        if employee is None:
            if p.nip not in excluded_nips:  # a roster row with its own problem explains the rest
                problems.append(problem(p.place("nip"), "NIP_TIDAK_TERDAFTAR", value=p.nip))
            ok = False
        elif form is not None and not form.belongs_to(printable(employee.office)):
            problems.append(problem(p.place("nip"), "NIP_OPD_LAIN", value=p.nip, name=employee.name,
                                    office=employee.office, form_office=form.office))
        elif p.buyer_name and p.buyer_name != employee.name and (
                name_keys.get(p.buyer_name) or name_keys.setdefault(p.buyer_name, _name_key(p.buyer_name))
        ) != roster_name_keys[p.nip]:
            problems.append(problem(p.place("buyer_name"), "NAMA_TIDAK_COCOK", value=p.buyer_name,
                                    expected=employee.name, nip=p.nip))
        if p.date > today:
            problems.append(problem(p.place("date"), "TANGGAL_MASA_DEPAN", value=short_date(p.date),
                                    today=short_date(day=today)))
            ok = False
        elif p.date < PROGRAM_START:
            problems.append(problem(p.place("date"), "TANGGAL_SEBELUM_PROGRAM", value=short_date(p.date)))
            ok = False
        elif form is not None and not form.period.first_day <= p.date <= form.period.last_day:
            problems.append(problem(p.place("date"), "TANGGAL_DI_LUAR_PERIODE", value=short_date(p.date),
                                    period=month_year(form.period.year, form.period.month),
                                    month=month_year(p.date.year, p.date.month)))
        key = seller_keys.get(p.seller)
        if key is None:
            key = seller_keys[p.seller] = seller_key(p.seller)
        if check_sellers and key not in registered:
            problems.append(problem(p.place("seller"), "UMKM_TIDAK_TERDAFTAR",
                                    Severity.GALAT if only_registered else Severity.PERINGATAN,
                                    value=p.seller, consequence=consequence))
            ok = ok and not only_registered
        receipt_key = (key, p.receipt.casefold())
        first = seen_receipts.get(receipt_key)
        if first is None:
            seen_receipts[receipt_key] = p
        else:
            other = first.place("receipt")
            where = f"sel {other.cell}" if (other.file, other.sheet) == (p.source.file, p.source.sheet) \
                else f"{other.file}, lembar {other.sheet}, sel {other.cell}"
            problems.append(problem(p.place("receipt"), "NOTA_GANDA", value=p.receipt, seller=p.seller, other=where))
            ok = False
        if p.amount > limit:
            problems.append(problem(p.place("amount"), "JUMLAH_BESAR", value=rupiah(p.amount), limit=rupiah(limit)))
        if ok:
            kept.append(p)

    problems.sort(key=problem_order(data.files))
    return Dataset(data.settings, employees, kept, data.offices, data.sellers, problems,
                   data.has_seller_sheet, data.files, data.rejected_nips, data.forms)


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
    """Sort key: files in input order, then sheet, then row and column of the cell."""
    rank = {f: i for i, f in enumerate(files)}

    def key(p):
        m = _CELL.match(p.place.cell)
        row, col = (int(m.group(2)), (len(m.group(1)), m.group(1))) if m else (0, (0, ""))
        return rank.get(p.place.file, len(rank)), p.place.sheet.casefold(), row, col

    return key


_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def _unique_employees(employees: list[Employee], problems: list) -> tuple[list[Employee], set[str]]:
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
    return unique, duplicated


def _where(other: Employee, this: Employee) -> str:
    if other.place is None:
        return "baris lain"
    if this.place and (other.place.file, other.place.sheet) == (this.place.file, this.place.sheet):
        return f"sel {other.place.cell}"
    return f"{other.place.file}, lembar {other.place.sheet}, sel {other.place.cell}"
