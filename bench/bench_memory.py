"""Peak memory and wall time of `jikubata hitung` at 1×, 4× and 7× the city (README: Kinerja), against the plain
python-calamine read of the same files.

Each scale's data is made once by `generate.py --skala N` (bench/data, bench/data-4x, bench/data-7x: 216,000,
864,000 and 1,512,000 purchase rows; 7× takes a few minutes and ~0.4 GB of disk). Both commands run as
separate processes, alternating; the peak is the child's own max RSS (`os.wait4`, as `/usr/bin/time -v`
reports it). Prints per scale the medians and the ratio hitung / plain read.
Targets (README: Kinerja): peak ≤ 120 MiB at 1×, ≤ 250 MiB at 7×; time ≤ 1.15× the plain read at every scale.

    python bench/bench_memory.py [--runs N] [--skala 1 4 7] [--json-ke DIR] [--csv]

`--csv` measures instead one CSV just under the 128 MiB cap (README: Keandalan; target ≤ 400 MiB): the purchases
of the 7× data written as one `;` CSV of 127 MB, beside the 7× central workbook (the roster), in bench/data-csv.

`--json-ke DIR` also keeps each scale's `hitung --json` output (DIR/hitung-N.json, DIR/hitung-csv.json): before and after a
change to the reading, the files must be identical byte for byte.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import generate  # noqa: E402

HERE = Path(__file__).parent
TARGET_PEAK = {1: 120, 7: 250, "csv": 400}
TARGET_RATIO = 1.15


def timed(cmd: list[str], out=subprocess.DEVNULL) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[:4]} failed: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


CSV_BYTES = 127_000_000


def csv_at_cap() -> Path:
    """bench/data-csv: the 7× central workbook and one CSV of 127 MB of its purchases (made once)."""
    import csv
    import shutil

    from python_calamine import CalamineWorkbook

    out = HERE / "data-csv"
    if (out / ".lengkap").exists():
        return out
    source = generate.default_dir(scale=7)
    generate.ensure(source, scale=7)
    out.mkdir(exist_ok=True)
    shutil.copy(source / "JikuBata-Pusat.xlsx", out / "JikuBata-Pusat.xlsx")
    with open(out / "Belanja-besar.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(["Tanggal", "NIP", "Nama Pegawai", "UMKM", "Produk", "Jumlah (Rp)", "No. Nota", "Keterangan"])
        for path in sorted(source.glob("Belanja-*.xlsx")):
            rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
            for row in rows[4:]:
                date = row[0]
                line = [f"{date:%d/%m/%Y}" if hasattr(date, "year") else date, row[1], row[2], row[3], row[4],
                        int(row[5]) if isinstance(row[5], float) else row[5], row[6], row[7]]
                w.writerow(line)
                if f.tell() > CSV_BYTES:
                    break
            if f.tell() > CSV_BYTES:
                break
    (out / ".lengkap").write_text("ok")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skala", type=int, nargs="+", default=[1, 4, 7])
    ap.add_argument("--json-ke", type=Path, help="keep each scale's hitung --json output in this folder")
    ap.add_argument("--csv", action="store_true", help="one 127 MB CSV beside the 7x roster (README: Keandalan)")
    args = ap.parse_args()
    generate.compiled()
    rows = []
    for scale in ["csv"] if args.csv else args.skala:
        t = time.perf_counter()
        if scale == "csv":
            data = csv_at_cap()
        else:
            data = generate.default_dir(scale=scale)
            generate.ensure(data, scale=scale)
        print(f"{scale}: {data} (ready in {time.perf_counter() - t:.1f} s)", flush=True)
        plain_cmd = [sys.executable, str(HERE / "plain_read.py"), str(data)]
        hitung_cmd = [sys.executable, "-m", "jikubata", "hitung", str(data), "--periode", str(generate.PERIOD),
                      "--json"]
        if args.json_ke:
            args.json_ke.mkdir(parents=True, exist_ok=True)
            with open(args.json_ke / f"hitung-{scale}.json", "wb") as out:
                timed(hitung_cmd, out)
        plain, plain_peak, hitung, peak = [], [], [], []
        for i in range(args.runs):
            seconds, rss = timed(plain_cmd)
            plain.append(seconds)
            plain_peak.append(rss)
            seconds, rss = timed(hitung_cmd)
            hitung.append(seconds)
            peak.append(rss)
            print(f"  run {i + 1}: plain read {plain[-1]:.2f} s ({plain_peak[-1]:.0f} MiB)   "
                  f"hitung {hitung[-1]:.2f} s ({rss:.0f} MiB)", flush=True)
        p, h = statistics.median(plain), statistics.median(hitung)
        rows.append((scale, p, statistics.median(plain_peak), h, h / p, statistics.median(peak), max(peak)))
    print()
    print("scale | plain read s | plain peak MiB | hitung s | ratio | hitung peak MiB (median, max) | target")
    for scale, p, pp, h, ratio, med, top in rows:
        target = f"≤ {TARGET_PEAK[scale]} MiB, " if scale in TARGET_PEAK else ""
        print(f"{scale} | {p:.2f} | {pp:.0f} | {h:.2f} | {ratio:.2f} | {med:.0f}, {top:.0f} | "
              f"{target}≤ {TARGET_RATIO}×")


if __name__ == "__main__":
    main()
