"""The product as an office installs it: a wheel built from this checkout, in a fresh venv, run from
another folder. Templates, the email template and the VBA source must come from inside the wheel."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

PACKAGE_DATA = ["jikubata/resources/templates/surat-opd.docx", "jikubata/resources/templates/surat-pejabat.docx",
                "jikubata/resources/templates/email_mingguan.html.j2", "jikubata/resources/vba/JikuBata.bas"]


def run(argv, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=600, **kwargs)
    assert done.returncode == 0, (argv, done.stdout[-2000:], done.stderr[-2000:])
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """`pip wheel . --no-deps` on a copy of the source (the checkout gets no build/ or egg-info)."""
    source = tmp_path_factory.mktemp("quelle") / "jikubata"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "*.egg-info", "build", "dist", ".pytest_cache", ".hypothesis",
        "demo-keluaran", "tests", "bench", "stress"))
    out = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", out], cwd=source)
    (path,) = out.glob("jikubata-*.whl")
    return path


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv holding the wheel; its dependencies are borrowed from this environment's site-packages.

    A `.pth` line adds that folder to the path but its own `.pth` files (the editable install of this
    checkout) are not processed, so `jikubata` can only come from the wheel.
    """
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (site / "dependencies-from-test-env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel])
    return env_dir


def clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JIKUBATA_TEMPLATES", "VIRTUAL_ENV")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def test_the_wheel_holds_the_templates_and_the_vba_source_and_no_test_code(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for data in PACKAGE_DATA:
        assert data in names
    assert not [n for n in names if n.startswith(("tests/", "stress/", "bench/")) or "openpyxl_port" in n]


def test_the_installed_jikubata_is_the_wheel_not_the_checkout(installed, tmp_path):
    python = installed / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    where = run([python, "-c", "import jikubata, jikubata.resources as r; print(jikubata.__file__); "
                 "print(r.template_path('surat-opd.docx'))"], cwd=tmp_path, env=clean_env()).stdout.split("\n")
    assert Path(where[0]).is_relative_to(installed) and "site-packages" in where[0]
    assert Path(where[1]).is_relative_to(installed) and Path(where[1]).is_file()


def test_demo_and_buat_workbook_run_from_the_installed_wheel(installed, tmp_path):
    command = installed / ("Scripts/jikubata.exe" if os.name == "nt" else "bin/jikubata")
    elsewhere = tmp_path / "kantor"
    elsewhere.mkdir()
    run([command, "demo", "--keluaran", "keluaran"], cwd=elsewhere, env=clean_env())
    out = elsewhere / "keluaran"
    assert list(out.glob("rekap/Rekap-Jiku-Bata-*.xlsx"))
    assert len(list(out.glob("surat/**/*.docx"))) >= 2
    assert list(out.glob("mingguan/*-W*/email.html"))

    run([command, "buat-workbook", "--keluaran", "JikuBata.xlsm"], cwd=elsewhere, env=clean_env())
    assert "xl/vbaProject.bin" in zipfile.ZipFile(elsewhere / "JikuBata.xlsm").namelist()


def test_templat_salin_copies_the_installed_templates_for_editing(installed, tmp_path):
    command = installed / ("Scripts/jikubata.exe" if os.name == "nt" else "bin/jikubata")
    done = run([command, "templat", "--salin", "templat-kantor"], cwd=tmp_path, env=clean_env())
    copied = sorted(p.name for p in (tmp_path / "templat-kantor").iterdir())
    assert {"surat-opd.docx", "surat-pejabat.docx", "email_mingguan.html.j2"} <= set(copied)
    assert "JIKUBATA_TEMPLATES" in done.stdout
