"""Mapping a spreadsheet's category label to a category once, for every later import."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from cqic_budget import audit
from cqic_budget.auth import normalise_email, require
from cqic_budget.db import bump_data_version
from cqic_budget.importing.categories import UNKNOWN_CATEGORY
from cqic_budget.importing.header import label_key
from cqic_budget.models import Category, CategoryAlias, Expense
from cqic_budget.settings_service.values import SettingsError
from cqic_budget.setup import UNCLASSIFIED


@dataclass(frozen=True)
class LabelMapping:
    """What map_category_label did."""

    alias_id: int
    label_key: str
    category_code: str
    changed: bool  # False when the label was already mapped to that category
    reclassified: int  # expenses waiting in « À classer » under that label, now in the category


def map_category_label(session: Session, label: str, category_code: str, *, user: str) -> LabelMapping:
    """Map a spreadsheet label (« Frais de déplacement ») to a category once; later imports use it.

    Stored as a CategoryAlias under importing's label_key (the key imports look aliases up by); mapping a
    label again moves it. The expenses imports left in « À classer » with that label (review reason
    `unknown-category:<key>`) are classified now and that reason is removed; an expense someone has
    already classified by hand is left alone. Aliases are shared by every program, and so is this.
    Permission "settings"; audited (the alias, and the reclassified expense ids); bumps the data version.
    """
    require(session, user, "settings")
    key = label_key(label)
    if not key:
        raise SettingsError("required", "label", label)
    if len(key) > 200:
        raise SettingsError("too-long", "label", label, limit=200)
    category = session.exec(select(Category).where(Category.code == category_code)).first()
    if category is None:
        raise SettingsError("unknown-reference", "category", category_code)
    user = normalise_email(user)
    alias = session.exec(select(CategoryAlias).where(CategoryAlias.label_key == key)).first()
    changed = alias is None or alias.category_id != category.id
    if alias is None:
        alias = CategoryAlias(label_key=key, category_id=category.id)
        session.add(alias)
        session.flush()
        audit.record(session, user=user, action="category_alias.create", entity="category_alias",
                     entity_id=alias.id, after=audit.snapshot(alias))
    elif changed:
        before = {"category_id": alias.category_id}
        alias.category_id = category.id
        session.add(alias)
        session.flush()
        audit.record(session, user=user, action="category_alias.update", entity="category_alias",
                     entity_id=alias.id, before=before, after={"category_id": category.id})
    reclassified = _reclassify_waiting(session, key, category, alias_id=alias.id, user=user)
    if changed or reclassified:
        bump_data_version(session)
    return LabelMapping(alias_id=alias.id, label_key=key, category_code=category.code, changed=changed,
                        reclassified=len(reclassified))


def _reclassify_waiting(
    session: Session, key: str, category: Category, *, alias_id: int, user: str
) -> list[int]:
    """Move the unclassified expenses imported under label `key` to `category`; returns their ids."""
    if category.code == UNCLASSIFIED:
        return []
    # The import writes this reason (cut to 150 characters) among others joined by "|".
    markers = {f"{UNKNOWN_CATEGORY}:{key}", f"{UNKNOWN_CATEGORY}:{key}"[:150]}
    unclassified = select(Category.id).where(Category.code == UNCLASSIFIED).scalar_subquery()
    waiting = session.exec(
        select(Expense).where(Expense.category_id == unclassified, Expense.needs_review.is_(True),
                              Expense.review_reason.like(f"%{min(markers, key=len)}%"))
    ).all()
    moved = []
    for expense in waiting:
        parts = expense.review_reason.split("|")
        kept = [part for part in parts if part not in markers]
        if len(kept) == len(parts):
            continue
        expense.category_id = category.id
        expense.review_reason = "|".join(kept)
        expense.needs_review = bool(kept)
        session.add(expense)
        moved.append(expense.id)
    if moved:
        session.flush()
        audit.record(session, user=user, action="expense.reclassify", entity="category_alias",
                     entity_id=alias_id, before={"category": UNCLASSIFIED},
                     after={"category": category.code, "label_key": key, "expense_ids": moved})
    return moved
