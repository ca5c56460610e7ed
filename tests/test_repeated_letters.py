"""Repeated shortfall in the letters (issue 21): the count per person in a notice, the head asked to act as
direct superior from `Batas Berturut` on, BKPSDM in copy, and the laporan's "Kekurangan berulang"."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tests.support import letters_fixtures as F
from tests.test_letters import text_of
from jikubata.adapters.letters import KIND_OFFICE, KIND_OFFICIAL, KIND_REPORT, write_letters
from jikubata.domain import correspondence as cor
from jikubata.domain.correspondence import Mode, plan_letters

NOTICE_DAY = dt.date(2026, 12, 2)
BKPSDM = "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kota Ambon"


def with_runs(result, runs: dict[int, int]):
    """The small result as a finished month: `runs` gives fixture person n their `bulan_berturut`."""
    by_nip = {F.nip(n): r for n, r in runs.items()}
    people = [dataclasses.replace(e, short_run=by_nip.get(e.nip, 1 if e.status.value == "KURANG" else 0))
              for e in result.employees]
    return dataclasses.replace(result, employees=people)


def plan_of(result, kind, mode=Mode.NOTICE):
    return [p for p in plan_letters(result, mode).plans if p.kind == kind]


def test_a_notice_naming_someone_at_the_threshold_asks_the_head_and_copies_bkpsdm():
    (office,) = plan_of(with_runs(F.small_result(), {1: 3}), KIND_OFFICE)
    assert office.repeat_threshold == 3 and office.extra_copies == (BKPSDM,)
    assert [e.nip for e in office.repeated] == [F.nip(1)]


def test_below_the_threshold_the_notice_stays_as_before():
    result = with_runs(F.small_result(), {1: 2})
    (office,) = plan_of(result, KIND_OFFICE)
    assert (office.repeat_threshold, office.extra_copies, office.repeated) == (0, (), ())


def test_a_reminder_never_carries_a_count():
    (office,) = plan_of(with_runs(F.small_result(), {1: 5}), KIND_OFFICE, Mode.REMINDER)
    assert (office.repeat_threshold, office.extra_copies) == (0, ())


def test_the_threshold_is_a_setting():
    result = with_runs(F.small_result(F.settings(repeat_threshold=2, repeat_copy_to="Kepala BKPSDM")), {1: 2})
    (office,) = plan_of(result, KIND_OFFICE)
    assert office.repeat_threshold == 2 and office.extra_copies == ("Kepala BKPSDM",)


def test_the_count_is_part_of_the_letters_fingerprint():
    one, two = (plan_of(with_runs(F.small_result(), {1: n}), KIND_OFFICE)[0] for n in (2, 3))
    assert one.fingerprint() != two.fingerprint()
    same = plan_of(with_runs(F.small_result(), {1: 3}), KIND_OFFICE)[0]
    assert same.fingerprint() == two.fingerprint()


def test_a_reminder_keeps_the_fingerprint_it_had_before_counts_existed():
    # Letters already numbered must not be renumbered by the upgrade: nothing new enters a reminder's digest.
    import hashlib

    plan = plan_of(F.small_result(), KIND_OFFICE, Mode.REMINDER)[0]
    person = [(e.nip, cor.clean(e.name), cor.clean(e.position), cor.clean(e.office), e.tier.value, e.minimum,
               e.spent, e.shortfall, e.status.value) for e in plan.employees]
    before = (plan.kind, plan.addressee, plan.recipient, plan.head_nip, plan.obliged, plan.shortfall, tuple(person),
              (), (), (), (), None)
    assert plan.fingerprint() == hashlib.sha256(repr(before).encode("utf-8")).hexdigest()[:32]


def test_the_laporan_lists_per_office_the_people_at_or_above_the_threshold():
    result = with_runs(F.small_result(), {1: 4, 6: 3, 5: 6})
    (report,) = plan_of(result, KIND_REPORT)
    assert [(o, [e.nip for e in people]) for o, people in report.repeated_staff] == [
        ("Dinas Kesehatan", [F.nip(1), F.nip(6)]), ("Sekretariat Daerah", [F.nip(5)])]


@pytest.fixture
def notice(tmp_path):
    return write_letters(with_runs(F.small_result(), {1: 3, 6: 2}), tmp_path, today=NOTICE_DAY)


def test_the_notice_shows_each_persons_count_and_asks_the_head_to_act(notice):
    (office,) = [x for x in notice.letters if x.kind == KIND_OFFICE]
    text = text_of(office.path)
    assert "3 bulan berturut-turut" in text and "2 bulan berturut-turut" in text
    assert "sebagai atasan langsung" in text and "Nomor 94 Tahun 2021" in text
    assert "terhadap pegawai nomor urut 1, yang telah 3 bulan" in " ".join(text.split())
    tembusan = text[text.index("Tembusan:"):]
    assert BKPSDM in tembusan and "Inspektur Kota Ambon" in tembusan


def test_the_laporan_has_the_section_kekurangan_berulang(notice):
    (report,) = [x for x in notice.letters if x.kind == KIND_REPORT]
    text = text_of(report.path)
    assert "KEKURANGAN BERULANG" in text and "Maria Latupeirissa" in text.split("KEKURANGAN BERULANG")[1]
    assert "(Lampiran, Kekurangan Berulang)" in " ".join(text.split())


def test_an_officials_own_notice_says_which_month_in_a_row_it_is(notice):
    maria = next(x for x in notice.letters if x.kind == KIND_OFFICIAL and "Maria" in x.recipient)
    assert "bulan ke-3 berturut-turut" in text_of(maria.path)


def test_a_first_month_short_has_no_count_and_no_request(tmp_path):
    outcome = write_letters(with_runs(F.small_result(), {}), tmp_path, today=NOTICE_DAY)
    (office,) = [x for x in outcome.letters if x.kind == KIND_OFFICE]
    text = text_of(office.path)
    assert "berturut-turut" not in text and "atasan langsung" not in text and BKPSDM not in text
