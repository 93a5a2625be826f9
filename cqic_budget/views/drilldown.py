"""The drill-down under a total: pick a period and a category, see the expense rows behind the figure
with the file and row each came from, one cached page at a time (cqic_budget.drilldown does the SQL).

Built without Streamlit; the cached edges and widgets named here live in cqic_budget/ui/drilldown.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from cqic_budget.currency import difference_words
from cqic_budget.drilldown import expense_rows, expense_totals
from cqic_budget.i18n import format_date, format_money, format_month, format_number, normalise_lang, t
from cqic_budget.metrics.facts import ProgramFacts
from cqic_budget.money import to_cents
from cqic_budget.periods import fiscal_years_between, months_between
from cqic_budget.queries import CategoryLabel
from cqic_budget.setup import get_program
from cqic_budget.views.tables import Table, make_table

PAGE_SIZE = 100
ALL = "all"
MONEY = ("amount", "gst", "qst", "eligible_cost")


@dataclass(frozen=True)
class DrillChoices:
    """What the reader may drill into: periods and categories as (key, label), and the defaults."""

    key: str  # widget-key prefix, one per page
    title: str
    intro: str
    period_label: str
    periods: tuple[tuple[str, str], ...]
    default_period: str
    category_label: str
    categories: tuple[tuple[str, str], ...]
    default_category: str = ALL


def period_choices(facts: ProgramFacts, lang: str) -> list[tuple[str, str]]:
    """Everything to the as-of, each fiscal year begun by then, each month (latest first)."""
    choices = [(ALL, t("drill.period.all", lang, as_of=format_date(facts.as_of, lang)))]
    choices += [(f"fy:{fy.label}", t("drill.period.fiscal_year", lang, label=fy.label))
                for fy in fiscal_years_between(facts.start, facts.as_of)]
    choices += [(f"month:{m.isoformat()}", format_month(m, lang))
                for m in reversed(list(months_between(facts.start, facts.as_of)))]
    return choices


def category_choices(labels: list[CategoryLabel], lang: str) -> list[tuple[str, str]]:
    return [(ALL, t("drill.category.all", lang))] + [(c.code, c.label(lang)) for c in labels]


def drill_choices(
    facts: ProgramFacts, labels: list[CategoryLabel], lang: str, *, key: str, intro: str,
    periods: list[tuple[str, str]] | None = None, default_period: str = ALL,
) -> DrillChoices:
    periods = periods if periods is not None else period_choices(facts, lang)
    return DrillChoices(
        key=key, title=t("drill.title", lang), intro=intro, period_label=t("drill.period", lang),
        periods=tuple(periods), default_period=default_period, category_label=t("drill.category", lang),
        categories=tuple(category_choices(labels, lang)),
    )


def filters_of(period: str, category: str, as_of: date) -> dict:
    """The expense_rows filters of a period key (all, fy:LABEL, month:DATE, until:DATE) and a category."""
    filters: dict = {"as_of": as_of, "category": None if category == ALL else category}
    kind, _, value = period.partition(":")
    if kind == "fy":
        filters["fiscal_year"] = value
    elif kind == "month":
        filters["month"] = date.fromisoformat(value)
    elif kind == "until":
        filters["as_of"] = min(date.fromisoformat(value), as_of)
    return filters


@dataclass(frozen=True)
class DrillResult:
    total_line: str  # count, eligible cost (= the figure drilled into), ineligible apart
    pages: int
    table: Table


def build_drill(
    session: Session, *, program_code: str | None, as_of: date, lang: str, period: str, category: str,
    page: int, personal: bool = False,
) -> DrillResult:
    lang = normalise_lang(lang)
    program = get_program(session, program_code)
    filters = filters_of(period, category, as_of)
    totals = expense_totals(session, program_id=program.id, **filters)
    pages = max(1, -(-totals.count // PAGE_SIZE))
    page = min(max(page, 1), pages)
    frame, _ = expense_rows(session, program_id=program.id, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                            personal=personal, lang=lang, **filters)
    # The figure and its origin first; the long description last.
    headers = {key: t(f"drill.col.{key}", lang) for key in (
        "date", "vendor", "category", "eligible_cost", "file_name", "source_row", "amount", "gst", "qst",
        "eligible", "written", "invoice_number", "description")}
    yes, no_file = t("drill.yes", lang), t("drill.no_file", lang)
    label = "category_en" if lang == "en" else "category_fr"
    rows = [
        {
            headers["date"]: format_date(r["date"], lang),
            headers["vendor"]: r["vendor"],
            headers["description"]: r["description"],
            headers["category"]: r[label],
            headers["invoice_number"]: r["invoice_number"],
            **{headers[m]: format_money(r[m], lang) for m in MONEY},
            headers["eligible"]: yes if r["eligible"]
            else t("drill.no", lang, reason=r["ineligible_reason"] or "—"),
            headers["file_name"]: r["file_name"] or no_file,
            headers["source_row"]: "—" if r["source_row"] is None else format_number(r["source_row"], lang),
            headers["written"]: written_as(r, lang),
        }
        # Missing file names and rows (NaN, <NA>) as None.
        for r in frame.astype(object).where(frame.notna(), None).to_dict("records")
    ]
    columns = list(headers.values())
    if not any(row[headers["written"]] for row in rows):  # no foreign-currency row on this page
        columns.remove(headers["written"])
        rows = [{k: v for k, v in row.items() if k != headers["written"]} for row in rows]
    total_line = t("drill.total", lang, count=format_number(totals.count, lang),
                   eligible=format_money(totals.eligible_cost, lang),
                   ineligible=format_money(totals.ineligible, lang))
    return DrillResult(total_line, pages, make_table(rows, columns,
                                                     [headers[m] for m in MONEY] + [headers["source_row"]]))


def written_as(row: dict, lang: str) -> str:
    """« 1 932,00 € au taux de 1,5247 (BoC FXEURCAD 2026-06-12) » for a foreign-currency expense, else ""."""
    if row.get("currency") in (None, "CAD") or row.get("written_total") is None:
        return ""
    source = row["fx_source"]
    if source == "actual":
        source = t("currency.source.actual", lang)
    rate = format_number(row["fx_rate"], lang, digits=max(4, -row["fx_rate"].as_tuple().exponent))
    amount = format_money(row["written_total"], lang, currency=row["currency"])
    written = t("currency.written", lang, amount=amount, rate=rate, source=source)
    difference = row.get("exchange_difference")
    if difference is None or difference == 0:  # converted at the Bank of Canada's rate, or none known
        return written
    return t("currency.written_difference", lang, written=written,
             difference=difference_words(to_cents(difference), lang))
