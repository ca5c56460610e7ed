"""`jikubata formulir` at city scale: one entry form per OPD for 40 OPDs and 6,000 ASN.

Two rosters of the same city (bench/generate.py):

- as generated: the default minimums, so only officials are obliged
  (Non Eselon has no minimum) and each form lists about nine people;
- every ASN obliged: the same workbook with a Non Eselon minimum of
  Rp10.000, so the 40 forms list all 6,000 people (the issue's target).

Each is timed as a separate process (`jikubata formulir <central workbook>`,
interpreter start-up included), alternating, and the writer alone in this
process; a third process reads the whole input folder (the central workbook
and 40 office workbooks, 216,000 purchases) as an admin pointing at the
folder would. Wall and CPU time are both printed, with the load average: on
a machine shared with other work the wall time stretches. Target (README: Kinerja):
all forms in under 10 s on 2 cores.

    python bench/bench_formulir.py [--runs N] [--data DIR]
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import generate  # noqa: E402
from bench_rekap import timed  # noqa: E402

NON_ESELON_MINIMUM = 10_000


def every_asn_obliged(central: Path, target: Path) -> Path:
    """A copy of the central workbook whose tier table sets a Non Eselon minimum."""
    import openpyxl

    wb = openpyxl.load_workbook(central)
    ws = wb["Pengaturan"]
    row = next(r for r in ws.iter_rows(min_col=1, max_col=2) if r[0].value == "Non Eselon")
    row[1].value = NON_ESELON_MINIMUM
    wb.save(target)
    return target


def writer_alone(central: Path, runs: int) -> tuple[float, float, int, int, int]:
    """Median wall and CPU seconds of `forms.write_forms` on a checked dataset; forms, people, total bytes."""
    from jikubata import services
    from jikubata.adapters import forms
    from jikubata.adapters.clock import Clock

    clock = Clock.fixed(generate.TODAY)
    dataset = services.check([central], clock=clock)
    seconds, cpu = [], []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            outcome = forms.write_forms(dataset, generate.PERIOD, out, clock.now())
            seconds.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        people = sum(len(form.staff) for form, _ in outcome.written)
        size = sum(path.stat().st_size for _, path in outcome.written)
    return statistics.median(seconds), statistics.median(cpu), len(outcome.written), people, size


def main() -> None:
    args, _ = generate.bench_setup(__doc__)
    central = args.data / "JikuBata-Pusat.xlsx"
    with tempfile.TemporaryDirectory() as tmp:
        everyone = every_asn_obliged(central, Path(tmp) / "JikuBata-Pusat-semua-wajib.xlsx")
        cases = [("as generated (officials obliged)", central), ("every ASN obliged", everyone),
                 ("whole input folder", args.data)]
        print(f"load average before: {os.getloadavg()[0]:.1f}")
        wall = {label: [] for label, _ in cases}
        cpu = {label: [] for label, _ in cases}
        peak = {label: 0.0 for label, _ in cases}
        for i in range(args.runs):
            line = []
            for label, path in cases:
                with tempfile.TemporaryDirectory() as out:
                    seconds, used, rss = timed([sys.executable, "-m", "jikubata", "formulir", str(path),
                                                "--periode", str(generate.PERIOD), "--keluaran", out])
                wall[label].append(seconds)
                cpu[label].append(used)
                peak[label] = max(peak[label], rss)
                line.append(f"{label}: {seconds:.2f} s (cpu {used:.2f})")
            print(f"  run {i + 1}: " + "   ".join(line))
        for label, path in cases:
            print(f"{label}: jikubata formulir {statistics.median(wall[label]):.2f} s wall, "
                  f"{statistics.median(cpu[label]):.2f} s cpu (median of {args.runs}; target < 10 s), "
                  f"peak {peak[label]:.0f} MiB")
        for label, path in cases[:2]:
            alone, alone_cpu, count, people, size = writer_alone(path, args.runs)
            print(f"  writer alone, {label}: {alone:.2f} s wall, {alone_cpu:.2f} s cpu for {count} forms "
                  f"listing {people:,} ASN, {size / 1024:.0f} KiB in all")
        print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
