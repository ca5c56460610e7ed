"""`jikubata rekap` at city scale against a plain python-calamine read of the same files.

`rekap` = read + validate + compute + write the summary workbook. Both run as
separate processes (interpreter start-up included in both), alternating, in
the same run; prints each median, their ratio (target, issue 4: ≤ 2.0), the
peak memory of `rekap`, and — in this process — the time of the writer alone
(`summary.write_summary` on the computed Result) with the workbook's size.

    python bench/bench_rekap.py [--runs N] [--data DIR]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import generate  # noqa: E402
from bench_hitung import timed  # noqa: E402

HERE = Path(__file__).parent


def writer_alone(data: Path, runs: int) -> None:
    from jikubata import services, summary

    result = services.calculate([data], generate.PERIOD, today=generate.TODAY)
    with tempfile.TemporaryDirectory() as out:
        seconds = []
        for _ in range(runs):
            start = time.perf_counter()
            path = summary.write_summary(result, out)
            seconds.append(time.perf_counter() - start)
        size = path.stat().st_size
        sheets = len(summary.sheet_tables(result))
    print(f"writer alone (write_summary, {len(result.employees):,} ASN, {len(result.offices)} OPD, "
          f"{len(result.problems):,} problems): {statistics.median(seconds):.2f} s "
          f"(median of {runs}); {sheets} sheets, {size / 1024:.0f} KiB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--data", type=Path, default=HERE / "data")
    args = ap.parse_args()
    t = time.perf_counter()
    files = generate.ensure(args.data)
    print(f"data: {len(files)} workbooks in {args.data} (ready in {time.perf_counter() - t:.1f} s)")
    plain_cmd = [sys.executable, str(HERE / "plain_read.py"), str(args.data)]
    with tempfile.TemporaryDirectory() as out:
        rekap_cmd = [sys.executable, "-m", "jikubata", "rekap", str(args.data), "--periode", str(generate.PERIOD),
                     "--keluaran", out]
        plain, rekap, peak = [], [], []
        for i in range(args.runs):
            plain.append(timed(plain_cmd)[0])
            seconds, rss = timed(rekap_cmd)
            rekap.append(seconds)
            peak.append(rss)
            print(f"  run {i + 1}: plain read {plain[-1]:.2f} s   rekap {rekap[-1]:.2f} s   peak {rss:.0f} MiB")
    p, r = statistics.median(plain), statistics.median(rekap)
    print(f"plain calamine read: {p:.2f} s (median of {args.runs})")
    print(f"jikubata rekap:      {r:.2f} s (median of {args.runs})")
    print(f"ratio rekap / plain read: {r / p:.2f}  (target ≤ 2.00)")
    print(f"peak memory of rekap: {max(peak):.0f} MiB")
    writer_alone(args.data, args.runs)


if __name__ == "__main__":
    main()
