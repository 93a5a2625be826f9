"""Why a whole file is refused, and the limits that keep reading it bounded in time and memory."""

from __future__ import annotations

from dataclasses import dataclass

from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import t

# Codes of SPEC §4 for a file refused as a whole.
NOT_SPREADSHEET = "not-spreadsheet"
CORRUPT = "corrupt"
ENCRYPTED = "encrypted"
TOO_LARGE = "too-large"
UNSAFE = "unsafe"
NO_HEADER = "no-header"
EMPTY = "empty"
REFUSAL_CODES = (NOT_SPREADSHEET, CORRUPT, ENCRYPTED, TOO_LARGE, UNSAFE, NO_HEADER, EMPTY)


class Refused(UserFacingError):
    """A file refused as a whole: `code` is one of REFUSAL_CODES; `detail` picks a more precise message."""

    def __init__(self, code: str, detail: str | None = None, **params: object):
        super().__init__(f"{code}{f' ({detail})' if detail else ''}")
        self.code = code
        self.detail = detail
        self.params = params

    def message(self, lang: str = "fr") -> str:
        """Why the file is refused, in words (the code's sentence, or its detail's when there is one)."""
        key = f"import.refused.{self.code}" + (f".{self.detail}" if self.detail else "")
        return t(key, lang, **self.params)


@dataclass(frozen=True)
class Limits:
    """Every bound applied before and while reading a file (defaults fit a month's expense sheet easily)."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_zip_entries: int = 2_000
    max_decompressed_bytes: int = 400 * 1024 * 1024
    max_part_bytes: int = 300 * 1024 * 1024
    max_compression_ratio: int = 100  # for parts over ratio_min_bytes once decompressed
    ratio_min_bytes: int = 1024 * 1024
    max_rows: int = 1_048_576
    max_columns: int = 16_384
    max_cells: int = 5_000_000  # rows x columns of a sheet's used range (what the reader allocates)
    max_cell_text: int = 32_767  # characters, Excel's own limit for one cell
    header_rows: int = 20
    max_field_chars: int = 500


DEFAULT_LIMITS = Limits()
