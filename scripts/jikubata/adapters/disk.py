"""A full disk is a clear failure, never a success (README: Keandalan).

Writing an output can fail deep inside a library: `OSError(ENOSPC)` from a
write, XlsxWriter's `FileCreateError` around it, SQLite's "database or disk is
full", or one of our own Indonesian `InputError`s raised from any of these. A
service wraps its writing in `disk_full_is_clear(folder)`, which turns every
such failure into one `DiskFullError`: exit status 2 and the line
"ruang disk penuh di <folder>; kosongkan lalu jalankan lagi". Outputs are
atomic (`adapters.atomic`), so nothing half-written is left under a final name.
"""
from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Iterator

from jikubata.domain.errors import DiskFullError

_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), getattr(errno, "EFBIG", errno.ENOSPC)}
_SQLITE_FULL = 13        # SQLITE_FULL: "database or disk is full"
PROBE_BYTES = 256 * 1024


def is_disk_full(exc: BaseException) -> bool:
    """Whether `exc`, or an error it was raised from or wraps, says the disk is full."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, DiskFullError):
            return True
        if isinstance(e, OSError) and e.errno in _FULL_ERRNOS:
            return True
        if isinstance(e, sqlite3.Error) and (getattr(e, "sqlite_errorcode", None) == _SQLITE_FULL
                                             or "disk is full" in str(e)):
            return True
        if "No space left on device" in str(e):
            return True
        todo += [e.__cause__, e.__context__, *(a for a in e.args if isinstance(a, BaseException))]
    return False


@contextlib.contextmanager
def disk_full_is_clear(folder: os.PathLike | str) -> Iterator[None]:
    """Turn a full disk met while writing into `folder` into one `DiskFullError` naming it."""
    try:
        yield
    except DiskFullError:
        raise
    except Exception as exc:
        if is_disk_full(exc):
            raise DiskFullError(folder) from None
        raise


def has_room(folder: os.PathLike | str, size: int = PROBE_BYTES) -> bool:
    """Whether `size` bytes can still be written into `folder` (a probe file, written, synced, deleted).

    Asked after a program we do not control (LibreOffice) failed to write: was the disk the cause?
    """
    try:
        fd, name = tempfile.mkstemp(prefix=".ruang-", dir=folder)
    except OSError as exc:
        return exc.errno not in _FULL_ERRNOS
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(b"\0" * size)
            f.flush()
            os.fsync(f.fileno())
        return True
    except OSError as exc:
        return exc.errno not in _FULL_ERRNOS
    finally:
        with contextlib.suppress(OSError):
            Path(name).unlink()


def quiet_unraisable(unraisable) -> None:
    """`sys.unraisablehook`: an error raised while an object is cleaned up (a ZipFile that could not
    write its end on a full disk, collected at exit) goes to the log, never as a traceback on screen."""
    import logging

    logging.getLogger("jikubata").debug("diabaikan saat membersihkan %r: %r", unraisable.object,
                                        unraisable.exc_value)
