"""The program's headline figures at an as-of date: `summary --json` (SPEC §6), the Overview, the report."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session

from cqic_budget.i18n import format_date, format_money, format_number, format_percent, normalise_lang, t
from cqic_budget.metrics.budget_lines import BudgetLinePosition, budget_line_positions
from cqic_budget.metrics.burn import FiscalYearStatus, Forecast, fiscal_year_status, forecast
from cqic_budget.metrics.cofinancing import (
    Check,
    claimable_now,
    cofinancing_checks,
    partner_match,
    public_aid_share,
    quebec_entitlement,
    quebec_received,
    quebec_share,
)
from cqic_budget.metrics.cofinancing import admin_share as admin_share_of
from cqic_budget.metrics.facts import ProgramFacts, load_facts
from cqic_budget.metrics.impact import cost_per_merchant, merchants_supported
from cqic_budget.money import round_cents
from cqic_budget.setup import get_program

SHARE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Summary:
    """Money rounded half-up to the cent (entitlement and claimable to the cent below); shares exact."""

    program_code: str
    program_name_fr: str
    program_name_en: str
    as_of: date
    budget_total: Decimal
    spent: Decimal
    ineligible: Decimal
    remaining: Decimal
    burn_rate_monthly: Decimal
    projected_total: Decimal
    projected_exhaustion: date | None
    quebec_rate: Decimal
    quebec_received: Decimal
    quebec_share: Decimal | None
    quebec_entitlement: Decimal
    quebec_claimable: Decimal
    partner_required: Decimal
    partner_received: Decimal
    partner_received_cash: Decimal
    partner_received_in_kind: Decimal
    public_aid_share: Decimal | None
    stacking_cap: Decimal
    admin_share: Decimal | None
    admin_cap: Decimal
    checks: tuple[Check, ...]
    fiscal_years: tuple[FiscalYearStatus, ...]
    budget_lines: tuple[BudgetLinePosition, ...]
    merchants_supported: int
    cost_per_merchant: Decimal | None
    forecast: Forecast
    claims: tuple = ()  # claims.LedgerLine, to the as-of


def summarise(facts: ProgramFacts, *, supported: int) -> Summary:
    """The summary of facts already loaded, with the number of merchants supported."""
    outlook = forecast(facts)
    match = partner_match(facts)
    cost = cost_per_merchant(outlook.spent, supported)
    return Summary(
        program_code=facts.code, program_name_fr=facts.name_fr, program_name_en=facts.name_en,
        as_of=facts.as_of,
        budget_total=round_cents(outlook.budget),
        spent=round_cents(outlook.spent),
        ineligible=round_cents(outlook.ineligible),
        remaining=round_cents(outlook.remaining),
        burn_rate_monthly=round_cents(outlook.burn_rate),
        projected_total=round_cents(outlook.projected_total),
        projected_exhaustion=outlook.projected_exhaustion,
        quebec_rate=facts.quebec_rate,
        quebec_received=round_cents(quebec_received(facts)),
        quebec_share=quebec_share(facts),
        quebec_entitlement=quebec_entitlement(facts),
        quebec_claimable=claimable_now(facts),
        partner_required=round_cents(match.required),
        partner_received=round_cents(match.received),
        partner_received_cash=round_cents(match.received_cash),
        partner_received_in_kind=round_cents(match.received_in_kind),
        public_aid_share=public_aid_share(facts),
        stacking_cap=facts.stacking_cap,
        admin_share=admin_share_of(facts),
        admin_cap=facts.admin_cap,
        checks=tuple(cofinancing_checks(facts)),
        fiscal_years=tuple(fiscal_year_status(facts)),
        budget_lines=tuple(budget_line_positions(facts)),
        merchants_supported=supported,
        cost_per_merchant=None if cost is None else round_cents(cost),
        forecast=outlook,
    )


def compute_summary(
    session: Session, *, program_code: str | None = None, as_of: date | None = None
) -> Summary:
    """The program's figures at the as-of date (default today, clamped to the program period)."""
    program = get_program(session, program_code)
    facts = load_facts(session, program_id=program.id, as_of=as_of)
    supported = merchants_supported(session, program_id=program.id, as_of=facts.as_of)
    from cqic_budget.claims import ledger

    return replace(summarise(facts, supported=supported),
                   claims=tuple(ledger(session, program_code=program.code, as_of=facts.as_of)))


# --- Presentation ----------------------------------------------------------------------------------


def money_text(value: Decimal | None) -> str | None:
    """Money for JSON: a string with two decimals, "1234.50"."""
    return None if value is None else f"{round_cents(value):.2f}"


def rate_text(value: Decimal | None) -> str | None:
    """A setting for JSON: at least two decimals, exact ("0.50", "0.0995")."""
    if value is None:
        return None
    places = max(2, -Decimal(value).normalize().as_tuple().exponent)
    return f"{Decimal(value):.{places}f}"


def share_text(value: Decimal | None) -> str | None:
    """A computed share for JSON: four decimals, half-up ("0.4523"); None when undefined."""
    return None if value is None else f"{Decimal(value).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP):.4f}"


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def summary_as_json(summary: Summary) -> dict:
    """Exactly the keys of SPEC §6 `summary --json` (messages in French, English beside them)."""
    return {
        "as_of": summary.as_of.isoformat(),
        "budget_total": money_text(summary.budget_total),
        "spent": money_text(summary.spent),
        "ineligible": money_text(summary.ineligible),
        "remaining": money_text(summary.remaining),
        "burn_rate_monthly": money_text(summary.burn_rate_monthly),
        "projected_total": money_text(summary.projected_total),
        "projected_exhaustion": _iso(summary.projected_exhaustion),
        "quebec_rate": rate_text(summary.quebec_rate),
        "quebec_received": money_text(summary.quebec_received),
        "quebec_share": share_text(summary.quebec_share),
        "quebec_entitlement": money_text(summary.quebec_entitlement),
        "quebec_claimable": money_text(summary.quebec_claimable),
        "partner_required": money_text(summary.partner_required),
        "partner_received": money_text(summary.partner_received),
        "public_aid_share": share_text(summary.public_aid_share),
        "stacking_cap": rate_text(summary.stacking_cap),
        "admin_share": share_text(summary.admin_share),
        "checks": [
            {"code": c.code, "status": c.status, "scope": c.scope, "message": c.message_fr,
             "message_en": c.message_en}
            for c in summary.checks
        ],
        "fiscal_years": [
            {"label": fy.label, "budget": money_text(fy.budget), "spent": money_text(fy.spent),
             "quebec_received": money_text(fy.quebec_received),
             "partner_received": money_text(fy.partner_received), "status": fy.status,
             "closed": fy.closed}
            for fy in summary.fiscal_years
        ],
        "budget_lines": [
            {"fiscal_year": b.fiscal_year, "category": b.category,
             "budget_original": money_text(b.budget_original), "budget": money_text(b.budget),
             "spent": money_text(b.spent), "open_commitments": money_text(b.open_commitments),
             "available": money_text(b.available), "status": b.status}
            for b in summary.budget_lines
        ],
        "claims": claims_json(summary.claims),
        "merchants_supported": summary.merchants_supported,
        "cost_per_merchant": money_text(summary.cost_per_merchant),
    }


def claims_json(lines: list) -> list[dict]:
    """The claims ledger for JSON (SPEC §6): number, period, status, claimed, approved, paid."""
    return [
        {"number": c.number, "period_from": c.period_from.isoformat(), "period_to": c.period_to.isoformat(),
         "status": c.status, "claimed": money_text(c.claimed), "approved": money_text(c.approved),
         "paid": money_text(c.paid), "still_due": money_text(c.still_due)}
        for c in lines
    ]


def summary_as_text(summary: Summary, lang: str = "fr") -> str:
    """A readable table in French (default) or English, figures formatted with Babel."""
    lang = normalise_lang(lang)
    money = lambda v: format_money(v, lang)  # noqa: E731
    pct = lambda v: format_percent(v, lang)  # noqa: E731
    rows = [
        ("budget_total", money(summary.budget_total)),
        ("spent", money(summary.spent)),
        ("ineligible", money(summary.ineligible)),
        ("remaining", money(summary.remaining)),
        ("burn_rate", money(summary.burn_rate_monthly)),
        ("projected_total", money(summary.projected_total)),
        ("projected_exhaustion", format_date(summary.projected_exhaustion, lang)),
        ("quebec_rate", pct(summary.quebec_rate)),
        ("quebec_received", money(summary.quebec_received)),
        ("quebec_share", pct(summary.quebec_share)),
        ("quebec_entitlement", money(summary.quebec_entitlement)),
        ("quebec_claimable", money(summary.quebec_claimable)),
        ("partner_required", money(summary.partner_required)),
        ("partner_received", money(summary.partner_received)),
        ("public_aid_share", pct(summary.public_aid_share)),
        ("stacking_cap", pct(summary.stacking_cap)),
        ("admin_share", pct(summary.admin_share)),
        ("merchants_supported", format_number(summary.merchants_supported, lang)),
        ("cost_per_merchant", money(summary.cost_per_merchant)),
    ]
    labels = [(t(f"metrics.summary.{key}", lang), value) for key, value in rows]
    width = max(len(label) for label, _ in labels)
    value_width = max(len(value) for _, value in labels)
    name = summary.program_name_en if lang == "en" else summary.program_name_fr
    title = t("metrics.summary.title", lang, code=summary.program_code, date=format_date(summary.as_of, lang))
    lines = [title, name, ""]
    lines += [f"{label:<{width}}  {value:>{value_width}}" for label, value in labels]

    lines += ["", t("metrics.summary.fiscal_years", lang)]
    header = [h.strip() for h in t("metrics.summary.fy_header", lang).split("|")]
    table = [header] + [
        [fy.label, money(fy.budget), money(fy.spent), money(fy.quebec_received), money(fy.partner_received),
         fy.word(lang)]
        for fy in summary.fiscal_years
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        lines.append("  ".join([row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:],
                                                                                     strict=True)]))
    lines += ["", t("metrics.summary.checks", lang)]
    for c in summary.checks:
        lines.append(f"[{t(f'status.{c.status}', lang)}] {t(f'metrics.check_name.{c.code}', lang)} — "
                     f"{c.message(lang)}")
    return "\n".join(lines)
