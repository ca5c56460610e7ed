"""The help of `jikubata`: what each command does and what each option means, in Indonesian.

`document(parser)` fills in what `cli.build_parser` left out: a command's
description, an option's help and its placeholder (`TTTT-BB`, `FOLDER`).
An option means the same in every command (`--periode` is always a month),
so its text is written once here, by the option's name, and a command added
later with `--periode` or `--keluaran` is documented without more code. Help
given in `add_argument` itself is never replaced.
"""
from __future__ import annotations

import argparse

INPUTS = ("berkas masukan (.xlsx, .xlsm, .xls, .xlsb, .ods atau .csv: workbook pusat dan workbook belanja "
          "OPD) atau folder berisi berkas itu; boleh lebih dari satu")

# dest → (placeholder, help), for every command.
OPTIONS: dict[str, tuple[str | None, str]] = {
    "path": (None, INPUTS),
    "periode": ("TTTT-BB", "bulan yang dihitung, bentuk TTTT-BB, misalnya 2026-11"),
    "tahun": ("TTTT", "tahun yang direkap, misalnya 2026"),
    "per_tanggal": ("TTTT-BB-HH", "hitung hanya belanja sampai tanggal ini (TTTT-BB-HH); tanpa opsi ini: "
                                  "akhir bulan (atau tahun), atau hari ini bila belum selesai"),
    "keluaran": ("FOLDER", "folder tempat hasil ditulis (dibuat bila belum ada)"),
    "konfigurasi": ("BERKAS", "berkas konfigurasi jadwal (.toml): masukan, keluaran, waktu, surel"),
    "sekali": (None, "jalankan sekali sekarang lalu keluar (tanpa menunggu jadwal)"),
}

# (command, dest) → (placeholder, help), where an option means something particular in one command.
COMMAND_OPTIONS: dict[tuple[str, str], tuple[str | None, str]] = {
    ("mingguan", "keluaran"): ("FOLDER", "folder hasil; riwayat mingguan (Tren) juga disimpan di sini"),
    ("mingguan", "per_tanggal"): ("TTTT-BB-HH", "hari rekap (TTTT-BB-HH); tanpa opsi ini: hari Minggu terakhir "
                                                "yang sudah lewat"),
    ("demo", "keluaran"): ("FOLDER", "folder data contoh dan hasilnya (bawaan: demo-keluaran)"),
    ("buat-workbook", "keluaran"): ("BERKAS", "berkas .xlsm yang ditulis (bawaan: workbook/JikuBata.xlsm)"),
}

COMMANDS: dict[str, str] = {
    "periksa": "Membaca berkas masukan dan mencetak setiap masalah data dengan berkas, lembar dan selnya. "
               "Kode keluar 0; dengan --ketat, 1 bila ada masalah GALAT.",
    "hitung": "Menghitung belanja dan kekurangan setiap pegawai untuk satu bulan, lalu mencetak tabel per OPD "
              "dan daftar pegawai yang belum memenuhi.",
    "rekap": "Menulis workbook rekap ke FOLDER: satu bulan dengan --periode (Rekap-Jiku-Bata-TTTT-BB.xlsx: "
             "ringkasan, yang belum memenuhi, lembar per OPD, UMKM, masalah data) atau satu tahun dengan "
             "--tahun (Rekap-Jiku-Bata-TTTT.xlsx).",
    "surat": "Menulis surat (.docx) bulan itu ke FOLDER/Surat-TTTT-BB/: pengingat selama bulan berjalan (mulai "
             "Tanggal Pengingat), pemberitahuan sesudah bulan selesai; kepada Kepala OPD yang pegawainya belum "
             "memenuhi minimum, kepada pejabat yang belum memenuhi (tidak kepada yang lebih tinggi dari "
             "penandatangan), permintaan data kepada OPD yang belum melapor, serta laporan kepada Wali Kota, "
             "beserta Daftar-Surat-TTTT-BB.xlsx. Surat yang tidak berubah tetap memakai nomornya; surat yang "
             "berubah mendapat nomor baru. --kirim mengirim PDF-nya lewat surel.",
    "tandai-terkirim": "Mencatat di register surat FOLDER bahwa surat bernomor NOMOR sudah diserahkan langsung "
                       "(dicetak dan diantar, bukan lewat surel). Surat yang terkirim tidak pernah dibatalkan: bila "
                       "angkanya berubah, 'jikubata surat' menulis surat baru yang menggantikannya. Nomor yang tidak "
                       "dikenal atau surat yang sudah dibatalkan: kode keluar 2 dan tidak ada yang ditandai.",
    "tpp": "Menulis daftar TPP untuk BKPSDM ke FOLDER: Daftar-TPP-Jiku-Bata-TTTT-BB.xlsx dan .csv, satu baris per "
           "ASN wajib belanja dengan Bulan Berturut dan Potongan TPP (%) menurut tabel Potongan TPP di Pengaturan. "
           "Hanya untuk bulan yang sudah selesai. Daftar ini tidak memutuskan potongan.",
    "mingguan": "Menulis rekap mingguan (workbook dengan lembar Tren dan isi surel) ke FOLDER/mingguan/ untuk "
                "minggu yang memuat hari rekap.",
    "jadwal": "Menjalankan rekap mingguan terjadwal dan mengirim surelnya, menurut berkas konfigurasi TOML.",
    "demo": "Membuat data contoh kota (orang fiktif) lalu menjalankan pemeriksaan, perhitungan, rekap, surat "
            "dan rekap mingguan padanya.",
    "buat-workbook": "Membangun workbook Excel JikuBata.xlsm (lembar, tombol dan makro) dari sumbernya.",
}

EPILOG = "Bantuan tiap perintah: jikubata PERINTAH --help"


def document(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Fill in the descriptions, help and placeholders `parser` and its commands were built without."""
    parser.epilog = parser.epilog or EPILOG
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, command in action.choices.items():
                command.description = command.description or COMMANDS.get(name) or _summary(action, name)
                _options(command, name)
    return parser


def _options(command: argparse.ArgumentParser, name: str) -> None:
    for action in command._actions:
        placeholder, text = COMMAND_OPTIONS.get((name, action.dest)) or OPTIONS.get(action.dest, (None, None))
        if action.help is None and text:
            action.help = text
        if action.metavar is None and placeholder and action.nargs != 0:
            action.metavar = placeholder


def _summary(subparsers: argparse._SubParsersAction, name: str) -> str | None:
    """A command's one-line help from the command list, as its description."""
    for choice in subparsers._choices_actions:
        if choice.dest == name and choice.help:
            return choice.help[0].upper() + choice.help[1:] + "."
    return None
