"""Rapports / Reports (SPEC §5.7): the funder report workbook and the expense exports, formula-safe."""

import streamlit as st

from cqic_budget.ui import reports as page

view = page.reports_view()

st.title(view.title)
st.caption(f"{view.purpose}  \n{view.period}")
if not view.allowed:
    st.info(view.refusal, icon=":material/lock:")
    st.stop()

page.report_section(view)
st.divider()
page.exports_section(view)
