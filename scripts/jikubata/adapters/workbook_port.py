"""The open workbook, as the button actions see it: a small port with two implementations.

`buttons` talks only to a `WorkbookPort`: read every sheet as rows, write a
result sheet, read or write one cell, show a message. `excel.XlwingsPort`
implements it over the live Excel workbook; `OpenpyxlPort` implements it over
an `.xlsm` file, so the tests can fill a copy of `JikuBata.xlsm`, "press a
button" and read the result sheets back, with no Excel on the machine.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Protocol

from jikubata.adapters.summary import NUMBER_FORMATS, STATUS_COLOURS

# How a column is shown (the kinds of summary.SheetTable, plus `link`).
TEXT_KINDS = ("text", "longtext", "status", "link")
HEADER_FILL, HEADER_FONT = "#1F3864", "#FFFFFF"
TITLE_FONT = "#1F3864"


@dataclass
class OutputSheet:
    """A result sheet as plain values: title lines, a header row, rows, and how to show them.

    `links[(i, j)]` makes cell j of row i a hyperlink: `#'Sheet'!B12` jumps
    inside the workbook, anything else is a file path. `row_fills[i]` colours
    a whole row (e.g. the ASN who are short).
    """

    name: str
    title: list[str]
    header: list[str]
    kinds: list[str]
    rows: list[list]
    total: Optional[list] = None
    links: dict = field(default_factory=dict)
    row_fills: dict = field(default_factory=dict)
    widths: Optional[list[float]] = None
    empty_text: str = ""

    @property
    def header_row(self) -> int:
        """1-based row of the header (title lines, then one blank row)."""
        return len(self.title) + 2 if self.title else 1

    def column_widths(self) -> list[float]:
        if self.widths:
            return self.widths
        caps = {"longtext": 60, "text": 40, "link": 14, "status": 14, "rupiah": 16, "count": 10, "percent": 11}
        out = []
        for j, header in enumerate(self.header):
            longest = max([len(str(header))] + [len(_display(r[j])) for r in self.rows[:500] if j < len(r)])
            out.append(float(min(max(longest + 2, 8), caps.get(self.kinds[j], 40))))
        return out


def _display(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"Rp{value:,}"
    return "" if value is None else str(value)


def status_colours(value) -> Optional[tuple[str, str]]:
    return STATUS_COLOURS.get(value) if isinstance(value, str) else None


def number_format(kind: str) -> Optional[str]:
    if kind in TEXT_KINDS:
        return "@"
    return NUMBER_FORMATS.get(kind)


class WorkbookPort(Protocol):
    """What the button actions need from an open workbook."""

    @property
    def path(self) -> Path: ...  # the workbook file (its folder receives the output files)

    def read_sheets(self, wanted: Callable[[str], bool]) -> dict[str, list[list]]: ...  # rows from A1

    def sheet_names(self) -> list[str]: ...

    def write_sheet(self, sheet: OutputSheet) -> None: ...  # replaces a sheet of the same name

    def delete_sheet(self, name: str) -> None: ...

    def read_cell(self, sheet: str, cell: str): ...

    def write_cell(self, sheet: str, cell: str, value) -> None: ...

    def message(self, text: str, error: bool = False) -> None: ...


def find_sheet(names: list[str], wanted: str) -> Optional[str]:
    """The workbook's spelling of a sheet name, matched case-insensitively."""
    key = wanted.strip().casefold()
    return next((n for n in names if n.strip().casefold() == key), None)


def location(sheet: str, cell: str) -> str:
    """`'Sheet'!B12` — a place inside the workbook, quoted the way Excel quotes sheet names."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


# ---------------------------------------------------------------- openpyxl (tests, and files on disk)


class OpenpyxlPort:
    """The port over an `.xlsm` on disk, opened with openpyxl (VBA kept); `save()` writes it back."""

    def __init__(self, path: Path | str):
        import openpyxl

        self._path = Path(path)
        self.book = openpyxl.load_workbook(self._path, keep_vba=True)
        self.messages: list[tuple[str, bool]] = []

    @property
    def path(self) -> Path:
        return self._path

    def sheet_names(self) -> list[str]:
        return list(self.book.sheetnames)

    def read_sheets(self, wanted: Callable[[str], bool] = lambda name: True) -> dict[str, list[list]]:
        out = {}
        for ws in self.book.worksheets:
            if not wanted(ws.title):
                continue
            out[ws.title] = [list(row) for row in ws.iter_rows(min_row=1, min_col=1, values_only=True)]
        return out

    def read_cell(self, sheet: str, cell: str):
        name = find_sheet(self.sheet_names(), sheet)
        return self.book[name][cell].value if name else None

    def write_cell(self, sheet: str, cell: str, value) -> None:
        name = find_sheet(self.sheet_names(), sheet)
        if name:
            self.book[name][cell].value = value

    def delete_sheet(self, name: str) -> None:
        found = find_sheet(self.sheet_names(), name)
        if found:
            del self.book[found]

    def write_sheet(self, sheet: OutputSheet) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.hyperlink import Hyperlink

        self.delete_sheet(sheet.name)
        ws = self.book.create_sheet(sheet.name)
        for i, line in enumerate(sheet.title, 1):
            c = ws.cell(i, 1, line)
            c.data_type = "s"
            c.font = Font(bold=i == 1, size=14 if i == 1 else 11, color=TITLE_FONT[1:] if i == 1 else None)
        top = sheet.header_row
        for j, text in enumerate(sheet.header, 1):
            c = ws.cell(top, j, text)
            c.font = Font(bold=True, color=HEADER_FONT[1:])
            c.fill = PatternFill("solid", fgColor=HEADER_FILL[1:])
            c.alignment = Alignment(vertical="center", wrap_text=True)
        body = list(sheet.rows) + ([sheet.total] if sheet.total else [])
        if not sheet.rows and sheet.empty_text:
            ws.cell(top + 1, 1, sheet.empty_text).font = Font(italic=True)
        for i, row in enumerate(body):
            r = top + 1 + i
            fill = sheet.row_fills.get(i)
            for j, value in enumerate(row):
                kind = sheet.kinds[j]
                c = ws.cell(r, j + 1)
                c.value = value
                if isinstance(value, str):
                    c.data_type = "s"  # text stays text: `=…` never becomes a formula
                fmt = number_format(kind)
                if fmt and not isinstance(value, str):
                    c.number_format = fmt
                if kind == "longtext":
                    c.alignment = Alignment(wrap_text=True, vertical="top")
                colours = status_colours(value) if kind == "status" else None
                if colours:
                    c.fill = PatternFill("solid", fgColor=colours[0][1:])
                    c.font = Font(color=colours[1][1:], bold=True)
                elif fill:
                    c.fill = PatternFill("solid", fgColor=fill[1:])
                if sheet.total and i == len(body) - 1:
                    c.font = Font(bold=True)
                target = sheet.links.get((i, j))
                if target:
                    if target.startswith("#"):
                        c.hyperlink = Hyperlink(ref=c.coordinate, location=target[1:])
                    else:
                        c.hyperlink = Hyperlink(ref=c.coordinate, target=target)
                    c.font = Font(color="0563C1", underline="single")
        for j, width in enumerate(sheet.column_widths(), 1):
            ws.column_dimensions[get_column_letter(j)].width = width
        ws.freeze_panes = ws.cell(top + 1, 1)
        # Printed on landscape A4, one page wide, the header repeated on every page.
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{top}:{top}"

    def message(self, text: str, error: bool = False) -> None:
        self.messages.append((text, error))

    def save(self) -> None:
        self.book.save(self._path)
