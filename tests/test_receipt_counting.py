"""Which row of a receipt counts (NOTA_GANDA, resubmissions), from the purchase table (README: Kinerja): the same
verdicts as the row-keeping `_counting_receipts`, which the sales books still use. The table finds candidates by a
hash of the receipt; with every hash made equal (all rows candidates) the verdicts must not change."""
import datetime as dt
from array import array

import pytest
from hypothesis import given, settings, strategies as st

from jikubata.domain import validation
from jikubata.domain.model import Purchase, SheetSource
from jikubata.domain.purchase_table import PurchaseTable

FILES = ["a.xlsx", "b.xlsx", "c.csv"]
rows = st.lists(st.tuples(st.sampled_from(FILES), st.sampled_from(["Kopi Rempah", "kopi  rempah", "Mie Sagu"]),
                          st.sampled_from(["N1", "n1", "N2", "Nᴬ", "ß", "SS"])), max_size=30)
saved = st.fixed_dictionaries({f: st.one_of(st.none(), st.integers(0, 3)) for f in FILES})


@pytest.mark.parametrize("hashes", ["real", "all equal"])
@settings(max_examples=300, deadline=None)
@given(found=rows, times=saved, dropped=st.sets(st.sampled_from(FILES), max_size=2))
def test_compact_receipt_counting_chooses_the_rows_the_row_keeping_one_chooses(hashes, found, times, dropped):
    # `dropped`: files of replaced forms, whose rows take no part (the row-keeping way never sees them).
    sources = {f: SheetSource(f, "Belanja", {"receipt": 6}) for f in FILES}
    purchases = [Purchase(dt.date(2026, 11, 7), "1", seller, 1000, receipt=receipt, source=sources[f], row=i + 2)
                 for i, (f, seller, receipt) in enumerate(found)]
    saved_at = {f: dt.datetime(2026, 11, 1 + t, tzinfo=dt.timezone.utc) for f, t in times.items() if t is not None}
    taking_part = [p for p in purchases if p.source.file not in dropped]
    keys, counting = validation._counting_receipts(taking_part, {}, saved_at)
    key_of = {id(p): key for p, key in zip(taking_part, keys)}
    table = PurchaseTable.of(purchases)
    if hashes == "all equal":
        table.receipt_hash = array("q", [7] * len(purchases))
    dropped_ids = {k for k, source in enumerate(table.sources) if source.file in dropped}
    compact, contested = validation._counting_rows(table, dropped_ids, saved_at)
    for i, p in enumerate(purchases):
        if p.source.file in dropped:
            assert i not in contested
            continue
        key = key_of[id(p)]
        chosen = compact[table.receipt_key(i)] if i in contested else i
        assert purchases[chosen] is counting[key]
        assert (i in contested) == (keys.count(key) > 1)
