"""Reminder letters (SPEC §6.2): who gets one, what it says, numbers, safety, index."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import openpyxl
import pytest
from docx import Document
from hypothesis import given, settings as hsettings, strategies as st

from tests.support import letters_fixtures as F
from jikubata.domain.model import Office, Tier
from jikubata.domain.errors import InputError
from jikubata.adapters.letters import KIND_OFFICE, KIND_OFFICIAL, KIND_REPORT, safe_stem, write_letters
from jikubata.adapters.pdf import ENV_SOFFICE

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                                   reason="LibreOffice (soffice) tidak terpasang")


def text_of(path) -> str:
    """All text of a .docx, paragraphs and table cells, as Word would show it."""
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def by_kind(outcome, kind):
    return [x for x in outcome.letters if x.kind == kind]


@pytest.fixture
def written(tmp_path):
    return write_letters(F.small_result(), tmp_path, today=F.TODAY)


# ---------------------------------------------------------------- recipients


def test_office_letters_go_to_exactly_the_offices_with_someone_short(written):
    # The Sekretariat Daerah's head, the Sekda, outranks the signer (a Kepala Dinas): no letter to him.
    assert [x.office for x in by_kind(written, KIND_OFFICE)] == ["Dinas Kesehatan"]


def test_personal_letters_go_to_exactly_the_short_officials_not_to_staff(written):
    names = sorted(x.recipient for x in by_kind(written, KIND_OFFICIAL))
    assert names == ["Frans Nanlohy (Asisten Pemerintahan)", "Maria Latupeirissa (Kepala Seksi Gizi)"]


def test_every_short_official_below_the_wali_kota_gets_a_letter(tmp_path):
    # Issue 12 (chain of command): the Wali Kota, short too, gets no reminder.
    extra = [F.employee(10 + i, f"Pejabat {t.value}", t, "Bappeda", f"Jabatan {t.value}")
             for i, t in enumerate((Tier.WALIKOTA, Tier.ESELON_II, Tier.ESELON_III, Tier.ESELON_IV))]
    result = F.small_result(extra_employees=extra)
    outcome = write_letters(result, tmp_path, today=F.TODAY)
    short_officials = {e.nip for e in result.short_employees() if e.tier not in (Tier.NON_ESELON, Tier.WALIKOTA)}
    got = {x.path.stem.rsplit("-", 1)[1] for x in by_kind(outcome, KIND_OFFICIAL)}
    assert got == short_officials and len(short_officials) == 5


def test_office_letter_lists_every_short_employee_of_that_office_and_nobody_else(written):
    text = text_of(by_kind(written, KIND_OFFICE)[0].path)
    assert "Maria Latupeirissa" in text and "Stella Tutuarima" in text
    for met in ("Yohanes Tuhumury", "Abdul Rahman Ohorella", "Ruth Sahetapy", "Frans Nanlohy"):
        assert met not in text


def test_office_letter_is_addressed_to_the_head_from_the_opd_sheet(written):
    text = text_of(by_kind(written, KIND_OFFICE)[0].path)
    # Issue 12: addressed by position (Tata Naskah Dinas), not "Sdr. <name>".
    assert "Yth.\tKepala Dinas Kesehatan Kota Ambon" in text and "Sdr." not in text
    assert "di –" in text and "Tempat" in text


def test_an_office_whose_head_outranks_the_signer_is_reported_to_the_wali_kota_instead(written):
    (report,) = by_kind(written, KIND_REPORT)
    text = text_of(report.path)
    assert "PEGAWAI SEKRETARIAT DAERAH YANG BELUM MEMENUHI BELANJA MINIMUM" in text
    assert "Frans Nanlohy" in text and "dalam laporan ini" in text
    assert not any(x.office == "Sekretariat Daerah" for x in by_kind(written, KIND_OFFICE))


def test_office_without_a_recorded_head_is_addressed_to_the_title_of_its_head_with_a_warning(tmp_path):
    people = [F.employee(70, "Nona Kasi", Tier.ESELON_IV, "Dinas Sosial", "Kepala Seksi Rehabilitasi")]
    result = F.compute(F.dataset(people, [F.buy(70, 5_000)]), F.PERIOD, F.AS_OF)
    outcome = write_letters(result, tmp_path, today=F.TODAY)
    (office,) = by_kind(outcome, KIND_OFFICE)
    assert "Yth.\tKepala Dinas Sosial Kota Ambon" in text_of(office.path)
    assert any("Kepala Dinas Sosial tidak tercatat" in n for n in outcome.notes)


def test_an_unrecorded_head_found_in_the_roster_by_position_gets_one_letter_naming_him(tmp_path):
    people = [F.employee(70, "Nona Kasi", Tier.ESELON_IV, "Dinas Sosial", "Kepala Seksi Rehabilitasi"),
              F.employee(71, "Bapak Kadis", Tier.ESELON_II, "Dinas Sosial", "Kepala Dinas")]
    result = F.compute(F.dataset(people, [F.buy(70, 5_000)]), F.PERIOD, F.AS_OF)
    outcome = write_letters(result, tmp_path, today=F.TODAY)
    (office,) = by_kind(outcome, KIND_OFFICE)
    assert office.recipient == "Kepala Dinas Sosial Kota Ambon (Bapak Kadis)"
    text = text_of(office.path)
    assert "termasuk Saudara sendiri" in text and "1 | Bapak Kadis" in text
    assert [x.recipient for x in by_kind(outcome, KIND_OFFICIAL)] == ["Nona Kasi (Kepala Seksi Rehabilitasi)"]


@pytest.mark.parametrize("position, office, addressed", [
    ("Kepala Dinas Kesehatan", "Dinas Kesehatan", "Kepala Dinas Kesehatan Kota Ambon"),
    ("Kepala Dinas", "Dinas Kesehatan", "Kepala Dinas Kesehatan Kota Ambon"),
    ("", "Dinas Kesehatan", "Kepala Dinas Kesehatan Kota Ambon"),
    ("Kepala Seksi Gizi", "Dinas Kesehatan", "Kepala Seksi Gizi Dinas Kesehatan Kota Ambon"),
    ("Camat Sirimau", "Kecamatan Sirimau", "Camat Sirimau"),
    ("", "Kecamatan Sirimau", "Camat Sirimau"),
    ("", "Kelurahan Batu Merah", "Lurah Batu Merah"),
    ("Inspektur", "Inspektorat", "Inspektur Kota Ambon"),
    ("", "Inspektorat", "Inspektur Kota Ambon"),
    ("Kepala Satuan", "Satuan Polisi Pamong Praja", "Kepala Satuan Polisi Pamong Praja Kota Ambon"),
    ("Sekretaris Daerah", "Sekretariat Daerah", "Sekretaris Daerah Kota Ambon"),
    ("Sekretaris", "Dinas Sosial", "Sekretaris Dinas Sosial Kota Ambon"),
    ("Wali Kota", "", "Wali Kota Ambon"),
    ("Camat", "Kecamatan Nusaniwe", "Camat Nusaniwe"),
    ("Plt. Camat", "Kecamatan Sirimau", "Plt. Camat Sirimau"),
    ("Plh. Kepala Dinas", "Dinas Sosial", "Plh. Kepala Dinas Sosial Kota Ambon"),
    ("Sekretaris Kota", "Sekretariat Daerah", "Sekretaris Kota Ambon"),
    ("Direktur RSUD", "Rumah Sakit Umum Daerah", "Direktur RSUD Kota Ambon"),
    ("Kepala Bagian Umum", "Bagian Umum Sekretariat Daerah", "Kepala Bagian Umum Sekretariat Daerah Kota Ambon"),
    ("Kepala Seksi Pemerintahan", "Kecamatan Teluk Ambon", "Kepala Seksi Pemerintahan Kecamatan Teluk Ambon Kota Ambon"),
])
def test_letters_address_by_position_naming_office_and_city_once(position, office, addressed):
    from jikubata.domain.correspondence import addressed_by_position

    assert addressed_by_position(position, office, "Kota Ambon") == addressed


def test_nobody_short_writes_no_letters_but_says_so(tmp_path):
    result = F.compute(F.dataset([F.employee(1, "A", Tier.ESELON_IV, "X")], [F.buy(1, 20_000)]),
                       F.PERIOD, F.AS_OF)
    outcome = write_letters(result, tmp_path, today=F.TODAY)
    assert outcome.letters == []
    assert "tidak ada surat" in outcome.summary_text()
    assert outcome.index_path.is_file()


# ---------------------------------------------------------------- content


def test_office_letter_shows_amounts_total_and_total_in_words(written):
    text = text_of(by_kind(written, KIND_OFFICE)[0].path)
    assert "Maria Latupeirissa | 19800101 200501 1 001 | Kepala Seksi Gizi | Rp20.000 | Rp15.000 | Rp5.000" in text
    assert "Stella Tutuarima | 19800101 200501 1 006 | Pengadministrasi Umum | Rp10.000 | Rp0 | Rp10.000" in text
    assert "Rp15.000 (lima belas ribu rupiah)" in text
    assert "2 (dua) orang pegawai pada Dinas Kesehatan" in text


def test_personal_letter_shows_minimum_spent_shortfall_and_words(written):
    letter = next(x for x in by_kind(written, KIND_OFFICIAL) if x.office == "Sekretariat Daerah")
    text = text_of(letter.path)
    assert "Rp100.000" in text and "Rp45.000" in text
    assert "Rp55.000 (lima puluh lima ribu rupiah)" in text
    assert "19800101 200501 1 005" in text


def test_letter_carries_its_register_number_date_and_period_in_words(written):
    for letter in written.letters:
        text = text_of(letter.path)
        assert f"Nomor\t:\t{letter.number}" in text
        assert "Ambon, 21 November 2026" in text
        assert "bulan November 2026" in text
        assert "sampai dengan tanggal 20 November 2026" in text


def test_letter_has_the_tata_naskah_dinas_parts_from_settings(written):
    text = text_of(written.letters[0].path)
    s = F.settings()
    # Issue 12: Sifat is "Biasa" by default (Penting is no current classification).
    for part in (s.government, s.issuing_office, s.office_address, "Sifat\t:\tBiasa", "Lampiran\t:\t-",
                 "Hal\t:\tPengingat Belanja Jiku Bata Bulan November 2026", s.legal_basis,
                 f"{s.signatory_position},", "Drs. Johan Latuheru, M.Si", "Pembina Utama Muda (IV/c)",
                 "NIP. 19680512 199403 1 005", "Tembusan:", "1.\tWali Kota Ambon (sebagai laporan);",
                 "3.\tInspektur Kota Ambon."):
        assert part in text, part


def test_numbers_follow_the_format_setting(tmp_path):
    result = F.small_result(F.settings(letter_number_format="800/{urut:03d}/JB/{bulan}.{bulan_romawi}/{tahun}"))
    outcome = write_letters(result, tmp_path, today=F.TODAY)
    assert [x.number for x in outcome.letters] == [f"800/{n:03d}/JB/11.XI/2026" for n in (1, 2, 3, 4)]


@pytest.mark.parametrize("fmt", ["500.2/DISPERINDAG/{tahun}", "500.2/{nomor}/{tahun}", "{urut.real}", "{0}/{urut}"])
def test_an_unusable_number_format_is_a_clear_error(tmp_path, fmt):
    with pytest.raises(InputError, match="Format Nomor Surat"):
        write_letters(F.small_result(F.settings(letter_number_format=fmt)), tmp_path, today=F.TODAY)


# ---------------------------------------------------------------- numbering


def test_numbers_are_unique_and_consecutive_in_a_run(written):
    assert [x.number for x in written.letters] == [f"500.2/{n}/DISPERINDAG/XI/2026" for n in (1, 2, 3, 4)]


def test_rerun_gives_the_same_numbers_dates_and_identical_files(tmp_path):
    first = write_letters(F.small_result(), tmp_path, today=F.TODAY)
    before = {x.path: x.path.read_bytes() for x in first.letters}
    again = write_letters(F.small_result(), tmp_path, today=F.TODAY + dt.timedelta(days=5))
    assert [(x.number, x.date, x.path) for x in again.letters] == [(x.number, x.date, x.path) for x in first.letters]
    assert {x.path: x.path.read_bytes() for x in again.letters} == before


def test_a_new_short_official_on_rerun_gets_the_next_number_others_keep_theirs(tmp_path):
    first = write_letters(F.small_result(), tmp_path, today=F.TODAY)
    late = F.employee(20, "Pieter Wattimena", Tier.ESELON_IV, "Bappeda", "Lurah Uritetu")
    again = write_letters(F.small_result(extra_employees=[late]), tmp_path, today=F.TODAY)
    old = {x.path: x.number for x in first.letters if x.kind != KIND_REPORT}
    assert all(old[x.path] == x.number for x in again.letters if x.path in old)
    new = [x.number for x in again.letters if x.path not in old]
    # Bappeda's office letter and Pieter's are new; the laporan names Pieter now: a new number, the old one
    # (never sent) is cancelled and its file moved aside.
    assert sorted(new) == ["500.2/5/DISPERINDAG/XI/2026", "500.2/6/DISPERINDAG/XI/2026",
                           "500.2/7/DISPERINDAG/XI/2026"]
    (old_report,) = by_kind(first, KIND_REPORT)
    assert [(x.number, x.status) for x in again.numbers if x.number == old_report.number] == [
        (old_report.number, "dibatalkan")]
    assert (tmp_path / "Surat-2026-11" / "Dibatalkan" / "Laporan-Wali-Kota.docx").is_file()


def test_numbering_restarts_in_a_new_year_and_periods_do_not_collide(tmp_path):
    write_letters(F.small_result(), tmp_path, today=F.TODAY)
    result = F.small_result()
    result.period = F.Period(2026, 12)
    outcome = write_letters(result, tmp_path, today=dt.date(2027, 1, 4))
    assert outcome.letters[0].number == "500.2/1/DISPERINDAG/I/2027"


@pytest.mark.slow
@pytest.mark.parametrize("method", ["fork", "spawn"] if hasattr(os, "fork") else ["spawn"])
def test_pool_rendering_gives_the_same_letters_as_in_process(tmp_path, monkeypatch, method):
    from jikubata.adapters import letters

    monkeypatch.setattr(letters, "_pool_start_method", lambda: (method, 2))
    extra = [F.employee(100 + i, f"Kepala Seksi {i}", Tier.ESELON_IV, "Bappeda", f"Kepala Seksi {i}")
             for i in range(30)]
    pooled = write_letters(F.small_result(extra_employees=extra), tmp_path / "a", today=F.TODAY, workers=2)
    serial = write_letters(F.small_result(extra_employees=extra), tmp_path / "b", today=F.TODAY, workers=1)
    assert len(pooled.letters) == 35  # 2 offices (not the Setda) + 32 officials + the laporan
    assert [x.path.read_bytes() for x in pooled.letters] == [x.path.read_bytes() for x in serial.letters]


# ---------------------------------------------------------------- odd names


ODD = 'PT "Sagu & Kopi" <Maluku> \'Ambon\' / ..\\x'


def test_names_with_markup_characters_come_through_as_written(tmp_path):
    offices = [Office(ODD, "X", 'Ir. A & B <Kepala>', "", f"Kepala {ODD}")]
    people = [F.employee(1, 'Nona "<b>Ina</b>" & Co', Tier.ESELON_IV, ODD, "Kasi <Umum> & 'Tata'")]
    result = F.compute(F.dataset(people, [F.buy(1, 1_000)], offices), F.PERIOD, F.AS_OF)
    outcome = write_letters(result, tmp_path, today=F.TODAY)
    office_text, personal_text, _report = (text_of(x.path) for x in outcome.letters)
    assert ODD in office_text and 'Nona "<b>Ina</b>" & Co' in office_text
    assert 'Nona "<b>Ina</b>" & Co' in personal_text and "Kasi <Umum> & 'Tata'" in personal_text


def test_odd_names_give_safe_file_names_inside_the_letters_folder(tmp_path):
    # Two offices (their names differ only after the 80 characters a file name keeps) and a path.
    long = " Kantor" + " A" * 40
    offices = [Office(ODD + long + " 1"), Office(ODD.replace("/", "\\") + long + " 2"), Office("../../etc/passwd")]
    people = [F.employee(i, "x", Tier.NON_ESELON, o.name) for i, o in enumerate(offices, 1)]
    bought = [F.buy(i, 1_000) for i in range(1, 4)]
    outcome = write_letters(F.compute(F.dataset(people, bought, offices), F.PERIOD, F.AS_OF), tmp_path,
                            today=F.TODAY)
    paths = [x.path for x in by_kind(outcome, KIND_OFFICE)]
    assert len({p.name.casefold() for p in paths}) == 3
    assert all(p.parent == tmp_path / "Surat-2026-11" and p.is_file() for p in paths)


def test_control_characters_in_a_name_do_not_break_the_document(tmp_path):
    people = [F.employee(1, "Ana\x0bBela\x00\tTua", Tier.ESELON_IV, "Dinas\nPangan")]
    outcome = write_letters(F.compute(F.dataset(people, [F.buy(1, 1_000)]), F.PERIOD, F.AS_OF), tmp_path,
                            today=F.TODAY)
    assert "Ana Bela Tua" in text_of(outcome.letters[1].path)


@hsettings(max_examples=300)
@given(st.text())
def test_safe_stem_never_yields_separators_dot_dot_or_control_chars(name):
    stem = safe_stem(name)
    assert stem and len(stem) <= 80
    assert not any(c in stem for c in '/\\:*?"<>|') and ".." not in stem
    assert all(c.isprintable() and not c.isspace() for c in stem)
    assert not stem.startswith(".")


# ---------------------------------------------------------------- index


def test_index_lists_every_letter_with_number_date_recipient_office_shortfall_status_and_file(written):
    ws = openpyxl.load_workbook(written.index_path)["Daftar Surat"]
    assert [c.value for c in ws[4]] == ["No.", "Nomor Surat", "Tanggal", "Jenis", "Penerima", "OPD", "Kekurangan",
                                        "Status", "Status Kirim", "Surat", "PDF"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=5)]
    assert [r[1] for r in rows] == [x.number for x in written.letters]
    assert [r[2].date() for r in rows] == [x.date for x in written.letters]
    assert [r[3] for r in rows] == ["Pengingat", "Pengingat", "Pengingat", "Laporan"]
    assert [(r[4], r[5], r[6]) for r in rows] == [(x.recipient, x.office, x.shortfall) for x in written.letters]
    assert {r[7] for r in rows} == {"dibuat"} and {r[8] for r in rows} == {"belum dikirim"}  # written, not sent
    assert rows[0][9] == "Buka"  # a narrow link; the file name is its tip
    # XlsxWriter stores relative file links Windows-style, as Excel does.
    assert ws.cell(5, 10).hyperlink.target.replace("\\", "/") == "Surat-2026-11/Surat-OPD-Dinas-Kesehatan.docx"
    assert ws.page_setup.orientation == "landscape" and ws.column_dimensions["J"].width <= 8


def test_index_writes_a_name_starting_with_equals_as_text(tmp_path):
    people = [F.employee(1, "=HYPERLINK(\"http://x\")", Tier.ESELON_IV, "=1+1")]
    outcome = write_letters(F.compute(F.dataset(people, [F.buy(1, 1_000)]), F.PERIOD, F.AS_OF), tmp_path,
                            today=F.TODAY)
    ws = openpyxl.load_workbook(outcome.index_path)["Daftar Surat"]
    assert ws.cell(5, 6).value == "=1+1" and ws.cell(5, 6).data_type == "s"
    assert ws.cell(6, 5).data_type == "s"


# ---------------------------------------------------------------- PDF


@pytest.mark.slow
@needs_soffice
def test_pdf_option_converts_every_letter_in_one_batch(tmp_path):
    outcome = write_letters(F.small_result(), tmp_path, today=F.TODAY, pdf=True)
    assert outcome.pdf_message == ""
    for letter in outcome.letters:
        assert letter.pdf_path.read_bytes().startswith(b"%PDF")
        text = subprocess.run(["pdftotext", "-layout", str(letter.pdf_path), "-"], capture_output=True,
                              text=True).stdout if shutil.which("pdftotext") else letter.number
        assert letter.number in text
    assert not list((tmp_path / "Surat-2026-11").glob(".pdf-*"))  # staging folder cleaned up


def test_without_libreoffice_the_run_succeeds_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_SOFFICE, str(tmp_path / "tidak-ada" / "soffice"))
    outcome = write_letters(F.small_result(), tmp_path, today=F.TODAY, pdf=True)
    assert "LibreOffice" in outcome.pdf_message and "tidak ditemukan" in outcome.pdf_message
    assert all(x.path.is_file() and x.pdf_path is None for x in outcome.letters)
    assert outcome.pdf_message in outcome.summary_text()


# ---------------------------------------------------------------- templates edited by an administrator


def test_a_broken_template_is_a_clear_error_and_no_number_is_recorded_as_issued(tmp_path, monkeypatch):
    from jikubata.adapters.letters import templates_dir
    from jikubata.adapters.register import ISSUED, Register

    folder = tmp_path / "templat"
    shutil.copytree(templates_dir(), folder, ignore=shutil.ignore_patterns("src", "*.md"))
    doc = Document(str(folder / "surat-pejabat.docx"))
    doc.add_paragraph("{% if nomor %} tanpa penutup")
    doc.save(str(folder / "surat-pejabat.docx"))
    monkeypatch.setenv("JIKUBATA_TEMPLATES", str(folder))
    with pytest.raises(InputError, match="surat-pejabat.docx"):
        write_letters(F.small_result(), tmp_path / "out", today=F.TODAY)
    with Register(tmp_path / "out") as register:
        assert register.entries() and not any(e.state == ISSUED for e in register.entries())


def test_an_output_folder_that_is_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "berkas").write_text("x")
    with pytest.raises(InputError, match="tidak dapat dibuat"):
        write_letters(F.small_result(), tmp_path / "berkas", today=F.TODAY)


def test_a_letter_path_taken_by_a_folder_is_a_clear_error(tmp_path):
    (tmp_path / "Surat-2026-11" / "Surat-OPD-Dinas-Kesehatan.docx").mkdir(parents=True)
    with pytest.raises(InputError, match="tidak dapat ditulis"):
        write_letters(F.small_result(), tmp_path, today=F.TODAY)


def test_index_status_column_reads_the_delivery_status_of_a_letter_when_it_has_one():
    from types import SimpleNamespace

    from jikubata.adapters.letters import delivery_status

    assert delivery_status(SimpleNamespace(delivery_status="terkirim")) == "terkirim"
    assert delivery_status(SimpleNamespace(delivery_status="tanpa alamat")) == "tanpa alamat"
    assert delivery_status(SimpleNamespace(delivery_status="")) == "belum dikirim"
    assert delivery_status(SimpleNamespace()) == "belum dikirim"


# ---------------------------------------------------------------- chain of command, Tata Naskah Dinas (issue 12)


def _with_head_short(settings_=None):
    head = F.employee(30, "dr. Wendy Pattinama", Tier.ESELON_II, "Dinas Kesehatan", "Kepala Dinas Kesehatan")
    head = type(head)(**{**head.__dict__, "nip": "197001011995032001"})
    return F.small_result(settings_, extra_employees=[head])


def test_a_short_head_is_addressed_in_his_office_letter_not_asked_to_remind_himself(tmp_path):
    outcome = write_letters(_with_head_short(), tmp_path, today=F.TODAY)
    text = text_of(by_kind(outcome, KIND_OFFICE)[0].path)
    assert "termasuk Saudara sendiri" in text and "kekurangan belanja Saudara sendiri (nomor urut 1)" in text
    assert "1 | dr. Wendy Pattinama" in text
    assert not any("197001011995032001" in x.path.name for x in by_kind(outcome, KIND_OFFICIAL))


def test_the_wali_kota_and_wakil_get_no_reminder_and_appear_in_no_office_letter(tmp_path):
    extra = [F.employee(40, "Bapak Wali", Tier.WALIKOTA, "Dinas Kesehatan", "Wali Kota Ambon")]
    outcome = write_letters(F.small_result(extra_employees=extra), tmp_path, today=F.TODAY)
    for x in outcome.letters:
        if x.kind != KIND_REPORT:
            assert "Bapak Wali" not in text_of(x.path)
    (report,) = by_kind(outcome, KIND_REPORT)
    text = text_of(report.path)
    assert "Yth.\tWali Kota Ambon" in text and "Wali Kota Ambon (sebagai laporan)" not in text
    assert "Frans Nanlohy" in text  # the Eselon II official short is named


def test_a_reminder_deadline_is_working_days_after_the_letter_and_never_after_the_months_last_working_day():
    from jikubata.domain.correspondence import reminder_deadline

    s = F.settings(deadline_days=3)
    nov = F.Period(2026, 11)
    assert reminder_deadline(dt.date(2026, 11, 20), nov, s) == dt.date(2026, 11, 25)  # Mon 23, Tue 24, Wed 25
    assert reminder_deadline(dt.date(2026, 11, 26), nov, s) == dt.date(2026, 11, 30)  # not 1 Dec: capped
    s.deadline_days = 7
    assert reminder_deadline(dt.date(2026, 11, 24), nov, s) == dt.date(2026, 11, 30)
    dec = F.Period(2026, 12)
    s.holidays = (dt.date(2026, 12, 31),)
    assert reminder_deadline(dt.date(2026, 12, 28), dec, s) == dt.date(2026, 12, 30)  # 31 Dec is a holiday


def test_the_letter_deadline_uses_the_hari_libur_setting(tmp_path):
    s = F.settings(deadline_days=3)
    s.holidays = (dt.date(2026, 12, 25),)
    result = F.small_result(s)
    result.period = F.Period(2026, 12)
    text = text_of(write_letters(result, tmp_path, today=dt.date(2026, 12, 22)).letters[0].path)
    # Wed 23, Thu 24, (Fri 25 Natal), Mon 28.
    assert "paling lambat tanggal 28 Desember 2026" in text and "25 Desember 2026" not in text


def test_missing_signer_details_make_a_konsep_and_the_run_says_so(tmp_path):
    s = F.settings()
    s.signatory_rank = ""
    outcome = write_letters(F.small_result(s), tmp_path, today=F.TODAY)
    doc = Document(str(outcome.letters[0].path))
    header = " ".join(p.text for p in doc.sections[0].first_page_header.paragraphs)
    assert "KONSEP" in header and "[belum diisi]" in text_of(outcome.letters[0].path)
    assert "KONSEP" in outcome.summary_text() and "Pangkat Penandatangan" in outcome.summary_text()
    final = write_letters(F.small_result(), tmp_path / "b", today=F.TODAY)
    assert "KONSEP" not in " ".join(p.text for p in Document(str(final.letters[0].path)).sections[0]
                                    .first_page_header.paragraphs)


def test_legal_basis_is_cited_with_its_number_and_year(tmp_path):
    s = F.settings(legal_basis_number="12", legal_basis_year="2023")
    text = text_of(write_letters(F.small_result(s), tmp_path, today=F.TODAY).letters[0].path)
    assert "Peraturan Wali Kota Ambon Nomor 12 Tahun 2023 tentang Gerakan Belanja" in text


def test_a_long_list_moves_to_a_lampiran_counted_on_the_letter(tmp_path):
    extra = [F.employee(200 + i, f"Pegawai Nomor {i}", Tier.ESELON_IV, "Dinas Kesehatan", "Kepala Seksi")
             for i in range(12)]
    outcome = write_letters(F.small_result(extra_employees=extra), tmp_path, today=F.TODAY)
    text = text_of(by_kind(outcome, KIND_OFFICE)[0].path)
    assert "Lampiran\t:\t1 (satu) lembar" in text and "sebagaimana tercantum dalam Lampiran" in text
    assert "LAMPIRAN" in text and f"NOMOR\t:\t{by_kind(outcome, KIND_OFFICE)[0].number}" in text


def test_the_signer_never_writes_to_himself_his_office_letter_goes_to_its_sekretaris(tmp_path):
    s = F.settings(signatory_position="Kepala Dinas Kesehatan")
    s.signatory_nip = "197001011995032001"  # the head of Dinkes signs
    extra = [F.employee(60, "Sekretaris Contoh", Tier.ESELON_III, "Dinas Kesehatan", "Sekretaris Dinas Kesehatan")]
    head = F.employee(30, "dr. Wendy Pattinama", Tier.ESELON_II, "Dinas Kesehatan", "Kepala Dinas Kesehatan")
    head = type(head)(**{**head.__dict__, "nip": "197001011995032001"})
    outcome = write_letters(F.small_result(s, extra_employees=extra + [head]), tmp_path, today=F.TODAY)
    dinkes = next(x for x in by_kind(outcome, KIND_OFFICE) if x.office == "Dinas Kesehatan")
    text = text_of(dinkes.path)
    assert "Yth.\tSekretaris Dinas Kesehatan Kota Ambon" in text and "dr. Wendy Pattinama" not in text
    assert not any("197001011995032001" in x.path.name for x in outcome.letters)
    assert "dr. Wendy Pattinama" in text_of(by_kind(outcome, KIND_REPORT)[0].path)  # reported, not chased
