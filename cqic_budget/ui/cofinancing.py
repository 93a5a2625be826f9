"""The Co-financing page's cached view (built by cqic_budget.views.cofinancing) and its widgets: the checks
and the claim packet button."""

from __future__ import annotations

import streamlit as st
from sqlmodel import Session

from cqic_budget import ui
from cqic_budget.i18n import t
from cqic_budget.views.cofinancing import CheckGroup, CofinancingView, build_cofinancing


def cofinancing_view() -> CofinancingView:
    """The Co-financing page for the reader's program, as-of date and language."""
    return ui.program_view(build_cofinancing)


def check_list(groups: tuple[CheckGroup, ...]) -> None:
    """Each scope in a bordered box: its worst status, then every check with its status and sentence."""
    for group in groups:
        with st.container(border=True):
            st.markdown(f"**{group.title}** {group.badge}")
            st.markdown("\n".join(f"- **{i.name}** {i.badge}  \n  {i.sentence}" for i in group.items))


def claim_packet_button(view: CofinancingView) -> None:
    """Choose a claim, download its packet (.zip: the .xlsx, the PDF and the manifest)."""
    if not view.packet_choices:
        return
    lang = ui.lang()
    choose, download = st.columns([1, 3], vertical_alignment="bottom")
    number = choose.selectbox(t("cofin.packet.choose", lang), view.packet_choices, key="cofin.packet.claim",
                              index=len(view.packet_choices) - 1)

    # Who asks, and for which program, is read now: Streamlit may build the file outside this run.
    user, program_code = ui.current_user() or "", ui.program_code()

    def packet() -> bytes:
        from cqic_budget.claim_packet import build_packet

        with Session(ui.engine()) as session:
            return build_packet(session, int(number), program_code=program_code, user=user).zip_bytes()

    download.download_button(t("cofin.packet.download", lang), packet,
                             file_name=f"reclamation-{number:03d}.zip", mime="application/zip",
                             icon=":material/download:", key="cofin.packet.download")
