"""Chart builders: the figure's data is the data given, in the reader's number format."""

from datetime import date
from decimal import Decimal

from cqic_budget.charts import COLORS, MilestoneMark, apply_theme, cumulative_figure, money_hover

ACTUAL = [(date(2025, 4, 30), Decimal("10000.00")), (date(2025, 5, 31), Decimal("25000.50"))]
PLANNED = [(date(2025, 4, 1), Decimal("0.00")), (date(2028, 3, 31), Decimal("2100000.00"))]
MILESTONES = [
    MilestoneMark(date(2025, 9, 30), "Lancement", Decimal("300000.00"), True),
    MilestoneMark(date(2026, 3, 31), "Première cohorte", Decimal("700000.00"), False),
]


def figure(lang="fr", **overrides):
    kwargs = dict(actual=ACTUAL, planned=PLANNED, milestones=MILESTONES, as_of=date(2025, 5, 31),
                  lang=lang, budget_total=Decimal("2100000.00"))
    kwargs.update(overrides)
    return cumulative_figure(**kwargs)


def trace(fig, name):
    return next(tr for tr in fig.data if tr.name == name)


def test_cumulative_figure_series_are_the_data_given():
    fig = figure()
    actual = trace(fig, "Réel cumulatif")
    assert list(actual.x) == [date(2025, 4, 30), date(2025, 5, 31)]
    assert list(actual.y) == [10000.0, 25000.5]
    planned = trace(fig, "Prévu cumulatif")
    assert list(planned.y) == [0.0, 2100000.0]
    assert planned.line.dash == "dash"


def test_milestones_are_numbered_diamonds_coloured_by_status():
    marks = trace(figure(), "Jalons")
    assert list(marks.x) == [date(2025, 9, 30), date(2026, 3, 31)]
    assert list(marks.y) == [300000.0, 700000.0]
    assert list(marks.text) == ["1", "2"]
    assert list(marks.marker.color) == [COLORS["achieved"], COLORS["upcoming"]]
    # The hover carries the name, the ISO date and the amount in the fr-CA format (no-break spaces).
    assert list(marks.customdata[0]) == ["1. Lancement", "2025-09-30", "300\u00a0000\u00a0$", "atteint"]
    assert marks.customdata[1][3] == "à venir"


def test_french_number_format_uses_fr_ca_separators():
    fig = figure("fr")
    assert fig.layout.separators == ", "  # decimal comma, space between thousands
    assert fig.layout.yaxis.ticksuffix == "\u00a0$"
    assert fig.layout.yaxis.tickformat == ",.0f"
    assert trace(fig, "Réel cumulatif").hovertemplate.startswith("%{y:,.0f}\u00a0$")


def test_english_figure_uses_english_labels_and_dollar_prefix():
    fig = figure("en")
    assert {tr.name for tr in fig.data} == {"Actual cumulative", "Planned cumulative", "Milestones"}
    assert fig.layout.separators == ".,"
    assert fig.layout.yaxis.tickprefix == "$"
    assert money_hover("en") == "$%{y:,.0f}"
    assert trace(fig, "Milestones").customdata[0][2] == "$300,000"


def test_as_of_line_and_budget_line():
    fig = figure()
    shapes = [s for s in fig.layout.shapes if s.yref == "paper"]
    assert len(shapes) == 1 and shapes[0].x0 == date(2025, 5, 31)
    texts = [a.text for a in fig.layout.annotations]
    assert "En date du 2025-05-31" in texts
    assert "Budget total : 2\u00a0100\u00a0000\u00a0$" in texts


def test_without_milestones_or_budget_nothing_is_drawn_for_them():
    fig = figure("en", milestones=[], budget_total=None)
    assert [tr.name for tr in fig.data] == ["Planned cumulative", "Actual cumulative"]
    assert [a.text for a in fig.layout.annotations] == ["As of 2025-05-31"]


def test_no_spending_yet_draws_empty_actual_series():
    fig = figure(actual=[])
    assert list(trace(fig, "Réel cumulatif").y) == []


def test_theme_is_shared():
    fig = apply_theme(figure(), "en", height=300)
    assert fig.layout.height == 300
    assert fig.layout.template.layout.paper_bgcolor is not None
