"""Outputs are written whole or not at all, with ordinary file permissions."""
import os
import stat

import pytest

from jikubata.adapters.atomic import atomic_path


def test_failed_write_leaves_previous_file_and_no_temporary(tmp_path):
    target = tmp_path / "rekap.xlsx"
    target.write_bytes(b"versi lama")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"setengah")
            raise RuntimeError("gagal di tengah")
    assert target.read_bytes() == b"versi lama"
    assert list(tmp_path.iterdir()) == [target]


def test_successful_write_replaces_the_file(tmp_path):
    target = tmp_path / "sub" / "rekap.xlsx"
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"baru")
    assert target.read_bytes() == b"baru"


def test_output_gets_the_mode_of_a_new_file(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "a.txt") as tmp:
            tmp.write_text("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644
