"""The rejected-rows workbook: a file's rejected and duplicate rows as an .xlsx to fix and upload again."""

from __future__ import annotations

import io
from typing import Any

from sqlmodel import Session

from cqic_budget import auth
from cqic_budget.i18n import t
from cqic_budget.importing.commit import issues_of
from cqic_budget.importing.service import Analysis, error_message
from cqic_budget.importing.validate import RowError
from cqic_budget.models import ImportBatch


def batch_rejected_workbook(
    session: Session, batch_id: int, *, user: str = auth.LOCAL_USER, lang: str = "fr"
) -> bytes:
    """A batch's rejected and duplicate rows as an .xlsx to fix and upload again. The cells are what
    staff uploaded: only a user who may import gets them."""
    auth.require(session, user, "import")
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise LookupError(batch_id)
    return rejected_workbook(batch.issues or [], lang=lang)


def analysis_rejected_workbook(analysis: Analysis, *, lang: str = "fr") -> bytes:
    """The rejected and duplicate rows of a preview, before anything is written."""
    if analysis.parsed is None:
        return rejected_workbook([], lang=lang)
    return rejected_workbook(issues_of(analysis.parsed, analysis.errors()), lang=lang)


def rejected_workbook(issues: list[dict[str, Any]], *, lang: str = "fr") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    by_row: dict[int, dict[str, Any]] = {}
    columns: list[str] = []
    for issue in issues:
        entry = by_row.setdefault(
            issue["row"], {"codes": [], "messages": [], "values": issue.get("values") or {}}
        )
        error = RowError(
            issue["row"],
            issue.get("column"),
            issue["code"],
            issue.get("params") or {},
            counts_as_rejected=not issue.get("warning", False),
        )
        entry["codes"].append(issue["code"])
        entry["messages"].append(error_message(error, lang))
        for name in entry["values"]:
            if name not in columns:
                columns.append(name)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(t("import.rejected.sheet", lang))

    def cell(value: Any) -> Any:
        # Text is written as text, never as a formula (no formula injection through a re-exported cell).
        if isinstance(value, str):
            written = WriteOnlyCell(sheet, value=value)
            written.data_type = "s"
            return written
        return value

    sheet.append(
        [
            t("import.rejected.row", lang),
            t("import.rejected.code", lang),
            t("import.rejected.message", lang),
            *(cell(name) for name in columns),  # the sheet's own header labels: text, as the cells
        ]
    )
    for row in sorted(by_row):
        entry = by_row[row]
        sheet.append(
            [
                row,
                ", ".join(entry["codes"]),
                cell(" ".join(entry["messages"])),
                *(cell(entry["values"].get(name)) for name in columns),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
