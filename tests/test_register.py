"""The letter register: numbers claimed once, kept, unique per year, even under concurrent runs."""
from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3

import pytest

from jikubata.domain.errors import InputError
from jikubata.adapters.register import ISSUED, PENDING, REGISTER_FILE, Register, Request, check_number_format

FMT = "500.2/{urut}/DISPERINDAG/{bulan_romawi}/{tahun}"
DAY = dt.date(2026, 11, 21)


def req(key: str, file: str | None = None, kind: str = "PEJABAT") -> Request:
    return Request(kind, key, f"Penerima {key}", file or f"Surat-2026-11/{key}.docx")


def test_claim_gives_consecutive_numbers_in_the_setting_format(tmp_path):
    with Register(tmp_path) as r:
        entries = r.claim("2026-11", [req("a"), req("b"), req("c")], DAY, FMT)
    assert [e.number for e in entries] == ["500.2/1/DISPERINDAG/XI/2026", "500.2/2/DISPERINDAG/XI/2026",
                                           "500.2/3/DISPERINDAG/XI/2026"]
    assert (tmp_path / REGISTER_FILE).is_file()


def test_same_period_kind_and_recipient_gets_the_same_row_back(tmp_path):
    with Register(tmp_path) as r:
        first = r.claim("2026-11", [req("a"), req("b")], DAY, FMT)
    with Register(tmp_path) as r:
        again = r.claim("2026-11", [req("b"), req("a")], DAY + dt.timedelta(days=3), FMT)
    assert [(e.number, e.letter_date, e.file) for e in again] == [(e.number, e.letter_date, e.file)
                                                                  for e in reversed(first)]


def test_another_period_or_kind_is_another_letter(tmp_path):
    with Register(tmp_path) as r:
        a = r.claim("2026-11", [req("a")], DAY, FMT)[0]
        b = r.claim("2026-12", [req("a", "Surat-2026-12/a.docx")], DAY, FMT)[0]
        c = r.claim("2026-11", [req("a", "Surat-2026-11/a-opd.docx", kind="OPD")], DAY, FMT)[0]
    assert len({a.seq, b.seq, c.seq}) == 3


def test_numbers_are_unique_per_year_and_restart_in_january(tmp_path):
    with Register(tmp_path) as r:
        r.claim("2026-11", [req("a"), req("b")], DAY, FMT)
        jan = r.claim("2026-12", [req("a", "Surat-2026-12/a.docx")], dt.date(2027, 1, 5), FMT)[0]
    assert jan.number == "500.2/1/DISPERINDAG/I/2027"


def test_claimed_rows_are_pending_until_confirmed(tmp_path):
    with Register(tmp_path) as r:
        entries = r.claim("2026-11", [req("a")], DAY, FMT)
        assert [e.state for e in r.entries()] == [PENDING]
        r.confirm(entries)
        assert [e.state for e in r.entries()] == [ISSUED]


def test_a_pending_row_whose_file_is_in_place_is_settled_as_issued_on_the_next_claim(tmp_path):
    with Register(tmp_path) as r:
        (entry,) = r.claim("2026-11", [req("a")], DAY, FMT)
    (tmp_path / entry.file).parent.mkdir(parents=True)
    (tmp_path / entry.file).write_bytes(b"docx")  # crash after the rename, before confirm
    with Register(tmp_path) as r:
        r.claim("2026-11", [req("b")], DAY, FMT)
        states = {e.recipient_key: e.state for e in r.entries()}
    assert states == {"a": ISSUED, "b": PENDING}


def test_a_pending_row_without_its_file_stays_a_reservation_and_is_reused(tmp_path):
    with Register(tmp_path) as r:
        (crashed,) = r.claim("2026-11", [req("a")], DAY, FMT)  # crash before the file was written
    with Register(tmp_path) as r:
        (again,) = r.claim("2026-11", [req("a")], DAY, FMT)
        assert r.entries()[0].state == PENDING
    assert again.number == crashed.number


def test_colliding_file_names_get_a_suffix_case_insensitively(tmp_path):
    with Register(tmp_path) as r:
        entries = r.claim("2026-11", [req("a", "S/x.docx"), req("b", "S/X.docx"), req("c", "S/x.docx")], DAY, FMT)
    assert [e.file for e in entries] == ["S/x.docx", "S/X-2.docx", "S/x-3.docx"]


def test_a_format_without_urut_is_refused():
    with pytest.raises(InputError, match=r"\{urut\}"):
        check_number_format("500.2/DISPERINDAG/{tahun}")


def test_an_unknown_placeholder_is_refused():
    with pytest.raises(InputError, match="tidak dapat dipakai"):
        check_number_format("500.2/{urut}/{nomor}")


def test_a_file_that_is_not_sqlite_is_a_clear_error(tmp_path):
    (tmp_path / REGISTER_FILE).write_bytes(b"bukan database " * 100)
    with pytest.raises(InputError, match="Register surat"):
        Register(tmp_path)


# ---------------------------------------------------------------- two processes racing


def _claim_many(folder: str, tag: str, start, n: int) -> list[str]:
    start.wait()
    numbers = []
    for i in range(n):  # many small transactions interleave the two processes as much as possible
        with Register(folder) as r:
            (entry,) = r.claim(f"2026-{tag}", [req(f"{tag}{i}", f"S-{tag}/{i}.docx")], DAY, FMT)
            numbers.append(entry.number)
    return numbers


@pytest.mark.slow
def test_two_processes_claiming_at_once_never_share_a_number(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager:
        start = manager.Barrier(2)
        with ctx.Pool(2) as pool:
            a, b = pool.starmap(_claim_many, [(str(tmp_path), "11", start, 60), (str(tmp_path), "12", start, 60)])
    assert len(a) == len(b) == 60
    assert len(set(a) | set(b)) == 120
    seqs = [row[0] for row in sqlite3.connect(tmp_path / REGISTER_FILE).execute("SELECT seq FROM letters")]
    assert sorted(seqs) == list(range(1, 121))
