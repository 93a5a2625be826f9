"""The steps every sheet import shares (expenses, merchants, commitments): read the bytes within the
limits, sniff the kind by content, run the safety checks, read the sheets and find the header row.
Each step raises importing.refusal.Refused with the codes of SPEC §4; nothing is written."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cqic_budget.errors import EXIT_OK, EXIT_REFUSED, EXIT_REJECTED
from cqic_budget.i18n import t
from cqic_budget.importing.header import Header, find_header
from cqic_budget.importing.normalise import clean_text, is_blank
from cqic_budget.importing.reader import read_sheets
from cqic_budget.importing.refusal import NO_HEADER, NOT_SPREADSHEET, TOO_LARGE, Limits, Refused
from cqic_budget.importing.repeated import capped, more_lines
from cqic_budget.importing.safety import WorkbookFacts, check
from cqic_budget.importing.sniff import sniff
from cqic_budget.importing.validate import RowError

# The status words (SPEC §6) of every import: expenses, merchants, commitments; its exit codes are
# errors.EXIT_* (the command line's too).
IMPORTED, DRY_RUN, REJECTED, DUPLICATE_FILE = "imported", "dry-run", "rejected", "duplicate-file"


@dataclass
class ImportOutcome:
    """What an import did, or would do for a dry run: the fields and the exit status (SPEC §6) every import
    shares (expenses: service.Outcome; merchants, commitments: TableImportOutcome)."""

    status: str
    file_name: str
    file_sha256: str | None = None
    rows_read: int = 0
    errors: list[RowError] = field(default_factory=list)
    reason: str | None = None  # a refused file's code
    reason_params: dict[str, Any] = field(default_factory=dict)
    reason_detail: str | None = None

    @property
    def refused(self) -> bool:
        """The file as a whole was refused."""
        return self.reason is not None

    @property
    def exit_status(self) -> int:
        return exit_status(self.status, refused=self.refused)


@dataclass
class TableImportOutcome(ImportOutcome):
    """What an import of records from a sheet (merchants, commitments) did: records created or updated."""

    created: int = 0
    updated: int = 0

    @property
    def rows_imported(self) -> int:
        return self.created + self.updated


def exit_status(status: str, *, refused: bool) -> int:
    """SPEC §6: 2 for a file refused as a whole, 0 when imported (or a dry run), 1 when nothing went in."""
    if refused:
        return EXIT_REFUSED
    return EXIT_OK if status in (IMPORTED, DRY_RUN) else EXIT_REJECTED


@dataclass
class OpenedTable:
    sha256: str
    header: Header
    facts: WorkbookFacts


def open_table(
    source: bytes | Path | str,
    limits: Limits,
    *,
    classify: Callable[[object], str | None],
    complete: Callable[[dict[str, int]], bool],
) -> OpenedTable:
    """The sheet and header row of `source` whose header cells `classify` into a `complete` set of fields."""
    data = read_source(source, limits)
    sha256 = hashlib.sha256(data).hexdigest()
    sniffed = sniff(data)
    facts = check(data, sniffed.kind, limits)
    header = find_header(read_sheets(data, sniffed.kind, limits, encoding=sniffed.encoding),
                         limits.header_rows, classify=classify, complete=complete)
    if header is None:
        raise Refused(NO_HEADER, rows=limits.header_rows)
    return OpenedTable(sha256, header, facts)


def read_source(source: Path | str | bytes, limits: Limits) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        # At most the limit + 1 byte is read, whatever the path names: /dev/zero, a pipe, a huge file.
        path = Path(source)
        try:
            with path.open("rb") as handle:
                data = handle.read(limits.max_file_bytes + 1)
        except OSError:
            raise Refused(NOT_SPREADSHEET, "unreadable") from None
    if len(data) > limits.max_file_bytes:
        raise Refused(TOO_LARGE, "file", limit_mb=limits.max_file_bytes // (1024 * 1024))
    return data


def outcome_text(outcome: Any, lang: str, counts: list[str], message: Callable[[RowError, str], str], *,
                 max_errors: int = 50) -> str:
    """What every import prints (SPEC §6): the file, the sheet and header row, the status, why, then the
    import's own `counts` lines, then its row errors (at most `max_errors`, each said by `message`)."""
    lines = [t("import.text.file", lang, file=outcome.file_name)]
    if outcome.sheet is not None:
        lines.append(t("import.text.sheet", lang, sheet=outcome.sheet, row=outcome.header_row))
    lines.append(t("import.text.status", lang, status=t(f"import.status.{outcome.status}", lang)))
    reason = outcome.reason_text(lang)
    if reason:
        lines.append(reason)
    lines.extend(counts)
    listed, left_out = capped(outcome.errors)  # « 10,005 » on 10 000 rows: ten listed, the rest counted
    for error in listed[:max_errors]:
        column = t("import.text.column", lang, column=error.column) if error.column else ""
        lines.append(t("import.text.error", lang, row=error.row, column=column, message=message(error, lang)))
    if len(listed) > max_errors:
        lines.append(t("import.text.more", lang, count=len(listed) - max_errors))
    lines += more_lines(left_out, lang)
    return "\n".join(lines)


@dataclass
class TableRow:
    """One data row of a table import as its parser reads it (merchants, commitments): a field's cell, and
    the problems found on it, each at the row's number under the field's column as headed in the file."""

    index: int  # under the header
    number: int  # in the sheet, as Excel shows it
    cells: list
    header: Header
    problems: list[RowError] = field(default_factory=list)

    def cell(self, name: str) -> Any:
        """Field `name`'s cell; None when the sheet has no such column or the row stops before it."""
        col = self.header.columns.get(name)
        return self.cells[col] if col is not None and col < len(self.cells) else None

    def column(self, name: str | None) -> str | None:
        """Field `name`'s column as headed in the file; None when the sheet has none."""
        return self.header.label(name) if name in self.header.columns else None

    def problem(self, name: str | None, code: str, value: object = "", **params: Any) -> None:
        """A problem in field `name`, with the value as written (its first 80 characters)."""
        self.problems.append(RowError(self.number, self.column(name), code,
                                      {"value": clean_text(value)[:80], **params}))


def data_rows(sheet: Any, header: Header) -> Iterator[TableRow]:
    """The rows under the header that hold something in a mapped column: what a table import reads and
    counts (blank rows are skipped)."""
    first_number = sheet.first_row + header.row_index + 2
    mapped = set(header.columns.values())
    for index, cells in enumerate(sheet.rows[header.row_index + 1:]):
        if all(is_blank(cells[c]) for c in mapped if c < len(cells)):
            continue
        yield TableRow(index, first_number + index, cells, header)
