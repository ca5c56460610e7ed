"""Inputs are never modified (SPEC §3): every command leaves every input byte-identical, mtime included,
whether inputs are named as files or as a folder, and even when the output folder is the input folder."""
import datetime as dt
import hashlib
import os

import pytest

from tests.support.cli import jikubata, jikubata_here
from tests.support.workbooks import NIP_ANI, NIP_BUDI, NIP_CICI, basic

NOV7 = dt.date(2026, 11, 7)


def fingerprint(folder):
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns, p.stat().st_size)
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "masukan"
    basic(folder / "dinkes.xlsx", purchases=[
        (NOV7, NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie sagu", "Rp 15.000", "N1"),
        (NOV7, NIP_BUDI, "Budi Pattiasina", "Bagea Kenari Hative", "Bagea", 100000, "N2"),
        (NOV7, NIP_CICI, "Cici Tuasikal", "Toko Sebelah", "Kopi", "=1+1", "N3"),
    ])
    # The Kecamatan's own roster (one Lurah), not a copy of Dinkes': a copied roster counts nobody (NIP_GANDA),
    # and letters are never written about data that does not count.
    basic(folder / "kec-sirimau.xlsm", purchases=[(NOV7, NIP_ANI, "Ani", "Mie Sagu Mama Ona", "Mie", 5000, "K1")],
          people=[("198506152010011003", "Eko Latumahina", "Lurah Batu Merah", "IV.a", "Kecamatan Sirimau")])
    old = 1_600_000_000_000_000_000  # an mtime long ago: a rewrite would change it
    for p in folder.iterdir():
        os.utime(p, ns=(old, old))
    return folder


COMMANDS = {
    "periksa": ["periksa", "{in}"],
    "hitung": ["hitung", "{in}", "--periode", "2026-11", "--per-tanggal", "2026-11-20", "--json"],
    "rekap": ["rekap", "{in}", "--periode", "2026-11", "--keluaran", "{out}"],
    "surat": ["surat", "{in}", "--periode", "2026-11", "--keluaran", "{out}"],
    "mingguan": ["mingguan", "{in}", "--keluaran", "{out}", "--per-tanggal", "2026-11-20"],
    "formulir": ["formulir", "{in}", "--periode", "2026-11", "--keluaran", "{out}"],
}


def jb(args):
    return jikubata(*args, timeout=300)


@pytest.mark.slow  # every command, twice, as a child process
@pytest.mark.parametrize("as_folder", [False, True], ids=["files", "folder"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_command_leaves_every_input_byte_identical(tmp_path, inputs, command, as_folder):
    args = COMMANDS[command]
    before = fingerprint(inputs)
    paths = [str(inputs)] if as_folder else [str(p) for p in sorted(inputs.iterdir())]
    argv = []
    for a in args:
        argv += paths if a == "{in}" else [a.replace("{out}", str(tmp_path / "keluaran"))]
    r = jb(argv)
    assert r.returncode == 0, r.stderr
    assert fingerprint(inputs) == before


@pytest.mark.slow
@pytest.mark.parametrize("command", ["rekap", "surat", "mingguan", "formulir"])
def test_writing_into_the_input_folder_leaves_the_inputs_untouched(inputs, command):
    args = COMMANDS[command]
    before = fingerprint(inputs)
    argv = []
    for a in args:
        argv += [str(p) for p in sorted(inputs.iterdir()) if p.name in before] if a == "{in}" \
            else [a.replace("{out}", str(inputs))]
    r = jb(argv)
    assert r.returncode == 0, r.stderr
    after = fingerprint(inputs)
    assert {k: after[k] for k in before} == before


def test_refused_input_is_left_untouched_too(tmp_path):
    (tmp_path / "rusak.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    before = fingerprint(tmp_path)
    r = jikubata_here("hitung", tmp_path / "rusak.xlsx", "--periode", "2026-11")
    assert r.returncode == 2
    assert fingerprint(tmp_path) == before
