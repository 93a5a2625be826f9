"""The Merchants & impact page, run as Streamlit runs it (AppTest) on the demo store, in French and English.

Every figure shown must equal the impact functions' value formatted by cqic_budget.i18n; the filters apply
to every figure; a funder or a viewer never receives a merchant's name, NEQ or e-mail; staff open a
merchant's own page, add and edit merchants, export and erase personal information.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from app_tools import AUTH_SECRETS, DASHBOARD, everything_sent
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from cqic_budget.auth import LOCAL_USER
from cqic_budget.db import session_scope
from cqic_budget.i18n import format_money, format_number, format_percent, t
from cqic_budget.merchants import ANONYMISED_NAME
from cqic_budget.metrics.facts import load_facts
from cqic_budget.metrics.impact import (
    OTHER_GROUPS,
    changes_of_merchant,
    impact,
    load_impact_facts,
    merchant_expenses,
)
from cqic_budget.models import AuditEvent, Merchant
from cqic_budget.money import share
from cqic_budget.setup import get_program
from cqic_budget.ui.merchants import EXPORT_KEY, SELECTED_KEY
from cqic_budget.users import add_user
from cqic_budget.views.merchants import FILTER_KEYS, indicator_value

# Fixtures (tests/conftest.py): store, demo_store (a copy of the demo template), fresh_caches.
pytestmark = [pytest.mark.usefixtures("fresh_caches"), pytest.mark.one_store]

PAGE = "pages/merchants.py"
AS_OF = date(2026, 10, 31)
FUNDER, VIEWER, MANAGER = "bailleur@meie.gouv.qc.ca", "lecteur@laval.ca", "gestion@cqic.ca"


def open_page(*, lang: str = "fr", user: str | None = None, as_of: date = AS_OF) -> AppTest:
    """The page in the local single-user mode (an admin), or signed in as `user` through an identity
    provider (st.user, as the Overview's tests do)."""
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params.update(lang=lang, as_of=as_of.isoformat())
    if user is not None:
        at.secrets["auth"] = AUTH_SECRETS
        at.user = {"is_logged_in": True, "email": user}
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == t("merchants_page.title", lang)
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics_shown(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def impact_facts(engine, as_of: date = AS_OF):
    with session_scope(engine) as session:
        program = get_program(session)
        return load_impact_facts(session, facts=load_facts(session, program_id=program.id, as_of=as_of))


def expected_kpis(engine, lang: str, where: dict | None = None) -> dict[str, tuple[str, str]]:
    """The eight cards, each from one impact figure, formatted as the page must show them."""
    ifacts = impact_facts(engine)
    result = impact(ifacts, where)
    counts = result.counts
    measured = {c.code: c.merchants for c in result.indicators}

    def money(value: Decimal | None) -> str:
        return format_money(value, lang, decimals=False)

    def of_target(count: int, target: int) -> str:
        return t("merchants_page.kpi.of_target", lang, share=format_percent(share(count, target), lang),
                 target=format_number(target, lang))

    jobs = format_number(result.jobs_created, lang)
    supported = format_number(counts.supported, lang)
    return {
        t("merchants_page.kpi.reached", lang): (format_number(counts.reached, lang),
                                                of_target(counts.reached, counts.target_reached)),
        t("merchants_page.kpi.supported", lang): (supported,
                                                  of_target(counts.supported, counts.target_supported)),
        t("merchants_page.kpi.completed", lang): (format_number(counts.completed, lang),
                                                  of_target(counts.completed, counts.target_completed)),
        t("merchants_page.kpi.cost", lang): (
            money(result.cost_per_merchant),
            t("merchants_page.kpi.cost_program_only", lang) if where
            else t("merchants_page.kpi.cost_note", lang, spent=money(ifacts.spent), supported=supported)),
        t("merchants_page.kpi.ecommerce", lang): (
            format_number(result.ecommerce_launched, lang),
            t("merchants_page.kpi.measured_twice", lang, count=measured["ecommerce_launched"])),
        t("merchants_page.kpi.jobs", lang): (
            f"+{jobs}" if result.jobs_created > 0 else jobs,
            t("merchants_page.kpi.measured_twice", lang, count=measured["jobs"])),
        t("merchants_page.kpi.direct", lang): (money(result.direct_spent),
                                               t("merchants_page.kpi.direct_note", lang)),
        t("merchants_page.kpi.direct_cost", lang): (
            money(result.direct_cost_per_merchant),
            t("merchants_page.kpi.direct_cost_note", lang, spent=money(result.direct_spent),
              supported=supported)),
    }


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def indicator_table(at: AppTest):
    return at.dataframe[0].value


def merchant_list(at: AppTest):
    return at.dataframe[1].value


def personal_values(engine) -> list[str]:
    with session_scope(engine) as session:
        rows = session.exec(select(Merchant)).all()
        return [v for m in rows for v in (m.name, m.neq, m.contact_email, m.contact_name) if v]


@pytest.fixture
def demo_users(demo_store):
    with session_scope(demo_store) as session:
        add_user(session, FUNDER, "funder", by=LOCAL_USER)
        add_user(session, VIEWER, "viewer", by=LOCAL_USER)
        add_user(session, MANAGER, "manager", by=LOCAL_USER)
    return demo_store


# --- figures ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_cards_equal_the_impact_functions(demo_store, lang):
    at = open_page(lang=lang)
    assert metrics_shown(at) == expected_kpis(demo_store, lang)
    assert at.caption[0].value.endswith(t("merchants_page.period", lang, name=t("merchants_page.title", lang),
                                          as_of=AS_OF.isoformat()).split(" · ")[-1])


def test_french_figures_by_hand(demo_store):
    """The demo at 2026-10-31, read as a French reader sees it."""
    shown = metrics_shown(open_page())
    # 150 merchants enrolled of a target of 300: 50,0 %; 102 supported of 150: 68,0 %; 45 completed of 100.
    assert shown["Commerçants rejoints"] == ("150", "50,0\u00a0% de la cible (300)")
    assert shown["Commerçants accompagnés"] == ("102", "68,0\u00a0% de la cible (150)")
    assert shown["Parcours terminés"] == ("45", "45,0\u00a0% de la cible (100)")
    # E ÷ 102 supported, E shown in the note
    cost, note = shown["Coût par commerçant"]
    spent, supported = note.removesuffix(" accompagnés").split(" ÷ ")
    assert supported == "102" and spent.endswith("\u00a0$") and cost.endswith("\u00a0$")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_indicator_table_equals_indicator_changes(demo_store, lang):
    at = open_page(lang=lang)
    table = indicator_table(at)
    changes = impact(impact_facts(demo_store)).indicators
    assert list(table[t("merchants_page.col.indicator", lang)]) == [c.name(lang) for c in changes]
    assert changes  # never a loop over nothing
    for row, change in zip(table.to_dict("records"), changes, strict=True):
        cell = {key: row[t(f"merchants_page.col.{key}", lang)] for key in (
            "measured", "baseline", "followup", "mean_change", "median_change", "improved")}
        assert cell["measured"] == format_number(change.merchants, lang)
        assert cell["baseline"] == indicator_value(change.baseline_mean, change.unit, lang)
        assert cell["followup"] == indicator_value(change.followup_mean, change.unit, lang)
        assert cell["mean_change"] == indicator_value(change.mean_change, change.unit, lang, change=True)
        assert cell["median_change"] == indicator_value(change.median_change, change.unit, lang, change=True)
        assert cell["improved"] == format_percent(change.share_improved, lang, digits=0)


def test_indicator_table_by_hand(demo_store):
    rows = {r["Indicateur"]: r for r in indicator_table(open_page()).to_dict("records")}
    lead_time = rows["Délai de traitement des commandes (jours)"]
    # Less is better: a mean change of −2,25 days reaches the −2 target.
    assert (lead_time["Cible"], lead_time["Atteinte"]) == ("-2,0", "Oui")
    sales = rows["Part des ventes en ligne"]
    # A share of sales in points: 3,0 % -> 11,2 %, +8,2 pts against a +10,0 pts target: not met yet.
    assert (sales["Départ"], sales["Suivi"], sales["Variation moyenne"], sales["Atteinte"]) == (
        "3,0\u00a0%", "11,2\u00a0%", "+8,2 pts", "Non")


def test_funnel_and_improvement_charts(demo_store):
    at = open_page(lang="en")
    funnel, improved = charts(at)
    counts = impact(impact_facts(demo_store)).counts
    assert funnel["data"][0]["type"] == "funnel"
    assert funnel["data"][0]["y"] == ["Reached", "Supported", "Completed"]
    assert funnel["data"][0]["x"] == [counts.reached, counts.supported, counts.completed]
    assert funnel["layout"]["separators"] == ".,"
    changes = impact(impact_facts(demo_store)).indicators
    # The bars run bottom-up: the first indicator of the table is the top bar.
    assert improved["data"][0]["y"] == [c.name("en") for c in reversed(changes)]
    assert improved["data"][0]["x"] == [float(c.share_improved) for c in reversed(changes)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_filters_change_every_figure(demo_store, lang):
    at = open_page(lang=lang)
    whole = metrics_shown(at)
    whole_table = indicator_table(at)
    at.multiselect(key=FILTER_KEYS["sector"]).set_value(["wholesale"])
    rerun(at)
    where = {"sector": ("wholesale",)}
    shown = metrics_shown(at)
    assert shown == expected_kpis(demo_store, lang, where)
    assert shown != whole
    assert not indicator_table(at).equals(whole_table)
    counts = impact(impact_facts(demo_store), where).counts
    assert charts(at)[0]["data"][0]["x"] == [counts.reached, counts.supported, counts.completed]
    sectors = set(merchant_list(at)[t("merchants_page.list.sector", lang)])
    assert sectors == {t("merchants_page.short.sector.wholesale", lang)}

    # Several values of one filter, and a second filter: any of the towns, and the size band.
    at.multiselect(key=FILTER_KEYS["municipality"]).set_value(["Laval", "Montréal"])
    at.multiselect(key=FILTER_KEYS["size_band"]).set_value(["small", "medium"])
    rerun(at)
    where = {"sector": ("wholesale",), "size_band": ("small", "medium"),
             "municipality": ("Laval", "Montréal")}
    assert metrics_shown(at) == expected_kpis(demo_store, lang, where)
    assert len(merchant_list(at)) == impact(impact_facts(demo_store), where).counts.reached

    for key in FILTER_KEYS.values():
        at.multiselect(key=key).set_value([])
    assert metrics_shown(rerun(at)) == whole


def test_figures_follow_the_as_of_date(demo_store):
    shown = metrics_shown(open_page(as_of=date(2026, 3, 31)))
    with session_scope(demo_store) as session:
        program = get_program(session)
        ifacts = load_impact_facts(session, facts=load_facts(session, program_id=program.id,
                                                             as_of=date(2026, 3, 31)))
    reached = impact(ifacts).counts.reached
    assert reached < 150
    assert shown[t("merchants_page.kpi.reached", "fr")][0] == format_number(reached, "fr")


def test_an_empty_store_renders(store):
    at = open_page(as_of=date(2025, 6, 30))
    shown = metrics_shown(at)
    assert shown[t("merchants_page.kpi.supported", "fr")][0] == "0"
    assert shown[t("merchants_page.kpi.cost", "fr")][0] == "—"
    assert merchant_list(at).empty


# --- personal information (Law 25) ----------------------------------------------------------------------


@pytest.mark.parametrize("user", [FUNDER, VIEWER])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_funders_and_viewers_never_receive_personal_information(demo_users, user, lang):
    at = open_page(lang=lang, user=user)
    sent = everything_sent(at)
    personal = personal_values(demo_users)
    assert len(personal) > 400  # 150 names, NEQs, e-mails and contact names
    leaked = [value for value in personal if value in sent]
    assert leaked == []
    assert "@exemple.ca" not in sent
    columns = list(merchant_list(at).columns)
    assert t("merchants_page.list.name", lang) not in columns
    assert t("merchants_page.list.neq", lang) not in columns
    assert len(merchant_list(at)) == 150
    assert not at.selectbox  # no merchant's own page, no form
    assert not at.text_input
    # The aggregated figures are the same as staff see.
    assert metrics_shown(at) == expected_kpis(demo_users, lang)


def test_funders_filtered_list_stays_anonymous(demo_users):
    # Mascouche has fewer merchants than the smallest group a funder sees: it is among « Autres ».
    at = open_page(user=FUNDER)
    assert "Mascouche" not in at.multiselect(key=FILTER_KEYS["municipality"]).options
    at.multiselect(key=FILTER_KEYS["municipality"]).set_value([OTHER_GROUPS])
    rerun(at)
    assert 0 < len(merchant_list(at))
    sent = everything_sent(at)
    assert [v for v in personal_values(demo_users) if v in sent] == []
    assert "Mascouche" not in sent


@pytest.mark.parametrize("user", [None, MANAGER])
def test_staff_see_names_and_neq(demo_users, user):
    at = open_page(user=user)
    listing = merchant_list(at)
    with session_scope(demo_users) as session:
        merchants = session.exec(select(Merchant)).all()
        names = {m.name for m in merchants}
        neqs = {m.neq for m in merchants}
    assert set(listing["Nom"]) == names
    assert set(listing["NEQ"]) == neqs
    sent = everything_sent(at)
    assert len(names) >= 20
    assert all(name in sent for name in list(names)[:20])
    assert at.selectbox(key=SELECTED_KEY).options


# --- a merchant's own page (staff) --------------------------------------------------------------------


def a_measured_merchant(engine) -> Merchant:
    """A completed merchant with a baseline, a follow-up and expenses tied to it."""
    with session_scope(engine) as session:
        program = get_program(session)
        ifacts = load_impact_facts(session, facts=load_facts(session, program_id=program.id, as_of=AS_OF))
        for merchant in session.exec(select(Merchant).where(Merchant.status == "completed")
                                     .order_by(Merchant.id)).all():
            if changes_of_merchant(ifacts, merchant.id) and merchant_expenses(
                    session, program_id=program.id, merchant_id=merchant.id, as_of=AS_OF):
                session.expunge(merchant)
                return merchant
    raise AssertionError("the demo has completed merchants with expenses")


def open_merchant(at: AppTest, merchant_id: int) -> AppTest:
    at.selectbox(key=SELECTED_KEY).set_value(merchant_id)
    return rerun(at)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_merchants_own_page(demo_store, lang):
    merchant = a_measured_merchant(demo_store)
    at = open_merchant(open_page(lang=lang), merchant.id)
    assert merchant.name in [h.value.replace("\\", "") for h in at.subheader]
    assert any(merchant.neq in c.value for c in at.caption)
    with session_scope(demo_store) as session:
        program = get_program(session)
        spent = merchant_expenses(session, program_id=program.id, merchant_id=merchant.id, as_of=AS_OF)
    changes = changes_of_merchant(impact_facts(demo_store), merchant.id)
    # Tables after the indicator table and the list: before/after, measurements, expenses.
    before_after, measurements, expenses = (d.value for d in at.dataframe[2:5])
    assert len(before_after) == len(changes)
    assert len(measurements) >= 2 * len(changes)
    eligible = [format_money(e.eligible, lang) for e in spent]
    assert list(expenses[t("merchants_page.col.eligible", lang)]) == eligible
    total = format_money(sum((e.eligible for e in spent), Decimal(0)), lang)
    assert any(total in c.value for c in at.caption)


def test_export_personal_information(demo_store):
    merchant = a_measured_merchant(demo_store)
    at = open_merchant(open_page(), merchant.id)
    at.button(key=f"merchants.export_button.{merchant.id}").click()
    rerun(at)
    exported_id, payload = at.session_state[EXPORT_KEY]
    data = json.loads(payload)
    assert exported_id == merchant.id
    assert data["personal_information"]["name"] == merchant.name
    assert data["personal_information"]["neq"] == merchant.neq
    assert at.get("download_button")
    with session_scope(demo_store) as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "merchant.export_personal",
                                                       AuditEvent.entity_id == merchant.id)).all()
    assert len(events) == 1
    rerun(at)  # a rerun does not export again
    with session_scope(demo_store) as session:
        exported = AuditEvent.action == "merchant.export_personal"
        exports = session.exec(select(AuditEvent.id).where(exported)).all()
    assert len(exports) == 1


def test_erase_personal_information_after_confirmation(demo_store):
    merchant = a_measured_merchant(demo_store)
    at = open_merchant(open_page(), merchant.id)
    erase = at.button(key=f"merchants.erase_button.{merchant.id}")
    assert erase.disabled
    at.checkbox(key=f"merchants.erase_confirm.{merchant.id}").check()
    rerun(at)
    at.button(key=f"merchants.erase_button.{merchant.id}").click()
    rerun(at)
    assert [s.value for s in at.success] == [t("merchants_page.erased_done", "fr", id=merchant.id)]
    with session_scope(demo_store) as session:
        erased = session.get(Merchant, merchant.id)
        assert erased.name == ANONYMISED_NAME.format(id=merchant.id)
        assert erased.neq is None and erased.contact_email is None
    # Gone from the list, the choices and the merchant's own page (expense descriptions typed by staff
    # are the expenses' own text: the erasure does not rewrite them).
    anonymised = ANONYMISED_NAME.format(id=merchant.id)
    assert merchant.name not in set(merchant_list(at)["Nom"]) and anonymised in set(merchant_list(at)["Nom"])
    assert at.selectbox(key=SELECTED_KEY).value == merchant.id
    assert merchant.name not in " ".join(e.value for e in [*at.subheader, *at.caption, *at.markdown])
    assert not at.get("download_button")
    # The outcomes stay: the figures do not change.
    assert metrics_shown(at) == expected_kpis(demo_store, "fr")


def test_add_a_merchant_with_an_error_then_right(demo_store):
    at = open_page()
    before = metrics_shown(at)[t("merchants_page.kpi.reached", "fr")][0]
    at.text_input(key="merchants.new.name").input("Fromagerie du Test")
    at.text_input(key="merchants.new.neq").input("12345")
    at.text_input(key="merchants.new.municipality").input("Laval")
    at.date_input(key="merchants.new.enrolment_date").set_value(date(2026, 10, 1))
    at.button(key="FormSubmitter:merchants.new-" + t("merchants_page.create", "fr")).click()
    rerun(at)
    assert [e.value for e in at.error] == [t("access.merchants.invalid-neq", "fr", value="12345")]
    at.text_input(key="merchants.new.neq").input("1234567890")
    at.button(key="FormSubmitter:merchants.new-" + t("merchants_page.create", "fr")).click()
    rerun(at)
    assert not at.error
    with session_scope(demo_store) as session:
        created = session.exec(select(Merchant).where(Merchant.name == "Fromagerie du Test")).one()
        assert (created.neq, created.municipality, created.status) == ("1234567890", "Laval", "reached")
    assert [s.value for s in at.success] == [t("merchants_page.created", "fr", name="Fromagerie du Test",
                                               id=created.id)]
    # The new merchant counts at the next rerun (the data version was bumped).
    assert metrics_shown(at)[t("merchants_page.kpi.reached", "fr")][0] == str(int(before) + 1)


def test_required_field_is_named_in_the_readers_language(demo_store):
    at = open_page(lang="en")
    at.text_input(key="merchants.new.municipality").input("Laval")
    at.button(key="FormSubmitter:merchants.new-" + t("merchants_page.create", "en")).click()
    rerun(at)
    assert [e.value for e in at.error] == [t("access.merchants.required", "en", value="Business name")]


def test_a_manager_edits_a_merchant(demo_users):
    demo_store = demo_users
    merchant = a_measured_merchant(demo_store)
    at = open_merchant(open_page(user=MANAGER), merchant.id)
    prefix = f"merchants.edit.{merchant.id}"
    assert at.text_input(key=f"{prefix}.name").value == merchant.name
    at.text_input(key=f"{prefix}.municipality").input("Terrebonne")
    at.button(key=f"FormSubmitter:{prefix}-" + t("merchants_page.save", "fr")).click()
    rerun(at)
    assert [s.value for s in at.success] == [t("merchants_page.updated", "fr", name=merchant.name)]
    with session_scope(demo_store) as session:
        assert session.get(Merchant, merchant.id).municipality == "Terrebonne"
    assert "Terrebonne" in at.multiselect(key=FILTER_KEYS["municipality"]).options


def test_indicator_values_in_their_unit():
    d = Decimal
    # a mean of fractions is a percent, its change in points; one merchant's bool is yes or no
    assert indicator_value(d("0.0815"), "percent", "fr", change=True) == "+8,2 pts"
    assert indicator_value(d("0.288"), "bool", "en") == "28.8%"
    assert indicator_value(d(1), "bool", "fr", single=True) == "Oui"
    assert indicator_value(d(1), "bool", "en", change=True, single=True) == "+1"
    # counts: a mean keeps one decimal, one merchant's whole count none
    assert indicator_value(d("-2"), "count", "fr", change=True) == "-2,0"
    assert indicator_value(d("9"), "count", "fr", single=True) == "9"
    assert indicator_value(d("2500"), "cad", "fr", change=True) == "+2\u00a0500\u00a0$"
    assert indicator_value(None, "score", "fr") == "—"
