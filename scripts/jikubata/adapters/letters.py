"""Official letters about a month (README: Surat): reminders while it runs, notices after it, a data
request to an office that sent no data, and the laporan to the Wali Kota.

Flow: who gets which letter is decided in `domain.correspondence.plan_letters`
(nothing is recomputed here) → the register (`Register-Surat.sqlite`) gives
each letter its number in one transaction: an unchanged letter keeps its
number and files byte for byte; a changed one gets a new number (the old one
is cancelled, or replaced when it was sent) → new letters are rendered from
the `.docx` templates with docxtpl (autoescape on; in a process pool when
there are many) → confirmed → optional PDFs in one LibreOffice batch → the
index workbook `Daftar-Surat-YYYY-MM.xlsx`, which lists every number of the
period with its status.
"""
from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import io
import multiprocessing
import os
import re
import sys
import threading
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Optional, Sequence

from jikubata.adapters import register as reg
from jikubata import resources
from jikubata.adapters.atomic import atomic_path, write_bytes_atomic
from jikubata.adapters.clock import SYSTEM
from jikubata.adapters.styles import LINK_COLOUR, RUPIAH_FORMAT, SOFT_GREY, wrapped_row_height
from jikubata.domain.model import EmployeeResult, Result
from jikubata.domain import correspondence as cor
from jikubata.domain import schema
from jikubata.domain.correspondence import (KIND_DATA_REQUEST, KIND_OFFICE, KIND_OFFICIAL, KIND_REPORT, Mode,
                                            Plan, clean)
from jikubata.domain.correspondence import safe_stem  # noqa: F401  (re-exported: file names of letters)
from jikubata.domain.errors import InputError
from jikubata.domain.indonesian import long_date, month_year, rupiah, rupiah_words, title_case, words

KIND_LABELS = {KIND_OFFICE: "Kepala OPD", KIND_OFFICIAL: "Pejabat", KIND_REPORT: "Laporan Wali Kota",
               KIND_DATA_REQUEST: "Permintaan Data"}
TEMPLATES = {KIND_OFFICE: "surat-opd.docx", KIND_OFFICIAL: "surat-pejabat.docx",
             KIND_REPORT: "laporan-walikota.docx", KIND_DATA_REQUEST: "surat-permintaan-data.docx"}
NO_ATTACHMENT = "-"
DRAFT_NOT_SENT = "KONSEP — tidak dikirim"
DRAFT_STATE = "konsep"          # the state of a KONSEP letter, which has no register row
DRAFT_NUMBER = "…………………"      # printed where the number goes: filled in once it is signed
# Fewer letters than this render faster in one process than a pool starts (bench/bench_letters.py).
_POOL_THRESHOLD = 40
_POOL_THRESHOLD_SPAWN = 600


@dataclass(frozen=True)
class Letter:
    """One letter written: its register number and date, who receives it, and the files."""

    number: str
    date: dt.date
    kind: str
    recipient: str          # the addressee as shown in the index (name and/or position)
    office: str
    shortfall: int
    path: Path
    pdf_path: Optional[Path] = None
    order: tuple[int, int] = (0, 0)   # (year, seq) in the register
    email: str = ""                   # the recipient's address for `--kirim`; empty: none known
    delivery_status: str = ""              # `terkirim <waktu>` / `tertunda <alasan>` / `tanpa alamat` (outbox)
    status: str = reg.WRITTEN         # in the register: dibuat / terkirim / dibatalkan / diganti
    mode: str = Mode.NOTICE.value
    replaces: str = ""                # the number this letter replaces (a sent letter whose content changed)
    new: bool = False                 # written by this run (not an unchanged letter kept from an earlier one)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class LettersOutcome:
    period: str
    period_label: str
    as_of: dt.date
    folder: Path
    letters: list[Letter] = field(default_factory=list)
    index_path: Optional[Path] = None
    register_path: Optional[Path] = None
    pdf_message: str = ""
    notes: list[str] = field(default_factory=list)
    print_path: Optional[Path] = None
    delivery_dry_run: bool = False
    draft: bool = False                 # KONSEP: not numbered, not registered, never sent
    mode: Mode = Mode.NOTICE
    numbers: list[Letter] = field(default_factory=list)   # every number of the period, any status (the index)
    unreported: list[str] = field(default_factory=list)   # offices that sent no data (`belum melapor`)
    cancelled_now: list[str] = field(default_factory=list)  # numbers this run cancelled
    sent_now: tuple[str, ...] = ()      # numbers e-mailed by this run (`--kirim`)
    resent: tuple[str, ...] = ()        # of those, sent again after an interrupted run (same Message-ID)

    def summary_text(self) -> str:
        """Indonesian lines for the CLI and the Excel message box."""
        count = {k: sum(1 for x in self.letters if x.kind == k) for k in KIND_LABELS}
        kind = "pengingat" if self.mode is Mode.REMINDER else "pemberitahuan"
        head = f"Surat {kind} periode {self.period_label} (data per {long_date(self.as_of)}):"
        if not self.letters:
            lines = [head, "  Tidak ada pegawai yang kurang belanja; tidak ada surat yang dibuat."]
        else:
            lines = [head,
                     f"  {count[KIND_OFFICE]} surat kepada Kepala OPD, {count[KIND_OFFICIAL]} surat kepada pejabat, "
                     f"{count[KIND_DATA_REQUEST]} permintaan data, {count[KIND_REPORT]} laporan kepada Wali Kota "
                     f"(jumlah {len(self.letters)}).",
                     f"  Folder surat: {self.folder}"]
            kept = sum(1 for x in self.letters if not x.new)
            if kept and not self.draft:
                lines.append(f"  {len(self.letters) - kept} surat baru; {kept} surat tidak berubah sejak jalan "
                             f"sebelumnya (nomor dan berkasnya tetap).")
            replaced = [x for x in self.letters if x.replaces]
            if replaced:
                lines.append(f"  {len(replaced)} surat menggantikan surat yang sudah terkirim (isinya berubah): "
                             + ", ".join(f"{x.number} menggantikan {x.replaces}" for x in replaced[:5])
                             + (" …" if len(replaced) > 5 else "") + ".")
            if self.cancelled_now:
                lines.append(f"  {len(self.cancelled_now)} nomor dibatalkan oleh jalan ini (belum terkirim, isinya "
                             f"berubah atau tidak diperlukan lagi); berkasnya di "
                             f"{self.folder.name}/{reg.CANCELLED_FOLDER}/.")
        if self.unreported:
            lines.append(f"  Belum melapor ({len(self.unreported)} OPD): {', '.join(self.unreported)} — hanya "
                         f"dikirimi permintaan data, tanpa surat kekurangan.")
            pdfs = sum(1 for x in self.letters if x.pdf_path)
            if pdfs:
                lines.append(f"  PDF dibuat: {pdfs} berkas.")
        if self.print_path:
            lines.append(f"  Satu berkas untuk dicetak: {self.print_path}")
        if self.index_path:
            lines.append(f"  Daftar surat: {self.index_path}")
        if self.register_path:
            lines.append(f"  Register nomor surat: {self.register_path}")
        if self.draft and self.letters:
            lines.append(f"  Surat ini {cor.DRAFT_MARK}: belum diberi nomor dan tidak dapat dikirim. Setelah "
                         f"penandatangan dilengkapi, jalankan lagi untuk membuat surat bernomor di Surat-{self.period}/.")
        if self.pdf_message:
            lines.append(f"  {self.pdf_message}")
        lines += [f"  Perhatian: {n}" for n in self.notes]
        lines += self._delivery_lines()
        return "\n".join(lines)

    def _delivery_lines(self) -> list[str]:
        statuses = [x.delivery_status for x in self.letters if x.delivery_status]
        if not statuses:
            return []
        if self.delivery_dry_run:
            return ["  Percobaan kirim (--coba): tidak ada surel yang dikirim."] + [
                f"   {x.number} — {x.recipient}: {x.delivery_status}" for x in self.letters]
        sent = sum(s.startswith("terkirim") for s in statuses)
        pending = [x for x in self.letters if x.delivery_status.startswith("tertunda")]
        invalid = [x for x in self.letters if x.delivery_status.startswith(INVALID_ADDRESS)]
        none = sum(s.startswith("tanpa alamat") for s in statuses)
        now = len(self.sent_now)
        resent = f" ({len(self.resent)} dikirim ulang setelah proses sebelumnya terputus)" if self.resent else ""
        lines = [f"  Pengiriman surel: {now} terkirim dalam proses ini{resent}, {sent - now} sudah terkirim "
                 f"sebelumnya, {len(pending)} tertunda, {len(invalid)} {INVALID_ADDRESS}, {none} tanpa alamat."]
        lines += [f"   tertunda {x.number} — {x.recipient}: {x.delivery_status[len('tertunda '):]}" for x in pending[:5]]
        lines += [f"   {x.number} — {x.recipient}: {x.delivery_status}" for x in invalid[:5]]
        if pending:
            lines.append("   Surat yang tertunda dikirim ulang bila perintah dijalankan lagi dengan --kirim "
                         "(yang sudah terkirim tidak dikirim dua kali).")
        if self.resent:
            lines.append("   Surat yang dikirim ulang membawa Message-ID yang sama dengan kiriman pertama; bila "
                         "penerima menerima dua kali, keduanya surel yang sama.")
        return lines


def run_notes(settings) -> list[str]:
    """What the run must say about the settings: a draft, a legal basis without its number."""
    notes = []
    missing = cor.missing_signature_fields(settings)
    if missing:
        notes.append(f"surat ditandai {cor.DRAFT_MARK} karena {', '.join(missing)} di lembar Pengaturan belum "
                     f"diisi (Permendagri 1/2023 Pasal 44: nama, pangkat/golongan dan NIP penandatangan).")
    if not str(settings.legal_basis_number or "").strip():
        notes.append("Nomor Dasar Hukum di lembar Pengaturan belum diisi; surat mengutip peraturan tanpa nomor.")
    if cor.nature_or_default(settings.nature).casefold() != str(settings.nature or "").strip().casefold():
        notes.append(f"Sifat Surat '{settings.nature}' tidak dikenal; dipakai 'Biasa' "
                     f"(pilihan: {', '.join(cor.NATURES)}).")
    return notes


# ---------------------------------------------------------------- writing them


def write_letters(result: Result, out_dir: Path | str, *, mode: Optional[Mode] = None, pdf: bool = False,
                  today: Optional[dt.date] = None, workers: Optional[int] = None,
                  is_sent: Optional[Callable[[str], bool]] = None) -> LettersOutcome:
    """Write the period's letters, their register rows, the index and (with `pdf`) PDFs.

    `mode` is the kind of letter the letter's date allows (`cor.letter_mode`;
    default: from `today`); `is_sent(number)` tells whether the outbox sent a
    letter (a sent letter is never cancelled, only replaced by a new number).
    """
    if today is None:
        today = SYSTEM.today()
    if mode is None:
        mode, why = cor.letter_mode(result.period, today, result.settings)
        if mode is None:
            raise InputError(why)
    out_dir = Path(out_dir)
    period = str(result.period)
    draft = is_draft(result.settings)
    # A KONSEP is not yet signed: it takes no number from the register (numbers are given to letters
    # that will be signed, as in the agenda book) and lives in its own folder, so it never replaces
    # a numbered letter and a later complete run numbers the letters afresh.
    suffix = f"-{cor.DRAFT_MARK}" if draft else ""
    folder_name = f"Surat-{period}{suffix}"
    outcome = LettersOutcome(period, month_year(result.period.year, result.period.month), result.as_of,
                             out_dir / folder_name, draft=draft, mode=mode,
                             unreported=result.offices_not_reported)
    planned = cor.plan_letters(result, mode)
    plans = planned.plans
    templates = _load_templates()
    reg.check_number_format(result.settings.letter_number_format)
    crest, crest_note = read_crest(result.settings)
    outcome.notes = run_notes(result.settings) + ([crest_note] if crest_note else []) + [
        # A setting that could not be read changes the letters (a holiday, the deadline): say so here too.
        f"{p.place.file} {p.place.sheet}!{p.place.cell}: {p.message}" for p in result.problems
        if p.code == "PENGATURAN_TIDAK_VALID"] + [p.message for p in planned.problems]

    earlier_drafts = out_dir / f"Surat-{period}-{cor.DRAFT_MARK}"
    if not draft and earlier_drafts.is_dir():
        outcome.notes.append(f"folder {earlier_drafts.name} berisi KONSEP dari sebelum penandatangan dilengkapi; "
                             f"surat yang berlaku kini di {folder_name}/ dan KONSEP itu boleh dihapus.")
    requests = [reg.Request(p.kind, p.key, p.recipient, f"{folder_name}/{p.file_stem}.docx", p.fingerprint(),
                            mode.value, result.as_of) for p in plans]
    replaced: dict[int, reg.Entry] = {}
    if draft:
        entries = _draft_entries(period, requests, today, mode, result.as_of)
        _render_all(_jobs(result, plans, entries, crest, out_dir, replaced), templates, workers)
        fresh = set(range(len(entries)))
    else:
        with reg.Register(out_dir) as register:
            outcome.register_path = register.path
            sent = (lambda e: is_sent(e.number)) if is_sent else None
            entries = register.claim(period, requests, today, result.settings.letter_number_format,
                                     complete=True, is_sent=sent)
            outcome.cancelled_now = list(register.cancelled)
            replaced = {e.replaces: register.find(e.replaces) for e in entries if e.replaces}
            # An unchanged letter is never rendered again: its number keeps its bytes (README: Surat).
            fresh = {i for i, e in enumerate(entries) if e.state == reg.PENDING or not (out_dir / e.file).is_file()}
            _render_all(_jobs(result, [plans[i] for i in sorted(fresh)], [entries[i] for i in sorted(fresh)],
                              crest, out_dir, replaced), templates, workers)
            register.confirm(entries)
            rows = register.entries(period)
    outcome.letters = [_letter(p, e, replaced, out_dir, i in fresh) for i, (p, e) in enumerate(zip(plans, entries))]
    if not draft:
        current = {x.number: x for x in outcome.letters}
        outcome.numbers = [current.get(e.number) or _listed(e, out_dir) for e in rows]
    if pdf and outcome.letters:
        _make_pdfs(outcome, out_dir / f"Semua-Surat-{period}{suffix}.pdf")
    index = out_dir / f"Daftar-Surat-{period}{suffix}.xlsx"
    try:
        outcome.index_path = write_index(outcome, index)
    except OSError as exc:
        raise InputError(f"Daftar surat {index} tidak dapat ditulis ({exc.strerror or exc}).") from None
    return outcome


NEW_NUMBER = "(nomor baru)"


def preview_letters(result: Result, out_dir: Path | str, *, mode: Mode, today: dt.date) -> LettersOutcome:
    """What `write_letters` would give, without writing anything (`--coba`): each letter with the number it
    keeps, or `(nomor baru)` where a run would write a new one."""
    out_dir = Path(out_dir)
    period = str(result.period)
    outcome = LettersOutcome(period, month_year(result.period.year, result.period.month), result.as_of,
                             out_dir / f"Surat-{period}", mode=mode, unreported=result.offices_not_reported)
    plans = cor.plan_letters(result, mode).plans
    requests = [reg.Request(p.kind, p.key, p.recipient, "", p.fingerprint(), mode.value) for p in plans]
    kept = reg.peek(out_dir, period, requests)
    for p, e in zip(plans, kept):
        if e is None:
            outcome.letters.append(Letter(NEW_NUMBER, today, p.kind, p.recipient, p.office, p.shortfall,
                                          out_dir / f"Surat-{period}" / f"{p.file_stem}.docx", email=p.email,
                                          mode=mode.value, new=True))
        else:
            path = out_dir / e.file
            pdf = path.with_suffix(".pdf")
            outcome.letters.append(_letter(p, e, {}, out_dir, False))
            outcome.letters[-1] = replace(outcome.letters[-1], pdf_path=pdf if pdf.is_file() else None)
    return outcome


def _letter(p: Plan, e: reg.Entry, replaced: dict, out_dir: Path, new: bool) -> Letter:
    old = replaced.get(e.replaces)
    return Letter(e.number or cor.DRAFT_MARK, e.letter_date, p.kind, p.recipient, p.office, p.shortfall,
                  out_dir / e.file, order=(e.year, e.seq), email=p.email, status=e.status, mode=e.mode,
                  replaces=old.number if old else "", new=new)


def _listed(e: reg.Entry, out_dir: Path) -> Letter:
    """A register row of the period that is not one of this run's letters: cancelled, replaced, or of the
    other mode (the month's reminders, listed beside its notices)."""
    path = out_dir / e.file
    pdf = path.with_suffix(".pdf")
    return Letter(e.number, e.letter_date, e.kind, e.recipient, "", 0, path,
                  pdf_path=pdf if pdf.is_file() else None, order=(e.year, e.seq), status=e.status, mode=e.mode)


def _make_pdfs(outcome: LettersOutcome, print_target: Path) -> None:
    """PDFs of the letters that have none yet (or an older one): a kept letter keeps its PDF too."""
    from jikubata.adapters.pdf import convert_to_pdf

    pdfs: dict[Path, Path] = {}
    by_folder: dict[Path, list[Path]] = {}
    for x in outcome.letters:
        target = x.path.with_suffix(".pdf")
        try:
            current = target.is_file() and target.stat().st_mtime >= x.path.stat().st_mtime and not x.new
        except OSError:
            current = False
        if current:
            pdfs[x.path.resolve()] = target
        else:
            by_folder.setdefault(x.path.parent, []).append(x.path)
    messages = []
    if not by_folder:  # every PDF is current: still clear what killed runs left (convert_to_pdf does so too)
        from jikubata.adapters.pdf import _remove_old_staging, remove_stale_temporaries

        remove_stale_temporaries()
        for folder in {x.path.parent for x in outcome.letters}:
            _remove_old_staging(folder)
    for docs in by_folder.values():
        conv = convert_to_pdf(docs)
        pdfs.update(conv.pdfs)
        if conv.message:
            messages.append(conv.message)
    outcome.pdf_message = " ".join(dict.fromkeys(messages))
    outcome.letters = [replace(x, pdf_path=pdfs.get(x.path.resolve())) for x in outcome.letters]
    by_number = {x.number: x for x in outcome.letters}
    outcome.numbers = [by_number.get(x.number, x) for x in outcome.numbers]
    outcome.print_path = write_print_file(outcome, print_target)


# ---------------------------------------------------------------- who gets a letter: domain.correspondence


def plan_letters(result: Result, mode: Mode = Mode.NOTICE) -> list[Plan]:
    """The letters `write_letters` would write (`cor.plan_letters`), for callers that only list them."""
    return cor.plan_letters(result, mode).plans


def is_draft(settings) -> bool:
    """Letters are a KONSEP while the signer's name, rank or NIP is missing (Permendagri 1/2023 Pasal 44)."""
    return bool(cor.missing_signature_fields(settings))


def _draft_entries(period: str, requests: Sequence[reg.Request], today: dt.date, mode: Mode,
                   as_of: dt.date) -> list[reg.Entry]:
    """Register-shaped rows for a KONSEP run: no number, nothing written to the register."""
    used: set[str] = set()
    entries = []
    for seq, req in enumerate(requests, 1):
        file = reg.unique_file(req.file, used)
        used.add(file.casefold())
        entries.append(reg.Entry(0, today.year, seq, "", today, period, req.kind, req.recipient_key,
                                 req.recipient, file, DRAFT_STATE, mode=mode.value, as_of=as_of))
    return entries


def _jobs(result: Result, plans: list, entries: list[reg.Entry], crest: bytes, out_dir: Path,
          replaced: dict) -> list:
    return [(p.kind, dict(_context(result, p, e, replaced.get(e.replaces)), lambang=crest), str(out_dir / e.file))
            for p, e in zip(plans, entries)]


# A letter's first page holds the table up to _INLINE_LINES lines of rows (10 pt); longer lists go to a
# Lampiran. Measured with LibreOffice (tests/test_letter_pages.py): a row of n lines is n + _ROW_PADDING
# lines high; the Lampiran's first page holds _ATTACHMENT_FIRST_LINES below its heading, later pages
# _ATTACHMENT_LINES below the repeated table header. The total row and the signature block
# (_ATTACHMENT_CLOSING_LINES) close the last page, with at least the table's last KEPT_ROWS rows: the
# template keeps them together, so no page holds the signature alone.
_INLINE_LINES = 8
_ROW_PADDING = 0.1
_ATTACHMENT_FIRST_LINES = 54.5
_ATTACHMENT_LINES = 64.5
_ATTACHMENT_CLOSING_LINES = 11
KEPT_ROWS = 3   # build_templates.KEPT_ROWS
_NAME_CHARS, _POSITION_CHARS, _OFFICE_CHARS = 20, 17, 38


def _lines(text: str, per_line: int) -> int:
    """Lines a cell of `per_line` characters needs for `text`, breaking at words."""
    lines, width = 1, 0
    for word in text.split():
        if width and width + 1 + len(word) > per_line:
            lines, width = lines + 1, len(word)
        else:
            width += (1 if width else 0) + len(word)
    return lines


_RUN_CHARS = 22   # the `2 bulan berturut-turut` line under a NIP (9 pt)


def _row_lines(e: EmployeeResult) -> int:
    nip = 1 + (_lines(run_text(e), _RUN_CHARS) if run_text(e) else 0)
    return max(_lines(clean(e.name), _NAME_CHARS), _lines(clean(e.position) or "-", _POSITION_CHARS), nip)


def run_text(e: EmployeeResult) -> str:
    """`3 bulan berturut-turut` under a NIP in a notice; nothing for a first month (or a running month)."""
    return f"{e.short_run} bulan berturut-turut" if (e.short_run or 0) >= 2 else ""


def attachment_pages(row_lines: Sequence[int], first_page: float = _ATTACHMENT_FIRST_LINES,
                     keep_tail: bool = True, closing: float = _ATTACHMENT_CLOSING_LINES) -> int:
    """Sheets a Lampiran takes for table rows of `row_lines` lines each, laid out as LibreOffice does:
    rows fill a page while they fit; the closing (total and signature) goes on the last page, taking the
    last `KEPT_ROWS` rows along to a new page when it does not fit after them."""
    pages, room, on_page = 1, first_page, 0
    for lines in row_lines:
        height = lines + _ROW_PADDING
        if height > room and on_page:
            pages, room, on_page = pages + 1, _ATTACHMENT_LINES, 0
        room -= height
        on_page += 1
    if closing > room:
        pages += 1
    return pages


def _office_attachment(plan: Plan, copies: int) -> int:
    """0 when the office's list fits the letter's page, else the Lampiran's sheets."""
    rows = [_row_lines(e) for e in plan.employees]
    body = _request_lines(plan) + (1 if plan.head_nip else 0)
    if sum(rows) + max(copies - 3, 0) + body <= _INLINE_LINES:
        return 0
    return attachment_pages(rows)


_REQUEST_CHARS = 250     # the request to act on repeated shortfall, without its list of numbers
_BODY_CHARS = 85         # characters of a 12 pt body line
_BODY_LINE = 1.35        # a 12 pt body line in table lines (10 pt)


def _request_lines(plan: Plan) -> int:
    """Table lines the request to act on repeated shortfall takes from the first page (0: none)."""
    if not plan.repeated:
        return 0
    chars = _REQUEST_CHARS + 4 * len(plan.repeated)
    return -(-int(-(-chars // _BODY_CHARS) * _BODY_LINE * 10) // 10)


_REPORT_OFFICE_CHARS, _NOTE_CHARS, _COMPLIANCE_CHARS = 30, 12, 11  # the laporan's OPD, Keterangan, Kepatuhan


def _report_attachment(plan: Plan) -> int:
    rows = [max(_lines(clean(r.totals.office), _REPORT_OFFICE_CHARS), _lines(r.note or "-", _NOTE_CHARS),
                1 if r.totals.reported else _lines("belum melapor", _COMPLIANCE_CHARS)) for r in plan.office_rows]
    sections = [list(plan.employees)] + [list(staff) for _, staff in plan.reported_staff]
    if plan.repeated_staff:
        rows.append(3)   # the heading of the repeated shortfall
        sections += [list(staff) for _, staff in plan.repeated_staff]
    for people in (p for p in sections if p):
        rows.append(4)   # a gap, the section's title and its table header
        rows += [max(_lines(clean(e.name), 26), _lines(clean(e.position), 32)) for e in people]
    return attachment_pages(rows, closing=_REPORT_CLOSING_LINES)


_REPORT_CLOSING_LINES = 9  # the laporan's signature row (no total row above it), measured through LibreOffice


# ---------------------------------------------------------------- safe text


# ---------------------------------------------------------------- template context


def format_nip(nip: str) -> str:
    """`19800101 200501 1 001`: the way a NIP is printed in official documents."""
    nip = clean(nip)
    if len(nip) == 18 and nip.isdigit():
        return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    return nip


NOT_SET = "[belum diisi]"


def _kop_lines(s) -> tuple[str, str]:
    address = clean(s.office_address)
    postal = clean(s.postal_code)
    if postal:
        address = f"{address} Kode Pos {postal}" if address else f"Kode Pos {postal}"
    contact = [f"{label} {clean(value)}" for label, value in (("Telepon", s.office_phone), ("Faksimile", s.office_fax),
                                                               ("Laman", s.office_website), ("Surel", s.office_email))
               if clean(value)]
    return address, ", ".join(contact)


HAL = {Mode.REMINDER: "Pengingat Belanja Jiku Bata Bulan {period}",
       Mode.NOTICE: "Pemberitahuan Kekurangan Belanja Jiku Bata Bulan {period}"}
HAL_DATA_REQUEST = "Permintaan Data Belanja Jiku Bata Bulan {period}"
HAL_REPORT = "Laporan Pelaksanaan Belanja Jiku Bata Bulan {period}"


def _context(result: Result, plan: Plan, entry: reg.Entry, replaced: Optional[reg.Entry] = None) -> dict:
    """The template's variables. Dates come from the register row: a letter's date is the day it was
    first written, and its data's day is the one it was written with."""
    s = result.settings
    period = month_year(result.period.year, result.period.month)
    mode = Mode(entry.mode) if entry.mode in {m.value for m in Mode} else Mode.NOTICE
    as_of = entry.as_of or result.as_of
    draft = is_draft(s)
    address, contact = _kop_lines(s)
    signer = clean(s.signatory_position)
    region = cor.region_name(s)
    copies = [clean(c) for c in s.copies_to
              if clean(c) and not any(cor.names_same_addressee(c, a) for a in plan.addressee)
              and not cor.same_position(clean(re.sub(r"\(.*?\)", "", c)), signer, region)]
    copies += [c for c in plan.extra_copies if c.casefold() not in {x.casefold() for x in copies}]
    hal = {KIND_REPORT: HAL_REPORT, KIND_DATA_REQUEST: HAL_DATA_REQUEST}.get(plan.kind, HAL[mode])
    ctx = {
        "konsep": draft, "lambang": b"",  # the crest's bytes, set by write_letters
        "kop_pemerintah": clean(s.government), "kop_instansi": clean(s.issuing_office),
        "kop_alamat": address, "kop_kontak": contact,
        "kop_instansi_kalimat": _sentence_case(clean(s.issuing_office)),
        "pemerintah": _sentence_case(clean(s.government)), "wilayah": region,
        "tempat_tanggal": f"{clean(s.city)}, {long_date(entry.letter_date)}", "tanggal": long_date(entry.letter_date),
        "nomor": entry.number or DRAFT_NUMBER, "sifat": cor.nature_or_default(s.nature), "lampiran": NO_ATTACHMENT,
        "ada_lampiran": False, "lampiran_dari": f"SURAT {signer.upper()}",
        "hal": hal.format(period=period),
        "tujuan": list(plan.addressee),
        "dasar_hukum": cor.legal_basis_text(s), "periode": period, "periode_kapital": period.upper(),
        "per_tanggal": long_date(as_of),
        "pengingat": mode is Mode.REMINDER, "pemberitahuan": mode is Mode.NOTICE,
        "batas_waktu": long_date(cor.reminder_deadline(entry.letter_date, result.period, s))
        if mode is Mode.REMINDER else "",
        "bulan_berjalan": month_year(entry.letter_date.year, entry.letter_date.month),
        "menggantikan": bool(replaced),
        "nomor_diganti": replaced.number if replaced else "",
        "tanggal_diganti": long_date(replaced.letter_date) if replaced else "",
        "penandatangan_jabatan": signer,
        "penandatangan_nama": clean(s.signatory_name) or NOT_SET,
        "penandatangan_pangkat": clean(s.signatory_rank) or NOT_SET,
        "penandatangan_nip": format_nip(s.signatory_nip) or NOT_SET,
        "tembusan": copies,
    }
    if plan.kind == KIND_OFFICE:
        sheets = _office_attachment(plan, len(copies))
        others = len(plan.employees) - (1 if plan.head_nip else 0)
        ctx.update({
            "opd": clean(plan.office), "opd_kapital": clean(plan.office).upper(),
            "pegawai": [_employee_row(i, e) for i, e in enumerate(plan.employees, 1)],
            "jumlah_pegawai": len(plan.employees), "jumlah_pegawai_terbilang": words(len(plan.employees)),
            "kepala_no": 1 if plan.head_nip else 0,
            "jumlah_lain": others, "jumlah_lain_terbilang": words(others),
            "total_kekurangan": rupiah(plan.shortfall),
            "total_kekurangan_terbilang": rupiah_words(plan.shortfall),
            **_repeated_context(plan),
        })
    elif plan.kind == KIND_DATA_REQUEST:
        sheets = 0
        ctx.update({"opd": clean(plan.office), "jumlah_wajib": plan.obliged,
                    "jumlah_wajib_terbilang": words(plan.obliged)})
    elif plan.kind == KIND_REPORT:
        total = plan.asn_totals
        sheets = _report_attachment(plan)
        ctx.update({
            "hal": HAL_REPORT.format(period=period),
            "jumlah_wajib": total.obliged, "jumlah_wajib_terbilang": words(total.obliged),
            "jumlah_memenuhi": total.met, "jumlah_kurang": total.short,
            "persen_memenuhi": _percent(total.compliance),
            "total_kekurangan": rupiah(total.shortfall), "total_kekurangan_terbilang": rupiah_words(total.shortfall),
            "opd_baris": [{"no": i, "opd": clean(r.totals.office), "wajib": r.totals.obliged,
                           "memenuhi": r.totals.met if r.totals.reported else "-",
                           "kurang": r.totals.short if r.totals.reported else "-",
                           "kepatuhan": _percent(r.totals.compliance) if r.totals.reported else "belum melapor",
                           "kekurangan": rupiah(r.totals.shortfall) if r.totals.reported else "-",
                           "keterangan": r.note or "-"}
                          for i, r in enumerate(plan.office_rows, 1)],
            "jumlah_disurati": sum(1 for r in plan.office_rows if r.note == cor.NOTE_LETTER),
            "kepala_daerah": [{"jabatan": cor.HEADS_OF_REGION_LABEL[e.tier], "nama": clean(e.name),
                               "minimum": rupiah(e.minimum), "belanja": rupiah(e.spent),
                               "kekurangan": rupiah(e.shortfall)} for e in plan.heads_of_region],
            "pejabat": [{"no": i, "nama": clean(e.name), "jabatan": clean(e.position) or "-", "opd": clean(e.office),
                         "belanja": rupiah(e.spent), "kekurangan": rupiah(e.shortfall)}
                        for i, e in enumerate(plan.employees, 1)],
            "jumlah_pejabat": len(plan.employees), "jumlah_pejabat_terbilang": words(len(plan.employees)),
            "opd_dilaporkan": [{"opd": clean(o), "opd_kapital": clean(o).upper(),
                                "pegawai": [_employee_row(i, e) for i, e in enumerate(staff, 1)],
                                "total_kekurangan": rupiah(sum(e.shortfall for e in staff))}
                               for o, staff in plan.reported_staff if staff],
            "belum_melapor": [clean(o) for o in plan.not_reported],
            "batas_berturut": result.settings.repeat_threshold,
            "berulang_opd": [{"opd": clean(o), "opd_kapital": clean(o).upper(),
                              "pegawai": [dict(_employee_row(i, e), berturut=f"{e.short_run} bulan")
                                          for i, e in enumerate(staff, 1)]}
                             for o, staff in plan.repeated_staff],
            "jumlah_berulang": sum(len(staff) for _, staff in plan.repeated_staff),
            "jumlah_berulang_terbilang": words(sum(len(staff) for _, staff in plan.repeated_staff)),
            "jumlah_opd_berulang": len(plan.repeated_staff),
            # The Lampiran's last table, which ends with the signature (kept with its last rows).
            "ttd_di": "berulang" if plan.repeated_staff else "dilaporkan" if any(s for _, s in plan.reported_staff)
            else "pejabat" if plan.employees else "opd",
        })
    else:
        sheets = 0
        (e,) = plan.employees
        ctx.update({
            "nama": clean(e.name), "nip": format_nip(e.nip), "jabatan": clean(e.position) or "-",
            "opd": clean(e.office), "tingkat": e.tier.label, "minimum": rupiah(e.minimum),
            "belanja": rupiah(e.spent), "kekurangan": rupiah(e.shortfall),
            "kekurangan_terbilang": rupiah_words(e.shortfall),
            "berturut": e.short_run if (e.short_run or 0) >= 2 else 0,
        })
    if sheets:
        ctx.update({"ada_lampiran": True, "lampiran": f"{sheets} ({words(sheets)}) lembar"})
    return ctx


def _percent(share: Optional[float]) -> str:
    return "-" if share is None else f"{share * 100:.1f}%".replace(".", ",")


def _sentence_case(text: str) -> str:
    """`PEMERINTAH KOTA AMBON` (a letterhead line) → `Pemerintah Kota Ambon` inside a sentence."""
    return title_case(text)


def _employee_row(i: int, e: EmployeeResult) -> dict:
    return {"no": i, "nama": clean(e.name), "nip": format_nip(e.nip), "jabatan": clean(e.position) or "-",
            "minimum": rupiah(e.minimum), "belanja": rupiah(e.spent), "kekurangan": rupiah(e.shortfall),
            "berturut": run_text(e)}


def _repeated_context(plan: Plan) -> dict:
    """An office notice naming people at or above `Batas Berturut`: who (by their number in the list), so the
    head, as their direct superior, is asked to act (README: Kekurangan berulang dan daftar TPP)."""
    numbers = [i for i, e in enumerate(plan.employees, 1) if e in plan.repeated]
    listed = [str(n) for n in numbers]
    text = ", ".join(listed[:-1]) + f" dan {listed[-1]}" if len(listed) > 1 else "".join(listed)
    return {"berulang": bool(numbers), "batas_berturut": plan.repeat_threshold,
            "jumlah_berulang": len(numbers), "jumlah_berulang_terbilang": words(len(numbers)),
            "berulang_nomor": text}


# ---------------------------------------------------------------- rendering


def templates_dir() -> Path:
    """The shipped letter templates (an office's own copies: `resources.template_path`)."""
    return resources.shipped_templates_dir()


def _load_templates() -> dict[str, bytes]:
    out = {}
    for kind, name in TEMPLATES.items():
        path = resources.template_path(name)
        try:
            out[kind] = path.read_bytes()
        except OSError:
            raise InputError(f"Templat surat {path} tidak ditemukan atau tidak dapat dibaca.") from None
    return out


_worker_templates: dict[str, bytes] = {}


def _init_worker(templates: dict[str, bytes]) -> None:
    _worker_templates.clear()
    _worker_templates.update(templates)


def _init_pool_worker(templates: dict[str, bytes], parent_pid: int) -> None:
    _die_with_parent(parent_pid)
    _init_worker(templates)


def _die_with_parent(parent_pid: int) -> None:
    """A pool worker must not outlive a parent killed outright (SIGKILL, the OOM killer, `kill -9`).

    A forked worker holds the write end of the pool's task pipe too, so it
    never sees the pipe close: left alone it would wait forever. On Linux the
    kernel ends it when its parent dies (PR_SET_PDEATHSIG).
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:  # the parent died before the line above
        os._exit(1)


def _render_all(jobs: list[tuple[str, dict, str]], templates: dict[str, bytes], workers: Optional[int]) -> None:
    """Render every job; across a process pool when that is faster than one process.

    One letter takes a few milliseconds once the template work is cached, so
    a pool pays only when starting it is cheap: on Linux, workers are forked
    after the parent has rendered the first letter of each kind (they inherit
    the warm caches). With `spawn` (Windows, macOS, or when other threads are
    running, where forking is unsafe) each worker must import and compile
    everything again, which costs about a second — worth it only for big runs.
    """
    _init_worker(templates)
    workers = workers or min(os.cpu_count() or 1, 8)
    method, threshold = _pool_start_method()
    if workers <= 1 or len(jobs) < threshold:
        for job in jobs:
            _render_job(job)
        return
    rest = list(jobs)
    for kind in dict.fromkeys(j[0] for j in jobs):  # warm the caches, in the parent
        first = next(j for j in rest if j[0] == kind)
        _render_job(first)
        rest.remove(first)
    chunk = max(1, min(8, len(rest) // (workers * 8)))
    with cf.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                                initializer=_init_pool_worker, initargs=(templates, os.getpid())) as pool:
        for _ in pool.map(_render_job, rest, chunksize=chunk):
            pass


def _pool_start_method() -> tuple[str, int]:
    """(start method, fewest letters for which a pool is worth starting)."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork", _POOL_THRESHOLD
    return "spawn", _POOL_THRESHOLD_SPAWN


def _render_job(job: tuple[str, dict, str]) -> None:
    kind, context, target = job
    data = render_docx(_worker_templates[kind], context, TEMPLATES[kind])
    target = Path(target)
    try:
        if target.is_file() and target.read_bytes() == data:
            return  # a rerun with nothing changed leaves the letter untouched
    except OSError:
        pass
    try:
        write_bytes_atomic(target, data)
    except OSError as exc:
        raise InputError(f"Surat {target} tidak dapat ditulis ({exc.strerror or exc}).") from None


def render_docx(template: bytes, context: dict, template_name: str = "templat") -> bytes:
    """One letter as `.docx` bytes, with fixed zip timestamps so equal content gives equal bytes."""
    from jinja2 import TemplateError

    tpl = _template_class()(io.BytesIO(template))
    crest = context.get("lambang")
    if isinstance(crest, bytes):
        context = dict(context, lambang=_crest_image(tpl, crest) if crest else "")
    try:
        tpl.render(context, jinja_env=_jinja_env(), autoescape=True)
    except TemplateError as exc:
        raise InputError(f"Templat surat {template_name} tidak dapat dipakai: {exc}") from None
    buf = io.BytesIO()
    tpl.save(buf)
    return _fixed_zip_times(buf.getvalue())


CREST_HEIGHT_CM = 2.0


def _crest_image(tpl, data: bytes):
    from docx.shared import Cm
    from docxtpl import InlineImage

    return InlineImage(tpl, io.BytesIO(data), height=Cm(CREST_HEIGHT_CM))


def read_crest(settings) -> tuple[bytes, str]:
    """The crest image's bytes, or b"" and why not (Indonesian) when it is set but unusable."""
    text = clean(settings.crest_image)
    if not text:
        return b"", ""
    path = Path(text).expanduser()
    try:
        data = path.read_bytes()
    except OSError:
        return b"", f"Lambang Daerah '{text}' tidak ditemukan atau tidak dapat dibaca; kop dibuat tanpa lambang."
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8")):
        return b"", f"Lambang Daerah '{text}' bukan gambar PNG atau JPEG; kop dibuat tanpa lambang."
    return data, ""


# docxtpl re-cleans the template XML and recompiles it with Jinja for every
# letter; both depend only on the template, so each process keeps them
# (keyed by the XML itself, so an edited template is never served stale).
# That halves the time per letter.
_CACHE_LIMIT = 64
_patched_xml: dict[str, str] = {}
_compiled: dict[str, object] = {}


def _remember(cache: dict, key: str, make):
    hit = cache.get(key)
    if hit is None:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        hit = cache[key] = make()
    return hit


_template_cls = None
_env = None


def _template_class():
    global _template_cls
    if _template_cls is None:
        from docxtpl import DocxTemplate

        class CachingDocxTemplate(DocxTemplate):
            def patch_xml(self, src_xml):
                return _remember(_patched_xml, src_xml, lambda: DocxTemplate.patch_xml(self, src_xml))

        _template_cls = CachingDocxTemplate
    return _template_cls


def _jinja_env():
    global _env
    if _env is None:
        from jinja2 import Environment

        class CachingEnvironment(Environment):
            def from_string(self, source, globals=None, template_class=None):
                if globals or template_class:
                    return super().from_string(source, globals, template_class)
                return _remember(_compiled, source, lambda: super(CachingEnvironment, self).from_string(source))

        _env = CachingEnvironment(autoescape=True)
    return _env


_DOS_TIME_2000 = bytes.fromhex("0000 2128")  # 00:00:00, 2000-01-01 as DOS time and date (little-endian)


def _fixed_zip_times(data: bytes) -> bytes:
    """Set every entry's modification time in the zip to 2000-01-01, in place (no recompression)."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
        pos = z.start_dir
    for info in infos:
        off = info.header_offset
        if out[off:off + 4] != b"PK\x03\x04":
            return data
        out[off + 10:off + 14] = _DOS_TIME_2000
    for _ in infos:
        if out[pos:pos + 4] != b"PK\x01\x02":
            return data
        out[pos + 12:pos + 16] = _DOS_TIME_2000
        n, m, k = (int.from_bytes(out[pos + i:pos + i + 2], "little") for i in (28, 30, 32))
        pos += 46 + n + m + k
    return bytes(out)


# ---------------------------------------------------------------- one print file


def write_print_file(outcome: LettersOutcome, target: Path) -> Optional[Path]:
    """`Semua-Surat-YYYY-MM.pdf`: every letter's PDF in register order, each from a new page (pypdf).

    Written only when every letter has its PDF, so the print file is never
    silently short of a letter.
    """
    letters = sorted(outcome.letters, key=lambda x: x.order)
    if not letters or any(x.pdf_path is None for x in letters):
        return None
    from pypdf import PdfWriter

    writer = PdfWriter()
    for x in letters:
        writer.append(str(x.pdf_path))
    try:
        with atomic_path(target) as tmp:
            with open(tmp, "wb") as fh:
                writer.write(fh)
    except OSError as exc:
        raise InputError(f"Berkas cetak {target} tidak dapat ditulis ({exc.strerror or exc}).") from None
    finally:
        writer.close()
    return target


# ---------------------------------------------------------------- the index


INDEX_HEADERS = ("No.", "Nomor Surat", "Tanggal", "Jenis", "Penerima", "OPD", "Kekurangan", "Status",
                 "Status Kirim", "Surat", "PDF")


def letter_kind_label(letter) -> str:
    """`Pengingat`, `Pemberitahuan`, `Permintaan Data`, `Laporan`: what a clerk calls the letter."""
    if letter.kind == KIND_REPORT:
        return "Laporan"
    if letter.kind == KIND_DATA_REQUEST:
        return "Permintaan Data"
    return "Pengingat" if letter.mode == Mode.REMINDER.value else "Pemberitahuan"


def register_status(letter) -> str:
    """The register's word for the letter, with the number that replaced it or that it replaces."""
    status = DRAFT_STATE.upper() if getattr(letter, "number", "") == cor.DRAFT_MARK else letter.status
    if getattr(letter, "replaces", ""):
        status += f" (menggantikan {letter.replaces})"
    return status
NOT_SENT = "belum dikirim"


def delivery_status(letter) -> str:
    """How the letter went out (`terkirim`, `tertunda`, `tanpa alamat`) when the run sent it, else not yet."""
    status = getattr(letter, "delivery_status", None)
    if isinstance(status, str) and status.strip():
        return status
    if getattr(letter, "number", "") == cor.DRAFT_MARK:
        return DRAFT_NOT_SENT
    return "terkirim" if getattr(letter, "status", "") in (reg.SENT, reg.REPLACED) else NOT_SENT


def write_index(outcome: LettersOutcome, target: Path) -> Path:
    """`Daftar-Surat-YYYY-MM.xlsx`: one row per letter, links to the files. Text stays text."""
    import xlsxwriter

    with atomic_path(target) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False, "in_memory": True,
                                            # Arial 10, as the Rekap: the row heights are measured in it.
                                            "default_format_properties": {"font_name": "Arial", "font_size": 10}})
        ws = wb.add_worksheet(schema.LETTERS_SHEET)
        title = wb.add_format({"bold": True, "font_size": 14})
        head = wb.add_format({"bold": True, "bg_color": SOFT_GREY, "border": 1, "text_wrap": True,
                              "valign": "vcenter", "align": "center"})
        text = wb.add_format({"border": 1, "valign": "top", "text_wrap": True})
        date = wb.add_format({"border": 1, "valign": "top", "num_format": "d mmmm yyyy"})
        money = wb.add_format({"border": 1, "valign": "top", "num_format": RUPIAH_FORMAT})
        link = wb.add_format({"border": 1, "valign": "top", "font_color": LINK_COLOUR, "underline": 1})
        listed = outcome.numbers or outcome.letters
        ws.write_string(0, 0, f"Daftar Surat Jiku Bata — {outcome.period_label}", title)
        ws.write_string(1, 0, f"Data per {long_date(outcome.as_of)}; {len(outcome.letters)} surat berlaku"
                              + (f", {len(listed)} nomor tercatat untuk periode ini." if outcome.numbers else "."))
        ws.write_row(3, 0, INDEX_HEADERS, head)
        # On paper: what a clerk needs; the files are links with a short text ("Buka"), in narrow columns.
        widths = (5, 28, 15, 14, 36, 28, 13, 14, 13, 7, 7)
        for r, x in enumerate(listed, start=4):
            height = wrapped_row_height([(x.recipient, widths[4]), (clean(x.office), widths[5]),
                                         (register_status(x), widths[7])])
            if height:
                ws.set_row(r, height)
            ws.write_number(r, 0, r - 3, text)
            ws.write_string(r, 1, x.number, text)
            ws.write_datetime(r, 2, dt.datetime.combine(x.date, dt.time()), date)
            ws.write_string(r, 3, letter_kind_label(x), text)
            ws.write_string(r, 4, x.recipient, text)
            ws.write_string(r, 5, clean(x.office), text)
            ws.write_number(r, 6, x.shortfall, money)
            ws.write_string(r, 7, register_status(x), text)
            ws.write_string(r, 8, delivery_status(x) if x.status in reg.LIVE else "-", text)
            _write_link(ws, r, 9, x.path, target.parent, link, text, label="Buka")
            if x.pdf_path:
                _write_link(ws, r, 10, x.pdf_path, target.parent, link, text, label="Buka")
            else:
                ws.write_blank(r, 10, None, text)
        for col, width in enumerate(widths):
            ws.set_column(col, col, width)
        ws.freeze_panes(4, 0)
        if listed:
            ws.autofilter(3, 0, 3 + len(listed), len(INDEX_HEADERS) - 1)
        ws.set_landscape()
        ws.set_paper(9)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        ws.center_horizontally()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(3)
        ws.set_footer(f"&L&8Daftar Surat {outcome.period_label.replace('&', '&&')}&R&8Halaman &P dari &N")
        wb.close()
    return target


def _write_link(ws, row: int, col: int, path: Path, base: Path, link_fmt, text_fmt,
                label: Optional[str] = None) -> None:
    """A link to `path` (relative to the index); shown as `label` with the file name as its tip."""
    relative = path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)
    if ws.write_url(row, col, f"external:{relative}", link_fmt, string=label or relative, tip=relative[:255]) < 0:
        ws.write_string(row, col, relative, text_fmt)


# ---------------------------------------------------------------- delivery by e-mail


def mail_key(letter: Letter) -> str:
    """The outbox key of a letter: its register number (unique per year) — one delivery per letter."""
    return number_mail_key(letter.number)


def number_mail_key(number: str) -> str:
    return f"surat:{number}"


HANDED_OVER = "diserahkan langsung"  # delivery status of a letter recorded by `jikubata tandai-terkirim`


def mail_subject(letter: Letter) -> str:
    kind = "Laporan" if letter.kind == KIND_REPORT else "Surat"
    return f"{kind} Jiku Bata Nomor {letter.number}"


def mail_body(letter: Letter, settings) -> tuple[str, str]:
    """A short Indonesian body, as text and HTML: what is attached, and that it is the letter itself.

    The number, the names and the office are written as they are in the letter (README: Surat);
    only a letterhead line in capitals is given its ordinary form (`Dinas Perindustrian dan Perdagangan`).
    """
    from html import escape

    kind = "laporan" if letter.kind == KIND_REPORT else "surat"
    lines = [f"Yth. {clean(letter.recipient)},",
             f"Bersama surel ini kami sampaikan {kind} Jiku Bata Nomor {clean(letter.number)} "
             f"tanggal {long_date(letter.date)} dari {clean(settings.signatory_position)} "
             f"(terlampir dalam bentuk PDF: {letter.pdf_path.name if letter.pdf_path else ''}).",
             "Surel ini dikirim otomatis oleh aplikasi Jiku Bata; mohon tidak membalas surel ini.",
             f"Hormat kami,\n{_office_as_named(clean(settings.issuing_office))}"]
    text = "\n\n".join(lines) + "\n"
    html = "".join(f"<p>{escape(line).replace(chr(10), '<br>')}</p>" for line in lines)
    return text, f"<html><body>{html}</body></html>"


INVALID_ADDRESS = "alamat tidak valid"     # a delivery status: the address is not well-formed, nothing sent
_MAIL_MINOR_WORDS = {"dan", "atau", "di", "ke", "dari", "untuk", "pada", "serta"}


def _office_as_named(text: str) -> str:
    """An office as written; a letterhead line in capitals in its ordinary form, minor words in lower case."""
    if not text.isupper():
        return text
    words = text.title().split(" ")
    return " ".join(w.lower() if i and w.lower() in _MAIL_MINOR_WORDS else w for i, w in enumerate(words))
