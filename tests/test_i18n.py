"""i18n: the one formatting place (fr-CA first) and the string catalogues."""

from datetime import date
from decimal import Decimal

from cqic_budget.i18n import format_date, format_money, format_percent, strings, t

NBSP = "\u00a0"


def test_money_fr_ca_and_en_ca():
    assert format_money(Decimal("2100000")) == f"2{NBSP}100{NBSP}000,00{NBSP}$"
    assert format_money(Decimal("2100000"), "en") == "$2,100,000.00"
    assert format_money(Decimal("-1234.5"), "en") == "-$1,234.50"
    assert format_money(None) == "—"
    # half-up, as the store rounds: 530 755,965 -> 530 755,97 (Babel alone would give ,96)
    assert format_money(Decimal("530755.965"), "en") == "$530,755.97"
    assert format_money(Decimal("-0.005"), "en") == "-$0.01"


def test_percent_and_dates():
    assert format_percent(Decimal("0.5"), "fr", digits=0).replace(NBSP, " ") == "50 %"
    assert format_percent(Decimal("0.5"), "en", digits=0) == "50%"
    assert format_percent(None) == "—"
    # half-up, as money: 0.865 -> 87 % (Babel alone: 86 %); a no-break space keeps "87 %" together
    assert format_percent(Decimal("0.865"), "fr", digits=0) == "87\u00a0%"
    assert format_percent(Decimal("0.8645"), "en", digits=1) == "86.5%"
    assert format_date(date(2026, 3, 31)) == "2026-03-31"
    assert format_date(date(2026, 3, 31), "fr", long=True) == "31 mars 2026"


def test_every_string_has_both_languages():
    assert strings()  # never a loop over nothing
    for key, (fr, en) in strings().items():
        assert fr.strip() and en.strip(), key
    assert t("status.breach", "fr") == "non conforme"
