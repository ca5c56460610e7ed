"""Two runs on one output folder at once: the weekly schedule and an Excel button, two `surat` runs.

Real processes throughout (`jikubata …` subprocesses and `spawn`ed button
runs on a copy of `JikuBata.xlsm`). Where a test needs one run to be inside
the folder's lock while the other arrives, the first is paused at a known
point inside the lock (just before it writes) by an event or a file, never
by a guessed sleep. Afterwards: every output opens whole, the letter
register has each number once and the same numbers as a single run, and
the one that waited said so, naming the holder.
"""
from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import queue
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import openpyxl
import pytest

from jikubata.adapters.clock import SYSTEM
from jikubata.domain.model import Period
from stress import kill_runs
from tests.support.jikubata_book import filled_copy

ROOT = Path(__file__).resolve().parents[1]
TODAY = SYSTEM.today()
AS_OF = TODAY - dt.timedelta(days=1)
# Letters about last month (notices) may be written on any day; this month's only from Tanggal Pengingat.
LETTER_PERIOD = Period.of(TODAY).previous()
PERIOD = str(LETTER_PERIOD)
TIMEOUT = 90

pytestmark = pytest.mark.slow  # real processes racing for the same folder


checks = kill_runs  # complete(), register_problems(): the same checks as the kill trials


# ---------------------------------------------------------------- inputs and helpers


@pytest.fixture(scope="module")
def office_inputs(tmp_path_factory):
    """The folder the offices drop their workbooks into (what the schedule and `surat` read)."""
    from jikubata.tools import demo

    folder = tmp_path_factory.mktemp("masukan")
    demo.generate(folder, today=AS_OF)
    return folder


ANA, BUDI, CICI = "198001012010011001", "198502022010012002", "199003032015032001"


def fill_book(folder: Path) -> Path:
    """A copy of the committed workbook with a small office in it, saved in `folder`."""
    office = "Dinas Kesehatan"
    rows = {
        "OPD": [[office, "Dinkes", "dr. Wati", "197001011995032001", "Kepala Dinas Kesehatan", ""]],
        "UMKM": [["Toko Sagu Mama", "Mama Ona", "Kue"]],
        "Pegawai": [[ANA, "Ana Latuconsina", "Kepala Seksi Gizi", "IV.a", office, "Aktif"],
                    [BUDI, "Budi Pattimura", "Kepala Bidang", "III.b", office, "Aktif"],
                    [CICI, "Cici Tanamal", "Kepala Subbagian", "IV.b", office, "Aktif"]],
        "Belanja": [[dt.datetime.combine(LETTER_PERIOD.first_day, dt.time()), ANA, "Ana Latuconsina",
                     "Toko Sagu Mama", "Sagu", 5000, "N-1"]],
    }
    return filled_copy(folder / "JikuBata.xlsm", rows, PERIOD)


def write_config(folder: Path, inputs: Path) -> Path:
    path = folder.parent / f"jadwal-{folder.name}.toml"
    path.write_text(f"inputs = ['{inputs}']\noutput = '{folder}'\nlock_wait_minutes = 1\n", encoding="utf-8")
    return path


def jikubata(*args) -> list[str]:
    return [sys.executable, "-m", "jikubata", *map(str, args)]


class Lines:
    """A process's stderr, read line by line on a thread, so a test can wait for a line."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self._q: queue.Queue = queue.Queue()
        self._t = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._t.start()

    def _read(self, stream) -> None:
        for line in stream:
            self._q.put(line)
        self._q.put(None)

    def wait_for(self, text: str, timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._q.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} in {self.lines}")

    def rest(self) -> str:
        self._t.join(TIMEOUT)
        while not self._q.empty():
            line = self._q.get()
            if line is not None:
                self.lines.append(line)
        return "".join(self.lines)


def assert_complete(paths) -> None:
    paths = list(paths)
    assert paths
    for path in paths:
        assert checks.complete(path) is None, path


def assert_weekly_outputs_complete(folder: Path) -> None:
    weeks = list((folder / "mingguan").iterdir())
    assert len(weeks) == 1
    assert_complete([*weeks[0].glob("*.xlsx"), weeks[0] / "email.html"])


def register_numbers(folder: Path) -> dict:
    with sqlite3.connect(folder / "Register-Surat.sqlite") as db:
        return {(kind, key): (number, state) for kind, key, number, state in
                db.execute("SELECT kind, recipient_key, number, state FROM letters")}


# ---------------------------------------------------------------- processes the tests start


def press_button(book: str, action: str, pause, inside, release, waiting, results) -> None:
    """A button run in its own process; with `pause`, it stops inside the folder's lock until `release`."""
    from jikubata.entrypoints import buttons
    from jikubata.adapters import letters, locking, summary
    from tests.support.openpyxl_port import OpenpyxlPort

    if pause:
        module, name = (summary, "write_summary") if action == "buat_rekap" else (letters, "write_letters")
        real = getattr(module, name)

        def paused(*args, **kwargs):
            inside.set()
            release.wait(TIMEOUT)
            return real(*args, **kwargs)

        setattr(module, name, paused)
    if waiting is not None:
        real_lock = locking.output_lock

        def watched(*args, on_wait=None, **kwargs):
            def said(message):
                waiting.set()
                if on_wait:
                    on_wait(message)
            return real_lock(*args, on_wait=said, **kwargs)

        locking.output_lock = watched
    port = OpenpyxlPort(book)
    text = buttons.run(port, action)
    port.save()
    results.put((text, port.messages[-1][1]))


def scheduled_run(config: str, inside, release) -> int:
    """`jikubata jadwal --sekali` in its own process, stopped inside the lock until `release`."""
    from jikubata.entrypoints import scheduler
    from jikubata import services

    def paused(*args, **kwargs):
        inside.set()
        release.wait(TIMEOUT)
        return services.write_week(*args, **kwargs)

    sys.exit(scheduler.main(config, once=True, write_week=paused))


PAUSED_SURAT = textwrap.dedent("""
    import pathlib, sys, time
    from jikubata.entrypoints import cli
    from jikubata.adapters import letters
    real = letters.write_letters
    def paused(*args, **kwargs):
        pathlib.Path(sys.argv[1]).touch()          # inside the lock now
        go, deadline = pathlib.Path(sys.argv[2]), time.monotonic() + 90
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        return real(*args, **kwargs)
    letters.write_letters = paused
    sys.exit(cli.main(sys.argv[3:]))
""")


def _spawn():
    return mp.get_context("spawn")


# ---------------------------------------------------------------- the schedule and a button


def test_the_schedule_waits_for_a_button_run_and_logs_who_holds_the_folder(tmp_path, office_inputs):
    book = fill_book(tmp_path)
    ctx = _spawn()
    inside, release, results = ctx.Event(), ctx.Event(), ctx.Queue()
    button = ctx.Process(target=press_button,
                         args=(str(book), "buat_rekap", True, inside, release, None, results))
    button.start()
    try:
        assert inside.wait(TIMEOUT)
        schedule = subprocess.Popen(jikubata("jadwal", "--konfigurasi", write_config(tmp_path, office_inputs),
                                             "--sekali"), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                    text=True)
        log = Lines(schedule.stderr)
        line = log.wait_for("sedang dipakai")
        assert f"PID {button.pid}" in line and "tombol Buat Rekap OPD" in line and "Menunggu" in line
        release.set()
        assert schedule.wait(TIMEOUT) == 0, log.rest()
        text, error = results.get(timeout=TIMEOUT)
    finally:
        release.set()
        button.join(TIMEOUT)
    assert not error, text
    assert_complete(tmp_path.glob("Rekap-Jiku-Bata-*.xlsx"))
    assert_weekly_outputs_complete(tmp_path)
    assert any(n.startswith("Rekap ") for n in openpyxl.load_workbook(book).sheetnames)
    assert "sedang dipakai" in (tmp_path / "jikubata-jadwal.log").read_text(encoding="utf-8")


def test_a_button_waits_for_the_schedule_and_its_message_says_whom_it_waited_for(tmp_path, office_inputs):
    book = fill_book(tmp_path)
    ctx = _spawn()
    inside, release, waiting, results = ctx.Event(), ctx.Event(), ctx.Event(), ctx.Queue()
    schedule = ctx.Process(target=scheduled_run, args=(str(write_config(tmp_path, office_inputs)), inside, release))
    schedule.start()
    button = None
    try:
        assert inside.wait(TIMEOUT)
        button = ctx.Process(target=press_button,
                             args=(str(book), "buat_surat", False, None, None, waiting, results))
        button.start()
        assert waiting.wait(TIMEOUT)
        release.set()
        text, error = results.get(timeout=TIMEOUT)
        schedule.join(TIMEOUT)
    finally:
        release.set()
        schedule.join(TIMEOUT)
        if button is not None:
            button.join(TIMEOUT)
    assert schedule.exitcode == 0
    assert not error, text
    assert "Sempat menunggu" in text and f"PID {schedule.pid}" in text and "jikubata jadwal" in text
    assert_weekly_outputs_complete(tmp_path)
    letters_folder = tmp_path
    assert_complete([*letters_folder.glob("Surat-*/*.docx"), *letters_folder.glob("Daftar-Surat-*.xlsx")])
    assert checks.register_problems(letters_folder, {}) == []


@pytest.mark.parametrize("action", ["buat_rekap", "buat_surat", "buat_rekap"])
def test_the_schedule_and_a_button_started_together_both_finish_with_whole_outputs(tmp_path, office_inputs,
                                                                                   action):
    book = fill_book(tmp_path)
    ctx = _spawn()
    results = ctx.Queue()
    button = ctx.Process(target=press_button, args=(str(book), action, False, None, None, None, results))
    schedule = subprocess.Popen(jikubata("jadwal", "--konfigurasi", write_config(tmp_path, office_inputs),
                                         "--sekali"), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    button.start()
    try:
        text, error = results.get(timeout=TIMEOUT)
        _, err = schedule.communicate(timeout=TIMEOUT)
    finally:
        button.join(TIMEOUT)
    assert schedule.returncode == 0, err
    assert not error, text
    assert_weekly_outputs_complete(tmp_path)
    if action == "buat_rekap":
        assert_complete(tmp_path.glob("Rekap-Jiku-Bata-*.xlsx"))
    else:
        assert_complete(tmp_path.glob("Surat-*/*.docx"))
        assert checks.register_problems(tmp_path, {}) == []
    openpyxl.load_workbook(book)  # the workbook itself saved whole


# ---------------------------------------------------------------- two `surat` runs


@pytest.fixture(scope="module")
def single_run(office_inputs, tmp_path_factory):
    """The numbers and output of one `surat` run alone on a fresh folder."""
    out = tmp_path_factory.mktemp("sendiri")
    done = subprocess.run(surat_argv(office_inputs, out), capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    return register_numbers(out), checks.figures("surat", done.stdout)


def surat_argv(inputs: Path, out: Path) -> list[str]:
    return jikubata("surat", inputs, "--periode", PERIOD, "--keluaran", out)


def assert_same_letters_as_a_single_run(out: Path, single_run) -> None:
    numbers, _ = single_run
    assert register_numbers(out) == numbers
    assert checks.register_problems(out, {}) == []
    assert_complete([*out.glob("Surat-*/*.docx"), *out.glob("Daftar-Surat-*.xlsx")])


def test_a_second_surat_run_waits_says_so_on_stderr_and_gives_the_same_numbers(tmp_path, office_inputs,
                                                                               single_run):
    out = tmp_path / "keluaran"
    inside, go = tmp_path / "di-dalam", tmp_path / "lanjut"
    first = subprocess.Popen([sys.executable, "-c", PAUSED_SURAT, inside, go, *surat_argv(office_inputs, out)[3:]],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = None
    try:
        deadline = time.monotonic() + TIMEOUT
        while not inside.exists() and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.02)
        assert inside.exists(), first.communicate()[1]
        second = subprocess.Popen(surat_argv(office_inputs, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
        waiting = Lines(second.stderr)
        line = waiting.wait_for("sedang dipakai")
        assert f"PID {first.pid}" in line and '"jikubata surat"' in line and "Menunggu" in line
        go.touch()
        out1, err1 = first.communicate(timeout=TIMEOUT)
        assert second.wait(TIMEOUT) == 0, waiting.rest()
        out2 = second.stdout.read()
    finally:
        go.touch()
        first.wait(TIMEOUT)
        if second is not None:
            second.wait(TIMEOUT)
    assert first.returncode == 0, err1
    assert checks.figures("surat", out1) == checks.figures("surat", out2) == single_run[1]
    assert "Traceback" not in err1 + waiting.rest()
    assert_same_letters_as_a_single_run(out, single_run)


@pytest.mark.parametrize("race", range(3))
def test_two_surat_runs_started_together_give_each_letter_one_number_the_same_as_a_single_run(
        tmp_path, office_inputs, single_run, race):
    out = tmp_path / "keluaran"
    runs = [subprocess.Popen(surat_argv(office_inputs, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    done = [r.communicate(timeout=TIMEOUT) for r in runs]
    for run, (stdout, stderr) in zip(runs, done):
        assert run.returncode == 0, stderr
        assert "Traceback" not in stderr
        assert checks.figures("surat", stdout) == single_run[1]
    assert_same_letters_as_a_single_run(out, single_run)


def test_a_weekly_run_that_must_wait_says_so_on_stderr_even_when_it_is_not_a_terminal(tmp_path, office_inputs):
    out = tmp_path / "keluaran"
    inside, go = tmp_path / "di-dalam", tmp_path / "lanjut"
    first = subprocess.Popen([sys.executable, "-c", PAUSED_SURAT, inside, go, *surat_argv(office_inputs, out)[3:]],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    weekly = None
    try:
        deadline = time.monotonic() + TIMEOUT
        while not inside.exists() and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.02)
        assert inside.exists(), first.communicate()[1]
        weekly = subprocess.Popen(jikubata("mingguan", office_inputs, "--keluaran", out, "--per-tanggal", AS_OF),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        waiting = Lines(weekly.stderr)  # a pipe, as under cron or systemd
        line = waiting.wait_for("sedang dipakai", timeout=30)
        assert f"PID {first.pid}" in line and '"jikubata surat"' in line
        go.touch()
        assert weekly.wait(TIMEOUT) == 0, waiting.rest()
    finally:
        go.touch()
        first.wait(TIMEOUT)
        if weekly is not None:
            weekly.wait(TIMEOUT)
    assert_weekly_outputs_complete(out)
