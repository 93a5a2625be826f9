"""The funder report workbook (.xlsx): the figure sheets of `report_view`, then the expense detail sheet;
its file name, and the check of `report --out`'s extension.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from sqlmodel import Session

from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import normalise_lang, t
from cqic_budget.reports.cells import _write_sheet
from cqic_budget.reports.exports import _expense_sheet
from cqic_budget.reports.view import report_view


def _build(
    session: Session, target: str | Path | IO[bytes], *, program_code: str | None, as_of: date | None,
    lang: str, user: str | None,
) -> None:
    view = report_view(session, program_code=program_code, as_of=as_of, lang=lang, user=user)
    wb = Workbook(write_only=True)
    wb.properties.title = view.subtitle
    wb.properties.creator = "cqic_budget"
    for sheet in view.sheets:
        _write_sheet(wb, sheet)
    _expense_sheet(wb, session, name=t("reports.sheet.expenses", view.lang), lang=view.lang,
                   program_id=view.program_id, as_of=view.as_of, title=view.program_name,
                   subtitle=view.subtitle, note=view.expense_note, personal=view.personal)
    wb.save(target)


def build_report(
    session: Session, *, program_code: str | None = None, as_of: date | None = None, lang: str = "fr",
    user: str | None = None,
) -> bytes:
    """The funder report workbook (.xlsx) as bytes, for a download. `user`, when given, must hold the
    `reports` permission (auth.Forbidden otherwise)."""
    buffer = io.BytesIO()
    _build(session, buffer, program_code=program_code, as_of=as_of, lang=lang, user=user)
    return buffer.getvalue()


def write_report(
    session: Session, path: str | Path, *, program_code: str | None = None, as_of: date | None = None,
    lang: str = "fr", user: str | None = None,
) -> Path:
    """Write the funder report workbook to `path` (python -m cqic_budget report)."""
    path = Path(path)
    _build(session, path, program_code=program_code, as_of=as_of, lang=lang, user=user)
    return path


def report_file_name(program_code: str, as_of: date, lang: str = "fr", suffix: str = "xlsx") -> str:
    prefix = "funder-report" if normalise_lang(lang) == "en" else "rapport-bailleurs"
    return f"{prefix}-{program_code}-{as_of.isoformat()}.{suffix}"


class ReportFormatError(UserFacingError, ValueError):
    """`report --out` names a file that is neither .xlsx nor .pdf (code report-format)."""

    code = "report-format"

    def __init__(self, path: Path):
        self.path = path
        super().__init__(f"report-format: {path}")

    def message(self, lang: str = "fr") -> str:
        return t("report_pdf.error.format", lang, name=self.path.name)


def check_report_path(path: str | Path) -> str:
    """The report's format by the file's extension: "xlsx" or "pdf" (ReportFormatError otherwise)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in ("xlsx", "pdf"):
        raise ReportFormatError(Path(path))
    return suffix
