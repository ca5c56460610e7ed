"""`jikubata demo`: the README's first command shows the whole product on realistic data."""
import datetime as dt
import json
import re

import pytest

from jikubata.tools import demo
from jikubata import services
from jikubata.adapters.clock import SYSTEM, Clock
from jikubata.domain.model import Period
from tests.support.cli import jikubata


def test_demo_data_carries_each_planted_mistake_as_its_problem(tmp_path):
    today = dt.date(2026, 11, 28)
    demo.generate(tmp_path, today=today)
    data = services.check([tmp_path], clock=Clock.fixed(today))
    found = {p.code for p in data.problems}
    planted = {m.group(1) for m in map(re.compile(r"\(([A-Z_]+)\)$").search, demo.generate.last_city.mistakes) if m}
    assert planted and planted <= found
    assert len(data.employees) > 300 and len(data.files) == len(demo.OFFICES) + 1


@pytest.mark.slow
def test_demo_command_writes_every_output(tmp_path):
    r = jikubata("demo", "--keluaran", tmp_path, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "gagal" not in r.stdout + r.stderr
    assert (tmp_path / "rekap").glob("Rekap-Jiku-Bata-*.xlsx")
    assert list((tmp_path / "surat").glob("Daftar-Surat-*.xlsx"))
    assert list((tmp_path / "mingguan").glob("*-W*/email.html"))
    assert len(list((tmp_path / "formulir").glob("Formulir-Belanja-*.xlsx"))) == len(demo.OFFICES)
    out = jikubata("hitung", tmp_path / "masukan", "--periode", Period.of(SYSTEM.today()), "--json")
    assert json.loads(out.stdout)["opd"]
