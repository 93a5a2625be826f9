"""One home per rule (issue 12 item 1): the eligible cost, the tax check and the reading of an amount
are each one function, and every path that uses them agrees with it."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlmodel import select

from cqic_budget.importing.normalise import amount_cents
from cqic_budget.importing.validate import _review
from cqic_budget.models import Category, Expense, User
from cqic_budget.money import (
    GST_RATE,
    QST_RATE,
    amount_convention,
    eligible_cents,
    eligible_cents_column,
    read_amount,
    tax_differs,
    tax_flags,
)
from cqic_budget.settings_service import SettingsError, recompute_eligible_cents, update_program_settings
from cqic_budget.setup import get_program

D = Decimal
ADMIN = "admin@cqic.ca"


def test_foreign_and_no_tax_are_never_recovered():
    # 1 000,00 $ + 50,00 + 99,75 of tax, r = 0.5:
    #   qc:      1 000 + (50 + 99.75) x 0.5 = 1 074.875 -> 1 074.88
    #   foreign: 1 000 + (50 + 99.75) x 1   = 1 149.75 (a French VAT is not recoverable)
    #   none:    the same rule: whatever tax there is counts in full
    assert eligible_cents(100000, 5000, 9975, D("0.5")) == 107488
    assert eligible_cents(100000, 5000, 9975, D("0.5"), tax_treatment="foreign") == 114975
    assert eligible_cents(100000, 5000, 9975, D("0.5"), tax_treatment="none") == 114975
    # VAT 20 % on 1 610,00 $ (converted) = 322,00 $: eligible 1 610 + 322 = 1 932,00 $
    assert eligible_cents(161000, 32200, 0, D("0.5"), tax_treatment="foreign") == 193200
    with pytest.raises(ValueError):
        eligible_cents(1, 0, 0, D("0.5"), tax_treatment="vat")


def test_tax_check_is_one_function_for_every_path():
    # 10 000 cents x 5 % = 500; 502 is 2 cents off (flagged), 501 one cent (tolerated); 0 = exempt.
    flags = tax_flags([10000, 10000, 10000, 10000], [500, 501, 502, 0], GST_RATE)
    assert flags == [False, False, True, False]
    assert tax_differs(D("100"), D("5.02"), GST_RATE) is True
    assert tax_differs(D("100"), D("5.02"), GST_RATE, "foreign") is False  # a VAT is not checked at 5 %
    # The importer's review column is money.tax_flags, on short and numpy-long columns alike.
    rng = random.Random(3)
    for n in (50, 25_000):
        amounts = [rng.randint(-10**6, 10**6) for _ in range(n)]
        gsts = [round(a * 0.05) + rng.randint(-2, 2) for a in amounts]
        qsts = [round(a * 0.09975) + rng.randint(-2, 2) for a in amounts]
        review = _review(amounts, gsts, qsts)
        assert [("gst-differs" in r, "qst-differs" in r) for r in review] == list(
            zip(tax_flags(amounts, gsts, GST_RATE), tax_flags(amounts, qsts, QST_RATE), strict=True))
        assert any(review) and not all(review)


@pytest.mark.parametrize(
    "text, value, currency, ambiguous",
    [
        ("1 234,56 $", "1234.56", None, False),
        ("1,234.56", "1234.56", None, False),
        ("1,234", "1234", None, True),  # no hint: the decimal point convention -> thousands
        ("10,005", "10005", None, True),
        ("1.234", "1.234", None, True),
        ("1 932,00 €", "1932.00", "EUR", False),
        ("EUR 139,50", "139.50", "EUR", False),
        ("US$ 12.50", "12.50", "USD", False),
        ("12 USD", "12", "USD", False),
        ("45 $ CA", "45", "CAD", False),
        ("12 XYZ", "12", "XYZ", False),  # an unknown code is kept: the import says unknown-currency
        ("(12.00)", "-12.00", None, False),
    ],
)
def test_read_amount(text, value, currency, ambiguous):
    assert read_amount(text) == type(read_amount(text))(D(value), currency, ambiguous)


def test_ambiguous_amount_follows_the_dominant_convention():
    # A sheet written « 12,50 », « 1 234,56 »: the comma is its decimal mark, so « 1,234 » is 1,234 $.
    assert amount_convention(["12,50", "1 234,56", "1,234"]) == ","
    assert read_amount("1,234", decimal=",").value == D("1.234")
    assert amount_convention(["12.50", "1,234.56", "1,234"]) == "."
    assert read_amount("1,234", decimal=".").value == D("1234")
    assert amount_convention(["1,234", "7"]) is None


def test_settings_and_import_read_an_amount_the_same(session):
    """« 1,234 » means 1 234,00 $ in the budget field and in an imported cell (it was 1,234 in one)."""
    session.add(User(email=ADMIN, role="admin"))
    program = get_program(session)
    for text in ("1,234", "1 234,50", "1,234.50", "12,5", "(0,50)"):
        cents = amount_cents(text)
        if cents < 0:
            with pytest.raises(SettingsError):  # a budget is never negative
                update_program_settings(session, program.id, {"budget_total": text}, user=ADMIN)
            continue
        update_program_settings(session, program.id, {"budget_total": text}, user=ADMIN)
        session.flush()
        assert program.budget_total_cents == cents
    with pytest.raises(SettingsError) as caught:  # a budget in euros is refused, not read as dollars
        update_program_settings(session, program.id, {"budget_total": "1 000 €"}, user=ADMIN)
    assert caught.value.code == "invalid-number"


def test_sql_recompute_agrees_with_the_rule(session):
    """settings' SQL UPDATE (money.eligible_cents_sql) = money.eligible_cents_column, row by row, on
    random amounts, credit notes, halves, and every tax treatment; SQLite and PostgreSQL."""
    program = get_program(session)
    category = session.exec(select(Category)).first()
    rng = random.Random(5)
    rows = [(rng.randint(-10**7, 10**7), rng.randint(-10**5, 10**5), rng.randint(-10**5, 10**5),
             rng.choice(("qc", "foreign", "none")), rng.random() > 0.1) for _ in range(400)]
    rows += [(1, 1, 0, "qc", True), (-1, -1, 0, "qc", True), (-100, 1, 0, "qc", True), (0, 3, 0, "qc", True)]
    table = Expense.__table__
    session.execute(sa.insert(table), [
        {"program_id": program.id, "date": date(2025, 5, 1), "category_id": category.id, "amount_cents": a,
         "gst_cents": g, "qst_cents": q, "tax_treatment": t, "eligible": e, "eligible_cents": 0,
         "vendor": "", "description": "", "invoice_number": "", "ineligible_reason": "",
         "needs_review": False, "review_reason": "", "currency": "CAD", "fx_source": ""}
        for a, g, q, t, e in rows])
    for rate in (D("0.5"), D("0"), D("1"), D("0.3333"), D("0.125")):
        recompute_eligible_cents(session, program_id=program.id, recovery_rate=rate)
        stored = session.execute(sa.select(table.c.eligible_cents).where(table.c.program_id == program.id)
                                 .order_by(table.c.id)).scalars().all()
        expected = eligible_cents_column([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows],
                                         rate, [r[3] for r in rows])
        assert stored == [x if r[4] else 0 for x, r in zip(expected, rows, strict=True)]
    # Hand-worked: -1,00 $ with +0,01 $ of GST kept at 1/2 = -0,995 -> -1,00 (half away from zero).
    assert eligible_cents(-100, 1, 0, D("0.5")) == -100
