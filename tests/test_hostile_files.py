"""Hostile files (stress/hostile_files.py builds them): refused with one clear Indonesian line, by a child
process limited to 1 GiB of address space, within a time bound — never a crash, never the machine down."""

import pytest

from stress import hostile_files as H

pytestmark = pytest.mark.slow  # child processes under a memory limit, gigabytes refused

TIME_BOUND = 30.0


def refused(path, says=""):
    r = H.run_bounded(["periksa", str(path)], timeout=TIME_BOUND)
    assert not r.timed_out, f"took longer than {TIME_BOUND} s"
    assert r.returncode == 2, (r.returncode, r.stderr[-1500:])
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Galat: ") and "Traceback" not in r.stderr, r.stderr
    assert path.name in lines[0] and says in lines[0], lines[0]
    assert r.peak_mib < 1024
    return r


def test_zip_bomb_with_honest_headers_is_refused_before_inflating(tmp_path):
    r = refused(H.honest_bomb(tmp_path / "bom.xlsx", gib=3.5), "zip bomb")
    assert r.peak_mib < 200


def test_zip_bomb_whose_headers_declare_a_small_size_is_refused(tmp_path):
    refused(H.lying_bomb(tmp_path / "bohong.xlsx"), "bukan workbook Excel yang valid")


def test_900_mib_in_one_entry_under_the_total_limit_is_refused(tmp_path):
    refused(H.just_below_bomb(tmp_path / "hampir.xlsx"), "zip bomb")


def test_bomb_diluted_by_incompressible_padding_is_refused(tmp_path):
    refused(H.diluted_bomb(tmp_path / "encer.xlsx"), "zip bomb")


def test_many_entries_adding_up_to_gigabytes_are_refused(tmp_path):
    refused(H.many_entries_bomb(tmp_path / "banyak.xlsx"), "zip bomb")


def test_more_sheet_xml_than_a_workbook_may_hold_is_refused(tmp_path):
    refused(H.big_xml(tmp_path / "besar.xlsx", mib=200), "terlalu besar")


@pytest.mark.parametrize("build", [H.billion_laughs_sheet, H.billion_laughs_shared_strings])
def test_billion_laughs_is_not_expanded(tmp_path, build):
    # calamine's XML reader does not expand DTD entities: the reference is an error, not 10^9 'lol's.
    r = refused(build(tmp_path / "lol.xlsx"))
    assert "lol" in r.stderr and r.peak_mib < 200


def test_external_entity_does_not_read_local_files(tmp_path):
    r = refused(H.external_entity(tmp_path / "xxe.xlsx"))
    assert "root:" not in r.stderr + r.stdout


def test_cells_at_opposite_corners_are_refused_not_allocated(tmp_path):
    # calamine would allocate the 17-billion-cell grid between A1 and XFD1048576 (512 GiB) and abort.
    r = refused(H.sparse_corners(tmp_path / "sudut.xlsx"), "terlalu luas")
    assert "lembar 'Pegawai'" in r.stderr and "XFD" in r.stderr


def test_lying_dimension_alone_is_harmless(tmp_path):
    r = H.run_bounded(["periksa", str(H.lying_dimension(tmp_path / "dimensi.xlsx"))], timeout=TIME_BOUND)
    assert r.returncode == 0 and r.peak_mib < 200, r.stderr


def test_many_small_entries_are_read(tmp_path):
    r = H.run_bounded(["periksa", str(H.many_entries(tmp_path / "kecil.xlsx", count=20000))], timeout=TIME_BOUND)
    assert r.returncode == 0, r.stderr
