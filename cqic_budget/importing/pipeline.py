"""The steps every sheet import shares (expenses, merchants, commitments): read the bytes within the
limits, sniff the kind by content, run the safety checks, read the sheets and find the header row.
Each step raises importing.refusal.Refused with the codes of SPEC §4; nothing is written."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cqic_budget.importing.header import Header, find_header
from cqic_budget.importing.reader import read_sheets
from cqic_budget.importing.refusal import NO_HEADER, Limits, Refused
from cqic_budget.importing.safety import WorkbookFacts, check
from cqic_budget.importing.service import read_source
from cqic_budget.importing.sniff import sniff


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
