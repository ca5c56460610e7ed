"""The per-department summary workbook (README: Isi workbook rekap): `Rekap-Jiku-Bata-YYYY-MM.xlsx`.

Two layers, one source:

- `sheet_tables(result)` (and `year_tables`) turns a `Result` into
  `OutputSheet`s: sheet name, title lines, key figures, header, rows, column
  kinds, colour scales, chart. Every figure is read from the `Result`; nothing
  here adds up money or heads again. The sheets the Excel buttons write into
  the open workbook are built here too: the same tables as `Rekap …` sheets
  (`workbook_rekap_sheets`), and `Hasil`, `Masalah Data`, `Daftar Surat`.
- `write_summary(result, out_dir)` lays those tables out with XlsxWriter:
  formats, conditional status colours, charts, print set-up. In the open
  workbook `sheet_layout` lays them out.

Text from the inputs is always written with `write_string`, so a name such as
`=HYPERLINK(...)` stays text.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional, Sequence

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from jikubata.adapters.atomic import atomic_path, unwritable
from jikubata.adapters.output_sheet import ChartData, OutputSheet
from jikubata.adapters.workbook_port import find_sheet, location
from jikubata.adapters.styles import (ACCENT, CITY_LINE_COLOUR, COMPLIANCE_SCALE, GRID_COLOUR, HEADER_FILL,
                                      HEADER_FONT, LINE_COLOUR, LINE_COLOURS, LINK_COLOUR, MUTED, NAVY, NUMBER_FORMATS,
                                      SEVERITY_LABELS, SHORTFALL_SCALE, SOFT_GREY, STATUS_COLOURS, STATUS_LABELS,
                                      SHORT_FILL, TOTAL_FILL, CELL_PADDING_PX, ColourScale, chars_for_px,
                                      column_pixels, text_px, wrapped_lines)
from jikubata.domain import schema
from jikubata.domain.model import (Office, OfficeTotals, Result, Status, YearResult, office_index, office_key,
                                   worst_first, worst_first_key)
from jikubata.domain.errors import InputError
from jikubata.domain.indonesian import long_date, month_year, percent, rupiah
from jikubata.domain.parse import printable

# ---------------------------------------------------------------- names shown to people

SUMMARY_SHEET = schema.SUMMARY_SHEET
SELLERS_SHEET = "UMKM"
PROBLEMS_SHEET = schema.PROBLEMS_SHEET
TREND_SHEET = schema.TREND_SHEET
SHORT_SHEET = schema.SHORT_SHEET
FILES_SHEET = schema.FILES_SHEET
RECONCILIATION_SHEET = schema.RECONCILIATION_SHEET
OFFICE_SHEET_PREFIX = schema.OUTPUT_SHEET_PREFIX
# Excel reserves "History"; the others are ours.
RESERVED_SHEET_NAMES = (SUMMARY_SHEET, SHORT_SHEET, SELLERS_SHEET, PROBLEMS_SHEET, TREND_SHEET, FILES_SHEET,
                        RECONCILIATION_SHEET, "History")

REPORT_TITLE = schema.REPORT_TITLE

MINIMUM_NOT_SET = "belum ditetapkan"
NO_FIGURE = "-"  # a percentage of nobody
NOT_REPORTED = "belum melapor"  # an office that sent no data for the period: no percentage

FONT = "Arial"
MAX_SHEET_NAME = 31
MAX_CELL_TEXT = 32_767
TREND_CHART_OFFICES = 5  # the chart: the city and at most this many lowest offices
COMPLIANCE = ColourScale.from_xlsxwriter(COMPLIANCE_SCALE)
SHORTFALL = ColourScale.from_xlsxwriter(SHORTFALL_SCALE)
# The names of the Excel tables (ListObjects), by table key: the same in the file and in the open workbook.
TABLE_NAMES = {"kurang": "BelumMemenuhi", "tahun_pegawai": "PegawaiSetahun"}
NO_DATA = "tanpa data"  # a month with no purchase at all: not 0 %
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


@dataclass(frozen=True)
class TrendPoint:
    """One office (or the city total, office == TREND_TOTAL) in one week's snapshot."""

    week: str  # ISO week, "2026-W47"
    as_of: dt.date
    office: str
    obliged: int
    met: int
    compliance: Optional[float]
    spent: int


TREND_TOTAL = "Jumlah"  # the name of `Result.total`
TREND_TOTAL_LABEL = "Jumlah semua OPD"


def trend_points(result: Result, week: Optional[str] = None) -> list[TrendPoint]:
    """The snapshot of `result` for the trend history: every office, then the total."""
    if week is None:
        year, number, _ = result.as_of.isocalendar()
        week = f"{year}-W{number:02d}"
    labelled = [(o.office, o) for o in result.offices] + [(TREND_TOTAL, result.total)]
    return [TrendPoint(week, result.as_of, office, t.obliged, t.met, t.compliance, t.spent)
            for office, t in labelled]


# ---------------------------------------------------------------- sheet names

_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")   # in a sheet name (control characters: `printable`)


def _clean_name(text: str) -> str:
    return " ".join(printable(_FORBIDDEN.sub(" ", str(text))).split()).strip("' ")


def _fit(text: str, limit: int) -> str:
    """Cut `text` to `limit` characters, at a word boundary when one is near."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space >= limit // 2 and not text[limit:limit + 1] == " ":
        cut = cut[:space]
    return cut.rstrip(" '-,.&")


def office_record(result: Result, office: str) -> Optional[Office]:
    """The `OPD` row of `office`: exactly, else by `office_key` (name or Singkatan)."""
    info = result.office_info or {}
    if office in info:
        return info[office]
    return office_index(info.values()).get(office_key(office))


def _abbreviation(result: Result, office: str) -> str:
    record = office_record(result, office)
    return (record.abbreviation or "").strip() if record else ""


def office_label(result: Result, office: str) -> str:
    """The abbreviation (`Singkatan`) of an office, else its name."""
    return _abbreviation(result, office) or office


def unique_sheet_name(prefix: str, base: str, used: set[str]) -> str:
    """`prefix + base` cut to Excel's 31 characters, with ` (2)`, ` (3)`… until no name in `used` (casefolded)
    is the same ignoring case; the name chosen is added to `used`."""
    room = MAX_SHEET_NAME - len(prefix)
    candidate, n = prefix + _fit(base, room), 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate = prefix + _fit(base, room - len(suffix)) + suffix
        n += 1
    used.add(candidate.casefold())
    return candidate


def sheet_names(result: Result) -> dict[str, str]:
    """Office → `Rekap <Singkatan>`: valid, at most 31 characters, unique ignoring case."""
    used = {n.casefold() for n in RESERVED_SHEET_NAMES}
    names: dict[str, str] = {}
    for totals in result.offices:
        base = _clean_name(office_label(result, totals.office)) or _clean_name(totals.office) or "OPD"
        names[totals.office] = unique_sheet_name(OFFICE_SHEET_PREFIX, base, used)
    return names


# ---------------------------------------------------------------- tables


def _text(value: object) -> str:
    return str(value if value is not None else "")[:MAX_CELL_TEXT]


def _period_line(result: Result) -> str:
    return (f"Periode {month_year(result.period.year, result.period.month)} · "
            f"keadaan per {long_date(result.as_of)}")


def _pct(value: Optional[float]):
    return NO_FIGURE if value is None else value


def _summary_table(result: Result, names: dict[str, str]) -> OutputSheet:
    total = result.total
    offices = worst_first(result.offices)
    rows = [
        [i, _text(o.office), names[o.office],
         o.obliged, o.met, o.short, _pct(o.compliance) if o.reported else NOT_REPORTED, o.spent, o.shortfall]
        for i, o in enumerate(offices, 1)
    ]
    return OutputSheet(
        name=SUMMARY_SHEET,
        title=[REPORT_TITLE, _text(result.settings.government), _period_line(result),
               "OPD diurutkan dari kepatuhan terendah; baris Jumlah memuat angka seluruh OPD yang telah melapor."],
        header=["No", "OPD", "Lembar", "Wajib", "Memenuhi", "Kurang", "Kepatuhan",
                "Total Belanja", "Total Kekurangan"],
        kinds=["count", "longtext", "text", "count", "count", "count", "percent", "rupiah", "rupiah"],
        rows=rows,
        total=["", "Jumlah", "", total.obliged, total.met, total.short, _pct(total.compliance),
               total.spent, total.shortfall],
        key="ringkasan",
        empty_text="Tidak ada pegawai pada data.",
        chart=ChartData("bar", "Kepatuhan per OPD", [_text(office_label(result, o.office)) for o in offices],
                        [("Kepatuhan", [o.compliance for o in offices])]),
        scales=[(6, 6, COMPLIANCE)],
        one_page=True,
    )


def _office_table(result: Result, totals: OfficeTotals, name: str, employees: list) -> OutputSheet:
    people = sorted(employees,
                    key=lambda e: (-e.shortfall, e.status.rank, e.name.casefold(), e.nip))
    rows = [
        [i, _text(e.nip), _text(e.name), _text(e.position), e.tier.label,
         MINIMUM_NOT_SET if e.minimum is None else e.minimum, e.spent, e.shortfall, STATUS_LABELS[e.status]]
        for i, e in enumerate(people, 1)
    ]
    record = office_record(result, totals.office)
    head = ""
    if record and record.head_name:
        head = f"Kepala: {_text(record.head_name)}"
    title = [REPORT_TITLE, _text(totals.office), _period_line(result)]
    if head:
        title.insert(2, head)
    return OutputSheet(
        name=name,
        title=title,
        header=["No", "NIP", "Nama", "Jabatan", "Tingkat", "Minimum", "Belanja", "Kekurangan", "Status"],
        kinds=["count", "text", "longtext", "longtext", "text", "rupiah", "rupiah", "rupiah", "status"],
        rows=rows,
        total=["", "", "Jumlah", "", "", "", totals.spent, totals.shortfall, ""],
        key="opd",
        office=totals.office,
        facts=[("Wajib", totals.obliged, "count"), ("Memenuhi", totals.met, "count"),
               ("Kurang", totals.short, "count"), ("Kepatuhan", _pct(totals.compliance), "percent"),
               ("Kekurangan", totals.shortfall, "rupiah")],
    )


def _short_table(result: Result) -> OutputSheet:
    """Everyone short across the city, by office, the largest shortfall first: one list to act on."""
    people = sorted(result.short_employees(), key=lambda e: (
        office_label(result, e.office).casefold(), e.office.casefold(), -e.shortfall, e.name.casefold(), e.nip))
    total = result.total
    return OutputSheet(
        name=SHORT_SHEET,
        title=[REPORT_TITLE, "ASN yang belum memenuhi belanja minimum, seluruh OPD", _period_line(result)],
        header=["No", "OPD", "Nama", "NIP", "Tingkat", "Minimum", "Belanja", "Kekurangan"],  # OPD: its Singkatan
        kinds=["count", "text", "longtext", "text", "text", "rupiah", "rupiah", "rupiah"],
        rows=[[i, _text(office_label(result, e.office)), _text(e.name), _text(e.nip), e.tier.label,
               MINIMUM_NOT_SET if e.minimum is None else e.minimum, e.spent, e.shortfall]
              for i, e in enumerate(people, 1)],
        total=["", "Jumlah", "", "", "", "",
               sum(e.spent for e in people), total.shortfall],
        key="kurang",
        empty_text="Semua ASN yang wajib telah memenuhi belanja minimum.",
        table_name=TABLE_NAMES["kurang"],
    )


def _sellers_table(result: Result) -> OutputSheet:
    sellers = sorted(result.sellers, key=lambda s: (-s.revenue, s.seller.casefold()))
    return OutputSheet(
        name=SELLERS_SHEET,
        title=[REPORT_TITLE, "Pendapatan UMKM dari belanja ASN — uang yang tetap beredar di Kota Ambon",
               _period_line(result)],
        header=["No", "UMKM", "Transaksi", "Pembeli", "Pendapatan"],
        kinds=["count", "longtext", "count", "count", "rupiah"],
        rows=[[i, _text(s.seller), s.transactions, s.buyers, s.revenue] for i, s in enumerate(sellers, 1)],
        key="umkm",
        empty_text="Belum ada belanja yang dihitung pada periode ini.",
    )


def _problems_table(result: Result) -> OutputSheet:
    return OutputSheet(
        name=PROBLEMS_SHEET,
        title=[REPORT_TITLE, "Masalah pada data masukan (GALAT: baris tidak dihitung; PERINGATAN: tetap dihitung)"],
        facts=[("Galat", result.error_count, "count"), ("Peringatan", result.warning_count, "count")],
        header=["No", "Berkas", "Lembar", "Sel", "Tingkat", "Kode", "Pesan"],
        kinds=["count", "text", "text", "text", "status", "text", "message"],
        rows=[[i, _text(p.place.file), _text(p.place.sheet), _text(p.place.cell), SEVERITY_LABELS[p.severity],
               _text(p.code), _text(p.message)] for i, p in enumerate(result.problems, 1)],
        key="masalah",
        empty_text="Tidak ada masalah data.",
    )


def _reconciliation_table(result: Result) -> OutputSheet:
    """The offices' claims against the sellers' books (README: Rekonsiliasi): one row per UMKM, the worst mismatch first,
    then every line found on one side only, each linked to its place in its file."""
    rows, places = [], {}
    for i, r in enumerate(result.reconciliation, 1):
        rows.append([i, _text(r.seller), "ya" if r.reconciled else "tidak direkonsiliasi", r.sales, r.claims,
                     r.matched, r.only_seller, r.only_claim, r.sales_rupiah, r.claims_rupiah,
                     _text(", ".join(r.files) or "-")])
    lines = [("hanya di buku penjual", x) for r in result.reconciliation for x in r.seller_lines] + \
            [("hanya di isian OPD", x) for r in result.reconciliation for x in r.claim_lines]
    if lines:
        rows.append([None] * 11)
        rows.append(["", "Baris tanpa pasangan", "Sisi", "Tanggal", "No. Nota", "NIP", "", "", "Jumlah", "",
                     "Tempat (berkas, lembar, sel)"])
        for k, (side, x) in enumerate(lines, 1):
            place = x.place("receipt")
            places[(len(rows), 10)] = (place.file, place.sheet, place.cell)
            rows.append([k, _text(x.seller), side, x.date.strftime("%d/%m/%Y"), _text(x.receipt), _text(x.nip or "-"),
                         None, None, x.amount, None, _text(f"{place.file}, {place.sheet}, {place.cell}")])
    return OutputSheet(
        name=RECONCILIATION_SHEET,
        title=[REPORT_TITLE, "Rekonsiliasi isian OPD dengan buku penjualan UMKM (selisih terbesar lebih dulu)",
               _period_line(result)],
        facts=[("Klaim tanpa catatan penjual", result.claims_without_sale, "count"),
               ("Penjualan tanpa klaim", sum(r.only_seller for r in result.reconciliation), "count")],
        header=["No", "UMKM", "Direkonsiliasi", "Penjualan", "Klaim", "Cocok", "Hanya Penjual", "Hanya Klaim",
                "Rupiah Penjualan", "Rupiah Klaim", "Buku Penjualan"],
        kinds=["count", "longtext", "text", "count", "count", "count", "count", "count", "rupiah", "rupiah",
               "longtext"],
        rows=rows, places=places, key="rekonsiliasi",
        empty_text="Tidak ada UMKM yang mengirim buku penjualan untuk periode ini; belum ada yang direkonsiliasi.",
    )


def _files_table(result: Result) -> OutputSheet:
    """Every input file's sheets: the table each was read as and its rows, or why it was left alone."""
    read = [s for s in result.sheets if s.read]
    files = list(dict.fromkeys(s.file for s in result.sheets))
    return OutputSheet(
        name=FILES_SHEET,
        title=[REPORT_TITLE, f"Lembar pada berkas masukan: dibaca sebagai apa, berapa baris, atau mengapa dilewati "
                             f"({len(files)} berkas · {len(read)} lembar dibaca · {len(result.sheets) - len(read)} dilewati)",
               _period_line(result)],
        header=["No", "Berkas", "Lembar", "Dibaca Sebagai", "Baris", "Keterangan"],
        kinds=["count", "text", "text", "text", "count", "longtext"],
        rows=[[i, _text(s.file), _text(s.sheet), _text(s.role or "-"), s.rows if s.read else "-",
               _text("" if s.read else s.skipped)] for i, s in enumerate(result.sheets, 1)],
        key="berkas",
        empty_text="Tidak ada berkas masukan yang tercatat.",
    )
def week_label(as_of: dt.date) -> str:
    """A week's column as people read it: the day its snapshot was taken (`s.d. 22 Nov`)."""
    return f"s.d. {as_of.day} {SHORT_MONTHS[as_of.month - 1]}"


def _trend_table(result: Result, trend: Sequence[TrendPoint]) -> OutputSheet:
    """OPD × week compliance, the worst office (in the latest week) first, the city last."""
    weeks = sorted({p.week for p in trend})
    as_of = {}
    for p in trend:
        as_of[p.week] = max(as_of.get(p.week, p.as_of), p.as_of)
    by_key = {(p.week, p.office): p for p in trend}
    offices = [o for o in dict.fromkeys(p.office for p in trend) if o != TREND_TOTAL]

    def latest_point(office: str) -> Optional[TrendPoint]:
        return next((by_key[(w, office)] for w in reversed(weeks) if (w, office) in by_key), None)

    current = {o.office: o for o in result.offices}

    def rank(office: str):
        # The one order of the reports (the weekly email's too): this run's figures; an office that is
        # not in this run by its latest recorded week (which keeps no shortfall).
        if office in current:
            t = current[office]
            return worst_first_key(t.compliance, t.shortfall, office)
        p = latest_point(office)
        return worst_first_key(p.compliance if p else None, 0, office)

    offices.sort(key=rank)
    rows = []
    for i, office in enumerate(offices, 1):
        p = latest_point(office)
        rows.append([i, _text(office), p.obliged if p else NO_FIGURE]
                    + [_pct(by_key[(w, office)].compliance) if (w, office) in by_key else NO_FIGURE
                       for w in weeks])
    total = None
    if any(p.office == TREND_TOTAL for p in trend):
        t = latest_point(TREND_TOTAL)
        total = (["", TREND_TOTAL_LABEL, t.obliged if t else NO_FIGURE]
                 + [_pct(by_key[(w, TREND_TOTAL)].compliance) if (w, TREND_TOTAL) in by_key else NO_FIGURE
                    for w in weeks])

    # The chart: the city, and the lowest offices (with someone obliged) of the latest week.
    lowest = [o for o in offices if (p := latest_point(o)) is not None and p.compliance is not None]
    lowest = lowest[:TREND_CHART_OFFICES]
    labels = [_text(office_label(result, o)) for o in lowest]
    series = [[by_key[(w, o)].compliance if (w, o) in by_key else None for w in weeks] for o in lowest]
    if total is not None:
        labels.append(TREND_TOTAL_LABEL)
        series.append([by_key[(w, TREND_TOTAL)].compliance if (w, TREND_TOTAL) in by_key else None
                       for w in weeks])
    if len(lowest) < len(offices):
        name = f"Kepatuhan per minggu: seluruh OPD dan {len(lowest)} OPD terendah"
    else:
        name = "Kepatuhan per minggu: seluruh OPD dan setiap OPD"
    colours = [LINE_COLOURS[i % len(LINE_COLOURS)] for i in range(len(series))]
    if total is not None and colours:
        colours[-1] = CITY_LINE_COLOUR
    chart = ChartData("line", name, [week_label(as_of[w]) for w in weeks], list(zip(labels, series)),
                      colours=tuple(colours), emphasise_last=total is not None) if weeks and series else None
    first_week = 3
    return OutputSheet(
        name=TREND_SHEET,
        title=[REPORT_TITLE, "Kepatuhan per OPD per minggu (belanja sejak awal bulan sampai tanggal itu)",
               _period_line(result),
               "OPD diurutkan dari kepatuhan terendah pada minggu terakhir; '-' berarti tidak ada data."],
        header=["No", "OPD", "Wajib"] + [week_label(as_of[w]) for w in weeks],
        kinds=["count", "longtext", "count"] + ["percent"] * len(weeks),
        rows=rows,
        total=total,
        key="tren",
        empty_text="Belum ada riwayat mingguan.",
        chart=chart,
        scales=[(first_week, first_week + len(weeks) - 1, COMPLIANCE)] if weeks else [],
    )


def sheet_tables(result: Result, trend: Optional[Sequence[TrendPoint]] = None) -> list[OutputSheet]:
    """Every sheet of the summary as plain tables, in workbook order."""
    names = sheet_names(result)
    tables = [_summary_table(result, names), _short_table(result)]
    by_office: dict[str, list] = {o.office: [] for o in result.offices}
    for e in result.employees:
        by_office[e.office].append(e)
    tables += [_office_table(result, o, names[o.office], by_office[o.office]) for o in result.offices]
    tables += [_sellers_table(result)]
    if result.reconciliation:
        tables.append(_reconciliation_table(result))
    tables += [_problems_table(result), _files_table(result)]
    if trend is not None:
        tables.append(_trend_table(result, trend))
    return tables


# ---------------------------------------------------------------- xlsx writer


def outcome_text(result: Result, path: os.PathLike | str) -> str:
    """What the command line says after writing the summary (Indonesian)."""
    total = result.total
    return (f"Rekap ditulis: {path}\n"
            f"{month_year(result.period.year, result.period.month)}, keadaan per {long_date(result.as_of)}: "
            f"kepatuhan {percent(total.compliance)} ({total.met} dari {total.obliged} pegawai wajib), "
            f"{total.short} kurang, kekurangan {rupiah(total.shortfall)}; {len(result.problems)} masalah data.")


# ---------------------------------------------------------------- the yearly recap

YEAR_SHORTFALL_SHEET = "Kekurangan"
YEAR_EMPLOYEES_SHEET = "Pegawai"


def _year_line(year: YearResult) -> str:
    return f"Tahun {year.year} · keadaan per {long_date(year.as_of)}"


def year_months(year: YearResult) -> tuple[str, list[int]]:
    """The months a yearly grid shows: from the first month with data on (the months before it, all
    "tanpa data", folded into one column labelled `Jan–Agu`, or "" when there are none)."""
    first = min(year.months_with_data, default=1)
    if first == 1:
        return "", list(range(1, 13))
    folded = SHORT_MONTHS[0] if first == 2 else f"{SHORT_MONTHS[0]}\u2013{SHORT_MONTHS[first - 2]}"
    return folded, list(range(first, 13))


def _year_grid(year: YearResult, name: str, subtitle: str, kind: str, key: str, figure, year_figure,
               scale: ColourScale, offices: list[str]) -> OutputSheet:
    """Office × month: `figure(totals)` of each month with data, "tanpa data" for the others, "belum
    melapor" for an office that sent no data that month. Months before the first data share one column."""
    folded, months = year_months(year)

    def cells(get_month, whole) -> list:
        row = [NO_DATA] if folded else []
        for m in months:
            if year.months[m - 1] is None:
                row.append(NO_DATA)
            else:
                t = get_month(m)
                row.append(NO_FIGURE if t is None else NOT_REPORTED if not t.reported else figure(t))
        return row + [year_figure(whole)]

    n = len(months) + (1 if folded else 0)
    rows = [[i, _text(o)] + cells(lambda m, o=o: year.office_month(o, m), year.office_year(o))
            for i, o in enumerate(offices, 1)]
    return OutputSheet(
        name=name,
        title=[REPORT_TITLE, subtitle, _year_line(year),
               "OPD diurutkan dari kepatuhan setahun terendah; 'tanpa data' = belum ada belanja tercatat "
               "pada bulan itu" + (f" (kolom {folded}: semua bulan sebelum data pertama)" if folded else "")
               + ", '-' = tidak ada pegawai wajib, 'belum melapor' = OPD belum mengirim data bulan itu "
                 "(tidak dihitung dalam angka setahun)."],
        header=["No", "OPD"] + ([folded] if folded else []) + [SHORT_MONTHS[m - 1] for m in months] + ["Setahun"],
        kinds=["count", "longtext"] + [kind] * (n + 1),
        rows=rows,
        total=["", "Jumlah"] + cells(year.city_month, year.total),
        key=key,
        empty_text="Tidak ada pegawai pada data.",
        scales=[(2, 1 + n, scale), (2 + n, 2 + n, scale)],  # the year's column on a scale of its own
        same_width=(2, 1 + n),
    )


def year_tables(year: YearResult) -> list[OutputSheet]:
    """Every sheet of the yearly recap as plain tables; each figure is read from the monthly results."""
    totals = {o: year.office_year(o) for o in year.offices}
    offices = [t.office for t in worst_first(list(totals.values()))]
    compliance = _year_grid(
        year, SUMMARY_SHEET, "Kepatuhan per OPD per bulan (pegawai yang memenuhi dibagi pegawai wajib)",
        "percent", "tahun", lambda t: _pct(t.compliance), lambda t: _pct(t.compliance), COMPLIANCE, offices)
    compliance.title.insert(1, _text(year.settings.government))
    _, months = year_months(year)
    compliance.chart = ChartData(
        "column", f"Kepatuhan seluruh OPD per bulan, {year.year}", [SHORT_MONTHS[m - 1] for m in months],
        [("Kepatuhan seluruh OPD", [None if (t := year.city_month(m)) is None else t.compliance for m in months])])
    shortfall = _year_grid(
        year, YEAR_SHORTFALL_SHEET, "Jumlah kekurangan belanja per OPD per bulan", "rupiah", "tahun_kurang",
        lambda t: t.shortfall, lambda t: t.shortfall, SHORTFALL, offices)
    # Worst first (README: Kekurangan berulang dan daftar TPP): the most months short, then the longest run, then the largest shortfall.
    people = sorted(year.employees, key=lambda e: (
        -e.months_short, -e.longest_run, -e.shortfall, office_label(year, e.office).casefold(), e.name.casefold(),
        e.nip))
    employees = OutputSheet(
        name=YEAR_EMPLOYEES_SHEET,
        title=[REPORT_TITLE, "Setiap ASN: bulan wajib, bulan memenuhi, bulan kurang, kurang berturut-turut "
                             "terpanjang, dan kekurangan setahun; yang paling sering kurang di atas", _year_line(year)],
        header=["No", "OPD", "NIP", "Nama", "Tingkat", "Bulan Wajib", "Bulan Memenuhi", "Bulan Kurang",
                "Berturut Terpanjang", "Belanja Setahun", "Kekurangan Setahun"],
        kinds=["count", "text", "text", "longtext", "text", "count", "count", "count", "count", "rupiah", "rupiah"],
        rows=[[i, _text(office_label(year, e.office)), _text(e.nip), _text(e.name), e.tier.label,
               e.months_obliged, e.months_met, e.months_short, e.longest_run, e.spent, e.shortfall]
              for i, e in enumerate(people, 1)],
        total=["", "Jumlah", "", "", "", sum(e.months_obliged for e in people), sum(e.months_met for e in people),
               sum(e.months_short for e in people), "", sum(e.spent for e in people),
               sum(e.shortfall for e in people)],
        key="tahun_pegawai",
        empty_text="Tidak ada data belanja pada tahun ini.",
        table_name=TABLE_NAMES["tahun_pegawai"],
    )
    return [compliance, shortfall, employees, _problems_table(year)]


# ---------------------------------------------------------------- the open workbook's sheets (the buttons)


def workbook_rekap_sheets(tables: list[OutputSheet]) -> list[OutputSheet]:
    """The recap's tables as `Rekap …` sheets of the open workbook, with what the recap file has where it
    applies (key figures, colour scales, Excel tables, charts): each renamed `Rekap <name>`, unique;
    `Ringkasan`'s offices linked to their sheets; the yearly grid printed on one page with its chart. Its
    `Masalah Data` is left out: the workbook's own (`workbook_problems_sheet`) links to the cells."""
    used: set[str] = set()
    names = {t.name: _rekap_name(t.name, used) for t in tables if t.key != "masalah"}
    sheets = []
    for table in tables:
        if table.key == "masalah":
            continue
        links = {}
        if table.key == "ringkasan":
            links = {(i, 2): "#" + location(names[row[2]], "A1") for i, row in enumerate(table.rows)
                     if row[2] in names}
        sheets.append(replace(table, name=names[table.name], links=links,
                              one_page=table.one_page or table.key == "tahun"))
    return sheets


def _rekap_name(name: str, used: set[str]) -> str:
    """A summary table's sheet in the open workbook: `Rekap <name>` (once), unique in `used`."""
    if name.casefold().startswith(OFFICE_SHEET_PREFIX.casefold()):
        name = name[len(OFFICE_SHEET_PREFIX):]
    return unique_sheet_name(OFFICE_SHEET_PREFIX, name, used)


def result_sheet(result: Result) -> OutputSheet:
    """`Hasil`: every ASN with tier, minimum, spent, shortfall and status; the short ones coloured."""
    people = sorted(result.employees, key=lambda e: (e.office.casefold(), e.status.rank,
                                                     -e.shortfall, e.name.casefold(), e.nip))
    rows, fills = [], {}
    for i, e in enumerate(people):
        rows.append([i + 1, e.nip, e.name, e.position, e.office, e.tier.label,
                     MINIMUM_NOT_SET if e.minimum is None else e.minimum, e.spent, e.shortfall,
                     STATUS_LABELS[e.status]])
        if e.status is Status.KURANG:
            fills[i] = SHORT_FILL
    total = result.total
    period = month_year(result.period.year, result.period.month)
    return OutputSheet(
        schema.RESULT_SHEET,
        [f"Hasil perhitungan Jiku Bata \u2014 {period}",
         f"Data per {long_date(result.as_of)}; baris ASN yang kurang berwarna merah muda."],
        ["No", "NIP", "Nama", "Jabatan", "OPD", "Tingkat", "Minimum", "Belanja", "Kekurangan", "Status"],
        ["count", "text", "longtext", "longtext", "longtext", "text", "rupiah", "rupiah", "rupiah", "status"],
        rows,
        total=["", "", "Jumlah", "", "", "", "", total.spent, total.shortfall, ""],
        row_fills=fills,
        widths=[6, 21, 30, 32, 34, 13, 16, 16, 16, 13],
        empty_text="Lembar Pegawai belum berisi ASN.",
        facts=[("Wajib belanja", total.obliged, "count"), ("Memenuhi", total.met, "count"),
               ("Kurang", total.short, "count"), ("Kepatuhan", NO_FIGURE if total.compliance is None
                                                 else total.compliance, "percent"),
               ("Kekurangan", total.shortfall, "rupiah")],
        table_name="HasilPerhitungan",
    )


def workbook_problems_sheet(checked, workbook: str, sheet_names: list[str], files: dict[str, Path]) -> OutputSheet:
    """`Masalah Data` of the open workbook named `workbook` (a `Dataset` or `Result` checked): every problem;
    its cell links to the place when the place is in this workbook (among `sheet_names`), and its file name
    opens the file when the file was read from a folder beside it (`files`: the reader's label of each,
    casefolded, to its path)."""
    here = workbook.casefold()
    rows, links = [], {}
    for i, p in enumerate(checked.problems):
        rows.append([i + 1, p.place.file, p.place.sheet, p.place.cell, SEVERITY_LABELS[p.severity], p.code,
                     p.message])
        sheet = find_sheet(sheet_names, p.place.sheet) if p.place.file.casefold() == here else None
        if sheet and p.place.cell:
            links[(i, 3)] = "#" + location(sheet, p.place.cell)
        other = files.get(p.place.file.casefold()) if p.place.file.casefold() != here else None
        if other is not None:
            links[(i, 1)] = str(other)
    return OutputSheet(
        schema.PROBLEMS_SHEET,
        ["Masalah data Jiku Bata",
         "GALAT: baris tidak dihitung \u00b7 PERINGATAN: tetap dihitung \u00b7 klik sel untuk menuju isian"],
        ["No", "Berkas", "Lembar", "Sel", "Tingkat", "Kode", "Pesan"],
        ["count", "text", "text", "link", "status", "text", "longtext"],
        rows, links=links, widths=[6, 18, 14, 8, 13, 24, 80],
        empty_text="Tidak ada masalah data.",
        facts=[("Galat", checked.error_count, "count"), ("Peringatan", checked.warning_count, "count")],
        table_name="MasalahData",
    )


def letters_sheet(result: Result, outcome) -> OutputSheet:
    """`Daftar Surat`: what a clerk needs on paper (number, date, addressee, office, shortfall, sent?).

    The file link is kept but narrow: the short text `Buka` opens the letter.
    """
    from jikubata.adapters.letters import delivery_status, letter_kind_label, register_status

    rows, links = [], {}
    for i, letter in enumerate(outcome.numbers or outcome.letters):
        rows.append([i + 1, letter.number, long_date(letter.date), letter_kind_label(letter), letter.recipient,
                     letter.office, letter.shortfall, register_status(letter), delivery_status(letter), "Buka"])
        links[(i, 9)] = str(letter.path)
    return OutputSheet(
        schema.LETTERS_SHEET,
        [f"Daftar surat \u2014 {month_year(result.period.year, result.period.month)}",
         f"Data per {long_date(result.as_of)} \u00b7 folder {outcome.folder}"],
        ["No", "Nomor Surat", "Tanggal", "Jenis", "Penerima", "OPD", "Kekurangan", "Status", "Status Kirim",
         "Berkas"],
        ["count", "text", "text", "text", "longtext", "longtext", "rupiah", "text", "text", "link"],
        rows, links=links, widths=[5, 28, 17, 14, 34, 30, 14, 14, 14, 8],
        empty_text="Tidak ada ASN yang kurang belanja; tidak ada surat yang dibuat.",
        table_name="DaftarSurat",
    )


def year_file_name(year: YearResult) -> str:
    return f"Rekap-Jiku-Bata-{year.year:04d}.xlsx"


def write_year_summary(year: YearResult, out_dir: os.PathLike | str, *, file_name: Optional[str] = None) -> Path:
    """Write the yearly recap `Rekap-Jiku-Bata-TTTT.xlsx` atomically into `out_dir`; return its path."""
    target = Path(out_dir) / (file_name or year_file_name(year))
    tables = year_tables(year)
    try:
        with atomic_path(target) as tmp:
            _Writer(tmp, year, label=f"Tahun {year.year}").write(tables)
    except (OSError, FileCreateError) as exc:
        cause = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else exc
        raise unwritable(cause, target.parent) if isinstance(cause, OSError) else \
            InputError(f"rekap tahunan tidak dapat ditulis ke {target}") from None
    return target


def year_outcome_text(year: YearResult, path: os.PathLike | str) -> str:
    """What the command line says after writing the yearly recap (Indonesian)."""
    total = year.total
    months = year.months_with_data
    have = ", ".join(SHORT_MONTHS[m - 1] for m in months) if months else "tidak ada"
    return (f"Rekap tahunan ditulis: {path}\n"
            f"Tahun {year.year}, keadaan per {long_date(year.as_of)}: bulan dengan data: {have}; "
            f"kepatuhan {percent(total.compliance)} ({total.met} dari {total.obliged} pegawai-bulan wajib), "
            f"kekurangan {rupiah(total.shortfall)}; {len(year.problems)} masalah data.")


def summary_file_name(result: Result) -> str:
    return f"Rekap-Jiku-Bata-{result.period}.xlsx"


def write_summary(result: Result, out_dir: os.PathLike | str, *, file_name: Optional[str] = None,
                  trend: Optional[Sequence[TrendPoint]] = None) -> Path:
    """Write the summary workbook atomically into `out_dir`; return its path."""
    target = Path(out_dir) / (file_name or summary_file_name(result))
    tables = sheet_tables(result, trend)
    try:
        with atomic_path(target) as tmp:
            _Writer(tmp, result).write(tables)
    except (OSError, FileCreateError) as exc:
        cause = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else exc
        raise unwritable(cause, target.parent) if isinstance(cause, OSError) else \
            InputError(f"rekap tidak dapat ditulis ke {target}") from None
    return target


_WIDTH_CAPS = {"text": 36, "longtext": 44, "message": 72, "count": 12, "rupiah": 16, "percent": 11, "status": 13}
_TEXT_KINDS = ("text", "longtext", "message", "status")


class _Writer:
    """Lays `OutputSheet`s out in an XlsxWriter workbook."""

    def __init__(self, path: Path, result, label: Optional[str] = None):
        """`result` is a `Result` (or a `YearResult`); `label` names its period in the footer."""
        self.result = result
        self.label = label or month_year(result.period.year, result.period.month)
        self.wb = xlsxwriter.Workbook(str(path), {
            # Belt and braces: we only use write_string/write_number, but no
            # text must ever become a formula, a number or a link.
            "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
            "in_memory": True,  # a few MB of XML: no temporary files per sheet
            # Arial: on every Windows, and metric-compatible Liberation Sans where LibreOffice prints.
            "default_format_properties": {"font_name": FONT, "font_size": 10},
        })
        self.wb.set_properties({
            "title": f"Rekap Jiku Bata {getattr(result, 'period', None) or result.year}",
            "subject": "Rekap belanja wajib produk UMKM per OPD",
            "author": "Jiku Bata",
            "company": _clean_name(result.settings.government) or "Pemerintah Kota Ambon",
        })
        self.f = self._formats()

    def _formats(self) -> dict:
        add = self.wb.add_format
        cell = {"font_name": FONT, "font_size": 10, "valign": "top", "border": 1, "border_color": GRID_COLOUR}
        total = dict(cell, bold=True, bg_color=TOTAL_FILL, top=2, top_color=LINE_COLOUR)
        f = {
            "title": add({"font_name": FONT, "bold": True, "font_size": 14, "font_color": NAVY}),
            "subtitle": add({"font_name": FONT, "bold": True, "font_size": 11}),
            "line": add({"font_name": FONT, "font_size": 10, "font_color": LINE_COLOUR}),
            "header": add({"font_name": FONT, "font_size": 10, "bold": True, "font_color": HEADER_FONT,
                           "bg_color": HEADER_FILL, "border": 1, "border_color": GRID_COLOUR,
                           "text_wrap": True, "valign": "vcenter", "align": "center"}),
            "empty": add({"font_name": FONT, "font_size": 10, "italic": True, "font_color": MUTED}),
            "link": add(dict(cell, font_color=LINK_COLOUR, underline=1, text_wrap=True)),
            "fact_label": add({"font_name": FONT, "font_size": 9, "font_color": MUTED, "align": "left"}),
            "fact_text": add({"font_name": FONT, "font_size": 11, "bold": True, "align": "left"}),
        }
        for kind, num_format in NUMBER_FORMATS.items():
            f["fact_" + kind] = add({"font_name": FONT, "font_size": 11, "bold": True, "num_format": num_format,
                                     "align": "left", "font_color": NAVY})
        for prefix, base in (("", cell), ("total_", total)):
            f[prefix + "text"] = add(dict(base))
            f[prefix + "longtext"] = f[prefix + "message"] = add(dict(base, text_wrap=True))
            f[prefix + "status"] = add(dict(base, align="center"))
            f[prefix + "placeholder"] = add(dict(base, align="right", italic=True, font_color=MUTED))
            for kind, num_format in NUMBER_FORMATS.items():
                f[prefix + kind] = add(dict(base, num_format=num_format))
        f["colours"] = {text: add({"bg_color": fill, "font_color": font}) for text, (fill, font) in STATUS_COLOURS.items()}
        return f

    def write(self, tables: list[OutputSheet]) -> None:
        for table in tables:
            ws = self.wb.add_worksheet(table.name)
            layout = self._table(ws, table)
            if table.key == "ringkasan":
                self._summary_extras(ws, table, layout)
            elif table.key == "tren":
                self._trend_extras(ws, table, layout)
            elif table.key == "tahun":
                self._year_extras(ws, table, layout)
        self.wb.close()

    # -- one table

    def _cell(self, ws, row: int, col: int, value, kind: str, prefix: str = "") -> None:
        if value is None or value == "":
            ws.write_blank(row, col, None, self.f[prefix + (kind if kind in _TEXT_KINDS else "text")])
        elif isinstance(value, str):
            fmt = kind if kind in _TEXT_KINDS else "placeholder"
            ws.write_string(row, col, value, self.f[prefix + fmt])
        else:
            fmt = kind if kind in NUMBER_FORMATS else "count"
            ws.write_number(row, col, value, self.f[prefix + fmt])

    def _table(self, ws, table: OutputSheet) -> dict:
        for r, line in enumerate(table.title):
            style = "title" if r == 0 else "subtitle" if r == 1 else "line"
            ws.write_string(r, 0, _text(line), self.f[style])
        ws.set_row(0, 21)
        header_row = table.header_row
        ncols = len(table.header)
        # Key figures as cells under the title: a label above each value, numbers in number formats.
        for c, (label, value, kind) in enumerate(table.facts, 1):
            ws.write_string(len(table.title) + 1, c, label, self.f["fact_label"])
            if isinstance(value, str):
                ws.write_string(len(table.title) + 2, c, value, self.f["fact_text"])
            else:
                ws.write_number(len(table.title) + 2, c, value, self.f["fact_" + kind])
        for c, head in enumerate(table.header):
            ws.write_string(header_row, c, head, self.f["header"])
        ws.set_row(header_row, 28)
        first = header_row + 1
        # The hot loop (6,000 ASN at city scale): formats looked up once per column.
        text_fmt = [self.f[k if k in _TEXT_KINDS else "placeholder"] for k in table.kinds]
        number_fmt = [self.f[k if k in NUMBER_FORMATS else "count"] for k in table.kinds]
        blank_fmt = [self.f[k if k in _TEXT_KINDS else "text"] for k in table.kinds]
        write_string, write_number, write_blank = ws.write_string, ws.write_number, ws.write_blank
        for r, values in enumerate(table.rows, first):
            for c, value in enumerate(values):
                if isinstance(value, str) and value:
                    write_string(r, c, value, text_fmt[c])
                elif value is None or isinstance(value, str):
                    write_blank(r, c, None, blank_fmt[c])
                else:
                    write_number(r, c, value, number_fmt[c])
        for i in table.strong_rows:
            for c, value in enumerate(table.rows[i]):
                self._cell(ws, first + i, c, value, table.kinds[c], prefix="total_")
        for (i, c), (file, sheet, cell) in table.places.items():
            target = f"external:{file}" + (f"#'{sheet}'!{cell}" if sheet and cell else "")
            ws.write_url(first + i, c, target, self.f["link"], string=_text(table.rows[i][c]))
        last = first + len(table.rows) - 1
        total_row = None
        if not table.rows and table.empty_text:
            ws.write_string(first, 0, table.empty_text, self.f["empty"])
            last = first
        elif table.total is not None:
            total_row = last + 1
            for c, value in enumerate(table.total):
                self._cell(ws, total_row, c, value, table.kinds[c], prefix="total_")

        widths = self._widths(ws, table)
        self._wrapped_row_heights(ws, table, first, widths)
        for c, kind in enumerate(table.kinds):
            if kind == "status" and table.rows:
                for text, fmt in self.f["colours"].items():
                    ws.conditional_format(first, c, last, c, {
                        "type": "cell", "criteria": "==", "value": f'"{text}"', "format": fmt})
        if table.rows:
            for c1, c2, scale in table.scales:
                ws.conditional_format(first, c1, last, c2, scale.to_xlsxwriter())
        ws.freeze_panes(first, 0)
        if table.rows and table.table_name:
            # A real Excel table: filter buttons, banding; the header cells are the ones written above.
            ws.add_table(header_row, 0, last, ncols - 1, {
                "columns": [{"header": h, "header_format": self.f["header"]} for h in table.header],
                "style": "Table Style Light 1", "autofilter": True, "banded_rows": False,
                "name": table.table_name})
        elif table.rows:
            ws.autofilter(header_row, 0, last, ncols - 1)
        self._print_setup(ws, header_row, one_page=table.one_page)
        return {"header": header_row, "first": first, "last": last, "total": total_row, "ncols": ncols,
                "widths": widths}

    def _widths(self, ws, table: OutputSheet) -> list[float]:
        """Column widths from the widest value (in Arial), within a cap per kind."""
        widths = []
        for c, (head, kind) in enumerate(zip(table.header, table.kinds)):
            need = max((text_px(w) * 1.1 for w in head.split()), default=28.0)  # headers are bold
            values = [row[c] for row in table.rows]
            if table.total is not None:
                values.append(table.total[c])
            texts = [v for v in values if isinstance(v, str)]
            if texts:
                # Measuring every string is slow at city scale; only the longest can be the widest.
                longest = max(map(len, texts))
                need = max(need, max(text_px(t) for t in texts if len(t) * 1.6 >= longest))
            numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
            if numbers:
                digits = len(f"{int(max(map(abs, numbers))):,}")
                need = max(need, (digits + (2 if kind == "rupiah" else 0) + (3 if kind == "percent" else 0)) * 7.4)
            widths.append(min(max(chars_for_px(need), 5), _WIDTH_CAPS[kind]))
        if table.same_width:
            c1, c2 = table.same_width
            widths[c1:c2 + 1] = [max(widths[c1:c2 + 1])] * (c2 + 1 - c1)
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        return widths

    @staticmethod
    def _wrapped_row_heights(ws, table: OutputSheet, first: int, widths: list[float]) -> None:
        """Give rows with wrapped text their height: LibreOffice does not grow them on opening."""
        wrapped = [(c, column_pixels(widths[c]) - CELL_PADDING_PX) for c, k in enumerate(table.kinds)
                   if k in ("longtext", "message")]
        if not wrapped:
            return
        for r, values in enumerate(table.rows, first):
            lines = 1
            for c, room in wrapped:
                text = values[c]
                # No character of Arial is wider than 13 px (W, M, @): shorter texts fit on one line.
                if not isinstance(text, str):
                    continue
                if "\n" in text or (len(text) * 13 > room and text_px(text) > room):
                    lines = max(lines, wrapped_lines(text, room))
            if lines > 1:
                ws.set_row(r, 12.75 * lines + 2)

    def _print_setup(self, ws, header_row: int, one_page: bool = False) -> None:
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        ws.center_horizontally()
        if one_page:  # the table and its chart below it on one portrait page
            ws.set_portrait()
            ws.fit_to_pages(1, 1)
        else:
            ws.set_landscape()
            ws.fit_to_pages(1, 0)
            ws.repeat_rows(header_row)
        label = self.label.replace("&", "&&")
        ws.set_footer(f"&L&8Jiku Bata · Rekap {label}&C&8&A&R&8Halaman &P dari &N")

    # -- charts

    def _summary_extras(self, ws, table: OutputSheet, layout: dict) -> None:
        """Link each office to its sheet, and chart compliance by office."""
        for i, row in enumerate(table.rows):
            name = row[2]
            sheet = name.replace("'", "''")
            ws.write_url(layout["first"] + i, 2, f"internal:'{sheet}'!A1", self.f["link"], string=name,
                         tip=f"Buka lembar {name}")
        if not table.rows:
            return
        # Hidden helper columns: the chart's labels and values (a blank where nobody is obliged).
        label_col, value_col = layout["ncols"], layout["ncols"] + 1
        ws.write_string(layout["header"], label_col, "Label grafik")
        ws.write_string(layout["header"], value_col, "Kepatuhan grafik")
        (series, values), = table.chart.series
        for i, (label, value) in enumerate(zip(table.chart.labels, values)):
            ws.write_string(layout["first"] + i, label_col, label)
            if value is not None:
                ws.write_number(layout["first"] + i, value_col, value)
        ws.set_column(label_col, value_col, None, None, {"hidden": True})

        chart = self.wb.add_chart({"type": "bar"})
        first, last = layout["first"], layout["last"]
        chart.add_series({
            "name": series,
            "categories": [SUMMARY_SHEET, first, label_col, last, label_col],
            "values": [SUMMARY_SHEET, first, value_col, last, value_col],
            "fill": {"color": ACCENT},
            "gap": 60,
            "data_labels": {"value": True, "num_format": "0%", "font": {"size": 8}},
        })
        chart.set_title({"name": table.chart.title, "name_font": {"size": 12}})
        chart.set_x_axis({"min": 0, "max": 1, "num_format": "0%", "major_unit": 0.25,
                          "num_font": {"size": 8}})
        chart.set_y_axis({"reverse": True, "num_font": {"size": 8}, "interval_unit": 1})
        chart.set_legend({"none": True})
        chart.show_hidden_data()
        chart.show_blanks_as("gap")
        # As wide as the table, as tall as the bars need: table and chart print on one page together.
        width = sum(column_pixels(w) for w in layout["widths"])
        chart.set_size({"width": max(width, 480), "height": max(240, 70 + 15 * len(table.rows))})
        anchor = (layout["total"] if layout["total"] is not None else layout["last"]) + 2
        ws.insert_chart(anchor, 0, chart, {"object_position": 1})

    def _year_extras(self, ws, table: OutputSheet, layout: dict) -> None:
        """Below the grid: a column per month of the city's compliance (no column for a month with no data)."""
        data = table.chart
        if data is None or not table.rows:
            return
        (series, values), = data.series
        label_col, value_col = layout["ncols"] + 1, layout["ncols"] + 2
        top = layout["header"]
        ws.write_string(top, label_col, "Bulan")
        ws.write_string(top, value_col, "Kepatuhan kota")
        for r, (label, value) in enumerate(zip(data.labels, values), 1):
            ws.write_string(top + r, label_col, label)
            if value is not None:
                ws.write_number(top + r, value_col, value)
        ws.set_column(label_col, value_col, None, None, {"hidden": True})
        sheet = ws.get_name()
        chart = self.wb.add_chart({"type": "column"})
        chart.add_series({
            "name": series,
            "categories": [sheet, top + 1, label_col, top + len(data.labels), label_col],
            "values": [sheet, top + 1, value_col, top + len(data.labels), value_col],
            "fill": {"color": ACCENT}, "gap": 50,
            "data_labels": {"value": True, "num_format": "0%", "font": {"size": 8}},
        })
        chart.set_title({"name": data.title, "name_font": {"size": 11}})
        chart.set_y_axis({"min": 0, "max": 1, "num_format": "0%", "major_unit": 0.25, "num_font": {"size": 8},
                          "major_gridlines": {"visible": True, "line": {"color": SOFT_GREY}}})
        chart.set_x_axis({"num_font": {"size": 8}})
        chart.set_legend({"none": True})
        chart.show_hidden_data()
        chart.show_blanks_as("gap")
        width = sum(column_pixels(w) for w in layout["widths"])
        chart.set_size({"width": max(width, 560), "height": 300})
        anchor = (layout["total"] if layout["total"] is not None else layout["last"]) + 2
        ws.insert_chart(anchor, 0, chart, {"object_position": 1})

    def _trend_extras(self, ws, table: OutputSheet, layout: dict) -> None:
        """Beside the grid: a line for the city and for each of the lowest offices, one colour each."""
        data = table.chart
        if data is None:
            return
        sheet = ws.get_name()
        # Hidden helper block right of the table: weeks down, one column per line (blank = no data).
        base = layout["ncols"] + 1
        top = layout["header"]
        ws.write_string(top, base, "Minggu")
        for r, week in enumerate(data.labels, 1):
            ws.write_string(top + r, base, week)
        for s, (label, values) in enumerate(data.series, 1):
            ws.write_string(top, base + s, label)
            for r, value in enumerate(values, 1):
                if value is not None:
                    ws.write_number(top + r, base + s, value)
        n_series = len(data.series)
        ws.set_column(base, base + n_series, None, None, {"hidden": True})

        chart = self.wb.add_chart({"type": "line"})
        last_week = top + len(data.labels)
        for s in range(1, n_series + 1):
            is_city = data.emphasise_last and s == n_series
            colour = data.colours[s - 1]
            chart.add_series({
                "name": [sheet, top, base + s],
                "categories": [sheet, top + 1, base, last_week, base],
                "values": [sheet, top + 1, base + s, last_week, base + s],
                "line": {"width": 3.0 if is_city else 1.75, "color": colour,
                         **({} if is_city else {"dash_type": "solid"})},
                "marker": {"type": "square" if is_city else "circle", "size": 6 if is_city else 5,
                           "fill": {"color": colour}, "border": {"color": colour}},
            })
        chart.set_title({"name": data.title or "Kepatuhan", "name_font": {"size": 11}})
        chart.set_y_axis({"min": 0, "max": 1, "num_format": "0%", "major_unit": 0.25,
                          "num_font": {"size": 8}, "major_gridlines": {"visible": True,
                                                                       "line": {"color": SOFT_GREY}}})
        chart.set_x_axis({"num_font": {"size": 8}})
        chart.set_legend({"position": "bottom", "font": {"size": 8}})
        chart.show_hidden_data()
        chart.show_blanks_as("gap")
        # Beside the grid (right of the hidden block), so a long grid never cuts it over two pages.
        chart.set_size({"width": 620, "height": 420})
        ws.insert_chart(layout["header"], base + n_series + 1, chart, {"x_offset": 12, "object_position": 3})
