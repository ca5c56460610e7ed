"""The Excel front end as a file: `jikubata buat-workbook` and the committed `workbook/JikuBata.xlsm`.

Checked against independent readers: oletools/olefile for the VBA project,
openpyxl for the sheets, and LibreOffice for the whole workbook.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import olefile
import openpyxl
import pytest
import xlwings
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser, decompress_stream

from jikubata.entrypoints import cli
from jikubata import excel, services
from jikubata.tools import ovba, workbook
from jikubata.domain import schema
from jikubata.domain.model import DEFAULT_MINIMUMS, Settings, Tier

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "workbook" / "JikuBata.xlsm"
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                                   reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return workbook.build_workbook(tmp_path_factory.mktemp("wb") / "JikuBata.xlsm")


@pytest.fixture(scope="module")
def macros(built) -> dict[str, str]:
    parser = VBA_Parser(str(built))
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def _norm(text: str) -> str:
    return text.replace("\r\n", "\n").rstrip("\n")


# ---------------------------------------------------------------- build


def test_fresh_build_is_byte_identical_to_the_committed_workbook(built):
    assert built.read_bytes() == COMMITTED.read_bytes(), "run `jikubata buat-workbook` and commit the result"


def test_cli_builds_the_workbook_where_asked(tmp_path, capsys):
    target = tmp_path / "sub" / "Kantor.xlsm"
    assert cli.main(["buat-workbook", "--keluaran", str(target)]) == 0
    assert zipfile.is_zipfile(target)
    assert "Workbook dibangun" in capsys.readouterr().out


def test_cli_refuses_a_name_without_xlsm(tmp_path, capsys):
    assert cli.main(["buat-workbook", "--keluaran", str(tmp_path / "JikuBata.xlsx")]) == 2
    assert ".xlsm" in capsys.readouterr().err


def test_sheets_come_in_order_with_their_code_names(built):
    xml = zipfile.ZipFile(built).read("xl/workbook.xml").decode()
    assert 'codeName="ThisWorkbook"' in xml
    names = re.findall(r'<sheet name="([^"]+)"', xml)
    assert names == workbook.sheet_order()
    for name, code in workbook.code_names().items():
        wb = openpyxl.load_workbook(built, keep_vba=True)
        assert wb[name].sheet_properties.codeName == code


def test_input_sheets_carry_the_schema_headers_as_excel_tables(built):
    wb = openpyxl.load_workbook(built)
    for spec in (schema.EMPLOYEES, schema.PURCHASES, schema.SELLERS, schema.OFFICES):
        ws = wb[spec.name]
        assert [c.value for c in ws[1]][:len(spec.headers)] == spec.headers
        (table,) = ws.tables.values()
        assert table.ref.startswith("A1:")
        assert ws.freeze_panes == "A2"


def test_nip_columns_are_text_so_18_digits_survive_typing(built):
    wb = openpyxl.load_workbook(built)
    assert wb[schema.EMPLOYEES.name].column_dimensions["A"].number_format == "@"
    assert wb[schema.PURCHASES.name].column_dimensions["B"].number_format == "@"
    assert wb[schema.OFFICES.name].column_dimensions["D"].number_format == "@"


def test_dates_and_amounts_have_their_formats(built):
    wb = openpyxl.load_workbook(built)
    purchases = wb[schema.PURCHASES.name]
    assert purchases.column_dimensions["A"].number_format == "dd/mm/yyyy"
    assert purchases.column_dimensions["F"].number_format == '"Rp"#,##0'
    assert wb[schema.EMPLOYEES.name].column_dimensions["G"].number_format == "dd/mm/yyyy"


def _validations(ws) -> dict[str, str]:
    return {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}


def test_drop_downs_offer_tiers_statuses_offices_sellers_and_months(built):
    wb = openpyxl.load_workbook(built)
    employees = _validations(wb[schema.EMPLOYEES.name])
    assert employees["D2"] == "DaftarEselon" and employees["F2"] == "DaftarStatus"
    assert employees["E2"] == "DaftarOPD"
    assert _validations(wb[schema.PURCHASES.name])["D2"] == "DaftarUMKM"
    assert _validations(wb[workbook.SHEET_HOME])[workbook.PERIOD_CELL] == "DaftarPeriode"
    names = {n: wb.defined_names[n].attr_text for n in wb.defined_names}
    assert "'OPD'!$A$2" in names["DaftarOPD"] and "'UMKM'!$A$2" in names["DaftarUMKM"]
    lists = wb[workbook.SHEET_LISTS]
    column = {lists.cell(1, j).value: [lists.cell(i, j).value for i in range(2, lists.max_row + 1)
                                       if lists.cell(i, j).value] for j in range(1, 5)}
    assert column["Status"] == list(schema.EMPLOYMENT_STATUSES)
    assert column["Periode"][0] == "2022-09" and "2026-11" in column["Periode"]
    assert lists.sheet_state == "hidden"


def test_every_tier_spelling_offered_maps_to_a_tier():
    from jikubata.domain.parse import parse_tier

    assert all(parse_tier(s) is not None for s in workbook.TIER_CHOICES)
    assert {parse_tier(s) for s in workbook.TIER_CHOICES} == set(Tier)


def test_settings_sheet_lists_every_setting_with_its_explanation_and_the_tier_table(built):
    ws = openpyxl.load_workbook(built)[schema.SHEET_SETTINGS]
    rows = [[c.value for c in r] for r in ws.iter_rows(max_col=3)]
    by_label = {r[0]: r for r in rows if r[0]}
    for spec in schema.SETTINGS:
        assert by_label[spec.label][2] == spec.explanation
    assert by_label["Hari Jiku Bata"][1] == Settings().jiku_bata_day
    assert by_label["Format Nomor Surat"][1] == Settings().letter_number_format
    header = next(i for i, r in enumerate(rows) if r[0] == schema.TIER_TABLE_HEADERS[0])
    assert rows[header][:2] == list(schema.TIER_TABLE_HEADERS)
    tiers = {r[0]: r[1] for r in rows[header + 1:header + 1 + len(Tier)] if r[0]}
    assert tiers == {t.label: DEFAULT_MINIMUMS[t] for t in Tier}
    # The Potongan TPP table follows, empty: the city decides it (issue 21).
    tpp = next(i for i, r in enumerate(rows) if r[0] == schema.TPP_TABLE_HEADERS[0])
    assert tpp > header and rows[tpp][:2] == list(schema.TPP_TABLE_HEADERS) and rows[tpp + 1][:2] == [None, None]


def test_the_built_workbook_reads_as_the_default_settings_with_no_tpp_table(built):
    from jikubata.adapters.reader import read_inputs

    settings = read_inputs([built]).settings
    assert settings.tpp_deductions == () and settings.repeat_threshold == 3
    assert settings.repeat_copy_to == Settings().repeat_copy_to


def _sheets_of(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_the_reader_takes_the_built_defaults_back_unchanged(built):
    dataset = services.check(services.Sheets([(built.name, _sheets_of(built))]))
    s, defaults = dataset.settings, Settings()
    assert s.minimums == defaults.minimums
    assert (s.jiku_bata_day, s.reasonable_limit, s.letter_number_format) == \
        (defaults.jiku_bata_day, defaults.reasonable_limit, defaults.letter_number_format)
    assert s.registered_only is True
    assert s.copies_to == defaults.copies_to
    assert dataset.problems == []


def test_blank_settings_stay_blank_when_read_back(built):
    s = services.check(services.Sheets([(built.name, _sheets_of(built))])).settings
    assert (s.signatory_name, s.report_recipients) == ("", ())


def test_beranda_has_title_instructions_period_cell_and_result_cell(built):
    ws = openpyxl.load_workbook(built)[workbook.SHEET_HOME]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Jiku Bata" in texts
    assert all(line in texts for line in workbook.INSTRUCTIONS) and len(workbook.INSTRUCTIONS) == 5
    assert ws[workbook.PERIOD_CELL].number_format == "@"
    assert ws[workbook.RESULT_CELL].value == "Belum ada proses yang dijalankan."
    assert workbook.RESULT_RANGE in {str(r) for r in ws.merged_cells.ranges}


def test_xlwings_conf_sheet_is_hidden_and_holds_interpreter_and_pythonpath(built):
    ws = openpyxl.load_workbook(built)[workbook.SHEET_CONF]
    assert ws.sheet_state == "hidden"
    keys = []
    for row in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        if row[0] is None:
            break  # xlwings reads column A from A1 down to the first blank cell
        keys.append(row[0])
    assert keys == ["Interpreter_Win", "PYTHONPATH"]
    assert ws["B1"].value == "python"


def test_buttons_are_form_buttons_bound_to_the_macros(built):
    vml = zipfile.ZipFile(built).read("xl/drawings/vmlDrawing1.vml").decode()
    assert re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml) == [b.macro for b in workbook.BUTTONS]
    for b in workbook.BUTTONS:
        assert f">{b.caption}</font>" in vml


# ---------------------------------------------------------------- VBA project


def test_every_module_reads_back_with_oletools_as_written(macros):
    expected = {m.name: m.source() for m in workbook.vba_modules()}
    assert set(macros) == set(expected)
    for name, source in expected.items():
        assert _norm(macros[name]) == _norm(source), name


def test_project_has_document_modules_for_the_workbook_and_every_sheet(built):
    ole = olefile.OleFileIO(io.BytesIO(zipfile.ZipFile(built).read("xl/vbaProject.bin")))
    project = ole.openstream("PROJECT").read().decode("cp1252")
    documents = re.findall(r"^Document=(\w+)/&H00000000\r$", project, re.M)
    assert documents == ["ThisWorkbook", *workbook.code_names().values()]
    assert re.findall(r"^Module=(\w+)\r$", project, re.M) == ["JikuBata", "xlwings"]
    assert re.findall(r"^Class=(\w+)\r$", project, re.M) == ["Dictionary"]


def test_vba_project_is_source_only_version_ffff(built):
    ole = olefile.OleFileIO(io.BytesIO(zipfile.ZipFile(built).read("xl/vbaProject.bin")))
    head = ole.openstream("VBA/_VBA_PROJECT").read()
    assert struct.unpack("<HH", head[:4]) == (0x61CC, 0xFFFF) and len(head) == 7


def test_every_runpython_names_a_callable_of_jikubata_excel(macros):
    calls = re.findall(r'RunPython "import jikubata\.excel as jb; jb\.(\w+)\(\)"', macros["JikuBata"])
    assert calls == [b.function for b in workbook.BUTTONS]
    assert all(callable(getattr(excel, name)) for name in calls)
    subs = re.findall(r"^Sub (\w+)\(\)", _norm(macros["JikuBata"]), re.M)
    assert subs == [b.macro for b in workbook.BUTTONS]


def test_embedded_xlwings_module_is_the_installed_version(macros):
    assert re.search(r"^'Version: (\S+)", _norm(macros["xlwings"]), re.M).group(1) == xlwings.__version__
    assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in macros["xlwings"]


def test_requirements_pin_the_embedded_xlwings_version():
    text = (ROOT / "pyproject.toml").read_text() + (ROOT / "requirements.txt").read_text()
    assert f"xlwings=={xlwings.__version__}" in text


def _decrypt(hex_text: str) -> bytes:
    data = bytes.fromhex(hex_text)
    seed, u1, e1, e2, out = data[0], data[2] ^ data[0], data[2], data[1], []
    for byte in data[3:]:
        plain = byte ^ ((e2 + u1) & 0xFF)
        e2, e1, u1 = e1, byte, plain
        out.append(plain)
    out = bytes(out[(seed & 6) // 2:])
    return out[4:4 + struct.unpack("<I", out[:4])[0]]


def test_project_is_unprotected_and_visible(built):
    ole = olefile.OleFileIO(io.BytesIO(zipfile.ZipFile(built).read("xl/vbaProject.bin")))
    values = dict(re.findall(r'^(CMG|DPB|GC)="([0-9A-F]+)"', ole.openstream("PROJECT").read().decode(), re.M))
    assert _decrypt(values["CMG"]) == bytes(4)
    assert _decrypt(values["DPB"]) == b"\x00"
    assert _decrypt(values["GC"]) == b"\xff"


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=9000), st.text(alphabet="ab \r\nSub()", max_size=12000).map(str.encode)))
def test_compression_round_trips_through_oletools(data):
    assert bytes(decompress_stream(bytearray(ovba.compress(data)))) == data


def test_compound_file_keeps_small_and_large_streams():
    streams = {"PROJECT": b"p" * 100, "VBA/dir": bytes(range(256)) * 20, "VBA/x": b"",
               "VBA/big": bytes(range(251)) * 100, "B/c/d": b"deep"}
    ole = olefile.OleFileIO(io.BytesIO(ovba.compound_file(streams)))
    for name, data in streams.items():
        assert ole.openstream(name).read() == data


# ---------------------------------------------------------------- LibreOffice


@pytest.mark.slow
@needs_soffice
def test_libreoffice_imports_the_modules_and_binds_each_button(built, tmp_path):
    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "ods",
                    "--outdir", str(tmp_path), str(built)], check=True, capture_output=True, timeout=180)
    ods = zipfile.ZipFile(tmp_path / "JikuBata.ods")
    names = ods.namelist()
    for module in ("JikuBata", "xlwings", "Dictionary", "ThisWorkbook"):
        assert f"Basic/VBAProject/{module}.xml" in names
    basic = ods.read("Basic/VBAProject/JikuBata.xml").decode()
    assert "Sub JB_PeriksaData" in basic and "jb.periksa_data()" in basic
    content = ods.read("content.xml").decode()
    bound = re.findall(r'form:label="([^"]+)".*?vnd\.sun\.star\.script:VBAProject\.JikuBata\.(\w+)\?', content,
                       re.S)
    assert bound == [(b.caption, b.macro) for b in workbook.BUTTONS]
