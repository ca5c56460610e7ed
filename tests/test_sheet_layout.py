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
from jikubata.adapters import summary
from jikubata.adapters.styles import ColourScale
from jikubata.adapters.output_sheet import ChartData, OutputSheet
from jikubata.adapters.workbook_port import Chart
from jikubata.adapters.xlwings_port import XlwingsPort
from jikubata.tools import workbook
from tests.support.fake_xlwings import FakeBook, _Record, color_scale_points
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
    top = next(r for (r, col), c in sorted(hasil.cells.items()) if col == 1 and c.value == "No")
    names = [c for (r, col), c in sorted(hasil.cells.items()) if col == 3 and r > top]
    assert names[0].value == "=HYPERLINK(\"http://x\")" and names[0].kind == "text"
    nips = [c for (r, col), c in hasil.cells.items() if col == 2 and r > top and c.value == NIP]
    assert nips and nips[0].kind == "text"
    assert text in book.sheets["Beranda"].range(workbook.RESULT_CELL).value
    assert book.app.screen_updating is True


def test_a_failing_button_in_excel_shows_a_critical_message(excel_open):
    excel_open.sheets["Beranda"].range(workbook.PERIOD_CELL).value = "'Nopember"
    excel.hitung_kekurangan()
    ((text, _, mode),) = excel_open.app.alerts
    assert mode == "critical" and "periode" in text


# ---------------------------------------------------------------- key figures, colour scales, tables, charts

COMPLIANCE = ColourScale.from_xlsxwriter(summary.COMPLIANCE_SCALE)
SHORTFALL = ColourScale.from_xlsxwriter(summary.SHORTFALL_SCALE)  # from 0 (a number) to the highest value


def test_a_colour_scale_gives_back_the_xlsxwriter_rule_it_was_read_from():
    """The recap file and the open workbook show one scale: the file writes it back as the same rule."""
    for rule in (summary.COMPLIANCE_SCALE, summary.SHORTFALL_SCALE):
        assert ColourScale.from_xlsxwriter(rule).to_xlsxwriter() == rule


def rich_sample() -> OutputSheet:
    rows = [[1, "DINKES", 0.25, 250000], [2, "=SETDA", 0.5, 0], [3, "DISPAR", None, 100000]]
    return OutputSheet(
        "Rekap Uji", ["Rekap uji", "Data per 20 November 2026"],
        ["No", "OPD", "Kepatuhan", "Kekurangan"], ["count", "text", "percent", "rupiah"],
        [[r[0], r[1], "-" if r[2] is None else r[2], r[3]] for r in rows],
        total=["", "Jumlah", 0.4, 350000],
        facts=[("Wajib", 10, "count"), ("Kepatuhan", 0.4, "percent"), ("Kekurangan", 350000, "rupiah")],
        scales=[(2, 2, COMPLIANCE), (3, 3, SHORTFALL)], table_name="RekapUji",
        chart=ChartData("bar", "Kepatuhan per OPD", ["DINKES", "=SETDA", "DISPAR"],
                        [("Kepatuhan", [r[2] for r in rows])]),
    )


def excel_extras(book: FakeBook, name: str) -> dict:
    sheet = book.sheets[name]
    return {
        "tables": [(t.name, t.range.area, t.table_style, t.show_table_style_row_stripes) for t in sheet._tables],
        "scales": sorted((r["area"], tuple(color_scale_points(r))) for r in sheet.rules),
        "charts": [(c.chart_type, c.title, c.source.area, c.anchor, [s.name for s in c.series]) for c in sheet._charts],
        "hidden": sorted(c for c, w in sheet.widths.items() if w == 0),
    }


def openpyxl_extras(port: OpenpyxlPort, name: str) -> dict:
    from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

    ws = port.book[name]

    def area(ref):
        c1, r1, c2, r2 = range_boundaries(str(ref))
        return r1, c1, r2, c2

    kinds = {"num": "number", "min": "lowest", "max": "highest", "percentile": "percentile"}
    scales = []
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            points = tuple((kinds[v.type], None if v.val is None else float(v.val), "#" + c.rgb[-6:])
                           for v, c in zip(rule.colorScale.cfvo, rule.colorScale.color))
            scales.append((area(cf.sqref), points))
    charts = []
    for c in ws._charts:
        source = c.series[0].val.numRef.f  # e.g. 'Rekap Uji'!$G$6:$G$9
        kind = {"bar": "bar_clustered", "col": "column_clustered"}[c.type]
        title = "".join(r.t for p in c.title.tx.rich.p for r in p.r)
        charts.append((kind, title, source, coordinate_to_tuple(c.anchor), len(c.series)))
    return {
        "tables": [(t.displayName, area(t.ref), t.tableStyleInfo.name, t.tableStyleInfo.showRowStripes)
                   for t in ws.tables.values()],
        "scales": sorted(scales),
        "charts": charts,
        "hidden": sorted(range_boundaries(f"{k}1")[0] for k, d in ws.column_dimensions.items() if d.hidden),
    }


def test_key_figures_are_numbers_under_the_title_in_both_ports(tmp_path):
    book, port = excel_book(), openpyxl_port(tmp_path)
    Workbook(XlwingsPort(book)).write_sheet(rich_sample())
    port.write_sheet(rich_sample())
    assert excel_grid(book, "Rekap Uji") == openpyxl_grid(port, "Rekap Uji")
    sheet = book.sheets["Rekap Uji"]
    assert [sheet.cell(4, c).value for c in (2, 3, 4)] == ["Wajib", "Kepatuhan", "Kekurangan"]
    figures = [sheet.cell(5, c) for c in (2, 3, 4)]
    assert [(c.value, c.kind, c.number_format) for c in figures] == [
        (10, "value", "#,##0"), (0.4, "value", "0.0%"), (350000, "value", '"Rp"#,##0')]
    assert sheet.cell(6, 1).value == "No"  # the header under the figures


def test_excel_and_the_test_port_get_the_same_table_scales_and_chart(tmp_path):
    book, port = excel_book(), openpyxl_port(tmp_path)
    Workbook(XlwingsPort(book, platform="win32")).write_sheet(rich_sample())
    port.write_sheet(rich_sample())
    in_excel, in_test = excel_extras(book, "Rekap Uji"), openpyxl_extras(port, "Rekap Uji")
    header, first, last = 6, 7, 9
    table = [("RekapUji", (header, 1, last, 4), "TableStyleLight1", False)]
    assert in_excel["tables"] == in_test["tables"] == table  # the rows, not the total below them
    scales = [((first, 3, last, 3), (("number", 0.0, "#F8696B"), ("number", 0.5, "#FFEB84"),
                                     ("number", 1.0, "#63BE7B"))),
              ((first, 4, last, 4), (("number", 0.0, "#FFFFFF"), ("highest", None, "#F8696B")))]
    assert in_excel["scales"] == in_test["scales"] == scales
    # The chart's source: a block right of the table (labels, then values), hidden; the chart below the total.
    ((kind, title, source, anchor, series),) = in_excel["charts"]
    assert (kind, title, source, anchor, series) == ("bar_clustered", "Kepatuhan per OPD", (6, 6, 9, 7),
                                                     (last + 3, 1), ["Kepatuhan"])
    assert in_test["charts"] == [("bar_clustered", "Kepatuhan per OPD", "'Rekap Uji'!$G$7:$G$9", (last + 3, 1), 1)]
    assert in_excel["hidden"] == in_test["hidden"] == [6, 7]
    sheet = book.sheets["Rekap Uji"]
    assert [sheet.cell(r, 6).value for r in (7, 8, 9)] == ["DINKES", "=SETDA", "DISPAR"]
    assert sheet.cell(8, 6).kind == "text" and sheet.cell(9, 7).value is None  # nobody obliged: a gap, not 0 %
    (chart,) = sheet._charts
    assert chart._com.PlotVisibleOnly is False and chart.legend.visible is False
    assert chart.value_axis.settings == {"minimum_scale": 0, "maximum_scale": 1, "major_unit": 0.25,
                                         "number_format": "0%"}
    assert chart.category_axis.settings == {"reverse_order": True}  # the worst office on top


def test_where_the_chart_cannot_plot_hidden_cells_its_source_stays_visible():
    book = excel_book(windows=False)
    Workbook(XlwingsPort(book, platform="linux")).write_sheet(rich_sample())
    assert len(book.sheets["Rekap Uji"]._charts) == 1
    assert 0 not in book.sheets["Rekap Uji"].widths.values()


def test_a_scale_excel_api_cannot_say_exactly_goes_through_com_on_windows_else_lowest_to_highest():
    for windows, expected in ((True, [("number", 0, "#FFFFFF"), ("highest", None, "#F8696B")]),
                              (False, [("lowest", None, "#FFFFFF"), ("highest", None, "#F8696B")])):
        book = excel_book(windows=windows)
        port = XlwingsPort(book)
        port.add_sheet("S")
        port.color_scale("S", (2, 1, 5, 1), SHORTFALL)
        (rule,) = book.sheets["S"].rules
        assert color_scale_points(rule) == expected


def test_writing_the_same_comforts_twice_does_not_stack_them(tmp_path):
    book, port = excel_book(), openpyxl_port(tmp_path)
    for cells in (XlwingsPort(book, platform="win32"), port.cells):
        cells.add_sheet("S")
        cells.write_values("S", 1, 1, [["Label grafik", "Nilai"], ["a", 0.5]])
        chart = Chart("Grafik S", "column", "Judul", (1, 1, 2, 2), (4, 1), 480, 300, ("#2E75B6",), True)
        for _ in range(2):
            cells.color_scale("S", (2, 2, 2, 2), COMPLIANCE)
            cells.add_chart("S", chart)
    assert len(book.sheets["S"].rules) == 1 and len(book.sheets["S"]._charts) == 1
    assert len(list(port.book["S"].conditional_formatting)) == 1 and len(port.book["S"]._charts) == 1


def test_a_table_name_already_taken_gets_a_number_not_a_failure(tmp_path):
    book, port = excel_book(), openpyxl_port(tmp_path)
    book.names.append(_Record(name="RekapUji"))
    from openpyxl.workbook.defined_name import DefinedName
    port.book.defined_names["rekapuji"] = DefinedName("rekapuji", attr_text="Beranda!$A$1")
    for target in (Workbook(XlwingsPort(book)), port):
        target.write_sheet(rich_sample())
        again = rich_sample()
        again.name = "Rekap Lain"
        target.write_sheet(again)  # a second sheet wanting the same table name
    assert [t.name for s in book.sheets for t in s._tables] == ["RekapUji2", "RekapUji3"]
    assert [t for ws in port.book.worksheets for t in ws.tables] == ["RekapUji2", "RekapUji3"]


def test_rewriting_a_sheet_frees_its_table_name():
    book = excel_book()
    port = Workbook(XlwingsPort(book))
    for _ in range(3):
        port.write_sheet(rich_sample())
    assert [t.name for s in book.sheets for t in s._tables] == ["RekapUji"]
    assert len(book.sheets["Rekap Uji"]._charts) == 1 and len(book.sheets["Rekap Uji"].rules) == 2


def test_where_excel_refuses_tables_charts_and_scales_the_sheet_is_still_written():
    book = excel_book(windows=False, refuses=frozenset({"tables", "charts", "conditional_formats"}))
    Workbook(XlwingsPort(book, platform="darwin")).write_sheet(rich_sample())
    sheet = book.sheets["Rekap Uji"]
    assert sheet.cell(7, 2).value == "DINKES" and sheet.cell(5, 4).value == 350000
    assert not sheet._tables._items and not sheet._charts._items and not sheet.rules


def test_rows_with_wrapped_text_are_fitted_in_excel_and_in_the_test_port(tmp_path):
    """A long name wraps: Excel is asked to AutoFit the body rows; the test port sets the height itself
    (LibreOffice, which renders it, keeps stored heights)."""
    sheet = sample()
    sheet.rows[1][2] = "Kepala Sub Bagian Perencanaan, Evaluasi dan Pelaporan Badan Pengelolaan Keuangan " * 2
    book = excel_book()
    Workbook(XlwingsPort(book)).write_sheet(sheet)
    top = 4
    body = (top + 1, 1, top + len(sheet.rows) + 1, len(sheet.header))  # the total row included
    assert ("rows.autofit", "Hasil Uji", body, None) in book.calls

    port = openpyxl_port(tmp_path)
    port.write_sheet(sheet)
    ws = port.book["Hasil Uji"]
    assert (ws.row_dimensions[top + 2].height or 0) > 30  # the long name, on several lines
    assert ws.row_dimensions[top + 3].height is None  # short text: Excel's default height


def test_without_a_wrapped_column_no_row_is_fitted():
    sheet = sample()
    sheet.kinds[2] = "text"
    book = excel_book()
    Workbook(XlwingsPort(book)).write_sheet(sheet)
    assert not [c for c in book.calls if c[0] == "rows.autofit"]
