"""Pieces the pages share: the period line, and tables and statuses ready to draw — text formatted with
Babel in the reader's language, money right-aligned, a status always shown as an icon, a colour and a
word together (never colour alone)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cqic_budget.i18n import format_date, t
from cqic_budget.metrics.facts import ProgramFacts
from cqic_budget.views import safe

# ok / watch / breach, and "neutral" (ahead, pending): (symbol in a table, text colour in a table, badge
# colour, badge icon). Plain symbols, not emoji: a table is drawn on a canvas with the page's fonts.
STATUS_STYLE = {
    "ok": ("✓", "#15803d", "green", ":material/check_circle:"),
    "watch": ("⚠", "#b45309", "orange", ":material/warning:"),
    "breach": ("✗", "#b91c1c", "red", ":material/error:"),
    "neutral": ("○", "#6b7280", "gray", ":material/schedule:"),
}


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


def period_line(facts: ProgramFacts, lang: str) -> str:
    """«<program name> · en date du 2026-10-31», under a page's title."""
    name = facts.name_en if lang == "en" else facts.name_fr
    return t("burn.period", lang, name=safe.md(name), as_of=format_date(facts.as_of, lang))


@dataclass(frozen=True)
class Note:
    """A sentence with its status (ok / watch / breach / neutral)."""

    status: str
    label: str  # the status in words
    text: str
