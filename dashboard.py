"""The app's frame: page config, the user, the sidebar (language, as-of date) and navigation over pages/."""

from pathlib import Path

import streamlit as st

from cqic_budget import ui
from cqic_budget.auth import NOT_SIGNED_IN, refusal_message, role_label
from cqic_budget.i18n import LANGS
from cqic_budget.ui.frame import PAGE_ICON, accessibility
from cqic_budget.views.frame import page_title

PAGES_DIR = Path(__file__).parent / "pages"
HOME = "overview"  # the default page, at /
# Icons of the pages of auth.PAGES (pages/<key>.py); a page joins the navigation once its file exists.
ICONS = {
    "overview": ":material/dashboard:", "burn": ":material/trending_up:",
    "cofinancing": ":material/account_balance:", "milestones": ":material/flag:",
    "merchants": ":material/storefront:", "upload": ":material/upload_file:",
    "reports": ":material/description:", "settings": ":material/settings:",
    "audit": ":material/history:", "portfolio": ":material/stacked_bar_chart:",
}

st.set_page_config(page_title=page_title("Budget"), page_icon=str(PAGE_ICON), layout="wide")

try:
    programs = ui.programs()
    program = ui.sync_state_from_url(programs)
    identity = ui.identity()
except ui.STORE_ERRORS as error:  # the store is down or refuses: a polite page, details in the log
    ui.store_failure(error)
if not identity.allowed:
    title, body = refusal_message(identity.refusal, ui.lang(), email=identity.email)
    accessibility(ui.lang(), page_title(title))
    st.title(title)
    st.write(body)
    if identity.refusal == NOT_SIGNED_IN:
        st.button(ui.t("access.sign_in"), on_click=st.login, type="primary")
    st.stop()
if program is None:
    accessibility(ui.lang(), page_title("Budget"))
    st.error(ui.t("ui.no_program"))
    st.stop()

with st.sidebar:
    if len(programs) > 1:
        names = {p.code: p.name(ui.lang()) for p in programs}
        st.selectbox(ui.t("ui.program"), list(names), format_func=names.get, key=ui.PROGRAM_KEY)
    st.radio(ui.t("sidebar.language"), LANGS, format_func=ui.LANG_NAMES.get, horizontal=True, key=ui.LANG_KEY)
    st.date_input(
        ui.t("sidebar.as_of"), min_value=program.start, max_value=program.end, format="YYYY-MM-DD",
        help=ui.t("ui.as_of_help", start=ui.date_text(program.start), end=ui.date_text(program.end)),
        key=ui.AS_OF_KEY,
    )
    if identity.local:
        st.info(ui.t("local_mode_banner"), icon=":material/person:")
    else:
        role = role_label(identity.role, ui.lang())
        st.caption(ui.t("access.signed_in_as", email=identity.email, role=role))
        st.button(ui.t("access.sign_out"), on_click=st.logout)
ui.sync_url_from_state(programs)

keys = [key for key in identity.pages
        if (PAGES_DIR / f"{key}.py").exists() and (key != "portfolio" or len(programs) > 1)]
pages = [
    st.Page(f"pages/{key}.py", title=ui.t(f"nav.{key}"), icon=ICONS[key], default=key == HOME,
            url_path=f"{key}-home" if key == HOME else None)
    for key in keys
]
if HOME in keys:
    # Streamlit serves the default page at / only, and answers its own name (/overview: a bookmark, a link
    # typed by hand) with «Page not found». A hidden twin under that name takes the reader to /, the URL's
    # choices (language, date, program) kept.
    pages.append(st.Page(f"pages/{HOME}.py", title=ui.t(f"nav.{HOME}"), url_path=HOME, visibility="hidden"))
current = st.navigation(pages)
if current.url_path == HOME:
    st.switch_page(pages[keys.index(HOME)], query_params=st.query_params.to_dict())
st.set_page_config(page_title=page_title(current.title))
accessibility(ui.lang(), page_title(current.title))
try:
    current.run()
except ui.STORE_ERRORS as error:
    ui.store_failure(error)
