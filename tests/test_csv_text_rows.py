"""A CSV of plain lines is split row by row when the reader asks (README: Kinerja): the same rows and the same
notes as splitting it all at once, through the csv module."""
import csv
import io

from hypothesis import given, settings, strategies as st

from jikubata.adapters import files

cell = st.one_of(st.sampled_from(["", " ", "#N/A", " #REF! ", "#1", "198001012010012001", "Rp20.000", "Ñandú", "x"]),
                 st.text(alphabet="ab1 -#=/.", max_size=6))
row = st.lists(cell, min_size=0, max_size=5)
ending = st.sampled_from(["\n", "\r\n"])


def texts(rows, end, last_break):
    lines = [";".join(r) for r in rows]
    return end.join(lines) + (end if last_break and lines else "")


def eager(text):
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    rows = [[files._unguarded(c) for c in r] for r in rows]
    notes = files._csv_errors(rows)
    return rows, notes


@settings(max_examples=300, deadline=None)
@given(st.lists(row, max_size=12), ending, st.booleans(), st.integers(0, 12), st.integers(0, 12))
def test_rows_split_when_asked_are_the_rows_split_at_once(rows, end, last_break, lo, hi):
    text = texts(rows, end, last_break)
    if not files._plain_lines(text):
        return
    lazy = files.TextRows(text, ";", "#" in text)
    expected, notes = eager(text)
    assert list(lazy) == expected and len(lazy) == len(expected)
    assert [lazy[i] for i in range(len(lazy))] == expected
    assert list(lazy[lo:hi]) == expected[lo:hi] and len(lazy[lo:hi]) == len(expected[lo:hi])
    assert list(lazy[lo:][:hi]) == expected[lo:][:hi]
    assert lazy.error_notes() == notes


def test_a_large_csv_is_read_as_text_rows_and_gives_the_same_sheet(tmp_path):
    lines = ["Tanggal;NIP;Nama Pegawai;UMKM;Produk;Jumlah (Rp);No. Nota;Keterangan"]
    lines += [f"07/11/2026;198001012010012001;Ani;Mie Sagu;Mie;20000;N{k};#N/A" for k in range(2000)]
    path = tmp_path / "Belanja.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    book = files.open_file(path)
    sheet = book.sheets[0]
    assert isinstance(sheet.rows, files.TextRows) and len(sheet.rows) == 2001
    assert sheet.rows[1] == ["07/11/2026", "198001012010012001", "Ani", "Mie Sagu", "Mie", "20000", "N0", ""]
    assert sheet.note(1, 7) == "#N/A" and sheet.note(1, 6) is None
