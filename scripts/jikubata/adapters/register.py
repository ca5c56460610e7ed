"""The letter register (agenda surat keluar): a SQLite file in the output folder.

One row per letter: number, date, period, kind, recipient, file. It gives
each letter its number and keeps it: asking again for the same period, kind
and recipient returns the row already there, so a rerun writes the same
letter with the same number and date.

Numbers are claimed in ONE write transaction (`BEGIN IMMEDIATE`, which takes
SQLite's write lock before reading), so two runs at the same moment never
read the same "last number"; `UNIQUE(year, seq)` backs that up.

Crash safety — a number must never stand in the register for a letter that
was not written. A claim happens before the file exists, so a claimed row is
`pending` ("dicadangkan"); only after the file is in place (written
atomically) does `confirm()` mark it `issued` ("terbit"). What a crash can
leave behind, and how the next run settles it:

- a `pending` row whose file is in place (crash between the rename and the
  confirmation): `claim()` marks it issued — the file is there, so it was;
- a `pending` row without a file: it stays a reservation and is never shown
  as issued. When the same letter is asked for again it gets that number
  back (and is written and confirmed then); otherwise the number stays an
  unused reservation, as a cancelled number stays in a paper agenda book.

We prefer this to "write the file, then insert the row" because numbers
have to be known before rendering (they are printed in the letter), and all
of a run's numbers are claimed together, up front, in one transaction.

Keep the register on a local disk: SQLite's locking is unreliable on some
network shares.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from jikubata.adapters.clock import SYSTEM, Clock
from jikubata.domain.errors import BusyError, InputError
from jikubata.domain.indonesian import roman_month

REGISTER_FILE = "Register-Surat.sqlite"
PENDING, ISSUED = "pending", "issued"
_BUSY_TIMEOUT_S = 60
_PLACEHOLDERS = ("urut", "bulan_romawi", "bulan", "tahun")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS letters (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    number        TEXT    NOT NULL,
    letter_date   TEXT    NOT NULL,
    period        TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    recipient_key TEXT    NOT NULL,
    recipient     TEXT    NOT NULL,
    file          TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('pending', 'issued')),
    claimed_at    TEXT    NOT NULL,
    issued_at     TEXT,
    UNIQUE (year, seq),
    UNIQUE (period, kind, recipient_key),
    UNIQUE (file)
);
"""


@dataclass(frozen=True)
class Request:
    """A letter to number: `file` is the wanted path relative to the output folder."""

    kind: str
    recipient_key: str
    recipient: str
    file: str


@dataclass(frozen=True)
class Entry:
    """A register row."""

    id: int
    year: int
    seq: int
    number: str
    letter_date: dt.date
    period: str
    kind: str
    recipient_key: str
    recipient: str
    file: str
    state: str


def check_number_format(fmt: str) -> None:
    """Raise InputError unless `fmt` uses only the known placeholders and contains `{urut}`."""
    try:
        fields = [f for _, f, spec, _ in string.Formatter().parse(fmt) if f is not None]
        if not fields or any(f not in _PLACEHOLDERS for f in fields):
            raise ValueError
        format_number(fmt, 1, dt.date(2026, 1, 1))
    except (ValueError, KeyError, IndexError, TypeError):
        raise InputError(
            f"Format Nomor Surat '{fmt}' tidak dapat dipakai: gunakan hanya {{urut}}, {{bulan_romawi}}, "
            f"{{bulan}}, {{tahun}}, misalnya 500.2/{{urut}}/DISPERINDAG/{{bulan_romawi}}/{{tahun}}") from None
    if "urut" not in fields:
        raise InputError(f"Format Nomor Surat '{fmt}' harus memuat {{urut}} agar setiap nomor berbeda.")


def format_number(fmt: str, seq: int, day: dt.date) -> str:
    return fmt.format(urut=seq, bulan_romawi=roman_month(day.month), bulan=f"{day.month:02d}", tahun=day.year)


class Register:
    """The register file of one output folder. Use as a context manager."""

    def __init__(self, folder: Path | str, clock: Clock = SYSTEM):
        self.folder = Path(folder)
        self.clock = clock
        self.path = self.folder / REGISTER_FILE
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"Folder keluaran {self.folder} tidak dapat dibuat ({exc.strerror or exc}).") from None
        try:
            self._db = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
            self._db.execute(_SCHEMA)
        except sqlite3.OperationalError as exc:
            raise self._error(exc) from None
        except sqlite3.DatabaseError as exc:
            raise InputError(f"Register surat {self.path} rusak atau bukan berkas SQLite ({exc}).") from None

    def __enter__(self) -> "Register":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # ------------------------------------------------------------ claiming

    def claim(self, period: str, requests: Sequence[Request], today: dt.date, number_format: str) -> list[Entry]:
        """The register row of each request, in order: the existing one, or a new pending one.

        All in one write transaction. New rows get the next numbers of
        `today`'s year and a file name not used by any other row (a suffix
        `-2`, `-3`… is added; compared case-insensitively, as on Windows).
        """
        check_number_format(number_format)
        now = self.clock.now().isoformat(timespec="seconds")
        try:
            self._begin()
            try:
                self._settle_pending(now)
                used = {f.casefold() for (f,) in self._db.execute("SELECT file FROM letters")}
                (last,) = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM letters WHERE year = ?",
                                           (today.year,)).fetchone()
                entries: list[Entry] = []
                for req in requests:
                    row = self._db.execute(
                        "SELECT * FROM letters WHERE period = ? AND kind = ? AND recipient_key = ?",
                        (period, req.kind, req.recipient_key)).fetchone()
                    if row is None:
                        last += 1
                        file = unique_file(req.file, used)
                        used.add(file.casefold())
                        cur = self._db.execute(
                            "INSERT INTO letters (year, seq, number, letter_date, period, kind, recipient_key,"
                            " recipient, file, state, claimed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                            (today.year, last, format_number(number_format, last, today), today.isoformat(),
                             period, req.kind, req.recipient_key, req.recipient, file, PENDING, now))
                        row = self._db.execute("SELECT * FROM letters WHERE id = ?", (cur.lastrowid,)).fetchone()
                    entries.append(_entry(row))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            raise self._error(exc) from None
        return entries

    def confirm(self, entries: Iterable[Entry]) -> None:
        """Mark letters issued; call only once their files are in place."""
        now = self.clock.now().isoformat(timespec="seconds")
        ids = [(now, e.id) for e in entries if e.state != ISSUED]
        if not ids:
            return
        try:
            self._begin()
            self._db.executemany("UPDATE letters SET state = 'issued', issued_at = ? WHERE id = ? "
                                 "AND state = 'pending'", ids)
            self._db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise self._error(exc) from None

    def entries(self, period: str | None = None) -> list[Entry]:
        sql, args = "SELECT * FROM letters", ()
        if period is not None:
            sql, args = sql + " WHERE period = ?", (period,)
        return [_entry(r) for r in self._db.execute(sql + " ORDER BY year, seq", args)]

    # ------------------------------------------------------------ internals

    def _begin(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def _settle_pending(self, now: str) -> None:
        """A pending row whose file is in place was written: mark it issued (see the module docstring)."""
        for row_id, file in self._db.execute("SELECT id, file FROM letters WHERE state = 'pending'").fetchall():
            if (self.folder / file).is_file():
                self._db.execute("UPDATE letters SET state = 'issued', issued_at = ? WHERE id = ?", (now, row_id))

    def _error(self, exc: sqlite3.OperationalError) -> Exception:
        if "locked" in str(exc) or "busy" in str(exc):
            return BusyError(f"register surat {self.path} sedang dipakai proses lain; coba lagi sebentar lagi.")
        return InputError(f"Register surat {self.path} tidak dapat dibuka atau ditulis ({exc}).")


def _entry(row: tuple) -> Entry:
    (id_, year, seq, number, letter_date, period, kind, key, recipient, file, state) = row[:11]
    return Entry(id_, year, seq, number, dt.date.fromisoformat(letter_date), period, kind, key, recipient,
                 file, state)


def unique_file(wanted: str, used: set[str]) -> str:
    if wanted.casefold() not in used:
        return wanted
    stem, dot, ext = wanted.rpartition(".")
    if not dot:
        stem, ext = wanted, ""
    n = 2
    while f"{stem}-{n}{dot}{ext}".casefold() in used:
        n += 1
    return f"{stem}-{n}{dot}{ext}"
