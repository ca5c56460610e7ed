"""The workbook format (SPEC §3): sheet names, columns and settings, in one place.

Readers, the workbook builder, the demo generator and the Excel adapter all
take their names from here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


def header_key(text: object) -> str:
    """Headers match case- and space-insensitively, ignoring punctuation."""
    return re.sub(r"[\W_]+", "", str(text)).casefold()


@dataclass(frozen=True)
class Column:
    key: str            # internal name
    header: str         # the header as we write it
    required: bool = True
    aliases: tuple[str, ...] = ()

    def matches(self, cell: object) -> bool:
        k = header_key(cell)
        return bool(k) and (k == header_key(self.header) or k in {header_key(a) for a in self.aliases})


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]


SHEET_SETTINGS = "Pengaturan"
PURCHASE_PREFIX = "Belanja"  # every sheet whose name starts with it

EMPLOYEES = SheetSpec("Pegawai", (
    Column("nip", "NIP"),
    Column("name", "Nama", aliases=("Nama Pegawai", "Nama Lengkap")),
    Column("position", "Jabatan"),
    Column("tier", "Eselon", aliases=("Tingkat",)),
    Column("office", "OPD", aliases=("Nama OPD", "Unit Kerja")),
    Column("status", "Status", required=False),
    Column("start", "Tanggal Mulai", required=False, aliases=("TMT", "Mulai")),
    Column("end", "Tanggal Selesai", required=False, aliases=("Selesai",)),
    Column("email", "Email", required=False, aliases=("E-mail", "Surel")),
))

OFFICES = SheetSpec("OPD", (
    Column("name", "Nama OPD", aliases=("OPD",)),
    Column("abbreviation", "Singkatan", required=False),
    Column("head_name", "Nama Kepala", required=False),
    Column("head_nip", "NIP Kepala", required=False),
    Column("head_position", "Jabatan Kepala", required=False),
    Column("email", "Email", required=False, aliases=("E-mail", "Surel")),
))

SELLERS = SheetSpec("UMKM", (
    Column("name", "Nama UMKM", aliases=("UMKM",)),
    Column("owner", "Pemilik", required=False),
    Column("product_type", "Jenis Produk", required=False),
    Column("contact", "Kontak", required=False),
    Column("status", "Status", required=False),
))

PURCHASES = SheetSpec("Belanja", (
    Column("date", "Tanggal", aliases=("Tgl", "Tanggal Belanja")),
    Column("nip", "NIP"),
    Column("buyer_name", "Nama Pegawai", required=False, aliases=("Nama",)),
    Column("seller", "UMKM", aliases=("Nama UMKM",)),
    Column("product", "Produk", required=False),
    Column("amount", "Jumlah (Rp)", aliases=("Jumlah", "Nominal", "Jumlah Rupiah")),
    Column("receipt", "No. Nota", aliases=("Nota", "Nomor Nota")),
    Column("note", "Keterangan", required=False),
))

# The tier table inside `Pengaturan`.
_READ_SHEETS = {name.casefold() for name in (SHEET_SETTINGS, EMPLOYEES.name, OFFICES.name, SELLERS.name)}


def is_input_sheet(name: str) -> bool:
    """Whether a sheet is read: `Pengaturan`, `Pegawai`, `OPD`, `UMKM` or `Belanja…` (any case, spaces around)."""
    key = name.strip().casefold()
    return key in _READ_SHEETS or key.startswith(PURCHASE_PREFIX.casefold())


TIER_TABLE_HEADERS = ("Tingkat", "Minimum Belanja (Rp)")


@dataclass(frozen=True)
class SettingSpec:
    key: str            # attribute of domain.Settings
    label: str          # what the sheet says
    kind: str           # int | bool | text | list
    explanation: str


# Every setting of `Pengaturan`: label, type, and a short explanation for the sheet.
SETTINGS = (
    SettingSpec("jiku_bata_day", "Hari Jiku Bata", "int",
                "Tanggal Jiku Bata setiap bulan; pegawai wajib belanja bila menjabat pada tanggal ini."),
    SettingSpec("registered_only", "Hanya UMKM Terdaftar", "bool",
                "Ya: hanya belanja pada UMKM di lembar UMKM yang dihitung."),
    SettingSpec("reasonable_limit", "Batas Wajar Transaksi", "int",
                "Transaksi di atas jumlah ini diberi peringatan (tetap dihitung)."),
    SettingSpec("letter_number_format", "Format Nomor Surat", "text",
                "Pola nomor surat: {urut}, {bulan_romawi}, {bulan}, {tahun}."),
    SettingSpec("government", "Nama Pemerintah", "text", "Baris pertama kop surat."),
    SettingSpec("issuing_office", "Instansi Penerbit", "text", "Baris kedua kop surat: instansi yang menerbitkan surat."),
    SettingSpec("office_address", "Alamat Instansi", "text", "Alamat pada kop surat."),
    SettingSpec("office_contact", "Kontak Instansi", "text", "Telepon, surel, laman pada kop surat."),
    SettingSpec("city", "Kota Surat", "text", "Tempat penandatanganan surat."),
    SettingSpec("signatory_position", "Jabatan Penandatangan", "text", "Jabatan pejabat yang menandatangani surat."),
    SettingSpec("signatory_name", "Nama Penandatangan", "text", "Nama pejabat penandatangan."),
    SettingSpec("signatory_rank", "Pangkat Penandatangan", "text", "Pangkat/golongan penandatangan, misalnya Pembina Utama Muda (IV/c)."),
    SettingSpec("signatory_nip", "NIP Penandatangan", "text", "NIP penandatangan (ketik sebagai teks)."),
    SettingSpec("legal_basis", "Dasar Hukum", "text", "Peraturan Wali Kota yang dikutip dalam surat."),
    SettingSpec("copies_to", "Tembusan", "list", "Penerima tembusan, dipisah titik koma (;)."),
    SettingSpec("report_recipients", "Email Penerima Rekap", "list", "Alamat surel penerima rekap mingguan, dipisah titik koma (;)."),
)

# Files this product writes: a folder scan skips them, so an output folder that is
# also an input folder never reads our own summary's `UMKM` sheet as the sellers.
OUTPUT_FILE_PREFIXES = ("Rekap-Jiku-Bata-", "Daftar-Surat-")

EMPLOYMENT_STATUSES = ("Aktif", "Cuti", "Tugas Belajar", "Pensiun", "Diberhentikan", "Meninggal")
