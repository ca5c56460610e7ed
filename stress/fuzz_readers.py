"""Fuzzing the readers: generated workbooks through `jikubata periksa|hitung`.

Hypothesis strategies draw workbooks — cell types (text with control
characters and very long strings, int, float, bool, dates, formula cells with
cached errors such as #N/A, empty), header spellings and positions, merged
cells, hidden sheets, sheet names in odd case — and files that are not
workbooks at all (0 bytes, CSV or HTML named .xlsx, truncated zips, random
bytes). Every case must end in results plus reported problems (exit 0) or exit
2 with one clear Indonesian line on stderr: never a traceback, never another
exit status. Most cases run in-process through `jikubata.entrypoints.cli.main` (fast); a
sample runs through a real `python -m jikubata` subprocess.

    python -m stress.fuzz_readers [--cases 10000] [--workers 2]

The strategies are imported by tests/test_fuzz_readers.py (a small CI subset).
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from stress import hostile_files as H  # the hand-written xlsx zip

# ---------------------------------------------------------------- what a cell may hold


@dataclass(frozen=True)
class Err:
    """An error value as Excel caches it (`t="e"`)."""
    text: str


@dataclass(frozen=True)
class Formula:
    """A formula cell with a cached value (or none: what openpyxl writes)."""
    formula: str
    cached: object


@dataclass(frozen=True)
class DateCell:
    """A serial number in a date-formatted cell (calamine returns a date)."""
    value: dt.date


ERRORS = ("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!")
# Excel 365's newer error values: calamine refuses the whole sheet on them (exit 2), so they are rarer here.
NEW_ERRORS = ("#SPILL!", "#CALC!", "#GETTING_DATA", "#BLOCKED!", "#FIELD!")
any_error = st.sampled_from(ERRORS).map(Err)
GOOD_NIPS = ("198001012010012001", "197505052000031002", "199002022015022003", "196806061990031004")

control_text = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FF), max_size=20)
plain_text = st.text(max_size=30)
long_text = st.integers(1000, 40000).map(lambda n: ("Panjang " * (n // 8 + 1))[:n])
nip_text = st.one_of(st.sampled_from(GOOD_NIPS), st.sampled_from(GOOD_NIPS).map(lambda s: f"'{s[:8]} {s[8:14]} {s[14]} {s[15:]}"),
                     st.from_regex(r"\A[0-9]{16,19}\Z"))
amount_text = st.sampled_from(["20000", "20.000", "Rp 20.000", "Rp20.000,-", "20.000,00", "20,000", "-5.000", "0",
                               "Rp", "dua puluh ribu", "1e9", "  15.000  "])
date_text = st.sampled_from(["07/11/2026", "7-11-2026", "2026-11-07", "7 November 2026", "7 Nov 2026",
                             "7 Agustus 2026", "31/02/2026", "Senin, 9 November 2026", "kemarin", "2026-13-01"])
tier_text = st.sampled_from(["II.a", "IIa", "II/a", "2a", "Eselon II.b", "IV-B", "Wali Kota", "Walikota",
                             "Wakil Walikota", "Non Eselon", "Staf", "Pelaksana", "Fungsional", "-", "V.a", "??"])
dates = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31))
floats = st.one_of(st.floats(allow_nan=False, allow_infinity=False, width=64),
                   st.sampled_from([0.0, -0.0, 1e308, -1e308, 5e-324, 19800101201001.2, 2.5, 20000.5]))

cell_values = st.one_of(
    st.none(), plain_text, control_text, nip_text, amount_text, date_text, tier_text,
    st.integers(-(2 ** 70), 2 ** 70), floats, st.booleans(), dates.map(DateCell), st.datetimes().map(DateCell),
    any_error,
    st.tuples(st.sampled_from(["SUM(A1:A3)", "VLOOKUP(B2,UMKM!A:A,1,0)", "1/0", "NA()", "\"x\"&A1"]),
              st.one_of(any_error, st.integers(0, 10 ** 6), plain_text, st.none()))
    .map(lambda t: Formula(*t)),
)
# Long strings are costly: a few per workbook at most.
rare_values = st.one_of(long_text, st.just("=HYPERLINK(\"http://x\")"), st.just("@SUM(1)"),
                        st.sampled_from(NEW_ERRORS).map(Err))

# ---------------------------------------------------------------- headers and sheets

SPELLINGS = {
    "NIP": ["NIP", "nip", " N I P ", "NIP."],
    "Nama": ["Nama", "NAMA", "Nama Pegawai", "Nama Lengkap", "nama_lengkap"],
    "Jabatan": ["Jabatan", "JABATAN", "jabatan:"],
    "Eselon": ["Eselon", "eselon", "Tingkat", "ESELON "],
    "OPD": ["OPD", "Unit Kerja", "Nama OPD", "o.p.d"],
    "Status": ["Status", "STATUS"],
    "Tanggal Mulai": ["Tanggal Mulai", "TMT", "mulai"],
    "Tanggal Selesai": ["Tanggal Selesai", "Selesai"],
    "Email": ["Email", "E-mail", "Surel"],
    "Tanggal": ["Tanggal", "TGL", "Tanggal Belanja", "tanggal "],
    "Nama Pegawai": ["Nama Pegawai", "Nama"],
    "UMKM": ["UMKM", "Nama UMKM", "umkm"],
    "Produk": ["Produk", "PRODUK"],
    "Jumlah (Rp)": ["Jumlah (Rp)", "JUMLAH", "Jumlah Rp", "jumlah rupiah", "Nominal"],
    "No. Nota": ["No. Nota", "Nota", "NOMOR NOTA", "no nota"],
    "Keterangan": ["Keterangan"],
    "Nama UMKM": ["Nama UMKM", "UMKM"],
    "Pemilik": ["Pemilik"],
    "Singkatan": ["Singkatan"],
}
SHEETS = {
    "Pegawai": ["NIP", "Nama", "Jabatan", "Eselon", "OPD", "Status", "Tanggal Mulai", "Tanggal Selesai", "Email"],
    "Belanja": ["Tanggal", "NIP", "Nama Pegawai", "UMKM", "Produk", "Jumlah (Rp)", "No. Nota", "Keterangan"],
    "UMKM": ["Nama UMKM", "Pemilik"],
    "OPD": ["Nama OPD", "Singkatan"],
    "Pengaturan": [],
}
SHEET_NAMES = {
    "Pegawai": ["Pegawai", "PEGAWAI", "pegawai", " Pegawai ", "PeGaWaI"],
    "Belanja": ["Belanja", "BELANJA", "belanja nov", "Belanja-2", "Belanja (2)", "BelanjaX"],
    "UMKM": ["UMKM", "umkm", "Umkm "],
    "OPD": ["OPD", "opd"],
    "Pengaturan": ["Pengaturan", "PENGATURAN"],
}


@st.composite
def header_row(draw, kind: str) -> list:
    columns = [c for c in SHEETS[kind] if draw(st.integers(0, 9)) > 0]  # a column goes missing now and then
    cells = [draw(st.sampled_from(SPELLINGS.get(c, [c]))) for c in columns]
    cells += draw(st.lists(st.sampled_from(["Catatan", "No", "", "Paraf", "Jumlah"]), max_size=2))
    return draw(st.permutations(cells))


@st.composite
def settings_rows(draw) -> list:
    rows = [[label, draw(st.one_of(cell_values, st.sampled_from(["Ya", "Tidak", "7", "40", "abc"])))]
            for label in draw(st.lists(st.sampled_from(["Hari Jiku Bata", "Hanya UMKM Terdaftar",
                                                        "Batas Wajar Transaksi", "Format Nomor Surat",
                                                        "Tembusan", "Nama Penandatangan"]), max_size=5))]
    if draw(st.booleans()):
        rows.append(["Tingkat", "Minimum Belanja (Rp)"])
        rows += [[draw(tier_text), draw(cell_values)] for _ in range(draw(st.integers(0, 4)))]
    return rows


def data_row(kind: str, header: list):
    """A data row shaped like the header (with plausible values mixed with anything)."""
    plausible = {
        "NIP": nip_text, "Tanggal": st.one_of(dates.map(DateCell), date_text), "Eselon": tier_text,
        "Jumlah (Rp)": st.one_of(st.integers(1, 10 ** 7), amount_text), "UMKM": st.sampled_from(["Mie Sagu", "Bagea"]),
    }
    canonical = {s: c for c, spellings in SPELLINGS.items() for s in spellings}

    @st.composite
    def row(draw) -> list:
        out = []
        for h in header:
            strategy = plausible.get(canonical.get(h, h))
            out.append(draw(strategy) if strategy is not None and draw(st.integers(0, 3)) else draw(cell_values))
        return out + draw(st.lists(cell_values, max_size=2))
    return row()


@st.composite
def sheet(draw, kind: str) -> dict:
    if kind == "Pengaturan":
        rows = draw(settings_rows())
    else:
        header = draw(header_row(kind))
        rows = [draw(data_row(kind, header)) for _ in range(draw(st.integers(0, 8)))]
        rows.insert(0, header)
        if draw(st.integers(0, 9)) == 0:
            rows[1:1] = [[]] * draw(st.integers(1, 3))  # blank rows
    titles = draw(st.integers(0, 12))  # header below title rows (above 10: not found)
    rows = [[draw(st.sampled_from(["BELANJA JIKU BATA", "", "Dinas Kesehatan"]))] for _ in range(titles)] + rows
    if rows and draw(st.integers(0, 19)) == 0:
        rows[-1] = rows[-1] + [draw(rare_values)]
    return {
        "name": draw(st.sampled_from(SHEET_NAMES[kind])),
        "rows": rows,
        "origin": (draw(st.integers(0, 3)), draw(st.integers(0, 3))),  # first used row, column
        "merged": draw(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 3), st.integers(0, 3)),
                                max_size=2)),
        "hidden": draw(st.integers(0, 9)) == 0,
    }


@st.composite
def workbook(draw) -> dict:
    kinds = ["Pegawai"] if draw(st.integers(0, 19)) else []
    kinds += draw(st.lists(st.sampled_from(["Belanja", "Belanja", "UMKM", "OPD", "Pengaturan"]), max_size=4))
    sheets = [draw(sheet(k)) for k in kinds]
    if draw(st.integers(0, 9)) == 0:
        sheets.append({"name": draw(st.sampled_from(["Sheet1", "Rekap", "Belanja\u200b", "Lembar'1"])),
                       "rows": [[draw(cell_values)]], "origin": (0, 0), "merged": [], "hidden": False})
    seen, unique = set(), []
    for s in sheets:  # a workbook's sheet names are unique, case-insensitively
        if s["name"].casefold() not in seen:
            seen.add(s["name"].casefold())
            unique.append(s)
    return {"kind": "workbook", "sheets": unique, "writer": draw(st.sampled_from(["raw"] * 9 + ["openpyxl"])),
            "damage": draw(st.sampled_from([None] * 30 + ["truncate", "flip"])),
            "cut": draw(st.floats(0.05, 0.98)), "suffix": draw(st.sampled_from([".xlsx"] * 6 + [".xlsm", ".XLSX"]))}


not_workbooks = st.one_of(
    st.just({"kind": "bytes", "data": b"", "suffix": ".xlsx"}),
    st.lists(st.lists(plain_text, max_size=5), max_size=5).map(
        lambda rows: {"kind": "bytes", "suffix": ".xlsx",
                      "data": "\n".join(";".join(r) for r in [["Tanggal", "NIP", "Jumlah"]] + rows).encode()}),
    plain_text.map(lambda t: {"kind": "bytes", "suffix": ".xlsx", "data": (
        "<html><head><meta charset='utf-8'></head><body><table><tr><td>NIP</td><td>"
        + t + "</td></tr></table></body></html>").encode()}),
    st.binary(max_size=400).map(lambda b: {"kind": "bytes", "suffix": ".xlsx", "data": b}),
    st.binary(max_size=200).map(lambda b: {"kind": "bytes", "suffix": ".xlsx", "data": b"PK\x03\x04" + b}),
    st.just({"kind": "bytes", "suffix": ".xlsx", "data": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512}),
    st.just({"kind": "zip-without-workbook", "suffix": ".xlsx"}),
)

cases = st.one_of(workbook(), workbook(), workbook(), workbook(), workbook(), workbook(), not_workbooks)

# ---------------------------------------------------------------- writing a case


def _xml_text(text: str) -> str:
    """Text as Excel stores it: XML-escaped, characters XML 1.0 forbids as _xHHHH_."""
    out = []
    for ch in text:
        o = ord(ch)
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif (o < 0x20 and ch not in "\t\n\r") or 0xD800 <= o <= 0xDFFF or o in (0xFFFE, 0xFFFF):
            out.append(f"_x{o:04X}_")
        else:
            out.append(ch)
    return "".join(out)


def _cell_xml(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        cached = value.cached
        f = f"<f>{_xml_text(value.formula)}</f>"
        if cached is None:
            return f'<c r="{ref}">{f}</c>'
        if isinstance(cached, Err):
            return f'<c r="{ref}" t="e">{f}<v>{_xml_text(cached.text)}</v></c>'
        if isinstance(cached, str):
            return f'<c r="{ref}" t="str">{f}<v>{_xml_text(cached)}</v></c>'
        return f'<c r="{ref}">{f}<v>{cached}</v></c>'
    if isinstance(value, Err):
        return f'<c r="{ref}" t="e"><v>{_xml_text(value.text)}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, DateCell):
        d = value.value
        serial = (d - dt.datetime(1899, 12, 30)) if isinstance(d, dt.datetime) else (d - dt.date(1899, 12, 30))
        days = serial.days + serial.seconds / 86400
        return f'<c r="{ref}" s="1"><v>{days!r}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_xml_text(str(value))}</t></is></c>'


STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          f'<styleSheet xmlns="{H.NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
          '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
          '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/>'
          '<xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>')


def _raw_sheet_xml(s: dict) -> str:
    from jikubata.domain.model import column_letter

    r0, c0 = s["origin"]
    rows = []
    for i, row in enumerate(s["rows"]):
        cells = "".join(_cell_xml(f"{column_letter(c0 + j)}{r0 + i + 1}", v) for j, v in enumerate(row))
        if cells:
            rows.append(f'<row r="{r0 + i + 1}">{cells}</row>')
    merged = "".join(f'<mergeCell ref="{column_letter(c)}{r + 1}:{column_letter(c + w)}{r + 1 + h}"/>'
                     for r, c, h, w in s["merged"] if h or w)
    merged = f'<mergeCells count="{merged.count("<mergeCell ")}">{merged}</mergeCells>' if merged else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{H.NS}"><sheetData>'
            + "".join(rows) + "</sheetData>" + merged + "</worksheet>")


def _write_raw(path: Path, case: dict) -> None:
    entries = H.xlsx_entries([(s["name"], _raw_sheet_xml(s)) for s in case["sheets"]],
                             hidden=[s["name"] for s in case["sheets"] if s["hidden"]])
    entries.append(("xl/styles.xml", STYLES))
    # xlsx_entries leaves styles out of the relationships: add it.
    entries = [(n, c.replace("</Relationships>", '<Relationship Id="rIdS" Type="' + H.NS_R + '/styles" '
                             'Target="styles.xml"/></Relationships>') if n == "xl/_rels/workbook.xml.rels" else c)
               for n, c in entries]
    H.write_zip(path, entries)


def _write_openpyxl(path: Path, case: dict) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for s in case["sheets"]:
        ws = wb.create_sheet(s["name"].strip()[:31] or "Lembar")
        r0, c0 = s["origin"]
        for i, row in enumerate(s["rows"]):
            for j, v in enumerate(row):
                if v is None:
                    continue
                cell = ws.cell(row=r0 + i + 1, column=c0 + j + 1)
                if isinstance(v, Formula):
                    cell.value = "=" + v.formula
                elif isinstance(v, Err):
                    cell.value = v.text
                    cell.data_type = "e"
                elif isinstance(v, DateCell):
                    cell.value = v.value
                elif isinstance(v, (bool, int, float)):
                    cell.value = v if not isinstance(v, int) or isinstance(v, bool) or abs(v) < 2 ** 53 else str(v)
                else:
                    text = "".join(ch for ch in str(v) if ch.isprintable() or ch in "\t\n")
                    cell.value = text[:32767]
                    cell.data_type = "s"
        for r, c, h, w in s["merged"]:
            if h or w:
                ws.merge_cells(start_row=r + 1, start_column=c + 1, end_row=r + 1 + h, end_column=c + 1 + w)
        if s["hidden"]:
            ws.sheet_state = "hidden"
    wb.save(path)


def write_case(folder: Path, case: dict, name: str = "kasus") -> Path:
    path = folder / (name + case["suffix"])
    if case["kind"] == "bytes":
        path.write_bytes(case["data"])
    elif case["kind"] == "zip-without-workbook":
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("hello.txt", "bukan workbook")
    else:
        try:
            (_write_openpyxl if case["writer"] == "openpyxl" else _write_raw)(path, case)
        except (ValueError, TypeError, KeyError, IndexError):
            _write_raw(path, case)  # openpyxl refuses some names/values: the raw writer takes anything
        if case["damage"]:
            data = path.read_bytes()
            if case["damage"] == "truncate":
                data = data[:max(1, int(len(data) * case["cut"]))]
            else:  # flip a byte somewhere in the middle
                at = int(len(data) * case["cut"])
                data = data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1:]
            path.write_bytes(data)
    return path


# ---------------------------------------------------------------- running a case


COMMANDS = (["periksa"], ["hitung", "--periode", "2026-11"], ["hitung", "--periode", "2026-11", "--json"])


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    def failure(self) -> Optional[str]:
        """None when the run behaved: exit 0, or exit 2 with one `Galat:` line and no traceback."""
        if "Traceback" in self.stderr or "Traceback" in self.stdout:
            return "traceback"
        if self.code == 0:
            return None
        if self.code != 2:
            return f"exit {self.code}: {self.stderr.strip()[:300]}"
        lines = self.stderr.strip().splitlines()
        if len(lines) != 1 or not lines[0].startswith("Galat: ") or "tak terduga" in lines[0]:
            return f"unclear message: {self.stderr.strip()[:300]}"
        return None


def run_in_process(argv: list[str]) -> Outcome:
    from jikubata.entrypoints import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse --help and the like
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # noqa: BLE001 — exactly what must never happen
            import traceback
            traceback.print_exc()
            code = 1
    return Outcome(code, out.getvalue(), err.getvalue())


def run_subprocess(argv: list[str]) -> Outcome:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    r = subprocess.run([sys.executable, "-m", "jikubata", *argv], capture_output=True, text=True, env=env,
                       timeout=120)
    return Outcome(r.returncode, r.stdout, r.stderr)


@dataclass
class Tally:
    outcomes: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)
    subprocess_runs: int = 0

    def add(self, label: str, outcome: Outcome, case: dict, argv: list[str]) -> None:
        bad = outcome.failure()
        if bad:
            self.outcomes["FAIL: " + bad.split("\n")[0][:90]] += 1
            self.failures.append((bad, argv[0], _describe(case)))
        else:
            if outcome.code == 0:
                self.outcomes["exit 0: hasil + masalah data"] += 1
            else:
                self.outcomes["exit 2: " + _kind_of_message(outcome.stderr)] += 1


def _kind_of_message(stderr: str) -> str:
    """The message without file, sheet and quoted values, to count refusals by kind."""
    import re

    text = stderr.strip().removeprefix("Galat: ")
    text = re.sub(r"^(berkas )?[^:]*?\.(xlsx|xlsm|XLSX)(, lembar '[^']*')?:? ?", "", text)
    text = re.sub(r"'[^']*'", "'…'", text)
    return text.split(". ")[0][:75]


def _describe(case: dict) -> str:
    if case["kind"] != "workbook":
        return f"{case['kind']} {repr(case.get('data', b''))[:80]}"
    return f"{case['writer']} workbook {[s['name'] for s in case['sheets']]} damage={case['damage']}"


def special_cases(folder: Path) -> list[Path]:
    """Files a strategy would rarely reach: a sheet of 1,048,576 rows (sparse), and the hostile builders."""
    out = [H.sparse_last_row(folder / "baris-terakhir.xlsx"), H.sparse_corners(folder / "sudut.xlsx"),
           H.billion_laughs_sheet(folder / "laughs.xlsx"), H.lying_dimension(folder / "dimensi.xlsx")]
    return out


def worker(job: tuple[int, int, str, int]) -> Tally:
    worker_id, count, folder, sample_every = job
    folder = Path(folder) / f"w{worker_id}"
    folder.mkdir(parents=True, exist_ok=True)
    tally = Tally()
    counter = iter(range(10 ** 9))

    @seed(1000 + worker_id)
    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=cases, command=st.sampled_from(COMMANDS))
    def one(case, command):
        n = next(counter)
        path = write_case(folder, case)
        argv = [command[0], str(path), *command[1:]]
        if sample_every and n % sample_every == 0:
            tally.subprocess_runs += 1
            tally.add("sub", run_subprocess(argv), case, argv)
        else:
            tally.add("in", run_in_process(argv), case, argv)

    one()
    if worker_id == 0:
        for path in special_cases(folder):
            for command in COMMANDS[:2]:
                argv = [command[0], str(path), *command[1:]]
                tally.add("special", run_in_process(argv), {"kind": path.name}, argv)
    return tally


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=10000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--subprocess-every", type=int, default=100, help="every Nth case through a real subprocess")
    args = ap.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="jb-fuzz-") as folder:
        share = -(-args.cases // args.workers)
        jobs = [(i, share, folder, args.subprocess_every) for i in range(args.workers)]
        with multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn").Pool(args.workers) as pool:
            tallies = pool.map(worker, jobs)
    total = Tally()
    for t in tallies:
        total.outcomes.update(t.outcomes)
        total.failures += t.failures
        total.subprocess_runs += t.subprocess_runs
    tried = sum(total.outcomes.values())
    print(f"cases tried: {tried} in {time.perf_counter() - start:.0f} s on {args.workers} processes "
          f"({total.subprocess_runs} through a real subprocess, the rest in-process through cli.main)")
    for label, n in total.outcomes.most_common():
        print(f"  {n:6d}  {label}")
    print(f"failures: {len(total.failures)}")
    for bad, command, what in total.failures[:20]:
        print(f"  FAIL {command}: {bad}\n       {what}")
    return 1 if total.failures else 0


if __name__ == "__main__":
    sys.exit(main())
