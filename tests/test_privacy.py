"""The one redaction of personal information (cqic_budget.privacy) and the merging of small groups
(metrics.impact.merge_small_groups), as pure functions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cqic_budget.metrics.impact import (
    OTHER_GROUPS,
    DirectSpend,
    ImpactFacts,
    MerchantGroup,
    impact,
    merge_small_groups,
    split_impact,
)
from cqic_budget.privacy import NameMatcher, Redactor, link_merchants, unchanged

MATCHER = NameMatcher([("Épicerie Bélanger-Côté", 1), ("Josée Lévesque", 1), ("Quincaillerie Dufour", 2),
                       ("A B Bijoux", 3)])
REDACT = Redactor(MATCHER, "[masqué]")


@pytest.mark.parametrize("text, shown", [
    ("Diagnostic — Épicerie Bélanger-Côté", "Diagnostic — [masqué]"),
    ("EPICERIE BELANGER COTE inc.", "[masqué] inc."),
    ("épicerie   bélanger—côté", "[masqué]"),
    ("EpicerieBelangerCote-02", "[masqué]-02"),
    ("contact josee levesque", "contact [masqué]"),
    ("quincaillerie  dufour, a.b. bijoux", "[masqué], [masqué]"),
    ("NEQ 1171234567 ou 1171 234 567", "NEQ [masqué] ou [masqué]"),
    ("josee.levesque@belanger-cote.ca", "[masqué]"),
    ("450 555-0000 / (514) 555-1234 / +1 514 555 1234 / 514.555.1234 / 1-800-555-0199 poste 12",
     "[masqué] / [masqué] / [masqué] / [masqué] / [masqué]"),
])
def test_personal_values_are_redacted_however_typed(text, shown):
    assert REDACT(text) == shown


@pytest.mark.parametrize("text", [
    "Épiceries Bélanger-Côtés",  # another word, not the name
    "Honoraires 2026-03-31, 1 234,56 $, facture F-2026-0012",  # dates, amounts, invoices stay
    "Dufour",  # a part of a name alone is not the name
])
def test_ordinary_text_stays(text):
    assert REDACT(text) == text


def test_staff_get_the_text_unchanged_and_values_of_any_shape_are_walked():
    assert unchanged("Épicerie Bélanger-Côté") == "Épicerie Bélanger-Côté"
    value = {"Quincaillerie Dufour": ["450 555-0000", 3, None]}
    assert REDACT.value(value) == {"[masqué]": ["[masqué]", 3, None]}
    assert REDACT(None) is None and REDACT(12) == 12


def test_a_row_is_linked_to_the_one_merchant_it_names():
    rows = [("Épicerie Belanger Cote", "x"), ("", "QUINCAILLERIE DUFOUR"), ("Dufour et Bélanger", ""),
            ("Quincaillerie Dufour pour Josée Lévesque", ""), (None, None)]
    assert link_merchants(MATCHER, rows) == [1, 2, None, None, None]


def _facts(groups: list[tuple[str, str, str, str, int]]) -> ImpactFacts:
    return ImpactFacts(
        as_of=date(2026, 10, 31), spent=Decimal("1000"), target_reached=0, target_supported=0,
        target_completed=0, groups=tuple(MerchantGroup(*g) for g in groups), indicators=(), pairs=(),
        direct_spend=(DirectSpend("retail", "micro", "Hameau", Decimal("300")),),
    )


def test_groups_of_fewer_than_the_setting_merge_into_other():
    # Laval 6 merchants (4 + 2), Sainte-Rose 3, Hameau 1: with groups of 5, Sainte-Rose and Hameau merge
    # into « Autres » (3 + 1 = 4 merchants); sectors: retail 4 + 3 + 1 = 8, wholesale 2 (merged).
    facts = _facts([("retail", "micro", "Laval", "supported", 4),
                    ("wholesale", "small", "Laval", "reached", 2),
                    ("retail", "micro", "Sainte-Rose", "supported", 3),
                    ("retail", "micro", "Hameau", "reached", 1)])
    merged = merge_small_groups(facts, 5)
    by_town = {town: part.counts.reached for town, part in split_impact(merged, "municipality").items()}
    assert by_town == {"Laval": 6, OTHER_GROUPS: 4}
    by_sector = {sector: part.counts.reached for sector, part in split_impact(merged, "sector").items()}
    assert by_sector == {"retail": 8, OTHER_GROUPS: 2}
    assert split_impact(merged, "municipality")[OTHER_GROUPS].direct_spent == Decimal("300")
    # The program's whole figures do not change.
    assert impact(merged).counts == impact(facts).counts
    # With groups of one, nothing is merged.
    assert merge_small_groups(facts, 1) is facts
