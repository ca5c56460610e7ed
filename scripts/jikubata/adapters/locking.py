"""One run at a time per output folder.

The weekly schedule, `jikubata mingguan`, `surat` and the Excel buttons all
write into an output folder (workbooks, letters, the SQLite register and
history). Two of them at once could hand out a letter number twice or mix two
weeks, so each takes `output_lock(out_dir)` first.

The lock is an operating-system file lock (filelock: `flock` on Linux,
`msvcrt.locking` on Windows) on `out_dir/.jikubata.lock`: the system releases
it when the holder ends, even after a crash or a power cut, so a stale lock
never blocks the next run. Beside it, `.jikubata.lock.json` says who holds it
(process, command, since when) so the one that has to wait can say why.

Within one process the lock is reentrant (taking it again nests), though
each service takes it exactly once (`services._lock`).

Whoever takes the lock first removes the temporary files a killed run left
(see `atomic.remove_temporary_files`): every writer into the folder holds
the lock, so any temporary file found then belongs to no live run.
"""
from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
from pathlib import Path
from typing import Callable, Iterator, Optional

import filelock

from jikubata.adapters.atomic import remove_temporary_files, unwritable, write_bytes_atomic
from jikubata.adapters.clock import SYSTEM
from jikubata.domain.indonesian import timestamp
from jikubata.domain.errors import BusyError

LOCK_NAME = ".jikubata.lock"
HOLDER_NAME = ".jikubata.lock.json"


def _now_text() -> str:
    return timestamp(SYSTEM.now(), seconds=True)


def _default_command() -> str:
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    if name in ("__main__.py", "-c", ""):
        name = "jikubata"
    return " ".join([name, *sys.argv[1:]])[:300]


def holder(out_dir: os.PathLike | str) -> Optional[dict]:
    """Who holds the lock of `out_dir` as last recorded (pid, command, since, host), or None."""
    try:
        info = json.loads((Path(out_dir) / HOLDER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def describe_holder(info: Optional[dict]) -> str:
    """`PID 1234, perintah "jikubata mingguan …", sejak 23-11-2026 07:00:01 WIT` (Indonesian)."""
    if not info:
        return "proses lain (keterangan pemegang kunci tidak tersedia)"
    host = f" di komputer {info['host']}" if info.get("host") and info.get("host") != socket.gethostname() else ""
    return (f"PID {info.get('pid', '?')}{host}, perintah \"{info.get('command', '?')}\", "
            f"sejak {info.get('since', '?')}")


def _lock(out_dir: Path) -> filelock.FileLock:
    # is_singleton: one object per lock file in this process, so taking it again nests.
    return filelock.FileLock(str(out_dir / LOCK_NAME), is_singleton=True)


@contextlib.contextmanager
def output_lock(out_dir: os.PathLike | str, *, wait: float = 0.0, command: Optional[str] = None,
                on_wait: Optional[Callable[[str], None]] = None) -> Iterator[Path]:
    """Hold the lock of `out_dir` for the `with` block; yield the folder.

    `wait`: seconds to wait for another holder to finish (0 = one attempt,
    negative = as long as it takes). When the lock cannot be had in that
    time, raise `BusyError` with an Indonesian message naming the holder.
    `on_wait(message)` is called once when the lock is busy and we start
    waiting, so an entry point can tell the user.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from jikubata.domain.errors import InputError

        if out_dir.exists() and not out_dir.is_dir():
            raise InputError(f"keluaran '{out_dir}' adalah sebuah berkas, bukan folder: pilih folder lain") from None
        raise unwritable(exc, out_dir) from None
    lock = _lock(out_dir)
    started = time.monotonic()
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        if wait == 0:
            raise BusyError(_busy_message(out_dir, 0)) from None
        if on_wait is not None:
            on_wait(f"Folder keluaran sedang dipakai: {describe_holder(holder(out_dir))}. Menunggu…")
        try:
            lock.acquire(timeout=wait if wait > 0 else -1, poll_interval=0.1)
        except filelock.Timeout:
            raise BusyError(_busy_message(out_dir, time.monotonic() - started)) from None
    outermost = lock.lock_counter == 1
    try:
        if outermost:
            _remove_leftovers(out_dir)
            info = {"pid": os.getpid(), "command": command or _default_command(), "since": _now_text(),
                    "host": socket.gethostname()}
            with contextlib.suppress(OSError):
                write_bytes_atomic(out_dir / HOLDER_NAME, json.dumps(info, ensure_ascii=False).encode("utf-8"))
        yield out_dir
    finally:
        if outermost:
            current = holder(out_dir)
            if current and current.get("pid") == os.getpid():
                with contextlib.suppress(OSError):
                    (out_dir / HOLDER_NAME).unlink()
        lock.release()


# Where runs write below the locked folder: `Surat-YYYY-MM/`, `Surat/Surat-YYYY-MM/` (buttons), `mingguan/YYYY-Www/`.
_LEFTOVER_DEPTH = 2
_LEFTOVER_FOLDERS_MAX = 500


def _remove_leftovers(out_dir: Path) -> None:
    """Temporary files of killed runs in `out_dir` and its subfolders (two levels down).

    A subfolder with a lock of its own is another output folder, written by
    runs that hold that other lock: it is left alone.
    """
    todo, seen = [(out_dir, 0)], 0
    while todo and seen < _LEFTOVER_FOLDERS_MAX:
        folder, depth = todo.pop()
        seen += 1
        remove_temporary_files(folder)
        if depth == _LEFTOVER_DEPTH:
            continue
        try:
            subfolders = [Path(e.path) for e in os.scandir(folder)
                          if not e.name.startswith(".") and e.is_dir(follow_symlinks=False)]
        except OSError:
            continue
        todo += [(sub, depth + 1) for sub in subfolders if not (sub / LOCK_NAME).exists()]


def _busy_message(out_dir: Path, waited: float) -> str:
    waited_text = f" (sudah menunggu {waited:.0f} detik)" if waited >= 1 else ""
    return (f"folder keluaran '{out_dir}' sedang dipakai oleh {describe_holder(holder(out_dir))}{waited_text}. "
            f"Tunggu sampai proses itu selesai, lalu jalankan lagi.")
