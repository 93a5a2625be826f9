"""Figures the Burn rate, Co-financing and Milestones pages add to the metrics — hand-worked examples."""

from datetime import date
from decimal import Decimal

from factories import cqic_facts, spend

from cqic_budget.metrics.burn import (
    BandPoint,
    burn_rate,
    burn_window,
    forecast,
    forecast_band,
    monthly_by_category,
    what_if,
)
from cqic_budget.metrics.cofinancing import claimable_now, quebec_claim
from cqic_budget.metrics.facts import ContributionFact, FunderFact, MilestoneFact, ProgramFacts
from cqic_budget.metrics.milestones import milestone_status, payment_totals
from cqic_budget.money import round_cents

D = Decimal
QC, LAVAL = 1, 2


# July 10 000, August 12 000, September 8 000: spent 30 000 at 2026-09-30, 18 months left (Oct 2026 →
# Mar 2028), burn (10 000 + 12 000 + 8 000) / 3 = 10 000.
PACE = (spend("2026-07", "10000"), spend("2026-08", "12000"), spend("2026-09", "8000"))


# --- Monthly spend by category ---------------------------------------------------------------------

def facts(**changes) -> ProgramFacts:
    return cqic_facts(date(2026, 9, 30), **changes)


def test_monthly_by_category_fills_empty_months_and_puts_the_largest_category_first():
    monthly = (spend("2025-04", "1000"), spend("2025-05", "500", "travel"), spend("2025-06", "3000"),
               spend("2025-06", "250", "travel"), spend("2025-06", "-100", "travel"))
    result = monthly_by_category(facts(monthly=monthly, as_of=date(2025, 6, 15)))
    assert result.months == (date(2025, 4, 1), date(2025, 5, 1), date(2025, 6, 1))
    salaries, travel = result.categories
    # salaries 1 000 + 3 000 = 4 000 before travel 500 + 250 − 100 = 650
    assert (salaries.category, salaries.values) == ("salaries", (D(1000), D(0), D(3000)))
    assert salaries.total == D(4000)
    assert (travel.category, travel.values, travel.total) == ("travel", (D(0), D(500), D(150)), D(650))
    # June's bar: 3 000 + 250 − 100 = 3 150
    assert result.month_total(date(2025, 6, 1)) == D(3150)


def test_monthly_by_category_without_spending_has_the_months_and_no_series():
    result = monthly_by_category(facts(as_of=date(2025, 5, 2)))
    assert result.months == (date(2025, 4, 1), date(2025, 5, 1))
    assert result.categories == ()


# --- Forecast band ---------------------------------------------------------------------------------


def test_burn_window_is_what_the_burn_rate_averages():
    f = facts(monthly=PACE)
    assert burn_window(f) == [(date(2026, 7, 1), D(10000)), (date(2026, 8, 1), D(12000)),
                              (date(2026, 9, 1), D(8000))]
    assert burn_rate(f) == sum(v for _, v in burn_window(f)) / 3


def test_forecast_band_between_the_lowest_and_the_highest_month_of_the_window():
    result = forecast_band(facts(monthly=PACE))
    assert (result.low_rate, result.burn_rate, result.high_rate) == (D(8000), D(10000), D(12000))
    # required = (2 100 000 − 30 000) / 18 = 115 000 a month
    assert result.required_rate == D(115000)
    band = result.points
    # One point at the as-of, then one at each month end from October 2026 to March 2028: 1 + 18.
    assert len(band) == 19
    # At the as-of every line starts from what was spent: 30 000.
    assert band[0] == BandPoint(date(2026, 9, 30), D(30000), D(30000), D(30000), D(30000))
    # required = (2 100 000 − 30 000) / 18 = 115 000 a month
    # 2026-10-31, one month on: 30 000 + 8 000 / 10 000 / 12 000 / 115 000
    assert band[1] == BandPoint(date(2026, 10, 31), D(38000), D(40000), D(42000), D(145000))
    # 2028-03-31, 18 months on: 30 000 + 18 × 8 000 = 174 000; + 18 × 10 000 = 210 000;
    # + 18 × 12 000 = 246 000; the required line ends on the budget, 2 100 000.
    assert band[-1] == BandPoint(date(2028, 3, 31), D(174000), D(210000), D(246000), D(2100000))
    # The central line ends on forecast's projected total.
    assert band[-1].central == forecast(facts(monthly=PACE)).projected_total


def test_forecast_band_mid_month_counts_the_rest_of_the_month():
    # as-of 2026-10-15: October is not full, so the window is Jul–Sep as above; spent 30 000 + 2 000.
    f = facts(monthly=PACE + (spend("2026-10", "2000"),), as_of=date(2026, 10, 15))
    first, second = forecast_band(f).points[:2]
    assert first.day == date(2026, 10, 15) and first.central == D(32000)
    # To 2026-10-31: 16 of October's 31 days remain: 32 000 + 10 000 × 16/31 = 37 161.29
    assert second.day == date(2026, 10, 31)
    assert round_cents(second.central) == D("37161.29")


def test_forecast_band_at_the_program_end_has_no_required_line():
    result = forecast_band(facts(monthly=PACE, as_of=date(2028, 3, 31)))
    assert result.points == (BandPoint(date(2028, 3, 31), D(30000), D(30000), D(30000), None),)
    assert result.required_rate is None


# --- What-if on the monthly burn -------------------------------------------------------------------


def test_what_if_under_spending_leaves_money_on_the_table():
    result = what_if(facts(monthly=PACE), D(50000))
    # 30 000 + 50 000 × 18 = 930 000 at the end; 2 100 000 − 930 000 = 1 170 000 unspent
    assert result.projected_total == D(930000)
    assert result.projected_unspent == D(1170000)
    # remaining 2 070 000 / 50 000 = 41.4 months after 2026-09-30 (18 months into the program):
    # 59.4 months from 2025-04 -> March 2030, 0.4 × 31 = 12.4 -> the 13th
    assert result.exhaustion == date(2030, 3, 13)
    assert not result.exhausted_before_end


def test_what_if_over_spending_runs_out_before_the_end():
    result = what_if(facts(monthly=PACE), D(150000))
    # 30 000 + 150 000 × 18 = 2 730 000: 630 000 over the budget
    assert result.projected_total == D(2730000)
    assert result.projected_unspent == D(-630000)
    # 2 070 000 / 150 000 = 13.8 months: 18 + 13.8 = 31.8 -> November 2027, 0.8 × 30 = 24 -> the 24th
    assert result.exhaustion == date(2027, 11, 24)
    assert result.exhausted_before_end


def test_what_if_at_the_current_burn_is_the_forecast_and_zero_never_runs_out():
    f = facts(monthly=PACE)
    outlook = forecast(f)
    same = what_if(f, outlook.burn_rate)
    assert (same.projected_total, same.exhaustion) == (outlook.projected_total, outlook.projected_exhaustion)
    idle = what_if(f, D(0))
    assert idle.projected_total == D(30000) and idle.exhaustion is None and not idle.exhausted_before_end


# --- Québec claim, step by step --------------------------------------------------------------------

FUNDERS = (FunderFact(QC, "MEIE", "quebec", True, D("1050000"), False),
           FunderFact(LAVAL, "Ville de Laval", "municipal", True, D("300000"), False))


def contribution(cid: int, funder: int, day: date, amount: str, milestone: int | None = None):
    return ContributionFact(cid, funder, day, D(amount), False, "", milestone)


def test_quebec_claim_shows_every_step_to_claimable_now():
    f = facts(monthly=(spend("2026-08", "400000.01"),), funders=FUNDERS,
              contributions=(contribution(1, QC, date(2026, 5, 1), "100000"),
                             contribution(2, LAVAL, date(2026, 5, 1), "60000")))
    claim = quebec_claim(f)
    # E = 400 000.01; 0.50 × E = 200 000.005 -> 200 000.00 (the cent below)
    assert claim.spent == D("400000.01") and claim.rate_of_spent == D("200000.00")
    # entitlement = min(200 000.00, 1 050 000) = 200 000.00
    assert claim.entitlement == D("200000.00")
    # holdback: 1 050 000 × 0.10 = 105 000 kept until the final report; 945 000 payable before it
    assert claim.holdback == D("105000.00")
    # payable = min(200 000, 945 000) = 200 000; claimable = 200 000 − 100 000 (Laval does not count)
    assert claim.payable_before_final_report == D("200000.00")
    assert claim.received == D("100000")
    assert claim.claimable == D("100000.00") == claimable_now(f)


def test_quebec_claim_near_the_end_is_held_back():
    # E = 2 100 000: entitlement 1 050 000, but only 945 000 before the final report; 800 000 received
    f = facts(monthly=(spend("2026-08", "2100000"),), funders=FUNDERS,
              contributions=(contribution(1, QC, date(2026, 9, 1), "800000"),))
    claim = quebec_claim(f)
    assert claim.entitlement == D("1050000.00")
    assert claim.payable_before_final_report == D("945000.00")
    assert claim.claimable == D("145000.00") == claimable_now(f)


# --- Milestone payments ----------------------------------------------------------------------------


def test_payment_totals_expected_received_outstanding():
    milestones = (
        MilestoneFact(1, "Lancement", "Launch", date(2025, 9, 15), D(300000), "achieved", date(2025, 9, 25),
                      QC, D(150000)),
        MilestoneFact(2, "Mission", "Mission", date(2026, 3, 31), D(700000), "planned", None, QC, D(200000)),
        MilestoneFact(3, "Bilan", "Review", date(2026, 12, 31), D(1000000), "planned", None, None, None),
    )
    f = facts(milestones=milestones, funders=FUNDERS,
              contributions=(contribution(1, QC, date(2025, 10, 2), "150000", 1),
                             contribution(2, QC, date(2026, 4, 20), "50000", 2)))
    totals = payment_totals(milestone_status(f))
    # expected 150 000 + 200 000 = 350 000; received 150 000 + 50 000 = 200 000; 150 000 to come
    assert (totals.expected, totals.received, totals.outstanding) == (D(350000), D(200000), D(150000))
    assert (totals.achieved, totals.total) == (1, 3)
