"""Québec fiscal years (1 April - 31 March), months and as-of clamping."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator


@dataclass(frozen=True, order=True)
class FiscalYear:
    start_year: int

    @property
    def label(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def start(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @classmethod
    def from_label(cls, label: str) -> "FiscalYear":
        first, second = label.split("-")
        if int(second) != int(first) + 1:
            raise ValueError(f"not a fiscal year label: {label!r}")
        return cls(int(first))

    def __str__(self) -> str:
        return self.label


def fiscal_year_of(day: date) -> FiscalYear:
    return FiscalYear(day.year if day.month >= 4 else day.year - 1)


def fiscal_years_between(start: date, end: date) -> list[FiscalYear]:
    first, last = fiscal_year_of(start), fiscal_year_of(end)
    return [FiscalYear(y) for y in range(first.start_year, last.start_year + 1)]


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """First day of the month `months` after day's month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return add_months(day, 1) - timedelta(days=1)


def months_between(start: date, end: date) -> Iterator[date]:
    """First days of every month from start's month to end's month, inclusive."""
    current, last = month_start(start), month_start(end)
    while current <= last:
        yield current
        current = add_months(current, 1)


def clamp_as_of(as_of: date, start: date, end: date) -> date:
    """The as-of date kept within the program period."""
    return min(max(as_of, start), end)


def last_full_months(as_of: date, count: int) -> list[date]:
    """The `count` full months before as-of (as-of's month counts when as-of is its last day)."""
    if as_of == month_end(as_of):
        last = month_start(as_of)
    else:
        last = add_months(as_of, -1)
    return [add_months(last, -i) for i in range(count - 1, -1, -1)]


def month_fraction(day: date) -> float:
    """How far through its month a day is (the day counted as elapsed): 31 Mar -> 1.0."""
    return day.day / month_end(day).day


def months_elapsed(start: date, day: date) -> float:
    """Months from start (a first of month) to the end of `day`, fractional."""
    whole = (day.year - start.year) * 12 + (day.month - start.month)
    return whole + month_fraction(day)
