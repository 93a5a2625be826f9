"""French (default) and English strings, and the one place numbers, money and dates are formatted.

Strings live in `catalog/*.py`, one module per area, each defining STRINGS = {key: (fr, en)}.
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

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


def t(key: str, lang: str = DEFAULT_LANG, **params: object) -> str:
    """The string `key` in `lang`, with {params} filled in."""
    fr, en = strings()[key]
    text = en if normalise_lang(lang) == "en" else fr
    return text.format(**params) if params else text


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


def _money(value: Decimal, lang: str, decimals: bool) -> str:
    pattern = "#,##0.00" if decimals else "#,##0"
    # Round half-up here: Babel alone would round half-even (530 755,965 -> ,96 instead of ,97).
    shown = value.quantize(Decimal("0.01") if decimals else Decimal(1), rounding=ROUND_HALF_UP)
    number = format_decimal(shown, format=pattern, locale=locale_of(lang))
    if normalise_lang(lang) == "fr":
        return f"{number}\u00a0$"
    return f"-${number[1:]}" if number.startswith("-") else f"${number}"


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
