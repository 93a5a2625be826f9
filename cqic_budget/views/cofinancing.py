"""The Co-financing page's content, ready to draw: shares against their caps, each funder's committed /
received / due, the claim on Québec step by step, and every check of SPEC §3 cumulative and at each
fiscal-year end (SPEC §5.3). `build_cofinancing` is plain; `cofinancing_view()` is its cached edge.

Built without Streamlit; the cached edges and widgets named here live in cqic_budget/ui/cofinancing.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import plotly.graph_objects as go
from sqlmodel import Session

from cqic_budget.charts import funders_figure
from cqic_budget.claims import PAYMENT_TERM_DAYS, LedgerLine, NextClaim, claim_lines_text, ledger, next_claim
from cqic_budget.i18n import format_date, format_money, format_percent, normalise_lang, t
from cqic_budget.metrics.burn import fiscal_year_status
from cqic_budget.metrics.cofinancing import (
    CUMULATIVE,
    Check,
    admin_share,
    cofinancing_checks,
    funder_positions,
    partner_match,
    public_aid_share,
    quebec_claim,
    quebec_share,
    worst_status,
)
from cqic_budget.metrics.facts import ZERO, ProgramFacts, load_facts
from cqic_budget.money import share
from cqic_budget.queries import category_labels
from cqic_budget.setup import get_program
from cqic_budget.views.common import Kpi
from cqic_budget.views.drilldown import DrillChoices, drill_choices
from cqic_budget.views.overview import rate_text
from cqic_budget.views.tables import Table, check_word, make_table, period_line, status_badge, status_cell

CHECK_CODES = ("quebec_share", "partner_match", "stacking", "admin_costs")


@dataclass(frozen=True)
class CheckItem:
    name: str
    badge: str  # the status as a coloured badge with its icon and word
    sentence: str


@dataclass(frozen=True)
class CheckGroup:
    """The checks of one scope: cumulative to the as-of, or at the end of one fiscal year."""

    title: str
    badge: str  # the worst status of the group
    items: tuple[CheckItem, ...]


@dataclass(frozen=True)
class CofinancingView:
    title: str
    purpose: str
    period: str
    kpis: tuple[Kpi, ...]
    funders_title: str
    funders_figure: go.Figure
    funders_table: Table
    funders_caption: str
    claim_title: str
    claim_steps: str  # Markdown: the arithmetic from E to claimable now, with the holdback explained
    checks_title: str
    checks_intro: str
    check_groups: tuple[CheckGroup, ...]
    years_title: str
    years_table: Table
    years_caption: str
    drill: DrillChoices
    ledger_title: str = ""
    ledger_table: Table | None = None
    ledger_caption: str = ""
    next_claim_title: str = ""
    next_claim_lines: tuple[str, ...] = ()
    packet_choices: tuple[int, ...] = ()  # claims whose packet can be downloaded


def _money(value: Decimal | None, lang: str) -> str:
    return format_money(value, lang, decimals=False)


def kpis(facts: ProgramFacts, lang: str, following: NextClaim | None = None) -> tuple[Kpi, ...]:
    """The cards; « claimable now » is the next claim's amount (claims.next_claim)."""
    claim = quebec_claim(facts)
    match = partner_match(facts)
    if following is None:
        claimable, note = ZERO, t("cofin.kpi.claimable_none", lang)
    else:
        claimable = following.amount
        note = t("cofin.kpi.claimable_period", lang, start=format_date(following.period_from, lang),
                 end=format_date(following.period_to, lang))
    return (
        Kpi(t("cofin.kpi.quebec_share", lang), format_percent(quebec_share(facts), lang),
               t("cofin.kpi.cap", lang, rate=rate_text(facts.quebec_rate, lang)),
               t("cofin.kpi.quebec_share_help", lang, received=_money(claim.received, lang),
                 spent=_money(claim.spent, lang))),
        Kpi(t("cofin.kpi.claimable", lang), _money(claimable, lang), note,
               t("cofin.kpi.claimable_next_help", lang, entitlement=_money(claim.entitlement, lang))),
        Kpi(t("cofin.kpi.partners", lang), _money(match.received, lang),
               t("cofin.kpi.partners_note", lang, required=_money(match.required, lang)),
               t("cofin.kpi.partners_help", lang, cash=_money(match.received_cash, lang),
                 in_kind=_money(match.received_in_kind, lang))),
        Kpi(t("cofin.kpi.stacking", lang), format_percent(public_aid_share(facts), lang),
               t("cofin.kpi.cap", lang, rate=rate_text(facts.stacking_cap, lang)),
               t("cofin.kpi.stacking_help", lang)),
        Kpi(t("cofin.kpi.admin", lang), format_percent(admin_share(facts), lang),
               t("cofin.kpi.cap", lang, rate=rate_text(facts.admin_cap, lang)),
               t(f"cofin.kpi.admin_help.{facts.admin_base}", lang)),
    )


def funders(facts: ProgramFacts, lang: str) -> tuple[go.Figure, Table]:
    positions = funder_positions(facts)
    figure = funders_figure(names=[p.name for p in positions], committed=[p.committed for p in positions],
                            cash=[p.received_cash for p in positions],
                            in_kind=[p.received_in_kind for p in positions], lang=lang)
    cols = [t(f"cofin.funder.col.{key}", lang) for key in (
        "name", "kind", "public", "committed", "cash", "in_kind", "received", "share", "due")]
    rows = [
        dict(zip(cols, (
            p.name, t(f"cofin.funder.kind.{p.kind}", lang),
            t("drill.yes" if p.is_public_aid else "cofin.no", lang),
            _money(p.committed, lang), _money(p.received_cash, lang), _money(p.received_in_kind, lang),
            _money(p.received, lang), format_percent(p.received_share, lang), _money(p.due, lang),
        ), strict=True))
        for p in positions
    ]
    return figure, make_table(rows, cols, cols[3:])


def claim_steps(facts: ProgramFacts, lang: str) -> str:
    claim = quebec_claim(facts)
    money = lambda value: format_money(value, lang)  # noqa: E731
    return t("cofin.claim.steps", lang, rate=rate_text(claim.rate, lang), spent=money(claim.spent),
             rate_of_spent=money(claim.rate_of_spent), commitment=money(claim.commitment),
             entitlement=money(claim.entitlement), holdback_rate=rate_text(claim.holdback_rate, lang),
             holdback=money(claim.holdback), payable=money(claim.payable_before_final_report),
             received=money(claim.received), claimable=money(claim.claimable))


def check_groups(facts: ProgramFacts, lang: str) -> tuple[CheckGroup, ...]:
    """Cumulative to the as-of first, then each fiscal year ended by then, latest first."""
    checks = cofinancing_checks(facts)
    scopes: dict[str, list[Check]] = {}
    for check in checks:
        scopes.setdefault(check.scope, []).append(check)
    order = [CUMULATIVE] + sorted((s for s in scopes if s != CUMULATIVE), reverse=True)
    groups = []
    for scope in order:
        found = scopes[scope]
        day = format_date(found[0].day, lang)
        title = (t("cofin.checks.cumulative", lang, date=day) if scope == CUMULATIVE
                 else t("cofin.checks.fiscal_year", lang, label=scope, date=day))
        worst = worst_status(found)
        groups.append(CheckGroup(title, status_badge(worst, check_word(worst, lang)), tuple(
            CheckItem(t(f"metrics.check_name.{c.code}", lang),
                      status_badge(c.status, check_word(c.status, lang)), c.message(lang))
            for c in found
        )))
    return tuple(groups)


def fiscal_years(facts: ProgramFacts, lang: str) -> Table:
    """Per fiscal year, within the year: spent, Québec received and its share, partners cash and in kind."""
    checks = {(c.scope, c.code): c for c in cofinancing_checks(facts)}
    cols = [t(f"cofin.fy.col.{key}", lang) for key in (
        "label", "spent", "quebec", "quebec_share", "cash", "in_kind", "partners", "status")]
    rows = []
    for y in fiscal_year_status(facts):
        ended = [checks[(y.label, code)] for code in CHECK_CODES if (y.label, code) in checks]
        if ended:
            worst = worst_status(ended)
            status = status_cell(worst, check_word(worst, lang))
        else:
            status = status_cell("neutral", t(f"cofin.fy.open.{y.phase}", lang))
        rows.append(dict(zip(cols, (
            y.label, _money(y.spent, lang), _money(y.quebec_received, lang),
            format_percent(share(y.quebec_received, y.spent), lang), _money(y.partner_received_cash, lang),
            _money(y.partner_received_in_kind, lang), _money(y.partner_received, lang), status,
        ), strict=True)))
    return make_table(rows, cols, cols[1:7], cols[7:])


def ledger_table(lines: list[LedgerLine], lang: str) -> Table:
    """The claims ledger: period, status, claimed, approved, paid, still due, payment, note."""
    cols = [t(f"cofin.ledger.col.{key}", lang) for key in (
        "number", "period", "status", "claimed", "approved", "paid", "due", "payment", "note")]
    rows = []
    for c in lines:
        if c.last_payment is None:
            payment = t("cofin.ledger.unpaid_late" if c.late else "cofin.ledger.unpaid", lang)
        else:
            payment = t("cofin.ledger.paid_late" if c.late else "cofin.ledger.paid_on", lang,
                        date=format_date(c.last_payment, lang), days=c.days_to_pay)
        status = {"paid": "ok", "refused": "breach", "draft": "neutral"}.get(c.status, "watch")
        rows.append(dict(zip(cols, (
            str(c.number), f"{format_date(c.period_from, lang)} → {format_date(c.period_to, lang)}",
            status_cell(status, c.status_word(lang)), format_money(c.claimed, lang),
            format_money(c.approved, lang), format_money(c.paid, lang), format_money(c.still_due, lang),
            payment, c.note,
        ), strict=True)))
    return make_table(rows, cols, cols[3:7], cols[2:3])


def build_cofinancing(session: Session, *, program_code: str | None, as_of: date, lang: str
                      ) -> CofinancingView:
    lang = normalise_lang(lang)
    program = get_program(session, program_code)
    facts = load_facts(session, program_id=program.id, as_of=as_of)
    claims = ledger(session, program_code=program.code, as_of=facts.as_of)
    following = next_claim(session, program_code=program.code, as_of=facts.as_of)
    totals = [sum((getattr(c, k) or ZERO for c in claims), ZERO) for k in ("claimed", "approved", "paid",
                                                                             "still_due")]
    figure, funders_table = funders(facts, lang)
    as_of_text = format_date(facts.as_of, lang)
    return CofinancingView(
        title=t("cofin.title", lang),
        purpose=t("cofin.purpose", lang),
        period=period_line(facts, lang),
        kpis=kpis(facts, lang, following),
        funders_title=t("cofin.funders_title", lang),
        funders_figure=figure,
        funders_table=funders_table,
        funders_caption=t("cofin.funders_caption", lang, as_of=as_of_text),
        claim_title=t("cofin.claim.title", lang),
        claim_steps=claim_steps(facts, lang),
        checks_title=t("cofin.checks.title", lang),
        checks_intro=t("cofin.checks.intro", lang),
        check_groups=check_groups(facts, lang),
        years_title=t("cofin.fy.title", lang),
        years_table=fiscal_years(facts, lang),
        years_caption=t("cofin.fy.caption", lang),
        drill=drill_choices(facts, category_labels(session), lang, key="cofin.drill",
                            intro=t("cofin.drill_intro", lang)),
        ledger_title=t("cofin.ledger.title", lang),
        ledger_table=ledger_table(claims, lang),
        ledger_caption=t("cofin.ledger.caption", lang, claimed=format_money(totals[0], lang),
                         approved=format_money(totals[1], lang), paid=format_money(totals[2], lang),
                         due=format_money(totals[3], lang), term=PAYMENT_TERM_DAYS),
        next_claim_title=t("cofin.next.title", lang),
        next_claim_lines=(
            (t("cofin.next.period", lang, start=format_date(following.period_from, lang),
               end=format_date(following.period_to, lang), count=following.expenses),
             *claim_lines_text(following.computation, lang))
            if following else (t("cofin.kpi.claimable_none", lang),)),
        packet_choices=tuple(c.number for c in claims if c.status != "refused"),
    )
