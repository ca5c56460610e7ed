"""`jikubata jadwal`: the weekly schedule, driven by a clock the tests move by hand.

The `schedule.Scheduler`, the history (SQLite), the lock and the weekly run
are all real; only the clock is ours, so weeks pass without sleeping.
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from jikubata.entrypoints import cli, scheduler
from jikubata import services
from jikubata.adapters.clock import Clock as AmbonClock
from jikubata.domain.errors import InputError
from jikubata.adapters.history import History

from tests.test_weekly import HOLD_LOCK, WIT, digests, recorded_weeks, write_inputs

REPO = Path(__file__).resolve().parents[1]


class Clock:
    """A clock that moves only when told."""

    def __init__(self, start: dt.datetime):
        self.t = start

    def __call__(self) -> dt.datetime:
        return self.t

    def set(self, *args) -> None:
        self.t = dt.datetime(*args, tzinfo=WIT)

    def advance(self, **kw) -> None:
        self.t += dt.timedelta(**kw)


def write_config(tmp_path: Path, inputs, out: Path, extra: str = "") -> Path:
    path = tmp_path / "jadwal.toml"
    path.write_text(textwrap.dedent(f"""
        inputs = [{", ".join(f"'{p}'" for p in inputs)}]
        output = '{out}'
        day = "senin"
        time = "07:00"
        retry_minutes = 60
        lock_wait_minutes = 0
    """) + textwrap.dedent(extra), encoding="utf-8")
    return path


@pytest.fixture
def inputs(tmp_path):
    return write_inputs(tmp_path / "masukan")


@pytest.fixture
def out(tmp_path):
    return tmp_path / "keluaran"


@pytest.fixture
def config(tmp_path, inputs, out):
    return write_config(tmp_path, inputs, out)


@pytest.fixture
def log_file(out):
    return out / scheduler.LOG_NAME


def make(config_path, clock, write_week=services.write_week):
    """A WeeklySchedule with the clock, logging into the output folder."""
    cfg = scheduler.load_config(config_path)
    stack = scheduler.schedule_logger(cfg, stderr=False)
    log = stack.__enter__()
    job = scheduler.WeeklySchedule(cfg, logger=log, clock=AmbonClock(clock), write_week=write_week)
    job.close_log = lambda: stack.__exit__(None, None, None)
    return job


def slots(out) -> list[str]:
    return [f"{r.slot:%Y-%m-%d %H:%M} {'ok' if r.ok else 'gagal'}" for r in History(out).runs()]


# ---------------------------------------------------------------- configuration


def test_the_example_configuration_is_valid():
    cfg = scheduler.load_config(REPO / "jadwal.contoh.toml")

    assert (cfg.day, cfg.time, cfg.timezone) == ("monday", "07:00", "Asia/Jayapura")
    assert cfg.email.security == "starttls" and cfg.email.password_env == "JIKUBATA_SMTP_PASSWORD"
    assert cfg.email.sender == "Jiku Bata <jikubata@ambon.go.id>" and cfg.email.recipients


def test_relative_paths_are_read_from_the_configuration_folder(tmp_path):
    path = tmp_path / "jadwal.toml"
    path.write_text('inputs = ["masukan"]\noutput = "keluaran"\n', encoding="utf-8")

    cfg = scheduler.load_config(path)
    assert cfg.inputs == (tmp_path / "masukan",) and cfg.output == tmp_path / "keluaran"


def test_a_password_in_the_configuration_is_refused(tmp_path):
    path = tmp_path / "jadwal.toml"
    path.write_text('inputs = ["m"]\noutput = "k"\n[email]\nhost = "smtp"\nfrom = "a@b.id"\npassword = "x"\n',
                    encoding="utf-8")

    with pytest.raises(InputError, match="password_env"):
        scheduler.load_config(path)


@pytest.mark.parametrize("text, key", [
    ('inputs = ["m"]\noutput = "k"\nday = "funday"\n', "'day'"),
    ('inputs = ["m"]\noutput = "k"\ntime = "7 pagi"\n', "'time'"),
    ('inputs = ["m"]\noutput = "k"\ntimezone = "Maluku/Ambon"\n', "'timezone'"),
    ('output = "k"\n', "'inputs'"),
    ('inputs = ["m"]\noutput = "k"\nouptut = "x"\n', "'ouptut'"),
    ('inputs = ["m"]\noutput = "k"\n[email]\nhost = "s"\nfrom = "a@b.id"\nsecurity = "tls"\n', "'email.security'"),
    ('inputs = ["m"\n', "bukan TOML"),
])
def test_a_configuration_error_names_the_file_and_the_key(tmp_path, text, key):
    path = tmp_path / "jadwal.toml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(InputError) as caught:
        scheduler.load_config(path)
    assert str(path) in str(caught.value) and key in str(caught.value)


def test_cli_jadwal_with_a_bad_configuration_exits_2(tmp_path, capsys):
    code = cli.main(["jadwal", "--konfigurasi", str(tmp_path / "tidak-ada.toml"), "--sekali"])

    assert code == 2
    assert "tidak ditemukan" in capsys.readouterr().err


# ---------------------------------------------------------------- when runs happen


def test_the_most_recent_slot_is_the_last_monday_at_seven_wit(config, out):
    clock = Clock(dt.datetime(2026, 11, 23, 6, 59, tzinfo=WIT))
    job = make(config, clock)
    try:
        assert job.most_recent_slot() == dt.datetime(2026, 11, 16, 7, 0, tzinfo=WIT)
        clock.set(2026, 11, 23, 7, 0)
        assert job.most_recent_slot() == dt.datetime(2026, 11, 23, 7, 0, tzinfo=WIT)
    finally:
        job.close_log()


@pytest.mark.slow
@settings(deadline=None, max_examples=60)
@given(moment=st.datetimes(min_value=dt.datetime(2023, 1, 1), max_value=dt.datetime(2035, 1, 1),
                           timezones=st.just(WIT)),
       day=st.sampled_from(scheduler.WEEKDAYS), hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_the_most_recent_slot_is_within_the_last_week_on_the_right_day_and_time(tmp_path_factory, moment, day,
                                                                                hour, minute):
    folder = tmp_path_factory.mktemp("slot")
    path = write_config(folder, [folder / "m"], folder / "k").read_text(encoding="utf-8")
    path = path.replace('day = "senin"', f'day = "{day}"').replace('time = "07:00"', f'time = "{hour:02d}:{minute:02d}"')
    (folder / "jadwal.toml").write_text(path, encoding="utf-8")
    job = make(folder / "jadwal.toml", Clock(moment))
    try:
        slot = job.most_recent_slot()
        schedules_next = job.scheduler.next_run   # naive, in the machine's local time
    finally:
        job.close_log()

    assert schedules_next == (slot + dt.timedelta(days=7)).astimezone().replace(tzinfo=None)  # schedule agrees
    assert slot <= moment < slot + dt.timedelta(days=7)
    assert (scheduler.WEEKDAYS[slot.weekday()], slot.hour, slot.minute) == (day, hour, minute)


def test_the_job_runs_at_the_scheduled_time_and_not_before(config, out):
    clock = Clock(dt.datetime(2026, 11, 17, 9, 0, tzinfo=WIT))
    job = make(config, clock)
    try:
        job.tick()                      # first start: the slot of 16 Nov is made up
        clock.set(2026, 11, 23, 6, 59)
        job.tick()
        assert slots(out) == ["2026-11-16 07:00 ok"]
        clock.set(2026, 11, 23, 7, 0)
        job.tick()
        assert slots(out) == ["2026-11-16 07:00 ok", "2026-11-23 07:00 ok"]
        assert recorded_weeks(out) == ["2026-W46", "2026-W47"]
    finally:
        job.close_log()


def test_a_job_that_raises_is_logged_and_the_next_run_still_happens(config, out, log_file):
    clock = Clock(dt.datetime(2026, 11, 23, 6, 0, tzinfo=WIT))
    calls = []

    def disk_full_once(*args, **kwargs):
        calls.append(kwargs["clock"])
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return services.write_week(*args, **kwargs)

    job = make(config, clock, disk_full_once)
    try:
        job.tick()                      # makes up 16 Nov
        clock.set(2026, 11, 23, 7, 0)
        job.tick()                      # raises
        clock.set(2026, 11, 30, 7, 0)
        job.tick()                      # the next week runs all the same
    finally:
        job.close_log()

    assert slots(out) == ["2026-11-16 07:00 ok", "2026-11-23 07:00 gagal", "2026-11-30 07:00 ok"]
    log = log_file.read_text(encoding="utf-8")
    # A full disk is said in Indonesian, naming the folder (issue 20), not as an unexpected error.
    assert f"Rekap mingguan gagal: ruang disk penuh di {out}; kosongkan lalu jalankan lagi" in log
    assert "No space left on device" not in log and "galat tak terduga" not in log


def test_a_failed_run_is_tried_again_after_the_retry_interval(tmp_path, inputs, out):
    config = write_config(tmp_path, [tmp_path / "belum-ada"], out)
    clock = Clock(dt.datetime(2026, 11, 23, 7, 0, tzinfo=WIT))
    job = make(config, clock)
    try:
        job.tick()                      # input missing: fails
        clock.advance(minutes=30)
        job.tick()                      # too soon to retry
        assert slots(out) == ["2026-11-23 07:00 gagal"]
        write_inputs(tmp_path / "belum-ada")
        clock.advance(minutes=31)
        job.tick()
    finally:
        job.close_log()

    assert slots(out) == ["2026-11-23 07:00 gagal", "2026-11-23 07:00 ok"]


def test_a_run_missed_while_the_machine_was_off_is_made_up_at_start(config, out, log_file):
    clock = Clock(dt.datetime(2026, 11, 9, 7, 0, tzinfo=WIT))
    assert scheduler.main(config, once=True, clock=AmbonClock(clock)) == 0
    clock.set(2026, 11, 25, 10, 0)      # off from 9 Nov until Wednesday 25 Nov
    job = make(config, clock)
    try:
        job.tick()
    finally:
        job.close_log()

    assert slots(out) == ["2026-11-09 07:00 ok", "2026-11-23 07:00 ok"]
    assert recorded_weeks(out) == ["2026-W45", "2026-W47"]
    assert "Jadwal 23-11-2026 07:00 WIT belum berhasil dijalankan; dijalankan sekarang." in \
        log_file.read_text(encoding="utf-8")


def test_nothing_is_made_up_when_the_last_run_succeeded(config, out):
    clock = Clock(dt.datetime(2026, 11, 23, 7, 0, tzinfo=WIT))
    assert scheduler.main(config, once=True, clock=AmbonClock(clock)) == 0
    clock.set(2026, 11, 26, 12, 0)      # restarted on Thursday
    job = make(config, clock)
    try:
        job.tick()
    finally:
        job.close_log()

    assert slots(out) == ["2026-11-23 07:00 ok"]


def test_the_loop_sleeps_until_the_run_and_stops_cleanly(config, out, log_file):
    clock = Clock(dt.datetime(2026, 11, 16, 7, 0, tzinfo=WIT))
    assert scheduler.main(config, once=True, clock=AmbonClock(clock)) == 0
    clock.set(2026, 11, 23, 6, 57, 30)
    naps = []

    def sleep(seconds):
        naps.append(seconds)
        clock.advance(seconds=seconds)
        if clock() > dt.datetime(2026, 11, 23, 7, 5, tzinfo=WIT):
            raise KeyboardInterrupt

    assert scheduler.main(config, clock=AmbonClock(clock), sleep=sleep) == 0
    assert slots(out) == ["2026-11-16 07:00 ok", "2026-11-23 07:00 ok"]
    assert max(naps) <= 60 and len(naps) < 20
    log = log_file.read_text(encoding="utf-8")
    assert "Jadwal dimulai: rekap mingguan setiap Senin pukul 07:00 (Asia/Jayapura)" in log
    assert log.rstrip().endswith("Jadwal dihentikan.")


# ---------------------------------------------------------------- --sekali and its exit status


def test_sekali_runs_once_and_exits_0(config, out, inputs, log_file):
    before = digests(inputs)
    code = scheduler.main(config, once=True, clock=AmbonClock(lambda: dt.datetime(2026, 11, 24, 7, tzinfo=WIT)))

    assert code == scheduler.EXIT_OK
    assert (out / "mingguan" / "2026-W47" / "Rekap-Jiku-Bata-2026-11.xlsx").is_file()
    assert "Selesai (kode keluar 0)." in log_file.read_text(encoding="utf-8")
    assert digests(inputs) == before


def test_sekali_with_an_unusable_input_exits_2_and_logs_why(tmp_path, out, log_file):
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"bukan workbook")
    config = write_config(tmp_path, [broken], out)

    code = scheduler.main(config, once=True, clock=AmbonClock(lambda: dt.datetime(2026, 11, 24, 7, tzinfo=WIT)))
    assert code == scheduler.EXIT_INPUT
    log = log_file.read_text(encoding="utf-8")
    assert "[GALAT] Rekap mingguan gagal:" in log and "rusak.xlsx" in log
    assert "Traceback" not in log


def test_sekali_with_the_folder_busy_exits_3_and_says_who_holds_it(config, out, log_file):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(out)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        code = scheduler.main(config, once=True, clock=AmbonClock(lambda: dt.datetime(2026, 11, 24, 7, tzinfo=WIT)))
    finally:
        holder.communicate("\n", timeout=30)

    assert code == scheduler.EXIT_BUSY
    log = log_file.read_text(encoding="utf-8")
    assert f"PID {holder.pid}" in log and "jikubata surat contoh" in log


@pytest.mark.slow
def test_two_schedules_started_together_never_overlap(config, out):
    argv = [sys.executable, "-m", "jikubata", "jadwal", "--konfigurasi", str(config), "--sekali"]
    text = config.read_text(encoding="utf-8").replace("lock_wait_minutes = 0", "lock_wait_minutes = 2")
    config.write_text(text, encoding="utf-8")
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=180) for p in procs]

    assert [p.returncode for p in procs] == [0, 0], outputs
    first, second = History(out).runs()
    assert first.ok and second.ok and first.finished <= second.started


def test_sigterm_during_a_run_lets_the_run_finish_then_stops(config, out, log_file):
    import signal
    import time

    proc = subprocess.Popen([sys.executable, "-m", "jikubata", "jadwal", "--konfigurasi", str(config)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (log_file.exists() and
                                                   "Rekap mingguan dimulai" in log_file.read_text(encoding="utf-8")):
            time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()

    assert proc.returncode == 0, err
    assert [r.ok for r in History(out).runs()] == [True]
    assert log_file.read_text(encoding="utf-8").rstrip().endswith("Jadwal dihentikan.")
    assert "Traceback" not in err
