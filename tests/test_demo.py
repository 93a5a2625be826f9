"""demo: the deterministic demo data set, on SQLite and PostgreSQL (issue 2, deliverable 4)."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlmodel import select

from cqic_budget.auth import Forbidden
from cqic_budget.cli import main
from cqic_budget.db import data_version, make_engine, session_scope
from cqic_budget.demo import DEMO_ACTION, DEMO_END, DEMO_START, DemoConflict, load_demo
from cqic_budget.models import (
    AuditEvent,
    BudgetLine,
    Category,
    Contribution,
    Expense,
    Funder,
    Indicator,
    Measurement,
    Merchant,
    Milestone,
)
from cqic_budget.money import GST_RATE, QST_RATE, eligible_cents, from_cents, round_cents
from cqic_budget.setup import get_program, init_store

D = Decimal
BUDGET_CENTS = 2_100_000_00
FY_END = date(2026, 3, 31)


@pytest.fixture
def demo(demo_readonly_session):
    """The demo as `load_demo` wrote it (the conftest's demo template is `init` + `load_demo`), read by the
    tests of this module from one store per backend."""
    return demo_readonly_session


def _scalar(session, stmt):
    return session.execute(stmt).scalar_one()


def _count(session, model) -> int:
    return _scalar(session, sa.select(sa.func.count()).select_from(model))


def _fingerprint(session) -> dict:
    """Counts, sums and a digest of every demo row that does not depend on generated ids."""
    merchant_names = dict(session.execute(sa.select(Merchant.id, Merchant.name)).all())
    category_codes = dict(session.execute(sa.select(Category.id, Category.code)).all())
    expense_rows = sorted(
        (e.date.isoformat(), e.vendor, e.description, category_codes[e.category_id], e.invoice_number,
         e.amount_cents, e.gst_cents, e.qst_cents, e.eligible_cents, e.eligible, e.ineligible_reason,
         merchant_names.get(e.merchant_id, ""))
        for e in session.exec(select(Expense))
    )
    indicator_codes = dict(session.execute(sa.select(Indicator.id, Indicator.code)).all())
    measurement_rows = sorted(
        (merchant_names[m.merchant_id], indicator_codes[m.indicator_id], m.date.isoformat(), m.kind,
         str(m.value))
        for m in session.exec(select(Measurement))
    )
    return {
        "expenses": len(expense_rows),
        "expense_digest": hashlib.sha256(repr(expense_rows).encode()).hexdigest(),
        "eligible": sum(row[8] for row in expense_rows),
        "measurement_digest": hashlib.sha256(repr(measurement_rows).encode()).hexdigest(),
        "merchants": sorted((m.name, m.neq, m.status, m.enrolment_date.isoformat(), m.contact_email)
                            for m in session.exec(select(Merchant))),
        "budget": sorted((b.fiscal_year, category_codes[b.category_id], b.amount_cents)
                         for b in session.exec(select(BudgetLine))),
        "milestones": sorted((m.due_date.isoformat(), m.planned_cumulative_cents, m.name_fr, m.status,
                              m.payment_cents) for m in session.exec(select(Milestone))),
        "contributions": sorted((c.received_date.isoformat(), c.amount_cents, c.in_kind, c.reference)
                                for c in session.exec(select(Contribution))),
    }


def test_two_loads_into_two_stores_give_the_same_data(demo, tmp_path):
    # The fixture's store (SQLite or PostgreSQL) against a second, fresh SQLite store.
    other = make_engine(f"sqlite:///{tmp_path / 'second.db'}")
    try:
        init_store(other)
        with session_scope(other) as session:
            assert load_demo(session) is True
        with session_scope(other) as session:
            second = _fingerprint(session)
    finally:
        other.dispose()
    assert _fingerprint(demo) == second


def test_loading_twice_changes_nothing(demo):
    before = {model.__name__: _count(demo, model)
              for model in (BudgetLine, Milestone, Contribution, Expense, Merchant, Indicator, Measurement)}
    version = data_version(demo)
    assert load_demo(demo) is False
    demo.flush()
    after = {model.__name__: _count(demo, model) for model in
             (BudgetLine, Milestone, Contribution, Expense, Merchant, Indicator, Measurement)}
    assert after == before
    assert data_version(demo) == version
    assert _scalar(demo, sa.select(sa.func.count()).select_from(AuditEvent)
                   .where(AuditEvent.action == DEMO_ACTION)) == 1


def test_the_load_is_audited_and_bumps_the_data_version(session):
    version = data_version(session)
    load_demo(session)
    session.flush()
    assert data_version(session) > version  # the load, its claims and the close of 2025-2026
    event = session.exec(select(AuditEvent).where(AuditEvent.action == DEMO_ACTION)).one()
    assert event.entity == "program" and event.entity_id == get_program(session).id
    assert event.after["expenses"] == _count(session, Expense)


def test_a_user_without_the_settings_right_is_refused_and_nothing_is_written(session):
    with pytest.raises(Forbidden):
        load_demo(session, user="inconnu@exemple.ca")
    assert _count(session, Expense) == 0 and _count(session, Merchant) == 0


def test_the_demo_is_never_mixed_with_a_programs_own_data(session):
    program = get_program(session)
    session.add(Merchant(program_id=program.id, name="Vrai commerce", sector="retail", size_band="micro",
                         municipality="Laval", enrolment_date=date(2025, 6, 1), status="reached"))
    session.flush()
    with pytest.raises(DemoConflict):
        load_demo(session)
    assert _count(session, Expense) == 0


def test_budget_lines_add_up_to_the_budget_over_three_fiscal_years(demo):
    lines = demo.execute(
        sa.select(BudgetLine.fiscal_year, Category.code, BudgetLine.amount_cents)
        .join(Category, Category.id == BudgetLine.category_id)
    ).all()
    assert {fy for fy, _, _ in lines} == {"2025-2026", "2026-2027", "2027-2028"}
    assert sum(amount for _, _, amount in lines) == BUDGET_CENTS == get_program(demo).budget_total_cents
    assert "unclassified" not in {code for _, code, _ in lines}
    assert len({code for _, code, _ in lines}) == 7
    admin = sum(amount for _, code, amount in lines if code == "administration")
    assert admin <= BUDGET_CENTS // 10  # 180 000 $ ≤ 10 % of 2 100 000 $


def test_milestones_increase_to_the_budget_and_tie_meie_payments(demo):
    program = get_program(demo)
    milestones = demo.exec(select(Milestone).order_by(Milestone.due_date)).all()
    assert 6 <= len(milestones) <= 8
    planned = [m.planned_cumulative_cents for m in milestones]
    assert planned == sorted(planned) and len(set(planned)) == len(planned)
    assert planned[-1] == BUDGET_CENTS and milestones[-1].due_date == program.end_date
    meie = demo.exec(select(Funder).where(Funder.kind == "quebec")).one()
    # MEIE pays claims; the payments of claims 1-3 are tied to milestones 2-4, later ones are planned
    assert all(m.payment_funder_id == meie.id for m in milestones[1:]) and milestones[0].payment_cents is None
    assert sum(m.payment_cents or 0 for m in milestones) <= meie.committed_cents  # at most 1 050 000 $
    for m in milestones:
        assert (m.status == "achieved") == (m.due_date <= DEMO_END)
        assert (m.achieved_date is not None) == (m.status == "achieved")
        assert m.name_fr and m.name_en and m.name_fr != m.name_en
    assert any(m.achieved_date and m.achieved_date > m.due_date for m in milestones)  # some were late
    assert any("Lille" in m.name_fr for m in milestones)


def test_contributions_meie_versements_partners_and_in_kind(demo):
    rows = demo.execute(
        sa.select(Funder.name, Funder.kind, Contribution).join(Funder, Funder.id == Contribution.funder_id)
    ).all()
    assert all(c.received_date <= DEMO_END for _, _, c in rows)
    meie = sorted((c for _, kind, c in rows if kind == "quebec"), key=lambda c: c.received_date)
    assert [c.reference for c in meie] == [f"Réclamation {i}" for i in range(1, len(meie) + 1)]
    assert all(c.claim_id is not None for c in meie)
    assert meie  # never a loop over nothing
    for c in meie:
        milestone = demo.get(Milestone, c.milestone_id)
        assert c.amount_cents == milestone.payment_cents and milestone.status == "achieved"
        assert c.received_date >= milestone.achieved_date  # paid once the milestone is reached
    names = {name for name, _, _ in rows}
    assert {"Ville de Laval", "TechnoMontréal", "Partenaires privés"} <= names
    in_kind = [c for name, _, c in rows if name.startswith("PICOM")]
    assert in_kind and all(c.in_kind for c in in_kind)
    assert not any(c.in_kind for name, _, c in rows if not name.startswith("PICOM"))


def _sum_cents(session, *where) -> int:
    return _scalar(session, sa.select(sa.func.coalesce(sa.func.sum(Expense.eligible_cents), 0)).where(*where))


def _received(session, day: date, *where) -> int:
    stmt = (sa.select(sa.func.coalesce(sa.func.sum(Contribution.amount_cents), 0))
            .join(Funder, Funder.id == Contribution.funder_id)
            .where(Contribution.received_date <= day, *where))
    return _scalar(session, stmt)


def test_cofinancing_is_designed_to_watch_not_breach(demo):
    """Hand-checked from the sums, independently of cqic_budget.metrics."""
    admin_id = demo.exec(select(Category.id).where(Category.code == "administration")).one()
    for day in (FY_END, DEMO_END):
        spent = _sum_cents(demo, Expense.date <= day)
        quebec = _received(demo, day, Funder.kind == "quebec")
        partners = _received(demo, day, Funder.kind != "quebec")
        public = _received(demo, day, Funder.is_public_aid.is_(True))
        admin = _sum_cents(demo, Expense.date <= day, Expense.category_id == admin_id)
        assert partners >= spent / 2  # partners' match: (1 − 0.50) × E
        assert public < D("0.76") * spent  # stacking under 95 % of the 80 % cap
        assert admin < D("0.09") * spent  # administration under 90 % of the 10 % cap
        # MEIE pays approved claims, at most 50 % of the eligible spend claimed
        assert quebec <= spent / 2


def test_expenses_dates_volume_and_pace(demo):
    assert 2_500 <= _count(demo, Expense) <= 4_000
    first, last = demo.execute(sa.select(sa.func.min(Expense.date), sa.func.max(Expense.date))).one()
    assert DEMO_START <= first and last <= DEMO_END
    spent = from_cents(_sum_cents(demo))
    assert D("900000") <= spent <= D("1150000")
    # Ramping up: the first quarter spends well under the last one.
    first_quarter = _sum_cents(demo, Expense.date <= date(2025, 6, 30))
    last_quarter = _sum_cents(demo, Expense.date >= date(2026, 8, 1))
    assert first_quarter < D("0.7") * last_quarter
    assert _scalar(demo, sa.select(sa.func.count()).where(Expense.batch_id.is_not(None))) == 0


def test_every_eligible_cost_and_tax_is_computed_per_row(demo):
    rate = get_program(demo).tax_recovery_rate
    expenses = demo.exec(select(Expense)).all()
    assert len(expenses) >= 2_500  # never a loop over nothing
    for e in expenses:
        amount = from_cents(e.amount_cents)
        if e.gst_cents or e.qst_cents:
            assert from_cents(e.gst_cents) == round_cents(amount * GST_RATE)
            assert from_cents(e.qst_cents) == round_cents(amount * QST_RATE)
        assert e.eligible_cents == eligible_cents(e.amount_cents, e.gst_cents, e.qst_cents, rate,
                                                  eligible=e.eligible)


def test_the_monthly_rent_worked_by_hand(demo):
    # 1 750,00 $ + TPS 5 % = 87,50 $ + TVQ 9,975 % = 174,5625 → 174,56 $; with r = 0.5:
    # 1 750,00 + 87,50 × 0.5 + 174,56 × 0.5 = 1 750,00 + 43,75 + 87,28 = 1 881,03 $
    rent = demo.exec(select(Expense).where(Expense.invoice_number == "LOY-202510")).one()
    cents = (rent.amount_cents, rent.gst_cents, rent.qst_cents, rent.eligible_cents)
    assert cents == (175000, 8750, 17456, 188103)


def test_salaries_carry_no_tax_and_are_monthly(demo):
    salaries = demo.execute(
        sa.select(Expense.date, Expense.gst_cents, Expense.qst_cents)
        .join(Category, Category.id == Expense.category_id).where(Category.code == "salaries")
    ).all()
    assert salaries and all(gst == 0 and qst == 0 for _, gst, qst in salaries)
    assert len({(day.year, day.month) for day, _, _ in salaries}) == 19  # April 2025 to October 2026


def test_some_rows_are_ineligible_with_a_reason_and_some_are_credit_notes(demo):
    ineligible = demo.exec(select(Expense).where(Expense.eligible.is_(False))).all()
    assert len(ineligible) >= 10
    assert all(e.eligible_cents == 0 and e.ineligible_reason for e in ineligible)
    reasons = {e.ineligible_reason for e in ineligible}
    assert {"Alcool lors d'un événement", "Amende de stationnement"} <= reasons
    reasoned = select(Expense).where(Expense.eligible.is_(True), Expense.ineligible_reason != "")
    assert not demo.exec(reasoned).all()
    credits = demo.exec(select(Expense).where(Expense.amount_cents < 0)).all()
    assert len(credits) >= 3 and all(e.eligible_cents < 0 for e in credits)
    assert all(e.gst_cents <= 0 and e.qst_cents <= 0 for e in credits)


def test_the_lille_mission_and_merchant_services(demo):
    lille = demo.exec(select(Expense).where(Expense.description.contains("Lille"))).all()
    assert len(lille) >= 10 and all(e.date.year == 2026 for e in lille)
    services = demo.execute(
        sa.select(Expense.merchant_id).join(Category, Category.id == Expense.category_id)
        .where(Category.code == "merchant_services")
    ).scalars().all()
    linked = [m for m in services if m is not None]
    assert len(linked) > 0.8 * len(services)
    statuses = dict(demo.execute(sa.select(Merchant.id, Merchant.status)).all())
    assert {statuses[m] for m in linked} <= {"supported", "completed"}


def test_merchants(demo):
    merchants = demo.exec(select(Merchant)).all()
    assert 140 <= len(merchants) <= 160
    status = Counter(m.status for m in merchants)
    assert status["supported"] + status["completed"] >= 100 and 40 <= status["completed"] <= 50
    assert status["reached"] > 0
    assert len({m.name for m in merchants}) == len(merchants)
    neqs = [m.neq for m in merchants]
    assert len(set(neqs)) == len(neqs)
    assert all(len(n) == 10 and n.isdigit() and n[:2] in {"11", "22", "33"} for n in neqs)
    assert all(m.contact_email.endswith("@exemple.ca") and "555-01" in m.contact_phone for m in merchants)
    towns = Counter(m.municipality for m in merchants)
    assert towns.most_common(1)[0][0] == "Laval" and len(towns) >= 6
    assert {m.sector for m in merchants} == {"retail", "wholesale"}
    assert {m.size_band for m in merchants} == {"micro", "small", "medium"}
    assert all(DEMO_START <= m.enrolment_date <= DEMO_END for m in merchants)


def test_indicators_and_measurements(demo):
    indicators = {i.code: i for i in demo.exec(select(Indicator))}
    assert {"online_sales_share", "ecommerce_launched", "jobs", "digital_maturity", "monthly_revenue",
            "order_lead_time_days"} <= set(indicators)
    assert all(i.target is not None for i in indicators.values())
    assert indicators["order_lead_time_days"].direction == "down"
    merchants = {m.id: m for m in demo.exec(select(Merchant))}
    assert len(merchants) == 150  # never a loop over nothing
    measured: dict[int, dict[str, set[str]]] = {}
    for m in demo.exec(select(Measurement)):
        merchant = merchants[m.merchant_id]
        assert merchant.enrolment_date <= m.date <= DEMO_END
        if m.kind == "baseline":
            assert m.date == merchant.enrolment_date
        measured.setdefault(m.merchant_id, {}).setdefault(m.kind, set()).add(m.indicator_id)
    all_ids = {i.id for i in indicators.values()}
    for merchant in merchants.values():
        kinds = measured.get(merchant.id, {})
        if merchant.status == "reached":
            assert not kinds
        else:
            assert kinds["baseline"] == all_ids
        if merchant.status == "completed":
            assert kinds["followup"] == all_ids
    assert any("followup" in measured.get(m.id, {}) for m in merchants.values() if m.status == "supported")
    # Mostly improving, some not: digital maturity, baseline -> follow-up.
    values = {(m.merchant_id, m.kind): m.value for m in demo.exec(
        select(Measurement).where(Measurement.indicator_id == indicators["digital_maturity"].id))}
    followed = [mid for (mid, kind) in values if kind == "followup"]
    better = sum(1 for mid in followed if values[(mid, "followup")] > values[(mid, "baseline")])
    assert 0.6 * len(followed) <= better < len(followed)


def test_init_demo_from_the_command_line(db_url, monkeypatch, capsys):
    monkeypatch.setenv("CQIC_DATABASE_URL", db_url)
    assert main(["init", "--demo"]) == 0
    assert "demo data loaded" in capsys.readouterr().out
    assert main(["init", "--demo"]) == 0
    assert "already present" in capsys.readouterr().out
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            assert 2_500 <= _count(session, Expense) <= 4_000
            assert _count(session, Merchant) == 150
    finally:
        engine.dispose()


def test_the_summary_shows_a_watch_and_no_breach_on_2026_10_31(demo):
    from cqic_budget.metrics.summary import compute_summary

    summary = compute_summary(demo, as_of=DEMO_END)
    statuses = Counter(c.status for c in summary.checks)
    assert statuses["breach"] == 0
    # Québec pays claims: 128 768,84 + 180 000 + 112 468,82 = 421 237,66 received of 1 136 511,93 spent
    # (PICOM's 75 000 in kind included) = 37,1 % ≤ 50 %; what is beyond is in the budget lines (marketing
    # and merchant services of 2025-2026 beyond their lines + 10 %)
    assert (summary.quebec_received, summary.spent) == (D("421237.66"), D("1136511.93"))
    assert next(c for c in summary.checks if c.code == "quebec_share").status == "ok"
    assert {(b.fiscal_year, b.category) for b in summary.budget_lines if b.status == "breach"} == {
        ("2025-2026", "marketing"), ("2025-2026", "merchant_services")}
    assert summary.budget_total == D("2100000.00")
    assert summary.merchants_supported == 102
    print(f"\nspent {summary.spent} · ineligible {summary.ineligible}"
          f" · Québec share {summary.quebec_share:.4f} · claimable {summary.quebec_claimable}"
          f" · partners {summary.partner_received}"
          f" · public aid {summary.public_aid_share:.4f} · admin {summary.admin_share:.4f}")
