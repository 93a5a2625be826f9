"""Read cells: python-calamine for workbooks (values only, macros never run), the csv module for text."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, Iterator

import python_calamine

from cqic_budget.importing.refusal import CORRUPT, ENCRYPTED, TOO_LARGE, Limits, Refused
from cqic_budget.importing.sniff import CSV


@dataclass
class Sheet:
    """The cells of one sheet: rows[i][j] is the cell at zero-based (first_row + i, first_col + j)."""

    name: str
    rows: list[list[Any]]
    first_row: int = 0
    first_col: int = 0


def read_sheets(data: bytes, kind: str, limits: Limits, *, encoding: str | None = None) -> Iterator[Sheet]:
    """The sheets worth looking at, visible worksheets first, each read only when asked for."""
    if kind == CSV:
        yield _read_csv(data, encoding or "utf-8", limits)
        return
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        order = _sheet_order(workbook.sheets_metadata)
    except BaseException as exc:  # noqa: BLE001 - the Rust reader may panic on a damaged file
        raise _refusal(exc) from None
    try:
        for index in order:
            name = workbook.sheet_names[index]
            try:
                sheet = workbook.get_sheet_by_index(index)
                start = sheet.start or (0, 0)
                rows = sheet.to_python(skip_empty_area=True)
            except BaseException as exc:  # noqa: BLE001
                raise _refusal(exc) from None
            yield Sheet(name=name, rows=rows, first_row=start[0], first_col=start[1])
    finally:
        workbook.close()


def _sheet_order(metadata) -> list[int]:
    worksheets = [(i, m) for i, m in enumerate(metadata) if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
    visible = python_calamine.SheetVisibleEnum.Visible
    return [i for i, m in worksheets if m.visible == visible] + [
        i for i, m in worksheets if m.visible != visible
    ]


def _refusal(exc: BaseException) -> Refused:
    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
        raise exc
    if isinstance(exc, python_calamine.PasswordError):
        return Refused(ENCRYPTED)
    if isinstance(exc, MemoryError):
        return Refused(TOO_LARGE, "cells")
    return Refused(CORRUPT)


def _read_csv(data: bytes, encoding: str, limits: Limits) -> Sheet:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    text = text.lstrip("\ufeff")
    delimiter = _delimiter(text, limits)
    csv.field_size_limit(4 * limits.max_cell_text)
    rows: list[list[str]] = []
    cells = 0
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(record)
            cells += len(record)
            if len(record) > limits.max_columns or len(rows) > limits.max_rows or cells > limits.max_cells:
                raise Refused(TOO_LARGE, "cells", rows=len(rows), columns=len(record))
    except csv.Error:
        raise Refused(CORRUPT) from None
    width = max((len(r) for r in rows), default=0)
    for record in rows:
        if len(record) < width:
            record.extend([""] * (width - len(record)))
    return Sheet(name="CSV", rows=rows)


def _delimiter(text: str, limits: Limits) -> str:
    """Semicolon (French Excel) or comma or tab: the one splitting the first lines most consistently."""
    lines = [line for line in text[:65536].splitlines()[: limits.header_rows + 5] if line.strip()]
    best, best_score = ",", -1
    for candidate in (";", ",", "\t"):
        try:
            counts = [len(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=candidate)]
        except csv.Error:
            continue
        if not counts:
            continue
        widest = max(counts)
        score = 0 if widest < 2 else sum(1 for c in counts if c == widest) * widest
        if score > best_score:
            best, best_score = candidate, score
    return best
