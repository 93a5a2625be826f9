"""The audit trail read by admins: filters, the CSV export and its formula neutralisation."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timezone

import pytest

from cqic_budget import audit
from cqic_budget.audit_log import (
    audit_events_csv,
    audit_filter_choices,
    count_audit_events,
    list_audit_events,
)
from cqic_budget.auth import LOCAL_USER, Forbidden
from cqic_budget.db import ROOT
from cqic_budget.models import AuditEvent, User
from cqic_budget.safe_text import neutralise_cell, neutralise_formula

ADMIN = "admin@cqic.ca"


def _at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.fixture
def trail(session):
    for email, role in ((ADMIN, "admin"), ("manager@cqic.ca", "manager"), ("funder@cqic.ca", "funder"),
                        ("viewer@cqic.ca", "viewer")):
        session.add(User(email=email, role=role))
    session.add_all([
        AuditEvent(at=_at(2026, 3, 30, 15, 0), user="manager@cqic.ca", action="import", entity="importbatch",
                   entity_id=1, after={"rows_imported": 120}),
        # 22:30 in Montréal on 31 March (EDT, UTC-4) is 02:30 UTC on 1 April.
        AuditEvent(at=_at(2026, 4, 1, 2, 30), user="manager@cqic.ca", action="undo_import",
                   entity="importbatch", entity_id=1, before={"status": "imported"},
                   after={"status": "reversed"}),
        AuditEvent(at=_at(2026, 4, 2, 13, 0), user=ADMIN, action="merchant.update", entity="merchant",
                   entity_id=7, before={"status": "reached"}, after={"status": "supported"}),
    ])
    session.flush()


def _actions(rows):
    return [r["action"] for r in rows]


def test_newest_first_as_plain_rows(session, trail):
    rows = list_audit_events(session, user=ADMIN)
    assert _actions(rows) == ["merchant.update", "undo_import", "import"]
    assert set(rows[0]) == {"id", "at", "user", "action", "entity", "entity_id", "before", "after"}
    assert rows[0]["at"] == _at(2026, 4, 2, 13, 0)
    assert (rows[0]["before"], rows[0]["after"]) == ({"status": "reached"}, {"status": "supported"})


def test_filters(session, trail):
    def actions(**filters):
        return _actions(list_audit_events(session, user=LOCAL_USER, **filters))

    assert actions(action="import") == ["import"]
    assert actions(action=["import", "undo_import"]) == ["undo_import", "import"]
    assert actions(entity="merchant", entity_id=7) == ["merchant.update"]
    assert actions(who=" Manager@CQIC.ca") == ["undo_import", "import"]
    # Days are Québec days: the undo at 22:30 on 31 March belongs to 31 March.
    assert actions(until=date(2026, 3, 31)) == ["undo_import", "import"]
    assert actions(since=date(2026, 4, 1)) == ["merchant.update"]
    assert actions(since=date(2026, 3, 31), until=date(2026, 3, 31)) == ["undo_import"]
    assert actions(since=_at(2026, 4, 1, 2, 30), until=_at(2026, 4, 2, 13, 0)) == ["merchant.update",
                                                                                    "undo_import"]
    assert actions(limit=1, offset=1) == ["undo_import"]
    assert count_audit_events(session, user=ADMIN, who="manager@cqic.ca") == 2
    assert audit_filter_choices(session, user=ADMIN) == {
        "actions": ["import", "merchant.update", "undo_import"],
        "entities": ["importbatch", "merchant"],
        "users": ["admin@cqic.ca", "manager@cqic.ca"],
    }


@pytest.mark.parametrize("user", ["manager@cqic.ca", "funder@cqic.ca", "viewer@cqic.ca", "nobody@cqic.ca"])
def test_only_admins_read_the_trail(session, trail, user):
    for call in (
        lambda: list_audit_events(session, user=user),
        lambda: count_audit_events(session, user=user),
        lambda: audit_filter_choices(session, user=user),
        lambda: audit_events_csv(session, user=user),
    ):
        with pytest.raises(Forbidden):
            call()


def _parse(data: bytes, delimiter: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for accents
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def test_csv_export_in_both_languages(session, trail):
    rows = _parse(audit_events_csv(session, user=ADMIN, lang="fr", action="undo_import"), ";")
    assert rows == [
        ["Date et heure", "Utilisateur", "Action", "Objet", "N°", "Avant", "Après"],
        ["2026-03-31T22:30:00-04:00", "manager@cqic.ca", "undo_import", "importbatch", "1",
         '{"status": "imported"}', '{"status": "reversed"}'],
    ]
    rows = _parse(audit_events_csv(session, user=ADMIN, lang="en"), ",")
    assert rows[0] == ["Date and time", "User", "Action", "Entity", "ID", "Before", "After"]
    assert [r[2] for r in rows[1:]] == ["merchant.update", "undo_import", "import"]
    assert rows[3][5] == "" and rows[3][6] == '{"rows_imported": 120}'


def test_csv_export_neutralises_formulas(session, trail):
    # Text typed by someone (a vendor, a file name, a label) ends up in the trail: it must not run in Excel.
    audit.record(session, user="=HYPERLINK(\"http://evil\")@x.ca", action="+cmd|' /C calc'!A0",
                 entity="-2+3", entity_id=None, before={"a": 1}, after=None)
    audit.record(session, user="@SUM(A1:A9)", action="\tindent", entity="\r=1+1")
    session.flush()
    rows = _parse(audit_events_csv(session, user=ADMIN, lang="en"), ",")
    cells = [cell for row in rows[1:] for cell in row]
    for dangerous in ("=HYPERLINK(\"http://evil\")@x.ca", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
                      "\tindent", "\r=1+1"):
        assert "'" + dangerous in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23 45", "'+33 1 23 45"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("-12.50", "-12.50"),  # a credit note is a number, not a formula
        ("-12,50", "-12,50"),
        ("+5", "+5"),
        ("Boutique = Laval", "Boutique = Laval"),
        ("", ""),
        ("a-b", "a-b"),
    ],
)
def test_neutralise_formula(text, safe):
    assert neutralise_formula(text) == safe


def test_neutralise_cell_leaves_non_text_alone():
    assert neutralise_cell(-12) == -12
    assert neutralise_cell(None) is None
    assert neutralise_cell(date(2026, 3, 31)) == date(2026, 3, 31)
    assert neutralise_cell("=A1") == "'=A1"


def test_the_app_never_updates_or_deletes_audit_rows():
    """No code of the package changes or removes an AuditEvent (the trail is append-only)."""
    pattern = re.compile(r"(update|delete)\(\s*AuditEvent|AuditEvent\.__table__\.(update|delete)"
                         r"|(UPDATE|DELETE\s+FROM)\s+auditevent", re.IGNORECASE)
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "cqic_budget").rglob("*.py")
                 if pattern.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
