"""Crash safety: SIGKILL `jikubata rekap`, `surat` and `mingguan` at random moments, then check the folder.

    python -m stress.kill_runs [--kills 50] [--workers 2] [--seed 1] [--keep DIR]

Each command gets its own output folder and a stream of trials. A trial
starts the command as a real process (`python -m jikubata …`) on demo-size
data, kills it with SIGKILL after a delay drawn uniformly over 1.1× the
command's measured duration, and checks:

- every output file (`Rekap-Jiku-Bata-*.xlsx`, the letters `.docx`,
  `Daftar-Surat-*.xlsx`, the weekly workbook and `email.html`) is absent if
  it was never written, or complete (xlsx opened with openpyxl, docx with
  python-docx, the zip tested) AND equal to either its version before the
  killed run or the version the rerun writes (xlsx compared part by part,
  without `docProps/core.xml` which holds the time of writing; the rest
  byte for byte);
- no process of the killed run is left behind, and the output lock is free;
- the letter register passes `PRAGMA integrity_check`, no number is used
  twice in a year, every number marked issued has its file (a docx that
  prints that number), and no recipient's number ever changes;
- the weekly history passes `PRAGMA integrity_check` and holds, for the
  week, either the snapshot from before the run or the new one;
- a rerun completes (exit 0, no traceback), prints the same figures as a
  run on a clean folder, and leaves no temporary file behind.

Trials alternate between two inputs (A: two purchases per person a month,
B: three), so every run really rewrites its outputs; every tenth trial
starts from an empty folder, so kills also land on first writes. The
streams run side by side on `--workers` processes.

Figures printed: kills per command, survived, what was found left over
(temporary files, orphan processes) and every failure.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

COMMANDS = ("rekap", "surat", "mingguan")
OUTPUTS = {
    "rekap": ("Rekap-Jiku-Bata-*.xlsx",),
    "surat": ("Daftar-Surat-*.xlsx", "Surat-*/*.docx", "Surat-*/Dibatalkan/*.docx"),
    "mingguan": ("mingguan/*/*.xlsx", "mingguan/*/email.html"),
}
# What atomic.atomic_path names its temporary files: `.<stem>.<mkstemp random>.tmp<suffix>`.
TEMP_NAME = re.compile(r"^\..+\.tmp(\.[^.]*)?$")
FRESH_EVERY = 10  # every tenth trial starts from an empty output folder


# ---------------------------------------------------------------- set-up


@dataclass(frozen=True)
class Setup:
    root: Path
    inputs: dict          # "A"/"B" -> folder of input workbooks
    as_of: dt.date        # --per-tanggal of every weekly run
    period: str           # `rekap` and `surat`: last month, whose notices may be written on any day

    def argv(self, command: str, which: str, out: Path) -> list[str]:
        base = [sys.executable, "-m", "jikubata", command, str(self.inputs[which])]
        if command == "mingguan":
            return base + ["--keluaran", str(out), "--per-tanggal", self.as_of.isoformat()]
        return base + ["--periode", self.period, "--keluaran", str(out)]

    def seed_argv(self, out: Path) -> list[str]:
        """The week before, so the weekly workbook's `Tren` has two weeks."""
        return [sys.executable, "-m", "jikubata", "mingguan", str(self.inputs["A"]), "--keluaran", str(out),
                "--per-tanggal", (self.as_of - dt.timedelta(days=7)).isoformat()]


def prepare(root: Path) -> Setup:
    """Two demo input folders of the same city: A (2 purchases a month each) and B (3)."""
    from jikubata.tools import demo
    from jikubata.adapters.clock import SYSTEM
    from jikubata.domain.model import Period

    today = SYSTEM.today()
    as_of = today - dt.timedelta(days=1)
    inputs = {}
    for which, per_month in (("A", 2), ("B", 3)):
        inputs[which] = root / f"masukan-{which}"
        demo.generate(inputs[which], today=as_of, per_month=per_month)
    return Setup(root, inputs, as_of, str(Period.of(today).previous()))


# ---------------------------------------------------------------- looking at a folder


def digest(path: Path) -> str:
    """What must match: xlsx part by part without the time of writing; anything else byte for byte."""
    data = path.read_bytes()
    if path.suffix == ".xlsx":
        h = hashlib.sha256()
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info in sorted(z.infolist(), key=lambda i: i.filename):
                if info.filename != "docProps/core.xml":
                    h.update(info.filename.encode() + b"\0" + z.read(info) + b"\0")
        return h.hexdigest()
    return hashlib.sha256(data).hexdigest()


def outputs(command: str, out: Path) -> dict[str, str]:
    """Relative path -> digest of every output file of `command` in `out` (unreadable zip: 'BROKEN…')."""
    found = {}
    for pattern in OUTPUTS[command]:
        for path in sorted(out.glob(pattern)):
            if TEMP_NAME.match(path.name):
                continue
            try:
                found[path.relative_to(out).as_posix()] = digest(path)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                found[path.relative_to(out).as_posix()] = f"BROKEN {type(exc).__name__}: {exc}"
    return found


def temp_files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob(".*") if p.is_file() and TEMP_NAME.match(p.name))


def docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def complete(path: Path) -> Optional[str]:
    """None when the file opens as a whole document of its kind, else why not."""
    try:
        if path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as z:
                bad = z.testzip()
                if bad:
                    return f"zip entry {bad} corrupt"
        if path.suffix == ".xlsx":
            import openpyxl

            wb = openpyxl.load_workbook(path)
            if not wb.sheetnames or wb.worksheets[0].max_row < 2:
                return "workbook without content"
        elif path.suffix == ".docx":
            if "Nomor" not in docx_text(path):
                return "letter without its Nomor line"
        elif path.suffix == ".html":
            if not path.read_text(encoding="utf-8").rstrip().endswith("</html>"):
                return "HTML cut short"
    except Exception as exc:  # noqa: BLE001 — any failure to open is the finding
        return f"{type(exc).__name__}: {exc}"
    return None


def _cancelled_intact(name: str, value: str, after: dict) -> bool:
    """A letter that is gone from its place was cancelled (README: Surat) when the same file, unchanged, is now
    in `Dibatalkan/` beside it."""
    path = Path(name)
    folder = (path.parent / "Dibatalkan").as_posix()
    return any(Path(other).parent.as_posix() == folder and other_value == value
               for other, other_value in after.items())


def register_problems(out: Path, numbers: dict) -> list[str]:
    """The letter register: intact, no number twice a year, issued ⇒ the file is there and prints it.

    `numbers` (number -> what it was given for: period, mode, kind, recipient, fingerprint) is carried across
    trials: a number never changes its content. A changed letter gets a new number (README: Surat), so the
    inputs A and B may give one recipient several numbers, but at most one live (`dibuat`/`terkirim`) at a
    time, and a cancelled letter's file is kept (in `Dibatalkan/`).
    """
    path = out / "Register-Surat.sqlite"
    if not path.exists():
        return []
    found = []
    db = sqlite3.connect(path, timeout=30)  # a normal open: rolls back what a killed transaction left
    try:
        (check,) = db.execute("PRAGMA integrity_check").fetchone()
        if check != "ok":
            return [f"register integrity_check: {check}"]
        for year, seq, n in db.execute("SELECT year, seq, COUNT(*) FROM letters GROUP BY year, seq HAVING COUNT(*) > 1"):
            found.append(f"register: number {seq}/{year} used {n} times")
        for year, number, n in db.execute(
                "SELECT year, number, COUNT(*) FROM letters GROUP BY year, number HAVING COUNT(*) > 1"):
            found.append(f"register: number {number} used {n} times in {year}")
        rows = db.execute("SELECT period, mode, kind, recipient_key, number, file, state, status, fingerprint "
                          "FROM letters").fetchall()
    finally:
        db.close()
    live: dict[tuple, str] = {}
    for period, mode, kind, key, number, file, state, status, fingerprint in rows:
        given = (period, mode, kind, key, fingerprint)
        before = numbers.setdefault(number, given)
        if before != given:
            found.append(f"register: {number} was given for {before}, now {given}")
        if status in ("dibuat", "terkirim"):
            other = live.setdefault((period, mode, kind, key), number)
            if other != number:
                found.append(f"register: {kind} {key} has two live letters, {other} and {number}")
        if state == "issued":
            letter = out / file
            if not letter.is_file():
                found.append(f"register: {number} issued but {file} is missing")
            elif number not in docx_text(letter):
                found.append(f"register: {file} does not print its number {number}")
    return found


def history_snapshot(out: Path, week: str) -> tuple:
    """The recorded snapshot of `week` (checked intact first); () when there is none."""
    path = out / "jikubata.sqlite3"
    if not path.exists():
        return ()
    db = sqlite3.connect(path, timeout=30)
    try:
        (check,) = db.execute("PRAGMA integrity_check").fetchone()
        if check != "ok":
            return ("BROKEN", check)
        return tuple(db.execute("SELECT office, obliged, met, short, spent, shortfall FROM mingguan_snapshot "
                                "WHERE week = ? ORDER BY position", (week,)))
    except sqlite3.OperationalError as exc:  # tables not created yet
        return () if "no such table" in str(exc) else ("BROKEN", str(exc))
    finally:
        db.close()


def figures(command: str, stdout: str) -> list[str]:
    """The lines of a run's output that carry numbers, not paths."""
    lines = stdout.splitlines()
    if command == "rekap":
        return lines[1:]
    if command == "surat":
        return [l for l in lines if "surat kepada" in l or l.startswith("Surat pengingat")]
    return [l for l in lines if l.startswith(("Kepatuhan", "Dibandingkan", "Masalah"))]


def lock_free(out: Path) -> bool:
    from jikubata.adapters import locking
    from jikubata.domain.errors import BusyError

    try:
        with locking.output_lock(out, command="stress/kill_runs.py"):
            return True
    except BusyError:
        return False


def session_processes(sid: int) -> list[int]:
    """Processes still alive in the session we started the run in (zombies are dead, only not reaped)."""
    out = subprocess.run(["ps", "-o", "pid=,stat=", "-s", str(sid)], capture_output=True, text=True).stdout
    return [int(pid) for pid, stat in (line.split() for line in out.splitlines() if line.strip())
            if not stat.startswith(("Z", "X"))]


# ---------------------------------------------------------------- one stream of trials


@dataclass
class Stream:
    command: str
    kills: int = 0
    survived: int = 0
    duration: float = 0.0
    delays: list = field(default_factory=list)
    killed_running: int = 0         # kills that found the process still running (not already finished)
    wrote_some: int = 0             # kills after which at least one output was already the new version
    killed_mid_write: int = 0       # kills after which some outputs were new and others not yet
    pending_after_kill: int = 0     # kills that left letter numbers reserved (claimed, letter not yet written)
    temp_left_by_kill: int = 0      # trials whose kill left a temporary file
    temp_after_rerun: int = 0       # temporary files still there after the rerun (cumulative)
    orphans: int = 0                # processes of the killed run still alive after it
    failures: list = field(default_factory=list)
    seconds: float = 0.0


def _run(argv: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)


def run_stream(setup: Setup, command: str, kills: int, seed: int, work: Path) -> Stream:
    """`kills` trials of `command` in `work`; returns the figures (failures listed, never raised)."""
    rng = random.Random(f"{seed}-{command}")
    stream = Stream(command)
    started = time.monotonic()
    out = work / f"keluaran-{command}"
    week = None
    if command == "mingguan":
        from jikubata.adapters.history import week_key

        week = week_key(setup.as_of)

    # Reference figures and snapshot per input, from clean folders.
    reference, snapshots = {}, {}
    for which in ("A", "B"):
        clean = work / f"bersih-{command}-{which}"
        if command == "mingguan":
            _run(setup.seed_argv(clean))
        t0 = time.monotonic()
        done = _run(setup.argv(command, which, clean))
        stream.duration = max(stream.duration, time.monotonic() - t0)
        if done.returncode != 0:
            stream.failures.append(f"reference run on {which} failed: {done.stderr.strip()}")
            return stream
        reference[which] = figures(command, done.stdout)
        if week:
            snapshots[which] = history_snapshot(clean, week)
        shutil.rmtree(clean)

    numbers: dict = {}

    def fresh_folder(which: str) -> None:
        if out.exists():
            shutil.rmtree(out)
        numbers.clear()
        if command == "mingguan":
            _run(setup.seed_argv(out))
        if which:
            _run(setup.argv(command, which, out))

    fresh_folder("A")
    for trial in range(kills):
        which = "B" if trial % 2 == 0 else "A"
        if trial % FRESH_EVERY == FRESH_EVERY - 1:
            fresh_folder("")
        problems = _trial(setup, command, which, out, rng, stream, numbers, reference[which],
                          snapshots.get(which), week)
        stream.kills += 1
        if problems:
            stream.failures += [f"kill {trial + 1} ({which}): {p}" for p in problems]
        else:
            stream.survived += 1
    stream.seconds = time.monotonic() - started
    return stream


def _trial(setup: Setup, command: str, which: str, out: Path, rng: random.Random, stream: Stream,
           numbers: dict, reference: list, snapshot: Optional[tuple], week: Optional[str]) -> list[str]:
    problems = []
    before = outputs(command, out) if out.exists() else {}
    before_snapshot = history_snapshot(out, week) if week else None

    delay = rng.uniform(0, 1.1 * stream.duration)
    stream.delays.append(delay)
    proc = subprocess.Popen(setup.argv(command, which, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)  # the process itself, as the OOM killer or `kill -9` would
        proc.wait()
        stream.killed_running += 1
    time.sleep(0.2)  # let anything it left behind show itself
    left = [p for p in session_processes(proc.pid) if p != proc.pid]
    if left:
        stream.orphans += len(left)
        problems.append(f"{len(left)} process(es) of the killed run still alive")
        with_suppress_kill(proc.pid)

    after = outputs(command, out) if out.exists() else {}
    temps = temp_files(out) if out.exists() else []
    if temps:
        stream.temp_left_by_kill += 1
    for name, value in after.items():
        if value.startswith("BROKEN"):
            problems.append(f"{name}: {value}")
        elif value != before.get(name):
            why = complete(out / name)
            if why:
                problems.append(f"{name}: incomplete after the kill ({why})")
    for name in before:
        if name not in after and not _cancelled_intact(name, before[name], after):
            problems.append(f"{name}: was there before the run, gone after the kill")
    if out.exists() and not lock_free(out):
        problems.append("output lock still held after the kill")
    if command == "surat":
        problems += register_problems(out, numbers)
        if (out / "Register-Surat.sqlite").exists():
            with sqlite3.connect(out / "Register-Surat.sqlite") as db:
                if db.execute("SELECT COUNT(*) FROM letters WHERE state = 'pending'").fetchone()[0]:
                    stream.pending_after_kill += 1
    if week:
        now = history_snapshot(out, week)
        if now and now[0] == "BROKEN":
            problems.append(f"history: {now}")
        elif now not in (before_snapshot, snapshot):
            problems.append("history: the week's snapshot is neither the old one nor the new one")

    rerun = _run(setup.argv(command, which, out))
    if rerun.returncode != 0 or "Traceback" in rerun.stderr:
        problems.append(f"rerun failed (exit {rerun.returncode}): {rerun.stderr.strip()[-300:]}")
        return problems
    if figures(command, rerun.stdout) != reference:
        problems.append(f"rerun figures differ: {figures(command, rerun.stdout)} != {reference}")
    final = outputs(command, out)
    changed = 0
    for name, value in after.items():
        if value.startswith("BROKEN"):
            continue
        if value != before.get(name) and value != final.get(name):
            problems.append(f"{name}: after the kill neither the previous nor the new version")
        if before.get(name) != final.get(name):
            changed += value == final.get(name)
    stream.wrote_some += changed > 0
    if 0 < changed < sum(before.get(n) != final.get(n) for n in final):
        stream.killed_mid_write += 1
    for name, value in final.items():
        if value != after.get(name):
            why = complete(out / name)
            if why:
                problems.append(f"{name}: incomplete after the rerun ({why})")
    leftover = temp_files(out)
    stream.temp_after_rerun = len(leftover)
    if leftover:
        problems.append(f"temporary files left after the rerun: {leftover[:3]}{'…' if len(leftover) > 3 else ''}")
    if command == "surat":
        problems += register_problems(out, numbers)
        with sqlite3.connect(out / "Register-Surat.sqlite") as db:
            pending = db.execute("SELECT COUNT(*) FROM letters WHERE state = 'pending' AND period = ?",
                                 (setup.period,)).fetchone()[0]
        if pending:
            # Every letter written is issued after a complete rerun (others may stay reserved).
            current = {f for f in final if f.endswith(".docx")}
            with sqlite3.connect(out / "Register-Surat.sqlite") as db:
                stuck = [f for (f,) in db.execute("SELECT file FROM letters WHERE state = 'pending'") if f in current]
            if stuck:
                problems.append(f"register: {len(stuck)} letter(s) written but still pending after the rerun")
    return problems


def with_suppress_kill(sid: int) -> None:
    """End what is left of the session we started (its leader is already dead)."""
    try:
        os.killpg(sid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# ---------------------------------------------------------------- main


def _stream_job(args: tuple) -> Stream:
    setup, command, kills, seed, work = args
    return run_stream(setup, command, kills, seed, work)


def report(streams: list[Stream]) -> str:
    lines = []
    for s in streams:
        lines.append(f"{s.command:9s} kills {s.kills:3d}  survived {s.survived:3d}  "
                     f"(run {s.duration:.2f} s, kill after 0–{1.1 * s.duration:.2f} s; {s.seconds:.0f} s in all)")
        lines.append(f"          killed while running {s.killed_running}, after some outputs were new "
                     f"{s.wrote_some}, between two outputs {s.killed_mid_write}, with numbers reserved "
                     f"{s.pending_after_kill}; temporary files left by the kill {s.temp_left_by_kill}, "
                     f"after the rerun {s.temp_after_rerun}; orphan processes {s.orphans}")
    failures = [f"{s.command}: {f}" for s in streams for f in s.failures]
    lines.append(f"failures: {len(failures)}")
    lines += [f"  {f}" for f in failures[:60]]
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=50, help="kills per command")
    ap.add_argument("--workers", type=int, default=2, help="streams run side by side")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--commands", default=",".join(COMMANDS))
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = ap.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="kill-runs-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        setup = prepare(root)
        commands = [c for c in args.commands.split(",") if c]
        print(f"Demo data (as of {setup.as_of}) in {root}; {args.kills} kills per command, "
              f"{args.workers} worker(s).", flush=True)
        jobs = [(setup, c, args.kills, args.seed, root) for c in commands]
        with cf.ProcessPoolExecutor(args.workers) as pool:
            streams = list(pool.map(_stream_job, jobs))
        print(report(streams))
        if args.json:
            print(json.dumps([{k: v for k, v in s.__dict__.items() if k != "delays"} for s in streams]))
        return 1 if any(s.failures for s in streams) else 0
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
