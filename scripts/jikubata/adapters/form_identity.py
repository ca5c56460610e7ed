"""Recognising an entry form that comes back (README: Formulir isian OPD): whose and which month it is.

The forms (`forms` for the offices, `seller_forms` for the sellers) carry
their identity in custom document properties and again on a hidden sheet
(`Data Formulir`, for programs that drop those properties). This module holds
those names and reads them back; the reader uses it to tell a form from any
other workbook without importing the writer.
"""
from __future__ import annotations

import datetime as dt
import html
import os
import re
import zipfile
import zlib
from pathlib import Path
from typing import Optional

from jikubata.adapters import files
from jikubata.domain.model import FormIdentity, Period

SHEET_GUIDE = "Petunjuk"
SHEET_DATA = "Data Formulir"              # hidden: identity, staff and UMKM lists (not a sheet name we read)

# Custom document properties: the identity the reader trusts.
PROP_KIND, KIND = "JikuBata.Jenis", "Formulir Belanja Jiku Bata"
PROP_OFFICE = "JikuBata.OPD"
PROP_ABBREVIATION = "JikuBata.Singkatan"
PROP_PERIOD = "JikuBata.Periode"
PROP_VERSION = "JikuBata.VersiFormulir"
PROP_GENERATED = "JikuBata.DibuatPada"
# A seller's form (README: Rekonsiliasi, `seller_forms`): the same properties, with the UMKM instead of the OPD.
SALES_KIND, PROP_SELLER = "Formulir Penjualan Jiku Bata", "JikuBata.UMKM"
SALES_KIND_CODE = "penjualan"   # FormIdentity.kind of a seller's form
# The same, as labels on the hidden sheet (column A label, column B value).
IDENTITY_LABELS = ((PROP_KIND, "Jenis"), (PROP_OFFICE, "OPD"), (PROP_ABBREVIATION, "Singkatan"),
                   (PROP_PERIOD, "Periode"), (PROP_VERSION, "Versi Formulir"), (PROP_GENERATED, "Dibuat Pada"))
SALES_IDENTITY_LABELS = ((PROP_KIND, "Jenis"), (PROP_SELLER, "UMKM"), (PROP_PERIOD, "Periode"),
                         (PROP_VERSION, "Versi Formulir"), (PROP_GENERATED, "Dibuat Pada"))
_READ_LABELS = IDENTITY_LABELS + ((PROP_SELLER, "UMKM"),)
_KINDS = (KIND, SALES_KIND)


_PROPERTY = re.compile(rb"<(?:\w+:)?property\b([^>]*)>\s*<(?:\w+:)?\w+\s*>([^<]*)<", re.S)
_NAME = re.compile(rb"""\bname\s*=\s*(["'])(.*?)\1""", re.S)
# An .ods keeps custom properties in meta.xml: <meta:user-defined meta:name="…">value</meta:user-defined>
_ODS_PROPERTY = re.compile(rb"<(?:\w+:)?user-defined\b([^>]*?)(?:/>|>([^<]*)<)", re.S)
_DATA_SHEET = re.compile(rb"<(?:\w+:)?sheet\s[^>]*name\s*=\s*[\"']" + re.escape(SHEET_DATA.encode()) + rb"[\"']",
                         re.I)
_ODS_DATA_SHEET = re.compile(rb"<table:table\s[^>]*table:name\s*=\s*[\"']" + re.escape(SHEET_DATA.encode())
                             + rb"[\"']", re.I)
_SMALL_PART = 1 << 20
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def read_identity(path: os.PathLike | str, saved: Optional[dt.datetime] = None) -> Optional[FormIdentity]:
    """The identity of an entry form, or None for any other workbook (or one whose identity is unreadable).

    The custom document properties are read from `docProps/custom.xml` of an
    .xlsx/.xlsm, or `meta.xml` of an .ods (LibreOffice keeps them there when a
    form is saved in its own format; python-calamine reads neither); when a
    program dropped them, the same values on the hidden sheet are used.
    `saved` is the workbook's last-saved time when the reader already has it
    (`files.Workbook.saved_at`).
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            ods = "mimetype" in zf.NameToInfo and zf.read("mimetype")[:80].strip() == _ODS_MIMETYPE
            values = _ods_properties(zf) if ods else _custom_properties(zf)
            if values.get(PROP_KIND) not in _KINDS and _has_data_sheet(zf, ods):
                values = _identity_sheet(path)
            if saved is None:
                saved = files.ods_saved(_part(zf, "meta.xml")) if ods else files.ooxml_saved(_part(zf, "docProps/core.xml"))
        return _identity(path, values, files.saved_or_mtime(path, saved))
    except (OSError, zipfile.BadZipFile, zlib.error, ValueError, KeyError, EOFError, RuntimeError,
            NotImplementedError):
        return None


def identity_of(path: os.PathLike | str, book: files.Workbook) -> Optional[FormIdentity]:
    """The identity of an input file the reader has opened, whatever its format: the document properties
    of an .xlsx/.xlsm/.ods, else the hidden `Data Formulir` sheet among the sheets already read (a form
    re-saved as .xls, .xlsb… keeps that sheet, not the properties)."""
    path = Path(path)
    if book.kind in ("xlsx", "xlsm", "ods"):
        identity = read_identity(path, book.saved_at)
        if identity is not None:
            return identity
    sheet = next((s for s in book.sheets if s.name.strip().casefold() == SHEET_DATA.casefold()), None)
    if sheet is None:
        return None
    try:
        return _identity(path, _identity_rows(sheet.rows[:len(_READ_LABELS) + 2]), book.saved_at)
    except ValueError:
        return None


def _identity(path: Path, values: dict[str, str], saved: dt.datetime) -> Optional[FormIdentity]:
    kind = values.get(PROP_KIND)
    if kind not in _KINDS:
        return None
    period = Period.parse(values.get(PROP_PERIOD, ""))
    generated = _moment(values.get(PROP_GENERATED, ""))
    office = " ".join(values.get(PROP_SELLER if kind == SALES_KIND else PROP_OFFICE, "").split())
    if generated is None or not office:
        return None
    return FormIdentity(path.name, office, values.get(PROP_ABBREVIATION, "").strip(), period,
                        values.get(PROP_VERSION, "").strip(), generated, saved,
                        kind=SALES_KIND_CODE if kind == SALES_KIND else "belanja")


def _part(zf: zipfile.ZipFile, name: str) -> bytes:
    return zf.read(name) if _small(zf, name) else b""


def _has_data_sheet(zf: zipfile.ZipFile, ods: bool) -> bool:
    if ods:  # content.xml can be large: look for the sheet's name in its first megabyte only
        if "content.xml" not in zf.NameToInfo:
            return False
        with zf.open("content.xml") as f:
            return bool(_ODS_DATA_SHEET.search(f.read(_SMALL_PART)))
    return _small(zf, "xl/workbook.xml") and bool(_DATA_SHEET.search(zf.read("xl/workbook.xml")))


def _ods_properties(zf: zipfile.ZipFile) -> dict[str, str]:
    out = {}
    for attrs, value in _ODS_PROPERTY.findall(_part(zf, "meta.xml")):
        name = _NAME.search(attrs)
        if name:
            out[html.unescape(name.group(2).decode("utf-8", "replace"))] = \
                html.unescape(value.decode("utf-8", "replace")).strip()
    return out


def _small(zf: zipfile.ZipFile, name: str) -> bool:
    info = zf.NameToInfo.get(name)
    return info is not None and info.file_size <= _SMALL_PART


def _custom_properties(zf: zipfile.ZipFile) -> dict[str, str]:
    if not _small(zf, "docProps/custom.xml"):
        return {}
    out = {}
    for attrs, value in _PROPERTY.findall(zf.read("docProps/custom.xml")):
        name = _NAME.search(attrs)
        if name:
            out[html.unescape(name.group(2).decode("utf-8", "replace"))] = \
                html.unescape(value.decode("utf-8", "replace")).strip()
    return out


def _moment(text: str) -> Optional[dt.datetime]:
    """An ISO 8601 moment (`Z` or an offset; none means UTC, as in core properties)."""
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _identity_sheet(path: Path) -> dict[str, str]:
    """The identity rows of the hidden sheet (label in A, value in B)."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        try:
            name = next((n for n in wb.sheet_names if n.strip().casefold() == SHEET_DATA.casefold()), None)
            rows = wb.get_sheet_by_name(name).to_python(nrows=len(_READ_LABELS) + 2) if name else []
        finally:
            wb.close()
    except Exception:  # calamine's errors: an unreadable sheet is no identity
        return {}
    return _identity_rows(rows)


def _identity_rows(rows) -> dict[str, str]:
    """Label in one cell, its value in the next (columns A and B of the hidden sheet)."""
    labels = {label.casefold(): prop for prop, label in _READ_LABELS}
    out = {}
    for row in rows:
        for j, cell in enumerate(row[:-1]):
            if isinstance(cell, str) and cell.strip().casefold() in labels:
                value = row[j + 1]
                out[labels[cell.strip().casefold()]] = (value.isoformat() if isinstance(value, dt.datetime)
                                                        else str(value)).strip()
                break
    return out
