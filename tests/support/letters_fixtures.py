"""Domain records built in code for the letter tests (no workbook needed)."""
from __future__ import annotations

import datetime as dt

from jikubata.domain.model import Dataset, Employee, Office, Period, Purchase, Settings, Tier, compute

PERIOD = Period(2026, 11)
AS_OF = dt.date(2026, 11, 20)
TODAY = dt.date(2026, 11, 21)


def nip(n: int, year: int = 1980) -> str:
    """A valid 18-digit NIP: birth date, TMT, gender digit, serial."""
    return f"{year:04d}0101" + "200501" + "1" + f"{n:03d}"


def employee(n, name, tier, office, position="Staf", **kw) -> Employee:
    return Employee(nip(n), name, position, tier, office, **kw)


def buy(n, amount, day=5) -> Purchase:
    return Purchase(dt.date(2026, 11, day), nip(n), "Toko Sagu", amount)


def settings(**kw) -> Settings:
    s = Settings(signatory_name="Drs. Johan Latuheru, M.Si", signatory_rank="Pembina Utama Muda (IV/c)",
                 signatory_nip="196805121994031005", **kw)
    s.minimums[Tier.NON_ESELON] = 10_000  # so staff can be short too (they get no personal letter)
    return s


def dataset(employees, purchases, offices=(), settings_=None) -> Dataset:
    return Dataset(settings_ or settings(), list(employees), list(purchases), list(offices), [], [])


def small_result(settings_=None, extra_employees=()):
    """Dinkes: an Eselon IV and a staffer short, an Eselon III met; Bappeda: all met;
    Setda (no head recorded): an Eselon II short."""
    offices = [
        Office("Dinas Kesehatan", "Dinkes", "dr. Wendy Pattinama", "197001011995032001", "Kepala Dinas Kesehatan"),
        Office("Bappeda", "Bappeda", "Ir. Max Souisa", "", "Kepala Bappeda"),
        Office("Sekretariat Daerah", "Setda"),
    ]
    employees = [
        employee(1, "Maria Latupeirissa", Tier.ESELON_IV, "Dinas Kesehatan", "Kepala Seksi Gizi"),
        employee(2, "Yohanes Tuhumury", Tier.NON_ESELON, "Dinas Kesehatan"),
        employee(3, "Abdul Rahman Ohorella", Tier.ESELON_III, "Dinas Kesehatan", "Kepala Bidang P2P"),
        employee(4, "Ruth Sahetapy", Tier.ESELON_IV, "Bappeda", "Kepala Subbagian Umum"),
        employee(5, "Frans Nanlohy", Tier.ESELON_II, "Sekretariat Daerah", "Asisten Pemerintahan"),
        employee(6, "Stella Tutuarima", Tier.NON_ESELON, "Dinas Kesehatan", "Pengadministrasi Umum"),
        *extra_employees,
    ]
    purchases = [buy(1, 15_000), buy(2, 50_000), buy(3, 30_000), buy(4, 25_000), buy(5, 45_000)]
    return compute(dataset(employees, purchases, offices, settings_), PERIOD, AS_OF)
