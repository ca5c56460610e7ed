"""The workbook format (README: Format workbook masukan): sheet names, columns and settings, in one place.

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
class Alias:
    """Another header that names a column, and how strongly: the column's own header is rank 0, an alias
    1 or more. Where a sheet has several headers naming one column, the lowest rank is used."""

    header: str
    rank: int


@dataclass(frozen=True)
class Column:
    key: str            # internal name
    header: str         # the header as we write it
    required: bool = True
    aliases: tuple[Alias, ...] = ()
    # Read when present, never written into our template (SIASN's titles, unit price and quantity…).
    written: bool = True

    @property
    def names(self) -> tuple[Alias, ...]:
        """Every header naming this column, its own (rank 0) first."""
        return (Alias(self.header, 0),) + self.aliases

    def matches(self, cell: object) -> bool:
        return self.rank(header_key(cell)) is not None

    def rank(self, key: str) -> int | None:
        """How strongly a header key names this column (`Alias.rank`); None when it does not name it."""
        if not key:
            return None
        return next((a.rank for a in self.names if header_key(a.header) == key), None)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    # The columns whose headers make any sheet this table (README: Format berkas); empty: found by name only.
    detect: tuple[str, ...] = ()
    # Detection needs those columns' own headers, not an alias: a roster's `OPD` column or a purchase
    # sheet's `UMKM` column does not make a sheet a list of offices or sellers.
    detect_by_own_header: bool = False

    @property
    def headers(self) -> list[str]:
        """The columns of our template, in order."""
        return [c.header for c in self.template_columns]

    @property
    def template_columns(self) -> list[Column]:
        return [c for c in self.columns if c.written]

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]


SHEET_SETTINGS = "Pengaturan"
PURCHASE_PREFIX = "Belanja"  # every sheet whose name starts with it
SALES_PREFIX = "Penjualan"  # a seller's sales book: every sheet whose name starts with it (README: Rekonsiliasi)
BARE_AMOUNT = "Jumlah"  # an amount, or a quantity beside a stronger amount column
# A bare `Jumlah` is the weakest name of an amount, and of a quantity: beside a stronger amount column it is
# the quantity (README: Format berkas).
BARE_ALIAS = Alias(BARE_AMOUNT, 9)
AMOUNT_ALIASES = (Alias("Total (Rp)", 1), Alias("Total Harga", 2), Alias("Harga Total", 3), Alias("Nilai (Rp)", 4),
                  Alias("Jumlah Rupiah", 5), Alias("Nominal", 6), Alias("Total", 7), BARE_ALIAS)

# Roles a sheet is read as (`peran` in `hitung --json`'s `dibaca`), in the order a sheet is tried.
ROLE_PURCHASES, ROLE_EMPLOYEES, ROLE_OFFICES, ROLE_SELLERS, ROLE_SETTINGS, ROLE_SALES = (
    "belanja", "pegawai", "opd", "umkm", "pengaturan", "penjualan")

# Sheets this product writes into the central workbook or its summaries (one name each, used by every
# writer): never read as input.
HOME_SHEET = "Beranda"              # the workbook's buttons, period cell and result cell
RESULT_SHEET = "Hasil"              # the button Hitung Kekurangan
PROBLEMS_SHEET = "Masalah Data"     # the workbook's and the summary's
SUMMARY_SHEET = "Ringkasan"
SHORT_SHEET = "Belum Memenuhi"
TREND_SHEET = "Tren"
FILES_SHEET = "Berkas"
LETTERS_SHEET = "Daftar Surat"      # the letter index: its own file, and a sheet of the workbook
RECONCILIATION_SHEET = "Rekonsiliasi"
XLWINGS_SHEETS = ("xlwings.conf", "_xlwings.conf")   # xlwings' settings (the workbook's is hidden)
OUTPUT_SHEETS = (HOME_SHEET, RESULT_SHEET, PROBLEMS_SHEET, SUMMARY_SHEET, SHORT_SHEET, TREND_SHEET, FILES_SHEET,
                 LETTERS_SHEET, RECONCILIATION_SHEET) + XLWINGS_SHEETS
OUTPUT_SHEET_PREFIX = "Rekap "
# The first line of every sheet of the summary workbook (and of the `Rekap …` sheets the buttons write).
REPORT_TITLE = "REKAP BELANJA WAJIB PRODUK UMKM — JIKU BATA"


def is_output_sheet(name: str, title: object = REPORT_TITLE) -> bool:
    """A sheet this product writes (never read as input, even when its headers look like a table).

    A `Rekap …` sheet is ours when its first line is our title: an office may
    well call its own purchase sheet `Rekap Belanja November`. Without `title`
    (the live workbook, where the buttons own every `Rekap …` sheet) the name
    is enough.
    """
    key = str(name).strip().casefold()
    if key in {n.casefold() for n in OUTPUT_SHEETS}:
        return True
    return key.startswith(OUTPUT_SHEET_PREFIX.casefold()) and title == REPORT_TITLE

# Aliases include the headers of roster exports from SIASN/SIMPEG (BKPSDM): `NIP BARU`, `GELAR DEPAN`,
# `JABATAN NAMA`, `UNOR INDUK NAMA`, `KEDUDUKAN HUKUM`, `JENIS JABATAN`. `NIP LAMA` and `UNOR NAMA`
# (the sub-unit) are not aliases: the OPD is the *induk*.
EMPLOYEES = SheetSpec("Pegawai", (
    Column("nip", "NIP", aliases=(Alias("NIP Baru", 1),)),
    Column("name", "Nama", aliases=(Alias("Nama Pegawai", 1), Alias("Nama Lengkap", 2))),
    Column("position", "Jabatan", aliases=(Alias("Jabatan Nama", 1), Alias("Nama Jabatan", 2))),
    Column("tier", "Eselon", aliases=(Alias("Tingkat", 1),)),
    Column("office", "OPD", aliases=(Alias("Nama OPD", 1), Alias("Unor Induk Nama", 2), Alias("Unor Induk", 3),
                                     Alias("Perangkat Daerah", 4), Alias("Unit Kerja", 5))),
    Column("status", "Status", required=False, aliases=(Alias("Kedudukan Hukum", 1),)),
    Column("start", "Tanggal Mulai", required=False, aliases=(Alias("TMT", 1), Alias("Mulai", 2))),
    Column("end", "Tanggal Selesai", required=False, aliases=(Alias("Selesai", 1),)),
    Column("email", "Email", required=False, aliases=(Alias("E-mail", 1), Alias("Surel", 2))),
    Column("title_front", "Gelar Depan", required=False, written=False),
    Column("title_back", "Gelar Belakang", required=False, written=False),
    Column("position_kind", "Jenis Jabatan", required=False, written=False),
), detect=("nip", "name", "tier", "office"))

OFFICES = SheetSpec("OPD", (
    Column("name", "Nama OPD", aliases=(Alias("OPD", 1),)),
    Column("abbreviation", "Singkatan", required=False),
    Column("head_name", "Nama Kepala", required=False),
    Column("head_nip", "NIP Kepala", required=False),
    Column("head_position", "Jabatan Kepala", required=False),
    Column("email", "Email", required=False, aliases=(Alias("E-mail", 1), Alias("Surel", 2))),
), detect=("name",), detect_by_own_header=True)

SELLERS = SheetSpec("UMKM", (
    Column("name", "Nama UMKM", aliases=(Alias("UMKM", 1),)),
    Column("owner", "Pemilik", required=False),
    Column("product_type", "Jenis Produk", required=False),
    Column("contact", "Kontak", required=False),
    Column("status", "Status", required=False),
), detect=("name",), detect_by_own_header=True)

PURCHASES = SheetSpec("Belanja", (
    Column("date", "Tanggal", aliases=(Alias("Tgl", 1), Alias("Tanggal Belanja", 2))),
    Column("nip", "NIP"),
    Column("buyer_name", "Nama Pegawai", required=False, aliases=(Alias("Nama", 1),)),
    Column("seller", "UMKM", aliases=(Alias("Nama UMKM", 1),)),
    Column("product", "Produk", required=False),
    Column("amount", "Jumlah (Rp)", aliases=AMOUNT_ALIASES),
    Column("receipt", "No. Nota", aliases=(Alias("Nota", 1), Alias("Nomor Nota", 2))),
    Column("note", "Keterangan", required=False),
    # Only when the sheet has no amount column: the amount is unit price × quantity.
    Column("unit_price", "Harga Satuan", required=False, aliases=(Alias("Harga", 1),), written=False),
    Column("quantity", "Qty", required=False, aliases=(Alias("Kuantitas", 1), Alias("Banyaknya", 2), BARE_ALIAS),
           written=False),
), detect=("date", "nip", "seller", "amount", "receipt"))

# A seller's own sales book (README: Rekonsiliasi): the second record of the same purchases. The seller column may be
# left out of a sheet that names its UMKM above the header (`UMKM: Kopi Rempah`, as the sellers' forms do).
SALES = SheetSpec("Penjualan", (
    Column("date", "Tanggal", aliases=(Alias("Tgl", 1), Alias("Tanggal Penjualan", 2), Alias("Tanggal Jual", 3))),
    Column("receipt", "No. Nota", aliases=(Alias("Nota", 1), Alias("Nomor Nota", 2))),
    Column("buyer_name", "Nama Pembeli", required=False, aliases=(Alias("Pembeli", 1),)),
    Column("nip", "NIP Pembeli", required=False, aliases=(Alias("NIP/NIK Pembeli", 1),)),
    Column("office", "OPD Pembeli", required=False, aliases=(Alias("Instansi Pembeli", 1),)),
    Column("product", "Produk", required=False),
    Column("amount", "Jumlah (Rp)", aliases=AMOUNT_ALIASES),
    Column("note", "Keterangan", required=False),
    Column("seller", "UMKM", aliases=(Alias("Nama UMKM", 1), Alias("Penjual", 2))),
), detect=("date", "receipt", "amount", "seller"))
# Headers that make a sheet an office's purchases rather than a sales book, even with its NIP column missing.
PURCHASE_ONLY_HEADERS = ("NIP", "Nama Pegawai")

# The tier table inside `Pengaturan`.
LISTS_SHEET = "Daftar"  # hidden in the workbook: the lists behind its drop-downs


def is_input_sheet(name: str) -> bool:
    """Whether a sheet of the live workbook is read: any sheet may hold a table, found by its name or its
    headers (README: Format berkas), except those the product writes and the drop-down lists."""
    return not is_output_sheet(name) and name.strip().casefold() != LISTS_SHEET.casefold()


TIER_TABLE_HEADERS = ("Tingkat", "Minimum Belanja (Rp)")
# The `Potongan TPP` table inside `Pengaturan` (README: Kekurangan berulang dan daftar TPP): months short in a row | deduction of the TPP in %.
TPP_TABLE_TITLE = "Potongan TPP"
TPP_TABLE_HEADERS = ("Bulan Berturut", "Potongan (%)")


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
    SettingSpec("require_seller_match", "Belanja Harus Cocok Penjual", "bool",
                "Ya: belanja dari UMKM yang mengirim buku penjualan hanya dihitung bila tercatat juga di buku "
                "penjualannya (bila jumlahnya berbeda, yang lebih kecil dihitung). Tidak: hanya diberi peringatan."),
    SettingSpec("accept_seller_records", "Akui Catatan Penjual", "bool",
                "Ya: penjualan kepada ASN (dengan NIP pembeli) yang tidak dilaporkan OPD tetap dihitung untuk "
                "ASN tersebut. Tidak: hanya diberi peringatan."),
    SettingSpec("letter_number_format", "Format Nomor Surat", "text",
                "Pola nomor surat: {urut}, {bulan_romawi}, {bulan}, {tahun}."),
    SettingSpec("government", "Nama Pemerintah", "text", "Baris pertama kop surat."),
    SettingSpec("issuing_office", "Instansi Penerbit", "text", "Baris kedua kop surat: instansi yang menerbitkan surat."),
    SettingSpec("office_address", "Alamat Instansi", "text", "Alamat pada kop surat (jalan dan nomor)."),
    SettingSpec("postal_code", "Kode Pos", "text", "Kode pos pada kop surat."),
    SettingSpec("office_phone", "Telepon", "text", "Nomor telepon pada kop surat, misalnya (0911) 312345. Kosong: tidak ditulis."),
    SettingSpec("office_fax", "Faksimile", "text", "Nomor faksimile pada kop surat. Kosong: tidak ditulis."),
    SettingSpec("office_website", "Laman", "text", "Alamat laman pada kop surat. Kosong: tidak ditulis."),
    SettingSpec("office_email", "Surel Instansi", "text", "Alamat surel pada kop surat; juga pengirim surat bila dikirim."),
    SettingSpec("crest_image", "Lambang Daerah", "text",
                "Lokasi berkas gambar lambang (PNG/JPEG) di sebelah kiri kop. Kosong: kop tanpa lambang."),
    SettingSpec("city", "Kota Surat", "text", "Tempat penandatanganan surat."),
    SettingSpec("signatory_position", "Jabatan Penandatangan", "text", "Jabatan pejabat yang menandatangani surat."),
    SettingSpec("signatory_name", "Nama Penandatangan", "text",
                "Nama lengkap dengan gelar. Wajib: bila kosong surat ditandai KONSEP."),
    SettingSpec("signatory_rank", "Pangkat Penandatangan", "text",
                "Pangkat/golongan, misalnya Pembina Utama Muda (IV/c). Wajib: bila kosong surat ditandai KONSEP."),
    SettingSpec("signatory_nip", "NIP Penandatangan", "text",
                "NIP penandatangan (ketik sebagai teks). Wajib: bila kosong surat ditandai KONSEP."),
    SettingSpec("nature", "Sifat Surat", "text", "Biasa, Terbatas, Rahasia atau Sangat Rahasia."),
    SettingSpec("legal_basis", "Dasar Hukum", "text", "Peraturan yang dikutip dalam surat (jenis dan tentang)."),
    SettingSpec("legal_basis_number", "Nomor Dasar Hukum", "text", "Nomor peraturan itu, misalnya 12."),
    SettingSpec("legal_basis_year", "Tahun Dasar Hukum", "text", "Tahun peraturan itu, misalnya 2023."),
    SettingSpec("reminder_day", "Tanggal Pengingat", "int",
                "Surat pengingat bulan berjalan dapat dibuat mulai tanggal ini (sesudah Hari Jiku Bata) sampai hari "
                "kerja terakhir bulan itu; bulan yang sudah lewat mendapat surat pemberitahuan."),
    SettingSpec("deadline_days", "Batas Waktu (hari)", "int",
                "Batas waktu pada surat pengingat: sekian hari kerja sesudah tanggal surat, paling lambat hari kerja "
                "terakhir bulan itu (belanja hanya dihitung pada bulannya)."),
    SettingSpec("holidays", "Hari Libur", "dates",
                "Libur nasional dan cuti bersama (SKB), dipisah titik koma, misalnya 25/12/2026; 01/01/2027. "
                "Tidak dihitung sebagai hari kerja; batas waktu surat tidak jatuh pada hari libur."),
    SettingSpec("copies_to", "Tembusan", "list", "Penerima tembusan, dipisah titik koma (;)."),
    SettingSpec("leadership_email", "Surel Sekretariat Pimpinan", "text",
                "Alamat surel tujuan laporan kepada Wali Kota bila Wali Kota tidak mempunyai alamat di lembar Pegawai."),
    SettingSpec("report_recipients", "Email Penerima Rekap", "list", "Alamat surel penerima rekap mingguan, dipisah titik koma (;)."),
    SettingSpec("repeat_threshold", "Batas Berturut", "int",
                "Sejak sekian bulan berturut-turut kurang belanja, surat pemberitahuan meminta Kepala OPD sebagai "
                "atasan langsung menindaklanjuti sesuai ketentuan disiplin ASN, dengan tembusan di bawah ini."),
    SettingSpec("repeat_copy_to", "Tembusan Berulang", "text",
                "Tembusan tambahan surat yang memuat pegawai yang mencapai Batas Berturut (BKPSDM)."),
)

# Files this product writes: a folder scan skips them, so an output folder that is
# also an input folder never reads our own summary's `UMKM` sheet as the sellers.
OUTPUT_FILE_PREFIXES = ("Rekap-Jiku-Bata-", "Daftar-Surat-", "Daftar-TPP-Jiku-Bata-")

EMPLOYMENT_STATUSES = ("Aktif", "Cuti", "Tugas Belajar", "Pensiun", "Diberhentikan", "Meninggal")
