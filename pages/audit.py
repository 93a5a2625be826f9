"""Journal d'audit / Audit log (admins, SPEC §7): every import, undo and edit — who, when (Québec time),
what, before → after — with filters, pages and a CSV export."""

import streamlit as st

from cqic_budget import ui
from cqic_budget.auth import Forbidden
from cqic_budget.ui import audit as page

try:
    options = page.choices()
except Forbidden as refused:  # the navigation hides this page from other roles; the service refuses too
    st.error(refused.message(ui.lang()), icon=":material/block:")
    st.stop()

st.title(options.title)
st.caption(options.intro)
chosen = page.filters(options)
shown = page.show_events(chosen)
page.show_detail(shown)
