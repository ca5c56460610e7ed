"""argparse in Bahasa Indonesia, through argparse's own gettext hooks.

argparse passes every text it shows (`usage: `, `options`, `show this help
message and exit`, its error messages) through the module globals
`argparse._` and `argparse.ngettext`, bound to `gettext.gettext` at import.
`Parser` points them at the Indonesian catalogue below while it builds
itself, formats help and parses, then puts them back, so nothing else in the
process (pytest, a library) is affected. A text not in the catalogue stays as
argparse wrote it; `tests/test_cli_indonesian.py` checks that none is left on
any help page or common error.

Every sub-command created through `add_subparsers()` of a `Parser` is a
`Parser` too, so commands and options added later are translated as well.
"""
from __future__ import annotations

import argparse
import contextlib
import gettext
import textwrap
import threading
from typing import Iterator

# argparse's msgids (CPython 3.10–3.13) → Indonesian.
CATALOGUE: dict[str, str] = {
    "usage: ": "penggunaan: ",
    "positional arguments": "argumen",
    "options": "opsi",
    "optional arguments": "opsi",  # Python 3.9 and earlier
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "show program's version number and exit": "tampilkan versi program lalu keluar",
    "%(prog)s: error: %(message)s\n": "%(prog)s: galat: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "argumen wajib belum diisi: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan %(value)r tidak dikenal (pilih salah satu: %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "perintah %(parser_name)r tidak dikenal (pilihan: %(choices)s)",
    "invalid %(type)s value: %(value)r": "nilai %(value)r tidak valid untuk %(type)s",
    "expected one argument": "perlu satu nilai",
    "expected at most one argument": "paling banyak satu nilai",
    "expected at least one argument": "perlu paling sedikit satu nilai",
    "ambiguous option: %(option)s could match %(matches)s": "opsi %(option)s tidak jelas: bisa berarti %(matches)s",
    "not allowed with argument %s": "tidak boleh dipakai bersama argumen %s",
    "one of the arguments %s is required": "salah satu argumen ini wajib diisi: %s",
    "ignored explicit argument %r": "nilai %r tidak dipakai",
    "can't open '%(filename)s': %(error)s": "tidak dapat membuka '%(filename)s': %(error)s",
    "unexpected option string: %s": "opsi tidak terduga: %s",
}
# ngettext msgids: (singular, plural) → Indonesian (no plural form).
PLURALS: dict[tuple[str, str], str] = {
    ("expected %s argument", "expected %s arguments"): "perlu %s nilai",
    ("conflicting option string: %s", "conflicting option strings: %s"): "opsi bentrok: %s",
}


class Indonesian(gettext.NullTranslations):
    """A gettext catalogue for argparse's texts (no .mo file: the table above)."""

    def gettext(self, message: str) -> str:
        return CATALOGUE.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = PLURALS.get((singular, plural))
        return found if found is not None else (singular if n == 1 else plural)


_CATALOGUE = Indonesian()
_lock = threading.RLock()


@contextlib.contextmanager
def indonesian() -> Iterator[None]:
    """argparse speaks Indonesian inside this block (re-entrant; restored afterwards)."""
    with _lock:
        saved = argparse._, argparse.ngettext
        argparse._, argparse.ngettext = _CATALOGUE.gettext, _CATALOGUE.ngettext
        try:
            yield
        finally:
            argparse._, argparse.ngettext = saved


class HelpFormatter(argparse.HelpFormatter):
    """Option help starting further right, and lines never broken inside `TTTT-BB-HH` or `--per-tanggal`."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 30,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, width)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return textwrap.fill(" ".join(text.split()), width, initial_indent=indent, subsequent_indent=indent,
                             break_on_hyphens=False)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose every text is Indonesian; sub-parsers are `Parser`s too."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        with indonesian():  # builds `-h`'s help and the group titles
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("parser_class", type(self))
        with indonesian():
            return super().add_subparsers(**kwargs)

    def add_argument(self, *args, **kwargs):
        with indonesian():
            return super().add_argument(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):  # says "unrecognized arguments" itself
        with indonesian():
            return super().parse_args(args, namespace)

    def parse_intermixed_args(self, args=None, namespace=None):
        with indonesian():
            return super().parse_intermixed_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with indonesian():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with indonesian():
            return super().format_usage()

    def format_help(self) -> str:
        with indonesian():
            return super().format_help()

    def error(self, message: str):
        with indonesian():
            return super().error(message)
