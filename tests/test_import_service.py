"""The import service on SQLite and PostgreSQL: duplicates, strict, dry run, undo, history, rejected rows,
category mapping, permissions — and that a refused or forbidden import writes nothing."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from import_helpers import HEADER_FR, csv_bytes, expense_sums, store_counts, taxed, xlsx
from openpyxl import load_workbook

from cqic_budget import auth, users
from cqic_budget.db import data_version, session_scope
from cqic_budget.importing import service
from cqic_budget.importing.batches import category_labels_to_map, list_batches, map_category_label, undo_batch
from cqic_budget.importing.rejected import analysis_rejected_workbook, batch_rejected_workbook
from cqic_budget.models import AuditEvent, ImportBatch
from cqic_budget.users import add_user

MARCH = date(2026, 3, 31)


def sheet(*rows) -> bytes:
    return xlsx({"Dépenses": [["CQIC — mars 2026"], HEADER_FR, *rows]})


def good_rows():
    return [
        taxed(MARCH, "Bell", "100.00", "B-1"),
        taxed(MARCH, "Dell", "1849.00", "D-1"),
        taxed(date(2026, 3, 2), "Lavery", "2750.00", "L-1"),
    ]


def test_same_file_twice_is_a_duplicate_file(engine):
    data = sheet(*good_rows())
    first = service.import_file(engine, data, file_name="mars.xlsx")
    assert (first.status, first.rows_imported, first.exit_status) == ("imported", 3, 0)
    before = store_counts(engine)
    again = service.import_file(engine, data, file_name="copie de mars.xlsx")
    assert (again.status, again.reason, again.exit_status) == ("duplicate-file", "duplicate-file", 2)
    assert f"lot n° {first.batch_id}" in again.reason_message
    assert store_counts(engine) == before


def test_rows_already_in_the_store_or_earlier_in_the_file_are_duplicates(engine):
    service.import_file(engine, sheet(*good_rows()), file_name="mars.xlsx")
    rows = good_rows()[:1] + [
        taxed(MARCH, "BELL  canada", "5.00", "x-9"),
        taxed(MARCH, "bell canada", "5.00", "X-9"),
    ]
    outcome = service.import_file(engine, sheet(*rows), file_name="avril.xlsx")
    assert (outcome.rows_read, outcome.rows_imported, outcome.rows_duplicate) == (3, 1, 2)
    assert [(e.row, e.code, e.params.get("where")) for e in outcome.errors] == [
        (3, "duplicate", "store"),
        (5, "duplicate", "file"),
    ]
    assert expense_sums(engine)[0] == 4
    with session_scope(engine) as session:
        batch = session.get(ImportBatch, outcome.batch_id)
        assert [(i["row"], i["code"]) for i in batch.issues] == [(3, "duplicate"), (5, "duplicate")]
        assert batch.issues[0]["values"]["Fournisseur"] == "Bell"


def test_strict_imports_nothing_when_a_row_is_rejected(engine):
    rows = good_rows() + [["32/03/2026", "X", "", "", "X-1", 1.0, 0.05, 0.1, 1.15]]
    before = store_counts(engine)
    outcome = service.import_file(engine, sheet(*rows), file_name="mars.xlsx", strict=True)
    assert (outcome.status, outcome.reason, outcome.exit_status, outcome.rows_imported) == (
        "rejected",
        "strict",
        1,
        0,
    )
    assert outcome.rows_rejected == 1 and store_counts(engine) == before
    relaxed = service.import_file(engine, sheet(*rows), file_name="mars.xlsx")
    assert (relaxed.status, relaxed.rows_imported, relaxed.rows_rejected, relaxed.exit_status) == (
        "imported",
        3,
        1,
        0,
    )


def test_all_rows_rejected_imports_nothing_and_exits_1(engine):
    before = store_counts(engine)
    outcome = service.import_file(engine, sheet(["pas une date", "X", "", "", "1", 1.0]), file_name="x.xlsx")
    assert (outcome.status, outcome.reason, outcome.exit_status) == ("rejected", None, 1)
    assert store_counts(engine) == before


def test_dry_run_writes_nothing_and_reports_what_would_happen(engine):
    service.import_file(engine, sheet(good_rows()[0]), file_name="a.xlsx")
    before = store_counts(engine)
    outcome = service.import_file(engine, sheet(*good_rows()), file_name="b.xlsx", dry_run=True)
    assert (outcome.status, outcome.rows_imported, outcome.rows_duplicate, outcome.batch_id) == (
        "dry-run",
        2,
        1,
        None,
    )
    assert outcome.exit_status == 0 and store_counts(engine) == before


def test_commit_writes_batch_audit_and_bumps_data_version(engine):
    with session_scope(engine) as session:
        version = data_version(session)
    outcome = service.import_file(
        engine,
        sheet(*good_rows(), ["??", "X", "", "", "1", "abc"]),
        file_name="mars.xlsx",
        user=auth.LOCAL_USER,
    )
    with session_scope(engine) as session:
        assert data_version(session) == version + 1
        batch = session.get(ImportBatch, outcome.batch_id)
        assert (batch.file_name, batch.rows_read, batch.rows_imported, batch.rows_rejected, batch.status) == (
            "mars.xlsx",
            4,
            3,
            1,
            "imported",
        )
        assert {(i["row"], i["code"]) for i in batch.issues} == {(6, "invalid-date"), (6, "invalid-amount")}
        assert batch.issues[0]["values"]["Montant avant taxes"] == "abc"
        event = session.exec(sa.select(AuditEvent).where(AuditEvent.action == "import")).scalar_one()
        assert event.entity_id == batch.id and event.after["rows_imported"] == 3


def test_undo_reverses_the_whole_batch_and_allows_a_new_import(engine):
    data = sheet(*good_rows())
    outcome = service.import_file(engine, data, file_name="mars.xlsx")
    result = undo_batch(engine, outcome.batch_id, user=auth.LOCAL_USER)
    assert result.ok and result.expenses_deleted == 3
    assert expense_sums(engine)[0] == 0
    assert not undo_batch(engine, outcome.batch_id).ok
    with session_scope(engine) as session:
        history = list_batches(session)
        assert [(b.id, b.status, b.reversed_by) for b in history] == [
            (outcome.batch_id, "reversed", auth.LOCAL_USER)
        ]
        actions = session.exec(sa.select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
        assert actions == ["import", "undo_import"]
    again = service.import_file(engine, data, file_name="mars.xlsx")
    assert again.status == "imported" and expense_sums(engine)[0] == 3


def test_roles_are_checked_and_a_forbidden_import_writes_nothing(engine):
    with session_scope(engine) as session:
        add_user(session, "funder@meie.gouv.qc.ca", "funder", by=auth.LOCAL_USER)
        add_user(session, "staff@cqic.ca", "manager", by=auth.LOCAL_USER)
    before = store_counts(engine)
    for user in ("funder@meie.gouv.qc.ca", "nobody@example.com"):
        with pytest.raises(auth.Forbidden):
            service.import_file(engine, sheet(*good_rows()), file_name="x.xlsx", user=user)
    assert store_counts(engine) == before
    outcome = service.import_file(engine, sheet(*good_rows()), file_name="x.xlsx", user="staff@cqic.ca")
    with pytest.raises(auth.Forbidden):
        undo_batch(engine, outcome.batch_id, user="funder@meie.gouv.qc.ca")
    with pytest.raises(auth.Forbidden):
        map_category_label(engine, "Frais divers", "administration", user="staff@cqic.ca")


def test_preview_then_commit_and_rejected_rows_workbook(engine):
    lines = [
        "Dépenses de mars",
        "Date;Fournisseur;Description;Catégorie;No facture;Montant;TPS;TVQ;Total",
        "31/03/2026;Bell;Internet;;B-1;100,00;5,00;9,98;114,98",
        "31/03/2026;Dell;Portable;;D-1;10,00;;;10,00",
        "02/03/2026;Lavery;Avis;;L-1;20,00;;;20,00",
        '31/02/2026;"=HYPERLINK(""x"")";;;Z-1;12,00;;;12,00',
    ]
    analysis = service.analyse(engine, csv_bytes(lines), file_name="mars.csv")
    table = analysis.preview()
    assert [r["status"] for r in table] == ["ok", "ok", "ok", "rejected"]
    assert table[3]["codes"] == ["invalid-date"] and "31/02/2026" in table[3]["problems"]
    workbook = load_workbook(io.BytesIO(analysis_rejected_workbook(analysis, lang="fr")))
    values = list(workbook.active.values)
    assert values[0][:3] == ("Ligne d'origine", "Code", "Problème") and values[1][0] == 6
    assert '=HYPERLINK("x")' in values[1]  # kept as text, never written as a formula
    outcome = service.commit(engine, analysis, user=auth.LOCAL_USER)
    assert (outcome.status, outcome.rows_imported) == ("imported", 3)
    with session_scope(engine) as session:
        data = batch_rejected_workbook(session, outcome.batch_id, lang="en")
        # The rows are what staff uploaded: a funder does not get them.
        users.add_user(session, "funder@meie.gouv.qc.ca", "funder", by=auth.LOCAL_USER)
        with pytest.raises(auth.Forbidden):
            batch_rejected_workbook(session, outcome.batch_id, user="funder@meie.gouv.qc.ca")
    assert list(load_workbook(io.BytesIO(data)).active.values)[0][:3] == ("Original row", "Code", "Problem")


def test_mapping_a_category_label_once_applies_to_waiting_and_later_rows(engine):
    service.import_file(
        engine, sheet(taxed(MARCH, "Bell", "100.00", "B-1", category="Frais de bureau")), file_name="a.xlsx"
    )
    with session_scope(engine) as session:
        assert category_labels_to_map(session) == [("frais de bureau", 1)]
    assert map_category_label(engine, "FRAIS  de  BUREAU", "administration") == 1
    service.import_file(
        engine, sheet(taxed(MARCH, "Bell", "7.00", "B-2", category="Frais de bureau")), file_name="b.xlsx"
    )
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT c.code, e.needs_review FROM expense e JOIN category c "
                "ON c.id = e.category_id ORDER BY e.id"
            )
        ).all()
    assert [tuple(r) for r in rows] == [("administration", False), ("administration", False)]


def test_refused_file_writes_nothing(engine):
    before = store_counts(engine)
    outcome = service.import_file(engine, b"PK\x03\x04 broken zip", file_name="x.xlsx")
    assert (outcome.status, outcome.reason, outcome.exit_status) == ("rejected", "corrupt", 2)
    assert store_counts(engine) == before


def test_bulk_insert_in_small_chunks_keeps_every_row(engine, monkeypatch):
    from cqic_budget.importing import commit as commit_step

    monkeypatch.setattr(commit_step, "CHUNK_ROWS", 2)
    service.import_file(engine, sheet(good_rows()[0]), file_name="a.xlsx")
    rows = [taxed(MARCH, f"Fournisseur {i}", f"{i}.00", f"F-{i}") for i in range(1, 8)] + good_rows()
    outcome = service.import_file(engine, sheet(*rows), file_name="b.xlsx")
    assert (outcome.rows_imported, outcome.rows_duplicate) == (9, 1)
    count, amount, *_ = expense_sums(engine)
    assert (count, amount) == (10, 10000 + sum(range(1, 8)) * 100 + 184900 + 275000)
    with engine.connect() as conn:
        sources = (
            conn.execute(
                sa.text("SELECT source_row FROM expense WHERE batch_id = :b ORDER BY source_row"),
                {"b": outcome.batch_id},
            )
            .scalars()
            .all()
        )
    assert sources == [3, 4, 5, 6, 7, 8, 9, 11, 12]
