"""A warning repeated on thousands of rows (`ambiguous-amount`) is listed a few times, then counted.

The preview and the command line's text show the first AMBIGUOUS_SHOWN rows of it and « … et 9 990 autres »;
the JSON output and the rows-to-fix workbook keep every row (a person fixes the sheet from them).
"""

from __future__ import annotations

from collections.abc import Sequence

from cqic_budget.i18n import format_number, t
from cqic_budget.importing.validate import AMBIGUOUS_AMOUNT, RowError

AMBIGUOUS_SHOWN = 10
CAPPED_WARNINGS = (AMBIGUOUS_AMOUNT,)  # warnings, never rejections: a rejected row is always listed


def capped(errors: Sequence[RowError], *, shown: int = AMBIGUOUS_SHOWN
           ) -> tuple[list[RowError], dict[str, int]]:
    """`errors` in their order with at most `shown` of each capped warning code, and how many of each code
    were left out (only the codes with some left out)."""
    kept: list[RowError] = []
    seen: dict[str, int] = {}
    for error in errors:
        if error.code in CAPPED_WARNINGS and not error.counts_as_rejected:
            seen[error.code] = seen.get(error.code, 0) + 1
            if seen[error.code] > shown:
                continue
        kept.append(error)
    return kept, {code: count - shown for code, count in seen.items() if count > shown}


def more_lines(left_out: dict[str, int], lang: str) -> list[str]:
    """« … et 9 990 autres montants ambigus (tous dans le classeur des lignes à corriger…) », one a code."""
    return [t(f"import.more.{code}", lang, count=format_number(count, lang))
            for code, count in left_out.items()]
