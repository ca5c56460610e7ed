"""`jikubata jadwal`: the weekly summary on a schedule, from a TOML file.

    scheduler.every().monday.at("07:00").do(job)

around that one line, what a server needs:

- a failing run is logged with its reason and the schedule goes on;
- two runs never overlap (the output-folder lock, also against `mingguan`,
  `surat` and the Excel buttons);
- a run missed while the machine was off is made up at start: the last
  successful run is recorded in the history (SQLite) with the scheduled time
  it was for, and compared with the most recent scheduled time; a failed or
  skipped run is tried again every `retry_minutes` until it succeeds;
- each weekly email is kept until it is sent; a failed send is retried;
- logs go to `jikubata-jadwal.log` (rotating) in the output folder, in
  Indonesian, and to stderr (systemd's journal, cron's mail).

`schedule` keeps the job and runs it when due, but the job asks our `Clock`
what time it is (`_ClockScheduler`), so tests inject a clock and drive weeks
of schedule without sleeping, and nothing is patched at run time. The run
itself is `services.run_scheduled_week`; this module only turns its outcome
into log lines and an exit status.

Exit status of `--sekali` (for cron and Windows Task Scheduler):
0 done (and the email sent, if configured) · 1 unexpected error (see the log) ·
2 unusable configuration or input · 3 the output folder stayed busy ·
4 the summary was written but the email is still pending (retried next run).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import logging.handlers
import os
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import schedule

from jikubata import services
from jikubata.adapters import mail
from jikubata.adapters.clock import SYSTEM, TIME_ZONE_NAME, Clock
from jikubata.domain.errors import BusyError, InputError
from jikubata.domain.indonesian import timestamp
from jikubata.adapters.history import History

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_INPUT = 2
EXIT_BUSY = 3
EXIT_MAIL_PENDING = 4

LOG_NAME = "jikubata-jadwal.log"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 5

DAYS = {
    "senin": "monday", "selasa": "tuesday", "rabu": "wednesday", "kamis": "thursday",
    "jumat": "friday", "jum'at": "friday", "sabtu": "saturday", "minggu": "sunday", "ahad": "sunday",
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_LABELS = dict(zip(WEEKDAYS, ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")))
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


# ---------------------------------------------------------------- configuration


@dataclass(frozen=True)
class Config:
    source: Path
    inputs: tuple[Path, ...]
    output: Path
    day: str = "monday"                 # schedule's weekday name
    time: str = "07:00"
    timezone: str = TIME_ZONE_NAME
    lock_wait_minutes: float = 60.0
    retry_minutes: float = 60.0
    email: Optional[mail.MailSettings] = None

    @property
    def at_time(self) -> dt.time:
        return dt.time.fromisoformat(self.time)

    def describe(self) -> str:
        return f"setiap {DAY_LABELS[self.day]} pukul {self.time} ({self.timezone})"


_TOP_KEYS = {"inputs", "output", "day", "time", "timezone", "lock_wait_minutes", "retry_minutes", "email"}
_MAIL_KEYS = {"host", "port", "security", "user", "password_env", "from", "to", "timeout"}


def load_config(path: os.PathLike | str) -> Config:
    """Read and check the TOML file; raise InputError naming the file and the key at fault.

    Relative paths are taken from the configuration file's folder.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"berkas konfigurasi '{path}' tidak ditemukan") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"berkas konfigurasi '{path}' tidak dapat dibaca: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"berkas konfigurasi '{path}' bukan TOML yang sah: {exc}") from None

    def bad(key: str, why: str) -> InputError:
        return InputError(f"{path}: '{key}' {why}")

    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise bad(unknown[0], "tidak dikenal (kunci yang dikenal: " + ", ".join(sorted(_TOP_KEYS)) + ")")
    base = path.resolve().parent

    inputs = data.get("inputs")
    if isinstance(inputs, str):
        inputs = [inputs]
    if not inputs or not isinstance(inputs, list) or not all(isinstance(p, str) and p.strip() for p in inputs):
        raise bad("inputs", "wajib diisi: daftar berkas atau folder masukan, misalnya [\"/srv/jikubata/masukan\"]")
    output = data.get("output")
    if not isinstance(output, str) or not output.strip():
        raise bad("output", "wajib diisi: folder keluaran, misalnya \"/srv/jikubata/keluaran\"")

    day_text = str(data.get("day", "senin")).strip().casefold()
    day = DAYS.get(day_text, day_text)
    if day not in WEEKDAYS:
        raise bad("day", f"= \"{data.get('day')}\" bukan nama hari (senin … minggu)")
    time_text = str(data.get("time", "07:00")).strip()
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", time_text):
        raise bad("time", f"= \"{time_text}\" tidak valid: gunakan JJ:MM, misalnya \"07:00\"")
    timezone = str(data.get("timezone", TIME_ZONE_NAME)).strip()
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise bad("timezone", f"= \"{timezone}\" bukan zona waktu yang dikenal (misalnya {TIME_ZONE_NAME})") from None

    numbers = {}
    for key in ("lock_wait_minutes", "retry_minutes"):
        value = data.get(key, 60)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise bad(key, "harus berupa angka menit, 0 atau lebih")
        numbers[key] = float(value)

    email = None
    if "email" in data:
        email = _mail_settings(data["email"], bad)
    return Config(path, tuple(_resolve(base, p) for p in inputs), _resolve(base, output), day, time_text,
                  timezone, numbers["lock_wait_minutes"], numbers["retry_minutes"], email)


def _mail_settings(section: object, bad: Callable[[str, str], InputError]) -> mail.MailSettings:
    if not isinstance(section, dict):
        raise bad("email", "harus berupa bagian [email]")
    if "password" in section:
        raise bad("email.password", "tidak boleh ada: kata sandi jangan disimpan di berkas; simpan di variabel "
                                    "lingkungan dan tulis namanya di password_env")
    unknown = sorted(set(section) - _MAIL_KEYS)
    if unknown:
        raise bad(f"email.{unknown[0]}", "tidak dikenal (kunci yang dikenal: " + ", ".join(sorted(_MAIL_KEYS)) + ")")
    host = section.get("host")
    if not isinstance(host, str) or not host.strip():
        raise bad("email.host", "wajib diisi: nama server SMTP")
    security = str(section.get("security", "starttls")).strip().lower()
    if security not in mail.SECURITY:
        raise bad("email.security", f"= \"{security}\" tidak dikenal: pilih \"starttls\", \"ssl\" atau \"none\"")
    port = section.get("port", DEFAULT_PORTS[security])
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise bad("email.port", "harus berupa nomor port 1–65535")
    to = section.get("to", [])
    if isinstance(to, str):
        to = [to]
    if not isinstance(to, list) or not all(isinstance(a, str) and "@" in a for a in to):
        raise bad("email.to", "harus berupa daftar alamat surel, misalnya [\"sekda@ambon.go.id\"]")
    user = str(section.get("user", "")).strip()
    sender = str(section.get("from", "") or user).strip()
    if "@" not in sender:
        raise bad("email.from", "wajib diisi: alamat pengirim (atau isi user dengan alamat surel)")
    password_env = str(section.get("password_env", "")).strip()
    if user and not password_env:
        raise bad("email.password_env", "wajib diisi bila user diisi: nama variabel lingkungan berisi kata sandi")
    timeout = section.get("timeout", 60)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise bad("email.timeout", "harus berupa angka detik lebih dari 0")
    return mail.MailSettings(host.strip(), port, security, user, password_env, sender,
                             tuple(a.strip() for a in to), float(timeout))


def _resolve(base: Path, text: str) -> Path:
    p = Path(os.path.expandvars(os.path.expanduser(text.strip())))
    return p if p.is_absolute() else base / p


# ---------------------------------------------------------------- the clock


class _ClockScheduler(schedule.Scheduler):
    """A `schedule.Scheduler` whose jobs ask `clock` the time (`schedule` itself asks the system clock).

    Its weekly job is due at `next_slot()`, the one rule of `WeeklySchedule`
    for when a run is due; `next_run` stays naive local time, as `schedule` keeps it.
    """

    def __init__(self, clock: Clock, next_slot: Callable[[], dt.datetime]):
        super().__init__()
        self.clock = clock
        self.next_slot = next_slot

    def local_now(self) -> dt.datetime:
        return self.clock.now().astimezone().replace(tzinfo=None)

    def every(self, interval: int = 1) -> "_ClockJob":
        return _ClockJob(interval, self)

    @property
    def idle_seconds(self) -> Optional[float]:
        if not self.next_run:
            return None
        return (self.next_run - self.local_now()).total_seconds()


class _ClockJob(schedule.Job):
    scheduler: _ClockScheduler

    @property
    def should_run(self) -> bool:
        return self.scheduler.local_now() >= self.next_run

    def _schedule_next_run(self) -> None:
        self.next_run = self.scheduler.next_slot().astimezone().replace(tzinfo=None)


# ---------------------------------------------------------------- the schedule


class _Stop(BaseException):
    """SIGTERM (systemd stop, Task Scheduler end): leave the loop cleanly."""


class WeeklySchedule:
    """The weekly job of one configuration, kept by `schedule` and timed by `clock`."""

    def __init__(self, config: Config, *, logger: logging.Logger, clock: Clock = SYSTEM,
                 write_week: services.WeekWriter = services.write_week):
        self.config = config
        self.log = logger
        self.tz = ZoneInfo(config.timezone)
        self.clock = clock
        self.write_week = write_week
        self.history = History(config.output)
        self._attempts: dict[dt.datetime, dt.datetime] = {}   # slot -> when last tried, this process
        self._last_mail_try: Optional[dt.datetime] = None
        self.once = False  # set by main for --sekali: no retry in this process
        self._busy = False
        self._stop_requested = False
        self.scheduler = _ClockScheduler(clock, self.next_slot)
        # The day and time are the job's description; when it is due, `next_slot` says (in `config.timezone`).
        getattr(self.scheduler.every(), config.day).at(config.time).do(self.scheduled_run)

    def now(self) -> dt.datetime:
        return self.clock.now()

    # ---- times

    def most_recent_slot(self, at: Optional[dt.datetime] = None) -> dt.datetime:
        """The latest scheduled time at or before `at` (default now), in the schedule's time zone."""
        local = (at or self.now()).astimezone(self.tz)
        back = (local.weekday() - WEEKDAYS.index(self.config.day)) % 7
        slot = dt.datetime.combine(local.date() - dt.timedelta(days=back), self.config.at_time, tzinfo=self.tz)
        return slot - dt.timedelta(days=7) if slot > local else slot

    def next_slot(self) -> dt.datetime:
        return self.most_recent_slot() + dt.timedelta(days=7)

    def missed_slot(self) -> Optional[dt.datetime]:
        """The most recent scheduled time if no run has succeeded for it yet (and it is not being retried
        too soon after a failure in this process)."""
        slot = self.most_recent_slot()
        done = self.history.last_successful_slot()
        if done is not None and done >= slot:
            return None
        tried = self._attempts.get(slot)
        if tried is not None and self.now() - tried < dt.timedelta(minutes=self.config.retry_minutes):
            return None
        return slot

    # ---- running

    def scheduled_run(self) -> None:
        """What `schedule` calls at the scheduled time. Never raises: the schedule must go on."""
        self.run_once(self.most_recent_slot())

    def run_once(self, slot: dt.datetime) -> int:
        """One weekly run for `slot`, then the pending emails; returns an exit status (module doc)."""
        self._attempts[slot] = self.now()
        self.log.info("Rekap mingguan dimulai (jadwal %s).", timestamp(slot))
        writer = services.Writer(f"jikubata jadwal --konfigurasi {self.config.source}",
                                 on_wait=lambda msg: self.log.info("%s", msg),
                                 wait=self.config.lock_wait_minutes * 60)
        try:
            run = services.run_scheduled_week(self.config.inputs, self.config.output, slot, clock=self.clock,
                                              writer=writer, mail_settings=self.config.email,
                                              write=self.write_week)
        except BusyError as exc:
            self.log.error("Rekap mingguan dilewati: %s %s", exc, self._retry_note())
            return EXIT_BUSY
        except Exception as exc:  # the history or the output folder itself failed
            self.log.exception("Rekap mingguan gagal: %s (%s).", exc, type(exc).__name__)
            return EXIT_UNEXPECTED
        code = self._log_run(run)
        return code or self._log_mail(run)

    def _log_run(self, run: services.ScheduledRun) -> int:
        exc = run.error
        if exc is None:
            for line in run.weekly.summary_text().splitlines():
                self.log.info("%s", line)
            if run.no_recipients:
                self.log.warning("Surel %s tidak dibuat: tidak ada penerima (isi 'to' di bagian [email] atau "
                                 "'Email Penerima Rekap' di lembar Pengaturan).", run.weekly.week)
            return EXIT_OK
        if isinstance(exc, InputError):
            code = EXIT_INPUT
            self.log.error("Rekap mingguan gagal: %s", exc)
        elif isinstance(exc, BusyError):
            code = EXIT_BUSY
            self.log.error("Rekap mingguan gagal: %s", exc)
        else:
            code = EXIT_UNEXPECTED
            self.log.error("Rekap mingguan gagal: galat tak terduga (%s): %s", type(exc).__name__, exc,
                           exc_info=exc)
        self.log.info("%s", self._retry_note())
        return code

    def _log_mail(self, run: services.ScheduledRun) -> int:
        """Log what became of the pending emails; EXIT_MAIL_PENDING if one is still pending."""
        self._last_mail_try = self.now()
        if run.pending_without_settings:
            self.log.warning("%d surel tertunda tidak dikirim: bagian [email] tidak ada di konfigurasi.",
                             run.pending_without_settings)
        for attempt in run.mails:
            m = attempt.mail
            if attempt.error:
                self.log.error("Surel %s gagal dikirim (percobaan ke-%d): %s. Surel disimpan dan dikirim ulang "
                               "pada jalannya berikutnya.", m.week, m.attempts + 1, attempt.error)
            elif attempt.resent:
                self.log.info("Surel %s dikirim ulang ke %s setelah pengiriman sebelumnya terputus (Message-ID "
                              "sama; penerima dapat mengenalinya sebagai salinan).", m.week, ", ".join(m.recipients))
            else:
                self.log.info("Surel %s terkirim ke %s.", m.week, ", ".join(m.recipients))
        return EXIT_MAIL_PENDING if run.mail_pending else EXIT_OK

    def _retry_note(self) -> str:
        if self.once:
            return "Jalankan lagi setelah penyebabnya diperbaiki."
        return (f"Jadwal tetap berjalan: dicoba lagi dalam {self.config.retry_minutes:g} menit; "
                f"jadwal berikutnya {timestamp(self.next_slot())}.")

    def _mail_retry_due(self) -> bool:
        if self.config.email is None or self._last_mail_try is None:
            return False
        due = self.now() - self._last_mail_try >= dt.timedelta(minutes=self.config.retry_minutes)
        return due and bool(self.history.pending_mails())

    # ---- the loop

    def tick(self) -> None:
        """One look at the clock: run what is due, make up a missed run, retry pending emails."""
        self.scheduler.run_pending()
        missed = self.missed_slot()
        if missed is not None:
            self.log.info("Jadwal %s belum berhasil dijalankan; dijalankan sekarang.", timestamp(missed))
            self.run_once(missed)
        elif self._mail_retry_due():
            try:
                run = services.send_pending_mail(self.config.output, self.config.email, clock=self.clock,
                                                 writer=services.Writer(wait=0))
            except BusyError:
                pass  # the run holding the folder sends them itself
            else:
                self._log_mail(run)

    def wait_seconds(self) -> float:
        """How long to sleep before the next tick: until the next run, at most a minute."""
        idle = self.scheduler.idle_seconds
        return 60.0 if idle is None else min(60.0, max(1.0, idle))

    def loop(self, sleep: Callable[[float], None] = time.sleep) -> int:
        """Run until stopped (SIGTERM or Ctrl-C); returns 0."""
        self.log.info("Jadwal dimulai: rekap mingguan %s; masukan: %s; keluaran: %s.", self.config.describe(),
                      ", ".join(str(p) for p in self.config.inputs), self.config.output)
        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, self._on_sigterm)
        try:
            while True:
                self._busy = True
                try:
                    self.tick()
                finally:
                    self._busy = False
                if self._stop_requested:
                    raise _Stop()
                sleep(self.wait_seconds())
        except (_Stop, KeyboardInterrupt):
            self.log.info("Jadwal dihentikan.")
            return EXIT_OK
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    def _on_sigterm(self, signum, frame) -> None:
        """Stop at once while sleeping; during a run, let it finish first (systemd waits 90 s)."""
        if not self._busy:
            raise _Stop()
        self._stop_requested = True
        self.log.info("Permintaan berhenti diterima; menunggu rekap yang sedang berjalan selesai.")


# ---------------------------------------------------------------- logging and entry point


class _Formatter(logging.Formatter):
    LEVELS = {"DEBUG": "DEBUG", "INFO": "INFO", "WARNING": "PERINGATAN", "ERROR": "GALAT", "CRITICAL": "GALAT"}

    def __init__(self, tz: ZoneInfo):
        super().__init__("%(asctime)s [%(tingkat)s] %(message)s")
        self.tz = tz

    def format(self, record: logging.LogRecord) -> str:
        record.tingkat = self.LEVELS.get(record.levelname, record.levelname)
        return super().format(record)

    def formatTime(self, record: logging.LogRecord, datefmt: Optional[str] = None) -> str:  # noqa: N802
        return dt.datetime.fromtimestamp(record.created, self.tz).strftime("%Y-%m-%d %H:%M:%S %Z")


@contextlib.contextmanager
def schedule_logger(config: Config, *, stderr: bool = True) -> Iterator[logging.Logger]:
    """The rotating log file in the output folder (and stderr) for the time of the block."""
    logger = logging.getLogger(f"jikubata.jadwal.{id(config)}")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        config.output.mkdir(parents=True, exist_ok=True)
        handlers: list[logging.Handler] = [logging.handlers.RotatingFileHandler(
            config.output / LOG_NAME, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")]
    except OSError as exc:
        raise InputError(f"folder keluaran '{config.output}' tidak dapat ditulisi: {exc.strerror or exc}") from None
    if stderr:
        handlers.append(logging.StreamHandler(sys.stderr))
    formatter = _Formatter(ZoneInfo(config.timezone))
    for h in handlers:
        h.setFormatter(formatter)
        logger.addHandler(h)
    try:
        yield logger
    finally:
        for h in handlers:
            logger.removeHandler(h)
            h.close()


def main(config_path: os.PathLike | str, once: bool = False, *, clock: Clock = SYSTEM,
         sleep: Callable[[float], None] = time.sleep,
         write_week: services.WeekWriter = services.write_week) -> int:
    """`jikubata jadwal`: run the loop, or with `once` a single run; returns the exit status."""
    config = load_config(config_path)
    with schedule_logger(config) as log:
        try:
            job = WeeklySchedule(config, logger=log, clock=clock, write_week=write_week)
        except Exception as exc:
            log.exception("Jadwal tidak dapat dimulai: %s (%s).", exc, type(exc).__name__)
            return EXIT_UNEXPECTED
        if once:
            job.once = True
            code = job.run_once(job.most_recent_slot())
            log.info("Selesai (kode keluar %d).", code)
            return code
        return job.loop(sleep)
