"""Email at least once, recognisably (issue 20 point 1): a message has a Message-ID derived from what it
says, is recorded `mengirim` before the SMTP exchange, and a message a killed run left `mengirim` is sent
again as the very same bytes. The kill itself is tried in tests/test_mail_kill.py."""
from __future__ import annotations

import datetime as dt
import email
import email.policy

from jikubata import services
from jikubata.adapters import mail
from jikubata.adapters.clock import Clock as AmbonClock
from jikubata.adapters.history import PENDING, SENDING, SENT, History
from jikubata.entrypoints import scheduler

from tests.test_mail import MONDAY, Server, free_port, mail_config, inputs, out, server  # noqa: F401 (fixtures)

SETTINGS = mail.MailSettings("127.0.0.1", 25, "none", sender="jikubata@disperindag.example.org")


def build(tmp_path, text="Isi surel.", identity="surat:500.2/7/DISPERINDAG/XI/2026"):
    attachment = tmp_path / "Surat.pdf"
    if not attachment.exists():
        attachment.write_bytes(b"%PDF-1.4 contoh")
    return mail.build_message(SETTINGS, subject="Surat Jiku Bata Nomor 500.2/7/DISPERINDAG/XI/2026",
                              recipients=["budi@example.org"], text=text, html=f"<p>{text}</p>",
                              attachments=[attachment], identity=identity)


def test_the_same_message_built_twice_has_the_same_message_id(tmp_path):
    first, second = build(tmp_path), build(tmp_path)
    assert first["Message-ID"] == second["Message-ID"]
    assert first["Message-ID"].startswith("<jikubata.") and first["Message-ID"].endswith("@disperindag.example.org>")


def test_another_letter_or_another_content_has_another_message_id(tmp_path):
    base = build(tmp_path)["Message-ID"]
    assert build(tmp_path, text="Isi lain.")["Message-ID"] != base
    assert build(tmp_path, identity="surat:500.2/8/DISPERINDAG/XI/2026")["Message-ID"] != base


def test_the_message_id_is_read_back_from_the_stored_bytes(tmp_path):
    msg = build(tmp_path)
    assert mail.message_id_of(msg.as_bytes()) == msg["Message-ID"]


def test_queueing_a_message_already_sent_does_not_queue_it_again(tmp_path):
    db = History(tmp_path)
    data = build(tmp_path).as_bytes()
    first = db.queue_mail("2026-W47", "s", ["a@example.org"], data, MONDAY)
    db.mark_sending(first)
    assert [m.status for m in db.mails()] == [SENDING]
    assert db.queue_mail("2026-W47", "s", ["a@example.org"], build(tmp_path).as_bytes(), MONDAY) == first
    db.mark_sent(first, MONDAY)
    assert db.queue_mail("2026-W47", "s", ["a@example.org"], build(tmp_path).as_bytes(), MONDAY) == first
    assert [m.status for m in db.mails()] == [SENT]


def test_a_failed_send_is_pending_again(tmp_path):
    db = History(tmp_path)
    mail_id = db.queue_mail("2026-W47", "s", ["a@example.org"], build(tmp_path).as_bytes(), MONDAY)
    db.mark_sending(mail_id)
    db.mark_failed(mail_id, "server menolak")
    assert [(m.status, m.attempts) for m in db.mails()] == [(PENDING, 1)]


def test_a_weekly_mail_left_mengirim_is_sent_again_as_the_same_bytes(tmp_path, server):
    server.start()
    db = History(tmp_path)
    data = build(tmp_path).as_bytes()
    db.mark_sending(db.queue_mail("2026-W47", "s", ["a@example.org"], data, MONDAY))  # the run was killed here

    run = services.send_pending_mail(tmp_path, mail.MailSettings("127.0.0.1", server.port, "none",
                                                                 sender="jikubata@example.org", timeout=10),
                                     clock=AmbonClock.fixed(MONDAY))

    assert [e.content for e in server.inbox.envelopes] == [data]
    assert [a.resent for a in run.mails] == [True]
    assert [m.status for m in db.mails()] == [SENT]


def test_the_weekly_job_says_in_its_log_that_it_resent_after_an_interruption(tmp_path, inputs, out, server):
    server.start()
    config = mail_config(tmp_path, inputs, out, server.port)
    clock = AmbonClock(lambda: MONDAY)
    assert scheduler.main(config, once=True, clock=clock) == scheduler.EXIT_OK
    (sent,) = History(out).mails()
    # As if the run had been killed between the server's 250 and the outbox's record of it:
    import sqlite3
    with sqlite3.connect(History(out).path) as db:
        db.execute("UPDATE mingguan_mail SET status = ? WHERE id = ?", (SENDING, sent.id))

    assert scheduler.main(config, once=True, clock=clock) == scheduler.EXIT_OK

    first, second = server.inbox.messages
    assert first["Message-ID"] == second["Message-ID"]
    assert [m.status for m in History(out).mails()] == [SENT]   # one message, not a second row
    assert "dikirim ulang" in (out / scheduler.LOG_NAME).read_text(encoding="utf-8")


def test_running_the_same_week_again_does_not_mail_the_same_summary_twice(tmp_path, inputs, out, server):
    server.start()
    config = mail_config(tmp_path, inputs, out, server.port)
    clock = AmbonClock(lambda: MONDAY)
    assert scheduler.main(config, once=True, clock=clock) == scheduler.EXIT_OK
    assert scheduler.main(config, once=True, clock=clock) == scheduler.EXIT_OK
    assert len(server.inbox.envelopes) == 1
