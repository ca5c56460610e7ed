"""Letters delivered by e-mail (issue 12): each PDF once to its recipient, through the weekly outbox,
against a real SMTP server (aiosmtpd) on 127.0.0.1 — one that works and one that fails halfway."""
from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import shutil

import openpyxl
import pytest

from tests.support import letters_fixtures as F
from jikubata import services
from jikubata.adapters import letters, mail
from jikubata.adapters.clock import Clock
from jikubata.adapters.history import SENT, History
from jikubata.domain.model import Office, Tier
from tests.test_mail import Inbox, Server, free_port

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice diperlukan untuk PDF")
CLOCK = Clock.fixed(dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=9))))


def result_with_addresses():
    extra = [F.employee(50, "Petrus Nikijuluw", Tier.ESELON_III, "Bappeda", "Kepala Bidang Ekonomi",
                        email="petrus@bappeda.contoh.go.id"),
             F.employee(51, "Wali Kota Contoh", Tier.WALIKOTA, "Sekretariat Daerah", "Wali Kota Ambon",
                        email="walikota@contoh.go.id")]
    result = F.small_result(extra_employees=extra)
    result.office_info["Dinas Kesehatan"] = Office("Dinas Kesehatan", "Dinkes", "dr. Wendy Pattinama",
                                                   "197001011995032001", "Kepala Dinas Kesehatan",
                                                   "dinkes@contoh.go.id")
    return result


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The letters and their PDFs, made once; each test delivers from a copy."""
    base = tmp_path_factory.mktemp("surat")
    outcome = letters.write_letters(result_with_addresses(), base, pdf=True, today=F.TODAY)
    assert all(x.pdf_path for x in outcome.letters), outcome.pdf_message
    return base


@pytest.fixture
def out(written, tmp_path):
    target = tmp_path / "keluaran"
    shutil.copytree(written, target)
    return target


@pytest.fixture(scope="module")
def written_with_stand_in_pdfs(tmp_path_factory):
    """The letters, each with a one-page blank PDF beside it instead of LibreOffice's: for the tests of the
    outbox, which attach a PDF and never read it."""
    from pypdf import PdfWriter

    base = tmp_path_factory.mktemp("surat-tanpa-libreoffice")
    for x in letters.write_letters(result_with_addresses(), base, today=F.TODAY).letters:
        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        writer.write(x.path.with_suffix(".pdf"))
    return base


@pytest.fixture
def out_quick(written_with_stand_in_pdfs, tmp_path):
    target = tmp_path / "keluaran"
    shutil.copytree(written_with_stand_in_pdfs, target)
    return target


def again(out):
    """The same run again (same numbers and files; PDFs already there)."""
    outcome = letters.write_letters(result_with_addresses(), out, today=F.TODAY)
    pdfs = {x.path: x.path.with_suffix(".pdf") for x in outcome.letters}
    outcome.letters = [dataclasses.replace(x, pdf_path=pdfs[x.path]) for x in outcome.letters]
    return outcome


def settings(port):
    return mail.MailSettings("127.0.0.1", port, "none", sender="jikubata@disperindag.contoh.go.id", timeout=10)


class FailingAfter(Inbox):
    """Accepts `n` messages, then answers every DATA with a temporary failure."""

    def __init__(self, n):
        super().__init__()
        self.n = n

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if len(self.envelopes) >= self.n:
            return "451 4.3.0 server sibuk, coba lagi"
        return await super().handle_DATA(server, session, envelope)


def deliver_through_a_server_failing_after_one(out):
    """(port, the server, the outcome) of a delivery through a server that takes one message, then fails."""
    port = free_port()
    failing = Server(port)
    failing.inbox = FailingAfter(1)
    failing.start()
    try:
        return port, failing, deliver(out, port)
    finally:
        failing.stop()


def deliver(out, port, dry_run=False):
    outcome = again(out)
    services.deliver_letters(result_with_addresses(), outcome, out, None if dry_run else settings(port),
                             clock=CLOCK, dry_run=dry_run)
    return outcome


@pytest.mark.slow
@needs_soffice
def test_each_pdf_goes_once_to_its_recipient(out):
    server = Server(free_port()).start()
    try:
        outcome = deliver(out, server.port)
        deliver(out, server.port)  # a rerun sends nothing twice
    finally:
        server.stop()
    by_address = {}
    for m in server.inbox.messages:
        by_address.setdefault(m["To"], []).append(m)
    expected = {x.email: x for x in outcome.letters if x.email}
    assert set(by_address) == set(expected) == {"dinkes@contoh.go.id", "petrus@bappeda.contoh.go.id",
                                                 "walikota@contoh.go.id"}
    for address, msgs in by_address.items():
        assert len(msgs) == 1
        (part,) = [p for p in msgs[0].iter_attachments()]
        assert part.get_content_type() == "application/pdf"
        assert part.get_content() == expected[address].pdf_path.read_bytes()
        assert expected[address].number in msgs[0]["Subject"]
        assert "Bersama surel ini kami sampaikan" in msgs[0].get_body(("plain",)).get_content()
    statuses = {x.recipient: x.delivery_status for x in outcome.letters}
    assert sum(s.startswith("terkirim 21 November 2026") for s in statuses.values()) == 3
    assert sum(s == "tanpa alamat" for s in statuses.values()) == len(outcome.letters) - 3


@pytest.mark.slow  # LibreOffice (the module's fixture)
@needs_soffice
def test_a_server_failing_halfway_leaves_the_rest_pending_and_a_rerun_delivers_them_once(out):
    port, failing, first = deliver_through_a_server_failing_after_one(out)
    assert len(failing.inbox.envelopes) == 1
    pending = [x for x in first.letters if x.delivery_status.startswith("tertunda")]
    assert len(pending) == 2 and all("451" in x.delivery_status for x in pending)
    ws = openpyxl.load_workbook(first.index_path)["Daftar Surat"]
    column = [c.value for c in ws["I"][4:]]
    assert sum(str(v).startswith("tertunda") for v in column) == 2 and "tanpa alamat" in column

    good = Server(port).start()
    try:
        second = deliver(out, port)
    finally:
        good.stop()
    delivered = [e.rcpt_tos[0] for e in failing.inbox.envelopes + good.inbox.envelopes]
    assert sorted(delivered) == sorted(x.email for x in second.letters if x.email)  # each exactly once
    assert all(not x.delivery_status.startswith("tertunda") for x in second.letters)
    assert all(m.status == SENT for m in History(out).mails() if m.week.startswith("surat:"))


@pytest.mark.slow  # LibreOffice (the module's fixture)
@needs_soffice
def test_coba_lists_what_would_be_sent_and_sends_nothing(out):
    outcome = deliver(out, 0, dry_run=True)
    text = outcome.summary_text()
    assert "tidak ada surel yang dikirim" in text and "akan dikirim ke dinkes@contoh.go.id" in text
    assert History(out).mails() == []


def test_kirim_without_smtp_settings_is_a_clear_error(tmp_path, capsys):
    from jikubata.entrypoints import cli

    assert cli.main(["surat", str(tmp_path / "x.xlsx"), "--periode", "2026-11", "--keluaran", str(tmp_path),
                     "--kirim"]) == 2
    assert "--konfigurasi" in capsys.readouterr().err


@pytest.mark.slow
@needs_soffice
def test_surat_kirim_through_the_command_line_and_the_weekly_configuration(tmp_path, capsys):
    from tests.support import workbooks as W
    from jikubata.entrypoints import cli

    day = dt.date(2025, 11, 7)
    source = W.basic(tmp_path / "pusat.xlsx", purchases=[
        (day, W.NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie", 5_000, "N1")],
        extra={"OPD": [["Nama OPD", "Email"], ["Dinas Kesehatan", "dinkes@contoh.go.id"]],
               "Pengaturan": W.signer_settings()})
    server = Server(free_port()).start()
    config = tmp_path / "jadwal.toml"
    config.write_text(f'''inputs = ["{tmp_path}"]
output = "{tmp_path / 'keluaran'}"
[email]
host = "127.0.0.1"
port = {server.port}
security = "none"
from = "jikubata@contoh.go.id"
''', encoding="utf-8")
    args = ["surat", str(source), "--periode", "2025-11", "--keluaran", str(tmp_path / "keluaran"), "--kirim",
            "--konfigurasi", str(config)]
    try:
        assert cli.main(args) == 0
        first = capsys.readouterr().out
        assert cli.main(args) == 0
        second = capsys.readouterr().out
    finally:
        server.stop()
    assert [e.rcpt_tos for e in server.inbox.envelopes] == [["dinkes@contoh.go.id"]]
    # Each run says what it sent itself and what an earlier run had sent (issue 18 rule 8).
    assert "1 terkirim dalam proses ini, 0 sudah terkirim sebelumnya, 0 tertunda" in first
    assert "0 terkirim dalam proses ini, 1 sudah terkirim sebelumnya, 0 tertunda" in second
    # A later run without --kirim still shows the delivery in Daftar Surat.
    assert cli.main(args[:-3]) == 0
    ws = openpyxl.load_workbook(tmp_path / "keluaran" / "Daftar-Surat-2025-11.xlsx")["Daftar Surat"]
    shown = [str(c.value) for c in ws["I"][4:] if c.value]
    assert [v.split(" ")[0] for v in shown if v != "belum dikirim"] == ["terkirim"]


def test_surat_coba_on_the_command_line_lists_without_pdf_and_sends_nothing(tmp_path, capsys):
    from tests.support import workbooks as W
    from jikubata.entrypoints import cli

    source = W.basic(tmp_path / "pusat.xlsx", purchases=[
        (dt.date(2025, 11, 7), W.NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie", 5_000, "N1")],
        extra={"OPD": [["Nama OPD", "Email"], ["Dinas Kesehatan", "dinkes@contoh.go.id"]],
               "Pengaturan": W.signer_settings()})
    out = tmp_path / "keluaran"
    assert cli.main(["surat", str(source), "--periode", "2025-11", "--keluaran", str(out), "--coba"]) == 0
    text = capsys.readouterr().out
    assert "tidak ada surel yang dikirim" in text and "akan dikirim ke dinkes@contoh.go.id" in text
    assert "tanpa alamat" in text
    assert History(out).mails() == []


def test_a_konsep_is_never_sent_nor_listed_as_going_out(tmp_path, capsys):
    """Letters without the signer's name, rank or NIP are a KONSEP: --kirim and --coba refuse them."""
    from tests.support import workbooks as W
    from jikubata.entrypoints import cli

    source = W.basic(tmp_path / "pusat.xlsx", purchases=[
        (dt.date(2025, 11, 7), W.NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie", 5_000, "N1")],
        extra={"OPD": [["Nama OPD", "Email"], ["Dinas Kesehatan", "dinkes@contoh.go.id"]]})
    out = tmp_path / "keluaran"
    assert cli.main(["surat", str(source), "--periode", "2025-11", "--keluaran", str(out), "--coba"]) == 2
    err = capsys.readouterr().err
    assert "KONSEP" in err and "Nama Penandatangan" in err and "Traceback" not in err
    assert not out.exists() or not list(out.rglob("*.docx"))


def test_a_letter_interrupted_mid_send_goes_again_with_the_same_message_id_and_the_summary_says_so(out_quick):
    out = out_quick
    import sqlite3

    from jikubata.adapters.history import SENDING

    server = Server(free_port()).start()
    try:
        deliver(out, server.port)
        db = History(out)
        (kept,) = [m for m in db.mails() if m.recipients == ("dinkes@contoh.go.id",)]
        # As if the run had been killed between the server's 250 and the outbox's record of it:
        with sqlite3.connect(db.path) as con:
            con.execute("UPDATE mingguan_mail SET status = ? WHERE id = ?", (SENDING, kept.id))
        second = deliver(out, server.port)
    finally:
        server.stop()
    copies = [m for m in server.inbox.messages if m["To"] == "dinkes@contoh.go.id"]
    assert len(copies) == 2 and copies[0]["Message-ID"] == copies[1]["Message-ID"]
    assert server.inbox.envelopes[-1].content == kept.message
    text = second.summary_text()
    assert "1 terkirim dalam proses ini (1 dikirim ulang setelah proses sebelumnya terputus), " \
           "2 sudah terkirim sebelumnya" in text
    assert all(m.status == SENT for m in History(out).mails())


def test_an_invalid_address_is_listed_and_nothing_is_sent_to_it(out_quick):
    out = out_quick
    outcome = again(out)
    outcome.letters = [dataclasses.replace(x, email="drs..407@bappeda.contoh.go.id")
                       if x.email.startswith("petrus") else x for x in outcome.letters]
    server = Server(free_port()).start()
    try:
        services.deliver_letters(result_with_addresses(), outcome, out, settings(server.port), clock=CLOCK)
    finally:
        server.stop()
    assert sorted(e.rcpt_tos[0] for e in server.inbox.envelopes) == ["dinkes@contoh.go.id", "walikota@contoh.go.id"]
    (bad,) = [x for x in outcome.letters if x.email.startswith("drs..")]
    assert bad.delivery_status == "alamat tidak valid: drs..407@bappeda.contoh.go.id"
    text = outcome.summary_text()
    assert "1 alamat tidak valid" in text and "alamat tidak valid: drs..407@bappeda.contoh.go.id" in text


def test_coba_lists_an_invalid_address_as_invalid_not_as_going_out(out_quick):
    out = out_quick
    outcome = again(out)
    outcome.letters = [dataclasses.replace(x, email="budi @contoh.go.id") if x.email.startswith("petrus") else x
                       for x in outcome.letters]
    services.deliver_letters(result_with_addresses(), outcome, out, None, clock=CLOCK, dry_run=True)
    text = outcome.summary_text()
    assert "alamat tidak valid: budi @contoh.go.id" in text and "akan dikirim ke budi" not in text


def test_the_mail_body_writes_the_number_and_the_office_as_written(out_quick):
    out = out_quick
    outcome = again(out)
    x = dataclasses.replace(outcome.letters[0], number="500.2/14/DISPERINDAG/XI/2026", pdf_path=out / "a.pdf")
    s = dataclasses.replace(result_with_addresses().settings,
                            issuing_office="DINAS PERINDUSTRIAN DAN PERDAGANGAN")
    text, html = letters.mail_body(x, s)
    assert "Surat Jiku Bata Nomor 500.2/14/DISPERINDAG/XI/2026" not in text  # the sentence goes on in lower case
    assert "surat Jiku Bata Nomor 500.2/14/DISPERINDAG/XI/2026 tanggal" in text
    assert text.rstrip().endswith("Dinas Perindustrian dan Perdagangan")
    assert "500.2/14/DISPERINDAG/XI/2026" in html
    s = dataclasses.replace(s, issuing_office="Dinas Koperasi dan UKM")
    assert letters.mail_body(x, s)[0].rstrip().endswith("Dinas Koperasi dan UKM")


@pytest.mark.slow  # LibreOffice: `--kirim` makes the PDFs
@needs_soffice
def test_surat_kirim_exits_4_when_an_email_is_held_back(tmp_path, capsys):
    from tests.support import workbooks as W
    from jikubata.entrypoints import cli

    source = W.basic(tmp_path / "pusat.xlsx", purchases=[
        (dt.date(2025, 11, 7), W.NIP_ANI, "Ani Latuconsina", "Mie Sagu Mama Ona", "Mie", 5_000, "N1")],
        extra={"OPD": [["Nama OPD", "Email"], ["Dinas Kesehatan", "dinkes@contoh.go.id"]],
               "Pengaturan": W.signer_settings()})
    config = tmp_path / "jadwal.toml"
    config.write_text(f'inputs = ["{tmp_path}"]\noutput = "{tmp_path / "keluaran"}"\n[email]\nhost = "127.0.0.1"\n'
                      f'port = {free_port()}\nsecurity = "none"\nfrom = "jikubata@contoh.go.id"\n', encoding="utf-8")
    code = cli.main(["surat", str(source), "--periode", "2025-11", "--keluaran", str(tmp_path / "keluaran"),
                     "--kirim", "--konfigurasi", str(config)])   # nobody listens on that port
    out = capsys.readouterr()
    assert code == 4
    assert "0 terkirim dalam proses ini, 0 sudah terkirim sebelumnya, 1 tertunda" in out.out
    assert "Traceback" not in out.err


def test_a_letter_handed_over_on_paper_is_not_emailed_nor_retried(out_quick):
    port, _, first = deliver_through_a_server_failing_after_one(out_quick)
    pending = [x for x in first.letters if x.delivery_status.startswith("tertunda")]
    assert len(pending) == 2
    handed = pending[0]
    services.mark_letters_delivered(out_quick, [handed.number], clock=CLOCK)
    # Its e-mail waiting in the outbox is withdrawn: the schedule does not retry it either.
    waiting = {m.week for m in History(out_quick).pending_mails()}
    assert waiting == {letters.mail_key(pending[1])}
    good = Server(port).start()
    try:
        second = deliver(out_quick, port)
    finally:
        good.stop()
    assert [e.rcpt_tos[0] for e in good.inbox.envelopes] == [pending[1].email]
    status = {x.number: x.delivery_status for x in second.letters}
    assert status[handed.number] == letters.HANDED_OVER and status[pending[1].number].startswith("terkirim")
    ws = openpyxl.load_workbook(second.index_path)["Daftar Surat"]
    assert letters.HANDED_OVER in [c.value for c in ws["I"][4:]]
    assert History(out_quick).pending_mails() == []
