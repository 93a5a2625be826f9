"""Foreign currencies (SPEC §10): daily rates to CAD in the store, the Bank of Canada Valet format (CSV and
JSON, file or API), conversion of an expense at the rate of its date, and the exchange gain or loss."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import sqlalchemy as sa
from sqlmodel import Session, select

from cqic_budget import audit
from cqic_budget.auth import require
from cqic_budget.db import bump_data_version
from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import DEFAULT_LANG, format_money, t
from cqic_budget.models import ExchangeRate, Expense
from cqic_budget.money import from_cents

CAD = "CAD"
# "The previous business day when there is none": a weekend and a holiday or two; an older rate is not
# the rate of the day, and the expense is `missing-rate`.
MAX_LOOKBACK_DAYS = 7
MAX_RATES_BYTES = 5 * 1024 * 1024
VALET_URL = "https://www.bankofcanada.ca/valet"  # overridden by CQIC_VALET_URL or --base-url
SOURCE_ACTUAL = "actual"  # a rate given for the expense itself (a card statement)
_SERIES = re.compile(r"^FX([A-Z]{3})CAD$")


class RatesError(UserFacingError, ValueError):
    """A rates file or answer that cannot be used: a code and a message in the user's language.

    Codes: too-large, not-valet, unknown-series, invalid-rate, invalid-date, fetch-failed, bad-url, empty,
    busy."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return t(f"rates.error.{self.code}", lang, **{k: str(v) for k, v in self.params.items()})


@dataclass(frozen=True)
class Rate:
    currency: str
    date: date
    rate: Decimal  # CAD per unit of the currency
    source: str


class RateBook:
    """The stored rates, to look up the rate of a day (or of the previous business day)."""

    def __init__(self, rates: Iterable[Rate] = ()):
        self._by_key = {(r.currency, r.date): r for r in rates}

    def on(self, currency: str, day: date) -> Rate | None:
        for back in range(MAX_LOOKBACK_DAYS + 1):
            found = self._by_key.get((currency, day - timedelta(days=back)))
            if found is not None:
                return found
        return None

    def __len__(self) -> int:
        return len(self._by_key)


def load_rate_book(session: Session, currencies: Iterable[str] | None = None) -> RateBook:
    stmt = select(ExchangeRate)
    if currencies is not None:
        stmt = stmt.where(ExchangeRate.currency.in_(sorted(set(currencies))))
    return RateBook(Rate(r.currency, r.date, r.rate, r.source) for r in session.exec(stmt))


def convert_cents(written_cents: int, rate: Decimal) -> int:
    """An amount in the currency (cents) to CAD cents: written x rate, half-up (away from zero)."""
    return int((Decimal(written_cents) * Decimal(rate)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Conversion:
    """One foreign-currency expense: its amounts as written, in CAD, the rate used and the reference rate."""

    currency: str
    written: tuple[int, int, int]  # before tax, GST (or the foreign tax), QST, in cents of the currency
    cad: tuple[int, int, int]
    rate: Decimal
    source: str
    reference_rate: Decimal | None  # the Bank of Canada's on that day (None when not stored)


def convert(
    currency: str,
    written: tuple[int, int, int],
    day: date,
    book: RateBook,
    actual_rate: Decimal | None = None,
) -> Conversion | None:
    """Each amount converted at the actual rate when given, else at the stored rate of `day` (or of the
    previous business day); None when there is no rate (`missing-rate`: never converted at 1.0)."""
    reference = book.on(currency, day)
    if actual_rate is not None:
        rate, source = Decimal(actual_rate), SOURCE_ACTUAL
    elif reference is not None:
        rate, source = reference.rate, f"{reference.source} {reference.date.isoformat()}"
    else:
        return None
    cad = tuple(convert_cents(c, rate) for c in written)
    return Conversion(currency, written, cad, rate, source[:80], reference.rate if reference else None)


def exchange_difference_cents(
    written_total_cents: int, cad_total_cents: int, reference_rate: Decimal | None
) -> int | None:
    """What the actual rate cost beyond the Bank of Canada's: CAD paid − written total x reference rate.
    Positive: a loss; negative: a gain; None without a reference rate."""
    if reference_rate is None:
        return None
    return cad_total_cents - convert_cents(written_total_cents, reference_rate)


@dataclass(frozen=True)
class ExchangeSummary:
    """Foreign-currency expenses of a program to a date: how many, by currency, and the gain or loss."""

    expenses: int
    by_currency: dict[str, int]  # currency -> written total in cents
    cad_cents: int
    difference_cents: int  # sum of exchange_difference_cents (positive: loss)


def exchange_summary(session: Session, *, program_id: int, as_of: date) -> ExchangeSummary:
    table = Expense.__table__
    rows = session.execute(
        sa.select(table.c.currency, table.c.written_amount_cents, table.c.written_gst_cents,
                  table.c.written_qst_cents, table.c.amount_cents, table.c.gst_cents, table.c.qst_cents,
                  table.c.fx_reference_rate)
        .where(table.c.program_id == program_id, table.c.date <= as_of, table.c.currency != CAD)
    ).all()
    by_currency: dict[str, int] = {}
    cad = difference = 0
    for currency, wa, wg, wq, a, g, q, reference in rows:
        written = (wa or 0) + (wg or 0) + (wq or 0)
        by_currency[currency] = by_currency.get(currency, 0) + written
        cad += a + g + q
        diff = exchange_difference_cents(written, a + g + q, reference)
        difference += diff or 0
    return ExchangeSummary(len(rows), dict(sorted(by_currency.items())), cad, difference)


def exchange_sentence(summary: ExchangeSummary, lang: str) -> str:
    """The exchange line of the Burn rate page and the report; "" without foreign-currency expenses."""
    if not summary.expenses:
        return ""
    written = ", ".join(format_money(from_cents(cents), lang, currency=code)
                        for code, cents in summary.by_currency.items())
    return t("currency.summary", lang, count=summary.expenses, written=written,
             cad=format_money(from_cents(summary.cad_cents), lang),
             difference=difference_words(summary.difference_cents, lang))


def difference_words(difference_cents: int, lang: str) -> str:
    """« perte de 10,24 $ », « gain de 3,00 $ » or « aucun »: an exchange difference (positive: a loss)."""
    if difference_cents == 0:
        return t("currency.none", lang)
    return t("currency.loss" if difference_cents > 0 else "currency.gain", lang,
             amount=format_money(from_cents(abs(difference_cents)), lang))


# --- the Valet format --------------------------------------------------------------------------------


def parse_valet(data: bytes) -> list[Rate]:
    """Rates from a Bank of Canada Valet observations file, CSV or JSON (series FX<CUR>CAD)."""
    if len(data) > MAX_RATES_BYTES:
        raise RatesError("too-large", limit_mb=MAX_RATES_BYTES // (1024 * 1024))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RatesError("not-valet") from None
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return _parse_json(stripped)
    return _parse_csv(text)


def _series_currency(name: str) -> str:
    match = _SERIES.match(name.strip())
    if match is None:
        raise RatesError("unknown-series", series=name.strip()[:40])
    return match.group(1)


def _rate(value: object, where: str) -> Decimal:
    try:
        rate = Decimal(str(value).strip())
    except InvalidOperation:
        raise RatesError("invalid-rate", where=where, value=str(value)[:40]) from None
    if not rate.is_finite() or not Decimal(0) < rate < Decimal(10_000):
        raise RatesError("invalid-rate", where=where, value=str(value)[:40])
    return rate


def _date(value: object, where: str) -> date:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise RatesError("invalid-date", where=where, value=str(value)[:40]) from None


def _parse_json(text: str) -> list[Rate]:
    try:
        document = json.loads(text)
    except ValueError:
        raise RatesError("not-valet") from None
    observations = document.get("observations") if isinstance(document, dict) else None
    if not isinstance(observations, list):
        raise RatesError("not-valet")
    rates: list[Rate] = []
    for number, observation in enumerate(observations, start=1):
        if not isinstance(observation, dict) or "d" not in observation:
            raise RatesError("not-valet")
        day = _date(observation["d"], f"#{number}")
        for name, cell in observation.items():
            if name == "d":
                continue
            currency = _series_currency(name)
            value = cell.get("v") if isinstance(cell, dict) else None
            if value in (None, ""):  # a holiday: no observation
                continue
            rates.append(Rate(currency, day, _rate(value, f"#{number}"), f"BoC {name}"))
    return rates


def _parse_csv(text: str) -> list[Rate]:
    rows = list(csv.reader(io.StringIO(text)))
    start = next((i for i, row in enumerate(rows) if row and row[0].strip().upper() == "OBSERVATIONS"), -1)
    header_at = next(
        (i for i in range(start + 1, len(rows)) if rows[i] and rows[i][0].strip() == "date"), None)
    if header_at is None or len(rows[header_at]) < 2:
        raise RatesError("not-valet")
    series = [(col, name.strip(), _series_currency(name)) for col, name in enumerate(rows[header_at]) if col]
    rates: list[Rate] = []
    for line, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if not row or not any(cell.strip() for cell in row):
            break  # the observations end at the first blank line (Valet's "ERRORS" section may follow)
        day = _date(row[0], f"{line}")
        for col, name, currency in series:
            value = row[col].strip() if col < len(row) else ""
            if value:
                rates.append(Rate(currency, day, _rate(value, f"{line}"), f"BoC {name}"))
    return rates


# --- store -------------------------------------------------------------------------------------------


@dataclass
class RatesResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    currencies: list[str] = field(default_factory=list)
    first: date | None = None
    last: date | None = None

    def as_json(self) -> dict:
        return {"inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged,
                "currencies": self.currencies, "from": self.first and self.first.isoformat(),
                "to": self.last and self.last.isoformat()}


def store_rates(
    session: Session, rates: list[Rate], *, user: str, origin: str, replace: bool = True,
    standalone: bool = True,
) -> RatesResult:
    """Insert new rates, update changed ones (audited with the old value; with `replace` False a stored
    rate is kept), in the session's transaction.

    Expenses keep the rate they were converted at: a later correction of a rate does not move them."""
    require(session, user, "settings")
    if not rates:
        raise RatesError("empty")
    result = RatesResult(currencies=sorted({r.currency for r in rates}),
                         first=min(r.date for r in rates), last=max(r.date for r in rates))
    wanted = {(r.currency, r.date): r for r in rates}
    stored = {
        (row.currency, row.date): row
        for row in session.exec(select(ExchangeRate).where(
            ExchangeRate.currency.in_(result.currencies),
            ExchangeRate.date >= result.first, ExchangeRate.date <= result.last))
    }
    changed = []
    for key, rate in sorted(wanted.items()):
        row = stored.get(key)
        if row is None:
            session.add(ExchangeRate(currency=rate.currency, date=rate.date, rate=rate.rate,
                                     source=rate.source))
            result.inserted += 1
        elif replace and (row.rate != rate.rate or row.source != rate.source):
            changed.append({"currency": rate.currency, "date": rate.date, "before": row.rate,
                            "after": rate.rate})
            row.rate, row.source = rate.rate, rate.source
            session.add(row)
            result.updated += 1
        else:
            result.unchanged += 1
    try:
        session.flush()
    except sa.exc.IntegrityError:  # another import stored the same day's rate meanwhile
        raise RatesError("busy") from None
    if standalone:  # else part of a larger change (the demo) that is audited and bumps once for all
        audit.record(session, user=user, action="rates_import", entity="exchangerate",
                     after={**result.as_json(), "origin": origin[:300], "changed": changed[:200]})
        bump_data_version(session)
    return result


def import_rates_file(session: Session, data: bytes, *, user: str, file_name: str) -> RatesResult:
    """`rates import FILE`: a Valet CSV or JSON file into the store."""
    return store_rates(session, parse_valet(data), user=user, origin=file_name)


def valet_url(currency: str, start: date, end: date, base_url: str | None = None) -> str:
    base = (base_url or os.environ.get("CQIC_VALET_URL") or VALET_URL).rstrip("/")
    scheme = urllib.parse.urlsplit(base).scheme
    if scheme not in ("http", "https"):
        raise RatesError("bad-url", url=base[:100])
    if not re.fullmatch(r"[A-Z]{3}", currency) or currency == CAD:
        raise RatesError("unknown-series", series=currency[:10])
    query = urllib.parse.urlencode({"start_date": start.isoformat(), "end_date": end.isoformat()})
    return f"{base}/observations/FX{currency}CAD/json?{query}"


def fetch_rates(
    session: Session, currency: str, start: date, end: date, *, user: str, base_url: str | None = None,
    timeout: float = 20.0,
) -> RatesResult:
    """`rates fetch`: the Valet API's observations for one currency and period, stored as by a file.
    Only this command uses the network; the app never does."""
    require(session, user, "settings")
    if end < start:
        raise RatesError("invalid-date", where="--to", value=end.isoformat())
    url = valet_url(currency, start, end, base_url)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 (scheme checked above)
            data = answer.read(MAX_RATES_BYTES + 1)
    except OSError as error:
        raise RatesError("fetch-failed", reason=type(error).__name__) from None
    rates = [r for r in parse_valet(data) if r.currency == currency and start <= r.date <= end]
    return store_rates(session, rates, user=user, origin=url)
