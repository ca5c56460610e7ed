"""`jikubata hitung` on the city-scale data re-saved as .xls, .ods and .csv, each against its own plain read.

The office workbooks of the benchmark data are converted once by LibreOffice
(headless, set to Indonesian so the CSV is what an Indonesian office saves:
`;`, dates 07/11/2026, amounts Rp20.000); the central workbook stays .xlsx.
Per format, `hitung --json` and a plain read of the same folder (calamine, or
the csv module for CSV; bench/plain_read.py) run as separate processes,
alternating; prints each median and their ratio. Target (README: Kinerja): ≤ 2.0.

    python bench/bench_formats.py [--runs N] [--data DIR]
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import generate  # noqa: E402
from bench_hitung import timed  # noqa: E402

PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">\
<value>id-ID</value></prop></item>
</oor:items>
"""
TARGETS = {"xls": "xls", "ods": "ods", "csv": "csv:Text - txt - csv (StarCalc):59,34,76,1,,,false,true,true"}


def converted(data: Path, kind: str) -> Path:
    """`data` with its office workbooks in format `kind` (made once, kept beside the data)."""
    folder = data.parent / f"{data.name}-{kind}"
    marker = folder / ".lengkap"
    if marker.exists():
        return folder
    folder.mkdir(exist_ok=True)
    shutil.copy2(data / "JikuBata-Pusat.xlsx", folder)
    offices = sorted(str(p) for p in data.glob("Belanja-*.xlsx"))
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profil"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(PROFILE)
        t = time.perf_counter()
        subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                        TARGETS[kind], "--outdir", str(folder), *offices], check=True, capture_output=True)
    print(f"  {kind}: {len(offices)} office workbooks converted by LibreOffice in {time.perf_counter() - t:.0f} s")
    marker.write_text("ok")
    return folder


def main() -> None:
    args, _ = generate.bench_setup(__doc__)
    for kind in TARGETS:
        folder = converted(args.data, kind)
        plain_cmd = [sys.executable, str(Path(__file__).parent / "plain_read.py"), str(folder)]
        hitung_cmd = [sys.executable, "-m", "jikubata", "hitung", str(folder), "--periode", str(generate.PERIOD),
                      "--json"]
        plain, hitung = [], []
        for _ in range(args.runs):
            plain.append(timed(plain_cmd)[0])
            hitung.append(timed(hitung_cmd)[0])
        p, h = statistics.median(plain), statistics.median(hitung)
        print(f"{kind}: plain read {p:.2f} s, hitung {h:.2f} s (medians of {args.runs}); "
              f"ratio {h / p:.2f}  (target ≤ 2.00)")


if __name__ == "__main__":
    main()
