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
/* Tables wrap their text: nothing cut, no horizontal scroll at 1 440 px. */
[data-testid="stTable"] table {{ width: 100%; table-layout: auto; }}
[data-testid="stTable"] th, [data-testid="stTable"] td {{
  white-space: normal !important; overflow-wrap: anywhere; word-break: normal; hyphens: auto;
  padding: 0.3rem 0.3rem !important;
}}
[data-testid="stTable"] td {{ font-variant-numeric: tabular-nums; }}
[data-testid="stTable"] td > div, [data-testid="stTable"] th > div {{ overflow: visible !important; }}
</style>
"""


def accessibility(lang: str, title: str) -> None:
    """The focus outline and table wrapping (CSS), and the script keeping lang, title and words right."""
    st.html(CSS)
    with st.sidebar:
        st.html(frame_script(lang, title), unsafe_allow_javascript=True, width="content")
