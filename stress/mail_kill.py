"""Email at least once, recognisably: SIGKILL the sender right after the SMTP server accepts a message.

    python -m stress.mail_kill [--delays 0,5,10,20,30,45,60,90] [--trials 1] [--runs 8] [--keep DIR]

A real SMTP server (aiosmtpd) runs on 127.0.0.1 in this process. Its handler
accepts each message and, once per run, starts a timer that kills the client
process (`python -m jikubata surat … --pdf --kirim`, or `jadwal --sekali` for
the weekly email) `delay` milliseconds later: before the client has recorded
the delivery, or while it sends the next letter. The command is then run
again, every run armed again but the last of `--runs`, until a run ends
without being killed. Checked per trial:

- every letter with an address (every weekly email) reached the server;
- every second copy carries the same Message-ID as the first;
- the outbox holds every message as `terkirim`;
- no run prints a traceback.

Figures printed: trials, kills, duplicates (same Message-ID), duplicates under
another Message-ID (must be 0), letters lost (must be 0).
"""
from __future__ import annotations

import argparse
import datetime as dt
import email
import email.policy
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

PERIOD = "2025-11"
SIGNER = [["Pengaturan", "Nilai"], ["Nama Penandatangan", "Drs. Yohanes Contoh, M.Si."],
          ["Pangkat Penandatangan", "Pembina Utama Muda (IV/c)"], ["NIP Penandatangan", "196901011990031001"],
          ["Email Penerima Rekap", "sekda@example.org, admin@example.org"]]
OFFICES = (("Dinas Kesehatan", "dinkes@example.org"), ("Dinas Pariwisata", "dispar@example.org"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_inputs(folder: Path, per_office: int = 3) -> Path:
    """A central workbook: signer, offices with addresses, officials with addresses, one purchase per office."""
    import openpyxl

    from jikubata.domain import schema

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    people = []
    for o, (office, _) in enumerate(OFFICES):
        for i in range(per_office):
            nip = f"1980{o + 1:02d}{i + 1:02d}201001{1 + i % 2}{o * 10 + i + 1:03d}"
            eselon = "III.a" if i == 0 else "IV.a"
            people.append([nip, f"Pejabat {o + 1}-{i + 1}", f"Kepala Seksi {i + 1}", eselon, office, "Aktif", None,
                           None, f"pejabat{o + 1}{i + 1}@example.org"])
    sheets = {
        "Pengaturan": SIGNER,
        "Pegawai": [list(schema.EMPLOYEES.headers[:9])] + people,
        "OPD": [["Nama OPD", "Email"]] + [list(x) for x in OFFICES],
        "UMKM": [["Nama UMKM"], ["Mie Sagu Mama Ona"]],
        "Belanja": [list(schema.PURCHASES.headers[:7])] + [
            [dt.date(2025, 11, 7), people[o * per_office][0], people[o * per_office][1], "Mie Sagu Mama Ona",
             "Mie", 5_000, f"N{o}"] for o in range(len(OFFICES))],
    }
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value is not None:
                    cell = ws.cell(r, c, value)
                    if isinstance(value, str):
                        cell.data_type = "s"
                    elif isinstance(value, dt.date):
                        cell.number_format = "dd/mm/yyyy"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "JikuBata-Pusat.xlsx"
    wb.save(path)
    return path


class KillingInbox:
    """Accepts every message; once armed, kills `pid` `delay` seconds after accepting the first of a run."""

    def __init__(self):
        self.envelopes: list = []
        self.pid: Optional[int] = None
        self.delay = 0.0
        self.killed = False

    def arm(self, pid: int, delay: float) -> None:
        self.pid, self.delay, self.killed = pid, delay, False

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        if self.pid is not None and not self.killed:
            self.killed = True
            threading.Timer(self.delay, _kill, (self.pid,)).start()
        return "250 OK"

    def messages(self):
        return [(e.rcpt_tos, email.message_from_bytes(e.content, policy=email.policy.default)["Message-ID"])
                for e in self.envelopes]


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@dataclass
class Trial:
    kind: str
    delay_ms: float
    runs: int = 0
    kills: int = 0
    delivered: dict = field(default_factory=dict)     # recipients -> [Message-ID, …]
    expected: int = 0
    failures: list = field(default_factory=list)

    @property
    def copies(self) -> int:
        return sum(len(ids) - 1 for ids in self.delivered.values())

    @property
    def copies_under_another_id(self) -> int:
        return sum(len(set(ids)) - 1 for ids in self.delivered.values())

    @property
    def lost(self) -> int:
        return max(0, self.expected - len(self.delivered))


def _config(folder: Path, inputs: Path, out: Path, port: int) -> Path:
    path = folder / "jadwal.toml"
    path.write_text(f"inputs = ['{inputs}']\noutput = '{out}'\nlock_wait_minutes = 0\n[email]\n"
                    f"host = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\n"
                    f"from = \"jikubata@example.org\"\ntimeout = 10\n", encoding="utf-8")
    return path


def run_trial(kind: str, delay: float, work: Path, *, max_runs: int = 8) -> Trial:
    """One trial: a fresh folder, runs until one is not killed (the first is always armed)."""
    from aiosmtpd.controller import Controller

    trial = Trial(kind, delay * 1000)
    inputs = write_inputs(work / "masukan")
    out = work / "keluaran"
    inbox = KillingInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        config = _config(work, inputs, out, port)
        if kind == "surat":
            argv = ["surat", str(inputs), "--periode", PERIOD, "--keluaran", str(out), "--pdf", "--kirim",
                    "--konfigurasi", str(config)]
        else:
            argv = ["jadwal", "--konfigurasi", str(config), "--sekali"]
        env = dict(os.environ, PYTHONIOENCODING="utf-8")
        for attempt in range(max_runs):
            proc = subprocess.Popen([sys.executable, "-m", "jikubata", *argv], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
            if attempt < max_runs - 1:
                inbox.arm(proc.pid, delay)
            else:
                inbox.pid = None
            stdout, stderr = proc.communicate(timeout=300)
            trial.runs += 1
            if "Traceback" in stdout + stderr:
                trial.failures.append(f"traceback: {stderr[-300:]}")
            if proc.returncode == -signal.SIGKILL:
                trial.kills += 1
                _kill_group(proc.pid)   # a LibreOffice the killed run left (none expected: PDFs come first)
                continue
            if proc.returncode != 0:
                trial.failures.append(f"exit {proc.returncode}: {stderr.strip()[-300:]}")
            if kind == "surat" and inbox.killed is False and attempt == 0:
                trial.failures.append("no message reached the server")
            break
        for rcpts, ident in inbox.messages():
            trial.delivered.setdefault(tuple(rcpts), []).append(ident)
        trial.expected = _expected(kind, out)
        statuses = _outbox(out)
        if any(s != "terkirim" for s in statuses):
            trial.failures.append(f"outbox not all sent: {statuses}")
        if trial.copies_under_another_id:
            trial.failures.append(f"{trial.copies_under_another_id} copies under another Message-ID")
        if trial.lost:
            trial.failures.append(f"{trial.lost} messages lost")
    finally:
        controller.stop()
    return trial


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _expected(kind: str, out: Path) -> int:
    """Letters with an address (each with its own outbox row), or the weekly emails."""
    rows = _outbox_rows(out)
    return len({key for key, _ in rows}) if rows else (1 if kind == "jadwal" else len(OFFICES) * 4)


def _outbox_rows(out: Path) -> list:
    db = out / "jikubata.sqlite3"
    if not db.is_file():
        return []
    with sqlite3.connect(db) as con:
        return con.execute("SELECT week, status FROM mingguan_mail ORDER BY id").fetchall()


def _outbox(out: Path) -> list[str]:
    return [status for _, status in _outbox_rows(out)]


def report(trials: list[Trial]) -> str:
    lines = []
    by_kind = defaultdict(list)
    for t in trials:
        by_kind[t.kind].append(t)
    for kind, ts in by_kind.items():
        lines.append(f"{kind}: {len(ts)} percobaan, {sum(t.kills for t in ts)} kali dihentikan paksa, "
                     f"{sum(t.expected for t in ts)} surel diharapkan, "
                     f"{sum(t.copies for t in ts)} salinan kedua (Message-ID sama), "
                     f"{sum(t.copies_under_another_id for t in ts)} salinan dengan Message-ID lain, "
                     f"{sum(t.lost for t in ts)} hilang, {sum(bool(t.failures) for t in ts)} gagal")
        for t in ts:
            for f in t.failures:
                lines.append(f"  {kind} jeda {t.delay_ms:g} ms: {f}")
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--delays", default="0,5,10,20,30,45,60,90", help="milliseconds after the accept")
    ap.add_argument("--trials", type=int, default=1, help="trials per delay and command")
    ap.add_argument("--runs", type=int, default=8, help="runs per trial at most; all but the last are armed")
    ap.add_argument("--commands", default="surat,jadwal")
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="jikubata-mail-kill-", dir=args.keep))
    trials = []
    started = time.monotonic()
    try:
        for kind in args.commands.split(","):
            for ms in (float(x) for x in args.delays.split(",")):
                for n in range(args.trials):
                    trials.append(run_trial(kind, ms / 1000, root / f"{kind}-{ms:g}-{n}",
                                            max_runs=args.runs))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(report(trials))
    print(f"({time.monotonic() - started:.0f} s)")
    return 1 if any(t.failures for t in trials) else 0


if __name__ == "__main__":
    sys.exit(main())
