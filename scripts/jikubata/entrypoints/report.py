"""Readable Indonesian text for the terminal: the problem report and the result table."""
from __future__ import annotations

from itertools import groupby
from typing import Iterable

from jikubata.domain.model import Dataset, Result, SheetRead, worst_first
from jikubata.domain.parse import printable as _clean
from jikubata.domain.validation import problem_order
from jikubata.domain.indonesian import long_date, month_year, percent, rupiah


def problems_text(dataset: Dataset) -> str:
    problems, files, ignored = dataset.problems, list(dataset.files), dataset.ignored_files
    errors, warnings = dataset.error_count, dataset.warning_count
    sheets = list(dataset.sheets)
    listed = ", ".join(files) if len(files) <= 4 else ", ".join(files[:3]) + f", dan {len(files) - 3} lainnya"
    lines = [f"Diperiksa {len(files)} berkas: {listed}" if files else "Hasil pemeriksaan"]
    if ignored:
        lines.append(f"Diabaikan ({len(ignored)} berkas bukan spreadsheet): {_clean(', '.join(ignored))}")
    if sheets:
        lines += sheets_lines(sheets) + [""]
    if not problems:
        lines.append("Tidak ada masalah data. Semua baris dapat dihitung.")
        return "\n".join(lines)
    lines.append(f"Ditemukan {len(problems)} masalah: {errors} galat (baris tidak dihitung), "
                 f"{warnings} peringatan (baris tetap dihitung).")
    ordered = sorted(problems, key=problem_order(files))
    for (file, sheet), group in groupby(ordered, key=lambda p: (p.place.file, p.place.sheet)):
        group = list(group)
        lines.append("")
        where = f"lembar {_clean(sheet)}" if sheet else "berkas"  # a file-level problem has no sheet
        lines.append(f"{_clean(file)} — {where} ({len(group)} masalah)")
        for p in group:
            lines.append(f"  {p.place.cell:>7}  {p.severity.value:<10} {p.code:<24} {_clean(p.message)}")
    return "\n".join(lines)


def sheet_fate(s: SheetRead) -> str:
    """What became of a sheet, in words: read as which table and how many rows, or why not."""
    if s.read:
        return f"dibaca sebagai {s.role}, {s.rows} baris"
    if s.role:
        return f"dikenali sebagai {s.role} tetapi tidak dibaca ({s.skipped})"
    return f"dilewati ({s.skipped})"


def sheets_lines(sheets: Iterable[SheetRead]) -> list[str]:
    """Per file, each sheet with its fate (README: Format berkas)."""
    lines = ["Lembar yang dibaca:"]
    for file, group in groupby(sheets, key=lambda s: s.file):
        group = list(group)
        if len(group) == 1:  # the usual office file (or one not read at all): one line
            sheet = f", lembar {_clean(group[0].sheet)}" if group[0].sheet else ""
            lines.append(f"  {_clean(file)}{sheet}: {sheet_fate(group[0])}")
            continue
        lines.append(f"  {_clean(file)}")
        for s in group:
            lines.append(f"    {_clean(s.sheet)[:30]:<30} {sheet_fate(s)}")
    if len(lines) == 1:
        lines.append("  (tidak ada lembar)")
    return lines


def result_text(result: Result) -> str:
    """The `hitung` table: offices by their Singkatan, then everyone short; no line over 100 columns."""
    from jikubata.adapters.summary import office_label

    lines = [f"Kekurangan belanja Jiku Bata — {month_year(result.period.year, result.period.month)}, "
             f"per {long_date(result.as_of)}", ""]
    header = (f"{'OPD':<28} {'Wajib':>6} {'Memenuhi':>9} {'Kurang':>7} {'Kepatuhan':>10} "
              f"{'Belanja':>16} {'Kekurangan':>16}")
    lines += [header, "-" * len(header)]
    total = result.total
    offices = worst_first(result.offices)  # as the rekap's Ringkasan: the worst office first
    for o in offices + [total]:
        if o is total:
            lines.append("-" * len(header))
        label = o.office if o is total else office_label(result, o.office)
        lines.append(f"{_fit(label, 28):<28} {o.obliged:>6} {o.met:>9} {o.short:>7} {percent(o.compliance):>10} "
                     f"{rupiah(o.spent):>16} {rupiah(o.shortfall):>16}")
    order = {o.office: i for i, o in enumerate(offices)}  # the table's order, not the names' ABC
    short = sorted(result.short_employees(), key=lambda e: (order.get(e.office, len(order)), -e.shortfall, e.name))
    lines += ["", f"Pegawai yang belum memenuhi minimum: {len(short)}"]
    if short:
        lines.append(f"  {'NIP':<18}  {'Nama':<23} {'OPD':<14} {'Tingkat':<15} {'Belanja':>11} {'Kekurangan':>11}")
    for e in short:
        lines.append(f"  {e.nip:<18}  {_fit(e.name, 23):<23} {_fit(office_label(result, e.office), 14):<14} "
                     f"{e.tier.label:<15} {rupiah(e.spent):>11} {rupiah(e.shortfall):>11}")
    silent = result.offices_not_reported
    if silent:
        import textwrap

        lines += [""] + textwrap.wrap(
            f"Belum melapor (tidak ada data belanja bulan ini; tidak dihitung dalam kepatuhan): "
            f"{', '.join(_clean(office_label(result, o)) for o in silent)}.", 100)
    unset = sorted({e.tier.label for e in result.employees if e.minimum is None})
    if unset:
        lines += ["", f"Minimum belum ditetapkan untuk: {', '.join(unset)} (tidak diwajibkan)."]
    if result.problems:
        lines += ["", f"Masalah data: {len(result.problems)} ({result.error_count} galat). Jalankan 'jikubata periksa' untuk rinciannya."]
    return "\n".join(lines)


def _fit(text: str, width: int) -> str:
    """Input text in a column of `width`: cleaned, and cut with `…` when longer."""
    text = " ".join(_clean(text).split())
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"
