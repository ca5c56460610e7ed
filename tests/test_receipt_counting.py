"""Which row of a receipt counts (NOTA_GANDA, resubmissions), kept compact (issue 23): the same verdicts as the
row-keeping `_counting_receipts`, which the sales books still use."""
import datetime as dt

from hypothesis import given, settings, strategies as st

from jikubata.domain import validation
from jikubata.domain.model import Purchase, SheetSource

FILES = ["a.xlsx", "b.xlsx", "c.csv"]
rows = st.lists(st.tuples(st.sampled_from(FILES), st.sampled_from(["Kopi Rempah", "kopi  rempah", "Mie Sagu"]),
                          st.sampled_from(["N1", "n1", "N2", "Nᴬ", "ß", "SS"])), max_size=30)
saved = st.fixed_dictionaries({f: st.one_of(st.none(), st.integers(0, 3)) for f in FILES})


@settings(max_examples=300, deadline=None)
@given(rows, saved)
def test_compact_receipt_counting_chooses_the_rows_the_row_keeping_one_chooses(found, times):
    sources = {f: SheetSource(f, "Belanja", {"receipt": 6}) for f in FILES}
    purchases = [Purchase(dt.date(2026, 11, 7), "1", seller, 1000, receipt=receipt, source=sources[f], row=i + 2)
                 for i, (f, seller, receipt) in enumerate(found)]
    saved_at = {f: dt.datetime(2026, 11, 1 + t, tzinfo=dt.timezone.utc) for f, t in times.items() if t is not None}
    keys, counting = validation._counting_receipts(purchases, {}, saved_at)
    compact, contested = validation._counting_purchases(purchases, {}, saved_at)
    assert len(compact) == len(counting)
    for p, key in zip(purchases, keys):
        expected = counting[key]
        chosen = compact[validation._receipt_key(key[0], p.receipt)] if id(p) in contested else p
        assert chosen is expected
