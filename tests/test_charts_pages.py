"""Chart builders of the Burn rate, Co-financing and Milestones pages: the figure's data is the data given,
in the reader's language and number format."""

from datetime import date
from decimal import Decimal

from cqic_budget.charts import (
    COLORS,
    LATE,
    PALETTE,
    BarSeries,
    TimelineItem,
    fiscal_years_figure,
    forecast_figure,
    funders_figure,
    milestone_progress_figure,
    milestone_timeline_figure,
    monthly_spend_figure,
)

D = Decimal
MONTHS = [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]


def trace(fig, name):
    return next(tr for tr in fig.data if tr.name == name)


def test_monthly_spend_stacks_one_bar_segment_per_category():
    fig = monthly_spend_figure(months=MONTHS, series=[
        BarSeries("Salaires", [D("28000.00"), D("28000.00"), D("28500.50")], "salaries"),
        BarSeries("Déplacements", [D("0"), D("1200.25"), D("-300.00")], "travel"),  # a credit in September
    ], colours={"travel": PALETTE[1], "salaries": PALETTE[0]}, lang="fr")
    assert fig.layout.barmode == "relative"  # a credit note stacks below zero
    salaries, travel = fig.data
    assert (salaries.type, salaries.name, list(salaries.x)) == ("bar", "Salaires", MONTHS)
    assert list(salaries.y) == [28000.0, 28000.0, 28500.5]
    assert list(travel.y) == [0.0, 1200.25, -300.0]
    assert (salaries.marker.color, travel.marker.color) == PALETTE[:2]
    assert fig.layout.separators == ", " and fig.layout.yaxis.ticksuffix == "\u00a0$"
    assert fig.layout.yaxis.title.text == "Coût admissible du mois"
    assert fig.layout.xaxis.tickformat == "%Y-%m"


def test_forecast_band_fills_between_the_low_and_high_projections():
    day0, day1 = date(2026, 9, 30), date(2026, 10, 31)
    fig = forecast_figure(
        actual=[(date(2025, 4, 1), D(0)), (day0, D(30000))],
        planned=[(date(2025, 4, 1), D(0)), (day1, D(45000))],
        low=[(day0, D(30000)), (day1, D(38000))], central=[(day0, D(30000)), (day1, D(40000))],
        high=[(day0, D(30000)), (day1, D(42000))], required=[(day0, D(30000)), (day1, D(145000))],
        as_of=day0, lang="en", budget_total=D(2100000),
    )
    names = [tr.name for tr in fig.data]
    assert names == ["Planned cumulative", "Actual cumulative", "Forecast band", "Forecast band",
                     "Forecast at the current burn", "Required burn"]
    high, low = fig.data[2], fig.data[3]
    assert list(high.y) == [30000.0, 42000.0] and not high.showlegend
    assert list(low.y) == [30000.0, 38000.0] and low.fill == "tonexty"  # filled up to the high line
    assert list(trace(fig, "Forecast at the current burn").y) == [30000.0, 40000.0]
    assert list(trace(fig, "Required burn").y) == [30000.0, 145000.0]
    assert fig.layout.separators == ".," and fig.layout.yaxis.tickprefix == "$"


def test_forecast_without_months_left_has_no_required_line():
    day = date(2028, 3, 31)
    point = [(day, D(2000000))]
    fig = forecast_figure(actual=point, planned=point, low=point, central=point, high=point, required=[],
                          as_of=day, lang="fr")
    assert "Rythme requis" not in [tr.name for tr in fig.data]


def test_fiscal_years_budget_spent_and_projected_side_by_side():
    fig = fiscal_years_figure(labels=["2025-2026", "2026-2027"], budget=[D(630000), D(770000)],
                              spent=[D("602624.84"), D("458887.09")], projected=[D("602624.84"), D(780090)],
                              lang="fr")
    assert fig.layout.barmode == "group"
    assert [tr.name for tr in fig.data] == ["Budget", "Dépensé", "Projeté à la fin de l'exercice"]
    assert list(fig.data[1].y) == [602624.84, 458887.09]
    assert list(fig.data[2].x) == ["2025-2026", "2026-2027"]
    assert fig.data[2].marker.pattern.shape == "/"


def test_funders_received_is_drawn_inside_the_commitment_first_funder_on_top():
    fig = funders_figure(names=["MEIE", "PICOM"], committed=[D(1050000), D(150000)],
                         cash=[D(560000), D(0)], in_kind=[D(0), D(75000)], lang="fr")
    committed, cash, in_kind = fig.data
    assert [tr.name for tr in fig.data] == ["Engagé", "Reçu en argent", "Reçu en nature"]
    # Plotly draws the first category at the bottom: the list is reversed so MEIE is on top.
    assert list(committed.y) == ["PICOM", "MEIE"]
    assert list(committed.x) == [150000.0, 1050000.0]
    assert list(cash.x) == [0.0, 560000.0]
    # In kind starts where cash ends.
    assert list(in_kind.x) == [75000.0, 0.0] and list(in_kind.base) == [0.0, 560000.0]
    assert fig.layout.barmode == "overlay" and fig.layout.xaxis.ticksuffix == "\u00a0$"


def test_timeline_marks_due_achieved_payment_and_delays():
    items = [
        TimelineItem("1. Lancement", date(2025, 6, 30), date(2025, 6, 27), date(2025, 7, 17), 0, "achieved"),
        TimelineItem("2. Diagnostics", date(2025, 10, 31), date(2025, 11, 14), date(2025, 12, 4), 14,
                     "achieved"),
        TimelineItem("3. Cohorte 2", date(2026, 9, 15), None, None, 46, "late"),
        TimelineItem("4. Vitrine", date(2027, 6, 30), None, None, 0, "upcoming"),
    ]
    fig = milestone_timeline_figure(items=items, as_of=date(2026, 10, 31), lang="fr")
    delay, due, achieved, payment = fig.data
    assert [tr.name for tr in fig.data] == ["Retard", "Échéance", "Atteint", "Versement reçu"]
    # First milestone on top: rows reversed.
    assert list(due.y) == ["4. Vitrine", "3. Cohorte 2", "2. Diagnostics", "1. Lancement"]
    assert list(due.x) == [date(2027, 6, 30), date(2026, 9, 15), date(2025, 10, 31), date(2025, 6, 30)]
    assert list(achieved.x) == [date(2025, 11, 14), date(2025, 6, 27)]
    assert list(payment.x) == [date(2025, 12, 4), date(2025, 7, 17)]
    # A delay runs from the due date to the achieved date, or to the as-of when still open.
    assert list(delay.x) == [date(2026, 9, 15), date(2026, 10, 31), None,
                             date(2025, 10, 31), date(2025, 11, 14), None]
    assert delay.line.color == LATE
    assert achieved.marker.color == COLORS["achieved"]
    assert list(fig.layout.yaxis.categoryarray) == list(due.y)
    assert due.customdata[1][0] == "2026-09-15"


def test_milestone_progress_planned_vs_actual():
    fig = milestone_progress_figure(labels=["Milestone 1", "Milestone 2"], planned=[D(100000), D(270000)],
                                    actual=[D("98500.10"), D("281000")], lang="en")
    assert [tr.name for tr in fig.data] == ["Planned cumulative", "Actual cumulative"]
    assert list(fig.data[1].y) == [98500.1, 281000.0]
    assert fig.layout.barmode == "group" and fig.layout.separators == ".,"
