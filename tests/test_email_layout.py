"""The weekly email as a reader sees it: on a phone (375 px) in headless Chromium, and its figures.

Chromium must be installed (Debian package `chromium`, see .ci/run): the test
fails, never skips, without it. Marked slow: `pytest -m "not slow"` leaves it
out of the quick loop, the full run (CI) always includes it. The emails come from `jikubata mingguan` on
the demo city (36 offices, long names, a week-over-week change table) and on
hostile office names (no Singkatan, one unbreakable 80-character word).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import lxml.html
import pytest

from jikubata.domain import indonesian
from jikubata.entrypoints import cli
from jikubata.tools import demo
from tests.support import browser
from tests.test_weekly import EMPLOYEES, write_inputs

pytestmark = pytest.mark.slow  # Chromium, and the demo city's two weekly runs

SUNDAYS = [dt.date(2026, 11, 15), dt.date(2026, 11, 22)]  # weeks 3 and 4 of November 2026
PHONES = [360, 375]


def _weekly_email(inputs: list[Path], out: Path) -> str:
    """Two weekly runs (so there is a change table); the second week's email."""
    for day in SUNDAYS:
        code = cli.main(["mingguan", *map(str, inputs), "--keluaran", str(out), "--per-tanggal", day.isoformat()])
        assert code == 0
    (email,) = (out / "mingguan" / "2026-W47").glob("email.html")
    return email.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> tuple[list[Path], str]:
    base = tmp_path_factory.mktemp("kota")
    inputs = demo.generate(base / "masukan", today=dt.date(2026, 11, 28))
    return inputs, _weekly_email(inputs, base / "keluaran")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> str:
    base = tmp_path_factory.mktemp("nama-panjang")
    long_name = "Badan Koordinasi Perencanaan Pembangunan Daerah dan Penanggulangan Bencana Kota Ambon"
    unbreakable = "X" * 80
    offices = ((long_name, ""), (unbreakable, ""))
    employees = [e[:4] + ((long_name if i % 2 else unbreakable),) for i, e in enumerate(EMPLOYEES)]
    inputs = write_inputs(base / "masukan", offices=offices, employees=employees)
    return _weekly_email(inputs, base / "keluaran")


# ---------------------------------------------------------------- fits a phone


@pytest.mark.parametrize("width", PHONES)
def test_email_fits_a_phone_screen(city, width):
    _, html = city
    m = browser.measure(html, width)

    assert m["innerWidth"] == width  # the viewport really is a phone's
    assert m["scrollWidth"] <= width, f"lebar {m['scrollWidth']} px > {width} px; menonjol: {m['wide'][:5]}"
    assert m["wide"] == []


@pytest.mark.parametrize("width", PHONES)
def test_long_and_unbreakable_office_names_do_not_widen_the_email(hostile, width):
    m = browser.measure(hostile, width)

    assert m["scrollWidth"] <= width, f"lebar {m['scrollWidth']} px > {width} px; menonjol: {m['wide'][:5]}"


def test_email_fits_a_desktop_window(city):
    _, html = city
    m = browser.measure(html, 1024)

    assert m["scrollWidth"] <= 1024


def test_no_fixed_width_wider_than_a_phone_outside_outlook_only_markup(city):
    _, html = city
    for_all = re.sub(r"<!--\[if mso\]>.*?<!\[endif\]-->", "", html, flags=re.S)
    widths = [int(w) for w in re.findall(r'\bwidth="(\d+)"', for_all)]
    widths += [int(w) for w in re.findall(r"(?<![-\w])(?:min-)?width:\s*(\d+)px", for_all)]
    assert all(w <= 360 for w in widths), widths
    assert re.search(r"<!--\[if mso\]><table[^>]*width=\"600\"", html)  # Outlook gets a fixed 600 px column


# ---------------------------------------------------------------- what it says


def _text(doc, xpath: str) -> str:
    (node,) = doc.xpath(xpath)
    return " ".join(node.text_content().split())


def test_figures_match_hitung_json(city, capsys):
    inputs, html = city
    capsys.readouterr()
    assert cli.main(["hitung", *map(str, inputs), "--periode", "2026-11", "--per-tanggal", "2026-11-22", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    offices = data["opd"]
    obliged, met, short = (sum(o[k] for o in offices) for k in ("wajib", "memenuhi", "kurang"))
    spent, shortfall = (sum(o[k] for o in offices) for k in ("belanja", "kekurangan"))
    doc = lxml.html.fromstring(html)

    assert _text(doc, '//*[@id="kepatuhan"]') == indonesian.percent(met / obliged)
    assert _text(doc, '//*[@id="memenuhi"]').startswith(f"{met} dari {obliged} ASN wajib")
    assert _text(doc, '//*[@id="belum"]') == f"{short} ASN"
    assert _text(doc, '//*[@id="kekurangan"]') == f"kekurangan {indonesian.rupiah(shortfall)}"
    assert _text(doc, '//*[@id="belanja"]') == indonesian.rupiah(spent)

    # The five offices furthest behind, in order, each with its own figures.
    behind = sorted((o for o in offices if o["wajib"] and o["kurang"]),
                    key=lambda o: (o["memenuhi"] / o["wajib"], -o["kekurangan"], o["opd"].casefold()))[:5]
    rows = doc.xpath('//table[@id="tertinggal"]//tr[@class="opd"]')
    details = doc.xpath('//table[@id="tertinggal"]//tr[@class="rincian"]')
    assert len(rows) == len(details) == len(behind) == 5
    for o, row, detail in zip(behind, rows, details):
        cells = [" ".join(td.text_content().split()) for td in row.xpath("./td")]
        abbreviation = next(a for name, a, *_ in demo.OFFICES if name == o["opd"])
        assert cells == [abbreviation, indonesian.percent(o["memenuhi"] / o["wajib"]),
                         indonesian.rupiah(o["kekurangan"])]
        assert " ".join(detail.text_content().split()) == \
            f"{o['opd']} · {o['kurang']} dari {o['wajib']} ASN belum memenuhi"


def test_offices_show_the_singkatan_with_the_full_name_below(city):
    _, html = city
    doc = lxml.html.fromstring(html)

    first = doc.xpath('//table[@id="perubahan"]//tr[@class="opd"]/td[1]//b')
    assert first and all(len(b.text_content()) <= 20 for b in first)  # Singkatan, not 60-letter names
    names = {name for name, *_ in demo.OFFICES}
    for detail in doc.xpath('//table[@id="perubahan"]//tr[@class="rincian"]/td'):
        assert detail.text_content().split(" · ")[0].strip() in names


def test_the_week_is_written_for_people(city):
    _, html = city
    doc = lxml.html.fromstring(html)

    assert _text(doc, '//*[@id="minggu"]') == "minggu ke-4 November 2026 (16–22 November)"
    assert "Dibandingkan minggu ke-3 November 2026 (9–15 November)" in _text(doc, '//*[@id="perbandingan"]')
    assert not re.search(r"\d{4}-W\d\d", doc.text_content())
