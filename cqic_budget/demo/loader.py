"""Loading the demo into the CQIC program: every table in one transaction, through the services."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import sqlalchemy as sa
from sqlmodel import Session, select

from cqic_budget import audit
from cqic_budget.auth import LOCAL_USER, require
from cqic_budget.budget import record_amendment, sync_in_kind_expenses
from cqic_budget.claims import approve_claim, new_claim, pay_claim, submit_claim
from cqic_budget.closing import close_year
from cqic_budget.currency import load_rate_book, parse_valet, store_rates
from cqic_budget.db import bump_data_version
from cqic_budget.demo.expenses import (
    _administration,
    _equipment,
    _Expenses,
    _marketing,
    _merchant_services,
    _professional_fees,
    _salaries,
    _travel,
)
from cqic_budget.demo.merchants import _measurements, _merchant_plans
from cqic_budget.demo.tables import (
    AMENDMENT,
    BUDGET,
    CLAIMS,
    CLOSED_YEAR,
    COMMITMENTS,
    DEMO_ACTION,
    DEMO_END,
    DEMO_RATES,
    FISCAL_YEARS,
    INDICATORS,
    LAVAL,
    MEIE,
    MILESTONES,
    PARTNER_CONTRIBUTIONS,
    PICOM,
    PICOM_CATEGORY,
    PICOM_QUARTERS,
    PICOM_VALUATION,
    PRIVATE,
    TECHNOMONTREAL,
    VENDORS,
)
from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import t
from cqic_budget.models import (
    AuditEvent,
    BudgetLine,
    Category,
    Commitment,
    Contribution,
    Expense,
    Funder,
    Indicator,
    Measurement,
    Merchant,
    Milestone,
    Program,
)
from cqic_budget.money import from_cents, to_cents
from cqic_budget.setup import ensure_program


class DemoConflict(UserFacingError, ValueError):
    """The program already holds data of its own: the demo loads only into an empty program."""

    code = "demo-conflict"

    def message(self, lang: str = "fr") -> str:
        return t("demo.conflict", lang)


# --- Loading ------------------------------------------------------------------------------------------
def demo_present(session: Session, program: Program) -> bool:
    stmt = select(AuditEvent.id).where(
        AuditEvent.action == DEMO_ACTION, AuditEvent.entity == "program", AuditEvent.entity_id == program.id,
    )
    return session.exec(stmt).first() is not None


def _program_has_data(session: Session, program: Program) -> bool:
    funder_ids = select(Funder.id).where(Funder.program_id == program.id)
    probes = [
        select(BudgetLine.id).where(BudgetLine.program_id == program.id),
        select(Milestone.id).where(Milestone.program_id == program.id),
        select(Expense.id).where(Expense.program_id == program.id),
        select(Merchant.id).where(Merchant.program_id == program.id),
        select(Indicator.id).where(Indicator.program_id == program.id),
        select(Contribution.id).where(Contribution.funder_id.in_(funder_ids)),
    ]
    return any(session.exec(probe.limit(1)).first() is not None for probe in probes)


def _claims_history(session: Session, program: Program, milestones: list[Milestone], user: str) -> None:
    """The claims of CLAIMS through the claims service; each payment is tied to its milestone."""
    def at(day: date) -> datetime:
        return datetime.combine(day, time(14, 0), tzinfo=timezone.utc)

    for start, end, created, submitted, approved, amount, note, paid, milestone in CLAIMS:
        claim = new_claim(session, period_from=start, period_to=end, user=user, program_code=program.code,
                          at=at(created))
        submit_claim(session, claim.number, user=user, program_code=program.code, at=at(submitted))
        if approved is None:
            continue
        cents = claim.claimed_cents if amount is None else to_cents(amount)
        approve_claim(session, claim.number, amount=from_cents(cents), note=note, user=user,
                      program_code=program.code, at=at(approved))
        payment = pay_claim(session, claim.number, amount=from_cents(cents), day=paid, user=user,
                            program_code=program.code)
        payment.milestone_id = milestones[milestone].id
        milestones[milestone].payment_cents = cents
        session.add_all([payment, milestones[milestone]])
    session.flush()


def load_demo(session: Session, *, user: str = LOCAL_USER) -> bool:
    """Load the demo into the CQIC program: True when loaded, False when it was already there.

    Raises auth.Forbidden for a user who may not change settings, and DemoConflict when the program
    already holds data of its own (the demo is never mixed with real figures).
    """
    require(session, user, "settings")
    program, _ = ensure_program(session)
    if demo_present(session, program):
        return False
    if _program_has_data(session, program):
        raise DemoConflict(
            f"{program.code}: the program already holds data; the demo loads only into an empty program"
        )

    categories = {c.code: c.id for c in session.exec(select(Category))}
    funders = {f.name: f for f in session.exec(select(Funder).where(Funder.program_id == program.id))}
    missing = [name for name in (MEIE, LAVAL, TECHNOMONTREAL, PRIVATE, PICOM) if name not in funders]
    if missing:
        raise DemoConflict(f"{program.code}: the default funders are missing: {', '.join(missing)}")

    for category, amounts in BUDGET.items():
        for label, dollars in zip(FISCAL_YEARS, amounts, strict=True):
            session.add(BudgetLine(program_id=program.id, fiscal_year=label, category_id=categories[category],
                                   amount_cents=dollars * 100))

    indicators = [Indicator(program_id=program.id, code=code, name_fr=fr, name_en=en, unit=unit,
                            direction=direction, target=target)
                  for code, fr, en, unit, direction, target in INDICATORS]
    session.add_all(indicators)

    milestones = []
    for due, planned, fr, en, payment, achieved in MILESTONES:
        milestones.append(Milestone(
            program_id=program.id, name_fr=fr, name_en=en, due_date=due,
            planned_cumulative_cents=planned * 100,
            status="achieved" if achieved else "planned", achieved_date=achieved,
            payment_funder_id=funders[MEIE].id if payment else None,
            payment_cents=payment * 100 if payment else None,
        ))
    session.add_all(milestones)
    session.flush()

    for name, received, dollars, reference in PARTNER_CONTRIBUTIONS:
        session.add(Contribution(
            funder_id=funders[name].id, received_date=received, amount_cents=dollars * 100,
            reference=reference,
        ))
    for received, dollars, quarter in PICOM_QUARTERS:
        session.add(Contribution(
            funder_id=funders[PICOM].id, received_date=received, amount_cents=dollars * 100, in_kind=True,
            reference=f"Apport en nature — locaux, animation et experts ({quarter})",
            valuation_basis=PICOM_VALUATION, proof_reference=f"Attestation PICOM {quarter}",
            category_id=categories[PICOM_CATEGORY],
        ))
    commitments = [
        Commitment(program_id=program.id, reference=reference, vendor=VENDORS[vendor][0],
                   category_id=categories[category], fiscal_year=fy, date=day, amount_cents=dollars * 100,
                   status=status)
        for reference, vendor, category, fy, day, dollars, status in COMMITMENTS
    ]
    session.add_all(commitments)
    session.flush()

    plans = _merchant_plans()
    merchants = [
        Merchant(program_id=program.id, name=p.name, neq=p.neq, sector=p.sector, size_band=p.size_band,
                 municipality=p.municipality, enrolment_date=p.enrolment_date, status=p.status,
                 contact_name=p.contact_name, contact_email=p.contact_email, contact_phone=p.contact_phone)
        for p in plans
    ]
    session.add_all(merchants)
    session.flush()
    for plan, merchant in zip(plans, merchants, strict=True):
        plan.id = merchant.id
    measurements = _measurements(plans, {i.code: i.id for i in indicators})
    session.execute(sa.insert(Measurement.__table__), measurements)

    # The Lille mission is paid in euros: the demo's rates (fictitious, Valet format) go in the store
    # first, never replacing a stored rate; euro expenses are converted at the stored rate of their date.
    rates = store_rates(session, parse_valet(DEMO_RATES.read_bytes()), user=user, origin=DEMO_RATES.name,
                        replace=False, standalone=False)
    out = _Expenses(program_id=program.id, category_ids=categories, recovery_rate=program.tax_recovery_rate,
                    rates=load_rate_book(session, ["EUR"]),
                    commitments={c.reference: c.id for c in commitments})
    _salaries(out)
    _administration(out)
    _professional_fees(out)
    _travel(out, [p.municipality for p in plans])
    _marketing(out)
    _equipment(out)
    _merchant_services(out, plans)
    out.rows.sort(key=lambda row: (row["date"], row["category_id"], row["vendor"], row["invoice_number"]))
    session.execute(sa.insert(Expense.__table__), out.rows)
    in_kind = sync_in_kind_expenses(session, program_id=program.id, user=user, standalone=False)
    reference, effective, approved_by, lines = AMENDMENT
    record_amendment(session, program_id=program.id, reference=reference, effective_date=effective,
                     approved_by=approved_by, lines={k: v * 100 for k, v in lines.items()}, user=user,
                     standalone=False)

    session.flush()
    _claims_history(session, program, milestones, user)
    # The first fiscal year is signed: its statement is closed (SPEC §9), as at the demo's last day.
    close_year(session, CLOSED_YEAR, user=user, program_code=program.code, today=DEMO_END)

    audit.record(session, user=user, action=DEMO_ACTION, entity="program", entity_id=program.id, after={
        "expenses": len(out.rows) + in_kind, "merchants": len(merchants), "milestones": len(milestones),
        "budget_lines": len(BUDGET) * len(FISCAL_YEARS), "indicators": len(indicators),
        "in_kind_expenses": in_kind, "commitments": len(commitments), "amendments": 1,
        "rates": {**rates.as_json(), "file": DEMO_RATES.name},
        "until": DEMO_END,
    })
    bump_data_version(session)
    return True
