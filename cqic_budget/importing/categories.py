"""Category of an imported row: by code or French/English label, or a label an admin mapped once."""

from __future__ import annotations

from sqlmodel import Session, select

from cqic_budget.importing.header import label_key
from cqic_budget.models import Category, CategoryAlias
from cqic_budget.setup import UNCLASSIFIED

MISSING_CATEGORY = "missing-category"
UNKNOWN_CATEGORY = "unknown-category"


class CategoryResolver:
    """label -> (category id, review reason); unknown and missing labels go to « À classer », flagged."""

    def __init__(self, session: Session):
        self.by_key: dict[str, int] = {}
        self.unclassified_id = 0
        for category in session.exec(select(Category)):
            for text in (category.code.replace("_", " "), category.label_fr, category.label_en):
                self.by_key.setdefault(label_key(text), category.id)
            if category.code == UNCLASSIFIED:
                self.unclassified_id = category.id
        for alias in session.exec(select(CategoryAlias)):
            self.by_key[alias.label_key] = alias.category_id
        self._cache: dict[str, tuple[int, str]] = {}

    def resolve(self, label: str) -> tuple[int, str]:
        found = self._cache.get(label)
        if found is None:
            key = label_key(label)
            if not key:
                found = (self.unclassified_id, MISSING_CATEGORY)
            elif key in self.by_key:
                category_id = self.by_key[key]
                found = (category_id, "" if category_id != self.unclassified_id else MISSING_CATEGORY)
            else:
                found = (self.unclassified_id, f"{UNKNOWN_CATEGORY}:{key}"[:150])
            self._cache[label] = found
        return found
