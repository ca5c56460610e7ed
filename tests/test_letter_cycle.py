"""A letter is an act (README: Surat): its number never changes its content; a change is a new letter."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from tests.support import letters_fixtures as F
from tests.support import workbooks as W
from jikubata.adapters import register as reg
from jikubata.adapters.letters import KIND_OFFICE, KIND_OFFICIAL, write_letters
from jikubata.domain.errors import InputError
from jikubata.entrypoints import cli

NOTICE_DAY = dt.date(2026, 12, 2)   # November's notices


def text_of(path) -> str:
    doc = Document(str(path))
    return "\n".join([p.text for p in doc.paragraphs] +
                     [" | ".join(c.text for c in row.cells) for t in doc.tables for row in t.rows])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def maria(outcome):
    return next(x for x in outcome.letters if x.kind == KIND_OFFICIAL and "Maria" in x.recipient)


def _recomputed(extra):
    """small_result with Maria (Eselon IV, Rp15.000 of Rp20.000) spending `extra` more in November."""
    from jikubata.domain.model import Dataset, compute
    base = F.small_result()
    people = [F.employee(int(e.nip[-3:]), e.name, e.tier, e.office, e.position) for e in base.employees]
    purchases = [F.buy(1, 15_000), F.buy(2, 50_000), F.buy(3, 30_000), F.buy(4, 25_000), F.buy(5, 45_000),
                 F.buy(1, extra, day=9)]
    offices = list(base.office_info.values())
    return compute(Dataset(F.settings(), people, purchases, offices, [], []), F.PERIOD, F.PERIOD.last_day)


def test_an_unchanged_letter_keeps_number_date_and_bytes_on_a_later_day(tmp_path):
    first = write_letters(_recomputed(1_000), tmp_path, today=NOTICE_DAY)
    before = {x.number: digest(x.path) for x in first.letters}
    again = write_letters(_recomputed(1_000), tmp_path, today=NOTICE_DAY + dt.timedelta(days=9))
    assert {x.number: digest(x.path) for x in again.letters} == before
    assert {x.date for x in again.letters} == {NOTICE_DAY} and not any(x.new for x in again.letters)


def test_a_changed_unsent_letter_is_cancelled_moved_aside_and_written_under_a_new_number(tmp_path):
    first = write_letters(_recomputed(1_000), tmp_path, today=NOTICE_DAY)
    old = maria(first)
    old_bytes = old.path.read_bytes()
    again = write_letters(_recomputed(2_000), tmp_path, today=dt.date(2026, 12, 4))
    new = maria(again)
    assert new.number != old.number and new.date == dt.date(2026, 12, 4) and new.replaces == ""
    moved = tmp_path / "Surat-2026-11" / reg.CANCELLED_FOLDER / old.path.name
    assert moved.read_bytes() == old_bytes                     # the cancelled letter, as it was
    assert "Rp2.000" in text_of(new.path) or "Rp17.000" in text_of(new.path)
    statuses = {x.number: x.status for x in again.numbers}
    assert statuses[old.number] == reg.CANCELLED and statuses[new.number] == reg.WRITTEN
    # Daftar Surat lists every number of the period, the cancelled one too.
    ws = openpyxl.load_workbook(again.index_path)["Daftar Surat"]
    listed = {r[1]: r[7] for r in ws.iter_rows(min_row=5, values_only=True)}
    assert listed[old.number] == "dibatalkan" and listed[new.number] == "dibuat"
    with reg.Register(tmp_path) as r:
        seqs = sorted(e.seq for e in r.entries("2026-11"))
    assert seqs == list(range(1, len(seqs) + 1)) and len(listed) == len(seqs)


def test_a_changed_sent_letter_stays_and_the_new_one_names_it(tmp_path):
    first = write_letters(_recomputed(1_000), tmp_path, today=NOTICE_DAY)
    old = maria(first)
    old_bytes = old.path.read_bytes()
    again = write_letters(_recomputed(2_000), tmp_path, today=dt.date(2026, 12, 4),
                          is_sent=lambda number: number == old.number)
    new = maria(again)
    assert old.path.read_bytes() == old_bytes                  # a sent letter is never rewritten
    assert new.replaces == old.number and new.path != old.path
    first_paragraphs = text_of(new.path).split("Menindaklanjuti")[0]
    assert f"menggantikan surat kami Nomor {old.number} tanggal 2 Desember 2026" in first_paragraphs
    statuses = {x.number: x.status for x in again.numbers}
    assert statuses[old.number] == reg.REPLACED


def test_someone_no_longer_short_has_an_unsent_letter_cancelled_and_a_sent_one_kept(tmp_path):
    first = write_letters(_recomputed(1_000), tmp_path / "a", today=NOTICE_DAY)
    again = write_letters(_recomputed(5_000), tmp_path / "a", today=NOTICE_DAY)  # Maria meets it now
    assert not any("Maria" in x.recipient for x in again.letters if x.kind == KIND_OFFICIAL)
    assert {x.number: x.status for x in again.numbers}[maria(first).number] == reg.CANCELLED

    sent_first = write_letters(_recomputed(1_000), tmp_path / "b", today=NOTICE_DAY)
    sent = maria(sent_first)
    kept = write_letters(_recomputed(5_000), tmp_path / "b", today=NOTICE_DAY,
                         is_sent=lambda number: number == sent.number)
    assert {x.number: x.status for x in kept.numbers}[sent.number] == reg.SENT
    assert sent.path.is_file()


def test_a_letter_keeps_the_as_of_day_it_was_written_with(tmp_path):
    result = _recomputed(1_000)
    result.as_of = dt.date(2026, 11, 30)
    first = write_letters(result, tmp_path, today=NOTICE_DAY)
    Path(maria(first).path).unlink()   # lost: written again from the register's own dates
    later = _recomputed(1_000)
    later.as_of = dt.date(2026, 11, 30)
    again = write_letters(later, tmp_path, today=dt.date(2026, 12, 14))
    text = text_of(maria(again).path)
    assert "Ambon, 2 Desember 2026" in text and "sampai dengan tanggal 30 November 2026" in text


def test_a_notice_sets_no_deadline_and_asks_for_the_current_month(tmp_path):
    outcome = write_letters(_recomputed(1_000), tmp_path, today=NOTICE_DAY)
    for x in outcome.letters:
        text = text_of(x.path)
        assert "paling lambat" not in text, x.recipient
    office = next(x for x in outcome.letters if x.kind == KIND_OFFICE)
    text = text_of(office.path)
    assert "Hal\t:\tPemberitahuan Kekurangan Belanja Jiku Bata Bulan November 2026" in text
    assert "tidak dapat dipenuhi lagi" in text and "bulan Desember 2026" in text


def test_a_reminder_written_on_the_24th_has_its_deadline_inside_the_month(tmp_path):
    result = F.small_result()
    outcome = write_letters(result, tmp_path, today=dt.date(2026, 11, 24))
    text = text_of(next(x for x in outcome.letters if x.kind == KIND_OFFICIAL).path)
    assert "paling lambat tanggal 30 November 2026" in text   # 7 working days would be 3 December


def test_a_running_month_before_tanggal_pengingat_writes_nothing(tmp_path):
    with pytest.raises(InputError, match="20 November 2026"):
        write_letters(F.small_result(), tmp_path, today=dt.date(2026, 11, 5))
    assert not any(tmp_path.iterdir())


# ---------------------------------------------------------------- through the command line


@pytest.fixture
def book(tmp_path):
    day = dt.date(2025, 11, 7)
    return W.basic(tmp_path / "pusat.xlsx", purchases=[
        (day, W.NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie", 5_000, "N1"),
        (day, W.NIP_BUDI, "Budi Pattiasina", "Mie Sagu Mama Ona", "Mie", 100_000, "N2"),
    ], extra={"Pengaturan": W.signer_settings()})


def test_a_period_without_any_purchase_exits_2_and_writes_nothing(book, tmp_path, capsys):
    out = tmp_path / "keluaran"
    assert cli.main(["surat", str(book), "--periode", "2025-06", "--keluaran", str(out)]) == 2
    assert "tidak ada data belanja untuk Juni 2025; periksa folder masukan" in capsys.readouterr().err
    assert not out.exists()


def test_coba_writes_nothing(book, tmp_path, capsys):
    out = tmp_path / "keluaran"
    config = tmp_path / "jadwal.toml"
    config.write_text(f'inputs = ["{book.as_posix()}"]\noutput = "{out.as_posix()}"\n'
                      '[email]\nhost = "127.0.0.1"\nport = 2525\nsender = "jikubata@example.org"\n',
                      encoding="utf-8")
    code = cli.main(["surat", str(book), "--periode", "2025-11", "--keluaran", str(out), "--kirim", "--coba",
                     "--konfigurasi", str(config)])
    assert code == 0, capsys.readouterr()
    text = capsys.readouterr().out
    assert "(nomor baru)" in text and not out.exists()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("faketime") is None, reason="faketime (Debian) diperlukan")
def test_the_installed_command_under_a_faked_clock_follows_the_letter_calendar(book, tmp_path):
    """As an administrator's PC would be on that day: the system clock, not an injected one."""
    exe = Path(sys.executable).with_name("jikubata")
    out = tmp_path / "keluaran"

    def run(day: str, period: str):
        env = dict(os.environ, FAKETIME=f"@{day} 10:00:00", TZ="Asia/Jayapura", LD_PRELOAD="")
        return subprocess.run(["faketime", f"{day} 10:00:00", str(exe), "surat", str(book), "--periode", period,
                               "--keluaran", str(out)], capture_output=True, text=True, env=env, timeout=120)

    early = run("2025-11-05", "2025-11")
    assert early.returncode == 2 and "20 November 2025" in early.stderr and "--periode 2025-10" in early.stderr
    assert "Traceback" not in early.stderr and not out.exists()
    reminder = run("2025-11-24", "2025-11")
    assert reminder.returncode == 0, reminder.stderr
    assert "Surat pengingat periode November 2025" in reminder.stdout
    docs = sorted((out / "Surat-2025-11").glob("Surat-Pejabat-*.docx"))
    assert docs and "paling lambat tanggal 28 November 2025" in text_of(docs[0])
    notice = run("2025-12-02", "2025-11")
    assert notice.returncode == 0, notice.stderr and "Surat pemberitahuan" in notice.stdout
    ws = openpyxl.load_workbook(out / "Daftar-Surat-2025-11.xlsx")["Daftar Surat"]
    kinds = [r[3] for r in ws.iter_rows(min_row=5, values_only=True)]
    assert "Pengingat" in kinds and "Pemberitahuan" in kinds   # the reminders stay listed beside the notices


def test_the_summary_counts_the_numbers_this_run_cancelled_not_earlier_ones(tmp_path):
    write_letters(_recomputed(1_000), tmp_path, today=NOTICE_DAY)
    changed = write_letters(_recomputed(2_000), tmp_path, today=NOTICE_DAY)
    assert len(changed.cancelled_now) == 3   # Maria's letter, her office's, the laporan
    assert "3 nomor dibatalkan oleh jalan ini" in changed.summary_text()
    again = write_letters(_recomputed(2_000), tmp_path, today=NOTICE_DAY)
    assert again.cancelled_now == [] and "dibatalkan" not in again.summary_text()


def _every_row_names_a_file(folder) -> list[str]:
    with reg.Register(folder) as r:
        return [e.file for e in r.entries() if e.state == reg.ISSUED and not (folder / e.file).is_file()]


def test_a_crash_while_setting_letters_aside_never_leaves_a_number_without_its_file(tmp_path, monkeypatch):
    """Killed inside the claim (after the copies, before the commit), then after the commit (before the
    originals are removed): every issued number still names a file, and the rerun settles it."""
    write_letters(_recomputed(1_000), tmp_path, today=NOTICE_DAY)
    real = reg.Register._set_status

    def crash(self, entry, status, now, file=None):
        if status == reg.CANCELLED:
            raise KeyboardInterrupt   # as a kill in the middle of the transaction
        return real(self, entry, status, now, file)

    monkeypatch.setattr(reg.Register, "_set_status", crash)
    with pytest.raises(KeyboardInterrupt):
        write_letters(_recomputed(2_000), tmp_path, today=NOTICE_DAY)
    monkeypatch.setattr(reg.Register, "_set_status", real)
    assert _every_row_names_a_file(tmp_path) == []

    monkeypatch.setattr(reg.Register, "_remove_set_aside", lambda self: None)   # killed right after the commit
    changed = write_letters(_recomputed(2_000), tmp_path, today=NOTICE_DAY)
    assert len(changed.cancelled_now) == 3 and _every_row_names_a_file(tmp_path) == []
    monkeypatch.undo()
    write_letters(_recomputed(2_000), tmp_path, today=NOTICE_DAY)   # the next run removes the set-aside originals
    letters_folder = tmp_path / "Surat-2026-11"
    with reg.Register(tmp_path) as r:
        cancelled = [e for e in r.entries() if e.status == reg.CANCELLED]
        live = {e.file for e in r.entries() if e.status in reg.LIVE}
    assert len(cancelled) == 3 and all((tmp_path / e.file).is_file() for e in cancelled)
    on_disk = {f"Surat-2026-11/{p.name}" for p in letters_folder.glob("*.docx")}
    assert on_disk == live   # no original of a cancelled letter left beside the live ones


def test_a_letter_handed_over_on_paper_is_marked_sent_and_then_replaced_not_cancelled(tmp_path):
    from jikubata import services
    first = write_letters(_recomputed(1_000), tmp_path, today=NOTICE_DAY)
    old = maria(first)
    old_bytes = old.path.read_bytes()
    summary = services.mark_letters_delivered(tmp_path, [old.number])
    assert f"1 surat ditandai terkirim (diserahkan langsung): {old.number}." in summary
    assert "Sudah tercatat terkirim sebelumnya" in services.mark_letters_delivered(tmp_path, [f" {old.number} "])
    again = write_letters(_recomputed(2_000), tmp_path, today=dt.date(2026, 12, 4))
    new = maria(again)
    assert old.path.read_bytes() == old_bytes and new.replaces == old.number
    statuses = {x.number: x.status for x in again.numbers}
    assert statuses[old.number] == reg.REPLACED and statuses[new.number] == reg.WRITTEN
    # The replaced letter is no longer live: marking it again is refused, and nothing else is marked with it.
    with pytest.raises(InputError, match=f"surat {old.number} \\(diganti\\) tidak berlaku lagi"):
        services.mark_letters_delivered(tmp_path, [new.number, old.number])
    with reg.Register(tmp_path) as r:
        assert {e.number: e.status for e in r.entries("2026-11")}[new.number] == reg.WRITTEN


def test_marking_an_unknown_number_or_a_folder_without_a_register_says_so_and_marks_nothing(tmp_path, capsys):
    first = write_letters(_recomputed(1_000), tmp_path, today=NOTICE_DAY)
    known = maria(first).number
    assert cli.main(["tandai-terkirim", known, "800/999/XX/2026", "--keluaran", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "tidak ada surat bernomor 800/999/XX/2026" in err and "Tidak ada surat yang ditandai" in err
    with reg.Register(tmp_path) as r:
        assert {e.number: e.status for e in r.entries("2026-11")}[known] == reg.WRITTEN
    assert cli.main(["tandai-terkirim", known, "--keluaran", str(tmp_path / "lain")]) == 2
    assert "tidak ada register surat" in capsys.readouterr().err
    assert cli.main(["tandai-terkirim", known, "--keluaran", str(tmp_path)]) == 0
    assert "1 surat ditandai terkirim" in capsys.readouterr().out


def test_a_number_whose_letter_was_never_finished_is_not_marked_and_the_message_says_why(tmp_path):
    from jikubata import services
    first = write_letters(_recomputed(1_000), tmp_path, today=NOTICE_DAY)
    number = maria(first).number
    with reg.Register(tmp_path) as r:  # as a run killed between reserving the number and writing the letter
        r._db.execute("UPDATE letters SET state = 'pending' WHERE number = ?", (number,))
    with pytest.raises(InputError, match=f"surat {number} belum selesai ditulis"):
        services.mark_letters_delivered(tmp_path, [number])
