"""Tables and status notes drawn with Streamlit (st.table, coloured by status); the pieces they are made of
(status cells and badges, Table, Note, the period line) are built in cqic_budget.views.tables."""

from __future__ import annotations

import streamlit as st

from cqic_budget.ui import safe
from cqic_budget.views.tables import STATUS_STYLE, Note, Table, status_badge

TONE_OF_SYMBOL = {symbol: f"color: {colour}" for symbol, colour, _, _ in STATUS_STYLE.values()}


def _tone(cell: object) -> str:
    return TONE_OF_SYMBOL.get(str(cell)[:1], "")


def table(content: Table, *, height: int | str = "auto") -> None:
    """An HTML table (st.table): its text wraps, so nothing is cut and nothing scrolls sideways at 1 440 px,
    and a screen reader reads it as a table; figures right-aligned, statuses in their colour."""
    frame = content.frame.astype(object).where(content.frame.notna(), None).map(safe.md)
    frame.columns = [safe.md(column) for column in frame.columns]
    right = [safe.md(column) for column in content.right]
    style = frame.style.hide(axis="index")
    if right:
        style = style.set_properties(subset=right, **{"text-align": "right"})
    if content.status:
        style = style.map(_tone, subset=[safe.md(column) for column in content.status])
    st.table(style, height="content" if height == "auto" else height)


def notes(items: tuple[Note, ...] | list[Note]) -> None:
    """Sentences under a table, each led by its status badge."""
    if items:
        st.markdown("\n".join(f"- {status_badge(n.status, n.label)} {n.text}" for n in items))
