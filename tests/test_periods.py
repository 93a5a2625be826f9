"""periods: Québec fiscal years (1 April - 31 March), months, as-of clamping."""

from datetime import date

import pytest

from cqic_budget.periods import (
    FiscalYear,
    add_months,
    clamp_as_of,
    fiscal_year_of,
    fiscal_years_between,
    last_full_months,
    month_end,
    months_between,
    months_elapsed,
)


def test_fiscal_year_boundaries():
    assert fiscal_year_of(date(2026, 3, 31)).label == "2025-2026"
    assert fiscal_year_of(date(2026, 4, 1)).label == "2026-2027"
    fy = FiscalYear.from_label("2025-2026")
    assert (fy.start, fy.end) == (date(2025, 4, 1), date(2026, 3, 31))
    with pytest.raises(ValueError):
        FiscalYear.from_label("2025-2027")


def test_program_spans_three_fiscal_years():
    labels = [fy.label for fy in fiscal_years_between(date(2025, 4, 1), date(2028, 3, 31))]
    assert labels == ["2025-2026", "2026-2027", "2027-2028"]


def test_months():
    assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 1)
    assert add_months(date(2025, 1, 31), -1) == date(2024, 12, 1)
    assert month_end(date(2028, 2, 10)) == date(2028, 2, 29)
    assert len(list(months_between(date(2025, 4, 1), date(2028, 3, 31)))) == 36


def test_clamp_as_of():
    start, end = date(2025, 4, 1), date(2028, 3, 31)
    assert clamp_as_of(date(2024, 1, 1), start, end) == start
    assert clamp_as_of(date(2030, 1, 1), start, end) == end
    assert clamp_as_of(date(2026, 10, 31), start, end) == date(2026, 10, 31)


def test_last_full_months():
    # 31 Oct is the last day of October: Aug, Sep, Oct are the three full months
    assert last_full_months(date(2026, 10, 31), 3) == [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]
    # 15 Oct: October is not over -> Jul, Aug, Sep
    assert last_full_months(date(2026, 10, 15), 3) == [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]


def test_months_elapsed():
    # 2025-04-01 -> 2026-10-31: 18 whole months (Apr 2025..Sep 2026) + all of October = 19
    assert months_elapsed(date(2025, 4, 1), date(2026, 10, 31)) == 19
    # the whole program: 36 months
    assert months_elapsed(date(2025, 4, 1), date(2028, 3, 31)) == 36
