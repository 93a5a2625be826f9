"""Roles, permissions, the pages each role sees, and who the app is serving (current_identity)."""

from __future__ import annotations

import pytest

from cqic_budget import auth
from cqic_budget.auth import (
    LOCAL_USER,
    NOT_LOCAL,
    NOT_SIGNED_IN,
    UNKNOWN_USER,
    Forbidden,
    auth_configured,
    current_identity,
    refusal_message,
    require,
    role_of,
    visible_pages,
)
from cqic_budget.models import User

# The permissions matrix of SPEC §7, written out: admin everything; manager upload and edit;
# funder read-only with the reports; viewer read-only.
MATRIX = {
    #                read  reports personal import undo  edit   settings users  audit close claims
    "admin":   dict(zip(auth.ACTIONS, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], strict=True)),
    "manager": dict(zip(auth.ACTIONS, [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1], strict=True)),
    "funder":  dict(zip(auth.ACTIONS, [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], strict=True)),
    "viewer":  dict(zip(auth.ACTIONS, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], strict=True)),
}

PAGES = {
    "admin": ["overview", "burn", "cofinancing", "milestones", "merchants", "upload", "reports", "settings",
              "audit", "portfolio"],
    "manager": ["overview", "burn", "cofinancing", "milestones", "merchants", "upload", "reports",
                "portfolio"],
    "funder": ["overview", "burn", "cofinancing", "milestones", "merchants", "reports", "portfolio"],
    "viewer": ["overview", "burn", "cofinancing", "milestones", "merchants", "portfolio"],
}


def test_actions_order_matches_the_matrix_header():
    assert auth.ACTIONS == ("read", "reports", "read_personal", "import", "undo_import", "edit", "settings",
                            "users", "audit", "close_year", "claims")


@pytest.mark.parametrize("role", auth.ROLES)
@pytest.mark.parametrize("action", auth.ACTIONS)
def test_permissions_matrix(role, action):
    assert auth.allows(role, action) is bool(MATRIX[role][action])


def test_no_role_may_do_anything():
    assert not any(auth.allows(None, action) for action in auth.ACTIONS)
    assert not any(auth.allows("superuser", action) for action in auth.ACTIONS)


@pytest.mark.parametrize("role", auth.ROLES)
def test_visible_pages(role):
    assert visible_pages(role) == PAGES[role]


def test_no_pages_without_a_role():
    assert visible_pages(None) == []
    assert visible_pages("stranger") == []


def test_every_page_key_needs_a_known_action():
    assert set(auth.PAGE_ACTIONS) == set(auth.PAGES)
    assert set(auth.PAGE_ACTIONS.values()) <= set(auth.ACTIONS)


def _users(session):
    for role in auth.ROLES:
        session.add(User(email=f"{role}@cqic.ca", role=role))
    session.flush()


def test_require_against_the_store(session):
    _users(session)
    for role in auth.ROLES:
        for action in auth.ACTIONS:
            email = f"{role}@cqic.ca"
            assert auth.can(session, email, action) is bool(MATRIX[role][action])
            if MATRIX[role][action]:
                assert require(session, email, action) == role
            else:
                with pytest.raises(Forbidden) as refused:
                    require(session, email, action)
                assert refused.value.code == "forbidden"


def test_email_is_compared_lowercase(session):
    _users(session)
    assert role_of(session, "  Manager@CQIC.ca ") == "manager"
    assert require(session, "FUNDER@cqic.ca", "read") == "funder"


def test_local_user_is_an_admin_and_strangers_have_no_role(session):
    assert role_of(session, LOCAL_USER) == "admin"
    for nobody in ("nobody@cqic.ca", "", None):
        assert role_of(session, nobody) is None
        with pytest.raises(Forbidden):
            require(session, nobody, "read")


def test_a_role_this_version_does_not_know_grants_nothing(session):
    session.add(User(email="old@cqic.ca", role="superuser"))
    session.flush()
    assert role_of(session, "old@cqic.ca") is None
    with pytest.raises(Forbidden):
        require(session, "old@cqic.ca", "read")


def test_an_unknown_action_is_a_programming_error(session):
    with pytest.raises(ValueError):
        require(session, LOCAL_USER, "launch")


def test_forbidden_message_in_both_languages(session):
    _users(session)
    with pytest.raises(Forbidden) as refused:
        require(session, "funder@cqic.ca", "import")
    assert refused.value.message("fr") == (
        "Action non permise pour votre rôle : importer des dépenses (funder@cqic.ca).")
    assert refused.value.message("en") == "Not allowed for your role: import expenses (funder@cqic.ca)."


class NoSecretsFile:
    """What st.secrets does when secrets.toml is missing or does not parse."""

    def __contains__(self, key):
        raise FileNotFoundError("secrets.toml")

    def __len__(self):
        raise FileNotFoundError("secrets.toml")


def test_auth_configured(tmp_path):
    missing = [tmp_path / "secrets.toml"]
    assert auth_configured(None) is False
    assert auth_configured({}) is False
    assert auth_configured({"other": 1}) is False
    assert auth_configured(NoSecretsFile(), secrets_files=missing) is False
    assert auth_configured({"auth": {"redirect_uri": "https://x/oauth2callback"}}) is True
    # An incomplete [auth] still counts: a broken sign-in must refuse, not fall back to local admin mode.
    assert auth_configured({"auth": {}}) is True


def test_an_unreadable_secrets_file_counts_as_configured(tmp_path):
    broken = tmp_path / "secrets.toml"
    broken.write_text("[auth\nredirect_uri=", encoding="utf-8")
    assert auth_configured(NoSecretsFile(), secrets_files=[broken]) is True


def test_local_mode_serves_the_local_admin(session):
    identity = current_identity(session, auth_configured=False, email=None)
    assert (identity.email, identity.role, identity.refusal) == (LOCAL_USER, "admin", None)
    assert identity.local
    assert identity.allowed and identity.pages == PAGES["admin"] and identity.may("users")
    for address in ("127.0.0.1", "localhost", "::1", "127.0.1.1"):
        assert current_identity(session, auth_configured=False, email=None, server_address=address).allowed


@pytest.mark.parametrize("address", ["0.0.0.0", "", "192.168.1.20", "cqic.example.org"])
def test_local_mode_refused_when_reachable_from_elsewhere(session, address):
    identity = current_identity(session, auth_configured=False, email=None, server_address=address)
    assert identity.refusal == NOT_LOCAL and identity.role is None and identity.pages == []


def test_sign_in_required_with_an_identity_provider(session):
    for email in (None, "", "  "):
        identity = current_identity(session, auth_configured=True, email=email)
        assert identity.refusal == NOT_SIGNED_IN and not identity.allowed and identity.pages == []


def test_unknown_user_is_refused_politely(session):
    _users(session)
    identity = current_identity(session, auth_configured=True, email="Stranger@Example.com")
    assert (identity.email, identity.role, identity.refusal) == ("stranger@example.com", None, UNKNOWN_USER)
    assert not identity.may("read")
    title, body = refusal_message(identity.refusal, "fr", email=identity.email)
    assert title == "Accès non autorisé" and "stranger@example.com" in body
    title, body = refusal_message(identity.refusal, "en", email=identity.email)
    assert title == "Access not granted" and "stranger@example.com" in body


def test_nobody_signs_in_as_the_local_user(session):
    identity = current_identity(session, auth_configured=True, email=LOCAL_USER)
    assert identity.refusal == UNKNOWN_USER and identity.role is None


@pytest.mark.parametrize("role", auth.ROLES)
def test_signed_in_user_gets_the_stored_role(session, role):
    _users(session)
    identity = current_identity(session, auth_configured=True, email=f" {role.upper()}@cqic.ca")
    assert (identity.email, identity.role, identity.refusal, identity.local) == (
        f"{role}@cqic.ca", role, None, False)
    assert identity.pages == PAGES[role]


@pytest.mark.parametrize("reason", [NOT_SIGNED_IN, UNKNOWN_USER, NOT_LOCAL])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_refusal_has_a_title_and_a_body(reason, lang):
    title, body = refusal_message(reason, lang, email="x@y.ca")
    assert title and body


@pytest.mark.parametrize("role", auth.ROLES)
def test_role_and_action_labels(role):
    assert auth.role_label(role, "fr") and auth.role_label(role, "en")
    assert all(auth.action_label(a, "en") for a in auth.ACTIONS)
