"""The Reports page's content (SPEC §5.7): the funder report (workbook and PDF) and the expense exports.

`build_reports` says what the reader may download (the `reports` permission), what each sheet of the report
holds and which filters the exports offer; `count_expenses` counts the rows an export would hold. The files
themselves are generated on demand, when the reader clicks a download button (`report_file`, `export_file`
run on Streamlit's download thread, never during a rerun): a rerun costs nothing however large the store.

Built without Streamlit; the cached edges and widgets named here live in cqic_budget/ui/reports.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from cqic_budget.auth import allows, require
from cqic_budget.i18n import format_date, normalise_lang, t
from cqic_budget.periods import clamp_as_of, fiscal_years_between
from cqic_budget.queries import ExpenseFilters, category_label_map
from cqic_budget.report_pdf import build_report_pdf
from cqic_budget.reports import build_report, expenses_csv, expenses_xlsx, report_file_name
from cqic_budget.setup import get_program
from cqic_budget.views import safe

# The report's sheets in the workbook's order (reports.sheet.<key> is the sheet's name).
SHEETS = ("summary", "spending", "budget_lines", "cofinancing", "milestones", "impact", "expenses")


ALL, YES, NO = "all", "yes", "no"


@dataclass(frozen=True)
class Sheet:
    name: str
    text: str


@dataclass(frozen=True)
class ReportsView:
    title: str
    purpose: str
    period: str
    allowed: bool
    refusal: str
    program_id: int
    program_code: str
    as_of: date  # clamped to the program
    report_title: str
    report_text: str
    report_button: str
    report_file: str
    report_pdf_button: str
    report_pdf_file: str
    sheets_title: str
    sheets: tuple[Sheet, ...]
    exports_title: str
    exports_text: str
    fiscal_years: tuple[str, ...]
    categories: dict[str, str]  # code -> label, in the categories' order
    csv_button: str
    xlsx_button: str


def export_file_name(program_code: str, as_of: date, lang: str, suffix: str, fiscal_year: str | None) -> str:
    """«depenses-CQIC-2026-10-31.csv», «expenses-CQIC-2026-10-31-2025-2026.xlsx» for one fiscal year."""
    prefix = "expenses" if normalise_lang(lang) == "en" else "depenses"
    year = f"-{fiscal_year}" if fiscal_year else ""
    return f"{prefix}-{program_code}-{as_of.isoformat()}{year}.{suffix}"


def build_reports(session: Session, *, program_code: str | None, as_of: date, lang: str, user: str | None
                  ) -> ReportsView:
    lang = normalise_lang(lang)
    role = require(session, user, "read")
    program = get_program(session, program_code)
    as_of = clamp_as_of(as_of, program.start_date, program.end_date)
    name = program.name_en if lang == "en" else program.name_fr
    return ReportsView(
        title=t("reports_page.title", lang),
        purpose=t("reports_page.purpose", lang),
        period=t("reports_page.period", lang, name=safe.md(name), as_of=format_date(as_of, lang)),
        allowed=allows(role, "reports"),
        refusal=t("reports_page.refused", lang),
        program_id=program.id,
        program_code=program.code,
        as_of=as_of,
        report_title=t("reports_page.report", lang),
        report_text=t("reports_page.report_text", lang, as_of=format_date(as_of, lang, long=True)),
        report_button=t("reports_page.report_button", lang),
        report_file=report_file_name(program.code, as_of, lang),
        report_pdf_button=t("report_pdf.button", lang),
        report_pdf_file=report_file_name(program.code, as_of, lang, "pdf"),
        sheets_title=t("reports_page.sheets", lang),
        sheets=tuple(Sheet(t(f"reports.sheet.{key}", lang), t(f"reports_page.sheet.{key}", lang))
                     for key in SHEETS),
        exports_title=t("reports_page.exports", lang),
        exports_text=t("reports_page.exports_text", lang),
        fiscal_years=tuple(fy.label for fy in fiscal_years_between(program.start_date, as_of)),
        categories=category_label_map(session, lang),
        csv_button=t("reports_page.csv_button", lang),
        xlsx_button=t("reports_page.xlsx_button", lang),
    )


def filters_of(choices: dict[str, str | None]) -> ExpenseFilters:
    """The export filters from the widgets' values (None or ALL: no filter)."""
    def flag(value: str | None) -> bool | None:
        return None if value in (None, ALL) else value == YES

    return ExpenseFilters(
        fiscal_year=choices.get("fiscal_year") or None, category=choices.get("category") or None,
        eligible=flag(choices.get("eligible")), needs_review=flag(choices.get("needs_review")),
    )


# --- the files, generated when the reader clicks (on Streamlit's download thread: no st.* here) ----------


def report_file(engine: sa.Engine, *, program_code: str, as_of: date, lang: str, user: str | None) -> bytes:
    with Session(engine) as session:
        return build_report(session, program_code=program_code, as_of=as_of, lang=lang, user=user)


def report_pdf_file(engine: sa.Engine, *, program_code: str, as_of: date, lang: str, user: str | None
                    ) -> bytes:
    with Session(engine) as session:
        return build_report_pdf(session, program_code=program_code, as_of=as_of, lang=lang, user=user)


def export_file(engine: sa.Engine, kind: str, *, program_id: int, as_of: date, lang: str,
                filters: ExpenseFilters, user: str | None) -> bytes:
    write = expenses_xlsx if kind == "xlsx" else expenses_csv
    with Session(engine) as session:
        return write(session, program_id=program_id, as_of=as_of, lang=lang, filters=filters, user=user)
