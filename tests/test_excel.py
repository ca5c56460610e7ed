"""The four buttons, pressed on a real copy of `JikuBata.xlsm` through the openpyxl-backed port.

Excel is not on these machines, so the xlwings layer (`jikubata.excel`) is
kept thin and everything behind it runs here on files: fill the sheets, press
"the button", save, open the file again and read what it wrote.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import zipfile
from pathlib import Path

import openpyxl
import pytest

from jikubata.entrypoints import buttons
from jikubata import excel, services
from jikubata.adapters.clock import Clock
from jikubata.tools import workbook
from jikubata.domain.model import Period
from tests.support.jikubata_book import filled_copy
from tests.support.openpyxl_port import OpenpyxlPort

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 20)
OFFICE = "Dinas Kesehatan"

# NIPs with a valid birth date and gender digit.
ANA, BUDI, CICI, DODI = "198001012010011001", "198502022010012002", "199003032015032001", "197512122000121001"


def fill(path: Path, *, period="2026-11", employees=None, purchases=None) -> Path:
    """A copy of the committed workbook with a small office filled in, as an administrator would."""
    return filled_copy(path, {
        "OPD": [[OFFICE, "Dinkes", "dr. Wati", "197001011995032001", "Kepala Dinas Kesehatan", ""]],
        "UMKM": [["Toko Sagu Mama", "Mama Ona", "Kue"], ["Kopi Jiku", "Pak Ali", "Minuman"]],
        "Pegawai": employees if employees is not None else [
            [ANA, "Ana Latuconsina", "Kepala Seksi Gizi", "IV.a", OFFICE, "Aktif"],
            [BUDI, "Budi Pattimura", "Kepala Bidang", "III.b", OFFICE, "Aktif"],
            [CICI, "Cici Tanamal", "Kepala Subbagian", "IV.b", OFFICE, "Aktif"],
            [DODI, "Dodi Wattimena", "Pelaksana", "Staf", OFFICE, "Aktif"],
        ],
        "Belanja": purchases if purchases is not None else [
            [dt.datetime(2026, 11, 7), ANA, "Ana Latuconsina", "Toko Sagu Mama", "Sagu", 25000, "N-1"],
            [dt.datetime(2026, 11, 7), BUDI, "Budi Pattimura", "Kopi Jiku", "Kopi", 10000, "N-2"],
            [dt.datetime(2026, 11, 8), "199912312020121009", "Orang Lain", "Kopi Jiku", "Kopi", 5000, "N-3"],
        ],
    }, period)


def press(path: Path, action: str) -> tuple[str, bool, openpyxl.Workbook]:
    """Press a button on the file; return the message shown, whether it was an error, and the saved book."""
    port = OpenpyxlPort(path)
    buttons.run(port, action, today=TODAY)
    port.save()
    (text, error), = port.messages
    return text, error, openpyxl.load_workbook(path)


def table(ws) -> list[dict]:
    """The rows under the header row (the first row whose first cell is `No`)."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    top = next(i for i, r in enumerate(rows) if r[0] == "No")
    header = rows[top]
    return [dict(zip(header, r)) for r in rows[top + 1:] if isinstance(r[0], int)]


# ---------------------------------------------------------------- Hitung Kekurangan


def test_hasil_lists_every_asn_with_tier_minimum_spent_shortfall_and_status(tmp_path):
    text, error, wb = press(fill(tmp_path / "JikuBata.xlsm"), "hitung_kekurangan")
    assert not error
    rows = {r["NIP"]: r for r in table(wb["Hasil"])}
    assert set(rows) == {ANA, BUDI, CICI, DODI}
    assert (rows[ANA]["Tingkat"], rows[ANA]["Minimum"], rows[ANA]["Belanja"], rows[ANA]["Kekurangan"],
            rows[ANA]["Status"]) == ("Eselon IV", 20000, 25000, 0, "Memenuhi")
    assert (rows[BUDI]["Minimum"], rows[BUDI]["Belanja"], rows[BUDI]["Kekurangan"], rows[BUDI]["Status"]) == \
        (30000, 10000, 20000, "Kurang")
    assert (rows[CICI]["Kekurangan"], rows[CICI]["Status"]) == (20000, "Kurang")
    assert (rows[DODI]["Minimum"], rows[DODI]["Status"]) == ("belum ditetapkan", "Tidak wajib")


def test_hasil_agrees_with_the_command_line_on_the_same_file(tmp_path):
    path = fill(tmp_path / "JikuBata.xlsm")
    expected = services.calculate([path], Period(2026, 11), clock=Clock.fixed(TODAY))
    _, _, wb = press(path, "hitung_kekurangan")
    got = {r["NIP"]: (r["Belanja"], r["Kekurangan"]) for r in table(wb["Hasil"])}
    assert got == {e.nip: (e.spent, e.shortfall) for e in expected.employees}


def test_message_gives_the_period_and_the_counts(tmp_path):
    text, _, wb = press(fill(tmp_path / "JikuBata.xlsm"), "hitung_kekurangan")
    assert "November 2026" in text and "3 ASN wajib belanja, 1 memenuhi, 2 kurang" in text
    assert "Rp40.000" in text
    assert text in wb["Beranda"][workbook.RESULT_CELL].value


def test_short_rows_are_coloured_and_figures_are_rupiah(tmp_path):
    _, _, wb = press(fill(tmp_path / "JikuBata.xlsm"), "hitung_kekurangan")
    ws = wb["Hasil"]
    for row in ws.iter_rows():
        if row[1].value == BUDI:
            assert row[2].fill.fgColor.rgb.endswith("FCE4E4")
            assert row[8].number_format == '"Rp"#,##0'
        if row[1].value == ANA:
            assert row[2].fill.fill_type is None


def test_nip_in_hasil_is_text(tmp_path):
    _, _, wb = press(fill(tmp_path / "JikuBata.xlsm"), "hitung_kekurangan")
    cells = [row[1] for row in wb["Hasil"].iter_rows() if row[1].value == ANA]
    assert cells and cells[0].data_type == "s"


def test_a_name_that_looks_like_a_formula_stays_text(tmp_path):
    path = fill(tmp_path / "JikuBata.xlsm",
                employees=[[ANA, "=HYPERLINK(\"http://x\")", "Kepala Seksi", "IV.a", OFFICE, "Aktif"]],
                purchases=[])
    _, _, wb = press(path, "hitung_kekurangan")
    (row,) = table(wb["Hasil"])
    assert row["Nama"] == '=HYPERLINK("http://x")'
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet9.xml").decode()
    assert "<f>" not in xml


def test_blank_period_means_the_current_month(tmp_path):
    text, error, _ = press(fill(tmp_path / "JikuBata.xlsm", period=None), "hitung_kekurangan")
    assert not error and "November 2026" in text


def test_period_cell_that_excel_turned_into_a_date_still_works(tmp_path):
    text, error, _ = press(fill(tmp_path / "JikuBata.xlsm", period=dt.datetime(2026, 10, 1)), "hitung_kekurangan")
    assert not error and "Oktober 2026" in text


def test_unreadable_period_is_a_clear_message_not_a_crash(tmp_path):
    text, error, wb = press(fill(tmp_path / "JikuBata.xlsm", period="Nopember"), "hitung_kekurangan")
    assert error
    assert text.startswith("Proses dihentikan:") and "Beranda!D13" in text and "TTTT-BB" in text
    assert "Traceback" not in text


# ---------------------------------------------------------------- Periksa Data / Masalah Data


def test_masalah_data_links_each_problem_to_its_cell(tmp_path):
    path = fill(tmp_path / "JikuBata.xlsm", employees=[
        [ANA, "Ana", "Kepala Seksi", "IV.a", OFFICE, "Aktif"],
        [198502022010012002, "Budi", "Kepala Bidang", "III.b", OFFICE, "Aktif"],
    ])
    text, error, wb = press(path, "periksa_data")
    assert not error and "galat" in text
    ws = wb["Masalah Data"]
    links = {}
    for row in ws.iter_rows():
        if row[5].value in ("NIP_ANGKA", "NIP_TIDAK_TERDAFTAR"):
            links[row[5].value] = (row[3].value, row[3].hyperlink.location if row[3].hyperlink else None)
    assert links["NIP_ANGKA"] == ("A3", "'Pegawai'!A3")
    assert links["NIP_TIDAK_TERDAFTAR"] == ("B4", "'Belanja'!B4")  # the unknown buyer on row 4


def test_clean_data_says_there_is_no_problem(tmp_path):
    path = fill(tmp_path / "JikuBata.xlsm", purchases=[
        [dt.datetime(2026, 11, 7), ANA, "Ana Latuconsina", "Toko Sagu Mama", "Sagu", 25000, "N-1"]])
    text, error, wb = press(path, "periksa_data")
    assert not error and "tidak ada masalah data" in text
    assert "Tidak ada masalah data." in [c.value for row in wb["Masalah Data"].iter_rows() for c in row]


def test_pressing_twice_replaces_the_result_sheets(tmp_path):
    path = fill(tmp_path / "JikuBata.xlsm")
    press(path, "hitung_kekurangan")
    _, _, wb = press(path, "hitung_kekurangan")
    assert wb.sheetnames.count("Hasil") == 1 and wb.sheetnames.count("Masalah Data") == 1
    assert len(table(wb["Hasil"])) == 4


def test_a_workbook_without_pegawai_sheet_gets_a_message(tmp_path):
    path = fill(tmp_path / "JikuBata.xlsm")
    wb = openpyxl.load_workbook(path, keep_vba=True)
    del wb["Pegawai"]
    wb.save(path)
    text, error, _ = press(path, "periksa_data")
    assert error and "Pegawai" in text


def test_an_unexpected_failure_is_a_message_for_the_it_officer(tmp_path):
    class BrokenPort(OpenpyxlPort):
        def read_sheets(self, wanted=lambda name: True):
            raise KeyError("lembar hilang")

    port = BrokenPort(fill(tmp_path / "JikuBata.xlsm"))
    text = buttons.run(port, "periksa_data", today=TODAY)
    assert port.messages == [(text, True)]
    assert "galat tak terduga" in text and "petugas TI" in text


def test_saving_through_the_port_keeps_the_vba_project(tmp_path):
    path = fill(tmp_path / "JikuBata.xlsm")
    press(path, "hitung_kekurangan")
    original = zipfile.ZipFile(ROOT / "workbook" / "JikuBata.xlsm").read("xl/vbaProject.bin")
    assert zipfile.ZipFile(path).read("xl/vbaProject.bin") == original


def test_every_button_has_an_excel_entry_point_and_an_action():
    for b in workbook.BUTTONS:
        assert callable(getattr(excel, b.function))
        assert b.function in buttons.ACTIONS


def test_entry_point_outside_excel_does_not_raise(capsys):
    excel.periksa_data()  # no calling workbook: a message, not a traceback
    assert "Jiku Bata tidak dapat terhubung ke Excel" in capsys.readouterr().err


# ---------------------------------------------------------------- Buat Rekap / Buat Surat

needs_summary = pytest.mark.skipif(importlib.util.find_spec("jikubata.adapters.summary") is None,
                                   reason="jikubata.adapters.summary not written yet")
needs_letters = pytest.mark.skipif(importlib.util.find_spec("jikubata.adapters.letters") is None,
                                   reason="jikubata.adapters.letters not written yet")


@needs_summary
def test_buat_rekap_writes_the_summary_beside_the_workbook_and_rekap_sheets(tmp_path):
    path = fill(tmp_path / "JikuBata.xlsm")
    text, error, wb = press(path, "buat_rekap")
    assert not error
    written = tmp_path / "Rekap-Jiku-Bata-2026-11.xlsx"
    assert written.is_file() and str(written) in text
    rekap = [n for n in wb.sheetnames if n.startswith("Rekap ")]
    assert "Rekap Ringkasan" in rekap and "Rekap Dinkes" in rekap
    rows = {r["NIP"]: r for r in table(wb["Rekap Dinkes"])}
    assert rows[BUDI]["Kekurangan"] == 20000


@needs_summary
def test_buat_rekap_replaces_previous_rekap_sheets(tmp_path):
    path = fill(tmp_path / "JikuBata.xlsm")
    wb = openpyxl.load_workbook(path, keep_vba=True)
    wb.create_sheet("Rekap Lama")
    wb.save(path)
    _, _, wb = press(path, "buat_rekap")
    assert "Rekap Lama" not in wb.sheetnames
    _, _, wb = press(path, "buat_rekap")
    assert wb.sheetnames.count("Rekap Ringkasan") == 1


@needs_summary
@pytest.mark.parametrize("year", ["2026", 2026])  # typed as text, or the number Excel makes of it
def test_buat_rekap_with_a_year_in_the_period_cell_writes_the_yearly_recap(tmp_path, year):
    path = fill(tmp_path / "JikuBata.xlsm", period=year)
    text, error, wb = press(path, "buat_rekap")
    assert not error, text
    written = tmp_path / "Rekap-Jiku-Bata-2026.xlsx"
    assert written.is_file() and str(written) in text and "Rekap tahunan 2026" in text
    assert not (tmp_path / "Rekap-Jiku-Bata-2026-11.xlsx").exists()
    rows = {r["OPD"]: r for r in table(openpyxl.load_workbook(written)["Ringkasan"])}
    assert rows[OFFICE]["Jan\u2013Okt"] == "tanpa data" and rows[OFFICE]["Nov"] == pytest.approx(1 / 3)
    assert "Rekap Pegawai" in wb.sheetnames


@needs_letters
def sign(path: Path) -> Path:
    """Fill the signer's name, rank and NIP in Pengaturan (blank in the template: letters are a KONSEP)."""
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb["Pengaturan"]
    values = {"Nama Penandatangan": "Drs. Yohanes Contoh, M.Si.", "Pangkat Penandatangan": "Pembina (IV/a)",
              "NIP Penandatangan": "196901011990031001"}
    for row in ws.iter_rows(min_col=1, max_col=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    wb.save(path)
    return path


def test_buat_surat_writes_letters_and_lists_them_with_links(tmp_path):
    path = sign(fill(tmp_path / "JikuBata.xlsm"))
    text, error, wb = press(path, "buat_surat")
    assert not error and "surat" in text.lower()
    ws = wb["Daftar Surat"]
    rows = table(ws)
    # the office head, two short officials, and (issue 12) the laporan to the Wali Kota
    assert len(rows) == 4 and rows[-1]["Penerima"].startswith("Wali Kota")
    assert list(rows[0]) == ["No", "Nomor Surat", "Tanggal", "Jenis", "Penerima", "OPD", "Kekurangan", "Status",
                             "Status Kirim", "Berkas"]
    assert {r["Status Kirim"] for r in rows} == {"belum dikirim"}  # this button writes; it does not send
    assert {r["Status"] for r in rows} == {"dibuat"}
    assert all(r["Kekurangan"] > 0 and r["OPD"] == OFFICE and "2026" in r["Tanggal"] for r in rows[:-1])
    assert ws.page_setup.orientation == "landscape"
    assert ws.column_dimensions["J"].width <= 10  # the file link is kept, but narrow
    for row in ws.iter_rows():
        if isinstance(row[0].value, int):
            target = Path(row[9].hyperlink.target)
            assert target.is_file() and target.parent.parent == tmp_path


def test_an_unsaved_workbook_is_asked_to_be_saved_first(tmp_path, monkeypatch):
    path = fill(tmp_path / "JikuBata.xlsm")
    monkeypatch.chdir(tmp_path)
    port = OpenpyxlPort(Path(path.name))  # what Excel reports for a workbook never saved: a bare name
    text = buttons.run(port, "buat_rekap", today=TODAY)
    assert port.messages[-1][1] and "simpan workbook" in text


def test_button_waits_for_another_run_on_the_same_folder_and_says_so(tmp_path, monkeypatch):
    """A button pressed while the weekly job writes into the workbook's folder gets a clear message."""
    import multiprocessing as mp

    book = fill(tmp_path / "JikuBata.xlsm")
    monkeypatch.setattr(services, "LOCK_WAIT_SECONDS", 0.2)
    ready, release = mp.get_context("spawn").Event(), mp.get_context("spawn").Event()
    holder = mp.get_context("spawn").Process(target=_hold_lock, args=(str(book.parent), ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        port = OpenpyxlPort(book)
        text = buttons.run(port, "buat_rekap", today=TODAY)
        assert text.startswith("Belum dapat dijalankan") and "sedang dipakai" in text
        assert not list(book.parent.glob("Rekap-Jiku-Bata-*.xlsx"))
    finally:
        release.set()
        holder.join(30)


def _hold_lock(folder, ready, release):
    from jikubata.adapters import locking

    with locking.output_lock(folder, command="jikubata mingguan"):
        ready.set()
        release.wait(30)


def test_a_purchase_sheet_the_office_renamed_is_read_by_the_button_too(tmp_path):
    """Issue 11: tables are found by their headers in the live workbook as on the command line."""
    path = fill(tmp_path / "JikuBata.xlsm")
    wb = openpyxl.load_workbook(path, keep_vba=True)
    wb["Belanja"].title = "Data Belanja Nov"
    wb.save(path)
    _, error, wb = press(path, "hitung_kekurangan")
    rows = {r["NIP"]: r for r in table(wb["Hasil"])}
    assert not error and rows[ANA]["Belanja"] == 25000 and rows[BUDI]["Belanja"] == 10000


def test_a_year_in_the_period_cell_says_it_is_only_for_the_yearly_recap(tmp_path):
    text, error, _ = press(fill(tmp_path / "JikuBata.xlsm", period="2026"), "hitung_kekurangan")
    assert error and "berisi tahun 2026" in text and "Buat Rekap OPD" in text and "2026-11" in text


@needs_letters
def test_buat_surat_without_a_signer_lists_konsep_letters_that_are_not_sent(tmp_path):
    text, error, wb = press(fill(tmp_path / "JikuBata.xlsm"), "buat_surat")
    assert not error and "KONSEP: belum diberi nomor" in text
    rows = table(wb["Daftar Surat"])
    assert rows and {(r["Nomor Surat"], r["Status Kirim"]) for r in rows} == {("KONSEP", "KONSEP — tidak dikirim")}


# ---------------------------------------------------------------- Buat Daftar TPP (issue 21)


def test_buat_daftar_tpp_with_an_empty_period_writes_last_months_list_beside_the_workbook(tmp_path):
    october = [[dt.datetime(2026, 10, 7), ANA, "Ana Latuconsina", "Toko Sagu Mama", "Sagu", 5000, "N-1"],
               [dt.datetime(2026, 10, 7), BUDI, "Budi Pattimura", "Kopi Jiku", "Kopi", 30000, "N-2"]]
    path = fill(tmp_path / "JikuBata.xlsm", period=None, purchases=october)
    text, error, _ = press(path, "buat_daftar_tpp")
    assert not error, text
    assert "bulan lalu (Oktober 2026)" in text
    assert (tmp_path / "Daftar-TPP-Jiku-Bata-2026-10.xlsx").is_file()
    assert (tmp_path / "Daftar-TPP-Jiku-Bata-2026-10.csv").is_file()


def test_buat_daftar_tpp_for_the_running_month_is_a_clear_message(tmp_path):
    text, error, _ = press(fill(tmp_path / "JikuBata.xlsm"), "buat_daftar_tpp")
    assert error and "masih berjalan" in text and "Traceback" not in text
    assert not list(tmp_path.glob("Daftar-TPP-*"))
