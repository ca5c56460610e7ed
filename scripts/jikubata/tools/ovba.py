"""Write `xl/vbaProject.bin`: a source-only VBA project (MS-OVBA) in a compound file (MS-CFB).

MS-OVBA lets a writer store source only: the `_VBA_PROJECT` stream carries
version 0xFFFF and no performance cache, so Office compiles the source when
the workbook is opened. That is all we need, and it keeps the writer small
and the output byte-for-byte reproducible (no random GUIDs, seeds or clocks).

Public surface: `Module` (one VBA module as text), `vba_project(modules)`
(the bytes of vbaProject.bin), `module_from_file(path)` (a `.bas`/`.cls` as
exported by the VBA editor), and the two building blocks `compress` (MS-OVBA
2.4.1) and `compound_file` (MS-CFB version 3).
"""
from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

CODE_PAGE = 1252
ENCODING = "cp1252"

# ---------------------------------------------------------------- modules

STANDARD, CLASS, DOCUMENT = "standard", "class", "document"

# `VB_Base` of the three kinds of class-like modules Excel writes.
_BASE_WORKBOOK = "0{00020819-0000-0000-C000-000000000046}"
_BASE_WORKSHEET = "0{00020820-0000-0000-C000-000000000046}"
_BASE_CLASS = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"


@dataclass(frozen=True)
class Module:
    """One VBA module: its name, kind (standard | class | document) and code without attributes."""

    name: str
    kind: str
    code: str = ""
    attributes: tuple[tuple[str, str], ...] = ()  # extra `Attribute` lines, e.g. VB_Description
    base: str = ""  # VB_Base of a document module (workbook or worksheet)

    @classmethod
    def workbook(cls, name: str = "ThisWorkbook", code: str = "") -> "Module":
        return cls(name, DOCUMENT, code, base=_BASE_WORKBOOK)

    @classmethod
    def worksheet(cls, name: str, code: str = "") -> "Module":
        return cls(name, DOCUMENT, code, base=_BASE_WORKSHEET)

    @property
    def description(self) -> str:
        for key, value in self.attributes:
            if key == "VB_Description":
                return _unquote(value)
        return ""

    def source(self) -> str:
        """The module's text as the VBA editor stores it: attribute lines, then code, CRLF line ends."""
        lines = [f'Attribute VB_Name = "{self.name}"']
        if self.kind == DOCUMENT:
            lines += [f'Attribute VB_Base = "{self.base}"', "Attribute VB_GlobalNameSpace = False",
                      "Attribute VB_Creatable = False", "Attribute VB_PredeclaredId = True",
                      "Attribute VB_Exposed = True", "Attribute VB_TemplateDerived = False",
                      "Attribute VB_Customizable = True"]
        elif self.kind == CLASS:
            exposed = dict(self.attributes).get("VB_Exposed", "False")
            lines += [f'Attribute VB_Base = "{_BASE_CLASS}"', "Attribute VB_GlobalNameSpace = False",
                      "Attribute VB_Creatable = False", "Attribute VB_PredeclaredId = False",
                      f"Attribute VB_Exposed = {exposed}", "Attribute VB_TemplateDerived = False",
                      "Attribute VB_Customizable = False"]
        lines += [f"Attribute {k} = {v}" for k, v in self.attributes if k not in _CLASS_HEADER_KEYS]
        text = "\r\n".join(lines) + "\r\n" + _crlf(self.code)
        return text


_CLASS_HEADER_KEYS = {"VB_Name", "VB_Base", "VB_GlobalNameSpace", "VB_Creatable", "VB_PredeclaredId",
                      "VB_Exposed", "VB_TemplateDerived", "VB_Customizable"}
_ATTRIBUTE = re.compile(r"^Attribute\s+(\w+)\s*=\s*(.*)$")


def _crlf(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text and not text.endswith("\n"):
        text += "\n"
    return text.replace("\n", "\r\n")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1].replace('""', '"')
    return value.replace("\\r", "\r").replace("\\n", "\n")


def module_from_file(path: Path | str) -> Module:
    """Read a `.bas` (standard module) or `.cls` (class module) exported by the VBA editor."""
    path = Path(path)
    text = path.read_bytes().decode(ENCODING).replace("\r\n", "\n")
    lines = text.split("\n")
    kind = CLASS if path.suffix.lower() == ".cls" else STANDARD
    if kind == CLASS and lines and lines[0].startswith("VERSION "):
        end = lines.index("END")  # the `BEGIN … END` block of an exported class
        lines = lines[end + 1:]
    name, attributes = path.stem, []
    while lines and (m := _ATTRIBUTE.match(lines[0])):
        key, value = m.group(1), m.group(2).strip()
        if key == "VB_Name":
            name = _unquote(value)
        else:
            attributes.append((key, value))
        lines.pop(0)
    return Module(name, kind, "\n".join(lines), tuple(attributes))


# ---------------------------------------------------------------- MS-OVBA 2.4.1 compression

_CHUNK = 4096
_MAX_CANDIDATES = 256  # a bounded search still yields valid, deterministic tokens


def compress(data: bytes) -> bytes:
    """A CompressedContainer (signature byte 0x01, then one chunk per 4096 bytes)."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), _CHUNK):
        out += _compress_chunk(data[start:start + _CHUNK])
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    n = len(chunk)
    body = bytearray()
    seen: dict[bytes, list[int]] = {}
    pos = 0

    def remember(upto: int) -> None:
        nonlocal indexed
        while indexed < upto:
            if indexed + 3 <= n:
                seen.setdefault(chunk[indexed:indexed + 3], []).append(indexed)
            indexed += 1

    indexed = 0
    while pos < n:
        flag_at = len(body)
        body.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            remember(pos)
            best_len, best_off = 0, 0
            if pos + 3 <= n:
                bit_count = max(4, (pos - 1).bit_length())
                max_len = (0xFFFF >> bit_count) + 3
                limit = min(max_len, n - pos)
                for cand in reversed(seen.get(chunk[pos:pos + 3], [])[-_MAX_CANDIDATES:]):
                    length = 3
                    while length < limit and chunk[cand + length] == chunk[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, pos - cand
                        if length == limit:
                            break
            if best_len >= 3:
                bit_count = max(4, (pos - 1).bit_length())
                body += struct.pack("<H", ((best_off - 1) << (16 - bit_count)) | (best_len - 3))
                flags |= 1 << bit
                pos += best_len
            else:
                body.append(chunk[pos])
                pos += 1
        body[flag_at] = flags
    if len(body) > _CHUNK:
        # Incompressible: a raw chunk holds exactly 4096 bytes (only a full chunk can get here).
        if n != _CHUNK:
            raise ValueError("incompressible partial chunk")
        return struct.pack("<H", 0x3000 | (_CHUNK - 1)) + chunk
    return struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + bytes(body)


# ---------------------------------------------------------------- MS-OVBA 2.4.3 data encryption


def encrypt(data: bytes, project_id: str, seed: int = 0x8D) -> str:
    """Hex text of the `CMG`/`DPB`/`GC` values of the PROJECT stream.

    The seed is fixed so that a build is reproducible; MS-OVBA lets it be any byte.
    """
    version = 2
    proj_key = sum(project_id.encode(ENCODING)) & 0xFF
    out = [seed, seed ^ version, seed ^ proj_key]
    unencrypted1, encrypted1, encrypted2 = proj_key, seed ^ proj_key, seed ^ version
    payload = bytes((seed & 6) // 2) + struct.pack("<I", len(data)) + data
    for byte in payload:
        enc = byte ^ ((encrypted2 + unencrypted1) & 0xFF)
        out.append(enc)
        encrypted2, encrypted1, unencrypted1 = encrypted1, enc, byte
    return bytes(out).hex().upper()


# ---------------------------------------------------------------- MS-OVBA streams

# The references Excel gives every new project (VBA and Excel itself are implicit).
_REFERENCES = (
    ("stdole", "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\\Windows\\System32\\stdole2.tlb#OLE Automation"),
    ("Office", "*\\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\\Program Files\\Common Files\\"
               "Microsoft Shared\\OFFICE16\\MSO.DLL#Microsoft Office 16.0 Object Library"),
)
_PROJECT_NAME = "VBAProject"


def _record(rid: int, data: bytes = b"") -> bytes:
    return struct.pack("<HI", rid, len(data)) + data


def _text_records(rid: int, rid_unicode: int, text: str) -> bytes:
    return _record(rid, text.encode(ENCODING)) + _record(rid_unicode, text.encode("utf-16-le"))


def _dir_stream(modules: list[Module]) -> bytes:
    d = bytearray()
    d += _record(0x0001, struct.pack("<I", 3))            # PROJECTSYSKIND: 64-bit Windows
    d += _record(0x0002, struct.pack("<I", 0x0409))       # PROJECTLCID
    d += _record(0x0014, struct.pack("<I", 0x0409))       # PROJECTLCIDINVOKE
    d += _record(0x0003, struct.pack("<H", CODE_PAGE))    # PROJECTCODEPAGE
    d += _record(0x0004, _PROJECT_NAME.encode(ENCODING))  # PROJECTNAME
    d += _text_records(0x0005, 0x0040, "")                # PROJECTDOCSTRING
    d += _text_records(0x0006, 0x003D, "")                # PROJECTHELPFILEPATH
    d += _record(0x0007, struct.pack("<I", 0))            # PROJECTHELPCONTEXT
    d += _record(0x0008, struct.pack("<I", 0))            # PROJECTLIBFLAGS
    d += struct.pack("<HIIH", 0x0009, 4, 1, 0)            # PROJECTVERSION (major 1, minor 0)
    d += _text_records(0x000C, 0x003C, "")                # PROJECTCONSTANTS
    for name, libid in _REFERENCES:
        d += _text_records(0x0016, 0x003E, name)          # REFERENCENAME
        lib = libid.encode(ENCODING)
        d += _record(0x000D, struct.pack("<I", len(lib)) + lib + struct.pack("<IH", 0, 0))  # REFERENCEREGISTERED
    d += _record(0x000F, struct.pack("<H", len(modules)))  # PROJECTMODULES
    d += _record(0x0013, struct.pack("<H", 0xFFFF))        # PROJECTCOOKIE
    for m in modules:
        d += _text_records(0x0019, 0x0047, m.name)         # MODULENAME, MODULENAMEUNICODE
        d += _text_records(0x001A, 0x0032, m.name)         # MODULESTREAMNAME
        d += _text_records(0x001C, 0x0048, m.description)  # MODULEDOCSTRING
        d += _record(0x0031, struct.pack("<I", 0))         # MODULEOFFSET: no performance cache
        d += _record(0x001E, struct.pack("<I", 0))         # MODULEHELPCONTEXT
        d += _record(0x002C, struct.pack("<H", 0xFFFF))    # MODULECOOKIE
        d += _record(0x0021 if m.kind == STANDARD else 0x0022)  # MODULETYPE
        d += _record(0x002B)                               # terminator
    d += _record(0x0010)                                   # dir terminator
    return bytes(d)


_NO_PROTECTION = bytes(4)  # ProjectProtectionState: nothing locked
_NO_PASSWORD = b"\x00"     # ProjectPassword: none
_VISIBLE = b"\xff"         # ProjectVisibilityState: the project is visible


def _project_stream(modules: list[Module], project_id: str) -> bytes:
    lines = [f'ID="{project_id}"']
    for m in modules:
        lines.append({DOCUMENT: f"Document={m.name}/&H00000000", STANDARD: f"Module={m.name}",
                      CLASS: f"Class={m.name}"}[m.kind])
    lines += [f'Name="{_PROJECT_NAME}"', 'HelpContextID="0"', 'VersionCompatible32="393222000"',
              f'CMG="{encrypt(_NO_PROTECTION, project_id)}"',
              f'DPB="{encrypt(_NO_PASSWORD, project_id)}"',
              f'GC="{encrypt(_VISIBLE, project_id)}"',
              "", "[Host Extender Info]",
              "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
              "", "[Workspace]"]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return ("\r\n".join(lines) + "\r\n").encode(ENCODING)


def _project_wm(modules: list[Module]) -> bytes:
    out = bytearray()
    for m in modules:
        out += m.name.encode(ENCODING) + b"\x00" + m.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


def vba_project(modules: list[Module], project_id: str = "{9E394C0B-697E-4AEE-9FA6-446F51FB30DC}") -> bytes:
    """The bytes of a source-only `vbaProject.bin` holding `modules` (document modules first)."""
    names = [m.name.casefold() for m in modules]
    if len(set(names)) != len(names):
        raise ValueError("module names must be unique")
    streams = {
        "PROJECT": _project_stream(modules, project_id),
        "PROJECTwm": _project_wm(modules),
        "VBA/_VBA_PROJECT": bytes([0xCC, 0x61, 0xFF, 0xFF, 0x00, 0x01, 0x00]),
        "VBA/dir": compress(_dir_stream(modules)),
    }
    for m in modules:
        streams[f"VBA/{m.name}"] = compress(m.source().encode(ENCODING))
    return compound_file(streams)


# ---------------------------------------------------------------- MS-CFB (version 3, 512-byte sectors)

_SECTOR = 512
_MINI = 64
_MINI_CUTOFF = 4096
_FREE, _END, _FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_NOSTREAM = 0xFFFFFFFF


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: Optional[list] = None
    left: int = _NOSTREAM
    right: int = _NOSTREAM
    child: int = _NOSTREAM
    start: int = _END
    size: int = 0


def _name_key(name: str) -> tuple:
    """MS-CFB sibling order: shorter names first, then by upper-cased UTF-16 code units."""
    return (len(name), name.upper().encode("utf-16-le"))


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An MS-CFB file holding `streams` (paths with `/` between storages)."""
    root = _Entry("Root Entry", 5, children=[])
    storages = {"": root}
    for path in streams:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            key = "/".join(parts[:depth])
            if key not in storages:
                storages[key] = _Entry(parts[depth - 1], 1, children=[])
                storages["/".join(parts[:depth - 1])].children.append(storages[key])
        storages["/".join(parts[:-1])].children.append(_Entry(parts[-1], 2, data=streams[path]))

    entries: list[_Entry] = []

    def number(entry: _Entry) -> None:
        entries.append(entry)
        for c in entry.children or []:
            number(c)

    number(root)
    index = {id(e): i for i, e in enumerate(entries)}

    def tree(items: list[_Entry]) -> int:
        """A balanced binary search tree of siblings; every node black (MS-CFB allows it)."""
        if not items:
            return _NOSTREAM
        mid = len(items) // 2
        node = items[mid]
        node.left, node.right = tree(items[:mid]), tree(items[mid + 1:])
        return index[id(node)]

    for e in entries:
        if e.children is not None:
            e.child = tree(sorted(e.children, key=lambda c: _name_key(c.name)))

    # Small streams live in the mini stream (64-byte sectors), large ones in regular sectors.
    mini_stream, mini_fat = bytearray(), []
    large = []
    for e in entries:
        if e.kind != 2:
            continue
        e.size = len(e.data)
        if e.size == 0:
            e.start = _END
        elif e.size < _MINI_CUTOFF:
            count = -(-e.size // _MINI)
            e.start = len(mini_fat)
            mini_fat += [len(mini_fat) + i + 1 for i in range(count - 1)] + [_END]
            mini_stream += e.data + bytes(count * _MINI - e.size)
        else:
            large.append(e)

    def sectors(n_bytes: int) -> int:
        return -(-n_bytes // _SECTOR)

    dir_sectors = sectors(len(entries) * 128)
    minifat_sectors = sectors(len(mini_fat) * 4)
    ministream_sectors = sectors(len(mini_stream))
    large_sectors = sum(sectors(e.size) for e in large)
    fat_sectors = 1
    while True:
        total = fat_sectors + dir_sectors + minifat_sectors + ministream_sectors + large_sectors
        if sectors(total * 4) <= fat_sectors:
            break
        fat_sectors += 1
    if fat_sectors > 109:
        raise ValueError("compound file too large for a header-only DIFAT")

    fat = [_FATSECT] * fat_sectors
    body = bytearray()

    def place(data: bytes) -> int:
        """Append data as a sector chain; return its first sector (or END for nothing)."""
        count = sectors(len(data))
        if not count:
            return _END
        first = len(fat)
        fat.extend(first + i + 1 for i in range(count - 1))
        fat.append(_END)
        body.extend(data + bytes(count * _SECTOR - len(data)))
        return first

    dir_start_placeholder = len(fat)
    fat.extend(dir_start_placeholder + i + 1 for i in range(dir_sectors - 1))
    fat.append(_END)
    dir_offset = len(body)
    body.extend(bytes(dir_sectors * _SECTOR))
    minifat_bytes = b"".join(struct.pack("<I", x) for x in mini_fat)
    minifat_bytes += struct.pack("<I", _FREE) * ((-len(mini_fat)) % (_SECTOR // 4))
    minifat_start = place(minifat_bytes)
    root.start = place(bytes(mini_stream))
    root.size = len(mini_stream)
    for e in large:
        e.start = place(e.data)

    directory = bytearray()
    for e in entries:
        directory += _dir_entry(e)
    while len(directory) < dir_sectors * _SECTOR:
        directory += _dir_entry(_Entry("", 0))
    body[dir_offset:dir_offset + len(directory)] = directory

    fat += [_FREE] * (fat_sectors * (_SECTOR // 4) - len(fat))
    fat_bytes = b"".join(struct.pack("<I", x) for x in fat)

    header = bytearray()
    header += bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16)
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIII", 0, fat_sectors, dir_start_placeholder, 0, _MINI_CUTOFF)
    header += struct.pack("<II", minifat_start, len(minifat_bytes) // _SECTOR if mini_fat else 0)
    header += struct.pack("<II", _END, 0)
    difat = list(range(fat_sectors)) + [_FREE] * (109 - fat_sectors)
    header += b"".join(struct.pack("<I", x) for x in difat)
    assert len(header) == _SECTOR
    return bytes(header) + fat_bytes + bytes(body)


def _dir_entry(e: _Entry) -> bytes:
    name = e.name.encode("utf-16-le")
    if len(name) > 62:
        raise ValueError(f"name too long for a compound file: {e.name}")
    name_field = name + b"\x00\x00" if e.kind else b""
    out = name_field + bytes(64 - len(name_field))
    out += struct.pack("<HBB", len(name_field), e.kind, 1 if e.kind else 0)
    out += struct.pack("<III", e.left, e.right, e.child)
    out += bytes(16) + struct.pack("<I", 0) + bytes(16)  # CLSID, state bits, times
    out += struct.pack("<IQ", e.start if e.kind in (2, 5) else 0, e.size)
    assert len(out) == 128
    return out
