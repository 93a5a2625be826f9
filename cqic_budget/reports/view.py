"""The funder report's figure sheets, laid out once (`report_view`): the workbook writes them, report_pdf
prints them. Every figure comes from the metric functions (the same as `summary --json`); this module only
lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from cqic_budget.auth import can, require
from cqic_budget.budget import amendment_list, in_kind_list
from cqic_budget.currency import exchange_sentence, exchange_summary
from cqic_budget.i18n import format_date, format_money, format_number, format_percent, normalise_lang, t
from cqic_budget.merchants import SECTORS, SIZE_BANDS
from cqic_budget.metrics.cofinancing import (
    admin_base,
    admin_share,
    admin_spent,
    claimable_now,
    funder_positions,
    partner_match,
    public_aid_received,
    public_aid_share,
    quebec_entitlement,
    quebec_received,
    quebec_share,
)
from cqic_budget.metrics.facts import ZERO, ProgramFacts, eligible_spent, load_facts
from cqic_budget.metrics.impact import (
    DIMENSIONS,
    OTHER_GROUPS,
    impact,
    load_impact_facts,
    merchants_supported,
    merge_small_groups,
    split_impact,
)
from cqic_budget.metrics.milestones import milestone_status
from cqic_budget.metrics.summary import Summary, share_text, summarise
from cqic_budget.money import from_cents, round_cents, share
from cqic_budget.periods import fiscal_years_between
from cqic_budget.queries import category_labels
from cqic_budget.reports.kinds import (
    DATE,
    INTEGER,
    LONG_TEXT,
    MONEY,
    MONTHS,
    NUMBER,
    PERCENT,
    TEXT,
    _Row,
    _Sheet,
)
from cqic_budget.setup import get_program

# The figures of the summary sheet, in order: (key, label key, kind). The key is a `summary --json` key
# (the figure is written exactly as it prints there) or, beside them, another field of Summary or the target.
SUMMARY_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("budget_total", "metrics.summary.budget_total", MONEY),
    ("spent", "metrics.summary.spent", MONEY),
    ("ineligible", "metrics.summary.ineligible", MONEY),
    ("remaining", "metrics.summary.remaining", MONEY),
    ("burn_rate_monthly", "metrics.summary.burn_rate", MONEY),
    ("projected_total", "metrics.summary.projected_total", MONEY),
    ("projected_exhaustion", "metrics.summary.projected_exhaustion", DATE),
    ("quebec_rate", "metrics.summary.quebec_rate", PERCENT),
    ("quebec_received", "metrics.summary.quebec_received", MONEY),
    ("quebec_share", "metrics.summary.quebec_share", PERCENT),
    ("quebec_entitlement", "metrics.summary.quebec_entitlement", MONEY),
    ("quebec_claimable", "metrics.summary.quebec_claimable", MONEY),
    ("partner_required", "metrics.summary.partner_required", MONEY),
    ("partner_received", "metrics.summary.partner_received", MONEY),
    ("partner_received_cash", "reports.figure.partner_received_cash", MONEY),
    ("partner_received_in_kind", "reports.figure.partner_received_in_kind", MONEY),
    ("public_aid_share", "metrics.summary.public_aid_share", PERCENT),
    ("stacking_cap", "metrics.summary.stacking_cap", PERCENT),
    ("admin_share", "metrics.summary.admin_share", PERCENT),
    ("admin_cap", "reports.figure.admin_cap", PERCENT),
    ("merchants_supported", "metrics.summary.merchants_supported", INTEGER),
    ("merchants_target", "reports.figure.merchants_target", INTEGER),
    ("cost_per_merchant", "metrics.summary.cost_per_merchant", MONEY),
)
# Figures of `summary --json` that are shares (written rounded to four places as there).
_SHARES = {"quebec_share", "public_aid_share", "admin_share"}


# --- The report's sheets ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    lang: str
    facts: ProgramFacts
    summary: Summary
    program_name: str
    subtitle: str
    categories: dict[str, tuple[str, int]]  # code -> (label in the language, sort order)


def _scope_label(ctx: _Context, scope: str) -> str:
    if scope == "cumulative":
        return t("reports.scope.cumulative", ctx.lang, date=format_date(ctx.facts.as_of, ctx.lang))
    return t("reports.scope.year_end", ctx.lang, label=scope)


def _summary_value(summary: Summary, key: str) -> Any:
    value = getattr(summary, key)
    if key in _SHARES:
        # Rounded to four places, exactly as `summary --json` prints it.
        return None if value is None else Decimal(share_text(value))
    return value


def _summary_sheet(ctx: _Context) -> _Sheet:
    lang, s, f = ctx.lang, ctx.summary, ctx.summary.forecast
    sheet = _Sheet(t("reports.sheet.summary", lang), lang)
    sheet.title(ctx.program_name, ctx.subtitle)
    sheet.header([t("reports.col.figure", lang), t("reports.col.value", lang)])
    period = f"{format_date(ctx.facts.start, lang)} → {format_date(ctx.facts.end, lang)}"
    sheet.row([(t("reports.figure.program", lang), TEXT), (s.program_code, TEXT)])
    sheet.row([(t("reports.figure.period", lang), TEXT), (period, TEXT)])
    sheet.row([(t("reports.figure.as_of", lang), TEXT), (s.as_of, DATE)])
    for key, label, kind in SUMMARY_FIGURES:
        value = ctx.facts.target_merchants_supported if key == "merchants_target" else _summary_value(s, key)
        sheet.row([(t(label, lang), TEXT), (value, kind)])

    sheet.section(t("reports.title.forecast", lang))
    for label, value, kind in (
        ("reports.figure.spent_share", f.spent_share, PERCENT),
        ("reports.figure.time_elapsed", f.time_elapsed_share, PERCENT),
        ("reports.figure.planned", round_cents(f.planned), MONEY),
        ("reports.figure.variance", round_cents(f.variance), MONEY),
        ("reports.figure.months_left", f.months_left, MONTHS),
        ("reports.figure.required_burn", None if f.required_burn is None else round_cents(f.required_burn),
         MONEY),
        ("reports.figure.projected_unspent", round_cents(f.projected_unspent), MONEY),
    ):
        sheet.row([(t(label, lang), TEXT), (value, kind)])

    sheet.section(t("reports.title.checks", lang))
    sheet.header([t("reports.col.scope", lang), t("reports.col.check", lang), t("reports.col.status", lang),
                  t("reports.col.message", lang)])
    for check in s.checks:
        sheet.row([(_scope_label(ctx, check.scope), TEXT),
                   (t(f"metrics.check_name.{check.code}", lang), TEXT),
                   (t(f"status.{check.status}", lang), TEXT), (check.message(lang), LONG_TEXT)])
    return sheet


def _category_label(ctx: _Context, code: str) -> str:
    return ctx.categories.get(code, (code, 999))[0]


def _spending_sheet(ctx: _Context) -> _Sheet:
    lang = ctx.lang
    sheet = _Sheet(t("reports.sheet.spending", lang), lang)
    sheet.title(ctx.program_name, ctx.subtitle)
    sheet.header([t("reports.col.fiscal_year", lang), t("reports.col.category", lang),
                  t("reports.col.budget_original", lang), t("reports.col.budget", lang),
                  t("reports.col.spent", lang), t("reports.col.open_commitments", lang),
                  t("reports.col.available", lang), t("reports.col.spent_share", lang),
                  t("reports.col.status", lang)])
    lines = ctx.summary.budget_lines
    for status in ctx.summary.fiscal_years:
        in_year = sorted((line for line in lines if line.fiscal_year == status.label),
                         key=lambda line: (ctx.categories.get(line.category, ("", 999))[1], line.category))
        for line in in_year:
            sheet.row([(line.fiscal_year, TEXT), (_category_label(ctx, line.category), TEXT),
                       (line.budget_original, MONEY), (line.budget, MONEY), (line.spent, MONEY),
                       (line.open_commitments, MONEY), (line.available, MONEY), (line.used_share, PERCENT),
                       (line.word(lang), TEXT)])
        sheet.row([(status.label, TEXT), (t("reports.col.total", lang), TEXT),
                   (sum((line.budget_original for line in in_year), ZERO), MONEY), (status.budget, MONEY),
                   (status.spent, MONEY), (sum((line.open_commitments for line in in_year), ZERO), MONEY),
                   (sum((line.available for line in in_year), ZERO), MONEY),
                   (share(status.spent, status.budget), PERCENT), (status.word(lang), TEXT)], total=True)

    sheet.section(t("reports.title.fiscal_years", lang))
    sheet.header([t(f"reports.col.{key}", lang) for key in (
        "fiscal_year", "phase", "budget", "spent", "ineligible", "projected", "unspent", "lapse_risk",
        "overrun", "status", "message")])
    for fy in ctx.summary.fiscal_years:
        phase = t(f"reports.phase.{fy.phase}", lang)
        if fy.closed:
            phase = t("reports.phase.closed", lang, phase=phase)
        sheet.row([(fy.label, TEXT), (phase, TEXT), (fy.budget, MONEY),
                   (fy.spent, MONEY), (fy.ineligible, MONEY), (round_cents(fy.projected), MONEY),
                   (round_cents(fy.unspent), MONEY), (round_cents(fy.lapse_risk), MONEY),
                   (round_cents(fy.overrun), MONEY), (fy.word(lang), TEXT),
                   (fy.message(lang) + (" " + fy.restatement(lang) if fy.restated else ""), LONG_TEXT)])
    return sheet


def _budget_lines_sheet(ctx: _Context, session: Session) -> _Sheet:
    """What changes the budget lines of the spending sheet (SPEC §10): the amendments, the in-kind
    contributions with their valuation, and the exchange gain or loss on foreign-currency expenses."""
    lang, facts = ctx.lang, ctx.facts
    sheet = _Sheet(t("reports.sheet.budget_lines", lang), lang)
    sheet.title(ctx.program_name, ctx.subtitle)
    sheet.note(t("budget_lines.caption", lang))
    fx = exchange_summary(session, program_id=facts.program_id, as_of=facts.as_of)
    exchange = exchange_sentence(fx, lang)
    if exchange:
        sheet.note(exchange)
    amendments = amendment_list(session, program_id=facts.program_id, as_of=facts.as_of)
    if amendments:
        sheet.section(t("amendments.title", lang))
        for amendment in amendments:
            sheet.row([(amendment.effective_date.isoformat(), TEXT), (amendment.reference, TEXT),
                       (amendment.approved_by, TEXT), (amendment.describe(lang, ctx.categories), LONG_TEXT)])
    gifts = in_kind_list(session, program_id=facts.program_id, as_of=facts.as_of)
    if gifts:
        sheet.section(t("in_kind.title", lang))
        columns = ("funder", "date", "value", "category", "basis", "proof")
        sheet.header([t(f"in_kind.col.{key}", lang) for key in columns])
        for gift in gifts:
            sheet.row([(gift.funder, TEXT), (gift.date.isoformat(), TEXT), (from_cents(gift.value), MONEY),
                       (_category_label(ctx, gift.category) if gift.category else "—", TEXT),
                       (gift.basis, LONG_TEXT), (gift.proof, TEXT)])
    return sheet


def _share_rows(ctx: _Context) -> tuple[list[str], list[list[tuple[Any, str]]]]:
    """The co-financing figures, one column per scope: cumulative to the as-of, then each closed year end."""
    facts, lang = ctx.facts, ctx.lang
    scopes = [("cumulative", facts.as_of)] + [
        (fy.label, fy.end) for fy in fiscal_years_between(facts.start, facts.end) if fy.end <= facts.as_of
    ]
    holdback = format_percent(facts.holdback_rate, lang, digits=0)

    def rounded_share(value: Decimal | None) -> Decimal | None:
        return None if value is None else Decimal(share_text(value))

    figures: list[tuple[str, str, Any]] = [
        ("reports.share.spent", MONEY, lambda d: eligible_spent(facts, d)),
        ("reports.share.quebec_received", MONEY, lambda d: quebec_received(facts, d)),
        ("reports.share.quebec_share", PERCENT, lambda d: rounded_share(quebec_share(facts, d))),
        ("reports.share.quebec_rate", PERCENT, lambda d: facts.quebec_rate),
        ("reports.share.quebec_entitlement", MONEY, lambda d: quebec_entitlement(facts, d)),
        ("reports.share.claimable", MONEY, lambda d: claimable_now(facts, d)),
        ("reports.share.partner_required", MONEY, lambda d: partner_match(facts, d).required),
        ("reports.share.partner_cash", MONEY, lambda d: partner_match(facts, d).received_cash),
        ("reports.share.partner_in_kind", MONEY, lambda d: partner_match(facts, d).received_in_kind),
        ("reports.share.partner_received", MONEY, lambda d: partner_match(facts, d).received),
        ("reports.share.partner_shortfall", MONEY, lambda d: partner_match(facts, d).shortfall),
        ("reports.share.public_aid", MONEY, lambda d: public_aid_received(facts, d)),
        ("reports.share.public_aid_share", PERCENT, lambda d: rounded_share(public_aid_share(facts, d))),
        ("reports.share.stacking_cap", PERCENT, lambda d: facts.stacking_cap),
        ("reports.share.admin_spent", MONEY, lambda d: admin_spent(facts, d)),
        ("reports.share.admin_base", MONEY, lambda d: admin_base(facts, d)),
        ("reports.share.admin_share", PERCENT, lambda d: rounded_share(admin_share(facts, d))),
        ("reports.share.admin_cap", PERCENT, lambda d: facts.admin_cap),
    ]
    header = [t("reports.col.figure", lang)] + [_scope_label(ctx, scope) for scope, _ in scopes]
    rows = []
    for label, kind, compute in figures:
        values = [compute(day) for _, day in scopes]
        if kind == MONEY:
            values = [round_cents(v) for v in values]
        rows.append([(t(label, lang, holdback=holdback), TEXT)] + [(v, kind) for v in values])
    return header, rows


def _cofinancing_sheet(ctx: _Context) -> _Sheet:
    lang = ctx.lang
    sheet = _Sheet(t("reports.sheet.cofinancing", lang), lang)
    sheet.title(ctx.program_name, ctx.subtitle)
    sheet.section(t("reports.title.funders", lang))
    sheet.header([t(f"reports.col.{key}", lang) for key in (
        "funder", "kind", "public_aid", "in_kind", "committed", "received_cash", "received_in_kind",
        "received", "due", "received_share")])
    for p in funder_positions(ctx.facts):
        sheet.row([(p.name, TEXT), (t(f"reports.funder_kind.{p.kind}", lang), TEXT), (p.is_public_aid, TEXT),
                   (p.in_kind, TEXT), (p.committed, MONEY), (p.received_cash, MONEY),
                   (p.received_in_kind, MONEY), (p.received, MONEY), (p.due, MONEY),
                   (p.received_share, PERCENT)])

    sheet.section(t("reports.title.shares", lang))
    header, rows = _share_rows(ctx)
    sheet.header(header)
    for row in rows:
        sheet.row(row)
    sheet.note(t("reports.entitlement_rounding", lang))

    sheet.section(t("reports.title.receipts", lang))
    sheet.header([t(f"reports.col.{key}", lang) for key in (
        "fiscal_year", "quebec_received", "partner_cash", "partner_in_kind", "partner_received")])
    for fy in ctx.summary.fiscal_years:
        sheet.row([(fy.label, TEXT), (fy.quebec_received, MONEY), (fy.partner_received_cash, MONEY),
                   (fy.partner_received_in_kind, MONEY), (fy.partner_received, MONEY)])
    return sheet


def _milestones_sheet(ctx: _Context) -> _Sheet:
    lang, facts = ctx.lang, ctx.facts
    sheet = _Sheet(t("reports.sheet.milestones", lang), lang)
    sheet.title(ctx.program_name, ctx.subtitle)
    sheet.header([t(f"reports.col.{key}", lang) for key in (
        "milestone", "due_date", "measured_at", "planned", "actual", "gap", "progress", "status",
        "achieved_date", "days_late", "payment_funder", "payment_expected", "payment_received",
        "payment_date", "payment_status")])
    for m in milestone_status(facts):
        funder = facts.funder(m.payment_funder_id) if m.payment_funder_id is not None else None
        sheet.row([
            (m.name(lang), TEXT), (m.due_date, DATE), (m.measured_at, DATE), (m.planned, MONEY),
            (m.actual, MONEY), (m.gap, MONEY), (m.progress, PERCENT),
            (t(f"reports.milestone_status.{m.status}", lang), TEXT),
            (m.achieved_date, DATE) if m.achieved_date else ("", TEXT), (m.days_late, INTEGER),
            (funder.name if funder else "", TEXT),
            (m.payment_expected, MONEY) if m.payment_expected is not None else ("", TEXT),
            (m.payment_received, MONEY),
            (m.payment_date, DATE) if m.payment_date else ("", TEXT),
            (t(f"reports.payment_status.{m.payment_status}", lang), TEXT),
        ])
    return sheet


SPLIT_ORDER = {"sector": SECTORS, "size_band": SIZE_BANDS}


def _indicator_kind(unit: str) -> str:
    return {"percent": PERCENT, "cad": MONEY, "bool": PERCENT}.get(unit, NUMBER)


def _dimension_value(lang: str, dimension: str, value: str, min_group: int | None) -> str:
    if value == OTHER_GROUPS:
        return t("privacy.other_groups", lang, size=min_group)
    if dimension in ("sector", "size_band"):
        key = f"reports.{dimension}.{value}"
        try:
            return t(key, lang)
        except KeyError:
            return value
    return value


def _impact_sheet(ctx: _Context, session: Session, *, min_group: int | None) -> _Sheet:
    """Aggregates only: counts, means and costs; never a merchant's name or contact (funders get this).
    With `min_group`, the splits merge the groups of fewer merchants (metrics.impact.merge_small_groups)."""
    lang = ctx.lang
    ifacts = load_impact_facts(session, facts=ctx.facts)
    if min_group is not None:
        ifacts = merge_small_groups(ifacts, min_group)
    whole = impact(ifacts)
    counts = whole.counts
    sheet = _Sheet(t("reports.sheet.impact", lang), lang)
    sheet.title(ctx.program_name, ctx.subtitle)
    sheet.header([t("reports.col.figure", lang), t("reports.col.result", lang), t("reports.col.target", lang),
                  t("reports.col.attainment", lang)])
    for key, value, target in (
        ("reached", counts.reached, counts.target_reached),
        ("supported", counts.supported, counts.target_supported),
        ("completed", counts.completed, counts.target_completed),
    ):
        sheet.row([(t(f"reports.impact.{key}", lang), TEXT), (value, INTEGER), (target, INTEGER),
                   (share(Decimal(value), Decimal(target)), PERCENT)])
    for key, value, kind in (
        ("ecommerce", whole.ecommerce_launched, INTEGER),
        ("jobs", whole.jobs_created, NUMBER),
        ("cost_per_merchant", ctx.summary.cost_per_merchant, MONEY),
        ("direct_spent", round_cents(whole.direct_spent), MONEY),
        ("direct_cost", None if whole.direct_cost_per_merchant is None
         else round_cents(whole.direct_cost_per_merchant), MONEY),
    ):
        sheet.row([(t(f"reports.impact.{key}", lang), TEXT), (value, kind)])
    sheet.note(t("reports.impact_note", lang))

    sheet.section(t("reports.title.indicators", lang))
    sheet.header([t(f"reports.col.{key}", lang) for key in (
        "indicator", "unit", "direction", "target_change", "merchants_measured", "baseline_mean",
        "followup_mean", "mean_change", "median_change", "improved", "share_improved")])
    for ind in whole.indicators:
        kind = _indicator_kind(ind.unit)
        sheet.row([
            (ind.name(lang), TEXT), (t(f"reports.unit.{ind.unit}", lang), TEXT),
            (t(f"reports.direction.{ind.direction}", lang), TEXT), (ind.target, kind),
            (ind.merchants, INTEGER), (ind.baseline_mean, kind), (ind.followup_mean, kind),
            (ind.mean_change, kind), (ind.median_change, kind), (ind.improved, INTEGER),
            (ind.share_improved, PERCENT),
        ])

    for dimension in DIMENSIONS:
        sheet.section(t("reports.title.split", lang, dimension=t(f"reports.dimension.{dimension}", lang)))
        columns = ("reached", "supported", "completed", "direct_spent", "direct_cost")
        sheet.header([t(f"reports.col.dimension.{dimension}", lang)]
                     + [t(f"reports.col.{key}", lang) for key in columns])
        parts = split_impact(ifacts, dimension)
        order = SPLIT_ORDER.get(dimension, ())
        for value in sorted(parts, key=lambda v: (order.index(v) if v in order else len(order), v)):
            part = parts[value]
            c, cost = part.counts, part.direct_cost_per_merchant
            sheet.row([(_dimension_value(lang, dimension, value, min_group), TEXT), (c.reached, INTEGER),
                       (c.supported, INTEGER), (c.completed, INTEGER),
                       (round_cents(part.direct_spent), MONEY),
                       (None if cost is None else round_cents(cost), MONEY)])
    return sheet


def _category_labels(session: Session, lang: str) -> dict[str, tuple[str, int]]:
    return {c.code: (c.label(lang), c.sort_order) for c in category_labels(session)}


def _may_read_personal(session: Session, user: str | None) -> bool:
    """The command line (no user) is the operator; a page passes its reader, who may be a funder."""
    return user is None or can(session, user, "read_personal")


# The sheet plan, for the PDF renderer (report_pdf): rows of (value, kind) with a style.
Sheet, Row = _Sheet, _Row


@dataclass(frozen=True)
class ReportView:
    """The funder report's figure sheets, laid out once: the workbook writes them, report_pdf prints them."""

    lang: str
    program_id: int
    program_code: str
    program_name: str
    subtitle: str
    as_of: date
    sheets: tuple[Sheet, ...]  # summary, spending, co-financing, milestones, impact
    expense_count: int
    expense_note: str  # the expense sheet's note: count, date, eligible total (equal to the summary)
    personal: bool  # whether the reader may see merchants' personal data


def report_view(
    session: Session, *, program_code: str | None, as_of: date | None, lang: str, user: str | None,
) -> ReportView:
    """The report's sheets for `user` (None: the command line's operator), who must hold `reports`."""
    lang = normalise_lang(lang)
    if user is not None:
        require(session, user, "reports")
    program = get_program(session, program_code)
    facts = load_facts(session, program_id=program.id, as_of=as_of)
    supported = merchants_supported(session, program_id=program.id, as_of=facts.as_of)
    summary = summarise(facts, supported=supported)
    name = program.name_en if lang == "en" else program.name_fr
    subtitle = t("reports.subtitle", lang, code=program.code, date=format_date(facts.as_of, lang, long=True))
    ctx = _Context(lang, facts, summary, name, subtitle, _category_labels(session, lang))
    personal = _may_read_personal(session, user)
    sheets = (_summary_sheet(ctx), _spending_sheet(ctx), _budget_lines_sheet(ctx, session),
              _cofinancing_sheet(ctx), _milestones_sheet(ctx),
              _impact_sheet(ctx, session, min_group=None if personal else program.min_group_size))
    count = sum(m.expenses for m in facts.monthly)
    note = t("reports.expenses_note", lang, count=format_number(count, lang),
             date=format_date(facts.as_of, lang), spent=format_money(summary.spent, lang))
    return ReportView(lang, program.id, program.code, name, subtitle, facts.as_of, sheets, count, note,
                      personal)
