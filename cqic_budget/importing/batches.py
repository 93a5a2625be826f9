"""Import batches: the history, undoing a whole batch, and the category labels imports left to map.

The command line and the Upload page go through here; roles are checked here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from cqic_budget import auth
from cqic_budget.closing import LOCKING_CLAIM_STATUSES, lock_message, locked_periods
from cqic_budget.db import lock_program_writes, session_scope
from cqic_budget.i18n import t
from cqic_budget.importing import dedup
from cqic_budget.importing.categories import UNKNOWN_CATEGORY
from cqic_budget.importing.commit import REVERSED, reverse_batch
from cqic_budget.models import Claim, ClaimExpense, Expense, ImportBatch
from cqic_budget.setup import get_program


@dataclass(frozen=True)
class BatchSummary:
    id: int
    file_name: str
    user: str
    created_at: datetime
    rows_read: int
    rows_imported: int
    rows_rejected: int
    rows_duplicate: int
    status: str
    reversed_at: datetime | None
    reversed_by: str | None


def list_batches(
    session: Session, *, program_code: str | None = None, limit: int = 200
) -> list[BatchSummary]:
    """The import history, newest first."""
    program = get_program(session, program_code)
    stmt = (
        select(ImportBatch)
        .where(ImportBatch.program_id == program.id)
        .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
        .limit(limit)
    )
    return [
        BatchSummary(
            b.id,
            b.file_name,
            b.user,
            b.created_at,
            b.rows_read,
            b.rows_imported,
            b.rows_rejected,
            b.rows_duplicate,
            b.status,
            b.reversed_at,
            b.reversed_by,
        )
        for b in session.exec(stmt)
    ]


@dataclass(frozen=True)
class UndoResult:
    batch_id: int
    ok: bool
    expenses_deleted: int
    message: str


def undo_batch(
    engine: sa.Engine, batch_id: int, *, user: str = auth.LOCAL_USER, lang: str = "fr"
) -> UndoResult:
    """Reverse a whole batch (its expenses deleted, status reversed, audited). Raises auth.Forbidden."""
    user = auth.normalise_email(user)
    with session_scope(engine) as session:
        auth.require(session, user, "undo_import")
        program_id = session.execute(
            sa.select(ImportBatch.program_id).where(ImportBatch.id == batch_id)
        ).scalar_one_or_none()
        if program_id is None:
            return UndoResult(batch_id, False, 0, t("import.undo.unknown", lang, batch_id=batch_id))
        lock_program_writes(session, program_id)
        # A batch with rows in a submitted claim or a closed period stays: checked before it is claimed.
        in_claims = session.execute(
            sa.select(sa.func.count()).select_from(ClaimExpense)
            .join(Claim, Claim.id == ClaimExpense.claim_id)
            .join(Expense, Expense.id == ClaimExpense.expense_id)
            .where(Expense.batch_id == batch_id, Claim.status.in_(LOCKING_CLAIM_STATUSES))
        ).scalar_one()
        if in_claims:
            message = t("import.undo.claimed", lang, batch_id=batch_id, count=in_claims)
            return UndoResult(batch_id, False, 0, message)
        for lock in locked_periods(session, program_id):
            count = session.execute(sa.select(sa.func.count()).select_from(Expense).where(
                Expense.batch_id == batch_id, Expense.date >= lock.start, Expense.date <= lock.end,
            )).scalar_one()
            if count:
                return UndoResult(batch_id, False, 0, t("import.undo.closed-period", lang, batch_id=batch_id,
                                                        count=count, lock=lock_message(lock, lang)))
        # Only an active batch is reversed: of two undos at once, the second finds it no longer active.
        claimed = session.execute(
            sa.update(ImportBatch)
            .where(ImportBatch.id == batch_id, ImportBatch.status == dedup.ACTIVE)
            .values(status=REVERSED)
        ).rowcount
        if claimed != 1:
            return UndoResult(batch_id, False, 0, t("import.undo.not-active", lang, batch_id=batch_id))
        batch = session.get(ImportBatch, batch_id, populate_existing=True)
        deleted = reverse_batch(session, batch, user=user, was=dedup.ACTIVE)
    return UndoResult(batch_id, True, deleted, t("import.undo.done", lang, batch_id=batch_id, count=deleted))


def category_labels_to_map(session: Session, *, program_code: str | None = None) -> list[tuple[str, int]]:
    """Unknown category labels met in imports (normalised), with how many expenses await each."""
    program = get_program(session, program_code)
    table = Expense.__table__
    stmt = (
        sa.select(table.c.review_reason, sa.func.count())
        .where(
            table.c.program_id == program.id,
            table.c.needs_review.is_(True),
            table.c.review_reason.like(f"%{UNKNOWN_CATEGORY}:%"),
        )
        .group_by(table.c.review_reason)
    )
    counts: dict[str, int] = {}
    for reason, count in session.execute(stmt):
        for part in reason.split("|"):
            if part.startswith(f"{UNKNOWN_CATEGORY}:"):
                key = part.split(":", 1)[1]
                counts[key] = counts.get(key, 0) + count
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def map_category_label(
    engine: sa.Engine, label: str, category_code: str, *, user: str = auth.LOCAL_USER
) -> int:
    """Map a spreadsheet label to a category once, in its own transaction; returns how many waiting
    expenses were classified. The rule and its audit live in settings_service.map_category_label."""
    from cqic_budget.settings_service import map_category_label as map_in_session

    with session_scope(engine) as session:
        return map_in_session(session, label, category_code, user=user).reclassified
