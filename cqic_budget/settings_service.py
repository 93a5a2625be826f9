"""Settings-page services (no Streamlit): program settings, table editors, category mapping, budget check.

Every change is validated here (errors are SettingsError values with a code and a message in the user's
language), audited with its before/after, and bumps the data version once. The table editors share one
load / diff / validate / audit mechanism driven by a small TableSpec per table.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from cqic_budget import audit
from cqic_budget.auth import normalise_email, require
from cqic_budget.budget import COMMITMENT_STATUSES, sync_in_kind_expenses
from cqic_budget.db import bump_data_version
from cqic_budget.i18n import DEFAULT_LANG, format_money, normalise_lang, strings, t
from cqic_budget.importing.categories import UNKNOWN_CATEGORY
from cqic_budget.importing.header import label_key
from cqic_budget.importing.normalise import text_key
from cqic_budget.models import (
    BudgetLine,
    Category,
    CategoryAlias,
    Commitment,
    Contribution,
    Expense,
    Funder,
    Indicator,
    Measurement,
    Milestone,
    Program,
)
from cqic_budget.money import CENT, eligible_cents_sql, from_cents, read_amount
from cqic_budget.periods import FiscalYear, fiscal_years_between
from cqic_budget.queries import label_in
from cqic_budget.setup import CATEGORIES, UNCLASSIFIED

RATE_PLACES = 4  # rates have at most 4 decimals (33.33 %): the SQL recompute works in 1/10 000
RATE_QUANTUM = Decimal(1).scaleb(-RATE_PLACES)
RATE_SCALE = 10**RATE_PLACES
FUNDER_KINDS = ("quebec", "federal", "municipal", "private", "own")
PUBLIC_KINDS = ("quebec", "federal", "municipal")  # always count as public aid (stacking)
BUILT_IN_CATEGORIES = frozenset(code for code, _, _ in CATEGORIES)
_FLOAT_TOLERANCE = Decimal("1e-9")  # a float from the editor may carry binary noise, never a real digit
_CODE = re.compile(r"^[a-z0-9_]+$")
_FISCAL_YEAR = re.compile(r"^\d{4}-\d{4}$")


# --- errors and results -------------------------------------------------------------------------------


class SettingsError(ValueError):
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


@dataclass(frozen=True)
class RowError:
    """One invalid cell (or a refused deletion: row and column None) of an edited table."""

    row: int | None  # 1-based position in the edited table
    column: str | None
    code: str
    message: str


@dataclass
class SaveResult:
    """What a table save did; nothing is written when `errors` is not empty."""

    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.deleted


@dataclass(frozen=True)
class SettingsChange:
    """What update_program_settings changed (model attribute -> value) and how many expenses it recomputed."""

    before: dict
    after: dict
    expenses_recomputed: int = 0


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


# --- program settings ---------------------------------------------------------------------------------

_RATE = dict(kind="rate")
PROGRAM_FIELDS: tuple[Column, ...] = (
    Column("name_fr", "text"),
    Column("name_en", "text"),
    Column("start_date", "date"),
    Column("end_date", "date"),
    Column("budget_total", "money", attr="budget_total_cents", minimum=0),
    Column("quebec_rate", **_RATE),
    Column("stacking_cap", **_RATE),
    Column("admin_cap", **_RATE),
    Column("admin_base", "choice", choices=("eligible", "salaries"), choice_group="admin_base"),
    Column("tax_recovery_rate", **_RATE),
    Column("holdback_rate", **_RATE),
    Column("budget_transfer_tolerance", **_RATE),
    Column("burn_window_months", "int", minimum=1, maximum=12),
    Column("target_merchants_reached", "int", minimum=0),
    Column("target_merchants_supported", "int", minimum=0),
    Column("target_merchants_completed", "int", minimum=0),
    Column("min_group_size", "int", minimum=1, maximum=1000),
)
_PROGRAM_FIELDS = {c.name: c for c in PROGRAM_FIELDS}


def program_settings(session: Session, program_id: int) -> dict:
    """The program's settings for the form: money as Decimal dollars, rates as Decimal, choices as codes."""
    program = _program(session, program_id)
    settings = {"code": program.code}
    for column in PROGRAM_FIELDS:
        value = getattr(program, column.model_attr)
        settings[column.name] = from_cents(value) if column.kind == "money" else value
    return settings


def validate_program_settings(session: Session, program_id: int, changes: dict) -> list[SettingsError]:
    """Every error in `changes` (the fields of program_settings), in the form's order; [] when valid."""
    program = _program(session, program_id)
    _, errors = _parse_settings(session, program, changes)
    return errors


def _parse_settings(session: Session, program: Program, changes: dict) -> tuple[dict, list[SettingsError]]:
    ctx = _Context(session, program, DEFAULT_LANG)
    values, errors = {}, []
    for name in changes:
        if name not in _PROGRAM_FIELDS:
            errors.append(SettingsError("unknown-field", name, name))
    for column in PROGRAM_FIELDS:
        if column.name in changes:
            try:
                values[column.model_attr] = ctx.parse(column, changes[column.name])
            except SettingsError as error:
                errors.append(error)
    if not errors:
        errors.extend(_period_errors(session, program, values))
    return values, errors


def _period_errors(session: Session, program: Program, values: dict) -> list[SettingsError]:
    start = values.get("start_date", program.start_date)
    end = values.get("end_date", program.end_date)
    if end <= start:
        name = "end_date" if "end_date" in values else "start_date"
        return [SettingsError("end-before-start", name, values.get(name), start=start, end=end)]
    if "start_date" not in values and "end_date" not in values:
        return []
    labels = {fy.label for fy in fiscal_years_between(start, end)}
    used = session.exec(select(BudgetLine.fiscal_year).distinct()
                        .where(BudgetLine.program_id == program.id)).all()
    outside = sorted(set(used) - labels)
    if outside:
        name = "start_date" if "start_date" in values else "end_date"
        return [SettingsError("period-excludes-budget-lines", name, outside)]
    return []


def update_program_settings(session: Session, program_id: int, changes: dict, *, user: str) -> SettingsChange:
    """Change some settings of the program (permission "settings"), all or nothing.

    `changes` uses the names of program_settings (budget_total in Decimal dollars, rates 0..1 with at most
    4 decimals). The first invalid field raises SettingsError (validate_program_settings lists them all).
    Audited with the before/after of the changed fields only; bumps the data version; a new tax recovery
    rate recomputes every eligible cost of the program in one SQL UPDATE.
    """
    require(session, user, "settings")
    program = _program(session, program_id)
    values, errors = _parse_settings(session, program, changes)
    if errors:
        raise errors[0]
    changed = {attr: v for attr, v in values.items() if getattr(program, attr) != v}
    if not changed:
        return SettingsChange(before={}, after={})
    before = {attr: getattr(program, attr) for attr in changed}
    for attr, value in changed.items():
        setattr(program, attr, value)
    session.add(program)
    session.flush()
    recomputed = 0
    if "tax_recovery_rate" in changed:
        recomputed = recompute_eligible_cents(session, program_id=program_id,
                                              recovery_rate=changed["tax_recovery_rate"])
    audit.record(session, user=normalise_email(user), action="program.settings", entity="program",
                 entity_id=program_id, before=before, after=changed)
    bump_data_version(session)
    return SettingsChange(before=before, after=changed, expenses_recomputed=recomputed)


LOCKED_EXPENSE_SQL = (
    "(EXISTS (SELECT 1 FROM fiscalyearclose f WHERE f.program_id = expense.program_id AND NOT f.reopened "
    "AND expense.date BETWEEN f.start_date AND f.end_date) OR EXISTS (SELECT 1 FROM claim c "
    "WHERE c.program_id = expense.program_id AND c.status = 'submitted' "
    "AND expense.date BETWEEN c.period_from AND c.period_to) OR EXISTS (SELECT 1 FROM claimexpense ce "
    "JOIN claim c ON c.id = ce.claim_id WHERE ce.expense_id = expense.id "
    "AND c.status IN ('submitted', 'approved', 'paid')))"
)


def recompute_eligible_cents(session: Session, *, program_id: int, recovery_rate: Decimal) -> int:
    """Rewrite Expense.eligible_cents of the program at `recovery_rate` in one UPDATE; returns rows changed.

    The expression is money.eligible_cents_sql: the rule of money.eligible_cents_column written in SQL
    (integer arithmetic only, so SQLite and PostgreSQL agree with Python to the cent; each expense's
    tax treatment decides whether its taxes are recovered).
    """
    scaled = Decimal(recovery_rate) * RATE_SCALE
    if not 0 <= scaled <= RATE_SCALE:
        raise SettingsError("out-of-range", "tax_recovery_rate", recovery_rate, low=0, high=1)
    if scaled != scaled.to_integral_value():
        raise SettingsError("too-many-decimals", "tax_recovery_rate", recovery_rate, places=RATE_PLACES)
    value = eligible_cents_sql(Decimal(recovery_rate))
    # Expenses of a closed year or a submitted claim keep the eligible cost they were signed with.
    stmt = sa.text(f"UPDATE {Expense.__tablename__} SET eligible_cents = {value} "
                   f"WHERE program_id = :program_id AND eligible_cents <> {value} "
                   f"AND NOT {LOCKED_EXPENSE_SQL}")
    session.flush()
    result = session.execute(stmt, {"program_id": program_id})
    for obj in list(session.identity_map.values()):  # expenses already loaded must not keep the old value
        if isinstance(obj, Expense):
            session.expire(obj, ["eligible_cents"])
    return max(result.rowcount or 0, 0)


# --- table editors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableSpec:
    """What differs between two editable tables; everything else is the shared mechanism below."""

    name: str
    model: type[SQLModel]
    entity: str  # audit entity; actions are <entity>.create / .update / .delete
    permission: str
    columns: tuple[Column, ...]
    rows: Callable[[int], Any]  # program id -> select(model) of the program's rows, in display order
    new_row: Callable[[int], dict] = lambda program_id: {"program_id": program_id}
    unique: tuple[tuple[str, ...], ...] = ()  # column groups unique within the table (case, spacing ignored)
    title: tuple[str, ...] = ("name",)  # columns naming a row in a message
    row_check: Callable[[dict], list[SettingsError]] | None = None
    in_use: tuple[tuple[Any, str], ...] = ()  # (referencing column, what it is) refusing a deletion
    protected: Callable[[Any], bool] | None = None  # rows that cannot be deleted...
    frozen: tuple[str, ...] = ()  # ...nor have these columns changed
    db_unique: tuple[str, ...] = ()  # model attributes of a unique constraint in the store...
    temp_key: Callable[[int], dict] | None = None  # ...and a free value of it, so that two rows can swap
    after_save: Callable[[Session, int, str], Any] | None = None  # (session, program id, user), once saved


def _funder_check(values: dict) -> list[SettingsError]:
    if values["kind"] in PUBLIC_KINDS and not values["is_public_aid"]:
        return [SettingsError("public-aid-kind", "is_public_aid", values["kind"])]
    return []


def _milestone_check(values: dict) -> list[SettingsError]:
    errors = []
    if values["status"] == "achieved" and values["achieved_date"] is None:
        errors.append(SettingsError("achieved-date-required", "achieved_date"))
    if values["status"] == "planned" and values["achieved_date"] is not None:
        errors.append(SettingsError("achieved-date-when-planned", "achieved_date", values["achieved_date"]))
    if values["payment"] is not None and values["payment_funder"] is None:
        errors.append(SettingsError("payment-funder-required", "payment_funder"))
    return errors


def _contribution_check(values: dict) -> list[SettingsError]:
    """Only an in-kind contribution has a valuation, a proof and a category of eligible cost."""
    if values["in_kind"]:
        return []
    return [SettingsError("cash-has-valuation", name, values[name])
            for name in ("category", "valuation_basis", "proof_reference") if values.get(name)]


def _program_rows(model: type[SQLModel], *order: Any) -> Callable[[int], Any]:
    return lambda program_id: select(model).where(model.program_id == program_id).order_by(*order, model.id)


_NAMES = (Column("name_fr", "text"), Column("name_en", "text"))

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            name="funders", model=Funder, entity="funder", permission="settings",
            columns=(
                Column("name", "text"),
                Column("kind", "choice", choices=FUNDER_KINDS, choice_group="kind"),
                Column("is_public_aid", "bool"),
                Column("committed", "money", attr="committed_cents", minimum=0),
                Column("in_kind", "bool"),
            ),
            rows=_program_rows(Funder),
            unique=(("name",),),
            row_check=_funder_check,
            in_use=((Contribution.funder_id, "contributions"), (Milestone.payment_funder_id, "milestones")),
        ),
        TableSpec(
            name="budget_lines", model=BudgetLine, entity="budget_line", permission="settings",
            columns=(
                Column("fiscal_year", "fiscal_year"),
                Column("category", "category", attr="category_id"),
                Column("amount", "money", attr="amount_cents", minimum=0),
            ),
            rows=_program_rows(BudgetLine, BudgetLine.fiscal_year, BudgetLine.category_id),
            unique=(("fiscal_year", "category"),),
            title=("fiscal_year", "category"),
            db_unique=("fiscal_year", "category_id"),
            temp_key=lambda row_id: {"fiscal_year": f"#{row_id}"},
        ),
        TableSpec(
            name="milestones", model=Milestone, entity="milestone", permission="settings",
            columns=(
                *_NAMES,
                Column("due_date", "date", in_period=True),
                Column("planned_cumulative", "money", attr="planned_cumulative_cents", minimum=0),
                Column("status", "choice", choices=("planned", "achieved"), choice_group="status"),
                Column("achieved_date", "date", required=False),
                Column("payment_funder", "funder", attr="payment_funder_id", required=False),
                Column("payment", "money", attr="payment_cents", required=False, minimum=0),
            ),
            rows=_program_rows(Milestone, Milestone.due_date),
            unique=(("name_fr",), ("name_en",)),
            title=("name_fr",),
            row_check=_milestone_check,
            in_use=((Contribution.milestone_id, "contributions"),),
        ),
        TableSpec(
            name="contributions", model=Contribution, entity="contribution", permission="edit",
            columns=(
                Column("funder", "funder", attr="funder_id"),
                Column("received_date", "date"),
                Column("amount", "money", attr="amount_cents", positive=True),
                Column("in_kind", "bool"),
                Column("reference", "text", required=False),
                Column("milestone", "milestone", attr="milestone_id", required=False),
                # In kind (SPEC §10): how it was valued, the proof, and the category where its value stands
                # as eligible cost (budget.sync_in_kind_expenses, after every save).
                Column("category", "category", attr="category_id", required=False),
                Column("valuation_basis", "text", required=False),
                Column("proof_reference", "text", required=False),
            ),
            row_check=_contribution_check,
            after_save=lambda session, program_id, user: sync_in_kind_expenses(
                session, program_id=program_id, user=user),
            rows=lambda program_id: (
                select(Contribution).join(Funder, Funder.id == Contribution.funder_id)
                .where(Funder.program_id == program_id)
                .order_by(Contribution.received_date, Contribution.id)
            ),
            new_row=lambda program_id: {},
            title=("funder", "received_date", "amount"),
        ),
        TableSpec(
            name="commitments", model=Commitment, entity="commitment", permission="edit",
            columns=(
                Column("reference", "text", max_length=120),
                Column("vendor", "text", required=False, max_length=500),
                Column("category", "category", attr="category_id"),
                Column("fiscal_year", "fiscal_year"),
                Column("date", "date", in_period=True),
                Column("amount", "money", attr="amount_cents", positive=True),
                Column("status", "choice", choices=COMMITMENT_STATUSES, choice_group="commitment_status"),
            ),
            rows=_program_rows(Commitment, Commitment.fiscal_year, Commitment.date),
            unique=(("reference",),),
            title=("reference",),
            in_use=((Expense.commitment_id, "drawn"),),
            db_unique=("reference",),
            temp_key=lambda row_id: {"reference": f"#{row_id}"},
        ),
        TableSpec(
            name="indicators", model=Indicator, entity="indicator", permission="settings",
            columns=(
                Column("code", "code", max_length=40),
                *_NAMES,
                Column("unit", "choice", choices=("percent", "count", "score", "bool", "cad"),
                       choice_group="unit"),
                Column("direction", "choice", choices=("up", "down"), choice_group="direction"),
                Column("target", "decimal", required=False),
            ),
            rows=_program_rows(Indicator, Indicator.code),
            unique=(("code",),),
            title=("code",),
            in_use=((Measurement.indicator_id, "measurements"),),
        ),
        TableSpec(
            name="categories", model=Category, entity="category", permission="settings",
            columns=(
                Column("code", "code", max_length=40),
                Column("label_fr", "text", max_length=120),
                Column("label_en", "text", max_length=120),
                Column("sort_order", "int"),
            ),
            rows=lambda program_id: select(Category).order_by(Category.sort_order, Category.id),
            new_row=lambda program_id: {},
            unique=(("code",), ("label_fr",), ("label_en",)),
            title=("code",),
            in_use=((Expense.category_id, "expenses"), (BudgetLine.category_id, "budget_lines"),
                    (CategoryAlias.category_id, "aliases")),
            protected=lambda row: row.code in BUILT_IN_CATEGORIES,  # imports and metrics use these codes
            frozen=("code",),
            db_unique=("code",),
            temp_key=lambda row_id: {"code": f"#{row_id}"},
        ),
        TableSpec(
            name="category_aliases", model=CategoryAlias, entity="category_alias", permission="settings",
            columns=(
                Column("label", "label", attr="label_key"),
                Column("category", "category", attr="category_id"),
            ),
            rows=lambda program_id: select(CategoryAlias).order_by(CategoryAlias.label_key),
            new_row=lambda program_id: {},
            unique=(("label",),),
            title=("label",),
            db_unique=("label_key",),
            temp_key=lambda row_id: {"label_key": f"#{row_id}#"},
        ),
    )
}


def _spec(table: str) -> TableSpec:
    if table not in TABLES:
        raise SettingsError("unknown-field", "table", table)
    return TABLES[table]


def table_columns(table: str) -> list[str]:
    """The columns of a table's DataFrame: "id" (keep it, disabled or hidden), then the fields."""
    return ["id", *(c.name for c in _spec(table).columns)]


def editor_options(
    session: Session, program_id: int, table: str, lang: str = DEFAULT_LANG
) -> dict[str, list[str]]:
    """The options of each choice or reference column of `table` (for st.column_config.SelectboxColumn)."""
    spec = _spec(table)
    ctx = _Context(session, _program(session, program_id), lang)
    return {c.name: ctx.options(c) for c in spec.columns
            if c.kind in ("choice", "category", "funder", "milestone")}


def load_table(session: Session, program_id: int, table: str, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """A table for st.data_editor: money as Decimal dollars, references and choices as labels."""
    spec = _spec(table)
    ctx = _Context(session, _program(session, program_id), lang)
    rows = session.exec(spec.rows(program_id)).all()
    data: dict[str, Any] = {"id": pd.array([row.id for row in rows], dtype="Int64")}
    for column in spec.columns:
        values = [ctx.show(column, getattr(row, column.model_attr)) for row in rows]
        data[column.name] = pd.Series(values, dtype=bool if column.kind == "bool" else object)
    return pd.DataFrame(data, columns=table_columns(table))


def save_table(
    session: Session, program_id: int, table: str, edited: pd.DataFrame, *, user: str,
    lang: str = DEFAULT_LANG,
) -> SaveResult:
    """Make the store match the edited table: insert new rows (no id), update changed ones, delete the rest.

    Every row is validated first; when any row is invalid (or a removed row is still in use), nothing is
    written and the result lists each error with its row, column, code and message. Each insert, update and
    delete is audited with its before/after; the data version is bumped once.
    """
    spec = _spec(table)
    require(session, user, spec.permission)
    ctx = _Context(session, _program(session, program_id), lang)
    stored = {row.id: row for row in session.exec(spec.rows(program_id)).all()}
    errors: list[RowError] = []

    def fail(error: SettingsError, row: int | None) -> None:
        errors.append(RowError(row, error.field or None, error.code, error.message(ctx.lang)))

    missing = [c for c in table_columns(table) if c not in edited.columns]
    for name in missing:
        fail(SettingsError("missing-column", name, name), None)
    if missing:
        return SaveResult(errors=errors)

    wanted = _parse_rows(spec, ctx, edited, stored, fail)
    _check_unique(spec, wanted, fail)
    kept = {row.row_id for row in wanted if row.row_id is not None}
    removed = [row for row_id, row in stored.items() if row_id not in kept]
    for error in _deletion_errors(spec, ctx, removed):
        fail(error, None)
    _closed_period_errors(spec, ctx, wanted, stored, removed, fail)
    for row in wanted:
        if row.row_id is None or not (spec.protected and spec.protected(stored[row.row_id])):
            continue
        for column in spec.columns:
            before = getattr(stored[row.row_id], column.model_attr)
            if column.name in spec.frozen and row.values.get(column.name, before) != before:
                fail(SettingsError("protected", column.name, before), row.position)
    if errors:
        return SaveResult(errors=errors)
    return _write(spec, ctx, program_id, wanted, stored, removed, normalise_email(user))


@dataclass
class _EditedRow:
    position: int  # 1-based, as the user sees it
    row_id: int | None  # None for a new row
    values: dict  # column -> value as stored, for the cells that parse
    valid: bool


def _parse_rows(spec: TableSpec, ctx: _Context, edited: pd.DataFrame, stored: dict, fail) -> list[_EditedRow]:
    """The edited rows, parsed; each error goes to `fail` (the editor's blank new rows are skipped)."""
    wanted, seen = [], set()
    for position, record in enumerate(edited.to_dict("records"), start=1):
        raw_id = record.get("id")
        if _blank(raw_id) and all(_blank(record.get(c.name)) or record.get(c.name) is False
                                  for c in spec.columns):
            continue  # the editor's empty new row
        row_id = None
        if not _blank(raw_id):
            try:
                row_id = _int(raw_id, "id")
            except SettingsError:
                row_id = -1
            if row_id not in stored or row_id in seen:
                fail(SettingsError("unknown-row", "id", raw_id), position)
                continue
            seen.add(row_id)
        values, valid = {}, True
        for column in spec.columns:
            try:
                values[column.name] = ctx.parse(column, record.get(column.name))
            except SettingsError as error:
                fail(error, position)
                valid = False
        if valid and spec.row_check:
            for error in spec.row_check(values):
                fail(error, position)
                valid = False
        # An invalid row is kept too: its id is not a deletion, its valid cells take part in uniqueness.
        wanted.append(_EditedRow(position, row_id, values, valid))
    return wanted


def _check_unique(spec: TableSpec, wanted: list[_EditedRow], fail) -> None:
    for group in spec.unique:
        first: dict[tuple, int] = {}
        for row in wanted:
            if any(row.values.get(c) is None for c in group):
                continue
            key = tuple(text_key(v) if isinstance(v, str) else v for v in (row.values[c] for c in group))
            if key in first:
                shown = " · ".join(_shown(row.values[c]) for c in group)
                fail(SettingsError("duplicate", group[-1], shown, other=first[key]), row.position)
            else:
                first[key] = row.position


def _deletion_errors(spec: TableSpec, ctx: _Context, removed: list) -> list[SettingsError]:
    if not removed:
        return []
    title = {row.id: " · ".join(_shown(ctx.show(c, getattr(row, c.model_attr)))
                                for c in spec.columns if c.name in spec.title) for row in removed}
    errors = []
    if spec.protected:
        errors += [SettingsError("protected", "", title[row.id]) for row in removed if spec.protected(row)]
    ids = [row.id for row in removed]
    for column, uses in spec.in_use:
        used = set(ctx.session.exec(select(column).distinct().where(column.in_(ids))).all())
        errors += [SettingsError("in-use", "", title[row_id], uses=uses) for row_id in ids if row_id in used]
    return errors


# The editors whose rows are dated: nothing dated in a closed fiscal year may be created, changed or removed
# (the store's triggers refuse it too; this says so row by row first).
_DATED = {"budget_lines": "fiscal_year", "contributions": "received_date"}


def _closed_period_errors(spec: TableSpec, ctx: _Context, wanted: list, stored: dict, removed: list,
                          fail) -> None:
    column = _DATED.get(spec.name)
    if column is None:
        return
    from cqic_budget.closing import CLOSED_YEAR, lock_message, locked_periods

    closed = [p for p in locked_periods(ctx.session, ctx.program.id) if p.reason == CLOSED_YEAR]
    if not closed:
        return

    def lock_of(value: Any):
        if spec.name == "budget_lines":
            return next((p for p in closed if p.label == value), None)
        return next((p for p in closed if value is not None and p.covers(value)), None)

    def refuse(lock, value: Any, position: int | None) -> None:
        fail(SettingsError("closed-period", column, value, lock=lock_message(lock, ctx.lang)), position)

    attr = {c.name: c.model_attr for c in spec.columns}[column]
    for row in wanted:
        if not row.valid:
            continue
        if row.row_id is None:
            lock = lock_of(row.values.get(column))
            if lock:
                refuse(lock, row.values.get(column), row.position)
            continue
        before, fields = stored[row.row_id], _fields(spec, row.values)
        if all(getattr(before, c.model_attr) == fields[c.model_attr] for c in spec.columns):
            continue  # unchanged (as it would be stored: a blank optional text is "")
        lock = lock_of(getattr(before, attr)) or lock_of(row.values.get(column))
        if lock:
            refuse(lock, getattr(before, attr), row.position)
    for row in removed:
        lock = lock_of(getattr(row, attr))
        if lock:
            refuse(lock, getattr(row, attr), None)


def _fields(spec: TableSpec, values: dict) -> dict:
    # An optional text left blank is stored as "" (the text columns are NOT NULL).
    return {c.model_attr: "" if c.kind == "text" and values[c.name] is None else values[c.name]
            for c in spec.columns}


def _write(spec: TableSpec, ctx: _Context, program_id: int, wanted: list[_EditedRow], stored: dict,
           removed: list, user: str) -> SaveResult:
    session = ctx.session
    result = SaveResult()
    for row in removed:
        before = audit.snapshot(row)
        session.delete(row)
        audit.record(session, user=user, action=f"{spec.entity}.delete", entity=spec.entity, entity_id=row.id,
                     before=before)
        result.deleted += 1
    session.flush()

    updates = []
    for edited in wanted:
        if edited.row_id is None:
            continue
        row, fields = stored[edited.row_id], _fields(spec, edited.values)
        changed = {a: v for a, v in fields.items() if getattr(row, a) != v}
        if changed:
            updates.append((row, {a: getattr(row, a) for a in changed}, changed, fields))
    if spec.temp_key:
        # Move changed unique keys out of the way first, so that two rows can swap them.
        for row, _, changed, _ in updates:
            if changed.keys() & set(spec.db_unique):
                for attr, value in spec.temp_key(row.id).items():
                    setattr(row, attr, value)
        session.flush()
    for row, before, changed, fields in updates:
        for attr, value in fields.items():
            setattr(row, attr, value)
        session.add(row)
        audit.record(session, user=user, action=f"{spec.entity}.update", entity=spec.entity, entity_id=row.id,
                     before=before, after=changed)
        result.updated += 1
    session.flush()

    for edited in wanted:
        if edited.row_id is not None:
            continue
        row = spec.model(**spec.new_row(program_id), **_fields(spec, edited.values))
        session.add(row)
        session.flush()
        audit.record(session, user=user, action=f"{spec.entity}.create", entity=spec.entity, entity_id=row.id,
                     after=audit.snapshot(row))
        result.inserted += 1
    if result.changed and spec.after_save is not None:
        session.flush()
        spec.after_save(session, program_id, user)
    if result.changed:
        bump_data_version(session)
    return result


def _editor(table: str) -> tuple[Callable, Callable]:
    """load_<table>_table and save_<table>_table: load_table / save_table for one table."""

    def load(session: Session, program_id: int, lang: str = DEFAULT_LANG) -> pd.DataFrame:
        return load_table(session, program_id, table, lang)

    def save(session: Session, program_id: int, edited: pd.DataFrame, *, user: str,
             lang: str = DEFAULT_LANG) -> SaveResult:
        return save_table(session, program_id, table, edited, user=user, lang=lang)

    load.__name__, save.__name__ = f"load_{table}_table", f"save_{table}_table"
    load.__doc__ = f"The {table.replace('_', ' ')} table for st.data_editor (see load_table)."
    save.__doc__ = f"Save the edited {table.replace('_', ' ')} table (see save_table)."
    return load, save


load_funders_table, save_funders_table = _editor("funders")
load_budget_lines_table, save_budget_lines_table = _editor("budget_lines")
load_milestones_table, save_milestones_table = _editor("milestones")
load_contributions_table, save_contributions_table = _editor("contributions")
load_indicators_table, save_indicators_table = _editor("indicators")
load_categories_table, save_categories_table = _editor("categories")
load_category_aliases_table, save_category_aliases_table = _editor("category_aliases")
load_commitments_table, save_commitments_table = _editor("commitments")


# --- category mapping and the budget check ------------------------------------------------------------


@dataclass(frozen=True)
class LabelMapping:
    """What map_category_label did."""

    alias_id: int
    label_key: str
    category_code: str
    changed: bool  # False when the label was already mapped to that category
    reclassified: int  # expenses waiting in « À classer » under that label, now in the category


def map_category_label(session: Session, label: str, category_code: str, *, user: str) -> LabelMapping:
    """Map a spreadsheet label (« Frais de déplacement ») to a category once; later imports use it.

    Stored as a CategoryAlias under importing's label_key (the key imports look aliases up by); mapping a
    label again moves it. The expenses imports left in « À classer » with that label (review reason
    `unknown-category:<key>`) are classified now and that reason is removed; an expense someone has
    already classified by hand is left alone. Aliases are shared by every program, and so is this.
    Permission "settings"; audited (the alias, and the reclassified expense ids); bumps the data version.
    """
    require(session, user, "settings")
    key = label_key(label)
    if not key:
        raise SettingsError("required", "label", label)
    if len(key) > 200:
        raise SettingsError("too-long", "label", label, limit=200)
    category = session.exec(select(Category).where(Category.code == category_code)).first()
    if category is None:
        raise SettingsError("unknown-reference", "category", category_code)
    user = normalise_email(user)
    alias = session.exec(select(CategoryAlias).where(CategoryAlias.label_key == key)).first()
    changed = alias is None or alias.category_id != category.id
    if alias is None:
        alias = CategoryAlias(label_key=key, category_id=category.id)
        session.add(alias)
        session.flush()
        audit.record(session, user=user, action="category_alias.create", entity="category_alias",
                     entity_id=alias.id, after=audit.snapshot(alias))
    elif changed:
        before = {"category_id": alias.category_id}
        alias.category_id = category.id
        session.add(alias)
        session.flush()
        audit.record(session, user=user, action="category_alias.update", entity="category_alias",
                     entity_id=alias.id, before=before, after={"category_id": category.id})
    reclassified = _reclassify_waiting(session, key, category, alias_id=alias.id, user=user)
    if changed or reclassified:
        bump_data_version(session)
    return LabelMapping(alias_id=alias.id, label_key=key, category_code=category.code, changed=changed,
                        reclassified=len(reclassified))


def _reclassify_waiting(
    session: Session, key: str, category: Category, *, alias_id: int, user: str
) -> list[int]:
    """Move the unclassified expenses imported under label `key` to `category`; returns their ids."""
    if category.code == UNCLASSIFIED:
        return []
    # The import writes this reason (cut to 150 characters) among others joined by "|".
    markers = {f"{UNKNOWN_CATEGORY}:{key}", f"{UNKNOWN_CATEGORY}:{key}"[:150]}
    unclassified = select(Category.id).where(Category.code == UNCLASSIFIED).scalar_subquery()
    waiting = session.exec(
        select(Expense).where(Expense.category_id == unclassified, Expense.needs_review.is_(True),
                              Expense.review_reason.like(f"%{min(markers, key=len)}%"))
    ).all()
    moved = []
    for expense in waiting:
        parts = expense.review_reason.split("|")
        kept = [part for part in parts if part not in markers]
        if len(kept) == len(parts):
            continue
        expense.category_id = category.id
        expense.review_reason = "|".join(kept)
        expense.needs_review = bool(kept)
        session.add(expense)
        moved.append(expense.id)
    if moved:
        session.flush()
        audit.record(session, user=user, action="expense.reclassify", entity="category_alias",
                     entity_id=alias_id, before={"category": UNCLASSIFIED},
                     after={"category": category.code, "label_key": key, "expense_ids": moved})
    return moved


@dataclass(frozen=True)
class BudgetTotalCheck:
    """Whether the budget lines add up to the program budget (a warning on the page, not an error)."""

    budget_total: Decimal
    lines_total: Decimal
    by_fiscal_year: dict[str, Decimal]

    @property
    def difference(self) -> Decimal:
        """Lines minus budget: positive when the lines plan more than the budget."""
        return self.lines_total - self.budget_total

    @property
    def balanced(self) -> bool:
        return self.difference == 0

    def message(self, lang: str = DEFAULT_LANG) -> str:
        state = "balanced" if self.balanced else ("over" if self.difference > 0 else "under")
        return t(f"settings.budget_check.{state}", lang, lines=format_money(self.lines_total, lang),
                 budget=format_money(self.budget_total, lang), gap=format_money(abs(self.difference), lang))


def budget_total_check(session: Session, program_id: int) -> BudgetTotalCheck:
    """Sum of the budget lines (per fiscal year and in all) against the program's total budget."""
    program = _program(session, program_id)
    rows = session.execute(
        sa.select(BudgetLine.fiscal_year, sa.func.sum(BudgetLine.amount_cents))
        .where(BudgetLine.program_id == program_id)
        .group_by(BudgetLine.fiscal_year).order_by(BudgetLine.fiscal_year)
    ).all()
    by_year = {label: from_cents(int(total or 0)) for label, total in rows}
    return BudgetTotalCheck(
        budget_total=from_cents(program.budget_total_cents),
        lines_total=sum(by_year.values(), Decimal("0.00")),
        by_fiscal_year=by_year,
    )
