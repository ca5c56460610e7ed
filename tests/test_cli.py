"""The command line: output, JSON of SPEC §5, exit status, no traceback.

Through a real subprocess where the process is the point (the JSON on stdout, one stderr line and no
traceback whatever the input, help without a command); in this process (`jikubata_here`) otherwise."""
import datetime as dt
import hashlib
import json

import pytest

from tests.support.cli import jikubata as jb
from tests.support.cli import jikubata_here
from tests.support.workbooks import NIP_ANI, NIP_BUDI, NIP_CICI, basic, write

NOV7 = dt.date(2026, 11, 7)


@pytest.fixture
def book(tmp_path):
    return basic(tmp_path / "dinkes.xlsx", purchases=[
        (NOV7, NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie sagu", "Rp 15.000", "N1"),
        (NOV7, NIP_BUDI, "Budi Pattiasina", "Bagea Kenari Hative", "Bagea", 100000, "N2"),
        (NOV7, NIP_CICI, "Cici Tuasikal", "Toko Sebelah", "Kopi", 10000, "N3"),
    ])


def test_hitung_json_is_the_spec_object(book):
    r = jb("hitung", book, "--periode", "2026-11", "--per-tanggal", "2026-11-20", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["periode"] == "2026-11" and out["per_tanggal"] == "2026-11-20"
    ani = next(p for p in out["pegawai"] if p["nip"] == NIP_ANI)
    assert ani == {"nip": NIP_ANI, "nama": "Ani Latuconsina", "opd": "Dinas Kesehatan", "tingkat": "ESELON_IV",
                   "minimum": 20000, "belanja": 15000, "kekurangan": 5000, "status": "KURANG",
                   "melapor": True, "bulan_berturut": 1}   # November 2026 has ended: its count is given
    cici = next(p for p in out["pegawai"] if p["nip"] == NIP_CICI)
    assert cici["minimum"] is None and cici["status"] == "TIDAK_WAJIB"
    dinkes = next(o for o in out["opd"] if o["opd"] == "Dinas Kesehatan")
    assert dinkes == {"opd": "Dinas Kesehatan", "wajib": 2, "memenuhi": 1, "kurang": 1, "belanja": 115000,
                      "kekurangan": 5000, "melapor": True}
    assert out["masalah"] == [{"berkas": "dinkes.xlsx", "lembar": "Belanja", "sel": "D4", "tingkat": "GALAT",
                               "kode": "UMKM_TIDAK_TERDAFTAR", "pesan": out["masalah"][0]["pesan"]}]
    assert "Toko Sebelah" in out["masalah"][0]["pesan"]


def test_hitung_table_is_readable_indonesian(book):
    r = jikubata_here("hitung", book, "--periode", "2026-11", "--per-tanggal", "2026-11-20")
    assert r.returncode == 0, r.stderr
    assert "November 2026" in r.stdout and "Dinas Kesehatan" in r.stdout and "Rp5.000" in r.stdout
    assert "belum memenuhi minimum: 1" in r.stdout  # Ani; Kecamatan Sirimau sent no purchase: no verdict
    assert "Belum melapor" in r.stdout and "Kecamatan Sirimau." in r.stdout


def test_periksa_groups_problems_by_file_and_sheet(book):
    r = jikubata_here("periksa", book)
    assert r.returncode == 0, r.stderr
    assert "dinkes.xlsx — lembar Belanja (1 masalah)" in r.stdout
    assert "D4" in r.stdout and "UMKM_TIDAK_TERDAFTAR" in r.stdout


def test_inputs_are_never_modified(book):
    before = hashlib.sha256(book.read_bytes()).hexdigest()
    jikubata_here("periksa", book)
    jikubata_here("hitung", book, "--periode", "2026-11", "--json")
    assert hashlib.sha256(book.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("args, says", [
    (["hitung", "{book}", "--periode", "2026-13"], "bulan harus 01 sampai 12"),
    (["hitung", "{book}", "--periode", "November"], "periode 'November' tidak valid"),
    (["hitung", "{book}", "--periode", "2026-11", "--per-tanggal", "30/11/2026"], "tanggal '30/11/2026' tidak valid"),
    (["hitung", "{book}"], "--periode"),
    (["hitung", "{missing}", "--periode", "2026-11"], "tidak ditemukan"),
    (["periksa", "{csv}"], "bukan workbook Excel yang valid"),
    (["periksa", "{nopegawai}"], "tidak ada lembar 'Pegawai'"),
    (["periksa", "{broken}"], "broken.xlsx"),
])
def test_unusable_input_exits_2_with_one_indonesian_line(tmp_path, book, args, says):
    (tmp_path / "csv.xlsx").write_text("Tanggal;NIP\n")
    write(tmp_path / "nopegawai.xlsx", {"Belanja": [["Tanggal"]]})
    (tmp_path / "broken.xlsx").write_bytes(book.read_bytes()[:500])
    paths = {"book": book, "missing": tmp_path / "hilang.xlsx", "csv": tmp_path / "csv.xlsx",
             "nopegawai": tmp_path / "nopegawai.xlsx", "broken": tmp_path / "broken.xlsx"}
    r = jb(*[a.format(**paths) for a in args])
    assert r.returncode == 2
    assert says in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert r.stdout == ""


def test_no_command_shows_help_and_exits_2():
    r = jb()
    assert r.returncode == 2 and "PERINTAH" in r.stdout


def test_console_script_entry_point_is_installed():
    from importlib.metadata import entry_points

    assert any(e.name == "jikubata" and e.value == "jikubata.entrypoints.cli:main" for e in entry_points(group="console_scripts"))


def test_terminal_report_shows_no_control_characters_from_inputs():
    from jikubata.entrypoints import report
    from jikubata.domain.model import Dataset, Employee, Period, Purchase, Settings, Tier, compute

    people = [Employee(NIP_ANI, "Ani\x1b[31mMerah", "Kasi", Tier.ESELON_IV, "Dinas\x1b[2J")]
    bought = [Purchase(dt.date(2026, 11, 7), NIP_ANI, "Mie Sagu", 5_000)]
    text = report.result_text(compute(Dataset(Settings(), people, bought, [], [], []), Period(2026, 11),
                                      dt.date(2026, 11, 30)))
    assert "\x1b" not in text and "Ani [31mMerah" in text


def test_table_with_nobody_obliged_still_prints():
    from jikubata.entrypoints import report
    from jikubata.domain.model import Dataset, Period, Settings, compute

    text = report.result_text(compute(Dataset(Settings(), [], [], [], [], []), Period(2026, 11), dt.date(2026, 11, 30)))
    assert "Jumlah" in text and "belum memenuhi minimum: 0" in text


def test_templat_salin_copies_the_shipped_templates_and_keeps_an_edited_copy(tmp_path):
    from jikubata import resources

    folder = tmp_path / "templat-kantor"
    r = jikubata_here("templat", "--salin", folder)
    assert r.returncode == 0, r.stderr
    shipped = {p.name: p.read_bytes() for p in resources.shipped_templates_dir().iterdir() if p.is_file()}
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == shipped
    assert "JIKUBATA_TEMPLATES" in r.stdout and str(folder.resolve()) in r.stdout

    (folder / "surat-opd.docx").write_bytes(b"diubah di Word")
    r = jikubata_here("templat", "--salin", folder)
    assert r.returncode == 0 and "tidak ditimpa" in r.stdout
    assert (folder / "surat-opd.docx").read_bytes() == b"diubah di Word"


def test_templat_without_salin_names_the_installed_folder_and_the_override(tmp_path, monkeypatch):
    monkeypatch.setenv("JIKUBATA_TEMPLATES", str(tmp_path))
    r = jikubata_here("templat")
    assert r.returncode == 0 and str(tmp_path) in r.stdout and "Templat bawaan" in r.stdout


def test_templat_into_a_folder_that_cannot_be_made_is_one_clear_line(tmp_path):
    blocker = tmp_path / "berkas"
    blocker.write_text("bukan folder")
    r = jikubata_here("templat", "--salin", blocker / "templat")
    assert r.returncode == 2 and r.stderr.startswith("Galat: templat tidak dapat disalin") and "Traceback" not in r.stderr
