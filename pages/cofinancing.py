"""Cofinancement / Co-financing (SPEC §5.3): is Québec paying at most its share, are the partners' shares
in, is public aid under the cap, and what can be claimed now?"""

import streamlit as st

from cqic_budget import ui
from cqic_budget.ui.cofinancing import check_list, claim_packet_button, cofinancing_view
from cqic_budget.ui.drilldown import drill_down
from cqic_budget.ui.tables import table

view = cofinancing_view()

st.title(view.title)
st.caption(f"{view.purpose}  \n{view.period}")
ui.kpi_row(list(view.kpis), per_row=3)

st.subheader(view.ledger_title)
table(view.ledger_table)
st.caption(view.ledger_caption)
claim_packet_button(view)

st.subheader(view.next_claim_title)
st.markdown("\n".join(f"- {line}" for line in view.next_claim_lines))

st.subheader(view.claim_title)
st.markdown(view.claim_steps)

st.subheader(view.funders_title)
ui.chart(view.funders_figure, title=view.funders_title)
table(view.funders_table)
st.caption(view.funders_caption)

st.subheader(view.checks_title)
st.caption(view.checks_intro)
check_list(view.check_groups)

st.subheader(view.years_title)
table(view.years_table)
st.caption(view.years_caption)
drill_down(view.drill)
