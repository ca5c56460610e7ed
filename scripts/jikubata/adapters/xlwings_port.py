"""The `CellPort` primitives over a live Excel workbook (an xlwings `Book`).

Only primitives: how a sheet looks is decided by `sheet_layout`, which is the
same code the tests run on files. Excel-only comforts (print set-up through
the COM `PageSetup`, links inside the workbook) are tried and skipped where
the platform does not offer them, so a button never fails for them. Tables,
charts and colour scales use xlwings' own cross-platform API (xlwings 0.37:
`sheet.tables.add`, `sheet.charts.add`, `range.conditional_formats`); where
that cannot say it exactly, Excel's COM objects are tried (Windows), and where
neither answers the sheet is written without that comfort.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

from jikubata.adapters.styles import ColourScale, Style
from jikubata.adapters.workbook_port import Area, Chart

TITLE = "Jiku Bata"
_XL_UNDERLINE_SINGLE, _XL_UNDERLINE_NONE = 2, -4142
_XL_PORTRAIT, _XL_LANDSCAPE, _XL_PAPER_A4 = 1, 2, 9
# XlConditionValueTypes of a colour scale's points (COM).
_XL_CONDITION_VALUE = {"number": 0, "lowest": 1, "highest": 2, "percent": 3, "percentile": 5}
_CHART_TYPES = {"bar": "bar_clustered", "column": "column_clustered", "line": "line_markers"}
_POINTS_PER_PIXEL = 0.75


def _try(action) -> bool:
    """Run a comfort; whether it worked (never an exception: a button must not fail for it)."""
    try:
        action()
        return True
    except Exception:
        return False


def _excel_colour(hex_colour: str) -> int:
    """`#RRGGBB` as Excel's COM colour number (red + green·256 + blue·65536)."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return r + g * 256 + b * 65536


class XlwingsPort:
    """Primitives of the workbook that pressed the button (`xw.Book.caller()`)."""

    def __init__(self, book, platform: str = sys.platform):
        self.book = book
        self.platform = platform  # which native object model `.api` gives: COM (win32) or AppleScript (darwin)

    @property
    def path(self) -> Path:
        return Path(self.book.fullname)

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def read_sheets(self, wanted: Callable[[str], bool] = lambda name: True) -> dict[str, list[list]]:
        out = {}
        for sheet in self.book.sheets:
            if not wanted(sheet.name):
                continue
            last = sheet.used_range.last_cell
            out[sheet.name] = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value
        return out

    def read_cell(self, sheet: str, cell: str):
        return self.book.sheets[sheet].range(cell).value

    def write_cell(self, sheet: str, cell: str, value) -> None:
        self.book.sheets[sheet].range(cell).value = value

    def delete_sheet(self, name: str) -> None:
        self.book.sheets[name].delete()

    def add_sheet(self, name: str) -> None:
        self.book.sheets.add(name, after=self.book.sheets[len(self.book.sheets) - 1])

    def write_values(self, sheet: str, row: int, column: int, values: list[list]) -> None:
        self.book.sheets[sheet].range((row, column)).value = values

    def apply_style(self, sheet: str, area: Area, style: Style) -> None:
        r1, c1, r2, c2 = area
        rng = self.book.sheets[sheet].range((r1, c1), (r2, c2))
        if style.number_format is not None:
            rng.number_format = style.number_format
        if style.fill is not None:
            rng.color = style.fill
        if style.wrap is not None:
            rng.wrap_text = style.wrap
        if style.align is not None:
            _try(lambda: setattr(rng, "horizontal_alignment", style.align))  # xlwings 0.37.3+
        if style.valign is not None:
            _try(lambda: setattr(rng, "vertical_alignment", style.valign))
        font = rng.font
        if style.bold is not None:
            font.bold = style.bold
        if style.italic is not None:
            font.italic = style.italic
        if style.size is not None:
            font.size = style.size
        if style.font_colour is not None:
            font.color = style.font_colour
        if style.underline is not None:
            try:  # not in xlwings' Font; Excel's object model has it
                rng.api.Font.Underline = _XL_UNDERLINE_SINGLE if style.underline else _XL_UNDERLINE_NONE
            except Exception:
                pass

    def add_link(self, sheet: str, row: int, column: int, target: str, text: str) -> None:
        cell = self.book.sheets[sheet].range((row, column))
        if target.startswith("#"):
            try:  # Windows: a link to a place inside this workbook
                cell.api.Hyperlinks.Add(Anchor=cell.api, Address="", SubAddress=target[1:], TextToDisplay=text)
                return
            except Exception:
                pass
        cell.add_hyperlink(target, text)

    def set_column_widths(self, sheet: str, widths: list[float]) -> None:
        ws = self.book.sheets[sheet]
        for j, w in enumerate(widths, 1):
            ws.range((1, j)).column_width = w

    def freeze_rows(self, sheet: str, rows: int) -> None:
        try:  # a frozen header is a comfort; never fail the run for it
            self.book.sheets[sheet].freeze_panes.freeze_at(f"{rows}:{rows}")
        except Exception:
            pass

    def set_print(self, sheet: str, title_row: int, one_page: bool = False, landscape: bool = True) -> None:
        try:  # the COM PageSetup (Windows Excel); elsewhere the sheet prints with Excel's defaults
            setup = self.book.sheets[sheet].api.PageSetup
            setup.Orientation, setup.PaperSize = _XL_LANDSCAPE if landscape else _XL_PORTRAIT, _XL_PAPER_A4
            if one_page:  # the table and its chart together on one page
                setup.Zoom, setup.FitToPagesWide, setup.FitToPagesTall = False, 1, 1
            else:
                setup.Zoom, setup.FitToPagesWide, setup.FitToPagesTall = False, 1, False
                setup.PrintTitleRows = f"${title_row}:${title_row}"
        except Exception:
            pass

    # -- comforts: colour scales, tables, charts

    def _range(self, sheet: str, area: Area):
        r1, c1, r2, c2 = area
        return self.book.sheets[sheet].range((r1, c1), (r2, c2))

    def color_scale(self, sheet: str, area: Area, scale: ColourScale) -> None:
        rng = self._range(sheet, area)
        if not _try(lambda: rng.conditional_formats.clear()):
            _try(lambda: rng.api.FormatConditions.Delete())
        colours = [p.colour for p in scale.points]
        kinds = tuple(p.kind for p in scale.points)
        formats = lambda: rng.conditional_formats  # noqa: E731 (looked up when tried)
        if set(kinds) == {"number"}:
            exact = lambda: formats().add_color_scale(  # noqa: E731
                colours, thresholds=[p.value for p in scale.points], threshold_type="number")
        elif kinds == ("lowest", "highest") or (
                kinds == ("lowest", "percentile", "highest") and scale.points[1].value == 50):
            exact = lambda: formats().add_color_scale(colours)  # noqa: E731
        else:
            exact = None
        if exact is not None and _try(exact):
            return
        if _try(lambda: self._com_color_scale(rng, scale)):
            return
        # Neither says it exactly: the same colours from the lowest value to the highest.
        _try(lambda: formats().add_color_scale([colours[0], colours[-1]]))

    @staticmethod
    def _com_color_scale(rng, scale: ColourScale) -> None:
        rule = rng.api.FormatConditions.AddColorScale(ColorScaleType=len(scale.points))
        for index, point in enumerate(scale.points, 1):
            criterion = rule.ColorScaleCriteria(index)
            criterion.Type = _XL_CONDITION_VALUE[point.kind]
            if point.value is not None:
                criterion.Value = point.value
            criterion.FormatColor.Color = _excel_colour(point.colour)

    def names_in_use(self) -> set[str]:
        names: set[str] = set()
        for sheet in self.book.sheets:
            _try(lambda: names.update(t.name.casefold() for t in sheet.tables))
        _try(lambda: names.update(n.name.split("!")[-1].casefold() for n in self.book.names))
        return names

    def add_table(self, sheet: str, area: Area, name: str, style: str) -> None:
        try:
            table = self.book.sheets[sheet].tables.add(source=self._range(sheet, area), name=name,
                                                       table_style_name=style)
        except Exception:
            return
        _try(lambda: setattr(table, "show_table_style_row_stripes", False))
        _try(lambda: setattr(table, "show_autofilter", True))

    def add_chart(self, sheet: str, chart: Chart) -> bool:
        ws = self.book.sheets[sheet]
        _try(lambda: [c.delete() for c in list(ws.charts) if c.name == chart.name])
        try:
            made = ws.charts.add(width=chart.width * _POINTS_PER_PIXEL, height=chart.height * _POINTS_PER_PIXEL,
                                 name=chart.name, anchor=ws.range(chart.anchor))
            made.set_source_data(self._range(sheet, chart.source), plot_by="columns")
            made.chart_type = _CHART_TYPES[chart.kind]
        except Exception:
            return False
        _try(lambda: setattr(made, "title", chart.title))
        _try(lambda: setattr(made.legend, "visible", chart.source[3] - chart.source[1] > 1))
        if chart.percent:
            _try(lambda: made.value_axis.set(minimum_scale=0, maximum_scale=1, major_unit=0.25,
                                             number_format="0%"))
        if chart.kind == "bar":  # the first label (the worst office) on top
            _try(lambda: made.category_axis.set(reverse_order=True))
        colour = "line_color" if chart.kind == "line" else "fill_color"
        _try(lambda: [setattr(s, colour, c) for s, c in zip(made.series, chart.colours)])
        if chart.kind != "line" and chart.percent:  # each bar's figure, as in the recap file (COM only)
            _try(lambda: [self._com_data_labels(s.api) for s in made.series])
        # Plot the source even when its columns are hidden: Excel's PlotVisibleOnly (Windows COM, Mac AppleScript).
        if self.platform.startswith("win"):
            return _try(lambda: setattr(made.api[1], "PlotVisibleOnly", False))
        if self.platform == "darwin":
            return _try(lambda: made.api[1].plot_visible_only.set(False))
        return False

    @staticmethod
    def _com_data_labels(series) -> None:
        series.HasDataLabels = True
        series.DataLabels().NumberFormat = "0%"

    def fit_rows(self, sheet: str, area: Area) -> None:
        # Excel grows a wrapped row when a value is typed, not always when a macro writes a block.
        _try(lambda: self._range(sheet, area).rows.autofit())

    def hide_columns(self, sheet: str, first: int, last: int) -> None:
        ws = self.book.sheets[sheet]
        for column in range(first, last + 1):
            _try(lambda: setattr(ws.range((1, column)), "column_width", 0))  # width 0 is hidden, on every platform

    def message(self, text: str, error: bool = False) -> None:
        self.book.app.alert(text, title=TITLE, mode="critical" if error else "info")
