"""i18n: the one formatting place (fr-CA first) and the string catalogues."""

import re
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


def test_money_is_babels_currency_format_to_the_cent_or_to_the_dollar():
    assert format_money(Decimal("-1234.5")) == f"-1{NBSP}234,50{NBSP}$"
    assert format_money(Decimal("2100000.50"), decimals=False) == f"2{NBSP}100{NBSP}001{NBSP}$"  # half-up
    assert format_money(Decimal("-1234.5"), "en", decimals=False) == "-$1,235"
    assert format_money(Decimal("1932"), "fr", currency="EUR") == f"1{NBSP}932,00{NBSP}€"


def test_a_count_takes_the_plural_rules_of_its_language():
    # French: the singular for 0 and 1 (« 0 événement »); English: for 1 only (« 0 events »).
    shown = {(lang, n): t("audit_page.count", lang, count=n, page=1, pages=1) for lang in ("fr", "en")
             for n in (0, 1, 2)}
    assert shown["fr", 0] == "**0** événement · page 1 de 1"
    assert shown["fr", 1] == "**1** événement · page 1 de 1"
    assert shown["fr", 2] == "**2** événements · page 1 de 1"
    assert shown["en", 0] == "**0** events · page 1 of 1"
    assert shown["en", 1] == "**1** event · page 1 of 1"
    assert shown["en", 2] == "**2** events · page 1 of 1"
    # A count already formatted (thousands separated) is read back as its number.
    thousands = f"1{NBSP}234"
    undone = t("import.undo.done", "fr", batch_id=4, count=thousands)
    assert undone == f"Lot n° 4 annulé : {thousands} dépenses retirées."
    assert t("import.undo.done", "en", batch_id=4, count=1) == "Batch #4 undone: 1 expense removed."


def test_no_count_is_written_with_a_parenthesised_plural():
    for key, pair in strings().items():
        for text in pair:
            assert "(s)" not in text and "(e)" not in text, key


def test_a_plural_word_names_a_count_the_string_also_shows():
    plural = re.compile(r"\{(\w+)\|[^{}|]*\|[^{}|]*\}")
    found = 0
    for key, pair in strings().items():
        for text in pair:
            for match in plural.finditer(text):
                found += 1
                assert "{" + match.group(1) + "}" in text, key
    assert found > 20
