"""Roles and the current user; permissions are enforced here, in the domain, not only by hiding pages."""

from __future__ import annotations

from sqlmodel import Session, select

from cqic_budget.models import User

LOCAL_USER = "local@127.0.0.1"  # the local single user (no identity provider): an admin
ROLES = ("admin", "manager", "funder", "viewer")

# What each role may do. Reading aggregated figures is open to every known role.
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"read", "read_personal", "import", "undo_import", "edit", "settings", "users", "audit"}),
    "manager": frozenset({"read", "read_personal", "import", "undo_import", "edit"}),
    "funder": frozenset({"read"}),
    "viewer": frozenset({"read"}),
}


class Forbidden(Exception):
    """A user whose role may not do something, or an e-mail with no role. Code: `forbidden`."""

    code = "forbidden"

    def __init__(self, user: str, action: str):
        super().__init__(f"{user} may not {action}")
        self.user = user
        self.action = action


def role_of(session: Session, email: str | None) -> str | None:
    if not email or email == LOCAL_USER:
        return "admin" if email == LOCAL_USER else None
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    return user.role if user else None


def can(session: Session, email: str | None, action: str) -> bool:
    role = role_of(session, email)
    return role is not None and action in PERMISSIONS[role]


def require(session: Session, email: str | None, action: str) -> str:
    """Raise Forbidden unless `email` may do `action`; returns the role."""
    role = role_of(session, email)
    if role is None or action not in PERMISSIONS[role]:
        raise Forbidden(email or "?", action)
    return role
