"""The TPP list for BKPSDM (README: Kekurangan berulang dan daftar TPP): `Daftar-TPP-Jiku-Bata-TTTT-BB.xlsx` and `.csv`, written atomically.

The rows come from `domain.tpp.tpp_rows`; nothing is recomputed here. The
workbook is one Excel table (filterable) with a frozen header and Rupiah
formats, and a `Keterangan` sheet saying what the list is and is not. The
CSV is for other systems: UTF-8 with BOM, `;`, and the NIP written the way
official documents print it (`19800101 201001 2 001`), so Excel and
LibreOffice keep it as text instead of rounding 18 digits to 15.
"""
from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from jikubata.adapters.atomic import atomic_path, write_bytes_atomic
from jikubata.adapters.styles import MUTED, NAVY, RUPIAH_FORMAT, WHITE
from jikubata.domain import tpp
from jikubata.domain.errors import InputError
from jikubata.domain.indonesian import long_date, month_year
from jikubata.domain.model import Result
from jikubata.domain.parse import printable

HEADERS = ("NIP", "Nama", "Jabatan", "OPD", "Tingkat", "Minimum", "Belanja", "Kekurangan", "Status",
           "Bulan Berturut", "Potongan TPP (%)", "Keterangan")
SHEET = "Daftar TPP"
NOTES_SHEET = "Keterangan"
TABLE_NAME = "DaftarTPP"


def file_stem(result: Result) -> str:
    return f"Daftar-TPP-Jiku-Bata-{result.period}"


@dataclass(frozen=True)
class TppOutcome:
    result: Result
    rows: list
    xlsx: Path
    csv: Path

    def summary_text(self) -> str:
        label = month_year(self.result.period.year, self.result.period.month)
        short = sum(r.status == "KURANG" for r in self.rows)
        silent = sum(r.status == tpp.NOT_REPORTED for r in self.rows)
        threshold = self.result.settings.repeat_threshold
        repeated = sum(r.run >= threshold for r in self.rows) if threshold else 0
        lines = [f"Daftar TPP Jiku Bata {label} (data per {long_date(self.result.as_of)}): {len(self.rows)} ASN wajib "
                 f"belanja, {short} kurang, {repeated} di antaranya {threshold} bulan berturut-turut atau lebih"
                 + (f", {silent} pada OPD yang belum melapor (tanpa potongan)." if silent else "."),
                 f"  {self.xlsx}", f"  {self.csv}"]
        if not self.result.settings.tpp_deductions:
            lines.append("  Tabel Potongan TPP di lembar Pengaturan kosong: kolom Potongan TPP (%) berisi "
                         f"\"{tpp.NOT_DECIDED}\" untuk yang kurang.")
        lines.append("  Daftar ini bahan bagi BKPSDM; daftar ini sendiri tidak memutuskan potongan.")
        return "\n".join(lines)


def _text(value: object) -> str:
    return printable(value or "")


def write_tpp_list(result: Result, out_dir: os.PathLike | str) -> TppOutcome:
    """Write the month's TPP list (xlsx and csv) into `out_dir`; InputError when a file cannot be written."""
    rows = tpp.tpp_rows(result)
    out_dir = Path(out_dir)
    stem = file_stem(result)
    xlsx, csv_path = out_dir / f"{stem}.xlsx", out_dir / f"{stem}.csv"
    try:
        _write_xlsx(result, rows, xlsx)
        write_bytes_atomic(csv_path, csv_bytes(rows))
    except OSError as exc:
        raise InputError(f"daftar TPP tidak dapat ditulis ke {out_dir}: {exc.strerror or exc}") from None
    return TppOutcome(result, rows, xlsx, csv_path)


def _nip_text(nip: str) -> str:
    """`19800101 201001 2 001`: text for any spreadsheet that opens the CSV."""
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}" if len(nip) == 18 and nip.isdigit() else nip


def csv_bytes(rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(HEADERS)
    for r in rows:
        w.writerow([_nip_text(r.nip), _text(r.name), _text(r.position), _text(r.office), r.tier.label,
                    "" if r.minimum is None else r.minimum, r.spent, r.shortfall, r.status, r.run,
                    tpp.percent_text(r.deduction), r.note])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _write_xlsx(result: Result, rows, target: Path) -> None:
    import xlsxwriter

    with atomic_path(target) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False,
                                            "strings_to_urls": False, "in_memory": True,
                                            "default_format_properties": {"font_name": "Arial", "font_size": 10}})
        wb.set_properties({"title": f"Daftar TPP Jiku Bata {result.period}", "author": "Jiku Bata",
                           "subject": "Kekurangan belanja Jiku Bata per ASN untuk perhitungan TPP"})
        head = wb.add_format({"bold": True, "bg_color": NAVY, "font_color": WHITE, "text_wrap": True,
                              "valign": "vcenter", "border": 1})
        text = wb.add_format({"num_format": "@", "valign": "top"})
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        money = wb.add_format({"num_format": RUPIAH_FORMAT, "valign": "top"})
        count = wb.add_format({"num_format": "0", "valign": "top", "align": "center"})
        pct = wb.add_format({"num_format": "0.##", "valign": "top", "align": "center"})
        pending = wb.add_format({"italic": True, "valign": "top", "align": "center", "font_color": MUTED})
        ws = wb.add_worksheet(SHEET)
        for i, r in enumerate(rows, 1):
            ws.write_string(i, 0, r.nip, text)
            ws.write_string(i, 1, _text(r.name), wrap)
            ws.write_string(i, 2, _text(r.position), wrap)
            ws.write_string(i, 3, _text(r.office), wrap)
            ws.write_string(i, 4, r.tier.label, text)
            if r.minimum is None:
                ws.write_blank(i, 5, None, money)
            else:
                ws.write_number(i, 5, r.minimum, money)
            ws.write_number(i, 6, r.spent, money)
            ws.write_number(i, 7, r.shortfall, money)
            ws.write_string(i, 8, r.status, text)
            ws.write_number(i, 9, r.run, count)
            if r.deduction is None:
                ws.write_string(i, 10, tpp.NOT_DECIDED, pending)
            else:
                ws.write_number(i, 10, r.deduction, pct)
            ws.write_string(i, 11, r.note, wrap)
        widths = (21, 28, 30, 30, 11, 12, 12, 12, 15, 10, 11, 44)
        columns = [{"header": h, "header_format": head} for h in HEADERS]
        # A real Excel table over the rows (at least one data row, as Excel requires).
        ws.add_table(0, 0, max(len(rows), 1), len(HEADERS) - 1,
                     {"name": TABLE_NAME, "columns": columns, "style": "Table Style Light 9"})
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        ws.set_row(0, 30)
        ws.freeze_panes(1, 0)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        label = month_year(result.period.year, result.period.month)
        ws.set_footer(f"&L&8Daftar TPP Jiku Bata {label.replace('&', '&&')}&R&8Halaman &P dari &N")
        _notes(wb, result, label)
        wb.close()


def _notes(wb, result: Result, label: str) -> None:
    ws = wb.add_worksheet(NOTES_SHEET)
    bold = wb.add_format({"bold": True, "font_size": 12})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    s = result.settings
    table = "; ".join(f"{n} bulan: {tpp.percent_text(pct)}%" for n, pct in s.tpp_deductions) or tpp.NOT_DECIDED
    lines = [
        f"Daftar TPP Jiku Bata — {label}, data per {long_date(result.as_of)}",
        "Satu baris untuk setiap ASN yang wajib belanja pada bulan itu (Wali Kota dan Wakil bukan ASN).",
        "Bulan Berturut: berapa bulan yang sudah selesai, sampai bulan ini, ASN tersebut berturut-turut kurang "
        "belanja. Bulan ketika ia tidak wajib (cuti, belum menjabat, tingkat tanpa minimum) atau OPD-nya belum "
        "melapor dilewati: tidak dihitung dan tidak memutus.",
        f"Potongan TPP (%): dari tabel Potongan TPP di lembar Pengaturan ({table}); baris dengan Bulan Berturut "
        "tertinggi yang tidak melebihi hitungan pegawai yang berlaku.",
        f"Status {tpp.NOT_REPORTED}: OPD belum menyampaikan data belanja bulan itu; tidak dinilai, tanpa potongan.",
        "Daftar ini bahan bagi BKPSDM. Daftar ini sendiri tidak memutuskan potongan TPP: besaran dan "
        "pemberlakuannya ditetapkan Pemerintah Kota.",
    ]
    ws.set_column(0, 0, 110)
    for i, line in enumerate(lines):
        ws.write_string(i * 2 if i else 0, 0, line, bold if i == 0 else wrap)
