"""The Milestones page's content, ready to draw: a timeline of due and achieved dates with the payments
tied to them, planned vs actual cumulative spend at each, and the table of days late and payments
(SPEC §5.4). `build_milestones` is plain; `milestones_view()` is its cached edge.

Built without Streamlit; the cached edges and widgets named here live in cqic_budget/ui/milestones.py."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go
from sqlmodel import Session

from cqic_budget.charts import TimelineItem, milestone_progress_figure, milestone_timeline_figure
from cqic_budget.i18n import format_date, format_money, format_number, format_percent, normalise_lang, t
from cqic_budget.metrics.facts import ProgramFacts, load_facts
from cqic_budget.metrics.milestones import MilestoneStatus, milestone_status, payment_totals
from cqic_budget.queries import category_labels
from cqic_budget.setup import get_program
from cqic_budget.views.common import Kpi
from cqic_budget.views.drilldown import DrillChoices, drill_choices
from cqic_budget.views.overview import signed_money
from cqic_budget.views.tables import Table, make_table, period_line, status_cell

AXIS_LINE = 34  # characters per line of a milestone's name on the chart's axis: the name wraps, never cut
# A milestone's state and a payment's state: (status style, catalogue key).
PAYMENT_STYLE = {"received": "ok", "partial": "watch", "pending": "neutral"}


@dataclass(frozen=True)
class MilestonesView:
    title: str
    purpose: str
    period: str
    empty: str | None  # shown instead of the rest when the program has no milestone
    kpis: tuple[Kpi, ...]
    timeline_title: str
    timeline_figure: go.Figure
    timeline_caption: str
    progress_title: str
    progress_figure: go.Figure
    table_title: str
    table: Table
    drill: DrillChoices


def _money(value, lang: str) -> str:
    return format_money(value, lang, decimals=False)


def state_of(m: MilestoneStatus) -> str:
    """achieved, late (open past its due date) or upcoming."""
    if m.status == "achieved":
        return "achieved"
    return "late" if m.days_late > 0 else "upcoming"


def milestone_label(number: int, name: str) -> str:
    return f"{number}. {name}"


def axis_label(label: str) -> str:
    """A milestone's whole name on the timeline's axis, on as many lines as it needs (Plotly's <br>)."""
    return "<br>".join(textwrap.wrap(label, AXIS_LINE, break_long_words=False)) or label


def state_cell(m: MilestoneStatus, lang: str) -> str:
    """«✓ atteint le 2025-06-27», «⚠ atteint le 2025-11-14» (late), «✗ en retard», «○ à venir»."""
    state = state_of(m)
    style = {"achieved": "ok", "late": "breach", "upcoming": "neutral"}[state]
    if state == "achieved" and m.days_late:
        style = "watch"
    key = "ms.state.achieved_on" if state == "achieved" and m.achieved_date else f"ms.state.{state}"
    return status_cell(style, t(key, lang, date=format_date(m.achieved_date, lang)))


def payment_cell(m: MilestoneStatus, lang: str) -> str:
    """«✓ reçu le 2025-07-17», «⚠ reçu en partie», «○ en attente»; «—» when no payment is tied."""
    if m.payment_status == "none":
        return "—"
    return status_cell(PAYMENT_STYLE[m.payment_status],
                       t(f"ms.payment.{m.payment_status}", lang, date=format_date(m.payment_date, lang)))


def default_drill(periods: list[tuple[str, str]], statuses: list[MilestoneStatus]) -> str:
    """The last milestone due by the as-of (else the first): the spend its payment was claimed on."""
    due = [key for (key, _), m in zip(periods, statuses, strict=True) if m.is_due]
    return due[-1] if due else periods[0][0] if periods else "all"


def kpis(facts: ProgramFacts, statuses: list[MilestoneStatus], lang: str) -> tuple[Kpi, ...]:
    totals = payment_totals(statuses)
    upcoming = [m for m in statuses if m.status != "achieved"]
    open_late = sum(1 for m in upcoming if m.days_late > 0)
    achieved_late = sum(1 for m in statuses if m.status == "achieved" and m.days_late > 0)
    following = next((m for m in upcoming if not m.is_due), None)
    return (
        Kpi(t("ms.kpi.achieved", lang),
               t("ms.kpi.achieved_value", lang, achieved=format_number(totals.achieved, lang),
                 total=format_number(totals.total, lang)),
               t("ms.kpi.late_note", lang, achieved=format_number(achieved_late, lang),
                 open=format_number(open_late, lang))),
        Kpi(t("ms.kpi.next", lang), format_date(following.due_date, lang) if following else "—",
               following.name(lang) if following else t("ms.kpi.no_next", lang),
               t("ms.kpi.next_help", lang, planned=_money(following.planned_at_due, lang))
               if following else None),
        Kpi(t("ms.kpi.payments", lang), _money(totals.received, lang),
               t("ms.kpi.payments_note", lang, expected=_money(totals.expected, lang)),
               t("ms.kpi.payments_help", lang, outstanding=_money(totals.outstanding, lang))),
    )


def milestone_table(statuses: list[MilestoneStatus], lang: str) -> Table:
    cols = [t(f"ms.col.{key}", lang) for key in (
        "name", "due", "state", "days_late", "measured_at", "planned", "actual", "gap", "progress",
        "payment_expected", "payment_received", "payment")]
    rows = [
        dict(zip(cols, (
            f"{number}. {m.name(lang)}", format_date(m.due_date, lang), state_cell(m, lang),
            format_number(m.days_late, lang), format_date(m.measured_at, lang), _money(m.planned, lang),
            _money(m.actual, lang), signed_money(m.gap, lang), format_percent(m.progress, lang),
            _money(m.payment_expected, lang), _money(m.payment_received, lang), payment_cell(m, lang),
        ), strict=True))
        for number, m in enumerate(statuses, start=1)
    ]
    return make_table(rows, cols, [cols[3], *cols[5:11]], [cols[2], cols[11]])


def build_milestones(session: Session, *, program_code: str | None, as_of: date, lang: str) -> MilestonesView:
    lang = normalise_lang(lang)
    program = get_program(session, program_code)
    facts = load_facts(session, program_id=program.id, as_of=as_of)
    statuses = milestone_status(facts)
    labels = [milestone_label(n, m.name(lang)) for n, m in enumerate(statuses, start=1)]
    items = [
        TimelineItem(axis_label(label), m.due_date, m.achieved_date if m.status == "achieved" else None,
                     m.payment_date, m.days_late, state_of(m))
        for label, m in zip(labels, statuses, strict=True)
    ]
    periods = [(f"until:{m.measured_at.isoformat()}",
                t("ms.drill.period", lang, label=label, date=format_date(m.measured_at, lang)))
               for label, m in zip(labels, statuses, strict=True)]
    return MilestonesView(
        title=t("ms.title", lang),
        purpose=t("ms.purpose", lang),
        period=period_line(facts, lang),
        empty=None if statuses else t("ms.empty", lang),
        kpis=kpis(facts, statuses, lang),
        timeline_title=t("ms.timeline_title", lang),
        timeline_figure=milestone_timeline_figure(items=items, as_of=facts.as_of, lang=lang),
        timeline_caption=t("ms.timeline_caption", lang),
        progress_title=t("ms.progress_title", lang),
        progress_figure=milestone_progress_figure(labels=[t("ms.chart.number", lang, number=n)
                                                          for n in range(1, len(statuses) + 1)],
                                                  planned=[m.planned for m in statuses],
                                                  actual=[m.actual for m in statuses], lang=lang,
                                                  drill=[key for key, _ in periods]),
        table_title=t("ms.table_title", lang),
        table=milestone_table(statuses, lang),
        drill=drill_choices(facts, category_labels(session), lang, key="ms.drill",
                            intro=t("ms.drill_intro", lang), periods=periods or None,
                            default_period=default_drill(periods, statuses)),
    )
