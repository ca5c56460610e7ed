"""Input workbooks for tests, built in code with openpyxl (an independent writer)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from jikubata.domain import schema

# Valid NIPs: birth date, appointment month, gender digit, number.
NIP_ANI = "198001012010012001"
NIP_BUDI = "197505052000031002"
NIP_CICI = "199002022015022003"
NIP_DEDI = "196806061990031004"


def roster_rows(*people: tuple) -> list[list]:
    """`people`: (nip, name, position, eselon, office[, status, start, end])."""
    return [schema.EMPLOYEES.headers[:len(people[0])] if people else schema.EMPLOYEES.headers] + [list(p) for p in people]


def purchase_rows(*rows: tuple) -> list[list]:
    """`rows`: (date, nip, name, seller, product, amount, receipt)."""
    return [schema.PURCHASES.headers[:7]] + [list(r) for r in rows]


def write(path: Path, sheets: dict[str, list[list]], *, start: str = "A1") -> Path:
    """Write `sheets` (name -> rows); `start` places every sheet's first row/column elsewhere."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    col0 = openpyxl.utils.column_index_from_string("".join(c for c in start if c.isalpha()))
    row0 = int("".join(c for c in start if c.isdigit()))
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if value is None:
                    continue
                cell = ws.cell(row=row0 + i, column=col0 + j, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never let openpyxl read "=..." as a formula
                if isinstance(value, (dt.date, dt.datetime)):
                    cell.number_format = "dd/mm/yyyy"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def signer_settings() -> list[list]:
    """A `Pengaturan` sheet naming the signer: without it letters are a KONSEP (issue 12)."""
    return [["Pengaturan", "Nilai"], ["Nama Penandatangan", "Drs. Yohanes Contoh, M.Si."],
            ["Pangkat Penandatangan", "Pembina Utama Muda (IV/c)"], ["NIP Penandatangan", "196901011990031001"]]


def basic(path: Path, *, purchases=(), people=None, sellers=("Mie Sagu Mama Ona", "Bagea Kenari Hative"),
          extra: dict | None = None) -> Path:
    people = people or [
        (NIP_ANI, "Ani Latuconsina", "Kepala Seksi Pendataan", "IV.a", "Dinas Kesehatan"),
        (NIP_BUDI, "Budi Pattiasina", "Kepala Dinas Kesehatan", "II.b", "Dinas Kesehatan"),
        (NIP_CICI, "Cici Tuasikal", "Pengelola Data", "Staf", "Dinas Kesehatan"),
        (NIP_DEDI, "Dedi Matulessy", "Camat Sirimau", "III.a", "Kecamatan Sirimau"),
    ]
    sheets = {"Pegawai": roster_rows(*people), "Belanja": purchase_rows(*purchases)}
    if sellers is not None:
        sheets["UMKM"] = [["Nama UMKM"]] + [[s] for s in sellers]
    sheets.update(extra or {})
    return write(path, sheets)
