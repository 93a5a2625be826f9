"""Small stores built by hand for the store tests (rows added through the models), shared by several files:
the three programs of the portfolio tests and the report tests' hand-built program."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import select

from cqic_budget.auth import LOCAL_USER
from cqic_budget.models import (
    BudgetLine,
    Category,
    Contribution,
    Expense,
    Funder,
    ImportBatch,
    Indicator,
    Measurement,
    Merchant,
    Milestone,
    Program,
)
from cqic_budget.money import eligible_cents, to_cents
from cqic_budget.setup import get_program

# --- impact indicators and their measurements (test_metrics_impact, test_metrics_impact_sql) --------------


def add_indicators(session, program_id, specs) -> dict:
    """Indicators by code, from (code, unit, direction, target) tuples; names are the codes."""
    indicators = {
        code: Indicator(program_id=program_id, code=code, name_fr=code, name_en=code, unit=unit,
                        direction=direction, target=target)
        for code, unit, direction, target in specs
    }
    session.add_all(indicators.values())
    session.flush()
    return indicators


def add_measurement(session, indicator, merchant, kind, day, value) -> None:
    session.add(Measurement(merchant_id=merchant.id, indicator_id=indicator.id, date=day, kind=kind,
                            value=Decimal(value)))


# --- three programs (test_metrics_portfolio, test_app_portfolio, test_cli_program) -----------------------


def add_expense(session, program, category, day, amount, gst="0", qst="0", *, eligible=True):
    cat = session.exec(select(Category).where(Category.code == category)).one()
    a, g, q = to_cents(amount), to_cents(gst), to_cents(qst)
    session.add(Expense(
        program_id=program.id, date=day, vendor="V", category_id=cat.id, amount_cents=a, gst_cents=g,
        qst_cents=q, eligible=eligible,
        eligible_cents=eligible_cents(a, g, q, program.tax_recovery_rate, eligible=eligible),
    ))


def add_program(session, code, start, end, budget):
    program = Program(code=code, name_fr=f"Programme {code}", name_en=f"Program {code}", start_date=start,
                      end_date=end, budget_total_cents=to_cents(budget), target_merchants_supported=10)
    session.add(program)
    session.flush()
    return program


def add_funder(session, program, kind, committed, *, public):
    funder = Funder(program_id=program.id, name=kind, kind=kind, is_public_aid=public,
                    committed_cents=to_cents(committed))
    session.add(funder)
    session.flush()
    return funder


def contribute(session, funder, day, amount):
    session.add(Contribution(funder_id=funder.id, received_date=day, amount_cents=to_cents(amount)))


def add_merchant(session, program, enrolled, status):
    session.add(Merchant(program_id=program.id, name="M", sector="retail", size_band="small",
                         municipality="Laval", enrolment_date=enrolled, status=status))


def make_three_programs(session):
    """CQIC (the default program and funders), EST (one fiscal year) and NORD (starts after the as-of)."""
    cqic = get_program(session)
    add_expense(session, cqic, "salaries", date(2025, 5, 10), "10000.00")
    # 1 000 + (50 + 99.75) × 0.5 = 1 074.875 -> 1 074.88
    add_expense(session, cqic, "professional_fees", date(2025, 6, 15), "1000.00", "50.00", "99.75")
    add_expense(session, cqic, "equipment", date(2025, 7, 20), "500.00", eligible=False)
    add_expense(session, cqic, "salaries", date(2025, 8, 5), "5000.00")  # after the as-of
    quebec = session.exec(select(Funder).where(Funder.program_id == cqic.id, Funder.kind == "quebec")).one()
    contribute(session, quebec, date(2025, 7, 1), "5000.00")
    add_merchant(session, cqic, date(2025, 6, 1), "supported")

    est = add_program(session, "EST", date(2025, 4, 1), date(2026, 3, 31), "100000.00")
    est_quebec = add_funder(session, est, "quebec", "50000.00", public=True)
    est_partner = add_funder(session, est, "private", "50000.00", public=False)
    # 20 000 + (1 000 + 1 995) × 0.5 = 21 497.50
    add_expense(session, est, "marketing", date(2025, 4, 15), "20000.00", "1000.00", "1995.00")
    add_expense(session, est, "administration", date(2025, 6, 30), "4000.00")
    contribute(session, est_quebec, date(2025, 5, 1), "15000.00")
    contribute(session, est_partner, date(2025, 6, 1), "13000.00")
    add_merchant(session, est, date(2025, 5, 1), "supported")
    add_merchant(session, est, date(2025, 6, 1), "completed")
    add_merchant(session, est, date(2025, 5, 1), "reached")
    add_merchant(session, est, date(2025, 8, 15), "supported")  # after the as-of

    nord = add_program(session, "NORD", date(2026, 4, 1), date(2027, 3, 31), "50000.00")
    add_expense(session, nord, "travel", date(2026, 4, 1), "1000.00")  # on its clamped as-of
    add_expense(session, nord, "travel", date(2026, 4, 2), "2000.00")
    session.flush()
    return cqic, est, nord


# --- the report's hand-built program (test_reports, test_report_pdf) ---------------------------------------

# The report's as-of for the hand-built program.
REPORT_AS_OF = date(2026, 10, 31)
# Vendor names a spreadsheet would run as formulas, and an error code it would read as an error.
HOSTILE = [
    '=HYPERLINK("http://x","clic")',
    "+1+1",
    "@SUM(A1)",
    "-2+3",
    "\t=1+2",
    "\r=1+2",
    "=cmd|' /C calc'!A0",
    "#N/A",
]


def hand_built(session) -> Program:
    """Two fiscal years, four expenses (one ineligible, hostile vendors), one file of origin, Québec and
    Laval contributions, a milestone with its payment, two merchants."""
    program = get_program(session)
    cats = {c.code: c.id for c in session.exec(select(Category))}
    funders = {f.kind: f for f in session.exec(select(Funder).where(Funder.program_id == program.id))}
    session.add(BudgetLine(program_id=program.id, fiscal_year="2025-2026", category_id=cats["salaries"],
                           amount_cents=100_000_00))
    session.add(BudgetLine(program_id=program.id, fiscal_year="2025-2026", category_id=cats["marketing"],
                           amount_cents=20_000_00))
    batch = ImportBatch(program_id=program.id, file_name="=depenses-mai.xlsx", file_sha256="0" * 64,
                        user=LOCAL_USER, rows_read=3, rows_imported=3)
    session.add(batch)
    session.flush()
    rate = program.tax_recovery_rate

    def expense(day, vendor, category, amount, gst=0, qst=0, *, eligible=True, reason="", row=None,
                description="", invoice=""):
        session.add(Expense(
            program_id=program.id, date=day, vendor=vendor, description=description,
            category_id=cats[category], invoice_number=invoice, amount_cents=amount,
            gst_cents=gst, qst_cents=qst,
            eligible_cents=eligible_cents(amount, gst, qst, rate, eligible=eligible), eligible=eligible,
            ineligible_reason=reason, batch_id=batch.id if row else None, source_row=row,
        ))

    # Salaries carry no tax: eligible = 40 000,00.
    expense(date(2025, 5, 31), "Paie CQIC", "salaries", 40_000_00, row=2, description="Salaires mai")
    # 1 000,00 + 50,00 × 0,5 + 99,75 × 0,5 = 1 074,875 -> 1 074,88 (half-up per expense).
    expense(date(2025, 6, 10), HOSTILE[0], "marketing", 1_000_00, 50_00, 99_75, row=3,
            description="+33 6 12 34 56 78", invoice="-INV-1")
    # Ineligible: shown apart (2 000,00 + 100,00 + 199,50 = 2 299,50), eligible cost 0.
    expense(date(2025, 6, 12), "@SUM(A1)", "marketing", 2_000_00, 100_00, 199_50, eligible=False,
            reason="=Hors programme", row=4)
    # A credit note in fiscal year 2026-2027: −100,00.
    expense(date(2026, 4, 15), "-2+3", "marketing", -100_00, description="Note de crédit")
    # After the as-of: never in the report.
    expense(date(2026, 11, 15), "Après", "salaries", 5_000_00)

    milestone = Milestone(program_id=program.id, name_fr="=Jalon 1", name_en="=Milestone 1",
                          due_date=date(2025, 6, 30), planned_cumulative_cents=45_000_00, status="achieved",
                          achieved_date=date(2025, 7, 4), payment_funder_id=funders["quebec"].id,
                          payment_cents=20_000_00)
    session.add(milestone)
    session.flush()
    session.add(Contribution(funder_id=funders["quebec"].id, received_date=date(2025, 7, 10),
                             amount_cents=20_000_00, reference="Versement 1", milestone_id=milestone.id))
    session.add(Contribution(funder_id=funders["municipal"].id, received_date=date(2025, 8, 1),
                             amount_cents=15_000_00, reference="+Laval"))
    for name, status in (("Boutique Secrète inc.", "supported"), ("Grossiste Caché", "completed")):
        session.add(Merchant(program_id=program.id, name=name, sector="retail", size_band="micro",
                             municipality="Laval", enrolment_date=date(2025, 5, 1), status=status,
                             contact_email="secret@example.com"))
    session.flush()
    return program
