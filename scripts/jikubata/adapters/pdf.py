"""Office documents to PDF with LibreOffice, many files in one headless batch.

Starting LibreOffice costs seconds; converting a letter costs a fraction of
one. So every file of a run goes to ONE `soffice --convert-to pdf` call
(split only if the command line would be too long for the system), with a
private profile (`-env:UserInstallation`) so it neither collides with
another LibreOffice running on the machine nor touches the user's own.

Each PDF is converted into a private folder in the system's temporary folder
(never in the output folder, where a user would find it after a kill), is
accepted only when it is a whole PDF (it ends with `%%EOF`, pypdf opens it and
counts its pages), and is then copied into place atomically, so nobody ever
sees a half-written PDF under its final name. The profile and staging folders
carry the run's process id; a later run removes those of dead runs older
than an hour (`remove_stale_temporaries`).

Where LibreOffice is not installed the caller gets a clear Indonesian message
and no exception: PDFs are an extra, the letters themselves are already
written. A full disk is the exception: it raises `DiskFullError`.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

ENV_SOFFICE = "JIKUBATA_SOFFICE"  # full path of soffice, when it is not on PATH
_WINDOWS_PLACES = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                   r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")
_MAC_PLACE = "/Applications/LibreOffice.app/Contents/MacOS/soffice"
# Command-line budget per call: Windows allows 32 767 characters.
_MAX_COMMAND = 30_000 if sys.platform == "win32" else 200_000
# Our folders in the system's temporary folder: `jikubata-lo-<pid>-…` (profile), `jikubata-pdf-<pid>-…`.
_TEMP_NAME = re.compile(r"^jikubata-(?:lo|pdf)-(?:(\d+)-)?")
STALE_SECONDS = 3600
NOT_INSTALLED = ("PDF tidak dibuat: LibreOffice (soffice) tidak ditemukan di komputer ini. "
                 "Pasang LibreOffice, atau isi variabel lingkungan JIKUBATA_SOFFICE dengan lokasi soffice, "
                 "lalu jalankan lagi dengan --pdf. Berkas .docx sudah ditulis.")


@dataclass
class Conversion:
    """What a batch produced: document → PDF, the documents that failed, and a message."""

    pdfs: dict[Path, Path] = field(default_factory=dict)
    failed: list[Path] = field(default_factory=list)
    message: str = ""


def find_soffice() -> Optional[str]:
    """The soffice program: $JIKUBATA_SOFFICE, then PATH, then the usual install places."""
    configured = os.environ.get(ENV_SOFFICE)
    if configured:
        return configured if Path(configured).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for place in (*_WINDOWS_PLACES, _MAC_PLACE):
        if Path(place).is_file():
            return place
    return None


def convert_to_pdf(documents: Sequence[Path], *, timeout_per_file: float = 20.0,
                   soffice: Optional[str] = None) -> Conversion:
    """Convert `documents` to PDFs beside them (same stem, `.pdf`), in one LibreOffice batch.

    Documents must share one folder (the run's letter folder). Returns what
    was converted; never raises for a missing LibreOffice or a failed file,
    only `DiskFullError` when a disk it writes to is full.
    """
    result = Conversion()
    documents = [Path(d).resolve() for d in documents]
    if not documents:
        return result
    soffice = soffice or find_soffice()
    if soffice is None:
        result.message = NOT_INSTALLED
        return result
    folder = documents[0].parent
    if any(d.parent != folder for d in documents):
        raise ValueError("convert_to_pdf: all documents must be in one folder")

    from jikubata.adapters import disk
    from jikubata.adapters.atomic import atomic_path

    remove_stale_temporaries()
    _remove_old_staging(folder)
    pid = os.getpid()
    profile = Path(tempfile.mkdtemp(prefix=f"jikubata-lo-{pid}-"))
    staging = Path(tempfile.mkdtemp(prefix=f"jikubata-pdf-{pid}-"))
    try:
        for batch in _batches(documents, soffice, profile, staging):
            cmd = _command(soffice, profile, staging, [d.name for d in batch])
            try:
                subprocess.run(cmd, cwd=folder, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=60 + timeout_per_file * len(batch), check=False)
            except subprocess.TimeoutExpired:
                result.message = (f"PDF belum selesai: LibreOffice tidak selesai dalam batas waktu untuk "
                                  f"{len(batch)} berkas; yang sudah jadi tetap disimpan.")
            except OSError as exc:
                result.message = f"PDF tidak dibuat: LibreOffice tidak dapat dijalankan ({exc})."
                break
            for doc in batch:
                produced = staging / (doc.stem + ".pdf")
                if is_whole_pdf(produced):
                    target = doc.with_suffix(".pdf")
                    with atomic_path(target) as tmp:   # the output folder may be another disk: copy, then rename
                        shutil.copyfile(produced, tmp)
                    produced.unlink()
                    result.pdfs[doc] = target
                else:
                    result.failed.append(doc)
        if result.failed:
            # LibreOffice says nothing useful when it runs out of room: ask the disks.
            for place in (staging, profile, folder):
                if not disk.has_room(place):
                    raise disk.DiskFullError(folder if place == folder else Path(tempfile.gettempdir()))
        if result.failed and not result.message:
            names = ", ".join(d.name for d in result.failed[:3]) + (" …" if len(result.failed) > 3 else "")
            result.message = f"{len(result.failed)} berkas tidak dapat diubah menjadi PDF oleh LibreOffice: {names}"
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(profile, ignore_errors=True)
    return result


def is_whole_pdf(path: Path) -> bool:
    """A whole PDF: it ends with `%%EOF`, and pypdf (strict) opens it and counts at least one page."""
    try:
        size = path.stat().st_size
        if size < 64:
            return False
        with open(path, "rb") as f:
            f.seek(max(0, size - 1024))
            if b"%%EOF" not in f.read():
                return False
        from pypdf import PdfReader

        quiet = logging.getLogger("pypdf")
        level = quiet.level
        quiet.setLevel(logging.CRITICAL)   # pypdf warns in English on a damaged file; the answer is enough
        try:
            return len(PdfReader(str(path), strict=True).pages) > 0
        finally:
            quiet.setLevel(level)
    except Exception:   # any damage pypdf finds: not a whole PDF
        return False


def remove_stale_temporaries(base: Optional[Path] = None, *, older_than: float = STALE_SECONDS) -> int:
    """Remove our profile and staging folders left in the temporary folder by runs that were killed.

    A folder goes when its run's process is gone and it is older than `older_than` seconds (a folder
    without a process id, from an older version, only by age). Returns how many were removed.
    """
    base = Path(base or tempfile.gettempdir())
    removed = 0
    try:
        entries = list(os.scandir(base))
    except OSError:
        return 0
    from jikubata.adapters.clock import SYSTEM

    now = SYSTEM.now().timestamp()
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if not match or not entry.is_dir(follow_symlinks=False):
            continue
        with contextlib.suppress(OSError):
            if now - entry.stat(follow_symlinks=False).st_mtime < older_than:
                continue
            if match.group(1) and _alive(int(match.group(1))):
                continue
            shutil.rmtree(entry.path, ignore_errors=True)
            removed += not os.path.exists(entry.path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return False    # no cheap check; the hour's age is the guard
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _remove_old_staging(folder: Path) -> None:
    """`.pdf-*` folders that earlier versions staged inside the letters' folder and a kill left behind.

    Called under the output folder's lock, so no other run can be converting there.
    """
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(".pdf-") and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)


def _command(soffice: str, profile: Path, outdir: Path, names: Sequence[str]) -> list[str]:
    return [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
            "--nolockcheck", "--convert-to", "pdf", "--outdir", str(outdir), *names]


def _batches(documents: list[Path], soffice: str, profile: Path, outdir: Path):
    """One batch, unless the command line would exceed what the system accepts."""
    base = sum(len(a) + 3 for a in _command(soffice, profile, outdir, []))
    batch: list[Path] = []
    size = base
    for doc in documents:
        cost = len(doc.name) + 3
        if batch and size + cost > _MAX_COMMAND:
            yield batch
            batch, size = [], base
        batch.append(doc)
        size += cost
    if batch:
        yield batch
