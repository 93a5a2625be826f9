"""The frame's accessibility layer sent to the browser (st.html): the title, CSS and script are built by
cqic_budget.views.frame."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from cqic_budget.views.frame import frame_script

# A file of the repository: Streamlit would fetch a ":material/...:" icon from a font server.
PAGE_ICON = Path(__file__).resolve().parents[2] / "assets" / "favicon.png"
FOCUS_COLOUR = "#0b5394"  # the theme's primary colour: 7.6:1 on white


CSS = f"""
<style>
/* A visible keyboard focus on every link and control (WCAG 2.4.7): 3 px in the primary colour. */
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, summary:focus-visible,
[role="tab"]:focus-visible, [role="button"]:focus-visible, [tabindex]:focus-visible,
[data-testid="stSidebarNavLink"]:focus-visible, [data-baseweb="select"] > div:focus-within,
label:has(input[type="radio"]:focus-visible), label:has(input[type="checkbox"]:focus-visible) {{
  outline: 3px solid {FOCUS_COLOUR} !important;
  outline-offset: 2px !important;
}}
/* Tables (views.tables.table_html) wrap their text between words: nothing cut, no horizontal scroll at
   1 440 px; on a phone, a table wider than the screen scrolls inside its box. */
.cqic-table table {{ width: 100%; table-layout: auto; border-collapse: collapse; font-size: 0.875rem; }}
.cqic-table th, .cqic-table td {{
  border: 1px solid #d5d7dd; padding: 0.3rem; text-align: left; vertical-align: top;
  white-space: normal; overflow-wrap: break-word; word-break: normal; hyphens: auto;
}}
@media (max-width: 640px) {{ .cqic-table {{ overflow-x: auto; }} }}
.cqic-table th {{ font-weight: 600; background: #f0f2f6; }}
.cqic-table thead th {{ position: sticky; top: 0; }}
.cqic-table td {{ font-variant-numeric: tabular-nums; }}
.cqic-table .r {{ text-align: right; }}
</style>
"""


def accessibility(lang: str, title: str) -> None:
    """The focus outline and table wrapping (CSS), and the script keeping lang, title and words right."""
    st.html(CSS)
    with st.sidebar:
        st.html(frame_script(lang, title), unsafe_allow_javascript=True, width="content")
