"""charts: the merchant funnel and the share of merchants improved per indicator (data in, figure out)."""

from decimal import Decimal

from cqic_budget.charts import FunnelStage, ImprovementBar, improvement_figure, merchant_funnel_figure

D = Decimal


def stages(lang: str = "fr") -> list[FunnelStage]:
    # 150 of 300 reached = 50 %; 102 of 150 supported = 68 %; 45 of 100 completed = 45 %; no target: «—»
    return [
        FunnelStage("Rejoints", 150, 300, D("0.5")),
        FunnelStage("Accompagnés", 102, 150, D("0.68")),
        FunnelStage("Parcours terminé", 45, None, None),
    ]


def test_funnel_counts_and_their_share_of_target_in_french():
    fig = merchant_funnel_figure(stages=stages(), lang="fr")
    trace = fig.data[0]
    assert trace.type == "funnel"
    assert list(trace.y) == ["Rejoints", "Accompagnés", "Parcours terminé"]
    assert list(trace.x) == [150, 102, 45]
    assert list(trace.text) == [
        "150 · 50\u00a0% de la cible", "102 · 68\u00a0% de la cible", "45 · — de la cible"]
    assert [row[0] for row in trace.customdata] == ["300", "150", "—"]
    assert fig.layout.separators == ", "


def test_funnel_in_english_uses_english_separators_and_words():
    fig = merchant_funnel_figure(stages=[FunnelStage("Reached", 1500, 3000, D("0.5"))], lang="en")
    assert list(fig.data[0].text) == ["1,500 · 50% of target"]
    assert fig.data[0].customdata[0][0] == "3,000"
    assert fig.layout.separators == ".,"
    assert "target:" in fig.data[0].hovertemplate


def test_funnel_of_nothing_yet():
    fig = merchant_funnel_figure(stages=[FunnelStage("Rejoints", 0, 300, D(0))], lang="fr")
    assert list(fig.data[0].x) == [0]
    assert list(fig.data[0].text) == ["0 · 0\u00a0% de la cible"]


def test_improvement_bars_keep_the_table_order_top_down():
    bars = [
        ImprovementBar("Ventes en ligne", D(32) / D(52), 52, False),  # 32 of 52 improved: 61,5 % -> «62 %»
        ImprovementBar("Délai (jours)", D(45) / D(52), 52, True),  # 45 of 52: 86,54 % -> «87 %»
        ImprovementBar("Sans mesure", None, 0, None),
    ]
    fig = improvement_figure(bars=bars, lang="fr")
    trace = fig.data[0]
    # Plotly draws the first category at the bottom: reversed, the first bar of the table is on top.
    assert list(trace.y) == ["Sans mesure", "Délai (jours)", "Ventes en ligne"]
    assert list(trace.x) == [0.0, float(D(45) / D(52)), float(D(32) / D(52))]
    assert list(trace.text) == ["—", "87\u00a0%", "62\u00a0%"]
    # green when the mean change reaches its target, amber when not yet, grey without a target
    assert list(trace.marker.color) == ["#64748b", "#15803d", "#b45309"]  # 4.76:1, 5.0:1, 5.0:1 on white
    states = [row[1] for row in trace.customdata]
    assert states == ["aucune cible", "cible atteinte", "cible pas encore atteinte"]
    assert list(fig.layout.xaxis.ticktext) == [f"{n}\u00a0%" for n in (0, 25, 50, 75, 100)]
    assert fig.layout.xaxis.range == (0, 1.12)


def test_improvement_height_grows_with_the_indicators():
    one = improvement_figure(bars=[ImprovementBar("A", D("0.5"), 2, None)], lang="en")
    ten = improvement_figure(bars=[ImprovementBar(str(i), D("0.5"), 2, None) for i in range(10)], lang="en")
    assert one.layout.height == 240
    assert ten.layout.height == 70 + 44 * 10
    assert one.data[0].customdata[0][1] == "no target"
    assert list(one.layout.xaxis.ticktext) == ["0%", "25%", "50%", "75%", "100%"]
