"""`jikubata rekap` at city scale against a plain python-calamine read of the same files.

`rekap` = read + validate + compute + write the summary workbook. Both run as
separate processes (interpreter start-up included in both), alternating, in
the same run; prints each median, their ratio (target ≤ 2.0, README: Kinerja), the
peak memory of `rekap`, and — in this process — the time of the writer alone
(`summary.write_summary` on the computed Result) with the workbook's size.
Then the yearly recap (`rekap --tahun`, twelve months of the same data) on
its own, against the same plain read.

    python bench/bench_rekap.py [--runs N] [--data DIR]
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import generate  # noqa: E402

HERE = Path(__file__).parent


def timed(cmd: list[str]) -> tuple[float, float, float]:
    """Wall time (s), CPU time (user + system, s) and peak RSS (MiB) of one child process.

    CPU time is printed too because other work on a shared machine stretches
    the wall time of the multi-threaded `rekap` more than that of the plain read.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[:4]} failed: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def writer_alone(data: Path, runs: int) -> None:
    from jikubata import services
    from jikubata.adapters.clock import Clock
    from jikubata.adapters import summary

    result = services.calculate([data], generate.PERIOD, clock=Clock.fixed(generate.TODAY))
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
    args, plain_cmd = generate.bench_setup(__doc__)
    with tempfile.TemporaryDirectory() as out:
        rekap_cmd = [sys.executable, "-m", "jikubata", "rekap", str(args.data), "--periode", str(generate.PERIOD),
                     "--keluaran", out]
        plain, rekap, plain_cpu, rekap_cpu, peak = [], [], [], [], []
        for i in range(args.runs):
            seconds, cpu, _ = timed(plain_cmd)
            plain.append(seconds)
            plain_cpu.append(cpu)
            seconds, cpu, rss = timed(rekap_cmd)
            rekap.append(seconds)
            rekap_cpu.append(cpu)
            peak.append(rss)
            print(f"  run {i + 1}: plain read {plain[-1]:.2f} s (cpu {plain_cpu[-1]:.2f})   "
                  f"rekap {rekap[-1]:.2f} s (cpu {rekap_cpu[-1]:.2f})   peak {rss:.0f} MiB")
    p, r = statistics.median(plain), statistics.median(rekap)
    print(f"plain calamine read: {p:.2f} s wall, {statistics.median(plain_cpu):.2f} s cpu (median of {args.runs})")
    print(f"jikubata rekap:      {r:.2f} s wall, {statistics.median(rekap_cpu):.2f} s cpu (median of {args.runs})")
    print(f"ratio rekap / plain read: {r / p:.2f} wall  (target ≤ 2.00); "
          f"best runs {min(rekap) / min(plain):.2f}; cpu {statistics.median(rekap_cpu) / statistics.median(plain_cpu):.2f}")
    print(f"peak memory of rekap: {max(peak):.0f} MiB")
    writer_alone(args.data, args.runs)
    yearly(args, p)


def yearly(args, plain_median: float) -> None:
    """`rekap --tahun`: read once, compute each month with data, write one workbook."""
    year = generate.PERIOD.year
    with tempfile.TemporaryDirectory() as out:
        # As of today (the default): an as-of day after today is refused, and the data's TODAY may be ahead.
        cmd = [sys.executable, "-m", "jikubata", "rekap", str(args.data), "--tahun", str(year), "--keluaran", out]
        runs = [timed(cmd) for _ in range(max(1, args.runs // 2))]
        size = (Path(out) / f"Rekap-Jiku-Bata-{year}.xlsx").stat().st_size
    wall = statistics.median(r[0] for r in runs)
    print(f"jikubata rekap --tahun {year}: {wall:.2f} s wall, {statistics.median(r[1] for r in runs):.2f} s cpu "
          f"(median of {len(runs)}), peak {max(r[2] for r in runs):.0f} MiB, {size / 1024:.0f} KiB; "
          f"{wall / plain_median:.2f}x the plain read")


if __name__ == "__main__":
    main()
