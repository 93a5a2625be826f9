"""Impact: merchants reached / supported / completed vs targets, indicator changes, cost per merchant."""

from __future__ import annotations

import statistics
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cached_property

import sqlalchemy as sa
from sqlmodel import Session

from cqic_budget.metrics.facts import ZERO, ProgramFacts, eligible_spent
from cqic_budget.models import Category, Expense, ImportBatch, Indicator, Measurement, Merchant
from cqic_budget.money import from_cents, share

# Indicator codes with a figure of their own (SPEC §3: e-commerce launched; jobs).
ECOMMERCE_CODE = "ecommerce_launched"  # unit bool: 0 at baseline, 1 once the online store is live
JOBS_CODE = "jobs"  # unit count: jobs at the merchant
DIMENSIONS = ("sector", "size_band", "municipality")
SUPPORTED_STATUSES = ("supported", "completed")  # a completed merchant was supported, and reached
STATUSES = ("reached", "supported", "completed")

# A dimension -> one value, or a collection of values (any of them: the page's multiselect filters).
Where = dict[str, str | Collection[str]]


@dataclass(frozen=True)
class MerchantGroup:
    sector: str
    size_band: str
    municipality: str
    status: str
    count: int


@dataclass(frozen=True)
class IndicatorFact:
    id: int
    code: str
    name_fr: str
    name_en: str
    unit: str
    direction: str  # up: more is better; down: less is better
    target: Decimal | None


@dataclass(frozen=True)
class MeasurementPair:
    """A merchant's latest baseline and latest follow-up of one indicator."""

    indicator_id: int
    merchant_id: int
    sector: str
    size_band: str
    municipality: str
    baseline: Decimal
    followup: Decimal

    @property
    def change(self) -> Decimal:
        return self.followup - self.baseline


@dataclass(frozen=True)
class DirectSpend:
    """Eligible spending tied to merchants of one group (expenses with a merchant)."""

    sector: str
    size_band: str
    municipality: str
    spent: Decimal


@dataclass(frozen=True)
class ImpactFacts:
    as_of: date
    spent: Decimal  # E, the program's eligible cost to the as-of
    target_reached: int
    target_supported: int
    target_completed: int
    groups: tuple[MerchantGroup, ...]
    indicators: tuple[IndicatorFact, ...]
    pairs: tuple[MeasurementPair, ...]
    direct_spend: tuple[DirectSpend, ...]

    @cached_property
    def pairs_by_indicator(self) -> dict[int, tuple[MeasurementPair, ...]]:
        """The pairs of each indicator (20 000 merchants: every figure reads its indicator's pairs only)."""
        grouped: dict[int, list[MeasurementPair]] = {}
        for pair in self.pairs:
            grouped.setdefault(pair.indicator_id, []).append(pair)
        return {indicator_id: tuple(pairs) for indicator_id, pairs in grouped.items()}


def _in_program(program_id: int, as_of: date, where: Where | None = None) -> list[sa.ColumnElement]:
    """The merchants of the program enrolled on or before the as-of, matching `where` (SQL)."""
    conditions = [Merchant.program_id == program_id, Merchant.enrolment_date <= as_of]
    for dimension, wanted in (where or {}).items():
        column = getattr(Merchant, dimension)
        conditions.append(column == wanted if isinstance(wanted, str) else column.in_(tuple(wanted)))
    return conditions


def _latest_key(session: Session) -> sa.ColumnElement:
    """A measurement's date and id as one text that sorts as (date, id): '2026-06-01#000000001234'."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.func.concat(sa.cast(Measurement.date, sa.String), "#",
                              sa.func.lpad(sa.cast(Measurement.id, sa.String), 12, "0"))
    return sa.func.printf("%s#%012d", Measurement.date, Measurement.id)


def _pairs_select(session: Session, program_id: int, as_of: date, where: Where | None = None, *,
                  groups: bool = True) -> sa.Select:
    """One row per merchant and indicator measured twice: the latest baseline and the latest follow-up
    dated on or before the as-of (the latest date, then the latest id), as their stored decimal text
    (columns indicator_id, merchant_id, sector, size_band, municipality, baseline, followup; groups=False:
    without the merchant's sector, size band and municipality). The one definition of a pair."""
    # One GROUP BY (merchant, indicator) keeps the greatest (date, id) key of each kind, and the two
    # measurements are then read by their id: no window sort, no self-join of the ranked rows (on SQLite
    # that was a nested scan; 20 000 merchants: 2.4 x faster than row_number()).
    key = _latest_key(session)

    def latest(kind: str) -> sa.ColumnElement:
        return sa.func.max(sa.case((Measurement.kind == kind, key)))

    keys = [Measurement.merchant_id, Measurement.indicator_id]
    if groups:
        keys += [Merchant.sector, Merchant.size_band, Merchant.municipality]
    base_key, follow_key = latest("baseline"), latest("followup")
    latest_ids = (
        sa.select(*keys, base_key.label("base_key"), follow_key.label("follow_key"))
        .join(Merchant, Merchant.id == Measurement.merchant_id)
        .where(*_in_program(program_id, as_of, where), Measurement.date <= as_of)
        .group_by(*keys)
        .having(sa.and_(base_key.is_not(None), follow_key.is_not(None)))
        .subquery()
    )
    base, follow = sa.orm.aliased(Measurement), sa.orm.aliased(Measurement)

    def id_of(column: sa.ColumnElement) -> sa.ColumnElement:
        return sa.cast(sa.func.substr(column, 12), sa.Integer)  # after 'YYYY-MM-DD#'

    value = [sa.type_coerce(m.value, sa.String) for m in (base, follow)]  # the text, not a Decimal
    picked = [latest_ids.c.indicator_id, latest_ids.c.merchant_id]
    if groups:
        picked += [latest_ids.c.sector, latest_ids.c.size_band, latest_ids.c.municipality]
    return (
        sa.select(*picked, value[0].label("baseline"), value[1].label("followup"))
        .join(base, base.id == id_of(latest_ids.c.base_key))
        .join(follow, follow.id == id_of(latest_ids.c.follow_key))
    )


def _groups(session: Session, program_id: int, as_of: date) -> tuple[MerchantGroup, ...]:
    return tuple(
        MerchantGroup(sector, size, town, status, int(n))
        for sector, size, town, status, n in session.execute(
            sa.select(Merchant.sector, Merchant.size_band, Merchant.municipality, Merchant.status,
                      sa.func.count())
            .where(*_in_program(program_id, as_of))
            .group_by(Merchant.sector, Merchant.size_band, Merchant.municipality, Merchant.status)
        ).all()
    )


def _indicators(session: Session, program_id: int) -> tuple[IndicatorFact, ...]:
    return tuple(
        IndicatorFact(*row)
        for row in session.execute(
            sa.select(Indicator.id, Indicator.code, Indicator.name_fr, Indicator.name_en, Indicator.unit,
                      Indicator.direction, Indicator.target)
            .where(Indicator.program_id == program_id).order_by(Indicator.id)
        ).all()
    )


def _direct_spend(session: Session, program_id: int, as_of: date) -> tuple[DirectSpend, ...]:
    # Summed per merchant first, in the order of the ix_expense_merchant index, then per group: one
    # merchant lookup per merchant, not per expense.
    per_merchant = (
        sa.select(Expense.merchant_id.label("merchant_id"),
                  sa.func.sum(Expense.eligible_cents).label("cents"))
        .where(Expense.merchant_id.is_not(None), Expense.program_id == program_id, Expense.date <= as_of)
        .group_by(Expense.merchant_id)
        .subquery()
    )
    return tuple(
        DirectSpend(sector, size, town, from_cents(int(cents)))
        for sector, size, town, cents in session.execute(
            sa.select(Merchant.sector, Merchant.size_band, Merchant.municipality,
                      sa.func.sum(per_merchant.c.cents))
            .join(Merchant, Merchant.id == per_merchant.c.merchant_id)
            .group_by(Merchant.sector, Merchant.size_band, Merchant.municipality)
        ).all()
    )


def load_impact_facts(session: Session, *, facts: ProgramFacts, pairs: bool = True) -> ImpactFacts:
    """Merchant counts, indicators and (baseline, follow-up) pairs, dated on or before the facts' as-of.

    pairs=False leaves the pairs out (store_impact computes their statistics in SQL)."""
    program_id, as_of = facts.program_id, facts.as_of
    loaded = ()
    if pairs:
        query = _pairs_select(session, program_id, as_of).subquery()
        loaded = tuple(
            MeasurementPair(indicator_id, merchant_id, sector, size, town, Decimal(base), Decimal(follow))
            for indicator_id, merchant_id, sector, size, town, base, follow in session.execute(
                sa.select(query).order_by(query.c.indicator_id, query.c.merchant_id)
            ).all()
        )
    return ImpactFacts(
        as_of=as_of, spent=eligible_spent(facts),
        target_reached=facts.target_merchants_reached, target_supported=facts.target_merchants_supported,
        target_completed=facts.target_merchants_completed,
        groups=_groups(session, program_id, as_of), indicators=_indicators(session, program_id),
        pairs=loaded, direct_spend=_direct_spend(session, program_id, as_of),
    )


def _matches(item: object, where: Where | None) -> bool:
    return not where or all(_value_matches(getattr(item, k), v) for k, v in where.items())


def _value_matches(value: str, wanted: str | Collection[str]) -> bool:
    return value == wanted if isinstance(wanted, str) else value in wanted


# --- Pure functions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MerchantCounts:
    reached: int  # every merchant enrolled: reached, supported or completed
    supported: int  # supported or completed
    completed: int
    target_reached: int
    target_supported: int
    target_completed: int


def merchant_counts(ifacts: ImpactFacts, where: Where | None = None) -> MerchantCounts:
    groups = [g for g in ifacts.groups if _matches(g, where)]
    return MerchantCounts(
        reached=sum(g.count for g in groups if g.status in STATUSES),
        supported=sum(g.count for g in groups if g.status in SUPPORTED_STATUSES),
        completed=sum(g.count for g in groups if g.status == "completed"),
        target_reached=ifacts.target_reached,
        target_supported=ifacts.target_supported,
        target_completed=ifacts.target_completed,
    )


def cost_per_merchant(spent: Decimal, supported: int) -> Decimal | None:
    """E ÷ merchants supported (unrounded); None when no merchant is supported yet."""
    return share(spent, Decimal(supported))


def improved(direction: str, change: Decimal) -> bool:
    return change < 0 if direction == "down" else change > 0


@dataclass(frozen=True)
class MerchantChange:
    merchant_id: int
    baseline: Decimal
    followup: Decimal
    change: Decimal
    improved: bool


@dataclass(frozen=True)
class IndicatorChange:
    code: str
    name_fr: str
    name_en: str
    unit: str
    direction: str
    target: Decimal | None
    merchants: int  # merchants with a baseline and a follow-up
    baseline_mean: Decimal | None
    followup_mean: Decimal | None
    mean_change: Decimal | None
    median_change: Decimal | None
    improved: int
    share_improved: Decimal | None

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_fr


def _indicator(ifacts: ImpactFacts, code: str) -> IndicatorFact | None:
    return next((i for i in ifacts.indicators if i.code == code), None)


def merchant_changes(ifacts: ImpactFacts, code: str, where: Where | None = None) -> list[MerchantChange]:
    """Baseline → follow-up of one indicator, merchant by merchant."""
    indicator = _indicator(ifacts, code)
    if indicator is None:
        return []
    changes = []
    for p in ifacts.pairs_by_indicator.get(indicator.id, ()):
        if not where or _matches(p, where):
            change = p.change
            changes.append(MerchantChange(p.merchant_id, p.baseline, p.followup, change,
                                          improved(indicator.direction, change)))
    return changes


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def indicator_changes(ifacts: ImpactFacts, where: Where | None = None) -> list[IndicatorChange]:
    """Per indicator: merchants measured twice, mean baseline and follow-up, mean and median change,
    and the share that improved (respecting the indicator's direction)."""
    result = []
    for ind in ifacts.indicators:
        changes = merchant_changes(ifacts, ind.code, where)
        deltas = [c.change for c in changes]
        better = sum(1 for c in changes if c.improved)
        result.append(IndicatorChange(
            code=ind.code, name_fr=ind.name_fr, name_en=ind.name_en, unit=ind.unit, direction=ind.direction,
            target=ind.target, merchants=len(changes),
            baseline_mean=_mean([c.baseline for c in changes]),
            followup_mean=_mean([c.followup for c in changes]),
            mean_change=_mean(deltas),
            median_change=statistics.median(deltas) if deltas else None,
            improved=better, share_improved=share(Decimal(better), Decimal(len(changes))),
        ))
    return result


def ecommerce_launched(ifacts: ImpactFacts, where: Where | None = None) -> int | None:
    """Merchants with no online store at baseline and one at follow-up; None without the indicator."""
    if _indicator(ifacts, ECOMMERCE_CODE) is None:
        return None
    return sum(1 for c in merchant_changes(ifacts, ECOMMERCE_CODE, where) if c.baseline <= 0 < c.followup)


def jobs_created(ifacts: ImpactFacts, where: Where | None = None) -> Decimal | None:
    """Net jobs: Σ (follow-up − baseline) over merchants measured twice; None without the indicator."""
    if _indicator(ifacts, JOBS_CODE) is None:
        return None
    return sum((c.change for c in merchant_changes(ifacts, JOBS_CODE, where)), Decimal(0))


def direct_spent(ifacts: ImpactFacts, where: Where | None = None) -> Decimal:
    return sum((d.spent for d in ifacts.direct_spend if _matches(d, where)), ZERO)


@dataclass(frozen=True)
class Impact:
    where: Where
    counts: MerchantCounts
    indicators: list[IndicatorChange]
    ecommerce_launched: int | None
    jobs_created: Decimal | None
    cost_per_merchant: Decimal | None  # E ÷ supported: program-wide only (None for a group)
    direct_spent: Decimal  # eligible spending tied to these merchants' own expenses
    direct_cost_per_merchant: Decimal | None  # direct_spent ÷ supported


def _check_where(where: Where | None) -> dict:
    where = dict(where or {})
    unknown = set(where) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"cannot split by {sorted(unknown)}: one of {DIMENSIONS}")
    return where


def _impact(ifacts: ImpactFacts, where: dict, indicators: list[IndicatorChange], ecommerce: int | None,
            jobs: Decimal | None) -> Impact:
    counts = merchant_counts(ifacts, where)
    direct = direct_spent(ifacts, where)
    return Impact(
        where=where, counts=counts, indicators=indicators, ecommerce_launched=ecommerce, jobs_created=jobs,
        cost_per_merchant=None if where else cost_per_merchant(ifacts.spent, counts.supported),
        direct_spent=direct, direct_cost_per_merchant=cost_per_merchant(direct, counts.supported),
    )


def impact(ifacts: ImpactFacts, where: Where | None = None) -> Impact:
    """Every impact figure, for the whole program or for the merchants matching `where`
    (e.g. {"sector": "retail", "municipality": "Laval"}), from the pairs in memory: the reference that
    store_impact (the same figures in SQL, what the page and the report call) is tested against."""
    where = _check_where(where)
    return _impact(ifacts, where, indicator_changes(ifacts, where), ecommerce_launched(ifacts, where),
                   jobs_created(ifacts, where))


def split_impact(ifacts: ImpactFacts, by: str) -> dict[str, Impact]:
    """impact() for each value of one dimension (sector, size_band or municipality), sorted by value."""
    if by not in DIMENSIONS:
        raise ValueError(f"cannot split by {by!r}: one of {DIMENSIONS}")
    values = sorted({getattr(g, by) for g in ifacts.groups})
    return {value: impact(ifacts, {by: value}) for value in values}


# --- The same figures in SQL (the page and the report: 20 000 merchants, ~72 000 pairs) ----------------


def _as_number(session: Session, text: sa.ColumnElement) -> sa.ColumnElement:
    """A stored decimal text as a number to compare and order by: exact NUMERIC on PostgreSQL; REAL on
    SQLite (no exact type: equal only for texts that agree in their first 15 significant digits)."""
    return sa.cast(text, sa.Numeric if session.get_bind().dialect.name == "postgresql" else sa.Float)


def _plain(text: sa.ColumnElement) -> sa.ColumnElement:
    """A decimal text without exponent, NaN or Infinity: '-12.50', '3' (str(Decimal) of usual values)."""
    return sa.and_(text.not_like("%E%"), text.not_like("%N%"), text.not_like("%n%"))


def _scale(session: Session, text: sa.ColumnElement) -> sa.ColumnElement:
    """Digits after the point of a plain decimal text (0 without one)."""
    find = sa.func.strpos if session.get_bind().dialect.name == "postgresql" else sa.func.instr
    dot = find(text, ".")
    return sa.case((dot > 0, sa.func.length(text) - dot), else_=0)


def _mantissa(session: Session, text: sa.ColumnElement) -> sa.ColumnElement:
    """A plain decimal text without its point, as an exact integer ('-12.50' -> -1250)."""
    exact = sa.Numeric if session.get_bind().dialect.name == "postgresql" else sa.Integer
    return sa.cast(sa.func.replace(text, ".", ""), exact)


def store_indicator_changes(
    session: Session, ifacts: ImpactFacts, *, program_id: int, where: Where | None = None
) -> tuple[list[IndicatorChange], int | None, Decimal | None]:
    """indicator_changes(), ecommerce_launched() and jobs_created() computed by the store, in ONE statement
    over the pairs (a CTE, paired once): a few rows per indicator come back, never the pairs.

    - the counts (merchants, improved respecting the direction, e-commerce launched) and the exact sums of
      the baselines and follow-ups: the plain decimal texts summed as integers per (scale of the baseline,
      scale of the follow-up) — a handful of groups — and any text in exponent notation grouped by itself;
    - the median change as statistics.median takes it (the middle change, or the mean of the two middle
      ones): the middle rows found by row_number() and count() windows, their changes taken exactly from
      their two texts here.
    """
    pairs = _pairs_select(session, program_id, ifacts.as_of, where, groups=False).cte("pairs")
    b_text, f_text = pairs.c.baseline, pairs.c.followup
    b, f = _as_number(session, b_text), _as_number(session, f_text)
    better = sa.case((Indicator.direction == "down", sa.case((f < b, 1), else_=0)),
                     else_=sa.case((f > b, 1), else_=0))
    launched = sa.case((sa.and_(b <= 0, f > 0), 1), else_=0)
    plain = sa.and_(_plain(b_text), _plain(f_text))
    scale_b = sa.case((plain, _scale(session, b_text)), else_=-1)
    scale_f = sa.case((plain, _scale(session, f_text)), else_=-1)
    odd_b, odd_f = sa.case((plain, None), else_=b_text), sa.case((plain, None), else_=f_text)
    number = sa.Numeric if session.get_bind().dialect.name == "postgresql" else sa.Integer
    mantissa_b = sa.case((plain, _mantissa(session, b_text)), else_=None)
    mantissa_f = sa.case((plain, _mantissa(session, f_text)), else_=None)
    grouped = (
        sa.select(sa.literal("sums").label("part"), pairs.c.indicator_id, scale_b.label("scale_b"),
                  scale_f.label("scale_f"), odd_b.label("text_b"), odd_f.label("text_f"),
                  sa.func.count().label("n"), sa.func.sum(better).label("improved"),
                  sa.func.sum(launched).label("launched"),
                  sa.cast(sa.func.sum(mantissa_b), number).label("sum_b"),
                  sa.cast(sa.func.sum(mantissa_f), number).label("sum_f"))
        .join(Indicator, Indicator.id == pairs.c.indicator_id)
        .group_by(pairs.c.indicator_id, scale_b, scale_f, odd_b, odd_f)
    )
    ranked = sa.select(
        pairs.c.indicator_id, b_text.label("baseline"), f_text.label("followup"),
        sa.func.row_number().over(partition_by=pairs.c.indicator_id,
                                  order_by=(f - b, pairs.c.merchant_id)).label("position"),
        sa.func.count().over(partition_by=pairs.c.indicator_id).label("total"),
    ).subquery()
    # Integer division on both stores: 5 pairs -> rows 3 and 3; 4 pairs -> rows 2 and 3.
    middle = (
        sa.select(sa.literal("median"), ranked.c.indicator_id, ranked.c.position, sa.literal(0),
                  ranked.c.baseline, ranked.c.followup, sa.literal(0), sa.literal(0), sa.literal(0),
                  sa.cast(sa.null(), number), sa.cast(sa.null(), number))
        .where(ranked.c.position.in_([(ranked.c.total + 1) // 2, (ranked.c.total + 2) // 2]))
    )
    counted: dict[int, list[int]] = {}
    sums: dict[int, list[Decimal]] = {}
    middles: dict[int, list[tuple[int, Decimal]]] = {}
    for part, indicator_id, sb, sf, tb, tf, n, up, on, mb, mf in session.execute(
        sa.union_all(grouped, middle)
    ).all():
        if part == "median":
            middles.setdefault(indicator_id, []).append((int(sb), Decimal(tf) - Decimal(tb)))
            continue
        count = counted.setdefault(indicator_id, [0, 0, 0])
        count[0] += int(n)
        count[1] += int(up)
        count[2] += int(on)
        total = sums.setdefault(indicator_id, [Decimal(0), Decimal(0)])
        if sb == -1:  # not plain: this (baseline, follow-up) text pair, n times
            total[0] += Decimal(tb) * int(n)
            total[1] += Decimal(tf) * int(n)
        else:
            total[0] += Decimal(int(mb)).scaleb(-int(sb))
            total[1] += Decimal(int(mf)).scaleb(-int(sf))
    medians = {}
    for indicator_id, rows in middles.items():
        changes = [change for _, change in sorted(rows)]
        medians[indicator_id] = changes[0] if len(changes) == 1 else (changes[0] + changes[1]) / 2
    changes, ecommerce, jobs = [], None, None
    for ind in ifacts.indicators:
        n, up, on = counted.get(ind.id, (0, 0, 0))
        total_b, total_f = sums.get(ind.id, (Decimal(0), Decimal(0)))
        changes.append(IndicatorChange(
            code=ind.code, name_fr=ind.name_fr, name_en=ind.name_en, unit=ind.unit, direction=ind.direction,
            target=ind.target, merchants=n,
            baseline_mean=total_b / n if n else None, followup_mean=total_f / n if n else None,
            mean_change=(total_f - total_b) / n if n else None, median_change=medians.get(ind.id),
            improved=up, share_improved=share(Decimal(up), Decimal(n)),
        ))
        if ind.code == ECOMMERCE_CODE and ecommerce is None:
            ecommerce = on
        if ind.code == JOBS_CODE and jobs is None:
            jobs = total_f - total_b
    return changes, ecommerce, jobs


def store_impact(session: Session, *, facts: ProgramFacts, where: Where | None = None,
                 ifacts: ImpactFacts | None = None) -> Impact:
    """impact() with the indicator statistics computed by the store (the pairs never leave it)."""
    where = _check_where(where)
    ifacts = ifacts or load_impact_facts(session, facts=facts, pairs=False)
    changes, ecommerce, jobs = store_indicator_changes(session, ifacts, program_id=facts.program_id,
                                                        where=where)
    return _impact(ifacts, where, changes, ecommerce, jobs)


def store_split_impact(session: Session, *, facts: ProgramFacts, by: str,
                       ifacts: ImpactFacts | None = None) -> dict[str, Impact]:
    """split_impact() with the statistics computed by the store."""
    if by not in DIMENSIONS:
        raise ValueError(f"cannot split by {by!r}: one of {DIMENSIONS}")
    ifacts = ifacts or load_impact_facts(session, facts=facts, pairs=False)
    values = sorted({getattr(g, by) for g in ifacts.groups})
    return {value: store_impact(session, facts=facts, where={by: value}, ifacts=ifacts) for value in values}
# The value standing for every group of fewer than the program's min_group_size merchants in a split a
# funder or viewer sees: a municipality with one merchant names it as surely as its name would.
OTHER_GROUPS = "__other__"


def small_groups(ifacts: ImpactFacts, min_size: int) -> dict[str, frozenset[str]]:
    """Per dimension, the values held by fewer than `min_size` merchants (every status, to the as-of)."""
    small = {}
    for dimension in DIMENSIONS:
        sizes: dict[str, int] = {}
        for group in ifacts.groups:
            value = getattr(group, dimension)
            sizes[value] = sizes.get(value, 0) + group.count
        small[dimension] = frozenset(v for v, n in sizes.items() if n < min_size)
    return small


def merge_small_groups(ifacts: ImpactFacts, min_size: int) -> ImpactFacts:
    """The facts with each dimension's small groups (small_groups) merged into OTHER_GROUPS: the figures
    of the whole program are unchanged, only the splits lose the values that would single merchants out."""
    small = small_groups(ifacts, min_size)
    if not any(small.values()):
        return ifacts

    def merged(item):
        changes = {d: OTHER_GROUPS for d in DIMENSIONS if getattr(item, d) in small[d]}
        return replace(item, **changes) if changes else item

    return replace(ifacts, groups=tuple(map(merged, ifacts.groups)), pairs=tuple(map(merged, ifacts.pairs)),
                   direct_spend=tuple(map(merged, ifacts.direct_spend)))


def merchants_supported(session: Session, *, program_id: int, as_of: date) -> int:
    """Merchants supported or completed, enrolled on or before the as-of (one COUNT)."""
    return int(session.execute(
        sa.select(sa.func.count()).select_from(Merchant).where(
            Merchant.program_id == program_id, Merchant.enrolment_date <= as_of,
            Merchant.status.in_(SUPPORTED_STATUSES),
        )
    ).scalar_one())


# --- Per indicator and per merchant (the Merchants & impact page) --------------------------------------


def target_met(change: IndicatorChange) -> bool | None:
    """Whether the mean change reaches the indicator's target, respecting its direction (a "down"
    indicator's target is negative: a mean change at or below it is met). None without a target or
    without any merchant measured twice."""
    if change.target is None or change.mean_change is None:
        return None
    if change.direction == "down":
        return change.mean_change <= change.target
    return change.mean_change >= change.target


def changes_of_merchant(ifacts: ImpactFacts, merchant_id: int) -> dict[str, MerchantChange]:
    """One merchant's baseline → follow-up, by indicator code (the indicators it was measured on twice)."""
    direction = {i.id: (i.code, i.direction) for i in ifacts.indicators}
    result = {}
    for p in ifacts.pairs:
        if p.merchant_id == merchant_id and p.indicator_id in direction:
            code, towards = direction[p.indicator_id]
            result[code] = MerchantChange(p.merchant_id, p.baseline, p.followup, p.change,
                                          improved(towards, p.change))
    return result


@dataclass(frozen=True)
class MerchantExpense:
    """An expense tied to one merchant, with the file and row it was imported from."""

    date: date
    vendor: str
    description: str
    category_fr: str
    category_en: str
    invoice_number: str
    eligible: Decimal
    file_name: str | None
    source_row: int | None

    def category(self, lang: str) -> str:
        return self.category_en if lang == "en" else self.category_fr


def merchant_expenses(
    session: Session, *, program_id: int, merchant_id: int, as_of: date
) -> list[MerchantExpense]:
    """The expenses tied to one merchant (its direct spending), dated on or before the as-of, oldest first.

    Descriptions may name the merchant: callers show them to staff only (merchants.merchant_detail).
    """
    rows = session.execute(
        sa.select(Expense.date, Expense.vendor, Expense.description, Category.label_fr, Category.label_en,
                  Expense.invoice_number, Expense.eligible_cents, ImportBatch.file_name, Expense.source_row)
        .join(Category, Category.id == Expense.category_id)
        .outerjoin(ImportBatch, ImportBatch.id == Expense.batch_id)
        .where(Expense.program_id == program_id, Expense.merchant_id == merchant_id, Expense.date <= as_of)
        .order_by(Expense.date, Expense.id)
    ).all()
    return [
        MerchantExpense(day, vendor, description, fr, en, invoice, from_cents(cents), file_name, source_row)
        for day, vendor, description, fr, en, invoice, cents, file_name, source_row in rows
    ]
