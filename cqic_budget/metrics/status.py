"""One status vocabulary (SPEC §3): the one function that says a fiscal year's status, the one that says a
budget line's, their words in French and English, and how serious each is.

Every page, alert, report, the brief and `summary --json` ask these functions; none decides on its own.

- A past fiscal year (ended on or before the as-of) is *within budget*, *unspent* (part of its budget was
  left) or *overspent*; the current and future years are *on pace*, *lapse risk* (projected below their
  budget) or *overrun risk* (projected above it).
- A budget line (one category in one fiscal year): spent + open commitments vs the line in force is *ok*,
  *watch* from 90 % of the line, *breach* above 100 % plus the program's transfer tolerance between lines.
"""

from __future__ import annotations

from decimal import Decimal

from cqic_budget.i18n import t

# Fiscal-year statuses.
WITHIN_BUDGET, UNSPENT, OVERSPENT = "within_budget", "unspent", "overspent"
ON_PACE, LAPSE_RISK, OVERRUN_RISK = "on_pace", "lapse_risk", "overrun_risk"
FISCAL_YEAR_STATUSES = (WITHIN_BUDGET, UNSPENT, OVERSPENT, ON_PACE, LAPSE_RISK, OVERRUN_RISK)
# Budget-line statuses (the words of the co-financing checks).
OK, WATCH, BREACH = "ok", "watch", "breach"
BUDGET_LINE_STATUSES = (OK, WATCH, BREACH)

# A year that spent (or is projected to spend) within 1 % of its budget is on its budget: a few hundred
# dollars left on a 700 000 $ year is not money "left on the table", and a projection is not that exact.
# A past year that spent more than its budget is overspent by any amount (it is a fact, not a forecast).
PACE_BAND = Decimal("0.01")
# A budget line is to watch from 90 % of its amount used (spent + open commitments).
BUDGET_LINE_WATCH = Decimal("0.90")

# How serious each status is, for alerts and colours: ok, watch or breach.
SEVERITY = {
    WITHIN_BUDGET: OK, ON_PACE: OK,
    UNSPENT: WATCH, LAPSE_RISK: WATCH, OVERRUN_RISK: WATCH,
    OVERSPENT: BREACH,
    OK: OK, WATCH: WATCH, BREACH: BREACH,
}


def fiscal_year_status_code(*, phase: str, budget: Decimal, spent: Decimal, projected: Decimal) -> str:
    """The status of one fiscal year.

    `phase` is past, current or future (relative to the as-of); `spent` is the eligible spend within the
    year to the as-of; `projected` the spend expected by the year end (= spent for a past year).
    """
    if phase == "past":
        if spent > budget:
            return OVERSPENT
        return WITHIN_BUDGET if budget - spent <= PACE_BAND * budget else UNSPENT
    if projected > budget * (1 + PACE_BAND):
        return OVERRUN_RISK
    if projected < budget * (1 - PACE_BAND):
        return LAPSE_RISK
    return ON_PACE


def budget_line_status_code(
    *, budget: Decimal, spent: Decimal, open_commitments: Decimal, transfer_tolerance: Decimal
) -> str:
    """The status of one budget line: (spent + open commitments) vs the line in force.

    ok below 90 %; watch from 90 % up to 100 % + the transfer tolerance; breach above that. A line with
    no budget and nothing used is ok; with no budget and something used it is a breach.
    """
    used = spent + open_commitments
    if used > budget * (1 + transfer_tolerance):
        return BREACH
    if budget > 0 and used >= BUDGET_LINE_WATCH * budget:
        return WATCH
    return OK


def severity(status: str) -> str:
    """ok, watch or breach: how serious a fiscal-year or budget-line status is."""
    return SEVERITY[status]


def status_word(status: str, lang: str) -> str:
    """The status in words: « dans le budget », « risque de dépassement »…; budget lines: « conforme »…"""
    if status in BUDGET_LINE_STATUSES:
        return t(f"status.{status}", lang)
    return t(f"status.fy.{status}", lang)


def alert_title(label: str, status: str, lang: str) -> str:
    """The title of an alert about a fiscal year: its label and the words of its status, never others."""
    return t("status.fy.alert", lang, label=label, status=status_word(status, lang))
