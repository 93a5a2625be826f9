"""The Settings page's table editors: one load / diff / validate / audit mechanism driven by a TableSpec.

Funders, budget lines, milestones, contributions, indicators, categories, category aliases and
commitments each differ only by their TableSpec (TABLES); load_table / save_table do the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlmodel import Session, SQLModel, select

from cqic_budget import audit
from cqic_budget.auth import normalise_email, require
from cqic_budget.budget import COMMITMENT_STATUSES, sync_in_kind_expenses
from cqic_budget.db import bump_data_version
from cqic_budget.i18n import DEFAULT_LANG
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
)
from cqic_budget.settings_service.values import (
    Column,
    SettingsError,
    _blank,
    _Context,
    _int,
    _program,
    _shown,
)
from cqic_budget.setup import CATEGORIES

FUNDER_KINDS = ("quebec", "federal", "municipal", "private", "own")
PUBLIC_KINDS = ("quebec", "federal", "municipal")  # always count as public aid (stacking)
BUILT_IN_CATEGORIES = frozenset(code for code, _, _ in CATEGORIES)


# --- results ------------------------------------------------------------------------------------------


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
