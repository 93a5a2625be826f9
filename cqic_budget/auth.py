"""Roles and the current user; permissions are enforced here, in the domain, not only by hiding pages."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlmodel import Session, select

from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import DEFAULT_LANG, t
from cqic_budget.models import User

LOCAL_USER = "local@127.0.0.1"  # the local single user (no identity provider): an admin
ROLES = ("admin", "manager", "funder", "viewer")

# Every action a service may require, in the order the Settings page lists them.
ACTIONS = ("read", "reports", "read_personal", "import", "undo_import", "edit", "settings", "users", "audit",
           "close_year", "claims")

# What each role may do. Reading aggregated figures is open to every known role; merchants' personal
# information (Québec Law 25) is for staff only.
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(ACTIONS),
    "manager": frozenset({"read", "reports", "read_personal", "import", "undo_import", "edit", "claims"}),
    "funder": frozenset({"read", "reports"}),
    "viewer": frozenset({"read"}),
}

# The page keys of the app in navigation order, and the action each page needs to be shown.
PAGES = (
    "overview", "burn", "cofinancing", "milestones", "merchants",
    "upload", "reports", "settings", "audit", "portfolio",
)
PAGE_ACTIONS: dict[str, str] = {
    "overview": "read",
    "burn": "read",
    "cofinancing": "read",
    "milestones": "read",
    "merchants": "read",  # funders and viewers see aggregates only (merchants.list_merchants)
    "upload": "import",
    "reports": "reports",
    "settings": "settings",
    "audit": "audit",
    "portfolio": "read",
}

# Why a visitor of the app is not let in (current_identity).
NOT_SIGNED_IN = "not-signed-in"
UNKNOWN_USER = "unknown-user"
NOT_LOCAL = "not-local"  # no identity provider, yet the app is reachable beyond this machine
REMOTE_CLIENT = "remote-client"  # no identity provider, and this browser is not on this machine
NOT_VERIFIED = "not-verified"  # the provider says it has not verified the e-mail
OTHER_ACCOUNT = "other-account"  # the e-mail belongs to another account of the provider than first seen

# Headers a proxy or load balancer adds: a connection that carries one was forwarded.
FORWARDING_HEADERS = (
    "forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip", "x-client-ip", "true-client-ip",
    "cf-connecting-ip", "x-cluster-client-ip", "via",
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL_LENGTH = 320


class Forbidden(UserFacingError):
    """A user whose role may not do something, or an e-mail with no role. Code: `forbidden`."""

    code = "forbidden"

    def __init__(self, user: str, action: str):
        super().__init__(f"{user} may not {action_label(action, 'en')}")
        self.user = user
        self.action = action

    def message(self, lang: str = DEFAULT_LANG) -> str:
        """A sentence for the user, in their language."""
        return t("access.forbidden", lang, user=self.user, action=action_label(self.action, lang))


def normalise_email(email: str | None) -> str:
    """E-mails are compared and stored case-folded, without surrounding spaces: the one rule of the services,
    the pages and every command's --user."""
    return (email or "").strip().casefold()


def is_valid_email(email: str) -> bool:
    email = normalise_email(email)
    return len(email) <= MAX_EMAIL_LENGTH and _EMAIL.match(email) is not None


def role_of(session: Session, email: str | None) -> str | None:
    """The role of `email`, or None for an e-mail with no role (or a role this version does not know)."""
    email = normalise_email(email)
    if not email:
        return None
    if email == LOCAL_USER:
        return "admin"
    role = session.exec(select(User.role).where(User.email == email)).first()
    return role if role in PERMISSIONS else None


def allows(role: str | None, action: str) -> bool:
    """Whether `role` may do `action` (no database: for pages that already know the role)."""
    return role in PERMISSIONS and action in PERMISSIONS[role]


def can(session: Session, email: str | None, action: str) -> bool:
    return allows(role_of(session, email), action)


def require(session: Session, email: str | None, action: str) -> str:
    """Raise Forbidden unless `email` may do `action`; returns the role."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    role = role_of(session, email)
    if not allows(role, action):
        raise Forbidden(normalise_email(email) or "?", action)
    return role


def visible_pages(role: str | None) -> list[str]:
    """The page keys `role` may see, in navigation order (none for an unknown role)."""
    return [page for page in PAGES if allows(role, PAGE_ACTIONS[page])]


def role_label(role: str, lang: str = DEFAULT_LANG) -> str:
    return t(f"access.role.{role}", lang)


def action_label(action: str, lang: str = DEFAULT_LANG) -> str:
    return t(f"access.action.{action}", lang) if action in ACTIONS else action


@dataclass(frozen=True)
class Identity:
    """Who is using the app: an e-mail and its role, or why they are not let in."""

    email: str | None
    role: str | None
    refusal: str | None = None  # None, NOT_SIGNED_IN, UNKNOWN_USER or NOT_LOCAL
    local: bool = False  # the local single-user mode (no identity provider; a banner says so)

    @property
    def allowed(self) -> bool:
        return self.refusal is None

    @property
    def pages(self) -> list[str]:
        return visible_pages(self.role) if self.allowed else []

    def may(self, action: str) -> bool:
        return self.allowed and allows(self.role, action)


def auth_configured(secrets: Mapping | None, *, secrets_files: Iterable[Path] | None = None) -> bool:
    """Whether an identity provider is configured: an [auth] section in .streamlit/secrets.toml.

    Any [auth] section counts, even an incomplete one, and so does a secrets file that cannot be read
    (st.secrets raises FileNotFoundError both when there is no file and when it does not parse): a broken
    sign-in must refuse visitors, never fall back to the local mode where everyone is an admin.
    `secrets_files` defaults to Streamlit's: .streamlit/secrets.toml here and in the home directory.
    """
    if secrets is None:
        return False
    try:
        return "auth" in secrets
    except FileNotFoundError:
        if secrets_files is None:
            secrets_files = [base / ".streamlit" / "secrets.toml" for base in (Path.cwd(), Path.home())]
        return any(path.exists() for path in secrets_files)


def is_loopback(address: str | None) -> bool:
    """Whether the server listens only on this machine (an empty address means every interface)."""
    if not address:
        return False
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _loopback_host(netloc: str | None) -> bool:
    """Whether a Host header or an origin's host:port names this machine (localhost, 127.x, [::1])."""
    if not netloc:
        return False
    try:
        host = urlsplit(f"//{netloc.strip()}").hostname
    except ValueError:
        return False
    return bool(host) and (host == "localhost" or host.endswith(".localhost") or is_loopback(host))


def is_local_client(remote_ip: str | None, headers: Mapping[str, str]) -> bool:
    """Whether a browser connection comes straight from this machine: its TCP peer is a loopback address, no
    header says a proxy forwarded it (X-Forwarded-For, Forwarded, …), and the Host and Origin it asked for
    name this machine (a browser that reached a TCP port forward asked for another name)."""
    if not remote_ip or not is_loopback(remote_ip):
        return False
    named = {str(key).lower(): value for key, value in headers.items()}
    if any(header in named for header in FORWARDING_HEADERS):
        return False
    if not _loopback_host(named.get("host")):
        return False
    origin = named.get("origin")
    return origin is None or _loopback_host(urlsplit(origin).netloc)


def _verified(email_verified: object) -> bool:
    """The provider's email_verified claim: false (or "false") refuses; absent (None) does not, since some
    providers (Microsoft Entra) do not send it and verify e-mails themselves."""
    if email_verified is None:
        return True
    if isinstance(email_verified, str):
        return email_verified.strip().lower() not in ("false", "0", "no", "")
    return bool(email_verified)


def current_identity(
    session: Session,
    *,
    auth_configured: bool,
    email: str | None,
    server_address: str | None = None,
    local_client: bool = True,
    email_verified: object = None,
    issuer: str | None = None,
    subject: str | None = None,
) -> Identity:
    """Who the app is serving, without Streamlit: the frame passes what it read from st.secrets/st.user and
    the browser connection (is_local_client).

    - No identity provider: the local single user, an admin (LOCAL_USER). When `server_address` is
      given and is not a loopback address, the app is refused (NOT_LOCAL); when the browser is not on this
      machine or came through a proxy or port forward, it is refused (REMOTE_CLIENT): without sign-in,
      anybody who can reach it would be an admin.
    - An identity provider and nobody signed in: NOT_SIGNED_IN (show the sign-in button).
    - An e-mail the provider has not verified: NOT_VERIFIED.
    - A signed-in e-mail with no role in the store: UNKNOWN_USER (a polite refusal page).
    - The provider's account (issuer, subject) is recorded with the e-mail at its first sign-in (the caller
      commits); a later sign-in with the same e-mail from another account: OTHER_ACCOUNT.
    """
    if not auth_configured:
        if server_address is not None and not is_loopback(server_address):
            return Identity(email=None, role=None, refusal=NOT_LOCAL, local=True)
        if not local_client:
            return Identity(email=None, role=None, refusal=REMOTE_CLIENT, local=True)
        return Identity(email=LOCAL_USER, role="admin", local=True)
    email = normalise_email(email)
    if not email:
        return Identity(email=None, role=None, refusal=NOT_SIGNED_IN)
    if not _verified(email_verified):
        return Identity(email=email, role=None, refusal=NOT_VERIFIED)
    # The local user exists only without an identity provider; nobody may sign in as it.
    role = None if email == LOCAL_USER else role_of(session, email)
    if role is None:
        return Identity(email=email, role=None, refusal=UNKNOWN_USER)
    if subject:
        user = session.exec(select(User).where(User.email == email)).first()
        if user.oidc_subject is None:
            from cqic_budget import audit

            user.oidc_issuer, user.oidc_subject = (issuer or "")[:500], subject[:255]
            session.add(user)
            session.flush()
            audit.record(session, user=email, action="user.identity", entity="user", entity_id=user.id,
                         after={"oidc_issuer": user.oidc_issuer, "oidc_subject": user.oidc_subject})
        elif (user.oidc_subject, user.oidc_issuer or "") != (subject[:255], (issuer or "")[:500]):
            return Identity(email=email, role=None, refusal=OTHER_ACCOUNT)
    return Identity(email=email, role=role)


def refusal_message(reason: str, lang: str = DEFAULT_LANG, *, email: str | None = None) -> tuple[str, str]:
    """(title, body) of the page shown instead of the app when `current_identity` refuses."""
    title = t(f"access.refusal.{reason}.title", lang)
    return title, t(f"access.refusal.{reason}.body", lang, email=email or "")
