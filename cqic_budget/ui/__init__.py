"""The Streamlit edge of cqic_budget: cached engine and queries, the reader's language, as-of date,
program and user, and the one way pages format figures (through cqic_budget.i18n).

With pages/, this package is the only code that imports Streamlit. Cached query results are keyed by the
store's URL, the program, the as-of date, the language and the data version (bumped by every import and
edit), so a change made in any process is seen at the next rerun of every session.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, NoReturn

import plotly.graph_objects as go
import sqlalchemy as sa
import streamlit as st
from sqlmodel import Session
from streamlit.runtime.pages_manager import PagesManager

from cqic_budget import i18n, queries
from cqic_budget.auth import Identity, auth_configured, current_identity, is_local_client
from cqic_budget.chart_text import text_alternative
from cqic_budget.charts import with_title
from cqic_budget.db import StoreBusy, database_url, is_busy, make_engine, session_scope
from cqic_budget.db import data_version as read_data_version
from cqic_budget.periods import clamp_as_of
from cqic_budget.ui import safe
from cqic_budget.ui.tables import table
from cqic_budget.views.common import Kpi, ProgramChoice
from cqic_budget.views.tables import Table

LANG_KEY, AS_OF_KEY, PROGRAM_KEY, USER_KEY = "lang", "as_of", "program", "user"
LANG_NAMES = {"fr": "Français", "en": "English"}

# The app navigates with st.navigation over pages/. Until st.navigation has run once in the process,
# Streamlit takes a folder named pages/ for its older multipage layout, and a first request for a page's
# URL (/overview) would run that page without the frame. st.navigation sets this same flag; set it now.
PagesManager.uses_pages_directory = False


# --- store -----------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def cached_engine(url: str) -> sa.Engine:
    return make_engine(url)


def store_url() -> str:
    """The store's URL (CQIC_DATABASE_URL); part of every cache key."""
    return database_url()


def engine() -> sa.Engine:
    return cached_engine(store_url())


def data_version() -> int:
    """Read on every rerun (one primary-key lookup) so that cached figures follow imports and edits."""
    with Session(engine()) as session:
        return read_data_version(session)


@st.cache_data(show_spinner=False)
def _programs(url: str, version: int) -> list[ProgramChoice]:
    with Session(cached_engine(url)) as session:
        return [ProgramChoice(p.code, p.name_fr, p.name_en, p.start_date, p.end_date)
                for p in queries.programs(session)]


def programs() -> list[ProgramChoice]:
    found = _programs(store_url(), data_version())
    if not found:
        # An empty store may be initialised from the command line at any moment: do not keep "none".
        _programs.clear()
    return found


# Errors of the store itself (down, unreachable, refusing): a polite page, the details in the log only.
STORE_ERRORS = (sa.exc.SQLAlchemyError, StoreBusy)
_LOG = logging.getLogger("cqic_budget.app")


def store_failure(error: BaseException) -> NoReturn:
    """Instead of a traceback (host, port, role, paths): a page saying the store is busy or unavailable, in
    the reader's language, and the details in the server's log. Ends the run."""
    language = i18n.normalise_lang(st.session_state.get(LANG_KEY) or st.query_params.get("lang"))
    if is_busy(error):
        st.warning(i18n.t("store.busy", language), icon=":material/hourglass_top:")
        st.stop()
    _LOG.error("store unavailable", exc_info=error)
    st.title(i18n.t("store.unavailable.title", language))
    st.write(i18n.t("store.unavailable.body", language))
    st.stop()


# --- the reader's choices: language, program, as-of date, user --------------------------------------


def parse_date(text: object) -> date | None:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None


def sync_state_from_url(choices: list[ProgramChoice]) -> ProgramChoice | None:
    """Seed language, program and as-of date from the query parameters on a session's first run, then
    keep the as-of date inside the program's period. Returns the current program (None: no program)."""
    state, params = st.session_state, st.query_params
    # The language radio owns its key: a run that navigates (a click on the page already open) resets it
    # to its default, French. Written back, the value is the session's. (Only the language: the program and
    # the as-of date may be set by a page switch's query parameters.)
    if LANG_KEY in state:
        state[LANG_KEY] = state[LANG_KEY]
    if LANG_KEY not in state:
        state[LANG_KEY] = i18n.normalise_lang(params.get("lang"))
    if not choices:
        return None
    codes = [p.code for p in choices]
    if state.get(PROGRAM_KEY) not in codes:
        requested = params.get("program")
        state[PROGRAM_KEY] = requested if requested in codes else codes[0]
    program = choices[codes.index(state[PROGRAM_KEY])]
    as_of = state.get(AS_OF_KEY) or parse_date(params.get("as_of")) or date.today()
    state[AS_OF_KEY] = clamp_as_of(as_of, program.start, program.end)
    return program


def sync_url_from_state(choices: list[ProgramChoice]) -> None:
    """Write the reader's choices back into the URL, so that a copied link opens the same view."""
    params = {LANG_KEY: lang(), AS_OF_KEY: as_of().isoformat()}
    if len(choices) > 1:
        params[PROGRAM_KEY] = program_code()
    for key, value in params.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def _frame_state():
    """The session state the frame (dashboard.py) keeps; a run that skipped the frame goes round again."""
    state = st.session_state
    if LANG_KEY not in state:
        PagesManager.uses_pages_directory = False
        st.rerun()
    return state


def lang() -> str:
    return i18n.normalise_lang(_frame_state().get(LANG_KEY))


def as_of() -> date:
    return _frame_state().get(AS_OF_KEY) or date.today()


def program_code() -> str | None:
    return _frame_state().get(PROGRAM_KEY)


@st.cache_data(show_spinner=False, max_entries=1024)
def _identity(
    url: str, configured: bool, email: str | None, address: str | None, local_client: bool,
    verified: object, issuer: str | None, subject: str | None, version: int,
) -> Identity:
    # A session that commits: the first sign-in records the provider's account with the e-mail.
    with session_scope(cached_engine(url)) as session:
        return current_identity(
            session, auth_configured=configured, email=email, server_address=address,
            local_client=local_client, email_verified=verified, issuer=issuer, subject=subject,
        )


def client_connection() -> tuple[str | None, dict[str, str]] | None:
    """The browser connection of this session: its TCP peer address and the headers of its request; None
    when the script runs without a server (AppTest, bare mode), where there is no connection to check."""
    from streamlit import config as streamlit_config
    from streamlit import runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    # AppTest runs the script against a stand-in runtime (and sets global.appTest): no browser there.
    if not runtime.exists() or streamlit_config.get_option("global.appTest"):
        return None
    context = get_script_run_ctx()
    client = runtime.get_instance().get_client(context.session_id) if context is not None else None
    facts = getattr(client, "client_context", None)
    if facts is None or not isinstance(facts.remote_ip, str):
        return ("", {})  # a served session whose connection cannot be seen: treated as remote
    return facts.remote_ip, dict(facts.headers)


def identity() -> Identity:
    """Who the app serves: the local single user (no identity provider; only a browser on this machine,
    auth.is_local_client), a signed-in user and their role, or why they are not let in
    (auth.current_identity). Remembered for the session's helpers."""
    configured = auth_configured(st.secrets)
    signed_in = configured and st.user.get("is_logged_in")
    email = st.user.get("email") if signed_in else None
    verified = st.user.get("email_verified") if signed_in else None
    issuer = st.user.get("iss") if signed_in else None
    subject = st.user.get("sub") if signed_in else None
    connection = client_connection()
    local_client = connection is None or is_local_client(*connection)
    found = _identity(
        store_url(), configured, email, st.get_option("server.address"), local_client,
        verified if isinstance(verified, (bool, str, type(None))) else str(verified),
        str(issuer) if issuer else None, str(subject) if subject else None, data_version(),
    )
    st.session_state[USER_KEY] = found.email
    return found


# A page's view: build(session, *, program_code, as_of, lang) -> a frozen dataclass, cached per store,
# program, as-of, language and data version. Builders register by name (the cache key must be hashable).
_VIEW_BUILDERS: dict[str, Callable[..., Any]] = {}


@st.cache_data(show_spinner=False, max_entries=1024)
def _program_view(builder: str, url: str, program: str | None, day: date, language: str, version: int) -> Any:
    with Session(cached_engine(url)) as session:
        return _VIEW_BUILDERS[builder](session, program_code=program, as_of=day, lang=language)


def program_view(build: Callable[..., Any]) -> Any:
    """The cached view `build` makes for the reader's program, as-of date and language."""
    name = f"{build.__module__}.{build.__qualname__}"
    _VIEW_BUILDERS[name] = build
    return _program_view(name, store_url(), program_code(), as_of(), lang(), data_version())


def may(action: str) -> bool:
    """Whether the current user's role allows `action` (the services check again: this only shapes views)."""
    return identity().may(action)


def current_user() -> str | None:
    """The e-mail the domain services are called with (LOCAL_USER in local single-user mode)."""
    return st.session_state.get(USER_KEY)


def t(key: str, **params: object) -> str:
    """A UI string in the reader's language."""
    return i18n.t(key, lang(), **params)


# --- formatting: always through cqic_budget.i18n -------------------------------------------------------


def money(value: Decimal | None, *, decimals: bool = False) -> str:
    return i18n.format_money(value, lang(), decimals=decimals)


def percent(value: Decimal | float | None, *, digits: int = 1) -> str:
    return i18n.format_percent(value, lang(), digits=digits)


def number(value: Decimal | float | int | None, *, digits: int = 0) -> str:
    return i18n.format_number(value, lang(), digits=digits)


def date_text(value: date | None, *, long: bool = False) -> str:
    return i18n.format_date(value, lang(), long=long)


# --- drawing helpers ----------------------------------------------------------------------------------


STATUS_TONES = {"ok": "green", "watch": "orange", "breach": "red"}


def kpi_card(container, kpi: Kpi) -> None:
    """One KPI card: the value large, the note under it, no arrow."""
    container.metric(
        kpi.label, kpi.value, delta=kpi.note, delta_color=STATUS_TONES.get(kpi.status or "", "off"),
        delta_arrow="off", help=kpi.help, border=True,
    )


def kpi_row(kpis: Sequence[Kpi], *, per_row: int = 4) -> None:
    for start in range(0, len(kpis), per_row):
        columns = st.columns(per_row)
        for column, kpi in zip(columns, kpis[start : start + per_row], strict=False):
            kpi_card(column, kpi)


ALERT_ICONS = {"breach": ":material/error:", "watch": ":material/warning:"}


def alert_list(alerts, *, empty: str) -> None:
    """Alerts (objects with status, title and text), a breach in red, a watch in amber; `empty` when none."""
    if not alerts:
        st.success(empty, icon=":material/check_circle:")
    for alert in alerts:
        draw = st.error if alert.status == "breach" else st.warning
        draw(f"**{alert.title}** — {alert.text}", icon=ALERT_ICONS.get(alert.status))


def _pick(chart_key: str, drill) -> None:
    """A bar or point clicked: its drill-down choice (customdata [period, category]) becomes the
    drill-down's, when the drill-down offers it."""
    points = (st.session_state.get(chart_key) or {}).get("selection", {}).get("points", [])
    custom = next((p.get("customdata") for p in points if p.get("customdata")), None)
    if not custom:
        return
    period, category = (list(custom) + ["all"])[:2]
    if period in dict(drill.periods):
        st.session_state[f"{drill.key}.period"] = period
    if category in dict(drill.categories):
        st.session_state[f"{drill.key}.category"] = category


def chart(figure, *, title: str, drill=None) -> None:
    """A Plotly figure from cqic_budget.charts with its title inside it, no Plotly logo, and its text
    alternative (a sentence and the data as a table) in an expander under it. With `drill` (a
    ui.drilldown.DrillChoices), clicking a bar or point opens the drill-down on it."""
    figure = with_title(go.Figure(figure), title)
    options: dict[str, Any] = {}
    if drill is not None:
        key = f"{drill.key}.chart.{title}"
        options = dict(key=key, on_select=lambda: _pick(key, drill), selection_mode="points")
    st.plotly_chart(figure, theme=None, config={"displaylogo": False, "displayModeBar": False}, **options)
    alternative = text_alternative(figure, title, lang())
    with st.expander(t("chart.alt.expander", title=title)):
        st.markdown(safe.md(alternative.summary))
        if drill is not None:
            st.caption(t("chart.alt.click"))
        table(Table(alternative.table, alternative.right))
