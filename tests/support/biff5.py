"""A minimal Excel 5.0/95 (BIFF5) workbook writer, for tests: no library here writes the format
(LibreOffice only imports it; xlwt writes BIFF8).

The file is a compound file (512-byte sectors, one `Book` stream) holding the
BIFF5 records a reader needs: BOF/EOF, CODEPAGE, DATEMODE, FONT, XF (cell
style 15 general, 16 a date), BOUNDSHEET, DIMENSIONS, LABEL (cp1252 text) and
NUMBER cells. Dates are serial numbers (1900 system) in a date-formatted XF.
LibreOffice opens these files (the tests check it reads back the same cells).
"""
from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path

SECTOR = 512
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
XF_GENERAL, XF_DATE = 15, 16


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHH", 0x0500, kind, 0x0DBB, 0x07CC))


def _globals(sheet_names: list[str], offsets: list[int]) -> bytes:
    out = [_bof(0x0005), _record(0x0042, struct.pack("<H", 1252)), _record(0x0022, struct.pack("<H", 0))]
    font = struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + bytes([5]) + b"Arial"
    out += [_record(0x0031, font)] * 4  # font 4 is never used: BIFF skips that index
    for index in range(XF_DATE + 1):  # 15 style XFs, then cell XFs: 15 general, 16 a date (built-in format 14)
        kind = 0xFFF5 if index < XF_GENERAL else 0x0001  # style (parent 0xFFF) or cell (parent 0), locked
        out.append(_record(0x00E0, struct.pack("<HHHHHHHH", 0, 14 if index == XF_DATE else 0, kind, 0x0020,
                                               0, 0, 0, 0)))
    for name, offset in zip(sheet_names, offsets):
        encoded = name.encode("cp1252")
        out.append(_record(0x0085, struct.pack("<IHB", offset, 0, len(encoded)) + encoded))
    out.append(_record(0x000A, b""))
    return b"".join(out)


def _sheet(rows: list[list]) -> bytes:
    width = max((len(r) for r in rows), default=0)
    out = [_bof(0x0010), _record(0x0200, struct.pack("<HHHHH", 0, len(rows), 0, width, 0))]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                serial = (value - dt.date(1899, 12, 30)).days
                out.append(_record(0x0203, struct.pack("<HHHd", i, j, XF_DATE, float(serial))))
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                out.append(_record(0x0203, struct.pack("<HHHd", i, j, XF_GENERAL, float(value))))
            else:
                text = str(value).encode("cp1252")[:255]
                out.append(_record(0x0204, struct.pack("<HHHH", i, j, XF_GENERAL, len(text)) + text))
    out.append(_record(0x000A, b""))
    return b"".join(out)


def book_stream(sheets: dict[str, list[list]]) -> bytes:
    names = list(sheets)
    bodies = [_sheet(rows) for rows in sheets.values()]
    size = len(_globals(names, [0] * len(names)))
    offsets, at = [], size
    for body in bodies:
        offsets.append(at)
        at += len(body)
    return _globals(names, offsets) + b"".join(bodies)


def compound_file(stream_name: str, stream: bytes) -> bytes:
    """A version 3 compound file holding one stream (padded to 4096 bytes: no mini stream)."""
    stream = stream + b"\0" * max(0, 4096 - len(stream))
    data_sectors = -(-len(stream) // SECTOR)
    fat_at, dir_at = data_sectors, data_sectors + 1
    if dir_at + 1 > SECTOR // 4:
        raise ValueError("lembar terlalu besar untuk penulis uji ini")
    fat = [i + 1 for i in range(data_sectors - 1)] + [END, FAT_SECTOR, END]
    fat += [FREE] * (SECTOR // 4 - len(fat))

    def entry(name: str, kind: int, child: int, start: int, length: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0" if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1 if name else 0, NO_STREAM,
                                                       NO_STREAM, child)
                + b"\0" * 16 + struct.pack("<I", 0) + b"\0" * 16 + struct.pack("<IQ", start, length))

    directory = (entry("Root Entry", 5, 1, END, 0) + entry(stream_name, 2, NO_STREAM, 0, len(stream))
                 + entry("", 0, NO_STREAM, 0, 0) * 2)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, dir_at, 0, 4096, END, 0, END, 0)
              + struct.pack("<I", fat_at) + struct.pack("<I", FREE) * 108)
    assert len(header) == SECTOR
    body = stream.ljust(data_sectors * SECTOR, b"\0")
    return header + body + struct.pack(f"<{SECTOR // 4}I", *fat) + directory


def write_biff5(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Write `sheets` (name -> rows from A1) as an Excel 5.0/95 workbook."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(compound_file("Book", book_stream(sheets)))
    return path
