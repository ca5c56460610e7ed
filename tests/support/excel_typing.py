"""What Excel does with a value put into a cell (typed, or assigned through COM as xlwings does).

Both stand-ins for Excel in the tests (the openpyxl port and the fake xlwings
book) use this, so a layout that forgot to protect a text would be caught:
`=…` becomes a formula, a number-like string in a cell not formatted as text
becomes a number, a leading apostrophe makes the rest literal text.
"""
from __future__ import annotations

import re

TEXT_FORMAT = "@"
_NUMBER = re.compile(r"\s*[-+]?\d+(\.\d+)?\s*")


def typed(value, number_format: str = "General") -> tuple[object, str]:
    """(value Excel keeps, kind): kind is `text`, `formula`, `number`, `blank` or `value` (dates, bools…)."""
    if value is None or value == "":
        return None, "blank"
    if not isinstance(value, str):
        return value, "value"
    if value.startswith("'"):
        return value[1:], "text"
    if value.startswith(("=", "+", "@")) or (value.startswith("-") and not _NUMBER.fullmatch(value)):
        return (value if value.startswith("=") else "=" + value), "formula"
    if _NUMBER.fullmatch(value) and number_format != TEXT_FORMAT:
        number = float(value)
        return (int(number) if number.is_integer() and "." not in value else number), "number"
    return value, "text"
