"""Services: the use cases. The CLI, the Excel buttons and the schedule call these and only translate
arguments, errors and outcomes; nothing below this layer imports an entry point.

Every use case is one function that

- reads its inputs: `paths` (files or folders) or `Sheets` (workbooks already in memory, the buttons);
- asks one injected `Clock` (`adapters.clock`, Ambon time) what day it is; default: the system clock;
- holds the output folder's lock while it writes, with one wait policy (`Writer`, `LOCK_WAIT_SECONDS`);
- writes its outputs atomically through the adapters (summary, letters, weekly, history);
- returns an outcome value (a dataclass with `summary_text()` where the user is told something).

Errors the user can act on are `InputError` (unusable input: exit 2) and `BusyError` (folder busy: exit 3).

    check(inputs, *, clock, progress)                                   -> Dataset
    calculate(inputs, period=None, as_of=None, *, clock, progress)      -> Result
    write_summary(inputs, out_dir, period=None, as_of=None, *, clock, writer, progress) -> SummaryOutcome
    calculate_year(inputs, year, as_of=None, *, clock, progress)       -> YearResult
    write_year_summary(inputs, out_dir, year, as_of=None, *, clock, writer, progress) -> YearSummaryOutcome
    write_letters(inputs, out_dir, period=None, as_of=None, *, pdf, clock, writer, progress) -> LettersWritten
    write_forms(inputs, out_dir, period=None, *, clock, writer, progress)  -> forms.FormsOutcome
    write_tpp_list(inputs, out_dir, period, *, clock, writer, progress)    -> tpp_list.TppOutcome
    write_seller_forms(inputs, out_dir, period=None, *, clock, writer, progress) -> seller_forms.SellerFormsOutcome
    run_weekly(inputs, out_dir, *, as_of=None, clock, writer, progress) -> weekly.WeeklyOutcome
    run_scheduled_week(inputs, out_dir, slot, *, clock, writer, mail_settings) -> ScheduledRun
    send_pending_mail(out_dir, mail_settings, *, clock, writer)         -> ScheduledRun (its `mails`)

`period=None` is the current month; `as_of=None` is the period's default day (`Period.default_as_of`).

A new use case follows the same pattern: compute with `calculate(...)` (outside
the lock: reading may take a while), then `with _lock(out_dir, writer):` call
the adapter that writes, and return a small frozen dataclass the entry points
render. Tests inject `clock=Clock.fixed(day_or_moment)`.
"""
from __future__ import annotations

import datetime as dt
import gc
import os
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional, Sequence, Union

from jikubata.adapters.clock import SYSTEM, Clock
from jikubata.adapters.reader import read_inputs, read_sheets
from jikubata.domain import correspondence as cor, indonesian, validation
from jikubata.domain import model as domain
from jikubata.domain.errors import BusyError, InputError
from jikubata.domain.model import Dataset, Period, Result

if TYPE_CHECKING:
    from jikubata.adapters import forms, history, letters, mail, seller_forms, tpp_list, weekly

# The writing adapters (xlsxwriter, docxtpl, filelock, smtplib…) are imported by the use cases that
# need them, so `periksa` and `hitung` start without them.

Progress = Optional[Callable[[str], None]]

# How long a run waits for another run (the schedule, a button, a command) writing into the same folder.
LOCK_WAIT_SECONDS = 120.0


@dataclass(frozen=True)
class Sheets:
    """Workbooks already in memory (the Excel buttons): `(file_name, {sheet_name: rows from A1})`, and
    `folders` whose spreadsheets are read with them (the returned forms beside the workbook)."""

    sources: Sequence[tuple[str, dict]]
    folders: Sequence[Path] = ()


Inputs = Union[Sequence[Union[str, os.PathLike]], Sheets]


@dataclass(frozen=True)
class Writer:
    """Who writes into an output folder, and how long it waits when another run holds it.

    `command` is shown to a run that has to wait for this one (default: the
    process's command line); `on_wait(message)` is told once, in Indonesian,
    when this run has to wait; `wait` is in seconds (0: do not wait; None:
    `LOCK_WAIT_SECONDS`, the policy of every interactive run).
    """

    command: Optional[str] = None
    on_wait: Optional[Callable[[str], None]] = None
    wait: Optional[float] = None


@contextmanager
def _lock(out_dir: Path, writer: Optional[Writer]):
    """The output folder's lock: every service that writes takes it exactly once, here.

    Whatever cannot be written inside the folder (the folder itself, a file
    open in Excel) ends here as one Indonesian line (InputError: exit 2); a full
    disk met anywhere (a file, the register, the history) is one `DiskFullError`
    naming the folder (exit 2), never a success or a traceback.
    """
    from jikubata.adapters import atomic, disk, locking

    writer = writer or Writer()
    wait = LOCK_WAIT_SECONDS if writer.wait is None else writer.wait
    try:
        with disk.disk_full_is_clear(out_dir):
            with locking.output_lock(out_dir, wait=wait, command=writer.command, on_wait=writer.on_wait):
                yield
    except disk.DiskFullError:
        raise
    except (OSError, InputError) as exc:
        cause = atomic.written_under(exc, out_dir)
        if cause is None:
            raise
        raise atomic.unwritable(cause, out_dir) from None


# ---------------------------------------------------------------- check and calculate


def check(inputs: Inputs, *, clock: Clock = SYSTEM, progress: Progress = None) -> Dataset:
    """Read and validate every input; raise InputError for an unusable one."""
    with collector_paused():
        if isinstance(inputs, Sheets) and inputs.folders:
            raw = read_inputs(inputs.folders, progress=progress, memory=inputs.sources)
        elif isinstance(inputs, Sheets):
            raw = read_sheets(inputs.sources)
        else:
            raw = read_inputs(inputs, progress=progress)
        return validation.validate(raw, clock.today())


@contextmanager
def collector_paused():
    """Python's cycle collector off while the inputs are read and checked.

    At city scale reading makes hundreds of thousands of rows and records,
    none of them in a reference cycle (reference counting frees them all);
    the collector would still walk them again and again as they pile up,
    which cost about half of the reading time. It is switched back on
    afterwards unless it was off already (a command that only reads and
    computes keeps it off to its end: `entrypoints.cli`).
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def calculate(inputs: Inputs, period: Optional[Period] = None, as_of: Optional[dt.date] = None, *,
              clock: Clock = SYSTEM, progress: Progress = None) -> Result:
    """Check the inputs and compute the period's shortfalls as of `as_of`."""
    today = clock.today()
    period = period or Period.of(today)
    check_period(period, as_of, today)
    dataset = check(inputs, clock=clock, progress=progress)
    return compute(dataset, period, as_of, today)


def compute(dataset: Dataset, period: Period, as_of: Optional[dt.date], today: dt.date) -> Result:
    """The period's result as of `as_of` (default: `Period.default_as_of`); a month finished by `today` also
    counts each short person's months short in a row (`bulan_berturut`)."""
    return domain.compute(dataset, period, as_of or period.default_as_of(today), finished=period < Period.of(today))


def check_period(period: Period, as_of: Optional[dt.date], today: dt.date) -> None:
    """Refuse a period after the current month or before the programme, or an as-of day outside
    the period or after today (InputError: exit 2). The rule is the domain's; `today` is the clock's."""
    why = domain.period_refusal(period, as_of, today)
    if why:
        raise InputError(why)


# ---------------------------------------------------------------- the summary workbook


@dataclass(frozen=True)
class SummaryOutcome:
    result: Result
    path: Path

    def summary_text(self) -> str:
        from jikubata.adapters import summary

        return summary.outcome_text(self.result, self.path)


def write_summary(inputs: Inputs, out_dir: os.PathLike | str, period: Optional[Period] = None,
                  as_of: Optional[dt.date] = None, *, clock: Clock = SYSTEM, writer: Optional[Writer] = None,
                  progress: Progress = None) -> SummaryOutcome:
    """Compute, then write `Rekap-Jiku-Bata-YYYY-MM.xlsx` into `out_dir` (README: Isi workbook rekap)."""
    from jikubata.adapters import summary

    result = calculate(inputs, period, as_of, clock=clock, progress=progress)
    out_dir = Path(out_dir)
    with _lock(out_dir, writer):
        path = summary.write_summary(result, out_dir)
    return SummaryOutcome(result, Path(path))


# ---------------------------------------------------------------- the yearly recap


def calculate_year(inputs: Inputs, year: int, as_of: Optional[dt.date] = None, *,
                   clock: Clock = SYSTEM, progress: Progress = None) -> domain.YearResult:
    """Check the inputs once; compute every month of `year` begun by `as_of` (default: today, or 31 December).

    The year is the monthly `compute` put together (`domain.compute_year`), never a second set of rules.
    """
    today = clock.today()
    if year > today.year:
        raise InputError(f"tahun {year} belum dimulai")
    if as_of is not None and as_of.year != year:
        raise InputError(f"tanggal {indonesian.long_date(as_of)} tidak berada pada tahun {year}")
    if year < domain.PROGRAM_START.year:
        raise InputError(f"tahun {year} sebelum program Jiku Bata dimulai ({domain.PROGRAM_START.year})")
    if as_of is not None:
        check_period(Period.of(as_of), as_of, today)
    dataset = check(inputs, clock=clock, progress=progress)
    return domain.compute_year(dataset, year, as_of or min(dt.date(year, 12, 31), today))


@dataclass(frozen=True)
class YearSummaryOutcome:
    year: domain.YearResult
    path: Path

    def summary_text(self) -> str:
        from jikubata.adapters import summary

        return summary.year_outcome_text(self.year, self.path)


def write_year_summary(inputs: Inputs, out_dir: os.PathLike | str, year: int, as_of: Optional[dt.date] = None,
                       *, clock: Clock = SYSTEM, writer: Optional[Writer] = None,
                       progress: Progress = None) -> YearSummaryOutcome:
    """Compute the year, then write `Rekap-Jiku-Bata-TTTT.xlsx` into `out_dir`."""
    from jikubata.adapters import summary

    result = calculate_year(inputs, year, as_of, clock=clock, progress=progress)
    out_dir = Path(out_dir)
    with _lock(out_dir, writer):
        path = summary.write_year_summary(result, out_dir)
    return YearSummaryOutcome(result, Path(path))


# ---------------------------------------------------------------- reminder letters


@dataclass(frozen=True)
class LettersWritten:
    result: Result
    letters: letters.LettersOutcome

    def summary_text(self) -> str:
        return self.letters.summary_text()

    @property
    def mail_held_back(self) -> bool:
        """`--kirim` left a letter's email pending (retried by the next run): the CLI exits 4."""
        return any(x.delivery_status.startswith("tertunda") for x in self.letters.letters)


def write_letters(inputs: Inputs, out_dir: os.PathLike | str, period: Optional[Period] = None,
                  as_of: Optional[dt.date] = None, *, pdf: bool = False, clock: Clock = SYSTEM,
                  writer: Optional[Writer] = None, progress: Progress = None, send: bool = False,
                  dry_run: bool = False, mail_settings: Optional[mail.MailSettings] = None) -> LettersWritten:
    """Compute, then write the period's letters, register rows and index into `out_dir` (README: Surat)."""
    from jikubata.adapters import history, letters

    if send and not dry_run and mail_settings is None:
        raise InputError("surat tidak dapat dikirim: pengaturan SMTP belum ada (isi bagian [email] di berkas "
                         "konfigurasi jadwal dan sebutkan dengan --konfigurasi)")
    today = clock.today()
    if period is None:
        # The letter buttons with an empty period: the month whose letters may be written today.
        dataset = check(inputs, clock=clock, progress=progress)
        period = cor.default_letter_period(today, dataset.settings)
        check_period(period, as_of, today)
        result = compute(dataset, period, as_of, today)
    else:
        result = calculate(inputs, period, as_of, clock=clock, progress=progress)
    mode = letter_mode(result, today)
    if (send or dry_run) and letters.is_draft(result.settings):
        raise InputError(f"surat tidak dikirim: surat masih {cor.DRAFT_MARK} karena "
                         f"{', '.join(cor.missing_signature_fields(result.settings))} di lembar Pengaturan belum "
                         f"diisi. Lengkapi, lalu jalankan lagi dengan --kirim; surat KONSEP tidak pernah dikirim.")
    out_dir = Path(out_dir)
    if dry_run:  # --coba writes nothing: it lists what a --kirim would send
        outcome = letters.preview_letters(result, out_dir, mode=mode, today=today)
        deliver_letters(result, outcome, out_dir, mail_settings, clock=clock, dry_run=True)
        return LettersWritten(result, outcome)
    with _lock(out_dir, writer):
        outcome = letters.write_letters(result, out_dir, mode=mode, pdf=pdf or send, today=today,
                                        is_sent=_sent_letters(out_dir))
        if send:
            deliver_letters(result, outcome, out_dir, mail_settings, clock=clock)
        elif (out_dir / history.DB_NAME).is_file():  # an earlier --kirim
            show_delivery(outcome, out_dir)
    return LettersWritten(result, outcome)


def mark_letters_delivered(out_dir: os.PathLike | str, numbers: Sequence[str], *, clock: Clock = SYSTEM,
                           writer: Optional[Writer] = None) -> str:
    """Record that numbered letters were handed over on paper (README: Surat): `terkirim` in the register.

    All or nothing: an unknown or cancelled number is an InputError (exit 2) and nothing is marked. Returns
    the summary, in Indonesian."""
    from jikubata.adapters import history, letters, register as reg

    out_dir = Path(out_dir)
    numbers = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    if not numbers:
        raise InputError("sebutkan nomor surat yang sudah diserahkan, misalnya "
                         "jikubata tandai-terkirim \"500.2/3/DISPERINDAG/XII/2026\" --keluaran hasil")
    if not (out_dir / reg.REGISTER_FILE).is_file():
        raise InputError(f"tidak ada register surat ({reg.REGISTER_FILE}) di folder {out_dir}: sebutkan folder "
                         f"keluaran yang dipakai 'jikubata surat'")
    with _lock(out_dir, writer):
        with reg.Register(out_dir, clock=clock) as register:
            before = register.mark_delivered(numbers)
        marked_all = all(status in reg.LIVE for status in before.values())  # the register marked them
        if marked_all and (out_dir / history.DB_NAME).is_file():
            outbox = history.History(out_dir)  # an e-mail of it still waiting is not sent any more
            for number in numbers:
                outbox.withdraw_mail(letters.number_mail_key(number))
    unknown = [n for n, status in before.items() if status is None]
    dead = [f"{n} ({status})" for n, status in before.items() if status in (reg.CANCELLED, reg.REPLACED)]
    unfinished = [n for n, status in before.items() if status == reg.PENDING]
    if not marked_all:
        why = []
        if unknown:
            why.append(f"tidak ada surat bernomor {', '.join(unknown)} di register {out_dir}")
        if dead:
            why.append(f"surat {', '.join(dead)} tidak berlaku lagi")
        if unfinished:
            why.append(f"surat {', '.join(unfinished)} belum selesai ditulis (jalan sebelumnya terhenti): jalankan "
                       f"lagi 'jikubata surat' dulu")
        raise InputError("; ".join(why) + ". Tidak ada surat yang ditandai; periksa nomornya di Daftar Surat.")
    marked = [n for n, status in before.items() if status == reg.WRITTEN]
    already = [n for n, status in before.items() if status == reg.SENT]
    lines = []
    if marked:
        lines.append(f"{len(marked)} surat ditandai terkirim (diserahkan langsung): {', '.join(marked)}.")
    if already:
        lines.append(f"Sudah tercatat terkirim sebelumnya: {', '.join(already)}.")
    lines.append("Bila angkanya kemudian berubah, surat ini tidak dibatalkan: 'jikubata surat' menulis surat baru "
                 "yang menggantikannya. Daftar Surat menunjukkan statusnya sesudah 'jikubata surat' dijalankan lagi.")
    return "\n".join(lines)


def letter_mode(result: Result, today: dt.date) -> cor.Mode:
    """The kind of letter today allows about `result`'s month; InputError (exit 2) when none may be written,
    or when no purchase at all was read for the month (letters are never written about missing data)."""
    mode, why = cor.letter_mode(result.period, today, result.settings)
    if mode is None:
        raise InputError(why)
    if not domain.month_has_data(result):
        raise InputError(f"tidak ada data belanja untuk {indonesian.month_year(result.period.year, result.period.month)}"
                         f"; periksa folder masukan")
    return mode


def _sent_letters(out_dir: Path) -> Optional[Callable[[str], bool]]:
    """Whether the outbox sent (or began to send) a letter, by its number; None without an outbox."""
    from jikubata.adapters import history

    if not (out_dir / history.DB_NAME).is_file():
        return None
    db = history.History(out_dir)
    gone = {history.SENT, history.SENDING}   # `mengirim`: it may have been delivered; never cancel it

    def is_sent(number: str) -> bool:
        return db.delivery(f"surat:{number}")[0] in gone
    return is_sent


def deliver_letters(result: Result, outcome: letters.LettersOutcome, out_dir: Path,
                    mail_settings: Optional[mail.MailSettings], *, clock: Clock = SYSTEM,
                    dry_run: bool = False) -> None:
    """E-mail each letter's PDF to its recipient through the weekly job's outbox (issues 12, 18, 20).

    Each letter is kept in the outbox under its number: a letter already
    `terkirim` is never sent again; a failed send stays `tertunda` and is
    retried by the next run (or the schedule). A letter left `mengirim` by a
    killed run is sent again as the very same message (same Message-ID): it may
    have arrived, and a copy is better than a letter lost. An address that is
    not well-formed (email-validator, no DNS) gets nothing. With `dry_run`,
    nothing is queued or sent: each letter says where it would go. The index is
    rewritten with every letter's status.
    """
    from jikubata.adapters import history, letters, mail, register

    if not dry_run and mail_settings is None:
        raise InputError("surat tidak dapat dikirim: pengaturan SMTP tidak ada (isi bagian [email] di berkas "
                         "konfigurasi jadwal dan sebutkan dengan --konfigurasi)")
    # `--coba` writes nothing: without an outbox yet, nothing was sent.
    db = history.History(out_dir) if not dry_run or (out_dir / history.DB_NAME).is_file() else None
    done, sent_now, resent = [], [], []
    for x in outcome.letters:
        kept = db.mail(letters.mail_key(x)) if db else None
        address = x.email.strip()
        if x.status == register.SENT and (kept is None or kept.status == history.PENDING):
            # Handed over on paper (`jikubata tandai-terkirim`): never e-mailed as well.
            done.append(replace(x, delivery_status=letters.HANDED_OVER))
        elif kept is not None and kept.status == history.SENT:
            status, sent, _ = db.delivery(letters.mail_key(x))
            done.append(replace(x, delivery_status=f"terkirim {_when(sent)}"))
        elif kept is not None and kept.status == history.SENDING and not dry_run:
            # Interrupted mid-send: the same bytes again, so a second copy carries the same Message-ID.
            error = _send_kept(db, mail_settings, kept.id, kept.message, kept.recipients, clock)
            if error:
                done.append(replace(x, delivery_status=f"tertunda {error}"))
            else:
                sent_now.append(x.number)
                resent.append(x.number)
                done.append(replace(x, delivery_status=f"terkirim {_when(clock.now().isoformat())}"))
        elif not address:
            done.append(replace(x, delivery_status="tanpa alamat"))
        elif not mail.looks_like_address(address):
            done.append(replace(x, delivery_status=f"{letters.INVALID_ADDRESS}: {address}"))
        elif dry_run:
            done.append(replace(x, delivery_status=f"akan dikirim ke {address}"))
        elif x.pdf_path is None:
            done.append(replace(x, delivery_status="tertunda PDF belum dibuat"))
        else:
            text, html = letters.mail_body(x, result.settings)
            message = mail.build_message(mail_settings, subject=letters.mail_subject(x), recipients=[address],
                                         text=text, html=html, attachments=[x.pdf_path],
                                         identity=letters.mail_key(x))
            data = message.as_bytes()
            mail_id = db.queue_mail(letters.mail_key(x), letters.mail_subject(x), [address], data, clock.now())
            error = _send_kept(db, mail_settings, mail_id, data, [address], clock)
            if error:
                done.append(replace(x, delivery_status=f"tertunda {error}"))
            else:
                sent_now.append(x.number)
                done.append(replace(x, delivery_status=f"terkirim {_when(clock.now().isoformat())}"))
    outcome.letters = done
    if not dry_run and outcome.register_path:
        sent = [x.number for x in done if x.delivery_status.startswith("terkirim")]
        with register.Register(out_dir, clock) as reg_db:
            reg_db.mark_sent(sent)
        outcome.letters = [replace(x, status=register.SENT) if x.number in sent and x.status == register.WRITTEN
                           else x for x in done]
        by_number = {x.number: x for x in outcome.letters}
        outcome.numbers = [by_number.get(x.number, x) for x in outcome.numbers]
    outcome.delivery_dry_run = dry_run
    outcome.sent_now, outcome.resent = tuple(sent_now), tuple(resent)
    if outcome.index_path:
        letters.write_index(outcome, outcome.index_path)


def _send_kept(db: history.History, settings: mail.MailSettings, mail_id: int, message: bytes,
               recipients: Sequence[str], clock: Clock) -> Optional[str]:
    """Send one outbox message: `mengirim` before the SMTP exchange, `terkirim` after; the error, or None."""
    from jikubata.adapters import mail

    db.mark_sending(mail_id)
    try:
        mail.send(settings, message, recipients)
    except mail.MailError as exc:
        db.mark_failed(mail_id, str(exc))
        return str(exc)
    db.mark_sent(mail_id, clock.now())
    return None


def show_delivery(outcome: letters.LettersOutcome, out_dir: Path) -> None:
    """Without `--kirim`: the index still shows what earlier runs delivered or left pending."""
    from jikubata.adapters import history, letters, register

    db = history.History(out_dir)
    shown = []
    for x in outcome.letters:
        status, sent, error = db.delivery(letters.mail_key(x))
        if status == history.SENT:
            x = replace(x, delivery_status=f"terkirim {_when(sent)}")
        elif status == history.SENDING:
            x = replace(x, delivery_status="tertunda pengiriman terputus; dikirim ulang pada --kirim berikutnya")
        elif status == history.PENDING:
            x = replace(x, delivery_status=f"tertunda {error or 'belum dikirim'}")
        elif x.status == register.SENT:  # sent, and never through the outbox: handed over on paper
            x = replace(x, delivery_status=letters.HANDED_OVER)
        shown.append(x)
    if any(x.delivery_status for x in shown):
        outcome.letters = shown
        if outcome.index_path:
            letters.write_index(outcome, outcome.index_path)


def _when(iso: Optional[str]) -> str:
    """`2026-11-28T09:15:00+09:00` → `28 November 2026 09.15`."""
    if not iso:
        return ""
    moment = dt.datetime.fromisoformat(iso)
    return f"{indonesian.long_date(moment.date())} {moment:%H.%M}"


# ---------------------------------------------------------------- the TPP list for BKPSDM


def write_tpp_list(inputs: Inputs, out_dir: os.PathLike | str, period: Period, *, clock: Clock = SYSTEM,
                   writer: Optional[Writer] = None, progress: Progress = None) -> tpp_list.TppOutcome:
    """Compute a finished month, then write `Daftar-TPP-Jiku-Bata-TTTT-BB.xlsx` and `.csv` into `out_dir`
    (README: Kekurangan berulang dan daftar TPP). A running month has no final verdict and no run of months: InputError (exit 2)."""
    from jikubata.adapters import tpp_list

    today = clock.today()
    check_period(period, None, today)
    if not period < Period.of(today):
        label = indonesian.month_year(period.year, period.month)
        raise InputError(f"periode {period} ({label}) masih berjalan: daftar TPP hanya untuk bulan yang sudah "
                         f"selesai; pilih {Period.of(today).previous()} atau sebelumnya")
    result = calculate(inputs, period, clock=clock, progress=progress)
    if not domain.month_has_data(result):
        raise InputError(f"tidak ada data belanja untuk {indonesian.month_year(period.year, period.month)}; "
                         f"periksa folder masukan")
    out_dir = Path(out_dir)
    with _lock(out_dir, writer):
        return tpp_list.write_tpp_list(result, out_dir)


# ---------------------------------------------------------------- entry forms


def write_forms(inputs: Inputs, out_dir: os.PathLike | str, period: Optional[Period] = None, *,
                clock: Clock = SYSTEM, writer: Optional[Writer] = None,
                progress: Progress = None) -> forms.FormsOutcome:
    """Check the roster, OPD and UMKM sheets, then write one entry form per OPD into `out_dir` (README: Formulir isian OPD)."""
    from jikubata.adapters import forms

    dataset = check(inputs, clock=clock, progress=progress)
    period = period or Period.of(clock.today())
    out_dir = Path(out_dir)
    with _lock(out_dir, writer):
        return forms.write_forms(dataset, period, out_dir, clock.now().replace(microsecond=0))


def write_seller_forms(inputs: Inputs, out_dir: os.PathLike | str, period: Optional[Period] = None, *,
                       clock: Clock = SYSTEM, writer: Optional[Writer] = None,
                       progress: Progress = None) -> seller_forms.SellerFormsOutcome:
    """Check the inputs, then write one sales-book form per registered UMKM into `out_dir` (README: Rekonsiliasi)."""
    from jikubata.adapters import seller_forms

    dataset = check(inputs, clock=clock, progress=progress)
    period = period or Period.of(clock.today())
    out_dir = Path(out_dir)
    with _lock(out_dir, writer):
        return seller_forms.write_seller_forms(dataset, period, out_dir, clock.now().replace(microsecond=0))


# ---------------------------------------------------------------- the weekly summary


TREND_WEEKS = 12          # weeks shown in the Tren sheet, this one included


def last_full_week_end(now: dt.datetime) -> dt.date:
    """The Sunday that ended the last full Monday–Sunday week before `now` (aware), in Ambon.

    On a Sunday the week is not over yet, so that gives the Sunday before.
    """
    today = Clock.fixed(now).today()
    return today - dt.timedelta(days=today.weekday() + 1)


def run_weekly(inputs: Inputs, out_dir: os.PathLike | str, *, as_of: Optional[dt.date] = None,
               clock: Clock = SYSTEM, writer: Optional[Writer] = None,
               progress: Progress = None) -> weekly.WeeklyOutcome:
    """Write the weekly summary of the week containing D into `out_dir/mingguan/YYYY-Www/` (README: Rekap mingguan terjadwal).

    D is `as_of`, or the end of the last full week before now. Inputs are
    only read. The week's snapshot is recorded in the history last.
    """
    out_dir = Path(out_dir)
    writer = writer or Writer()
    # Waiting is said even without progress lines (cron, systemd): else it looks hung.
    writer = Writer(writer.command, writer.on_wait or progress or _tell_stderr, writer.wait)
    with _lock(out_dir, writer):
        return write_week(inputs, out_dir, as_of=as_of, clock=clock, progress=progress)


def write_week(inputs: Inputs, out_dir: Path, *, as_of: Optional[dt.date] = None, clock: Clock = SYSTEM,
               progress: Progress = None) -> weekly.WeeklyOutcome:
    """`run_weekly` for a caller that already holds the lock of `out_dir` (the schedule)."""
    from jikubata.adapters import history, summary, weekly
    from jikubata.adapters.atomic import write_bytes_atomic

    now = clock.now()
    day = as_of or last_full_week_end(now)
    if day > now.date():
        raise InputError(f"tanggal per {indonesian.long_date(day)} belum terjadi (hari ini "
                         f"{indonesian.long_date(now.date())}): rekap mingguan hanya untuk hari yang sudah lewat")
    week = history.week_key(day)
    folder = out_dir / "mingguan" / week
    if not isinstance(inputs, Sheets):
        _refuse_inputs_inside(inputs, folder)
    say = progress or (lambda _msg: None)

    say(f"Rekap mingguan {week}: menghitung per {indonesian.long_date(day)}")
    result = calculate(inputs, Period.of(day), day, clock=clock, progress=progress)
    db = history.History(out_dir)
    earlier = db.snapshots(before=week, limit_weeks=TREND_WEEKS - 1)
    previous_week = earlier[-1].week if earlier else None
    report = weekly.WeeklyReport(week, result, previous_week, [s for s in earlier if s.week == previous_week])

    say("Menulis workbook rekap dengan lembar Tren")
    trend = weekly.trend(earlier) + summary.trend_points(result, week)
    workbook = Path(summary.write_summary(result, folder, trend=trend))

    say("Menulis isi surel")
    subject = weekly.subject_for(week, day)
    html = weekly.render_email(report, subject=subject, attachment_name=workbook.name)
    email_path = folder / weekly.EMAIL_FILE
    write_bytes_atomic(email_path, html.encode("utf-8"))

    # Last: a run killed before this point leaves last week's history as it was.
    db.save_snapshot(week, result, recorded_at=now)
    say(f"Rekap mingguan {week} selesai")
    return weekly.WeeklyOutcome(week, day, folder, workbook, email_path, subject, report)


def _tell_stderr(message: str) -> None:
    import sys

    print(message, file=sys.stderr, flush=True)


def _refuse_inputs_inside(paths: Sequence[str | os.PathLike], folder: Path) -> None:
    """Outputs are never written over an input: refuse an input inside the week's folder."""
    target = folder.resolve()
    for p in paths:
        resolved = Path(p).resolve()
        if resolved == target or target in resolved.parents:
            raise InputError(f"berkas masukan '{p}' berada di folder keluaran '{folder}': pindahkan masukan "
                             f"atau pilih folder keluaran lain")


# ---------------------------------------------------------------- the scheduled weekly run


@dataclass(frozen=True)
class MailAttempt:
    mail: history.Mail
    error: Optional[str] = None       # None: sent
    resent: bool = False              # sent again after a run was interrupted mid-send (same Message-ID)


@dataclass
class ScheduledRun:
    """What one scheduled run did, for the schedule's log (`slot` None: only pending emails were sent)."""

    slot: Optional[dt.datetime]
    weekly: Optional[weekly.WeeklyOutcome] = None
    error: Optional[BaseException] = None         # the weekly run failed (it is recorded as failed)
    no_recipients: bool = False                    # the email was not made: nobody to send it to
    pending_without_settings: int = 0              # emails waiting while [email] is missing
    mails: list[MailAttempt] = field(default_factory=list)

    @property
    def mail_pending(self) -> bool:
        return self.pending_without_settings > 0 or any(a.error for a in self.mails)


WeekWriter = Callable[..., "weekly.WeeklyOutcome"]


def run_scheduled_week(inputs: Sequence[str | os.PathLike], out_dir: os.PathLike | str, slot: dt.datetime, *,
                       clock: Clock = SYSTEM, writer: Optional[Writer] = None,
                       mail_settings: Optional[mail.MailSettings] = None,
                       write: WeekWriter = write_week) -> ScheduledRun:
    """The schedule's run for `slot`: the weekly summary, its email queued, then every pending email sent.

    All under one hold of the folder's lock, so the recorded runs never
    overlap. A failing weekly run is recorded and returned in `error`, not
    raised; `BusyError` (the folder stayed busy) and a failing history are raised.
    """
    from jikubata.adapters import disk, history

    out_dir = Path(out_dir)
    run = ScheduledRun(slot)
    with _lock(out_dir, writer):
        db = history.History(out_dir)
        run_id = db.start_run(slot, clock.now())   # taken inside the lock: the recorded runs never overlap
        try:
            with disk.disk_full_is_clear(out_dir):
                run.weekly = write(list(inputs), out_dir, clock=clock)
        except Exception as exc:
            run.error = exc
            message = str(exc) if isinstance(exc, (InputError, BusyError)) else \
                f"galat tak terduga ({type(exc).__name__}): {exc}"
            db.finish_run(run_id, clock.now(), False, None, message)
        else:
            run.no_recipients = not _queue_mail(db, run.weekly, mail_settings, clock)
            db.finish_run(run_id, clock.now(), True, run.weekly.week, run.weekly.summary_text())
        _send_pending(db, mail_settings, clock, run)
    return run


def _queue_mail(db: history.History, outcome: weekly.WeeklyOutcome, settings: Optional[mail.MailSettings],
                clock: Clock) -> bool:
    """Keep the week's email until it is sent; False when it has no recipients."""
    from jikubata.adapters import mail

    if settings is None:
        return True
    recipients = list(settings.recipients) or list(outcome.result.settings.report_recipients)
    if not recipients:
        return False
    message = mail.build_message(settings, subject=outcome.subject, recipients=recipients,
                                 text=outcome.plain_text(), html=outcome.email_html.read_text(encoding="utf-8"),
                                 attachments=[outcome.workbook], identity=f"mingguan:{outcome.week}")
    db.queue_mail(outcome.week, outcome.subject, recipients, message.as_bytes(), clock.now())
    return True


def send_pending_mail(out_dir: os.PathLike | str, mail_settings: Optional[mail.MailSettings], *,
                      clock: Clock = SYSTEM, writer: Optional[Writer] = None) -> ScheduledRun:
    """Send every pending weekly email, oldest first (the schedule's retry between runs)."""
    from jikubata.adapters import history

    out_dir = Path(out_dir)
    run = ScheduledRun(None)
    with _lock(out_dir, writer):
        _send_pending(history.History(out_dir), mail_settings, clock, run)
    return run


def _send_pending(db: history.History, settings: Optional[mail.MailSettings], clock: Clock,
                  run: ScheduledRun) -> None:
    from jikubata.adapters import history

    pending = db.pending_mails()
    if not pending:
        return
    if settings is None:
        run.pending_without_settings = len(pending)
        return
    for m in pending:
        # A message left `mengirim` by a killed run goes again as it is: same bytes, same Message-ID.
        error = _send_kept(db, settings, m.id, m.message, m.recipients, clock)
        run.mails.append(MailAttempt(m, error, resent=m.status == history.SENDING))
