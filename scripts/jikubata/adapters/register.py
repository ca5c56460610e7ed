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

A number never changes its content (README: Surat). Each row also has a
`status`: `dibuat` (written), `terkirim` (sent), `dibatalkan` (cancelled
before it was sent: its files move to `Dibatalkan/`), `diganti` (sent, then
replaced by a newer letter that names it). A request carries the letter's
`fingerprint`; asking again for the same period, mode, kind and recipient
with the same fingerprint gives the same row back, and with another
fingerprint a new number (see `claim`).

Keep the register on a local disk: SQLite's locking is unreliable on some
network shares.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
import string
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

from jikubata.adapters.atomic import write_bytes_atomic
from jikubata.adapters.clock import SYSTEM, Clock
from jikubata.domain.errors import BusyError, InputError
from jikubata.domain.indonesian import roman_month

REGISTER_FILE = "Register-Surat.sqlite"
PENDING, ISSUED = "pending", "issued"
# What became of a letter (README: Surat): shown in Daftar Surat.
WRITTEN, SENT, CANCELLED, REPLACED = "dibuat", "terkirim", "dibatalkan", "diganti"
LIVE = (WRITTEN, SENT)
CANCELLED_FOLDER = "Dibatalkan"
_SCHEMA_VERSION = 3
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
    status        TEXT    NOT NULL DEFAULT 'dibuat'
                          CHECK (status IN ('dibuat', 'terkirim', 'dibatalkan', 'diganti')),
    mode          TEXT    NOT NULL DEFAULT 'pengingat',
    fingerprint   TEXT    NOT NULL DEFAULT '',
    as_of         TEXT,
    replaces      INTEGER REFERENCES letters (id),
    status_at     TEXT,
    cancelled_from TEXT,          -- a cancelled letter's file before it was set aside in `Dibatalkan/`
    UNIQUE (year, seq),
    UNIQUE (file)
);
"""
# Version 1 (before letter statuses) allowed one row per period, kind and recipient.
_V1_COLUMNS = ("id, year, seq, number, letter_date, period, kind, recipient_key, recipient, file, state, "
               "claimed_at, issued_at")



@dataclass(frozen=True)
class Request:
    """A letter to number: `file` is the wanted path relative to the output folder; `fingerprint` what
    it says (README: Surat), `mode` `pengingat`/`pemberitahuan`, `as_of` the day its data runs to."""

    kind: str
    recipient_key: str
    recipient: str
    file: str
    fingerprint: str = ""
    mode: str = "pengingat"
    as_of: Optional[dt.date] = None


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
    status: str = WRITTEN
    mode: str = "pengingat"
    fingerprint: str = ""
    as_of: Optional[dt.date] = None
    replaces: Optional[int] = None
    status_at: Optional[str] = None

    @property
    def live(self) -> bool:
        return self.status in LIVE


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
        self.cancelled: list[str] = []   # the numbers the last `claim` cancelled
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"Folder keluaran {self.folder} tidak dapat dibuat ({exc.strerror or exc}).") from None
        try:
            self._db = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
            self._migrate()
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

    def claim(self, period: str, requests: Sequence[Request], today: dt.date, number_format: str, *,
              complete: bool = False, is_sent: Optional[Callable[[Entry], bool]] = None) -> list[Entry]:
        """The register row of each request, in order: the live one, or a new pending one.

        All in one write transaction. A live row (`dibuat`/`terkirim`) of the
        same period, mode, kind and recipient with the same fingerprint is
        given back: the letter is the same. With another fingerprint the
        letter changed, and a number never changes its content: an unsent
        old letter becomes `dibatalkan` (files moved to `Dibatalkan/`), a
        sent one `diganti`, and the request gets a new number (which names
        the one it replaces, when that was sent). With `complete`, the
        requests are the whole set for the period and mode: unsent live
        letters of nobody asked for are cancelled too. `is_sent(entry)`
        tells whether a letter went out (the outbox); such rows become
        `terkirim`. New rows get the next numbers of `today`'s year and a
        file name not used by any other row (a suffix `-2`, `-3`… is added;
        compared case-insensitively, as on Windows).
        """
        check_number_format(number_format)
        now = self.clock.now().isoformat(timespec="seconds")
        self.cancelled = []
        try:
            self._begin()
            try:
                self._settle_pending(now)
                used = {f.casefold() for (f,) in self._db.execute("SELECT file FROM letters")}
                (last,) = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM letters WHERE year = ?",
                                           (today.year,)).fetchone()
                modes = {req.mode for req in requests}
                live: dict[tuple, Entry] = {}
                for row in self._db.execute("SELECT * FROM letters WHERE period = ? AND status IN (?, ?) "
                                            "ORDER BY year, seq", (period, *LIVE)).fetchall():
                    entry = _entry(row)
                    if entry.status == WRITTEN and is_sent is not None and is_sent(entry):
                        entry = self._set_status(entry, SENT, now)
                    live[(entry.mode, entry.kind, entry.recipient_key)] = entry
                entries: list[Entry] = []
                for req in requests:
                    old = live.pop((req.mode, req.kind, req.recipient_key), None)
                    if old is not None and old.fingerprint == req.fingerprint:
                        entries.append(old)
                        continue
                    replaces = None
                    if old is not None:
                        if old.status == SENT:
                            self._set_status(old, REPLACED, now)
                            replaces = old.id
                        else:
                            used.add(self._cancel(old, now, used).casefold())
                    last += 1
                    file = unique_file(req.file, used)
                    used.add(file.casefold())
                    cur = self._db.execute(
                        "INSERT INTO letters (year, seq, number, letter_date, period, kind, recipient_key,"
                        " recipient, file, state, claimed_at, status, mode, fingerprint, as_of, replaces)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (today.year, last, format_number(number_format, last, today), today.isoformat(),
                         period, req.kind, req.recipient_key, req.recipient, file, PENDING, now, WRITTEN,
                         req.mode, req.fingerprint, req.as_of.isoformat() if req.as_of else None, replaces))
                    row = self._db.execute("SELECT * FROM letters WHERE id = ?", (cur.lastrowid,)).fetchone()
                    entries.append(_entry(row))
                if complete:
                    for (mode, _, _), old in live.items():
                        if mode in modes and old.status == WRITTEN:
                            used.add(self._cancel(old, now, used).casefold())
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            raise self._error(exc) from None
        self._remove_set_aside()
        return entries

    def mark_sent(self, numbers: Iterable[str]) -> None:
        """Letters that went out (the outbox said so): `terkirim`."""
        now = self.clock.now().isoformat(timespec="seconds")
        rows = [(now, n) for n in numbers]
        if not rows:
            return
        try:
            self._begin()
            self._db.executemany("UPDATE letters SET status = 'terkirim', status_at = ? WHERE number = ? "
                                 "AND status = 'dibuat'", rows)
            self._db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise self._error(exc) from None

    def find(self, entry_id: Optional[int]) -> Optional[Entry]:
        if entry_id is None:
            return None
        row = self._db.execute("SELECT * FROM letters WHERE id = ?", (entry_id,)).fetchone()
        return _entry(row) if row else None

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

    def mark_delivered(self, numbers: Sequence[str]) -> dict[str, Optional[str]]:
        """Letters handed over on paper (README: Surat): `dibuat` becomes `terkirim`, in one transaction.

        Returns each number's status before (None: no letter has that number; `PENDING`: its run was
        interrupted before the letter was written). Nothing is marked
        unless every number is a live letter (`dibuat` or `terkirim`): a mistyped number changes nothing.
        A letter sent is an act: when its figures change, the next run keeps it and writes a new letter
        that replaces it, instead of cancelling it."""
        now = self.clock.now().isoformat(timespec="seconds")
        found: dict[str, Optional[str]] = {}
        ids = []
        try:
            self._begin()
            for number in numbers:
                row = self._db.execute("SELECT id, status, state FROM letters WHERE number = ? "
                                       "ORDER BY id DESC LIMIT 1", (number,)).fetchone()
                found[number] = None if row is None else PENDING if row[2] == PENDING else row[1]
                if row is not None and row[1] == WRITTEN:
                    ids.append(row[0])
            if all(status in LIVE for status in found.values()):
                self._db.executemany("UPDATE letters SET status = ?, status_at = ? WHERE id = ?",
                                     [(SENT, now, i) for i in ids])
            self._db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise self._error(exc) from None
        return found

    def entries(self, period: str | None = None) -> list[Entry]:
        sql, args = "SELECT * FROM letters", ()
        if period is not None:
            sql, args = sql + " WHERE period = ?", (period,)
        return [_entry(r) for r in self._db.execute(sql + " ORDER BY year, seq", args)]

    # ------------------------------------------------------------ internals

    def _begin(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def _migrate(self) -> None:
        """Create the table, or bring a version-1 register (no statuses) to this version, keeping every row."""
        (version,) = self._db.execute("PRAGMA user_version").fetchone()
        if version >= _SCHEMA_VERSION:
            return
        self._begin()
        try:
            if version == 2:   # statuses, before letters were set aside by copying
                self._db.execute("ALTER TABLE letters ADD COLUMN cancelled_from TEXT")
                self._db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
                self._db.execute("COMMIT")
                return
            exists = self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'letters'"
                                      ).fetchone()
            if exists:
                self._db.execute("ALTER TABLE letters RENAME TO letters_v1")
            self._db.execute(_SCHEMA)
            if exists:
                self._db.execute(f"INSERT INTO letters ({_V1_COLUMNS}) SELECT {_V1_COLUMNS} FROM letters_v1")
                self._db.execute("DROP TABLE letters_v1")
            self._db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def _set_status(self, entry: Entry, status: str, now: str, file: Optional[str] = None) -> Entry:
        self._db.execute("UPDATE letters SET status = ?, status_at = ?, file = ? WHERE id = ?",
                         (status, now, file or entry.file, entry.id))
        return replace(entry, status=status, status_at=now, file=file or entry.file)

    def _cancel(self, entry: Entry, now: str, used: set[str]) -> str:
        """Mark a letter `dibatalkan` and set its files (the .docx and its .pdf) aside in `Dibatalkan/`.

        Crash-safe in three steps: the files are *copied* into `Dibatalkan/`
        (atomically) inside the claim's transaction; the row names the copy
        when the transaction commits; only then are the originals removed
        (`_remove_set_aside`, also at the start of the next claim). A crash at
        any point leaves every row's file in place: before the commit the row
        still names the original, after it the copy."""
        old = Path(entry.file)
        target = unique_file((old.parent / CANCELLED_FOLDER / old.name).as_posix(), used)
        src, dst = self.folder / entry.file, self.folder / target
        for a, b in ((src, dst), (src.with_suffix(".pdf"), dst.with_suffix(".pdf"))):
            if a.is_file():
                try:
                    b.parent.mkdir(parents=True, exist_ok=True)
                    write_bytes_atomic(b, a.read_bytes())
                except OSError as exc:
                    raise InputError(f"Surat {a} tidak dapat disalin ke {b.parent} ({exc.strerror or exc}).") \
                        from None
        self._db.execute("UPDATE letters SET cancelled_from = ? WHERE id = ?", (entry.file, entry.id))
        self._set_status(entry, CANCELLED, now, target)
        self.cancelled.append(entry.number)
        return target

    def _remove_set_aside(self) -> None:
        """Remove the originals of letters set aside in `Dibatalkan/` once the register names the copies, unless
        a live letter has since been given that file name."""
        try:
            rows = self._db.execute(
                "SELECT cancelled_from, file FROM letters WHERE status = 'dibatalkan' AND cancelled_from IS NOT NULL "
                "AND cancelled_from NOT IN (SELECT file FROM letters WHERE status IN ('dibuat', 'terkirim'))"
            ).fetchall()
        except sqlite3.OperationalError:
            return
        for original, copy in rows:
            a, b = self.folder / original, self.folder / copy
            for x, y in ((a, b), (a.with_suffix(".pdf"), b.with_suffix(".pdf"))):
                try:
                    if x.is_file() and y.is_file():
                        x.unlink()
                except OSError:
                    pass   # tried again by the next claim

    def _settle_pending(self, now: str) -> None:
        """A pending row whose file is in place was written: mark it issued (see the module docstring)."""
        for row_id, file in self._db.execute("SELECT id, file FROM letters WHERE state = 'pending'").fetchall():
            if (self.folder / file).is_file():
                self._db.execute("UPDATE letters SET state = 'issued', issued_at = ? WHERE id = ?", (now, row_id))
        self._remove_set_aside()   # what a crash after an earlier claim's commit left

    def _error(self, exc: sqlite3.OperationalError) -> Exception:
        if "locked" in str(exc) or "busy" in str(exc):
            return BusyError(f"register surat {self.path} sedang dipakai proses lain; coba lagi sebentar lagi.")
        return InputError(f"Register surat {self.path} tidak dapat dibuka atau ditulis ({exc}).")


def peek(folder: Path | str, period: str, requests: Sequence[Request]) -> list[Optional[Entry]]:
    """`Register.plan` on a register opened read-only (nothing created, nothing migrated): for `--coba`."""
    path = Path(folder) / REGISTER_FILE
    if not path.is_file():
        return [None] * len(requests)
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_S)
    except sqlite3.Error:
        return [None] * len(requests)
    try:
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if version < 2:   # before letter statuses: nothing to match
            return [None] * len(requests)
        live = {}
        for row in db.execute("SELECT * FROM letters WHERE period = ? AND status IN (?, ?)", (period, *LIVE)):
            e = _entry(row)
            live[(e.mode, e.kind, e.recipient_key)] = e
    except sqlite3.Error:
        return [None] * len(requests)
    finally:
        db.close()
    out = []
    for req in requests:
        old = live.get((req.mode, req.kind, req.recipient_key))
        out.append(old if old is not None and old.fingerprint == req.fingerprint else None)
    return out


def _entry(row: tuple) -> Entry:
    (id_, year, seq, number, letter_date, period, kind, key, recipient, file, state) = row[:11]
    status, mode, fingerprint, as_of, replaces, status_at = row[13:19]
    return Entry(id_, year, seq, number, dt.date.fromisoformat(letter_date), period, kind, key, recipient,
                 file, state, status, mode, fingerprint, dt.date.fromisoformat(as_of) if as_of else None,
                 replaces, status_at)


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
