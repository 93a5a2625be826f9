"""The Overview's « m'envoyer ce résumé » button: only for a signed-in reader, mailed to their own address."""

from __future__ import annotations

import email
import email.policy
from datetime import date

import app_tools
import pytest
from aiosmtpd.controller import Controller
from mail_tools import Inbox
from streamlit.testing.v1 import AppTest

from cqic_budget.auth import LOCAL_USER
from cqic_budget.db import session_scope
from cqic_budget.i18n import t
from cqic_budget.users import add_user
from tools.local_server import free_port

pytestmark = [pytest.mark.usefixtures("fresh_caches"), pytest.mark.one_store]

AS_OF = date(2026, 10, 31)
MANAGER = "gestion_cqic@cqic.example"


@pytest.fixture
def smtp(monkeypatch, tmp_path):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    for name, value in (("HOST", "127.0.0.1"), ("PORT", str(controller.port)), ("STARTTLS", "false"),
                        ("SENDER", "resume@cqic.example")):
        monkeypatch.setenv(f"CQIC_SMTP_{name}", value)
    monkeypatch.delenv("CQIC_SMTP_USER", raising=False)
    try:
        yield inbox
    finally:
        controller.stop()


def _button(at):
    return [b for b in at.button if b.key == "overview.send_brief"]


def test_a_signed_in_manager_mails_the_brief_to_themselves_once(demo_store, smtp):
    with session_scope(demo_store) as session:
        add_user(session, MANAGER, "manager", by=LOCAL_USER)
    at = app_tools.run_as({"is_logged_in": True, "email": MANAGER}, lang="en", as_of=AS_OF.isoformat())
    [button] = _button(at)
    assert button.label == t("brief.send_me", "en") and not button.disabled
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(smtp.envelopes) == 1 and smtp.envelopes[0].rcpt_tos == [MANAGER]
    msg = email.message_from_bytes(smtp.envelopes[0].original_content, policy=email.policy.default)
    assert msg["Subject"].startswith("CQIC — weekly brief as of October 31, 2026")
    assert [a.get_content_type() for a in msg.iter_attachments()] == ["application/pdf"]
    # The address is shown as written (its underscore escaped for markdown).
    sent = t("brief.sent", "en", recipients="gestion\\_cqic@cqic\\.example")
    assert [s.value for s in at.success] == [sent]
    # Once sent for this date and language, the button is spent for the session.
    at.run()
    [button] = _button(at)
    assert button.disabled and sent in [c.value for c in at.caption]
    assert len(smtp.envelopes) == 1


def test_no_button_in_local_mode_or_without_a_mail_server(demo_store, smtp, monkeypatch):
    at = AppTest.from_file(app_tools.DASHBOARD, default_timeout=60)
    at.run()
    assert not at.exception and at.title and not _button(at)  # the local single user: no address
    with session_scope(demo_store) as session:
        add_user(session, MANAGER, "manager", by=LOCAL_USER)
    monkeypatch.delenv("CQIC_SMTP_HOST")
    monkeypatch.chdir(app_tools.DASHBOARD.rsplit("/", 1)[0])  # the repository: no [smtp] secrets
    at = app_tools.run_as({"is_logged_in": True, "email": MANAGER})
    assert at.title and not _button(at)
