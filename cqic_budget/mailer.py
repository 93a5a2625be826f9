"""Sending mail: the SMTP settings (environment, then .streamlit/secrets.toml) and one send function.

The settings are host, port, STARTTLS, user, sender (and an optional CA file for a relay with a private
certificate authority). The password comes from CQIC_SMTP_PASSWORD or the secrets file, never from the
store. Every failure a person can cause or meet is a `MailError` with a code and a French/English message.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import t

ENV_PREFIX = "CQIC_SMTP_"
SECRETS_SECTION = "smtp"
DEFAULT_PORT = 587
TIMEOUT_SECONDS = 30
MAX_RECIPIENTS = 50


class MailError(UserFacingError, ValueError):
    """A mail that cannot be sent: a code (smtp-not-configured, smtp-bad-setting, bad-recipient,
    smtp-failed) and a message in French or English."""

    def __init__(self, code: str, **params: object):
        self.code, self.params = code, params
        super().__init__(f"{code}: {self.message('en')}")

    def message(self, lang: str = "fr") -> str:
        return t(f"mail.error.{self.code}", lang, **self.params)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    sender: str
    port: int = DEFAULT_PORT
    starttls: bool = True
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: str | None = None  # a private CA's certificate for STARTTLS (default: the system's)


def _secrets_files() -> list[Path]:
    # The same files Streamlit reads st.secrets from.
    return [base / ".streamlit" / "secrets.toml" for base in (Path.cwd(), Path.home())]


def _secrets(files: Iterable[Path]) -> dict:
    """The [smtp] table of the first secrets file that has one (later files do not override)."""
    for path in files:
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise MailError("smtp-bad-setting", name=str(path), value=type(exc).__name__) from None
        table = data.get(SECRETS_SECTION)
        if isinstance(table, dict):
            return table
    return {}


def _flag(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "oui", "on"):
        return True
    if text in ("0", "false", "no", "non", "off"):
        return False
    raise MailError("smtp-bad-setting", name=name, value=str(value))


def smtp_settings(
    *, environ: Mapping[str, str] | None = None, secrets_files: Iterable[Path] | None = None
) -> SmtpSettings:
    """The SMTP settings: CQIC_SMTP_HOST, _PORT, _STARTTLS, _USER, _SENDER, _PASSWORD, _CA_FILE, each
    overriding the same key (host, port, starttls, user, sender, password, ca_file) of [smtp] in
    .streamlit/secrets.toml."""
    environ = os.environ if environ is None else environ
    table = _secrets(_secrets_files() if secrets_files is None else secrets_files)

    def get(key: str) -> object | None:
        value = environ.get(ENV_PREFIX + key.upper())
        if value is None or value == "":
            value = table.get(key)
        return None if value is None or value == "" else value

    host = get("host")
    if host is None:
        raise MailError("smtp-not-configured")
    port_value = get("port")
    try:
        port = DEFAULT_PORT if port_value is None else int(str(port_value).strip())
    except ValueError:
        raise MailError("smtp-bad-setting", name="port", value=str(port_value)) from None
    if not 0 < port < 65536:
        raise MailError("smtp-bad-setting", name="port", value=str(port_value))
    sender = get("sender")
    if sender is None:
        raise MailError("smtp-bad-setting", name="sender", value="")
    parse_addresses(str(sender), setting="sender")
    starttls = get("starttls")
    user = get("user")
    password = get("password")
    ca_file = get("ca_file")
    return SmtpSettings(
        host=str(host).strip(), port=port, sender=str(sender).strip(),
        starttls=True if starttls is None else _flag("starttls", starttls),
        user=None if user is None else str(user), password=None if password is None else str(password),
        ca_file=None if ca_file is None else str(ca_file),
    )


def parse_addresses(text: str, *, setting: str | None = None) -> list[str]:
    """Comma-separated plain addresses (name@domain), each checked: no display names, no line breaks
    (nothing a header could be forged with). Raises MailError bad-recipient (or smtp-bad-setting)."""
    found = []
    for part in text.split(","):
        candidate = part.strip()
        if not candidate and setting is None:
            continue
        try:
            if any(ch in candidate for ch in "\r\n\t <>\"'()[];:\\") or candidate.count("@") != 1:
                raise ValueError(candidate)
            local, domain = candidate.split("@")
            if not local or "." not in domain or domain.startswith(".") or domain.endswith("."):
                raise ValueError(candidate)
            Address(addr_spec=candidate)
        except (ValueError, IndexError):
            if setting is not None:
                raise MailError("smtp-bad-setting", name=setting, value=candidate) from None
            raise MailError("bad-recipient", address=candidate) from None
        found.append(candidate)
    if not found:
        raise MailError("no-recipient")
    if len(found) > MAX_RECIPIENTS:
        raise MailError("too-many-recipients", limit=MAX_RECIPIENTS)
    return list(dict.fromkeys(found))


def compose(
    *, sender: str, recipients: Sequence[str], subject: str, text: str, html: str, lang: str,
    attachments: Sequence[tuple[str, bytes, str]] = (), when=None,
) -> EmailMessage:
    """A multipart message: the plain text, its HTML alternative, then each (file name, bytes, MIME type)."""
    msg = EmailMessage()
    msg["Subject"] = " ".join(subject.split())  # one line, whatever a program name holds
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    if when is not None:
        msg["Date"] = format_datetime(when)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    # After the parts: set_content and add_attachment move Content-* headers into the parts.
    msg["Content-Language"] = "fr-CA" if lang == "fr" else "en-CA"
    return msg


def send(msg: EmailMessage, settings: SmtpSettings) -> None:
    """Deliver through the configured server (STARTTLS before any login when set)."""
    if settings.user and not settings.password:
        raise MailError("smtp-no-password")
    if settings.user and not (settings.user + (settings.password or "")).isascii():
        # smtplib sends credentials as ASCII only (AUTH PLAIN/LOGIN); say so instead of failing mid-way.
        raise MailError("smtp-credentials-ascii")
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS) as server:
            server.ehlo()
            if settings.starttls:
                context = ssl.create_default_context(cafile=settings.ca_file)
                server.starttls(context=context)
                server.ehlo()
            if settings.user:
                server.login(settings.user, settings.password or "")
            refused = server.send_message(msg)
    except smtplib.SMTPAuthenticationError:
        raise MailError("smtp-login-refused", host=settings.host) from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError("smtp-refused", addresses=", ".join(sorted(exc.recipients))) from None
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise MailError("smtp-failed", host=settings.host, port=settings.port,
                        reason=str(exc) or type(exc).__name__) from None
    if refused:
        raise MailError("smtp-refused", addresses=", ".join(sorted(refused)))
