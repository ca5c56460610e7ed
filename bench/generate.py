"""City-scale input data for the benchmarks.

6,000 ASN in 40 offices, 3 purchases per person per month for 12 months:
216,000 purchase rows in 41 workbooks (one central, one per office). With
`--penjualan` (README: Rekonsiliasi), also every seller's own sales book: the same sales
as the seller wrote them, a few lines different, 216,000 more rows.

`--skala N` makes N times the city (N × 6,000 ASN in the same 40 offices, N × 216,000 rows): 4 and 7 are
the scales of the memory benchmark (README: Kinerja), in bench/data-4x and bench/data-7x.

    python bench/generate.py [--penjualan] [--skala N] [OUTDIR]
    (default bench/data, with --penjualan bench/data-penjualan, with --skala N bench/data-Nx)
"""
from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from jikubata.tools import demo
from jikubata.domain.model import Period, Tier

OFFICES = 40
ASN = 6_000
MONTHS = 12
PER_MONTH = 3
TODAY = dt.date(2026, 11, 30)
PERIOD = Period(2026, 11)


def generate(out_dir: Path, sales: bool = False, scale: int = 1) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    asn = ASN * scale
    # Officials per office come from the demo's structure; staff fill up to ASN.
    probe = demo.build_city(offices=OFFICES, staff_per_office=0)
    staff = (asn - len(probe.people)) // OFFICES
    city = demo.build_city(offices=OFFICES, staff_per_office=staff)
    while len(city.people) < asn:  # top up the remainder in the first office
        p = city.people[-1]
        city.people.append(demo.Person(demo._nip(demo.random.Random(len(city.people)), {x.nip for x in city.people}),
                                       p.name, p.position, p.eselon, Tier.NON_ESELON, p.office))
    for p in city.people:
        p.status = "Aktif"
    periods = []
    period = PERIOD
    for _ in range(MONTHS):
        periods.insert(0, period)
        period = Period(period.year - 1, 12) if period.month == 1 else Period(period.year, period.month - 1)
    demo.add_purchases(city, periods, per_month=PER_MONTH, until=TODAY, compliance=1.0)
    paths = [demo.write_central(city, out_dir / "JikuBata-Pusat.xlsx")]
    for office in city.offices:
        paths.append(demo.write_office_purchases(office, city.purchases.get(office[0], []),
                                                 out_dir / f"Belanja-{demo.file_slug(office[1])}.xlsx"))
    if sales:
        paths += demo.write_sales_books(city, out_dir)
    return paths


def default_dir(sales: bool = False, scale: int = 1) -> Path:
    here = Path(__file__).parent
    return here / ("data-penjualan" if sales else f"data-{scale}x" if scale > 1 else "data")


def ensure(out_dir: Path, sales: bool = False, scale: int = 1) -> list[Path]:
    """Generate once; reuse when present."""
    marker = out_dir / ".lengkap"
    if not marker.exists():
        generate(out_dir, sales, scale)
        marker.write_text("ok")
    return sorted(out_dir.glob("*.xlsx"))


def bench_setup(description: str):
    """The benchmarks' common start: `--runs` and `--data`, the data made ready; returns (args, plain-read command)."""
    import argparse

    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--data", type=Path)
    ap.add_argument("--penjualan", action="store_true", help="with every seller's sales book (README: Rekonsiliasi)")
    args = ap.parse_args()
    args.data = args.data or Path(__file__).parent / ("data-penjualan" if args.penjualan else "data")
    t = time.perf_counter()
    files = ensure(args.data, args.penjualan)
    print(f"data: {len(files)} workbooks in {args.data} (ready in {time.perf_counter() - t:.1f} s)")
    compiled()
    return args, [sys.executable, str(Path(__file__).parent / "plain_read.py"), str(args.data)]


def compiled() -> None:
    """Measure jikubata as installed: pip compiles a package's bytecode when it installs it (the plain read's
    python-calamine has its bytecode too). A checkout run with PYTHONDONTWRITEBYTECODE set would otherwise
    compile every module again in every measured run (0.05 s of each start, measured here)."""
    import compileall

    import jikubata

    compileall.compile_dir(str(Path(jikubata.__file__).parent), quiet=1)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--penjualan", action="store_true")
    ap.add_argument("--skala", type=int, default=1)
    ap.add_argument("outdir", nargs="?", type=Path)
    cli = ap.parse_args()
    out = cli.outdir or default_dir(cli.penjualan, cli.skala)
    t = time.perf_counter()
    paths = generate(out, cli.penjualan, cli.skala)
    (out / ".lengkap").write_text("ok")
    print(f"{len(paths)} workbooks in {out} ({time.perf_counter() - t:.1f} s)")
