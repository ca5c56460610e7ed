"""The data problem codes of README: Aturan perhitungan: severity and Indonesian message, in one place.

GALAT: the row is not counted. PERINGATAN: the row is counted.
"""
from __future__ import annotations

from typing import Optional

from jikubata.domain.model import Place, Problem, Severity
from jikubata.domain.parse import printable

G, P = Severity.GALAT, Severity.PERINGATAN

# code -> (default severity, message template)
CODES: dict[str, tuple[Severity, str]] = {
    "KOLOM_HILANG": (G, "Kolom wajib tidak ditemukan: {columns}. Lembar ini dilewati."),
    "BARIS_TIDAK_LENGKAP": (G, "Baris tidak lengkap: {columns} kosong. Baris tidak dihitung."),
    "NIP_TIDAK_VALID": (G, "NIP '{value}' tidak valid: {reason}."),
    "NIP_ANGKA": (G, "NIP tersimpan sebagai angka ({value}) sehingga digit terakhirnya hilang. "
                     "Ketik ulang NIP sebagai teks (format sel Teks atau awali dengan tanda ')."),
    "NIP_GANDA": (G, "NIP {value} tercatat lebih dari sekali di daftar pegawai (juga di {other}). "
                     "Kedua baris tidak dihitung sampai diperbaiki."),
    "NIP_TIDAK_TERDAFTAR": (G, "NIP {value} tidak ada di daftar pegawai. Belanja ini tidak dihitung."),
    "NAMA_TIDAK_COCOK": (P, "Nama '{value}' berbeda dengan nama di daftar pegawai ('{expected}') untuk NIP {nip}."),
    "ESELON_TIDAK_DIKENAL": (G, "Eselon '{value}' tidak dikenal (contoh yang benar: II.a, III.b, IV.a, "
                               "Wali Kota, Non Eselon). Pegawai ini tidak dihitung."),
    "STATUS_TIDAK_DIKENAL": (G, "Status '{value}' tidak dikenal (gunakan Aktif, Cuti, Tugas Belajar, Pensiun, "
                               "Diberhentikan atau Meninggal). Pegawai ini tidak dihitung."),
    "TANGGAL_TIDAK_VALID": (G, "Tanggal '{value}' tidak dapat dibaca (contoh: 07/11/2026 atau 7 November 2026)."),
    "TANGGAL_MASA_DEPAN": (G, "Tanggal {value} sesudah hari ini ({today}). Belanja ini tidak dihitung."),
    "TANGGAL_SEBELUM_PROGRAM": (G, "Tanggal {value} sebelum program Jiku Bata dimulai (7 September 2022)."),
    "JUMLAH_TIDAK_VALID": (G, "Jumlah tidak valid: {reason}. Belanja ini tidak dihitung."),
    "JUMLAH_BESAR": (P, "Jumlah {value} melebihi batas wajar transaksi ({limit}); periksa kembali."),
    "NOTA_GANDA": (G, "No. Nota '{value}' untuk UMKM '{seller}' sudah tercatat di {other}.{differs} Baris ini tidak dihitung."),
    "UMKM_TIDAK_TERDAFTAR": (G, "UMKM '{value}' tidak terdaftar di lembar UMKM.{consequence}"),
    "BERKAS_TANPA_DATA": (P, "Tidak ada tabel yang terbaca dari berkas ini. Lembarnya: {sheets}. Sebuah lembar "
                             "dibaca bila namanya atau baris judul kolomnya (10 baris pertama) cocok: {needs}."),
    "KOLOM_MERAGUKAN": (P, "Kolom '{value}' dianggap kuantitas (banyaknya barang), bukan rupiah: "
                           "jumlah belanja diambil dari kolom '{used}'."),
    "BARIS_TIDAK_TERBACA": (G, "Kolom {column} berisi byte NUL (bagian berkas CSV yang rusak). Baris tidak dihitung; "
                                "simpan ulang berkas dari programnya."),
    "BERKAS_TIDAK_TERBACA": (G, "Berkas tidak dapat dibaca: {reason}. Berkas ini dilewati; berkas lain tetap dihitung."),
    "BERKAS_GANDA": (P, "Berkas ini tampaknya versi lama dari {newer} ({repeated} dari {total} nota juga ada di sana, "
                        "dan {newer} disimpan lebih baru: {when}); simpan hanya versi terbaru."),
    "DAFTAR_PEGAWAI_GANDA": (P, "Daftar pegawai berkas ini mengulang daftar pegawai {other} ({repeated} dari {total} "
                                "NIP ada di sana); NIP yang tercatat dua kali tidak dihitung (NIP_GANDA). Simpan daftar "
                                "pegawai di satu berkas saja, atau pindahkan berkas ini bila hanya salinan."),
    "TANGGAL_BULAN_DULU": (P, "Tanggal di kolom '{column}' ditulis bulan/hari/tahun, seperti Excel atau LibreOffice "
                              "berbahasa Inggris menyimpan CSV (misalnya '{example}' = {meaning}); semua tanggal "
                              "lembar ini dibaca demikian. Periksa tanggalnya, dan pengaturan wilayah komputer pengirim."),
    "SEL_GALAT_EXCEL": (G, "Kolom {column} berisi nilai galat Excel {value}, bukan data. Perbaiki rumus atau isinya. "
                           "Baris tidak dihitung."),
    "RUMUS_TANPA_NILAI": (G, "Kolom {column} berisi rumus yang belum dihitung (disimpan tanpa nilai oleh program lain): "
                             "buka dan simpan ulang di Excel agar rumus dihitung. Baris tidak dihitung."),
    "NIP_OPD_LAIN": (P, "NIP {value} ({name}) terdaftar di {office}, bukan di {form_office} pemilik formulir ini. "
                        "Belanja tetap dihitung untuk pegawai tersebut."),
    "TANGGAL_DI_LUAR_PERIODE": (P, "Tanggal {value} di luar periode formulir ({period}). "
                                   "Belanja tetap dihitung pada bulan {month}."),
    "FORMULIR_VERSI_LAMA": (P, "Formulir {office} periode {period} ini ({saved}) digantikan seluruhnya oleh "
                               "berkas {other} ({other_saved}), kiriman yang terakhir disimpan. "
                               "Baris-baris di berkas ini tidak dihitung."),
    "BERKAS_SEDANG_DIBUKA": (P, "Berkas ini sedang dibuka di {program}; perubahan yang belum disimpan tidak "
                                "terbaca \u2014 simpan dan tutup, lalu ulangi."),
    "KEPALA_OPD_TIDAK_DIKETAHUI": (P, "Kepala {office} tidak tercatat (Nama Kepala dan NIP Kepala kosong di lembar "
                                      "OPD, atau OPD ini tidak ada di sana); surat kepada OPD ini ditujukan kepada "
                                      "{addressee}{found}. Isi kepala OPD di lembar OPD."),
    # Reconciliation with the sellers' sales books (README: Rekonsiliasi).
    "TIDAK_ADA_DI_BUKU_PENJUAL": (P, "No. Nota '{value}' ({seller}, {date}, {amount}) tidak ada di buku penjualan "
                                    "UMKM ini untuk bulan itu ({other}).{consequence}"),
    "BEDA_DENGAN_PENJUAL": (P, "No. Nota '{value}' ({seller}) tercatat berbeda di buku penjual ({other}): "
                              "{differs}.{consequence}"),
    "NOTA_BEDA_NOMOR": (P, "No. Nota '{value}' ({seller}) tidak ada di buku penjual, tetapi penjualan dengan tanggal "
                          "dan jumlah yang sama tercatat dengan No. Nota '{receipt}' ({other}). Samakan nomor notanya. "
                          "Belanja tetap dihitung."),
    "PENJUALAN_TIDAK_DILAPORKAN": (P, "Penjualan No. Nota '{value}' ({seller}, {date}, {amount}) kepada NIP {nip} "
                                     "tercatat di buku penjual tetapi tidak dilaporkan OPD mana pun.{consequence}"),
    "PENGATURAN_TIDAK_VALID": (P, "Pengaturan '{label}' bernilai '{value}' tidak dapat dibaca; dipakai nilai bawaan {default}."),
}


def problem(place: Place, code: str, severity: Optional[Severity] = None, **fields) -> Problem:
    default, template = CODES[code]
    fields = {k: _short(v, 600 if k in _OUR_OWN_TEXT else 80) for k, v in fields.items()}
    return Problem(place, code, severity or default, template.format(**fields))


# Fields that carry our own sentences (reasons, comparisons), not cell text: kept whole.
_OUR_OWN_TEXT = {"reason", "differs", "other", "sheets", "needs", "found", "addressee", "consequence"}


def _short(value: object, limit: int = 80) -> str:
    """Cell text quoted in a message: one line, bounded length, no control characters."""
    text = printable(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
