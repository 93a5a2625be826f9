"""Merchant services: roles enforced inside, no personal data for funders and viewers, Law 25 rights."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlmodel import select

from cqic_budget.auth import LOCAL_USER, Forbidden
from cqic_budget.db import data_version
from cqic_budget.merchants import (
    AGGREGATE_COLUMNS,
    PERSONAL_FIELDS,
    REDACTED,
    STAFF_COLUMNS,
    MerchantError,
    create_merchant,
    erase_personal_data,
    export_personal_data,
    list_merchants,
    listing_columns,
    merchant_detail,
    update_merchant,
)
from cqic_budget.models import AuditEvent, Category, Expense, Indicator, Measurement, Merchant, User
from cqic_budget.setup import get_program

ADMIN, MANAGER, VIEWER = "admin@cqic.ca", "manager@cqic.ca", "viewer@cqic.ca"
FUNDER = "funder@meie.gouv.qc.ca"
READ_ONLY = [FUNDER, VIEWER]
PERSONAL_VALUES = ("Boutique Chez Ginette", "1171234567", "Ginette Lavoie", "ginette@chezginette.ca",
                   "450 555-0101")


@pytest.fixture
def store(session):
    """The CQIC program, a user of each role, two merchants with measurements and a linked expense."""
    for email, role in ((ADMIN, "admin"), (MANAGER, "manager"), (FUNDER, "funder"), (VIEWER, "viewer")):
        session.add(User(email=email, role=role))
    program = get_program(session)
    ginette = create_merchant(
        session, user=MANAGER, program_id=program.id, name="Boutique Chez Ginette", neq="1171 234 567",
        sector="retail", size_band="micro", municipality="Laval", enrolment_date=date(2025, 6, 2),
        status="supported", contact_name="Ginette Lavoie", contact_email="Ginette@ChezGinette.ca",
        contact_phone="450 555-0101")
    grossiste = create_merchant(
        session, user=ADMIN, program_id=program.id, name="Grossiste Nord", sector="wholesale",
        size_band="medium", municipality="Terrebonne", enrolment_date="2025-09-15", status="reached")
    indicator = Indicator(program_id=program.id, code="online_sales_share",
                          name_fr="Part des ventes en ligne", name_en="Online sales share", unit="percent")
    session.add(indicator)
    session.flush()
    session.add_all([
        Measurement(merchant_id=ginette.id, indicator_id=indicator.id, date=date(2025, 6, 2), kind="baseline",
                    value=Decimal("0.05")),
        Measurement(merchant_id=ginette.id, indicator_id=indicator.id, date=date(2026, 3, 1), kind="followup",
                    value=Decimal("0.22")),
    ])
    category = session.exec(select(Category).where(Category.code == "merchant_services")).one()
    session.add(Expense(program_id=program.id, date=date(2025, 7, 10), vendor="Agence Web Laval",
                        description="Boutique en ligne", category_id=category.id, invoice_number="F-1001",
                        amount_cents=250_000, gst_cents=12_500, qst_cents=24_938, eligible_cents=268_719,
                        merchant_id=ginette.id))
    session.flush()
    return {"program": program, "ginette": ginette, "grossiste": grossiste, "indicator": indicator}


def _count(session, model) -> int:
    return session.exec(select(sa.func.count()).select_from(model)).one()


def _all_audit_text(session) -> str:
    return json.dumps([(e.before, e.after) for e in session.exec(select(AuditEvent))], ensure_ascii=False)


def test_staff_listing_has_personal_columns(session, store):
    for user in (ADMIN, MANAGER, LOCAL_USER):
        rows = list_merchants(session, user=user, program_id=store["program"].id)
        assert [tuple(r) for r in rows] == [STAFF_COLUMNS] * 2
        assert [r["name"] for r in rows] == ["Boutique Chez Ginette", "Grossiste Nord"]
        assert rows[0]["neq"] == "1171234567" and rows[0]["contact_email"] == "ginette@chezginette.ca"


@pytest.mark.parametrize("user", READ_ONLY)
def test_funder_and_viewer_listing_has_no_personal_columns(session, store, user):
    rows = list_merchants(session, user=user, program_id=store["program"].id)
    assert [tuple(r) for r in rows] == [AGGREGATE_COLUMNS] * 2
    assert not set(PERSONAL_FIELDS + ("erased_at",)) & set(rows[0])
    text = json.dumps(rows, default=str)
    assert not any(value in text for value in PERSONAL_VALUES + ("Grossiste Nord",))
    assert rows[0] == {"id": store["ginette"].id, "sector": "retail", "size_band": "micro",
                       "municipality": "Laval", "enrolment_date": date(2025, 6, 2), "status": "supported"}


def test_listing_columns_by_role():
    assert listing_columns("admin") == listing_columns("manager") == STAFF_COLUMNS
    assert listing_columns("funder") == listing_columns("viewer") == AGGREGATE_COLUMNS
    assert listing_columns(None) == AGGREGATE_COLUMNS


def test_listing_filters(session, store):
    pid = store["program"].id

    def ids(**filters):
        return [r["id"] for r in list_merchants(session, user=FUNDER, program_id=pid, **filters)]

    g, n = store["ginette"].id, store["grossiste"].id
    assert ids(status="supported") == [g]
    assert ids(sector=["retail", "wholesale"]) == [g, n]
    assert ids(municipality="Terrebonne", size_band="medium") == [n]
    assert ids(status=[]) == []
    assert ids(limit=1, offset=1) == [n]
    assert list_merchants(session, user=FUNDER, program_id=pid + 1000) == []


def test_search_by_name_or_neq_is_for_staff(session, store):
    pid = store["program"].id
    assert [r["name"] for r in list_merchants(session, user=MANAGER, program_id=pid, search="ginette")] == [
        "Boutique Chez Ginette"]
    assert [r["name"] for r in list_merchants(session, user=MANAGER, program_id=pid, search="1171")] == [
        "Boutique Chez Ginette"]
    assert list_merchants(session, user=MANAGER, program_id=pid, search="100%") == []
    for user in READ_ONLY:
        with pytest.raises(MerchantError) as refused:
            list_merchants(session, user=user, program_id=pid, search="Ginette")
        assert refused.value.code == "search-personal"


def test_strangers_see_nothing(session, store):
    for call in (
        lambda: list_merchants(session, user="nobody@cqic.ca", program_id=store["program"].id),
        lambda: merchant_detail(session, store["ginette"].id, user="nobody@cqic.ca"),
    ):
        with pytest.raises(Forbidden):
            call()


def test_merchant_detail_for_staff(session, store):
    detail = merchant_detail(session, store["ginette"].id, user=MANAGER)
    assert detail["name"] == "Boutique Chez Ginette" and detail["contact_phone"] == "450 555-0101"
    assert [(m["indicator"], m["kind"], m["value"]) for m in detail["measurements"]] == [
        ("online_sales_share", "baseline", Decimal("0.05")),
        ("online_sales_share", "followup", Decimal("0.22"))]
    with pytest.raises(MerchantError) as missing:
        merchant_detail(session, 999_999, user=MANAGER)
    assert missing.value.code == "not-found"


@pytest.mark.parametrize("user", READ_ONLY)
def test_funder_and_viewer_cannot_see_edit_export_or_erase(session, store, user):
    merchant_id, pid = store["ginette"].id, store["program"].id
    before = (_count(session, Merchant), _count(session, AuditEvent), data_version(session))
    calls = (
        lambda: merchant_detail(session, merchant_id, user=user),
        lambda: update_merchant(session, merchant_id, user=user, status="completed"),
        lambda: create_merchant(session, user=user, program_id=pid, name="X", sector="retail",
                                size_band="micro", municipality="Laval", enrolment_date=date(2026, 1, 5),
                                status="reached"),
        lambda: export_personal_data(session, merchant_id, user=user),
        lambda: erase_personal_data(session, merchant_id, user=user),
    )
    for call in calls:
        with pytest.raises(Forbidden):
            call()
    assert (_count(session, Merchant), _count(session, AuditEvent), data_version(session)) == before
    session.refresh(store["ginette"])
    assert store["ginette"].name == "Boutique Chez Ginette" and store["ginette"].status == "supported"


def test_create_is_audited_without_personal_values(session, store):
    [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "merchant.create",
                                                    AuditEvent.entity_id == store["ginette"].id)).all()
    assert event.user == MANAGER and event.entity == "merchant" and event.before is None
    assert event.after == {"name": REDACTED, "neq": REDACTED, "contact_name": REDACTED,
                           "contact_email": REDACTED, "contact_phone": REDACTED, "sector": "retail",
                           "size_band": "micro", "municipality": "Laval", "enrolment_date": "2025-06-02",
                           "status": "supported"}
    assert not any(value in _all_audit_text(session) for value in PERSONAL_VALUES)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("neq", "12345", "invalid-neq"),
        ("neq", "11712345AB", "invalid-neq"),
        ("sector", "manufacturing", "invalid-choice"),
        ("size_band", "", "invalid-choice"),
        ("status", "dropped", "invalid-choice"),
        ("name", "   ", "required"),
        ("municipality", "x" * 121, "too-long"),
        ("contact_email", "ginette at home", "invalid-email"),
        ("enrolment_date", "31/02/2026", "invalid-date"),
        ("enrolment_date", None, "required"),
        ("program_id", 1, "unknown-field"),
    ],
)
def test_invalid_values_are_refused_with_a_code(session, store, field, value, code):
    before = (_count(session, AuditEvent), data_version(session))
    with pytest.raises(MerchantError) as refused:
        update_merchant(session, store["ginette"].id, user=MANAGER, **{field: value})
    assert refused.value.code == code
    assert refused.value.message("fr") and refused.value.message("en")
    assert (_count(session, AuditEvent), data_version(session)) == before


def test_create_needs_an_existing_program(session, store):
    with pytest.raises(MerchantError) as refused:
        create_merchant(session, user=ADMIN, program_id=999_999, name="X", sector="retail", size_band="micro",
                        municipality="Laval", enrolment_date=date(2026, 1, 5), status="reached")
    assert refused.value.code == "unknown-program"


def test_update_is_audited_with_before_and_after(session, store):
    version = data_version(session)
    merchant = update_merchant(session, store["grossiste"].id, user=MANAGER, status="supported",
                               municipality="Laval", contact_phone="514 555-0199", sector="wholesale")
    assert (merchant.status, merchant.municipality, merchant.contact_phone) == (
        "supported", "Laval", "514 555-0199")
    [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "merchant.update")).all()
    assert (event.user, event.entity, event.entity_id) == (MANAGER, "merchant", store["grossiste"].id)
    # Only the fields that changed; a personal value is never copied into the trail.
    assert event.before == {"status": "reached", "municipality": "Terrebonne", "contact_phone": None}
    assert event.after == {"status": "supported", "municipality": "Laval", "contact_phone": REDACTED}
    assert data_version(session) == version + 1
    # The same values again: nothing changes, nothing is audited.
    update_merchant(session, store["grossiste"].id, user=MANAGER, status="supported")
    assert _count(session, AuditEvent) == 3  # two creations, one update


def test_export_personal_data(session, store):
    merchant_id = store["ginette"].id
    export = export_personal_data(session, merchant_id, user=MANAGER)
    json.dumps(export)  # JSON-able as it is, for the download
    assert export["merchant_id"] == merchant_id and export["program"] == "CQIC"
    assert export["exported_by"] == MANAGER
    assert export["personal_information"] == {
        "name": "Boutique Chez Ginette", "neq": "1171234567", "contact_name": "Ginette Lavoie",
        "contact_email": "ginette@chezginette.ca", "contact_phone": "450 555-0101"}
    assert export["profile"] == {"sector": "retail", "size_band": "micro", "municipality": "Laval",
                                 "enrolment_date": "2025-06-02", "status": "supported"}
    assert [(m["kind"], m["value"]) for m in export["measurements"]] == [("baseline", "0.05"),
                                                                         ("followup", "0.22")]
    assert export["expenses"] == [{"date": "2025-07-10", "vendor": "Agence Web Laval",
                                   "description": "Boutique en ligne", "invoice_number": "F-1001",
                                   "amount_before_tax": "2500.00", "gst": "125.00", "qst": "249.38"}]
    assert [h["action"] for h in export["history"]] == ["merchant.create"]
    [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "merchant.export_personal")).all()
    assert (event.user, event.entity_id) == (MANAGER, merchant_id)
    assert not any(value in _all_audit_text(session) for value in PERSONAL_VALUES)


def test_erase_keeps_the_outcomes_and_is_audited(session, store):
    merchant_id = store["ginette"].id
    measurements = _count(session, Measurement)
    version = data_version(session)
    merchant = erase_personal_data(session, merchant_id, user=MANAGER)
    assert merchant.name == f"Commerçant anonymisé #{merchant_id}"
    assert (merchant.neq, merchant.contact_name, merchant.contact_email, merchant.contact_phone) == (
        None, None, None, None)
    assert merchant.erased_at is not None and merchant.erased_at.tzinfo is not None
    # The outcomes stay: status, profile, measurements and the linked expense.
    assert (merchant.status, merchant.sector, merchant.municipality) == ("supported", "retail", "Laval")
    assert _count(session, Measurement) == measurements == 2
    assert session.exec(select(Expense.merchant_id)).all() == [merchant_id]
    assert data_version(session) == version + 1
    [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "merchant.erase_personal")).all()
    assert (event.user, event.entity, event.entity_id) == (MANAGER, "merchant", merchant_id)
    assert event.before == dict.fromkeys(PERSONAL_FIELDS, REDACTED)
    assert {k: v for k, v in event.after.items() if k != "erased_at"} == {
        "name": f"Commerçant anonymisé #{merchant_id}", "neq": None, "contact_name": None,
        "contact_email": None, "contact_phone": None, "expenses_redacted": 0, "rows_redacted": 0}
    assert event.after["erased_at"].startswith(merchant.erased_at.date().isoformat())
    # Nothing personal remains anywhere in the store's merchants or audit trail.
    session.expire_all()
    stored = json.dumps([list(r) for r in session.execute(sa.select(Merchant.__table__)).all()], default=str)
    assert not any(value in stored + _all_audit_text(session) for value in PERSONAL_VALUES)
    export = export_personal_data(session, merchant_id, user=ADMIN)
    assert export["personal_information"]["contact_email"] is None and export["erased_at"]


def test_erased_stays_erased(session, store):
    merchant_id = store["ginette"].id
    erase_personal_data(session, merchant_id, user=ADMIN)
    events = _count(session, AuditEvent)
    erase_personal_data(session, merchant_id, user=ADMIN)  # a second erasure changes nothing
    assert _count(session, AuditEvent) == events
    with pytest.raises(MerchantError) as refused:
        update_merchant(session, merchant_id, user=ADMIN, contact_email="ginette@chezginette.ca")
    assert refused.value.code == "erased"
    assert update_merchant(session, merchant_id, user=ADMIN, status="completed").status == "completed"
    rows = list_merchants(session, user=FUNDER, program_id=store["program"].id, status="completed")
    assert [r["id"] for r in rows] == [merchant_id]


def test_erase_redacts_the_name_in_every_expense(session, store):
    program_id, merchant_id = store["program"].id, store["ginette"].id
    category_id = session.exec(select(Expense.category_id)).first()
    session.add(Expense(program_id=program_id, date=date(2025, 8, 1), vendor="Studio Photo",
                        description="Photos — Boutique Chez Ginette (vitrine)", category_id=category_id,
                        amount_cents=10000, eligible_cents=10000, merchant_id=merchant_id))
    # Not linked to her, in capitals and without the accent-free spacing: her name goes there too (Law 25:
    # an erasure leaves nothing behind), the rest of the text stays.
    session.add(Expense(program_id=program_id, date=date(2025, 8, 2), vendor="Imprimerie",
                        description="Affiche BOUTIQUE CHEZ GINETTE", category_id=category_id,
                        amount_cents=5000, eligible_cents=5000))
    session.flush()
    erase_personal_data(session, merchant_id, user=ADMIN)
    session.expire_all()
    texts = dict(session.execute(sa.select(Expense.amount_cents, Expense.description)).all())
    assert texts[10000] == f"Photos — Commerçant anonymisé #{merchant_id} (vitrine)"
    assert texts[5000] == f"Affiche Commerçant anonymisé #{merchant_id}"
    [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "merchant.erase_personal")).all()
    assert event.after["expenses_redacted"] == 2


def test_staff_listing_in_french_alphabetical_order(session, store):
    program_id = store["program"].id
    for name in ("Bergeron Quincaillerie", "Bélanger Fleuriste", "boulangerie Azur"):
        create_merchant(session, user=ADMIN, program_id=program_id, name=name, sector="retail",
                        size_band="micro", municipality="Laval", enrolment_date=date(2025, 6, 1),
                        status="reached")
    names = [r["name"] for r in list_merchants(session, user=ADMIN, program_id=program_id)
             if r["name"].lower().startswith("b")]
    assert names == [
        "Bélanger Fleuriste", "Bergeron Quincaillerie", "boulangerie Azur", "Boutique Chez Ginette"]
