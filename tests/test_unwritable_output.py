"""An output folder that cannot be written, or an output file another program holds open (issue 19.5):
every writing command and button ends with one Indonesian line (exit 2), never the errno or the
system's English text.

Tests run as root in CI, and root ignores permission bits. So a folder is made
unwritable for real with the immutable attribute (`chattr +i`, where the file
system has it), a path is led through a regular file (ENOTDIR), and a file
held open by Excel on Windows (which refuses to be replaced) is what
`os.replace` raises there: a PermissionError naming the file.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from jikubata.entrypoints import cli
from tests.support.workbooks import NIP_ANI, NIP_BUDI, basic, signer_settings

NOV7 = dt.date(2026, 11, 7)
COMMANDS = {
    "rekap": ["--periode", "2026-11"],
    "surat": ["--periode", "2026-11"],
    "mingguan": ["--per-tanggal", "2026-11-22"],
    "formulir": ["--periode", "2026-11"],
}
OS_TEXT = ("Errno", "errno", "Permission", "denied", "Operation not permitted", "Not a directory", "Read-only",
           "Traceback", "PermissionError", "OSError")


@pytest.fixture
def data(tmp_path) -> Path:
    return basic(tmp_path / "masukan" / "dinkes.xlsx", purchases=[
        (NOV7, NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie sagu", 15000, "N1"),
        (NOV7, NIP_BUDI, "Budi Pattiasina", "Bagea Kenari Hative", "Bagea", 40000, "N2")],
        extra={"Pengaturan": signer_settings()})


def run(capsys, command: str, data: Path, out: Path) -> tuple[int, str]:
    code = cli.main([command, str(data), *COMMANDS[command], "--keluaran", str(out)])
    err = capsys.readouterr().err
    return code, err


def one_indonesian_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert not any(word in err for word in OS_TEXT), err
    return lines[0]


@pytest.fixture
def immutable(tmp_path):
    """Make a path immutable (root cannot write into it either); skip where the file system has no such flag."""
    made = []
    if shutil.which("chattr") is None:
        pytest.skip("chattr tidak tersedia")

    def freeze(path: Path) -> Path:
        r = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if r.returncode != 0:
            pytest.skip("sistem berkas ini tidak mengenal atribut immutable")
        made.append(path)
        return path

    yield freeze
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_folder_that_cannot_be_written_ends_with_one_line_and_exit_2(tmp_path, capsys, data, immutable, command):
    out = tmp_path / "keluaran"
    out.mkdir()
    immutable(out)
    code, err = run(capsys, command, data, out)
    assert code == 2
    line = one_indonesian_line(err)
    assert f"folder keluaran {out} tidak dapat ditulis" in line and "petugas TI" in line


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_output_path_through_a_file_ends_with_one_line_and_exit_2(tmp_path, capsys, data, command):
    plain = tmp_path / "catatan.txt"
    plain.write_text("bukan folder")
    out = plain / "keluaran"
    code, err = run(capsys, command, data, out)
    assert code == 2
    line = one_indonesian_line(err)
    assert f"folder keluaran {out} tidak dapat ditulis (jalurnya melewati sebuah berkas, bukan folder)" in line


def held_open_by_excel(monkeypatch, name_starts: str) -> None:
    """Windows refuses to replace a file Excel has open: os.replace raises PermissionError (WinError 5)."""
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst).name.startswith(name_starts) and Path(dst).exists():
            raise PermissionError(13, "Access is denied", str(src), None, str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("command, name", [("rekap", "Rekap-Jiku-Bata-2026-11.xlsx"),
                                           ("surat", "Daftar-Surat-2026-11.xlsx"),
                                           ("mingguan", "Rekap-Jiku-Bata-2026-11.xlsx")])
def test_an_output_file_open_in_excel_is_named_with_what_to_do(tmp_path, capsys, data, monkeypatch, command, name):
    out = tmp_path / "keluaran"
    assert run(capsys, command, data, out)[0] == 0
    written = next(out.rglob(name))
    before = written.read_bytes()
    held_open_by_excel(monkeypatch, name)
    code, err = run(capsys, command, data, out)
    assert code == 2
    line = one_indonesian_line(err)
    assert line == f"Galat: berkas {written} sedang dipakai program lain (tutup di Excel), lalu ulangi"
    assert written.read_bytes() == before
    assert not [p for p in written.parent.iterdir() if ".tmp" in p.name]   # no temporary file left behind


def test_an_output_file_that_cannot_be_replaced_for_real_is_in_use(tmp_path, capsys, data, immutable):
    out = tmp_path / "keluaran"
    assert run(capsys, "rekap", data, out)[0] == 0
    written = immutable(out / "Rekap-Jiku-Bata-2026-11.xlsx")
    code, err = run(capsys, "rekap", data, out)
    assert code == 2
    assert one_indonesian_line(err) == f"Galat: berkas {written} sedang dipakai program lain (tutup di Excel), lalu ulangi"


def _button_book(folder: Path) -> Path:
    from tests.support.jikubata_book import filled_copy

    return filled_copy(folder / "JikuBata.xlsm", {
        "Pegawai": [[NIP_ANI, "Ani Latuconsina", "Kepala Seksi", "IV.a", "Dinas Kesehatan", "Aktif"]],
        "Belanja": [[dt.datetime(2026, 11, 7), NIP_ANI, "Ani Latuconsina", "Mie Sagu", "Mie", 5000, "N1"]],
        "UMKM": [["Mie Sagu"]]}, "2026-11", as_text=True)


def _press(book: Path, action: str) -> tuple[str, bool]:
    from jikubata.adapters.clock import Clock
    from jikubata.entrypoints import buttons
    from tests.support.openpyxl_port import OpenpyxlPort

    port = OpenpyxlPort(book)
    text = buttons.run(port, action, clock=Clock.fixed(dt.datetime(2026, 11, 25, 9, tzinfo=dt.timezone.utc)))
    ((message, error),) = port.messages
    assert message == text
    return text, error


def test_the_buttons_name_a_recap_open_in_excel(tmp_path, monkeypatch):
    book = _button_book(tmp_path)
    assert _press(book, "buat_rekap")[1] is False
    held_open_by_excel(monkeypatch, "Rekap-Jiku-Bata-2026-11")
    text, error = _press(book, "buat_rekap")
    assert error and text == (f"Proses dihentikan: berkas {tmp_path / 'Rekap-Jiku-Bata-2026-11.xlsx'} sedang dipakai "
                              "program lain (tutup di Excel), lalu ulangi")


@pytest.mark.parametrize("action", ["buat_rekap", "buat_surat", "buat_formulir"])
def test_the_buttons_name_a_folder_that_cannot_be_written(tmp_path, immutable, action):
    folder = tmp_path / "kerja"
    folder.mkdir()
    book = _button_book(folder)
    immutable(folder)
    text, error = _press(book, action)
    assert error and f"folder keluaran {folder}" in text and "tidak dapat ditulis" in text, text
    assert not any(word in text for word in OS_TEXT), text


# ---------------------------------------------------------------- Ctrl-C during `surat` (issue 19.6)


def _letters_state(out: Path) -> tuple[dict, bool]:
    from jikubata.adapters.register import Register

    with Register(out) as register:
        numbers = {e.file: e.number for e in register.entries()}
    return numbers, (out / "Daftar-Surat-2026-11.xlsx").exists()


@pytest.mark.parametrize("where", ["_render_job", "write_index"])
def test_ctrl_c_during_surat_says_what_is_kept_and_the_same_command_completes_it(tmp_path, capsys, data,
                                                                                  monkeypatch, where):
    from jikubata.adapters import letters

    out = tmp_path / "keluaran"
    real, calls = getattr(letters, where), []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2 or where == "write_index":
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(letters, where, interrupted)
    code, err = run(capsys, "surat", data, out)
    assert code == 130
    assert one_indonesian_line(err).startswith("Dibatalkan: surat yang sudah bernomor tetap tercatat; jalankan lagi "
                                               "perintah yang sama untuk melengkapi")
    kept, indexed = _letters_state(out)
    assert not indexed
    monkeypatch.setattr(letters, where, real)
    assert run(capsys, "surat", data, out)[0] == 0
    numbers, indexed = _letters_state(out)
    assert indexed and all(numbers[f] == n for f, n in kept.items() if n)
    assert all(numbers.values()) and all((out / f).is_file() for f in numbers)


def test_ctrl_c_during_other_commands_says_their_files_are_whole(capsys):
    from jikubata.entrypoints.cli import _interrupted

    assert _interrupted(["--debug", "rekap", "data"]).startswith("Dibatalkan: rekap yang sudah ada tetap utuh")
    assert _interrupted(["hitung", "data"]) == "Dibatalkan."
