"""Sales-book forms for the sellers (README: Rekonsiliasi): one plain .xlsx per registered UMKM and month.

Made the way the offices' entry forms are (`forms`): the identity (kind,
UMKM, period, when made) in the custom document properties and again on a
hidden `Data Formulir` sheet, and the UMKM's name on the `Penjualan` sheet
itself, above the header, so a copy saved without properties, as .ods or even
as CSV still says whose book it is. Only the yellow cells can be filled:
date within the month, an optional buyer's NIP of 18 digits, the buyer's OPD
from a drop-down, whole-rupiah amounts.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from jikubata.adapters import form_identity, forms
from jikubata.adapters.atomic import atomic_path, unwritable
from jikubata.adapters.styles import ACCENT, GRID_COLOUR, INPUT_FILL, MUTED, NAVY, RUPIAH_FORMAT, WHITE
from jikubata.domain import schema
from jikubata.domain.indonesian import long_date, month_year, timestamp
from jikubata.domain.model import WIT, Dataset, Period, Seller
from jikubata.domain.parse import MAX_AMOUNT

FILE_PREFIX = "Formulir-Penjualan-"
SHEET_SALES = schema.SALES.name          # read by the sales-book reader (by its name)
HEADER_ROW = 5                           # 1-based; rows 1-3: title, `UMKM | name`, `Periode | month`
FIRST_ROW = HEADER_ROW + 1
LAST_INPUT_ROW = 5_000
N_OFFICES = "DaftarOPD"

# The columns of the sales sheet: header (as schema.SALES writes it), schema key, width.
COLUMNS = (("Tanggal", "date", 13), ("No. Nota", "receipt", 14), ("Nama Pembeli", "buyer_name", 26),
           ("NIP Pembeli", "nip", 21), ("OPD Pembeli", "office", 34), ("Produk", "product", 24),
           ("Jumlah (Rp)", "amount", 14), ("Keterangan", "note", 22))
_COL = {key: j for j, (_, key, _) in enumerate(COLUMNS)}


@dataclass
class SellerFormsOutcome:
    folder: Path
    period: Period
    written: list[tuple[Seller, Path]] = field(default_factory=list)
    kept: list[tuple[Seller, Path]] = field(default_factory=list)     # filled forms never overwritten

    def summary_text(self, detail: bool = True) -> str:
        period = month_year(self.period.year, self.period.month)
        lines = [f"{len(self.written)} formulir penjualan UMKM periode {period} ditulis ke {self.folder}."]
        if detail:
            lines += [f"  {path.name}: {seller.name}" for seller, path in self.written]
        for _, path in self.kept:
            lines.append(f"{path.name} tidak ditimpa karena sudah diisi atau disimpan oleh UMKM; pindahkan dahulu "
                         "bila memang ingin membuat formulir baru.")
        if not self.written and not self.kept:
            lines.append(f"Tidak ada UMKM di lembar {schema.SELLERS.name}: isi daftar UMKM terlebih dahulu.")
        elif self.written:
            lines.append("Kirim setiap berkas ke UMKM-nya. Buku penjualan yang kembali cukup disimpan di folder data "
                         "bersama workbook OPD, lalu jalankan perhitungan seperti biasa: belanja OPD dicocokkan "
                         "dengan buku penjualan (lembar Rekonsiliasi di rekap).")
        return "\n".join(lines)


def folder_name(period: Period) -> str:
    """The folder the Beranda button writes the sellers' forms to, beside the workbook."""
    return f"Formulir-Penjualan-{period}"


def file_name(seller: Seller, period: Period, used: set) -> str:
    base = forms._slug(seller.name)[:40].strip("-") or "UMKM"
    name, n = f"{FILE_PREFIX}{base}-{period}.xlsx", 2
    while name.casefold() in used:
        name, n = f"{FILE_PREFIX}{base}-{n}-{period}.xlsx", n + 1
    used.add(name.casefold())
    return name


def write_seller_forms(dataset: Dataset, period: Period, folder: os.PathLike | str,
                       generated_at: dt.datetime) -> SellerFormsOutcome:
    """One form per registered UMKM into `folder` (atomically); a form a seller already saved is kept."""
    folder = Path(folder)
    generated_at = generated_at.astimezone(WIT).replace(microsecond=0)
    outcome = SellerFormsOutcome(folder, period)
    offices = list(dict.fromkeys(" ".join(o.name.split()) for o in dataset.offices if o.name.strip()))
    if not offices:
        offices = sorted({" ".join(e.office.split()) for e in dataset.employees if e.office.strip()},
                         key=str.casefold)
    sellers = list({" ".join(s.name.split()).casefold(): s for s in dataset.sellers if s.name.strip()}.values())
    used: set = set()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for seller in sellers:
            path = folder / file_name(seller, period, used)
            if path.exists() and not forms._replaceable(path):
                outcome.kept.append((seller, path))
                continue
            with atomic_path(path) as tmp:
                _SellerFormWriter(tmp, seller, period, generated_at, offices, dataset.settings.issuing_office).write()
            outcome.written.append((seller, path))
    except OSError as exc:
        raise unwritable(exc, folder) from None
    return outcome


def identity_properties(seller: Seller, period: Period, generated_at: dt.datetime) -> dict[str, str]:
    return {form_identity.PROP_KIND: form_identity.SALES_KIND,
            form_identity.PROP_SELLER: forms._property_text(seller.name),
            form_identity.PROP_PERIOD: str(period), form_identity.PROP_VERSION: forms.FORM_VERSION,
            form_identity.PROP_GENERATED: generated_at.isoformat()}


class _SellerFormWriter:
    def __init__(self, path: Path, seller: Seller, period: Period, generated_at: dt.datetime, offices: list[str],
                 issuer: str):
        import xlsxwriter

        self.seller, self.period, self.generated_at, self.offices = seller, period, generated_at, offices
        self.issuer = forms._proper(issuer)
        self.name = " ".join(seller.name.split())
        self.wb = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_numbers": False,
                                                  "strings_to_formulas": False, "strings_to_urls": False})
        self.wb.set_properties({
            "title": forms._property_text(f"Buku Penjualan Jiku Bata \u2014 {self.name} \u2014 "
                                          f"{month_year(period.year, period.month)}"),
            "subject": "Buku penjualan UMKM Jiku Bata kepada ASN",
            "author": "Pemerintah Kota Ambon", "company": "Pemerintah Kota Ambon",
            "comments": "Dibuat dengan `jikubata formulir --penjual`. Isi lembar Penjualan; jangan ubah nama lembar.",
            "created": generated_at.astimezone(dt.timezone.utc),
        })
        for name, value in identity_properties(seller, period, generated_at).items():
            self.wb.set_custom_property(name, value)
        f = self.wb.add_format
        border = {"border": 1, "border_color": GRID_COLOUR}
        self.fmt = {
            "title": f({"bold": True, "font_size": 16, "font_color": NAVY}),
            "subtitle": f({"font_color": MUTED}),
            "label": f({"bold": True}),
            "value": f({"num_format": "@"}),
            "header": f({"bold": True, "font_color": WHITE, "bg_color": NAVY, "text_wrap": True,
                         "valign": "vcenter", **border}),
            "in_date": f({"num_format": "dd/mm/yyyy", "locked": False, "bg_color": INPUT_FILL, "align": "left",
                          **border}),
            "in_text": f({"num_format": "@", "locked": False, "bg_color": INPUT_FILL, **border}),
            "in_amount": f({"num_format": RUPIAH_FORMAT, "locked": False, "bg_color": INPUT_FILL, **border}),
            "plain": f({"bg_color": WHITE}),
            "step_no": f({"bold": True, "font_color": WHITE, "bg_color": ACCENT, "align": "center",
                          "valign": "top"}),
            "step": f({"text_wrap": True, "valign": "top"}),
            "date": f({"num_format": "dd/mm/yyyy", "align": "left"}),
        }

    def write(self) -> None:
        sheet = forms._worksheet_class()
        sales = self.wb.add_worksheet(SHEET_SALES, worksheet_class=sheet)   # first: a CSV export takes it
        guide = self.wb.add_worksheet(form_identity.SHEET_GUIDE, worksheet_class=sheet)
        data = self.wb.add_worksheet(form_identity.SHEET_DATA, worksheet_class=sheet)
        self._data(data)
        self._sales(sales)
        self._guide(guide)
        sales.activate()
        self.wb.close()

    def _data(self, ws) -> None:
        fmt = self.fmt
        values = identity_properties(self.seller, self.period, self.generated_at)
        for i, (prop, label) in enumerate(form_identity.SALES_IDENTITY_LABELS):
            ws.write_string(i, 0, label, fmt["label"])
            ws.write_string(i, 1, values[prop], fmt["value"])
        ws.write_string(0, 3, "OPD", fmt["label"])
        for i, office in enumerate(self.offices, 1):
            ws.write_string(i, 3, office)
        if self.offices:
            self.wb.define_name(N_OFFICES, f"='{form_identity.SHEET_DATA}'!$D$2:$D${len(self.offices) + 1}")
        ws.set_column(0, 0, 16)
        ws.set_column(1, 1, 32)
        ws.set_column(3, 3, 40)
        ws.protect("", {"select_locked_cells": True})
        ws.hide()

    def _sales(self, ws) -> None:
        fmt, period_text = self.fmt, month_year(self.period.year, self.period.month)
        top = HEADER_ROW - 1
        inputs = {"date": fmt["in_date"], "amount": fmt["in_amount"]}
        for j, (header, key, width) in enumerate(COLUMNS):
            ws.set_column(j, j, width, inputs.get(key, fmt["in_text"]))
            for r in range(top):
                ws.write_blank(r, j, None, fmt["plain"])
            ws.write_string(top, j, header, fmt["header"])
        ws.write_string(0, 0, f"Buku Penjualan Jiku Bata \u2014 {self.name}", fmt["title"])
        # The UMKM and the month, on the sheet itself: the reader takes the seller from here (no UMKM column).
        ws.write_string(1, 0, "UMKM", fmt["label"])
        ws.write_string(1, 1, self.name, fmt["value"])
        ws.write_string(2, 0, "Periode", fmt["label"])
        ws.write_string(2, 1, period_text, fmt["value"])
        ws.write_string(2, 3, f"Isi hanya sel kuning \u00b7 petunjuk di lembar {form_identity.SHEET_GUIDE}", fmt["subtitle"])
        ws.set_row(top, 30)
        first, last = FIRST_ROW - 1, LAST_INPUT_ROW - 1

        def column(key: str, rule: dict) -> None:
            ws.data_validation(first, _COL[key], last, _COL[key], rule)

        column("date", {
            "validate": "date", "criteria": "between",
            "minimum": dt.datetime.combine(self.period.first_day, dt.time()),
            "maximum": dt.datetime.combine(self.period.last_day, dt.time()),
            "input_title": "Tanggal", "input_message": f"Tanggal penjualan di bulan {period_text}, bentuk hh/bb/tttt.",
            "error_title": "Tanggal di luar periode",
            "error_message": f"Buku ini untuk {period_text}: tanggal {long_date(self.period.first_day)} sampai "
                             f"{long_date(self.period.last_day)}."})
        nip = f"{chr(65 + _COL['nip'])}{FIRST_ROW}"
        column("nip", {
            "validate": "custom", "value": f'=OR({nip}="",AND(LEN({nip})=18,ISNUMBER(VALUE({nip}))))',
            "input_title": "NIP Pembeli (boleh kosong)",
            "input_message": "18 digit NIP pembeli ASN, tanpa spasi. Kosongkan bila tidak tahu.",
            "error_title": "NIP tidak valid", "error_message": "NIP terdiri dari 18 digit angka, tanpa spasi atau titik."})
        if self.offices:
            column("office", {
                "validate": "list", "source": f"={N_OFFICES}", "error_type": "warning",
                "input_title": "OPD Pembeli", "input_message": "Pilih kantor (OPD) pembeli dari daftar.",
                "error_title": "OPD tidak ada di daftar", "error_message": "OPD ini tidak ada di daftar. Tetap simpan?"})
        column("amount", {
            "validate": "integer", "criteria": "between", "minimum": 1, "maximum": MAX_AMOUNT - 1,
            "input_title": "Jumlah (Rp)", "input_message": "Rupiah tanpa titik, misalnya 25000.",
            "error_title": "Jumlah tidak valid",
            "error_message": "Isi jumlah rupiah berupa bilangan bulat lebih dari nol, tanpa titik (misalnya 25000)."})
        receipt = chr(65 + _COL["receipt"])
        column("receipt", {
            "validate": "custom",
            "value": f"=COUNTIF(${receipt}${FIRST_ROW}:${receipt}${LAST_INPUT_ROW},{receipt}{FIRST_ROW})<=1",
            "error_type": "warning", "input_title": "No. Nota", "input_message": "Nomor pada nota yang Anda tulis.",
            "error_title": "No. Nota ganda", "error_message": "Nomor nota ini sudah dicatat. Tetap simpan?"})
        ws.freeze_panes(HEADER_ROW, 0)
        ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True})
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(top)

    def _guide(self, ws) -> None:
        fmt = self.fmt
        period_text = month_year(self.period.year, self.period.month)
        ws.hide_gridlines(2)
        ws.set_column(0, 0, 5)
        ws.set_column(1, 1, 90)
        ws.write_string(0, 0, "Buku Penjualan Jiku Bata", fmt["title"])
        ws.write_string(1, 0, f"{self.name} \u00b7 {period_text} \u00b7 dibuat {timestamp(self.generated_at)}",
                        fmt["subtitle"])
        steps = [
            f"Di lembar {SHEET_SALES}, tulis satu baris untuk setiap nota penjualan kepada pegawai Pemkot "
            f"di bulan {period_text}.",
            "Tanggal, No. Nota dan Jumlah (Rp) wajib diisi. Jumlah ditulis tanpa titik, misalnya 25000.",
            "Nama, NIP dan OPD pembeli boleh dikosongkan, tetapi bila diisi, belanja pembeli tetap tercatat "
            "walaupun kantornya lupa melaporkan. NIP: 18 digit.",
            f"Simpan lalu kirim berkas ini ke admin Jiku Bata di {self.issuer}. Ada tambahan? Tambahkan di berkas "
            "yang sama dan kirim lagi: kiriman terakhir menggantikan yang lama.",
        ]
        for i, text in enumerate(steps, 1):
            r = 2 + i
            ws.set_row(r, 32)
            ws.write_number(r, 0, i, fmt["step_no"])
            ws.write_string(r, 1, text, fmt["step"])
        ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
