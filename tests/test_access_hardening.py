"""Access hardening (SPEC §7): local mode answers only a browser on this machine, an unverified e-mail is
refused, the provider's account is recorded with the e-mail, every command normalises --user as the services
do, and a visitor never sees a traceback when the store is down."""

from __future__ import annotations

import json
import tomllib
from datetime import date

import app_tools
import pytest
import sqlalchemy as sa
from conftest import ROOT
from import_helpers import HEADER_FR, taxed, xlsx
from streamlit.testing.v1 import AppTest

from cqic_budget import auth, cli
from cqic_budget.auth import (
    NOT_VERIFIED,
    OTHER_ACCOUNT,
    REMOTE_CLIENT,
    current_identity,
    is_local_client,
    normalise_email,
)
from cqic_budget.db import session_scope
from cqic_budget.i18n import t
from cqic_budget.models import AuditEvent, ImportBatch, User
from cqic_budget.users import add_user

AUTH_SECRETS, DASHBOARD = app_tools.AUTH_SECRETS, app_tools.DASHBOARD
# Fresh Streamlit caches for every test; `store` (tests/conftest.py) is named by CQIC_DATABASE_URL.
pytestmark = pytest.mark.usefixtures("fresh_caches")

LOCAL = {"host": "127.0.0.1:8501", "origin": "http://127.0.0.1:8501", "user-agent": "x"}


# --- item 4: local single-user mode, a browser on this machine only -------------------------------------


@pytest.mark.parametrize(
    "remote_ip, headers",
    [
        ("127.0.0.1", LOCAL),
        ("::1", {"host": "[::1]:8501", "origin": "http://[::1]:8501"}),
        ("127.0.0.1", {"host": "localhost:8501", "origin": "http://localhost:8501"}),
        ("127.0.0.2", {"Host": "localhost"}),  # no Origin: a non-browser client on this machine
    ],
)
def test_a_direct_loopback_browser_is_local(remote_ip, headers):
    assert is_local_client(remote_ip, headers)


@pytest.mark.parametrize(
    "remote_ip, headers",
    [
        ("192.0.2.7", LOCAL),  # another machine
        (None, LOCAL),  # unknown peer
        ("", LOCAL),
        ("127.0.0.1", {**LOCAL, "X-Forwarded-For": "203.0.113.9"}),  # a proxy on this machine
        ("127.0.0.1", {**LOCAL, "x-forwarded-for": "127.0.0.1"}),  # even claiming to be local
        ("127.0.0.1", {**LOCAL, "Forwarded": "for=198.51.100.4;proto=https"}),
        ("127.0.0.1", {**LOCAL, "X-Real-IP": "198.51.100.4"}),
        ("127.0.0.1", {**LOCAL, "Via": "1.1 proxy"}),
        # A TCP port forward (socat, ssh -R, a container's published port): the browser asked for a name
        # that is not this machine's loopback.
        ("127.0.0.1", {"host": "cqic.example.org:8080", "origin": "http://cqic.example.org:8080"}),
        ("127.0.0.1", {"host": "192.0.2.10:8501"}),
        ("127.0.0.1", {"host": "127.0.0.1:8501", "origin": "https://evil.example.com"}),  # cross-site
        ("127.0.0.1", {}),  # no Host at all
    ],
)
def test_a_forwarded_or_remote_browser_is_not_local(remote_ip, headers):
    assert not is_local_client(remote_ip, headers)


def test_current_identity_refuses_a_remote_client_in_local_mode(session):
    refused = current_identity(session, auth_configured=False, email=None, local_client=False)
    assert (refused.refusal, refused.email, refused.role, refused.pages) == (REMOTE_CLIENT, None, None, [])
    assert current_identity(session, auth_configured=False, email=None).role == "admin"


def forwarded_app(monkeypatch, connection, lang="fr") -> AppTest:
    """The app in local mode, its session's browser connection as given (a served session)."""
    from cqic_budget import ui

    monkeypatch.setattr(ui, "client_connection", lambda: connection)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params.update(lang=lang, as_of="2026-10-31")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_app_refuses_a_forwarded_browser_politely_and_shows_nothing(store, monkeypatch, lang):
    at = forwarded_app(monkeypatch, ("127.0.0.1", {**LOCAL, "x-forwarded-for": "203.0.113.9"}), lang)
    assert [e.value for e in at.title] == [t("access.refusal.remote-client.title", lang)]
    assert not at.sidebar.children or not at.sidebar.radio  # no navigation, no settings
    assert not at.metric and not at.dataframe
    at = forwarded_app(monkeypatch, ("127.0.0.1", LOCAL), lang)
    assert at.title[0].value == t("overview.title", lang)


# --- item 5: sign-in --------------------------------------------------------------------------------------


@pytest.fixture
def manager(session):
    add_user(session, "Gestion@CQIC.ca", "manager", by=auth.LOCAL_USER)
    session.flush()
    return "gestion@cqic.ca"


@pytest.mark.parametrize("claim", [False, "false", "False"])
def test_an_unverified_email_is_refused(session, manager, claim):
    who = current_identity(session, auth_configured=True, email=manager, email_verified=claim, subject="s1")
    assert (who.refusal, who.role, who.pages) == (NOT_VERIFIED, None, [])
    assert session.exec(sa.select(User.oidc_subject).where(User.email == manager)).one()[0] is None


@pytest.mark.parametrize("claim", [True, "true", None])
def test_a_verified_or_unstated_email_is_let_in(session, manager, claim):
    who = current_identity(session, auth_configured=True, email=manager, email_verified=claim)
    assert (who.refusal, who.role) == (None, "manager")


def test_the_providers_account_is_recorded_and_another_account_refused(session, manager):
    issuer = "https://login.example.org"
    first = current_identity(
        session,
        auth_configured=True,
        email=" GESTION@cqic.ca ",
        email_verified=True,
        issuer=issuer,
        subject="sub-123",
    )
    assert first.role == "manager"
    user = session.exec(sa.select(User).where(User.email == manager)).scalar_one()
    assert (user.oidc_issuer, user.oidc_subject) == (issuer, "sub-123")
    events = session.exec(sa.select(AuditEvent).where(AuditEvent.action == "user.identity")).scalars().all()
    assert [(e.user, e.after["oidc_subject"]) for e in events] == [(manager, "sub-123")]
    again = current_identity(session, auth_configured=True, email=manager, issuer=issuer, subject="sub-123")
    assert again.role == "manager"
    other = current_identity(session, auth_configured=True, email=manager, issuer=issuer, subject="sub-999")
    assert (other.refusal, other.role) == (OTHER_ACCOUNT, None)
    elsewhere = current_identity(
        session, auth_configured=True, email=manager, issuer="https://other.example", subject="sub-123"
    )
    assert elsewhere.refusal == OTHER_ACCOUNT


def test_the_app_refuses_an_unverified_email_and_records_the_subject(store, lang="en"):
    with session_scope(store) as session:
        add_user(session, "gestion@cqic.ca", "manager", by=auth.LOCAL_USER)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.secrets["auth"] = AUTH_SECRETS
    at.user = {"is_logged_in": True, "email": "gestion@cqic.ca", "email_verified": False, "sub": "a"}
    at.query_params.update(lang=lang)
    at.run()
    assert not at.exception
    assert at.title[0].value == t("access.refusal.not-verified.title", lang)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.secrets["auth"] = AUTH_SECRETS
    at.user = {
        "is_logged_in": True,
        "email": "Gestion@cqic.ca",
        "email_verified": True,
        "sub": "a",
        "iss": "https://login.example.org",
    }
    at.query_params.update(lang=lang, as_of="2026-10-31")
    at.run()
    assert not at.exception and at.title[0].value == t("overview.title", lang)
    with store.connect() as conn:
        assert conn.execute(sa.select(User.oidc_subject)).scalar_one() == "a"


def test_normalise_email_strips_and_casefolds():
    assert normalise_email("  Gestion@CQIC.ca\t") == "gestion@cqic.ca"
    assert normalise_email("STRASSE@EXAMPLE.DE") == normalise_email("strasse@example.de")
    assert normalise_email(None) == ""


def test_every_command_normalises_user_as_the_services_do(store, db_url, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CQIC_DATABASE_URL", db_url)
    assert (
        cli.main(["users", "add", "  Gestion@CQIC.ca ", "--role", "manager", "--user", " LOCAL@127.0.0.1 "])
        == 0
    )
    assert capsys.readouterr().out.strip() == "gestion@cqic.ca: manager"
    path = tmp_path / "mars.xlsx"
    path.write_bytes(xlsx({"S": [HEADER_FR, taxed(date(2026, 3, 31), "Bell", "100.00", "B-1")]}))
    status = cli.main(["import-expenses", str(path), "--json", "--user", "  GESTION@cqic.CA  "])
    assert status == 0, capsys.readouterr()
    assert json.loads(capsys.readouterr().out)["status"] == "imported"
    with store.connect() as conn:
        assert conn.execute(sa.select(ImportBatch.user)).scalar_one() == "gestion@cqic.ca"
        users = set(conn.execute(sa.select(AuditEvent.user)).scalars())
    assert users == {"local@127.0.0.1", "gestion@cqic.ca"}, users
    parser = cli.build_parser()
    for command in (
        ["init"],
        ["import-expenses", "f"],
        ["import-merchants", "f"],
        ["users", "add", "a@b.c", "--role", "viewer"],
    ):
        assert parser.parse_args([*command, "--user", " A@B.C "]).user == "a@b.c", command


# --- item 8: no traceback for a visitor -------------------------------------------------------------------


def test_streamlit_shows_no_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"  # one of full, stacktrace, type, none (1.67)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_store_that_is_down_gives_a_polite_page_and_the_details_in_the_log(monkeypatch, caplog, lang):
    url = "postgresql+psycopg://cqic_role@127.0.0.1:1/cqic_secret_db"  # nothing listens on port 1
    monkeypatch.setenv("CQIC_DATABASE_URL", url)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params.update(lang=lang)
    with caplog.at_level("ERROR", logger="cqic_budget.app"):
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.title] == [t("store.unavailable.title", lang)]
    shown = "\n".join(str(e.value) for e in (*at.title, *at.markdown, *at.error, *at.warning, *at.caption))
    assert t("store.unavailable.body", lang) in shown
    for secret in ("127.0.0.1", "cqic_role", "cqic_secret_db", "5432", "psycopg", "Traceback", str(ROOT)):
        assert secret not in shown
    assert "cqic_secret_db" in caplog.text or "127.0.0.1" in caplog.text  # the operator's details: the log
