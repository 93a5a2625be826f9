"""Co-financing: Québec's share and entitlement, partners' match, stacking of public aid, admin costs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from cqic_budget.i18n import format_date, format_money, format_percent, t
from cqic_budget.metrics.facts import (
    ADMINISTRATION,
    SALARIES,
    ZERO,
    ProgramFacts,
    eligible_spent,
    quebec_commitment,
    received,
)
from cqic_budget.money import CENT, share
from cqic_budget.periods import fiscal_years_between

OK, WATCH, BREACH = "ok", "watch", "breach"
CUMULATIVE = "cumulative"
STACKING_WATCH = Decimal("0.95")  # "watch" from 95 % of the stacking cap
ADMIN_WATCH = Decimal("0.90")  # "watch" from 90 % of the admin-cost cap


def _floor_cents(value: Decimal) -> Decimal:
    # A ceiling a funder pays at most: rounding it up would exceed the rate by half a cent.
    return value.quantize(CENT, rounding=ROUND_FLOOR)


def quebec_received(facts: ProgramFacts, day: date | None = None) -> Decimal:
    return received(facts, day, quebec=True)


def quebec_share(facts: ProgramFacts, day: date | None = None) -> Decimal | None:
    """Québec contributions received ÷ eligible cost E; None when E = 0."""
    return share(quebec_received(facts, day), eligible_spent(facts, day))


def quebec_entitlement(facts: ProgramFacts, day: date | None = None) -> Decimal:
    """min(rate × E, Québec commitment), to the cent below."""
    return _floor_cents(min(facts.quebec_rate * eligible_spent(facts, day), quebec_commitment(facts)))


def claimable_now(facts: ProgramFacts, day: date | None = None) -> Decimal:
    """max(0, min(entitlement, commitment × (1 − holdback)) − received).

    The holdback is paid after the final report. quebec_claim shows every step.
    """
    return quebec_claim(facts, day).claimable


@dataclass(frozen=True)
class PartnerMatch:
    required: Decimal  # (1 − rate) × E, exact
    received_cash: Decimal
    received_in_kind: Decimal
    received: Decimal
    shortfall: Decimal  # max(0, required − received)


def partner_match(facts: ProgramFacts, day: date | None = None) -> PartnerMatch:
    """Partners (every funder but Québec) must match (1 − rate) × E: required vs received, cash and
    in kind apart."""
    required = (1 - facts.quebec_rate) * eligible_spent(facts, day)
    cash = received(facts, day, quebec=False, in_kind=False)
    in_kind = received(facts, day, quebec=False, in_kind=True)
    return PartnerMatch(required, cash, in_kind, cash + in_kind, max(ZERO, required - cash - in_kind))


def public_aid_received(facts: ProgramFacts, day: date | None = None) -> Decimal:
    return received(facts, day, public_aid=True)


def public_aid_share(facts: ProgramFacts, day: date | None = None) -> Decimal | None:
    """Stacking: contributions from funders that count as public aid ÷ E; None when E = 0."""
    return share(public_aid_received(facts, day), eligible_spent(facts, day))


def admin_spent(facts: ProgramFacts, day: date | None = None) -> Decimal:
    return eligible_spent(facts, day, category=ADMINISTRATION)


def admin_base(facts: ProgramFacts, day: date | None = None) -> Decimal:
    """The base of the admin-cost cap: total eligible cost, or eligible salaries (program setting)."""
    if facts.admin_base == SALARIES:
        return eligible_spent(facts, day, category=SALARIES)
    return eligible_spent(facts, day)


def admin_share(facts: ProgramFacts, day: date | None = None) -> Decimal | None:
    """Administration ÷ base; None when the base is zero."""
    return share(admin_spent(facts, day), admin_base(facts, day))


# --- Checks ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    code: str  # quebec_share, partner_match, stacking, admin_costs
    status: str  # ok, watch, breach
    message_fr: str
    message_en: str
    scope: str  # "cumulative" or a fiscal-year label
    day: date  # the date the check is computed at
    value: Decimal | None = None  # the share checked, when it is a share

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_fr


def _format(value: object, lang: str) -> object:
    if isinstance(value, date):
        return format_date(value, lang, long=True)
    return value


def _sentence(
    key: str, scope_key: str, scope_params: dict, money: dict, rates: dict, words: dict | None = None
) -> tuple[str, str]:
    """The check's sentence in French and English, figures formatted in each language."""
    out = []
    for lang in ("fr", "en"):
        params = {k: format_money(v, lang) for k, v in money.items()}
        params.update({k: t(v, lang) for k, v in (words or {}).items()})
        params.update({k: format_percent(v, lang) for k, v in rates.items()})
        params["scope"] = t(scope_key, lang, **{k: _format(v, lang) for k, v in scope_params.items()})
        out.append(t(key, lang, **params))
    return out[0], out[1]


def _capped(value: Decimal, cap: Decimal, near: Decimal, at_year_end: bool) -> tuple[str, str]:
    """A share under a cap, judged in time like the Québec share: above the cap is watch inside a fiscal
    year (timing: an advance, start-up costs) and breach at a fiscal-year or the program end; watch from
    `near` × cap. Returns (status, message key suffix)."""
    if value > cap:
        return (BREACH, BREACH) if at_year_end else (WATCH, "advance")
    return (WATCH, WATCH) if value >= near * cap else (OK, OK)


def stacking_committed_check(facts: ProgramFacts) -> Check:
    """Stacking checked forward: public aid committed ÷ total budget ≤ cap (breach above, watch from 95 %)."""
    committed = sum((f.committed for f in facts.funders if f.is_public_aid), ZERO)
    cap, budget = facts.stacking_cap, facts.budget_total
    value = share(committed, budget)
    if value is None:
        status = OK
    else:
        status = BREACH if value > cap else (WATCH if value >= STACKING_WATCH * cap else OK)
    key = "none" if value is None else status
    fr, en = _sentence(f"metrics.check.stacking_committed.{key}", "metrics.scope.committed", {},
                       {"committed": committed, "budget": budget,
                        "excess": max(ZERO, committed - cap * budget),
                        "margin": max(ZERO, cap * budget - committed)},
                       {"share": value, "cap": cap})
    return Check("stacking_committed", status, fr, en, CUMULATIVE, facts.as_of, value)


def _checks_at(facts: ProgramFacts, day: date, scope: str) -> list[Check]:
    """The four checks cumulative to `day`; `scope` is "cumulative" or the fiscal year ending on `day`."""
    year_ends = {fy.end for fy in fiscal_years_between(facts.start, facts.end)}
    at_year_end = scope != CUMULATIVE or day in year_ends
    if scope == CUMULATIVE:
        scope_key, scope_params = "metrics.scope.cumulative", {"date": day}
    else:
        scope_key, scope_params = "metrics.scope.fiscal_year", {"label": scope, "date": day}
    spent = eligible_spent(facts, day)
    checks = []

    def add(code: str, status: str, key: str, money: dict, rates: dict, value: Decimal | None) -> None:
        fr, en = _sentence(key, scope_key, scope_params, money, rates)
        checks.append(Check(code, status, fr, en, scope, day, value))

    # Québec share: above the rate is an advance inside a year, a breach at a fiscal-year end.
    rate, qc = facts.quebec_rate, quebec_received(facts, day)
    value = share(qc, spent)
    if value is None:
        add("quebec_share", OK, "metrics.check.quebec_share.none", {"received": qc}, {"rate": rate}, None)
    else:
        status = OK if value <= rate else (BREACH if at_year_end else WATCH)
        add("quebec_share", status, f"metrics.check.quebec_share.{status}",
            {"received": qc, "spent": spent, "excess": max(ZERO, qc - rate * spent)},
            {"share": value, "rate": rate}, value)

    # Partners' match: short inside a year is to watch, short at a fiscal-year end a breach.
    match = partner_match(facts, day)
    status = OK if match.shortfall <= 0 else (BREACH if at_year_end else WATCH)
    add("partner_match", status, f"metrics.check.partner_match.{status}",
        {"received": match.received, "cash": match.received_cash, "in_kind": match.received_in_kind,
         "required": match.required, "spent": spent, "shortfall": match.shortfall},
        {"partner_rate": 1 - rate}, share(match.received, match.required))

    # Stacking of public aid: above the cap is timing inside a year (watch), a breach at a year end.
    cap, aid = facts.stacking_cap, public_aid_received(facts, day)
    value = share(aid, spent)
    if value is None:
        add("stacking", OK, "metrics.check.stacking.none", {"public": aid}, {"cap": cap}, None)
    else:
        status, key = _capped(value, cap, STACKING_WATCH, at_year_end)
        add("stacking", status, f"metrics.check.stacking.{key}",
            {"public": aid, "spent": spent, "excess": max(ZERO, aid - cap * spent),
             "margin": max(ZERO, cap * spent - aid)},
            {"share": value, "cap": cap}, value)

    # Administration costs: the same rule in time.
    cap, admin, base = facts.admin_cap, admin_spent(facts, day), admin_base(facts, day)
    base_name = "salaries" if facts.admin_base == SALARIES else "eligible"
    value = share(admin, base)
    if value is None:
        status, key = OK, "metrics.check.admin_costs.none"
    else:
        status, key = _capped(value, cap, ADMIN_WATCH, at_year_end)
        key = f"metrics.check.admin_costs.{key}"
    fr, en = _sentence(key, scope_key, scope_params,
                       {"admin": admin, "base": base, "excess": max(ZERO, admin - cap * base),
                        "margin": max(ZERO, cap * base - admin)},
                       {"share": value, "cap": cap}, {"base_name": f"metrics.admin_base.{base_name}"})
    checks.append(Check("admin_costs", status, fr, en, scope, day, value))
    return checks


def cofinancing_checks(facts: ProgramFacts) -> list[Check]:
    """The checks cumulative to the as-of date, then at the end of each fiscal year ended by then."""
    checks = _checks_at(facts, facts.as_of, CUMULATIVE) + [stacking_committed_check(facts)]
    for fy in fiscal_years_between(facts.start, facts.end):
        if fy.end <= facts.as_of:
            checks.extend(_checks_at(facts, fy.end, fy.label))
    return checks


def worst_status(checks: list[Check]) -> str:
    order = {OK: 0, WATCH: 1, BREACH: 2}
    return max((c.status for c in checks), key=order.__getitem__, default=OK)


# --- Funders ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunderPosition:
    funder_id: int
    name: str
    kind: str
    is_public_aid: bool
    in_kind: bool
    committed: Decimal
    received_cash: Decimal
    received_in_kind: Decimal
    received: Decimal
    due: Decimal  # committed − received, ≥ 0: still to come
    received_share: Decimal | None  # received ÷ committed


def funder_positions(facts: ProgramFacts) -> list[FunderPosition]:
    """Per funder: committed, received to the as-of (cash and in kind apart), still due."""
    positions = []
    for f in facts.funders:
        cash = sum((c.amount for c in facts.contributions if c.funder_id == f.id and not c.in_kind), ZERO)
        kind = sum((c.amount for c in facts.contributions if c.funder_id == f.id and c.in_kind), ZERO)
        total = cash + kind
        positions.append(FunderPosition(
            f.id, f.name, f.kind, f.is_public_aid, f.in_kind, f.committed, cash, kind, total,
            max(ZERO, f.committed - total), share(total, f.committed),
        ))
    return positions


@dataclass(frozen=True)
class QuebecClaim:
    """Every step from E to what can be claimed from Québec now, for the funder to follow."""

    spent: Decimal  # E
    rate: Decimal
    rate_of_spent: Decimal  # rate × E, to the cent below
    commitment: Decimal
    entitlement: Decimal  # min(rate × E, commitment)
    holdback_rate: Decimal
    holdback: Decimal  # commitment − payable before the final report: paid after it
    payable_before_final_report: Decimal  # min(entitlement, commitment × (1 − holdback))
    received: Decimal
    claimable: Decimal  # max(0, payable before the final report − received)


def quebec_claim(facts: ProgramFacts, day: date | None = None) -> QuebecClaim:
    """The arithmetic of `claimable_now`, step by step (same result, every intermediate figure)."""
    spent = eligible_spent(facts, day)
    commitment = quebec_commitment(facts)
    cap = _floor_cents(commitment * (1 - facts.holdback_rate))
    entitlement = quebec_entitlement(facts, day)
    payable = min(entitlement, cap)
    got = quebec_received(facts, day)
    return QuebecClaim(
        spent=spent, rate=facts.quebec_rate, rate_of_spent=_floor_cents(facts.quebec_rate * spent),
        commitment=commitment, entitlement=entitlement, holdback_rate=facts.holdback_rate,
        holdback=commitment - cap, payable_before_final_report=payable, received=got,
        claimable=max(ZERO, payable - got),
    )
