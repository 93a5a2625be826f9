"""The funder report workbook (openpyxl) and the CSV/Excel expense exports, safe against formula injection.

Every figure comes from the metric functions (the same as `summary --json`); this package only lays
them out. The expense rows are read with one SQL query, streamed in chunks into a write-only workbook
or a CSV stream, so that a store of a million expenses never sits in memory.

- `kinds`: the kinds of cell and their number formats, `safe_text`, the sheet plan (Sheet, Row), MIME types.
- `view`: `report_view` / `ReportView`, the figure sheets laid out once (the workbook and report_pdf
  render them).
- `cells`: writing a sheet plan into a write-only workbook (styles, widths, page set-up).
- `exports`: the expense rows (`iter_expense_rows`, EXPENSE_COLUMNS), the CSV and Excel exports.
- `workbook`: the report workbook (`build_report`, `write_report`), its file name, `check_report_path`.

Callers import from `cqic_budget.reports`; a test that patches a module constant patches it where it is
read (`reports.exports.CHUNK_ROWS`, `reports.exports.SHEET_ROW_LIMIT`).
"""

from cqic_budget.queries import ExpenseFilters
from cqic_budget.reports.exports import (
    CHUNK_ROWS,
    EXPENSE_COLUMNS,
    EXPENSE_WIDTHS,
    SHEET_ROW_LIMIT,
    expense_query,
    expenses_csv,
    expenses_xlsx,
    iter_expense_rows,
    write_expenses_csv,
)
from cqic_budget.reports.kinds import (
    CSV_MIME,
    DATE,
    DATE_FORMAT,
    INTEGER,
    INTEGER_FORMAT,
    LONG_TEXT,
    MONEY,
    MONEY_FORMAT,
    MONTHS,
    MONTHS_FORMAT,
    NUMBER,
    NUMBER_FORMAT,
    PERCENT,
    PERCENT_FORMAT,
    RATE,
    RATE_FORMAT,
    TEXT,
    XLSX_MIME,
    safe_text,
)
from cqic_budget.reports.view import SUMMARY_FIGURES, ReportView, Row, Sheet, report_view
from cqic_budget.reports.workbook import (
    ReportFormatError,
    build_report,
    check_report_path,
    report_file_name,
    write_report,
)

__all__ = [
    "CHUNK_ROWS", "CSV_MIME", "DATE", "DATE_FORMAT", "EXPENSE_COLUMNS", "EXPENSE_WIDTHS", "INTEGER",
    "INTEGER_FORMAT", "LONG_TEXT", "MONEY", "MONEY_FORMAT", "MONTHS", "MONTHS_FORMAT", "NUMBER",
    "NUMBER_FORMAT", "PERCENT", "PERCENT_FORMAT", "RATE", "RATE_FORMAT", "SHEET_ROW_LIMIT", "SUMMARY_FIGURES",
    "TEXT",
    "XLSX_MIME", "ExpenseFilters", "ReportFormatError", "ReportView", "Row", "Sheet", "build_report",
    "check_report_path", "expense_query", "expenses_csv", "expenses_xlsx", "iter_expense_rows",
    "report_file_name", "report_view", "safe_text", "write_expenses_csv", "write_report",
]
