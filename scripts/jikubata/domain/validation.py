"""Checks that compare records with each other, with the settings and with today.

Pure: takes the Dataset a reader produced and returns one holding only the
records that count, with every problem found added. GALAT rows are left out,
PERINGATAN rows stay.
"""
from __future__ import annotations

import datetime as dt
import re

from jikubata.domain.model import PROGRAM_START, Dataset, Employee, Purchase, Severity, registered_only, seller_key
from jikubata.domain.indonesian import rupiah, short_date
from jikubata.domain.problems import problem

_NAME_NOISE = re.compile(r"[\W\d_]+")


def _name_key(name: str) -> str:
    return _NAME_NOISE.sub("", name.casefold())


def validate(data: Dataset, today: dt.date) -> Dataset:
    problems = list(data.problems)

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

    for p in data.purchases:
        ok = True
        employee = roster.get(p.nip)
        if employee is None:
            if p.nip not in excluded_nips:  # a roster row with its own problem explains the rest
                problems.append(problem(p.place("nip"), "NIP_TIDAK_TERDAFTAR", value=p.nip))
            ok = False
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
                   data.has_seller_sheet, data.files, data.rejected_nips)


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
