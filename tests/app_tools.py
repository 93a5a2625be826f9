"""Helpers for the AppTest suites (the app run as Streamlit runs it), shared by several test files.

Test files never import each other (issue 12): what two suites share lives here, fixtures in conftest.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from cqic_budget.auth import visible_pages
from cqic_budget.i18n import format_money
from cqic_budget.importing.templates import SAMPLE_PATH

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAGES_DIR = Path(DASHBOARD).parent / "pages"
# An identity provider is configured (st.login); AppTest.user then plays the signed-in user.
AUTH_SECRETS = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "test",
                "client_id": "cqic", "client_secret": "test",
                "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}
# The demo's usual as-of: 19 of the program's 36 months.
AS_OF = date(2026, 10, 31)
# The demo_users fixture (conftest.py): one user per role in the demo store.
USERS = {
    "admin": "direction@cqic.ca",
    "manager": "gestion@cqic.ca",
    "funder": "bailleur@economie.gouv.qc.ca",
    "viewer": "lecteur@laval.ca",
}


def money(value: Decimal | None, lang: str) -> str:
    """A figure to the dollar, as the cards show it."""
    return format_money(value, lang, decimals=False)


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def run_app(**query_params: str) -> AppTest:
    """The app in the local single-user mode, opened with these query parameters."""
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params.update(query_params)
    return rerun(at)


def run_as(user: dict, **query_params: str) -> AppTest:
    """The app with an identity provider configured and `user` as st.user."""
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.secrets["auth"] = AUTH_SECRETS
    at.user = user
    at.query_params.update(query_params)
    return rerun(at)


def metrics_shown(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


# --- signed in per role (test_app_roles, test_app_privacy) -------------------------------------------------


def sign_in(email: str, *, lang: str = "fr") -> AppTest:
    """The app with an identity provider configured and `email` signed in (st.user)."""
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.secrets["auth"] = AUTH_SECRETS
    at.user = {"is_logged_in": True, "email": email}
    at.query_params.update(lang=lang, as_of=AS_OF.isoformat())
    return rerun(at)


def open_page(at: AppTest, key: str) -> AppTest:
    at.switch_page(f"pages/{key}.py")
    return rerun(at)


def everything_sent(at: AppTest) -> str:
    """Every element the page sent to the browser, serialised (tables' Arrow data and charts included)."""

    def walk(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    blobs = [node.proto.SerializeToString() for node in walk(at._tree) if getattr(node, "proto", None)]
    return b"\n".join(blobs).decode("utf-8", errors="replace")


class _TableReader(HTMLParser):
    """The tables of an HTML text (views.tables.table_html): each a header and rows of cell text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(([], []))
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            header, rows = self.tables[-1]
            if header:
                rows.append(self._row)
            else:
                header.extend(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def shown_tables(at: AppTest) -> list[pd.DataFrame]:
    """The text of every table the page drew (ui.tables.table: HTML through st.html), in page order."""
    reader = _TableReader()
    for element in at.html:
        if 'class="cqic-table"' in element.proto.body:
            reader.feed(element.proto.body)
    return [pd.DataFrame(rows, columns=header) for header, rows in reader.tables]


def page_files() -> list[str]:
    """The pages that exist now (a page joins the navigation once its file exists)."""
    return sorted(path.stem for path in PAGES_DIR.glob("*.py"))


def expected_pages(role: str) -> list[str]:
    """auth.visible_pages(role) among the existing page files; the demo store holds one program, and the
    frame shows the portfolio (a comparison of programs) only when there are several."""
    return [key for key in visible_pages(role) if key in page_files() and key != "portfolio"]


# --- the Upload page (test_app_upload, test_safe_display) ---------------------------------------------------

UPLOAD_AS_OF = date(2026, 11, 30)  # sees the sample month (November 2026)
UPLOAD = "pages/upload.py"
SAMPLE = SAMPLE_PATH.read_bytes()
SAMPLE_NAME = "depenses-novembre.xlsx"


def open_upload(*, lang: str = "fr", user: str | None = None) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params.update(lang=lang, as_of=UPLOAD_AS_OF.isoformat())  # an as-of that sees the sample month
    if user is not None:
        at.secrets["auth"] = AUTH_SECRETS
        at.user = {"is_logged_in": True, "email": user}
    at.run()
    at.switch_page(UPLOAD).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def drop(at: AppTest, data: bytes = SAMPLE, name: str = SAMPLE_NAME) -> AppTest:
    at.file_uploader[0].set_value((name, data, "application/octet-stream"))
    return rerun(at)
