"""The Burn rate page's content, ready to draw: pace cards, spend by month and category, the cumulative
curve with its forecast band, each fiscal year's budget vs spent, and the what-if (SPEC §5.2).

`build_burn_rate` and `build_what_if` read the metric functions and format their values; `burn_rate_view()`
and `what_if_view()` are their cached edges for the page.

Built without Streamlit; the cached edges and widgets named here live in cqic_budget/ui/burn_rate.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import plotly.graph_objects as go
from sqlmodel import Session

from cqic_budget.charts import (
    BarSeries,
    category_colours,
    fiscal_years_figure,
    forecast_figure,
    monthly_spend_figure,
)
from cqic_budget.currency import exchange_sentence, exchange_summary
from cqic_budget.i18n import format_date, format_money, format_month, format_percent, normalise_lang, t
from cqic_budget.metrics.budget_lines import budget_line_positions
from cqic_budget.metrics.burn import (
    cumulative_curve,
    fiscal_year_status,
    forecast,
    forecast_band,
    monthly_by_category,
    what_if,
)
from cqic_budget.metrics.facts import ZERO, ProgramFacts, load_facts
from cqic_budget.money import CENT, share
from cqic_budget.queries import category_labels
from cqic_budget.setup import get_program
from cqic_budget.views.common import Kpi
from cqic_budget.views.drilldown import DrillChoices, drill_choices
from cqic_budget.views.overview import signed_money
from cqic_budget.views.tables import Note, Table, make_table, period_line, status_cell

WHAT_IF_STEP = 1000


@dataclass(frozen=True)
class WhatIfForm:
    title: str
    intro: str
    label: str
    help: str
    default: float  # the current burn rate, to the cent: the KPI's projected total at the same pace
    step: float


@dataclass(frozen=True)
class BurnRateView:
    title: str
    purpose: str
    period: str
    kpis: tuple[Kpi, ...]
    monthly_title: str
    monthly_figure: go.Figure
    monthly_caption: str
    drill: DrillChoices
    curve_title: str
    curve_figure: go.Figure
    curve_caption: str
    years_title: str
    years_figure: go.Figure
    years_table: Table
    years_notes: tuple[Note, ...]
    lines_title: str
    lines_caption: str
    lines_table: Table
    what_if: WhatIfForm
    exchange_note: str = ""


def _money(value: Decimal | None, lang: str) -> str:
    return format_money(value, lang, decimals=False)


def kpis(facts: ProgramFacts, lang: str) -> tuple[Kpi, ...]:
    """Burn rate, required burn, projected total at the end, projected exhaustion (metrics.burn.forecast)."""
    outlook = forecast(facts)
    end = format_date(facts.end, lang)
    if outlook.projected_unspent >= 0:
        projected_note = t("burn.kpi.unspent", lang, amount=_money(outlook.projected_unspent, lang))
    else:
        projected_note = t("burn.kpi.overrun", lang, amount=_money(-outlook.projected_unspent, lang))
    exhaustion = outlook.projected_exhaustion
    return (
        Kpi(t("burn.kpi.burn", lang), _money(outlook.burn_rate, lang),
               t("burn.kpi.burn_note", lang, window=facts.burn_window_months),
               t("burn.kpi.burn_help", lang, window=facts.burn_window_months)),
        Kpi(t("burn.kpi.required", lang), _money(outlook.required_burn, lang),
               t("burn.kpi.required_note", lang, remaining=_money(outlook.remaining, lang)),
               t("burn.kpi.required_help", lang, end=end)),
        Kpi(t("burn.kpi.projected", lang), _money(outlook.projected_total, lang), projected_note,
               t("burn.kpi.projected_help", lang, end=end)),
        Kpi(t("burn.kpi.exhaustion", lang),
               format_date(exhaustion, lang) if exhaustion else t("burn.kpi.no_exhaustion", lang),
               t("burn.kpi.exhaustion_before", lang) if exhaustion and exhaustion < facts.end
               else t("burn.kpi.exhaustion_note", lang, end=end),
               t("burn.kpi.exhaustion_help", lang)),
    )


def monthly_figure(facts: ProgramFacts, labels: dict[str, str], lang: str) -> go.Figure:
    """`labels`: every category of the store, code → label, in its listed order (its colours follow it)."""
    spend = monthly_by_category(facts)
    series = [BarSeries(labels.get(c.category, c.category), c.values, c.category) for c in spend.categories]
    return monthly_spend_figure(months=spend.months, series=series, colours=category_colours(list(labels)),
                                lang=lang)


def curve(facts: ProgramFacts, lang: str) -> tuple[go.Figure, str]:
    """The cumulative curve continued by the forecast band, and the caption saying how the band is drawn."""
    points = cumulative_curve(facts)
    band = forecast_band(facts)
    actual = [(facts.start, ZERO)]
    actual += [(min(p.day, facts.as_of), p.actual) for p in points if p.actual is not None]
    planned = [(facts.start, ZERO)] + [(p.day, p.planned) for p in points]
    figure = forecast_figure(
        actual=actual, planned=planned,
        low=[(p.day, p.low) for p in band.points], central=[(p.day, p.central) for p in band.points],
        high=[(p.day, p.high) for p in band.points],
        required=[(p.day, p.required) for p in band.points if p.required is not None],
        as_of=facts.as_of, lang=lang, budget_total=facts.budget_total,
    )
    outlook = forecast(facts)
    caption = t("burn.curve_caption", lang, window=facts.burn_window_months,
                low=_money(band.low_rate, lang), high=_money(band.high_rate, lang),
                burn=_money(band.burn_rate, lang), required=_money(band.required_rate, lang),
                variance=_money(outlook.variance, lang), actual=_money(outlook.spent, lang),
                planned=_money(outlook.planned, lang), as_of=format_date(facts.as_of, lang))
    return figure, caption


def fiscal_years(facts: ProgramFacts, lang: str) -> tuple[go.Figure, Table, tuple[Note, ...]]:
    """Each fiscal year: budget, spent, projected at its end, the gap to its budget, its status word."""
    years = fiscal_year_status(facts)
    figure = fiscal_years_figure(labels=[y.label for y in years], budget=[y.budget for y in years],
                                 spent=[y.spent for y in years], projected=[y.projected for y in years],
                                 lang=lang)
    cols = [t(f"burn.fy.col.{key}", lang) for key in (
        "label", "phase", "budget", "spent", "share", "projected", "gap", "ineligible", "status")]
    rows, notes = [], []
    for y in years:
        phase = t(f"burn.fy.phase.{y.phase}", lang)
        if y.closed:
            phase = t("burn.fy.phase.closed", lang, phase=phase)
        rows.append(dict(zip(cols, (
            y.label, phase, _money(y.budget, lang), _money(y.spent, lang),
            format_percent(share(y.spent, y.budget), lang), _money(y.projected, lang),
            signed_money(y.gap, lang), _money(y.ineligible, lang), status_cell(y.level, y.word(lang)),
        ), strict=True)))
        notes.append(Note(y.level, y.word(lang), y.message(lang)))
        if y.restated:
            notes.append(Note("watch", t("funding.restated_title", lang, label=y.label), y.restatement(lang)))
    return figure, make_table(rows, cols, cols[2:8], cols[8:]), tuple(notes)


def budget_lines(facts: ProgramFacts, labels: dict[str, str], lang: str) -> Table:
    """Each budget line: in force, spent, open commitments, available, % used, its status word."""
    cols = [t(f"burn.lines.col.{key}", lang) for key in (
        "label", "category", "original", "budget", "spent", "commitments", "available", "share", "status")]
    rows = [dict(zip(cols, (
        line.fiscal_year, labels.get(line.category, line.category), _money(line.budget_original, lang),
        _money(line.budget, lang), _money(line.spent, lang), _money(line.open_commitments, lang),
        signed_money(line.available, lang), format_percent(line.used_share, lang),
        status_cell(line.level, line.word(lang)),
    ), strict=True)) for line in budget_line_positions(facts)]
    return make_table(rows, cols, cols[2:8], cols[8:])


def build_burn_rate(session: Session, *, program_code: str | None, as_of: date, lang: str) -> BurnRateView:
    lang = normalise_lang(lang)
    program = get_program(session, program_code)
    facts = load_facts(session, program_id=program.id, as_of=as_of)
    labels = category_labels(session)
    names = {c.code: c.label(lang) for c in labels}
    outlook = forecast(facts)
    curve_figure, curve_caption = curve(facts, lang)
    years_figure, years_table, years_notes = fiscal_years(facts, lang)
    as_of_text = format_date(facts.as_of, lang)
    return BurnRateView(
        title=t("burn.title", lang),
        purpose=t("burn.purpose", lang),
        period=period_line(facts, lang),
        kpis=kpis(facts, lang),
        monthly_title=t("burn.monthly_title", lang),
        monthly_figure=monthly_figure(facts, names, lang),
        monthly_caption=t("burn.monthly_caption", lang, first=format_month(facts.start, lang),
                          last=format_month(facts.as_of, lang),
                          ineligible=format_money(outlook.ineligible, lang, decimals=False)),
        drill=drill_choices(facts, labels, lang, key="burn.drill", intro=t("burn.drill_intro", lang),
                            default_period=f"month:{facts.as_of.replace(day=1).isoformat()}"),
        curve_title=t("burn.curve_title", lang),
        curve_figure=curve_figure,
        curve_caption=curve_caption,
        years_title=t("burn.years_title", lang),
        years_figure=years_figure,
        years_table=years_table,
        years_notes=years_notes,
        lines_title=t("burn.lines.title", lang),
        lines_caption=t("burn.lines.caption", lang,
                        tolerance=format_percent(facts.budget_transfer_tolerance, lang)),
        lines_table=budget_lines(facts, names, lang),
        what_if=WhatIfForm(
            title=t("burn.what_if.title", lang),
            intro=t("burn.what_if.intro", lang, as_of=as_of_text),
            label=t("burn.what_if.label", lang, as_of=as_of_text),
            help=t("burn.what_if.help", lang, burn=_money(outlook.burn_rate, lang),
                   required=_money(outlook.required_burn, lang)),
            default=float(outlook.burn_rate),
            step=float(WHAT_IF_STEP),
        ),
        exchange_note=exchange_sentence(exchange_summary(session, program_id=facts.program_id,
                                                         as_of=facts.as_of), lang),
    )


@dataclass(frozen=True)
class WhatIfView:
    kpis: tuple[Kpi, ...]
    sentence: str


def build_what_if(facts: ProgramFacts, monthly: Decimal, lang: str) -> WhatIfView:
    """The projection if the program spent `monthly` a month from the as-of on (metrics.burn.what_if)."""
    lang = normalise_lang(lang)
    outcome = what_if(facts, monthly)
    end = format_date(facts.end, lang)
    if outcome.projected_unspent >= 0:
        gap_label, gap = t("burn.what_if.unspent", lang), outcome.projected_unspent
    else:
        gap_label, gap = t("burn.what_if.overrun", lang), -outcome.projected_unspent
    exhaustion = (format_date(outcome.exhaustion, lang) if outcome.exhaustion
                  else t("burn.kpi.no_exhaustion", lang))
    key = "burn.what_if.sentence_" + (
        "none" if outcome.exhaustion is None else "before" if outcome.exhausted_before_end else "after")
    return WhatIfView(
        kpis=(
            Kpi(t("burn.what_if.projected", lang), _money(outcome.projected_total, lang),
                   t("burn.what_if.projected_note", lang,
                     share=format_percent(share(outcome.projected_total, facts.budget_total), lang))),
            Kpi(gap_label, _money(gap, lang), t("burn.what_if.gap_note", lang, end=end)),
            Kpi(t("burn.what_if.exhaustion", lang), exhaustion,
                   t("burn.kpi.exhaustion_before", lang) if outcome.exhausted_before_end
                   else t("burn.kpi.exhaustion_note", lang, end=end)),
        ),
        sentence=t(key, lang, monthly=_money(outcome.monthly, lang),
                   as_of=format_date(facts.as_of, lang, long=True),
                   end=format_date(facts.end, lang, long=True),
                   projected=_money(outcome.projected_total, lang), gap=_money(gap, lang),
                   exhaustion=format_date(outcome.exhaustion, lang, long=True)),
    )


def monthly_amount(typed: int | float) -> Decimal:
    """A monthly spend as typed (the field holds dollars and cents) to the cent, half up."""
    return Decimal(str(typed)).quantize(CENT, rounding=ROUND_HALF_UP)
