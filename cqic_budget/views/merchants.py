"""The Merchants & impact page (SPEC §5.5), ready to draw: targets vs actuals, the merchant funnel, indicator
changes, cost per merchant, filters, the merchant list; for staff, a merchant's own page, add and edit
forms and the Law 25 actions (export, erasure).

`build_merchants` and `build_merchant_page` read the store through cqic_budget.metrics.impact and
cqic_budget.merchants (which enforce roles: a funder or a viewer never receives a name, NEQ or contact)
and format every value; `merchants_view()` and `merchant_page()` are their cached edges.

Built without Streamlit; the cached edges and widgets named here live in cqic_budget/ui/merchants.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import plotly.graph_objects as go
from sqlmodel import Session

from cqic_budget import merchants as service
from cqic_budget.auth import allows, require
from cqic_budget.charts import FunnelStage, ImprovementBar, improvement_figure, merchant_funnel_figure
from cqic_budget.i18n import DASH, format_date, format_money, format_number, format_percent, normalise_lang, t
from cqic_budget.metrics.facts import load_facts
from cqic_budget.metrics.impact import (
    DIMENSIONS,
    ECOMMERCE_CODE,
    JOBS_CODE,
    OTHER_GROUPS,
    Impact,
    IndicatorChange,
    changes_of_merchant,
    load_impact_facts,
    merchant_expenses,
    merge_small_groups,
    program_impact_facts,
    store_impact,
    target_met,
)
from cqic_budget.money import share
from cqic_budget.setup import get_program
from cqic_budget.views import safe
from cqic_budget.views.common import Kpi

FILTER_KEYS = {dimension: f"merchants.filter.{dimension}" for dimension in DIMENSIONS}


LIST_LIMIT = 500  # rows of the merchant list; the filters narrow it
FORM_FIELDS = service.PERSONAL_FIELDS + service.PROFILE_FIELDS
CHOICES = {"sector": service.SECTORS, "size_band": service.SIZE_BANDS, "status": service.STATUSES}

Selection = tuple[tuple[str, tuple[str, ...]], ...]  # ((dimension, values), ...): hashable, for the cache


@dataclass(frozen=True)
class FilterChoice:
    """One multiselect: its session key, label, options and how each option is shown."""

    key: str
    label: str
    options: tuple[str, ...]
    option_labels: dict[str, str]


@dataclass(frozen=True)
class MerchantsView:
    title: str
    purpose: str
    period: str
    filters: tuple[FilterChoice, ...]
    filter_placeholder: str
    filter_note: str
    targets_title: str
    kpis: tuple[Kpi, ...]
    funnel_title: str
    funnel: go.Figure
    improvement_title: str
    improvement: go.Figure
    improvement_note: str
    indicators_title: str
    indicators: list[dict[str, str]]
    indicators_right: tuple[str, ...]  # columns of figures, aligned right
    indicators_note: str
    list_title: str
    list_note: str
    merchants: list[dict[str, str]]
    staff: bool  # may read personal information (names, NEQ, contacts): the merchant's own page
    can_edit: bool  # may add and edit merchants, and erase personal information
    choices: dict[int, str] = field(default_factory=dict)  # merchant id -> name, for staff only


@dataclass(frozen=True)
class MerchantPage:
    """A merchant's own page (staff only)."""

    id: int
    title: str
    subtitle: str
    contact: str
    erased: str | None
    changes: list[dict[str, str]]
    measurements: list[dict[str, str]]
    expenses: list[dict[str, str]]
    right: tuple[str, ...]  # columns of figures in the three tables, aligned right
    expenses_total: str
    form: dict[str, object]  # the stored values, to fill the edit form
    file_name: str  # of the Law 25 export


# --- formatting --------------------------------------------------------------------------------------


def choice_label(dimension: str, value: str, lang: str, *, short: bool = False, min_group: int = 5) -> str:
    """Sector, size band and status in words (`short`: for a table's narrow column); a municipality as
    written; the merged small groups as « Autres (groupes < 5) »."""
    if value == OTHER_GROUPS:
        return t("privacy.other_groups", lang, size=min_group)
    if dimension in CHOICES and value in CHOICES[dimension]:
        if short and dimension != "status":
            return t(f"merchants_page.short.{dimension}.{value}", lang)
        return t(f"merchants_page.{dimension}.{value}", lang)
    return value


def signed(text: str, value: Decimal | int | None) -> str:
    """A change: «+1,5» when it rises (formatting already shows the minus sign of a fall)."""
    return f"+{text}" if value is not None and value > 0 else text


def indicator_value(
    value: Decimal | None, unit: str, lang: str, *, change: bool = False, single: bool = False
) -> str:
    """An indicator's value in its unit: a fraction as a percent (a change in points), dollars, a number.
    `single`: one merchant's measurement rather than a mean: yes/no for a bool, whole numbers as such."""
    if value is None:
        return DASH
    if single and unit == "bool":
        return signed(format_number(value, lang), value) if change else met_text(value > 0, lang)
    if unit in ("percent", "bool"):
        if change:
            points = format_number(value * 100, lang, digits=1)
            return signed(t("merchants_page.points", lang, value=points), value)
        return format_percent(value, lang)
    if unit == "cad":
        text = format_money(value, lang, decimals=False)
    else:
        whole = single and value == value.to_integral_value()
        text = format_number(value, lang, digits=0 if whole else 1)
    return signed(text, value) if change else text


def met_text(met: bool | None, lang: str) -> str:
    return DASH if met is None else t(f"merchants_page.met.{'yes' if met else 'no'}", lang)


def text_or_dash(text: str | None) -> str:
    """User-entered text for a Markdown element, shown as written (a dash when empty)."""
    return safe.md(text) if text else DASH


# --- the page's figures --------------------------------------------------------------------------------


def kpis(result: Impact, spent: Decimal, lang: str) -> tuple[Kpi, ...]:
    """Targets vs actuals, e-commerce, jobs and the cost per merchant, each from one impact figure
    (`spent`: the program's eligible cost E, the numerator of the cost per merchant)."""
    counts = result.counts
    by_code = {c.code: c for c in result.indicators}

    def count_card(key: str, count: int, target: int) -> Kpi:
        return Kpi(
            t(f"merchants_page.kpi.{key}", lang), format_number(count, lang),
            t("merchants_page.kpi.of_target", lang, share=format_percent(share(count, target), lang),
              target=format_number(target, lang)),
            t(f"merchants_page.kpi.{key}_help", lang),
        )

    def measured(code: str) -> str:
        change = by_code.get(code)
        count = format_number(change.merchants if change else 0, lang)
        return t("merchants_page.kpi.measured_twice", lang, count=count)

    def money(value: Decimal | None) -> str:
        return format_money(value, lang, decimals=False)

    supported = format_number(counts.supported, lang)
    if result.where:
        cost_note = t("merchants_page.kpi.cost_program_only", lang)
    else:
        cost_note = t("merchants_page.kpi.cost_note", lang, spent=money(spent), supported=supported)
    jobs = result.jobs_created
    return (
        count_card("reached", counts.reached, counts.target_reached),
        count_card("supported", counts.supported, counts.target_supported),
        count_card("completed", counts.completed, counts.target_completed),
        Kpi(t("merchants_page.kpi.cost", lang), money(result.cost_per_merchant), cost_note,
               t("merchants_page.kpi.cost_help", lang)),
        Kpi(t("merchants_page.kpi.ecommerce", lang), format_number(result.ecommerce_launched, lang),
               measured(ECOMMERCE_CODE), t("merchants_page.kpi.ecommerce_help", lang)),
        Kpi(t("merchants_page.kpi.jobs", lang), signed(format_number(jobs, lang), jobs),
               measured(JOBS_CODE), t("merchants_page.kpi.jobs_help", lang)),
        Kpi(t("merchants_page.kpi.direct", lang), money(result.direct_spent),
               t("merchants_page.kpi.direct_note", lang), t("merchants_page.kpi.direct_help", lang)),
        Kpi(t("merchants_page.kpi.direct_cost", lang),
               money(result.direct_cost_per_merchant),
               t("merchants_page.kpi.direct_cost_note", lang, spent=money(result.direct_spent),
                 supported=supported),
               t("merchants_page.kpi.direct_cost_help", lang)),
    )


def funnel(result: Impact, lang: str) -> go.Figure:
    counts = result.counts
    stages = [
        FunnelStage(t(f"merchants_page.funnel.{key}", lang), count, target, share(count, target))
        for key, count, target in (
            ("reached", counts.reached, counts.target_reached),
            ("supported", counts.supported, counts.target_supported),
            ("completed", counts.completed, counts.target_completed),
        )
    ]
    return merchant_funnel_figure(stages=stages, lang=lang)


def indicator_rows(changes: list[IndicatorChange], lang: str) -> list[dict[str, str]]:
    """Per indicator: merchants measured twice, baseline mean → follow-up mean, mean and median change,
    share improved, the target (a mean change) and whether it is met."""
    col = {key: t(f"merchants_page.col.{key}", lang) for key in (
        "indicator", "measured", "baseline", "followup", "mean_change", "median_change", "improved", "target",
        "met")}
    return [
        {
            col["indicator"]: c.name(lang),
            col["measured"]: format_number(c.merchants, lang),
            col["baseline"]: indicator_value(c.baseline_mean, c.unit, lang),
            col["followup"]: indicator_value(c.followup_mean, c.unit, lang),
            col["mean_change"]: indicator_value(c.mean_change, c.unit, lang, change=True),
            col["median_change"]: indicator_value(c.median_change, c.unit, lang, change=True),
            col["improved"]: format_percent(c.share_improved, lang, digits=0),
            col["target"]: indicator_value(c.target, c.unit, lang, change=True),
            col["met"]: met_text(target_met(c), lang),
        }
        for c in changes
    ]


def improvement(changes: list[IndicatorChange], lang: str) -> go.Figure:
    bars = [ImprovementBar(c.name(lang), c.share_improved, c.merchants, target_met(c)) for c in changes]
    return improvement_figure(bars=bars, lang=lang)


def listing_rows(rows: list[dict], lang: str, *, min_group: int = 5) -> list[dict[str, str]]:
    """list_merchants' rows in words; the columns are what the service returned for the user's role
    (contact phone and erasure date are left to the merchant's own page)."""
    shown = [c for c in rows[0] if c not in ("contact_name", "contact_phone", "erased_at")] if rows else []
    if "name" in shown:
        shown.remove("id")  # staff know a merchant by its name
    names = {c: t(f"merchants_page.list.{c}", lang) for c in shown}
    return [
        {names[c]: format_date(row[c]) if c == "enrolment_date" else
         choice_label(c, row[c], lang, short=True, min_group=min_group) if c in (*CHOICES, *DIMENSIONS) else
         DASH if row[c] is None else str(row[c]) for c in shown}
        for row in rows
    ]


def where_of(selection: Selection) -> dict[str, tuple[str, ...]]:
    return {dimension: values for dimension, values in selection if values}


def _option_order(dimension: str, value: str) -> tuple[int, str]:
    """Sector, size band and status in their natural order (micro, small, medium); municipalities by name."""
    order = CHOICES.get(dimension, ())
    return (order.index(value) if value in order else len(order), value)


def filter_choices(present: dict[str, set[str]], selection: Selection, lang: str, *,
                   min_group: int = 5) -> tuple[FilterChoice, ...]:
    """The three multiselects; a value selected earlier stays an option even if no merchant has it now."""
    chosen = where_of(selection)
    result = []
    for dimension in DIMENSIONS:
        values = present[dimension] | set(chosen.get(dimension, ()))
        options = tuple(sorted(values, key=lambda v, d=dimension: _option_order(d, v)))
        result.append(FilterChoice(FILTER_KEYS[dimension], t(f"merchants_page.filter.{dimension}", lang),
                                   options, {v: choice_label(dimension, v, lang, min_group=min_group)
                                             for v in options}))
    return tuple(result)


def _listing_filter(session: Session, program_id: int, where: dict[str, tuple[str, ...]], min_group: int
                    ) -> tuple[dict[str, tuple[str, ...]], dict[str, frozenset[str]]]:
    """For a reader who sees merged small groups: the list's filters with « Autres » standing for every
    value of the register held by fewer than `min_group` merchants, and the values shown by name."""
    sizes = service.register_group_sizes(session, program_id=program_id)
    shown = {d: frozenset(v for v, n in sizes[d].items() if n >= min_group) for d in DIMENSIONS}
    listed = {}
    for dimension, values in where.items():
        raw = [v for v in values if v != OTHER_GROUPS and v in shown[dimension]]
        if OTHER_GROUPS in values:
            raw += [v for v in sizes[dimension] if v not in shown[dimension]]
        listed[dimension] = tuple(raw)
    return listed, shown


def build_merchants(
    session: Session, *, program_code: str | None, as_of: date, lang: str, user: str,
    selection: Selection = (),
) -> MerchantsView:
    """Every figure of the page for the merchants matching `selection` (all of them when empty)."""
    lang = normalise_lang(lang)
    role = require(session, user, "read")
    program = get_program(session, program_code)
    # Counts and spending by group, and E in one SUM; the indicator statistics are computed by the store
    # (store_impact): no figure of the page groups the expenses by month.
    ifacts = program_impact_facts(session, program=program, as_of=as_of)
    staff = allows(role, "read_personal")
    min_group = program.min_group_size
    where = where_of(selection)
    if staff:
        listed = where
    else:  # groups of fewer than min_group merchants are merged: none of them is named
        listed, shown = _listing_filter(session, program.id, where, min_group)
    # The store filters on the register's own values: « Autres » stands for the small groups' values.
    result = store_impact(session, where=listed, ifacts=ifacts)
    if not staff:
        ifacts = merge_small_groups(ifacts, min_group)
    rows = service.list_merchants(session, user=user, program_id=program.id, limit=LIST_LIMIT + 1, **listed)
    if not staff:
        rows = [{**row, **{d: row[d] if row[d] in shown[d] else OTHER_GROUPS for d in DIMENSIONS}}
                for row in rows]
    present = {dimension: {getattr(g, dimension) for g in ifacts.groups} for dimension in DIMENSIONS}
    as_of_text = format_date(ifacts.as_of, lang)
    if where:
        filter_note = t("merchants_page.filter_note.some", lang,
                        count=format_number(result.counts.reached, lang))
    else:
        filter_note = t("merchants_page.filter_note.all", lang)
    list_note = t(f"merchants_page.list_note.{'staff' if staff else 'aggregate'}", lang,
                  count=format_number(min(len(rows), LIST_LIMIT), lang))
    if len(rows) > LIST_LIMIT:
        list_note += " " + t("merchants_page.list_note.limit", lang, limit=format_number(LIST_LIMIT, lang))
    rows = rows[:LIST_LIMIT]
    return MerchantsView(
        title=t("merchants_page.title", lang),
        purpose=t("merchants_page.purpose", lang),
        period=t("merchants_page.period", lang,
                 name=safe.md(program.name_en if lang == "en" else program.name_fr), as_of=as_of_text),
        filters=filter_choices(present, selection, lang, min_group=min_group),
        filter_placeholder=t("merchants_page.filter.placeholder", lang),
        filter_note=filter_note,
        targets_title=t("merchants_page.targets", lang),
        kpis=kpis(result, ifacts.spent, lang),
        funnel_title=t("merchants_page.funnel", lang),
        funnel=funnel(result, lang),
        improvement_title=t("merchants_page.improvement", lang),
        improvement=improvement(result.indicators, lang),
        improvement_note=t("merchants_page.improvement_note", lang),
        indicators_title=t("merchants_page.indicators", lang),
        indicators=indicator_rows(result.indicators, lang),
        indicators_right=tuple(t(f"merchants_page.col.{key}", lang) for key in (
            "measured", "baseline", "followup", "mean_change", "median_change", "improved", "target")),
        indicators_note=t("merchants_page.indicators_note", lang, as_of=as_of_text),
        list_title=t("merchants_page.list", lang),
        list_note=list_note,
        merchants=listing_rows(rows, lang, min_group=min_group),
        staff=staff,
        can_edit=staff and allows(role, "edit"),
        choices={row["id"]: row["name"] for row in rows} if staff else {},
    )


def build_merchant_page(
    session: Session, merchant_id: int, *, program_code: str | None, as_of: date, lang: str, user: str
) -> MerchantPage:
    """A merchant's own page: profile and contact, its indicators before/after (to the as-of date), every
    measurement, and the expenses tied to it. Staff only (merchants.merchant_detail raises Forbidden)."""
    lang = normalise_lang(lang)
    detail = service.merchant_detail(session, merchant_id, user=user)
    program = get_program(session, program_code)
    if detail["program_id"] != program.id:
        raise service.MerchantError("not-found", merchant_id)
    facts = load_facts(session, program_id=program.id, as_of=as_of)
    ifacts = load_impact_facts(session, facts=facts)
    names = {i.code: (i.name_en if lang == "en" else i.name_fr, i.unit) for i in ifacts.indicators}
    col = {key: t(f"merchants_page.col.{key}", lang) for key in (
        "indicator", "baseline", "followup", "change", "progress", "kind", "date", "value", "vendor",
        "description", "category", "invoice", "eligible", "file", "row")}
    changes = [
        {col["indicator"]: names[code][0],
         col["baseline"]: indicator_value(c.baseline, names[code][1], lang, single=True),
         col["followup"]: indicator_value(c.followup, names[code][1], lang, single=True),
         col["change"]: indicator_value(c.change, names[code][1], lang, change=True, single=True),
         col["progress"]: met_text(c.improved, lang)}
        for code, c in changes_of_merchant(ifacts, merchant_id).items()
    ]
    measurements = [
        {col["indicator"]: m["name_en"] if lang == "en" else m["name_fr"],
         col["kind"]: t(f"merchants_page.kind.{m['kind']}", lang), col["date"]: format_date(m["date"]),
         col["value"]: indicator_value(m["value"], m["unit"], lang, single=True)}
        for m in detail["measurements"]
    ]
    spent = merchant_expenses(session, program_id=program.id, merchant_id=merchant_id, as_of=facts.as_of)
    expenses = [
        {col["date"]: format_date(e.date), col["eligible"]: format_money(e.eligible, lang),
         col["vendor"]: e.vendor, col["description"]: e.description,
         col["category"]: e.category(lang), col["invoice"]: e.invoice_number,
         col["file"]: e.file_name or t("merchants_page.typed", lang),
         col["row"]: DASH if e.source_row is None else str(e.source_row)}
        for e in spent
    ]
    total = sum((e.eligible for e in spent), Decimal(0))
    profile = [
        t("merchants_page.neq", lang, neq=detail["neq"] or DASH),
        choice_label("sector", detail["sector"], lang), choice_label("size_band", detail["size_band"], lang),
        detail["municipality"],
        t("merchants_page.enrolled", lang, date=format_date(detail["enrolment_date"])),
        choice_label("status", detail["status"], lang),
    ]
    erased = detail["erased_at"]
    return MerchantPage(
        id=merchant_id,
        title=detail["name"],
        subtitle=" · ".join(profile),
        contact=t("merchants_page.contact", lang, name=text_or_dash(detail["contact_name"]),
                  email=text_or_dash(detail["contact_email"]), phone=text_or_dash(detail["contact_phone"])),
        erased=t("merchants_page.erased", lang, date=format_date(erased.date())) if erased else None,
        changes=changes,
        measurements=measurements,
        expenses=expenses,
        right=tuple(col[key] for key in ("baseline", "followup", "change", "value", "eligible", "row")),
        expenses_total=t("merchants_page.expenses_total", lang, count=format_number(len(spent), lang),
                         total=format_money(total, lang), as_of=format_date(facts.as_of)),
        form={f: detail[f] for f in FORM_FIELDS},
        file_name=f"commercant-{merchant_id}-loi25.json",
    )
