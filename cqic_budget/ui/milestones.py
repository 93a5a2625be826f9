"""The Milestones page's cached view (built by cqic_budget.views.milestones)."""

from __future__ import annotations

from cqic_budget import ui
from cqic_budget.views.milestones import MilestonesView, build_milestones


def milestones_view() -> MilestonesView:
    """The Milestones page for the reader's program, as-of date and language."""
    return ui.program_view(build_milestones)
