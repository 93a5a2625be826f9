"""money: cents <-> Decimal, half-up rounding, eligible cost net of recoverable taxes."""

from decimal import Decimal

import pytest

from cqic_budget.money import (
    eligible_cents,
    eligible_cost,
    from_cents,
    round_cents,
    share,
    tax_differs,
    to_cents,
)

D = Decimal


def test_round_half_up_to_the_cent_including_negatives():
    assert round_cents(D("0.005")) == D("0.01")
    assert round_cents(D("0.0049")) == D("0.00")
    assert round_cents(D("-0.005")) == D("-0.01")  # a credit note rounds away from zero too
    assert round_cents(D("2.675")) == D("2.68")  # exact decimal, no float surprise


def test_cents_round_trip():
    assert to_cents(D("1234.56")) == 123456
    assert to_cents("-12.00") == -1200
    assert from_cents(123456) == D("1234.56")
    assert from_cents(None) == D("0.00")


def test_eligible_cost_with_half_recovery_of_taxes():
    # 1 000,00 $ + TPS 50,00 $ + TVQ 99,75 $; r = 0.5 (non-profit):
    # 1 000 + 50 x 0.5 + 99.75 x 0.5 = 1 000 + 25 + 49.875 = 1 074.875 -> 1 074.88 (half-up)
    assert eligible_cost(D("1000"), D("50"), D("99.75"), D("0.5")) == D("1074.88")
    assert eligible_cents(100000, 5000, 9975, D("0.5")) == 107488


def test_eligible_cost_full_and_no_recovery():
    # r = 1: taxes fully recovered -> 1 000,00; r = 0: 1 000 + 50 + 99.75 = 1 149.75
    assert eligible_cost(D("1000"), D("50"), D("99.75"), D("1")) == D("1000.00")
    assert eligible_cost(D("1000"), D("50"), D("99.75"), D("0")) == D("1149.75")


def test_ineligible_expense_counts_zero():
    assert eligible_cost(D("1000"), D("50"), D("99.75"), D("0.5"), eligible=False) == D("0.00")


def test_credit_note():
    # -200 - 10 x 0.5 - 19.95 x 0.5 = -200 - 5 - 9.975 = -214.975 -> -214.98
    assert eligible_cost(D("-200"), D("-10"), D("-19.95"), D("0.5")) == D("-214.98")


@pytest.mark.parametrize(
    "amount, tax, rate, flagged",
    [
        ("1000", "50.00", "0.05", False),
        ("1000", "50.01", "0.05", False),  # one cent off: tolerated
        ("1000", "50.02", "0.05", True),
        ("1000", "99.75", "0.09975", False),
        ("1000", "0", "0.09975", False),  # no tax charged (exempt) is not a mismatch
    ],
)
def test_tax_differs(amount, tax, rate, flagged):
    assert tax_differs(D(amount), D(tax), D(rate)) is flagged


def test_share_with_zero_denominator_is_none():
    assert share(D("5"), D("0")) is None
    assert share(D("1"), D("4")) == D("0.25")


@pytest.mark.parametrize("text, cents", [
    ("180 000,00 $", 18_000_000),  # 180 000,00 $ = 18 000 000 cents
    ("1,234.56", 123_456),  # 1 234,56 $ = 123 456 cents
    ("(12,50)", -1_250),  # a negative in parentheses: -12,50 $
    (Decimal("15000.00"), 1_500_000),
])
def test_read_cents_reads_a_typed_amount_with_the_one_reader(text, cents):
    from cqic_budget.money import read_cents

    assert read_cents(text) == cents


@pytest.mark.parametrize("text", ["1e308", "NaN", "12.345", "1000000000000", "1 932,00 €", "10,005", "abc",
                                  ""])
def test_read_cents_refuses_what_is_not_a_cad_amount_to_the_cent(text):
    # 12.345: a tenth of a cent; 10^12 $: beyond the limit; euros: not the program's dollars;
    # « 10,005 »: ten dollars or ten thousand, a person must say which.
    from cqic_budget.money import read_cents

    with pytest.raises(ValueError):
        read_cents(text)
