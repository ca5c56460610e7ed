"""Hostile input files against the readers: zip bombs, lying zip headers, billion laughs, huge sparse sheets.

Each file is built small on disk (the bombs by repeating one independently
compressed deflate block, so no gigabytes are ever written or held), then
`jikubata periksa` runs on it in a child process limited to 1 GiB of address
space (RLIMIT_AS) and a time bound. It must end with exit status 2 and one
clear Indonesian line (or exit 0 where the file is harmless), never a crash;
the child's peak RSS is measured with os.wait4.

    python -m stress.hostile_files [--keep DIR]

The builders are imported by tests/test_hostile_files.py.
"""
from __future__ import annotations

import argparse
import os
import struct
import signal
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional, Union

MEMORY_BOUND = 1 << 30          # bytes of address space the child may map
TIME_BOUND = 60.0               # seconds
MiB, GiB = 1 << 20, 1 << 30

# ---------------------------------------------------------------- a hand-written xlsx zip

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
CT_WB = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
REL_SHEET = NS_R + "/worksheet"
REL_SST = NS_R + "/sharedStrings"


@dataclass
class Bomb:
    """Entry content that is `prefix + chunk * repeat + suffix`, never materialised."""

    prefix: bytes
    chunk: bytes
    repeat: int
    suffix: bytes

    @property
    def size(self) -> int:
        return len(self.prefix) + len(self.chunk) * self.repeat + len(self.suffix)


Content = Union[bytes, str, Bomb]


def _deflate(content: Content) -> tuple[bytes, int, int]:
    """Raw deflate stream, crc32 and uncompressed size of `content`."""
    if isinstance(content, str):
        content = content.encode("utf-8")
    if isinstance(content, bytes):
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(content) + c.flush(), zlib.crc32(content), len(content)
    # A full flush resets the compressor's history, so every repetition of the
    # chunk compresses to the same bytes: compress it once, repeat the bytes.
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(content.prefix) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(content.chunk) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(content.chunk) + c.flush(zlib.Z_FULL_FLUSH)
    assert block == again, "deflate block is not repeatable"
    tail = c.compress(content.suffix) + c.flush()
    crc = zlib.crc32(content.prefix)
    # crc32 of the repeated middle: fold in 64 MiB pieces (cheap, no big buffer kept).
    piece_count = max(1, (64 * MiB) // max(1, len(content.chunk)))
    piece = content.chunk * min(piece_count, content.repeat)
    left = content.repeat
    while left >= piece_count and len(piece) == len(content.chunk) * piece_count:
        crc = zlib.crc32(piece, crc)
        left -= piece_count
    crc = zlib.crc32(content.chunk * left, crc)
    crc = zlib.crc32(content.suffix, crc)
    return head + block * (content.repeat - 1) + again + tail, crc, content.size


def write_zip(path: Path, entries: Iterable[tuple[str, Content]], *,
              declared_sizes: Optional[dict[str, int]] = None) -> Path:
    """A zip written by hand so a header may lie: `declared_sizes[name]` replaces the real uncompressed size
    in both the local header and the central directory (sizes must fit 32 bits: no zip64)."""
    declared_sizes = declared_sizes or {}
    central = []
    with open(path, "wb") as out:
        for name, content in entries:
            data, crc, size = _deflate(content)
            size = declared_sizes.get(name, size)
            assert size < 1 << 32 and len(data) < 1 << 32, "no zip64 here"
            raw_name = name.encode("utf-8")
            offset = out.tell()
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size,
                                  len(raw_name), 0) + raw_name)
            out.write(data)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data),
                                       size, len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name)
        start = out.tell()
        for record in central:
            out.write(record)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start,
                              start, 0))
    return path


def xlsx_entries(sheets: list[tuple[str, Content]], *, shared_strings: Optional[Content] = None,
                 hidden: Iterable[str] = ()) -> list[tuple[str, Content]]:
    """The parts of a minimal valid xlsx around the given sheet XML (and sharedStrings XML)."""
    hidden = set(hidden)
    overrides = [f'<Override PartName="/xl/workbook.xml" ContentType="{CT_WB}"/>']
    sheet_tags, rels, parts = [], [], []
    for i, (name, xml) in enumerate(sheets, 1):
        overrides.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CT_SHEET}"/>')
        state = ' state="hidden"' if name in hidden else ""
        sheet_tags.append(f'<sheet name="{_attr(name)}" sheetId="{i}"{state} r:id="rId{i}"/>')
        rels.append(f'<Relationship Id="rId{i}" Type="{REL_SHEET}" Target="worksheets/sheet{i}.xml"/>')
        parts.append((f"xl/worksheets/sheet{i}.xml", xml))
    if shared_strings is not None:
        overrides.append(f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT_SST}"/>')
        rels.append(f'<Relationship Id="rId{len(sheets) + 1}" Type="{REL_SST}" Target="sharedStrings.xml"/>')
        parts.append(("xl/sharedStrings.xml", shared_strings))
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return [
        ("[Content_Types].xml", head + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>' + "".join(overrides) + "</Types>"),
        ("_rels/.rels", head + f'<Relationships xmlns="{NS_PKG}"><Relationship Id="rId1" '
         f'Type="{NS_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        ("xl/workbook.xml", head + f'<workbook xmlns="{NS}" xmlns:r="{NS_R}"><sheets>' + "".join(sheet_tags)
         + "</sheets></workbook>"),
        ("xl/_rels/workbook.xml.rels", head + f'<Relationships xmlns="{NS_PKG}">' + "".join(rels)
         + "</Relationships>"),
        *parts,
    ]


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def sheet_xml(body: str, *, doctype: str = "", dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}'
            f'<worksheet xmlns="{NS}">{dim}<sheetData>{body}</sheetData></worksheet>')


SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"
ROSTER_HEADER = ('<row r="1"><c r="A1" t="inlineStr"><is><t>NIP</t></is></c><c r="B1" t="inlineStr"><is><t>Nama</t>'
                 '</is></c><c r="C1" t="inlineStr"><is><t>Jabatan</t></is></c><c r="D1" t="inlineStr"><is><t>Eselon'
                 '</t></is></c><c r="E1" t="inlineStr"><is><t>OPD</t></is></c></row>')


def bomb_sheet(uncompressed: int, chunk_text: str) -> Bomb:
    """Sheet XML of about `uncompressed` bytes: a roster header, then `chunk_text` repeated."""
    chunk = (chunk_text * max(1, MiB // len(chunk_text))).encode()
    prefix = (SHEET_HEAD + ROSTER_HEADER).encode()
    return Bomb(prefix, chunk, max(1, uncompressed // len(chunk)), SHEET_TAIL.encode())


# Dense content for memory attacks: one number cell per row, rows without `r` (calamine counts them).
CELL_ROWS = "<row><c><v>1</v></c></row>"
# Pure padding: only CPU time, no cells.
WHITESPACE = " " * 64

# ---------------------------------------------------------------- the hostile files


def honest_bomb(path: Path, gib: float = 3.5) -> Path:
    """A few MiB whose one sheet expands to `gib` GiB of cells; the zip headers tell the truth."""
    return write_zip(path, xlsx_entries([("Pegawai", bomb_sheet(int(gib * GiB), CELL_ROWS))]))


def lying_bomb(path: Path, gib: float = 3.5, declared: int = 5 * MiB) -> Path:
    """As `honest_bomb`, but the headers declare the sheet to be `declared` bytes."""
    return write_zip(path, xlsx_entries([("Pegawai", bomb_sheet(int(gib * GiB), CELL_ROWS))]),
                     declared_sizes={"xl/worksheets/sheet1.xml": declared})


def just_below_bomb(path: Path, mib: int = 900) -> Path:
    """900 MiB in one entry at a very high ratio: under the 1 GiB total, over the ratio limit."""
    return write_zip(path, xlsx_entries([("Pegawai", bomb_sheet(mib * MiB, CELL_ROWS))]))


def diluted_bomb(path: Path, mib: int = 900) -> Path:
    """900 MiB of cells next to 6 MiB of random bytes: the archive's overall ratio stays below 200."""
    entries = xlsx_entries([("Pegawai", bomb_sheet(mib * MiB, CELL_ROWS))])
    return write_zip(path, entries + [("xl/media/image1.png", os.urandom(6 * MiB))])


def big_xml(path: Path, mib: int = 300) -> Path:
    """300 MiB of varied cells at an ordinary ratio (about 30): more XML than a workbook may hold."""
    rows = "".join(f'<row><c t="inlineStr"><is><t>{i * 7919 % 100003}x{i}</t></is></c><c><v>{i}</v></c></row>'
                   for i in range(40000)).encode()
    return write_zip(path, xlsx_entries([("Pegawai", Bomb((SHEET_HEAD + ROSTER_HEADER).encode(), rows,
                                                          mib * MiB // len(rows), SHEET_TAIL.encode()))]))


def whitespace_bomb(path: Path, mib: int = 900) -> Path:
    return write_zip(path, xlsx_entries([("Pegawai", bomb_sheet(mib * MiB, WHITESPACE))]))


def many_entries(path: Path, count: int = 60000) -> Path:
    """A valid workbook plus tens of thousands of small extra parts."""
    entries = xlsx_entries([("Pegawai", sheet_xml(ROSTER_HEADER))])
    entries += [(f"xl/media/junk{i}.bin", b"x" * 1000) for i in range(count)]
    return write_zip(path, entries)


def many_entries_bomb(path: Path, count: int = 2000, each: int = 1 * MiB) -> Path:
    """Many parts of 1 MiB each, compressing ~1000:1: 2 GiB in total spread thin."""
    entries = xlsx_entries([("Pegawai", sheet_xml(ROSTER_HEADER))])
    entries += [(f"xl/media/junk{i}.bin", Bomb(b"", b"\0" * each, 1, b"")) for i in range(count)]
    return write_zip(path, entries)


LAUGHS_DTD = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                        for i in range(1, 10))
              + "]>\n")


def billion_laughs_sheet(path: Path) -> Path:
    """Entity expansion (10^9 'lol's) in a sheet's inline string."""
    body = ROSTER_HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    return write_zip(path, xlsx_entries([("Pegawai", sheet_xml(body, doctype=LAUGHS_DTD))]))


def billion_laughs_shared_strings(path: Path) -> Path:
    """Entity expansion in sharedStrings.xml, referenced by a sheet cell."""
    sst = (f'<?xml version="1.0" encoding="UTF-8"?>\n{LAUGHS_DTD}<sst xmlns="{NS}" count="1" uniqueCount="1">'
           "<si><t>&lol9;</t></si></sst>")
    body = ROSTER_HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return write_zip(path, xlsx_entries([("Pegawai", sheet_xml(body))], shared_strings=sst))


def external_entity(path: Path) -> Path:
    """XXE: an external entity pointing at a local file must not be read into a cell."""
    dtd = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    body = ROSTER_HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    return write_zip(path, xlsx_entries([("Pegawai", sheet_xml(body, doctype=dtd))]))


def sparse_corners(path: Path) -> Path:
    """Two cells, A1 and XFD1048576: a dense range of 17 billion cells if anyone allocates it."""
    body = (ROSTER_HEADER + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    return write_zip(path, xlsx_entries([("Pegawai", sheet_xml(body))]))


def sparse_last_row(path: Path) -> Path:
    """A roster header and one cell in the last row (1,048,576) of column A."""
    body = ROSTER_HEADER + '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return write_zip(path, xlsx_entries([("Pegawai", sheet_xml(body))]))


def lying_dimension(path: Path) -> Path:
    """A `<dimension>` claiming the whole grid over a two-row sheet."""
    body = ROSTER_HEADER
    return write_zip(path, xlsx_entries([("Pegawai", sheet_xml(body, dimension="A1:XFD1048576"))]))


@dataclass
class Hostile:
    name: str
    build: Callable[[Path], Path]
    expect_refused: bool        # True: exit 2; False: exit 0 or 2, both fine, the point is the bounds
    says: str = ""              # a phrase the refusal must contain


HOSTILE = [
    Hostile("zip bomb, headers honest (3.5 GiB of cells)", honest_bomb, True, "zip bomb"),
    Hostile("zip bomb, headers lie (3.5 GiB declared 5 MiB)", lying_bomb, True),
    Hostile("zip bomb 900 MiB in one entry (under 1 GiB total)", just_below_bomb, True, "zip bomb"),
    Hostile("900 MiB of whitespace in a sheet", whitespace_bomb, True, "zip bomb"),
    Hostile("900 MiB of cells diluted by 6 MiB of random bytes", diluted_bomb, True, "zip bomb"),
    Hostile("300 MiB of varied cells at ratio ~30", big_xml, True, "terlalu besar"),
    Hostile("2,000 entries of 1 MiB (2 GiB spread thin)", many_entries_bomb, True, "zip bomb"),
    Hostile("60,000 small entries", many_entries, False),
    Hostile("billion laughs in sheet XML", billion_laughs_sheet, True),
    Hostile("billion laughs in sharedStrings.xml", billion_laughs_shared_strings, True),
    Hostile("external entity (XXE) to /etc/passwd", external_entity, True),
    Hostile("cells at A1 and XFD1048576", sparse_corners, False),
    Hostile("one cell in row 1,048,576", sparse_last_row, False),
    Hostile("<dimension> claims A1:XFD1048576", lying_dimension, False),
]

# ---------------------------------------------------------------- running under bounds


@dataclass
class Bounded:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float
    timed_out: bool


# The command runs as the grandchild of a small launcher. On Linux a process's peak RSS (ru_maxrss) starts from
# the high-water mark of the process it was forked or exec'd from: a child forked straight from a test runner
# that has grown to a gigabyte would report a gigabyte whatever it did itself. The launcher is a fresh
# interpreter, so its own child's figure is the command's own.
_LAUNCHER = """
import os, resource, sys
limit, report, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.execv(sys.executable, [sys.executable, "-m", "jikubata", *argv])
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as fh:
    fh.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def run_bounded(argv: list[str], *, memory: int = MEMORY_BOUND, timeout: float = TIME_BOUND) -> Bounded:
    """Run `python -m jikubata ARGV` with RLIMIT_AS = memory; wall time and its own peak RSS."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "peak")
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", _LAUNCHER, str(memory), report, *argv], stdout=out,
                                stderr=err, env=env, start_new_session=True)
        timed_out = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)   # the launcher and the command
            proc.wait()
            timed_out = True
        seconds = time.perf_counter() - start
        code, peak_kib = proc.returncode, 0
        try:
            with open(report) as fh:
                code_text, peak_text = fh.read().split()
            code, peak_kib = int(code_text), int(peak_text)
        except (OSError, ValueError):
            pass
        out.seek(0)
        err.seek(0)
        return Bounded(code, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                       seconds, peak_kib / 1024, timed_out)


def verdict(h: Hostile, r: Bounded) -> str:
    """'' when the run is acceptable, else what went wrong."""
    if r.timed_out:
        return f"took longer than {TIME_BOUND:.0f} s"
    lines = r.stderr.strip().splitlines()
    if "Traceback" in r.stderr or r.returncode not in (0, 2):
        return f"exit {r.returncode}: {r.stderr.strip()[-300:]}"
    if h.expect_refused and r.returncode != 2:
        return "not refused"
    if r.returncode == 2 and (len(lines) != 1 or not lines[0].startswith("Galat:") or (h.says and h.says not in
                                                                                        lines[0])):
        return f"unclear message: {r.stderr.strip()[:300]}"
    return ""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", type=Path, help="keep the hostile files in this folder")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="jb-hostile-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"memory bound {MEMORY_BOUND // MiB} MiB (RLIMIT_AS), time bound {TIME_BOUND:.0f} s; "
          f"files in {folder}")
    print(f"{'file':50} {'on disk':>9} {'expands':>10} {'exit':>4} {'time':>7} {'peak RSS':>9}  outcome")
    failures = 0
    for h in HOSTILE:
        path = folder / (h.name.split(" (")[0].replace(" ", "-").replace(",", "").replace("/", "")[:40] + ".xlsx")
        h.build(path)
        import zipfile
        with zipfile.ZipFile(path) as zf:
            expands = sum(i.file_size for i in zf.infolist())
        r = run_bounded(["periksa", str(path)])
        bad = verdict(h, r)
        failures += bool(bad)
        said = r.stderr.strip().splitlines()[0][:90] if r.stderr.strip() else "(hasil, exit 0)"
        print(f"{h.name:50} {path.stat().st_size / MiB:7.1f}Mi {expands / MiB:8.0f}Mi {r.returncode:>4} "
              f"{r.seconds:6.1f}s {r.peak_mib:7.0f}Mi  {'FAIL: ' + bad if bad else 'ok'}")
        print(f"{'':50}   {said}")
        if not args.keep:
            path.unlink()
    print(f"hostile files: {len(HOSTILE)}, held the bounds: {len(HOSTILE) - failures}, failures: {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
