"""The Portfolio page's content, ready to draw: totals across programs and one row per program, each
linking to that program's overview (shown when the store holds more than one program).

`build_portfolio` reads the store through metrics.portfolio (a fixed number of grouped queries) and formats
the values; `portfolio_view()` is its cached edge; `program_table` draws the table and opens the program
whose row the reader selects.

Built without Streamlit; the cached edges and widgets named here live in cqic_budget/ui/portfolio.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from sqlmodel import Session

from cqic_budget.i18n import format_date, format_money, format_number, format_percent, normalise_lang, t
from cqic_budget.metrics.portfolio import ProgramRow, portfolio_rows, portfolio_totals
from cqic_budget.money import share
from cqic_budget.views.common import Kpi
from cqic_budget.views.tables import Table, check_word, make_table, status_cell

COLUMNS = ("code", "name", "as_of", "budget", "spent", "spent_share", "time_elapsed", "quebec",
           "quebec_share", "merchants", "status")
RIGHT = ("budget", "spent", "spent_share", "time_elapsed", "quebec", "quebec_share", "merchants")


@dataclass(frozen=True)
class PortfolioView:
    title: str
    purpose: str
    period: str
    kpis: tuple[Kpi, ...]
    table_title: str
    table: Table  # one row per program, then the total row
    link_column: str  # the column holding each program's link
    codes: tuple[str, ...]  # the program of each row (the total row has none)
    caption: str


def program_link(code: str, *, as_of: date, lang: str) -> str:
    """The program's overview (the app's default page) at the same date and language."""
    return "./?" + urlencode({"program": code, "lang": lang, "as_of": as_of.isoformat()})


def _money(value, lang: str) -> str:
    return format_money(value, lang, decimals=False)


def _status(row: ProgramRow, lang: str) -> str:
    word = check_word(row.status, lang)
    if row.checks_flagged:
        word = t("portfolio.status_flagged", lang, word=word, count=row.checks_flagged)
    return status_cell(row.status, word)


def build_portfolio(session: Session, *, as_of: date, lang: str) -> PortfolioView:
    lang = normalise_lang(lang)
    rows = portfolio_rows(session, as_of=as_of)
    totals = portfolio_totals(rows)
    cols = {key: t(f"portfolio.col.{key}", lang) for key in COLUMNS}
    records = [
        {
            cols["code"]: program_link(r.code, as_of=as_of, lang=lang),
            cols["name"]: r.name(lang),
            cols["as_of"]: format_date(r.as_of, lang),
            cols["budget"]: _money(r.budget, lang),
            cols["spent"]: _money(r.spent, lang),
            cols["spent_share"]: format_percent(r.spent_share, lang),
            cols["time_elapsed"]: format_percent(r.time_elapsed_share, lang),
            cols["quebec"]: _money(r.quebec_received, lang),
            cols["quebec_share"]: format_percent(r.quebec_share, lang),
            cols["merchants"]: f"{format_number(r.merchants_supported, lang)} / "
                               f"{format_number(r.target_supported, lang)}",
            cols["status"]: _status(r, lang),
        }
        for r in rows
    ]
    records.append({
        cols["code"]: None,
        cols["name"]: t("portfolio.total_name", lang, count=format_number(totals.programs, lang)),
        cols["as_of"]: "",
        cols["budget"]: _money(totals.budget, lang),
        cols["spent"]: _money(totals.spent, lang),
        cols["spent_share"]: format_percent(totals.spent_share, lang),
        cols["time_elapsed"]: "",
        cols["quebec"]: _money(totals.quebec_received, lang),
        cols["quebec_share"]: format_percent(totals.quebec_share, lang),
        cols["merchants"]: f"{format_number(totals.merchants_supported, lang)} / "
                           f"{format_number(totals.target_supported, lang)}",
        cols["status"]: "",
    })
    by_status = totals.by_status
    kpis = (
        Kpi(t("portfolio.kpi.programs", lang), format_number(totals.programs, lang),
               t("portfolio.kpi.programs_note", lang, breach=format_number(by_status["breach"], lang),
                 watch=format_number(by_status["watch"], lang)),
               t("portfolio.kpi.programs_help", lang),
               status="breach" if by_status["breach"] else "watch" if by_status["watch"] else "ok"),
        Kpi(t("portfolio.kpi.budget", lang), _money(totals.budget, lang),
               t("portfolio.kpi.budget_note", lang)),
        Kpi(t("portfolio.kpi.spent", lang), _money(totals.spent, lang),
               t("portfolio.kpi.spent_note", lang, share=format_percent(totals.spent_share, lang))),
        Kpi(t("portfolio.kpi.quebec", lang), _money(totals.quebec_received, lang),
               t("portfolio.kpi.quebec_note", lang, share=format_percent(totals.quebec_share, lang)),
               t("portfolio.kpi.quebec_help", lang)),
        Kpi(t("portfolio.kpi.merchants", lang), format_number(totals.merchants_supported, lang),
               t("portfolio.kpi.merchants_note", lang,
                 share=format_percent(share(totals.merchants_supported, totals.target_supported), lang),
                 target=format_number(totals.target_supported, lang))),
    )
    return PortfolioView(
        title=t("portfolio.title", lang),
        purpose=t("portfolio.purpose", lang),
        period=t("portfolio.period", lang, count=format_number(totals.programs, lang),
                 as_of=format_date(as_of, lang)),
        kpis=kpis,
        table_title=t("portfolio.table_title", lang),
        table=make_table(records, list(cols.values()), [cols[k] for k in RIGHT], [cols["status"]]),
        link_column=cols["code"],
        codes=tuple(r.code for r in rows),
        caption=t("portfolio.table_caption", lang),
    )


def selected_program(view: PortfolioView, rows: list[int]) -> str | None:
    """The program of the selected row (None for the total row or no selection)."""
    return view.codes[rows[0]] if rows and 0 <= rows[0] < len(view.codes) else None
