"""The weekly summary's email (SPEC §6.3): the figures it shows and its HTML and text bodies.

`services.run_weekly` runs the week (computes, writes the workbook with its
`Tren` sheet, records the snapshot); this module turns the `Result` and last
week's snapshot into what the email says, never recomputing a total.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from jikubata.domain import indonesian
from jikubata.adapters import summary
from jikubata import resources
from jikubata.domain.model import OfficeTotals, Result
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
    def same_month_as_previous(self) -> bool:
        d = self.previous_as_of
        return d is not None and (d.year, d.month) == (self.result.period.year, self.result.period.month)

    def most_behind(self, n: int = MOST_BEHIND) -> list[OfficeTotals]:
        """Offices with someone short, lowest compliance first, then the largest shortfall."""
        behind = [o for o in self.result.offices if o.obliged and o.short]
        return sorted(behind, key=lambda o: (o.compliance, -o.shortfall, o.office.casefold()))[:n]

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
            lines.append(f"Dibandingkan {self.report.previous_week}: kepatuhan "
                         f"{points(_delta(total, self.report.previous_total))}.")
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
            f"Rekap mingguan {self.week} (per {indonesian.long_date(self.as_of)}) ditulis ke {self.folder}:",
            f"  - {self.workbook.name}",
            f"  - {self.email_html.name}",
            *self.figure_lines(),
        ])

    def plain_text(self) -> str:
        """The text part of the email, for mail programs that do not show HTML."""
        lines = [self.subject, "", *self.figure_lines()]
        behind = self.report.most_behind()
        if behind:
            lines += ["", "OPD paling tertinggal:"]
            lines += [f"  - {o.office}: {percent(o.compliance)}, {o.short} ASN kurang, "
                      f"kekurangan {indonesian.rupiah(o.shortfall)}" for o in behind]
        lines += ["", f"Rincian lengkap ada pada lampiran {self.workbook.name}.",
                  "Surel ini dibuat otomatis oleh Jiku Bata."]
        return "\n".join(lines)


def _delta(now: OfficeTotals, before: Optional[OfficeTotals]) -> Optional[float]:
    if before is None or before.compliance is None or now.compliance is None:
        return None
    return now.compliance - before.compliance


def subject_for(week: str, as_of: dt.date) -> str:
    return f"Rekap Mingguan Jiku Bata {week} (per {indonesian.long_date(as_of)})"


def render_email(report: WeeklyReport, *, subject: str, attachment_name: str) -> str:
    """The HTML body from `templates/email_mingguan.html.j2` (autoescaped: input text stays text)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir())), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(rupiah=indonesian.rupiah, persen=percent, poin=points, tanggal=indonesian.long_date,
                       ubah_rupiah=rupiah_change)
    result = report.result
    errors, warnings = report.problem_counts
    changes = report.changes()
    return env.get_template(TEMPLATE).render(
        judul=subject,
        minggu=report.week,
        per_tanggal=result.as_of,
        bulan=indonesian.month_year(result.period.year, result.period.month),
        total=report.total,
        opd_count=len(result.offices),
        umkm_count=len(result.sellers),
        tertinggal=report.most_behind(),
        minggu_lalu=report.previous_week,
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
