"""Normalisation and the integer shortcuts the fast path takes, checked against money.py."""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal

import pytest

from cqic_budget import money
from cqic_budget.importing.header import field_of, label_key
from cqic_budget.importing.normalise import amount_cents, excel_serial_date, parse_date
from cqic_budget.importing.validate import _amounts, _review


@pytest.mark.parametrize(
    "text, cents",
    [
        ("1 234,56 $", 123456),
        ("1\u00a0234,56\u00a0$", 123456),
        ("1\u202f234,56 $", 123456),
        ("1,234.56", 123456),
        ("1.234,56", 123456),
        ("(12.00)", -1200),
        ("-12", -1200),
        ("12,00-", -1200),
        ("12,5", 1250),
        ("1,234", 123400),
        ("$45", 4500),
        ("45 $ CA", 4500),
        ("0,125", 13),
        ("  ", None),
        ("", None),
    ],
)
def test_amount_text(text, cents):
    assert amount_cents(text) == cents


@pytest.mark.parametrize("text", ["abc", "1,2,3", "--5", "12.34.5x", "(-5)", "1e400"])
def test_amount_text_unreadable(text):
    with pytest.raises(ValueError):
        amount_cents(text)


def test_float_amounts_round_half_up_like_money():
    values = [0.1 + 0.2, 821.4400000000001, 1.005, 2.675, -1.005, 123456.78, 1e-9]
    fast = _amounts(values)
    assert fast == [money.to_cents(Decimal(repr(v))) for v in values]


@pytest.mark.parametrize(
    "value, expected",
    [
        (date(2026, 3, 31), date(2026, 3, 31)),
        (datetime(2026, 3, 31, 14, 5), date(2026, 3, 31)),
        ("2026-03-31", date(2026, 3, 31)),
        ("31/03/2026", date(2026, 3, 31)),
        ("01/04/2026", date(2026, 4, 1)),
        ("31.03.2026", date(2026, 3, 31)),
        ("2026-03-31T10:00:00", date(2026, 3, 31)),
        (46112, date(2026, 3, 31)),
        (46112.75, date(2026, 3, 31)),
        ("", None),
    ],
)
def test_dates(value, expected):
    assert parse_date(value) == expected


def test_serials_in_both_date_systems():
    assert excel_serial_date(46112, False) == date(2026, 3, 31)
    assert excel_serial_date(44650, True) == date(2026, 3, 31)  # 1904 system: 1462 days fewer
    assert excel_serial_date(59, False) == date(1900, 2, 28)
    with pytest.raises(ValueError):
        excel_serial_date(0, False)


def test_serials_at_the_edges_of_the_calendar():
    # Serial 60 is Excel's fictitious 1900-02-29: read as the next day, 1900-03-01 (serial 61 too), where
    # openpyxl's from_excel says 1900-02-28. 1899-12-31 + 60 days: 31 (January) + 28 (February) + 1.
    assert excel_serial_date(60, False) == excel_serial_date(61, False) == date(1900, 3, 1)
    assert excel_serial_date(45000.9999999999, False) == date(2023, 3, 15)  # the time dropped, not rounded
    # 9999-12-31 is serial 2 958 465 in the 1900 system and 1 462 fewer, 2 957 003, in the 1904 one.
    assert excel_serial_date(2_958_465, False) == excel_serial_date(2_957_003, True) == date(9999, 12, 31)
    for serial, date1904 in [(2_957_004, True), (2_958_465, True), (2_958_466, False), (-1, False),
                             (0.5, False), (1e20, True), (float("nan"), False), (float("inf"), True)]:
        with pytest.raises(ValueError):  # not OverflowError: merchants and commitments catch ValueError
            excel_serial_date(serial, date1904)


@pytest.mark.parametrize("value", ["31/02/2026", "2026-13-01", "3/31/2026", "mars 2026", True])
def test_unreadable_dates(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_eligible_cost_in_integers_equals_the_decimal_formula():
    # The integer rule (money.eligible_cents_column) against SPEC §3 written in Decimal:
    # round_half_up(amount + (GST + QST) x (1 - r)), per expense.
    rng = random.Random(7)
    for rate in (Decimal("0.5"), Decimal("0"), Decimal("1"), Decimal("0.35"), Decimal("0.125")):
        rows = [tuple(rng.randint(-(10**7), 10**7) for _ in range(3)) for _ in range(3000)]
        rows += [(1, 1, 0), (-1, -1, 0), (0, 1, 0), (0, -1, 0), (100, 3, 0), (-100, -3, 0)]  # halves
        amounts, gsts, qsts = (list(column) for column in zip(*rows, strict=True))
        assert money.eligible_cents_column(amounts, gsts, qsts, rate) == [
            money.to_cents((Decimal(a) + Decimal(g + q) * (1 - rate)) / 100) for a, g, q in rows
        ]


def test_tax_flag_in_integers_equals_money_tax_differs():
    rng = random.Random(11)
    amounts = [rng.randint(-(10**6), 10**6) for _ in range(2000)]
    gsts = [round(a * 0.05) + rng.randint(-2, 2) for a in amounts]
    qsts = [round(a * 0.09975) + rng.randint(-2, 2) for a in amounts]
    for a, g, q, flags in zip(amounts, gsts, qsts, _review(amounts, gsts, qsts), strict=True):
        gst_off = money.tax_differs(money.from_cents(a), money.from_cents(g), money.GST_RATE)
        qst_off = money.tax_differs(money.from_cents(a), money.from_cents(q), money.QST_RATE)
        assert ("gst-differs" in flags, "qst-differs" in flags) == (gst_off, qst_off)


def test_label_key_and_synonyms():
    assert label_key("  N° de facture ") == "no de facture"
    assert label_key("TPS (5 %)") == "tps"
    assert field_of("Montant avant taxes") == "amount" and field_of("MONTANT") == "amount"
    assert field_of("Date de la dépense") == "date" and field_of("Invoice #") == "invoice"
    assert field_of("Poste budgétaire") == "category" and field_of("Total TTC") == "total"
    assert field_of("Remarques") is None
