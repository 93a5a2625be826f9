"""Users and roles: the service, its audit trail, and the `users` command with its refusals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from cqic_budget import cli
from cqic_budget.auth import LOCAL_USER, Forbidden
from cqic_budget.db import data_version, session_scope
from cqic_budget.models import AuditEvent, User
from cqic_budget.users import UserError, add_user, list_users, remove_user, set_role

ROOT = Path(__file__).resolve().parent.parent


def _count(session, model) -> int:
    return session.exec(select(sa.func.count()).select_from(model)).one()


def _events(session, action):
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _staff(session):
    for role in ("admin", "manager", "funder", "viewer"):
        add_user(session, f"{role}@cqic.ca", role, by=LOCAL_USER)


def test_add_user_normalises_and_audits(session):
    version = data_version(session)
    user = add_user(session, "  Marie.Tremblay@CQIC.ca ", "manager", by=LOCAL_USER, name="Marie Tremblay")
    assert (user.email, user.role, user.name) == ("marie.tremblay@cqic.ca", "manager", "Marie Tremblay")
    [event] = _events(session, "user.add")
    assert (event.user, event.entity, event.entity_id, event.before) == (LOCAL_USER, "user", user.id, None)
    assert event.after == {"email": "marie.tremblay@cqic.ca", "role": "manager", "name": "Marie Tremblay"}
    assert data_version(session) == version + 1


def test_adding_an_existing_user_changes_the_role_as_an_edit(session):
    _staff(session)
    user = add_user(session, "Viewer@cqic.ca", "funder", by="ADMIN@cqic.ca")
    assert user.role == "funder" and _count(session, User) == 4
    [event] = _events(session, "user.update")
    assert event.user == "admin@cqic.ca"
    assert event.before == {"email": "viewer@cqic.ca", "role": "viewer"}
    assert event.after == {"email": "viewer@cqic.ca", "role": "funder"}
    # The same role again: nothing changes, nothing is audited.
    add_user(session, "viewer@cqic.ca", "funder", by="admin@cqic.ca")
    assert len(_events(session, "user.update")) == 1


@pytest.mark.parametrize(
    ("email", "role", "code"),
    [
        ("not-an-email", "viewer", "invalid-email"),
        ("two@@cqic.ca", "viewer", "invalid-email"),
        ("nodomain@cqic", "viewer", "invalid-email"),
        ("", "viewer", "invalid-email"),
        ("x@cqic.ca", "owner", "invalid-role"),
        (LOCAL_USER, "viewer", "reserved-email"),
    ],
)
def test_bad_requests_are_refused_with_a_code(session, email, role, code):
    before = (_count(session, User), _count(session, AuditEvent))
    with pytest.raises(UserError) as refused:
        add_user(session, email, role, by=LOCAL_USER)
    assert refused.value.code == code
    assert refused.value.message("fr") and refused.value.message("en")
    assert (_count(session, User), _count(session, AuditEvent)) == before


@pytest.mark.parametrize("by", ["manager@cqic.ca", "funder@cqic.ca", "viewer@cqic.ca", "nobody@cqic.ca", ""])
def test_only_admins_manage_users(session, by):
    _staff(session)
    before = (_count(session, User), _count(session, AuditEvent))
    for call in (
        lambda: add_user(session, "new@cqic.ca", "admin", by=by),
        lambda: set_role(session, "viewer@cqic.ca", "admin", by=by),
        lambda: remove_user(session, "viewer@cqic.ca", by=by),
        lambda: list_users(session, by=by),
    ):
        with pytest.raises(Forbidden):
            call()
    assert (_count(session, User), _count(session, AuditEvent)) == before
    assert session.exec(select(User.role).where(User.email == "viewer@cqic.ca")).one() == "viewer"


def test_set_role_and_remove_user(session):
    _staff(session)
    set_role(session, "MANAGER@cqic.ca", "admin", by="admin@cqic.ca")
    remove_user(session, "funder@cqic.ca", by="admin@cqic.ca")
    assert [(u.email, u.role) for u in list_users(session, by="admin@cqic.ca")] == [
        ("admin@cqic.ca", "admin"), ("manager@cqic.ca", "admin"), ("viewer@cqic.ca", "viewer")]
    [removed] = _events(session, "user.remove")
    assert removed.before == {"email": "funder@cqic.ca", "role": "funder", "name": ""}
    assert removed.after is None and removed.user == "admin@cqic.ca"
    with pytest.raises(UserError) as refused:
        set_role(session, "funder@cqic.ca", "viewer", by="admin@cqic.ca")
    assert refused.value.code == "unknown-user"
    with pytest.raises(UserError):
        remove_user(session, "funder@cqic.ca", by="admin@cqic.ca")


def test_the_last_admin_stays(session):
    _staff(session)
    for call in (
        lambda: set_role(session, "admin@cqic.ca", "viewer", by="admin@cqic.ca"),
        lambda: add_user(session, "admin@cqic.ca", "manager", by=LOCAL_USER),
        lambda: remove_user(session, "admin@cqic.ca", by=LOCAL_USER),
    ):
        with pytest.raises(UserError) as refused:
            call()
        assert refused.value.code == "last-admin"
    add_user(session, "second@cqic.ca", "admin", by="admin@cqic.ca")
    set_role(session, "admin@cqic.ca", "viewer", by="second@cqic.ca")
    assert session.exec(select(User.role).where(User.email == "admin@cqic.ca")).one() == "viewer"


def test_list_users_is_sorted_by_email(session):
    for email in ("zoe@cqic.ca", "alain@cqic.ca", "marc@cqic.ca"):
        add_user(session, email, "viewer", by=LOCAL_USER)
    assert [u.email for u in list_users(session)] == ["alain@cqic.ca", "marc@cqic.ca", "zoe@cqic.ca"]


# The command line (SPEC §6): users add / users list, --user, refusals with exit 2 and `forbidden`.

def _counts(engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        return _count(session, User), _count(session, AuditEvent)


@pytest.fixture
def cli_store(engine, db_url, monkeypatch):
    monkeypatch.setenv("CQIC_DATABASE_URL", db_url)
    with session_scope(engine) as session:
        _staff(session)
    return engine


def test_cli_users_add_and_list(cli_store, capsys):
    assert cli.main(["users", "add", "Nouveau@CQIC.ca", "--role", "funder"]) == 0
    assert capsys.readouterr().out.strip() == "nouveau@cqic.ca: funder"
    assert cli.main(["users", "add", "autre@cqic.ca", "--role", "viewer", "--user", "ADMIN@cqic.ca"]) == 0
    capsys.readouterr()
    assert cli.main(["users", "list"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "admin@cqic.ca\tadmin", "autre@cqic.ca\tviewer", "funder@cqic.ca\tfunder",
        "manager@cqic.ca\tmanager", "nouveau@cqic.ca\tfunder", "viewer@cqic.ca\tviewer"]
    with session_scope(cli_store) as session:
        assert [e.user for e in _events(session, "user.add")][-2:] == [LOCAL_USER, "admin@cqic.ca"]


@pytest.mark.parametrize("by", ["manager@cqic.ca", "funder@cqic.ca", "viewer@cqic.ca", "inconnu@cqic.ca"])
def test_cli_refuses_with_exit_2_and_writes_nothing(cli_store, capsys, by):
    before = _counts(cli_store)
    assert cli.main(["users", "add", "pirate@cqic.ca", "--role", "admin", "--user", by]) == cli.EXIT_REFUSED
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("forbidden:")
    assert _counts(cli_store) == before
    with session_scope(cli_store) as session:
        assert session.exec(select(User).where(User.email == "pirate@cqic.ca")).first() is None


def test_cli_refusal_end_to_end(engine, db_url):
    """`python -m cqic_budget` as an operator runs it: a funder's `users add` exits 2, nothing written."""
    with session_scope(engine) as session:
        _staff(session)
    before = _counts(engine)
    env = {**os.environ, "CQIC_DATABASE_URL": db_url}
    for by in ("funder@cqic.ca", "quelquun@ailleurs.com"):
        done = subprocess.run(
            [sys.executable, "-m", "cqic_budget", "users", "add", "pirate@cqic.ca", "--role", "admin",
             "--user", by],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 2, done.stderr
        assert "forbidden" in done.stderr
    assert _counts(engine) == before
    done = subprocess.run([sys.executable, "-m", "cqic_budget", "users", "list"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "pirate@cqic.ca" not in done.stdout and "funder@cqic.ca\tfunder" in done.stdout
