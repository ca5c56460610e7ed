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
    # the central workbook, one SIASN roster export, one purchase workbook per office, and the sales books of
    # every other seller (issue 22) with a few differences of each kind
    books = len(demo.SELLERS[::2])
    assert len(data.employees) > 300 and len(data.files) == len(demo.OFFICES) + 2 + books
    assert {"TIDAK_ADA_DI_BUKU_PENJUAL", "BEDA_DENGAN_PENJUAL", "NOTA_BEDA_NOMOR",
            "PENJUALAN_TIDAK_DILAPORKAN"} <= found
    siasn = [s for s in data.sheets if s.file.startswith("Pegawai-SIASN-")]
    assert [(s.sheet, s.role) for s in siasn] == [("Data PNS", "pegawai")] and siasn[0].rows > 5
    assert {e.office for e in data.employees if e.place.file == siasn[0].file} == {demo.SIASN_OFFICE}


@pytest.mark.slow
def test_demo_command_writes_every_output(tmp_path):
    r = jikubata("demo", "--keluaran", tmp_path, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "gagal" not in r.stdout + r.stderr
    assert list((tmp_path / "rekap").glob("Rekap-Jiku-Bata-*.xlsx"))
    assert list((tmp_path / "surat").glob("Daftar-Surat-*.xlsx"))
    assert list((tmp_path / "mingguan").glob("*-W*/email.html"))
    assert len(list((tmp_path / "formulir").glob("Formulir-Belanja-*.xlsx"))) == len(demo.OFFICES)
    out = jikubata("hitung", tmp_path / "masukan", "--periode", Period.of(SYSTEM.today()), "--json")
    assert json.loads(out.stdout)["opd"]


def test_demo_addresses_are_at_a_domain_reserved_for_examples_and_all_well_formed():
    from jikubata.adapters import mail

    city = demo.build_city()
    addresses = [a for a in [p.email for p in city.people] + [row[5] for row in city.offices] if a]
    assert addresses and all(a.endswith("@example.org") for a in addresses)
    assert all(mail.looks_like_address(a) for a in addresses)
