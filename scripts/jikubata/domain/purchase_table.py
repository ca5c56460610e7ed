"""Purchase rows kept column by column (README: Kinerja).

A city sends hundreds of thousands of purchase rows a year, and an office's
workbook grows month after month: every row is read and checked, so its
problems can be reported with file, sheet and cell. A row object per purchase
costs about 270 bytes; here a row is a few machine integers in `array`s (its
date, its amount, and indexes into the lists of distinct NIPs, UMKM names,
buyer names and sheets), and its receipt is a slice of one string per sheet:
about 45 bytes a row. A `Purchase` object is made only when one is asked for
(a problem to report, a claim to set against a sales book, a test).

After validation the same columns are shared by the purchases that count: a
`PurchaseTable` with a mask of the rows kept, the amounts reconciliation
lowered, and the seller records that count as purchases (`extra`).

`facts` (`model.purchase_facts`) is the one way the rules read the counted
purchases (date, NIP, UMKM, amount), whether they are a table or a plain list
of `Purchase`.
"""
from __future__ import annotations

import bisect
import datetime as dt
import itertools
import operator
from array import array
from typing import Iterable, Iterator, Optional, Sequence, Union

from jikubata.domain.model import Purchase, SheetSource, purchase_facts, seller_key


class PurchaseTable:
    """Purchase rows, in the order they were read."""

    def __init__(self) -> None:
        self.day = array("i")        # date.toordinal()
        self.nip = array("i")        # index into `nips`
        self.seller = array("i")     # index into `sellers` (the spelling as written)
        self.amount = array("q")     # whole rupiah (< 10**15)
        self.buyer = array("i")      # index into `names` (0: no name written)
        self.source = array("i")     # index into `sources`
        self.row = array("i")        # 1-based row in the source sheet
        # hash of (the UMKM's seller_key, the receipt casefolded): rows with equal hashes are the only ones that
        # may hold the same receipt (`validation._counting_rows`); the receipts are compared before anything is said
        self.receipt_hash = array("q")
        self._receipt_start = array("I")  # the receipt's offset in its chunk's text
        self._chunk_first = array("i")    # the first row of each chunk of receipts
        self._chunk_text: list[str] = []  # the receipts of a chunk's rows, joined
        self.nips: list[str] = []
        self.sellers: list[str] = []
        self.names: list[str] = [""]
        self.sources: list[Optional[SheetSource]] = []
        self.seller_keys: list[str] = []  # distinct seller_key values; `seller_key_of[key]` is the index of one
        self.seller_key_of: dict[str, int] = {}
        self.seller_key_ids: list[int] = []  # index in `sellers` -> index in `seller_keys`
        # value -> its index in `nips`, `sellers`, `names` (the reader's hot loop looks them up directly)
        self.nip_ids: dict[str, int] = {}
        self.seller_ids: dict[str, int] = {}
        self.name_ids: dict[str, int] = {"": 0}
        self._source_index: dict[int, int] = {}
        # After validation (`counted`): which rows count (None: all), amounts lowered, records added.
        self.keep: Optional[bytearray] = None
        self.amended: dict[int, int] = {}
        self.extra: list[Purchase] = []
        self._dates: Optional[tuple[int, dict]] = None

    # ------------------------------------------------------------ building

    def nip_id(self, nip: str) -> int:
        return _number(self.nip_ids, self.nips, nip)

    def seller_id(self, seller: str) -> int:
        i = self.seller_ids.get(seller)
        if i is None:
            i = _number(self.seller_ids, self.sellers, seller)
            self.seller_key_ids.append(_number(self.seller_key_of, self.seller_keys, seller_key(seller)))
        return i

    def name_id(self, name: str) -> int:
        return _number(self.name_ids, self.names, name)

    def source_id(self, source: Optional[SheetSource]) -> int:
        i = self._source_index.get(id(source))
        if i is None:
            i = self._source_index[id(source)] = len(self.sources)
            self.sources.append(source)
        return i

    def add_receipts(self, receipts: Sequence[str]) -> None:
        """The receipts of the rows added since the last call, in order (one call per sheet)."""
        first = len(self._receipt_start)
        if len(self.day) - first != len(receipts):
            raise ValueError(f"{len(receipts)} receipts for {len(self.day) - first} rows")
        if not receipts:
            return
        self._chunk_first.append(first)
        self._chunk_text.append("".join(receipts))
        self._receipt_start.append(0)
        self._receipt_start.extend(itertools.accumulate(map(len, receipts[:-1])))

    def append(self, p: Purchase) -> None:
        """One purchase as an object (the slow way in: tests and small lists)."""
        s = self.seller_id(p.seller)
        self.day.append(p.date.toordinal())
        self.nip.append(self.nip_id(p.nip))
        self.seller.append(s)
        self.amount.append(p.amount)
        self.buyer.append(self.name_id(p.buyer_name))
        self.source.append(self.source_id(p.source))
        self.row.append(p.row)
        self.receipt_hash.append(hash((self.seller_key_ids[s], p.receipt.casefold())))
        self.add_receipts([p.receipt])

    @classmethod
    def of(cls, purchases: Iterable[Purchase]) -> "PurchaseTable":
        """`purchases` as a table: a table (or the counted view of one) as it is, a list row by row."""
        if isinstance(purchases, PurchaseTable):
            return purchases
        table = cls()
        for p in purchases:
            table.append(p)
        return table

    # ------------------------------------------------------------ reading one row

    def rows(self) -> int:
        """How many rows were read (counted or not)."""
        return len(self.day)

    def receipt(self, i: int) -> str:
        return self.purchase(i).receipt

    def purchase(self, i: int) -> Purchase:
        """Row `i` as a `Purchase` (the amount as read, before reconciliation)."""
        return self.purchases((i,))[0]

    def purchases(self, rows: Iterable[int]) -> list[Purchase]:
        """`purchase(i)` of each of `rows` (ascending), made in one walk over the receipt chunks: a city's
        claims set against the sellers' books are hundreds of thousands."""
        out: list[Purchase] = []
        dates, nips, sellers, names, sources = self.dates(), self.nips, self.sellers, self.names, self.sources
        day, nip, seller, amount, buyer, source, row = (self.day, self.nip, self.seller, self.amount, self.buyer,
                                                        self.source, self.row)
        starts, firsts, texts, n = self._receipt_start, self._chunk_first, self._chunk_text, len(self._receipt_start)
        c, end_row, text = -1, -1, ""
        add = out.append
        for i in rows:
            if not (c >= 0 and firsts[c] <= i < end_row):
                c = bisect.bisect_right(firsts, i) - 1
                end_row = firsts[c + 1] if c + 1 < len(firsts) else n
                text = texts[c]
            receipt = text[starts[i]:starts[i + 1] if i + 1 < end_row else len(text)]
            add(Purchase(dates[day[i]], nips[nip[i]], sellers[seller[i]], amount[i], names[buyer[i]], "", receipt,
                         "", sources[source[i]], row[i]))
        return out

    def receipt_key(self, i: int) -> tuple[int, str]:
        """What makes two rows one receipt: the same UMKM (by `seller_key`) and the same No. Nota, any case."""
        return self.seller_key_ids[self.seller[i]], self.receipt(i).casefold()

    # ------------------------------------------------------------ the counted purchases

    @classmethod
    def to_check(cls, purchases: Iterable[Purchase]) -> "PurchaseTable":
        """The rows to check: a table as read as it is; a list, or the purchases that count of a table already
        checked (a view), row by row."""
        if isinstance(purchases, PurchaseTable) and purchases.keep is None and not purchases.amended \
                and not purchases.extra:
            return purchases
        return cls.of(list(purchases))

    def counted(self, keep: bytearray, amended: dict[int, int], extra: list[Purchase]) -> "PurchaseTable":
        """The same rows, of which those with `keep[i]` count, row `i` at `amended[i]` rupiah where given,
        followed by `extra`."""
        view = object.__new__(PurchaseTable)
        view.__dict__.update(self.__dict__)
        view.keep, view.amended, view.extra = keep, dict(amended), list(extra)
        return view

    def dates(self) -> dict[int, dt.date]:
        """Each distinct day of the rows (as an ordinal) and its date: a city's rows share a few hundred."""
        if self._dates is None or self._dates[0] != len(self.day):
            self._dates = len(self.day), {d: dt.date.fromordinal(d) for d in set(self.day)}
        return self._dates[1]

    def spellings(self) -> Iterator[str]:
        """The UMKM names as written, in the order they first appear among the purchases that count."""
        sellers = self.seller if self.keep is None else itertools.compress(self.seller, self.keep)
        found = list(map(self.sellers.__getitem__, dict.fromkeys(sellers)))
        return itertools.chain(found, (p.seller for p in self.extra))

    def rows_of_sellers(self, keys: set[str]) -> list[int]:
        """The rows that count whose UMKM's `seller_key` is in `keys`."""
        wanted = {k for k, key in enumerate(self.seller_keys) if key in keys}
        spellings = {s for s, k in enumerate(self.seller_key_ids) if k in wanted}
        seller = self.seller
        return [i for i in self.indices() if seller[i] in spellings]

    def indices(self) -> Iterator[int]:
        """The rows that count, in order."""
        n = len(self.day)
        return iter(range(n)) if self.keep is None else itertools.compress(range(n), self.keep)

    def __len__(self) -> int:
        rows = len(self.day) if self.keep is None else self.keep.count(1)
        return rows + len(self.extra)

    def __iter__(self) -> Iterator[Purchase]:
        amended, indices = self.amended, self.indices()
        while rows := list(itertools.islice(indices, 4096)):  # a few thousand objects at a time
            for i, p in zip(rows, self.purchases(rows)):
                if i in amended:
                    p.amount = amended[i]
                yield p
        yield from self.extra

    def __getitem__(self, k: int) -> Purchase:
        if k < 0:
            k += len(self)
        i = next(itertools.islice(self.indices(), k, None), None) if k >= 0 else None
        if i is not None:
            p = self.purchase(i)
            p.amount = self.amended.get(i, p.amount)
            return p
        rows = len(self) - len(self.extra)
        if 0 <= k - rows < len(self.extra):
            return self.extra[k - rows]
        raise IndexError(k)

    def __eq__(self, other) -> bool:
        if isinstance(other, (list, tuple, PurchaseTable)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return f"PurchaseTable({len(self)} counted of {len(self.day)} rows)"

    def facts(self, first: Optional[dt.date] = None, last: Optional[dt.date] = None
              ) -> Iterator[tuple[dt.date, str, str, int]]:
        """(date, NIP, UMKM as written, amount) of each purchase that counts, in order; only those dated from
        `first` to `last` when given (the rows of other days are passed over in C, not looked at one by one)."""
        columns = zip(self.day, self.nip, self.seller, self.amount)
        dates = self.dates()
        nips, sellers = self.nips, self.sellers
        selector = None if self.keep is None else iter(self.keep)
        if first is not None or last is not None:
            lo = first.toordinal() if first is not None else min(dates, default=0)
            hi = last.toordinal() if last is not None else max(dates, default=0)
            in_range = map(frozenset(d for d in dates if lo <= d <= hi).__contains__, self.day)
            selector = in_range if selector is None else map(operator.and_, in_range, selector)
        if self.amended:
            amended = self.amended
            for i, (d, n, s, a) in enumerate(columns):
                if selector is None or next(selector):
                    yield dates[d], nips[n], sellers[s], amended.get(i, a)
        else:
            if selector is not None:
                columns = itertools.compress(columns, selector)
            for d, n, s, a in columns:
                yield dates[d], nips[n], sellers[s], a
        for p in self.extra:
            if (first is None or p.date >= first) and (last is None or p.date <= last):
                yield p.date, p.nip, p.seller, p.amount


Purchases = Union[PurchaseTable, Sequence[Purchase]]


facts = purchase_facts


def _number(index: dict, values: list, value) -> int:
    """`value`'s index in `values`, appended (and indexed) when new."""
    i = index.get(value)
    if i is None:
        i = index[value] = len(values)
        values.append(value)
    return i
