"""The Burn rate page's cached edges (the view and the what-if) and widgets; the views are built by
cqic_budget.views.burn_rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import streamlit as st
from sqlmodel import Session

from cqic_budget import ui
from cqic_budget.metrics.facts import ProgramFacts, load_facts
from cqic_budget.setup import get_program
from cqic_budget.views.burn_rate import (
    BurnRateView,
    WhatIfView,
    build_burn_rate,
    build_what_if,
    monthly_amount,
)


def burn_rate_view() -> BurnRateView:
    """The Burn rate page for the reader's program, as-of date and language, recomputed when data change."""
    return ui.program_view(build_burn_rate)


# --- What-if -----------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def _facts(url: str, program_code: str | None, as_of: date, version: int) -> ProgramFacts:
    with Session(ui.cached_engine(url)) as session:
        return load_facts(session, program_id=get_program(session, program_code).id, as_of=as_of)


@st.cache_data(show_spinner=False, max_entries=256)
def _what_if(url: str, program_code: str | None, as_of: date, lang: str, version: int, monthly: Decimal
             ) -> WhatIfView:
    return build_what_if(_facts(url, program_code, as_of, version), monthly, lang)


def what_if_view(monthly: int | float) -> WhatIfView:
    """The what-if for a monthly spend, as typed in the page."""
    return _what_if(ui.store_url(), ui.program_code(), ui.as_of(), ui.lang(), ui.data_version(),
                    monthly_amount(monthly))
