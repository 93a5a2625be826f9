"""metrics.burn: burn rate, planned curve, cumulative curve, forecast, fiscal years — hand-worked examples."""

from datetime import date
from decimal import Decimal

from factories import cqic_facts, spend

from cqic_budget.i18n import format_money
from cqic_budget.metrics.burn import (
    burn_rate,
    cumulative_curve,
    day_at_position,
    fiscal_year_status,
    forecast,
    months_left,
    months_position,
    planned_cumulative,
)
from cqic_budget.metrics.facts import (
    BudgetLineFact,
    ContributionFact,
    FunderFact,
    MilestoneFact,
    ProgramFacts,
)
from cqic_budget.money import round_cents

D = Decimal


def facts(**changes) -> ProgramFacts:
    return cqic_facts(date(2026, 10, 31), **changes)


def fr_money(amount: str) -> str:
    return format_money(D(amount), "fr")


def milestone(mid: int, due: date, planned: str) -> MilestoneFact:
    return MilestoneFact(mid, f"Jalon {mid}", f"Milestone {mid}", due, D(planned), "planned",
                         None, None, None)


# --- Burn rate -------------------------------------------------------------------------------------

PACE = (
    spend("2026-07", "10000"), spend("2026-08", "12000"), spend("2026-09", "8000"),
    spend("2026-10", "50000"),
)


def test_burn_rate_is_the_mean_of_the_last_three_full_months():
    # as-of 15 October: October is not full; July, August, September:
    # 10 000 + 12 000 + 8 000 = 30 000 / 3 = 10 000 $/month
    assert burn_rate(facts(monthly=PACE, as_of=date(2026, 10, 15))) == D("10000")


def test_as_of_on_the_last_day_of_a_month_counts_that_month():
    # as-of 31 October: August, September, October: 12 000 + 8 000 + 50 000 = 70 000 / 3 = 23 333.33
    rate = burn_rate(facts(monthly=PACE, as_of=date(2026, 10, 31)))
    assert round_cents(rate) == D("23333.33")


def test_a_month_without_spending_counts_as_zero_and_credit_notes_reduce_it():
    # July 9 000; August nothing; September 8 000 salaries − 2 000 credit note on equipment = 6 000
    # (9 000 + 0 + 6 000) = 15 000 / 3 = 5 000 $/month
    monthly = (spend("2026-07", "9000"), spend("2026-09", "8000"),
               spend("2026-09", "-2000", category="equipment"))
    assert burn_rate(facts(monthly=monthly, as_of=date(2026, 10, 20))) == D("5000")


def test_ineligible_spending_does_not_count_in_the_burn_rate():
    # September: 3 000 eligible, 900 ineligible beside it. Window Jul–Sep: (0 + 0 + 3 000) / 3 = 1 000
    monthly = (spend("2026-09", "3000", ineligible="900"),)
    assert burn_rate(facts(monthly=monthly, as_of=date(2026, 10, 2))) == D("1000")


def test_only_months_within_the_program_count():
    # as-of 2025-05-20: the window would be Feb, Mar, Apr 2025; only April is in the program:
    # 6 000 / 1 month = 6 000
    assert burn_rate(facts(monthly=(spend("2025-04", "6000"),), as_of=date(2025, 5, 20))) == D("6000")
    # as-of in the first month, not its last day: no full month yet -> 0
    assert burn_rate(facts(monthly=(spend("2025-04", "6000"),), as_of=date(2025, 4, 10))) == 0


def test_no_expenses_yet_burn_is_zero():
    assert burn_rate(facts()) == 0


# --- Planned curve ---------------------------------------------------------------------------------

MILESTONES = (milestone(1, date(2025, 7, 10), "200000"), milestone(2, date(2025, 10, 18), "500000"))


def test_planned_curve_is_linear_between_milestones_from_zero_at_the_start():
    f = facts(milestones=MILESTONES)
    # 2025-05-21 is 50 of the 100 days from 2025-04-01 to M1: 200 000 × 50/100 = 100 000
    assert planned_cumulative(f, date(2025, 5, 21)) == D("100000")
    # On M1's due date: its planned cumulative
    assert planned_cumulative(f, date(2025, 7, 10)) == D("200000")
    # 2025-08-29 is 50 of the 100 days from M1 to M2: 200 000 + (500 000 − 200 000) × 50/100 = 350 000
    assert planned_cumulative(f, date(2025, 8, 29)) == D("350000")
    # After the last milestone: flat
    assert planned_cumulative(f, date(2027, 1, 1)) == D("500000")
    # Before the program start: 0
    assert planned_cumulative(f, date(2025, 1, 1)) == 0


def test_planned_curve_without_milestones_spreads_budget_lines_over_their_fiscal_year():
    lines = (BudgetLineFact("2025-2026", "salaries", D("100000")),
             BudgetLineFact("2025-2026", "travel", D("20000")),
             BudgetLineFact("2026-2027", "salaries", D("240000")))
    f = facts(budget_lines=lines)
    # 2025-2026: (100 000 + 20 000) / 12 = 10 000 a month; 2026-2027: 240 000 / 12 = 20 000; 2027-2028: none
    assert planned_cumulative(f, date(2025, 6, 30)) == D("30000")  # April, May, June: 3 × 10 000
    # Mid-month: 2 months + 15/30 of June: 20 000 + 10 000 × 15/30 = 25 000
    assert planned_cumulative(f, date(2025, 6, 15)) == D("25000")
    # End of May 2026: 120 000 + 2 × 20 000 = 160 000
    assert planned_cumulative(f, date(2026, 5, 31)) == D("160000")
    # A fiscal year with no budget adds nothing: 120 000 + 240 000 = 360 000 at the end
    assert planned_cumulative(f, date(2028, 3, 31)) == D("360000")


def test_cumulative_curve_has_one_point_a_month_and_no_actual_after_the_as_of():
    lines = (BudgetLineFact("2025-2026", "salaries", D("120000")),)
    monthly = (spend("2025-04", "5000"), spend("2025-05", "7000"), spend("2025-06", "1000"))
    curve = cumulative_curve(facts(budget_lines=lines, monthly=monthly, as_of=date(2025, 6, 15)))
    assert len(curve) == 36  # 2025-04 … 2028-03
    assert (curve[0].day, curve[0].actual, curve[0].planned) == (date(2025, 4, 30), D("5000"), D("10000"))
    # May: 5 000 + 7 000 = 12 000 actual; 2 × 10 000 planned
    assert (curve[1].actual, curve[1].planned) == (D("12000"), D("20000"))
    # June (as-of month): 12 000 + 1 000 = 13 000, planned 30 000
    assert (curve[2].actual, curve[2].planned) == (D("13000"), D("30000"))
    assert curve[3].actual is None and curve[-1].actual is None
    assert curve[-1].day == date(2028, 3, 31) and curve[-1].planned == D("120000")


# --- Forecast --------------------------------------------------------------------------------------

FORECAST_MONTHLY = (
    spend("2026-01", "830000"), spend("2026-08", "120000"), spend("2026-09", "90000"),
    spend("2026-10", "60000", ineligible="4500"),
)
FORECAST_MILESTONES = (milestone(1, date(2026, 3, 31), "700000"), milestone(2, date(2027, 3, 31), "1065000"))


def test_forecast_hand_worked():
    f = facts(monthly=FORECAST_MONTHLY, milestones=FORECAST_MILESTONES, as_of=date(2026, 10, 31))
    result = forecast(f)
    # spent = 830 000 + 120 000 + 90 000 + 60 000 = 1 100 000; ineligible 4 500 beside it
    assert result.spent == D("1100000") and result.ineligible == D("4500")
    assert result.remaining == D("1000000")  # 2 100 000 − 1 100 000
    # burn = (120 000 + 90 000 + 60 000) / 3 = 90 000
    assert result.burn_rate == D("90000")
    # months left: 2026-10-31 → 2028-03-31 = 17
    assert result.months_left == 17
    # projected = 1 100 000 + 90 000 × 17 = 2 630 000: 530 000 over the budget
    assert result.projected_total == D("2630000")
    assert result.projected_unspent == D("-530000")
    # exhaustion: 1 000 000 / 90 000 = 11.11 months after 2026-10-31 (month 19 of the program):
    # 30.11 -> month 31 (October 2027), 0.11 × 31 days = 3.4 -> the 4th
    assert result.projected_exhaustion == date(2027, 10, 4)
    # required burn = 1 000 000 / 17 = 58 823.53
    assert round_cents(result.required_burn) == D("58823.53")
    # planned at 2026-10-31: 700 000 + 365 000 × 214/365 days = 914 000; variance = 1 100 000 − 914 000
    assert result.planned == D("914000")
    assert result.variance == D("186000")
    # time elapsed: 19 of 36 months
    assert result.time_elapsed_share == D(19) / D(36)


def test_months_left_counts_part_of_the_as_of_month():
    # as-of 2026-10-15: 18 months + 15/31 gone; 36 − (18 + 15/31) = 17 + 16/31 left
    f = facts(as_of=date(2026, 10, 15))
    assert months_left(f) == D(17) + D(16) / D(31)
    assert months_position(date(2025, 4, 1), date(2025, 4, 15)) == D("0.5")  # 15 / 30
    assert day_at_position(date(2025, 4, 1), D("0.5")) == date(2025, 4, 15)
    assert day_at_position(date(2025, 4, 1), D(2)) == date(2025, 5, 31)


def test_forecast_with_no_expenses_yet():
    result = forecast(facts(as_of=date(2025, 4, 1)))
    assert result.spent == 0 and result.burn_rate == 0
    assert result.projected_total == 0 and result.projected_unspent == D("2100000.00")
    assert result.projected_exhaustion is None  # no burn, no exhaustion date
    # 1/30 of April gone: 36 − 1/30 months left; required = 2 100 000 / (36 − 1/30)
    assert result.required_burn == D("2100000.00") / (D(36) - D(1) / D(30))


def test_forecast_at_the_program_end_has_no_month_left():
    result = forecast(facts(monthly=(spend("2028-03", "300000"),), as_of=date(2028, 3, 31)))
    assert result.months_left == 0
    assert result.required_burn is None
    # burn (Jan, Feb, Mar 2028) = 300 000 / 3 = 100 000; remaining 1 800 000 / 100 000 = 18 months
    # after 2028-03-31 -> 2029-09-30 (beyond the end: money would be left on the table)
    assert result.projected_exhaustion == date(2029, 9, 30)
    assert result.projected_total == D("300000")


def test_forecast_when_the_budget_is_already_spent_exhausts_at_the_as_of():
    result = forecast(facts(monthly=(spend("2026-09", "2200000"),), as_of=date(2026, 10, 31)))
    assert result.remaining == D("-100000.00")
    assert result.projected_exhaustion == date(2026, 10, 31)


# --- Fiscal years ----------------------------------------------------------------------------------

QC, LAVAL, PICOM = 1, 2, 3
FUNDERS = (
    FunderFact(QC, "MEIE", "quebec", True, D("1050000"), False),
    FunderFact(LAVAL, "Ville de Laval", "municipal", True, D("300000"), False),
    FunderFact(PICOM, "PICOM", "private", False, D("150000"), True),
)
FY_CONTRIBUTIONS = (
    ContributionFact(1, QC, date(2025, 5, 1), D("250000"), False, "Versement 1", None),
    ContributionFact(2, LAVAL, date(2025, 12, 1), D("50000"), False, "", None),
    ContributionFact(3, QC, date(2026, 6, 1), D("100000"), False, "Versement 2", None),
    ContributionFact(4, PICOM, date(2026, 9, 1), D("20000"), True, "", None),
)
FY_MONTHLY = (
    spend("2025-06", "200000"), spend("2026-01", "300000", ineligible="1000"),
    spend("2026-08", "120000"), spend("2026-09", "90000"), spend("2026-10", "60000"),
)


def fy_facts(fy2_budget: str = "800000") -> ProgramFacts:
    lines = (BudgetLineFact("2025-2026", "salaries", D("700000")),
             BudgetLineFact("2026-2027", "salaries", D(fy2_budget)))
    return facts(monthly=FY_MONTHLY, budget_lines=lines, funders=FUNDERS, contributions=FY_CONTRIBUTIONS,
                 as_of=date(2026, 10, 31))


def test_fiscal_years_past_current_future():
    first, current, future = fiscal_year_status(fy_facts())
    # 2025-2026, ended: spent 200 000 + 300 000 = 500 000 of 700 000 -> 200 000 unspent (> 1 % of 700 000)
    assert (first.label, first.phase) == ("2025-2026", "past")
    assert (first.budget, first.spent) == (D("700000"), D("500000"))
    assert first.unspent == D("200000") and (first.status, first.level) == ("unspent", "watch")
    assert first.ineligible == D("1000")
    assert (first.quebec_received, first.partner_received) == (D("250000"), D("50000"))
    assert f"{fr_money('200000')} n'ont pas été dépensés" in first.message_fr
    assert "$200,000.00 went unspent" in first.message_en
    # 2026-2027, current: spent 120 000 + 90 000 + 60 000 = 270 000; burn 90 000;
    # 5 months left (Nov → Mar): projected 270 000 + 5 × 90 000 = 720 000 < 800 000: 80 000 may lapse
    assert (current.phase, current.spent, current.projected) == ("current", D("270000"), D("720000"))
    assert current.lapse_risk == D("80000") and (current.status, current.level) == ("lapse_risk", "watch")
    assert (current.quebec_received, current.partner_received_in_kind) == (D("100000"), D("20000"))
    assert f"{fr_money('80000')} risquent d'être périmés" in current.message_fr
    # 2027-2028, ahead, no budget: at 90 000 a month × 12 = 1 080 000 projected > 0: an overrun risk
    assert (future.phase, future.budget, future.spent, future.projected) == ("future", 0, 0, D("1080000"))
    assert (future.status, future.overrun) == ("overrun_risk", D("1080000")) and future.quebec_received == 0


def test_current_year_on_track_is_ok():
    # Budget 720 000 = projected 720 000: no lapse risk, no overrun: on pace
    current = fiscal_year_status(fy_facts(fy2_budget="720000"))[1]
    assert current.lapse_risk == 0 and current.overrun == 0 and current.status == "on_pace"
    # Budget 715 000: projected 720 000 is 5 000 above, within 1 % (7 150): still on pace
    current = fiscal_year_status(fy_facts(fy2_budget="715000"))[1]
    assert (current.overrun, current.status, current.level) == (D("5000"), "on_pace", "ok")
    # Budget 700 000 < projected 720 000: 20 000 above, beyond 1 % (7 000): an overrun risk, to watch
    current = fiscal_year_status(fy_facts(fy2_budget="700000"))[1]
    assert (current.lapse_risk, current.overrun, current.status) == (0, D("20000"), "overrun_risk")
    assert current.level == "watch"


def test_fiscal_year_with_no_budget_that_spends_is_overspent():
    # No budget line, 1 000 spent: 1 000 above a budget of 0 -> overspent (a breach)
    f = facts(monthly=(spend("2025-06", "1000"),), as_of=date(2026, 10, 31))
    first = fiscal_year_status(f)[0]
    assert (first.budget, first.spent, first.unspent, first.status) == (0, D("1000"), 0, "overspent")
    assert first.level == "breach" and "dépassement de 1\u00a0000,00\u00a0$" in first.message_fr


def test_a_year_ending_on_the_as_of_is_past_and_the_next_one_current():
    f = facts(monthly=FY_MONTHLY, budget_lines=fy_facts().budget_lines, as_of=date(2026, 3, 31))
    first, second, _ = fiscal_year_status(f)
    assert (first.phase, second.phase) == ("past", "future")
    f = facts(monthly=FY_MONTHLY, budget_lines=fy_facts().budget_lines, as_of=date(2026, 4, 1))
    assert [fy.phase for fy in fiscal_year_status(f)] == ["past", "current", "future"]


def test_a_fiscal_year_that_spends_beyond_its_budget_is_flagged():
    # 2025-2026 budget 100 000; spent 60 000 (Jun) + 70 000 (Feb) = 130 000 -> overrun 30 000, watch.
    # 2026-2027 budget 200 000; spent Aug 40 000 + Sep 40 000 + Oct 40 000 = 120 000 by 2026-10-31;
    # burn = (40 000 × 3) / 3 = 40 000 a month; 5 months left (Nov → Mar): 120 000 + 5 × 40 000 = 320 000
    # projected -> overrun 320 000 − 200 000 = 120 000 ahead, watch (and no lapse risk).
    lines = (BudgetLineFact("2025-2026", "salaries", D("100000")),
             BudgetLineFact("2026-2027", "salaries", D("200000")))
    monthly = (spend("2025-06", "60000"), spend("2026-02", "70000"), spend("2026-08", "40000"),
               spend("2026-09", "40000"), spend("2026-10", "40000"))
    past, current, future = fiscal_year_status(facts(budget_lines=lines, monthly=monthly))
    assert (past.spent, past.overrun, past.unspent) == (D("130000"), D("30000"), D("0"))
    assert past.status == "overspent"
    assert "dépassement de 30\u00a0000,00\u00a0$" in past.message_fr
    assert (current.projected, current.overrun, current.lapse_risk) == (D("320000"), D("120000"), D("0"))
    assert current.status == "overrun_risk" and "overrun of $120,000.00" in current.message_en
    # 2027-2028 has no budget line: 40 000 × 12 = 480 000 projected above 0 -> overrun risk
    assert (future.overrun, future.status) == (D("480000"), "overrun_risk")
