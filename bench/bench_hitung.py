"""`jikubata hitung` at city scale against a plain python-calamine read of the same files.

Both run as separate processes (interpreter start-up included in both),
alternating, in the same run; prints each median, their ratio and the peak
memory (max RSS) of `hitung`. Targets (README: Kinerja): ratio ≤ 1.5, peak ≤ 500 MiB.

    python bench/bench_hitung.py [--runs N] [--data DIR]
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import generate  # noqa: E402

HERE = Path(__file__).parent


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed ({proc.returncode}): {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    args, plain_cmd = generate.bench_setup(__doc__)
    hitung_cmd = [sys.executable, "-m", "jikubata", "hitung", str(args.data), "--periode", str(generate.PERIOD),
                  "--json"]
    plain, hitung, peak = [], [], []
    for i in range(args.runs):
        plain.append(timed(plain_cmd)[0])
        seconds, rss = timed(hitung_cmd)
        hitung.append(seconds)
        peak.append(rss)
        print(f"  run {i + 1}: plain read {plain[-1]:.2f} s   hitung {hitung[-1]:.2f} s   peak {rss:.0f} MiB")
    p, h = statistics.median(plain), statistics.median(hitung)
    print(f"plain calamine read: {p:.2f} s (median of {args.runs})")
    print(f"jikubata hitung:     {h:.2f} s (median of {args.runs})")
    print(f"ratio hitung / plain read: {h / p:.2f}  (target ≤ 1.50)")
    print(f"peak memory of hitung: {max(peak):.0f} MiB  (target ≤ 500 MiB)")


if __name__ == "__main__":
    main()
