"""The TPP list for BKPSDM and `bulan_berturut` through files and the command line (issue 21)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess

import openpyxl
import pytest

from tests.support import workbooks as W
from tests.support.cli import jikubata_here as jikubata
from jikubata import services
from jikubata.adapters.clock import Clock
from jikubata.domain import tpp
from jikubata.domain.model import Period, Settings, Status, Tier
from jikubata.domain.errors import InputError

TODAY = dt.date.today()
CURRENT = Period.of(TODAY)
M3 = CURRENT.previous()          # the last finished month
M2 = M3.previous()
M1 = M2.previous()
HEALTH, DISTRICT = "Dinas Kesehatan", "Kecamatan Sirimau"
ALWAYS, AGAIN, SILENT, JOINED, FINE, NEIGHBOUR = (
    "198001012010012001", "197505052000031002", "196806061990031004", "198503032010011005",
    "197001012000011006", "197202022000011007")
MAYOR = "8171041801720001"      # a NIK: the Wali Kota, not ASN


def _three_months(path, *, settings_rows=()):
    people = [
        (ALWAYS, "Ani Latuconsina", "Kepala Seksi Gizi", "IV.a", HEALTH, "Aktif", None),
        (AGAIN, "Budi Pattiasina", "Kepala Seksi Farmasi", "IV.a", HEALTH, "Aktif", None),
        (FINE, "Frida Sahertian", "Kepala Bidang Pelayanan", "III.a", HEALTH, "Aktif", None),
        (SILENT, "Dedi Matulessy", "Kepala Seksi Pemerintahan", "IV.a", DISTRICT, "Aktif", None),
        (NEIGHBOUR, "Nina Tuanakotta", "Sekretaris Camat", "III.b", DISTRICT, "Aktif", None),
        (JOINED, "Joko Wattimena", "Kepala Seksi Umum", "IV.b", HEALTH, "Aktif", M2.first_day),
        (MAYOR, "Wali Kota Contoh", "Wali Kota Ambon", "Wali Kota", "Sekretariat Daerah", "Aktif", None),
    ]
    rows, n = [], 0

    def buy(nip, month, amount):
        nonlocal n
        n += 1
        rows.append((month.jiku_bata_day(7), nip, "", "Mie Sagu Mama Ona", "Mie", amount, f"N{n:04d}"))
    for month in (M1, M2, M3):
        buy(FINE, month, 30_000)
        buy(ALWAYS, month, 5_000)
        buy(AGAIN, month, 20_000 if month == M2 else 10_000)
        buy(MAYOR, month, 1_000)
        if month != M2:   # the district sends nothing for the middle month
            buy(SILENT, month, 1_000)
            buy(NEIGHBOUR, month, 30_000)
        if month != M1:
            buy(JOINED, month, 2_000)
    sheets = {"Pegawai": [["NIP", "Nama", "Jabatan", "Eselon", "OPD", "Status", "Tanggal Mulai"]]
              + [list(p) for p in people],
              "Belanja": W.purchase_rows(*rows), "UMKM": [["Nama UMKM"], ["Mie Sagu Mama Ona"]]}
    if settings_rows:
        sheets["Pengaturan"] = [["Pengaturan", "Nilai"], *settings_rows]
    return W.write(path, sheets)


DEDUCTIONS = (["Batas Berturut", 3], [], ["Bulan Berturut", "Potongan (%)"], [1, 0], [2, "2,5"], [3, "10%"])


@pytest.fixture
def book(tmp_path):
    return _three_months(tmp_path / "masukan" / "JikuBata.xlsx", settings_rows=DEDUCTIONS)


def counts(result):
    return {e.nip: e.short_run for e in result.employees}


def test_the_counts_over_three_months_of_files(book):
    result = services.calculate([book], M3, clock=Clock.fixed(TODAY))
    runs = counts(result)
    assert runs[ALWAYS] == 3          # short three months in a row
    assert runs[AGAIN] == 1           # short, fine, short
    assert runs[SILENT] == 2          # the office did not report in the middle month: skipped
    assert runs[JOINED] == 2          # joined in the middle month
    assert runs[FINE] == 0


def test_hitung_json_gives_bulan_berturut_for_a_finished_month_only(book):
    done = jikubata("hitung", book, "--periode", M3, "--json")
    assert done.returncode == 0, done.stderr
    people = {p["nip"]: p for p in json.loads(done.stdout)["pegawai"]}
    assert people[ALWAYS]["bulan_berturut"] == 3 and people[FINE]["bulan_berturut"] == 0
    running = jikubata("hitung", book, "--periode", CURRENT, "--json")
    assert running.returncode == 0, running.stderr
    assert all("bulan_berturut" not in p for p in json.loads(running.stdout)["pegawai"])


def test_the_potongan_tpp_table_is_read_from_pengaturan(book):
    settings = services.check([book]).settings
    assert settings.tpp_deductions == ((1, 0.0), (2, 2.5), (3, 10.0))


def test_an_unreadable_row_of_the_table_is_named_and_left_out(tmp_path):
    path = _three_months(tmp_path / "b.xlsx", settings_rows=(["Bulan Berturut", "Potongan (%)"], ["dua", 5],
                                                             [3, 150], [4, 20]))
    dataset = services.check([path])
    assert dataset.settings.tpp_deductions == ((4, 20.0),)
    bad = [p for p in dataset.problems if p.code == "PENGATURAN_TIDAK_VALID"]
    assert [p.place.cell for p in bad] == ["B3", "B4"]


def test_the_highest_row_not_above_the_count_applies():
    table = ((1, 0.0), (3, 10.0), (6, 25.0))
    assert [tpp.deduction(n, table) for n in (0, 1, 2, 3, 5, 6, 12)] == [0.0, 0.0, 0.0, 10.0, 10.0, 25.0, 25.0]
    assert tpp.deduction(4, ()) is None


def test_the_list_has_every_asn_obliged_worst_first_and_silent_offices_without_deduction(tmp_path):
    path = _three_months(tmp_path / "b.xlsx", settings_rows=DEDUCTIONS)
    result = services.calculate([path], M2, clock=Clock.fixed(TODAY))   # the district silent in M2
    rows = tpp.tpp_rows(result)
    assert MAYOR not in {r.nip for r in rows}                               # not ASN
    by_nip = {r.nip: r for r in rows}
    assert (by_nip[SILENT].status, by_nip[SILENT].deduction) == (tpp.NOT_REPORTED, 0.0)
    assert (by_nip[ALWAYS].status, by_nip[ALWAYS].run, by_nip[ALWAYS].deduction) == ("KURANG", 2, 2.5)
    assert [r.run for r in rows] == sorted((r.run for r in rows), reverse=True)


def test_an_empty_table_says_belum_ditetapkan(tmp_path):
    path = _three_months(tmp_path / "b.xlsx")
    rows = tpp.tpp_rows(services.calculate([path], M3, clock=Clock.fixed(TODAY)))
    by_nip = {r.nip: r for r in rows}
    assert by_nip[ALWAYS].deduction is None and tpp.percent_text(None) == "belum ditetapkan"
    assert by_nip[FINE].deduction == 0.0


def test_tpp_writes_a_real_excel_table_and_a_csv(book, tmp_path):
    out = tmp_path / "keluaran"
    done = jikubata("tpp", book, "--periode", M3, "--keluaran", out)
    assert done.returncode == 0, done.stderr
    xlsx = out / f"Daftar-TPP-Jiku-Bata-{M3}.xlsx"
    ws = openpyxl.load_workbook(xlsx)["Daftar TPP"]
    header = [c.value for c in ws[1]]
    assert header == ["NIP", "Nama", "Jabatan", "OPD", "Tingkat", "Minimum", "Belanja", "Kekurangan", "Status",
                      "Bulan Berturut", "Potongan TPP (%)", "Keterangan"]
    assert list(ws.tables) == ["DaftarTPP"] and ws.freeze_panes == "A2"
    first = [c.value for c in ws[2]]
    assert first[0] == ALWAYS and first[8] == "KURANG" and first[9] == 3 and first[10] == 10
    assert ws.cell(2, 6).number_format == '"Rp"#,##0' and isinstance(ws.cell(2, 1).value, str)
    runs = [ws.cell(r, 10).value for r in range(2, ws.max_row + 1)]
    assert runs == sorted(runs, reverse=True)
    raw = (out / f"Daftar-TPP-Jiku-Bata-{M3}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == header and rows[1][0].replace(" ", "") == ALWAYS and rows[1][10] == "10"


def test_tpp_for_a_running_month_exits_2_with_one_line(book, tmp_path):
    done = jikubata("tpp", book, "--periode", CURRENT, "--keluaran", tmp_path / "k")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "masih berjalan" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "k").exists() or not any((tmp_path / "k").iterdir())


def test_the_service_refuses_a_running_month_before_reading(tmp_path):
    with pytest.raises(InputError, match="masih berjalan"):
        services.write_tpp_list([tmp_path / "tidak-ada.xlsx"], tmp_path, CURRENT, clock=Clock.fixed(TODAY))


def test_the_inputs_are_left_untouched(book, tmp_path):
    before = (book.read_bytes(), book.stat().st_mtime_ns)
    services.write_tpp_list([book], tmp_path / "k", M3, clock=Clock.fixed(TODAY))
    assert (book.read_bytes(), book.stat().st_mtime_ns) == before


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice diperlukan")
def test_the_csv_opened_in_libreoffice_keeps_every_nip(book, tmp_path):
    services.write_tpp_list([book], tmp_path, M3, clock=Clock.fixed(TODAY))
    source = tmp_path / f"Daftar-TPP-Jiku-Bata-{M3}.csv"
    # As a user opens it: `;`, quotes, UTF-8, from the first line; column types left to LibreOffice.
    subprocess.run(["soffice", "--headless", "--infilter=CSV:59,34,76,1", "--convert-to", "xlsx", "--outdir",
                    str(tmp_path / "lo"), str(source)], check=True, capture_output=True, timeout=180)
    ws = openpyxl.load_workbook(tmp_path / "lo" / f"{source.stem}.xlsx").active
    nips = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    assert all(isinstance(n, str) for n in nips)
    assert sorted(n.replace(" ", "") for n in nips) == sorted([ALWAYS, AGAIN, FINE, SILENT, NEIGHBOUR, JOINED])
    assert ws.cell(1, 11).value == "Potongan TPP (%)" and ws.cell(1, 1).value == "NIP"
