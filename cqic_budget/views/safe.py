"""What users supplied (file, sheet, merchant and program names, cells, messages quoting them), made safe to
show: escaped for Markdown — no link, image, colour directive or LaTeX from a user's text — and, in the tables
Streamlit can download as CSV, neutralised against spreadsheet formulas (cqic_budget.safe_text's rule)."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from cqic_budget.safe_text import neutralise_cell, neutralise_formula

# The characters that start Markdown, HTML, LaTeX, Streamlit directives (« :red[…] », « :material/x: »)
# or a GFM autolink (« https://… », « a@b.ca ») anywhere in a line; a backslash escapes each (CommonMark).
_ACTIVE = frozenset("\\`*_{}[]()#!|<>~$:@")
_WWW = re.compile(r"(?i)\b(www)\.")  # « www.example.com » is a link without any of them
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=])")  # « 1. », « - », « + » would start a list


def md(text: Any) -> str:
    """`text` for st.markdown / st.caption / st.info / a widget label: shown as written, on one line."""
    value = " ".join(("" if text is None else str(text)).splitlines())
    escaped = "".join(f"\\{c}" if c in _ACTIVE else c for c in value)
    escaped = _WWW.sub(r"\1\\.", escaped)
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}",
                           escaped)


def frame(data: pd.DataFrame) -> pd.DataFrame:
    """A copy of `data` whose text cells and column names a spreadsheet would not run as formulas."""
    safe = data.map(neutralise_cell) if len(data.columns) else data.copy()
    safe.columns = [neutralise_formula(c) if isinstance(c, str) else c for c in data.columns]
    return safe


def table_data(data: Any) -> Any:
    """What st.dataframe / its "Download as CSV" button gets: the same table, formulas neutralised."""
    if isinstance(data, Styler):
        data.data = frame(data.data)
        return data
    if isinstance(data, pd.DataFrame):
        return frame(data)
    if isinstance(data, list):
        return [{neutralise_cell(k): neutralise_cell(v) for k, v in row.items()} if isinstance(row, dict)
                else row for row in data]
    return data
