"""Build `workbook/JikuBata.xlsm`, the Excel front end, from its text sources (README: Memasang Jiku Bata di Windows).

The layout lives here, the button macros in `workbook/vba/JikuBata.bas`, and
xlwings' standalone VBA modules come from the installed xlwings package. The
build is deterministic (fixed document properties and zip dates, no random
identifiers), so a rebuild gives the same bytes and every change shows up in
review as a change of these sources.

The names the Excel adapter needs at run time (the home sheet, the period and
result cells, the buttons) are defined here once.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from jikubata.tools import ovba
from jikubata.domain import schema
from jikubata import resources
from jikubata.adapters.atomic import atomic_path
from jikubata.adapters.styles import (ACCENT, COMPUTED_FILL, DARK_TEXT, GRID_COLOUR, INPUT_FILL, MUTED, NAVY,
                                      PERIOD_BORDER, RUPIAH_FORMAT, WHITE)
from jikubata.domain.model import DEFAULT_MINIMUMS, Settings, Tier
from jikubata.domain.errors import InputError

# ---------------------------------------------------------------- the layout other modules use

SHEET_HOME = schema.HOME_SHEET
SHEET_LISTS = schema.LISTS_SHEET  # hidden: the lists behind the drop-downs
SHEET_CONF = schema.XLWINGS_SHEETS[0]   # hidden: read by xlwings' VBA module (key in column A, value in B)
PERIOD_CELL = "D13"           # the period typed or picked on Beranda


@dataclass(frozen=True)
class Button:
    caption: str
    macro: str        # the VBA Sub in JikuBata.bas
    function: str     # the function of jikubata.excel it runs
    explanation: str


BUTTONS = (
    Button("Periksa Data", "JB_PeriksaData", "periksa_data",
           "Memeriksa semua lembar dan menuliskan kesalahan isian di lembar Masalah Data, "
           "lengkap dengan tautan ke selnya."),
    Button("Hitung Kekurangan", "JB_HitungKekurangan", "hitung_kekurangan",
           "Menghitung belanja dan kekurangan setiap ASN pada periode terpilih, ditulis di lembar Hasil."),
    Button("Buat Rekap OPD", "JB_BuatRekap", "buat_rekap",
           "Menulis workbook Rekap-Jiku-Bata-TTTT-BB.xlsx di folder workbook ini dan lembar Rekap di sini."),
    Button("Buat Surat Pengingat", "JB_BuatSurat", "buat_surat",
           "Menulis surat ke folder Surat-TTTT-BB dan lembar Daftar Surat; kosong = bulan lalu, atau bulan "
           "ini mulai Tanggal Pengingat."),
    Button("Buat Formulir OPD", "JB_BuatFormulir", "buat_formulir",
           "Menulis satu formulir isian belanja (.xlsx) per OPD ke folder Formulir-TTTT-BB untuk dikirim ke "
           "admin OPD; formulir yang kembali dibaca bersama workbook lain."),
    Button("Buat Daftar TPP", "JB_BuatDaftarTPP", "buat_daftar_tpp",
           "Menulis daftar TPP (.xlsx dan .csv) untuk BKPSDM: kekurangan dan bulan berturut-turut per ASN; "
           "bulan yang sudah selesai, kosong = bulan lalu."),
    Button("Buat Formulir Penjual", "JB_BuatFormulirPenjual", "buat_formulir_penjual",
           "Menulis formulir buku penjualan per UMKM ke folder Formulir-Penjualan-TTTT-BB; buku yang kembali "
           "dicocokkan dengan belanja OPD."),
)

INSTRUCTIONS = (
    "Isi lembar OPD dan UMKM, lalu daftar ASN di lembar Pegawai (NIP 18 angka, diketik sebagai teks).",
    "Catat belanja di lembar Belanja, atau kirim formulir isian ke setiap OPD dengan tombol Buat Formulir OPD.",
    "Pilih periode (bulan) pada sel kuning di bawah; bila kosong, dipakai bulan berjalan.",
    "Tekan Periksa Data dan perbaiki masalahnya, lalu tekan Hitung Kekurangan.",
    "Tekan Buat Rekap OPD dan Buat Surat Pengingat; berkasnya disimpan di folder workbook ini.",
)

# Spellings offered in the Eselon drop-down (any spelling of README: Format workbook masukan is accepted when typed).
TIER_CHOICES = ("Wali Kota", "Wakil Wali Kota", "II.a", "II.b", "III.a", "III.b", "IV.a", "IV.b",
                "Non Eselon", "Fungsional", "Pelaksana")
FIRST_PERIOD = (2022, 9)   # the program began on 7 September 2022
LAST_PERIOD = (2030, 12)
# Beranda: the buttons from row 16, two rows each; below them the section "Hasil terakhir" and the last
# run's message (merged, five rows).
_FIRST_BUTTON_ROW = 15                                    # 0-based
_RESULT_SECTION_ROW = _FIRST_BUTTON_ROW + 2 * len(BUTTONS)  # 0-based
RESULT_CELL = f"C{_RESULT_SECTION_ROW + 2}"               # the last run's message on Beranda
RESULT_RANGE = f"C{_RESULT_SECTION_ROW + 2}:H{_RESULT_SECTION_ROW + 6}"
INPUT_ROWS = 2000           # rows prepared with formats and drop-downs below each header

XLWINGS_SETTINGS = (
    ("Interpreter_Win", "python",
     "Program Python di Windows: \u201cpython\u201d bila Python ada di PATH, atau jalur lengkap, "
     "misalnya C:\\Users\\nama\\AppData\\Local\\Programs\\Python\\Python312\\python.exe"),
    ("PYTHONPATH", "",
     "Folder tambahan tempat paket jikubata dicari; kosongkan bila sudah dipasang dengan pip."),
)

_FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)


def xlwings_dir() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent


def period_choices() -> list[str]:
    year, month = FIRST_PERIOD
    out = []
    while (year, month) <= LAST_PERIOD:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def vba_source_dir() -> Path:
    """The VBA source shipped in the package (`jikubata/resources/vba/`)."""
    return resources.vba_dir()


def sheet_order() -> list[str]:
    return [SHEET_HOME, schema.SHEET_SETTINGS, schema.EMPLOYEES.name, schema.PURCHASES.name,
            schema.SELLERS.name, schema.OFFICES.name, SHEET_LISTS, SHEET_CONF]


def code_names() -> dict[str, str]:
    """Sheet name -> VBA code name (`Sheet1`…), matching the document modules of the VBA project."""
    return {name: f"Sheet{i}" for i, name in enumerate(sheet_order(), 1)}


def vba_modules(vba_dir: Path | None = None) -> list[ovba.Module]:
    """Document modules for the workbook and every sheet, our macros, and xlwings' standalone modules."""
    vba_dir = vba_dir or vba_source_dir()
    modules = [ovba.Module.workbook("ThisWorkbook")]
    modules += [ovba.Module.worksheet(code) for code in code_names().values()]
    sources = sorted(vba_dir.glob("*.bas")) + sorted(vba_dir.glob("*.cls"))
    if not sources:
        raise InputError(f"tidak ada sumber VBA (*.bas) di {vba_dir}")
    modules += [ovba.module_from_file(p) for p in sources]
    modules.append(ovba.module_from_file(xlwings_dir() / "xlwings.bas"))
    modules.append(ovba.module_from_file(xlwings_dir() / "addin" / "Dictionary.cls"))
    return modules


def vba_project_bin(vba_dir: Path | None = None) -> bytes:
    return ovba.vba_project(vba_modules(vba_dir))


# ---------------------------------------------------------------- the build


def build_workbook(path: Path | str = Path("workbook/JikuBata.xlsm")) -> Path:
    """Write the workbook atomically to `path` (must end in .xlsm); return the path."""
    path = Path(path)
    if path.suffix.lower() != ".xlsm":
        raise InputError(f"{path.name}: workbook dengan makro harus berakhiran .xlsm")
    project = vba_project_bin()
    try:
        with atomic_path(path) as tmp:
            _Builder(tmp, project).build()
    except OSError as exc:
        raise InputError(f"workbook tidak dapat ditulis ke {path}: {exc.strerror or exc}") from None
    return path


class _Builder:
    def __init__(self, path: Path, project: bytes):
        import xlsxwriter

        # in_memory: zip entries get XlsxWriter's fixed 1980 dates, not the temp files' times.
        self.wb = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_numbers": False,
                                                  "strings_to_formulas": False, "strings_to_urls": False})
        self.wb.set_properties({
            "title": "Jiku Bata", "subject": "Pemantauan belanja wajib ASN pada UMKM Jiku Bata",
            "author": "Pemerintah Kota Ambon", "company": "Pemerintah Kota Ambon",
            "comments": "Dibangun dengan `jikubata buat-workbook`; jangan diubah dengan tangan.",
            "created": _FIXED_TIME,
        })
        self.wb.set_vba_name("ThisWorkbook")
        self.wb.add_vba_project(io.BytesIO(project), is_stream=True)
        self.codes = code_names()
        f = self.wb.add_format
        self.fmt = {
            "header": f({"bold": True, "font_color": WHITE, "bg_color": NAVY, "border": 1,
                         "border_color": GRID_COLOUR, "valign": "vcenter", "text_wrap": True}),
            "text": f({"num_format": "@"}),
            "date": f({"num_format": "dd/mm/yyyy", "align": "left"}),
            "rupiah": f({"num_format": RUPIAH_FORMAT}),
            "label": f({"bold": True, "valign": "top", "text_wrap": True}),
            "value": f({"num_format": "@", "bg_color": INPUT_FILL, "border": 1, "border_color": GRID_COLOUR,
                        "valign": "top", "text_wrap": True}),
            "value_rupiah": f({"num_format": RUPIAH_FORMAT, "bg_color": INPUT_FILL, "border": 1,
                               "border_color": GRID_COLOUR, "valign": "top", "align": "left"}),
            "note": f({"font_color": MUTED, "italic": True, "valign": "top", "text_wrap": True}),
            "period_note": f({"font_color": MUTED, "italic": True, "valign": "vcenter", "text_wrap": True,
                              "indent": 1}),
            "title": f({"bold": True, "font_size": 22, "font_color": NAVY}),
            "subtitle": f({"font_size": 11, "font_color": MUTED}),
            "section": f({"bold": True, "font_size": 12, "font_color": NAVY, "bottom": 2,
                          "bottom_color": ACCENT}),
            "section_line": f({"bottom": 2, "bottom_color": ACCENT}),
            "step_no": f({"bold": True, "font_color": WHITE, "bg_color": ACCENT, "align": "center",
                          "valign": "vcenter"}),
            "step": f({"valign": "vcenter", "text_wrap": True, "indent": 1}),
            "period_label": f({"bold": True, "valign": "vcenter"}),
            "period": f({"num_format": "@", "bold": True, "font_size": 14, "align": "center", "valign": "vcenter",
                         "bg_color": INPUT_FILL, "border": 2, "border_color": PERIOD_BORDER}),
            "button_note": f({"valign": "vcenter", "text_wrap": True, "font_color": DARK_TEXT, "indent": 1}),
            "result": f({"valign": "top", "text_wrap": True, "border": 1, "border_color": GRID_COLOUR,
                         "bg_color": COMPUTED_FILL, "font_color": DARK_TEXT}),
            "plain": f({}),
        }

    def build(self) -> None:
        sheets = {name: self.wb.add_worksheet(name) for name in sheet_order()}
        for name, ws in sheets.items():
            ws.set_vba_name(self.codes[name])
        self._lists(sheets[SHEET_LISTS])
        self._home(sheets[SHEET_HOME])
        self._settings(sheets[schema.SHEET_SETTINGS])
        self._table(sheets[schema.EMPLOYEES.name], schema.EMPLOYEES, "TabelPegawai")
        self._table(sheets[schema.PURCHASES.name], schema.PURCHASES, "TabelBelanja")
        self._table(sheets[schema.SELLERS.name], schema.SELLERS, "TabelUMKM")
        self._table(sheets[schema.OFFICES.name], schema.OFFICES, "TabelOPD")
        self._conf(sheets[SHEET_CONF])
        sheets[SHEET_HOME].activate()
        self.wb.close()

    # ------------------------------------------------------------ hidden lists

    def _lists(self, ws) -> None:
        columns = (("Periode", period_choices(), "DaftarPeriode"),
                   ("Eselon", list(TIER_CHOICES), "DaftarEselon"),
                   ("Status", list(schema.EMPLOYMENT_STATUSES), "DaftarStatus"),
                   ("Ya/Tidak", ["Ya", "Tidak"], "DaftarYaTidak"))
        for col, (header, values, name) in enumerate(columns):
            ws.write_string(0, col, header, self.fmt["header"])
            for i, value in enumerate(values, 1):
                ws.write_string(i, col, value, self.fmt["text"])
            letter = chr(ord("A") + col)
            self.wb.define_name(name, f"='{SHEET_LISTS}'!${letter}$2:${letter}${len(values) + 1}")
        ws.set_column(0, 3, 16)
        # Lists that grow with the data typed on the OPD and UMKM sheets.
        for name, sheet in (("DaftarOPD", schema.OFFICES.name), ("DaftarUMKM", schema.SELLERS.name)):
            self.wb.define_name(name, f"=OFFSET('{sheet}'!$A$2,0,0,MAX(1,COUNTA('{sheet}'!$A:$A)-1),1)")
        ws.hide()

    # ------------------------------------------------------------ Beranda

    def _home(self, ws) -> None:
        fmt = self.fmt
        ws.hide_gridlines(2)
        ws.set_column("A:A", 2.5)
        ws.set_column("B:B", 4.5)
        ws.set_column("C:C", 22)
        ws.set_column("D:D", 14)
        ws.set_column("E:H", 17)
        ws.set_column("I:I", 2.5)
        ws.set_row(1, 34)
        ws.write_string("B2", "Jiku Bata", fmt["title"])
        ws.write_string("B3", "Sudut Balai Kota \u00b7 Pemantauan belanja wajib ASN pada UMKM \u00b7 "
                              "Pemerintah Kota Ambon", fmt["subtitle"])

        self._section(ws, 4, "Cara memakai")
        for i, line in enumerate(INSTRUCTIONS):
            row = 5 + i
            ws.set_row(row, 21)
            ws.write_number(row, 1, i + 1, fmt["step_no"])
            ws.merge_range(row, 2, row, 7, line, fmt["step"])

        self._section(ws, 11, "Periode")
        ws.set_row(12, 26)
        ws.write_string("C13", "Periode (TTTT-BB)", fmt["period_label"])
        ws.write_blank(PERIOD_CELL, None, fmt["period"])
        ws.merge_range("E13:H13", "Pilih dari daftar atau ketik, misalnya 2026-11. Kosong = bulan berjalan.",
                       fmt["period_note"])
        ws.data_validation(PERIOD_CELL, {
            "validate": "list", "source": "=DaftarPeriode", "error_type": "warning",
            "input_title": "Periode", "input_message": "Bulan yang dihitung, bentuk TTTT-BB.",
            "error_title": "Periode", "error_message": "Gunakan bentuk TTTT-BB, misalnya 2026-11.",
        })

        self._section(ws, 14, "Tombol")
        for i, button in enumerate(BUTTONS):
            row = _FIRST_BUTTON_ROW + i * 2
            ws.set_row(row, 30)
            ws.set_row(row + 1, 6)
            ws.insert_button(row, 1, {"macro": button.macro, "caption": button.caption,
                                      "width": 280, "height": 36, "x_offset": 2, "y_offset": 2})
            ws.merge_range(row, 4, row, 7, button.explanation, fmt["button_note"])

        result_section = _RESULT_SECTION_ROW
        self._section(ws, result_section, "Hasil terakhir")
        ws.merge_range(RESULT_RANGE, "Belum ada proses yang dijalankan.", fmt["result"])
        for row in range(result_section + 1, result_section + 6):
            ws.set_row(row, 18)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 1)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.print_area(f"A1:I{result_section + 7}")

    def _section(self, ws, row: int, text: str) -> None:
        ws.set_row(row, 22)
        ws.write_string(row, 1, text, self.fmt["section"])
        for col in range(2, 8):
            ws.write_blank(row, col, None, self.fmt["section_line"])

    # ------------------------------------------------------------ Pengaturan

    def _settings(self, ws) -> None:
        fmt = self.fmt
        defaults = Settings()
        ws.set_column("A:A", 28)
        ws.set_column("B:B", 52)
        ws.set_column("C:C", 70)
        ws.write_row(0, 0, ["Pengaturan", "Nilai", "Keterangan"], fmt["header"])
        ws.set_row(0, 20)
        for i, spec in enumerate(schema.SETTINGS, 1):
            value = getattr(defaults, spec.key)
            ws.write_string(i, 0, spec.label, fmt["label"])
            if spec.kind == "int":
                ws.write_number(i, 1, value, fmt["value_rupiah"] if spec.key == "reasonable_limit" else fmt["value"])
            elif spec.kind == "bool":
                # Not set means "Ya" whenever a UMKM sheet exists, and this workbook has one.
                ws.write_string(i, 1, "Ya" if value in (None, True) else "Tidak", fmt["value"])
                ws.data_validation(i, 1, i, 1, {"validate": "list", "source": "=DaftarYaTidak"})
            else:
                text = ("; ".join(value) if spec.kind == "list"
                        else "; ".join(f"{d:%d/%m/%Y}" for d in value) if spec.kind == "dates" else value)
                ws.write_string(i, 1, text, fmt["value"])
                lines = -(-len(text) // 48)  # column B holds about 48 characters a line
                if lines > 1:
                    ws.set_row(i, 15 * lines)
            ws.write_string(i, 2, spec.explanation, fmt["note"])
        row = len(schema.SETTINGS) + 2
        ws.write_row(row, 0, list(schema.TIER_TABLE_HEADERS), fmt["header"])
        ws.write_string(row, 2, "Keterangan", fmt["header"])
        for j, tier in enumerate(Tier, 1):
            ws.write_string(row + j, 0, tier.label, fmt["label"])
            minimum = DEFAULT_MINIMUMS[tier]
            if minimum is None:
                ws.write_blank(row + j, 1, None, fmt["value_rupiah"])
                ws.write_string(row + j, 2, "Kosong = belum ditetapkan: ASN tingkat ini tidak diwajibkan.",
                                fmt["note"])
            else:
                ws.write_number(row + j, 1, minimum, fmt["value_rupiah"])
                ws.write_string(row + j, 2, "Minimum belanja per bulan.", fmt["note"])
        # The `Potongan TPP` table (README: Kekurangan berulang dan daftar TPP): left empty, because the city decides it.
        row += len(Tier) + 2
        ws.write_row(row, 0, list(schema.TPP_TABLE_HEADERS), fmt["header"])
        ws.write_string(row, 2, "Keterangan", fmt["header"])
        ws.write_blank(row + 1, 0, None, fmt["value"])
        ws.write_blank(row + 1, 1, None, fmt["value"])
        ws.write_string(row + 1, 2, "Potongan TPP: satu baris per jenjang, misalnya 1 | 0, 3 | 10 (bulan berturut-turut "
                                    "kurang belanja | persen TPP). Berlaku baris tertinggi yang tidak melebihi hitungan "
                                    "pegawai. Kosong = belum ditetapkan Pemerintah Kota.", fmt["note"])
        ws.set_row(row + 1, 45)
        ws.freeze_panes(1, 0)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)

    # ------------------------------------------------------------ input tables

    _WIDTHS = {"nip": 22, "head_nip": 22, "name": 32, "position": 34, "head_name": 30, "head_position": 34,
               "tier": 14, "office": 36, "status": 14, "start": 14, "end": 15, "email": 30, "date": 13,
               "buyer_name": 30, "seller": 28, "product": 26, "amount": 15, "receipt": 13, "note": 30,
               "abbreviation": 14, "owner": 26, "product_type": 22, "contact": 18}

    def _column_format(self, spec: schema.SheetSpec, column: schema.Column):
        if column.key in ("nip", "head_nip", "contact", "receipt"):
            return self.fmt["text"]  # an 18-digit NIP or a phone number keeps its digits
        if column.key in ("start", "end", "date"):
            return self.fmt["date"]
        if column.key == "amount":
            return self.fmt["rupiah"]
        return None

    def _table(self, ws, spec: schema.SheetSpec, table_name: str) -> None:
        last = INPUT_ROWS
        columns = []
        for j, column in enumerate(spec.template_columns):
            fmt = self._column_format(spec, column)
            ws.set_column(j, j, self._WIDTHS.get(column.key, 18), fmt)
            columns.append({"header": column.header, "header_format": self.fmt["header"],
                            **({"format": fmt} if fmt else {})})
        ws.add_table(0, 0, 1, len(spec.template_columns) - 1, {"name": table_name, "columns": columns,
                                                     "style": "Table Style Light 9"})
        ws.set_row(0, 30)
        ws.freeze_panes(1, 0)
        for j, column in enumerate(spec.template_columns):
            rule = self._validation(spec, column)
            if rule:
                ws.data_validation(1, j, last, j, rule)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)

    def _validation(self, spec: schema.SheetSpec, column: schema.Column) -> dict | None:
        def choice(source: str, title: str, message: str) -> dict:
            return {"validate": "list", "source": source, "error_type": "warning",
                    "error_title": title, "error_message": message}

        key = (spec.name, column.key)
        if column.key in ("nip", "head_nip"):
            return {"validate": "length", "criteria": "==", "value": 18, "error_type": "warning",
                    "input_title": "NIP", "input_message": "18 angka, tanpa spasi atau titik.",
                    "error_title": "NIP", "error_message": "NIP terdiri atas 18 angka. Tetap simpan?"}
        if key == (schema.EMPLOYEES.name, "tier"):
            return choice("=DaftarEselon", "Eselon", "Eselon tidak ada di daftar. Tetap simpan?")
        if key == (schema.EMPLOYEES.name, "status"):
            return choice("=DaftarStatus", "Status", "Status: Aktif, Cuti, Tugas Belajar, Pensiun, "
                                                     "Diberhentikan, atau Meninggal. Tetap simpan?")
        if key == (schema.EMPLOYEES.name, "office"):
            return choice("=DaftarOPD", "OPD", "OPD ini belum ada di lembar OPD. Tetap simpan?")
        if key == (schema.PURCHASES.name, "seller"):
            return choice("=DaftarUMKM", "UMKM", "UMKM ini belum terdaftar di lembar UMKM. Tetap simpan?")
        if column.key in ("start", "end", "date"):
            return {"validate": "date", "criteria": ">=", "value": dt.date(2000, 1, 1), "error_type": "warning",
                    "input_title": column.header, "input_message": "Tanggal, bentuk hh/bb/tttt.",
                    "error_title": column.header, "error_message": "Isi dengan tanggal (hh/bb/tttt). Tetap simpan?"}
        if column.key == "amount":
            return {"validate": "decimal", "criteria": ">", "value": 0, "error_type": "warning",
                    "input_title": "Jumlah", "input_message": "Rupiah, tanpa titik, misalnya 25000.",
                    "error_title": "Jumlah", "error_message": "Jumlah harus angka lebih dari nol. Tetap simpan?"}
        return None

    # ------------------------------------------------------------ xlwings.conf

    def _conf(self, ws) -> None:
        # xlwings reads column A (key) and B (value) from A1 down to the first blank cell.
        for i, (key, value, note) in enumerate(XLWINGS_SETTINGS):
            ws.write_string(i, 0, key)
            if value:
                ws.write_string(i, 1, value, self.fmt["text"])
            else:
                ws.write_blank(i, 1, None, self.fmt["text"])
            ws.write_string(i, 2, note, self.fmt["note"])
        ws.write_string(len(XLWINGS_SETTINGS) + 1, 0,
                        "Lembar ini dibaca oleh xlwings. Pengaturan di sini mengalahkan berkas pengaturan xlwings; "
                        "ganti nama lembar menjadi _xlwings.conf untuk memakai berkas itu.", self.fmt["note"])
        ws.set_column("A:A", 18)
        ws.set_column("B:B", 40)
        ws.set_column("C:C", 90)
        ws.hide()
