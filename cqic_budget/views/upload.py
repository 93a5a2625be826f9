"""The Upload page's content (SPEC §5.6): analyse a sheet, preview it, commit it; the import history, undo,
the rejected rows to fix, the blank template and the sample, and the category labels waiting to be mapped.

Everything goes through cqic_budget.importing.service and cqic_budget.settings_service (roles checked,
audited, the data version bumped); this module only lays them out. `build_upload` reads what the page shows
from the store (cached by store, program, language, data version and user). The analysis of the uploaded file
is kept in the session, keyed by the file's SHA-256 and the data version, so a rerun never reads the file
again. Files offered for download are generated when the reader clicks (on Streamlit's download thread).

Built without Streamlit; the cached edges and widgets named here live in cqic_budget/ui/upload.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from cqic_budget.auth import allows, require
from cqic_budget.i18n import format_date, format_money, format_number, normalise_lang, t
from cqic_budget.importing.batches import category_labels_to_map, list_batches
from cqic_budget.importing.commit import REVERSED
from cqic_budget.importing.rejected import batch_rejected_workbook
from cqic_budget.importing.repeated import capped
from cqic_budget.importing.service import IMPORTED, Analysis, Outcome, error_message
from cqic_budget.importing.validate import DUPLICATE
from cqic_budget.queries import category_label_map
from cqic_budget.setup import UNCLASSIFIED, get_program
from cqic_budget.views import safe
from cqic_budget.views.audit import user_label, when

PROBLEMS_SHOWN, VALID_SHOWN = 500, 10
# The preview's valid rows: enough to recognise each expense and check its amounts (no description: no room).
VALID_COLUMNS = ("row", "date", "vendor", "category", "invoice", "amount", "gst", "qst", "total")
MONEY_COLUMNS = ("amount", "gst", "qst", "total")


# The problems table's highlight: a rejected row in red, a duplicate in amber, a totals-row warning in grey.
TONES = {
    "rejected": "background-color: #fde2e1",
    "duplicate": "background-color: #fff1d6",
    "warning": "background-color: #eef0f3",
}


@dataclass(frozen=True)
class BatchRow:
    id: int
    file_name: str
    label: str  # «no 7 — depenses-mars.xlsx — 2026-04-02 14:05»
    active: bool
    undone: str | None  # when and by whom it was undone, in words
    imported: int
    to_fix: int  # rejected and duplicate rows, in the batch's workbook of rows to fix


@dataclass(frozen=True)
class UploadView:
    title: str
    purpose: str
    period: str
    allowed: bool
    refusal: str
    program_code: str
    can_undo: bool
    can_map: bool
    batches: tuple[BatchRow, ...]
    history: pd.DataFrame  # the batches as shown, newest first
    labels: tuple[tuple[str, int], ...]  # labels waiting to be mapped, with how many expenses wait
    categories: dict[str, str]  # code -> label (« À classer » left out), in the categories' order

    def batch(self, batch_id: int | None) -> BatchRow | None:
        return next((b for b in self.batches if b.id == batch_id), None)


@dataclass
class Upload:
    """The file in the uploader, analysed once: kept in the session with what the analysis depends on besides
    the file's bytes (the data version: duplicates; the program; the user), and what the preview draws."""

    sha256: str
    file_id: str
    version: int
    program_code: str
    user: str | None
    analysis: Analysis
    outcomes: dict[bool, Outcome] = field(default_factory=dict)  # by strict
    frames: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = field(default_factory=dict)  # by language

    def outcome(self, strict: bool = False) -> Outcome:
        if strict not in self.outcomes:
            self.outcomes[strict] = self.analysis.outcome(strict=strict)
        return self.outcomes[strict]

    def tables(self, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The rows with problems and a few valid rows, built once per language."""
        if lang not in self.frames:
            self.frames[lang] = (problems_frame(self.analysis, lang), valid_frame(self.analysis, lang))
        return self.frames[lang]


# --- what the page shows from the store -----------------------------------------------------------------


def build_upload(session: Session, *, program_code: str | None, lang: str, user: str | None) -> UploadView:
    lang = normalise_lang(lang)
    role = require(session, user, "read")
    program = get_program(session, program_code)
    allowed = allows(role, "import")
    batches = list_batches(session, program_code=program.code) if allowed else []
    labels = category_labels_to_map(session, program_code=program.code) if allowed else []
    categories = category_label_map(session, lang, without=(UNCLASSIFIED,))
    name = program.name_en if lang == "en" else program.name_fr

    def status(batch) -> str:
        return t(f"upload_page.status.{'reversed' if batch.status == REVERSED else 'imported'}", lang)

    def undone(batch) -> str | None:
        if batch.status != REVERSED:
            return None
        return t(
            "upload_page.undone",
            lang,
            batch_id=batch.id,
            at=when(batch.reversed_at, lang),
            user=safe.md(user_label(batch.reversed_by or "", lang)),
        )

    columns = {
        key: t(f"upload_page.column.{key}", lang)
        for key in ("id", "file", "user", "at", "read", "imported", "rejected", "duplicate", "status")
    }
    history = pd.DataFrame(
        [
            (
                b.id,
                b.file_name,
                user_label(b.user, lang),
                when(b.created_at, lang),
                b.rows_read,
                b.rows_imported,
                b.rows_rejected,
                b.rows_duplicate,
                status(b),
            )
            for b in batches
        ],
        columns=list(columns.values()),
    )
    return UploadView(
        title=t("upload_page.title", lang),
        purpose=t("upload_page.purpose", lang),
        period=t(
            "upload_page.period",
            lang,
            name=safe.md(name),
            start=format_date(program.start_date, lang),
            end=format_date(program.end_date, lang),
        ),
        allowed=allowed,
        refusal=t("upload_page.refused", lang),
        program_code=program.code,
        can_undo=allows(role, "undo_import"),
        can_map=allows(role, "settings"),
        batches=tuple(
            BatchRow(
                b.id,
                b.file_name,
                t(
                    "upload_page.batch_label",
                    lang,
                    batch_id=b.id,
                    file=b.file_name,
                    at=when(b.created_at, lang),
                ),
                b.status != REVERSED,
                undone(b),
                b.rows_imported,
                b.rows_rejected + b.rows_duplicate,
            )
            for b in batches
        ),
        history=history,
        labels=tuple(labels),
        categories=categories,
    )


def batch_rejected_file(engine: sa.Engine, batch_id: int, user: str, lang: str) -> bytes:
    with Session(engine) as session:
        return batch_rejected_workbook(session, batch_id, user=user, lang=lang)


def rows_to_fix_name(file_name: str, lang: str) -> str:
    """«lignes-a-corriger-depenses-mars.xlsx» / «rows-to-fix-depenses-mars.xlsx»."""
    stem = PurePath(file_name).stem or "import"
    return t("upload_page.file.rows_to_fix", lang, stem=stem)


def size_text(count: int, lang: str) -> str:
    """A file's size in words: «12 Ko», «3,4 Mo»."""
    if count >= 1024 * 1024:
        return t("upload_page.size.mb", lang, size=format_number(count / (1024 * 1024), lang, digits=1))
    return t("upload_page.size.kb", lang, size=format_number(max(1, round(count / 1024)), lang))


def problem_kind(error) -> str:
    if error.code == DUPLICATE:
        return "duplicate"
    return "rejected" if error.counts_as_rejected else "warning"


def problems_frame(analysis: Analysis, lang: str, *, limit: int = PROBLEMS_SHOWN) -> pd.DataFrame:
    """The rows with a problem: sheet row, column as headed in the file and message; `kind` drives the
    highlight and is hidden."""
    # People read words: the codes stay in the JSON output and the rows-to-fix workbook.
    names = [t(f"upload_page.column.{key}", lang) for key in ("row", "column", "problem")]
    # A warning on thousands of rows (« 10,005 » everywhere) is listed a few times, then counted.
    rows = [
        (e.row, e.column or "", error_message(e, lang), problem_kind(e))
        for e in capped(analysis.errors())[0][:limit]
    ]
    return pd.DataFrame(rows, columns=[*names, "kind"])


def valid_frame(analysis: Analysis, lang: str, *, limit: int = VALID_SHOWN) -> pd.DataFrame:
    """A few of the rows that will be imported, as the sheet has them (money in the reader's format)."""
    # The preview lists the rows with problems among the others: ask for enough to find `limit` valid ones.
    ok = [r for r in analysis.preview(limit=limit + len(analysis.errors())) if r["status"] == "ok"][:limit]
    rows = [[format_money(r[k], lang) if k in MONEY_COLUMNS else r[k] for k in VALID_COLUMNS] for r in ok]
    return pd.DataFrame(rows, columns=[t(f"upload_page.column.{k}", lang) for k in VALID_COLUMNS])


def highlight_problems(frame: pd.DataFrame):
    """problems_frame with each row tinted by its kind (rejected, duplicate, warning)."""
    styles = frame["kind"].map(TONES).fillna("")
    return frame.style.apply(lambda column: styles, axis=0)


def refused_message(outcome: Outcome, lang: str) -> str:
    return t(
        "upload_page.refused_file",
        lang,
        file=safe.md(outcome.file_name),
        message=outcome.reason_text(lang),
    )


def outcome_text(outcome: Outcome, lang: str) -> str:
    if outcome.status != IMPORTED:
        return outcome.reason_text(lang) or ""
    return t(
        "upload_page.imported",
        lang,
        file=safe.md(outcome.file_name),
        batch_id=outcome.batch_id,
        imported=format_number(outcome.rows_imported, lang),
        rejected=format_number(outcome.rows_rejected, lang),
        duplicate=format_number(outcome.rows_duplicate, lang),
    )
