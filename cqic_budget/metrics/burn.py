"""Spending pace: burn rate, planned curve, variance, forecast, and each fiscal year's budget vs spent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from cqic_budget.i18n import format_date, format_money, t
from cqic_budget.metrics.facts import (
    ZERO,
    ProgramFacts,
    eligible_spent,
    fiscal_year_budget,
    ineligible_spent,
    monthly_eligible,
    received,
    spent_between,
)
from cqic_budget.metrics.status import fiscal_year_status_code, severity, status_word
from cqic_budget.money import round_cents
from cqic_budget.periods import (
    add_months,
    fiscal_years_between,
    last_full_months,
    month_end,
    month_start,
    months_between,
)


def months_position(start: date, day: date) -> Decimal:
    """Months from start's month to the end of `day`, exact: 2025-04-01 -> 2025-04-15 = 15/30 = 0.5."""
    whole = (day.year - start.year) * 12 + (day.month - start.month)
    return Decimal(whole) + Decimal(day.day) / Decimal(month_end(day).day)


def day_at_position(start: date, position: Decimal) -> date:
    """The inverse of months_position: the day whose end is `position` months after start's month."""
    whole = int(position.to_integral_value(rounding=ROUND_FLOOR))
    fraction = position - whole
    month = add_months(start, whole)
    if fraction == 0:
        return month - timedelta(days=1)
    days = int((fraction * month_end(month).day).to_integral_value(rounding=ROUND_CEILING))
    return month + timedelta(days=days - 1)


def months_left(facts: ProgramFacts, until: date | None = None) -> Decimal:
    """Months from the end of the as-of date to the end of `until` (default: the program end), ≥ 0."""
    until = until or facts.end
    left = months_position(facts.start, until) - months_position(facts.start, facts.as_of)
    return max(left, Decimal(0))


def burn_rate(facts: ProgramFacts) -> Decimal:
    """Mean monthly eligible spend over the last `burn_window` full months before the as-of date.

    The as-of's month counts when the as-of is its last day; only months within the program count
    (in the first month there is no full month yet: 0). Rounded half up to the cent: the pace a reader
    sees and types back into the what-if is the pace every projection uses.
    """
    first, last = month_start(facts.start), month_start(facts.end)
    window = [m for m in last_full_months(facts.as_of, facts.burn_window_months) if first <= m <= last]
    if not window:
        return ZERO
    per_month = monthly_eligible(facts)
    return round_cents(sum((per_month.get(m, ZERO) for m in window), ZERO) / len(window))


def projected_total(facts: ProgramFacts, monthly: Decimal) -> Decimal:
    """Spent + `monthly` × months left: the total at the program's end at a pace (forecast, what-if); never
    below spent + open commitments (signed, they will be spent)."""
    spent = eligible_spent(facts)
    return max(spent + Decimal(monthly) * months_left(facts), spent + facts.open_commitments)


def _milestone_points(facts: ProgramFacts) -> list[tuple[date, Decimal]]:
    points = [(facts.start, ZERO)]
    for m in sorted(facts.milestones, key=lambda m: (m.due_date, m.planned_cumulative)):
        points.append((max(m.due_date, facts.start), m.planned_cumulative))
    return points


def _planned_from_budget(facts: ProgramFacts, day: date) -> Decimal:
    """Budget lines spread evenly over the months of their fiscal year (those within the program)."""
    first, last = month_start(facts.start), month_start(facts.end)
    total = ZERO
    for fy in fiscal_years_between(facts.start, facts.end):
        budget = fiscal_year_budget(facts, fy.label)
        if not budget:
            continue
        months = [m for m in months_between(fy.start, fy.end) if first <= m <= last] or list(
            months_between(fy.start, fy.end)
        )
        per_month = budget / len(months)
        for m in months:
            if month_end(m) <= day:
                total += per_month
            elif m <= day:
                total += per_month * Decimal(day.day) / Decimal(month_end(m).day)
    return total


def planned_cumulative(facts: ProgramFacts, day: date) -> Decimal:
    """Planned cumulative spend at the end of `day` (unrounded).

    With milestones: 0 at the program start, each milestone's planned cumulative at its due date,
    linear by days between them, flat after the last. Without: the budget lines of each fiscal year
    spread evenly over its months (linear by days within a month).
    """
    if day < facts.start:
        return ZERO
    if not facts.milestones:
        return _planned_from_budget(facts, day)
    points = _milestone_points(facts)
    for (d0, v0), (d1, v1) in zip(points, points[1:], strict=False):
        if day <= d1:
            if d1 == d0:
                return v1
            return v0 + (v1 - v0) * Decimal((day - d0).days) / Decimal((d1 - d0).days)
    return points[-1][1]


@dataclass(frozen=True)
class CurvePoint:
    month: date  # first day of the month
    day: date  # the month end (the program end for the last month)
    actual: Decimal | None  # cumulative eligible spend; to the as-of in its month, None after it
    planned: Decimal


def cumulative_curve(facts: ProgramFacts) -> list[CurvePoint]:
    """Actual vs planned cumulative spend, one point per month from the program start to its end."""
    per_month = monthly_eligible(facts)
    before = sum((v for m, v in per_month.items() if m < month_start(facts.start)), ZERO)
    points, running = [], before
    for month in months_between(facts.start, facts.end):
        day = min(month_end(month), facts.end)
        running += per_month.get(month, ZERO)
        actual = running if month <= month_start(facts.as_of) else None
        points.append(CurvePoint(month, day, actual, planned_cumulative(facts, day)))
    return points


@dataclass(frozen=True)
class Forecast:
    as_of: date
    budget: Decimal
    spent: Decimal  # eligible cost to the as-of
    ineligible: Decimal  # shown beside it, never mixed in
    remaining: Decimal  # budget − spent
    burn_rate: Decimal  # per month
    months_left: Decimal
    projected_total: Decimal  # spent + burn × months left, at the program end
    projected_unspent: Decimal  # budget − projected total: money left on the table (< 0: overrun)
    projected_exhaustion: date | None  # as-of + remaining ÷ burn months; None when burn ≤ 0
    required_burn: Decimal | None  # remaining ÷ months left; None when no month is left
    planned: Decimal  # planned cumulative at the as-of
    variance: Decimal  # actual − planned cumulative at the as-of
    time_elapsed_share: Decimal  # share of the program's months gone by
    spent_share: Decimal | None  # spent ÷ budget


def projected_exhaustion(facts: ProgramFacts, remaining: Decimal, burn: Decimal) -> date | None:
    """as-of + remaining ÷ burn months (the as-of itself when nothing remains); None without a burn."""
    if burn <= 0:
        return None
    if remaining <= 0:
        return facts.as_of
    return day_at_position(facts.start, months_position(facts.start, facts.as_of) + remaining / burn)


def forecast(facts: ProgramFacts) -> Forecast:
    spent = eligible_spent(facts)
    burn = burn_rate(facts)
    left = months_left(facts)
    remaining = facts.budget_total - spent
    projected = projected_total(facts, burn)
    planned = planned_cumulative(facts, facts.as_of)
    duration = months_position(facts.start, facts.end)
    return Forecast(
        as_of=facts.as_of,
        budget=facts.budget_total,
        spent=spent,
        ineligible=ineligible_spent(facts),
        remaining=remaining,
        burn_rate=burn,
        months_left=left,
        projected_total=projected,
        projected_unspent=facts.budget_total - projected,
        projected_exhaustion=projected_exhaustion(facts, remaining, burn),
        required_burn=remaining / left if left > 0 else None,
        planned=planned,
        variance=spent - planned,
        time_elapsed_share=months_position(facts.start, facts.as_of) / duration if duration else Decimal(1),
        spent_share=spent / facts.budget_total if facts.budget_total else None,
    )


@dataclass(frozen=True)
class FiscalYearStatus:
    label: str
    start: date
    end: date
    phase: str  # past, current, future (relative to the as-of)
    budget: Decimal
    spent: Decimal  # eligible, within the year, to the as-of
    ineligible: Decimal
    quebec_received: Decimal
    partner_received: Decimal  # cash + in kind
    partner_received_cash: Decimal
    partner_received_in_kind: Decimal
    projected: Decimal  # past: spent; current: spent + burn × months left in the year; future: burn × months
    unspent: Decimal  # past years: budget − spent (≥ 0)
    lapse_risk: Decimal  # current and future years: budget − projected (≥ 0)
    overrun: Decimal  # past year: spent − budget; current and future years: projected − budget (≥ 0)
    status: str  # metrics.status: within_budget, unspent, overspent, on_pace, lapse_risk, overrun_risk
    message_fr: str
    message_en: str
    closed: bool = False  # the year's statement is closed (SPEC §9)
    as_closed: Decimal | None = None  # reopened: the eligible spend of the statement as closed

    @property
    def restated(self) -> bool:
        """Reopened and no longer what was closed: pages and reports show "as closed" beside "now"."""
        return self.as_closed is not None and self.as_closed != self.spent

    def restatement(self, lang: str) -> str:
        return t("funding.restated", lang, label=self.label, closed=format_money(self.as_closed, lang),
                 now=format_money(self.spent, lang),
                 difference=format_money(self.spent - (self.as_closed or ZERO), lang))

    @property
    def level(self) -> str:
        """ok, watch or breach: how serious the status is (metrics.status.severity)."""
        return severity(self.status)

    @property
    def gap(self) -> Decimal:
        """Projected (past: spent) − budget: above zero an overrun, below zero money left."""
        return self.projected - self.budget

    def word(self, lang: str) -> str:
        return status_word(self.status, lang)

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_fr


def _fy_message(key: str, lang: str, **figures: object) -> str:
    params = {
        k: (format_money(v, lang) if isinstance(v, Decimal) else format_date(v, lang, long=True)
            if isinstance(v, date) else v)
        for k, v in figures.items()
    }
    return t(key, lang, **params)


MESSAGE_PHASE = {"past": "past", "current": "current", "future": "ahead"}


def fiscal_year_status(facts: ProgramFacts) -> list[FiscalYearStatus]:
    """Each fiscal year of the program: budget vs spent (past) or projected (current, future), its status.

    The status comes from metrics.status.fiscal_year_status_code, the one function every page, alert and
    report uses; the sentence says the same thing with the figures.
    """
    burn = burn_rate(facts)
    result = []
    for fy in fiscal_years_between(facts.start, facts.end):
        first, last = max(fy.start, facts.start), min(fy.end, facts.end)
        budget = fiscal_year_budget(facts, fy.label)
        in_year = dict(first=first, day=min(last, facts.as_of))
        cash = received(facts, **in_year, quebec=False, in_kind=False)
        in_kind = received(facts, **in_year, quebec=False, in_kind=True)
        if last <= facts.as_of:
            phase = "past"
        elif first <= facts.as_of:
            phase = "current"
        else:
            phase = "future"
        # Spend and receipts within the year, to the as-of (nothing yet for a future year).
        spent = spent_between(facts, first, min(last, facts.as_of)) if phase != "future" else ZERO
        ineligible = (spent_between(facts, first, min(last, facts.as_of), eligible=False)
                      if phase != "future" else ZERO)
        if phase == "past":
            projected = spent
        elif phase == "current":
            projected = spent + burn * months_left(facts, last)
        else:
            day_before = first - timedelta(days=1)
            projected = burn * (months_position(facts.start, last) - months_position(facts.start, day_before))
        unspent = max(budget - spent, ZERO) if phase == "past" else ZERO
        lapse = max(budget - projected, ZERO) if phase != "past" else ZERO
        overrun = max(projected - budget, ZERO)
        status = fiscal_year_status_code(phase=phase, budget=budget, spent=spent, projected=projected)
        key = f"metrics.fy.{MESSAGE_PHASE[phase]}.{status}"
        figures = dict(label=fy.label, budget=budget, spent=spent, unspent=unspent, projected=projected,
                       lapse=lapse, overrun=overrun, burn=burn, end=last)
        result.append(FiscalYearStatus(
            label=fy.label, start=first, end=last, phase=phase, budget=budget, spent=spent,
            ineligible=ineligible,
            quebec_received=received(facts, **in_year, quebec=True),
            partner_received=cash + in_kind, partner_received_cash=cash, partner_received_in_kind=in_kind,
            projected=projected, unspent=unspent, lapse_risk=lapse, overrun=overrun, status=status,
            message_fr=_fy_message(key, "fr", **figures), message_en=_fy_message(key, "en", **figures),
            closed=fy.label in facts.closed_years, as_closed=dict(facts.as_closed).get(fy.label),
        ))
    return result


# --- Burn rate page: the window behind the burn, spend by month and category, forecast band, what-if --


def burn_window(facts: ProgramFacts) -> list[tuple[date, Decimal]]:
    """The months burn_rate averages (first day, eligible spend), oldest first; empty when none."""
    first, last = month_start(facts.start), month_start(facts.end)
    per_month = monthly_eligible(facts)
    return [
        (m, per_month.get(m, ZERO))
        for m in last_full_months(facts.as_of, facts.burn_window_months) if first <= m <= last
    ]


@dataclass(frozen=True)
class CategoryMonths:
    """One category's eligible spend in each month of `MonthlyByCategory.months` (0 when none)."""

    category: str  # category code
    values: tuple[Decimal, ...]
    total: Decimal


@dataclass(frozen=True)
class MonthlyByCategory:
    months: tuple[date, ...]  # first days, from the program start to the as-of's month
    categories: tuple[CategoryMonths, ...]  # largest total first

    def month_total(self, month: date) -> Decimal:
        at = self.months.index(month)
        return sum((c.values[at] for c in self.categories), ZERO)


def monthly_by_category(facts: ProgramFacts) -> MonthlyByCategory:
    """Eligible spend of each category in each month of the program up to the as-of (stacked bars)."""
    months = tuple(months_between(facts.start, facts.as_of))
    spend: dict[str, dict[date, Decimal]] = {}
    for m in facts.monthly:
        if months and months[0] <= m.month <= months[-1]:
            per = spend.setdefault(m.category, {})
            per[m.month] = per.get(m.month, ZERO) + m.eligible
    series = [
        CategoryMonths(code, tuple(per.get(month, ZERO) for month in months), sum(per.values(), ZERO))
        for code, per in spend.items()
    ]
    series.sort(key=lambda s: (-s.total, s.category))
    return MonthlyByCategory(months, tuple(series))


@dataclass(frozen=True)
class BandPoint:
    """Projected cumulative spend at `day` if every month from the as-of on spends like the lowest,
    the mean (the burn rate) or the highest month of the burn window, or at the required burn."""

    day: date
    low: Decimal
    central: Decimal
    high: Decimal
    required: Decimal | None  # None when no month is left


@dataclass(frozen=True)
class ForecastBand:
    """The projections from the as-of on: the monthly rates they assume and their points."""

    low_rate: Decimal  # the lowest month of the burn window
    burn_rate: Decimal  # the mean of the window (burn_rate)
    high_rate: Decimal  # the highest month of the window
    required_rate: Decimal | None  # remaining ÷ months left; None when no month is left
    points: tuple[BandPoint, ...]


def forecast_band(facts: ProgramFacts) -> ForecastBand:
    """From the as-of to the program end, one point at the as-of and at each later month end.

    The band is spent + (lowest month of the window) × months left to the point, up to
    spent + (highest month) × months; the central line is the burn rate, as in `forecast`.
    """
    window = [v for _, v in burn_window(facts)]
    low, high = (min(window), max(window)) if window else (ZERO, ZERO)
    burn = burn_rate(facts)
    spent = eligible_spent(facts)
    left = months_left(facts)
    required = (facts.budget_total - spent) / left if left > 0 else None
    later = (min(month_end(m), facts.end) for m in months_between(facts.as_of, facts.end))
    days = [facts.as_of] + [day for day in later if day > facts.as_of]
    points = []
    for day in days:
        months = months_left(facts, day)
        points.append(BandPoint(
            day, spent + low * months, spent + burn * months, spent + high * months,
            None if required is None else spent + required * months,
        ))
    return ForecastBand(low, burn, high, required, tuple(points))


@dataclass(frozen=True)
class WhatIf:
    monthly: Decimal  # the monthly eligible spend supposed from the as-of on
    spent: Decimal
    months_left: Decimal
    projected_total: Decimal  # spent + monthly × months left
    projected_unspent: Decimal  # budget − projected total (< 0: overrun)
    exhaustion: date | None  # as-of + remaining ÷ monthly; None when monthly ≤ 0
    exhausted_before_end: bool  # the budget runs out before the program ends


def what_if(facts: ProgramFacts, monthly: Decimal) -> WhatIf:
    """If the program spent `monthly` a month from the as-of on: total at the end, unspent, exhaustion."""
    monthly = Decimal(monthly)
    spent = eligible_spent(facts)
    left = months_left(facts)
    projected = projected_total(facts, monthly)
    exhaustion = projected_exhaustion(facts, facts.budget_total - spent, monthly)
    return WhatIf(
        monthly=monthly, spent=spent, months_left=left, projected_total=projected,
        projected_unspent=facts.budget_total - projected, exhaustion=exhaustion,
        exhausted_before_end=exhaustion is not None and exhaustion < facts.end,
    )
