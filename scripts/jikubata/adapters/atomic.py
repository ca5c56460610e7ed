"""Atomic output files: written to a temporary file beside the target, then renamed.

A reader never sees a half-written file and a failed run leaves the previous
version in place.
"""
from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path
from typing import Iterator


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
