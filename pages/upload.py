"""Importer / Upload (SPEC §5.6): drop the month's expense sheet, preview its rows and their problems, import
it (strict or not); the history of imports with undo and the rows to fix; the template and a sample."""

import streamlit as st

from cqic_budget.ui import upload as page

view = page.upload_view()

st.title(view.title)
st.caption(f"{view.purpose}  \n{view.period}")
if not view.allowed:  # the navigation hides this page from other roles; the service refuses too
    st.error(view.refusal, icon=":material/block:")
    st.stop()

page.templates_section()
page.outcome_message()
upload = page.uploaded_file(view)
if upload is not None and page.preview_section(upload):
    page.commit_section(view, upload)

st.divider()
page.history_section(view)
page.labels_section(view)
