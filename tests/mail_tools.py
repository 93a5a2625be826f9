"""A local SMTP server's inbox for the mail tests (aiosmtpd), shared by test_brief and test_app_brief."""

from __future__ import annotations


class Inbox:
    """aiosmtpd's handler: keeps every envelope it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.envelopes.append(envelope)
        return "250 OK"
