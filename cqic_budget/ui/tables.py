"""Tables and status notes drawn with Streamlit (an HTML table, coloured by status); the pieces they are made
of (status cells and badges, Table, the HTML, Note, the period line) are built in cqic_budget.views.tables."""

from __future__ import annotations

import streamlit as st

from cqic_budget.views.tables import COLOUR_OF_SYMBOL, Note, Table, status_badge, table_html

TONE_OF_SYMBOL = {symbol: f"color: {colour}" for symbol, colour in COLOUR_OF_SYMBOL.items()}


def table(content: Table, *, label: str | None = None, max_height: int | None = None) -> None:
    """An HTML table (st.html): its text wraps, so nothing is cut and nothing scrolls sideways at 1 440 px,
    and a screen reader reads it as a table; figures right-aligned, statuses in their colour. One element:
    st.table drew each cell as a Markdown element of its own (a thousand on a page, most of its drawing)."""
    st.html(table_html(content, label=label, max_height=max_height))


def notes(items: tuple[Note, ...] | list[Note]) -> None:
    """Sentences under a table, each led by its status badge."""
    if items:
        st.markdown("\n".join(f"- {status_badge(n.status, n.label)} {n.text}" for n in items))
