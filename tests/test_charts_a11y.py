"""Charts for everyone: colours of 3:1 on white, one colour per category whatever the date, a title inside
the figure and a text alternative (sentence and table) read from the figure itself."""

from datetime import date
from decimal import Decimal as D

from cqic_budget.chart_text import text_alternative
from cqic_budget.charts import (
    COLORS,
    PALETTE,
    BarSeries,
    category_colours,
    milestone_progress_figure,
    monthly_spend_figure,
    with_title,
)
from cqic_budget.ui import safe

MONTHS = [date(2025, 7, 1), date(2025, 8, 1)]


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_on_white(colour: str) -> float:
    return 1.05 / (luminance(colour) + 0.05)


def test_every_line_bar_and_marker_colour_has_3_to_1_on_white():
    # WCAG 1.4.11: #64748b (the plan) is 4.76:1; #9aa5b1, the old one, was 2.5:1 and fails here.
    drawn = [*PALETTE, *(COLORS[k] for k in ("actual", "planned", "budget", "achieved", "upcoming", "as_of"))]
    assert {c: round(contrast_on_white(c), 2) for c in drawn if contrast_on_white(c) < 3} == {}
    assert round(contrast_on_white("#9aa5b1"), 1) == 2.5


def test_a_category_keeps_its_colour_whatever_the_order_of_the_series():
    colours = category_colours(["salaries", "services", "fees", "travel"])
    assert colours == dict(zip(["salaries", "services", "fees", "travel"], PALETTE[:4], strict=True))
    # September: services spent most and comes first; October: salaries. The colours do not move.
    early = monthly_spend_figure(months=MONTHS, series=[BarSeries("Services", [D(9), D(9)], "services"),
                                                        BarSeries("Salaires", [D(1), D(1)], "salaries")],
                                 colours=colours, lang="fr")
    late = monthly_spend_figure(months=MONTHS, series=[BarSeries("Salaires", [D(9), D(9)], "salaries"),
                                                       BarSeries("Services", [D(1), D(1)], "services")],
                                colours=colours, lang="fr")
    assert {t.name: t.marker.color for t in early.data} == {t.name: t.marker.color for t in late.data} == {
        "Services": PALETTE[1], "Salaires": PALETTE[0]}
    # Each bar carries its drill-down choice: the month and the category.
    assert [list(c) for c in early.data[0].customdata] == [["month:2025-07-01", "services"],
                                                            ["month:2025-08-01", "services"]]


def test_the_title_is_inside_the_figure_and_the_data_are_a_table():
    drill = ["until:2025-09-30", "until:2026-03-31"]
    fig = with_title(milestone_progress_figure(labels=["Jalon 1", "Jalon 2"],
                                               planned=[D("300000"), D("700000")],
                                               actual=[D("250000.40"), D("0")], lang="fr", drill=drill),
                     "Progrès")
    assert fig.layout.title.text == "Progrès"
    alt = text_alternative(fig, "Progrès", "fr")
    assert list(alt.table.columns) == ["Période ou élément", "Prévu cumulatif", "Réel cumulatif"]
    rows = alt.table.to_dict("records")
    # 250 000,40 $ shown to the dollar: 250 000 $ (half up).
    assert [r["Réel cumulatif"].replace("\u202f", " ").replace("\u00a0", " ") for r in rows] == [
        "250 000 $", "0 $"]
    assert rows[0]["Période ou élément"] == "Jalon 1"
    assert "Progrès" in alt.summary and "Jalon 1" in alt.summary and "Jalon 2" in alt.summary
    assert alt.right == ("Prévu cumulatif", "Réel cumulatif")
    assert [list(c) for c in fig.data[0].customdata] == [[key, "all"] for key in drill]


def test_a_table_cell_is_text_not_markdown():
    # The tables escape their cells with the app's one Markdown escape (ui.safe.md).
    assert safe.md("[x](http://evil) $1$ *a*") == "\\[x\\]\\(http\\://evil\\) \\$1\\$ \\*a\\*"
    assert safe.md(None) == ""


def test_a_timeline_reads_top_down_in_its_table():
    from cqic_budget.charts import TimelineItem, milestone_timeline_figure

    items = [TimelineItem("1. Lancement", date(2025, 6, 30), date(2025, 6, 27), None, 0, "achieved"),
             TimelineItem("2. Diagnostics", date(2025, 10, 31), None, None, 30, "late")]
    fig = milestone_timeline_figure(items=items, as_of=date(2025, 11, 30), lang="fr")
    alt = text_alternative(fig, "Calendrier", "fr")
    assert list(alt.table["Période ou élément"]) == ["1. Lancement", "2. Diagnostics"]
    assert list(alt.table["Échéance"]) == ["2025-06-30", "2025-10-31"]
    assert alt.right == ()  # dates, not figures
