"""The `jikubata` command: thin handlers that translate arguments into service calls.

Every user-facing line is Indonesian. Unusable arguments or inputs end with
exit status 2 and one line on stderr; no traceback ever reaches the user.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Optional, Sequence

from jikubata.domain.model import Period
from jikubata.domain.errors import BusyError, InputError
from jikubata.entrypoints import cli_help
from jikubata.entrypoints.argparse_id import Parser


# As the weekly job (`jadwal`): the outputs were written but an email is still pending.
EXIT_MAIL_PENDING = 4


class _Parser(Parser):
    """argparse in Indonesian (argparse_id) that ends with status 2 and one line on bad arguments."""

    def error(self, message: str) -> None:  # noqa: D401
        # `message` is already Indonesian: argparse built it through argparse_id's catalogue.
        raise InputError(f"{self.prog}: {message} (lihat '{self.prog} --help')")


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _year(text: str) -> int:
    text = str(text).strip()
    if len(text) != 4 or not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"tahun '{text}' tidak valid: gunakan bentuk TTTT, misalnya 2026")
    return int(text)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal '{text}' tidak valid: gunakan bentuk TTTT-BB-HH, misalnya 2026-11-30") from None


def _progress():
    """Progress lines on stderr, only when it is a terminal."""
    if sys.stderr.isatty():
        return lambda msg: print(f"… {msg}", file=sys.stderr, flush=True)
    return None


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="jikubata", description="Jiku Bata — pemantauan belanja wajib ASN pada UMKM Kota Ambon.")
    from jikubata import __version__

    p.add_argument("--version", action="version", version=f"jikubata {__version__}",
                   help="tampilkan versi jikubata lalu keluar")
    p.add_argument("--debug", action="store_true",
                   help="juga tampilkan pesan asli pustaka pembaca berkas (untuk petugas TI); boleh di posisi mana pun")
    sub = p.add_subparsers(dest="perintah", metavar="PERINTAH", parser_class=_Parser)

    s = sub.add_parser("periksa", help="membaca dan memeriksa data, mencetak masalah")
    s.add_argument("path", nargs="+", metavar="PATH")
    s.add_argument("--ketat", action="store_true",
                   help="keluar dengan kode 1 bila ditemukan masalah bertingkat GALAT (untuk skrip dan jadwal)")
    s.set_defaults(func=cmd_periksa)

    s = sub.add_parser("hitung", help="menghitung kekurangan belanja setiap pegawai")
    s.add_argument("path", nargs="+", metavar="PATH")
    s.add_argument("--periode", required=True, type=_period)  # help: cli_help.OPTIONS
    s.add_argument("--per-tanggal", type=_date)
    s.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON (pegawai, opd, masalah) untuk diolah program lain")
    s.set_defaults(func=cmd_hitung)

    s = sub.add_parser("rekap", help="menulis workbook rekap per OPD")
    s.add_argument("path", nargs="+", metavar="PATH")
    when = s.add_mutually_exclusive_group(required=True)
    when.add_argument("--periode", type=_period, help="bulan TTTT-BB: Rekap-Jiku-Bata-TTTT-BB.xlsx")
    when.add_argument("--tahun", type=_year, help="tahun TTTT: rekap tahunan Rekap-Jiku-Bata-TTTT.xlsx")
    s.add_argument("--per-tanggal", type=_date)
    s.add_argument("--keluaran", required=True, type=Path, help="folder keluaran")
    s.set_defaults(func=cmd_rekap)

    s = sub.add_parser("surat", help="menulis surat pengingat/pemberitahuan bulan itu")
    s.add_argument("path", nargs="+", metavar="PATH")
    s.add_argument("--periode", required=True, type=_period)
    s.add_argument("--per-tanggal", type=_date)
    s.add_argument("--keluaran", required=True, type=Path)
    s.add_argument("--pdf", action="store_true", help="juga membuat PDF (LibreOffice)")
    s.add_argument("--kirim", action="store_true", help="mengirim PDF setiap surat ke surel penerimanya")
    s.add_argument("--coba", action="store_true", help="hanya menampilkan surat yang akan dikirim, tanpa mengirim")
    s.add_argument("--konfigurasi", type=Path, help="berkas TOML jadwal yang memuat bagian [email] (SMTP)")
    s.set_defaults(func=cmd_surat)

    s = sub.add_parser("tandai-terkirim", help="mencatat surat bernomor yang diserahkan langsung (bukan lewat surel)")
    s.add_argument("nomor", nargs="+", metavar="NOMOR", help="nomor surat, persis seperti tertulis di suratnya")
    s.add_argument("--keluaran", required=True, type=Path, help="folder keluaran 'jikubata surat'")
    s.set_defaults(func=cmd_tandai_terkirim)

    s = sub.add_parser("tpp", help="menulis daftar TPP (xlsx dan csv) untuk BKPSDM, bulan yang sudah selesai")
    s.add_argument("path", nargs="+", metavar="PATH")
    s.add_argument("--periode", required=True, type=_period)
    s.add_argument("--keluaran", required=True, type=Path)
    s.set_defaults(func=cmd_tpp)

    s = sub.add_parser("formulir", help="membuat formulir belanja (.xlsx) untuk setiap OPD, atau dengan "
                                        "--penjual formulir penjualan untuk setiap UMKM")
    s.add_argument("path", nargs="+", metavar="PATH", help="workbook pusat (Pegawai, OPD, UMKM) atau folder")
    s.add_argument("--penjual", action="store_true",
                   help="membuat formulir buku penjualan untuk setiap UMKM terdaftar, bukan formulir OPD")
    s.add_argument("--periode", required=True, type=_period)
    s.add_argument("--keluaran", required=True, type=Path)
    s.set_defaults(func=cmd_formulir)

    s = sub.add_parser("mingguan", help="rekap mingguan (yang dijalankan jadwal)")
    s.add_argument("path", nargs="+", metavar="PATH")
    s.add_argument("--keluaran", required=True, type=Path)
    s.add_argument("--per-tanggal", type=_date)
    s.set_defaults(func=cmd_mingguan)

    s = sub.add_parser("jadwal", help="menjalankan rekap mingguan sesuai jadwal")
    s.add_argument("--konfigurasi", required=True, type=Path, help="berkas TOML")
    s.add_argument("--sekali", action="store_true", help="jalankan sekali lalu keluar")
    s.set_defaults(func=cmd_jadwal)

    s = sub.add_parser("demo", help="membuat data contoh dan menjalankan semuanya")
    s.add_argument("--keluaran", type=Path, default=Path("demo-keluaran"))
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("buat-workbook", help="membangun JikuBata.xlsm dari sumbernya")
    s.add_argument("--keluaran", type=Path, default=Path("workbook/JikuBata.xlsm"))
    s.set_defaults(func=cmd_buat_workbook)

    s = sub.add_parser("templat", help="menunjukkan templat surat/email; --salin menyalinnya untuk diubah")
    s.add_argument("--salin", type=Path, metavar="FOLDER", help="salin templat bawaan ke FOLDER untuk diubah di Word")
    s.set_defaults(func=cmd_templat)
    return cli_help.document(p)


# ---------------------------------------------------------------- handlers

def _writer(command: str):
    """Who this command is to a run it must wait for; the one that waits says so on stderr."""
    from jikubata.services import Writer

    return Writer(command, on_wait=lambda msg: print(msg, file=sys.stderr, flush=True))


def cmd_periksa(args) -> int:
    from jikubata.entrypoints import report
    from jikubata import services

    dataset = services.check(args.path, progress=_progress())
    print(report.problems_text(dataset))
    if args.ketat and dataset.error_count:
        return 1
    return 0


def cmd_hitung(args) -> int:
    from jikubata.entrypoints import report
    from jikubata import services

    result = services.calculate(args.path, args.periode, args.per_tanggal, progress=_progress())
    if args.json:
        # One write: json.dump streams ~10 small writes per employee into the pipe.
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
        sys.stdout.write("\n")
    else:
        print(report.result_text(result))
    return 0


def cmd_rekap(args) -> int:
    from jikubata import services

    if getattr(args, "tahun", None) is not None:
        outcome = services.write_year_summary(args.path, args.keluaran, args.tahun, args.per_tanggal,
                                              writer=_writer("jikubata rekap --tahun"), progress=_progress())
    else:
        outcome = services.write_summary(args.path, args.keluaran, args.periode, args.per_tanggal,
                                         writer=_writer("jikubata rekap"), progress=_progress())
    print(outcome.summary_text())
    return 0


def _mail_settings(config: Optional[Path]):
    """The SMTP settings of the weekly job (`[email]` of its TOML file) for `surat --kirim`."""
    if config is None:
        raise InputError("--kirim memerlukan --konfigurasi BERKAS: berkas TOML jadwal dengan bagian [email]")
    from jikubata.entrypoints import scheduler

    settings = scheduler.load_config(config).email
    if settings is None:
        raise InputError(f"berkas konfigurasi '{config}' tidak memuat bagian [email] (server SMTP)")
    return settings


def cmd_surat(args) -> int:
    from jikubata import services

    mail_settings = _mail_settings(args.konfigurasi) if args.kirim and not args.coba else None
    outcome = services.write_letters(args.path, args.keluaran, args.periode, args.per_tanggal, pdf=args.pdf,
                                     writer=_writer("jikubata surat"), progress=_progress(), send=args.kirim,
                                     dry_run=args.coba, mail_settings=mail_settings)
    print(outcome.summary_text())
    return EXIT_MAIL_PENDING if args.kirim and not args.coba and outcome.mail_held_back else 0


def cmd_tandai_terkirim(args) -> int:
    from jikubata import services

    print(services.mark_letters_delivered(args.keluaran, args.nomor, writer=_writer("jikubata tandai-terkirim")))
    return 0


def cmd_tpp(args) -> int:
    from jikubata import services

    outcome = services.write_tpp_list(args.path, args.keluaran, args.periode, writer=_writer("jikubata tpp"),
                                      progress=_progress())
    print(outcome.summary_text())
    return 0


def cmd_formulir(args) -> int:
    from jikubata import services

    write = services.write_seller_forms if args.penjual else services.write_forms
    outcome = write(args.path, args.keluaran, args.periode, writer=_writer("jikubata formulir"), progress=_progress())
    print(outcome.summary_text())
    return 0


def cmd_mingguan(args) -> int:
    from jikubata import services

    outcome = services.run_weekly(args.path, args.keluaran, as_of=args.per_tanggal, progress=_progress())
    print(outcome.summary_text())
    return 0


def cmd_jadwal(args) -> int:
    from jikubata.entrypoints import scheduler

    return scheduler.main(args.konfigurasi, once=args.sekali)


def cmd_demo(args) -> int:
    from jikubata.tools import demo

    return demo.main(args.keluaran)


def cmd_buat_workbook(args) -> int:
    from jikubata.tools import workbook

    path = workbook.build_workbook(args.keluaran)
    print(f"Workbook dibangun: {path}")
    return 0


def cmd_templat(args) -> int:
    import os

    from jikubata import resources

    if args.salin is None:
        override = os.environ.get(resources.ENV_TEMPLATES)
        print(f"Templat bawaan: {resources.shipped_templates_dir()}")
        print(f"Folder templat ubahan ({resources.ENV_TEMPLATES}): {override or '(belum diatur)'}")
        print("Salin templat untuk diubah: jikubata templat --salin FOLDER")
        return 0
    try:
        copied, kept = resources.copy_templates(args.salin)
    except OSError:
        raise InputError(f"templat tidak dapat disalin ke {args.salin}: folder tidak dapat dibuat atau ditulisi") from None
    folder = args.salin.resolve()
    if copied:
        print(f"Disalin ke {folder}: " + ", ".join(p.name for p in copied))
    if kept:
        print("Sudah ada, tidak ditimpa: " + ", ".join(p.name for p in kept))
    print(f"Ubah templat di Word, lalu arahkan {resources.ENV_TEMPLATES} ke folder itu, misalnya:")
    print(f'  Windows:  setx {resources.ENV_TEMPLATES} "{folder}"')
    print(f"  Linux:    export {resources.ENV_TEMPLATES}='{folder}'")
    return 0


def _debug_option(argv: Optional[Sequence[str]]) -> list[str]:
    """`--debug` anywhere on the line: the libraries' own (English) messages go to stderr as `debug:` lines."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--debug" in argv:
        import logging

        argv = [a for a in argv if a != "--debug"]
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("debug: %(name)s: %(message)s"))
        logger = logging.getLogger("jikubata")
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    return argv


# What an interrupted command (Ctrl-C) leaves behind, and what to do about it.
_INTERRUPTED = {
    "surat": "surat yang sudah bernomor tetap tercatat; jalankan lagi perintah yang sama untuk melengkapi "
             "(nomor yang sama, lalu PDF dan Daftar Surat).",
    "rekap": "rekap yang sudah ada tetap utuh (berkas ditulis utuh atau tidak sama sekali); jalankan lagi perintah "
             "yang sama.",
    "mingguan": "rekap minggu sebelumnya tetap utuh; jalankan lagi perintah yang sama.",
    "formulir": "formulir yang sudah ditulis tetap utuh dan tidak ditimpa; jalankan lagi perintah yang sama untuk "
                "melengkapi.",
}


def _interrupted(argv: Sequence[str]) -> str:
    command = next((a for a in argv if not a.startswith("-")), "")
    state = _INTERRUPTED.get(command)
    return f"Dibatalkan: {state}" if state else "Dibatalkan."


# Commands that read, compute, write one result and end. The cycle collector stays off to their end:
# switched on again after reading, it would walk all the records still held once more (~8% of `hitung`);
# what they make is freed by reference counting, and the process ends soon after.
_READ_AND_COMPUTE = (cmd_periksa, cmd_hitung, cmd_rekap)


def main(argv: Optional[Sequence[str]] = None) -> int:
    from jikubata.adapters import disk

    # An object cleaned up at exit (a ZipFile left open by a write that hit a full disk) may fail
    # again in its __del__: that goes to the log, never as a traceback under our Indonesian line.
    sys.unraisablehook = disk.quiet_unraisable
    parser = build_parser()
    argv = _debug_option(argv)
    args = None
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        if args.func in _READ_AND_COMPUTE:
            from jikubata.services import collector_paused

            with collector_paused():
                return args.func(args)
        return args.func(args)
    except InputError as exc:
        print(f"Galat: {exc}", file=sys.stderr)
        return 2
    except BusyError as exc:
        print(f"Sibuk: {exc}", file=sys.stderr)
        return 3
    except BrokenPipeError:  # output piped into `head` and the like
        return 0
    except KeyboardInterrupt:
        print(_interrupted(argv), file=sys.stderr)
        return 130
    except Exception as exc:  # the last guard: a message, never a traceback
        if disk.is_disk_full(exc):
            folder = Path(getattr(exc, "filename", None) or getattr(args, "keluaran", None) or ".").resolve()
            print(f"Galat: ruang disk penuh di {folder if folder.is_dir() else folder.parent}; kosongkan lalu "
                  f"jalankan lagi", file=sys.stderr)
            return 2
        print(f"Galat tak terduga ({type(exc).__name__}): {exc}. Laporkan ke petugas TI.", file=sys.stderr)
        return 1
