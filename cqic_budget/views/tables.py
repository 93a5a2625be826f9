"""Pieces the pages share: the period line, and tables and statuses ready to draw — text formatted with
Babel in the reader's language, money right-aligned, a status always shown as an icon, a colour and a
word together (never colour alone)."""

from __future__ import annotations

import html
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


# A status cell's text colour, by the symbol it starts with.
COLOUR_OF_SYMBOL = {symbol: colour for symbol, colour, _, _ in STATUS_STYLE.values()}
TABLE_CLASS = "cqic-table"  # the frame's CSS styles it (cqic_budget/ui/frame.py)


def _cell(tag: str, text: object, *, right: bool, colour: str | None = None, scope: bool = False) -> str:
    attributes = ' scope="col"' if scope else ""
    if right:
        attributes += ' class="r"'
    if colour:
        attributes += f' style="color: {colour}"'
    value = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return f"<{tag}{attributes}>{html.escape(value, quote=False)}</{tag}>"


def table_html(content: Table, *, label: str | None = None, max_height: int | None = None) -> str:
    """`content` as one HTML table: a header row of column headers (scope="col"), the text escaped (shown as
    written, nothing of it read as HTML), the figures' columns right-aligned, each status cell in its
    colour. With `max_height` (pixels), the table scrolls inside a region that the keyboard can reach, named
    `label`. One element for the browser to draw, where st.table drew each cell as its own Markdown."""
    columns = [str(column) for column in content.frame.columns]
    right = {str(column) for column in content.right}
    status = {str(column) for column in content.status}
    head = "".join(_cell("th", column, right=column in right, scope=True) for column in columns)
    rows = []
    for values in content.frame.itertuples(index=False, name=None):
        cells = []
        for column, value in zip(columns, values, strict=True):
            colour = COLOUR_OF_SYMBOL.get(str(value)[:1]) if column in status and value is not None else None
            cells.append(_cell("td", value, right=column in right, colour=colour))
        rows.append(f"<tr>{''.join(cells)}</tr>")
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    if max_height is None:
        return f'<div class="{TABLE_CLASS}">{table}</div>'
    name = html.escape(label or "", quote=True)
    return (f'<div class="{TABLE_CLASS}" role="region" aria-label="{name}" tabindex="0" '
            f'style="max-height: {int(max_height)}px; overflow-y: auto">{table}</div>')


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
