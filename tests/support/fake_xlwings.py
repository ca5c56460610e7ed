"""A recording stand-in for the part of xlwings' object model that `XlwingsPort` uses.

`xw.Book.caller()` needs a running Excel, so the tests give `XlwingsPort` this
`FakeBook` instead: sheets of cells that keep what Excel would keep (values go
through `excel_typing.typed`, so `=…` becomes a formula as in Excel), number
formats, fills, fonts, links, widths, the frozen row and the COM page set-up.
Every call is also appended to `book.calls`, for assertions about order.
Reading gives what xlwings gives: numbers as floats, a 2-D list with `ndim=2`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from tests.support.excel_typing import typed


@dataclass
class FakeCell:
    value: object = None
    kind: str = "blank"  # text | formula | number | value | blank
    number_format: str = "General"
    fill: Optional[str] = None
    font: dict = field(default_factory=dict)
    wrap: bool = False
    link: Optional[tuple[str, str]] = None  # (address or "#subaddress", text shown)


class FakeApp:
    def __init__(self):
        self.alerts: list[tuple[str, str, str]] = []
        self.screen_updating = True

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.alerts.append((prompt, title, mode))


class FakeBook:
    def __init__(self, fullname: str, sheets: dict[str, list[list]] = None, *, windows: bool = True):
        self.fullname = fullname
        self.app = FakeApp()
        self.calls: list[tuple] = []
        self.windows = windows  # whether the COM objects (`.api`) answer, as on Windows
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
    def column_width(self):
        return self.sheet.widths.get(self.area[1])

    @column_width.setter
    def column_width(self, width):
        self._log("column_width", width)
        for c in range(self.area[1], self.area[3] + 1):
            self.sheet.widths[c] = width

    @property
    def api(self):
        if not self.sheet.book.windows:
            raise AttributeError("no COM object")
        return _RangeApi(self)

    def add_hyperlink(self, address, text_to_display=None, screen_tip=None):
        self._log("add_hyperlink", address)
        for cell in self._cells():
            cell.link = (address, text_to_display)
            cell.value, cell.kind = text_to_display, "text"


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
