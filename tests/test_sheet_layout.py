"""One layout for the result sheets: the primitives of live Excel (xlwings) and of the tests' openpyxl port
are driven by the same `sheet_layout.write_sheet`, formula guard included.

Excel is not on these machines, so `XlwingsPort` runs against a recording fake of the xlwings objects it
uses (`tests/support/fake_xlwings.py`); the fake keeps what Excel would keep (`=…` typed in is a formula).
"""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from jikubata import excel
from jikubata.adapters import sheet_layout
from jikubata.adapters.sheet_layout import Workbook
from jikubata.adapters.workbook_port import OutputSheet
from jikubata.adapters.xlwings_port import XlwingsPort
from jikubata.tools import workbook
from tests.support.fake_xlwings import FakeBook
from tests.support.jikubata_book import filled_copy
from tests.support.openpyxl_port import OpenpyxlPort

# Text as an office might type it: every one of these would be converted by Excel if written bare.
HOSTILE = ["=HYPERLINK(\"http://x\",\"klik\")", "+62 812", "-1+2", "@SUM(A1)", "'=kutip", "081234567890",
           "1/2", "TRUE", "12,5%", "1e5"]
NIP = "198001012010011001"


def sample() -> OutputSheet:
    rows = [[i + 1, NIP if i == 0 else text, text, 25000 * i, "Kurang" if i % 3 else "Memenuhi", "lihat"]
            for i, text in enumerate(HOSTILE)]
    return OutputSheet(
        "Hasil Uji", ["Judul =SUM(1)", "Data per 20 November 2026"],
        ["No", "NIP", "Nama", "Belanja", "Status", "Sel"],
        ["count", "text", "longtext", "rupiah", "status", "link"],
        rows, total=["", "", "Jumlah", sum(r[3] for r in rows), "", ""],
        links={(0, 5): "#'Pegawai'!B2", (1, 5): "/tmp/surat 1.docx"}, row_fills={2: "#FCE4E4", 3: "#FCE4E4"},
    )


def excel_book(**kwargs) -> FakeBook:
    return FakeBook("C:\\Users\\admin\\JikuBata.xlsm", {"Beranda": [["Jiku Bata"]], "Pegawai": [["NIP"]]}, **kwargs)


def openpyxl_port(tmp_path) -> OpenpyxlPort:
    wb = openpyxl.Workbook()
    wb.active.title = "Beranda"
    wb.create_sheet("Pegawai")
    wb.save(tmp_path / "buku.xlsx")
    return OpenpyxlPort(tmp_path / "buku.xlsx")


def excel_grid(book: FakeBook, name: str) -> dict:
    sheet = book.sheets[name]
    return {key: (c.value, "other" if c.kind in ("number", "value") else c.kind, c.number_format,
                  c.fill.upper() if c.fill else None, bool(c.font.get("bold")), c.link[0] if c.link else None)
            for key, c in sheet.cells.items() if c.value is not None or c.fill or c.link}


def openpyxl_grid(port: OpenpyxlPort, name: str) -> dict:
    kinds = {"s": "text", "f": "formula"}
    out = {}
    for row in port.book[name].iter_rows():
        for c in row:
            fill = "#" + c.fill.fgColor.rgb[-6:].upper() if c.fill.fill_type == "solid" else None
            link = None
            if c.hyperlink is not None:
                link = "#" + c.hyperlink.location if c.hyperlink.location else c.hyperlink.target
            if c.value is not None or fill or link:
                out[(c.row, c.column)] = (c.value, kinds.get(c.data_type, "other"), c.number_format, fill,
                                          bool(c.font.b), link)
    return out


def test_excel_and_the_test_port_get_the_same_cells_formats_and_colours(tmp_path):
    book, port = excel_book(), openpyxl_port(tmp_path)
    Workbook(XlwingsPort(book)).write_sheet(sample())
    port.write_sheet(sample())
    in_excel, in_test = excel_grid(book, "Hasil Uji"), openpyxl_grid(port, "Hasil Uji")
    assert in_excel == in_test
    assert len(in_excel) > 60  # the whole table, not an empty sheet on both sides


def test_input_text_stays_text_in_excel_exactly_as_typed():
    book = excel_book()
    Workbook(XlwingsPort(book)).write_sheet(sample())
    cells = book.sheets["Hasil Uji"].cells.values()
    assert not [c.value for c in cells if c.kind == "formula"]
    texts = {c.value for c in cells if c.kind == "text"}
    assert set(HOSTILE) | {NIP, "Judul =SUM(1)"} <= texts


def test_without_the_guard_both_ports_would_make_formulas_and_numbers(tmp_path, monkeypatch):
    """The check above can fail: with the guard taken out, Excel (and the test port) convert the text."""
    monkeypatch.setattr(sheet_layout, "as_text", lambda value: value)
    book, port = excel_book(), openpyxl_port(tmp_path)
    Workbook(XlwingsPort(book)).write_sheet(sample())
    port.write_sheet(sample())
    kinds = {c.value: c.kind for c in book.sheets["Hasil Uji"].cells.values()}
    assert kinds[HOSTILE[0]] == "formula" and kinds["=+62 812"] == "formula"
    assert any(c.data_type == "f" for row in port.book["Hasil Uji"].iter_rows() for c in row)


def test_text_columns_are_formatted_as_text_before_the_values_arrive():
    book = excel_book()
    Workbook(XlwingsPort(book)).write_sheet(sample())
    calls = [c for c in book.calls if c[0] in ("number_format", "value") and c[1] == "Hasil Uji"]
    body = next(i for i, c in enumerate(calls) if c[0] == "value" and c[2][0] == 5)  # rows under the header
    formats = {c[2][1]: c[3] for c in calls[:body] if c[0] == "number_format"}
    assert formats == {1: "#,##0", 2: "@", 3: "@", 4: '"Rp"#,##0', 5: "@", 6: "@"}


def test_status_cells_total_links_and_short_rows_reach_excel():
    book = excel_book()
    Workbook(XlwingsPort(book)).write_sheet(sample())
    sheet = book.sheets["Hasil Uji"]
    top = 4  # two title lines, a blank row, the header
    assert sheet.cell(top + 2, 5).fill == "#FFC7CE" and sheet.cell(top + 1, 5).fill == "#C6EFCE"
    assert sheet.cell(top + 3, 1).fill == "#FCE4E4" and sheet.cell(top + 2, 1).fill is None
    assert sheet.cell(top + 11, 3).value == "Jumlah" and sheet.cell(top + 11, 3).font["bold"] is True
    assert sheet.cell(top + 1, 6).link == ("#'Pegawai'!B2", "lihat")
    assert sheet.cell(top + 2, 6).link == ("/tmp/surat 1.docx", "lihat")


def test_frozen_header_and_print_setup_reach_excel():
    book = excel_book()
    Workbook(XlwingsPort(book)).write_sheet(sample())
    sheet = book.sheets["Hasil Uji"]
    assert sheet.frozen == "4:4"
    setup = sheet.page_setup
    assert (setup.Orientation, setup.PaperSize, setup.FitToPagesWide, setup.PrintTitleRows) == (2, 9, 1, "$4:$4")
    assert sorted(sheet.widths) == [1, 2, 3, 4, 5, 6]


def test_where_excel_has_no_com_objects_the_sheet_is_still_written():
    book = excel_book(windows=False)  # Excel on a Mac: no `.api` PageSetup, no Hyperlinks.Add
    Workbook(XlwingsPort(book)).write_sheet(sample())
    sheet = book.sheets["Hasil Uji"]
    assert sheet.cell(5, 6).link == ("#'Pegawai'!B2", "lihat")
    assert not vars(sheet.page_setup)


def test_writing_a_sheet_twice_replaces_it_whatever_the_case_of_its_name():
    book = excel_book()
    port = Workbook(XlwingsPort(book))
    port.write_sheet(sample())
    again = sample()
    again.name = "HASIL UJI"
    port.write_sheet(again)
    assert [s.name for s in book.sheets] == ["Beranda", "Pegawai", "HASIL UJI"]


# ---------------------------------------------------------------- a button pressed in Excel


def fake_excel_with(path) -> FakeBook:
    """The filled workbook as Excel holds it open: what openpyxl reads from the file, as a live book."""
    wb = openpyxl.load_workbook(path)
    return FakeBook(str(path), {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets})


@pytest.fixture
def excel_open(tmp_path, monkeypatch):
    office = "Dinas Kesehatan"
    path = filled_copy(tmp_path / "JikuBata.xlsm", {
        "OPD": [[office, "Dinkes", "dr. Wati", "197001011995032001", "Kepala Dinas Kesehatan", ""]],
        "Pegawai": [[NIP, "=HYPERLINK(\"http://x\")", "Kepala Seksi", "IV.a", office, "Aktif"]],
        "Belanja": [[dt.datetime(2026, 11, 7), NIP, "Ana", "Toko", "Sagu", 25000, "N-1"]],
    }, "2026-11", as_text=True)
    book = fake_excel_with(path)
    import xlwings

    monkeypatch.setattr(xlwings.Book, "caller", staticmethod(lambda: book))
    return book


def test_the_hitung_button_in_excel_writes_hasil_through_the_xlwings_port(excel_open):
    book = excel_open
    excel.hitung_kekurangan()
    ((text, title, mode),) = book.app.alerts
    assert mode == "info" and title == "Jiku Bata" and "November 2026" in text
    hasil = book.sheets["Hasil"]
    names = [c for (r, col), c in hasil.cells.items() if col == 3 and r > 4]
    assert names[0].value == "=HYPERLINK(\"http://x\")" and names[0].kind == "text"
    nips = [c for (r, col), c in hasil.cells.items() if col == 2 and r > 4 and c.value == NIP]
    assert nips and nips[0].kind == "text"
    assert text in book.sheets["Beranda"].range(workbook.RESULT_CELL).value
    assert book.app.screen_updating is True


def test_a_failing_button_in_excel_shows_a_critical_message(excel_open):
    excel_open.sheets["Beranda"].range(workbook.PERIOD_CELL).value = "'Nopember"
    excel.hitung_kekurangan()
    ((text, _, mode),) = excel_open.app.alerts
    assert mode == "critical" and "periode" in text
