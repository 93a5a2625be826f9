"""Plotly figure builders: data in, figure out, one theme; French figures use the fr-CA number format.

No Streamlit and no store here: a builder takes ready series (dates, Decimal amounts, labels) and returns
a figure, so a test can assert on the figure's data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import plotly.graph_objects as go

from cqic_budget.i18n import format_date, format_money, format_number, format_percent, normalise_lang, t

# One theme for every chart of the app. Every line, bar and marker colour keeps 3:1 or more against the
# white background (WCAG 1.4.11); tests/test_charts_a11y.py measures them.
COLORS = {
    "actual": "#0b5394",  # CQIC blue
    "planned": "#64748b",
    "budget": "#b45309",
    "achieved": "#15803d",
    "upcoming": "#b45309",
    "as_of": "#6b7280",
    "grid": "#e5e7eb",
}
# Streamlit's own font first, so that charts read like the page around them.
FONT = dict(family="Source Sans, Source Sans Pro, Arial, sans-serif", size=13, color="#111827")
# Plotly's `separators`: the decimal mark, then the thousands separator. fr-CA: 1 234 567,89.
SEPARATORS = {"fr": ", ", "en": ".,"}


@dataclass(frozen=True)
class MilestoneMark:
    """A milestone on the cumulative curve: its due date and the planned cumulative spend at that date."""

    due: date
    name: str
    planned: Decimal
    achieved: bool


def money_hover(lang: str, value: str = "y") -> str:
    """A Plotly hover number in dollars, without cents: «1 234 567 $» / «$1,234,567»."""
    if normalise_lang(lang) == "en":
        return f"$%{{{value}:,.0f}}"
    return f"%{{{value}:,.0f}}\u00a0$"


def apply_theme(fig: go.Figure, lang: str, *, height: int = 420) -> go.Figure:
    """The app's look, and the number format of the reader's language."""
    fig.update_layout(
        template="plotly_white",
        separators=SEPARATORS[normalise_lang(lang)],
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=40, b=10),
        # The legend under the plot: on a phone it wraps onto several rows, which Plotly makes room for
        # below; above the plot those rows rose into the chart's title (with_title).
        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0, title_text=""),
        hovermode="x unified",
        hoverlabel=dict(font_size=12),
    )
    fig.update_xaxes(showgrid=False, linecolor=COLORS["grid"], ticks="outside", tickcolor=COLORS["grid"])
    fig.update_yaxes(gridcolor=COLORS["grid"], zeroline=False)
    return fig


def money_axis(fig: go.Figure, lang: str) -> go.Figure:
    """The y axis in whole dollars: «1 500 000 $» in French, «$1,500,000» in English."""
    if normalise_lang(lang) == "en":
        fig.update_yaxes(tickformat=",.0f", tickprefix="$", ticksuffix="")
    else:
        fig.update_yaxes(tickformat=",.0f", tickprefix="", ticksuffix="\u00a0$")
    return fig


def _floats(values: Sequence[Decimal]) -> list[float]:
    # Plotly draws floats; the exact Decimal figures are shown elsewhere (cards, tables).
    return [float(v) for v in values]


def cumulative_figure(
    *,
    actual: Sequence[tuple[date, Decimal]],
    planned: Sequence[tuple[date, Decimal]],
    milestones: Sequence[MilestoneMark],
    as_of: date,
    lang: str,
    budget_total: Decimal | None = None,
) -> go.Figure:
    """Cumulative eligible spend (actual, up to the as-of date) against the plan, with the milestones."""
    lang = normalise_lang(lang)
    fig = go.Figure()
    hover = money_hover(lang)
    fig.add_trace(go.Scatter(
        name=t("chart.planned", lang), x=[d for d, _ in planned], y=_floats([v for _, v in planned]),
        mode="lines", line=dict(color=COLORS["planned"], width=2, dash="dash"),
        hovertemplate=hover + "<extra>" + t("chart.planned", lang) + "</extra>",
    ))
    fig.add_trace(go.Scatter(
        name=t("chart.actual", lang), x=[d for d, _ in actual], y=_floats([v for _, v in actual]),
        mode="lines+markers", line=dict(color=COLORS["actual"], width=3), marker=dict(size=5),
        hovertemplate=hover + "<extra>" + t("chart.actual", lang) + "</extra>",
    ))
    if milestones:
        state = {True: t("chart.milestone_achieved", lang), False: t("chart.milestone_planned", lang)}
        fig.add_trace(go.Scatter(
            name=t("chart.milestones", lang),
            x=[m.due for m in milestones], y=_floats([m.planned for m in milestones]),
            mode="markers+text", text=[str(i) for i in range(1, len(milestones) + 1)],
            textposition="top center", textfont=dict(size=11, color="#374151"),
            marker=dict(
                symbol="diamond", size=13, line=dict(color="white", width=1),
                color=[COLORS["achieved"] if m.achieved else COLORS["upcoming"] for m in milestones],
            ),
            customdata=[
                [f"{i}. {m.name}", format_date(m.due, lang), format_money(m.planned, lang, decimals=False),
                 state[m.achieved]]
                for i, m in enumerate(milestones, start=1)
            ],
            hovertemplate="%{customdata[0]} (%{customdata[3]})<br>%{customdata[1]} · %{customdata[2]}"
                          "<extra></extra>",
        ))
    if budget_total is not None:
        amount = format_money(budget_total, lang, decimals=False)
        fig.add_hline(
            y=float(budget_total), line=dict(color=COLORS["budget"], width=1, dash="dot"),
            annotation_text=t("chart.budget_line", lang, amount=amount),
            annotation_position="top left", annotation_font=dict(size=11, color=COLORS["budget"]),
        )
    # The as-of line as a shape and an annotation (add_vline's annotation does not accept dates).
    fig.add_shape(
        type="line", xref="x", yref="paper", x0=as_of, x1=as_of, y0=0, y1=1,
        line=dict(color=COLORS["as_of"], width=1, dash="dot"),
    )
    fig.add_annotation(
        x=as_of, xref="x", y=1, yref="paper", yanchor="bottom", showarrow=False,
        text=t("chart.as_of", lang, as_of=format_date(as_of, lang)),
        font=dict(size=11, color=COLORS["as_of"]),
    )
    apply_theme(fig, lang)
    money_axis(fig, lang)
    fig.update_xaxes(tickformat="%Y-%m", hoverformat="%Y-%m-%d", title_text="")
    fig.update_yaxes(title_text="", rangemode="tozero")
    return fig


# --- Merchants & impact ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStage:
    """One step of the merchant funnel (reached, supported, completed) and the program's target for it."""

    label: str
    count: int
    target: int | None
    share_of_target: Decimal | None  # count ÷ target (money.share), None without a target


def merchant_funnel_figure(*, stages: Sequence[FunnelStage], lang: str) -> go.Figure:
    """The merchant funnel: merchants reached → supported → completed, each with its share of the target."""
    lang = normalise_lang(lang)
    text = [
        t("merchants_page.chart.funnel_text", lang, count=format_number(s.count, lang),
          share=format_percent(s.share_of_target, lang, digits=0),
          target=format_number(s.target, lang))
        for s in stages
    ]
    fig = go.Figure(go.Funnel(
        y=[s.label for s in stages], x=[s.count for s in stages], text=text, textinfo="text",
        textposition="inside", insidetextfont=dict(color="white"),
        marker=dict(color=[COLORS["planned"], COLORS["actual"], COLORS["achieved"]][: len(stages)]),
        connector=dict(line=dict(color=COLORS["grid"], width=1)),
        customdata=[[format_number(s.target, lang)] for s in stages],
        hovertemplate="%{y}: %{x}<br>" + t("merchants_page.chart.target", lang) + " %{customdata[0]}"
                      "<extra></extra>",
    ))
    apply_theme(fig, lang, height=320)
    fig.update_layout(hovermode="closest", showlegend=False, meta=dict(value_kind="number"))
    return fig


@dataclass(frozen=True)
class ImprovementBar:
    """An indicator's share of merchants that improved between baseline and follow-up."""

    label: str
    share_improved: Decimal | None
    merchants: int  # merchants measured twice
    target_met: bool | None


def improvement_figure(*, bars: Sequence[ImprovementBar], lang: str) -> go.Figure:
    """Share of merchants improved per indicator (horizontal bars, 0-100 %); green when the indicator's
    mean change reaches its target."""
    lang = normalise_lang(lang)
    shown = list(reversed(bars))  # Plotly draws the first bar at the bottom: keep the table's order
    colors = {True: COLORS["achieved"], False: COLORS["upcoming"], None: COLORS["planned"]}
    state = {True: t("merchants_page.chart.target_met", lang),
             False: t("merchants_page.chart.target_not_met", lang),
             None: t("merchants_page.chart.no_target", lang)}
    fig = go.Figure(go.Bar(
        orientation="h", y=[b.label for b in shown],
        x=[float(b.share_improved) if b.share_improved is not None else 0.0 for b in shown],
        text=[format_percent(b.share_improved, lang, digits=0) for b in shown], textposition="outside",
        marker=dict(color=[colors[b.target_met] for b in shown]),
        customdata=[[format_number(b.merchants, lang), state[b.target_met]] for b in shown],
        hovertemplate="%{y}<br>" + t("merchants_page.chart.improved_hover", lang) + "<extra></extra>",
    ))
    apply_theme(fig, lang, height=max(240, 70 + 44 * len(bars)))
    fig.update_layout(hovermode="closest", showlegend=False, margin=dict(l=10, r=40, t=20, b=10),
                      meta=dict(value_kind="percent"))
    ticks = [0, 0.25, 0.5, 0.75, 1]
    fig.update_xaxes(
        range=[0, 1.12], tickvals=ticks, ticktext=[format_percent(v, lang, digits=0) for v in ticks],
        showgrid=True, gridcolor=COLORS["grid"], title_text=t("merchants_page.chart.improved_axis", lang),
    )
    fig.update_yaxes(automargin=True)
    return fig


# --- Burn rate, Co-financing and Milestones pages --------------------------------------------------

# Categories: distinct hues that stay apart for the common colour-vision deficiencies, each 3:1 or more
# on white. A category keeps its colour everywhere (category_colours), whatever the as-of date.
PALETTE = ("#0b5394", "#b45309", "#15803d", "#7c3aed", "#0e7490", "#be185d", "#854d0e", "#4b5563", "#b91c1c")
LATE = "#b91c1c"


def category_colours(codes: Sequence[str]) -> dict[str, str]:
    """Each category's one colour, from the store's category codes in their listed order
    (drilldown.categories: sort order, then id), so that spending or an as-of date never moves it.
    Every chart and document that colours categories takes its colours from here."""
    return {code: PALETTE[index % len(PALETTE)] for index, code in enumerate(codes)}


@dataclass(frozen=True)
class BarSeries:
    """One named series of a bar chart, one Decimal amount per x value."""

    name: str
    values: Sequence[Decimal]
    code: str = ""  # the category's code: its colour and its drill-down choice


def _as_of_line(fig: go.Figure, as_of: date, lang: str) -> None:
    fig.add_shape(type="line", xref="x", yref="paper", x0=as_of, x1=as_of, y0=0, y1=1,
                  line=dict(color=COLORS["as_of"], width=1, dash="dot"))
    fig.add_annotation(x=as_of, xref="x", y=1, yref="paper", yanchor="bottom", showarrow=False,
                       text=t("chart.as_of", lang, as_of=format_date(as_of, lang)),
                       font=dict(size=11, color=COLORS["as_of"]))


def _legend_above_as_of(fig: go.Figure) -> None:
    # The as-of label sits just above the plot: room for it under the title (the legend is under the plot).
    fig.update_layout(margin=dict(t=70))


def monthly_spend_figure(
    *, months: Sequence[date], series: Sequence[BarSeries], colours: dict[str, str], lang: str
) -> go.Figure:
    """Eligible spend per month, one stacked bar segment per category in its own colour (category_colours);
    a bar's customdata is its drill-down choice (month:DATE, category code)."""
    lang = normalise_lang(lang)
    fig = go.Figure()
    for index, s in enumerate(series):
        fig.add_trace(go.Bar(
            name=s.name, x=list(months), y=_floats(s.values),
            marker=dict(color=colours.get(s.code, PALETTE[index % len(PALETTE)]),
                        line=dict(color="white", width=1)),
            customdata=[[f"month:{m.isoformat()}", s.code or "all"] for m in months],
            hovertemplate=money_hover(lang) + "<extra>" + s.name + "</extra>",
        ))
    apply_theme(fig, lang, height=440)
    money_axis(fig, lang)
    # relative: a credit note stacks below zero
    fig.update_layout(barmode="relative", bargap=0.2, meta=dict(x_kind="month"))
    fig.update_xaxes(tickformat="%Y-%m", hoverformat="%Y-%m", dtick="M1", tickangle=-45)
    fig.update_yaxes(title_text=t("burn.chart.monthly_axis", lang))
    return fig


def forecast_figure(
    *,
    actual: Sequence[tuple[date, Decimal]],
    planned: Sequence[tuple[date, Decimal]],
    low: Sequence[tuple[date, Decimal]],
    central: Sequence[tuple[date, Decimal]],
    high: Sequence[tuple[date, Decimal]],
    required: Sequence[tuple[date, Decimal]],
    as_of: date,
    lang: str,
    budget_total: Decimal | None = None,
) -> go.Figure:
    """The cumulative curve (actual vs plan) continued past the as-of date: a band between the
    lowest and highest projection, the projection at the current burn, and the pace that spends
    exactly the budget by the end."""
    lang = normalise_lang(lang)
    fig = cumulative_figure(actual=actual, planned=planned, milestones=(), as_of=as_of, lang=lang,
                            budget_total=budget_total)
    hover = money_hover(lang)
    band = t("burn.chart.band", lang)
    fig.add_trace(go.Scatter(
        name=band, x=[d for d, _ in high], y=_floats([v for _, v in high]), mode="lines",
        line=dict(width=0, color=COLORS["actual"]), showlegend=False, legendgroup="band",
        meta=t("burn.chart.band_high", lang),
        hovertemplate=hover + "<extra>" + t("burn.chart.band_high", lang) + "</extra>",
    ))
    fig.add_trace(go.Scatter(
        name=band, x=[d for d, _ in low], y=_floats([v for _, v in low]), mode="lines",
        line=dict(width=0, color=COLORS["actual"]), fill="tonexty", fillcolor="rgba(11, 83, 148, 0.15)",
        legendgroup="band", meta=t("burn.chart.band_low", lang),
        hovertemplate=hover + "<extra>" + t("burn.chart.band_low", lang) + "</extra>",
    ))
    fig.add_trace(go.Scatter(
        name=t("burn.chart.central", lang), x=[d for d, _ in central], y=_floats([v for _, v in central]),
        mode="lines", line=dict(color=COLORS["actual"], width=2, dash="dash"),
        hovertemplate=hover + "<extra>" + t("burn.chart.central", lang) + "</extra>",
    ))
    if required:
        fig.add_trace(go.Scatter(
            name=t("burn.chart.required", lang), x=[d for d, _ in required],
            y=_floats([v for _, v in required]), mode="lines",
            line=dict(color=COLORS["budget"], width=2, dash="dot"),
            hovertemplate=hover + "<extra>" + t("burn.chart.required", lang) + "</extra>",
        ))
    _legend_above_as_of(fig)
    return fig


def fiscal_years_figure(
    *, labels: Sequence[str], budget: Sequence[Decimal], spent: Sequence[Decimal],
    projected: Sequence[Decimal], lang: str,
) -> go.Figure:
    """Each fiscal year's budget, what was spent in it, and what will have been spent at its end."""
    return _grouped_money_bars(labels, (
        ("burn.chart.fy_budget", budget, dict(color=COLORS["planned"])),
        ("burn.chart.fy_spent", spent, dict(color=COLORS["actual"])),
        ("burn.chart.fy_projected", projected,
         dict(color="rgba(11, 83, 148, 0.25)", line=dict(color=COLORS["actual"], width=1.5),
              pattern=dict(shape="/", fgcolor=COLORS["actual"], size=6))),
    ), lang, drill=[f"fy:{label}" for label in labels])


def _grouped_money_bars(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[Decimal], dict]], lang: str,
    drill: Sequence[str] | None = None,
) -> go.Figure:
    """Side-by-side money bars per category label: one trace per (title key, values, marker style);
    `drill`: each label's drill-down period, carried by its bars (customdata) for a click."""
    lang = normalise_lang(lang)
    hover = money_hover(lang)
    fig = go.Figure()
    customdata = [[key, "all"] for key in drill] if drill else None
    for key, values, style in series:
        name = t(key, lang)
        fig.add_trace(go.Bar(name=name, x=list(labels), y=_floats(values), marker=style,
                             customdata=customdata, hovertemplate=hover + "<extra>" + name + "</extra>"))
    apply_theme(fig, lang, height=360)
    money_axis(fig, lang)
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_xaxes(type="category")
    return fig


def funders_figure(
    *, names: Sequence[str], committed: Sequence[Decimal], cash: Sequence[Decimal],
    in_kind: Sequence[Decimal], lang: str,
) -> go.Figure:
    """Per funder (horizontal bars, first funder on top): committed, and received in cash and in kind
    drawn inside it."""
    lang = normalise_lang(lang)
    hover = money_hover(lang, "x")
    order = list(reversed(range(len(names))))  # Plotly draws the first bar at the bottom
    y = [names[i] for i in order]
    cash_values = _floats([cash[i] for i in order])
    fig = go.Figure()
    fig.add_trace(go.Bar(
        name=t("cofin.chart.committed", lang), orientation="h", y=y, x=_floats([committed[i] for i in order]),
        marker=dict(color="rgba(154, 165, 177, 0.35)", line=dict(color=COLORS["planned"], width=1)),
        width=0.8, hovertemplate=hover + "<extra>" + t("cofin.chart.committed", lang) + "</extra>",
    ))
    fig.add_trace(go.Bar(
        name=t("cofin.chart.cash", lang), orientation="h", y=y, x=cash_values,
        marker_color=COLORS["actual"], width=0.45,
        hovertemplate=hover + "<extra>" + t("cofin.chart.cash", lang) + "</extra>",
    ))
    fig.add_trace(go.Bar(
        name=t("cofin.chart.in_kind", lang), orientation="h", y=y, x=_floats([in_kind[i] for i in order]),
        base=cash_values, marker_color=COLORS["achieved"], width=0.45,
        hovertemplate=hover + "<extra>" + t("cofin.chart.in_kind", lang) + "</extra>",
    ))
    apply_theme(fig, lang, height=max(260, 80 + 56 * len(names)))
    fig.update_layout(barmode="overlay", hovermode="y unified")
    if lang == "en":
        fig.update_xaxes(tickformat=",.0f", tickprefix="$")
    else:
        fig.update_xaxes(tickformat=",.0f", ticksuffix="\u00a0$")
    fig.update_xaxes(showgrid=True, gridcolor=COLORS["grid"])
    fig.update_yaxes(automargin=True, gridcolor="rgba(0,0,0,0)")
    return fig


@dataclass(frozen=True)
class TimelineItem:
    """A milestone on the timeline: due, achieved (or still open), and the tied payment's date."""

    label: str
    due: date
    achieved: date | None
    payment: date | None
    days_late: int
    state: str  # achieved, late (open past its due date), upcoming


def milestone_timeline_figure(*, items: Sequence[TimelineItem], as_of: date, lang: str) -> go.Figure:
    """One row per milestone (the first on top): the due date, the achieved date, the delay between
    them (or from the due date to the as-of for one still open) and the payment received."""
    lang = normalise_lang(lang)
    rows = list(reversed(items))
    y = [i.label for i in rows]
    late_x: list[date | None] = []
    late_y: list[str | None] = []
    for item in rows:
        if item.days_late > 0:
            end = item.achieved if item.achieved is not None else as_of
            late_x += [item.due, end, None]
            late_y += [item.label, item.label, None]
    fig = go.Figure()
    days = t("ms.chart.days_late_hover", lang)
    fig.add_trace(go.Scatter(
        name=t("ms.chart.delay", lang), x=late_x, y=late_y, mode="lines",
        line=dict(color=LATE, width=6), opacity=0.55, hoverinfo="skip",
    ))
    fig.add_trace(go.Scatter(
        name=t("ms.chart.due", lang), x=[i.due for i in rows], y=y, mode="markers",
        marker=dict(symbol="diamond-open", size=14, color=COLORS["upcoming"], line=dict(width=2)),
        customdata=[[format_date(i.due, lang), i.days_late] for i in rows],
        hovertemplate=t("ms.chart.due", lang) + " %{customdata[0]} · " + days + "<extra></extra>",
    ))
    done = [i for i in rows if i.achieved is not None]
    fig.add_trace(go.Scatter(
        name=t("ms.chart.achieved", lang), x=[i.achieved for i in done], y=[i.label for i in done],
        mode="markers", marker=dict(symbol="circle", size=12, color=COLORS["achieved"]),
        customdata=[[format_date(i.achieved, lang)] for i in done],
        hovertemplate=t("ms.chart.achieved", lang) + " %{customdata[0]}<extra></extra>",
    ))
    paid = [i for i in rows if i.payment is not None]
    fig.add_trace(go.Scatter(
        name=t("ms.chart.payment", lang), x=[i.payment for i in paid], y=[i.label for i in paid],
        mode="markers", marker=dict(symbol="square", size=10, color=COLORS["actual"]),
        customdata=[[format_date(i.payment, lang)] for i in paid],
        hovertemplate=t("ms.chart.payment", lang) + " %{customdata[0]}<extra></extra>",
    ))
    _as_of_line(fig, as_of, lang)
    apply_theme(fig, lang, height=max(300, 110 + 48 * len(items)))
    fig.update_layout(hovermode="closest", meta=dict(value_kind="date"))
    _legend_above_as_of(fig)
    fig.update_xaxes(tickformat="%Y-%m", showgrid=True, gridcolor=COLORS["grid"])
    fig.update_yaxes(automargin=True, type="category", categoryorder="array", categoryarray=y)
    return fig


def milestone_progress_figure(
    *, labels: Sequence[str], planned: Sequence[Decimal], actual: Sequence[Decimal], lang: str,
    drill: Sequence[str] | None = None,
) -> go.Figure:
    """Per milestone: the planned cumulative spend and the actual one at its due date (or the as-of);
    `drill`: each milestone's drill-down period."""
    return _grouped_money_bars(labels, (("chart.planned", planned, dict(color=COLORS["planned"])),
                                        ("chart.actual", actual, dict(color=COLORS["actual"]))), lang,
                               drill=drill)


def with_title(fig: go.Figure, title: str) -> go.Figure:
    """The chart's title inside the figure (top left; the legend is under the plot), so that it travels
    with it."""
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 40
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", xref="paper", y=1, yref="container", yanchor="top",
                   pad=dict(t=6), font=dict(size=16, color=FONT["color"])),
        margin=dict(t=top + 34),
    )
    return fig
