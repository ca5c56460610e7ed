"""The weekly history: one SQLite file in the output folder.

Three tables, all prefixed `mingguan_` (the letter register may share the file):

- `mingguan_week` / `mingguan_snapshot`: one snapshot per ISO week, one row per
  office. Running a week again replaces its snapshot in one transaction, so
  the `Tren` never shows a week twice and a crash mid-write leaves the old one.
- `mingguan_run`: every scheduled run (its slot, start, end, outcome), from
  which the schedule decides whether a run was missed while the machine was off.
- `mingguan_mail`: each weekly email (and each letter's, under `surat:<number>`)
  as the exact message bytes, `tertunda` (pending) until a send succeeds, so a
  failed send is retried, never lost. Just before the SMTP exchange a message
  becomes `mengirim` (sending): a run killed before it heard the server's answer
  leaves it so, and the next run sends those bytes again — the same Message-ID,
  so a second copy is recognisably the same message (at least once, never lost).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional, Sequence

from jikubata.domain.model import OfficeTotals, Result

DB_NAME = "jikubata.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS mingguan_week (
    week TEXT PRIMARY KEY,          -- ISO week, "2026-W47"
    as_of TEXT NOT NULL,            -- the day D, ISO date
    period TEXT NOT NULL,           -- "2026-11"
    recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS mingguan_snapshot (
    week TEXT NOT NULL REFERENCES mingguan_week(week) ON DELETE CASCADE,
    office TEXT NOT NULL,
    position INTEGER NOT NULL,      -- the office's place in the result, to keep the OPD order
    obliged INTEGER NOT NULL,
    met INTEGER NOT NULL,
    short INTEGER NOT NULL,
    spent INTEGER NOT NULL,
    shortfall INTEGER NOT NULL,
    PRIMARY KEY (week, office)
);
CREATE TABLE IF NOT EXISTS mingguan_run (
    id INTEGER PRIMARY KEY,
    slot TEXT NOT NULL,             -- the scheduled time this run is for, ISO with offset
    started TEXT NOT NULL,
    finished TEXT,
    ok INTEGER,                     -- 1 success, 0 failure, NULL still running or killed
    week TEXT,
    message TEXT
);
CREATE TABLE IF NOT EXISTS mingguan_mail (
    id INTEGER PRIMARY KEY,
    week TEXT NOT NULL,
    subject TEXT NOT NULL,
    recipients TEXT NOT NULL,       -- comma separated
    message BLOB NOT NULL,          -- the whole RFC 5322 message, attachment included
    status TEXT NOT NULL,           -- 'tertunda' | 'mengirim' | 'terkirim'
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created TEXT NOT NULL,
    sent TEXT
);
"""

PENDING = "tertunda"
SENDING = "mengirim"     # handed to SMTP; the answer was not recorded (the run may have been killed)
SENT = "terkirim"


@dataclass(frozen=True)
class OfficeSnapshot(OfficeTotals):
    """An office's totals as recorded for an ISO week (compliance comes from OfficeTotals)."""

    week: str = ""
    as_of: Optional[dt.date] = None


@dataclass(frozen=True)
class Run:
    id: int
    slot: dt.datetime
    started: dt.datetime
    finished: Optional[dt.datetime]
    ok: Optional[bool]
    week: Optional[str]
    message: Optional[str]


@dataclass(frozen=True)
class Mail:
    id: int
    week: str
    subject: str
    recipients: tuple[str, ...]
    message: bytes
    status: str
    attempts: int
    last_error: Optional[str]


def week_key(day: dt.date) -> str:
    """The ISO week containing `day`: `2026-W47`."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


class History:
    """The SQLite file `out_dir/jikubata.sqlite3`; each method is one short transaction."""

    def __init__(self, out_dir: os.PathLike | str):
        self.path = Path(out_dir) / DB_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # A fresh connection per transaction: nothing stays open between runs, and
        # `with db:` commits or rolls back as one unit.
        db = sqlite3.connect(self.path, timeout=60)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            with db:
                yield db
        finally:
            db.close()

    # ------------------------------------------------------------ snapshots

    def save_snapshot(self, week: str, result: Result, recorded_at: dt.datetime) -> None:
        """Record `result` as the snapshot of `week`, replacing any earlier one of that week."""
        with self._connect() as db:
            db.execute("DELETE FROM mingguan_snapshot WHERE week = ?", (week,))
            db.execute("INSERT OR REPLACE INTO mingguan_week (week, as_of, period, recorded_at) VALUES (?, ?, ?, ?)",
                       (week, result.as_of.isoformat(), str(result.period), recorded_at.isoformat()))
            db.executemany(
                "INSERT INTO mingguan_snapshot (week, office, position, obliged, met, short, spent, shortfall)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(week, o.office, i, o.obliged, o.met, o.short, o.spent, o.shortfall)
                 for i, o in enumerate(result.offices)])

    def snapshots(self, *, before: Optional[str] = None, limit_weeks: Optional[int] = None) -> list[OfficeSnapshot]:
        """Snapshot rows of the weeks before `before` (all weeks if None), the latest `limit_weeks` of them,
        oldest week first, offices in their recorded order."""
        with self._connect() as db:
            weeks = [r[0] for r in db.execute(
                "SELECT week FROM mingguan_week WHERE (? IS NULL OR week < ?) ORDER BY week DESC",
                (before, before))]
            if limit_weeks is not None:
                weeks = weeks[:limit_weeks]
            rows = db.execute(
                "SELECT s.week, w.as_of, s.office, s.obliged, s.met, s.short, s.spent, s.shortfall"
                " FROM mingguan_snapshot s JOIN mingguan_week w USING (week)"
                f" WHERE s.week IN ({','.join('?' * len(weeks))}) ORDER BY s.week, s.position",
                weeks).fetchall()
        return [OfficeSnapshot(*r[2:], week=r[0], as_of=dt.date.fromisoformat(r[1])) for r in rows]

    # ------------------------------------------------------------ runs

    def start_run(self, slot: dt.datetime, started: dt.datetime) -> int:
        with self._connect() as db:
            cur = db.execute("INSERT INTO mingguan_run (slot, started) VALUES (?, ?)",
                             (slot.isoformat(), started.isoformat()))
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, finished: dt.datetime, ok: bool, week: Optional[str] = None,
                   message: Optional[str] = None) -> None:
        with self._connect() as db:
            db.execute("UPDATE mingguan_run SET finished = ?, ok = ?, week = ?, message = ? WHERE id = ?",
                       (finished.isoformat(), int(ok), week, message, run_id))

    def runs(self) -> list[Run]:
        with self._connect() as db:
            rows = db.execute("SELECT id, slot, started, finished, ok, week, message FROM mingguan_run ORDER BY id")
            return [Run(r[0], dt.datetime.fromisoformat(r[1]), dt.datetime.fromisoformat(r[2]),
                        dt.datetime.fromisoformat(r[3]) if r[3] else None,
                        None if r[4] is None else bool(r[4]), r[5], r[6]) for r in rows]

    def last_successful_slot(self) -> Optional[dt.datetime]:
        """The latest scheduled time that a run completed successfully for."""
        slots = [r.slot for r in self.runs() if r.ok]
        return max(slots) if slots else None

    # ------------------------------------------------------------ mail

    def queue_mail(self, week: str, subject: str, recipients: Sequence[str], message: bytes,
                   created: dt.datetime) -> int:
        """Keep a message to send; a pending message of the same week is replaced by the newer one.

        The same message (same Message-ID) already sent or being sent is not queued twice: its id is returned.
        """
        from jikubata.adapters.mail import message_id_of

        ident = message_id_of(message)
        with self._connect() as db:
            if ident:
                for mail_id, kept in db.execute("SELECT id, message FROM mingguan_mail WHERE week = ? AND status IN"
                                                " (?, ?) ORDER BY id DESC", (week, SENDING, SENT)).fetchall():
                    if message_id_of(bytes(kept)) == ident:
                        return int(mail_id)
            db.execute("DELETE FROM mingguan_mail WHERE week = ? AND status = ?", (week, PENDING))
            cur = db.execute(
                "INSERT INTO mingguan_mail (week, subject, recipients, message, status, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (week, subject, ",".join(recipients), message, PENDING, created.isoformat()))
            return int(cur.lastrowid)

    def mails(self, status: Optional[str] = None) -> list[Mail]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, week, subject, recipients, message, status, attempts, last_error FROM mingguan_mail"
                " WHERE (? IS NULL OR status = ?) ORDER BY id", (status, status)).fetchall()
        return [Mail(r[0], r[1], r[2], tuple(a for a in r[3].split(",") if a), bytes(r[4]), r[5], r[6], r[7])
                for r in rows]

    def pending_mails(self) -> list[Mail]:
        """Messages still to send: pending ones, and those a killed run left `mengirim` (sent again as they are)."""
        return [m for m in self.mails() if m.status in (PENDING, SENDING)]

    def mail(self, key: str) -> Optional[Mail]:
        """The message kept under `key` that counts: a sent one, else one being sent, else the latest pending."""
        with self._connect() as db:
            r = db.execute("SELECT id, week, subject, recipients, message, status, attempts, last_error"
                           " FROM mingguan_mail WHERE week = ? ORDER BY (status = ?) DESC, (status = ?) DESC,"
                           " id DESC LIMIT 1", (key, SENT, SENDING)).fetchone()
        return Mail(r[0], r[1], r[2], tuple(a for a in r[3].split(",") if a), bytes(r[4]), r[5], r[6], r[7]) \
            if r else None

    def mark_sending(self, mail_id: int) -> None:
        """Recorded before the SMTP exchange: if the run dies now, the next one sends this message again."""
        with self._connect() as db:
            db.execute("UPDATE mingguan_mail SET status = ? WHERE id = ?", (SENDING, mail_id))

    def mark_sent(self, mail_id: int, when: dt.datetime) -> None:
        with self._connect() as db:
            db.execute("UPDATE mingguan_mail SET status = ?, sent = ?, attempts = attempts + 1, last_error = NULL"
                       " WHERE id = ?", (SENT, when.isoformat(), mail_id))

    def delivery(self, key: str) -> tuple[str, Optional[str], Optional[str]]:
        """(status, sent time, last error) of the message kept under `key`; ("", None, None) if none.

        A letter's mail is kept under `surat:<number>`: once `terkirim`, it is never queued again.
        """
        with self._connect() as db:
            row = db.execute("SELECT status, sent, last_error FROM mingguan_mail WHERE week = ?"
                             " ORDER BY (status = ?) DESC, (status = ?) DESC, id DESC LIMIT 1",
                             (key, SENT, SENDING)).fetchone()
        return (row[0], row[1], row[2]) if row else ("", None, None)

    def withdraw_mail(self, key: str) -> int:
        """Drop the unsent messages kept under `key` (pending, or left `mengirim`): what they carried was
        delivered another way (a letter handed over on paper). Returns how many were dropped."""
        with self._connect() as db:
            return db.execute("DELETE FROM mingguan_mail WHERE week = ? AND status IN (?, ?)",
                              (key, PENDING, SENDING)).rowcount

    def mark_failed(self, mail_id: int, error: str) -> None:
        """The server did not take it: pending again, retried later."""
        with self._connect() as db:
            db.execute("UPDATE mingguan_mail SET status = ?, attempts = attempts + 1, last_error = ? WHERE id = ?",
                       (PENDING, error, mail_id))
