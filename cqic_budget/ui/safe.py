"""The Streamlit side of safe display: every table reaches st.dataframe through `dataframe` (formulas
neutralised by cqic_budget.views.safe, which also escapes user text for Markdown: `md`)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from cqic_budget.views.safe import md, table_data

# The widgets of ui/ escape user text with safe.md, as they did when it lived here.
__all__ = ["dataframe", "md", "table_data"]


def dataframe(data: Any, **kwargs: Any) -> Any:
    """st.dataframe over table_data(data): every table of the app goes through here."""
    return st.dataframe(table_data(data), **kwargs)
