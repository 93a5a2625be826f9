"""Foreign currencies (SPEC §4, §10): Valet rates (file and API), euro rows converted at the rate of their
date or an actual rate, missing-rate and unknown-currency rows, foreign tax never recovered,
ambiguous amounts flagged; the summary moves by exactly the converted eligible cost."""

from __future__ import annotations

import json
import threading
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlmodel import select

from cqic_budget import cli
from cqic_budget.auth import LOCAL_USER
from cqic_budget.currency import (
    RateBook,
    RatesError,
    convert,
    exchange_summary,
    import_rates_file,
    load_rate_book,
    parse_valet,
)
from cqic_budget.db import session_scope
from cqic_budget.drilldown import expense_rows
from cqic_budget.importing.service import analyse, import_file
from cqic_budget.metrics.summary import compute_summary
from cqic_budget.models import AuditEvent, ExchangeRate, Expense
from cqic_budget.setup import get_program

D = Decimal
VALET_CSV = b'''"TERMS AND CONDITIONS"
"https://www.bankofcanada.ca/terms/"

"SERIES"
"id","label","description"
"FXEURCAD","EUR/CAD","European euro to Canadian dollar daily exchange rate"
"FXUSDCAD","USD/CAD","US dollar to Canadian dollar daily exchange rate"

"OBSERVATIONS"
"date","FXEURCAD","FXUSDCAD"
"2026-06-11","1.5200","1.3650"
"2026-06-12","1.5247","1.3702"
'''
# A recorded answer of GET /valet/observations/FXEURCAD/json?start_date=2026-06-08&end_date=2026-06-12
VALET_JSON = {
    "terms": {"url": "https://www.bankofcanada.ca/terms/"},
    "seriesDetail": {"FXEURCAD": {"label": "EUR/CAD", "description": "European euro to Canadian dollar",
                                  "dimension": {"key": "d", "name": "date"}}},
    "observations": [
        {"d": "2026-06-08", "FXEURCAD": {"v": "1.5247"}},
        {"d": "2026-06-09", "FXEURCAD": {"v": "1.5231"}},
        {"d": "2026-06-10", "FXEURCAD": {"v": "1.5247"}},
        {"d": "2026-06-11", "FXEURCAD": {"v": "1.5200"}},
        {"d": "2026-06-12", "FXEURCAD": {"v": "1.5247"}},
    ],
}


def test_valet_csv_and_json_are_read_alike():
    rates = parse_valet(VALET_CSV)
    assert [(r.currency, r.date, r.rate) for r in rates] == [
        ("EUR", date(2026, 6, 11), D("1.5200")), ("USD", date(2026, 6, 11), D("1.3650")),
        ("EUR", date(2026, 6, 12), D("1.5247")), ("USD", date(2026, 6, 12), D("1.3702"))]
    from_json = parse_valet(json.dumps(VALET_JSON).encode())
    assert (from_json[-1].currency, from_json[-1].date, from_json[-1].rate) == ("EUR", date(2026, 6, 12),
                                                                                  D("1.5247"))
    assert from_json[-1].source == "BoC FXEURCAD"


@pytest.mark.parametrize("data, code", [
    (b"date,amount\n2026-01-01,1\n", "unknown-series"),
    (b'"OBSERVATIONS"\n"date","FXEURCAD"\n"2026-06-12","-1"\n', "invalid-rate"),
    (b'"OBSERVATIONS"\n"date","FXEURCAD"\n"12/06/2026","1.5"\n', "invalid-date"),
    (b'{"observations": 3}', "not-valet"),
    (b"\xff\xfe\x00garbage", "not-valet"),
    (b"hello", "not-valet"),
])
def test_bad_rates_files_are_refused_with_a_code(data, code):
    with pytest.raises(RatesError) as caught:
        parse_valet(data)
    assert caught.value.code == code
    assert caught.value.message("fr") != caught.value.message("en")


def test_previous_business_day_and_never_one():
    book = RateBook(parse_valet(VALET_CSV))
    # Saturday 13 and Sunday 14 June take Friday 12's rate; 8 days later there is no rate of the day.
    assert book.on("EUR", date(2026, 6, 14)).date == date(2026, 6, 12)
    assert book.on("EUR", date(2026, 6, 20)) is None
    assert convert("EUR", (10000, 0, 0), date(2026, 6, 20), book) is None  # never converted at 1.0
    # 1 932,00 € x 1,5247 = 2 945,7204 -> 2 945,72 $ (half-up per amount)
    assert convert("EUR", (193200, 0, 0), date(2026, 6, 12), book).cad == (294572, 0, 0)


def _sheet(tmp_path, name: str, lines: list[str]):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_euro_rows_import_converted_and_summary_moves_by_the_converted_eligible_cost(engine, tmp_path):
    with session_scope(engine) as session:
        import_rates_file(session, VALET_CSV, user=LOCAL_USER, file_name="valet.csv")
        program_id = get_program(session).id
        before = compute_summary(session, as_of=date(2026, 10, 31)).spent
    sheet = _sheet(tmp_path, "juin.csv", [
        "Date;Fournisseur;Description;Montant;TPS;TVQ;Devise;Taux",
        "2026-06-12;Hôtel Vieux-Lille;4 nuits;1 932,00 €;;;;",          # row 2: at BoC 1,5247
        "2026-06-12;Traiteur;Réception;100,00;20,00;;EUR;",              # row 3: a French VAT in TPS
        "2026-06-13;Carte;Taxi;200,00 €;;;;1,5300",                      # row 4: the card's actual rate
        "2026-07-20;Taxi;Course;50,00 €;;;;",                            # row 5: no rate -> missing-rate
        "2026-06-12;Genève;Stand;10,00;;;CHF;",                          # row 6: not accepted
        "2026-06-12;Papeterie;Cartes;10,00;0,50;1,00;;",                # row 7: CAD, Québec taxes
    ])
    outcome = import_file(engine, sheet)
    assert (outcome.rows_imported, outcome.rows_rejected) == (4, 2)
    codes = {(e.row, e.code) for e in outcome.errors}
    assert {(5, "missing-rate"), (6, "unknown-currency")} <= codes
    with session_scope(engine) as session:
        after = compute_summary(session, as_of=date(2026, 10, 31)).spent
        rows = {e.source_row: e for e in session.exec(select(Expense))}
        # Row 2: 1 932,00 € x 1,5247 = 2 945,7204 -> 2 945,72 $, no tax.
        hotel = rows[2]
        assert (hotel.currency, hotel.written_amount_cents, hotel.amount_cents) == ("EUR", 193200, 294572)
        assert rows[2].fx_source == "BoC FXEURCAD 2026-06-12" and rows[2].tax_treatment == "foreign"
        # Row 3: 100,00 € -> 152,47 $; VAT 20,00 € -> 30,494 -> 30,49 $, never recovered:
        #        eligible = 152,47 + 30,49 = 182,96 $ (a Québec GST would have counted half: 167,72 $).
        assert (rows[3].amount_cents, rows[3].gst_cents, rows[3].eligible_cents) == (15247, 3049, 18296)
        # Row 4: 200,00 € at the actual 1,5300 = 306,00 $ (BoC 1,5247: 304,94 $ -> a 1,06 $ exchange loss).
        assert (rows[4].amount_cents, rows[4].fx_source, rows[4].fx_reference_rate) == (30600, "actual",
                                                                                       D("1.5247"))
        # Row 7: 10,00 + (0,50 + 1,00) x 0,5 = 10,75 $.
        assert rows[7].eligible_cents == 1075 and rows[7].currency == "CAD"
        # The summary moves by exactly the converted eligible cost: 2 945,72 + 182,96 + 306,00 + 10,75.
        assert after - before == D("2945.72") + D("182.96") + D("306.00") + D("10.75") == D("3445.43")
        fx = exchange_summary(session, program_id=program_id, as_of=date(2026, 10, 31))
        assert (fx.expenses, fx.by_currency, fx.difference_cents) == (3, {"EUR": 193200 + 12000 + 20000}, 106)
        frame, _ = expense_rows(session, program_id=program_id, as_of=date(2026, 10, 31))
        hotel = frame[frame["vendor"] == "Hôtel Vieux-Lille"].iloc[0]
        assert (hotel["currency"], hotel["written_total"], hotel["fx_rate"]) == ("EUR", D("1932.00"),
                                                                                  D("1.5247"))


def test_ambiguous_amount_is_a_warning_after_the_sheets_convention(engine, tmp_path):
    # The sheet writes « 12,50 » and « 1 234,56 »: decimal comma; « 1,234 » is then 1,23 $ and flagged.
    sheet = _sheet(tmp_path, "ambigu.csv", [
        "Date;Fournisseur;Montant",
        "2026-03-02;A;12,50",
        "2026-03-03;B;1 234,56",
        "2026-03-04;C;1,234",
    ])
    analysis = analyse(engine, sheet)
    warnings = [e for e in analysis.errors() if e.code == "ambiguous-amount"]
    assert [(e.row, e.counts_as_rejected) for e in warnings] == [(4, False)]
    assert analysis.parsed.amounts == [1250, 123456, 123]
    assert "1,23" in analysis.preview()[2]["problems"]
    assert analysis.rows_rejected == 0


def test_unknown_tax_treatment_is_a_row_error(engine, tmp_path):
    sheet = _sheet(tmp_path, "traitement.csv", [
        "Date;Fournisseur;Montant;TPS;Traitement fiscal",
        "2026-03-02;A;100,00;5,00;québec",
        "2026-03-02;B;100,00;7,00;aucune",
        "2026-03-02;C;100,00;5,00;peut-être",
    ])
    analysis = analyse(engine, sheet)
    assert [(e.row, e.code) for e in analysis.errors()] == [(4, "invalid-tax-treatment")]
    # Row 3 « aucune »: a tax that is not Québec's is neither recovered nor checked against 5 %.
    assert analysis.parsed.treatments == {1: "none"} and analysis.parsed.review == ["", ""]


class _Valet(BaseHTTPRequestHandler):
    asked: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        _Valet.asked.append(self.path)
        if not self.path.startswith("/valet/observations/FXEURCAD/json?"):
            self.send_error(404)
            return
        body = json.dumps(VALET_JSON).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def valet_server():
    server = HTTPServer(("127.0.0.1", 0), _Valet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Valet.asked = []
    yield f"http://127.0.0.1:{server.server_address[1]}/valet"
    server.shutdown()
    server.server_close()


def test_rates_fetch_against_a_local_valet_server(engine, db_url, valet_server, monkeypatch, capsys):
    monkeypatch.setenv("CQIC_DATABASE_URL", db_url)
    monkeypatch.setenv("CQIC_VALET_URL", valet_server)
    status = cli.main(["rates", "fetch", "--currency", "eur", "--from", "2026-06-08", "--to", "2026-06-12",
                       "--json"])
    assert status == 0
    assert json.loads(capsys.readouterr().out)["inserted"] == 5
    assert _Valet.asked == ["/valet/observations/FXEURCAD/json?start_date=2026-06-08&end_date=2026-06-12"]
    with session_scope(engine) as session:
        assert load_rate_book(session).on("EUR", date(2026, 6, 9)).rate == D("1.5231")
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "rates_import")).one()
        assert event.after["origin"].startswith(valet_server)
    # The same answer again: nothing new; a currency the server does not know: a clear refusal.
    assert cli.main(["rates", "fetch", "--currency", "EUR", "--from", "2026-06-08", "--to", "2026-06-12",
                     "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["unchanged"] == 5
    assert cli.main(["rates", "fetch", "--currency", "CHF", "--from", "2026-06-08", "--to", "2026-06-12",
                     "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["reason"] == "fetch-failed"


def test_rates_import_cli_updates_a_corrected_rate(engine, db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CQIC_DATABASE_URL", db_url)
    first = tmp_path / "valet.csv"
    first.write_bytes(VALET_CSV)
    assert cli.main(["rates", "import", str(first), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["inserted"] == 4
    corrected = tmp_path / "valet2.csv"
    corrected.write_bytes(VALET_CSV.replace(b'"1.5247"', b'"1.5250"'))
    assert cli.main(["rates", "import", str(corrected), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["inserted"], result["updated"], result["unchanged"]) == (0, 1, 3)
    with session_scope(engine) as session:
        stored = session.exec(select(ExchangeRate).where(ExchangeRate.date == date(2026, 6, 12),
                                                         ExchangeRate.currency == "EUR")).one()
        assert stored.rate == D("1.5250")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"nothing here")
    assert cli.main(["rates", "import", str(bad), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["reason"] == "not-valet"
    assert cli.main(["rates", "import", str(first), "--user", "nobody@x.ca", "--json"]) == 2
