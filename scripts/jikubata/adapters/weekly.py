"""The weekly summary's email (README: Rekap mingguan terjadwal): the figures it shows and its HTML and text bodies.

`services.run_weekly` runs the week (computes, writes the workbook with its
`Tren` sheet, records the snapshot); this module turns the `Result` and last
week's snapshot into what the email says, never recomputing a total.
"""
from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from jikubata.domain import indonesian
from jikubata.adapters import summary
from jikubata import resources
from jikubata.domain.model import OfficeTotals, Result, worst_first
from jikubata.adapters.history import OfficeSnapshot
from jikubata.domain.indonesian import percent

MOST_BEHIND = 5           # offices listed as most behind in the email
CHANGES_SHOWN = 10        # offices listed under "what changed"
EMAIL_FILE = "email.html"
TEMPLATE = "email_mingguan.html.j2"


def templates_dir() -> Path:
    """The folder of `email_mingguan.html.j2`: an office's own (`$JIKUBATA_TEMPLATES`) when it holds one."""
    return resources.template_path(TEMPLATE).parent


def points(delta: Optional[float]) -> str:
    """A change of a share in percentage points: `+5,0 poin`, `−2,1 poin`, `tetap`."""
    if delta is None:
        return "-"
    value = round(delta * 100, 1)
    if value == 0:
        return "tetap"
    sign = "+" if value > 0 else "−"
    return f"{sign}{indonesian.decimal(abs(value))} poin"


def rupiah_change(delta: int) -> str:
    if delta == 0:
        return "tetap"
    return ("+" if delta > 0 else "−") + indonesian.rupiah(abs(delta))


# ---------------------------------------------------------------- what the email says


@dataclass(frozen=True)
class OfficeChange:
    office: str
    before: Optional[OfficeSnapshot]   # None: the office was not in last week's snapshot
    now: OfficeTotals

    @property
    def compliance_delta(self) -> Optional[float]:
        if self.before is None or self.before.compliance is None or self.now.compliance is None:
            return None
        return self.now.compliance - self.before.compliance

    @property
    def spent_delta(self) -> int:
        return self.now.spent - (self.before.spent if self.before else 0)


@dataclass
class WeeklyReport:
    """The figures of the email, taken from the `Result` and last week's snapshot (never recomputed)."""

    week: str
    result: Result
    previous_week: Optional[str]
    previous: list[OfficeSnapshot]

    @property
    def total(self) -> OfficeTotals:
        return self.result.total

    @property
    def previous_total(self) -> Optional[OfficeTotals]:
        return _sum_totals(self.previous) if self.previous else None

    @property
    def previous_as_of(self) -> Optional[dt.date]:
        return self.previous[0].as_of if self.previous else None

    @property
    def week_text(self) -> str:
        """`minggu ke-4 November 2026 (16–22 November)`: the week as the email says it."""
        return indonesian.week(self.result.as_of)

    @property
    def previous_week_text(self) -> Optional[str]:
        """Last recorded week as people say it (`minggu ke-3 November 2026 (9–15 November)`), or None."""
        return indonesian.week(self.previous_as_of) if self.previous_as_of else None

    @property
    def same_month_as_previous(self) -> bool:
        d = self.previous_as_of
        return d is not None and (d.year, d.month) == (self.result.period.year, self.result.period.month)

    def most_behind(self, n: int = MOST_BEHIND) -> list[OfficeTotals]:
        """Offices with someone short, in the reports' one order (`worst_first`): the Tren chart's too.
        An office that has not reported is no verdict: it is listed as `belum melapor` instead."""
        return worst_first(o for o in self.result.offices if o.obliged and o.short and o.reported)[:n]

    def changes(self) -> list[OfficeChange]:
        """Offices whose figures moved since last week, the largest rise in compliance first."""
        before = {s.office: s for s in self.previous}
        moved = []
        for o in self.result.offices:
            b = before.get(o.office)
            if b is not None and (b.obliged, b.met, b.spent) == (o.obliged, o.met, o.spent):
                continue
            moved.append(OfficeChange(o.office, b, o))
        return sorted(moved, key=lambda c: (c.compliance_delta is None, -(c.compliance_delta or 0),
                                            -c.spent_delta, c.office.casefold()))

    @property
    def problem_counts(self) -> tuple[int, int]:
        return self.result.error_count, self.result.warning_count


@dataclass
class WeeklyOutcome:
    week: str
    as_of: dt.date
    folder: Path
    workbook: Path
    email_html: Path
    subject: str
    report: WeeklyReport

    @property
    def result(self) -> Result:
        return self.report.result

    def figure_lines(self) -> list[str]:
        """Compliance, shortfall, the change since last week and the data problems, in Indonesian."""
        total = self.report.total
        errors, warnings = self.report.problem_counts
        lines = [f"Kepatuhan {indonesian.month_year(self.result.period.year, self.result.period.month)}: "
                 f"{percent(total.compliance)} ({total.met} dari {total.obliged} ASN wajib memenuhi); "
                 f"kekurangan {indonesian.rupiah(total.shortfall)}."]
        if self.report.previous_week:
            lines.append(f"Dibandingkan {self.report.previous_week_text}: kepatuhan "
                         f"{points(_delta(total, self.report.previous_total))}.")
        silent = self.result.offices_not_reported
        if silent:
            lines.append(f"Belum melapor ({len(silent)} OPD, tidak dihitung dalam kepatuhan): {', '.join(silent)}.")
        if self.result.reconciliation:
            lines.append(reconciliation_line(self.result))
        lines += [f"Berkas {p.place.file}: {p.message}" for p in self.file_problems()]
        if errors or warnings:
            lines.append(f"Masalah data: {errors} galat, {warnings} peringatan (lihat lembar Masalah Data).")
        return lines

    def file_problems(self) -> list:
        """Problems of whole files (unreadable, an old version): named first, in the email itself."""
        return [p for p in self.result.problems if not p.place.sheet and not p.place.cell]

    def summary_text(self) -> str:
        """What `jikubata mingguan` prints."""
        return "\n".join([
            f"Rekap mingguan, {self.report.week_text}, per {indonesian.long_date(self.as_of)}, "
            f"ditulis ke {self.folder}:",
            f"  - {self.workbook.name}",
            f"  - {self.email_html.name}",
            *self.figure_lines(),
        ])

    def plain_text(self) -> str:
        """The text part of the email, for mail programs that do not show HTML: short lines for a phone.

        Offices by their Singkatan (the full name only where there is none), as
        in the HTML part; one figure per line; no line longer than `TEXT_WIDTH`.
        """
        total = self.report.total
        result = self.result
        errors, warnings = self.report.problem_counts
        label = lambda office: summary.office_label(result, office)  # noqa: E731
        lines = ["Rekap Mingguan Jiku Bata", self.report.week_text, "",
                 f"Keadaan per {indonesian.long_date(result.as_of)}:",
                 f"- Kepatuhan {indonesian.month_year(result.period.year, result.period.month)}: "
                 f"{percent(total.compliance)}",
                 f"  ({total.met} dari {total.obliged} ASN wajib)",
                 f"- Belum memenuhi: {total.short} ASN",
                 f"- Kekurangan: {indonesian.rupiah(total.shortfall)}",
                 f"- Belanja pada UMKM: {indonesian.rupiah(total.spent)}"]
        if self.report.previous_week:
            lines += ["", f"Dibandingkan {self.report.previous_week_text}:",
                      f"- kepatuhan {points(_delta(total, self.report.previous_total))}"]
        behind = self.report.most_behind()
        lines += ["", "OPD paling tertinggal:"]
        if behind:
            for o in behind:
                lines += [f"- {label(o.office)}: {percent(o.compliance)}",
                          f"  {o.short} dari {o.obliged} ASN kurang,",
                          f"  kekurangan {indonesian.rupiah(o.shortfall)}"]
        else:
            lines.append("- tidak ada; semua ASN wajib sudah memenuhi.")
        silent = result.offices_not_reported
        if silent:
            lines += ["", f"Belum melapor ({len(silent)} OPD):"] + [f"- {label(o)}" for o in silent]
        if result.reconciliation:
            lines += ["", reconciliation_line(result)]
        problems = [f"- Berkas {p.place.file}: {p.message}" for p in self.file_problems()]
        if errors or warnings:
            problems.append(f"- Masalah data: {errors} galat, {warnings} peringatan (lihat lembar Masalah Data).")
        if problems:
            lines += ["", "Perlu diperiksa:", *problems]
        lines += ["", f"Rincian lengkap: lampiran {self.workbook.name}.",
                  "Dibuat otomatis oleh Jiku Bata."]
        return "\n".join(_fold(line) for line in lines)


TEXT_WIDTH = 40  # characters a phone shows on one line of a plain-text email


def _fold(line: str) -> str:
    """Wrap a long line at spaces; the continuation indented under the text of a `- ` item."""
    if len(line) <= TEXT_WIDTH:
        return line
    indent = "  " if line.startswith(("- ", "  ")) else ""
    return "\n".join(textwrap.wrap(line, TEXT_WIDTH, subsequent_indent=indent, break_on_hyphens=False,
                                    break_long_words=True))


def _delta(now: OfficeTotals, before: Optional[OfficeTotals]) -> Optional[float]:
    if before is None or before.compliance is None or now.compliance is None:
        return None
    return now.compliance - before.compliance


def subject_for(week: str, as_of: dt.date) -> str:
    """`Rekap Mingguan Jiku Bata, minggu ke-4 November 2026 (16–22 November)`; `week` (ISO) is not shown."""
    return f"Rekap Mingguan Jiku Bata, {indonesian.week(as_of)}"


def reconciliation_line(result) -> str:
    """The weekly email's one line on the sellers' books (README: Rekonsiliasi)."""
    return f"{result.claims_without_sale} klaim tanpa catatan penjual (lihat lembar Rekonsiliasi)."


def render_email(report: WeeklyReport, *, subject: str, attachment_name: str) -> str:
    """The HTML body from `templates/email_mingguan.html.j2` (autoescaped: input text stays text)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir())), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(rupiah=indonesian.rupiah, persen=percent, poin=points, tanggal=indonesian.long_date,
                       ubah_rupiah=rupiah_change)
    env.globals["singkatan"] = lambda office: summary.office_label(report.result, office)
    result = report.result
    errors, warnings = report.problem_counts
    changes = report.changes()
    return env.get_template(TEMPLATE).render(
        judul=subject,
        minggu=report.week_text,
        kode_minggu=report.week,
        nama_minggu=indonesian.week_name(result.as_of),
        tanggal_minggu=indonesian.week_range(result.as_of),
        per_tanggal=result.as_of,
        bulan=indonesian.month_year(result.period.year, result.period.month),
        total=report.total,
        opd_count=len(result.offices),
        umkm_count=len(result.sellers),
        tertinggal=report.most_behind(),
        belum_melapor=result.offices_not_reported,
        minggu_lalu=report.previous_week_text,
        nama_minggu_lalu=indonesian.week_name(report.previous_as_of) if report.previous_as_of else None,
        tanggal_minggu_lalu=indonesian.week_range(report.previous_as_of) if report.previous_as_of else None,
        minggu_lalu_tanggal=report.previous_as_of,
        bulan_sama=report.same_month_as_previous,
        total_lalu=report.previous_total,
        perubahan_total=_delta(report.total, report.previous_total),
        perubahan=changes[:CHANGES_SHOWN],
        perubahan_lain=max(0, len(changes) - CHANGES_SHOWN),
        galat=errors,
        peringatan=warnings,
        masalah_berkas=[p for p in result.problems if not p.place.sheet and not p.place.cell],
        lampiran=attachment_name,
        rekonsiliasi=bool(result.reconciliation),
        klaim_tanpa_penjual=result.claims_without_sale,
    )


def trend(snapshots: list[OfficeSnapshot]) -> list[summary.TrendPoint]:
    """Trend points of the recorded weeks: every office, then the week's total (as `summary.trend_points`)."""
    points = []
    for week in dict.fromkeys(s.week for s in snapshots):
        rows = [s for s in snapshots if s.week == week]
        points += [summary.TrendPoint(week=s.week, as_of=s.as_of, office=s.office, obliged=s.obliged, met=s.met,
                                      compliance=s.compliance, spent=s.spent) for s in rows]
        total = _sum_totals(rows)
        points.append(summary.TrendPoint(week=week, as_of=rows[0].as_of, office=summary.TREND_TOTAL,
                                         obliged=total.obliged, met=total.met, compliance=total.compliance,
                                         spent=total.spent))
    return points


def _sum_totals(rows: Sequence[OfficeSnapshot]) -> OfficeTotals:
    """The total of a recorded week, as `Result.total` adds up its offices."""
    return OfficeTotals("Jumlah", *(sum(getattr(s, f) for s in rows)
                                    for f in ("obliged", "met", "short", "spent", "shortfall")))
