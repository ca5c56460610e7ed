"""The README's table of problem codes is the domain's list (issue 19.13): a code added to one and not the
other, or a severity that differs, fails here."""
from __future__ import annotations

import re
from pathlib import Path

from jikubata.domain.problems import CODES

README = Path(__file__).parent.parent / "README.md"


def readme_codes() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Kode masalah data"):]
    section = section[:section.index("\n## ")]
    rows = re.findall(r"^\| `([A-Z_]+)` \| ([A-Z /]+?) \|", section, re.MULTILINE)
    assert len(rows) == len(dict(rows)), "a code listed twice"
    return dict(rows)


def test_every_domain_code_is_in_the_readme_table_and_no_other():
    assert sorted(readme_codes()) == sorted(CODES)


def test_the_readme_gives_each_code_its_severity():
    for code, severity in readme_codes().items():
        assert CODES[code][0].value in severity.split(" / "), code
