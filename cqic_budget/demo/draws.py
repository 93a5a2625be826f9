"""The demo's seeded draws: one random.Random per part, amounts and business days."""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from cqic_budget.demo.tables import DEMO_END, MONTHS_FR, SEED, D
from cqic_budget.periods import month_end


def _rng(part: str) -> random.Random:
    # A string seed is hashed with SHA-512 by random.Random: stable across runs and Python processes.
    return random.Random(f"{SEED}:{part}")


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    return D(rng.randint(round(low * 100), round(high * 100))) / 100


def _dollars(rng: random.Random, low: int, high: int, step: int = 5) -> Decimal:
    return D(rng.randrange(low, high + 1, step))


def _business_day(rng: random.Random, month: date, first: int = 1, last: int = 31) -> date:
    """A weekday of `month` between the given days, never after DEMO_END."""
    end = min(month_end(month), DEMO_END, month.replace(day=min(last, month_end(month).day)))
    days = [d for d in (month.replace(day=i) for i in range(min(first, end.day), end.day + 1))
            if d.weekday() < 5]
    return rng.choice(days) if days else end


def _last_business_day(month: date) -> date:
    day = min(month_end(month), DEMO_END)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _month_label(day: date) -> str:
    return f"{MONTHS_FR[day.month - 1]} {day.year}"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch in ".-")
