"""Sending the weekly email over SMTP (STARTTLS, SSL, or plain for a local relay).

The password never sits in a file: the configuration names an environment
variable (`password_env`) and it is read only when sending. A message is
built once (`build_message`), kept as bytes in the history until a send
succeeds, and sent with `send`; a failure raises `MailError` with an
Indonesian reason, so the caller logs it and keeps the message pending.

Delivery is "at least once, recognisably" (README: Keandalan): a run killed after the
server took a message but before the outbox heard of it sends it again, and
the copy carries the same Message-ID, derived from what the message says
(`identity`: the letter's number or the week, and its content), so mail
programs and the recipient can tell it is the same message.
"""
from __future__ import annotations

import email.policy
import email.utils
import hashlib
import os
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Sequence

SECURITY = ("starttls", "ssl", "none")
XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class MailError(Exception):
    """A send that did not go through (Indonesian message)."""


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str = "starttls"
    user: str = ""
    password_env: str = ""
    sender: str = ""
    recipients: tuple[str, ...] = field(default_factory=tuple)
    timeout: float = 60.0

    def password(self) -> str:
        if not self.password_env:
            return ""
        value = os.environ.get(self.password_env)
        if value is None:
            raise MailError(f"variabel lingkungan {self.password_env} (kata sandi SMTP) belum diisi")
        return value


def build_message(settings: MailSettings, *, subject: str, recipients: Sequence[str], text: str, html: str,
                  attachments: Sequence[Path] = (), identity: str = "") -> EmailMessage:
    """A multipart message: plain text, the HTML body, and the files attached.

    With `identity` (e.g. `surat:<number>`), the Message-ID is derived from it and
    from the content (sender, recipients, subject, both bodies, the attachments'
    names), so building the same message again gives the same Message-ID. The
    attachments' bytes are left out: LibreOffice and XlsxWriter stamp each file
    with the moment it was made, and the letter a number stands for never changes.
    """
    files = [(Path(p).name, Path(p).suffix.lower(), Path(p).read_bytes()) for p in attachments]
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = subject
    msg["From"] = settings.sender or settings.user
    msg["To"] = ", ".join(recipients)
    msg["Date"] = email.utils.formatdate(localtime=True)
    domain = (settings.sender or settings.user or "jikubata.local").rpartition("@")[2] or "jikubata.local"
    if identity:
        msg["Message-ID"] = message_id(identity, domain, [msg["From"], subject, *recipients, text, html,
                                                          *(f[0] for f in files)])
    else:
        msg["Message-ID"] = email.utils.make_msgid(domain=domain)
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    for name, suffix, data in files:
        maintype, subtype = {".xlsx": XLSX_TYPE, ".pdf": ("application", "pdf")}.get(
            suffix, ("application", "octet-stream"))
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


def message_id(identity: str, domain: str, content: Sequence[str | bytes]) -> str:
    """`<jikubata.<hash of identity and content>@domain>`: the same message always gets the same id."""
    digest = hashlib.sha256(identity.encode("utf-8"))
    for part in content:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else bytes(part)
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return f"<jikubata.{digest.hexdigest()[:40]}@{domain}>"


def message_id_of(message: bytes) -> str:
    """The Message-ID header of a stored message ("" when it has none)."""
    head = message.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    parsed = email.message_from_bytes(head + b"\r\n\r\n", policy=email.policy.compat32)
    return str(parsed.get("Message-ID", "")).strip()


def looks_like_address(text: str) -> bool:
    """Whether `text` is a well-formed address: syntax only, no DNS look-up (email-validator)."""
    import email_validator

    text = str(text or "").strip()
    try:
        email_validator.validate_email(text, check_deliverability=False)
    except email_validator.EmailNotValidError:
        return False
    return bool(text)


def send(settings: MailSettings, message: bytes | EmailMessage, recipients: Sequence[str]) -> None:
    """Deliver `message` to `recipients`; raise MailError with the reason when it does not go through."""
    if isinstance(message, EmailMessage):
        message = message.as_bytes()
    if not recipients:
        raise MailError("tidak ada alamat penerima")
    sender = email.utils.parseaddr(settings.sender or settings.user)[1]  # the envelope takes the bare address
    if settings.security not in SECURITY:
        raise MailError(f"security '{settings.security}' tidak dikenal (pilih starttls, ssl atau none)")
    where = f"{settings.host}:{settings.port}"
    try:
        password = settings.password()
        context = ssl.create_default_context()
        if settings.security == "ssl":
            server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with server:
            server.ehlo()
            if settings.security == "starttls":
                if not server.has_extn("starttls"):
                    raise MailError(f"server SMTP {where} tidak mendukung STARTTLS; periksa port atau "
                                    f"gunakan security = \"ssl\"")
                server.starttls(context=context)
                server.ehlo()
            if settings.user:
                server.login(settings.user, password)
            refused = server.sendmail(sender, list(recipients), message)
        if refused:
            raise MailError("server menolak penerima: " + ", ".join(sorted(refused)))
    except MailError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"login SMTP ke {where} ditolak (periksa user dan kata sandi): {_reply(exc)}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError("server menolak semua penerima: " + ", ".join(sorted(exc.recipients))) from None
    except smtplib.SMTPResponseException as exc:
        raise MailError(f"server SMTP {where} menolak: {_reply(exc)}") from None
    except ssl.SSLError as exc:
        raise MailError(f"koneksi aman (TLS) ke {where} gagal: {exc.reason or exc}") from None
    except (socket.timeout, TimeoutError):
        raise MailError(f"server SMTP {where} tidak menjawab dalam {settings.timeout:.0f} detik") from None
    except ConnectionRefusedError:
        raise MailError(f"server SMTP {where} menolak koneksi (tidak berjalan atau port salah)") from None
    except socket.gaierror:
        raise MailError(f"nama server SMTP '{settings.host}' tidak dikenal") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"pengiriman ke {where} gagal: {exc}") from None


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {text}".strip()
