"""Crash safety: a run killed outright (SIGKILL, a power cut) loses nothing and leaves nothing half-done.

The kill trials are a CI-sized run of `stress/kill_runs.py` (5 kills per
command instead of 50), with the same checks: every output is absent, the
previous complete version or the new complete version; the letter register
is intact, numbers unique and stable, no number issued without its letter;
the weekly history holds the old or the new snapshot; a rerun completes with
the same figures and leaves no temporary file.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from jikubata.adapters import locking
from stress import kill_runs

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SIGKILL and /proc: Linux")]




@pytest.fixture(scope="module")
def demo_inputs(tmp_path_factory):
    return kill_runs.prepare(tmp_path_factory.mktemp("kill"))


@pytest.mark.parametrize("command", kill_runs.COMMANDS)
def test_a_run_killed_at_a_random_moment_leaves_complete_outputs_and_a_rerun_completes(command, demo_inputs,
                                                                                       tmp_path):
    stream = kill_runs.run_stream(demo_inputs, command, kills=5, seed=int(os.environ.get("KILL_SEED", "7")),
                                  work=tmp_path)
    print(kill_runs.report([stream]))
    assert stream.kills == 5
    assert stream.failures == []
    assert stream.survived == 5


# ---------------------------------------------------------------- temporary files of killed runs


def _leftover(folder: Path, stem: str = "Rekap-Jiku-Bata-2026-11", suffix: str = ".xlsx") -> Path:
    """A temporary file as `atomic_path` names it, as a run killed mid-write leaves it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f".{stem}.k3_x9qzb.tmp{suffix}"
    path.write_bytes(b"PK\x03\x04 setengah")
    return path


def test_temporary_files_of_a_killed_run_are_removed_when_the_next_run_takes_the_folder(tmp_path):
    left = [_leftover(tmp_path), _leftover(tmp_path / "Surat-2026-11", "Surat-OPD-Dinas-Kesehatan", ".docx"),
            _leftover(tmp_path / "Surat" / "Surat-2026-11", "Surat-OPD-Dinas-Kesehatan", ".docx"),
            _leftover(tmp_path / "mingguan" / "2026-W48", "email", ".html")]
    with locking.output_lock(tmp_path):
        assert [p for p in left if p.exists()] == []


def test_a_subfolder_with_its_own_output_lock_keeps_its_temporary_files(tmp_path):
    other = tmp_path / "keluaran-jadwal"
    other.mkdir()
    (other / locking.LOCK_NAME).touch()
    in_flight = _leftover(other)  # maybe the schedule's run, at work under that folder's own lock
    with locking.output_lock(tmp_path):
        assert in_flight.exists()


def test_a_users_own_dot_files_are_not_taken_for_temporary_files(tmp_path):
    mine = [tmp_path / ".catatan.txt", tmp_path / ".Rekap.tmp.xlsx", tmp_path / ".~lock.Rekap.xlsx#"]
    for path in mine:
        path.write_text("milik pengguna")
    with locking.output_lock(tmp_path):
        assert all(p.exists() for p in mine)


# ---------------------------------------------------------------- the letters' process pool


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie is dead, only not yet reaped (containers' PID 1 may not)


def test_letter_pool_workers_end_when_their_parent_is_killed(tmp_path):
    # The parent forks a pool as `letters._render_all` does, prints its workers and waits;
    # we SIGKILL it as the OOM killer would.
    script = textwrap.dedent("""
        import concurrent.futures as cf, multiprocessing, os, sys, time
        from jikubata.adapters import letters
        pool = cf.ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"),
                                      initializer=letters._init_pool_worker, initargs=({}, os.getpid()))
        pids = set()
        while len(pids) < 2:
            pids |= {f.result() for f in [pool.submit(os.getpid) for _ in range(8)]}
        print(" ".join(map(str, sorted(pids))), flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        workers = [int(x) for x in proc.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(p) for p in workers)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [p for p in workers if _alive(p)] == []
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # what the test started, if the assertion failed
        except ProcessLookupError:
            pass
