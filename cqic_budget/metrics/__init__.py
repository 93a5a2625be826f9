"""Metrics: SPEC §3 rules as pure functions over ProgramFacts (facts.py does all the SQL).

burn.py (pace, plan, forecast, fiscal years), cofinancing.py (checks, funders), milestones.py,
impact.py (merchants and indicators), summary.py (`summary --json`). Also `recompute_eligible`,
the one writer here: a change of the tax recovery rate recomputes every stored eligible cost.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session

from cqic_budget.models import Expense, Program
from cqic_budget.money import eligible_cents


def recompute_eligible(session: Session, *, program_id: int, recovery_rate: Decimal | None = None) -> int:
    """Rewrite Expense.eligible_cents for the program at its tax recovery rate; returns rows changed.

    Only rows with taxes depend on the rate; each distinct (amount, GST, QST) is computed once in
    Python (exact Decimal, half-up per expense) and written with one executemany. The caller bumps
    the data version and audits the settings change.
    """
    program = session.get(Program, program_id)
    if program is None:
        raise LookupError(f"no program with id {program_id}")
    rate = Decimal(program.tax_recovery_rate if recovery_rate is None else recovery_rate)
    table = Expense.__table__
    of_program = table.c.program_id == program_id
    changed = session.execute(
        sa.update(table).where(of_program, table.c.eligible.is_(False), table.c.eligible_cents != 0)
        .values(eligible_cents=0)
    ).rowcount or 0
    triples = session.execute(
        sa.select(table.c.amount_cents, table.c.gst_cents, table.c.qst_cents).distinct()
        .where(of_program, table.c.eligible.is_(True), (table.c.gst_cents + table.c.qst_cents) != 0)
    ).all()
    if triples:
        stmt = (
            sa.update(table)
            .where(of_program, table.c.eligible.is_(True), table.c.amount_cents == sa.bindparam("a"),
                   table.c.gst_cents == sa.bindparam("g"), table.c.qst_cents == sa.bindparam("q"),
                   table.c.eligible_cents != sa.bindparam("e"))
            .values(eligible_cents=sa.bindparam("e"))
        )
        params = [dict(a=a, g=g, q=q, e=eligible_cents(a, g, q, rate)) for a, g, q in triples]
        result = session.connection().execute(stmt, params)
        changed += max(result.rowcount or 0, 0)
    session.flush()
    return changed
