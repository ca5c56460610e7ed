"""Atomic output files: written to a temporary file beside the target, then renamed.

A reader never sees a half-written file and a failed run leaves the previous
version in place.
"""
from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from pathlib import Path
from typing import Iterator, Optional

from jikubata.domain.errors import InputError


@contextlib.contextmanager
def atomic_path(target: os.PathLike | str) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success rename it over the target."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem[:40]}.", suffix=f".tmp{target.suffix}", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as f:
            os.fsync(f.fileno())
        # mkstemp makes the file private (0600); give it the mode any new file would have,
        # so colleagues reading a shared output folder can open it.
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(target: os.PathLike | str, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


# The names `atomic_path` gives its temporary files: `.<stem>.<8 characters from mkstemp>.tmp<suffix>`.
_TEMPORARY_NAME = re.compile(r"^\..*\.[a-z0-9_]{8}\.tmp(\.[A-Za-z0-9]{1,10})?$")


def is_temporary_name(name: str) -> bool:
    """Whether `name` is one of our temporary files (a user's own `.`-files never match)."""
    return bool(_TEMPORARY_NAME.match(name))


def remove_temporary_files(folder: os.PathLike | str) -> int:
    """Delete the temporary files a killed writer left in `folder` (not its subfolders); return how many.

    A run killed while writing (power cut, SIGKILL) cannot delete its
    temporary file. Call this only when no other writer can be at work in the
    folder, i.e. while holding its output lock (`locking.output_lock` does).
    """
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if is_temporary_name(entry.name):
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)
                    removed += 1
    return removed


# ---------------------------------------------------------------- when an output cannot be written

# What Windows says when Excel holds a file open: access denied, sharing violation, lock violation.
_WINDOWS_IN_USE = {5, 32, 33}
_IN_USE = {errno.EACCES, errno.EPERM, errno.EBUSY, errno.ETXTBSY}


def unwritable(exc: OSError, folder: os.PathLike | str) -> InputError:
    """One Indonesian line for an output under `folder` that could not be written: a file another program
    holds open, or a folder that cannot be written. Never the errno or the system's English text.

    The file is the one being replaced (`os.replace` names it second) or created; a file that exists
    and may not be replaced is in use (Excel on Windows keeps every workbook it has open so).
    """
    folder = Path(folder)
    named = exc.filename2 or exc.filename
    target = Path(os.fsdecode(named)) if named else None
    if target is not None and not is_temporary_name(target.name) and not target.name.startswith(".jikubata") \
            and (exc.errno in _IN_USE or getattr(exc, "winerror", None) in _WINDOWS_IN_USE) \
            and _is_file(target):
        return InputError(f"berkas {target} sedang dipakai program lain (tutup di Excel), lalu ulangi")
    if target is not None and (exc.errno == errno.EISDIR or (exc.filename2 and _is_dir(target))):
        return InputError(f"berkas {target} tidak dapat ditulis: di tempatnya ada folder bernama sama; pindahkan "
                          "atau ganti nama folder itu, lalu ulangi")
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        reason = "disk penuh"
    elif exc.errno == errno.ENOTDIR or (_exists(folder) and not folder.is_dir()):
        reason = "jalurnya melewati sebuah berkas, bukan folder"
    elif exc.errno == errno.EROFS:
        reason = "folder hanya-baca"
    else:
        reason = "tidak ada izin menulis"
    return InputError(f"folder keluaran {folder} tidak dapat ditulis ({reason}); pilih folder lain atau minta "
                      "izin tulis kepada petugas TI, lalu ulangi")


def written_under(exc: BaseException, folder: os.PathLike | str) -> Optional[OSError]:
    """The file-system error behind `exc` (itself, or the error an adapter turned into its own message)
    when it concerns a path inside `folder`; None for any other error (a socket, a template elsewhere…)."""
    for error in (exc, exc.__context__):
        if isinstance(error, OSError) and not isinstance(error, BrokenPipeError) and error.filename:
            base = os.path.abspath(folder)
            if any(path == base or path.startswith(base.rstrip(os.sep) + os.sep)
                   for path in (os.path.abspath(os.fsdecode(name)) for name in (error.filename, error.filename2)
                                if name)):
                return error
    return None


def _is_file(path: Path) -> bool:
    with contextlib.suppress(OSError):
        return path.is_file()
    return False


def _is_dir(path: Path) -> bool:
    with contextlib.suppress(OSError):
        return path.is_dir()
    return False


def _exists(path: Path) -> bool:
    with contextlib.suppress(OSError):
        return path.exists()
    return False
