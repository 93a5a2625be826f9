"""The Reports page's cached view and count (built by cqic_budget.views.reports) and its widgets: the report
and export download buttons (the files are made on Streamlit's download thread, when the reader clicks)."""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st
from sqlmodel import Session

from cqic_budget import ui
from cqic_budget.i18n import format_date, format_number, t
from cqic_budget.queries import ExpenseFilters, count_expenses
from cqic_budget.report_pdf import PDF_MIME
from cqic_budget.reports import CSV_MIME, XLSX_MIME
from cqic_budget.views.reports import (
    ALL,
    NO,
    YES,
    ReportsView,
    build_reports,
    export_file,
    export_file_name,
    filters_of,
    report_file,
    report_pdf_file,
)

# The export filters' widget keys; ALL is the "no filter" choice of the yes/no filters.
FILTER_KEYS = {"fiscal_year": "reports.filter.fiscal_year", "category": "reports.filter.category",
               "eligible": "reports.filter.eligible", "needs_review": "reports.filter.needs_review"}
FLAGS = (ALL, YES, NO)


# --- cached edges -------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=256)
def _reports(url: str, program_code: str | None, as_of: date, lang: str, version: int, user: str | None
             ) -> ReportsView:
    with Session(ui.cached_engine(url)) as session:
        return build_reports(session, program_code=program_code, as_of=as_of, lang=lang, user=user)


def reports_view() -> ReportsView:
    """The page for the reader's program, as-of date, language and role, recomputed when the data change."""
    return _reports(ui.store_url(), ui.program_code(), ui.as_of(), ui.lang(), ui.data_version(),
                    ui.current_user())


@st.cache_data(show_spinner=False, max_entries=256)
def _count(url: str, program_id: int, as_of: date, filters: ExpenseFilters, version: int) -> int:
    with Session(ui.cached_engine(url)) as session:
        return count_expenses(session, program_id=program_id, as_of=as_of, filters=filters)


# --- drawing ------------------------------------------------------------------------------------------


def report_section(view: ReportsView) -> None:
    st.subheader(view.report_title)
    st.write(view.report_text)
    common = dict(program_code=view.program_code, as_of=view.as_of, lang=ui.lang(), user=ui.current_user())
    workbook, pdf = st.columns(2)
    workbook.download_button(
        view.report_button, partial(report_file, ui.engine(), **common), file_name=view.report_file,
        mime=XLSX_MIME, on_click="ignore", type="primary", icon=":material/download:", key="reports.report",
        help=view.report_file, width="stretch",
    )
    pdf.download_button(
        view.report_pdf_button, partial(report_pdf_file, ui.engine(), **common),
        file_name=view.report_pdf_file, mime=PDF_MIME, on_click="ignore", icon=":material/picture_as_pdf:",
        key="reports.report_pdf", help=view.report_pdf_file, width="stretch",
    )
    st.markdown(f"**{view.sheets_title}**")
    st.markdown("\n".join(f"- **{sheet.name}** — {sheet.text}" for sheet in view.sheets))


def _filter_widgets(view: ReportsView) -> dict[str, str | None]:
    lang = ui.lang()
    year, category, eligible, review = st.columns(4)
    words = {flag: t(f"reports_page.{flag}", lang) for flag in
             ("all_rows", "eligible_yes", "eligible_no", "review_yes", "review_no")}
    eligible_words = {ALL: words["all_rows"], YES: words["eligible_yes"], NO: words["eligible_no"]}
    review_words = {ALL: words["all_rows"], YES: words["review_yes"], NO: words["review_no"]}
    return {
        "fiscal_year": year.selectbox(
            t("reports_page.filter.fiscal_year", lang), view.fiscal_years, index=None,
            placeholder=t("reports_page.all_years", lang), key=FILTER_KEYS["fiscal_year"]),
        "category": category.selectbox(
            t("reports_page.filter.category", lang), list(view.categories), index=None,
            format_func=view.categories.get, placeholder=t("reports_page.all_categories", lang),
            key=FILTER_KEYS["category"]),
        "eligible": eligible.selectbox(
            t("reports_page.filter.eligible", lang), FLAGS, format_func=eligible_words.get,
            key=FILTER_KEYS["eligible"]),
        "needs_review": review.selectbox(
            t("reports_page.filter.needs_review", lang), FLAGS, format_func=review_words.get,
            key=FILTER_KEYS["needs_review"]),
    }


def exports_section(view: ReportsView) -> None:
    lang = ui.lang()
    st.subheader(view.exports_title)
    st.caption(view.exports_text)
    choices = _filter_widgets(view)
    filters = filters_of(choices)
    count = _count(ui.store_url(), view.program_id, view.as_of, filters, ui.data_version())
    st.write(t("reports_page.rows", lang, count=format_number(count, lang),
               as_of=format_date(view.as_of, lang)) if count else t("reports_page.no_rows", lang))
    common = dict(program_id=view.program_id, as_of=view.as_of, lang=lang, filters=filters,
                  user=ui.current_user())
    csv_column, xlsx_column = st.columns(2)
    for column, kind, label, mime in ((csv_column, "csv", view.csv_button, CSV_MIME),
                                      (xlsx_column, "xlsx", view.xlsx_button, XLSX_MIME)):
        column.download_button(
            label, partial(export_file, ui.engine(), kind, **common),
            file_name=export_file_name(view.program_code, view.as_of, lang, kind, filters.fiscal_year),
            mime=mime, on_click="ignore", disabled=not count, icon=":material/table_view:",
            key=f"reports.export.{kind}", width="stretch",
        )
    st.caption(t("reports_page.safe_note", lang))
