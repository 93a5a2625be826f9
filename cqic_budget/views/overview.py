"""The Overview page's content, ready to draw: KPI cards, the cumulative curve and the alerts (SPEC §5.1).

`build_overview` reads the store through the metric functions and formats their values; `overview()`
is its cached edge for the page.

Built without Streamlit; the cached edges and widgets named here live in cqic_budget/ui/overview.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import plotly.graph_objects as go
from sqlmodel import Session

from cqic_budget.charts import MilestoneMark, cumulative_figure
from cqic_budget.i18n import format_date, format_money, format_number, format_percent, normalise_lang, t
from cqic_budget.metrics.budget_lines import budget_line_alert_title, budget_line_message
from cqic_budget.metrics.burn import cumulative_curve
from cqic_budget.metrics.cofinancing import CUMULATIVE
from cqic_budget.metrics.facts import ZERO, ProgramFacts, load_facts
from cqic_budget.metrics.impact import merchants_supported
from cqic_budget.metrics.status import alert_title
from cqic_budget.metrics.summary import Summary, summarise
from cqic_budget.money import share
from cqic_budget.queries import category_labels
from cqic_budget.setup import get_program
from cqic_budget.views import safe
from cqic_budget.views.common import Kpi
from cqic_budget.views.drilldown import DrillChoices, drill_choices

ALERT_ORDER = {"breach": 0, "watch": 1}


@dataclass(frozen=True)
class Alert:
    status: str  # watch or breach
    title: str
    text: str


@dataclass(frozen=True)
class OverviewView:
    title: str
    purpose: str
    period: str
    kpis: tuple[Kpi, ...]
    curve_title: str
    figure: go.Figure
    variance: str
    milestones_title: str
    milestones: tuple[str, ...]
    milestone_colours: str
    alerts_title: str
    alerts: tuple[Alert, ...]
    no_alerts: str
    spent_drill_title: str  # the spent card's drill-down: the rows behind it, everything to the as-of
    drill: DrillChoices


def rate_text(value: Decimal, lang: str) -> str:
    """A setting such as the Québec rate: «50 %», or «47,5 %» when it is not a whole percent."""
    whole = (value * 100) == (value * 100).to_integral_value()
    return format_percent(value, lang, digits=0 if whole else 1)


def signed_money(value: Decimal, lang: str) -> str:
    """A variance: «+5 262 $» above the plan, «-5 262 $» below it."""
    text = format_money(value, lang, decimals=False)
    return f"+{text}" if value > 0 and text != format_money(ZERO, lang, decimals=False) else text


def kpis(facts: ProgramFacts, summary: Summary, lang: str) -> tuple[Kpi, ...]:
    """The seven cards of SPEC §5.1, each value formatted from one metric function's result."""
    outlook = summary.forecast

    def money(value: Decimal | None) -> str:
        return format_money(value, lang, decimals=False)

    if outlook.projected_unspent >= 0:
        projected_note = t("kpi.projected_unspent", lang, amount=money(outlook.projected_unspent))
    else:
        projected_note = t("kpi.projected_overrun", lang, amount=money(abs(outlook.projected_unspent)))
    exhaustion = format_date(outlook.projected_exhaustion, lang) if outlook.projected_exhaustion else t(
        "kpi.no_exhaustion", lang)
    target = facts.target_merchants_supported
    start, end = format_date(facts.start, lang), format_date(facts.end, lang)
    supported_share = share(summary.merchants_supported, target)
    quebec_status = next(
        (c.status for c in summary.checks if c.code == "quebec_share" and c.scope == CUMULATIVE), None)
    return (
        Kpi(t("kpi.budget", lang), money(summary.budget_total),
               t("kpi.budget_note", lang, start=start, end=end),
               t("kpi.budget_help", lang)),
        Kpi(t("kpi.spent", lang), money(summary.spent),
               t("kpi.spent_note", lang, share=format_percent(outlook.spent_share, lang)),
               t("kpi.spent_help", lang, ineligible=money(summary.ineligible))),
        Kpi(t("kpi.time_elapsed", lang), format_percent(outlook.time_elapsed_share, lang),
               t("kpi.time_elapsed_note", lang, end=end)),
        Kpi(t("kpi.burn_rate", lang), money(summary.burn_rate_monthly),
               t("kpi.burn_rate_note", lang, required=money(outlook.required_burn)),
               t("kpi.burn_rate_help", lang, window=facts.burn_window_months)),
        Kpi(t("kpi.projected", lang), money(summary.projected_total), projected_note,
               t("kpi.projected_help", lang, exhaustion=exhaustion)),
        Kpi(t("kpi.quebec_share", lang), format_percent(summary.quebec_share, lang),
               t("kpi.quebec_share_note", lang, rate=rate_text(summary.quebec_rate, lang)),
               t("kpi.quebec_share_help", lang, received=money(summary.quebec_received)),
               status=quebec_status),
        Kpi(t("kpi.merchants", lang),
               t("kpi.merchants_value", lang, supported=format_number(summary.merchants_supported, lang),
                 target=format_number(target, lang)),
               t("kpi.merchants_note", lang, share=format_percent(supported_share, lang)),
               t("kpi.merchants_help", lang, cost=money(summary.cost_per_merchant))),
    )


def curve_figure(facts: ProgramFacts, lang: str) -> go.Figure:
    """Actual (to the as-of date) and planned cumulative spend by month, with the milestones."""
    curve = cumulative_curve(facts)
    actual = [(facts.start, ZERO)]
    actual += [(min(p.day, facts.as_of), p.actual) for p in curve if p.actual is not None]
    planned = [(facts.start, ZERO)] + [(p.day, p.planned) for p in curve]
    marks = [
        MilestoneMark(m.due_date, m.name_en if lang == "en" else m.name_fr, m.planned_cumulative,
                      m.status == "achieved")
        for m in sorted(facts.milestones, key=lambda m: (m.due_date, m.id))
    ]
    return cumulative_figure(actual=actual, planned=planned, milestones=marks, as_of=facts.as_of, lang=lang,
                             budget_total=facts.budget_total)


def milestone_lines(facts: ProgramFacts, lang: str) -> tuple[str, ...]:
    """The chart's numbered milestones spelled out, in the chart's order."""
    ordered = sorted(facts.milestones, key=lambda m: (m.due_date, m.id))
    return tuple(
        t("overview.milestone_line", lang, number=number,
          name=safe.md(m.name_en if lang == "en" else m.name_fr),
          due=format_date(m.due_date, lang), planned=format_money(m.planned_cumulative, lang, decimals=False),
          state=t("chart.milestone_achieved" if m.status == "achieved" else "chart.milestone_planned", lang))
        for number, m in enumerate(ordered, start=1)
    )


def alerts(facts: ProgramFacts, summary: Summary, labels: dict[str, str], lang: str) -> tuple[Alert, ...]:
    """Co-financing checks, fiscal years and budget lines at watch or breach, the worst first.

    A fiscal year's or a budget line's title is the word of its status (metrics.status), the same word
    as on every other page and in the report.
    """
    found = [
        Alert(c.status, t(f"metrics.check_name.{c.code}", lang), c.message(lang))
        for c in summary.checks if c.status in ALERT_ORDER
    ]
    found += [
        Alert(fy.level, alert_title(fy.label, fy.status, lang), fy.message(lang))
        for fy in summary.fiscal_years if fy.level in ALERT_ORDER
    ]
    found += [
        Alert("watch", t("funding.restated_title", lang, label=fy.label), fy.restatement(lang))
        for fy in summary.fiscal_years if fy.restated
    ]
    # Lines: every breach; a line at watch only in the current year (a past year's 95 % is history).
    current = {fy.label for fy in summary.fiscal_years if fy.phase == "current"}
    found += [
        Alert(line.level, budget_line_alert_title(line, labels.get(line.category, line.category), lang),
              budget_line_message(facts, line, labels.get(line.category, line.category), lang))
        for line in summary.budget_lines
        if line.level == "breach" or (line.level == "watch" and line.fiscal_year in current)
    ]
    return tuple(sorted(found, key=lambda a: ALERT_ORDER[a.status]))


def build_overview(session: Session, *, program_code: str | None, as_of: date, lang: str) -> OverviewView:
    lang = normalise_lang(lang)
    program = get_program(session, program_code)
    facts = load_facts(session, program_id=program.id, as_of=as_of)
    supported = merchants_supported(session, program_id=program.id, as_of=facts.as_of)
    summary = summarise(facts, supported=supported)
    outlook = summary.forecast
    as_of_text = format_date(facts.as_of, lang)
    return OverviewView(
        title=t("overview.title", lang),
        purpose=t("overview.purpose", lang),
        period=t("overview.period", lang, name=safe.md(facts.name_en if lang == "en" else facts.name_fr),
                 as_of=as_of_text),
        kpis=kpis(facts, summary, lang),
        curve_title=t("overview.curve", lang),
        figure=curve_figure(facts, lang),
        variance=t("overview.variance", lang, as_of=as_of_text,
                   variance=signed_money(outlook.variance, lang),
                   actual=format_money(outlook.spent, lang, decimals=False),
                   planned=format_money(outlook.planned, lang, decimals=False)),
        milestones_title=t("overview.milestones", lang),
        milestones=milestone_lines(facts, lang),
        milestone_colours=t("overview.milestone_colours", lang),
        alerts_title=t("overview.alerts", lang),
        alerts=alerts(facts, summary, {c.code: c.label(lang) for c in category_labels(session)}, lang),
        no_alerts=t("overview.no_alerts", lang, as_of=as_of_text),
        spent_drill_title=t("overview.spent_drill", lang, label=t("kpi.spent", lang),
                            amount=format_money(summary.spent, lang, decimals=False)),
        drill=drill_choices(facts, category_labels(session), lang, key="overview.drill",
                            intro=t("overview.spent_drill_intro", lang, as_of=as_of_text)),
    )
