"""Sending the weekly email over SMTP (STARTTLS, SSL, or plain for a local relay).

The password never sits in a file: the configuration names an environment
variable (`password_env`) and it is read only when sending. A message is
built once (`build_message`), kept as bytes in the history until a send
succeeds, and sent with `send`; a failure raises `MailError` with an
Indonesian reason, so the caller logs it and keeps the message pending.
"""
from __future__ import annotations

import email.policy
import email.utils
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
                  attachments: Sequence[Path] = ()) -> EmailMessage:
    """A multipart message: plain text, the HTML body, and the files attached."""
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = subject
    msg["From"] = settings.sender or settings.user
    msg["To"] = ", ".join(recipients)
    msg["Date"] = email.utils.formatdate(localtime=True)
    domain = (settings.sender or settings.user or "jikubata.local").rpartition("@")[2] or "jikubata.local"
    msg["Message-ID"] = email.utils.make_msgid(domain=domain)
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    for path in attachments:
        path = Path(path)
        maintype, subtype = {".xlsx": XLSX_TYPE, ".pdf": ("application", "pdf")}.get(
            path.suffix.lower(), ("application", "octet-stream"))
        msg.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
    return msg


def looks_like_address(text: str) -> bool:
    """`nama@instansi.go.id`: one @, something before it, a dot after it, no spaces."""
    name, at, domain = str(text or "").strip().partition("@")
    return bool(at and name and "." in domain.strip(".") and not any(c.isspace() for c in text.strip()))


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
