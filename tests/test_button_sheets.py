"""What the buttons write into the open workbook looks like the recap file where it applies.

Key figures are cells (numbers in number formats), never part of a title line;
compliance has a colour scale; lists are filterable Excel tables; the
`Ringkasan` and yearly sheets carry their chart. Pressed on a real copy of
`JikuBata.xlsm` through the openpyxl port, and in "Excel" through the xlwings
port over the recording fake, twice, to show that nothing stacks.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pytest
from openpyxl.worksheet.table import Table

from jikubata.adapters.sheet_layout import Workbook
from jikubata.adapters.xlwings_port import XlwingsPort
from jikubata.entrypoints import buttons
from jikubata.domain.indonesian import long_date
from tests.support.fake_xlwings import FakeBook, _Record
from tests.support.openpyxl_port import OpenpyxlPort
from tests.test_excel import ANA, BUDI, CICI, DODI, OFFICE, TODAY, fill, press, table

OTHER = "Dinas Pariwisata"
EKO = "198801012012011003"


def two_offices(path, period="2026-11"):
    """`fill`'s Dinas Kesehatan (1 of 3 met), and Dinas Pariwisata (its one obliged official met)."""
    wb_rows = fill(path, period=period)
    wb = openpyxl.load_workbook(wb_rows, keep_vba=True)
    wb["OPD"].append([OTHER, "Dispar", "Pak Eko", "197001011995031002", "Kepala Dinas Pariwisata", ""])
    wb["Pegawai"].cell(6, 1, EKO).data_type = "s"
    for j, value in enumerate(["Eko Tuhumury", "Kepala Seksi", "IV.a", OTHER, "Aktif"], 2):
        wb["Pegawai"].cell(6, j, value)
    for j, value in enumerate([dt.datetime(2026, 11, 9), EKO, "Eko Tuhumury", "Kopi Jiku", "Kopi", 30000, "N-4"], 1):
        wb["Belanja"].cell(5, j, value)
    wb["Belanja"].cell(5, 2).data_type = "s"
    wb.save(path)
    return path


def facts(ws) -> dict:
    """The key figures under the title: label → the cell below it."""
    rows = list(ws.iter_rows(max_row=8))
    header = next(i for i, r in enumerate(rows) if r[0].value == "No")
    labels, values = rows[header - 2], rows[header - 1]
    return {label.value: value for label, value in zip(labels, values) if label.value}


def title_lines(ws) -> list[str]:
    return [r[0].value for r in ws.iter_rows(max_row=3) if isinstance(r[0].value, str)]


def without_dates(text: str) -> str:
    return text.replace(long_date(TODAY), "").replace("November 2026", "")


# ---------------------------------------------------------------- figures in cells, titles plain


def test_hasil_title_is_plain_text_and_its_figures_are_numbers_in_cells(tmp_path):
    _, error, wb = press(fill(tmp_path / "JikuBata.xlsm"), "hitung_kekurangan")
    assert not error
    ws = wb["Hasil"]
    for line in title_lines(ws):
        assert "Rp" not in line and "%" not in line and not re.search(r"\d", without_dates(line)), line
    rows = table(ws)
    shown = facts(ws)
    short = [r for r in rows if r["Status"] == "Kurang"]
    obliged = [r for r in rows if r["Status"] != "Tidak wajib"]
    assert shown["Kekurangan"].value == sum(r["Kekurangan"] for r in rows) == 40000
    assert shown["Kekurangan"].number_format == '"Rp"#,##0'
    assert (shown["Wajib belanja"].value, shown["Memenuhi"].value, shown["Kurang"].value) == \
        (len(obliged), len(obliged) - len(short), len(short)) == (3, 1, 2)
    assert shown["Kepatuhan"].value == pytest.approx(1 / 3) and shown["Kepatuhan"].number_format == "0.0%"
    assert all(isinstance(c.value, (int, float)) for c in shown.values())


def test_masalah_data_counts_are_numbers_in_cells_not_in_the_title(tmp_path):
    path = fill(tmp_path / "JikuBata.xlsm", employees=[
        [ANA, "Ana", "Kepala Seksi", "IV.a", OFFICE, "Aktif"],
        [198502022010012002, "Budi", "Kepala Bidang", "III.b", OFFICE, "Aktif"],
    ])
    text, error, wb = press(path, "periksa_data")
    assert not error
    ws = wb["Masalah Data"]
    for line in title_lines(ws):
        assert not re.search(r"\d", line), line
    rows = table(ws)
    shown = facts(ws)
    assert shown["Galat"].value == sum(r["Tingkat"] == "GALAT" for r in rows) >= 1
    assert shown["Peringatan"].value == sum(r["Tingkat"] == "PERINGATAN" for r in rows)
    assert shown["Galat"].number_format == "#,##0"
    assert f"{shown['Galat'].value} galat" in text


# ---------------------------------------------------------------- tables, colour scales, charts


def test_hasil_and_masalah_data_are_filterable_excel_tables(tmp_path):
    _, _, wb = press(fill(tmp_path / "JikuBata.xlsm"), "hitung_kekurangan")
    (hasil,) = wb["Hasil"].tables.values()
    first = next(r[0].row for r in wb["Hasil"].iter_rows() if r[0].value == "No")
    assert hasil.name == "HasilPerhitungan" and hasil.ref == f"A{first}:J{first + 4}"  # 4 ASN, no total row
    assert hasil.autoFilter is not None
    (problems,) = wb["Masalah Data"].tables.values()
    assert problems.name == "MasalahData"


def _charts(path) -> dict[str, str]:
    """Chart XML of the saved workbook, by the sheet its values come from."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/charts/chart"):
                xml = z.read(name).decode()
                sheet = re.search(r"<(?:c:)?f>'?(.*?)'?!", xml).group(1)
                out[sheet] = xml
    return out


def test_rekap_sheets_have_the_recaps_scale_table_chart_and_links(tmp_path):
    path = two_offices(tmp_path / "JikuBata.xlsm")
    text, error, wb = press(path, "buat_rekap")
    assert not error, text
    ws = wb["Rekap Ringkasan"]
    rows = table(ws)
    assert [r["Lembar"] for r in rows] == ["Rekap Dinkes", "Rekap Dispar"]  # worst first
    first = next(r[0].row for r in ws.iter_rows() if r[0].value == "No") + 1
    (cf,) = list(ws.conditional_formatting)
    assert str(cf.sqref) == f"G{first}:G{first + 1}"  # Kepatuhan, the rows (not the total)
    assert [c.rgb[-6:] for c in cf.rules[0].colorScale.color] == ["F8696B", "FFEB84", "63BE7B"]
    assert ws.cell(first, 3).hyperlink.location == "'Rekap Dinkes'!A1"
    chart = _charts(path)["Rekap Ringkasan"]
    assert re.search(r'<(c:)?barDir val="bar"/>', chart) and "Kepatuhan per OPD" in chart
    assert re.search(r'<(c:)?plotVisOnly val="0"/>', chart)  # its source columns are hidden
    # Everyone short across the city, as an Excel table.
    short = wb["Rekap Belum Memenuhi"]
    (excel_table,) = short.tables.values()
    assert excel_table.name == "BelumMemenuhi"
    assert {r["NIP"] for r in table(short)} == {BUDI, CICI}
    # The office sheets' key figures are cells too.
    assert facts(wb["Rekap Dinkes"])["Kekurangan"].value == 40000


def test_yearly_rekap_sheets_have_scales_on_both_grids_a_chart_and_a_table(tmp_path):
    path = fill(tmp_path / "JikuBata.xlsm", period="2026")
    text, error, wb = press(path, "buat_rekap")
    assert not error, text
    grid = wb["Rekap Ringkasan"]
    first = next(r[0].row for r in grid.iter_rows() if r[0].value == "No") + 1
    # Data from November: January to October share one column (C), then Nov and Des; the year in F.
    assert sorted(str(cf.sqref) for cf in grid.conditional_formatting) == [f"C{first}:E{first}", f"F{first}"]
    shortfall = wb["Rekap Kekurangan"]
    ((cf, rule),) = [(cf, r) for cf in shortfall.conditional_formatting for r in cf.rules][:1]
    assert [v.type for v in rule.colorScale.cfvo] == ["num", "max"]
    chart = _charts(path)["Rekap Ringkasan"]
    assert re.search(r'<(c:)?barDir val="col"/>', chart) and "Kepatuhan seluruh OPD per bulan, 2026" in chart
    assert [t for t in wb["Rekap Pegawai"].tables] == ["PegawaiSetahun"]


def test_a_table_name_the_workbook_already_uses_does_not_stop_the_button(tmp_path):
    path = fill(tmp_path / "JikuBata.xlsm")
    wb = openpyxl.load_workbook(path, keep_vba=True)
    notes = wb.create_sheet("Catatan")
    notes.append(["Catatan", "Isi"])
    notes.append(["a", "b"])
    notes.add_table(Table(displayName="HasilPerhitungan", ref="A1:B2"))
    wb.save(path)
    text, error, wb = press(path, "hitung_kekurangan")
    assert not error, text
    assert list(wb["Hasil"].tables) == ["HasilPerhitungan2"]


# ---------------------------------------------------------------- pressed twice in Excel


def excel_with(path) -> FakeBook:
    wb = openpyxl.load_workbook(path)
    return FakeBook(str(path), {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets})


def comforts(book: FakeBook) -> dict:
    return {s.name: (len(s._tables), len(s._charts), len(s.rules)) for s in book.sheets
            if s._tables._items or s._charts._items or s.rules}


@pytest.mark.parametrize("period", ["2026-11", "2026"])
def test_pressing_the_buttons_twice_in_excel_stacks_no_table_chart_or_scale(tmp_path, period):
    book = excel_with(two_offices(tmp_path / "JikuBata.xlsm", period=period))
    port = Workbook(XlwingsPort(book, platform="win32"))
    seen = []
    for _ in range(2):
        for action in (("buat_rekap", "hitung_kekurangan") if period != "2026" else ("buat_rekap",)):
            buttons.run(port, action, today=TODAY)
        seen.append(comforts(book))
    assert all(mode == "info" for _, _, mode in book.app.alerts), book.app.alerts
    assert seen[0] == seen[1]
    assert all(tables <= 1 and charts <= 1 for tables, charts, _ in seen[1].values())
    names = [t.name for s in book.sheets for t in s._tables]
    assert len(names) == len(set(names)) and "BelumMemenuhi2" not in names and "PegawaiSetahun2" not in names
    ringkasan = book.sheets["Rekap Ringkasan"]
    (chart,) = ringkasan._charts
    assert chart._com.PlotVisibleOnly is False
    if period == "2026":
        assert chart.chart_type == "column_clustered" and seen[1]["Rekap Kekurangan"][2] == 2
    else:
        assert chart.chart_type == "bar_clustered" and [s.name for s in chart.series] == ["Kepatuhan"]
        assert seen[1]["Rekap Ringkasan"] == (0, 1, 1) and seen[1]["Rekap Belum Memenuhi"] == (1, 0, 0)
        assert seen[1]["Hasil"] == (1, 0, 0)


def test_a_defined_name_in_excel_that_a_table_wants_gives_the_table_another_name(tmp_path):
    book = excel_with(fill(tmp_path / "JikuBata.xlsm"))
    book.names.append(_Record(name="Hasil!HasilPerhitungan"))
    buttons.run(Workbook(XlwingsPort(book)), "hitung_kekurangan", today=TODAY)
    ((_, _, mode),) = book.app.alerts
    assert mode == "info"
    assert [t.name for t in book.sheets["Hasil"]._tables] == ["HasilPerhitungan2"]
    assert {ANA, BUDI, CICI, DODI} <= {c.value for c in book.sheets["Hasil"].cells.values()}
