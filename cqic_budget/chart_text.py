"""A chart's text alternative (WCAG 1.1.1): one sentence saying what it shows and its data as a table of
formatted text, in the reader's language, read from the figure itself so that it never drifts from it.

A figure from cqic_budget.charts says how to read it in `layout.meta`: `x_kind` ("month" for monthly
bars; dates and labels otherwise) and `value_kind` ("money" unless "number", "percent" or "date").
A trace's `meta`, when a text, names its column (two traces of one legend entry, e.g. a band's edges).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go

from cqic_budget.i18n import DASH, format_date, format_money, format_month, format_number, format_percent, t


@dataclass(frozen=True)
class TextAlternative:
    summary: str
    table: pd.DataFrame
    right: tuple[str, ...]  # the columns of figures (right-aligned)


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _key_text(value: object, x_kind: str, lang: str) -> str:
    day = _day(value)
    if day is None:
        return str(value).replace("<br>", " ")  # a label wrapped on the axis reads as one line
    return format_month(day, lang) if x_kind == "month" else format_date(day, lang)


def _value_text(value: object, value_kind: str, lang: str) -> str:
    if value is None:
        return DASH
    if value_kind == "date":
        day = _day(value)
        return format_date(day, lang) if day else str(value)
    number = Decimal(str(value))
    if value_kind == "number":
        return format_number(number, lang)
    if value_kind == "percent":
        return format_percent(number, lang, digits=0)
    return format_money(number, lang, decimals=False)


def _series(trace) -> tuple[list, list] | None:
    """(keys, values) of a trace: keys on the category axis (y for horizontal bars and funnels)."""
    if getattr(trace, "hoverinfo", None) == "skip" or trace.x is None or trace.y is None:
        return None
    horizontal = getattr(trace, "orientation", None) == "h" or trace.type == "funnel"
    if not horizontal and trace.type == "scatter" and trace.y and all(isinstance(v, str) for v in trace.y):
        horizontal = True  # a timeline: labels on y, dates on x
    if not horizontal:
        return list(trace.x), list(trace.y)
    if trace.type == "funnel":
        return list(trace.y), list(trace.x)
    # Horizontal bars and timelines are drawn bottom-up (the first item on top): read them top-down.
    return list(reversed(trace.y)), list(reversed(trace.x))


def text_alternative(fig: go.Figure, title: str, lang: str) -> TextAlternative:
    """The sentence and the table of `fig` (its traces as columns, one row per date or label)."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    x_kind, value_kind = meta.get("x_kind", "date"), meta.get("value_kind", "money")
    key_column = t("chart.alt.key", lang)
    rows: dict[str, dict[str, str]] = {}
    columns: list[str] = []
    for trace in fig.data:
        found = _series(trace)
        if found is None:
            continue
        name = trace.meta if isinstance(trace.meta, str) else (trace.name or title)
        if name in columns:
            continue
        columns.append(name)
        for key, value in zip(*found, strict=True):
            if key is None:
                continue
            label = _key_text(key, x_kind, lang)
            rows.setdefault(label, {key_column: label})[name] = _value_text(value, value_kind, lang)
    frame = pd.DataFrame(list(rows.values()), columns=[key_column, *columns]).astype(object).fillna(DASH)
    labels = list(rows)
    if labels:
        summary = t("chart.alt.summary", lang, title=title, series=", ".join(columns),
                    count=format_number(len(labels), lang), first=labels[0], last=labels[-1])
    else:
        summary = t("chart.alt.empty", lang, title=title)
    return TextAlternative(summary, frame, tuple(columns) if value_kind != "date" else ())
