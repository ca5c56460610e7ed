"""What the buttons of `JikuBata.xlsm` do, against any `WorkbookPort`.

Each action reads the open workbook, runs the same services as the command
line, writes its result sheets back and tells the user in one short
Indonesian message (a message box and the result cell on `Beranda`). Every
failure becomes such a message; no traceback ever reaches the user.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable, Optional, Sequence

from jikubata.adapters import locking
from jikubata.domain import schema
from jikubata import services
from jikubata.domain.model import Dataset, Period, Result
from jikubata.adapters.clock import SYSTEM, Clock
from jikubata.domain.errors import BusyError, InputError
from jikubata.domain.indonesian import long_date, month_year, rupiah, short_date_time
from jikubata.adapters import summary
from jikubata.tools.workbook import PERIOD_CELL, RESULT_CELL
from jikubata.adapters.workbook_port import WorkbookPort

SHEET_HOME, SHEET_RESULT, SHEET_PROBLEMS = schema.HOME_SHEET, schema.RESULT_SHEET, schema.PROBLEMS_SHEET
SUMMARY_PREFIX = schema.OUTPUT_SHEET_PREFIX


# ---------------------------------------------------------------- the actions


def periksa_data(port: WorkbookPort, clock: Clock) -> str:
    """Check every sheet; list the problems in `Masalah Data`."""
    sources = _sources(port, clock)
    dataset = services.check(sources, clock=clock)
    port.write_sheet(problems_sheet(dataset, port, sources.folders))
    if not dataset.problems:
        return (f"Pemeriksaan selesai: {len(dataset.employees)} ASN dan {len(dataset.purchases)} belanja dibaca, "
                "tidak ada masalah data." + _folders_note(sources))
    return (f"Pemeriksaan selesai: {len(dataset.employees)} ASN dan {len(dataset.purchases)} belanja dibaca; "
            f"{dataset.error_count} galat (baris tidak dihitung) dan {dataset.warning_count} peringatan. "
            f"Klik sel pada lembar {SHEET_PROBLEMS} untuk menuju isian yang bermasalah." + _folders_note(sources))


def hitung_kekurangan(port: WorkbookPort, clock: Clock) -> str:
    """Compute the period's shortfalls; write `Hasil` and `Masalah Data`."""
    sources = _sources(port, clock)
    result = services.calculate(sources, _period(port, clock), clock=clock)
    port.write_sheet(summary.result_sheet(result))
    port.write_sheet(problems_sheet(result, port, sources.folders))
    return _result_message(result) + f" Rinciannya di lembar {SHEET_RESULT}." + _folders_note(sources)


def buat_rekap(port: WorkbookPort, clock: Clock) -> str:
    """Write the summary workbook beside this one, and its tables as `Rekap …` sheets here."""
    year = year_of(port.read_cell(SHEET_HOME, PERIOD_CELL))
    if year is not None:
        return _buat_rekap_tahunan(port, year, clock)
    folder = output_folder(port)
    waited: list[str] = []
    sources = _sources(port, clock)
    outcome = services.write_summary(sources, folder, _period(port, clock), clock=clock,
                                     writer=_writer(folder, "tombol Buat Rekap OPD", waited))
    result, path = outcome.result, outcome.path
    _write_rekap_sheets(port, summary.sheet_tables(result), result, sources.folders)
    return (f"Rekap OPD periode {month_year(result.period.year, result.period.month)} ditulis ke {path}."
            + _folders_note(sources) + _waited_note(waited))


def _buat_rekap_tahunan(port: WorkbookPort, year: int, clock: Clock) -> str:
    """The period cell holds a year: the yearly recap `Rekap-Jiku-Bata-TTTT.xlsx`, and its sheets here."""
    folder = output_folder(port)
    waited: list[str] = []
    sources = _sources(port, clock)
    outcome = services.write_year_summary(sources, folder, year, clock=clock,
                                          writer=_writer(folder, "tombol Buat Rekap OPD (tahunan)", waited))
    result = outcome.year
    _write_rekap_sheets(port, summary.year_tables(result), result, sources.folders)
    return (f"Rekap tahunan {year} ({len(result.months_with_data)} bulan dengan data, per "
            f"{long_date(result.as_of)}) ditulis ke {outcome.path}." + _folders_note(sources) + _waited_note(waited))


def year_of(value) -> Optional[int]:
    """The year when the period cell holds one (`2026`, as text or as the number Excel made of it)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer() and 2000 <= value <= 2100:
        return int(value)
    if isinstance(value, str) and len(value.strip()) == 4 and value.strip().isdigit():
        return int(value.strip())
    return None


def _write_rekap_sheets(port: WorkbookPort, tables, checked, folders: Sequence[Path] = ()) -> None:
    """Replace every `Rekap …` sheet of the open workbook by the recap's tables; `Masalah Data` from `checked`."""
    for name in [n for n in port.sheet_names() if n.casefold().startswith(SUMMARY_PREFIX.casefold())]:
        port.delete_sheet(name)
    for sheet in summary.workbook_rekap_sheets(tables):
        port.write_sheet(sheet)
    port.write_sheet(problems_sheet(checked, port, folders))


def buat_surat(port: WorkbookPort, clock: Clock) -> str:
    """Write the reminder letters into the folder beside this workbook; list them in `Daftar Surat`."""
    # The folder beside the workbook is the one locked: the weekly job may write there too.
    folder = output_folder(port)
    waited: list[str] = []
    sources = _sources(port, clock)
    cell = port.read_cell(SHEET_HOME, PERIOD_CELL)
    # An empty period cell: the month whose letters may be written today (README: Surat) — last month's
    # notices until Tanggal Pengingat, this month's reminders from then on.
    period = None if _blank(cell) else period_of(cell, clock.today())
    written = services.write_letters(sources, folder, period, clock=clock,
                                     writer=_writer(folder, "tombol Buat Surat Pengingat", waited))
    result, outcome = written.result, written.letters
    port.write_sheet(summary.letters_sheet(result, outcome))
    chosen = ""
    if period is None:
        label = month_year(result.period.year, result.period.month)
        chosen = (f"Sel periode kosong: dibuat surat {outcome.mode.value} bulan {label} "
                  f"({'bulan berjalan' if outcome.mode.value == 'pengingat' else 'bulan yang sudah selesai'}).\n")
    return chosen + outcome.summary_text() + _folders_note(sources) + _waited_note(waited)


def buat_formulir(port: WorkbookPort, clock: Clock) -> str:
    """Write one entry form per OPD into the `Formulir-TTTT-BB` folder beside this workbook."""
    from jikubata.adapters import forms

    return _write_forms(port, clock, forms.folder_name, services.write_forms, "tombol Buat Formulir OPD")


def buat_formulir_penjual(port: WorkbookPort, clock: Clock) -> str:
    """Write one sales-book form per registered UMKM into the `Formulir-Penjualan-TTTT-BB` folder beside this
    workbook (README: Rekonsiliasi); the returned books are read from there with the workbook."""
    from jikubata.adapters import seller_forms

    return _write_forms(port, clock, seller_forms.folder_name, services.write_seller_forms,
                        "tombol Buat Formulir Penjual")


def _write_forms(port: WorkbookPort, clock: Clock, folder_name, write, who: str) -> str:
    """The form buttons: a month from the period cell, the forms into their folder beside the workbook."""
    if year_of(port.read_cell(SHEET_HOME, PERIOD_CELL)) is not None:
        raise InputError("formulir dibuat per bulan: isi sel periode di Beranda dengan TTTT-BB, misalnya 2026-12")
    period = _period(port, clock)
    folder = output_folder(port) / folder_name(period)
    waited: list[str] = []
    outcome = write(_sources(port), folder, period, clock=clock, writer=_writer(folder, who, waited))
    return outcome.summary_text(detail=False) + _waited_note(waited)


def buat_daftar_tpp(port: WorkbookPort, clock: Clock) -> str:
    """Write the TPP list for BKPSDM beside this workbook (README: Kekurangan berulang dan daftar TPP). An empty
    period cell means last month, the latest finished one; a running month is refused with a message."""
    cell = port.read_cell(SHEET_HOME, PERIOD_CELL)
    if year_of(cell) is not None:
        raise InputError("daftar TPP dibuat per bulan: isi sel periode di Beranda dengan TTTT-BB, misalnya 2026-11")
    empty = _blank(cell)
    period = Period.of(clock.today()).previous() if empty else period_of(cell, clock.today())
    folder = output_folder(port)
    waited: list[str] = []
    sources = _sources(port, clock)
    outcome = services.write_tpp_list(sources, folder, period, clock=clock,
                                      writer=_writer(folder, "tombol Buat Daftar TPP", waited))
    chosen = f"Sel periode kosong: dibuat daftar bulan lalu ({month_year(period.year, period.month)}).\n" if empty else ""
    return chosen + outcome.summary_text() + _folders_note(sources) + _waited_note(waited)


def _folders_note(sources: services.Sheets) -> str:
    """Which folders beside the workbook were read too (a button shows no file list otherwise)."""
    if not sources.folders:
        return ""
    return f" Dibaca juga berkas di folder {', '.join(f.name for f in sources.folders)} di samping workbook."


def _writer(folder: Path, command: str, waited: list[str]) -> services.Writer:
    """This button as a writer of `folder`; when another run holds it, who that was is noted in `waited`."""
    return services.Writer(command, on_wait=lambda _msg: waited.append(
        locking.describe_holder(locking.holder(folder))))


def _waited_note(waited: list[str]) -> str:
    """A button cannot speak while it waits (Excel is busy), so its message says afterwards that it did."""
    if not waited:
        return ""
    return f"\n(Sempat menunggu karena folder keluaran sedang dipakai oleh {waited[0]}.)"


ACTIONS: dict[str, Callable[..., str]] = {
    "periksa_data": periksa_data,
    "hitung_kekurangan": hitung_kekurangan,
    "buat_rekap": buat_rekap,
    "buat_surat": buat_surat,
    "buat_formulir": buat_formulir,
    "buat_daftar_tpp": buat_daftar_tpp,
    "buat_formulir_penjual": buat_formulir_penjual,
}


def run(port: WorkbookPort, action: str, today: Optional[dt.date] = None, *, clock: Clock = SYSTEM) -> str:
    """Run a button's action; whatever happens, tell the user in Indonesian (never a traceback).

    `today` runs it as on that day (tests); otherwise `clock` tells the day.
    """
    if today is not None:
        clock = Clock.fixed(today)
    error = False
    try:
        text = ACTIONS[action](port, clock)
    except InputError as exc:
        text, error = f"Proses dihentikan: {exc}", True
    except BusyError as exc:
        text, error = f"Belum dapat dijalankan: {exc}. Coba lagi sebentar lagi.", True
    except MemoryError:
        text, error = "Proses dihentikan: memori komputer tidak cukup untuk data sebesar ini.", True
    except Exception as exc:  # the last guard: a message, never a traceback
        from jikubata.adapters import disk

        if disk.is_disk_full(exc):
            folder = getattr(exc, "filename", None)
            text, error = (f"Proses dihentikan: ruang disk penuh"
                           f"{f' di {Path(folder).parent}' if folder else ''}; kosongkan lalu jalankan lagi."), True
        else:
                text, error = (f"Terjadi galat tak terduga ({type(exc).__name__}: {exc}). "
                           "Simpan workbook, lalu laporkan pesan ini ke petugas TI."), True
    stamp = short_date_time(clock.now())
    try:
        port.write_cell(SHEET_HOME, RESULT_CELL, f"{stamp} \u2014 {text}")
    except Exception:  # the result cell is a courtesy; the message box below still tells the user
        pass
    port.message(text, error=error)
    return text


# ---------------------------------------------------------------- reading


INPUT_FOLDER = "Masukan"


def _sources(port: WorkbookPort, clock: Optional[Clock] = None) -> services.Sheets:
    """The open workbook; with `clock`, also the files in its input folders (see `input_folders`)."""
    folders = input_folders(port, clock) if clock is not None else []
    return services.Sheets([(port.path.name, port.read_sheets(schema.is_input_sheet))], folders)


def input_folders(port: WorkbookPort, clock: Clock) -> list[Path]:
    """Folders beside the workbook whose spreadsheets the buttons read with it (README: Formulir isian OPD): `Masukan/`
    (office workbooks in any accepted format), the period's `Formulir-TTTT-BB/` (the entry forms, where
    the returned ones are saved over the blank ones; for a year, every month's) and `Formulir-Penjualan-TTTT-BB/`
    (the sellers' books, README: Rekonsiliasi). Missing or empty: none."""
    from jikubata.adapters import files, forms, seller_forms

    try:
        base = output_folder(port)
    except InputError:
        return []
    value = port.read_cell(SHEET_HOME, PERIOD_CELL)
    year = year_of(value)
    try:
        periods = [Period(year, m) for m in range(1, 13)] if year is not None else [period_of(value, clock.today())]
    except InputError:
        periods = []  # the action itself says what is wrong with the period cell
    found = []
    for folder in [base / INPUT_FOLDER] + [base / name(p) for p in periods
                                           for name in (forms.folder_name, seller_forms.folder_name)]:
        try:
            if folder.is_dir() and any(f.suffix.lower() in files.SPREADSHEET_SUFFIXES
                                       and not f.name.startswith(("~$", ".")) for f in folder.iterdir()):
                found.append(folder)
        except OSError:
            continue
    return found


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def period_of(value, today: dt.date) -> Period:
    """The period cell: `2026-11` (text), a date Excel made of it, or blank for the current month."""
    if _blank(value):
        return Period.of(today)
    if isinstance(value, (dt.datetime, dt.date)):
        return Period.of(value)
    try:
        return Period.parse(str(value).strip())
    except ValueError as exc:
        year = year_of(value)
        if year is not None:
            raise InputError(f"sel periode {SHEET_HOME}!{PERIOD_CELL} berisi tahun {year}: tahun saja hanya untuk "
                             f"tombol Buat Rekap OPD (rekap tahunan); untuk tombol ini isi bulan TTTT-BB, misalnya "
                             f"{year}-11") from None
        raise InputError(f"sel periode {SHEET_HOME}!{PERIOD_CELL}: {exc}") from None


def _period(port: WorkbookPort, clock: Clock) -> Period:
    return period_of(port.read_cell(SHEET_HOME, PERIOD_CELL), clock.today())


def output_folder(port: WorkbookPort) -> Path:
    """The workbook's own folder; a workbook never saved (or only online) has none."""
    path = port.path
    if "://" in str(path) or not path.is_absolute() or not path.parent.is_dir():
        raise InputError("simpan workbook ini di sebuah folder pada komputer terlebih dahulu; "
                         "berkas keluaran ditulis ke folder yang sama")
    return path.parent


# ---------------------------------------------------------------- result sheets (laid out in `summary`)


def _result_message(result: Result) -> str:
    total = result.total
    period = month_year(result.period.year, result.period.month)
    text = (f"Periode {period} (data per {long_date(result.as_of)}): {total.obliged} ASN wajib belanja, "
            f"{total.met} memenuhi, {total.short} kurang; jumlah kekurangan {rupiah(total.shortfall)}.")
    if result.problems:
        text += f" Ada {result.error_count} galat dan {result.warning_count} peringatan data: lihat lembar {SHEET_PROBLEMS}."
    return text


def problems_sheet(checked: Dataset | Result, port: WorkbookPort, folders: Sequence[Path] = ()):
    """`Masalah Data` of the open workbook: its cells link to this workbook's sheets, its file names to the
    files of the input `folders` read with it."""
    return summary.workbook_problems_sheet(checked, port.path.name, port.sheet_names(),
                                           _files_by_label(folders, port.path.name))


def _files_by_label(folders: Sequence[Path], open_name: str) -> dict[str, Path]:
    """The files of the input folders by the label problems give them (the reader's own labels)."""
    from jikubata.adapters import files
    from jikubata.adapters.reader import file_labels

    if not folders:
        return {}
    try:
        paths = [f.path for f in files.list_inputs(folders).files]
    except (InputError, OSError):
        return {}
    return {label.casefold(): path for path, label in file_labels(paths, taken=[open_name]).items()}


