"""The Overview page's cached view (built by cqic_budget.views.overview)."""

from __future__ import annotations

from cqic_budget import ui
from cqic_budget.views.overview import OverviewView, build_overview


def overview() -> OverviewView:
    """The Overview for the reader's program, as-of date and language, recomputed when the data change."""
    return ui.program_view(build_overview)
