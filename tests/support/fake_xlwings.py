"""A recording stand-in for the part of xlwings' object model that `XlwingsPort` uses.

`xw.Book.caller()` needs a running Excel, so the tests give `XlwingsPort` this
`FakeBook` instead: sheets of cells that keep what Excel would keep (values go
through `excel_typing.typed`, so `=…` becomes a formula as in Excel), number
formats, fills, fonts, links, widths, the frozen row and the COM page set-up;
tables (`sheet.tables`), charts (`sheet.charts`) and colour scales
(`range.conditional_formats`, and the COM `FormatConditions`) as xlwings 0.37
offers them, with xlwings' own argument checks and Excel's refusals (a table
name taken anywhere in the book, a chart name taken on the sheet).
Every call is also appended to `book.calls`, for assertions about order.
Reading gives what xlwings gives: numbers as floats, a 2-D list with `ndim=2`.

`FakeBook(..., refuses={"tables", "charts", "conditional_formats"})` makes
those features raise, as an Excel (or platform) without them would.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from xlwings import ShapeAlreadyExists
from xlwings.main import (_chart_axis_scale, _chart_plot_by, _chart_type, _conditional_format_colors,
                          _conditional_format_threshold_type, _conditional_format_thresholds)

from tests.support.excel_typing import typed


@dataclass
class FakeCell:
    value: object = None
    kind: str = "blank"  # text | formula | number | value | blank
    number_format: str = "General"
    fill: Optional[str] = None
    font: dict = field(default_factory=dict)
    wrap: bool = False
    alignment: dict = field(default_factory=dict)  # horizontal / vertical
    link: Optional[tuple[str, str]] = None  # (address or "#subaddress", text shown)


class FakeApp:
    def __init__(self):
        self.alerts: list[tuple[str, str, str]] = []
        self.screen_updating = True

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.alerts.append((prompt, title, mode))


class FakeBook:
    def __init__(self, fullname: str, sheets: dict[str, list[list]] = None, *, windows: bool = True,
                 refuses: frozenset[str] = frozenset()):
        self.fullname = fullname
        self.app = FakeApp()
        self.calls: list[tuple] = []
        self.windows = windows  # whether the COM objects (`.api`) answer, as on Windows
        self.refuses = set(refuses)
        self.names: list[_Record] = []  # defined names (`book.names`): objects with `.name`
        self.sheets = FakeSheets(self)
        for name, rows in (sheets or {}).items():
            sheet = self.sheets.add(name)
            for r, row in enumerate(rows, 1):
                for c, value in enumerate(row, 1):
                    if value is not None:
                        sheet.cells[(r, c)] = FakeCell(value, "value" if not isinstance(value, str) else "text")
        self.calls.clear()


class FakeSheets:
    def __init__(self, book: FakeBook):
        self.book = book
        self._sheets: list[FakeSheet] = []

    def __iter__(self):
        return iter(list(self._sheets))

    def __len__(self):
        return len(self._sheets)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._sheets[key]
        for s in self._sheets:  # Excel finds sheets whatever the case
            if s.name.casefold() == key.casefold():
                return s
        raise KeyError(key)

    def add(self, name=None, before=None, after=None):
        if any(s.name.casefold() == name.casefold() for s in self._sheets):
            raise ValueError(f"sheet {name!r} exists")  # Excel refuses a duplicate name
        sheet = FakeSheet(self.book, name)
        at = self._sheets.index(after) + 1 if after is not None else len(self._sheets)
        self._sheets.insert(at, sheet)
        self.book.calls.append(("add_sheet", name))
        return sheet


class FakeSheet:
    def __init__(self, book: FakeBook, name: str):
        self.book, self.name = book, name
        self.cells: dict[tuple[int, int], FakeCell] = {}
        self.widths: dict[int, float] = {}
        self.frozen: Optional[str] = None
        self.page_setup = _Record()
        self.freeze_panes = _Freeze(self)
        self.rules: list[dict] = []  # conditional formats: {"area", "kind", …}
        self._tables = FakeTables(self)
        self._charts = FakeCharts(self)

    def _refused(self, feature: str) -> None:
        if feature in self.book.refuses:
            raise AttributeError(f"{feature} not available")

    @property
    def tables(self) -> "FakeTables":
        self._refused("tables")
        return self._tables

    @property
    def charts(self) -> "FakeCharts":
        self._refused("charts")
        return self._charts

    @property
    def api(self):
        if not self.book.windows:
            raise AttributeError("no COM object")
        return _Api(PageSetup=self.page_setup)

    def cell(self, r: int, c: int) -> FakeCell:
        return self.cells.setdefault((r, c), FakeCell())

    def range(self, first, last=None) -> "FakeRange":
        r1, c1 = _address(first)
        r2, c2 = _address(last) if last is not None else (r1, c1)
        return FakeRange(self, r1, c1, r2, c2)

    @property
    def used_range(self) -> "FakeRange":
        filled = [k for k, cell in self.cells.items() if cell.value is not None] or [(1, 1)]
        return self.range((1, 1), (max(r for r, _ in filled), max(c for _, c in filled)))

    def delete(self):
        self.book.sheets._sheets.remove(self)
        self.book.calls.append(("delete_sheet", self.name))


class FakeRange:
    def __init__(self, sheet: FakeSheet, r1, c1, r2, c2):
        self.sheet, self.area = sheet, (r1, c1, r2, c2)
        self.font = _Font(self)

    def _cells(self):
        r1, c1, r2, c2 = self.area
        return [self.sheet.cell(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]

    def _log(self, what, value):
        self.sheet.book.calls.append((what, self.sheet.name, self.area, value))

    @property
    def row(self):
        return self.area[0]

    @property
    def column(self):
        return self.area[1]

    @property
    def last_cell(self) -> "FakeRange":
        return FakeRange(self.sheet, self.area[2], self.area[3], self.area[2], self.area[3])

    @property
    def value(self):
        grid = self.options(ndim=2).value
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        return grid[0] if len(grid) == 1 else grid

    @value.setter
    def value(self, value):
        self._log("value", value)
        r1, c1, r2, c2 = self.area
        if isinstance(value, (list, tuple)):  # a block, from the top-left cell (xlwings expands it)
            rows = value if value and isinstance(value[0], (list, tuple)) else [value]
            for i, row in enumerate(rows):
                for j, v in enumerate(row):
                    cell = self.sheet.cell(r1 + i, c1 + j)
                    cell.value, cell.kind = typed(v, cell.number_format)
        else:
            for cell in self._cells():
                cell.value, cell.kind = typed(value, cell.number_format)

    def options(self, ndim=None, **_):
        return _Values(self)

    @property
    def number_format(self):
        return self._cells()[0].number_format

    @number_format.setter
    def number_format(self, fmt):
        self._log("number_format", fmt)
        for cell in self._cells():
            cell.number_format = fmt

    @property
    def color(self):
        return self._cells()[0].fill

    @color.setter
    def color(self, colour):
        self._log("color", colour)
        for cell in self._cells():
            cell.fill = colour

    @property
    def wrap_text(self):
        return self._cells()[0].wrap

    @wrap_text.setter
    def wrap_text(self, on):
        self._log("wrap_text", on)
        for cell in self._cells():
            cell.wrap = on

    @property
    def horizontal_alignment(self):
        return self._cells()[0].alignment.get("horizontal")

    @horizontal_alignment.setter
    def horizontal_alignment(self, value):
        assert value in ("general", "left", "center", "right", "fill", "justify", "center_across_selection",
                         "distributed")
        self._log("horizontal_alignment", value)
        for cell in self._cells():
            cell.alignment["horizontal"] = value

    @property
    def vertical_alignment(self):
        return self._cells()[0].alignment.get("vertical")

    @vertical_alignment.setter
    def vertical_alignment(self, value):
        assert value in ("top", "center", "bottom", "justify", "distributed")
        self._log("vertical_alignment", value)
        for cell in self._cells():
            cell.alignment["vertical"] = value

    @property
    def column_width(self):
        return self.sheet.widths.get(self.area[1])

    @column_width.setter
    def column_width(self, width):
        self._log("column_width", width)
        for c in range(self.area[1], self.area[3] + 1):
            self.sheet.widths[c] = width

    @property
    def rows(self) -> "_Rows":
        return _Rows(self)

    @property
    def api(self):
        if not self.sheet.book.windows:
            raise AttributeError("no COM object")
        return _RangeApi(self)

    @property
    def conditional_formats(self) -> "_ConditionalFormats":
        self.sheet._refused("conditional_formats")
        return _ConditionalFormats(self)

    def add_hyperlink(self, address, text_to_display=None, screen_tip=None):
        self._log("add_hyperlink", address)
        for cell in self._cells():
            cell.link = (address, text_to_display)
            cell.value, cell.kind = text_to_display, "text"


class _Rows:
    """`Range.rows`: only AutoFit is used."""

    def __init__(self, rng: FakeRange):
        self.rng = rng

    def autofit(self):
        self.rng._log("rows.autofit", None)


class _Values:
    def __init__(self, rng: FakeRange):
        self.rng = rng

    @property
    def value(self):
        r1, c1, r2, c2 = self.rng.area
        cells = self.rng.sheet.cells
        out = []
        for r in range(r1, r2 + 1):
            row = []
            for c in range(c1, c2 + 1):
                v = cells[(r, c)].value if (r, c) in cells else None
                row.append(float(v) if isinstance(v, int) and not isinstance(v, bool) else v)  # xlwings: floats
            out.append(row)
        return out


class _Font:
    def __init__(self, rng: FakeRange):
        object.__setattr__(self, "rng", rng)

    def __setattr__(self, name, value):
        self.rng._log("font." + name, value)
        for cell in self.rng._cells():
            cell.font[name] = value

    def __getattr__(self, name):
        return self.rng._cells()[0].font.get(name)


class _Record:
    """A COM object whose properties are simply remembered."""

    def __init__(self, **values):
        self.__dict__.update(values)


class _Api(_Record):
    pass


class _RangeApi:
    def __init__(self, rng: FakeRange):
        self.rng = rng
        self.Font = _ComFont(rng)
        self.Hyperlinks = _Hyperlinks(rng)
        self.FormatConditions = _FormatConditions(rng)


def _inside(inner, outer) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


class _ConditionalFormats:
    """`range.conditional_formats` (xlwings 0.37.5+): colour scales, and clearing."""

    def __init__(self, rng: FakeRange):
        self.rng = rng

    def add_color_scale(self, colors, *, thresholds=None, threshold_type="number"):
        colors = _conditional_format_colors(colors)  # xlwings' own checks: 2 or 3 colours, increasing thresholds
        threshold_type = _conditional_format_threshold_type(threshold_type)
        if thresholds is None:
            kinds = ("lowest", "highest") if len(colors) == 2 else ("lowest", "percentile", "highest")
            values = (None, None) if len(colors) == 2 else (None, 50, None)
        else:
            values = _conditional_format_thresholds(thresholds, count=len(colors), threshold_type=threshold_type)
            kinds = (threshold_type,) * len(colors)
        rule = {"area": self.rng.area, "kind": "color_scale",
                "points": [(k, v, "#%02X%02X%02X" % c) for k, v, c in zip(kinds, values, colors)]}
        self.rng.sheet.rules.append(rule)
        self.rng._log("conditional_formats.add_color_scale", rule["points"])
        return rule

    def clear(self):
        self.rng._log("conditional_formats.clear", None)
        self.rng.sheet.rules[:] = [r for r in self.rng.sheet.rules if not _inside(r["area"], self.rng.area)]


_XL_CONDITION_KINDS = {0: "number", 1: "lowest", 2: "highest", 3: "percent", 5: "percentile"}


class _FormatConditions:
    """The COM `Range.FormatConditions` (Windows)."""

    def __init__(self, rng: FakeRange):
        self.rng = rng

    def AddColorScale(self, ColorScaleType):
        assert ColorScaleType in (2, 3)
        criteria = [_Criterion() for _ in range(ColorScaleType)]
        rule = {"area": self.rng.area, "kind": "color_scale", "criteria": criteria}
        self.rng.sheet.rules.append(rule)
        self.rng._log("api.FormatConditions.AddColorScale", ColorScaleType)
        return _ColorScale(criteria)

    def Delete(self):
        self.rng._log("api.FormatConditions.Delete", None)
        self.rng.sheet.rules[:] = [r for r in self.rng.sheet.rules if not _inside(r["area"], self.rng.area)]


class _Criterion:
    def __init__(self):
        self.Type, self.Value, self.FormatColor = None, None, _Record(Color=None)


class _ColorScale:
    def __init__(self, criteria):
        self._criteria = criteria

    def ColorScaleCriteria(self, index):  # 1-based, as in COM
        return self._criteria[index - 1]


def color_scale_points(rule: dict) -> list[tuple]:
    """A colour-scale rule's points as (kind, value, "#RRGGBB"), however it was made (xlwings API or COM)."""
    if "points" in rule:
        return list(rule["points"])
    out = []
    for c in rule["criteria"]:
        colour = c.FormatColor.Color
        out.append((_XL_CONDITION_KINDS[c.Type], c.Value,
                    "#%02X%02X%02X" % (colour & 0xFF, (colour >> 8) & 0xFF, (colour >> 16) & 0xFF)))
    return out


class FakeTable:
    def __init__(self, sheet: FakeSheet, rng: FakeRange, name: str, style: str, has_headers: bool):
        self.sheet, self.range, self.name, self.table_style = sheet, rng, name, style
        self.has_headers = has_headers
        self.show_autofilter = True
        self.show_table_style_row_stripes = True  # Excel's default

    def delete(self):
        self.sheet.book.calls.append(("table.delete", self.sheet.name, self.name))
        self.sheet._tables._items.remove(self)


class FakeTables:
    """`sheet.tables` (xlwings 0.21+)."""

    def __init__(self, sheet: FakeSheet):
        self.sheet, self._items = sheet, []

    def __iter__(self):
        return iter(list(self._items))

    def __len__(self):
        return len(self._items)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._items[key]
        return next(t for t in self._items if t.name.casefold() == key.casefold())

    def add(self, source=None, name=None, source_type=None, link_source=None, has_headers=True, destination=None,
            table_style_name="TableStyleMedium2"):
        if not isinstance(source, FakeRange):
            raise TypeError("'source' must be a Range")
        book = self.sheet.book
        taken = {t.name.casefold() for s in book.sheets for t in s._tables} | {n.name.casefold() for n in book.names}
        if name is not None and name.casefold() in taken:
            raise ValueError(f"table name {name!r} is taken")  # Excel's COM error on a taken name
        for s in book.sheets:
            for t in s._tables:
                if t.sheet is self.sheet and not (t.range.area[2] < source.area[0] or source.area[2] < t.range.area[0]
                                                  or t.range.area[3] < source.area[1]
                                                  or source.area[3] < t.range.area[1]):
                    raise ValueError("a table cannot overlap another table")
        table = FakeTable(self.sheet, source, name or f"Table{len(taken) + 1}", table_style_name, has_headers)
        self._items.append(table)
        book.calls.append(("tables.add", self.sheet.name, source.area, table.name, table_style_name))
        return table


class _Legend:
    def __init__(self):
        self.visible, self.position = True, "right"


class _Axis:
    def __init__(self):
        self.settings: dict = {}

    def set(self, **kwargs):
        for key in ("minimum_scale", "maximum_scale"):
            if key in kwargs:
                _chart_axis_scale(kwargs[key], key)
        if "major_unit" in kwargs:
            _chart_axis_scale(kwargs["major_unit"], "major_unit", positive=True)
        self.settings.update(kwargs)


class _Series:
    def __init__(self, name: str, values: FakeRange):
        self.name, self.values = name, values
        self.fill_color = self.line_color = None


class FakeChart:
    def __init__(self, sheet: FakeSheet, name: str, anchor, width, height, left, top):
        self.sheet, self.name = sheet, name
        self.anchor, self.width, self.height, self.left, self.top = anchor, width, height, left, top
        self._chart_type = None
        self.title = None
        self.source: Optional[FakeRange] = None
        self.plot_by = None
        self.legend = _Legend()
        self.value_axis, self.category_axis = _Axis(), _Axis()
        self.series: list[_Series] = []
        self._com = _Record(PlotVisibleOnly=True)  # Excel's default: hidden cells are not plotted

    @property
    def chart_type(self):
        return self._chart_type

    @chart_type.setter
    def chart_type(self, value):
        self._chart_type = _chart_type(value)  # xlwings refuses an unknown type

    def set_source_data(self, source, plot_by=None):
        if not isinstance(source, FakeRange):
            raise TypeError("source must be a Range")
        self.source, self.plot_by = source, None if plot_by is None else _chart_plot_by(plot_by)
        r1, c1, r2, c2 = source.area
        # By columns: the first column holds the labels, the header row the series names.
        self.series = [_Series(source.sheet.cell(r1, c).value, source.sheet.range((r1 + 1, c), (r2, c)))
                       for c in range(c1 + 1, c2 + 1)]
        self.sheet.book.calls.append(("chart.set_source_data", self.sheet.name, self.name, source.area))

    @property
    def api(self):
        if not self.sheet.book.windows:
            raise AttributeError("no COM object")
        return _Record(Name=self.name), self._com

    def delete(self):
        self.sheet.book.calls.append(("chart.delete", self.sheet.name, self.name))
        self.sheet._charts._items.remove(self)


class FakeCharts:
    """`sheet.charts` (xlwings 0.37.3+ for `chart_type`, `source`, `name` and `anchor` in `add`)."""

    def __init__(self, sheet: FakeSheet):
        self.sheet, self._items = sheet, []

    def __iter__(self):
        return iter(list(self._items))

    def __len__(self):
        return len(self._items)

    def __contains__(self, name):
        return any(c.name == name for c in self._items)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._items[key]
        return next(c for c in self._items if c.name == key)

    def add(self, left=0, top=0, width=355, height=211, chart_type=None, source=None, plot_by=None, name=None,
            anchor=None, style=227):
        if anchor is not None and (top or left):
            raise ValueError("You must either provide 'anchor' or 'top'/'left', but not both.")
        if name and name in self:
            raise ShapeAlreadyExists(f"'{name}' is already present on {self.sheet.name}.")
        chart = FakeChart(self.sheet, name or f"Chart {len(self._items) + 1}",
                          _address(anchor) if anchor is not None else None, width, height, left, top)
        self._items.append(chart)
        self.sheet.book.calls.append(("charts.add", self.sheet.name, chart.name))
        if chart_type is not None:
            chart.chart_type = chart_type
        if source is not None:
            chart.set_source_data(source, plot_by)
        return chart


class _ComFont:
    def __init__(self, rng: FakeRange):
        object.__setattr__(self, "rng", rng)

    def __setattr__(self, name, value):
        self.rng._log("api.Font." + name, value)
        for cell in self.rng._cells():
            cell.font["api." + name] = value


class _Hyperlinks:
    def __init__(self, rng: FakeRange):
        self.rng = rng

    def Add(self, Anchor, Address, SubAddress=None, ScreenTip=None, TextToDisplay=None):
        self.rng._log("api.Hyperlinks.Add", SubAddress or Address)
        for cell in self.rng._cells():
            cell.link = ("#" + SubAddress if SubAddress else Address, TextToDisplay)
            cell.value, cell.kind = TextToDisplay, "text"


class _Freeze:
    def __init__(self, sheet: FakeSheet):
        self.sheet = sheet

    def freeze_at(self, where):
        self.sheet.book.calls.append(("freeze_at", self.sheet.name, where))
        self.sheet.frozen = where


def _address(ref) -> tuple[int, int]:
    if isinstance(ref, FakeRange):
        return ref.area[:2]
    if isinstance(ref, tuple):
        return ref
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref.upper())
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col
