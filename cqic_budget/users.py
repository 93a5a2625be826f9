"""Users of the app and their roles: added, changed and removed by an admin, every change audited."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from cqic_budget import audit
from cqic_budget.auth import LOCAL_USER, ROLES, is_valid_email, normalise_email, require
from cqic_budget.db import bump_data_version
from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import DEFAULT_LANG, t
from cqic_budget.models import User

MAX_NAME_LENGTH = 200


class UserError(UserFacingError, ValueError):
    """A request about users that cannot be done, with a code and a message in the user's language.

    Codes: invalid-email, invalid-role, reserved-email, unknown-user, last-admin.
    """

    def __init__(self, code: str, value: str):
        super().__init__(f"{code}: {value}")
        self.code = code
        self.value = value

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return t(f"access.users.{self.code}", lang, value=self.value)


def _checked_email(email: str) -> str:
    email = normalise_email(email)
    if not is_valid_email(email):
        raise UserError("invalid-email", email)
    if email == LOCAL_USER:
        raise UserError("reserved-email", email)
    return email


def _checked_role(role: str) -> str:
    if role not in ROLES:
        raise UserError("invalid-role", str(role))
    return role


def _find(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email)).first()


def _ensure_not_last_admin(session: Session, user: User) -> None:
    """The store keeps at least one admin once it has one: with sign-in, nobody else could appoint one."""
    if user.role != "admin":
        return
    admins = session.exec(select(sa.func.count()).select_from(User).where(User.role == "admin")).one()
    if admins <= 1:
        raise UserError("last-admin", user.email)


def _view(user: User) -> dict:
    return {"email": user.email, "role": user.role, "name": user.name}


def add_user(session: Session, email: str, role: str, *, by: str, name: str | None = None) -> User:
    """Give `email` a role; for an existing user this changes the role (an edit, with before and after).

    Requires the "users" permission of `by` (Forbidden otherwise, nothing written).
    """
    require(session, by, "users")
    email, role = _checked_email(email), _checked_role(role)
    user = _find(session, email)
    if user is not None:
        return _change(session, user, role=role, name=name, by=by)
    user = User(email=email, role=role, name=(name or "").strip()[:MAX_NAME_LENGTH])
    session.add(user)
    session.flush()
    audit.record(session, user=normalise_email(by), action="user.add", entity="user", entity_id=user.id,
                 after=_view(user))
    bump_data_version(session)
    return user


def set_role(session: Session, email: str, role: str, *, by: str) -> User:
    """Change the role of an existing user (UserError `unknown-user` when there is none)."""
    require(session, by, "users")
    email, role = normalise_email(email), _checked_role(role)
    user = _find(session, email)
    if user is None:
        raise UserError("unknown-user", email)
    return _change(session, user, role=role, name=None, by=by)


def _change(session: Session, user: User, *, role: str, name: str | None, by: str) -> User:
    before = _view(user)
    if role != user.role:
        _ensure_not_last_admin(session, user)
        user.role = role
    if name is not None:
        user.name = name.strip()[:MAX_NAME_LENGTH]
    after = _view(user)
    if after == before:
        return user  # nothing changed, nothing to audit
    session.add(user)
    session.flush()
    changed = [key for key in after if after[key] != before[key]]
    audit.record(session, user=normalise_email(by), action="user.update", entity="user", entity_id=user.id,
                 before={"email": user.email, **{k: before[k] for k in changed}},
                 after={"email": user.email, **{k: after[k] for k in changed}})
    bump_data_version(session)
    return user


def remove_user(session: Session, email: str, *, by: str) -> None:
    """Take away a user's access (UserError `unknown-user` when there is none, `last-admin`)."""
    require(session, by, "users")
    email = normalise_email(email)
    user = _find(session, email)
    if user is None:
        raise UserError("unknown-user", email)
    _ensure_not_last_admin(session, user)
    before, user_id = _view(user), user.id
    session.delete(user)
    session.flush()
    audit.record(session, user=normalise_email(by), action="user.remove", entity="user", entity_id=user_id,
                 before=before)
    bump_data_version(session)


def list_users(session: Session, *, by: str = LOCAL_USER) -> list[User]:
    """Every user with a role, by e-mail. Requires the "users" permission of `by` (the command line
    runs as the local user, an admin)."""
    require(session, by, "users")
    return list(session.exec(select(User).order_by(User.email)))
