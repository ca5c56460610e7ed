"""The weekly summary (SPEC §6.3): `run_weekly` and `jikubata mingguan`.

Inputs are small real workbooks written with openpyxl; the history is a real
SQLite file; nothing is stubbed. The helpers at the top are shared with
test_scheduler.py and test_mail.py.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from hypothesis import given, strategies as st

from jikubata import services
from jikubata.adapters.clock import Clock
from jikubata.entrypoints import cli
from jikubata.domain import schema
from jikubata.adapters import weekly
from jikubata.domain.errors import BusyError, InputError
from jikubata.adapters.history import DB_NAME, History, week_key

WIT = ZoneInfo("Asia/Jayapura")
DINKES = "Dinas Kesehatan"
DISPAR = "Dinas Pariwisata"

# NIPs: birth date, appointment month, gender digit (1/2), serial.
EMPLOYEES = [
    ("197001012000031001", "Dr. Maria Pattinama", "Kepala Dinas Kesehatan", "II.a", DINKES),
    ("198005052005021002", "Johan Latuconsina", "Kepala Seksi Gizi", "IV.a", DINKES),
    ("198510102010012003", "Siti Rumalutur", "Kepala Subbagian Umum", "IV.b", DINKES),
    ("199002022015031004", "Yopi Sahetapy", "Pelaksana", "Staf", DINKES),
    ("197503032001121005", "Ronald Tuhumury", "Kepala Dinas Pariwisata", "II.b", DISPAR),
    ("198207072008011006", "Elsye Matulessy", "Kepala Seksi Promosi", "IV.a", DISPAR),
]
SELLERS = ["Mie Sagu Mama Ona", "Bagea Kenari Hative", "Kopi Rarobang Ambon"]

# (date, nip, seller, amount): week 46 = 9–15 Nov 2026, week 47 = 16–22 Nov 2026.
WEEK46 = [
    (dt.date(2026, 11, 9), "198005052005021002", "Mie Sagu Mama Ona", 20_000),
    (dt.date(2026, 11, 10), "197001012000031001", "Bagea Kenari Hative", 50_000),
    (dt.date(2026, 11, 12), "198207072008011006", "Kopi Rarobang Ambon", 15_000),
]
WEEK47 = [
    (dt.date(2026, 11, 17), "197001012000031001", "Bagea Kenari Hative", 50_000),
    (dt.date(2026, 11, 18), "198510102010012003", "Mie Sagu Mama Ona", 25_000),
    (dt.date(2026, 11, 20), "197503032001121005", "Kopi Rarobang Ambon", 100_000),
]
MONDAY_AFTER_W47 = dt.datetime(2026, 11, 23, 8, 0, tzinfo=WIT)
AFTER_W47 = Clock.fixed(MONDAY_AFTER_W47)


def write_inputs(folder: Path, purchases=WEEK46 + WEEK47, *, offices=((DINKES, "DINKES"), (DISPAR, "DISPAR")),
                 employees=EMPLOYEES, recipients: str = "") -> list[Path]:
    """A central workbook (Pengaturan, Pegawai, UMKM, OPD) and one purchase workbook, as offices keep them."""
    folder.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = schema.SHEET_SETTINGS
    ws.append(["Pengaturan", "Nilai", "Keterangan"])
    if recipients:
        ws.append(["Email Penerima Rekap", recipients, ""])
    ws = wb.create_sheet(schema.EMPLOYEES.name)
    ws.append(schema.EMPLOYEES.headers)
    for nip, name, position, eselon, office in employees:
        ws.append([nip, name, position, eselon, office, "Aktif"])
        ws.cell(ws.max_row, 1).number_format = "@"
    ws = wb.create_sheet(schema.SELLERS.name)
    ws.append(schema.SELLERS.headers)
    for s in SELLERS:
        ws.append([s, "Pemilik", "Kuliner", "0811", "Aktif"])
    ws = wb.create_sheet(schema.OFFICES.name)
    ws.append(schema.OFFICES.headers)
    for name, abbreviation in offices:
        ws.append([name, abbreviation, "", "", "", ""])
    central = folder / "JikuBata-Pusat.xlsx"
    wb.save(central)

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = schema.PURCHASES.name
    ws.append(schema.PURCHASES.headers)
    for i, (day, nip, seller, amount) in enumerate(purchases, 1):
        ws.append([day, nip, "", seller, "Produk", amount, f"N-{i:04d}", ""])
        ws.cell(ws.max_row, 2).number_format = "@"
    shopping = folder / "Belanja-Semua.xlsx"
    wb.save(shopping)
    return [central, shopping]


def recorded_weeks(out: Path) -> list[str]:
    """The weeks with a snapshot in the history, oldest first."""
    return sorted({s.week for s in History(out).snapshots()})


def digests(paths) -> dict[str, str]:
    return {str(p): hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths}


def sheet_values(path: Path, sheet: str) -> list:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [v for row in wb[sheet].iter_rows(values_only=True) for v in row if v is not None]
    finally:
        wb.close()


@pytest.fixture
def inputs(tmp_path) -> list[Path]:
    return write_inputs(tmp_path / "masukan")


@pytest.fixture
def out(tmp_path) -> Path:
    return tmp_path / "keluaran"


# ---------------------------------------------------------------- the day D


@pytest.mark.parametrize("now, expected", [
    (dt.datetime(2026, 11, 23, 7, 0, tzinfo=WIT), dt.date(2026, 11, 22)),    # Monday: yesterday
    (dt.datetime(2026, 11, 26, 12, 0, tzinfo=WIT), dt.date(2026, 11, 22)),   # Thursday
    (dt.datetime(2026, 11, 29, 23, 0, tzinfo=WIT), dt.date(2026, 11, 22)),   # Sunday: the week is not over
    (dt.datetime(2026, 11, 29, 15, 30, tzinfo=dt.timezone.utc), dt.date(2026, 11, 29)),  # 00:30 Monday in Ambon
])
def test_default_day_is_the_sunday_ending_the_last_full_week_in_ambon(now, expected):
    assert services.last_full_week_end(now) == expected


@given(st.datetimes(min_value=dt.datetime(2022, 9, 1), max_value=dt.datetime(2040, 1, 1),
                    timezones=st.sampled_from([WIT, dt.timezone.utc, ZoneInfo("Europe/Berlin")])))
def test_default_day_is_always_the_latest_sunday_before_today_in_ambon(now):
    today = now.astimezone(WIT).date()
    day = services.last_full_week_end(now)

    assert day.isoweekday() == 7 and 1 <= (today - day).days <= 7


def test_week_folder_is_the_iso_week_of_the_day(inputs, out):
    outcome = services.run_weekly(inputs, out, clock=AFTER_W47)

    assert outcome.as_of == dt.date(2026, 11, 22)
    assert outcome.folder == out / "mingguan" / "2026-W47"
    assert outcome.workbook == out / "mingguan" / "2026-W47" / "Rekap-Jiku-Bata-2026-11.xlsx"
    assert outcome.workbook.is_file() and outcome.email_html.is_file()


def test_only_purchases_up_to_the_day_count(inputs, out):
    outcome = services.run_weekly(inputs, out, as_of=dt.date(2026, 11, 15), clock=AFTER_W47)

    spent = {o.office: o.spent for o in outcome.result.offices}
    assert spent == {DINKES: 70_000, DISPAR: 15_000}
    assert outcome.folder.name == "2026-W46"


# ---------------------------------------------------------------- the trend and the history


def test_two_consecutive_weeks_give_a_trend_that_remembers_the_first(inputs, out):
    services.run_weekly(inputs, out, as_of=dt.date(2026, 11, 15), clock=AFTER_W47)
    second = services.run_weekly(inputs, out, clock=AFTER_W47)

    values = sheet_values(second.workbook, "Tren")
    assert "s.d. 15 Nov" in values and "s.d. 22 Nov" in values  # a column per week, named by its date
    assert [s.week for s in History(out).snapshots()] == ["2026-W46"] * 2 + ["2026-W47"] * 2


def test_rerunning_a_week_replaces_its_snapshot(tmp_path, out):
    first_inputs = write_inputs(tmp_path / "a", WEEK46)
    services.run_weekly(first_inputs, out, as_of=dt.date(2026, 11, 22), clock=AFTER_W47)
    later_inputs = write_inputs(tmp_path / "b", WEEK46 + WEEK47)
    again = services.run_weekly(later_inputs, out, as_of=dt.date(2026, 11, 22), clock=AFTER_W47)

    snaps = History(out).snapshots()
    assert recorded_weeks(out) == ["2026-W47"]
    assert {s.office: s.spent for s in snaps} == {DINKES: 145_000, DISPAR: 115_000}
    assert again.report.previous_week is None  # the week is not compared with itself


def test_rerunning_an_earlier_week_compares_it_with_the_week_before_it(inputs, out):
    for day in (dt.date(2026, 11, 8), dt.date(2026, 11, 15), dt.date(2026, 11, 22)):
        services.run_weekly(inputs, out, as_of=day, clock=AFTER_W47)
    again = services.run_weekly(inputs, out, as_of=dt.date(2026, 11, 15), clock=AFTER_W47)

    assert again.report.previous_week == "2026-W45"
    assert recorded_weeks(out) == ["2026-W45", "2026-W46", "2026-W47"]


def test_history_lives_in_the_output_folder_in_its_own_tables(inputs, out):
    services.run_weekly(inputs, out, clock=AFTER_W47)

    with sqlite3.connect(out / DB_NAME) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables and all(t.startswith("mingguan_") for t in tables)


def test_week_key_is_the_iso_week():
    assert week_key(dt.date(2026, 11, 22)) == "2026-W47"
    assert week_key(dt.date(2027, 1, 3)) == "2026-W53"  # ISO year, not calendar year


# ---------------------------------------------------------------- the email body


def test_email_gives_the_key_figures(inputs, out):
    outcome = services.run_weekly(inputs, out, clock=AFTER_W47)
    html = outcome.email_html.read_text(encoding="utf-8")

    total = outcome.result.total
    assert "Rekap Mingguan" in html and "minggu ke-4 November 2026 (16–22 November)" in html
    assert "2026-W47" not in html  # the week is written for people, not as an ISO week
    assert "22 November 2026" in html
    assert weekly.percent(total.compliance) in html
    assert f"{total.met} dari {total.obliged} ASN wajib" in html
    assert "Rp260.000" in html  # total spent
    assert "Rekap-Jiku-Bata-2026-11.xlsx" in html


def test_email_lists_the_offices_most_behind_first(inputs, out):
    outcome = services.run_weekly(inputs, out, as_of=dt.date(2026, 11, 15), clock=AFTER_W47)

    behind = outcome.report.most_behind()
    # DINKES: 1 of 3 obliged met; DISPAR: 0 of 2 met.
    assert [o.office for o in behind] == [DISPAR, DINKES]
    html = outcome.email_html.read_text(encoding="utf-8")
    assert html.index(DISPAR) < html.index(DINKES)


def test_plain_text_part_uses_the_singkatan_and_short_lines(tmp_path, out):
    long_name = "Dinas Pemberdayaan Perempuan dan Perlindungan Anak Kota Ambon"
    employees = EMPLOYEES + [("198903032014031007", "Lina Sopacua", "Kepala Seksi Anak", "IV.a", long_name)]
    inputs = write_inputs(tmp_path / "masukan", offices=((DINKES, "DINKES"), (DISPAR, "DISPAR"), (long_name, "")),
                          employees=employees)
    services.run_weekly(inputs, out, as_of=dt.date(2026, 11, 15), clock=AFTER_W47)
    outcome = services.run_weekly(inputs, out, clock=AFTER_W47)
    text = outcome.plain_text()
    behind = [o.office for o in outcome.report.most_behind()]
    assert DISPAR in behind and long_name in outcome.result.offices_not_reported  # no purchase yet: belum melapor
    assert "- DISPAR: " in text and DISPAR not in text and DINKES not in text  # the Singkatan, as the HTML part
    assert long_name in " ".join(line.strip() for line in text.splitlines())  # no Singkatan: the full name
    assert max(map(len, text.splitlines())) <= weekly.TEXT_WIDTH
    total = outcome.result.total
    assert weekly.percent(total.compliance) in text and f"{total.met} dari {total.obliged} ASN wajib" in text
    assert "Rp260.000" in text and "minggu ke-4 November 2026" in text and "2026-W47" not in text
    assert "Dibandingkan minggu ke-3 November 2026" in text


def test_email_says_what_changed_since_last_week(inputs, out):
    services.run_weekly(inputs, out, as_of=dt.date(2026, 11, 15), clock=AFTER_W47)
    outcome = services.run_weekly(inputs, out, clock=AFTER_W47)
    html = outcome.email_html.read_text(encoding="utf-8")

    text = " ".join(re.sub(r"<[^>]+>", "", html).split())  # what the reader sees
    assert "Dibandingkan minggu ke-3 November 2026 (9–15 November)" in text
    # DISPAR went from 0 of 2 to 1 of 2 (+50,0 points), spent Rp15.000 → Rp115.000.
    change = {c.office: c for c in outcome.report.changes()}[DISPAR]
    assert weekly.points(change.compliance_delta) == "+50,0 poin"
    assert "+50,0 poin" in html and "+Rp100.000" in html


def test_first_email_says_the_comparison_starts_next_week(inputs, out):
    html = services.run_weekly(inputs, out, clock=AFTER_W47).email_html.read_text(encoding="utf-8")

    assert "Ini rekap mingguan pertama" in html


def test_email_does_not_compare_offices_across_a_month_boundary(inputs, out):
    december = Clock.fixed(dt.datetime(2026, 12, 8, tzinfo=WIT))
    services.run_weekly(inputs, out, as_of=dt.date(2026, 11, 29), clock=december)
    outcome = services.run_weekly(inputs, out, as_of=dt.date(2026, 12, 6), clock=december)

    assert outcome.report.previous_week == "2026-W48"
    assert "Minggu lalu masih bulan sebelumnya" in outcome.email_html.read_text(encoding="utf-8")


def test_email_counts_the_data_problems(tmp_path, out):
    unknown_nip = (dt.date(2026, 11, 10), "199912312020121999", "Mie Sagu Mama Ona", 20_000)
    paths = write_inputs(tmp_path / "m", WEEK46 + [unknown_nip])
    outcome = services.run_weekly(paths, out, as_of=dt.date(2026, 11, 15), clock=AFTER_W47)

    assert outcome.report.problem_counts == (1, 0)
    assert "1 galat (baris tidak dihitung) dan 0 peringatan" in outcome.email_html.read_text(encoding="utf-8")
    assert "Masalah data: 1 galat, 0 peringatan" in outcome.summary_text()


def test_email_escapes_text_from_the_inputs(tmp_path, out):
    hostile = '<script>alert("x")</script> & Co'
    employees = [e[:4] + (hostile,) for e in EMPLOYEES]
    paths = write_inputs(tmp_path / "m", offices=((hostile, "X"),), employees=employees)
    html = services.run_weekly(paths, out, as_of=dt.date(2026, 11, 15), clock=AFTER_W47) \
        .email_html.read_text(encoding="utf-8")

    assert "<script>" not in html
    assert "&lt;script&gt;" in html


# ---------------------------------------------------------------- inputs and outputs


def test_inputs_are_byte_identical_after_every_run(inputs, out):
    before = digests(inputs)
    services.run_weekly(inputs, out, as_of=dt.date(2026, 11, 15), clock=AFTER_W47)
    services.run_weekly(inputs, out, clock=AFTER_W47)
    services.run_weekly([inputs[0].parent], out, clock=AFTER_W47)

    assert digests(inputs) == before


def test_an_input_inside_the_week_folder_is_refused(tmp_path):
    out = tmp_path / "keluaran"
    paths = write_inputs(out / "mingguan" / "2026-W47")
    before = digests(paths)

    with pytest.raises(InputError, match="folder keluaran"):
        services.run_weekly(paths, out, clock=AFTER_W47)
    assert digests(paths) == before


def test_a_day_in_the_future_is_refused(inputs, out):
    with pytest.raises(InputError, match="belum terjadi"):
        services.run_weekly(inputs, out, as_of=dt.date(2026, 11, 30), clock=AFTER_W47)


def test_no_temporary_files_are_left_behind(inputs, out):
    services.run_weekly(inputs, out, clock=AFTER_W47)

    leftovers = [p.name for p in out.rglob("*") if ".tmp" in p.name]
    assert leftovers == []


# ---------------------------------------------------------------- the output-folder lock


HOLD_LOCK = textwrap.dedent("""
    import sys, time
    from jikubata.adapters.locking import output_lock
    with output_lock(sys.argv[1], command="jikubata surat contoh"):
        print("held", flush=True)
        sys.stdin.readline()
""")


def test_a_busy_output_folder_names_who_holds_it(inputs, out):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(out)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(BusyError) as caught:
            services.run_weekly(inputs, out, clock=AFTER_W47, writer=services.Writer(wait=0.3))
    finally:
        holder.communicate("\n", timeout=30)
    message = str(caught.value)
    assert f"PID {holder.pid}" in message and "jikubata surat contoh" in message and "sejak" in message
    assert not (out / "mingguan").exists()


RUN_AND_TRACE = textwrap.dedent("""
    import datetime as dt, os, sys
    from zoneinfo import ZoneInfo
    from jikubata import services
    from jikubata.adapters.clock import Clock
    trace, out, *paths = sys.argv[1:]
    def progress(msg):
        with open(trace, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {msg}\\n")
    services.run_weekly(paths, out, clock=Clock.fixed(dt.datetime(2026, 11, 23, 8, tzinfo=ZoneInfo("Asia/Jayapura"))),
                        progress=progress)
""")


def test_two_processes_started_together_run_one_after_the_other(inputs, out, tmp_path):
    trace = tmp_path / "trace.txt"
    argv = [sys.executable, "-c", RUN_AND_TRACE, str(trace), str(out), *map(str, inputs)]
    procs = [subprocess.Popen(argv, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [p.communicate(timeout=120)[1] for p in procs]

    assert [p.returncode for p in procs] == [0, 0], errors
    lines = trace.read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if "menghitung per" in line]
    ends = [i for i, line in enumerate(lines) if line.endswith("selesai")]
    assert len(starts) == len(ends) == 2
    first_pid = lines[starts[0]].split()[0]
    assert lines[ends[0]].split()[0] == first_pid and ends[0] < starts[1]  # no overlap
    assert recorded_weeks(out) == ["2026-W47"]


# ---------------------------------------------------------------- the command


def test_cli_mingguan_writes_the_week_and_prints_where(inputs, out, capsys):
    code = cli.main(["mingguan", *map(str, inputs), "--keluaran", str(out), "--per-tanggal", "2026-11-15"])

    printed = capsys.readouterr().out
    assert code == 0
    assert "Rekap mingguan, minggu ke-3 November 2026 (9–15 November)" in printed and "Kepatuhan November 2026" in printed
    assert (out / "mingguan" / "2026-W46" / "email.html").is_file()


def test_cli_mingguan_with_a_missing_input_exits_2_with_one_line(out, tmp_path, capsys):
    code = cli.main(["mingguan", str(tmp_path / "tidak-ada.xlsx"), "--keluaran", str(out),
                     "--per-tanggal", "2026-11-15"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("Galat:") and "Traceback" not in err
