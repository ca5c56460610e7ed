"""The TPP list for BKPSDM (README: Kekurangan berulang dan daftar TPP): one row per ASN obliged in a finished month, with the deduction of
the allowance (Tambahan Penghasilan Pegawai) the city's `Potongan TPP` table sets for a run of shortfall.

Pure: it reads a `Result` computed as a finished month (`compute(..., finished=True)`). The list decides
nothing by itself: BKPSDM computes the TPP, and the city decides the table; empty, it says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from jikubata.domain.model import Result, Status, Tier

NOT_REPORTED = "BELUM_MELAPOR"     # the office sent no data for the month: no verdict, no deduction
NOT_DECIDED = "belum ditetapkan"   # the `Potongan TPP` table is empty


@dataclass(frozen=True)
class TppRow:
    nip: str
    name: str
    position: str
    office: str
    tier: Tier
    minimum: Optional[int]
    spent: int
    shortfall: int
    status: str               # MEMENUHI, KURANG or BELUM_MELAPOR
    run: int                  # `bulan_berturut`
    deduction: Optional[float]  # % of the TPP; None: the city has not decided the table
    note: str


def deduction(run: int, table: Sequence[tuple[int, float]]) -> Optional[float]:
    """The % of the row with the highest `Bulan Berturut` not above `run`; 0 when no row applies; None when the
    table is empty (not decided)."""
    if not table:
        return None
    applicable = [pct for months, pct in table if months <= run]
    return applicable[-1] if applicable else 0.0


def tpp_rows(result: Result) -> list[TppRow]:
    """Every ASN obliged in the month, sorted by `Bulan Berturut` (highest first), then office and name."""
    if any(e.short_run is None for e in result.employees):
        raise ValueError("daftar TPP hanya untuk bulan yang sudah selesai")
    table = sorted(result.settings.tpp_deductions)
    threshold = result.settings.repeat_threshold
    rows = []
    for e in result.employees:
        if e.status is Status.TIDAK_WAJIB or e.tier in (Tier.WALIKOTA, Tier.WAKIL_WALIKOTA):
            continue  # not obliged, or not ASN (no TPP)
        run = e.short_run or 0
        if not e.reported:
            status, pct, note = NOT_REPORTED, 0.0, "OPD belum menyampaikan data belanja bulan ini: tidak dinilai"
        elif e.status is Status.KURANG:
            status, pct = e.status.value, deduction(run, table)
            note = f"{run} bulan berturut-turut"
            if threshold and run >= threshold:
                note += f" (mencapai Batas Berturut {threshold})"
            if pct is None:
                note += "; potongan belum ditetapkan (tabel Potongan TPP kosong)"
        else:
            status, pct, note = e.status.value, 0.0, ""
        rows.append(TppRow(e.nip, e.name, e.position, e.office, e.tier, e.minimum, e.spent, e.shortfall, status,
                           run, pct, note))
    rows.sort(key=lambda r: (-r.run, r.office.casefold(), r.name.casefold(), r.nip))
    return rows


def percent_text(pct: Optional[float]) -> str:
    """`10`, `2,5`, or `belum ditetapkan`: the deduction as an Indonesian reader writes it."""
    if pct is None:
        return NOT_DECIDED
    return f"{pct:g}".replace(".", ",")
