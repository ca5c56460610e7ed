"""The intake rules (README: Format berkas): what the rows of a sheet say, decided without a file.

The reader (`adapters/reader.py`) opens the files and hands each sheet's
rows here: which table a sheet is (by its name, else its header row), which
row is the header and which column holds each field, where a purchase's
amount comes from (an amount column, or unit price × quantity), which rows
only total the rows above, whether text dates are written month first,
what a blank Eselon means in a SIASN export, and what the `Pengaturan`
sheet sets. A row is a list of cell values as a workbook holds them (text,
numbers, dates, None); the reader turns the answers into records and
places its problems in the file.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Optional

from jikubata.domain import parse, schema
from jikubata.domain.indonesian import long_date, rupiah
from jikubata.domain.model import DEFAULT_MINIMUMS, Place, Problem, Settings, Tier
from jikubata.domain.problems import problem

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



@dataclass
class HeaderColumns:
    """What a sheet's header row says: where it is, the column of each field, and what is wrong with it."""

    index: int                  # the header row
    columns: dict               # column key -> index in the row (a purchase's amount: `amount_columns`)
    doubtful: Optional[int]     # a bare `Jumlah` beside a stronger amount column (KOLOM_MERAGUKAN)
    missing: list[str]          # the headers of required columns not found (KOLOM_HILANG)
    named_any: bool             # whether the row names any column of the table at all


def header_columns(rows: list, spec: schema.SheetSpec) -> HeaderColumns:
    """The header row and its columns (README: Format berkas): the row of the first ten naming the most
    of the table's columns; where several cells name one column, the strongest name wins. Purchases
    without an amount column need unit price and quantity instead."""
    header = match_header(rows, spec)
    cols, doubtful = header.best(), None
    if spec is schema.PURCHASES:
        amount_cols, doubtful = amount_columns(header)
        cols = {k: v for k, v in cols.items() if k not in AMOUNT_KEYS} | amount_cols
    missing = [c.header for c in spec.required
               if c.key not in cols and not (c.key == "amount" and "unit_price" in cols)]
    return HeaderColumns(header.index, cols, doubtful, missing, bool(header.matches))

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


class BadAmount(str):
    """An amount that could not be computed from unit price × quantity: the text is the reason."""


def with_products(rows: list, first: int, unit: int, quantity: int, need: int) -> tuple[list, int]:
    """The rows with one more column holding unit price × quantity, and that column's index."""
    out = list(rows[:first])
    width = need
    for row in rows[first:]:
        row = list(row) + [""] * (width - len(row))
        u, q = row[unit], row[quantity]
        if parse.is_blank(u) or parse.is_blank(q):
            row.append("")  # reported as an incomplete row
        else:
            price, why_price = parse.parse_amount(u)
            count, why_count = parse.parse_amount(q)
            if price is None or count is None:
                which = f"harga satuan {why_price}" if price is None else f"kuantitas {why_count}"
                row.append(BadAmount(which))
            else:
                row.append(price * count)
        out.append(row)
    return out, width


# ---------------------------------------------------------------- which table a sheet is


_ROLE_BY_NAME = {
    schema.EMPLOYEES.name.casefold(): schema.ROLE_EMPLOYEES,
    schema.OFFICES.name.casefold(): schema.ROLE_OFFICES,
    schema.SELLERS.name.casefold(): schema.ROLE_SELLERS,
    schema.SHEET_SETTINGS.casefold(): schema.ROLE_SETTINGS,
}
# A sheet with another name is tried as each of these, in this order.
_DETECTABLE = ((schema.ROLE_PURCHASES, schema.PURCHASES), (schema.ROLE_EMPLOYEES, schema.EMPLOYEES),
               (schema.ROLE_OFFICES, schema.OFFICES), (schema.ROLE_SELLERS, schema.SELLERS))


def role_of(name: str, rows: list, left_alone: Optional[Mapping[str, str]] = None) -> tuple[Optional[str], str]:
    """The role a sheet is read as, by its name or else its header row (README: Format berkas), or None and
    why it is left alone (in Indonesian). `left_alone` maps other sheet names (casefolded) to the reason
    they are not read (an entry form's guide and hidden lists: its purchases are on `Belanja`)."""
    key = name.strip().casefold()
    title = _first_text(rows)
    if title == schema.REPORT_TITLE:  # a sheet of our own summary (its `UMKM` sheet is no list of sellers)
        return None, "lembar keluaran Jiku Bata"
    if key in _ROLE_BY_NAME:
        return _ROLE_BY_NAME[key], ""
    if key.startswith(schema.PURCHASE_PREFIX.casefold()):
        return schema.ROLE_PURCHASES, ""
    if key.startswith(schema.SALES_PREFIX.casefold()):
        return schema.ROLE_SALES, ""
    if schema.is_output_sheet(name, title):
        return None, "lembar keluaran Jiku Bata"
    if left_alone and key in left_alone:
        return None, left_alone[key]
    if not any(any(not parse.is_blank(c) for c in row) for row in rows[:HEADER_SEARCH_ROWS]):
        return None, "kosong"
    found = {spec.name: _detected(rows, spec) for _, spec in _DETECTABLE[:2]}
    for role, spec in _DETECTABLE[:2]:
        if found[spec.name] == len(spec.detect):
            return role, ""
    if _is_sales_book(rows):
        return schema.ROLE_SALES, ""
    # More than half of the columns of purchases or the roster (3 of 5, 3 of 4): that table with a column
    # missing, read so that KOLOM_HILANG names what is missing; never a list of UMKM or offices that
    # happens to have their name column, nor a sheet passed over without a word.
    near = [(found[spec.name] / len(spec.detect), -k, role) for k, (role, spec) in enumerate(_DETECTABLE[:2])
            if 2 * found[spec.name] > len(spec.detect)]
    if near:
        return max(near)[2], ""
    for role, spec in _DETECTABLE[2:]:
        if _detected(rows, spec) == len(spec.detect) and not any(_names_nip(rows, s) for _, s in _DETECTABLE[:2]):
            return role, ""
    return None, "nama dan judul kolomnya tidak cocok dengan tabel mana pun"


def _is_sales_book(rows: list) -> bool:
    """A seller's sales book by its headers (README: Rekonsiliasi): date, No. Nota, amount and the seller, or the first
    three under a line naming the UMKM; never a sheet with an office's `NIP` or `Nama Pegawai` column (that
    is purchases with a column missing)."""
    header = match_header(rows, schema.SALES)
    found = header.best()
    if not {"date", "receipt", "amount"} <= found.keys():
        return False
    row = rows[header.index]
    if any(type(c) is str and schema.header_key(c) in _PURCHASE_ONLY for c in row):
        return False
    return "seller" in found or seller_above(rows[:header.index]) is not None


_PURCHASE_ONLY = {schema.header_key(h) for h in schema.PURCHASE_ONLY_HEADERS}
_SELLER_LABELS = {schema.header_key(h) for h in ("UMKM", "Nama UMKM", "Penjual")}


def seller_above(rows: list) -> Optional[str]:
    """The UMKM a sheet names above its header: `UMKM | Kopi Rempah` in two cells, or `UMKM: Kopi Rempah`."""
    for row in rows:
        for j, cell in enumerate(row):
            if type(cell) is not str:
                continue
            label, colon, rest = cell.partition(":")
            if schema.header_key(label) not in _SELLER_LABELS:
                continue
            if colon and rest.strip():
                return " ".join(rest.split())
            value = next((c for c in row[j + 1:] if not parse.is_blank(c)), None)
            if value is not None:
                return " ".join(parse.cell_text(value).split())
    return None


def _names_nip(rows: list, spec: schema.SheetSpec) -> bool:
    return "nip" in match_header(rows, spec).matches


def _first_text(rows: list) -> Optional[str]:
    """The first filled cell of the sheet's first row (a title, for sheets that have one)."""
    row = rows[0] if rows else ()
    return next((c.strip() for c in row if isinstance(c, str) and c.strip()), None)


def _detected(rows: list, spec: schema.SheetSpec) -> int:
    """How many of the spec's detection columns the sheet's header row names."""
    header = match_header(rows, spec)
    cols = header.best()
    if spec is schema.PURCHASES:
        cols = amount_columns(header)[0] | {k: v for k, v in cols.items() if k not in AMOUNT_KEYS}
        if "unit_price" in cols:
            cols["amount"] = cols["unit_price"]
    return sum(key in cols and not (spec.detect_by_own_header and header.matches[key][0][0] != 0)
               for key in spec.detect)


# ---------------------------------------------------------------- totals rows


# What a totals row says (`Total`, `Jumlah`, `Grand Total`, `Sub Total`, `TOTAL:`, `Jumlah Belanja`…).
_TOTAL_WORDS = ("total", "jumlah", "grandtotal", "subtotal")


def is_totals_row(row: list, blank_keys: Iterable[int]) -> bool:
    """A row that only sums the rows above: no NIP, date or nota, and a cell reading `Total`/`Jumlah`.

    `blank_keys` are the columns that must be blank or hold that word (NIP, date, nota). An Excel
    Table's totals row (`SheetRows.totals`, from the file) needs no label: it is skipped wherever a
    required field is blank (its SUBTOTAL may count the notas).
    """
    label = None
    for j, cell in enumerate(row):
        if type(cell) is str and schema.header_key(cell).startswith(_TOTAL_WORDS):
            label = j
            break
    if label is None:
        return False
    width = len(row)
    return all(j == label or j >= width or parse.is_blank(row[j]) for j in blank_keys)


def is_totals_name(row: list, name_col: int) -> bool:
    """A list's totals row typed by hand: the name cell reads just `Total`/`Jumlah` (`Jumlah:`, `TOTAL`,
    `Grand Total`, `Jumlah UMKM`, `Total OPD`) and every other cell is blank or a count (`25`, `25 UMKM`).
    `Jumlah Jaya` stays a name."""
    name = row[name_col] if name_col < len(row) else None
    if type(name) is not str:
        return False
    key = schema.header_key(name)
    if key not in _TOTAL_WORDS and not any(key == w + what for w in _TOTAL_WORDS for what in _LISTED):
        return False
    return all(j == name_col or parse.is_blank(v) or (isinstance(v, (int, float)) and not isinstance(v, bool))
               or (isinstance(v, str) and _COUNT_TEXT.match(v.strip())) for j, v in enumerate(row))


_LISTED = ("umkm", "opd", "perangkatdaerah", "pelaku", "usaha")
_COUNT_TEXT = re.compile(r"^\d+\s*(umkm|opd|perangkat daerah)?$", re.IGNORECASE)


class SumsAbove:
    """A totals row without a label, as an Excel Table's Total Row becomes once saved as .xls/.ods/.csv
    (the table itself is gone): nothing but an amount equal to the sum of the purchases above it (all of
    them, or those since the last such row: a subtotal), and at most the count of their notas under
    No. Nota. A row with anything else in it (a name, a product) is an incomplete purchase, reported."""

    def __init__(self, rows: list, first: int, cols: dict):
        self.rows, self.first = rows, first
        self.amount_col, self.receipt_col = cols["amount"], cols["receipt"]
        self.key_cols = (cols["date"], cols["nip"], cols["seller"])
        self.upto = first
        self.total = self.since = 0.0          # the purchases above; those since the last totals row
        self.receipts = self.receipts_since = 0

    def is_total(self, row: list, i: int, cells: dict) -> bool:
        amount = amount_value(cells.get("amount"))
        if amount is None or any(not parse.is_blank(v) for j, v in enumerate(row)
                                 if j not in (self.amount_col, self.receipt_col)):
            return False
        self._add_rows_up_to(i)
        receipt = cells.get("receipt")
        count = receipt if _is_number(receipt) else int(receipt) if str(receipt).strip().isdigit() else None
        if abs(amount - self.since) < 0.5 and (parse.is_blank(receipt) or count == self.receipts_since):
            self.since, self.receipts_since = 0.0, 0
            return True
        return abs(amount - self.total) < 0.5 and (parse.is_blank(receipt) or count == self.receipts)

    def _add_rows_up_to(self, i: int) -> None:
        """Purchases only: a row with a date, NIP or UMKM (a totals row above adds nothing)."""
        for r in self.rows[self.upto:i]:
            if not any(j < len(r) and not parse.is_blank(r[j]) for j in self.key_cols):
                continue
            value = amount_value(r[self.amount_col]) if len(r) > self.amount_col else None
            self.total += value or 0
            self.since += value or 0
            if len(r) > self.receipt_col and not parse.is_blank(r[self.receipt_col]):
                self.receipts += 1
                self.receipts_since += 1
        self.upto = max(self.upto, i)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def amount_value(value) -> Optional[float]:
    """An amount cell as a number (text as a CSV has it: `325000`, `Rp325.000`), else None."""
    if _is_number(value):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip():
        return parse.parse_amount(value)[0]
    return None


# ---------------------------------------------------------------- month-first dates


_MONTH_FIRST_EVIDENCE = 2
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\s*$")


def _real_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1] and 1 <= year <= 9999


def month_first_dates(rows: list, first: int, col: int) -> Optional[tuple[dict, tuple[str, str]]]:
    """When a sheet's dates are text written month first (`08/24/2026`, as Excel or LibreOffice in English
    save a CSV): every such text with its date, and an example with its meaning. Otherwise None.

    Day first is the rule (Indonesian). Month first only on plain evidence: dates that are real only when
    read month first (24 cannot be a month). A sheet whose dates all read both ways (only days 1–12)
    stays day first: nothing in it says otherwise.
    """
    texts = {row[col] for row in rows[first:] if len(row) > col and type(row[col]) is str}
    found = [(m, t) for t in texts if (m := _NUMERIC_DATE.match(parse.without_time(t.strip().casefold())))]
    if not found:
        return None
    # Evidence: dates that are real only one way (a wrong date such as 31/02 is evidence of nothing).
    day_only = month_only = 0
    for m, _ in found:
        a, b, year = int(m[1]), int(m[2]), int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        as_dmy, as_mdy = _real_date(year, b, a), _real_date(year, a, b)
        if as_dmy and not as_mdy:
            day_only += 1
        elif as_mdy and not as_dmy:
            month_only += 1
    # Day first unless month first is plain: at least two dates real only that way, and ten times as many
    # as those real only day first (one mistyped 05/13 or one pasted row never turns a whole sheet round).
    if month_only < _MONTH_FIRST_EVIDENCE or month_only < 10 * day_only:
        return None
    verdicts = {t: parse.parse_date(f"{m[2]}/{m[1]}/{m[3]}") for m, t in found}
    example = next((t for (m, t) in sorted(found, key=lambda x: -int(x[0][2])) if verdicts[t]), found[0][1])
    return verdicts, (example.strip(), long_date(verdicts[example]) if verdicts[example] else "?")


# ---------------------------------------------------------------- a roster's blank Eselon


def blank_tier_is_staff(columns: Mapping[str, int]) -> bool:
    """A roster exported from SIASN/SIMPEG has a `Jenis Jabatan` column: there a blank Eselon means
    Non Eselon (README: Format berkas). Elsewhere a blank Eselon is a missing value."""
    return "position_kind" in columns


def roster_missing(missing: list[schema.Column], blank_tier_is_staff: bool) -> list[schema.Column]:
    """The required roster columns a row leaves blank, the Eselon not among them where blank means staff."""
    return [c for c in missing if c.key != "tier"] if blank_tier_is_staff else missing


def roster_tier(cell: object, blank_tier_is_staff: bool,
                parse_tier: Callable[[object], Optional[Tier]] = parse.parse_tier) -> Optional[Tier]:
    """A roster row's tier: its Eselon cell read, or Non Eselon for a blank one where blank means staff."""
    if blank_tier_is_staff and parse.is_blank(cell):
        return Tier.NON_ESELON
    return parse_tier(cell)


# ---------------------------------------------------------------- the Pengaturan sheet


def read_settings(rows: list, settings: Settings, place_of: Callable[[int, int], Place],
                  problems: list[Problem]) -> int:
    """The `Pengaturan` sheet into `settings` (README: Pengaturan): key/value rows (`Hari Jiku Bata | 7`),
    the tier table (`Tingkat | Minimum Belanja (Rp)`) and the `Potongan TPP` table. A value that cannot be
    read is reported in `problems` at `place_of(row index, column index)` and its default kept. Returns
    the number of rows that are not blank."""
    by_label = {schema.header_key(s.label): s for s in schema.SETTINGS}
    tier_header = schema.header_key(schema.TIER_TABLE_HEADERS[0])
    tpp_header = schema.header_key(schema.TPP_TABLE_HEADERS[0])
    in_tiers = in_tpp = False
    tpp_col = 0
    deductions: dict[int, float] = {}
    count = 0
    for i, row in enumerate(rows):
        filled = [(j, c) for j, c in enumerate(row) if not parse.is_blank(c)]
        if not filled:
            continue
        count += 1
        j0, first = filled[0]
        # The value sits right of the label; further right is an explanation, never the value.
        value = row[j0 + 1] if j0 + 1 < len(row) else None
        key = schema.header_key(first)
        place = place_of(i, j0 + 1)
        if key == tier_header:
            in_tiers, in_tpp = True, False
            continue
        if key == tpp_header:
            in_tiers, in_tpp, tpp_col = False, True, j0
            continue
        spec = by_label.get(key)
        if spec is not None:
            in_tiers = in_tpp = False
            _apply_setting(settings, spec, value, place, problems)
        elif in_tpp:
            if j0 == tpp_col:  # a note beside an empty row is not a row of the table
                _apply_deduction(deductions, first, value, place, problems)
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
                problems.append(problem(place, "PENGATURAN_TIDAK_VALID", label=f"Minimum {tier.label}",
                                        value=parse.cell_text(cell), default=rupiah(DEFAULT_MINIMUMS[tier])))
                settings.minimums[tier] = DEFAULT_MINIMUMS[tier]
            else:
                settings.minimums[tier] = amount
    settings.tpp_deductions = tuple(sorted(deductions.items()))
    return count




def _apply_deduction(table: dict[int, float], months: object, value: object, place: Place,
                     problems: list[Problem]) -> None:
    """A row of the `Potongan TPP` table: `3 | 10` (months short in a row, % of the TPP). A row that cannot be
    read is named and left out."""
    def number(cell: object) -> Optional[float]:
        if isinstance(cell, bool):
            return None
        if isinstance(cell, (int, float)):
            return float(cell)
        text = str(cell).strip().rstrip("%").strip().replace(",", ".")
        try:
            return float(text)
        except ValueError:
            return None
    n, pct = number(months), number(value)
    if n is None or not n.is_integer() or n < 1 or pct is None or not 0 <= pct <= 100:
        problems.append(problem(place, "PENGATURAN_TIDAK_VALID", label=schema.TPP_TABLE_TITLE,
                                    value=f"{parse.cell_text(months)} | {parse.cell_text(value)}",
                                    default="tanpa baris ini (tulis bulan 1, 2, … dan persen 0–100)"))
        return
    table[int(n)] = pct


def _apply_setting(settings: Settings, spec: schema.SettingSpec, value: object, place: Place,
                   problems: list[Problem]) -> None:
    if parse.is_blank(value):
        if spec.kind in ("text", "list", "dates"):
            setattr(settings, spec.key, "" if spec.kind == "text" else ())
        return
    if spec.kind == "dates":
        _apply_dates(settings, spec, value, place, problems)
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
        problems.append(problem(place, "PENGATURAN_TIDAK_VALID", label=spec.label,
                                    value=parse.cell_text(value), default=str(getattr(settings, spec.key))))
        return
    setattr(settings, spec.key, parsed)


# `07/12/2026 s.d. 09/12/2026`, `24 – 26 Desember 2026`: a span of days (cuti bersama in an SKB).
_DATE_SPAN = re.compile(r"\s+(?:s\.?\s?d\.?|s/d|sampai(?:\s+dengan)?|hingga|-|–|—)\s+", re.IGNORECASE)
_MAX_SPAN_DAYS = 31


def _apply_dates(settings: Settings, spec: schema.SettingSpec, value: object, place: Place,
                 problems: list[Problem]) -> None:
    """A date cell, or dates as text separated by `;`, `,` or new lines, and spans `A s.d. B`; each
    unreadable part is named (PENGATURAN_TIDAK_VALID) and the readable ones are kept."""
    days: list[dt.date] = []
    for part in _date_parts(value):
        found = _dates_of(part)
        if found is None:
            problems.append(problem(place, "PENGATURAN_TIDAK_VALID", label=spec.label, value=parse.cell_text(part),
                                    default="tanpa tanggal ini (tulis seperti 25/12/2026)"))
        else:
            days += found
    setattr(settings, spec.key, tuple(sorted(set(days))))


def _date_parts(value: object) -> list:
    if not isinstance(value, str):
        return [value]
    parts = []
    for chunk in (c.strip() for c in value.replace("\n", ";").split(";")):
        if not chunk:
            continue
        # A comma separates dates unless it follows a weekday (`Jumat, 25 Desember 2026`).
        if parse.parse_date(chunk) is None and "," in chunk:
            parts += [c.strip() for c in chunk.split(",") if c.strip()]
        else:
            parts.append(chunk)
    return parts


def _dates_of(part: object) -> Optional[list[dt.date]]:
    """One date, or every day of a span `A s.d. B` (`24 s.d. 26 Desember 2026` takes B's month and year)."""
    day = parse.parse_date(part)
    if day is not None:
        return [day]
    pieces = _DATE_SPAN.split(str(part).strip()) if isinstance(part, str) else []
    if len(pieces) != 2:
        return None
    end = parse.parse_date(pieces[1])
    start = parse.parse_date(pieces[0])
    if start is None and end is not None and pieces[0].strip().isdigit():
        try:
            start = end.replace(day=int(pieces[0]))
        except ValueError:
            start = None
    if start is None or end is None or not 0 <= (end - start).days < _MAX_SPAN_DAYS:
        return None
    return [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]
