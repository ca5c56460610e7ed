"""Who gets which letter, and when (README: Surat): pure rules on `Result` objects, no file and no clock."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from jikubata.domain import correspondence as cor
from jikubata.domain.correspondence import (KIND_DATA_REQUEST, KIND_OFFICE, KIND_OFFICIAL, KIND_REPORT, Mode,
                                            plan_letters)
from jikubata.domain.model import (Dataset, Employee, FormIdentity, Office, Period, Purchase, Settings, Status, Tier,
                                   WIT, compute)

NOV, DEC = Period(2026, 11), Period(2026, 12)


def nip(n: int) -> str:
    return f"19800101200501{1}{n:03d}"


def person(n, tier, office, position, grade="", name=None):
    return Employee(nip(n), name or f"Orang {n}", position, tier, office, grade=grade)


def result_of(people, spend, offices=(), settings=None, period=NOV, forms=None):
    purchases = [Purchase(dt.date(period.year, period.month, 8), nip(n), "Toko Sagu", amount)
                 for n, amount in spend.items()]
    data = Dataset(settings or Settings(signatory_name="X", signatory_rank="Y", signatory_nip=""), list(people),
                   purchases, list(offices), [], [], forms=forms or {})
    return compute(data, period, period.last_day)


# ---------------------------------------------------------------- when


@pytest.mark.parametrize("today, mode", [
    (dt.date(2026, 12, 2), Mode.NOTICE),    # November has ended: a notice
    (dt.date(2026, 11, 20), Mode.REMINDER),  # from Tanggal Pengingat
    (dt.date(2026, 11, 30), Mode.REMINDER),  # the month's last working day (a Monday)
])
def test_the_letters_date_chooses_notice_or_reminder(today, mode):
    assert cor.letter_mode(NOV, today, Settings()) == (mode, "")


def test_no_letter_before_tanggal_pengingat_and_the_message_points_at_last_month():
    mode, why = cor.letter_mode(DEC, dt.date(2026, 12, 5), Settings())
    assert mode is None and "mulai 20 Desember 2026" in why and "--periode 2026-11" in why


def test_no_reminder_after_the_months_last_working_day():
    # January 2027 ends on a Sunday: its last working day is Friday the 29th.
    assert cor.letter_mode(Period(2027, 1), dt.date(2027, 1, 29), Settings())[0] is Mode.REMINDER
    mode, why = cor.letter_mode(Period(2027, 1), dt.date(2027, 1, 30), Settings())
    assert mode is None and "29 Januari 2027" in why and "1 Februari 2027" in why


def test_tanggal_pengingat_is_never_before_the_day_after_hari_jiku_bata():
    s = Settings(reminder_day=3, jiku_bata_day=7)
    assert cor.reminder_start(DEC, s) == dt.date(2026, 12, 8)


@pytest.mark.parametrize("today, period", [(dt.date(2026, 12, 2), NOV), (dt.date(2026, 12, 21), DEC),
                                           (dt.date(2027, 1, 4), DEC)])
def test_an_empty_period_means_last_months_notices_until_tanggal_pengingat(today, period):
    assert cor.default_letter_period(today, Settings()) == period


# ---------------------------------------------------------------- rank


def test_rank_reads_the_grade_and_the_sekda_by_position():
    assert cor.official_rank(Tier.ESELON_II, "II.a", "Sekretaris Kota") == cor.RANK_SEKDA
    assert cor.official_rank(Tier.ESELON_II, "II.a", "Asisten Pemerintahan") < \
        cor.official_rank(Tier.ESELON_II, "II.b", "Kepala Dinas Sosial")
    assert cor.official_rank(Tier.ESELON_II, "II", "Kepala Badan") == cor.official_rank(Tier.ESELON_II, "II.b", "")
    assert cor.official_rank(Tier.WALIKOTA) < cor.official_rank(Tier.WAKIL_WALIKOTA) < cor.RANK_SEKDA


def test_the_signers_rank_comes_from_his_roster_row_else_from_his_position():
    people = [person(1, Tier.ESELON_II, "Sekretariat Daerah", "Asisten Perekonomian", "II.a")]
    r = result_of(people, {})
    s = Settings(signatory_nip=nip(1), signatory_position="Kepala Dinas Perindustrian dan Perdagangan")
    assert cor.signer_rank(s, r.employees) == 5   # II.a from the roster, not the position's II.b
    s.signatory_nip = ""
    assert cor.signer_rank(s, r.employees) == 6
    s.signatory_position = "Sekretaris Daerah"
    assert cor.signer_rank(s, r.employees) == cor.RANK_SEKDA


# ---------------------------------------------------------------- who


def city(signer_position="Kepala Dinas Perindustrian dan Perdagangan", signer_nip=""):
    offices = [Office("Sekretariat Daerah", "Setda", "Sekda Contoh", nip(1), "Sekretaris Daerah"),
               Office("Dinas Sosial", "Dinsos", "Kadis Sosial", nip(10), "Kepala Dinas Sosial"),
               Office("Dinas Perindustrian dan Perdagangan", "Disperindag", "Kadis Perindag", nip(20),
                      "Kepala Dinas Perindustrian dan Perdagangan"),
               Office("Kecamatan Sirimau", "Sirimau")]
    people = [person(1, Tier.ESELON_II, "Sekretariat Daerah", "Sekretaris Daerah", "II.a", "Sekda Contoh"),
              person(2, Tier.ESELON_II, "Sekretariat Daerah", "Asisten Pemerintahan", "II.b"),
              person(3, Tier.ESELON_IV, "Sekretariat Daerah", "Kepala Subbagian Protokol", "IV.a"),
              person(10, Tier.ESELON_II, "Dinas Sosial", "Kepala Dinas Sosial", "II.b", "Kadis Sosial"),
              person(11, Tier.ESELON_IV, "Dinas Sosial", "Kepala Seksi Rehabilitasi", "IV.a"),
              person(20, Tier.ESELON_II, "Dinas Perindustrian dan Perdagangan",
                     "Kepala Dinas Perindustrian dan Perdagangan", "II.b", "Kadis Perindag"),
              person(21, Tier.ESELON_III, "Dinas Perindustrian dan Perdagangan", "Sekretaris", "III.a"),
              person(22, Tier.ESELON_IV, "Dinas Perindustrian dan Perdagangan", "Kepala Seksi Pasar", "IV.a"),
              person(30, Tier.ESELON_III, "Kecamatan Sirimau", "Camat Sirimau", "III.a"),
              Employee("8171010101800001", "Wali Contoh", "Wali Kota Ambon", Tier.WALIKOTA, "Sekretariat Daerah")]
    s = Settings(signatory_name="Kadis Perindag", signatory_rank="Pembina (IV/a)", signatory_nip=signer_nip,
                 signatory_position=signer_position)
    spend = {2: 1_000, 3: 1_000, 11: 1_000, 20: 1_000, 22: 1_000, 10: 100_000, 1: 50_000}  # Sirimau: nothing
    return result_of(people, spend, offices, s)


def recipients(plans, kind):
    return [p.recipient for p in plans if p.kind == kind]


def test_a_kepala_dinas_writes_to_equals_and_below_never_up_and_never_to_himself():
    plans = plan_letters(city(signer_nip=nip(20)), Mode.NOTICE).plans
    assert [p.office for p in plans if p.kind == KIND_OFFICE] == ["Dinas Sosial", "Dinas Perindustrian dan Perdagangan"]
    own = next(p for p in plans if p.kind == KIND_OFFICE and p.office.startswith("Dinas Perindustrian"))
    assert own.recipient.startswith("Sekretaris Dinas Perindustrian")   # his office's letter goes to its Sekretaris
    assert nip(20) not in {e.nip for p in plans if p.kind != KIND_REPORT for e in p.employees}
    officials = {e.nip for p in plans if p.kind == KIND_OFFICIAL for e in p.employees}
    assert officials == {nip(2), nip(3), nip(11), nip(22)}  # the Asisten is his equal: he may be written to
    (report,) = [p for p in plans if p.kind == KIND_REPORT]
    assert [e.nip for e in report.employees] == [nip(1), nip(20)]  # the Sekda (above) and the signer himself
    assert [o for o, _ in report.reported_staff] == ["Sekretariat Daerah"]
    assert report.not_reported == ("Kecamatan Sirimau",)
    assert [e.tier for e in report.heads_of_region] == [Tier.WALIKOTA]
    assert report.asn_totals.obliged == 9 - 1   # the Camat's office has not reported; the Wali Kota is no ASN


def test_an_office_that_has_not_reported_gets_one_data_request_and_nothing_else():
    plans = plan_letters(city(), Mode.NOTICE).plans
    about = [p for p in plans if p.office == "Kecamatan Sirimau"]
    assert [(p.kind, p.recipient) for p in about] == [(KIND_DATA_REQUEST, "Camat Sirimau (Orang 30)")]
    assert about[0].employees == () and about[0].obliged == 1


def test_a_sekda_as_signer_writes_to_the_kepala_dinas_but_not_to_himself_and_the_wali_kota_gets_the_laporan():
    plans = plan_letters(city("Sekretaris Daerah", nip(1)), Mode.NOTICE).plans
    assert "Sekretariat Daerah" not in [p.office for p in plans if p.kind == KIND_OFFICE] or all(
        nip(1) != p.head_nip for p in plans)
    assert nip(1) not in {e.nip for p in plans if p.kind in (KIND_OFFICE, KIND_OFFICIAL) for e in p.employees}
    assert recipients(plans, KIND_REPORT) == ["Wali Kota Ambon"]


def test_a_returned_empty_entry_form_has_reported_so_everyone_in_it_spent_nothing():
    people = [person(1, Tier.ESELON_IV, "Dinas Sosial", "Kepala Seksi")]
    moment = dt.datetime(2026, 11, 1, 8, tzinfo=WIT)
    form = FormIdentity("Formulir-Dinsos-2026-11.xlsx", "Dinas Sosial", "Dinsos", NOV, "1", moment,
                        moment + dt.timedelta(days=3))
    silent = result_of(people, {})
    returned = result_of(people, {}, forms={form.file: form})
    assert silent.offices_not_reported == ["Dinas Sosial"] and returned.offices_not_reported == []
    assert [e.status for e in returned.short_employees()] == [Status.KURANG]


# ---------------------------------------------------------------- properties over random rosters

OFFICES = ["Sekretariat Daerah", "Dinas Sosial", "Dinas Kesehatan", "Kecamatan Sirimau"]
POSITIONS = {Tier.ESELON_II: ["Kepala Dinas", "Asisten Pemerintahan", "Sekretaris Daerah", "Staf Ahli"],
             Tier.ESELON_III: ["Sekretaris", "Kepala Bidang Program", "Camat Sirimau"],
             Tier.ESELON_IV: ["Kepala Seksi Data", "Lurah Batu Merah"],
             Tier.NON_ESELON: ["Pengelola Data"], Tier.WALIKOTA: ["Wali Kota Ambon"],
             Tier.WAKIL_WALIKOTA: ["Wakil Wali Kota Ambon"]}
GRADES = {Tier.ESELON_II: ["II.a", "II.b", "II"], Tier.ESELON_III: ["III.a", "III.b"],
          Tier.ESELON_IV: ["IV.a", "IV.b"]}


@st.composite
def rosters(draw):
    n = draw(st.integers(1, 14))
    people, spend = [], {}
    for i in range(n):
        tier = draw(st.sampled_from(list(POSITIONS)))
        office = draw(st.sampled_from(OFFICES))
        people.append(person(i + 1, tier, office, draw(st.sampled_from(POSITIONS[tier])),
                             draw(st.sampled_from(GRADES.get(tier, [""])))))
        if draw(st.booleans()):
            spend[i + 1] = draw(st.sampled_from([1_000, 20_000, 50_000, 250_000]))
    heads = draw(st.lists(st.sampled_from(OFFICES), unique=True))
    offices = []
    for o in OFFICES:
        head = next((p for p in people if p.office == o), None) if o in heads else None
        offices.append(Office(o, "", head.name if head else "", head.nip if head else "",
                              head.position if head else ""))
    signer = draw(st.one_of(st.none(), st.sampled_from(people)))
    settings = Settings(signatory_name="S", signatory_rank="R", signatory_nip=signer.nip if signer else "",
                        signatory_position=signer.position if signer else draw(st.sampled_from(
                            ["Kepala Dinas Perindustrian dan Perdagangan", "Sekretaris Daerah", "Camat Nusaniwe"])))
    settings.minimums[Tier.NON_ESELON] = 10_000
    return result_of(people, spend, offices, settings)


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rosters(), st.sampled_from(list(Mode)))
def test_properties_of_who_is_written_to(result, mode):
    plans = plan_letters(result, mode).plans
    s = result.settings
    signer = cor.signer_rank(s, result.employees)
    signer_nip = cor.digits(s.signatory_nip)
    silent = set(result.offices_not_reported)
    addressed: list[str] = []   # NIPs of the people a letter is addressed to
    for p in plans:
        if p.kind == KIND_OFFICIAL:
            addressed.append(p.employees[0].nip)
        elif p.kind in (KIND_OFFICE, KIND_DATA_REQUEST) and p.head_nip:
            addressed.append(p.head_nip)
    # Nobody gets two letters.
    assert len(addressed) == len(set(addressed))
    by_nip = {e.nip: e for e in result.employees}
    for p in plans:
        if p.kind == KIND_REPORT:
            continue
        # Nobody who outranks the signer is addressed, or listed in an office letter; nor is the signer.
        for e in p.employees:
            assert not cor.outranks(cor.person_rank(e), signer) and e.nip != signer_nip
            assert e.tier not in cor.HEADS_OF_REGION
        head = cor.office_head(result, p.office, cor.region_name(s)) if p.kind != KIND_OFFICIAL else None
        if head is not None:
            assert not cor.outranks(head.rank, signer)
        # Offices that have not reported get only the data request.
        if p.office in silent:
            assert p.kind == KIND_DATA_REQUEST
        else:
            assert p.kind != KIND_DATA_REQUEST
    # Every short official who does not outrank the signer, and is not the signer, is addressed exactly once
    # (his own letter, or his office's letter when he heads it) — unless his office's head outranks the
    # signer, and he heads it (then he outranks the signer himself).
    for e in result.short_employees():
        if e.tier not in (Tier.ESELON_II, Tier.ESELON_III, Tier.ESELON_IV) or e.nip == signer_nip:
            continue
        if cor.outranks(cor.person_rank(e), signer):
            assert e.nip not in addressed
            continue
        assert addressed.count(e.nip) == 1 or any(
            p.kind == KIND_OFFICE and e in p.employees and p.head_nip == "" and e.nip in
            {x.nip for x in result.employees if cor.is_head_position(x.position, p.office, cor.region_name(s))}
            for p in plans), (e, [(p.kind, p.recipient, p.head_nip) for p in plans])
    assert by_nip is not None


def test_the_laporan_goes_to_surel_sekretariat_pimpinan_when_the_wali_kota_has_no_address():
    result = city()
    result.settings.leadership_email = "pimpinan@example.org"
    (report,) = [p for p in plan_letters(result, Mode.NOTICE).plans if p.kind == KIND_REPORT]
    assert report.email == "pimpinan@example.org"
