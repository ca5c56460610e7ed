"""One odd input never stops the others (issue 20 point 3): a CSV with a huge field, a file whose name is
not valid UTF-8, a NUL byte in a CSV, and calamine's Rust panic text, each beside a good central workbook."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from jikubata import services
from jikubata.adapters import files
from tests.support import workbooks as W
from tests.support.cli import jikubata

HEADER = "Tanggal;NIP;Nama Pegawai;UMKM;Produk;Jumlah (Rp);No. Nota\n"


def line(day: int, amount: str, receipt: str, product: str = "Mie") -> str:
    return f"{day:02d}/11/2025;'{W.NIP_ANI};Ani Latuconsina;Mie Sagu Mama Ona;{product};{amount};{receipt}\n"


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "masukan"
    W.basic(folder / "pusat.xlsx", purchases=[
        (dt.date(2025, 11, 7), W.NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie", 5_000, "N1")])
    return folder


def spent(folder, nip=W.NIP_ANI) -> int:
    result = services.calculate([folder], services.Period.parse("2025-11"))
    return next(e.spent for e in result.employees if e.nip == nip)


def codes(dataset, file_name):
    return [(p.code, p.place.cell) for p in dataset.problems if p.place.file == file_name]


def test_a_csv_with_a_field_over_the_csv_modules_default_limit_is_read(folder):
    (folder / "besar.csv").write_text(HEADER + line(8, "7000", "N2", product="x" * 200_000), encoding="utf-8")
    assert spent(folder) == 12_000


def test_a_field_longer_than_our_limit_makes_only_that_file_unreadable(folder, monkeypatch):
    monkeypatch.setattr(files, "CSV_FIELD_LIMIT", 1000)
    (folder / "besar.csv").write_text(HEADER + line(8, "7000", "N2", product='"' + "x" * 5000 + '"'),
                                      encoding="utf-8")
    (folder / "baik.csv").write_text(HEADER + line(9, "3000", "N3"), encoding="utf-8")
    dataset = services.check([folder])
    (problem,) = [p for p in dataset.problems if p.place.file == "besar.csv"]
    assert problem.code == "BERKAS_TIDAK_TERBACA" and "lebih panjang dari 1.000 karakter" in problem.message
    assert spent(folder) == 8_000     # the others still count


def test_a_nul_byte_spoils_only_its_row(folder):
    (folder / "nul.csv").write_bytes((HEADER + line(8, "7000", "N2")).encode().replace(b"7000", b"70\x0000")
                                     + line(9, "3000", "N3").encode())
    dataset = services.check([folder])
    assert codes(dataset, "nul.csv") == [("BARIS_TIDAK_TERBACA", "F2")]
    assert "byte NUL" in next(p.message for p in dataset.problems if p.code == "BARIS_TIDAK_TERBACA")
    assert spent(folder) == 8_000


def test_a_nul_byte_in_an_optional_column_still_makes_the_row_a_problem(folder):
    (folder / "nul.csv").write_bytes((HEADER + line(8, "7000", "N2", product="Mi\x00e")).encode())
    assert codes(services.check([folder]), "nul.csv") == [("BARIS_TIDAK_TERBACA", "E2")]
    assert spent(folder) == 5_000


@pytest.mark.parametrize("content", [
    (b"\x00\x01ab" * 1500),                                     # a quarter NULs
    b"\x89PNG\r\n\x1a\n" + bytes(range(1, 256)) * 10,            # a known magic number, no NUL at all
], ids=["mostly-nul", "png"])
def test_a_really_binary_file_named_csv_is_not_a_spreadsheet(folder, content):
    (folder / "biner.csv").write_bytes(content)
    dataset = services.check([folder])
    (problem,) = [p for p in dataset.problems if p.place.file == "biner.csv"]
    assert problem.code == "BERKAS_TIDAK_TERBACA" and "bukan spreadsheet" in problem.message
    assert spent(folder) == 5_000


def test_a_few_nuls_in_the_first_block_are_not_enough_to_call_a_csv_binary(folder):
    body = HEADER + line(8, "7000", "N2") + "".join(line(9, "1000", f"M{i}") for i in range(40))
    (folder / "sedikit.csv").write_bytes(body.encode().replace(b"Mie;1000;M3\n", b"Mi\x00;1000;M3\n"))
    assert codes(services.check([folder]), "sedikit.csv") == [("BARIS_TIDAK_TERBACA", "E6")]
    assert spent(folder) == 5_000 + 7_000 + 39 * 1_000


@pytest.mark.skipif(sys.platform == "win32", reason="nama berkas bukan UTF-8 hanya ada di sistem POSIX")
def test_a_file_name_that_is_not_utf8_is_read_and_shown_with_replacement_characters(folder, tmp_path):
    odd = os.fsencode(folder) + b"/belanja-\xe9t\xe9.csv"
    with open(odd, "wb") as f:
        f.write((HEADER + line(8, "7000", "N2") + line(9, "-5", "N3")).encode())
    shown = "belanja-\ufffdt\ufffd.csv"
    out = tmp_path / "keluaran"

    done = jikubata("hitung", folder, "--periode", "2025-11", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {m["berkas"] for m in data["masalah"]} >= {shown}
    assert next(p["belanja"] for p in data["pegawai"] if p["nip"] == W.NIP_ANI) == 12_000

    for args in (["rekap", folder, "--periode", "2025-11", "--keluaran", out],
                 ["mingguan", folder, "--per-tanggal", "2025-11-16", "--keluaran", out]):
        done = jikubata(*args)
        assert done.returncode == 0, done.stderr
        assert "rusak" not in done.stdout + done.stderr and "Traceback" not in done.stderr
    ws = openpyxl.load_workbook(out / "Rekap-Jiku-Bata-2025-11.xlsx")["Masalah Data"]
    assert shown in [c.value for c in ws["B"]]


def test_rust_panic_text_goes_to_the_log_and_other_stderr_lines_stay(capfd, caplog):
    import logging

    caplog.set_level(logging.DEBUG, logger="jikubata")
    with files.rust_panics_to_log():
        os.write(2, b"progres: membaca\n\nthread '<unnamed>' (6086) panicked at src/cfb.rs:345:44:\n"
                    b"range end index 64 out of range\nstack backtrace:\n   0: x\n"
                    b"note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.\n")
    err = capfd.readouterr().err
    assert err == "progres: membaca\n"
    assert "panicked at src/cfb.rs" in caplog.text


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice diperlukan untuk membuat .xls")
def test_a_cut_xls_is_reported_in_indonesian_without_rust_panic_text(folder, tmp_path):
    made = tmp_path / "xls"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}", "--headless",
                    "--convert-to", "xls", "--outdir", str(made), str(folder / "pusat.xlsx")],
                   capture_output=True, timeout=180, check=True)
    data = (made / "pusat.xls").read_bytes()
    (folder / "potong.xls").write_bytes(data[:len(data) * 99 // 100])
    done = jikubata("periksa", folder)
    assert done.returncode == 0
    assert "potong.xls" in done.stdout and "BERKAS_TIDAK_TERBACA" in done.stdout
    assert done.stderr == "", done.stderr
