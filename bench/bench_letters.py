"""Letters at city scale: letters per second, and the PDF batch rate.

6,000 ASN in 40 offices (per office 1 Eselon II, 4 Eselon III, 12 Eselon IV,
the rest staff with a minimum set), about a third of the obliged short. The
`Result` is built in code with `domain.compute`, so only the letters are timed.

    python bench/bench_letters.py [--pdf-sample 40] [--workers N]

Target (README: Kinerja): at least 40 letters per second using both cores.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

from faker import Faker

from jikubata.domain.model import Dataset, Employee, Office, Period, Purchase, Settings, Tier, compute
from jikubata.adapters.letters import write_letters
from jikubata.adapters.pdf import convert_to_pdf, find_soffice

OFFICES, ASN = 40, 6_000
PERIOD, AS_OF, TODAY = Period(2026, 11), dt.date(2026, 11, 20), dt.date(2026, 11, 21)
SHORT_SHARE = 0.33


def city_result():
    rng, fake = random.Random(7), Faker("id_ID")
    fake.seed_instance(7)
    settings = Settings(signatory_name="Drs. Johan Latuheru, M.Si", signatory_rank="Pembina Utama Muda (IV/c)",
                        signatory_nip="196805121994031005")
    settings.minimums[Tier.NON_ESELON] = 10_000
    offices, employees, purchases = [], [], []
    per_office = ASN // OFFICES
    n = 0
    for o in range(OFFICES):
        office = f"Dinas Contoh {o + 1:02d}"
        offices.append(Office(office, f"DC{o + 1}", fake.name(), "", f"Kepala {office}"))
        tiers = [Tier.ESELON_II] + [Tier.ESELON_III] * 4 + [Tier.ESELON_IV] * 12
        tiers += [Tier.NON_ESELON] * (per_office - len(tiers))
        for tier in tiers:
            n += 1
            nip = f"{rng.randint(1965, 1998)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" \
                  f"{rng.randint(1990, 2022)}{rng.randint(1, 12):02d}{rng.randint(1, 2)}{n % 1000:03d}"
            employees.append(Employee(nip, fake.name(), f"{fake.job()[:40]}", tier, office))
            minimum = settings.minimums[tier]
            spent = rng.randint(0, minimum // 1000 - 1) * 1000 if rng.random() < SHORT_SHARE else minimum
            if spent:
                purchases.append(Purchase(dt.date(2026, 11, rng.randint(1, 20)), nip, "Toko Sagu", spent))
    dataset = Dataset(settings, employees, purchases, offices, [], [])
    return compute(dataset, PERIOD, AS_OF)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pdf-sample", type=int, default=40)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()

    result = city_result()
    print(f"ASN {len(result.employees)}, OPD {len(result.offices)}, kurang {len(result.short_employees())}, "
          f"inti {os.cpu_count()}")
    out = Path(tempfile.mkdtemp(prefix="bench-letters-"))
    try:
        t = time.perf_counter()
        outcome = write_letters(result, out, today=TODAY, workers=args.workers)
        first = time.perf_counter() - t
        n = len(outcome.letters)
        print(f"surat: {n} ({sum(x.kind == 'OPD' for x in outcome.letters)} OPD) dalam {first:.2f} s "
              f"= {n / first:.1f} surat/detik (target >= 40)")
        t = time.perf_counter()
        write_letters(result, out, today=TODAY, workers=args.workers)
        again = time.perf_counter() - t
        print(f"ulang (nomor sama, berkas tak berubah): {again:.2f} s = {n / again:.1f} surat/detik")

        soffice = find_soffice()
        if soffice is None:
            print("PDF: LibreOffice tidak ada; dilewati")
            return
        sample = [x.path for x in outcome.letters[: args.pdf_sample]]
        t = time.perf_counter()
        conv = convert_to_pdf(sample)
        took = time.perf_counter() - t
        print(f"PDF: {len(conv.pdfs)}/{len(sample)} dalam satu batch, {took:.2f} s = "
              f"{len(conv.pdfs) / took:.1f} PDF/detik {conv.message}")
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
