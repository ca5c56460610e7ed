"""Two records of one purchase: the office's claim and the seller's sale (README: Rekonsiliasi). Pure: no file, no clock.

An office's admin types what its people bought (a *claim*: a `Purchase`);
the seller writes the receipt and keeps a sales book (a `Sale`). For every
UMKM that sent a sales book for a month, each claim is looked for among its
sales:

1. by receipt: the same UMKM and the same `No. Nota` (case, spaces, `-`, `/`
   and leading zeros ignored); then amount and date are compared;
2. what is left on both sides is paired by the same UMKM, date and amount,
   and the same NIP where the sale has one.

Each sale matches at most one claim and the reverse. Sorting is the only
super-linear step (O(n log n)); look-ups are dictionaries.

What the pairing means for the counting (the settings `Belanja Harus Cocok
Penjual` and `Akui Catatan Penjual`) is `reconcile`; the figures per UMKM for
one month are `summarise`.
"""
from __future__ import annotations

import itertools
import operator
import re
from dataclasses import dataclass, field, replace
import datetime as dt
from typing import Iterable, NamedTuple, Optional, Sequence

from jikubata.domain.indonesian import rupiah, short_date
from jikubata.domain.model import FormIdentity, Period, Place, Problem, Purchase, Sale, Settings, Severity, seller_key
from jikubata.domain.problems import problem
from jikubata.domain.purchase_table import PurchaseTable, Purchases, facts

# Leading zeros: a run of `0` not after a digit and before one (written to start with the `0` itself, which
# the regular expression engine looks for fast). The separators: every whitespace character, `-` and `/`.
_LEADING_ZEROS = re.compile(r"0(?<!\d0)0*(?=\d)")
_SEPARATORS = dict.fromkeys(map(ord, "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
                                   "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000-/"))


class _SellerKeys(dict):
    """`seller_key` once per distinct spelling: a city's books repeat a few dozen names in 400,000 lines."""

    def __missing__(self, name: str) -> str:
        key = self[name] = seller_key(name)
        return key


def receipt_key(receipt: str) -> str:
    """`NT-0012`, `nt 12`, `NT/12` are one receipt: case, spaces, `-`, `/` and each number's leading zeros
    do not count."""
    return _LEADING_ZEROS.sub("", str(receipt).casefold()).translate(_SEPARATORS)


def receipt_keys(receipts: Iterable[str]) -> list[str]:
    """`receipt_key` of each receipt, in one pass over all of them joined by a NUL (which no rule touches: it
    is no digit, no separator and has no case), several times faster than one by one for a city's books."""
    receipts = [str(r) for r in receipts]
    joined = "\0".join(receipts)
    if not receipts or joined.count("\0") != len(receipts) - 1:  # a receipt with a NUL in it: one by one
        return [receipt_key(r) for r in receipts]
    return _LEADING_ZEROS.sub("", joined.casefold()).translate(_SEPARATORS).split("\0")


# ---------------------------------------------------------------- the matching rule


class Pair(NamedTuple):
    """A claim and its sale. Immutable; a named tuple rather than a frozen dataclass because a city makes
    200,000 of them and a tuple is made at half the cost."""

    claim: object          # a Purchase (or any record with seller, receipt, date, amount, nip)
    sale: object           # a Sale
    by_receipt: bool       # False: paired by UMKM, date and amount only (NOTA_BEDA_NOMOR)

    @property
    def amount_differs(self) -> bool:
        return self.claim.amount != self.sale.amount

    @property
    def date_differs(self) -> bool:
        return self.claim.date != self.sale.date


@dataclass
class Matching:
    pairs: list[Pair] = field(default_factory=list)
    unmatched_claims: list = field(default_factory=list)
    unmatched_sales: list = field(default_factory=list)


def match(claims: Sequence, sales: Sequence) -> Matching:
    """Pair claims with sales, one to one (rules 1 and 2 above); claims and sales keep their input order."""
    taken = bytearray(len(sales))  # 1: the sale is paired
    skey = _SellerKeys()
    # (UMKM, receipt key) -> the sale with it, or the list of them when there are several (rare): no list
    # for each of a city's 200,000 receipts.
    by_receipt: dict[tuple, int | list[int]] = {}
    first_of = by_receipt.setdefault
    for j, key in enumerate(zip([skey[s.seller] for s in sales], receipt_keys([s.receipt for s in sales]))):
        found = first_of(key, j)
        if found is not j:
            if type(found) is int:
                by_receipt[key] = [found, j]
            else:
                found.append(j)
    paired: list[Optional[Pair]] = [None] * len(claims)  # by the claim's index: the pairs in claim order
    left: list[int] = []
    found_all = map(by_receipt.get,
                    zip([skey[c.seller] for c in claims], receipt_keys([c.receipt for c in claims])))
    for i, (c, j) in enumerate(zip(claims, found_all)):
        if j is None:
            left.append(i)
            continue
        if type(j) is int:  # nearly always: one sale with that receipt
            if taken[j]:
                left.append(i)
                continue
        else:
            j = _best(j, taken, sales, c)
            if j is None:
                left.append(i)
                continue
        taken[j] = 1
        paired[i] = Pair(c, sales[j], True)
    # Rule 2 on what is left: a sale with a NIP pairs only with a claim of that NIP.
    with_nip: dict[tuple, list[int]] = {}
    without_nip: dict[tuple, list[int]] = {}
    for j, s in enumerate(sales):
        if not taken[j]:
            key = (skey[s.seller], s.date, s.amount)
            if s.nip:
                with_nip.setdefault(key + (s.nip,), []).append(j)
            else:
                without_nip.setdefault(key, []).append(j)
    unmatched_claims = []
    for i in left:
        c = claims[i]
        key = (skey[c.seller], c.date, c.amount)
        j = _first_free(with_nip.get(key + (c.nip,)), taken)
        if j is None:
            j = _first_free(without_nip.get(key), taken)
        if j is None:
            unmatched_claims.append(c)
        else:
            taken[j] = 1
            paired[i] = Pair(c, sales[j], False)
    return Matching([p for p in paired if p is not None], unmatched_claims,
                    [s for s, t in zip(sales, taken) if not t])


def _best(candidates: Optional[list[int]], taken: bytearray, sales: Sequence, claim) -> Optional[int]:
    """Of the free sales with the claim's receipt, the one that also agrees in date and amount, else the first."""
    if not candidates:
        return None
    first = None
    for j in candidates:
        if taken[j]:
            continue
        s = sales[j]
        if s.date == claim.date and s.amount == claim.amount:
            return j
        if first is None:
            first = j
    return first


def _first_free(candidates: Optional[list[int]], taken: bytearray) -> Optional[int]:
    for j in candidates or ():
        if not taken[j]:
            return j
    return None


# ---------------------------------------------------------------- what it means for the counting


@dataclass
class Reconciliation:
    """The matching over all months, and which UMKM sent a sales book for which month."""

    matching: Matching
    # (seller_key, period) -> the files of that seller's books for that month (for messages and listings)
    books: dict[tuple[str, Period], list[str]]
    seller_names: dict[str, str]     # seller_key -> the name to show
    claims: Purchases = field(default_factory=list)           # what the offices claimed (validated), as typed
    counted_sales: list[Sale] = field(default_factory=list)   # unreported sales that count (Akui Catatan Penjual)

    def reconciled(self, seller: str, period: Period) -> bool:
        return (seller_key(seller), period) in self.books

    def summary(self, period: Period, last: Optional[dt.date] = None) -> list["SellerReconciliation"]:
        return summarise(self, period, last)


def books_sent(sales: Iterable[Sale], seller_forms: Iterable[FormIdentity]) -> dict[tuple[str, Period], list[str]]:
    """Which UMKM sent a sales book for which month: a sale dated in it, or the seller's form of that month
    came back (an empty form: it sold nothing to the ASN). Value: the files, in reading order."""
    books: dict[tuple[str, Period], dict[str, None]] = {}
    skey = _SellerKeys()
    last = (None, None, None)
    for s in sales:
        # A book's lines come day by day: a line of the same seller, day and sheet as the one before adds
        # nothing.
        seller, day, source = s.seller, s.date, s.source
        if day == last[1] and source is last[2] and seller == last[0]:
            continue
        last = seller, day, source
        key = (skey[seller], day.year, day.month)
        files = books.get(key)
        if files is None:
            files = books[key] = {}
        files[source.file if source else ""] = None
    books = {(k[0], Period(k[1], k[2])): v for k, v in books.items()}
    for f in seller_forms:
        books.setdefault((seller_key(f.office), f.period), {})[f.file] = None
    return {k: list(v) for k, v in books.items()}


def reconcile(claims: Purchases, sales: Sequence[Sale], seller_forms: Iterable[FormIdentity],
              roster_nips: set, settings: Settings) -> tuple[PurchaseTable, list[Problem], Reconciliation]:
    """The claims that count, the problems found, and the reconciliation (for the reports).

    Only claims of UMKM that sent a book take part; a claim in a month its
    UMKM sent no book for is left as it is ("tidak direkonsiliasi"). With
    `Belanja Harus Cocok Penjual`, a claim without a sale does not count and a
    matched claim counts at most the seller's amount. With `Akui Catatan
    Penjual`, a sale with an ASN's NIP that no claim matched counts for that
    person in the month of its own date.
    """
    claims = PurchaseTable.of(claims)
    books = books_sent(sales, seller_forms)
    with_book = {k for k, _ in books}
    skey = _SellerKeys()
    names: dict[str, str] = {}
    for spelling in dict.fromkeys(itertools.chain(map(operator.attrgetter("seller"), sales), claims.spellings())):
        names.setdefault(skey[spelling], spelling)
    # Only the claims of UMKM that sent a book are made into records and matched (README: Kinerja).
    rows = claims.rows_of_sellers(with_book) if with_book else []
    taking_part = claims.purchases(rows)
    matching = match(taking_part, sales)
    strict = settings.require_seller_match
    problems: list[Problem] = []
    changed: dict[int, Optional[Purchase]] = {}  # id(claim) -> what counts instead (None: nothing)

    for c, s, by_receipt in matching.pairs:
        amount_differs = c.amount != s.amount
        if by_receipt and not amount_differs and c.date == s.date:
            continue  # nearly every pair: nothing to say
        if not by_receipt:
            problems.append(problem(c.place("receipt"), "NOTA_BEDA_NOMOR", value=c.receipt, seller=c.seller,
                                    receipt=s.receipt, other=_where(s.place("receipt"))))
        else:
            differences = []
            if amount_differs:
                differences.append(f"jumlah {rupiah(c.amount)} di sini, {rupiah(s.amount)} di buku penjual")
            if c.date != s.date:
                differences.append(f"tanggal {short_date(c.date)} di sini, {short_date(s.date)} di buku penjual")
            consequence = (f" Yang dihitung {rupiah(min(c.amount, s.amount))} (yang lebih kecil)."
                           if strict and amount_differs else " Isian OPD tetap dihitung.")
            at = "amount" if amount_differs else "date"
            problems.append(problem(c.place(at), "BEDA_DENGAN_PENJUAL", value=c.receipt, seller=c.seller,
                                    differs="; ".join(differences), other=_where(s.place(at)),
                                    consequence=consequence))
            if strict and s.amount < c.amount:
                changed[id(c)] = replace(c, amount=s.amount)
    for c in matching.unmatched_claims:
        files = books.get((seller_key(c.seller), Period.of(c.date)))
        if files is None:
            continue  # its UMKM sent no book for that month
        problems.append(problem(
            c.place("receipt"), "TIDAK_ADA_DI_BUKU_PENJUAL", Severity.GALAT if strict else Severity.PERINGATAN,
            value=c.receipt, seller=c.seller, date=short_date(c.date), amount=rupiah(c.amount),
            other="; ".join(files),
            consequence=" Belanja ini tidak dihitung (Belanja Harus Cocok Penjual: Ya)." if strict
            else " Belanja tetap dihitung."))
        if strict:
            changed[id(c)] = None
    counted_sales = []
    for s in matching.unmatched_sales:
        if not s.nip or s.nip not in roster_nips:
            continue  # listed in the reports only
        counts = settings.accept_seller_records
        problems.append(problem(s.place("nip"), "PENJUALAN_TIDAK_DILAPORKAN", value=s.receipt, seller=s.seller,
                                nip=s.nip, date=short_date(s.date), amount=rupiah(s.amount),
                                consequence=" Penjualan ini dihitung untuk ASN tersebut (Akui Catatan Penjual: Ya)."
                                if counts else " Penjualan ini tidak dihitung (Akui Catatan Penjual: Tidak)."))
        if counts:
            counted_sales.append(s)

    keep = bytearray(claims.keep) if claims.keep is not None else bytearray(b"\x01") * claims.rows()
    amended = dict(claims.amended)
    if changed:
        for c, i in zip(taking_part, rows):
            instead = changed.get(id(c), c)
            if instead is None:
                keep[i] = 0
            elif instead is not c:
                amended[i] = instead.amount
    counted = claims.counted(keep, amended, list(claims.extra) + [as_purchase(s) for s in counted_sales])
    return counted, problems, Reconciliation(matching, books, names, claims, counted_sales)


def as_purchase(sale: Sale) -> Purchase:
    """A sale counted for its buyer: a purchase whose place is the sale's row in the seller's book."""
    return Purchase(sale.date, sale.nip, sale.seller, sale.amount, sale.buyer_name, sale.product, sale.receipt,
                    sale.note, sale.source, sale.row)


def _where(place: Place) -> str:
    return f"berkas {place.file}, lembar {place.sheet}, sel {place.cell}"


# ---------------------------------------------------------------- one month, per UMKM


@dataclass(frozen=True)
class SellerReconciliation:
    """One UMKM in one month: both sides counted by their own dates (`hitung --json`'s `rekonsiliasi`)."""

    seller: str
    reconciled: bool               # False: no sales book for the month ("tidak direkonsiliasi")
    sales: int
    claims: int
    matched: int
    only_seller: int
    only_claim: int
    sales_rupiah: int
    claims_rupiah: int
    files: tuple[str, ...] = ()    # the seller's books for the month
    # The unmatched lines, for the Rekonsiliasi sheet: sales (only the seller has them) and claims.
    seller_lines: tuple = ()
    claim_lines: tuple = ()

    @property
    def mismatch(self) -> int:
        return self.only_seller + self.only_claim

    def to_json(self) -> dict:
        return {"umkm": self.seller, "direkonsiliasi": self.reconciled, "penjualan": self.sales,
                "klaim": self.claims, "cocok": self.matched, "hanya_penjual": self.only_seller,
                "hanya_klaim": self.only_claim, "rupiah_penjualan": self.sales_rupiah,
                "rupiah_klaim": self.claims_rupiah}


def summarise(rec: Optional[Reconciliation], period: Period, last: Optional[dt.date] = None) -> list[SellerReconciliation]:
    """Per UMKM with a claim or a sale dated from the period's first day to `last` (default its last day):
    reconciled UMKM first, the worst mismatch first; then those not reconciled, by name. Empty when no
    UMKM sent a sales book for the period (nothing was reconciled)."""
    if rec is None or not any(p == period for _, p in rec.books):
        return []
    first, last = period.first_day, last or period.last_day
    acc: dict[str, dict] = {}
    skey = _SellerKeys()

    def row(seller: str) -> dict:
        key = skey[seller]
        a = acc.get(key)
        if a is None:
            a = acc[key] = {"seller": (rec.seller_names.get(key) if rec else None) or seller, "sales": 0,
                            "claims": 0, "matched": 0, "sales_rupiah": 0, "claims_rupiah": 0, "seller_lines": [],
                            "claim_lines": []}
        return a

    # A year of records, one month counted: the date test comes first, inline.
    for day, _, seller, amount in facts(rec.claims, first, last):
        if first <= day <= last:
            a = row(seller)
            a["claims"] += 1
            a["claims_rupiah"] += amount
    m = rec.matching
    for c, s, _ in m.pairs:
        if first <= c.date <= last:
            row(c.seller)["matched"] += 1
        if first <= s.date <= last:
            a = row(s.seller)
            a["sales"] += 1
            a["sales_rupiah"] += s.amount
    for s in m.unmatched_sales:
        if first <= s.date <= last:
            a = row(s.seller)
            a["sales"] += 1
            a["sales_rupiah"] += s.amount
            a["seller_lines"].append(s)
    for c in m.unmatched_claims:
        if first <= c.date <= last and rec.reconciled(c.seller, period):
            row(c.seller)["claim_lines"].append(c)
    out = []
    for key, a in acc.items():
        files = tuple(rec.books.get((key, period), ()))
        reconciled = (key, period) in rec.books
        out.append(SellerReconciliation(
            a["seller"], reconciled, a["sales"], a["claims"], a["matched"] if reconciled else 0,
            len(a["seller_lines"]), len(a["claim_lines"]), a["sales_rupiah"], a["claims_rupiah"], files,
            tuple(a["seller_lines"]), tuple(a["claim_lines"])))
    out.sort(key=lambda r: (not r.reconciled, -r.mismatch, -abs(r.sales_rupiah - r.claims_rupiah),
                            r.seller.casefold()))
    return out
