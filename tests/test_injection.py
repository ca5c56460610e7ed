"""Text from the inputs stays text: never a formula, never a link, never broken XML, never a path
outside the output folder, never a shell command.

Every hostile string below is put into every text field an office fills in:
office name, abbreviation, head's name and position, employee name and
position, UMKM name, product, receipt number, note, and (as unusable values)
NIP, date and amount. Then the real commands run on it (`rekap`, `surat`,
`mingguan`, `formulir`) and the buttons on a copy of `JikuBata.xlsm`, and we look
into what they wrote: the worksheet XML, the letters, the file names.
"""
from __future__ import annotations

import ast
import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from jikubata.domain.parse import printable
import xlsxwriter

from jikubata.entrypoints import buttons
from jikubata.adapters import letters
from jikubata.adapters.clock import SYSTEM
from jikubata.domain.model import Period, office_key
from tests.support.cli import jikubata
from tests.support.jikubata_book import filled_copy
from tests.support.openpyxl_port import OpenpyxlPort

ROOT = Path(__file__).resolve().parents[1]
TODAY = SYSTEM.today()
# Last month: its letters (notices) may be written on any day; this month's only from Tanggal Pengingat.
AS_OF = Period.of(TODAY).previous().last_day
PERIOD = str(Period.of(AS_OF))

HOSTILE = [
    '=HYPERLINK("http://x","klik")',
    "+1",
    "-1",
    "@SUM(A1)",
    "=cmd|' /C calc'!A0",
    "=1+1",
    '<script>alert("x")</script>',
    "]]>",
    "Toko A & B",
    "../../etc/passwd",
    "..\\..\\x",
    "CON",
    "NUL.txt",
    "Dinas A/B",
    "C:\\Windows\\win.ini",
    "nol\x00bel\x07esc\x1bakhir",
    "tab\tbaris\nbaru\rakhir",
    "{{ 7*7 }} {% if true %}ya{% endif %}",
    "%s {0} {urut}",
    "\u202egnp.exe",
    "Z" * 10_000,
]
# Strings a spreadsheet would run as a formula if it were written as one.
FORMULA_LIKE = [h for h in HOSTILE if h[:1] in "=+-@"]
# A marker of each hostile string that survives any cleaning (control characters, cutting to a sheet name).
MARKERS = ["HYPERLINK", "SUM(A1)", "cmd|", "calc", "1+1", "<script>", "]]>", "etc/passwd", "win.ini", "7*7", "{urut}"]


def valid_nip(i: int) -> str:
    return f"198001{i % 28 + 1:02d}2010011{i:03d}"


def write_inputs(path: Path, hostile: list[str]) -> Path:
    """The office workbook, written with XlsxWriter: every text a string cell, as Excel stores typed text."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                         "strings_to_urls": False})
    day = dt.datetime.combine(AS_OF.replace(day=1), dt.time())
    sheets = {
        "Pegawai": [["NIP", "Nama", "Jabatan", "Eselon", "OPD", "Status"]],
        "OPD": [["Nama OPD", "Singkatan", "Nama Kepala", "NIP Kepala", "Jabatan Kepala", "Email"]],
        "UMKM": [["Nama UMKM", "Pemilik", "Jenis Produk", "Kontak", "Status"]],
        "Belanja": [["Tanggal", "NIP", "Nama Pegawai", "UMKM", "Produk", "Jumlah (Rp)", "No. Nota", "Keterangan"]],
    }
    for i, h in enumerate(hostile):
        nip = valid_nip(i)
        sheets["Pegawai"].append([nip, h, h, "IV.a", h, "Aktif"])
        sheets["OPD"].append([h, h, h, "", h, h])
        sheets["UMKM"].append([h, h, h, h, "Aktif"])
        if "<script>" not in h:  # that one buys nothing: the office most behind, named in the email
            sheets["Belanja"].append([day, nip, h, h, h, 5000, h, h])
        # Unusable values: reported as problems, the text quoted in the messages.
        sheets["Pegawai"].append([h, h, h, h, h, h])
        sheets["Belanja"].append([h, h, h, h, h, h, h, h])
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    ws.write_datetime(r, c, value, wb.add_format({"num_format": "dd/mm/yyyy"}))
                elif isinstance(value, (int, float)):
                    ws.write_number(r, c, value)
                elif value:
                    ws.write_string(r, c, value)
    wb.close()
    return path


@pytest.fixture(scope="module")
def commands(tmp_path_factory):
    """The inputs, and the output folder after `rekap`, `surat` and `mingguan` ran on them."""
    root = tmp_path_factory.mktemp("suntik")
    (root / "masukan").mkdir()
    inputs = write_inputs(root / "masukan" / "Belanja-OPD.xlsx", HOSTILE)
    out = root / "keluaran"
    runs = [jikubata("rekap", inputs, "--periode", PERIOD, "--per-tanggal", AS_OF, "--keluaran", out),
            jikubata("surat", inputs, "--periode", PERIOD, "--per-tanggal", AS_OF, "--keluaran", out),
            jikubata("mingguan", inputs, "--per-tanggal", AS_OF, "--keluaran", out),
            jikubata("formulir", inputs, "--periode", PERIOD, "--keluaran", out / "formulir")]
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
    return root, out


def fill_book(path: Path, hostile: list[str]) -> Path:
    """A copy of `JikuBata.xlsm` with the hostile text typed into its sheets (as text, as Excel keeps it).

    openpyxl cannot store control characters; Excel shows them as typed, so they are left out here.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    day = dt.datetime.combine(AS_OF.replace(day=1), dt.time())
    rows = {"Pegawai": [], "OPD": [], "UMKM": [], "Belanja": []}
    for i, h in enumerate(hostile):
        h = ILLEGAL_CHARACTERS_RE.sub("", h)
        rows["Pegawai"] += [[valid_nip(i), h, h, "IV.a", h, "Aktif"], [h, h, h, h, h, h]]
        rows["OPD"].append([h, h, h, "", h, h])
        rows["UMKM"].append([h, h, h, h])
        rows["Belanja"] += [[day, valid_nip(i), h, h, h, 5000, h, h], [h, h, h, h, h, h, h, h]]
    return filled_copy(path, rows, PERIOD, as_text=True)


@pytest.fixture(scope="module")
def pressed(tmp_path_factory):
    """The workbook's folder after all four buttons were pressed on the hostile workbook."""
    folder = tmp_path_factory.mktemp("tombol")
    book = fill_book(folder / "JikuBata.xlsm", HOSTILE)
    for action in ("periksa_data", "hitung_kekurangan", "buat_rekap", "buat_surat", "buat_formulir"):
        port = OpenpyxlPort(book)
        text = buttons.run(port, action, today=TODAY)
        assert not port.messages[-1][1], text
        port.save()
    return folder, book


# ---------------------------------------------------------------- looking into an xlsx


def sheet_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist()
                if n.startswith("xl/worksheets/sheet") and n.endswith(".xml")}


def formulas(path: Path) -> list[str]:
    """The text of every `<f>` element in every worksheet."""
    found = []
    for xml in sheet_parts(path).values():
        found += re.findall(r"<f(?:\s[^>]*)?>(.*?)</f>", xml, flags=re.S)
    return found


def link_targets(path: Path) -> list[str]:
    """Targets of the worksheets' hyperlinks to files or addresses outside the workbook."""
    import html

    with zipfile.ZipFile(path) as z:
        rels = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/_rels/")]
    return [html.unescape(t) for xml in rels for rel in re.findall(r"<Relationship [^>]*>", xml)
            if rel.count("/hyperlink\"") for t in re.findall(r'Target="([^"]*)"', rel)]


def link_locations(path: Path) -> list[str]:
    """Places inside the workbook the hyperlinks go to (`'Rekap X'!A1`)."""
    import html

    return [html.unescape(loc) for xml in sheet_parts(path).values()
            for loc in re.findall(r'<hyperlink [^>]*location="([^"]*)"', xml)]


def text_cells(path: Path) -> list[str]:
    """Every cell value openpyxl reads as text (data type 's'), all sheets."""
    wb = openpyxl.load_workbook(path)
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "s" and isinstance(c.value, str)]


def workbooks(kind: str, commands, pressed) -> list[Path]:
    _, out = commands
    folder, book = pressed
    found = {
        "rekap": list(out.glob("Rekap-Jiku-Bata-*.xlsx")),
        "daftar-surat": list(out.glob("Daftar-Surat-*.xlsx")),
        "mingguan": list(out.glob("mingguan/*/*.xlsx")),
        "tombol": [book, *folder.glob("Rekap-Jiku-Bata-*.xlsx"), *folder.glob("Daftar-Surat-*.xlsx"),
                   *folder.glob("Formulir-*/*.xlsx")],
        "formulir": list(out.glob("formulir/Formulir-Belanja-*.xlsx")),
    }[kind]
    assert found
    return found


KINDS = ["rekap", "daftar-surat", "mingguan", "tombol", "formulir"]


def test_the_formula_check_finds_a_formula_written_from_text(tmp_path):
    """What the checks below would see had a writer turned input text into a formula."""
    path = tmp_path / "contoh.xlsx"
    wb = xlsxwriter.Workbook(str(path))  # XlsxWriter's default: strings beginning with '=' are formulas
    wb.add_worksheet().write(0, 0, HOSTILE[0])
    wb.close()
    assert any("HYPERLINK" in f for f in formulas(path))


@pytest.mark.slow  # every command and button run on the hostile inputs first (module fixtures)
@pytest.mark.parametrize("kind", KINDS)
def test_no_input_text_becomes_a_formula(kind, commands, pressed):
    for path in workbooks(kind, commands, pressed):
        for formula in formulas(path):
            assert not any(m.replace("<", "&lt;") in formula or m in formula for m in MARKERS), (path, formula)


@pytest.mark.slow  # every command and button run on the hostile inputs first (module fixtures)
@pytest.mark.parametrize("kind", ["rekap", "mingguan", "tombol", "formulir"])
def test_formula_like_names_are_written_as_text_cells(kind, commands, pressed):
    texts = set()
    for path in workbooks(kind, commands, pressed):
        texts |= set(text_cells(path))
    for h in FORMULA_LIKE:
        assert h in texts, h


@pytest.mark.slow  # every command and button run on the hostile inputs first (module fixtures)
def test_letters_index_keeps_formula_like_recipients_as_text(commands):
    _, out = commands
    (index,) = out.glob("Daftar-Surat-*.xlsx")
    texts = " ".join(text_cells(index))
    for h in FORMULA_LIKE:
        assert h in texts, h


@pytest.mark.slow  # every command and button run on the hostile inputs first (module fixtures)
@pytest.mark.parametrize("kind", KINDS)
def test_every_link_points_to_a_file_we_wrote_never_to_input_text(kind, commands, pressed):
    for path in workbooks(kind, commands, pressed):
        for target in link_targets(path):
            local = target.removeprefix("file:///").replace("\\", "/")
            assert not re.match(r"[A-Za-z][A-Za-z0-9+.-]+:", local), target  # no http:, mailto:, file: …
            file = Path(local) if Path(local).is_absolute() else path.parent / local
            assert ".." not in Path(local).parts, target
            assert file.resolve().is_relative_to(path.parent.resolve()) and file.is_file(), target
        sheets = set(openpyxl.load_workbook(path, read_only=True).sheetnames)
        for location in link_locations(path):
            sheet, _, cell = location.rpartition("!")
            assert sheet.strip("'").replace("''", "'") in sheets and re.fullmatch(r"\$?[A-Z]+\$?\d+", cell), location


# ---------------------------------------------------------------- letters


def all_letters(commands, pressed) -> list[Path]:
    _, out = commands
    folder, _ = pressed
    found = [*out.glob("Surat-*/*.docx"), *folder.glob("Surat-*/*.docx")]
    assert len(found) >= 2 * len(HOSTILE)
    return found


@pytest.mark.slow  # every command and button run on the hostile inputs first (module fixtures)
def test_every_letter_opens_and_shows_the_input_text_verbatim(commands):
    import docx

    _, out = commands
    texts = []
    for path in out.glob("Surat-*/*.docx"):
        d = docx.Document(str(path))  # well-formed XML, or this raises
        texts += [p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells]
    text = "\n".join(texts)
    for h in HOSTILE:
        expected = letters.clean(h)  # what XML cannot hold removed, whitespace made single spaces
        assert expected in text, expected[:60]
    assert "49" not in text.split("{{ 7*7 }}")[0][-5:]  # the template syntax was printed, not run


@pytest.mark.slow  # every command and button run on the hostile inputs first (module fixtures)
def test_letter_xml_holds_no_raw_markup_from_the_inputs(commands):
    _, out = commands
    for path in out.glob("Surat-*/*.docx"):
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        assert "<script>" not in xml and "]]>" not in xml.replace("]]&gt;", "")


# ---------------------------------------------------------------- file names


WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


@pytest.mark.slow  # every command and button run on the hostile inputs first (module fixtures)
def test_every_file_written_stays_inside_its_output_folder(commands, pressed):
    root, out = commands
    folder, book = pressed
    for base in (out, folder):
        for path in base.rglob("*"):
            assert path.resolve().is_relative_to(base.resolve()), path
    # Nothing was written beside the output folder (only the inputs are there).
    assert sorted(p.name for p in root.iterdir()) == ["keluaran", "masukan"]
    assert [p.name for p in (root / "masukan").iterdir()] == ["Belanja-OPD.xlsx"]


@pytest.mark.slow  # every command and button run on the hostile inputs first (module fixtures)
def test_letter_file_names_are_plain_and_safe_on_windows(commands, pressed):
    for path in all_letters(commands, pressed):
        name = path.name
        assert re.fullmatch(r"[\w.,()+-]+\.docx", name), name
        assert ".." not in name and len(name) <= 150, name
        assert path.stem.split(".")[0].upper() not in WINDOWS_DEVICES, name


# ---------------------------------------------------------------- the weekly email


@pytest.mark.slow  # every command and button run on the hostile inputs first (module fixtures)
def test_weekly_email_shows_markup_from_the_inputs_as_text(commands):
    _, out = commands
    (html,) = out.glob("mingguan/*/email.html")
    body = html.read_text(encoding="utf-8")
    assert "&lt;script&gt;" in body
    assert "<script" not in body


# ---------------------------------------------------------------- no shell


SHELL_CALLS = {("os", "system"), ("os", "popen"), ("os", "execl"), ("os", "execlp"), ("os", "execv"),
               ("os", "execvp"), ("os", "spawnl"), ("os", "spawnlp"), ("os", "startfile"), ("pty", "spawn")}
SUBPROCESS_CALLS = {"run", "Popen", "call", "check_call", "check_output", "getoutput", "getstatusoutput"}


def shell_uses(source: str, filename: str = "<kode>") -> list[str]:
    """Every place `source` could hand text to a shell: os.system & co., `shell=True`,
    subprocess commands given as one string, and eval/exec."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        where = f"{filename}:{node.lineno}"
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if (func.value.id, func.attr) in SHELL_CALLS:
                found.append(f"{where} {func.value.id}.{func.attr}")
            if func.value.id == "subprocess" and func.attr in SUBPROCESS_CALLS:
                if func.attr in ("getoutput", "getstatusoutput"):
                    found.append(f"{where} subprocess.{func.attr}")
                elif node.args and isinstance(node.args[0], (ast.Constant, ast.JoinedStr, ast.BinOp)):
                    found.append(f"{where} subprocess.{func.attr} with a string command")
        if isinstance(func, ast.Name) and func.id in ("eval", "exec"):
            found.append(f"{where} {func.id}()")
        for kw in node.keywords:
            if kw.arg == "shell" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                found.append(f"{where} shell={ast.unparse(kw.value)}")
    return found


def test_the_shell_scanner_finds_what_it_looks_for():
    bad = ("import os, subprocess\nos.system('x')\nsubprocess.run('ls ' + name)\n"
           "subprocess.Popen(['a'], shell=True)\neval(text)\n")
    assert len(shell_uses(bad)) == 4


def test_no_code_hands_text_to_a_shell():
    sources = sorted((ROOT / "scripts" / "jikubata").rglob("*.py"))
    assert len(sources) > 10
    found = [use for path in sources for use in shell_uses(path.read_text(encoding="utf-8"), path.name)]
    assert found == []
    # The one external program we start (LibreOffice) gets an argument list, not a command line.
    from jikubata.adapters import pdf

    cmd = pdf._command("soffice", Path("/tmp/profil"), Path("/tmp/keluar"), ["Surat-OPD-CON.docx"])
    assert isinstance(cmd, list) and cmd[-1] == "Surat-OPD-CON.docx"


@pytest.mark.slow  # every command and button run on the hostile inputs first (module fixtures)
def test_form_file_names_are_plain_and_safe_on_windows(commands, pressed):
    _, out = commands
    folder, _ = pressed
    names = [p.name for p in [*out.glob("formulir/*.xlsx"), *folder.glob("Formulir-*/*.xlsx")]]
    # One form per hostile office, from the command and from the button; names that differ only in
    # punctuation (`+1`, `-1`) are one office (`model.office_key`).
    offices = {office_key(printable(h)) for h in HOSTILE}
    assert len(names) == 2 * len(offices)
    for name in names:
        assert re.fullmatch(r"Formulir-Belanja-[A-Za-z0-9-]{1,40}-\d{4}-\d{2}\.xlsx", name), name
        assert Path(name).stem.split(".")[0].upper() not in WINDOWS_DEVICES, name
