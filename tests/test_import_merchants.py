"""Merchants and measurements from a workbook, through the expense import's steps (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from app_tools import DASHBOARD
from conftest import PEER_EXCEL, require_peer_excel
from import_helpers import xlsx
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from cqic_budget import cli
from cqic_budget.auth import Forbidden
from cqic_budget.db import session_scope
from cqic_budget.importing.merchants import import_merchants
from cqic_budget.importing.pipeline import EXIT_REFUSED, EXIT_REJECTED
from cqic_budget.models import AppState, AuditEvent, Indicator, Measurement, Merchant
from cqic_budget.setup import get_program
from cqic_budget.users import add_user

pytestmark = pytest.mark.usefixtures("fresh_caches")  # AppTest below: Streamlit's caches per test

PAGE = "pages/merchants.py"
HEADER = ["Nom", "NEQ", "Secteur", "Taille", "Municipalité", "Date d'inscription", "Statut", "Courriel",
          "Emplois (départ)", "Emplois (suivi)", "online_sales_share (départ)",
          "Part des ventes en ligne (suivi)", "Date de suivi"]


def rows() -> list[list]:
    return [
        ["Fromagerie Dubé", "1234567890", "Commerce de détail", "Petite", "Laval", date(2025, 5, 12),
         "Accompagné", "info@dube.ca", 4, 6, 0.1, 0.25, date(2026, 2, 1)],
        ["Quincaillerie Côté", "2234567890", "gros", "Micro (1 à 4 employés)", "Terrebonne", "2025-06-03",
         "terminé", None, 2, None, "5 %", None, None],
        ["Boutique Élan", None, "Retail", "medium", "Montréal", "15/07/2025", "rejoint", None, None, None,
         None, None, None],
        ["Épicerie Lavoie", "12345", "détail", "micro", "Laval", date(2025, 8, 1), "rejoint", None, None,
         None, None, None, None],
        ["Animalerie Roy", "3234567890", "détail", "micro", "Blainville", date(2025, 8, 2), "en attente",
         None, None, None, None, None, None],
    ]


def workbook(data: list[list] | None = None) -> bytes:
    title = [["Programme CQIC — commerçants accompagnés"], ["Mis à jour le 2026-03-01"], []]
    return xlsx({"Commerçants": title + [HEADER] + (rows() if data is None else data)})


@pytest.fixture
def store(engine, db_url, monkeypatch):
    """A store with two indicators, named by CQIC_DATABASE_URL (for the command line and the page)."""
    monkeypatch.setenv("CQIC_DATABASE_URL", db_url)
    with session_scope(engine) as session:
        program = get_program(session)
        session.add_all([
            Indicator(program_id=program.id, code="jobs", name_fr="Emplois", name_en="Jobs", unit="count"),
            Indicator(program_id=program.id, code="online_sales_share", name_fr="Part des ventes en ligne",
                      name_en="Online share of sales", unit="percent"),
        ])
    return engine


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: conn.execute(sa.text(f"SELECT COUNT(*) FROM {name}")).scalar_one()
                for name in ("merchant", "measurement", "auditevent")}


def version(engine) -> int:
    with session_scope(engine) as session:
        row = session.get(AppState, "data_version")
        return row.value if row else 0


def test_french_workbook_counts_errors_and_measurements(store):
    before = version(store)
    out = import_merchants(store, workbook(), file_name="commerçants.xlsx")
    assert (out.status, out.rows_read, out.created, out.updated) == ("imported", 5, 3, 0)
    assert out.rows_rejected == 2
    assert out.header_row == 4 and out.sheet == "Commerçants"
    assert out.measurements == 6 and out.exit_status == 0
    by_code = {e.code: e for e in out.errors}
    assert set(by_code) == {"invalid-neq", "invalid-choice"}
    assert (by_code["invalid-neq"].row, by_code["invalid-neq"].column) == (8, "NEQ")
    assert (by_code["invalid-choice"].row, by_code["invalid-choice"].column) == (9, "Statut")
    messages = out.error_messages("en")
    assert "Invalid NEQ: « 12345 »" in messages[0]["message"]
    assert "en attente" in out.error_messages("fr")[1]["message"]
    with session_scope(store) as session:
        merchants = {m.name: m for m in session.exec(select(Merchant)).all()}
        assert set(merchants) == {"Fromagerie Dubé", "Quincaillerie Côté", "Boutique Élan"}
        dube = merchants["Fromagerie Dubé"]
        assert (dube.sector, dube.size_band, dube.status, dube.neq) == ("retail", "small", "supported",
                                                                        "1234567890")
        assert merchants["Quincaillerie Côté"].size_band == "micro"
        assert merchants["Boutique Élan"].enrolment_date == date(2025, 7, 15)
        measures = session.exec(select(Measurement).where(Measurement.merchant_id == dube.id)).all()
        got = sorted((m.kind, m.date, m.value) for m in measures)
        assert got == [("baseline", date(2025, 5, 12), Decimal("0.1")),
                       ("baseline", date(2025, 5, 12), Decimal(4)),
                       ("followup", date(2026, 2, 1), Decimal("0.25")),
                       ("followup", date(2026, 2, 1), Decimal(6))]
        cote = merchants["Quincaillerie Côté"].id
        shares = session.exec(select(Measurement.value).where(Measurement.merchant_id == cote)).all()
        assert sorted(shares) == [Decimal("0.05"), Decimal(2)]
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "merchant.import")).all()
        assert len(events) == 1
        assert events[0].after["created"] == 3 and events[0].after["rejected"] == 2
        assert "Fromagerie" not in json.dumps(events[0].after)  # no personal value in the audit trail
    assert version(store) == before + 1


def test_reimport_updates_instead_of_duplicating(store):
    import_merchants(store, workbook(), file_name="a.xlsx")
    changed = rows()[:3]
    changed[0][6] = "terminé"
    changed[0][9] = 7
    out = import_merchants(store, workbook(changed), file_name="b.xlsx")
    assert (out.created, out.updated, out.rows_rejected) == (0, 3, 0)
    with session_scope(store) as session:
        assert len(session.exec(select(Merchant)).all()) == 3
        dube = session.exec(select(Merchant).where(Merchant.neq == "1234567890")).one()
        assert dube.status == "completed"
        values = session.exec(select(Measurement.value).where(Measurement.merchant_id == dube.id,
                                                              Measurement.kind == "followup")).all()
        assert sorted(values) == [Decimal("0.25"), Decimal(7)]
    assert counts(store)["measurement"] == 6


def test_dry_run_writes_nothing_and_duplicate_rows_are_reported(store):
    data = rows()[:3] + [rows()[0]]
    before = counts(store)
    out = import_merchants(store, workbook(data), file_name="a.xlsx", dry_run=True)
    assert (out.status, out.created, out.rows_rejected, out.exit_status) == ("dry-run", 3, 1, 0)
    assert out.errors[0].code == "duplicate-in-file" and out.errors[0].row == 8
    assert counts(store) == before


def test_funder_is_refused_and_nothing_written(store):
    with session_scope(store) as session:
        add_user(session, "bailleur@example.ca", "funder", by="local@127.0.0.1")
    before = counts(store)
    with pytest.raises(Forbidden):
        import_merchants(store, workbook(), file_name="a.xlsx", user="bailleur@example.ca")
    assert counts(store) == before


def test_hostile_and_headerless_files_are_refused(store):
    require_peer_excel()
    bomb = (PEER_EXCEL / "poi" / "poc-xmlbomb.xlsx").read_bytes()
    out = import_merchants(store, bomb, file_name="bomb.xlsx")
    assert (out.status, out.reason, out.exit_status) == ("rejected", "unsafe", EXIT_REFUSED)
    out = import_merchants(store, b"%PDF-1.4 nothing", file_name="x.pdf")
    assert out.reason == "not-spreadsheet"
    expenses = xlsx({"S": [["Date", "Montant"], [date(2026, 1, 1), 10]]})
    out = import_merchants(store, expenses, file_name="e.xlsx")
    assert out.reason == "no-header" and "Nom" in out.reason_text("fr")
    out = import_merchants(store, workbook([]), file_name="vide.xlsx")
    assert out.reason == "empty" and "commerçant" in out.reason_text("fr")
    assert counts(store)["merchant"] == 0


def test_cli_json_and_exit_statuses(store, tmp_path, capsys):
    require_peer_excel()
    good, bad = tmp_path / "commerçants.xlsx", tmp_path / "refus.xlsx"
    good.write_bytes(workbook())
    bad.write_bytes(workbook(rows()[3:]))

    def run(*args) -> tuple[int, dict]:
        status = cli.main(["import-merchants", *map(str, args), "--json"])
        return status, json.loads(capsys.readouterr().out)

    status, out = run(good, "--dry-run")
    assert status == 0 and out["status"] == "dry-run" and out["created"] == 3
    status, out = run(good)
    assert status == 0 and (out["created"], out["rows_rejected"]) == (3, 2)
    assert {e["code"] for e in out["errors"]} == {"invalid-neq", "invalid-choice"}
    status, out = run(bad)
    assert status == EXIT_REJECTED and out["status"] == "rejected" and out["rows_imported"] == 0
    status, out = run(PEER_EXCEL / "poi" / "poc-xmlbomb.xlsx")
    assert status == EXIT_REFUSED and out["reason"] == "unsafe"
    status = cli.main(["import-merchants", str(good), "--lang", "en"])
    text = capsys.readouterr().out
    assert status == 0 and "0 merchants created, 3 updated" in text
    with session_scope(store) as session:
        add_user(session, "bailleur@example.ca", "funder", by="local@127.0.0.1")
    capsys.readouterr()
    status, out = run(good, "--user", "bailleur@example.ca")
    assert status == EXIT_REFUSED and out["reason"] == "forbidden"


def test_merchants_page_imports_a_workbook(store):
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params.update(lang="fr")
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    uploader = at.file_uploader(key="merchants.import_file")
    assert uploader.label == "Importer des commerçants (Excel)"
    uploader.set_value(("commerçants.xlsx", workbook(), "application/octet-stream"))
    at.run()
    at.button(key="merchants.import_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "3 commerçants créés, 0 mis à jour, 2 lignes refusées, 6 mesures" in at.warning[0].value
    problems = at.dataframe[-1].value
    assert list(problems["Ligne"]) == ["8", "9"] and list(problems["Colonne"]) == ["NEQ", "Statut"]
    assert counts(store)["merchant"] == 3


def test_english_csv_headers_and_row_errors(store):
    data = ("Name;NEQ;Sector;Size band;Municipality;Enrolment date;Status;Email;Phone\r\n"
            "Shop A;1234 567 890;Wholesale;Small;Laval;2025-05-01;Completed;A@B.CA;450 555 1234\r\n"
            "Shop B;;retail;micro;Laval;2025-13-01;reached;bad;\r\n").encode("utf-8")
    out = import_merchants(store, data, file_name="m.csv", lang="en")
    assert (out.created, out.rows_rejected) == (1, 1)
    assert [(e.row, e.column, e.code) for e in out.errors] == [(3, "Enrolment date", "invalid-date"),
                                                                (3, "Email", "invalid-email")]
    with session_scope(store) as session:
        shop = session.exec(select(Merchant)).one()
        assert (shop.neq, shop.sector, shop.contact_email) == ("1234567890", "wholesale", "a@b.ca")


def test_a_measurement_column_of_no_known_indicator_is_reported_not_dropped_silently(store):
    data = [HEADER + ["Chiffre d'affaires (suivi)"]] + [row + [125000] for row in rows()[:1]]
    title = [["Programme CQIC — commerçants accompagnés"], []]
    out = import_merchants(store, xlsx({"Commerçants": title + data}), file_name="m.xlsx", lang="fr")
    assert out.created == 1
    assert out.unknown_indicator_columns == ["Chiffre d'affaires (suivi)"]
    assert "Colonne « Chiffre d'affaires (suivi) » ignorée" in out.as_text("fr")
    assert out.as_json()["unknown_indicator_columns"] == ["Chiffre d'affaires (suivi)"]
