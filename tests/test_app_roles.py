"""The app per role, run as Streamlit runs it (AppTest) on the demo store, signed in through an identity
provider (st.user): each role sees exactly its pages; funders and viewers never receive a merchant's name,
NEQ or contact e-mail on any page they can open; an unknown e-mail is politely refused; and the Audit log
page (admins) shows an import and its undo, filters, pages and exports the trail in words."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from app_tools import USERS, everything_sent, expected_pages, open_page, page_files, rerun, sign_in
from import_helpers import HEADER_FR, taxed, xlsx
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from cqic_budget.audit_log import LOCAL_TZ, audit_events_csv
from cqic_budget.auth import ROLES, visible_pages
from cqic_budget.db import session_scope
from cqic_budget.i18n import format_money, format_percent, t
from cqic_budget.importing import service
from cqic_budget.importing.batches import undo_batch
from cqic_budget.models import AuditEvent, Merchant
from cqic_budget.settings_service import update_program_settings
from cqic_budget.setup import get_program
from cqic_budget.users import remove_user, set_role
from cqic_budget.views import audit as audit_views

# Fixtures (tests/conftest.py): store, demo_store (a copy of the demo template), fresh_caches,
# downloads.
pytestmark = [pytest.mark.usefixtures("fresh_caches"), pytest.mark.one_store]

AS_OF = date(2026, 10, 31)


# --- navigation per role --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_navigation_shows_exactly_the_pages_of_the_role(demo_users, role):
    at = sign_in(USERS[role])
    assert at.title[0].value == t("overview.title", "fr")  # every role lands on the Overview
    expected = expected_pages(role)
    assert "overview" in expected
    assert "overview" in page_files()  # never a loop over nothing
    opened = []
    for key in page_files():
        if key in expected:
            open_page(at, key)
            assert at.title, key
            opened.append(key)
        else:
            # Not in this role's navigation: AppTest knows only the pages st.navigation registered.
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(f"pages/{key}.py")
    assert opened == [key for key in page_files() if key in expected]


def test_the_audit_page_is_for_admins_only(demo_users):
    assert [role for role in ROLES if "audit" in visible_pages(role)] == ["admin"]
    for role in ("manager", "funder", "viewer"):
        with pytest.raises(ValueError):
            sign_in(USERS[role]).switch_page("pages/audit.py")


# --- personal information -------------------------------------------------------------------------------


def personal_values(engine) -> list[str]:
    """Every merchant's name, NEQ, contact e-mail and contact name in the store."""
    with session_scope(engine) as session:
        rows = session.exec(select(Merchant)).all()
        return [v for m in rows for v in (m.name, m.neq, m.contact_email, m.contact_name) if v]


def drill_into_merchant_services(at: AppTest) -> list[str]:
    """Point every drill-down of the page at the merchant services (their rows are about merchants) over
    the whole period, and return what the page sent each time."""
    sent = []
    keys = [box.key for box in at.selectbox if (box.key or "").endswith(".drill.category")]
    for key in keys:
        at.selectbox(key=key).set_value("merchant_services")
        period = at.selectbox(key=key.replace(".category", ".period"))
        if period.format_func("all") in period.options:  # the Milestones page drills per milestone
            period.set_value("all")
        rerun(at)
        sent.append(everything_sent(at))
    return sent


@pytest.mark.parametrize("role", ["funder", "viewer"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_funders_and_viewers_never_receive_personal_information(demo_users, role, lang):
    personal = personal_values(demo_users)
    assert len(personal) > 400  # 150 names, NEQs, e-mails and contact names
    at = sign_in(USERS[role], lang=lang)
    leaks = {}
    for key in expected_pages(role):
        open_page(at, key)
        for sent in [everything_sent(at), *drill_into_merchant_services(at)]:
            found = [value for value in personal if value in sent]
            if found:
                leaks.setdefault(key, found[:5])
    assert leaks == {}


def test_staff_do_see_personal_information(demo_users):
    """The check above can fail: the same walk finds names on the Merchants page for a manager."""
    at = open_page(sign_in(USERS["manager"]), "merchants")
    sent = everything_sent(at)
    assert sum(value in sent for value in personal_values(demo_users)) > 100


# --- sign-in refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_unknown_email_gets_the_polite_refusal_page(demo_users, lang):
    at = sign_in("inconnu@example.org", lang=lang)
    assert at.title[0].value == t("access.refusal.unknown-user.title", lang)
    assert at.markdown[0].value == t("access.refusal.unknown-user.body", lang, email="inconnu@example.org")
    assert not at.metric and not at.dataframe and not at.sidebar.radio
    assert page_files()  # never a loop over nothing
    # Asking for any page's address still runs the frame, which stops at the refusal.
    for key in page_files():
        open_page(at, key)
        assert [title.value for title in at.title] == [t("access.refusal.unknown-user.title", lang)]
        assert not at.metric and not at.dataframe


def test_a_user_whose_role_is_taken_away_is_refused_at_the_next_run(demo_users):
    at = sign_in(USERS["viewer"])
    assert at.title[0].value == t("overview.title", "fr")
    with session_scope(demo_users) as session:
        remove_user(session, USERS["viewer"], by=USERS["admin"])
    rerun(at)
    assert at.title[0].value == t("access.refusal.unknown-user.title", "fr")


# --- the Audit log page -----------------------------------------------------------------------------------


def workbook(*rows) -> bytes:
    return xlsx({"Dépenses": [["CQIC — novembre 2026"], HEADER_FR, *rows]})


def import_and_undo(engine) -> int:
    """A manager imports a small file; an admin undoes it. Returns the batch's id."""
    data = workbook(taxed(date(2026, 11, 30), "Fournitures Audit inc.", "120.00", "AUD-1"),
                    taxed(date(2026, 11, 27), "Fournitures Audit inc.", "80.00", "AUD-2"))
    outcome = service.import_file(engine, data, file_name="novembre-audit.xlsx", user=USERS["manager"])
    assert (outcome.status, outcome.rows_imported) == ("imported", 2)
    assert undo_batch(engine, outcome.batch_id, user=USERS["admin"]).ok
    return outcome.batch_id


def audit_table(at: AppTest):
    return at.dataframe[0].value


def open_audit(lang: str = "fr") -> AppTest:
    at = open_page(sign_in(USERS["admin"], lang=lang), "audit")
    assert at.title[0].value == t("audit_page.title", lang)
    return at


def test_an_import_and_its_undo_leave_their_trail_on_the_audit_page(demo_users):
    batch_id = import_and_undo(demo_users)
    at = open_audit()
    rows = audit_table(at)
    # Newest first: the undo, the import, the four users added, the demo.
    assert list(rows["Action"][:2]) == ["Importation annulée", "Importation de dépenses"]
    assert list(rows["Utilisateur"][:2]) == [USERS["admin"], USERS["manager"]]
    assert list(rows["Objet"][:2]) == [f"Lot d'importation n° {batch_id}"] * 2
    undo, imported = rows["Avant → après"][0], rows["Avant → après"][1]
    assert imported.startswith("Fichier\u00a0: novembre-audit.xlsx")
    assert "Lignes importées\u00a0: 2" in imported
    assert "SHA-256" not in imported  # the fingerprint is in the event in full only
    # 120 + 80 before taxes.
    assert f"Montant\u00a0: {format_money(200, 'fr')}" in imported
    assert "Statut\u00a0: importé → annulé" in undo
    assert f"Annulé par\u00a0: — → {USERS['admin']}" in undo
    assert "Dépenses retirées\u00a0: — → 2" in undo
    # Who and when: today in Québec, to the minute.
    today = date.today()
    assert all(str(when)[:10] in {today.isoformat(), (today - timedelta(days=1)).isoformat()}
               for when in rows["Date et heure"][:2])
    # 7 events + the demo's 15 claim and close events
    assert at.markdown[0].value == t("audit_page.count", "fr", count=22, page=1, pages=1)
    assert at.dataframe[0].value.shape == (22, 5)  # 7 + 15 of the demo's claims and close
    # newest first: the demo's load comes after its 14 claim events and its close
    demo = rows.iloc[-16]
    assert (demo["Action"], demo["Utilisateur"]) == (
        "Données de démonstration chargées", t("audit_page.local_user", "fr"))


def test_one_event_in_full(demo_users):
    import_and_undo(demo_users)
    at = open_audit()
    detail = at.selectbox(key="audit.detail")
    assert detail.value == at.session_state["audit.detail"]
    fields = at.dataframe[1].value.set_index("Champ")
    assert fields.loc["Statut", "Avant"] == "importé"
    assert fields.loc["Statut", "Après"] == "annulé"
    assert len(fields.loc["Empreinte SHA-256", "Après"]) == 64  # in full here, left out of the summary
    assert fields.loc["Fichier", "Avant"] == fields.loc["Fichier", "Après"] == "novembre-audit.xlsx"


def test_filters_on_action_entity_user_and_dates(demo_users):
    import_and_undo(demo_users)
    at = open_audit()
    at.multiselect(key="audit.action").set_value(["undo_import"])
    rerun(at)
    assert list(audit_table(at)["Action"]) == ["Importation annulée"]
    at.multiselect(key="audit.action").set_value([])
    at.multiselect(key="audit.entity").set_value(["user"])
    rerun(at)
    assert list(audit_table(at)["Action"]) == ["Utilisateur ajouté"] * 4
    at.multiselect(key="audit.entity").set_value([])
    at.selectbox(key="audit.user").set_value(USERS["manager"])
    rerun(at)
    assert list(audit_table(at)["Action"]) == ["Importation de dépenses"]
    at.selectbox(key="audit.user").set_value("")
    today = date.today()
    at.date_input(key="audit.until").set_value(today - timedelta(days=2))
    rerun(at)
    assert not at.dataframe and [i.value for i in at.info] == [t("audit_page.empty", "fr")]
    assert at.get("download_button")[0].proto.disabled
    at.date_input(key="audit.since").set_value(today + timedelta(days=1))
    rerun(at)
    assert [i.value for i in at.info] == [t("audit_page.bad_range", "fr")]
    at.date_input(key="audit.until").set_value(None)
    at.date_input(key="audit.since").set_value(today - timedelta(days=1))
    rerun(at)
    # the demo (1), its 14 claim events and its close of 2025-2026 (15), four users, the import, the undo
    assert len(audit_table(at)) == 22


def test_pages_of_fifty_newest_first(demo_users):
    with session_scope(demo_users) as session:
        for i in range(60):
            set_role(session, USERS["viewer"], "funder" if i % 2 == 0 else "viewer", by=USERS["admin"])
    at = open_audit("en")
    # 60 role changes, 4 users, the demo and its 15 claim and close events: 80
    assert at.markdown[0].value == t("audit_page.count", "en", count=80, page=1, pages=2)
    assert len(audit_table(at)) == 50
    assert audit_table(at)["Before → after"][0] == (
        f"E-mail: {USERS['viewer']} · Role: Funder → Viewer")
    at.get("pagination")[0].set_value(2)
    rerun(at)
    assert at.markdown[0].value == t("audit_page.count", "en", count=80, page=2, pages=2)
    oldest = list(audit_table(at)["Action"])
    # oldest last: the users added, the demo, its close of 2025-2026, its claims' events
    assert oldest[-20:-16] == ["User added"] * 4
    assert oldest[-16:-14] == ["Demo data loaded", "Fiscal year closed"]
    assert oldest[-1] == "Claim created"


def test_settings_edits_are_shown_in_dollars_and_words(demo_users):
    with session_scope(demo_users) as session:
        program = get_program(session)
        update_program_settings(session, program.id, {"budget_total": "2200000", "quebec_rate": "0.45"},
                                user=USERS["admin"])
    at = open_audit("en")
    change = audit_table(at)["Before → after"][0]
    assert audit_table(at)["Action"][0] == "Program settings changed"
    assert f"Total budget: {format_money(2_100_000, 'en')} → {format_money(2_200_000, 'en')}" in change
    old, new = (format_percent(Decimal(rate), "en", digits=0) for rate in ("0.50", "0.45"))
    assert f"Québec funding rate: {old} → {new}" in change


def test_the_csv_export_is_every_filtered_event(demo_users):
    import_and_undo(demo_users)
    at = open_audit()
    at.multiselect(key="audit.action").set_value(["import", "undo_import"])
    rerun(at)
    button = at.get("download_button")[0]
    assert not button.proto.disabled and button.label == t("audit_page.export", "fr")
    # The button builds the file on click with the page's filters (audit_ui.csv_export).
    chosen = audit_views.AuditFilters(actions=("import", "undo_import"))
    with session_scope(demo_users) as session:
        data = audit_events_csv(session, user=USERS["admin"], lang="fr", **chosen.query())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert [r[2] for r in rows[1:]] == ["undo_import", "import"]
    assert [r[1] for r in rows[1:]] == [USERS["admin"], USERS["manager"]]


def test_audit_times_are_quebec_time(demo_users):
    """An event written at 03:30 UTC on 1 November is 23:30 on 31 October in Québec (EDT, UTC−4)."""
    from datetime import UTC, datetime

    with session_scope(demo_users) as session:
        session.add(AuditEvent(at=datetime(2026, 11, 1, 3, 30, tzinfo=UTC), user=USERS["admin"],
                               action="program.settings", entity="program", entity_id=1,
                               before={"holdback_rate": "0.10"}, after={"holdback_rate": "0.05"}))
    with session_scope(demo_users) as session:
        view = audit_views.build_events(session, user=USERS["admin"], lang="fr",
                                     filters=audit_views.AuditFilters(actions=("program.settings",)))
    assert list(view.table["Date et heure"]) == ["2026-10-31 23:30"]
    ten, five = (format_percent(Decimal(rate), "fr", digits=0) for rate in ("0.10", "0.05"))
    assert list(view.table["Avant → après"]) == [f"Retenue\u00a0: {ten} → {five}"]
    assert datetime(2026, 11, 1, 3, 30, tzinfo=UTC).astimezone(LOCAL_TZ).hour == 23


def test_no_store_change_from_opening_the_audit_page(demo_users):
    with demo_users.connect() as conn:
        before = conn.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar_one()
    open_audit()
    with demo_users.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar_one() == before
