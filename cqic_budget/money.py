"""Money: integer cents in the store, Decimal in Python, half-up rounding, eligible-cost arithmetic."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
GST_RATE = Decimal("0.05")
QST_RATE = Decimal("0.09975")


def round_cents(value: Decimal) -> Decimal:
    """Half-up to the cent (away from zero on a half, as accountants expect for credit notes too)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(value: Decimal | int | str) -> int:
    """Decimal dollars -> integer cents, rounded half-up."""
    return int(round_cents(Decimal(str(value))) * 100)


def from_cents(cents: int | None) -> Decimal:
    """Integer cents -> Decimal dollars with two places."""
    return (Decimal(int(cents or 0)) / 100).quantize(CENT)


def eligible_cost(
    before_tax: Decimal, gst: Decimal, qst: Decimal, recovery_rate: Decimal, *, eligible: bool = True
) -> Decimal:
    """before_tax + GST x (1 - r) + QST x (1 - r), rounded half-up per expense; 0 when ineligible."""
    if not eligible:
        return Decimal("0.00")
    keep = 1 - Decimal(recovery_rate)
    return round_cents(Decimal(before_tax) + Decimal(gst) * keep + Decimal(qst) * keep)


def eligible_cents(
    amount_cents: int, gst_cents: int, qst_cents: int, recovery_rate: Decimal, *, eligible: bool = True
) -> int:
    """eligible_cost on integer cents, for the store."""
    return to_cents(
        eligible_cost(
            from_cents(amount_cents), from_cents(gst_cents), from_cents(qst_cents), recovery_rate,
            eligible=eligible,
        )
    )


def expected_tax(before_tax: Decimal, rate: Decimal) -> Decimal:
    return round_cents(Decimal(before_tax) * rate)


def tax_differs(before_tax: Decimal, tax: Decimal, rate: Decimal) -> bool:
    """True when a sheet's tax differs from rate x amount by more than a cent (flag, not reject)."""
    if tax == 0:
        return False
    return abs(Decimal(tax) - Decimal(before_tax) * rate) > CENT


def share(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """A ratio, or None when the denominator is zero (shown as « — », never an error)."""
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)
