"""Pieces the pages share: the period line, and tables and statuses ready to draw — text formatted with
Babel in the reader's language, money right-aligned, a status always shown as an icon, a colour and a
word together (never colour alone)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from cqic_budget.i18n import format_date, t
from cqic_budget.metrics.facts import ProgramFacts
from cqic_budget.ui import safe

# ok / watch / breach, and "neutral" (ahead, pending): (symbol in a table, text colour in a table, badge
# colour, badge icon). Plain symbols, not emoji: a table is drawn on a canvas with the page's fonts.
STATUS_STYLE = {
    "ok": ("✓", "#15803d", "green", ":material/check_circle:"),
    "watch": ("⚠", "#b45309", "orange", ":material/warning:"),
    "breach": ("✗", "#b91c1c", "red", ":material/error:"),
    "neutral": ("○", "#6b7280", "gray", ":material/schedule:"),
}
TONE_OF_SYMBOL = {symbol: f"color: {colour}" for symbol, colour, _, _ in STATUS_STYLE.values()}


def status_cell(status: str, word: str) -> str:
    """A status in a table cell: «✅ conforme»."""
    return f"{STATUS_STYLE[status][0]} {word}"


def status_badge(status: str, word: str) -> str:
    """A status in Markdown: a coloured badge with its icon and its word."""
    _, _, colour, icon = STATUS_STYLE[status]
    return f":{colour}-badge[{icon} {word}]"


def check_word(status: str, lang: str) -> str:
    """ok / watch / breach in words: «conforme», «à surveiller», «non conforme»."""
    return t(f"status.{status}", lang)


@dataclass(frozen=True)
class Table:
    """A table of formatted text; `right` names the columns of figures (right-aligned), `status` the
    columns of status_cell values (coloured by their symbol)."""

    frame: pd.DataFrame
    right: tuple[str, ...] = ()
    status: tuple[str, ...] = ()


def make_table(rows: list[dict[str, str]], columns: list[str], right: list[str] | tuple[str, ...] = (),
               status: list[str] | tuple[str, ...] = ()) -> Table:
    return Table(pd.DataFrame(rows, columns=columns), tuple(right), tuple(status))


def _tone(cell: object) -> str:
    return TONE_OF_SYMBOL.get(str(cell)[:1], "")


def period_line(facts: ProgramFacts, lang: str) -> str:
    """«<program name> · en date du 2026-10-31», under a page's title."""
    name = facts.name_en if lang == "en" else facts.name_fr
    return t("burn.period", lang, name=safe.md(name), as_of=format_date(facts.as_of, lang))


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


@dataclass(frozen=True)
class Note:
    """A sentence with its status (ok / watch / breach / neutral)."""

    status: str
    label: str  # the status in words
    text: str


def notes(items: tuple[Note, ...] | list[Note]) -> None:
    """Sentences under a table, each led by its status badge."""
    if items:
        st.markdown("\n".join(f"- {status_badge(n.status, n.label)} {n.text}" for n in items))
