"""A full disk is a clear failure, never a success (issue 20 point 2).

The quick tests check how a full disk is recognised; the slow ones run the
commands as a user does, with the output folder on a small tmpfs (mounted as
root; skipped where mounting is impossible) filled to several levels: every
run either succeeds with whole outputs, or exits 2 with the one Indonesian line
"ruang disk penuh di <folder>; kosongkan lalu jalankan lagi" and no traceback,
and nothing half-written sits under a final name.
"""
from __future__ import annotations

import datetime as dt
import errno
import io
import os
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest
from xlsxwriter.exceptions import FileCreateError

from jikubata.adapters import disk, pdf
from jikubata.adapters.atomic import is_temporary_name
from jikubata.domain.errors import DiskFullError, InputError
from tests.support import workbooks as W
from tests.support.cli import jikubata

ENOSPC = OSError(errno.ENOSPC, "No space left on device")


def _raised_from(inner):
    try:
        try:
            raise inner
        except OSError as exc:
            raise InputError(f"Daftar surat tidak dapat ditulis ({exc.strerror}).") from None
    except InputError as outer:
        return outer


@pytest.mark.parametrize("exc", [
    ENOSPC,
    FileCreateError(ENOSPC),
    sqlite3.OperationalError("database or disk is full"),
    _raised_from(ENOSPC),
], ids=["oserror", "xlsxwriter", "sqlite", "our-own-line"])
def test_a_full_disk_is_recognised_however_it_is_wrapped(exc):
    assert disk.is_disk_full(exc)


@pytest.mark.parametrize("exc", [OSError(errno.EACCES, "Permission denied"), InputError("berkas rusak"),
                                 sqlite3.OperationalError("database is locked")])
def test_other_failures_are_not_a_full_disk(exc):
    assert not disk.is_disk_full(exc)


def test_a_full_disk_while_writing_is_one_indonesian_line_naming_the_folder(tmp_path):
    with pytest.raises(DiskFullError) as caught:
        with disk.disk_full_is_clear(tmp_path):
            raise FileCreateError(ENOSPC)
    assert str(caught.value) == f"ruang disk penuh di {tmp_path}; kosongkan lalu jalankan lagi"
    assert isinstance(caught.value, InputError)     # exit status 2, as every unusable run


def _pdf(pages=2) -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(595, 842)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def test_only_a_whole_pdf_is_accepted(tmp_path):
    whole = tmp_path / "utuh.pdf"
    whole.write_bytes(_pdf())
    assert pdf.is_whole_pdf(whole)
    data = whole.read_bytes()
    for cut in (0, 20, len(data) // 2, len(data) - 8):
        part = tmp_path / f"potong-{cut}.pdf"
        part.write_bytes(data[:cut])
        assert not pdf.is_whole_pdf(part), cut
    junk = tmp_path / "sampah.pdf"
    junk.write_bytes(b"%PDF-1.7\n" + b"x" * 500 + b"\n%%EOF\n")
    assert not pdf.is_whole_pdf(junk)


def test_temporary_folders_of_dead_runs_older_than_an_hour_are_removed(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    old = [tmp_path / f"jikubata-lo-{dead.pid}-abc", tmp_path / f"jikubata-pdf-{dead.pid}-def",
           tmp_path / "jikubata-lo-xyz"]                          # an older version's name, without a pid
    young = tmp_path / f"jikubata-pdf-{dead.pid}-new"
    alive = tmp_path / f"jikubata-lo-{os.getpid()}-mine"
    mine = tmp_path / "jikubata-lainnya"                          # not ours
    for d in old + [young, alive, mine]:
        (d / "sub").mkdir(parents=True)
        (d / "sub" / "f.pdf").write_bytes(b"x")
    two_hours_ago = dt.datetime.now().timestamp() - 7200
    for d in old + [alive, mine]:
        os.utime(d, (two_hours_ago, two_hours_ago))

    assert pdf.remove_stale_temporaries(tmp_path) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([young.name, alive.name, mine.name])


# ---------------------------------------------------------------- on a real full disk (tmpfs)


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MiB tmpfs at tmp_path/disk; `fill(free)` leaves about `free` bytes."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("tmpfs perlu root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"tmpfs tidak dapat dipasang: {done.stderr.decode(errors='replace').strip()}")

    def fill(free: int) -> Path:
        for p in mount.iterdir():
            shutil.rmtree(p) if p.is_dir() else p.unlink()
        size = shutil.disk_usage(mount).free - free
        with open(mount / "pengisi.bin", "wb") as f:
            f.write(b"\0" * max(0, size))
        out = mount / "keluaran"
        return out

    try:
        yield fill
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _inputs(tmp_path: Path) -> Path:
    return W.basic(tmp_path / "masukan" / "pusat.xlsx", purchases=[
        (dt.date(2025, 11, 7), W.NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie", 5_000, "N1"),
        (dt.date(2025, 11, 8), W.NIP_DEDI, "Dedi Matulessy", "Mie Sagu Mama Ona", "Mie", 7_000, "N2")],
        extra={"OPD": [["Nama OPD", "Email"], ["Dinas Kesehatan", "dinkes@example.org"],
                       ["Kecamatan Sirimau", "sirimau@example.org"]], "Pengaturan": W.signer_settings()})


COMMANDS = {
    "rekap": lambda src, out: ["rekap", src, "--periode", "2025-11", "--keluaran", out],
    "mingguan": lambda src, out: ["mingguan", src, "--per-tanggal", "2025-11-16", "--keluaran", out],
    "formulir": lambda src, out: ["formulir", src, "--periode", "2025-12", "--keluaran", out],
    "surat": lambda src, out: ["surat", src, "--periode", "2025-11", "--keluaran", out],
}
FREE = (0, 12 * 1024, 40 * 1024, 120 * 1024)


def assert_whole_outputs(out: Path) -> list[str]:
    """Every file under a final name is whole; no temporary file is left. Returns the files' names."""
    names = []
    if not out.exists():
        return names
    for path in out.rglob("*"):
        if path.is_dir():
            continue
        names.append(path.name)
        assert not is_temporary_name(path.name) and not path.name.startswith(".ruang-"), f"left: {path}"
        if path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as z:
                assert z.testzip() is None, path
        elif path.suffix == ".pdf":
            assert pdf.is_whole_pdf(path), path
        elif path.suffix in (".sqlite", ".sqlite3"):
            with sqlite3.connect(path) as db:
                assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", path
    return names


def check_run(done: subprocess.CompletedProcess, out: Path) -> None:
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    assert "Galat tak terduga" not in done.stderr, done.stderr
    if done.returncode == 2:
        assert done.stderr.strip().splitlines() == [
            f"Galat: ruang disk penuh di {out}; kosongkan lalu jalankan lagi"], done.stderr
    else:
        assert done.returncode == 0, done.stderr
    assert_whole_outputs(out)


@pytest.mark.slow
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_command_on_a_full_disk_fails_clearly_or_writes_everything(small_disk, tmp_path, command):
    source = _inputs(tmp_path)
    codes = []
    for free in FREE:
        out = small_disk(free)
        done = jikubata(*COMMANDS[command](source, out))
        check_run(done, out)
        codes.append(done.returncode)
    assert codes[0] == 2            # no room at all: never a success
    out = small_disk(1_500_000)     # room again: the same command completes
    done = jikubata(*COMMANDS[command](source, out))
    assert done.returncode == 0, done.stderr
    assert_whole_outputs(out)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice diperlukan untuk PDF")
@pytest.mark.parametrize("free", [0, 60 * 1024, 200 * 1024])
def test_surat_pdf_on_a_full_disk_never_reports_success_with_missing_pdfs(small_disk, tmp_path, free):
    source = _inputs(tmp_path)
    out = small_disk(free)
    done = jikubata(*COMMANDS["surat"](source, out), "--pdf")
    check_run(done, out)
    if done.returncode == 0:
        docs = sorted(p.stem for p in out.rglob("Surat-*/*.docx"))
        assert docs and sorted(p.stem for p in out.rglob("Surat-*/*.pdf")) == docs


def test_a_button_on_a_full_disk_says_so_in_one_indonesian_sentence(tmp_path, monkeypatch):
    from jikubata import services
    from jikubata.entrypoints import buttons
    from tests.support.openpyxl_port import OpenpyxlPort
    from tests.test_excel import TODAY, fill

    path = fill(tmp_path / "JikuBata.xlsm")

    def full(*args, **kwargs):
        with disk.disk_full_is_clear(tmp_path / "keluaran"):
            raise FileCreateError(ENOSPC)

    monkeypatch.setattr(services, "write_summary", full)
    port = OpenpyxlPort(path)
    text = buttons.run(port, "buat_rekap", today=TODAY)
    assert text == f"Proses dihentikan: ruang disk penuh di {tmp_path / 'keluaran'}; kosongkan lalu jalankan lagi"
    assert port.messages[-1][1]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice diperlukan untuk PDF")
def test_a_full_temporary_folder_is_named_and_no_pdf_is_half_written(small_disk, tmp_path):
    """LibreOffice stages in the temporary folder: when that is full it writes cut PDFs; none is accepted."""
    source = _inputs(tmp_path)
    temp = small_disk(300 * 1024).parent
    out = tmp_path / "keluaran"
    env = dict(os.environ, TMPDIR=str(temp), PYTHONIOENCODING="utf-8")
    import sys

    done = subprocess.run([sys.executable, "-m", "jikubata", *COMMANDS["surat"](source, out), "--pdf"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == f"Galat: ruang disk penuh di {temp}; kosongkan lalu jalankan lagi"
    assert_whole_outputs(out)
    assert not list(out.rglob("*.pdf"))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice diperlukan untuk PDF")
def test_a_pdf_run_removes_what_killed_runs_left_and_leaves_nothing_itself(tmp_path):
    """Issue 20 point 5: staging and LibreOffice profiles live in the temporary folder, never in the output
    folder; those of dead runs older than an hour go at the next PDF run, as do `.pdf-*` folders that older
    versions staged in the letters' folder."""
    import sys

    source = _inputs(tmp_path)
    out, temp = tmp_path / "keluaran", tmp_path / "tmp"
    temp.mkdir()
    env = dict(os.environ, TMPDIR=str(temp), PYTHONIOENCODING="utf-8")
    argv = [sys.executable, "-m", "jikubata", *COMMANDS["surat"](source, out), "--pdf"]
    assert subprocess.run(argv, capture_output=True, env=env, timeout=300).returncode == 0
    letters = next(out.glob("Surat-*"))
    dead = subprocess.Popen(["true"])
    dead.wait()
    left = [letters / ".pdf-k1ll3d", temp / f"jikubata-lo-{dead.pid}-k1ll3d", temp / f"jikubata-pdf-{dead.pid}-x"]
    for d in left:
        (d / "user").mkdir(parents=True)
        (d / "user" / "Surat.pdf").write_bytes(b"%PDF-1.7 terpotong")
        os.utime(d, (0, 0))

    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert not any(d.exists() for d in left)
    assert not [p.name for p in temp.iterdir() if p.name.startswith("jikubata-")]
    assert not [p for p in out.rglob("*") if p.is_dir() and p.name.startswith(".")]
