"""The command line for people: only Indonesian (help of every command and option, argparse's own
errors), a `hitung` table that fits 100 columns, `periksa --ketat` for scripts.

Sub-commands are found by walking the parser, so one added later is checked
(and translated) without touching this file.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gettext
import inspect
import re

import pytest

from jikubata.entrypoints import argparse_id, cli, cli_help
from tests.support.cli import jikubata as jb
from tests.support.workbooks import NIP_ANI, NIP_BUDI, basic
from tests.test_cli import NOV7, book  # noqa: F401 (book is a fixture)

# What English argparse would print (its msgids), and words a half-translated page would show.
ENGLISH = re.compile(r"\b(usage|positional arguments?|optional arguments|options|show this help|help message|"
                     r"and exit|choose from|choices|required|error|arguments?|invalid|expected|unrecognized|"
                     r"ambiguous|default|SPEC)\b", re.I)


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


COMMANDS = sorted(_subcommands(cli.build_parser()))


def _help(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as stop:
        cli.main([*argv, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr()
    assert out.err == ""
    return out.out


def test_main_help_is_indonesian():
    r = jb("--help")
    assert r.returncode == 0
    assert "penggunaan: jikubata" in r.stdout and "tampilkan bantuan ini lalu keluar" in r.stdout
    assert not ENGLISH.search(r.stdout), ENGLISH.search(r.stdout)
    for name in COMMANDS:
        assert name in r.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_is_indonesian(command, capsys):
    page = _help([command], capsys)

    assert page.startswith(f"penggunaan: jikubata {command}")
    assert "opsi:" in page and "tampilkan bantuan ini lalu keluar" in page
    assert not ENGLISH.search(page), f"{command}: {ENGLISH.search(page).group(0)!r} in\n{page}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_argument_of_every_command_has_help(command):
    sub = _subcommands(cli.build_parser())[command]
    for action in sub._actions:
        label = "/".join(action.option_strings) or action.metavar or action.dest
        assert action.help and action.help != argparse.SUPPRESS, f"jikubata {command} {label}: tanpa bantuan"
    assert sub.description, f"jikubata {command}: tanpa keterangan"


def test_a_command_added_later_is_indonesian_too(capsys):
    parser = cli.build_parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    extra = action.add_parser("baru", help="perintah baru")
    extra.add_argument("--warna", choices=["merah", "biru"], required=True, help="warna")

    page = extra.format_help()
    assert page.startswith("penggunaan: jikubata baru") and "opsi:" in page
    assert not ENGLISH.search(page)
    with pytest.raises(Exception) as failed:
        parser.parse_args(["baru", "--warna", "hijau"])
    assert "pilihan 'hijau' tidak dikenal (pilih salah satu: 'merah', 'biru')" in str(failed.value)


def test_a_command_added_later_gets_the_shared_help_of_its_options():
    parser = cli.build_parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    extra = action.add_parser("arsip", help="mengarsipkan keluaran bulan lalu")
    extra.add_argument("--periode", required=True)
    extra.add_argument("--keluaran", required=True, help="folder arsip")
    cli_help.document(parser)

    page = extra.format_help()
    assert "--periode TTTT-BB" in page and cli_help.OPTIONS["periode"][1][:30] in page
    assert "folder arsip" in page  # help given in add_argument is kept
    assert "Mengarsipkan keluaran bulan lalu." in page  # the description, from the command list


@pytest.mark.parametrize("args, says", [
    (["hitung", "a.xlsx"], "jikubata hitung: argumen wajib belum diisi: --periode"),
    (["rekap", "--periode", "2026-11", "--keluaran", "x"], "argumen wajib belum diisi: PATH"),
    (["hitung", "a.xlsx", "--periode"], "argumen --periode: perlu satu nilai"),
    (["hitungan"], "pilihan 'hitungan' tidak dikenal (pilih salah satu: 'periksa', 'hitung'"),
    (["periksa", "a.xlsx", "--cepat"], "argumen tidak dikenal: --cepat"),
    (["hitung", "a.xlsx", "--per", "2026-11"], "opsi --per tidak jelas: bisa berarti --periode, --per-tanggal"),
    (["rekap", "a.xlsx", "--keluaran", "x"], "salah satu argumen ini wajib diisi: --periode --tahun"),
    (["rekap", "a.xlsx", "--keluaran", "x", "--periode", "2026-11", "--tahun", "2026"],
     "argumen --tahun: tidak boleh dipakai bersama argumen --periode"),
])
def test_argument_errors_are_indonesian_on_one_line(args, says, capsys):
    code = cli.main(args)
    out = capsys.readouterr()

    assert code == 2 and out.out == ""
    assert out.err.startswith("Galat: ") and says in out.err, out.err
    assert len(out.err.strip().splitlines()) == 1
    assert not ENGLISH.search(out.err), out.err


def test_a_missing_argument_is_said_in_indonesian_by_the_installed_command():
    r = jb("hitung", "a.xlsx")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip() == ("Galat: jikubata hitung: argumen wajib belum diisi: --periode "
                                "(lihat 'jikubata hitung --help')")


def test_argparse_is_english_again_outside_the_command():
    cli.build_parser().format_help()
    assert argparse._ is gettext.gettext and argparse.ngettext is gettext.ngettext
    assert argparse.ArgumentParser(prog="x").format_usage().startswith("usage: x")


# argparse's texts that only a programmer building a parser can see (never the user of `jikubata`).
FOR_PROGRAMMERS = {
    "'required' is an invalid argument for positionals", "%r is not callable", ".__call__() not defined",
    'argument "-" with mode %r', "cannot have multiple subparser arguments", "cannot merge actions - two groups are named %r",
    "conflicting subparser alias: %s", "conflicting subparser: %s", "dest= is required for options like %r",
    "invalid conflict_resolution value: %r", "mutually exclusive arguments must be optional",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r", "unknown action %r",
    "length of metavar tuple does not match nargs", "nargs for store actions must be != 0; if you have nothing to "
    "store, actions such as store true or store const may be more appropriate", "invalid nargs value",
    "nargs for append actions must be != 0; if arg strings are not supplying the value to append, the append "
    "const action may be more appropriate", "cannot use deprecated argument", "unknown parser %(parser_name)r",
}


def test_every_text_argparse_can_show_a_user_is_in_the_catalogue():
    source = inspect.getsource(argparse)
    shown = {m.group(2).replace("\\n", "\n") for m in re.finditer(r"""\b_\((['"])((?:(?!\1).)*)\1\)""", source)}
    missing = shown - set(argparse_id.CATALOGUE) - FOR_PROGRAMMERS
    assert not missing, f"teks argparse belum diterjemahkan: {sorted(missing)}"
    plurals = set(re.findall(r"""ngettext\(\s*(['"])(.*?)\1,\s*(['"])(.*?)\3""", source))
    assert {(a, b) for _, a, _, b in plurals} <= set(argparse_id.PLURALS)


# ---------------------------------------------------------------- periksa --ketat, the hitung table
def test_periksa_ketat_exits_1_when_a_galat_is_found(book, tmp_path, capsys):
    assert cli.main(["periksa", str(book)]) == 0  # without --ketat: a report, not a verdict
    assert cli.main(["periksa", "--ketat", str(book)]) == 1
    assert "UMKM_TIDAK_TERDAFTAR" in capsys.readouterr().out

    clean = basic(tmp_path / "bersih.xlsx", purchases=[
        (NOV7, NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie sagu", 20000, "N1")])
    assert cli.main(["periksa", "--ketat", str(clean)]) == 0, capsys.readouterr().out


def test_hitung_table_fits_100_columns_with_singkatan_and_ellipsis():
    from jikubata.entrypoints import report
    from jikubata.domain.model import Dataset, Employee, Office, Period, Purchase, Settings, Tier, compute

    long_office = "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah Kota Ambon"
    people = [Employee(NIP_ANI, "Prof. Dr. Ir. Alexandrina Wattimena-Latuconsina, S.T., M.Sc.", "Kasi",
                       Tier.ESELON_IV, long_office),
              Employee(NIP_BUDI, "Budi", "Kadis", Tier.ESELON_II, "Dinas Tanpa Singkatan Yang Namanya Panjang Sekali")]
    offices = [Office(long_office, "BAPPEDA-LITBANG")]
    bought = [Purchase(dt.date(2026, 11, 7), NIP_ANI, "Mie Sagu", 5_000)]  # her office has reported
    text = report.result_text(compute(Dataset(Settings(), people, bought, offices, [], []), Period(2026, 11),
                                      dt.date(2026, 11, 30)))
    assert max(len(line) for line in text.splitlines()) <= 100, text
    assert "BAPPEDA-LITBANG " in text and long_office not in text
    assert "  Prof. Dr. Ir. Alexandr… " in text  # a long name is cut with …, the columns stay aligned
    assert "\nDinas Tanpa Singkatan Yang… " in text  # no Singkatan: the name, cut with …


# ---------------------------------------------------------------- first steps (issue 19.7)


def test_version_prints_the_packages_version(capsys):
    import jikubata

    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out.strip() == f"jikubata {jikubata.__version__}"


@pytest.mark.parametrize("typed, said", [("dataa", "folder {} tidak ditemukan"), ("data/", "folder {} tidak ditemukan"),
                                         ("dinkes.xlsx", "berkas {} tidak ditemukan")])
def test_a_missing_path_is_named_as_the_folder_or_file_it_was_meant_to_be(tmp_path, capsys, typed, said):
    missing = tmp_path / typed
    assert cli.main(["periksa", str(missing) + ("/" if typed.endswith("/") else "")]) == 2
    assert capsys.readouterr().err.strip() == "Galat: " + said.format(missing)


def test_readme_says_how_to_run_jikubata_in_a_new_shell():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    setup = readme[readme.index("## Dua perintah untuk mesin baru"):readme.index("## Pemakaian sehari-hari")]
    assert "source .venv/bin/activate" in setup and ".venv/bin/jikubata" in setup
    assert ".venv\\Scripts\\activate" in setup and "jikubata --version" in setup
