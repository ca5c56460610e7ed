"""The intake rules (README: Format berkas): what the rows of a sheet say, decided without a file.

The reader (`adapters/reader.py`) opens the files and hands each sheet's
rows here: which row is the header and which columns it names, which
column gives a purchase's amount. A row is a list of cell values as a
workbook holds them (text, numbers, dates, None).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from jikubata.domain import schema

HEADER_SEARCH_ROWS = 10   # the header row is one of a sheet's first rows

# header key -> [(column key, rank)] per table: one dictionary look-up per header cell.
_HEADER_LOOKUP: dict[str, dict[str, list]] = {}
for _spec in (schema.PURCHASES, schema.EMPLOYEES, schema.OFFICES, schema.SELLERS, schema.SALES):
    _lookup: dict[str, list] = {}
    for _column in _spec.columns:
        for _name in _column.names:
            _lookup.setdefault(schema.header_key(_name.header), []).append((_column.key, _name.rank))
    _HEADER_LOOKUP[_spec.name] = _lookup


# ---------------------------------------------------------------- the header row


@dataclass
class Header:
    """The header row of a sheet: its index, and per column key the cells naming it, strongest first."""

    index: int
    matches: dict  # key -> [(rank, column index)], sorted

    def best(self) -> dict:
        return {k: v[0][1] for k, v in self.matches.items()}


def match_header(rows: list, spec: schema.SheetSpec) -> Header:
    """The row of the first ten that names the most of the spec's columns."""
    lookup = _HEADER_LOOKUP[spec.name]
    best = Header(0, {})
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        matches: dict[str, list] = {}
        for j, cell in enumerate(row):
            if type(cell) is not str or not cell.strip():
                continue
            for column_key, rank in lookup.get(schema.header_key(cell), ()):
                matches.setdefault(column_key, []).append((rank, j))
        if len(matches) > len(best.matches):
            best = Header(i, {k: sorted(v) for k, v in matches.items()})
    return best


# ---------------------------------------------------------------- a purchase's amount


AMOUNT_KEYS = ("amount", "unit_price", "quantity")


def amount_columns(header: Header) -> tuple[dict, Optional[int]]:
    """Which columns give a purchase's amount (README: Format berkas).

    Returns the columns (`amount`, or `unit_price` and `quantity` when the
    amount is their product) and the index of a bare `Jumlah` that was taken
    as a quantity beside a stronger amount column, if any.
    """
    m = header.matches
    amounts = m.get("amount", [])
    strong = [j for rank, j in amounts if rank != schema.BARE_ALIAS.rank]
    bare = [j for rank, j in amounts if rank == schema.BARE_ALIAS.rank]
    unit = [j for _, j in m.get("unit_price", [])]
    quantity = [j for rank, j in m.get("quantity", []) if rank != schema.BARE_ALIAS.rank]
    if strong:
        return {"amount": strong[0]}, (bare[0] if bare else None)
    if bare and unit and not quantity:
        return {"unit_price": unit[0], "quantity": bare[0]}, None
    if bare:
        return {"amount": bare[0]}, None
    if unit and quantity:
        return {"unit_price": unit[0], "quantity": quantity[0]}, None
    return {}, None
