"""French (default) and English strings, and the one place numbers, money and dates are formatted.

Strings live in `catalog/*.py`, one module per area, each defining STRINGS = {key: (fr, en)}.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal
from babel.numbers import format_percent as _babel_percent

from cqic_budget.i18n import catalog

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
_LOCALES = {"fr": "fr_CA", "en": "en_CA"}
DASH = "—"


def normalise_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


@lru_cache(maxsize=1)
def strings() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for info in pkgutil.iter_modules(catalog.__path__):
        module = importlib.import_module(f"{catalog.__name__}.{info.name}")
        for key, pair in module.STRINGS.items():
            if key in merged:
                raise KeyError(f"string {key!r} defined twice (catalog.{info.name})")
            merged[key] = pair
    return merged


# A count's word in a catalog string: {count|ligne|lignes} is « ligne » or « lignes » by the plural rules
# of the language (Babel/CLDR): French takes the singular for 0 and 1 (« 0 ligne »), English only for 1.
_PLURAL = re.compile(r"\{(\w+)\|([^{}|]*)\|([^{}|]*)\}")


def t(key: str, lang: str = DEFAULT_LANG, **params: object) -> str:
    """The string `key` in `lang`, with {params} filled in and {count|singular|plural} chosen by count."""
    fr, en = strings()[key]
    lang = normalise_lang(lang)
    text = en if lang == "en" else fr
    if "|" in text:
        text = _PLURAL.sub(lambda m: m.group(2 if plural_form(params[m.group(1)], lang) == "one" else 3),
                           text)
    return text.format(**params) if params else text


def plural_form(count: object, lang: str = DEFAULT_LANG) -> str:
    """The CLDR plural category of `count` in `lang` ("one" or "other" for French and English). A count
    already formatted (« 1 234 », "1,234") is read back; anything that is not a number is "other"."""
    if isinstance(count, str):
        digits = "".join(ch for ch in count if ch.isdigit() or ch in ".-")
        try:
            count = Decimal(digits)
        except ArithmeticError:
            return "other"
    if not isinstance(count, (int, float, Decimal)):
        return "other"
    return _locale(lang).plural_form(abs(count))


@lru_cache(maxsize=4)
def _locale(lang: str) -> Locale:
    return Locale.parse(locale_of(lang))


def locale_of(lang: str) -> str:
    return _LOCALES[normalise_lang(lang)]


def format_money(
    value: Decimal | None, lang: str = DEFAULT_LANG, *, decimals: bool = True, currency: str = "CAD"
) -> str:
    """2 100 000,00 $ in French, $2,100,000.00 in English; None -> «—». Another currency (an expense as
    written) by Babel: 1 932,00 € / €1,932.00."""
    if value is None:
        return DASH
    if currency != "CAD":
        shown = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return format_currency(shown, currency, locale=locale_of(lang))
    return _money(Decimal(value), lang, decimals)


@lru_cache(maxsize=4)
def _money_pattern(lang: str, decimals: bool) -> str:
    """The locale's own currency pattern (#,##0.00 ¤ in fr_CA, ¤#,##0.00 in en_CA), without the cents
    when `decimals` is False."""
    pattern = _locale(lang).currency_formats["standard"].pattern
    return pattern if decimals else pattern.replace(".00", "")


def _money(value: Decimal, lang: str, decimals: bool) -> str:
    # Round half-up here: Babel alone would round half-even (530 755,965 -> ,96 instead of ,97).
    shown = value.quantize(Decimal("0.01") if decimals else Decimal(1), rounding=ROUND_HALF_UP)
    return format_currency(shown, "CAD", format=_money_pattern(normalise_lang(lang), decimals),
                           locale=locale_of(lang), currency_digits=False)


def format_percent(value: Decimal | float | None, lang: str = DEFAULT_LANG, *, digits: int = 1) -> str:
    """0.5 -> «50,0 %» (fr) / «50.0%» (en); None -> «—»."""
    if value is None:
        return DASH
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "\u00a0%"
    if normalise_lang(lang) == "en":
        pattern = pattern.replace("\u00a0%", "%")
    # Half-up like money (Babel alone rounds half-even: 86,5 % would show as 86 %).
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-(digits + 2)), rounding=ROUND_HALF_UP)
    return _babel_percent(exact, format=pattern, locale=locale_of(lang))


def format_number(value: Decimal | float | int | None, lang: str = DEFAULT_LANG, *, digits: int = 0) -> str:
    if value is None:
        return DASH
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(Decimal(str(value)), format=pattern, locale=locale_of(lang))


def format_date(value: date | None, lang: str = DEFAULT_LANG, *, long: bool = False) -> str:
    """ISO (2026-03-31) in tables; «31 mars 2026» / «March 31, 2026» in sentences when long."""
    if value is None:
        return DASH
    if not long:
        return value.isoformat()
    return _babel_date(value, format="long", locale=locale_of(lang))


def format_month(value: date, lang: str = DEFAULT_LANG) -> str:
    return _babel_date(value, format="MMM y", locale=locale_of(lang))
