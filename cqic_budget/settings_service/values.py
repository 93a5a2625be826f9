"""Settings values: the errors a setting or a cell can raise, and how each kind of cell is shown and parsed.

Shared by the program settings (program.py) and the table editors (tables.py): a Column says what a
setting or table column holds; _Context loads the program's labels once and parses what the user typed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from sqlmodel import Session, select

from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import DEFAULT_LANG, normalise_lang, strings, t
from cqic_budget.importing.header import label_key
from cqic_budget.importing.normalise import text_key
from cqic_budget.models import Category, Funder, Milestone, Program
from cqic_budget.money import CENT, from_cents, read_amount
from cqic_budget.periods import FiscalYear, fiscal_years_between
from cqic_budget.queries import label_in

RATE_PLACES = 4  # rates have at most 4 decimals (33.33 %): the SQL recompute works in 1/10 000
RATE_QUANTUM = Decimal(1).scaleb(-RATE_PLACES)
RATE_SCALE = 10**RATE_PLACES
_FLOAT_TOLERANCE = Decimal("1e-9")  # a float from the editor may carry binary noise, never a real digit
_CODE = re.compile(r"^[a-z0-9_]+$")
_FISCAL_YEAR = re.compile(r"^\d{4}-\d{4}$")


# --- errors -------------------------------------------------------------------------------------------


class SettingsError(UserFacingError, ValueError):
    """A setting or a table cell that cannot be saved, with a code and a message in the user's language.

    Codes: unknown-program, unknown-field, missing-column, unknown-row, required, too-long, invalid-number,
    invalid-integer, invalid-bool, invalid-date, invalid-choice, invalid-code, invalid-fiscal-year,
    out-of-range, negative, not-positive, too-many-decimals, end-before-start, out-of-period,
    period-excludes-budget-lines, unknown-reference, ambiguous-reference, duplicate, public-aid-kind,
    achieved-date-required, achieved-date-when-planned, payment-funder-required, protected, in-use.
    """

    def __init__(self, code: str, field: str = "", value: Any = "", **details: Any):
        super().__init__(f"{code}: {field}={value!r}")
        self.code = code
        self.field = field  # a setting or column name ("" for a whole row)
        self.value = value
        self.details = details  # message parameters: limit, places, low, high, start, end, other, uses

    def message(self, lang: str = DEFAULT_LANG, *, quote=str) -> str:
        """The sentence; `quote` wraps what the user typed (the app passes its Markdown escape)."""
        params = {k: quote(_shown(v)) for k, v in self.details.items()}
        if "uses" in self.details:
            params["uses"] = t(f"settings.uses.{self.details['uses']}", lang)
        return t(f"settings.error.{self.code}", lang, field=field_label(self.field, lang),
                 value=quote(_shown(self.value)), **params)



def field_label(name: str, lang: str = DEFAULT_LANG) -> str:
    """The label of a setting or table column in the user's language (the name itself if it has none)."""
    key = f"settings.field.{name}"
    return t(key, lang) if key in strings() else name


def choice_label(group: str, code: str, lang: str = DEFAULT_LANG) -> str:
    """The label of a choice (funder kind, milestone status, indicator unit/direction, admin base)."""
    return t(f"settings.choice.{group}.{code}", lang)


def _shown(value: Any) -> str:
    if value is None or _blank(value):
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    if isinstance(value, (list, tuple, set)):
        return ", ".join(_shown(v) for v in value)
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


# --- cell parsing -------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if pd.api.types.is_scalar(value):
        try:
            return bool(pd.isna(value))
        except (TypeError, ValueError):
            return False
    return False


def _native(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _decimal(value: Any, name: str) -> tuple[Decimal, bool]:
    """(value as Decimal, whether it came from a float) or SettingsError invalid-number."""
    value = _native(value)
    if isinstance(value, bool):
        raise SettingsError("invalid-number", name, value)
    if isinstance(value, Decimal):
        number, from_float = value, False
    elif isinstance(value, int):
        number, from_float = Decimal(value), False
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise SettingsError("invalid-number", name, value)
        number, from_float = Decimal(repr(value)), True
    else:
        try:  # the same reading as the importer's (money.read_amount): « 1,234 » means the same in both
            reading = read_amount(str(value))
        except ValueError:
            raise SettingsError("invalid-number", name, value) from None
        if reading.currency not in (None, "CAD"):
            raise SettingsError("invalid-number", name, value)
        number, from_float = reading.value, False
    if not number.is_finite():
        raise SettingsError("invalid-number", name, value)
    return number, from_float


def _quantized(number: Decimal, from_float: bool, quantum: Decimal, name: str, raw: Any) -> Decimal:
    """number with at most quantum's decimals (float noise rounded away), else too-many-decimals."""
    rounded = number.quantize(quantum)
    if rounded == number or (from_float and abs(rounded - number) < _FLOAT_TOLERANCE):
        return rounded if from_float else number
    raise SettingsError("too-many-decimals", name, raw, places=-quantum.as_tuple().exponent)


def _text(value: Any) -> str:
    value = _native(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any, name: str) -> date:
    value = _native(value)
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise SettingsError("invalid-date", name, value) from None


def _int(value: Any, name: str) -> int:
    value = _native(value)
    if isinstance(value, bool):
        raise SettingsError("invalid-integer", name, value)
    if isinstance(value, int):
        return value
    try:
        number, _ = _decimal(value, name)
    except SettingsError:
        raise SettingsError("invalid-integer", name, value) from None
    if number != number.to_integral_value():
        raise SettingsError("invalid-integer", name, value)
    return int(number)


_TRUE = {"true", "vrai", "oui", "yes", "1", "x"}
_FALSE = {"false", "faux", "non", "no", "0"}


def _bool(value: Any, name: str) -> bool:
    value = _native(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = text_key(str(value))
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise SettingsError("invalid-bool", name, value)


@dataclass(frozen=True)
class Column:
    """One editable setting or table column: its kind says how it is shown, parsed and stored.

    Kinds: text, code, label (a category alias label, stored as its key), money (Decimal dollars <->
    cents), rate (0..1, at most 4 decimals), decimal, int, bool, date, choice, fiscal_year, and the
    references category, funder, milestone (shown as a label, stored as an id).
    """

    name: str
    kind: str
    attr: str = ""  # the model attribute (default: name)
    required: bool = True
    max_length: int = 200
    minimum: Any = None
    maximum: Any = None
    positive: bool = False  # money/decimal strictly above zero
    choices: tuple[str, ...] = ()
    choice_group: str = ""
    in_period: bool = False  # a date within the program period

    @property
    def model_attr(self) -> str:
        return self.attr or self.name


class _Context:
    """The program and the labels a table shows (categories, funders, milestones), loaded once per call."""

    def __init__(self, session: Session, program: Program, lang: str):
        self.session = session
        self.program = program
        self.lang = normalise_lang(lang)
        self.categories = list(session.exec(select(Category).order_by(Category.sort_order, Category.id)))
        self.funders = list(session.exec(
            select(Funder).where(Funder.program_id == program.id).order_by(Funder.id)))
        self.milestones = list(session.exec(
            select(Milestone).where(Milestone.program_id == program.id)
            .order_by(Milestone.due_date, Milestone.id)))
        # Categories are matched as imports match them (accents, punctuation ignored); names by case only.
        self._lookup = {
            "category": self._index(
                label_key, ((c.id, (c.code, c.label_fr, c.label_en)) for c in self.categories)),
            "funder": self._index(text_key, ((f.id, (f.name,)) for f in self.funders)),
            "milestone": self._index(text_key, ((m.id, (m.name_fr, m.name_en)) for m in self.milestones)),
        }

    @staticmethod
    def _index(key: Callable[[str], str], entries) -> tuple[Callable[[str], str], dict[str, set[int]]]:
        index: dict[str, set[int]] = {}
        for row_id, names in entries:
            for name in names:
                index.setdefault(key(name), set()).add(row_id)
        return key, index

    def _name(self, kind: str, row_id: int) -> str:
        english = self.lang == "en"
        if kind == "category":
            row = next(c for c in self.categories if c.id == row_id)
            return label_in(row, self.lang)
        if kind == "funder":
            return next(f.name for f in self.funders if f.id == row_id)
        row = next(m for m in self.milestones if m.id == row_id)
        return row.name_en if english else row.name_fr

    def options(self, column: Column) -> list[str]:
        """What a select box of this column offers (labels in the user's language)."""
        if column.kind == "choice":
            return [choice_label(column.choice_group, c, self.lang) for c in column.choices]
        rows = {"category": self.categories, "funder": self.funders, "milestone": self.milestones}
        return [self._name(column.kind, row.id) for row in rows[column.kind]]

    def show(self, column: Column, stored: Any) -> Any:
        """A stored value as the table shows it."""
        if stored is None:
            return None
        if column.kind == "money":
            return from_cents(stored)
        if column.kind == "choice":
            known = stored in column.choices
            return choice_label(column.choice_group, stored, self.lang) if known else stored
        if column.kind in ("category", "funder", "milestone"):
            return self._name(column.kind, stored)
        return stored

    def parse(self, column: Column, raw: Any) -> Any:
        """A value typed in the table (or given to update_program_settings) as stored, or SettingsError."""
        name = column.name
        if column.kind == "bool":
            return False if _blank(raw) else _bool(raw, name)
        if _blank(raw):
            if column.required:
                raise SettingsError("required", name)
            return None
        kind = column.kind
        if kind == "money":
            number, from_float = _decimal(raw, name)
            number = _quantized(number, from_float, CENT, name, raw)
            self._check_sign(column, number, raw)
            return int(number * 100)
        if kind == "rate":
            text = str(raw).strip() if isinstance(raw, str) else None
            number, from_float = _decimal(text.rstrip("%") if text else raw, name)
            if text and text.endswith("%"):
                number /= 100
            number = _quantized(number, from_float, RATE_QUANTUM, name, raw)
            if not Decimal(0) <= number <= Decimal(1):
                typed_percent = bool(text and text.endswith("%"))  # said in the unit it was typed in
                raise SettingsError("out-of-range", name, raw, low="0 %" if typed_percent else 0,
                                    high="100 %" if typed_percent else 1)
            return number
        if kind == "decimal":
            number, from_float = _decimal(raw, name)
            if from_float:
                number = number.normalize()
            self._check_sign(column, number, raw)
            return number
        if kind == "int":
            number = _int(raw, name)
            low, high = column.minimum, column.maximum
            if (low is not None and number < low) or (high is not None and number > high):
                if high is None:
                    raise SettingsError("negative", name, raw)
                raise SettingsError("out-of-range", name, raw, low=low, high=high)
            return number
        if kind == "date":
            day = _date(raw, name)
            if column.in_period and not self.program.start_date <= day <= self.program.end_date:
                raise SettingsError("out-of-period", name, day, start=self.program.start_date,
                                    end=self.program.end_date)
            return day
        text = _text(raw)
        if kind == "choice":
            return self._choice(column, text)
        if kind in ("category", "funder", "milestone"):
            key, index = self._lookup[kind]
            matches = index.get(key(text), set())
            if len(matches) != 1:
                raise SettingsError("ambiguous-reference" if matches else "unknown-reference", name, text)
            return next(iter(matches))
        if len(text) > column.max_length:
            raise SettingsError("too-long", name, text, limit=column.max_length)
        if kind == "code":
            if not _CODE.match(text):
                raise SettingsError("invalid-code", name, text)
            return text
        if kind == "label":
            if not label_key(text):  # nothing but digits, units or punctuation: imports could never match it
                raise SettingsError("required", name, text)
            return label_key(text)
        if kind == "fiscal_year":
            return self._fiscal_year(name, text)
        return text

    @staticmethod
    def _check_sign(column: Column, number: Decimal, raw: Any) -> None:
        if column.positive and number <= 0:
            raise SettingsError("not-positive", column.name, raw)
        if column.minimum is not None and number < column.minimum:
            raise SettingsError("negative", column.name, raw)

    def _choice(self, column: Column, text: str) -> str:
        if text in column.choices:
            return text
        wanted = label_key(text)
        for code in column.choices:
            labels = (code, *(choice_label(column.choice_group, code, lang) for lang in ("fr", "en")))
            if wanted in {label_key(label) for label in labels}:
                return code
        raise SettingsError("invalid-choice", column.name, text)

    def _fiscal_year(self, name: str, text: str) -> str:
        try:
            year = FiscalYear.from_label(text) if _FISCAL_YEAR.match(text) else None
        except ValueError:
            year = None
        if year is None:
            raise SettingsError("invalid-fiscal-year", name, text)
        if year not in fiscal_years_between(self.program.start_date, self.program.end_date):
            raise SettingsError("out-of-period", name, text, start=self.program.start_date,
                                end=self.program.end_date)
        return year.label


def _program(session: Session, program_id: int) -> Program:
    program = session.get(Program, program_id)
    if program is None:
        raise SettingsError("unknown-program", "program", program_id)
    return program
