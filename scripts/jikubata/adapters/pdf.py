"""Office documents to PDF with LibreOffice, many files in one headless batch.

Starting LibreOffice costs seconds; converting a letter costs a fraction of
one. So every file of a run goes to ONE `soffice --convert-to pdf` call
(split only if the command line would be too long for the system), with a
private profile (`-env:UserInstallation`) so it neither collides with
another LibreOffice running on the machine nor touches the user's own.

Each PDF is converted into a temporary folder beside its document and then
renamed into place, so a reader never sees a half-written PDF. Where
LibreOffice is not installed the caller gets a clear Indonesian message and
no exception: PDFs are an extra, the letters themselves are already written.
"""
from __future__ import annotations

import os
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
    was converted; never raises for a missing LibreOffice or a failed file.
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

    profile = Path(tempfile.mkdtemp(prefix="jikubata-lo-"))
    staging = Path(tempfile.mkdtemp(prefix=".pdf-", dir=folder))
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
                if produced.is_file() and produced.stat().st_size > 0:
                    target = doc.with_suffix(".pdf")
                    os.replace(produced, target)  # same folder: atomic
                    result.pdfs[doc] = target
                else:
                    result.failed.append(doc)
        if result.failed and not result.message:
            names = ", ".join(d.name for d in result.failed[:3]) + (" …" if len(result.failed) > 3 else "")
            result.message = f"{len(result.failed)} berkas tidak dapat diubah menjadi PDF oleh LibreOffice: {names}"
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(profile, ignore_errors=True)
    return result


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
