"""Fuzzing the readers (CI subset of stress/fuzz_readers.py): whatever the file, `periksa`/`hitung` end in
results plus reported problems (exit 0) or exit 2 with one Indonesian line — never a traceback."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stress import fuzz_readers as F
from stress import hostile_files as H

pytestmark = pytest.mark.slow  # hundreds of generated workbooks

FUZZ = settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
# `hitung` without --json is left out of the generated runs: see test_hitung_table_with_no_valid_employee.
COMMANDS = st.sampled_from([["periksa"], ["hitung", "--periode", "2026-11", "--json"]])


def run(path, command):
    return F.run_in_process([command[0], str(path), *command[1:]])


def assert_behaved(outcome):
    assert outcome.failure() is None, (outcome.code, outcome.stderr[-2000:])


@FUZZ
@given(case=F.workbook(), command=COMMANDS)
def test_generated_workbooks_end_in_results_or_one_clear_line(tmp_path_factory, case, command):
    folder = tmp_path_factory.mktemp("fuzz")
    assert_behaved(run(F.write_case(folder, case), command))


@settings(FUZZ, max_examples=40)
@given(case=F.not_workbooks, command=COMMANDS)
def test_files_that_are_not_workbooks_exit_2_with_one_line(tmp_path_factory, case, command):
    folder = tmp_path_factory.mktemp("fuzz")
    outcome = run(F.write_case(folder, case), command)
    assert outcome.code == 2 and outcome.failure() is None, outcome.stderr
    assert outcome.stdout == ""


@pytest.mark.parametrize("data, says", [
    (b"", "bukan workbook Excel yang valid"),
    (b"Tanggal;NIP;Jumlah\n07/11/2026;198001012010012001;20000\n", "sebenarnya CSV/HTML"),
    (b"<html><body><table><tr><td>NIP</td></tr></table></body></html>", "sebenarnya CSV/HTML"),
])
def test_empty_csv_and_html_named_xlsx_are_refused_clearly(tmp_path, data, says):
    (tmp_path / "dinkes.xlsx").write_bytes(data)
    outcome = run(tmp_path / "dinkes.xlsx", ["periksa"])
    assert outcome.code == 2 and says in outcome.stderr and "dinkes.xlsx" in outcome.stderr
    assert outcome.failure() is None


def _roster_case(rows, name="Pegawai", **extra):
    sheet = {"name": name, "rows": rows, "origin": (0, 0), "merged": [], "hidden": False}
    sheet.update(extra)
    return {"kind": "workbook", "sheets": [sheet], "writer": "raw", "damage": None, "cut": 0.5, "suffix": ".xlsx"}


HEADER = ["NIP", "Nama", "Jabatan", "Eselon", "OPD"]
ANI = ["198001012010012001", "Ani", "Kepala Seksi", "IV.a", "Dinas Kesehatan"]


def test_truncated_workbook_is_refused_at_every_cut(tmp_path):
    good = F.write_case(tmp_path, _roster_case([HEADER, ANI]), "utuh").read_bytes()
    for cut in range(1, len(good), max(1, len(good) // 40)):
        (tmp_path / "potong.xlsx").write_bytes(good[:cut])
        outcome = run(tmp_path / "potong.xlsx", ["periksa"])
        assert outcome.code == 2 and outcome.failure() is None, (cut, outcome.stderr)


def test_cached_formula_errors_are_read_as_problems_not_crashes(tmp_path):
    rows = [HEADER, [F.Formula("VLOOKUP(1,X,2,0)", F.Err("#N/A")), "Ani", "Kepala", F.Err("#DIV/0!"), "Dinkes"]]
    outcome = run(F.write_case(tmp_path, _roster_case(rows)), ["periksa"])
    assert outcome.code == 0, outcome.stderr
    # calamine reads #N/A as an empty cell; issue 11 rule 9 names the error value at its cell
    assert "SEL_GALAT_EXCEL" in outcome.stdout and "#N/A" in outcome.stdout and "#DIV/0!" in outcome.stdout
    assert "BARIS_TIDAK_LENGKAP" not in outcome.stdout


def test_newer_excel_error_value_in_an_extra_column_does_not_stop_the_sheet(tmp_path):
    # calamine 0.9.1 refuses #SPILL!; issue 11 rule 9: no error value makes a sheet unreadable.
    rows = [HEADER, ANI + [F.Formula("FILTER(A:A,B:B>0)", F.Err("#SPILL!"))]]
    outcome = run(F.write_case(tmp_path, _roster_case(rows)), ["hitung", "--periode", "2026-11", "--json"])
    assert outcome.code == 0 and outcome.failure() is None, outcome.stderr
    assert '"nip": "198001012010012001"' in outcome.stdout


def test_control_characters_and_very_long_strings_are_reported_in_one_line(tmp_path):
    rows = [HEADER, ["1980\x01\x07\x1b0101", "A" * 40000, "x\x00y", "IV.a\r\n", "Dinkes"]]
    outcome = run(F.write_case(tmp_path, _roster_case(rows)), ["periksa"])
    assert outcome.code == 0, outcome.stderr
    line = next(l for l in outcome.stdout.splitlines() if "NIP_TIDAK_VALID" in l)
    assert "\x01" not in line and len(line) < 400


def test_hidden_merged_and_odd_case_sheets_are_read(tmp_path):
    case = _roster_case([["DAFTAR PEGAWAI"], HEADER, ANI], name=" pEgAwAi ", hidden=True, merged=[(0, 0, 0, 4)])
    outcome = run(F.write_case(tmp_path, case), ["hitung", "--periode", "2026-11", "--json"])
    assert outcome.code == 0, outcome.stderr
    assert '"nip": "198001012010012001"' in outcome.stdout


def test_a_cell_in_the_last_row_of_the_sheet_is_read(tmp_path):
    outcome = run(H.sparse_last_row(tmp_path / "baris.xlsx"), ["periksa"])
    assert outcome.code == 0, outcome.stderr
    assert "B1048576" in outcome.stdout  # the lone cell makes an incomplete row, reported where Nama is missing


def test_sample_through_a_real_subprocess(tmp_path):
    for i, case in enumerate([_roster_case([HEADER, ANI]), {"kind": "bytes", "data": b"", "suffix": ".xlsx"}]):
        path = F.write_case(tmp_path, case, f"kasus{i}")
        outcome = F.run_subprocess(["hitung", str(path), "--periode", "2026-11", "--json"])
        assert outcome.failure() is None, outcome.stderr


def test_hitung_table_with_no_valid_employee(tmp_path):
    rows = [HEADER, ["123", "Ani", "Kepala", "IV.a", "Dinkes"]]
    outcome = run(F.write_case(tmp_path, _roster_case(rows)), ["hitung", "--periode", "2026-11"])
    assert outcome.failure() is None, outcome.stderr


def test_absurd_amounts_are_reported_not_formatted(tmp_path):
    # 1e308 once reached Babel's rupiah formatting (decimal.InvalidOperation → exit 1); found by the fuzzer.
    from tests.support.workbooks import NIP_ANI, basic

    import datetime as dt
    book = basic(tmp_path / "dinkes.xlsx", purchases=[
        (dt.date(2026, 11, 7), NIP_ANI, "Ani", "Mie Sagu Mama Ona", "Mie", 1e308, "N1"),
        (dt.date(2026, 11, 7), NIP_ANI, "Ani", "Mie Sagu Mama Ona", "Mie", "1.000.000.000.000.000.000.000.000.000", "N2"),
    ])
    outcome = run(book, ["hitung", "--periode", "2026-11"])
    assert outcome.code == 0, outcome.stderr
    outcome = run(book, ["periksa"])
    assert outcome.stdout.count("JUMLAH_TIDAK_VALID") == 2 and "terlalu besar" in outcome.stdout
