"""The Overview's « m'envoyer ce résumé » button: the weekly brief mailed to the signed-in reader only.

Shown to a signed-in user (not the local single user) when an SMTP server is configured; the brief goes
to the reader's own address, never to one typed in, once per program, date and language in a session.
"""

from __future__ import annotations

import re

import streamlit as st
from sqlmodel import Session

from cqic_budget import ui
from cqic_budget.brief import build_brief, send_brief
from cqic_budget.mailer import MailError, parse_addresses, smtp_settings

SENT_KEY = "brief.sent"
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$])")


def _plain(text: str) -> str:
    """Text shown as written in Streamlit's markdown (an address may hold _, *, ~…)."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def send_brief_button() -> None:
    identity = ui.identity()
    if identity.local or not identity.allowed or not identity.email:
        return
    try:
        settings = smtp_settings()
        recipients = parse_addresses(identity.email)
    except MailError:
        return  # no mail server configured, or an identity without a usable address: no button
    lang, as_of, program = ui.lang(), ui.as_of(), ui.program_code()
    done = (program, as_of, lang) in st.session_state.setdefault(SENT_KEY, set())
    clicked = st.button(ui.t("brief.send_me"), key="overview.send_brief", icon=":material/mail:",
                        disabled=done, help=ui.t("brief.send_me_help", address=_plain(identity.email)))
    if done:
        st.caption(ui.t("brief.sent", recipients=_plain(identity.email)))
    if not clicked or done:
        return
    try:
        with Session(ui.engine()) as session:
            brief = build_brief(session, program_code=program, as_of=as_of, lang=lang)
        send_brief(brief, recipients=recipients, settings=settings)
    except MailError as exc:
        st.error(exc.message(lang), icon=":material/error:")
        return
    st.session_state[SENT_KEY].add((program, as_of, lang))
    st.success(ui.t("brief.sent", recipients=_plain(identity.email)), icon=":material/mark_email_read:")
