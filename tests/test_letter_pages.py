"""Every demo letter through LibreOffice → PDF: one page, or the letter plus its Lampiran; never a page
with only the Tembusan; the chain of command on the demo with the Wali Kota short; one print file."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest

from jikubata.adapters import letters
from jikubata.domain.model import Period, Status, Tier
from jikubata.tools import demo
from jikubata import services
from jikubata.adapters.clock import Clock

TODAY = dt.date(2026, 11, 20)
# Every test here renders letters through LibreOffice.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                 reason="LibreOffice dan poppler-utils diperlukan")]


@pytest.fixture(scope="module", params=["pengingat", "pemberitahuan", "berulang"])
def demo_run(tmp_path_factory, request):
    # A reminder written on the 20th while November runs, and November's notice written on 2 December;
    # `berulang`: that notice over three finished months of data, so people are short months in a row.
    written_on = TODAY if request.param == "pengingat" else dt.date(2026, 12, 2)
    base = tmp_path_factory.mktemp("demo")
    inputs = base / "masukan"
    inputs.mkdir()
    city = demo.build_city()
    if request.param == "berulang":
        months = [Period(2026, 9), Period(2026, 10), Period(2026, 11)]
        demo.add_purchases(city, months, per_month=2, until=dt.date(2026, 11, 30), seed=8, compliance=0.4)
    else:
        demo.add_purchases(city, [Period.of(TODAY)], per_month=2, until=TODAY, seed=8)
    # The Wali Kota's purchases removed: he is short (and must not be chased).
    mayor = next(p for p in city.people if p.tier is Tier.WALIKOTA)
    for rows in city.purchases.values():
        rows[:] = [r for r in rows if r.nip != mayor.nip]
    demo.write_central(city, inputs / "JikuBata-Pusat.xlsx")
    for office in city.offices:
        demo.write_office_purchases(office, city.purchases.get(office[0], []),
                                    inputs / f"Belanja-{demo.file_slug(office[1])}.xlsx")
    computed_on = written_on if request.param == "berulang" else TODAY
    result = services.calculate([inputs], Period.of(TODAY), clock=Clock.fixed(computed_on))
    outcome = letters.write_letters(result, base / "surat", pdf=True, today=written_on)
    assert outcome.mode.value == {"berulang": "pemberitahuan"}.get(request.param, request.param)
    return result, outcome, mayor


def pdf_text(path, page=None) -> str:
    args = ["pdftotext", "-layout"] + (["-f", str(page), "-l", str(page)] if page else []) + [str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pages(path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def test_every_demo_letter_has_exactly_the_pages_it_announces(demo_run):
    _, outcome, _ = demo_run
    assert outcome.letters and all(x.pdf_path for x in outcome.letters), outcome.pdf_message
    counts = {}
    for x in outcome.letters:
        first = pdf_text(x.pdf_path, 1)
        m = re.search(r"Lampiran\s*:\s*(\d+) \((\w+)\) lembar", first)
        sheets = int(m.group(1)) if m else 0
        assert m or re.search(r"Lampiran\s*:\s*-", first), x.path.name
        n = pages(x.pdf_path)
        assert n == 1 + sheets, f"{x.path.name}: {n} halaman, Lampiran {sheets} lembar"
        counts[n] = counts.get(n, 0) + 1
    assert counts.get(1, 0) > 40  # most letters stay on one page


def test_no_page_holds_only_the_tembusan_and_every_last_page_is_signed(demo_run):
    _, outcome, _ = demo_run
    for x in outcome.letters:
        n = pages(x.pdf_path)
        last = pdf_text(x.pdf_path, n)
        assert "NIP." in last, f"{x.path.name}: halaman terakhir tanpa tanda tangan"
        if n > 1:
            assert "LAMPIRAN" in pdf_text(x.pdf_path, 2), x.path.name
        if "Tembusan:" in last:
            assert last.index("NIP.") < last.index("Tembusan:")


def test_the_attachment_names_its_letter_and_repeats_the_table_header(demo_run):
    _, outcome, _ = demo_run
    report = next(x for x in outcome.letters if x.kind == letters.KIND_REPORT)
    page2 = pdf_text(report.pdf_path, 2)
    assert "LAMPIRAN" in page2 and report.number in page2.replace("\n", "")
    assert f"TANGGAL : {letters.long_date(report.date)}" in " ".join(page2.split())
    for p in range(2, pages(report.pdf_path) + 1):
        text = pdf_text(report.pdf_path, p)
        assert "Wajib" in text or "Kekurangan" in text  # each attachment page starts with a table header


def test_chain_of_command_on_the_demo_with_the_wali_kota_short(demo_run):
    result, outcome, mayor = demo_run
    assert next(e for e in result.employees if e.nip == mayor.nip).status is Status.KURANG
    reports = [x for x in outcome.letters if x.kind == letters.KIND_REPORT]
    assert len(reports) == 1 and reports[0].recipient.startswith("Wali Kota")
    for x in outcome.letters:
        assert mayor.nip not in x.path.name
        if x.kind != letters.KIND_REPORT:
            text = pdf_text(x.pdf_path)
            assert mayor.name not in text, x.path.name
            assert "Yth. Wali Kota" not in " ".join(text.split())
    assert "Wali Kota Ambon (sebagai laporan)" not in pdf_text(reports[0].pdf_path)


def test_the_demo_signer_is_fictional_and_letters_are_final(demo_run):
    result, outcome, _ = demo_run
    s = result.settings
    assert s.signatory_name and s.signatory_rank and s.signatory_nip
    assert "Slarmanat" not in s.signatory_name
    assert not any("KONSEP" in pdf_text(x.pdf_path, 1) for x in outcome.letters[:5])
    assert not any("...." in pdf_text(x.pdf_path) for x in outcome.letters[:5])


def test_one_print_file_holds_every_letter_in_register_order(demo_run):
    _, outcome, _ = demo_run
    assert outcome.print_path and outcome.print_path.name == "Semua-Surat-2026-11.pdf"
    from pypdf import PdfReader

    merged = PdfReader(str(outcome.print_path))
    ordered = sorted(outcome.letters, key=lambda x: x.order)
    assert len(merged.pages) == sum(pages(x.pdf_path) for x in ordered)
    page = 0
    for x in ordered:  # each letter starts on its own page with its own number
        assert x.number in merged.pages[page].extract_text().replace("\n", "")
        page += pages(x.pdf_path)


@pytest.mark.parametrize("count", [8, 16, 30, 45])
def test_an_office_letter_with_a_long_list_has_its_lampiran_pages_as_announced(tmp_path, count):
    from tests.support import letters_fixtures as F

    extra = [F.employee(300 + i, f"Pegawai Dinas Kesehatan Nomor {i}", Tier.ESELON_IV, "Dinas Kesehatan",
                        "Kepala Seksi Pelayanan Kesehatan Rujukan") for i in range(count)]
    outcome = letters.write_letters(F.small_result(extra_employees=extra), tmp_path, pdf=True, today=F.TODAY)
    office = next(x for x in outcome.letters if x.kind == letters.KIND_OFFICE)
    first = pdf_text(office.pdf_path, 1)
    sheets = int(re.search(r"Lampiran\s*:\s*(\d+) \(\w+\) lembar", first).group(1))
    n = pages(office.pdf_path)
    assert n == 1 + sheets and sheets >= (2 if count > 40 else 1)
    assert "NIP." in pdf_text(office.pdf_path, n)
    for p in range(2, n + 1):  # the table header on every attachment page
        assert "Kekurangan" in pdf_text(office.pdf_path, p)


def test_a_lampiran_never_ends_with_the_signature_alone_and_its_sheets_are_counted(tmp_path):
    """Lists around each page boundary, with rows of one line and of two: the last page always holds table
    rows with the signature, and `Lampiran: n lembar` counts exactly the Lampiran's pages."""
    from tests.support import letters_fixtures as F
    from jikubata.domain.model import compute

    people, bought = [], []
    sizes = {"Satu": (20, 21, 50, 51, 54), "Dua": (39, 40, 41)}   # rows of two lines, rows of one line
    n = 0
    for kind, counts in sizes.items():
        position = "Kepala Seksi Pelayanan Umum" if kind == "Satu" else "Kasi"
        for count in counts:
            office = f"Dinas Uji {kind} {count}"
            for i in range(count):
                n += 1
                people.append(F.employee(n, f"Pegawai Nomor {n}", Tier.ESELON_IV, office, position))
            bought.append(F.buy(n, 1_000))
    result = compute(F.dataset(people, bought), F.PERIOD, F.AS_OF)
    outcome = letters.write_letters(result, tmp_path, pdf=True, today=dt.date(2026, 12, 2))
    offices = [x for x in outcome.letters if x.kind == letters.KIND_OFFICE]
    assert len(offices) == 8 and all(x.pdf_path for x in offices), outcome.pdf_message
    for x in offices:
        total = pages(x.pdf_path)
        announced = re.search(r"Lampiran\s*:\s*(\d+) \(", pdf_text(x.pdf_path, 1))
        assert announced and total == 1 + int(announced.group(1)), (x.office, total, announced)
        last = pdf_text(x.pdf_path, total)
        assert "Pegawai Nomor" in last and "NIP. 19680512" in last, x.office


def test_repeated_shortfall_notices_fit_their_pages_and_copy_bkpsdm(demo_run):
    result, outcome, _ = demo_run
    if not any((e.short_run or 0) >= result.settings.repeat_threshold for e in result.employees):
        pytest.skip("tanpa kekurangan berulang pada putaran ini")
    asked = [x for x in outcome.letters if x.kind == letters.KIND_OFFICE and "atasan langsung" in pdf_text(x.pdf_path)]
    assert asked
    for x in asked:
        text = " ".join(pdf_text(x.pdf_path).split())
        assert "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kota Ambon" in text
        assert "bulan berturut-turut" in text
    report = next(x for x in outcome.letters if x.kind == letters.KIND_REPORT)
    assert "KEKURANGAN BERULANG" in pdf_text(report.pdf_path)


@pytest.mark.parametrize("count", [2, 5, 8])
def test_an_office_notice_asking_the_head_to_act_has_the_pages_it_announces(tmp_path, count):
    from tests.support import letters_fixtures as F
    from tests.test_repeated_letters import with_runs

    extra = [F.employee(300 + i, f"Pegawai Dinas Kesehatan Nomor {i}", Tier.ESELON_IV, "Dinas Kesehatan",
                        "Kepala Seksi Pelayanan Kesehatan Rujukan") for i in range(count)]
    result = with_runs(F.small_result(extra_employees=extra), {300 + i: 3 + i for i in range(count)})
    outcome = letters.write_letters(result, tmp_path, pdf=True, today=dt.date(2026, 12, 2))
    office = next(x for x in outcome.letters if x.kind == letters.KIND_OFFICE)
    first = pdf_text(office.pdf_path, 1)
    m = re.search(r"Lampiran\s*:\s*(\d+) \(\w+\) lembar", first)
    sheets = int(m.group(1)) if m else 0
    n = pages(office.pdf_path)
    assert n == 1 + sheets
    last = pdf_text(office.pdf_path, n)
    assert "NIP." in last and "atasan langsung" in " ".join(pdf_text(office.pdf_path, 1).split())
    assert "Kepala Badan Kepegawaian" in pdf_text(office.pdf_path)


def test_the_laporan_lampiran_never_ends_with_the_signature_alone_and_its_sheets_are_counted(tmp_path):
    """The laporan's OPD table around its page boundaries (names of two lines and of one): the signature is
    the last table's last row, kept with its last rows, and `Lampiran: n lembar` counts the Lampiran's pages.
    (Its signature was once a table of its own, alone on the last page for 22–25 and 51–55 offices.)"""
    from tests.support import letters_fixtures as F
    from jikubata.domain.model import compute

    for name, counts in (("Dinas Uji Nomor {} Bidang Pelayanan", (21, 22, 25)), ("Dinas Uji {}", (41, 42))):
        for count in counts:
            people, bought = [], []
            for o in range(count):
                for j in range(2):
                    people.append(F.employee(len(people) + 1, f"Pegawai {len(people) + 1}", Tier.ESELON_IV,
                                             name.format(o + 1), "Kasi"))
                bought.append(F.buy(len(people), 1_000))
            result = compute(F.dataset(people, bought), F.PERIOD, F.AS_OF)
            outcome = letters.write_letters(result, tmp_path / f"{count}-{len(name)}", pdf=True,
                                            today=dt.date(2026, 12, 2))
            (report,) = [x for x in outcome.letters if x.kind == letters.KIND_REPORT]
            assert report.pdf_path, outcome.pdf_message
            total = pages(report.pdf_path)
            announced = re.search(r"Lampiran\s*:\s*(\d+) \(", pdf_text(report.pdf_path, 1))
            assert announced and total == 1 + int(announced.group(1)), (count, total, announced)
            last = pdf_text(report.pdf_path, total)
            assert "Dinas Uji" in last and "NIP. 19680512" in last, (count, last)
