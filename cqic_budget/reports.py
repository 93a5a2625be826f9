"""The funder report workbook (openpyxl) and the CSV/Excel expense exports, safe against formula injection.

Every figure comes from the metric functions (the same as `summary --json`); this module only lays
them out. The expense rows are read with one SQL query, streamed in chunks into a write-only workbook
or a CSV stream, so that a store of a million expenses never sits in memory.

Text that came from users (vendors, descriptions, invoices, funder and milestone names, reasons, file
names, municipalities) is always written as a text cell, neutralised by `safe_text`: nothing that
begins with =, +, -, @, a tab or a carriage return can become a formula.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from sqlmodel import Session

from cqic_budget.auth import can, require
from cqic_budget.budget import amendment_list, in_kind_list
from cqic_budget.currency import CAD, exchange_difference_cents, exchange_sentence, exchange_summary
from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import DASH, format_date, format_money, format_number, format_percent, normalise_lang, t
from cqic_budget.merchants import SECTORS, SIZE_BANDS, expense_description
from cqic_budget.metrics.cofinancing import (
    admin_base,
    admin_share,
    admin_spent,
    claimable_now,
    funder_positions,
    partner_match,
    public_aid_received,
    public_aid_share,
    quebec_entitlement,
    quebec_received,
    quebec_share,
)
from cqic_budget.metrics.facts import ZERO, ProgramFacts, eligible_spent, load_facts
from cqic_budget.metrics.impact import (
    DIMENSIONS,
    OTHER_GROUPS,
    impact,
    load_impact_facts,
    merchants_supported,
    merge_small_groups,
    split_impact,
)
from cqic_budget.metrics.milestones import milestone_status
from cqic_budget.metrics.summary import Summary, share_text, summarise
from cqic_budget.models import Category, Expense, ImportBatch, Program
from cqic_budget.money import from_cents, round_cents, share
from cqic_budget.periods import clamp_as_of, fiscal_years_between
from cqic_budget.privacy import redactor
from cqic_budget.queries import ExpenseFilters, category_labels, expense_conditions, label_column
from cqic_budget.safe_text import neutralise_formula
from cqic_budget.setup import get_program

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
CHUNK_ROWS = 5_000  # expense rows fetched per round trip
SHEET_ROW_LIMIT = 1_048_576  # rows of an Excel sheet

# Excel localises the separators of a number format: `#,##0.00 "$"` reads 2 100 000,00 $ in French.
MONEY_FORMAT = {"fr": '#,##0.00 "$"', "en": '"$"#,##0.00'}
PERCENT_FORMAT = {"fr": "0.0 %", "en": "0.0%"}
DATE_FORMAT = "yyyy-mm-dd"
INTEGER_FORMAT = "#,##0"
RATE_FORMAT = "0.0000######"
NUMBER_FORMAT = "#,##0.00"
MONTHS_FORMAT = "0.0"

# Kinds of cell: the number format a figure is written with.
MONEY, PERCENT, DATE, INTEGER, NUMBER, MONTHS, TEXT, LONG_TEXT = (
    "money", "percent", "date", "integer", "number", "months", "text", "long_text",
)
RATE = "rate"  # an exchange rate: CAD per unit of a currency, as stored (4 decimals at least)

TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
LINE_HEIGHT = 15  # points per line of text

# The figures of the summary sheet, in order: (key, label key, kind). The key is a `summary --json` key
# (the figure is written exactly as it prints there) or, beside them, another field of Summary or the target.
SUMMARY_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("budget_total", "metrics.summary.budget_total", MONEY),
    ("spent", "metrics.summary.spent", MONEY),
    ("ineligible", "metrics.summary.ineligible", MONEY),
    ("remaining", "metrics.summary.remaining", MONEY),
    ("burn_rate_monthly", "metrics.summary.burn_rate", MONEY),
    ("projected_total", "metrics.summary.projected_total", MONEY),
    ("projected_exhaustion", "metrics.summary.projected_exhaustion", DATE),
    ("quebec_rate", "metrics.summary.quebec_rate", PERCENT),
    ("quebec_received", "metrics.summary.quebec_received", MONEY),
    ("quebec_share", "metrics.summary.quebec_share", PERCENT),
    ("quebec_entitlement", "metrics.summary.quebec_entitlement", MONEY),
    ("quebec_claimable", "metrics.summary.quebec_claimable", MONEY),
    ("partner_required", "metrics.summary.partner_required", MONEY),
    ("partner_received", "metrics.summary.partner_received", MONEY),
    ("partner_received_cash", "reports.figure.partner_received_cash", MONEY),
    ("partner_received_in_kind", "reports.figure.partner_received_in_kind", MONEY),
    ("public_aid_share", "metrics.summary.public_aid_share", PERCENT),
    ("stacking_cap", "metrics.summary.stacking_cap", PERCENT),
    ("admin_share", "metrics.summary.admin_share", PERCENT),
    ("admin_cap", "reports.figure.admin_cap", PERCENT),
    ("merchants_supported", "metrics.summary.merchants_supported", INTEGER),
    ("merchants_target", "reports.figure.merchants_target", INTEGER),
    ("cost_per_merchant", "metrics.summary.cost_per_merchant", MONEY),
)
# Figures of `summary --json` that are shares (written rounded to four places as there).
_SHARES = {"quebec_share", "public_aid_share", "admin_share"}


def safe_text(value: object) -> str:
    """User text for a cell: characters a workbook may not hold dropped, a formula start neutralised."""
    return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


# --- Laying out small sheets ------------------------------------------------------------------------


@dataclass
class _Row:
    cells: list[tuple[Any, str]]  # (value, kind)
    style: str = "body"  # title, subtitle, section, header, body, total, blank


class _Sheet:
    """A small sheet planned row by row, then written at once (widths come from the content)."""

    def __init__(self, name: str, lang: str):
        self.name, self.lang = name, lang
        self.rows: list[_Row] = []
        self.headers: list[int] = []  # row numbers of the tables' headers

    def title(self, title: str, subtitle: str) -> None:
        self.rows += [_Row([(title, TEXT)], "title"), _Row([(subtitle, TEXT)], "subtitle"), _Row([], "blank")]

    def section(self, text: str) -> None:
        if self.rows and self.rows[-1].style != "blank":
            self.rows.append(_Row([], "blank"))
        self.rows.append(_Row([(text, TEXT)], "section"))

    def note(self, text: str) -> None:
        self.rows.append(_Row([(text, TEXT)], "note"))

    def header(self, labels: Sequence[str]) -> None:
        self.rows.append(_Row([(label, TEXT) for label in labels], "header"))
        self.headers.append(len(self.rows))

    @property
    def frozen_rows(self) -> int:
        """One table: down to its header; several: the title rows only (no header over another table)."""
        return self.headers[0] if len(self.headers) == 1 else 2

    def row(self, cells: Sequence[tuple[Any, str]], *, total: bool = False) -> None:
        self.rows.append(_Row(list(cells), "total" if total else "body"))


def _display_width(value: Any, kind: str) -> int:
    if value is None:
        return 2
    if kind == MONEY and isinstance(value, Decimal):
        return len(f"{value:,.2f}") + 3
    if kind == PERCENT:
        return 8
    if kind == DATE:
        return 11
    if isinstance(value, (int, Decimal)):
        return len(f"{value:,}") + 1
    return max((len(line) for line in str(value).splitlines()), default=0)


def _column_widths(sheet: _Sheet) -> list[float]:
    widths: dict[int, int] = {}
    for row in sheet.rows:
        if row.style in ("title", "subtitle", "section", "note", "blank"):
            continue
        for index, (value, kind) in enumerate(row.cells):
            limit = 70 if kind == LONG_TEXT else 45
            width = min(_display_width(value, kind) + 2, limit)
            widths[index] = max(widths.get(index, 8), width)
    return [widths.get(i, 8) for i in range(max(widths, default=-1) + 1)]


class _Cells:
    """Makes the cells of one workbook: every kind with its number format, all text as text."""

    def __init__(self, ws: Any, lang: str):
        self.ws, self.lang = ws, lang
        self.formats = {
            MONEY: MONEY_FORMAT[lang], PERCENT: PERCENT_FORMAT[lang], DATE: DATE_FORMAT,
            INTEGER: INTEGER_FORMAT, NUMBER: NUMBER_FORMAT, MONTHS: MONTHS_FORMAT, RATE: RATE_FORMAT,
        }

    def make(self, value: Any, kind: str, cell: WriteOnlyCell | None = None) -> WriteOnlyCell | None:
        if value is None and kind in (TEXT, LONG_TEXT):
            return None
        cell = cell if cell is not None else WriteOnlyCell(self.ws)
        self.fill(cell, value, kind)
        return cell

    def fill(self, cell: WriteOnlyCell, value: Any, kind: str) -> None:
        if value is None:
            value, kind = DASH, TEXT
        if isinstance(value, bool):
            value, kind = t("reports.yes" if value else "reports.no", self.lang), TEXT
        if isinstance(value, str) or kind in (TEXT, LONG_TEXT):
            cell.value = safe_text(value)
            cell.data_type = "s"  # never a formula, nor an error code such as #N/A
            return
        cell.value = value
        number_format = self.formats.get(kind)
        if number_format:
            cell.number_format = number_format


def _lines(row: _Row, widths: Sequence[float]) -> int:
    """Lines a wrapped row needs (a write-only sheet cannot let the reader fit row heights)."""
    if row.style not in ("header", "body"):
        return 1
    wrapped = [(value, width) for (value, kind), width in zip(row.cells, widths, strict=False)
               if isinstance(value, str) and (kind == LONG_TEXT or row.style == "header")]
    return max((math.ceil(len(value) * 1.1 / max(width - 2, 1)) for value, width in wrapped), default=1)


def _write_sheet(wb: Workbook, sheet: _Sheet, *, widths: Sequence[float] | None = None) -> None:
    ws = wb.create_sheet(sheet.name)
    cells = _Cells(ws, sheet.lang)
    widths = list(widths or _column_widths(sheet))
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    _page_setup(ws, sheet.frozen_rows)
    for number, row in enumerate(sheet.rows, start=1):
        lines = _lines(row, widths)
        if lines > 1:
            ws.row_dimensions[number].height = LINE_HEIGHT * lines
        out = []
        for value, kind in row.cells:
            cell = cells.make(value, kind)
            if cell is not None:
                _style(cell, row.style, kind)
            out.append(cell)
        ws.append(out)


def _style(cell: WriteOnlyCell, style: str, kind: str) -> None:
    if style == "title":
        cell.font = TITLE_FONT
    elif style == "section":
        cell.font = SECTION_FONT
    elif style in ("header", "total"):
        cell.font = BOLD
        if style == "header":
            cell.fill = HEADER_FILL
            cell.alignment = WRAP
    elif kind == LONG_TEXT:
        cell.alignment = WRAP
    elif style == "body":
        cell.alignment = TOP


def _page_setup(ws: Any, frozen_rows: int) -> None:
    """Title (and header) rows frozen and printed on every page, landscape, fit to the page width."""
    ws.freeze_panes = f"A{frozen_rows + 1}"
    ws.print_title_rows = f"1:{frozen_rows}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


# --- The report's sheets ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    lang: str
    facts: ProgramFacts
    summary: Summary
    program_name: str
    subtitle: str
    categories: dict[str, tuple[str, int]]  # code -> (label in the language, sort order)


def _scope_label(ctx: _Context, scope: str) -> str:
    if scope == "cumulative":
        return t("reports.scope.cumulative", ctx.lang, date=format_date(ctx.facts.as_of, ctx.lang))
    return t("reports.scope.year_end", ctx.lang, label=scope)


def _summary_value(summary: Summary, key: str) -> Any:
    value = getattr(summary, key)
    if key in _SHARES:
        # Rounded to four places, exactly as `summary --json` prints it.
        return None if value is None else Decimal(share_text(value))
    return value


def _summary_sheet(ctx: _Context) -> _Sheet:
    lang, s, f = ctx.lang, ctx.summary, ctx.summary.forecast
    sheet = _Sheet(t("reports.sheet.summary", lang), lang)
    sheet.title(ctx.program_name, ctx.subtitle)
    sheet.header([t("reports.col.figure", lang), t("reports.col.value", lang)])
    period = f"{format_date(ctx.facts.start, lang)} → {format_date(ctx.facts.end, lang)}"
    sheet.row([(t("reports.figure.program", lang), TEXT), (s.program_code, TEXT)])
    sheet.row([(t("reports.figure.period", lang), TEXT), (period, TEXT)])
    sheet.row([(t("reports.figure.as_of", lang), TEXT), (s.as_of, DATE)])
    for key, label, kind in SUMMARY_FIGURES:
        value = ctx.facts.target_merchants_supported if key == "merchants_target" else _summary_value(s, key)
        sheet.row([(t(label, lang), TEXT), (value, kind)])

    sheet.section(t("reports.title.forecast", lang))
    for label, value, kind in (
        ("reports.figure.spent_share", f.spent_share, PERCENT),
        ("reports.figure.time_elapsed", f.time_elapsed_share, PERCENT),
        ("reports.figure.planned", round_cents(f.planned), MONEY),
        ("reports.figure.variance", round_cents(f.variance), MONEY),
        ("reports.figure.months_left", f.months_left, MONTHS),
        ("reports.figure.required_burn", None if f.required_burn is None else round_cents(f.required_burn),
         MONEY),
        ("reports.figure.projected_unspent", round_cents(f.projected_unspent), MONEY),
    ):
        sheet.row([(t(label, lang), TEXT), (value, kind)])

    sheet.section(t("reports.title.checks", lang))
    sheet.header([t("reports.col.scope", lang), t("reports.col.check", lang), t("reports.col.status", lang),
                  t("reports.col.message", lang)])
    for check in s.checks:
        sheet.row([(_scope_label(ctx, check.scope), TEXT),
                   (t(f"metrics.check_name.{check.code}", lang), TEXT),
                   (t(f"status.{check.status}", lang), TEXT), (check.message(lang), LONG_TEXT)])
    return sheet


def _category_label(ctx: _Context, code: str) -> str:
    return ctx.categories.get(code, (code, 999))[0]


def _spending_sheet(ctx: _Context) -> _Sheet:
    lang = ctx.lang
    sheet = _Sheet(t("reports.sheet.spending", lang), lang)
    sheet.title(ctx.program_name, ctx.subtitle)
    sheet.header([t("reports.col.fiscal_year", lang), t("reports.col.category", lang),
                  t("reports.col.budget_original", lang), t("reports.col.budget", lang),
                  t("reports.col.spent", lang), t("reports.col.open_commitments", lang),
                  t("reports.col.available", lang), t("reports.col.spent_share", lang),
                  t("reports.col.status", lang)])
    lines = ctx.summary.budget_lines
    for status in ctx.summary.fiscal_years:
        in_year = sorted((line for line in lines if line.fiscal_year == status.label),
                         key=lambda line: (ctx.categories.get(line.category, ("", 999))[1], line.category))
        for line in in_year:
            sheet.row([(line.fiscal_year, TEXT), (_category_label(ctx, line.category), TEXT),
                       (line.budget_original, MONEY), (line.budget, MONEY), (line.spent, MONEY),
                       (line.open_commitments, MONEY), (line.available, MONEY), (line.used_share, PERCENT),
                       (line.word(lang), TEXT)])
        sheet.row([(status.label, TEXT), (t("reports.col.total", lang), TEXT),
                   (sum((line.budget_original for line in in_year), ZERO), MONEY), (status.budget, MONEY),
                   (status.spent, MONEY), (sum((line.open_commitments for line in in_year), ZERO), MONEY),
                   (sum((line.available for line in in_year), ZERO), MONEY),
                   (share(status.spent, status.budget), PERCENT), (status.word(lang), TEXT)], total=True)

    sheet.section(t("reports.title.fiscal_years", lang))
    sheet.header([t(f"reports.col.{key}", lang) for key in (
        "fiscal_year", "phase", "budget", "spent", "ineligible", "projected", "unspent", "lapse_risk",
        "overrun", "status", "message")])
    for fy in ctx.summary.fiscal_years:
        phase = t(f"reports.phase.{fy.phase}", lang)
        if fy.closed:
            phase = t("reports.phase.closed", lang, phase=phase)
        sheet.row([(fy.label, TEXT), (phase, TEXT), (fy.budget, MONEY),
                   (fy.spent, MONEY), (fy.ineligible, MONEY), (round_cents(fy.projected), MONEY),
                   (round_cents(fy.unspent), MONEY), (round_cents(fy.lapse_risk), MONEY),
                   (round_cents(fy.overrun), MONEY), (fy.word(lang), TEXT),
                   (fy.message(lang) + (" " + fy.restatement(lang) if fy.restated else ""), LONG_TEXT)])
    return sheet


def _budget_lines_sheet(ctx: _Context, session: Session) -> _Sheet:
    """What changes the budget lines of the spending sheet (SPEC §10): the amendments, the in-kind
    contributions with their valuation, and the exchange gain or loss on foreign-currency expenses."""
    lang, facts = ctx.lang, ctx.facts
    sheet = _Sheet(t("reports.sheet.budget_lines", lang), lang)
    sheet.title(ctx.program_name, ctx.subtitle)
    sheet.note(t("budget_lines.caption", lang))
    fx = exchange_summary(session, program_id=facts.program_id, as_of=facts.as_of)
    exchange = exchange_sentence(fx, lang)
    if exchange:
        sheet.note(exchange)
    amendments = amendment_list(session, program_id=facts.program_id, as_of=facts.as_of)
    if amendments:
        sheet.section(t("amendments.title", lang))
        for amendment in amendments:
            sheet.row([(amendment.effective_date.isoformat(), TEXT), (amendment.reference, TEXT),
                       (amendment.approved_by, TEXT), (amendment.describe(lang, ctx.categories), LONG_TEXT)])
    gifts = in_kind_list(session, program_id=facts.program_id, as_of=facts.as_of)
    if gifts:
        sheet.section(t("in_kind.title", lang))
        columns = ("funder", "date", "value", "category", "basis", "proof")
        sheet.header([t(f"in_kind.col.{key}", lang) for key in columns])
        for gift in gifts:
            sheet.row([(gift.funder, TEXT), (gift.date.isoformat(), TEXT), (from_cents(gift.value), MONEY),
                       (_category_label(ctx, gift.category) if gift.category else "—", TEXT),
                       (gift.basis, LONG_TEXT), (gift.proof, TEXT)])
    return sheet


def _share_rows(ctx: _Context) -> tuple[list[str], list[list[tuple[Any, str]]]]:
    """The co-financing figures, one column per scope: cumulative to the as-of, then each closed year end."""
    facts, lang = ctx.facts, ctx.lang
    scopes = [("cumulative", facts.as_of)] + [
        (fy.label, fy.end) for fy in fiscal_years_between(facts.start, facts.end) if fy.end <= facts.as_of
    ]
    holdback = format_percent(facts.holdback_rate, lang, digits=0)

    def rounded_share(value: Decimal | None) -> Decimal | None:
        return None if value is None else Decimal(share_text(value))

    figures: list[tuple[str, str, Any]] = [
        ("reports.share.spent", MONEY, lambda d: eligible_spent(facts, d)),
        ("reports.share.quebec_received", MONEY, lambda d: quebec_received(facts, d)),
        ("reports.share.quebec_share", PERCENT, lambda d: rounded_share(quebec_share(facts, d))),
        ("reports.share.quebec_rate", PERCENT, lambda d: facts.quebec_rate),
        ("reports.share.quebec_entitlement", MONEY, lambda d: quebec_entitlement(facts, d)),
        ("reports.share.claimable", MONEY, lambda d: claimable_now(facts, d)),
        ("reports.share.partner_required", MONEY, lambda d: partner_match(facts, d).required),
        ("reports.share.partner_cash", MONEY, lambda d: partner_match(facts, d).received_cash),
        ("reports.share.partner_in_kind", MONEY, lambda d: partner_match(facts, d).received_in_kind),
        ("reports.share.partner_received", MONEY, lambda d: partner_match(facts, d).received),
        ("reports.share.partner_shortfall", MONEY, lambda d: partner_match(facts, d).shortfall),
        ("reports.share.public_aid", MONEY, lambda d: public_aid_received(facts, d)),
        ("reports.share.public_aid_share", PERCENT, lambda d: rounded_share(public_aid_share(facts, d))),
        ("reports.share.stacking_cap", PERCENT, lambda d: facts.stacking_cap),
        ("reports.share.admin_spent", MONEY, lambda d: admin_spent(facts, d)),
        ("reports.share.admin_base", MONEY, lambda d: admin_base(facts, d)),
        ("reports.share.admin_share", PERCENT, lambda d: rounded_share(admin_share(facts, d))),
        ("reports.share.admin_cap", PERCENT, lambda d: facts.admin_cap),
    ]
    header = [t("reports.col.figure", lang)] + [_scope_label(ctx, scope) for scope, _ in scopes]
    rows = []
    for label, kind, compute in figures:
        values = [compute(day) for _, day in scopes]
        if kind == MONEY:
            values = [round_cents(v) for v in values]
        rows.append([(t(label, lang, holdback=holdback), TEXT)] + [(v, kind) for v in values])
    return header, rows


def _cofinancing_sheet(ctx: _Context) -> _Sheet:
    lang = ctx.lang
    sheet = _Sheet(t("reports.sheet.cofinancing", lang), lang)
    sheet.title(ctx.program_name, ctx.subtitle)
    sheet.section(t("reports.title.funders", lang))
    sheet.header([t(f"reports.col.{key}", lang) for key in (
        "funder", "kind", "public_aid", "in_kind", "committed", "received_cash", "received_in_kind",
        "received", "due", "received_share")])
    for p in funder_positions(ctx.facts):
        sheet.row([(p.name, TEXT), (t(f"reports.funder_kind.{p.kind}", lang), TEXT), (p.is_public_aid, TEXT),
                   (p.in_kind, TEXT), (p.committed, MONEY), (p.received_cash, MONEY),
                   (p.received_in_kind, MONEY), (p.received, MONEY), (p.due, MONEY),
                   (p.received_share, PERCENT)])

    sheet.section(t("reports.title.shares", lang))
    header, rows = _share_rows(ctx)
    sheet.header(header)
    for row in rows:
        sheet.row(row)
    sheet.note(t("reports.entitlement_rounding", lang))

    sheet.section(t("reports.title.receipts", lang))
    sheet.header([t(f"reports.col.{key}", lang) for key in (
        "fiscal_year", "quebec_received", "partner_cash", "partner_in_kind", "partner_received")])
    for fy in ctx.summary.fiscal_years:
        sheet.row([(fy.label, TEXT), (fy.quebec_received, MONEY), (fy.partner_received_cash, MONEY),
                   (fy.partner_received_in_kind, MONEY), (fy.partner_received, MONEY)])
    return sheet


def _milestones_sheet(ctx: _Context) -> _Sheet:
    lang, facts = ctx.lang, ctx.facts
    sheet = _Sheet(t("reports.sheet.milestones", lang), lang)
    sheet.title(ctx.program_name, ctx.subtitle)
    sheet.header([t(f"reports.col.{key}", lang) for key in (
        "milestone", "due_date", "measured_at", "planned", "actual", "gap", "progress", "status",
        "achieved_date", "days_late", "payment_funder", "payment_expected", "payment_received",
        "payment_date", "payment_status")])
    for m in milestone_status(facts):
        funder = facts.funder(m.payment_funder_id) if m.payment_funder_id is not None else None
        sheet.row([
            (m.name(lang), TEXT), (m.due_date, DATE), (m.measured_at, DATE), (m.planned, MONEY),
            (m.actual, MONEY), (m.gap, MONEY), (m.progress, PERCENT),
            (t(f"reports.milestone_status.{m.status}", lang), TEXT),
            (m.achieved_date, DATE) if m.achieved_date else ("", TEXT), (m.days_late, INTEGER),
            (funder.name if funder else "", TEXT),
            (m.payment_expected, MONEY) if m.payment_expected is not None else ("", TEXT),
            (m.payment_received, MONEY),
            (m.payment_date, DATE) if m.payment_date else ("", TEXT),
            (t(f"reports.payment_status.{m.payment_status}", lang), TEXT),
        ])
    return sheet


SPLIT_ORDER = {"sector": SECTORS, "size_band": SIZE_BANDS}


def _indicator_kind(unit: str) -> str:
    return {"percent": PERCENT, "cad": MONEY, "bool": PERCENT}.get(unit, NUMBER)


def _dimension_value(lang: str, dimension: str, value: str, min_group: int | None) -> str:
    if value == OTHER_GROUPS:
        return t("privacy.other_groups", lang, size=min_group)
    if dimension in ("sector", "size_band"):
        key = f"reports.{dimension}.{value}"
        try:
            return t(key, lang)
        except KeyError:
            return value
    return value


def _impact_sheet(ctx: _Context, session: Session, *, min_group: int | None) -> _Sheet:
    """Aggregates only: counts, means and costs; never a merchant's name or contact (funders get this).
    With `min_group`, the splits merge the groups of fewer merchants (metrics.impact.merge_small_groups)."""
    lang = ctx.lang
    ifacts = load_impact_facts(session, facts=ctx.facts)
    if min_group is not None:
        ifacts = merge_small_groups(ifacts, min_group)
    whole = impact(ifacts)
    counts = whole.counts
    sheet = _Sheet(t("reports.sheet.impact", lang), lang)
    sheet.title(ctx.program_name, ctx.subtitle)
    sheet.header([t("reports.col.figure", lang), t("reports.col.result", lang), t("reports.col.target", lang),
                  t("reports.col.attainment", lang)])
    for key, value, target in (
        ("reached", counts.reached, counts.target_reached),
        ("supported", counts.supported, counts.target_supported),
        ("completed", counts.completed, counts.target_completed),
    ):
        sheet.row([(t(f"reports.impact.{key}", lang), TEXT), (value, INTEGER), (target, INTEGER),
                   (share(Decimal(value), Decimal(target)), PERCENT)])
    for key, value, kind in (
        ("ecommerce", whole.ecommerce_launched, INTEGER),
        ("jobs", whole.jobs_created, NUMBER),
        ("cost_per_merchant", ctx.summary.cost_per_merchant, MONEY),
        ("direct_spent", round_cents(whole.direct_spent), MONEY),
        ("direct_cost", None if whole.direct_cost_per_merchant is None
         else round_cents(whole.direct_cost_per_merchant), MONEY),
    ):
        sheet.row([(t(f"reports.impact.{key}", lang), TEXT), (value, kind)])
    sheet.note(t("reports.impact_note", lang))

    sheet.section(t("reports.title.indicators", lang))
    sheet.header([t(f"reports.col.{key}", lang) for key in (
        "indicator", "unit", "direction", "target_change", "merchants_measured", "baseline_mean",
        "followup_mean", "mean_change", "median_change", "improved", "share_improved")])
    for ind in whole.indicators:
        kind = _indicator_kind(ind.unit)
        sheet.row([
            (ind.name(lang), TEXT), (t(f"reports.unit.{ind.unit}", lang), TEXT),
            (t(f"reports.direction.{ind.direction}", lang), TEXT), (ind.target, kind),
            (ind.merchants, INTEGER), (ind.baseline_mean, kind), (ind.followup_mean, kind),
            (ind.mean_change, kind), (ind.median_change, kind), (ind.improved, INTEGER),
            (ind.share_improved, PERCENT),
        ])

    for dimension in DIMENSIONS:
        sheet.section(t("reports.title.split", lang, dimension=t(f"reports.dimension.{dimension}", lang)))
        columns = ("reached", "supported", "completed", "direct_spent", "direct_cost")
        sheet.header([t(f"reports.col.dimension.{dimension}", lang)]
                     + [t(f"reports.col.{key}", lang) for key in columns])
        parts = split_impact(ifacts, dimension)
        order = SPLIT_ORDER.get(dimension, ())
        for value in sorted(parts, key=lambda v: (order.index(v) if v in order else len(order), v)):
            part = parts[value]
            c, cost = part.counts, part.direct_cost_per_merchant
            sheet.row([(_dimension_value(lang, dimension, value, min_group), TEXT), (c.reached, INTEGER),
                       (c.supported, INTEGER), (c.completed, INTEGER),
                       (round_cents(part.direct_spent), MONEY),
                       (None if cost is None else round_cents(cost), MONEY)])
    return sheet


# --- Expense rows: one streamed query ---------------------------------------------------------------


EXPENSE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("date", DATE), ("vendor", TEXT), ("description", TEXT), ("category", TEXT), ("invoice", TEXT),
    ("amount", MONEY), ("gst", MONEY), ("qst", MONEY), ("expense_total", MONEY), ("eligible_cost", MONEY),
    ("eligible", TEXT), ("reason", TEXT), ("review", TEXT), ("file_name", TEXT), ("source_row", INTEGER),
    # A foreign-currency expense (SPEC §10): its currency, its total as written in it (NUMBER: no « $ »), the
    # rate to CAD and its source, and the exchange difference in CAD (positive: a loss; negative: a gain).
    ("currency", TEXT), ("written_total", NUMBER), ("fx_rate", RATE), ("fx_source", TEXT),
    ("exchange_difference", MONEY),
)
EXPENSE_WIDTHS = (12, 32, 44, 28, 16, 16, 12, 12, 16, 16, 11, 32, 24, 32, 10, 9, 16, 12, 28, 16)


def expense_query(
    *, program_id: int, as_of: date, lang: str = "fr", filters: ExpenseFilters | None = None,
    personal: bool = True,
) -> sa.Select:
    """The expense rows of a program dated on or before the as-of, with their category label and the
    file they came from: plain columns (no ORM objects), in date order. Without `personal`, the
    descriptions of merchant-linked rows are masked (merchants.expense_description)."""
    label = label_column(lang)
    stmt = (
        sa.select(Expense.date, Expense.vendor, expense_description(personal=personal, lang=lang), label,
                  Expense.invoice_number,
                  Expense.amount_cents, Expense.gst_cents, Expense.qst_cents, Expense.eligible_cents,
                  Expense.eligible, Expense.ineligible_reason, Expense.needs_review, Expense.review_reason,
                  ImportBatch.file_name, Expense.source_row, Expense.currency, Expense.written_amount_cents,
                  Expense.written_gst_cents, Expense.written_qst_cents, Expense.fx_rate, Expense.fx_source,
                  Expense.fx_reference_rate)
        .join(Category, Category.id == Expense.category_id)
        .outerjoin(ImportBatch, ImportBatch.id == Expense.batch_id)
        .where(*expense_conditions(program_id=program_id, as_of=as_of, filters=filters))
        .order_by(Expense.date, Expense.id)
    )
    return stmt


def iter_expense_rows(
    session: Session, *, program_id: int, as_of: date, lang: str = "fr",
    filters: ExpenseFilters | None = None, personal: bool = True,
) -> Iterator[tuple]:
    """The rows of `expense_query` as plain values (money as Decimal), fetched CHUNK_ROWS at a time
    (a server-side cursor on PostgreSQL). Without `personal`, every free text is redacted
    (privacy.redactor)."""
    yes, no = t("reports.yes", lang), t("reports.no", lang)
    redact = redactor(session, personal=personal, program_id=program_id, lang=lang)
    stmt = expense_query(program_id=program_id, as_of=as_of, lang=lang, filters=filters, personal=personal)
    result = session.execute(stmt, execution_options={"yield_per": CHUNK_ROWS})
    for chunk in result.partitions():
        for (day, vendor, description, category, invoice, amount, gst, qst, eligible_cents, eligible,
             reason, needs_review, review_reason, file_name, source_row, currency, *foreign) in chunk:
            yield (
                day, redact(vendor or ""), redact(description or ""), category, redact(invoice or ""),
                from_cents(amount), from_cents(gst), from_cents(qst), from_cents(amount + gst + qst),
                from_cents(eligible_cents), yes if eligible else no, redact(reason or ""),
                redact(review_reason or yes) if needs_review else "", redact(file_name or ""), source_row,
                *_foreign_columns(currency, amount + gst + qst, *foreign),
            )


def _foreign_columns(currency: str | None, cad_total: int, written_amount: int | None,
                     written_gst: int | None, written_qst: int | None, rate: Decimal | None,
                     source: str | None, reference_rate: Decimal | None) -> tuple:
    """(currency, total as written, rate, rate source, exchange difference) of a foreign-currency expense;
    the currency alone for a CAD one. The difference is currency.exchange_difference_cents (None without a
    Bank of Canada rate for the day)."""
    if currency in (None, "", CAD) or written_amount is None:
        return (currency or CAD, None, None, "", None)
    written = written_amount + (written_gst or 0) + (written_qst or 0)
    difference = exchange_difference_cents(written, cad_total,
                                           None if reference_rate is None else Decimal(reference_rate))
    return (currency, from_cents(written), None if rate is None else Decimal(rate), source or "",
            None if difference is None else from_cents(difference))


def _write_expense_rows(ws: Any, cells: _Cells, rows: Iterable[tuple]) -> int:
    """Stream rows into a write-only sheet, reusing one cell per column (each row is written at once)."""
    reusable = [WriteOnlyCell(ws) for _ in EXPENSE_COLUMNS]
    for cell, (_, kind) in zip(reusable, EXPENSE_COLUMNS, strict=True):
        if kind in cells.formats:
            cell.number_format = cells.formats[kind]
    count = 0
    for row in rows:
        out = []
        for cell, value, (_, kind) in zip(reusable, row, EXPENSE_COLUMNS, strict=True):
            if value is None or value == "":
                out.append(None)
                continue
            if kind in (TEXT, LONG_TEXT):
                cell.value = safe_text(value)
                cell.data_type = "s"
            else:
                cell.value = value
            out.append(cell)
        ws.append(out)
        count += 1
    return count


def _start_expense_sheet(wb: Workbook, name: str, lang: str, head: list[_Row]) -> tuple[Any, _Cells]:
    ws = wb.create_sheet(name)
    cells = _Cells(ws, lang)
    for index, width in enumerate(EXPENSE_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    _page_setup(ws, len(head))
    ws.auto_filter.ref = f"A{len(head)}:{get_column_letter(len(EXPENSE_COLUMNS))}{len(head)}"
    for row in head:
        out = []
        for value, kind in row.cells:
            cell = cells.make(value, kind)
            if cell is not None:
                _style(cell, row.style, kind)
            out.append(cell)
        ws.append(out)
    return ws, cells


def _expense_sheet(
    wb: Workbook, session: Session, *, name: str, lang: str, program_id: int, as_of: date, title: str,
    subtitle: str, note: str | None, filters: ExpenseFilters | None = None, personal: bool = True,
) -> int:
    """The expense rows on one sheet, continued on « name (2) »… past Excel's rows per sheet."""
    head = [_Row([(title, TEXT)], "title"), _Row([(subtitle, TEXT)], "subtitle"),
            _Row([(note, TEXT)] if note else [], "note"),
            _Row([(t(f"reports.col.{key}", lang), TEXT) for key, _ in EXPENSE_COLUMNS], "header")]
    rows = iter(iter_expense_rows(session, program_id=program_id, as_of=as_of, lang=lang, filters=filters,
                                  personal=personal))
    per_sheet = SHEET_ROW_LIMIT - len(head)
    count, part, pending = 0, 1, next(rows, None)
    while True:
        ws, cells = _start_expense_sheet(wb, name if part == 1 else f"{name} ({part})", lang, head)
        if pending is None:
            return count
        count += _write_expense_rows(ws, cells, itertools.islice(itertools.chain([pending], rows), per_sheet))
        pending, part = next(rows, None), part + 1
        if pending is None:
            return count


# --- Entry points -----------------------------------------------------------------------------------


def _category_labels(session: Session, lang: str) -> dict[str, tuple[str, int]]:
    return {c.code: (c.label(lang), c.sort_order) for c in category_labels(session)}


def _may_read_personal(session: Session, user: str | None) -> bool:
    """The command line (no user) is the operator; a page passes its reader, who may be a funder."""
    return user is None or can(session, user, "read_personal")


# The sheet plan, for the PDF renderer (report_pdf): rows of (value, kind) with a style.
Sheet, Row = _Sheet, _Row


@dataclass(frozen=True)
class ReportView:
    """The funder report's figure sheets, laid out once: the workbook writes them, report_pdf prints them."""

    lang: str
    program_id: int
    program_code: str
    program_name: str
    subtitle: str
    as_of: date
    sheets: tuple[Sheet, ...]  # summary, spending, co-financing, milestones, impact
    expense_count: int
    expense_note: str  # the expense sheet's note: count, date, eligible total (equal to the summary)
    personal: bool  # whether the reader may see merchants' personal data


def report_view(
    session: Session, *, program_code: str | None, as_of: date | None, lang: str, user: str | None,
) -> ReportView:
    """The report's sheets for `user` (None: the command line's operator), who must hold `reports`."""
    lang = normalise_lang(lang)
    if user is not None:
        require(session, user, "reports")
    program = get_program(session, program_code)
    facts = load_facts(session, program_id=program.id, as_of=as_of)
    supported = merchants_supported(session, program_id=program.id, as_of=facts.as_of)
    summary = summarise(facts, supported=supported)
    name = program.name_en if lang == "en" else program.name_fr
    subtitle = t("reports.subtitle", lang, code=program.code, date=format_date(facts.as_of, lang, long=True))
    ctx = _Context(lang, facts, summary, name, subtitle, _category_labels(session, lang))
    personal = _may_read_personal(session, user)
    sheets = (_summary_sheet(ctx), _spending_sheet(ctx), _budget_lines_sheet(ctx, session),
              _cofinancing_sheet(ctx), _milestones_sheet(ctx),
              _impact_sheet(ctx, session, min_group=None if personal else program.min_group_size))
    count = sum(m.expenses for m in facts.monthly)
    note = t("reports.expenses_note", lang, count=format_number(count, lang),
             date=format_date(facts.as_of, lang), spent=format_money(summary.spent, lang))
    return ReportView(lang, program.id, program.code, name, subtitle, facts.as_of, sheets, count, note,
                      personal)


def _build(
    session: Session, target: str | Path | IO[bytes], *, program_code: str | None, as_of: date | None,
    lang: str, user: str | None,
) -> None:
    view = report_view(session, program_code=program_code, as_of=as_of, lang=lang, user=user)
    wb = Workbook(write_only=True)
    wb.properties.title = view.subtitle
    wb.properties.creator = "cqic_budget"
    for sheet in view.sheets:
        _write_sheet(wb, sheet)
    _expense_sheet(wb, session, name=t("reports.sheet.expenses", view.lang), lang=view.lang,
                   program_id=view.program_id, as_of=view.as_of, title=view.program_name,
                   subtitle=view.subtitle, note=view.expense_note, personal=view.personal)
    wb.save(target)


def build_report(
    session: Session, *, program_code: str | None = None, as_of: date | None = None, lang: str = "fr",
    user: str | None = None,
) -> bytes:
    """The funder report workbook (.xlsx) as bytes, for a download. `user`, when given, must hold the
    `reports` permission (auth.Forbidden otherwise)."""
    buffer = io.BytesIO()
    _build(session, buffer, program_code=program_code, as_of=as_of, lang=lang, user=user)
    return buffer.getvalue()


def write_report(
    session: Session, path: str | Path, *, program_code: str | None = None, as_of: date | None = None,
    lang: str = "fr", user: str | None = None,
) -> Path:
    """Write the funder report workbook to `path` (python -m cqic_budget report)."""
    path = Path(path)
    _build(session, path, program_code=program_code, as_of=as_of, lang=lang, user=user)
    return path


def report_file_name(program_code: str, as_of: date, lang: str = "fr", suffix: str = "xlsx") -> str:
    prefix = "funder-report" if normalise_lang(lang) == "en" else "rapport-bailleurs"
    return f"{prefix}-{program_code}-{as_of.isoformat()}.{suffix}"


class ReportFormatError(UserFacingError, ValueError):
    """`report --out` names a file that is neither .xlsx nor .pdf (code report-format)."""

    code = "report-format"

    def __init__(self, path: Path):
        self.path = path
        super().__init__(f"report-format: {path}")

    def message(self, lang: str = "fr") -> str:
        return t("report_pdf.error.format", lang, name=self.path.name)


def check_report_path(path: str | Path) -> str:
    """The report's format by the file's extension: "xlsx" or "pdf" (ReportFormatError otherwise)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in ("xlsx", "pdf"):
        raise ReportFormatError(Path(path))
    return suffix


def _export_as_of(session: Session, program_id: int, as_of: date | None) -> date:
    program = session.get(Program, program_id)
    if program is None:
        raise LookupError(f"no program with id {program_id}")
    return clamp_as_of(as_of or date.today(), program.start_date, program.end_date)


def write_expenses_csv(
    session: Session, out: IO[bytes], *, program_id: int, as_of: date | None = None, lang: str = "fr",
    filters: ExpenseFilters | None = None, user: str | None = None,
) -> int:
    """Stream the expense rows as CSV into a binary stream: UTF-8 with BOM, `;` and decimal comma in
    French, `,` and decimal point in English; text neutralised. Returns the number of rows."""
    lang = normalise_lang(lang)
    if user is not None:
        require(session, user, "reports")
    as_of = _export_as_of(session, program_id, as_of)
    delimiter, decimal_mark = (";", ",") if lang == "fr" else (",", ".")
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([t(f"reports.col.{key}", lang) for key, _ in EXPENSE_COLUMNS])
    count = 0
    for row in iter_expense_rows(session, program_id=program_id, as_of=as_of, lang=lang, filters=filters,
                                 personal=_may_read_personal(session, user)):
        writer.writerow([_csv_value(value, kind, decimal_mark) for value, (_, kind) in
                         zip(row, EXPENSE_COLUMNS, strict=True)])
        count += 1
    text.flush()
    text.detach()  # leave `out` open for the caller
    return count


def _csv_value(value: Any, kind: str, decimal_mark: str) -> str:
    if value is None:
        return ""
    if kind in (MONEY, NUMBER):
        return f"{value:.2f}".replace(".", decimal_mark)
    if kind == RATE:
        return str(value).replace(".", decimal_mark)
    if isinstance(value, date):
        return value.isoformat()
    if kind in (TEXT, LONG_TEXT):
        return safe_text(value)
    return str(value)


def expenses_csv(
    session: Session, *, program_id: int, as_of: date | None = None, lang: str = "fr",
    filters: ExpenseFilters | None = None, user: str | None = None,
) -> bytes:
    """The expense rows (filtered) as CSV bytes, for a download."""
    buffer = io.BytesIO()
    write_expenses_csv(session, buffer, program_id=program_id, as_of=as_of, lang=lang, filters=filters,
                       user=user)
    return buffer.getvalue()


def expenses_xlsx(
    session: Session, *, program_id: int, as_of: date | None = None, lang: str = "fr",
    filters: ExpenseFilters | None = None, user: str | None = None,
) -> bytes:
    """The expense rows (filtered) as a one-sheet workbook, formatted like the report's detail sheet."""
    lang = normalise_lang(lang)
    if user is not None:
        require(session, user, "reports")
    as_of = _export_as_of(session, program_id, as_of)
    program = session.get(Program, program_id)
    name = program.name_en if lang == "en" else program.name_fr
    subtitle = t("reports.export_subtitle", lang, code=program.code, date=format_date(as_of, lang, long=True))
    wb = Workbook(write_only=True)
    _expense_sheet(wb, session, name=t("reports.sheet.export", lang), lang=lang, program_id=program_id,
                   as_of=as_of, title=name, subtitle=subtitle, note=None, filters=filters,
                   personal=_may_read_personal(session, user))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


