"""The Upload page's cached view (built by cqic_budget.views.upload) and its widgets: templates, the uploader,
the preview, the commit, the history and undo, the mapping of unknown category labels."""

from __future__ import annotations

import hashlib
from functools import partial

import pandas as pd
import streamlit as st
from sqlmodel import Session

from cqic_budget import settings_service, ui
from cqic_budget.auth import Forbidden
from cqic_budget.db import StoreBusy, session_scope
from cqic_budget.i18n import format_number, t
from cqic_budget.importing.batches import undo_batch
from cqic_budget.importing.refusal import DEFAULT_LIMITS
from cqic_budget.importing.rejected import analysis_rejected_workbook
from cqic_budget.importing.repeated import capped, more_lines
from cqic_budget.importing.service import IMPORTED, STRICT, Analysis, Outcome, analyse, commit
from cqic_budget.importing.templates import sample_bytes, template_bytes
from cqic_budget.reports import XLSX_MIME
from cqic_budget.ui import safe
from cqic_budget.views.upload import (
    MONEY_COLUMNS,
    Upload,
    UploadView,
    batch_rejected_file,
    build_upload,
    highlight_problems,
    outcome_text,
    refused_message,
    rows_to_fix_name,
    size_text,
)

# What the uploader offers in the file dialog; the service recognises a file by its content anyway.
FILE_TYPES = ("xlsx", "xlsm", "xls", "ods", "csv")
UPLOADER_KEY, NONCE_KEY = "upload.file", "upload.nonce"
ANALYSIS_KEY, OUTCOME_KEY, FLASH_KEY = "upload.analysis", "upload.outcome", "upload.flash"
STRICT_KEY, BATCH_KEY, LABELS_FORM = "upload.strict", "upload.batch", "upload.labels"
MAX_UPLOAD_MB = DEFAULT_LIMITS.max_file_bytes // (1024 * 1024)


# --- cached edge -----------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=256)
def _upload(url: str, program_code: str | None, lang: str, version: int, user: str | None) -> UploadView:
    with Session(ui.cached_engine(url)) as session:
        return build_upload(session, program_code=program_code, lang=lang, user=user)


def upload_view() -> UploadView:
    """The page for the reader's program, language and role, recomputed when the data change."""
    return _upload(ui.store_url(), ui.program_code(), ui.lang(), ui.data_version(), ui.current_user())


# --- templates -------------------------------------------------------------------------------------------


def templates_section() -> None:
    """The blank template and the sample month, in the reader's language."""
    lang = ui.lang()
    st.caption(t("upload_page.templates_text", lang))
    template, sample = st.columns(2)
    template.download_button(
        t("upload_page.template_button", lang),
        partial(template_bytes, lang),
        file_name=t("upload_page.file.template", lang),
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/table_view:",
        key="upload.template",
        width="stretch",
    )
    sample.download_button(
        t("upload_page.sample_button", lang),
        partial(sample_bytes, lang),
        file_name=t("upload_page.file.sample", lang),
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/lab_profile:",
        key="upload.sample",
        width="stretch",
    )


# --- the uploaded file: analysed once, kept in the session -------------------------------------------------


def _analyse(view: UploadView, name: str, data: bytes, lang: str) -> Analysis | None:
    """Analyse the file under a progress box (read and check, validate, look for duplicates)."""
    with st.status(t("upload_page.progress.analysing", lang, file=safe.md(name)), expanded=True) as box:
        st.write(t("upload_page.step.read", lang, size=size_text(len(data), lang)))
        st.write(t("upload_page.step.checks", lang))
        try:
            analysis = analyse(
                ui.engine(),
                data,
                file_name=name,
                program_code=view.program_code,
                user=ui.current_user(),
                lang=lang,
            )
        except Forbidden as refused:
            box.update(label=refused.message(lang), state="error")
            return None
        outcome = analysis.outcome()
        if outcome.refused:
            box.update(
                label=t("upload_page.progress.refused", lang, file=safe.md(name)), state="error",
                expanded=False,
            )
            return analysis
        st.write(
            t(
                "upload_page.step.validated",
                lang,
                read=format_number(outcome.rows_read, lang),
                rejected=format_number(outcome.rows_rejected, lang),
            )
        )
        st.write(
            t("upload_page.step.duplicates", lang, duplicate=format_number(outcome.rows_duplicate, lang))
        )
        box.update(
            label=t("upload_page.progress.analysed", lang, file=safe.md(name)), state="complete",
            expanded=False,
        )
    return analysis


def uploaded_file(view: UploadView) -> Upload | None:
    """The uploader, and the analysis of the file in it: taken from the session when the same file (by its
    SHA-256) was analysed at the same data version, else analysed now. None when no file is chosen."""
    lang, state = ui.lang(), st.session_state
    uploaded = st.file_uploader(
        t("upload_page.uploader", lang),
        type=list(FILE_TYPES),
        key=f"{UPLOADER_KEY}.{state.get(NONCE_KEY, 0)}",
        help=t("upload_page.uploader_help", lang, limit_mb=MAX_UPLOAD_MB),
        max_upload_size=MAX_UPLOAD_MB,  # the service's own limit: a larger file is not even sent
    )
    if uploaded is None:
        state.pop(ANALYSIS_KEY, None)
        return None
    stored: Upload | None = state.get(ANALYSIS_KEY)
    version, user = ui.data_version(), ui.current_user()
    current = stored is not None and (stored.version, stored.program_code, stored.user) == (
        version,
        view.program_code,
        user,
    )
    if current and stored.file_id == uploaded.file_id:
        return stored
    data = uploaded.getvalue()
    sha256 = hashlib.sha256(data).hexdigest()
    if current and stored.sha256 == sha256:
        stored.file_id = uploaded.file_id
        return stored
    if state.pop(OUTCOME_KEY, None) is not None:
        # Another file: the last import's message, drawn above in this run, is done with; draw again.
        st.rerun()
    analysis = _analyse(view, uploaded.name, data, lang)
    if analysis is None:
        state.pop(ANALYSIS_KEY, None)
        return None
    state[ANALYSIS_KEY] = Upload(sha256, uploaded.file_id, version, view.program_code, user, analysis)
    return state[ANALYSIS_KEY]


# --- preview -------------------------------------------------------------------------------------------


def valid_columns(lang: str) -> dict[str, object]:
    """Room for the names, money aligned right (formatted as text in the reader's language)."""
    wide, money = st.column_config.TextColumn(width="medium"), st.column_config.TextColumn(alignment="right")
    shown = {key: wide for key in ("vendor", "category")} | {key: money for key in MONEY_COLUMNS}
    return {t(f"upload_page.column.{key}", lang): config for key, config in shown.items()}


def preview_section(upload: Upload) -> bool:
    """Counts, the rows with problems highlighted, a few valid rows, the rows to fix as a workbook.
    False when the file was refused as a whole (nothing more to do with it)."""
    lang, analysis = ui.lang(), upload.analysis
    outcome = upload.outcome()
    if outcome.refused:
        st.error(refused_message(outcome, lang), icon=":material/block:")
        return False
    st.subheader(t("upload_page.preview", lang, file=safe.md(analysis.file_name)))
    st.caption(t("import.text.sheet", lang, sheet=safe.md(outcome.sheet), row=outcome.header_row))
    counts = {
        "read": outcome.rows_read,
        "valid": outcome.rows_imported,
        "rejected": outcome.rows_rejected,
        "duplicate": outcome.rows_duplicate,
    }
    tones = {"rejected": "breach", "duplicate": "watch"}
    ui.kpi_row(
        [
            ui.Kpi(
                t(f"upload_page.count.{key}", lang),
                format_number(count, lang),
                note=t(f"upload_page.count.{key}_note", lang),
                status=tones.get(key) if count else None,
            )
            for key, count in counts.items()
        ]
    )
    if analysis.unknown_categories:
        labels = "; ".join(t("upload_page.unknown_category", lang, label=safe.md(label),
                             count=format_number(count, lang))
                           for label, count in analysis.unknown_categories)
        st.warning(t("upload_page.unknown_categories", lang, labels=labels), icon=":material/help:")
    problems, valid = upload.tables(lang)
    if len(problems):
        st.markdown(f"**{t('upload_page.problems', lang)}**")
        safe.dataframe(highlight_problems(problems), hide_index=True, width="stretch",
                       column_config={"kind": None})
        listed, left_out = capped(analysis.errors())
        for line in more_lines(left_out, lang):  # « … et 9 990 autres montants ambigus »
            st.caption(line)
        if len(problems) < len(listed):
            st.caption(
                t(
                    "upload_page.problems_more",
                    lang,
                    shown=format_number(len(problems), lang),
                    count=format_number(len(listed), lang),
                )
            )
        st.download_button(
            t("upload_page.rows_to_fix_button", lang),
            partial(analysis_rejected_workbook, analysis, lang=lang),
            file_name=rows_to_fix_name(analysis.file_name, lang),
            mime=XLSX_MIME,
            on_click="ignore",
            icon=":material/download:",
            key="upload.rows_to_fix",
            help=t("upload_page.rows_to_fix_help", lang),
        )
    else:
        st.success(t("upload_page.no_problems", lang), icon=":material/check_circle:")
    if len(valid):
        shown, total = format_number(len(valid), lang), format_number(outcome.rows_imported, lang)
        st.markdown(f"**{t('upload_page.valid_rows', lang, shown=shown, total=total)}**")
        safe.dataframe(valid, hide_index=True, width="stretch", column_config=valid_columns(lang))
    return True


# --- commit and its outcome ---------------------------------------------------------------------------------


def commit_section(view: UploadView, upload: Upload) -> None:
    """The strict checkbox and the commit button; the outcome is shown after the rerun (outcome_message)."""
    lang = ui.lang()
    strict = st.checkbox(
        t("upload_page.strict", lang), key=STRICT_KEY, help=t("upload_page.strict_help", lang)
    )
    planned, lenient = upload.outcome(strict), upload.outcome()
    if planned.reason == STRICT:
        st.warning(
            t("upload_page.strict_warning", lang, rejected=format_number(planned.rows_rejected, lang)),
            icon=":material/warning:",
        )
    label = (
        t("upload_page.commit_strict", lang)
        if planned.reason == STRICT
        else t("upload_page.commit", lang, count=format_number(lenient.rows_imported, lang))
    )
    if not st.button(
        label,
        type="primary",
        disabled=not lenient.rows_imported,
        icon=":material/upload:",
        key="upload.commit",
    ):
        return
    with st.status(
        t("upload_page.progress.saving", lang, file=upload.analysis.file_name), expanded=True
    ) as box:
        st.write(t("upload_page.step.saving", lang))
        try:
            outcome = commit(
                ui.engine(),
                upload.analysis,
                user=ui.current_user(),
                strict=strict,
                program_code=view.program_code,
            )
        except (Forbidden, StoreBusy) as refused:
            box.update(label=refused.message(lang), state="error")
            return
        box.update(state="complete" if outcome.status == IMPORTED else "error")
    state = st.session_state
    state[OUTCOME_KEY] = outcome
    if outcome.batch_id is not None:
        state[BATCH_KEY] = outcome.batch_id  # the history shows the new batch first and chosen
    upload.outcomes.clear()  # a commit looks for duplicates again: the preview's counts may have moved
    if outcome.status == IMPORTED:
        # Done with this file: forget its analysis and empty the uploader (a new key).
        state.pop(ANALYSIS_KEY, None)
        state[NONCE_KEY] = state.get(NONCE_KEY, 0) + 1
    st.rerun()


def outcome_message() -> None:
    """The last commit's outcome (kept until another file is analysed or another change is made), and the
    last undo's or mapping's message (once)."""
    state, lang = st.session_state, ui.lang()
    outcome: Outcome | None = state.get(OUTCOME_KEY)
    message = state.pop(FLASH_KEY, None)
    if message is not None:
        ok, text = message
        if ok:
            st.success(text, icon=":material/check_circle:")
        else:
            st.error(text, icon=":material/block:")
    if outcome is None:
        return
    if outcome.status != IMPORTED:
        st.error(outcome_text(outcome, lang), icon=":material/block:")
        return
    text = outcome_text(outcome, lang)
    if outcome.rows_rejected or outcome.rows_duplicate:
        text += " " + t("upload_page.imported_fix", lang, batch_id=outcome.batch_id)
    st.success(text, icon=":material/check_circle:")


# --- history, undo -----------------------------------------------------------------------------------------


def _undo(batch_id: int) -> None:
    """The undo button's callback: the service deletes the batch's expenses, audits and bumps the version."""
    lang = ui.lang()
    try:
        result = undo_batch(ui.engine(), batch_id, user=ui.current_user(), lang=lang)
    except (Forbidden, StoreBusy) as refused:  # a busy store: nothing undone, "retry" (StoreBusy.message)
        st.session_state[FLASH_KEY] = (False, refused.message(lang))
        return
    st.session_state[FLASH_KEY] = (result.ok, result.message)
    st.session_state.pop(OUTCOME_KEY, None)


def history_section(view: UploadView) -> None:
    """The batches, newest first; for the chosen one, its rows to fix and (with a confirmation) undo."""
    lang = ui.lang()
    st.subheader(t("upload_page.history", lang))
    if not view.batches:
        st.info(t("upload_page.no_batches", lang), icon=":material/inbox:")
        return
    safe.dataframe(view.history, hide_index=True, width="stretch")
    labels = {b.id: b.label for b in view.batches}
    chosen = view.batch(
        st.selectbox(t("upload_page.batch", lang), list(labels), format_func=labels.get, key=BATCH_KEY)
    )
    if chosen is None:
        return
    rows, undo = st.columns(2)
    rows.download_button(
        t("upload_page.batch_rows_button", lang, batch_id=chosen.id),
        partial(batch_rejected_file, ui.engine(), chosen.id, ui.current_user(), lang),
        file_name=rows_to_fix_name(chosen.file_name, lang),
        mime=XLSX_MIME,
        on_click="ignore",
        disabled=not chosen.to_fix,
        icon=":material/download:",
        key="upload.batch_rows",
        help=None if chosen.to_fix else t("upload_page.batch_rows_none", lang),
    )
    if not view.can_undo:
        undo.caption(t("upload_page.undo_not_allowed", lang))
    elif not chosen.active:
        undo.caption(chosen.undone)
    else:
        confirmed = undo.checkbox(
            t(
                "upload_page.undo_confirm",
                lang,
                batch_id=chosen.id,
                count=format_number(chosen.imported, lang),
            ),
            key=f"upload.undo_confirm.{chosen.id}",
        )
        undo.button(
            t("upload_page.undo", lang, batch_id=chosen.id),
            disabled=not confirmed,
            on_click=_undo,
            args=(chosen.id,),
            icon=":material/undo:",
            key="upload.undo",
        )


# --- category labels waiting to be mapped ------------------------------------------------------------------


def _map_labels(labels: tuple[tuple[str, int], ...]) -> None:
    """The form's callback: map every label given a category, in one transaction (audited, versioned)."""
    lang, state = ui.lang(), st.session_state
    chosen = {label: state.get(f"{LABELS_FORM}.{label}") for label, _ in labels}
    chosen = {label: code for label, code in chosen.items() if code}
    if not chosen:
        state[FLASH_KEY] = (False, t("upload_page.labels_none_chosen", lang))
        return
    try:
        with session_scope(ui.engine()) as session:
            done = [
                settings_service.map_category_label(session, label, code, user=ui.current_user())
                for label, code in chosen.items()
            ]
    except Forbidden as refused:
        state[FLASH_KEY] = (False, refused.message(lang))
        return
    except settings_service.SettingsError as error:
        state[FLASH_KEY] = (False, error.message(lang, quote=safe.md))
        return
    state.pop(OUTCOME_KEY, None)
    state[FLASH_KEY] = (
        True,
        t(
            "upload_page.labels_done",
            lang,
            labels=format_number(len(done), lang),
            count=format_number(sum(m.reclassified for m in done), lang),
        ),
    )


def labels_section(view: UploadView) -> None:
    """Unknown category labels met in imports: an admin maps each to a category once; others see the list."""
    lang = ui.lang()
    st.subheader(t("upload_page.labels", lang))
    if not view.labels:
        st.caption(t("upload_page.labels_empty", lang))
        return
    st.caption(t("upload_page.labels_text", lang))
    if not view.can_map:
        safe.dataframe(
            pd.DataFrame(
                list(view.labels),
                columns=[t("upload_page.column.label", lang), t("upload_page.column.waiting", lang)],
            ),
            hide_index=True,
        )
        st.info(t("upload_page.labels_admin_only", lang), icon=":material/lock:")
        return
    categories = list(view.categories)
    with st.form(LABELS_FORM):
        for label, count in view.labels:
            st.selectbox(
                t("upload_page.label_choice", lang, label=safe.md(label), count=format_number(count, lang)),
                categories,
                index=None,
                format_func=view.categories.get,
                placeholder=t("upload_page.label_placeholder", lang),
                key=f"{LABELS_FORM}.{label}",
            )
        st.form_submit_button(
            t("upload_page.labels_submit", lang), type="primary", on_click=_map_labels, args=(view.labels,)
        )
