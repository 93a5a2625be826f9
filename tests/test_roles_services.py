"""Every path that changes the store, tried by a funder and by a viewer on a demo store (SQLite and
PostgreSQL): each is refused with auth.Forbidden and leaves every table's rows and the data version exactly
as they were.

The per-service tests (test_import_service, test_settings_service, test_users, test_merchants_service) check
one service each; this one sweeps them all against one store, including the paths around the pages: a
preview, committing an analysis someone else made, every editable table, the demo loader, the command line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa
from import_helpers import HEADER_FR, taxed, xlsx
from sqlmodel import SQLModel, select

from cqic_budget import cli, settings_service
from cqic_budget.auth import LOCAL_USER, Forbidden
from cqic_budget.db import data_version, session_scope
from cqic_budget.demo import load_demo
from cqic_budget.importing import service
from cqic_budget.importing.batches import map_category_label, undo_batch
from cqic_budget.merchants import (
    create_merchant,
    erase_personal_data,
    export_personal_data,
    update_merchant,
)
from cqic_budget.models import Merchant
from cqic_budget.setup import get_program
from cqic_budget.users import add_user, remove_user, set_role

ADMIN, MANAGER = "direction@cqic.ca", "gestion@cqic.ca"
FUNDER, VIEWER = "bailleur@economie.gouv.qc.ca", "lecteur@laval.ca"
READ_ONLY = [FUNDER, VIEWER]


def workbook(vendor: str = "Fournitures Rôles inc.") -> bytes:
    return xlsx({"Dépenses": [["CQIC — mars 2026"], HEADER_FR,
                              taxed(date(2026, 11, 30), vendor, "150.00", "ROL-1"),
                              taxed(date(2026, 11, 27), vendor, "75.00", "ROL-2")]})


@pytest.fixture
def demo(demo_engine):
    """The demo store with a user of each role and one active import made by the manager."""
    engine = demo_engine
    with session_scope(engine) as session:
        for email, role in ((ADMIN, "admin"), (MANAGER, "manager"), (FUNDER, "funder"), (VIEWER, "viewer")):
            add_user(session, email, role, by=LOCAL_USER)
    outcome = service.import_file(engine, workbook(), file_name="mars.xlsx", user=MANAGER)
    assert outcome.status == "imported"
    with session_scope(engine) as session:
        program = get_program(session)
        merchant = session.exec(select(Merchant).where(Merchant.erased_at.is_(None))
                                .order_by(Merchant.id)).first()
        ids = {"program": program.id, "batch": outcome.batch_id, "merchant": merchant.id}
    return ids


def fingerprint(engine) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of its rows in key order, and the data version: any insert,
    update or delete shows."""
    found: dict[str, tuple[int, str]] = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            found[table.name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    with session_scope(engine) as session:
        found["data_version"] = (data_version(session), "")
    return found


def in_session(engine, call: Callable) -> Callable[[], object]:
    """A service that takes a session, run in its own unit of work (committed unless it raises)."""

    def run():
        with session_scope(engine) as session:
            return call(session)

    return run


def attempts(engine, ids: dict, user: str) -> dict[str, Callable[[], object]]:
    """Every change a page or the command line can ask of the services, made as `user`."""
    program_id, batch_id, merchant_id = ids["program"], ids["batch"], ids["merchant"]
    manager_analysis = service.analyse(engine, workbook("Autre fournisseur"), file_name="avril.xlsx",
                                       user=MANAGER)

    def table_edit(table: str) -> Callable:
        def edit(session):
            frame = settings_service.load_table(session, program_id, table)
            # Drop the last row: a delete, the change the store can least afford from a read-only role.
            return settings_service.save_table(session, program_id, table, frame.iloc[:-1], user=user)

        return edit

    new_file = workbook("Nouveau")
    calls = {
        "import": lambda: service.import_file(engine, new_file, file_name="n.xlsx", user=user),
        "preview an import": lambda: service.analyse(engine, new_file, file_name="n.xlsx", user=user),
        "commit a manager's preview": lambda: service.commit(engine, manager_analysis, user=user),
        "undo an import": lambda: undo_batch(engine, batch_id, user=user),
        "map a label (import)": lambda: map_category_label(engine, "Frais divers", "administration",
                                                                  user=user),
        "program settings": in_session(engine, lambda s: settings_service.update_program_settings(
            s, program_id, {"quebec_rate": "0.40", "budget_total": "1"}, user=user)),
        "map a label (settings)": in_session(engine, lambda s: settings_service.map_category_label(
            s, "Frais de déplacement", "travel", user=user)),
        "add a user": in_session(engine, lambda s: add_user(s, "nouveau@cqic.ca", "admin", by=user)),
        "promote oneself": in_session(engine, lambda s: set_role(s, user, "admin", by=user)),
        "remove a user": in_session(engine, lambda s: remove_user(s, MANAGER, by=user)),
        "create a merchant": in_session(engine, lambda s: create_merchant(
            s, user=user, program_id=program_id, name="Nouveau commerce", sector="retail", size_band="micro",
            municipality="Laval", enrolment_date=date(2026, 5, 1), status="reached")),
        "edit a merchant": in_session(engine, lambda s: update_merchant(s, merchant_id, user=user,
                                                                        status="completed")),
        "export personal data": in_session(engine, lambda s: export_personal_data(s, merchant_id, user=user)),
        "erase personal data": in_session(engine, lambda s: erase_personal_data(s, merchant_id, user=user)),
        "load the demo": in_session(engine, lambda s: load_demo(s, user=user)),
    }
    for table in settings_service.TABLES:
        calls[f"edit the {table} table"] = in_session(engine, table_edit(table))
    return calls


@pytest.mark.parametrize("user", READ_ONLY)
def test_funders_and_viewers_cannot_change_anything(engine, demo, user):
    calls = attempts(engine, demo, user)
    assert len(calls) == 15 + len(settings_service.TABLES)
    before = fingerprint(engine)
    allowed = []
    for name, call in calls.items():
        try:
            call()
        except Forbidden as refused:
            assert refused.code == "forbidden" and refused.user == user, name
            assert user in refused.message("fr") and user in refused.message("en")
        else:
            allowed.append(name)
    assert allowed == []
    assert fingerprint(engine) == before


@pytest.mark.parametrize("user", READ_ONLY)
def test_a_forbidden_call_changes_nothing_even_inside_a_larger_unit_of_work(engine, demo, user):
    """A refusal raised midway through a unit of work rolls back what that unit had already done."""
    before = fingerprint(engine)
    with pytest.raises(Forbidden), session_scope(engine) as session:
        add_user(session, "complice@cqic.ca", "viewer", by=ADMIN)  # allowed, then undone by the refusal
        settings_service.update_program_settings(session, demo["program"], {"quebec_rate": "0.40"}, user=user)
    assert fingerprint(engine) == before


def test_the_fingerprint_sees_a_permitted_change(engine, demo):
    """Control for the sweep above: the same calls by staff do change the store."""
    before = fingerprint(engine)
    assert undo_batch(engine, demo["batch"], user=MANAGER).ok
    after = fingerprint(engine)
    assert after["data_version"][0] == before["data_version"][0] + 1
    changed = {name for name in before if before[name] != after[name]}
    assert changed >= {"expense", "importbatch", "auditevent"}
    with session_scope(engine) as session:
        settings_service.update_program_settings(session, demo["program"], {"quebec_rate": "0.45"},
                                                 user=ADMIN)
    assert fingerprint(engine)["program"] != after["program"]


@pytest.mark.parametrize("user", READ_ONLY)
def test_command_line_demo_load_is_refused_with_exit_2(engine, db_url, monkeypatch, capsys, user):
    """`init --demo --user EMAIL` on a store without the demo: a read-only role is refused, nothing
    written."""
    monkeypatch.setenv("CQIC_DATABASE_URL", db_url)
    with session_scope(engine) as session:
        add_user(session, user, "funder" if user == FUNDER else "viewer", by=LOCAL_USER)
    before = fingerprint(engine)
    assert cli.main(["init", "--demo", "--user", user]) == cli.EXIT_REFUSED
    assert capsys.readouterr().err.startswith("forbidden: ")
    assert fingerprint(engine) == before
