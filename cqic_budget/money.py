"""Money: integer cents in the store, Decimal in Python, half-up rounding, eligible-cost arithmetic."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


TAX_QC, TAX_FOREIGN, TAX_NONE = "qc", "foreign", "none"
# qc: GST/QST recoverable at the program's rate; foreign: a foreign tax (French VAT), never recoverable;
# none: no tax. Only qc taxes are recovered; any other tax counts in full in the eligible cost.
TAX_TREATMENTS = (TAX_QC, TAX_FOREIGN, TAX_NONE)


def kept_tax_ratio(recovery_rate: Decimal, tax_treatment: str = TAX_QC) -> tuple[int, int]:
    """The share of the taxes that stays a cost, as an exact fraction (numerator, denominator):
    1 - r for Québec taxes, 1 for any other."""
    if tax_treatment not in TAX_TREATMENTS:
        raise ValueError(tax_treatment)
    if tax_treatment != TAX_QC:
        return 1, 1
    keep = 1 - Decimal(recovery_rate)
    if not 0 <= keep <= 1:
        raise ValueError(recovery_rate)
    return keep.as_integer_ratio()


def _half_away(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero (as round_cents does), in integers."""
    twice = 2 * denominator
    if numerator >= 0:
        return (2 * numerator + denominator) // twice
    return -((denominator - 2 * numerator) // twice)


def eligible_cents_column(
    amounts: list[int],
    gsts: list[int],
    qsts: list[int],
    recovery_rate: Decimal,
    treatments: list[str] | None = None,
) -> list[int]:
    """THE eligible-cost rule of SPEC §3, on integer cents, for a whole column (every path calls it:
    imports, the demo, money.eligible_cents, and eligible_cents_sql is checked against it):
    amount + (GST + QST) x kept, kept = 1 - r for Québec taxes and 1 for a foreign or no tax,
    rounded half away from zero per expense. The whole sum is rounded, not the taxes alone."""
    keep_num, keep_den = kept_tax_ratio(recovery_rate)
    if treatments is None or all(t == TAX_QC for t in treatments):
        return [_half_away(a * keep_den + (g + q) * keep_num, keep_den)
                for a, g, q in zip(amounts, gsts, qsts, strict=True)]
    ratios = {t: kept_tax_ratio(recovery_rate, t) for t in set(treatments)}
    out = []
    for a, g, q, t in zip(amounts, gsts, qsts, treatments, strict=True):
        num, den = ratios[t]
        out.append(_half_away(a * den + (g + q) * num, den))
    return out


def eligible_cents(
    amount_cents: int,
    gst_cents: int,
    qst_cents: int,
    recovery_rate: Decimal,
    *,
    eligible: bool = True,
    tax_treatment: str = TAX_QC,
) -> int:
    """One expense's eligible cost in cents (0 when ineligible): eligible_cents_column on one row."""
    if not eligible:
        return 0
    return eligible_cents_column([int(amount_cents)], [int(gst_cents)], [int(qst_cents)], recovery_rate,
                                 [tax_treatment])[0]


def eligible_cost(
    before_tax: Decimal,
    gst: Decimal,
    qst: Decimal,
    recovery_rate: Decimal,
    *,
    eligible: bool = True,
    tax_treatment: str = TAX_QC,
) -> Decimal:
    """eligible_cents on Decimal dollars (whole cents, as the store keeps them)."""
    cents = [Decimal(v) * 100 for v in (before_tax, gst, qst)]
    if any(c != c.to_integral_value() for c in cents):
        raise ValueError("amounts are whole cents")
    a, g, q = (int(c) for c in cents)
    return from_cents(eligible_cents(a, g, q, recovery_rate, eligible=eligible, tax_treatment=tax_treatment))


def eligible_cents_sql(recovery_rate: Decimal) -> str:
    """eligible_cents_column as a SQL expression over the expense table's columns (amount_cents,
    gst_cents, qst_cents, eligible, tax_treatment), generated from the same exact fractions and the same
    half-away rounding; integer arithmetic only, so SQLite and PostgreSQL agree with Python to the cent
    (tests/test_money_rules.py runs both against random rows)."""

    def rounded(num: int, den: int) -> str:
        n = f"(amount_cents * {den} + (gst_cents + qst_cents) * {num})"
        return (f"CASE WHEN {n} < 0 THEN -(({den} - 2 * {n}) / {2 * den}) "
                f"ELSE (2 * {n} + {den}) / {2 * den} END")

    qc_num, qc_den = kept_tax_ratio(recovery_rate, TAX_QC)
    full_num, full_den = kept_tax_ratio(recovery_rate, TAX_FOREIGN)
    return (f"CASE WHEN NOT eligible THEN 0 WHEN tax_treatment = '{TAX_QC}' THEN {rounded(qc_num, qc_den)} "
            f"ELSE {rounded(full_num, full_den)} END")


def tax_flags(amounts: list[int], taxes: list[int], rate: Decimal) -> list[bool]:
    """THE tax check of SPEC §3 for a column of cents: a tax charged (non-zero) that differs from
    rate x amount by more than a cent. Exact integers; numpy for long columns (int64 is exact here:
    amounts under 10^11 cents, rates as small fractions)."""
    num, den = Decimal(rate).as_integer_ratio()
    if len(amounts) >= _VECTOR_ROWS and max(num, den) < 2**20:
        import numpy as np

        a, t = np.array(amounts, dtype=np.int64), np.array(taxes, dtype=np.int64)
        return ((t != 0) & (np.abs(t * den - a * num) > den)).tolist()
    return [bool(t) and abs(t * den - a * num) > den for a, t in zip(amounts, taxes, strict=True)]


_VECTOR_ROWS = 20_000  # from here numpy (its import included) beats a Python loop


def tax_differs(before_tax: Decimal, tax: Decimal, rate: Decimal, tax_treatment: str = TAX_QC) -> bool:
    """One tax, in Decimal dollars: tax_flags on one row. Only Québec taxes are checked against the
    Québec rates (a foreign VAT has its own)."""
    if tax_treatment != TAX_QC:
        return False
    return tax_flags([to_cents(before_tax)], [to_cents(tax)], rate)[0]


def share(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """A ratio, or None when the denominator is zero (shown as « — », never an error)."""
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


# --- amounts written as text -----------------------------------------------------------------------------

# A currency written beside an amount: symbol or ISO code. The longest forms first (« US$ » before « $ »).
_CURRENCY_WORDS = (
    (re.compile(r"(?i)\bUS\s*\$|\$\s*US\b|\bUSD\b"), "USD"),
    (re.compile(r"(?i)\bCAN?\s*\$|\$\s*CAN?\b|\bCAD\b|\bC\$"), "CAD"),
    (re.compile(r"(?i)€|\bEUR\b|\beuros?\b"), "EUR"),
    (re.compile(r"(?i)£|\bGBP\b"), "GBP"),
)
_ISO_CODE = re.compile(r"\b[A-Za-z]{3}\b")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\u2007\t'’")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
DOT, COMMA = ".", ","  # the decimal separator of a writing convention


@dataclass(frozen=True)
class AmountText:
    """An amount read from text: its value, the currency written with it (None: none written, or a bare
    « $ »), and whether its separator could be read both ways (« 1,234 », « 10,005 »)."""

    value: Decimal
    currency: str | None = None
    ambiguous: bool = False


def read_amount(text: str, *, decimal: str | None = None) -> AmountText:
    """THE reading of an amount typed or imported as text (the importer and the Settings editors call it):
    « 1 234,56 $ », « 1,234.56 », « 1.234,56 », « (12.00) » and « 12,00- » for negatives, no-break and
    narrow spaces, a currency symbol or code (€, EUR, US$, USD...). A lone separator followed by exactly
    three digits (« 1,234 ») is ambiguous: it follows `decimal` (the sheet's dominant convention,
    amount_convention) and, with no hint, the decimal point (« 1,234 » = 1 234; « 1.234 » = 1,234).
    Raises ValueError when the text is not an amount."""
    raw = text.strip()
    if not raw:
        raise ValueError(text)
    currency = None
    for pattern, code in _CURRENCY_WORDS:
        if pattern.search(raw):
            if currency is not None and currency != code:
                raise ValueError(text)  # two currencies in one cell
            currency = code
            raw = pattern.sub(" ", raw)
    code = _ISO_CODE.search(raw)
    if code is not None:
        if currency is not None:
            raise ValueError(text)
        currency = code.group().upper()
        raw = _ISO_CODE.sub(" ", raw)
    raw = raw.replace("$", " ").replace("\u2212", "-").strip()
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        negative, raw = True, raw[1:-1]
    raw = raw.translate(_SPACES)
    if raw.endswith("-"):  # « 12,00- » as some accounting exports write credits
        negative, raw = not negative, raw[:-1]
    if raw.startswith("-") and negative:
        raise ValueError(text)
    plain, ambiguous = _plain(raw, decimal) if raw else ("", False)
    if not _NUMBER.fullmatch(plain):
        raise ValueError(text)
    try:
        value = Decimal(plain)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return AmountText(-value if negative else value, currency, ambiguous)


MAX_TYPED_DOLLARS = Decimal(10) ** 12  # an amount a person types (a claim, an amendment): beyond is a typo


def read_cents(text: str | Decimal) -> int:
    """An amount a person types on the command line or in a form (a claim's approved or paid amount, an
    amendment's line), in cents: read by read_amount, in the program's dollars (no other currency written),
    exact to the cent, below ±10¹² $, and not ambiguous (« 1,234 » could be 1 234 $ or 1,234 $: the person
    writes « 1 234,00 » or « 1,23 »). ValueError otherwise."""
    raw = format(text, "f") if isinstance(text, Decimal) else str(text)
    reading = read_amount(raw)
    value = reading.value
    # The magnitude before the cent check: quantize() of 1e308 to the cent would overflow the context.
    if reading.currency not in (None, "CAD") or reading.ambiguous or abs(value) >= MAX_TYPED_DOLLARS:
        raise ValueError(text)
    if value != value.quantize(CENT):
        raise ValueError(text)
    return int(value * 100)


def _plain(raw: str, decimal: str | None) -> tuple[str, bool]:
    """(the number with « . » as its decimal point and no thousands separator, ambiguous?)."""
    comma, dot = raw.rfind(","), raw.rfind(".")
    if comma >= 0 and dot >= 0:
        decimal_sep = "," if comma > dot else "."
        thousands = "." if decimal_sep == "," else ","
        head, _, tail = raw.rpartition(decimal_sep)
        if not _grouped(head.replace(thousands, " ").split(" ")):
            raise ValueError(raw)
        return head.replace(thousands, "") + "." + tail, False
    sep = "," if comma >= 0 else "." if dot >= 0 else None
    if sep is None:
        return raw, False
    parts = raw.split(sep)
    if len(parts) > 2:  # « 1,234,567 » / « 1.234.567 »: thousands
        if not _grouped(parts):
            raise ValueError(raw)
        return "".join(parts), False
    head, tail = parts
    if len(tail) == 3 and _grouped(parts) and head.lstrip("+-") not in ("", "0"):
        # « 1,234 »: thousands or decimals? The sheet's convention decides, else the decimal point.
        thousands = (decimal or DOT) != sep
        return (head + tail if thousands else head + "." + tail), True
    return head + "." + tail, False


def _grouped(parts: list[str]) -> bool:
    """Thousands groups: a first group of 1-3 digits, then groups of exactly 3."""
    first = parts[0].lstrip("+-")
    return 0 < len(first) <= 3 and all(len(p) == 3 and p.isdigit() for p in parts[1:]) or len(parts) == 1


def amount_convention(texts: list[str]) -> str | None:
    """The decimal separator most of `texts` show unambiguously (« 12,50 », « 1 234,56 » for the comma;
    « 12.50 », « 1,234.56 » for the point), or None when they give no hint or as many of each."""
    votes = {DOT: 0, COMMA: 0}
    for text in texts:
        raw = text.translate(_SPACES)
        comma, dot = raw.rfind(","), raw.rfind(".")
        if comma >= 0 and dot >= 0:
            votes[COMMA if comma > dot else DOT] += 1
            continue
        for sep, at in ((COMMA, comma), (DOT, dot)):
            if at >= 0 and raw.count(sep) == 1:
                digits = len(raw) - at - 1 - sum(1 for ch in raw[at + 1:] if not ch.isdigit())
                if digits in (1, 2):
                    votes[sep] += 1
    if votes[DOT] == votes[COMMA]:
        return None
    return DOT if votes[DOT] > votes[COMMA] else COMMA


def currency_of(text: str) -> str | None:
    """The ISO code a currency cell names (« € », « eur », « US$ », « CAD »), None for a blank or a bare
    « $ » (the program's own); ValueError for anything else."""
    raw = text.strip()
    if not raw or raw == "$":
        return None
    for pattern, code in _CURRENCY_WORDS:
        if pattern.fullmatch(raw):
            return code
    if re.fullmatch(r"[A-Za-z]{3}", raw):
        return raw.upper()
    raise ValueError(text)
