"""metrics.cofinancing: Québec share and entitlement, partners' match, stacking, admin costs, checks."""

from datetime import date
from decimal import Decimal

from factories import cqic_facts

from cqic_budget.i18n import format_money
from cqic_budget.metrics.cofinancing import (
    admin_share,
    claimable_now,
    cofinancing_checks,
    funder_positions,
    partner_match,
    public_aid_share,
    quebec_entitlement,
    quebec_share,
    worst_status,
)
from cqic_budget.metrics.facts import ContributionFact, FunderFact, MonthlySpend, ProgramFacts

D = Decimal
QC, LAVAL, TECHNO, PICOM = 1, 2, 3, 4
FUNDERS = (
    FunderFact(QC, "Gouvernement du Québec (MEIE)", "quebec", True, D("1050000"), False),
    FunderFact(LAVAL, "Ville de Laval", "municipal", True, D("300000"), False),
    FunderFact(TECHNO, "TechnoMontréal", "private", False, D("250000"), False),
    FunderFact(PICOM, "PICOM", "private", False, D("150000"), True),
)
# Eligible spending: 2025-2026: 150 000 + 30 000 (administration) + 70 000 = 250 000; then 150 000 in
# August 2026: E = 400 000 at 2026-10-31.
MONTHLY = (
    MonthlySpend(date(2025, 6, 1), "salaries", D("150000"), D("0"), 10),
    MonthlySpend(date(2025, 11, 1), "administration", D("30000"), D("0"), 3),
    MonthlySpend(date(2026, 2, 1), "professional_fees", D("70000"), D("2500"), 4),
    MonthlySpend(date(2026, 8, 1), "salaries", D("150000"), D("0"), 10),
)
CONTRIBUTIONS = (
    ContributionFact(1, QC, date(2025, 5, 1), D("100000"), False, "Versement 1", None),
    ContributionFact(2, LAVAL, date(2025, 12, 1), D("60000"), False, "", None),
    ContributionFact(3, TECHNO, date(2026, 1, 15), D("40000"), False, "", None),
    ContributionFact(4, QC, date(2026, 6, 1), D("120000"), False, "Versement 2", None),
    ContributionFact(5, PICOM, date(2026, 9, 1), D("25000"), True, "Locaux", None),
)


def facts(**changes) -> ProgramFacts:
    return cqic_facts(date(2026, 10, 31), **{
        "monthly": MONTHLY, "funders": FUNDERS, "contributions": CONTRIBUTIONS, **changes})


def contribution(cid: int, funder: int, day: date, amount: str, in_kind: bool = False) -> ContributionFact:
    return ContributionFact(cid, funder, day, D(amount), in_kind, "", None)


def by_scope(checks, scope):
    return {c.code: c for c in checks if c.scope == scope}


def fr(amount: str) -> str:
    return format_money(D(amount), "fr")


def test_quebec_share_entitlement_and_claimable():
    f = facts()
    # Québec received 100 000 + 120 000 = 220 000 on E = 400 000: 220 000 / 400 000 = 0.55
    assert quebec_share(f) == D("0.55")
    # entitlement = min(0.50 × 400 000, 1 050 000) = 200 000; claimable = max(0, 200 000 − 220 000) = 0
    assert quebec_entitlement(f) == D("200000.00")
    assert claimable_now(f) == 0
    # at the end of 2025-2026: 100 000 / 250 000 = 0.40
    assert quebec_share(f, date(2026, 3, 31)) == D("0.4")


def test_claimable_now_keeps_the_holdback_until_the_final_report():
    # Only Versement 1 (100 000) received, E = 400 000: min(200 000, 1 050 000 × 0.90 = 945 000) − 100 000
    f = facts(contributions=CONTRIBUTIONS[:1])
    assert claimable_now(f) == D("100000.00")
    # E = 2 100 000: entitlement = min(1 050 000, 1 050 000) = 1 050 000, but the holdback keeps
    # 10 %: min(1 050 000, 945 000) − 800 000 received = 145 000
    big = facts(monthly=(MonthlySpend(date(2026, 8, 1), "salaries", D("2100000"), D("0"), 1),),
                contributions=(contribution(1, QC, date(2026, 9, 1), "800000"),))
    assert quebec_entitlement(big) == D("1050000.00")
    assert claimable_now(big) == D("145000.00")


def test_entitlement_is_capped_by_the_commitment_and_never_rounded_up():
    # E = 2 500 000: 0.50 × 2 500 000 = 1 250 000 > the 1 050 000 commitment
    f = facts(monthly=(MonthlySpend(date(2026, 8, 1), "salaries", D("2500000"), D("0"), 1),))
    assert quebec_entitlement(f) == D("1050000.00")
    # E = 1 000.01: 0.50 × 1 000.01 = 500.005 -> 500.00 (the cent below: Québec never pays above 50 %)
    f = facts(monthly=(MonthlySpend(date(2026, 8, 1), "salaries", D("1000.01"), D("0"), 1),))
    assert quebec_entitlement(f) == D("500.00")


def test_partner_match_cash_and_in_kind_apart():
    # required = (1 − 0.50) × 400 000 = 200 000; received: Laval 60 000 + TechnoMontréal 40 000 cash,
    # PICOM 25 000 in kind = 125 000; shortfall 75 000
    match = partner_match(facts())
    assert (match.required, match.received_cash, match.received_in_kind) == (D("200000"), D("100000"),
                                                                             D("25000"))
    assert (match.received, match.shortfall) == (D("125000"), D("75000"))


def test_stacking_counts_every_public_funder_including_the_city():
    # public aid = Québec 220 000 + Ville de Laval 60 000 = 280 000; 280 000 / 400 000 = 0.70
    assert public_aid_share(facts()) == D("0.7")


def test_admin_share_on_eligible_cost_or_on_salaries():
    # administration 30 000 / E 400 000 = 0.075
    assert admin_share(facts()) == D("0.075")
    # base salaries: 150 000 + 150 000 = 300 000; 30 000 / 300 000 = 0.10
    assert admin_share(facts(admin_base="salaries")) == D("0.1")


def test_checks_cumulative_and_at_each_fiscal_year_end():
    checks = cofinancing_checks(facts())
    # Cumulative at 2026-10-31 (inside 2026-2027), then the end of 2025-2026; 2026-2027 has not ended.
    assert {c.scope for c in checks} == {"cumulative", "2025-2026"}
    now, year_end = by_scope(checks, "cumulative"), by_scope(checks, "2025-2026")

    # Québec: 55 % inside the year is an advance (watch) of 220 000 − 200 000 = 20 000
    assert now["quebec_share"].status == "watch"
    assert now["quebec_share"].value == D("0.55")
    assert fr("20000") in now["quebec_share"].message_fr and "avance" in now["quebec_share"].message_fr
    assert "$20,000.00" in now["quebec_share"].message_en and "55.0%" in now["quebec_share"].message_en
    # At the end of 2025-2026: 100 000 / 250 000 = 40 % ≤ 50 %: ok
    assert year_end["quebec_share"].status == "ok"
    assert year_end["quebec_share"].day == date(2026, 3, 31)
    assert "40,0\u00a0%" in year_end["quebec_share"].message_fr

    # Partners: short by 75 000 inside the year: watch. At the end of 2025-2026: required
    # 0.50 × 250 000 = 125 000, received 60 000 + 40 000 = 100 000: 25 000 missing -> breach
    assert now["partner_match"].status == "watch"
    assert year_end["partner_match"].status == "breach"
    assert fr("25000") in year_end["partner_match"].message_fr
    assert "in kind" in now["partner_match"].message_en

    # Stacking: 70 % < 95 % × 80 % = 76 %: ok; end of 2025-2026: (100 000 + 60 000) / 250 000 = 64 %: ok
    assert now["stacking"].status == "ok" and year_end["stacking"].status == "ok"

    # Admin: 30 000 / 400 000 = 7.5 % < 90 % × 10 % = 9 %: ok; end of 2025-2026: 30 000 / 250 000 = 12 %
    # above the 10 % cap by 30 000 − 25 000 = 5 000: breach
    assert now["admin_costs"].status == "ok"
    assert year_end["admin_costs"].status == "breach"
    assert fr("5000") in year_end["admin_costs"].message_fr
    assert worst_status(checks) == "breach"


def test_quebec_advance_at_a_fiscal_year_end_is_a_breach():
    # A third payment of 60 000 on 2026-03-01: at the end of 2025-2026 Québec had paid
    # 100 000 + 60 000 = 160 000 on E = 250 000 = 64 % > 50 %: 160 000 − 125 000 = 35 000 too much
    f = facts(contributions=CONTRIBUTIONS + (contribution(6, QC, date(2026, 3, 1), "60000"),))
    year_end = by_scope(cofinancing_checks(f), "2025-2026")
    assert year_end["quebec_share"].status == "breach"
    assert fr("35000") in year_end["quebec_share"].message_fr
    # The same on the as-of date itself when it is a fiscal-year end
    f = facts(as_of=date(2026, 3, 31),
              contributions=CONTRIBUTIONS + (contribution(6, QC, date(2026, 3, 1), "60000"),))
    assert by_scope(cofinancing_checks(f), "cumulative")["quebec_share"].status == "breach"
    # ... but mid-year the same 64 % is an advance
    f = facts(as_of=date(2026, 3, 30),
              contributions=CONTRIBUTIONS + (contribution(6, QC, date(2026, 3, 1), "60000"),))
    checks = cofinancing_checks(f)
    assert {c.scope for c in checks} == {"cumulative"}
    assert checks[0].status == "watch"


def test_stacking_watch_near_the_cap_and_breach_above():
    # public aid 250 000 + 60 000 = 310 000 / 400 000 = 77.5 % ≥ 76 % (95 % of the 80 % cap): watch
    extra = contribution(6, QC, date(2026, 10, 1), "30000")
    now = by_scope(cofinancing_checks(facts(contributions=CONTRIBUTIONS + (extra,))), "cumulative")
    assert now["stacking"].status == "watch"
    # 80 % × 400 000 = 320 000; margin 10 000
    assert fr("10000") in now["stacking"].message_fr
    # public aid 330 000 / 400 000 = 82.5 % > 80 % on 2026-10-31, inside 2026-2027: above the cap by
    # 330 000 − 320 000 = 10 000, timing to watch (like the Québec share), not yet a breach
    extra = contribution(6, LAVAL, date(2026, 10, 1), "50000")
    now = by_scope(cofinancing_checks(facts(contributions=CONTRIBUTIONS + (extra,))), "cumulative")
    assert now["stacking"].status == "watch" and now["stacking"].value == D("0.825")
    assert fr("10000") in now["stacking"].message_fr and "en cours d'exercice" in now["stacking"].message_fr
    # the same share at the end of 2026-2027 (nothing spent or received after October) is a breach
    year_end = by_scope(cofinancing_checks(facts(contributions=CONTRIBUTIONS + (extra,),
                                                 as_of=date(2027, 3, 31))), "2026-2027")
    assert year_end["stacking"].status == "breach" and fr("10000") in year_end["stacking"].message_fr


def test_stacking_and_admin_above_the_cap_inside_a_year_are_watch_then_breach_at_its_end():
    # 2025-06-30: E = 150 000; Laval paid 150 000 up front: 150 000 / 150 000 = 100 % > 80 % -> watch
    early = (contribution(7, LAVAL, date(2025, 6, 1), "150000"),)
    now = by_scope(cofinancing_checks(facts(contributions=early, as_of=date(2025, 6, 30))), "cumulative")
    assert now["stacking"].status == "watch"
    # Admin: only administration spent in 2025-11: 30 000 / 30 000 = 100 % > 10 % inside the year -> watch
    admin_only = (MonthlySpend(date(2025, 11, 1), "administration", D("30000"), D("0"), 3),)
    f = facts(monthly=admin_only, contributions=(), as_of=date(2025, 11, 30))
    assert by_scope(cofinancing_checks(f), "cumulative")["admin_costs"].status == "watch"
    # ... and at the end of 2025-2026 (nothing else spent): still 100 % -> breach
    f = facts(monthly=admin_only, contributions=(), as_of=date(2026, 3, 31))
    assert by_scope(cofinancing_checks(f), "2025-2026")["admin_costs"].status == "breach"
    assert by_scope(cofinancing_checks(f), "cumulative")["admin_costs"].status == "breach"  # a year end


def test_stacking_checked_forward_on_commitments():
    # committed public aid: Québec 1 050 000 + Laval 300 000 = 1 350 000 / 2 100 000 = 64.3 % ≤ 80 %: ok
    check = by_scope(cofinancing_checks(facts()), "cumulative")["stacking_committed"]
    assert check.status == "ok" and check.value == D("1350000") / D("2100000")
    # Laval committing 400 000 more: 1 750 000 / 2 100 000 = 83.3 % > 80 %: above by 1 750 000 − 1 680 000
    bigger = tuple(FunderFact(f.id, f.name, f.kind, f.is_public_aid,
                              f.committed + (D("400000") if f.id == LAVAL else 0), f.in_kind)
                   for f in FUNDERS)
    check = by_scope(cofinancing_checks(facts(funders=bigger)), "cumulative")["stacking_committed"]
    assert check.status == "breach" and fr("70000") in check.message_fr
    # 1 600 000 / 2 100 000 = 76.2 % ≥ 95 % × 80 % = 76 %: watch
    near = tuple(FunderFact(f.id, f.name, f.kind, f.is_public_aid,
                            f.committed + (D("250000") if f.id == LAVAL else 0), f.in_kind)
                 for f in FUNDERS)
    check = by_scope(cofinancing_checks(facts(funders=near)), "cumulative")["stacking_committed"]
    assert check.status == "watch"


def test_admin_watch_from_ninety_percent_of_the_cap():
    # base salaries 300 000, admin 30 000 = 10 % = the cap: not above it, but ≥ 9 %: watch
    now = by_scope(cofinancing_checks(facts(admin_base="salaries")), "cumulative")
    assert now["admin_costs"].status == "watch"
    assert "salaires" in now["admin_costs"].message_fr and "salaries" in now["admin_costs"].message_en


def test_no_expenses_yet_shares_are_undefined_and_checks_ok():
    f = facts(monthly=(), contributions=(), as_of=date(2025, 6, 30))
    assert quebec_share(f) is None and public_aid_share(f) is None and admin_share(f) is None
    assert quebec_entitlement(f) == 0 and claimable_now(f) == 0
    checks = cofinancing_checks(f)
    assert [c.status for c in checks] == ["ok"] * 5
    assert all("—" in c.message_fr for c in checks if c.code not in ("partner_match", "stacking_committed"))


def test_a_contribution_before_any_spending_is_an_advance_not_a_division_error():
    f = facts(monthly=(), contributions=CONTRIBUTIONS[:1], as_of=date(2025, 6, 30))
    now = by_scope(cofinancing_checks(f), "cumulative")
    assert now["quebec_share"].status == "ok" and now["quebec_share"].value is None


def test_credit_notes_reduce_eligible_cost():
    # A credit note of −50 000 in October 2026: E = 400 000 − 50 000 = 350 000; Québec 220 000 / 350 000
    credit = MonthlySpend(date(2026, 10, 1), "salaries", D("-50000"), D("0"), 1)
    f = facts(monthly=MONTHLY + (credit,))
    assert quebec_share(f) == D("220000") / D("350000")
    assert partner_match(f).required == D("175000")  # 0.50 × 350 000


def test_ineligible_spending_is_not_part_of_e():
    # 2 500 ineligible in February 2026 changes nothing: E stays 400 000
    assert quebec_entitlement(facts()) == D("200000.00")


def test_funder_positions():
    positions = {p.funder_id: p for p in funder_positions(facts())}
    # Québec: committed 1 050 000, received 220 000, due 830 000
    qc = positions[QC]
    assert (qc.committed, qc.received_cash, qc.received, qc.due) == (D("1050000"), D("220000"), D("220000"),
                                                                      D("830000"))
    assert qc.received_share == D("220000") / D("1050000")
    # PICOM: 25 000 in kind of 150 000 -> 125 000 due
    picom = positions[PICOM]
    assert (picom.received_cash, picom.received_in_kind, picom.due) == (0, D("25000"), D("125000"))
    # Over-received funder: nothing due (never negative)
    over = funder_positions(facts(contributions=(contribution(9, TECHNO, date(2026, 1, 1), "300000"),)))
    assert {p.funder_id: p.due for p in over}[TECHNO] == 0
