"""Paramètres / Settings (SPEC §5.8, admin): program settings, funders, budget lines, milestones,
contributions, indicators, category mapping and users; every change validated and audited by the services."""

import streamlit as st

from cqic_budget.ui import settings as page

view = page.settings_view()

st.title(view.title)
st.caption(f"{view.purpose}  \n{view.period}")
if not view.allowed:
    st.info(view.refusal, icon=":material/lock:")
    st.stop()

page.flash()
page.tabs(view)
