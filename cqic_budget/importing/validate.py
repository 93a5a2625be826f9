"""Validate the rows under the header: each row is kept, or rejected with its sheet row, column and code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from operator import itemgetter
from typing import Any

from openpyxl.utils.cell import get_column_letter

from cqic_budget.currency import CAD, Conversion, RateBook, convert
from cqic_budget.importing.fast import ColumnarRows
from cqic_budget.importing.header import (
    AMOUNT,
    CATEGORY,
    COMMITMENT,
    CURRENCY,
    DATE,
    DESCRIPTION,
    FX_RATE,
    GST,
    INVOICE,
    QST,
    TAX_TREATMENT,
    TOTAL,
    VENDOR,
    Header,
)
from cqic_budget.importing.normalise import (
    MAX_CENTS,
    MAX_FLOAT_DOLLARS,
    amount_cents,
    clean_text,
    has_controls,
    is_blank,
    parse_date,
    strip_controls,
    text_amount,
)
from cqic_budget.importing.safety import WorkbookFacts
from cqic_budget.money import (
    GST_RATE,
    QST_RATE,
    TAX_FOREIGN,
    TAX_NONE,
    TAX_QC,
    amount_convention,
    currency_of,
    read_amount,
    tax_flags,
)

# Row codes of SPEC §4 (plus `duplicate`, given by the de-duplication step).
INVALID_DATE, INVALID_AMOUNT, OUT_OF_PERIOD = "invalid-date", "invalid-amount", "out-of-period"
TOTAL_MISMATCH, FORMULA_NO_VALUE, FIELD_TOO_LONG, DUPLICATE = (
    "total-mismatch",
    "formula-no-value",
    "field-too-long",
    "duplicate",
)
# Currency (SPEC §4, §10): rejected rows, and a warning (imported, shown in the preview).
MISSING_RATE, UNKNOWN_CURRENCY, INVALID_RATE = "missing-rate", "unknown-currency", "invalid-rate"
INVALID_TAX_TREATMENT, AMBIGUOUS_AMOUNT = "invalid-tax-treatment", "ambiguous-amount"
UNKNOWN_COMMITMENT = "unknown-commitment"
# Review reasons: imported, but flagged for a person to look at.
GST_DIFFERS, QST_DIFFERS = "gst-differs", "qst-differs"

_TOTAL_LABEL = re.compile(r"(?i)^\s*(grand[\s-]*|sous[\s-]*|sub[\s-]*)?tota(l|ux|les?)\b.*$")
_BAD = object()  # a cell that is there but cannot be read
_TEXT_FIELDS = (VENDOR, DESCRIPTION, INVOICE, CATEGORY)
_AMOUNT_FIELDS = (AMOUNT, GST, QST, TOTAL)
_TREATMENT_WORDS = {
    TAX_QC: ("qc", "quebec", "québec", "tps tvq", "tps/tvq", "gst/qst", "canada"),
    TAX_FOREIGN: ("foreign", "etrangere", "étrangère", "etranger", "étranger", "tva", "vat"),
    TAX_NONE: ("none", "aucune", "aucun", "exempt", "exempte", "exonere", "exonéré", "sans taxe", "no tax"),
}
_TREATMENTS = {word: code for code, words in _TREATMENT_WORDS.items() for word in words}


@dataclass(frozen=True)
class CurrencyRules:
    """What the import needs to convert foreign rows: the currencies the program accepts and the stored
    rates (see currency.py). The default accepts CAD alone."""

    accepted: frozenset[str] = frozenset({CAD})
    book: RateBook = field(default_factory=RateBook)
    commitments: dict[str, int] = field(default_factory=dict)  # reference (casefolded) -> commitment id


@dataclass
class RowError:
    row: int  # the sheet's row number, as Excel shows it
    column: str | None  # the header as written in the file
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    counts_as_rejected: bool = True  # False for a totals row that does not reconcile (a warning)


@dataclass
class ParsedRows:
    """The rows that passed validation, column by column, and what was rejected."""

    header: Header
    source_rows: list[int] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    vendors: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    invoices: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    amounts: list[int] = field(default_factory=list)
    gsts: list[int] = field(default_factory=list)
    qsts: list[int] = field(default_factory=list)
    review: list[str] = field(default_factory=list)  # "|"-joined review reasons, "" when none
    # Sparse, by index into the columns above: foreign-currency rows and rows whose taxes are not Québec's.
    foreign: dict[int, Conversion] = field(default_factory=dict)
    treatments: dict[int, str] = field(default_factory=dict)
    commitment_ids: dict[int, int] = field(default_factory=dict)  # the commitment an expense draws on
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0
    rejected_rows: set[int] = field(default_factory=set)
    _raw: dict[int, list[Any]] = field(default_factory=dict)  # sheet row -> cells, rejected rows only
    _index: dict[int, int] | None = None

    def __len__(self) -> int:
        return len(self.source_rows)

    def values(self, row: int) -> dict[str, Any]:
        """A row's cells under their header labels (JSON-able), for the batch's issues and the preview:
        as read for a rejected row, as understood for a valid one (the sheet is released once parsed)."""
        labels = self.header.labels
        cells = self._raw.get(row)
        if cells is None and self.header.sheet.rows:
            cells = self.header.sheet.rows[row - self.header.sheet.first_row - 1]
        if cells is not None:
            return {
                strip_controls(label): _jsonable(cells[col])
                for col, label in labels.items()
                if col < len(cells)
            }
        if self._index is None:
            self._index = {number: i for i, number in enumerate(self.source_rows)}
        i = self._index[row]
        understood = {
            DATE: self.dates[i].isoformat(),
            VENDOR: self.vendors[i],
            DESCRIPTION: self.descriptions[i],
            INVOICE: self.invoices[i],
            CATEGORY: self.categories[i],
            AMOUNT: self.amounts[i] / 100,
            GST: self.gsts[i] / 100,
            QST: self.qsts[i] / 100,
            TOTAL: (self.amounts[i] + self.gsts[i] + self.qsts[i]) / 100,
        }
        columns = self.header.columns
        return {
            labels[columns[name]]: value
            for name, value in understood.items()
            if name in columns and columns[name] in labels
        }

    def keep_raw(self, row: int) -> None:
        """Remember a row's cells (the sheet itself is released once parsed)."""
        self._raw[row] = self.header.sheet.rows[row - self.header.sheet.first_row - 1]

    def release(self) -> None:
        """Drop the sheet's cells: only the parsed columns and the rejected rows' cells are kept."""
        self.header.sheet.rows = []


def _jsonable(value: Any) -> Any:
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)
    return value


def _amount_slow(value: Any) -> Any:
    if value == "":
        return None
    try:
        return amount_cents(value)
    except (ValueError, TypeError, ArithmeticError):
        return _BAD


@dataclass
class _AmountNotes:
    """What an amount column's text cells said besides the number: a currency, an ambiguous separator."""

    decimal: str | None = None  # the sheet's dominant convention (money.amount_convention)
    currency: dict[int, str] = field(default_factory=dict)
    ambiguous: set[int] = field(default_factory=set)


def _amount_text(value: str, i: int, notes: _AmountNotes) -> Any:
    try:
        cents, currency, ambiguous = text_amount(value, notes.decimal)
    except (ValueError, ArithmeticError):
        return _BAD
    if currency is not None:
        notes.currency[i] = currency
    if ambiguous:
        notes.ambiguous.add(i)
    return cents


def _amounts(values: list[Any], notes: _AmountNotes | None = None) -> list[Any]:
    # Fast path: a float that is a whole number of cents up to float noise (the usual Excel amount); a huge,
    # infinite or NaN float goes the slow way, which reports it (round() would raise OverflowError).
    notes = notes if notes is not None else _AmountNotes()
    return [
        r
        if type(v) is float
        and -MAX_FLOAT_DOLLARS < v < MAX_FLOAT_DOLLARS
        and -1e-6 < (c := v * 100) - (r := round(c)) < 1e-6
        and -MAX_CENTS < r < MAX_CENTS
        else _amount_text(v, i, notes)
        if type(v) is str and v
        else _amount_slow(v)
        for i, v in enumerate(values)
    ]


def _amounts_typed(data: ColumnarRows, col: int, notes: _AmountNotes, typed: Any) -> list[Any]:
    """_amounts for a column read by fastexcel (`typed`: its data.floats): float columns in one numpy pass,
    the rest cell by cell."""
    if typed is None:
        return _amounts(data.values(col), notes)
    import numpy as np

    values, empty = typed
    with np.errstate(invalid="ignore", over="ignore"):  # 1e+308 * 100: inf, then the slow way reports it
        cents = values * 100
        rounded = np.rint(cents)  # half to even, as round() does
        exact = (np.abs(cents - rounded) < 1e-6) & (np.abs(rounded) < MAX_CENTS) & ~empty
    out = np.where(exact, rounded, 0).astype(np.int64).tolist()
    for i in np.flatnonzero(~exact).tolist():
        out[i] = None if empty[i] else _amount_slow(float(values[i]))
    return out


def _date_slow(value: Any, date1904: bool) -> Any:
    if value == "":
        return None
    try:
        return parse_date(value, date1904)
    except (ValueError, TypeError, OverflowError):
        return _BAD


def _dates(values: list[Any], date1904: bool) -> list[Any]:
    return [v if type(v) is date else _date_slow(v, date1904) for v in values]


def _texts(values: list[Any]) -> list[str]:
    # Control characters are looked for once over the column: with any, every cell goes through clean_text.
    if has_controls("\n".join(v for v in values if type(v) is str)):
        return [clean_text(v) for v in values]
    return [
        v.strip() if type(v) is str and "\u00a0" not in v and "\u202f" not in v else clean_text(v)
        for v in values
    ]


def _is_total_row(cells: list[Any], parsed_date: Any) -> bool:
    if parsed_date is not None and parsed_date is not _BAD:
        return False
    return any(isinstance(v, str) and _TOTAL_LABEL.match(v) for v in cells[:8] if v != "")


class _Columns:
    """The sheet's columns under the header, parsed; missing optional columns are None."""

    def __init__(self, header: Header, data: list[list[Any]], date1904: bool):
        cols = header.columns
        typed = isinstance(data, ColumnarRows)  # typed columns (fast.py): whole columns at a time

        def column(name: str) -> list[Any]:
            if typed:
                return data.values(cols[name])
            # Rows are rectangular (calamine's are; the CSV reader pads them).
            return list(map(itemgetter(cols[name]), data))

        # The sheet's dominant writing of amounts decides an ambiguous « 1,234 » (money.read_amount).
        floats = {name: data.floats(cols[name]) for name in _AMOUNT_FIELDS if name in cols} if typed else {}
        texts = [v for name in _AMOUNT_FIELDS if name in cols and floats.get(name) is None
                 for v in column(name) if type(v) is str and v]
        decimal = amount_convention(texts) if texts else None
        self.notes = {name: _AmountNotes(decimal) for name in _AMOUNT_FIELDS}
        if typed:
            self.dates = _dates(data.dates(cols[DATE]), date1904)
            self.amount, self.gst, self.qst, self.total = (
                _amounts_typed(data, cols[name], self.notes[name], floats[name]) if name in cols else None
                for name in _AMOUNT_FIELDS
            )
            self.texts = {
                name: (data.texts(cols[name]) or _texts(data.values(cols[name])))
                if name in cols
                else [""] * len(data)
                for name in _TEXT_FIELDS
            }
        else:
            self.dates = _dates(column(DATE), date1904)
            self.amount, self.gst, self.qst, self.total = (
                _amounts(column(name), self.notes[name]) if name in cols else None for name in _AMOUNT_FIELDS
            )
            self.texts = {
                name: _texts(column(name)) if name in cols else [""] * len(data) for name in _TEXT_FIELDS
            }
        self.currency = _texts(column(CURRENCY)) if CURRENCY in cols else None
        self.rate = column(FX_RATE) if FX_RATE in cols else None
        self.treatment = _texts(column(TAX_TREATMENT)) if TAX_TREATMENT in cols else None
        self.commitment = _texts(column(COMMITMENT)) if COMMITMENT in cols else None
        self.decimal = decimal

    def column(self, name: str) -> list[Any]:
        return {AMOUNT: self.amount, GST: self.gst, QST: self.qst, TOTAL: self.total}[name]

    @property
    def has_currency_notes(self) -> bool:
        return (self.currency is not None or self.rate is not None or self.treatment is not None
                or self.commitment is not None
                or any(n.currency or n.ambiguous for n in self.notes.values()))


def parse_rows(
    header: Header,
    facts: WorkbookFacts,
    *,
    period: tuple[date, date],
    max_chars: int,
    currency: CurrencyRules | None = None,
) -> ParsedRows:
    """Normalise and validate every row under `header`; see SPEC §4 for the rules.

    Columns are parsed as whole lists; one tight loop accepts the ordinary rows and hands every other
    row (blank, sub-total, anything wrong) to `_check_row`, which says why."""
    sheet = header.sheet
    data = sheet.rows[header.row_index + 1 :]
    first_number = sheet.first_row + header.row_index + 2  # 1-based sheet row of data[0]
    out = ParsedRows(header=header)
    columns = _Columns(header, data, facts.date1904)
    n = len(data)

    # Formula cells Excel never computed (the reader sees them empty), by data-row index.
    gaps: dict[int, list[str]] = {}
    by_col = {c: name for name, c in header.columns.items()}
    for r0, c0 in facts.formula_gaps.get(sheet.name, ()):
        index, name = r0 - sheet.first_row - header.row_index - 1, by_col.get(c0 - sheet.first_col)
        if index >= 0 and name is not None:
            gaps.setdefault(index, []).append(name)
    too_long = {
        i
        for column in columns.texts.values()
        if column and max(map(len, column)) > max_chars
        for i, v in enumerate(column)
        if len(v) > max_chars
    }

    # Totals rows at the end are skipped and reconciled; a dateless « Sous-total » inside is skipped.
    last = n - 1
    trailing_totals: list[int] = []
    while last >= 0:
        if _blank(data[last]):
            last -= 1
        elif _is_total_row(data[last], columns.dates[last]):
            trailing_totals.append(last)
            last -= 1
        else:
            break

    # The amount before taxes: given, or the total less the taxes, or the total alone (no tax columns).
    zeros = [0] * n
    gst = [0 if v is None else v for v in columns.gst] if columns.gst is not None else zeros
    qst = [0 if v is None else v for v in columns.qst] if columns.qst is not None else zeros
    total = columns.total
    if columns.amount is not None:
        amount = columns.amount
    elif header.has_taxes:
        amount = [
            t - g - q if type(t) is int and type(g) is int and type(q) is int else t
            for t, g, q in zip(total, gst, qst, strict=True)
        ]
    else:
        amount = total
    check_total = total is not None and columns.amount is not None

    start, end = period
    accepted: list[int] = []
    data_rows: list[int] = []  # rejected rows (with the accepted ones: every row read), for the totals row
    subtotals: list[int] = []
    dates = columns.dates
    special = gaps.keys() | too_long
    for i in range(last + 1):
        d, a, g, q = dates[i], amount[i], gst[i], qst[i]
        if (
            type(d) is date
            and start <= d <= end
            and type(a) is int
            and type(g) is int
            and type(q) is int
            and (not check_total or total[i] is None or total[i] == a + g + q)
            and i not in special
        ):
            accepted.append(i)
            continue
        status = _check_row(
            out,
            header,
            columns,
            data,
            i,
            first_number + i,
            amount,
            gst,
            qst,
            gaps.get(i, ()),
            i in too_long,
            period,
            max_chars,
        )
        if status == "accepted":
            accepted.append(i)
        elif status == "rejected":
            data_rows.append(i)
        elif status == "subtotal":
            subtotals.append(i)
    foreign: dict[int, Conversion] = {}
    treatments: dict[int, str] = {}
    commitment_ids: dict[int, int] = {}
    if columns.has_currency_notes:
        amount, gst, qst = list(amount), list(gst), list(qst)  # converted in place; the sheet's stay
        accepted = _currency_pass(out, header, columns, data, accepted, amount, gst, qst, first_number,
                                  currency or CurrencyRules(), foreign, treatments, commitment_ids)
    out.rows_read = len(accepted) + len(out.rejected_rows)

    texts = columns.texts
    count = len(accepted)
    every = bool(count) and accepted[-1] == count - 1  # rows 0 .. count - 1, all accepted: slices

    def pick(column: list[Any]) -> list[Any]:
        return column[:count] if every else [column[i] for i in accepted]

    out.source_rows = list(range(first_number, first_number + count)) if every else [
        first_number + i for i in accepted]
    out.dates = pick(dates)
    out.amounts = pick(amount)
    out.gsts = pick(gst)
    out.qsts = pick(qst)
    out.vendors = pick(texts[VENDOR])
    out.descriptions = pick(texts[DESCRIPTION])
    out.invoices = pick(texts[INVOICE])
    out.categories = pick(texts[CATEGORY])
    out.review = _review(out.amounts, out.gsts, out.qsts)
    if foreign or treatments or commitment_ids:
        position = {i: pos for pos, i in enumerate(accepted)}
        out.foreign = {position[i]: conversion for i, conversion in foreign.items()}
        out.treatments = {position[i]: treatment for i, treatment in treatments.items()}
        out.commitment_ids = {position[i]: cid for i, cid in commitment_ids.items()}
        for pos in out.treatments:  # a foreign tax is not checked against the Québec rates
            out.review[pos] = ""

    if trailing_totals:
        read = accepted + data_rows
        section = [i for i in read if i > subtotals[-1]] if subtotals else None
        for index in reversed(trailing_totals):
            _reconcile(out, header, data[index], first_number + index, columns, read, section)
    return out


def _currency_pass(
    out: ParsedRows,
    header: Header,
    columns: _Columns,
    data: list[list[Any]],
    accepted: list[int],
    amount: list[Any],
    gst: list[Any],
    qst: list[Any],
    first_number: int,
    rules: CurrencyRules,
    foreign: dict[int, Conversion],
    treatments: dict[int, str],
    commitment_ids: dict[int, int],
) -> list[int]:
    """The rows the fast loop accepted, with their currency: converted to CAD (at the actual rate given,
    or the stored rate of their date), or rejected (unknown-currency, missing-rate, invalid-rate,
    invalid-tax-treatment); an ambiguous amount is a warning. Returns the rows still accepted."""
    label = header.label
    kept: list[int] = []
    for i in accepted:
        number = first_number + i
        for name in _AMOUNT_FIELDS:
            if i in columns.notes[name].ambiguous:
                params = _params(header, name, i, data)
                cents = columns.column(name)[i]  # as read, in the row's currency
                params["read"] = cents if type(cents) is int else params["value"]
                out.errors.append(RowError(number, label(name), AMBIGUOUS_AMOUNT, params,
                                           counts_as_rejected=False))
        errors: list[RowError] = []
        written = {notes.currency[i] for notes in columns.notes.values() if i in notes.currency}
        if columns.currency is not None and columns.currency[i]:
            try:
                code = currency_of(columns.currency[i])
            except ValueError:
                code = columns.currency[i][:20]
            if code is not None:
                written.add(code)
        written.discard(None)
        code = written.pop() if len(written) == 1 else CAD if not written else "/".join(sorted(written))
        if code not in rules.accepted:
            column = label(CURRENCY) if columns.currency is not None else label(AMOUNT)
            errors.append(RowError(number, column, UNKNOWN_CURRENCY,
                                   {"currency": code, "accepted": ", ".join(sorted(rules.accepted))}))
        treatment = TAX_QC if code == CAD else TAX_FOREIGN
        if columns.treatment is not None and columns.treatment[i]:
            treatment = _TREATMENTS.get(" ".join(columns.treatment[i].casefold().split()))
            if treatment is None:
                errors.append(RowError(number, label(TAX_TREATMENT), INVALID_TAX_TREATMENT,
                                       _params(header, TAX_TREATMENT, i, data)))
        conversion = None
        if not errors and code != CAD:
            actual = None
            raw = columns.rate[i] if columns.rate is not None else None
            if not is_blank(raw):
                actual = _rate(raw, columns.decimal)
                if actual is None:
                    errors.append(RowError(number, label(FX_RATE), INVALID_RATE,
                                           _params(header, FX_RATE, i, data)))
            if not errors:
                conversion = convert(code, (amount[i], gst[i], qst[i]), columns.dates[i], rules.book, actual)
                if conversion is None:
                    errors.append(RowError(number, label(DATE), MISSING_RATE,
                                           {"currency": code, "date": columns.dates[i].isoformat()}))
        reference = columns.commitment[i] if columns.commitment is not None else ""
        if reference:
            commitment_id = rules.commitments.get(reference.casefold())
            if commitment_id is None:
                errors.append(RowError(number, label(COMMITMENT), UNKNOWN_COMMITMENT,
                                       {"reference": reference[:60]}))
            else:
                commitment_ids[i] = commitment_id
        if errors:
            out.errors.extend(errors)
            out.rejected_rows.add(number)
            out.keep_raw(number)
            continue
        if conversion is not None:
            foreign[i] = conversion
            amount[i], gst[i], qst[i] = conversion.cad
        if treatment != TAX_QC:
            treatments[i] = treatment
        kept.append(i)
    return kept


def _rate(raw: Any, decimal: str | None) -> Decimal | None:
    """An actual exchange rate typed in the sheet (« 1,5247 », 1.5247), or None when unreadable or ≤ 0."""
    try:
        rate = Decimal(repr(raw)) if type(raw) is float else Decimal(raw) if type(raw) is int else (
            read_amount(str(raw), decimal=decimal).value)
    except (ValueError, ArithmeticError):
        return None
    return rate if rate.is_finite() and 0 < rate < 10_000 else None


def _review(amounts: list[int], gsts: list[int], qsts: list[int]) -> list[str]:
    """Taxes that differ from the rate by more than a cent (money.tax_flags): flagged for review."""
    gst_off = tax_flags(amounts, gsts, GST_RATE)
    qst_off = tax_flags(amounts, qsts, QST_RATE)
    both = f"{GST_DIFFERS}|{QST_DIFFERS}"
    return [both if g and q else GST_DIFFERS if g else QST_DIFFERS if q else ""
            for g, q in zip(gst_off, qst_off, strict=True)]


def _check_row(
    out: ParsedRows,
    header: Header,
    columns: _Columns,
    data: list[list[Any]],
    i: int,
    number: int,
    amount: list[Any],
    gst: list[Any],
    qst: list[Any],
    gap_fields,
    too_long: bool,
    period: tuple[date, date],
    max_chars: int,
) -> str:
    """A row the fast loop did not accept: "skipped" (blank, sub-total), "accepted" or "rejected"."""
    d, a, g, q = columns.dates[i], amount[i], gst[i], qst[i]
    t = columns.total[i] if columns.total is not None else None
    raw_a = columns.amount[i] if columns.amount is not None else None
    if d is None and raw_a is None and t is None and g == 0 and q == 0 and _blank(data[i]):
        return "skipped"
    if (d is None or d is _BAD) and _is_total_row(data[i], d):
        return "subtotal"
    label = header.label
    errors: list[RowError] = []
    for name in gap_fields:
        errors.append(RowError(number, label(name), FORMULA_NO_VALUE, {"cell": _cell(header, name, i)}))
    if d is None or d is _BAD:
        if DATE not in gap_fields:
            errors.append(RowError(number, label(DATE), INVALID_DATE, _params(header, DATE, i, data)))
    elif d < period[0] or d > period[1]:
        errors.append(
            RowError(
                number,
                label(DATE),
                OUT_OF_PERIOD,
                {"date": d.isoformat(), "start": period[0].isoformat(), "end": period[1].isoformat()},
            )
        )
    amount_name = AMOUNT if columns.amount is not None else TOTAL
    if (a is None or a is _BAD) and amount_name not in gap_fields:
        errors.append(
            RowError(number, label(amount_name), INVALID_AMOUNT, _params(header, amount_name, i, data))
        )
    for name, value in ((GST, g), (QST, q), (TOTAL, t)):
        if value is _BAD and name not in gap_fields and name != amount_name:
            errors.append(RowError(number, label(name), INVALID_AMOUNT, _params(header, name, i, data)))
    if (
        columns.amount is not None
        and type(a) is int
        and type(t) is int
        and type(g) is int
        and type(q) is int
        and t != a + g + q
    ):
        errors.append(RowError(number, label(TOTAL), TOTAL_MISMATCH, {"total": t, "expected": a + g + q}))
    if too_long:
        for name in _TEXT_FIELDS:
            length = len(columns.texts[name][i])
            if length > max_chars:
                errors.append(
                    RowError(number, label(name), FIELD_TOO_LONG, {"length": length, "limit": max_chars})
                )
    if not errors:
        return "accepted"
    out.errors.extend(errors)
    out.rejected_rows.add(number)
    out.keep_raw(number)
    return "rejected"


def _blank(cells: list[Any]) -> bool:
    return all(is_blank(v) for v in cells)


def _cell(header: Header, name: str, index: int) -> str:
    sheet = header.sheet
    column = get_column_letter(sheet.first_col + header.columns[name] + 1)
    return f"{column}{sheet.first_row + header.row_index + index + 2}"


def _params(header: Header, name: str, index: int, data: list[list[Any]]) -> dict[str, Any]:
    col = header.columns[name]
    row = data[index]
    value = row[col] if col < len(row) else ""
    shown = "" if is_blank(value) else str(_jsonable(value))
    return {"cell": _cell(header, name, index), "value": shown[:60]}


def _reconcile(
    out: ParsedRows,
    header: Header,
    cells: list[Any],
    number: int,
    columns: _Columns,
    read: list[int],
    section: list[int] | None,
) -> None:
    """A totals row must match the rows read above it: all of them, or those since the last sub-total."""
    for name, column in (
        (AMOUNT, columns.amount),
        (GST, columns.gst),
        (QST, columns.qst),
        (TOTAL, columns.total),
    ):
        col = header.columns.get(name)
        if column is None or col is None or col >= len(cells) or is_blank(cells[col]):
            continue
        try:
            stated = amount_cents(cells[col])
        except (ValueError, TypeError, ArithmeticError):
            continue
        expected = sum(v for v in (column[i] for i in read) if type(v) is int)
        in_section = sum(v for v in (column[i] for i in section) if type(v) is int) if section else None
        if stated is not None and stated not in (expected, in_section):
            out.errors.append(
                RowError(
                    number,
                    header.label(name),
                    TOTAL_MISMATCH,
                    {"total": stated, "expected": expected},
                    counts_as_rejected=False,
                )
            )
            out.keep_raw(number)  # the warning shows the row as read, after the sheet is released
