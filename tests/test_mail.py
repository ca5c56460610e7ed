"""Weekly email delivery: a real SMTP server (aiosmtpd) on 127.0.0.1, a random free port."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import textwrap

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from jikubata.adapters import mail
from jikubata.adapters.clock import Clock as AmbonClock
from jikubata.entrypoints import scheduler
from jikubata.adapters.history import SENT, History

from tests.test_scheduler import Clock, make, write_config
from tests.test_weekly import WIT, digests, write_inputs

MONDAY = dt.datetime(2026, 11, 23, 7, 0, tzinfo=WIT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping what it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 OK"

    @property
    def messages(self):
        return [email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes]


class Server:
    """A real SMTP server on 127.0.0.1; `start()`/`stop()` so a test can take it down."""

    def __init__(self, port: int, **kwargs):
        self.port, self.kwargs, self.inbox, self.controller = port, kwargs, Inbox(), None

    def start(self) -> "Server":
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **self.kwargs)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def server():
    s = Server(free_port())
    yield s
    s.stop()


@pytest.fixture
def inputs(tmp_path):
    return write_inputs(tmp_path / "masukan", recipients="admin@disperindag.ambon.go.id")


@pytest.fixture
def out(tmp_path):
    return tmp_path / "keluaran"


def mail_config(tmp_path, inputs, out, port, *, to='["sekda@ambon.go.id", "admin@ambon.go.id"]',
                security="none", extra=""):
    return write_config(tmp_path, inputs, out, textwrap.dedent(f"""
        [email]
        host = "127.0.0.1"
        port = {port}
        security = "{security}"
        from = "Jiku Bata <jikubata@ambon.go.id>"
        to = {to}
        timeout = 10
    """) + extra)


def test_weekly_mail_is_delivered_with_the_workbook_attached(tmp_path, inputs, out, server):
    server.start()
    before = digests(inputs)
    config = mail_config(tmp_path, inputs, out, server.port)

    assert scheduler.main(config, once=True, clock=AmbonClock(lambda: MONDAY)) == scheduler.EXIT_OK

    (envelope,) = server.inbox.envelopes
    assert envelope.mail_from == "jikubata@ambon.go.id"
    assert envelope.rcpt_tos == ["sekda@ambon.go.id", "admin@ambon.go.id"]
    (msg,) = server.inbox.messages
    assert msg["Subject"] == "Rekap Mingguan Jiku Bata, minggu ke-4 November 2026 (16–22 November)"
    week = out / "mingguan" / "2026-W47"
    html = msg.get_body(("html",)).get_content().replace("\r\n", "\n")  # SMTP carries CRLF lines
    assert html.strip() == (week / "email.html").read_text(encoding="utf-8").strip()
    assert "Kepatuhan November 2026" in msg.get_body(("plain",)).get_content()
    (attachment,) = msg.iter_attachments()
    assert attachment.get_filename() == "Rekap-Jiku-Bata-2026-11.xlsx"
    assert attachment.get_content() == (week / "Rekap-Jiku-Bata-2026-11.xlsx").read_bytes()
    assert [m.status for m in History(out).mails()] == [SENT]
    assert digests(inputs) == before


def test_a_failed_send_is_kept_and_retried_on_the_next_run(tmp_path, inputs, out, server):
    config = mail_config(tmp_path, inputs, out, server.port)  # the server is down

    assert scheduler.main(config, once=True, clock=AmbonClock(lambda: MONDAY)) == scheduler.EXIT_MAIL_PENDING
    (pending,) = History(out).pending_mails()
    assert pending.week == "2026-W47" and "menolak koneksi" in pending.last_error
    log = (out / scheduler.LOG_NAME).read_text(encoding="utf-8")
    assert "[GALAT] Surel 2026-W47 gagal dikirim" in log and "dikirim ulang" in log

    server.start()
    next_monday = MONDAY + dt.timedelta(days=7)
    assert scheduler.main(config, once=True, clock=AmbonClock(lambda: next_monday)) == scheduler.EXIT_OK

    subjects = [m["Subject"] for m in server.inbox.messages]
    assert [s.split(", ")[1] for s in subjects] == [  # the old one first
        "minggu ke-4 November 2026 (16–22 November)", "minggu ke-5 November 2026 (23–29 November)"]
    assert [m.status for m in History(out).mails()] == [SENT, SENT]


def test_a_pending_mail_is_retried_by_the_running_schedule(tmp_path, inputs, out, server):
    config = mail_config(tmp_path, inputs, out, server.port)
    clock = Clock(MONDAY)
    job = make(config, clock)
    try:
        job.tick()                      # the run; the send fails
        assert len(History(out).pending_mails()) == 1
        server.start()
        clock.advance(minutes=30)
        job.tick()                      # too soon
        assert server.inbox.envelopes == []
        clock.advance(minutes=31)
        job.tick()
    finally:
        job.close_log()

    assert len(server.inbox.envelopes) == 1
    assert History(out).pending_mails() == []


def test_login_uses_the_password_from_the_named_environment_variable(tmp_path, inputs, out, monkeypatch):
    seen = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        seen.append((auth_data.login, auth_data.password))
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"kata-sandi-rahasia"
        return AuthResult(success=ok)

    s = Server(free_port(), authenticator=authenticator, auth_require_tls=False).start()
    try:
        monkeypatch.setenv("JB_TEST_SMTP_PASSWORD", "kata-sandi-rahasia")
        config = mail_config(tmp_path, inputs, out, s.port, extra=textwrap.dedent("""
            user = "jikubata@ambon.go.id"
            password_env = "JB_TEST_SMTP_PASSWORD"
        """))
        assert "kata-sandi-rahasia" not in config.read_text(encoding="utf-8")

        assert scheduler.main(config, once=True, clock=AmbonClock(lambda: MONDAY)) == scheduler.EXIT_OK
        assert seen == [(b"jikubata@ambon.go.id", b"kata-sandi-rahasia")]
        assert len(s.inbox.envelopes) == 1
    finally:
        s.stop()


def test_a_missing_password_variable_keeps_the_mail_pending_and_says_which(tmp_path, inputs, out, server,
                                                                            monkeypatch):
    server.start()
    monkeypatch.delenv("JB_TEST_SMTP_PASSWORD", raising=False)
    config = mail_config(tmp_path, inputs, out, server.port, extra=textwrap.dedent("""
        user = "jikubata@ambon.go.id"
        password_env = "JB_TEST_SMTP_PASSWORD"
    """))

    assert scheduler.main(config, once=True, clock=AmbonClock(lambda: MONDAY)) == scheduler.EXIT_MAIL_PENDING
    (pending,) = History(out).pending_mails()
    assert "JB_TEST_SMTP_PASSWORD" in pending.last_error
    assert server.inbox.envelopes == []


def test_starttls_required_but_not_offered_is_refused_clearly(tmp_path, inputs, out, server):
    server.start()
    config = mail_config(tmp_path, inputs, out, server.port, security="starttls")

    assert scheduler.main(config, once=True, clock=AmbonClock(lambda: MONDAY)) == scheduler.EXIT_MAIL_PENDING
    assert "tidak mendukung STARTTLS" in History(out).pending_mails()[0].last_error
    assert server.inbox.envelopes == []


def test_recipients_default_to_the_settings_sheet(tmp_path, inputs, out, server):
    server.start()
    config = mail_config(tmp_path, inputs, out, server.port, to="[]")

    assert scheduler.main(config, once=True, clock=AmbonClock(lambda: MONDAY)) == scheduler.EXIT_OK
    assert server.inbox.envelopes[0].rcpt_tos == ["admin@disperindag.ambon.go.id"]


def test_no_recipients_anywhere_is_logged_as_a_warning(tmp_path, out, server):
    server.start()
    config = mail_config(tmp_path, write_inputs(tmp_path / "m"), out, server.port, to="[]")

    assert scheduler.main(config, once=True, clock=AmbonClock(lambda: MONDAY)) == scheduler.EXIT_OK
    assert server.inbox.envelopes == []
    assert "[PERINGATAN] Surel 2026-W47 tidak dibuat: tidak ada penerima" in \
        (out / scheduler.LOG_NAME).read_text(encoding="utf-8")


def test_send_reports_an_unknown_host_in_indonesian():
    settings = mail.MailSettings("tidak-ada.invalid", 25, "none", sender="a@b.id", timeout=5)

    with pytest.raises(mail.MailError, match="tidak dikenal"):
        mail.send(settings, b"Subject: x\r\n\r\nx\r\n", ["c@d.id"])
