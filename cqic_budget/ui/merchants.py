"""The Merchants & impact page's cached views (built by cqic_budget.views.merchants) and its widgets: filters,
the list, a merchant's page and form, the Law 25 export and erasure, the merchant import."""

from __future__ import annotations

import json
from datetime import date

import streamlit as st
from sqlmodel import Session

from cqic_budget import merchants as service
from cqic_budget import ui
from cqic_budget.auth import Forbidden
from cqic_budget.db import session_scope
from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import DASH, t
from cqic_budget.importing.merchants import import_merchants
from cqic_budget.metrics.impact import DIMENSIONS
from cqic_budget.setup import get_program
from cqic_budget.ui import safe
from cqic_budget.views.merchants import (
    CHOICES,
    FILTER_KEYS,
    FORM_FIELDS,
    MerchantPage,
    MerchantsView,
    Selection,
    build_merchant_page,
    build_merchants,
    choice_label,
    text_or_dash,
)

SELECTED_KEY = "merchants.selected"
FLASH_KEY = "merchants.flash"
EXPORT_KEY = "merchants.export"
IMPORT_KEY, IMPORT_RESULT_KEY = "merchants.import_file", "merchants.import_result"
IMPORT_TYPES = ("xlsx", "xlsm", "xls", "ods", "csv")


# --- cached edges --------------------------------------------------------------------------------------


def selection() -> Selection:
    """The filters as the reader left them (the multiselects' state from the previous run)."""
    return tuple((d, tuple(st.session_state.get(FILTER_KEYS[d]) or ())) for d in DIMENSIONS)


@st.cache_data(show_spinner=False, max_entries=256)
def _merchants(url: str, program_code: str | None, as_of: date, lang: str, version: int, user: str,
               chosen: Selection) -> MerchantsView:
    with Session(ui.cached_engine(url)) as session:
        return build_merchants(session, program_code=program_code, as_of=as_of, lang=lang, user=user,
                               selection=chosen)


def merchants_view() -> MerchantsView:
    """The page for the reader's program, as-of date, language, role and filters."""
    return _merchants(ui.store_url(), ui.program_code(), ui.as_of(), ui.lang(), ui.data_version(),
                      ui.current_user(), selection())


@st.cache_data(show_spinner=False, max_entries=64)
def _merchant_page(url: str, merchant_id: int, program_code: str | None, as_of: date, lang: str, version: int,
                   user: str) -> MerchantPage:
    with Session(ui.cached_engine(url)) as session:
        return build_merchant_page(session, merchant_id, program_code=program_code, as_of=as_of, lang=lang,
                                   user=user)


def merchant_page(merchant_id: int) -> MerchantPage:
    return _merchant_page(ui.store_url(), merchant_id, ui.program_code(), ui.as_of(), ui.lang(),
                          ui.data_version(), ui.current_user())


# --- staff actions (callbacks: they run before the rerun, so the page shows their result at once) -------


def _error_text(error: Exception) -> str:
    lang = ui.lang()
    if isinstance(error, service.MerchantError) and error.value in FORM_FIELDS:
        # «Champ obligatoire : Nom» rather than the field's code
        error = service.MerchantError(error.code, t(f"merchants_page.field.{error.value}", lang))
    if isinstance(error, service.MerchantError):
        return error.message(lang, quote=safe.md)
    return error.message(lang)


def _flash(kind: str, text: str) -> None:
    st.session_state[FLASH_KEY] = (kind, text)


def _form_values(prefix: str) -> dict[str, object]:
    return {f: st.session_state.get(f"{prefix}.{f}") for f in FORM_FIELDS}


def _save(prefix: str, merchant_id: int | None) -> None:
    values = _form_values(prefix)
    try:
        with session_scope(ui.engine()) as session:
            if merchant_id is None:
                program = get_program(session, ui.program_code())
                merchant = service.create_merchant(session, user=ui.current_user(), program_id=program.id,
                                                   **values)
            else:
                merchant = service.update_merchant(session, merchant_id, user=ui.current_user(), **values)
            name, saved_id = merchant.name, merchant.id
    except UserFacingError as error:
        _flash("error", _error_text(error))
        return
    if merchant_id is None:
        for f in FORM_FIELDS:
            st.session_state.pop(f"{prefix}.{f}", None)
    _flash("success", t(f"merchants_page.{'created' if merchant_id is None else 'updated'}", ui.lang(),
                        name=safe.md(name), id=saved_id))


def _export(merchant_id: int) -> None:
    try:
        with session_scope(ui.engine()) as session:
            data = service.export_personal_data(session, merchant_id, user=ui.current_user())
    except UserFacingError as error:
        _flash("error", _error_text(error))
        return
    payload = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    st.session_state[EXPORT_KEY] = (merchant_id, payload)


def _erase(merchant_id: int) -> None:
    try:
        with session_scope(ui.engine()) as session:
            service.erase_personal_data(session, merchant_id, user=ui.current_user())
    except UserFacingError as error:
        _flash("error", _error_text(error))
        return
    st.session_state.pop(f"merchants.erase_confirm.{merchant_id}", None)
    st.session_state.pop(EXPORT_KEY, None)
    _flash("success", t("merchants_page.erased_done", ui.lang(), id=merchant_id))


# --- drawing -------------------------------------------------------------------------------------------


def table(rows: list[dict[str, str]], *, right: tuple[str, ...] = (), height: int | str = "auto") -> None:
    """Rows of formatted text; the columns of figures aligned right."""
    config = {column: st.column_config.TextColumn(alignment="right") for column in right}
    safe.dataframe(rows, hide_index=True, column_config=config, height=height)


def flash() -> None:
    """The outcome of the last staff action, once."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        kind, text = message
        (st.success if kind == "success" else st.error)(text)


def filters(view: MerchantsView) -> None:
    for column, choice in zip(st.columns(len(view.filters)), view.filters, strict=True):
        column.multiselect(choice.label, choice.options, format_func=choice.option_labels.get, key=choice.key,
                           placeholder=view.filter_placeholder)


def _merchant_form(prefix: str, values: dict[str, object], *, submit: str, merchant_id: int | None) -> None:
    lang = ui.lang()
    with st.form(prefix, border=True):
        left, right = st.columns(2)
        left.text_input(ui.t("merchants_page.field.name"), value=values.get("name") or "",
                        key=f"{prefix}.name")
        right.text_input(ui.t("merchants_page.field.neq"), value=values.get("neq") or "", key=f"{prefix}.neq",
                         help=ui.t("merchants_page.field.neq_help"))
        for column, name in zip(st.columns(3), ("sector", "size_band", "status"), strict=True):
            options = CHOICES[name]
            column.selectbox(ui.t(f"merchants_page.field.{name}"), options,
                             index=options.index(values[name]) if values.get(name) in options else 0,
                             format_func=lambda v, n=name: choice_label(n, v, lang), key=f"{prefix}.{name}")
        left, right = st.columns(2)
        left.text_input(ui.t("merchants_page.field.municipality"), value=values.get("municipality") or "",
                        key=f"{prefix}.municipality")
        right.date_input(ui.t("merchants_page.field.enrolment_date"),
                         value=values.get("enrolment_date") or ui.as_of(), format="YYYY-MM-DD",
                         key=f"{prefix}.enrolment_date")
        contacts = ("contact_name", "contact_email", "contact_phone")
        for column, name in zip(st.columns(3), contacts, strict=True):
            column.text_input(ui.t(f"merchants_page.field.{name}"), value=values.get(name) or "",
                              key=f"{prefix}.{name}")
        st.form_submit_button(submit, type="primary", on_click=_save, args=(prefix, merchant_id))


def _merchant_details(page: MerchantPage, *, can_edit: bool) -> None:
    st.subheader(text_or_dash(page.title))
    st.caption(text_or_dash(page.subtitle))
    if page.erased:
        st.info(page.erased, icon=":material/shield_person:")
    st.markdown(page.contact)
    tabs = st.tabs([ui.t("merchants_page.tab.changes"), ui.t("merchants_page.tab.measurements"),
                    ui.t("merchants_page.tab.expenses")]
                   + ([ui.t("merchants_page.tab.edit")] if can_edit else [])
                   + [ui.t("merchants_page.tab.law25")])
    with tabs[0]:
        if page.changes:
            table(page.changes, right=page.right)
        else:
            st.caption(ui.t("merchants_page.no_changes"))
    with tabs[1]:
        if page.measurements:
            table(page.measurements, right=page.right)
        else:
            st.caption(ui.t("merchants_page.no_measurements"))
    with tabs[2]:
        if page.expenses:
            table(page.expenses, right=page.right)
        st.caption(page.expenses_total)
    if can_edit:
        with tabs[3]:
            _merchant_form(f"merchants.edit.{page.id}", page.form, submit=ui.t("merchants_page.save"),
                           merchant_id=page.id)
    with tabs[-1]:
        _law25(page, can_edit=can_edit)


def _law25(page: MerchantPage, *, can_edit: bool) -> None:
    st.caption(ui.t("merchants_page.law25_intro"))
    st.button(ui.t("merchants_page.export"), icon=":material/download:", on_click=_export, args=(page.id,),
              key=f"merchants.export_button.{page.id}")
    ready = st.session_state.get(EXPORT_KEY)
    if ready and ready[0] == page.id:
        st.download_button(ui.t("merchants_page.download"), ready[1], file_name=page.file_name,
                           mime="application/json", on_click="ignore", icon=":material/file_download:",
                           key=f"merchants.download.{page.id}")
    if not can_edit:
        return
    if page.erased:
        st.caption(ui.t("merchants_page.already_erased"))
        return
    confirmed = st.checkbox(ui.t("merchants_page.erase_confirm", name=text_or_dash(page.title)),
                            key=f"merchants.erase_confirm.{page.id}")
    st.button(ui.t("merchants_page.erase"), type="primary", icon=":material/person_remove:",
              disabled=not confirmed, on_click=_erase, args=(page.id,),
              key=f"merchants.erase_button.{page.id}")


def merchant_section(view: MerchantsView) -> None:
    """Staff: choose a merchant and open its own page; add a merchant."""
    st.subheader(ui.t("merchants_page.own_page"))
    if st.session_state.get(SELECTED_KEY) not in view.choices:
        st.session_state.pop(SELECTED_KEY, None)  # filtered out since it was chosen
    chosen = st.selectbox(ui.t("merchants_page.choose"), list(view.choices), index=None,
                          format_func=view.choices.get, placeholder=ui.t("merchants_page.choose_placeholder"),
                          key=SELECTED_KEY)
    if chosen is not None:
        try:
            page = merchant_page(chosen)
        except UserFacingError as error:
            st.error(_error_text(error))
        else:
            with st.container(border=True):
                _merchant_details(page, can_edit=view.can_edit)
    if view.can_edit:
        with st.expander(ui.t("merchants_page.add"), icon=":material/add_business:"):
            _merchant_form("merchants.new", {}, submit=ui.t("merchants_page.create"), merchant_id=None)


def _import_file() -> None:
    upload = st.session_state.get(IMPORT_KEY)
    if upload is None:
        return
    try:
        outcome = import_merchants(ui.engine(), upload.getvalue(), file_name=upload.name,
                                   program_code=ui.program_code(), user=ui.current_user(), lang=ui.lang())
    except Forbidden as error:
        st.session_state[IMPORT_RESULT_KEY] = ("error", error.message(ui.lang()), [])
        return
    lang = ui.lang()
    lines = [outcome.reason_text(lang)] if outcome.reason_text(lang) else []
    if not outcome.refused:
        lines.append(t("merchant_import.counts", lang, read=outcome.rows_read, created=outcome.created,
                       updated=outcome.updated, rejected=outcome.rows_rejected,
                       measurements=outcome.measurements))
    lines += [t("merchant_import.unknown_indicator", lang, column=safe.md(label))
              for label in outcome.unknown_indicator_columns]
    rows = [{t("merchant_import.col.row", lang): str(e["row"]), t("merchant_import.col.column", lang):
             e["column"] or DASH, t("merchant_import.col.message", lang): e["message"]}
            for e in outcome.error_messages(lang)]
    clean = not rows and not outcome.unknown_indicator_columns
    kind = "success" if outcome.status == "imported" and clean else "warning" if outcome.rows_imported \
        else "error"
    st.session_state[IMPORT_RESULT_KEY] = (kind, "  \n".join(lines), rows)


def merchant_import_section(view: MerchantsView) -> None:
    """Staff who may edit: import merchants and measurements from a workbook; the counts and row errors."""
    if not view.can_edit:
        return
    with st.expander(ui.t("merchant_import.upload"), icon=":material/upload_file:"):
        st.caption(ui.t("merchant_import.upload_help"))
        upload = st.file_uploader(ui.t("merchant_import.upload"), type=list(IMPORT_TYPES), key=IMPORT_KEY)
        st.button(ui.t("merchant_import.run"), type="primary", disabled=upload is None, on_click=_import_file,
                  key="merchants.import_run")
        result = st.session_state.get(IMPORT_RESULT_KEY)
        if result:
            kind, text, rows = result
            {"success": st.success, "warning": st.warning}.get(kind, st.error)(text)
            if rows:
                st.caption(ui.t("merchant_import.errors"))
                table(rows, height=min(400, 38 + 35 * len(rows)))
