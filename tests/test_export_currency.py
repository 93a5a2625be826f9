"""The CSV and Excel expense exports carry a foreign-currency expense as SPEC §10 keeps it: its currency, its
total as written, the rate to CAD and its source, and the exchange gain or loss — hand-worked in euros."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from sqlmodel import select

from cqic_budget import reports
from cqic_budget.currency import Rate, RateBook, convert
from cqic_budget.i18n import t
from cqic_budget.models import Category, Expense
from cqic_budget.money import TAX_NONE, eligible_cents
from cqic_budget.setup import get_program

D = Decimal
AS_OF = date(2026, 10, 31)
BOC = Rate("EUR", date(2026, 5, 4), D("1.5247"), "Banque du Canada FXEURCAD")
NEW_COLUMNS = ("currency", "written_total", "fx_rate", "fx_source", "exchange_difference")


def _euro_expenses(session) -> int:
    """Two Lille expenses, no tax: 1 932,00 € paid by card at 1,5300 $ (the statement's rate) and 500,00 €
    converted at the Bank of Canada's 1,5247 of 2026-05-04; and a 100,00 $ CAD one."""
    program = get_program(session)
    travel = session.exec(select(Category).where(Category.code == "travel")).one().id
    book = RateBook([BOC])
    for vendor, written, actual in (("Hôtel Lille", 193_200, D("1.5300")), ("Métro Lille", 50_000, None)):
        done = convert("EUR", (written, 0, 0), date(2026, 5, 4), book, actual_rate=actual)
        session.add(Expense(
            program_id=program.id, date=date(2026, 5, 4), vendor=vendor, category_id=travel,
            amount_cents=done.cad[0], eligible_cents=eligible_cents(done.cad[0], 0, 0, D("0.5"),
                                                                    tax_treatment=TAX_NONE),
            currency="EUR", written_amount_cents=written, written_gst_cents=0, written_qst_cents=0,
            fx_rate=done.rate, fx_source=done.source, fx_reference_rate=done.reference_rate,
            tax_treatment=TAX_NONE))
    session.add(Expense(program_id=program.id, date=date(2026, 5, 5), vendor="Taxi", category_id=travel,
                        amount_cents=10_000, eligible_cents=10_000))
    session.flush()
    return program.id


def test_the_exports_carry_the_currency_the_rate_its_source_and_the_exchange_difference(session):
    program_id = _euro_expenses(session)
    # Hôtel: 1 932,00 € × 1,5300 = 2 955,96 $ paid; at the Bank of Canada's rate 1 932,00 × 1,5247 =
    # 2 945,7204 → 2 945,72 $; the card cost 2 955,96 − 2 945,72 = 10,24 $ more: a loss of 10,24 $.
    # Métro: 500,00 € × 1,5247 = 762,35 $ at the Bank of Canada's own rate: no difference (0,00 $).
    rows = list(reports.iter_expense_rows(session, program_id=program_id, as_of=AS_OF))
    names = [key for key, _ in reports.EXPENSE_COLUMNS]
    by_vendor = {row[1]: dict(zip(names, row, strict=True)) for row in rows}
    hotel, metro, taxi = by_vendor["Hôtel Lille"], by_vendor["Métro Lille"], by_vendor["Taxi"]
    assert (hotel["amount"], hotel["currency"], hotel["written_total"], hotel["fx_rate"], hotel["fx_source"],
            hotel["exchange_difference"]) == (D("2955.96"), "EUR", D("1932.00"), D("1.5300"), "actual",
                                              D("10.24"))
    assert (metro["amount"], metro["written_total"], metro["fx_rate"], metro["exchange_difference"]) == (
        D("762.35"), D("500.00"), D("1.5247"), D("0.00"))
    assert metro["fx_source"] == "Banque du Canada FXEURCAD 2026-05-04"
    assert [taxi[k] for k in NEW_COLUMNS] == ["CAD", None, None, "", None]

    # CSV in French: « ; », decimal comma, money with two decimals, the rate as stored.
    text = reports.expenses_csv(session, program_id=program_id, as_of=AS_OF).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = table[0]
    assert header[-5:] == [t(f"reports.col.{key}", "fr") for key in NEW_COLUMNS]
    hotel_csv = next(r for r in table if r[1] == "Hôtel Lille")
    assert hotel_csv[5] == "2955,96" and hotel_csv[-5:] == ["EUR", "1932,00", "1,5300", "actual", "10,24"]
    taxi_csv = next(r for r in table if r[1] == "Taxi")
    assert taxi_csv[-5:] == ["CAD", "", "", "", ""]
    english = reports.expenses_csv(session, program_id=program_id, as_of=AS_OF, lang="en").decode("utf-8-sig")
    assert "EUR,1932.00,1.5300,actual,10.24" in english

    # Excel: numbers with the money format for the CAD difference, two decimals for the euros, the rate.
    ws = load_workbook(io.BytesIO(reports.expenses_xlsx(session, program_id=program_id, as_of=AS_OF))).active
    header_row = next(r for r in ws.iter_rows() if r[0].value == t("reports.col.date", "fr"))
    assert [c.value for c in header_row[-5:]] == [t(f"reports.col.{key}", "fr") for key in NEW_COLUMNS]
    hotel_xl = next(r for r in ws.iter_rows() if r[1].value == "Hôtel Lille")
    currency, written, rate, source, difference = hotel_xl[-5:]
    assert (currency.value, written.value, rate.value, source.value, difference.value) == (
        "EUR", 1932, 1.53, "actual", 10.24)
    assert difference.number_format == reports.MONEY_FORMAT["fr"] == hotel_xl[5].number_format
    assert written.number_format == reports.NUMBER_FORMAT and rate.number_format == reports.RATE_FORMAT


def test_the_drill_down_shows_the_euro_amount_the_rate_and_its_source(session):
    from cqic_budget.i18n import format_money
    from cqic_budget.views.drilldown import build_drill

    _euro_expenses(session)
    frame = build_drill(session, program_code=None, as_of=AS_OF, lang="fr", period="all", category="all",
                        page=1, personal=True).table.frame
    written = dict(zip(frame[t("drill.col.vendor", "fr")], frame[t("drill.col.written", "fr")], strict=True))
    euros = format_money(D("1932.00"), "fr", currency="EUR")  # « 1 932,00 € »
    # Paid at the card's 1,53 where the Bank of Canada said 1,5247: 1 932 × 1,53 = 2 955,96 $ against
    # 1 932 × 1,5247 = 2 945,72 $ (2 945,7204 rounded), a loss of 2 955,96 − 2 945,72 = 10,24 $.
    assert written["Hôtel Lille"] == (f"{euros} au taux de 1,5300 (taux réel de la dépense) ; "
                                      f"perte de {format_money(D('10.24'), 'fr')}")
    assert written["Métro Lille"] == (f"{format_money(D('500.00'), 'fr', currency='EUR')} au taux de 1,5247 "
                                      "(Banque du Canada FXEURCAD 2026-05-04)")
    assert written["Taxi"] == ""
