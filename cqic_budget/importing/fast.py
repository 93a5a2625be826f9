"""The typed fast reader for large .xlsx/.xlsm sheets: fastexcel reads the sheet into Arrow columns.

python-calamine hands every cell to Python as an object (1.8 million for a 200 000-row sheet); fastexcel
(the same Rust reader underneath) builds typed Arrow columns instead, which validate.py turns into cents
and dates a column at a time. fastexcel needs the header row before it reads, so the header is found first
in the start of the sheet's XML that the safety scan kept (never parsed by an XML parser: a few regexes
over bytes already checked), with the same `find_header` as the general path.

Whenever anything is not certain, `fast_header` returns None and the general path (reader.py, calamine,
cell by cell) reads the file as before: a header that may not be on the first sheet, labels fastexcel does
not report exactly as found here, a column whose cells mix types in a way Arrow cannot keep (dates mixed
with text, amounts mixed with text), and so on. What it returns reads exactly as the general path would.
"""

from __future__ import annotations

import html
import logging
import re
from datetime import date, datetime, timedelta
from typing import Any

from openpyxl.utils.cell import column_index_from_string

from cqic_budget.importing.header import (
    AMOUNT,
    CATEGORY,
    DATE,
    DESCRIPTION,
    GST,
    INVOICE,
    QST,
    TOTAL,
    VENDOR,
    Header,
    find_header,
)
from cqic_budget.importing.reader import Sheet
from cqic_budget.importing.refusal import Limits
from cqic_budget.importing.safety import WorkbookFacts
from cqic_budget.importing.sniff import XLSM, XLSX

_EPOCH = date(1970, 1, 1)
_NO_DAY = -(2**63)
_PER_DAY = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}
MIN_ROWS = 5_000  # below this the general path is as fast (and needs neither pyarrow nor numpy)

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_V = re.compile(rb"<(?:\w+:)?v\b[^>]*>(.*?)</(?:\w+:)?v>", re.S)
_T = re.compile(rb"<(?:\w+:)?t\b[^>]*>(.*?)</(?:\w+:)?t>|<(?:\w+:)?t\b[^>]*/>", re.S)
_RPH = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_SI = re.compile(rb"<(?:\w+:)?si\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?si>)", re.S)
_REF = re.compile(rb"([A-Z]{1,3})(\d+)")  # A to ZZZ: column_index_from_string never raises (cached)
_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"(\d+)\"")
# How fastexcel writes a cell of another type in a text column (calamine would give the value itself).
_COERCED = r"^(?:true|false|-?\d{4}-\d\d-\d\d[ T]\d\d:\d\d|-?0\.0000|-?P\d|-?PT\d)"
# A text cell that str.strip() or clean_text() would change (Python's whitespace, no-break spaces).
_SPACE = r"[\t-\r\x1c-\x20\x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
# ... or a control character, bidi override or isolate, or an _xHHHH_ escape (normalise.strip_controls).
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\x{202a}-\x{202e}\x{2066}-\x{2069}]|_x[0-9A-Fa-f]{4}_"
_UNCLEAN = f"^{_SPACE}|{_SPACE}$|[\\xa0\\x{{202f}}]|{_CONTROL}"
_UNCERTAIN = object()  # a cell whose value calamine might read differently than this peek
_HOLLOW = object()  # a text cell with no text (or <v></v>): calamine may keep it as "" or drop it


def fast_header(data: bytes, kind: str, facts: WorkbookFacts, limits: Limits) -> Header | None:
    """The header and the typed columns of the sheet the general path would import, or None."""
    if kind not in (XLSX, XLSM) or not facts.sheets:
        return None
    # calamine's order: visible worksheets first. Only the first one is tried here.
    if any(part and "worksheets/" not in part and "chartsheets/" not in part for _, part, _ in facts.sheets):
        return None
    worksheets = [(n, p, v) for n, p, v in facts.sheets if "worksheets/" in p]
    ordered = [w for w in worksheets if w[2]] + [w for w in worksheets if not w[2]]
    if not ordered or len({n for n, _, _ in facts.sheets}) != len(facts.sheets):
        return None
    name, part, _ = ordered[0]
    head, complete = facts.heads.get(part, (b"", False))
    if complete and head.count(b"<row") + head.count(b":row ") < MIN_ROWS:
        return None  # a small sheet: not worth the typed reader's start-up
    peek = _peek(head, complete, facts.strings_head, limits.header_rows)
    if peek is None:
        return None
    rows, first_row, first_col, cells, hollow_rows = peek
    found = find_header([Sheet(name=name, rows=rows)], limits.header_rows)
    if found is None:
        return None
    header_row = first_row + found.row_index  # zero-based, in the sheet
    if header_row in hollow_rows:
        return None
    header_cells = {c: v for (r, c), v in cells.items() if r == header_row}
    if any(not isinstance(v, str) or not v for v in header_cells.values()):
        return None  # fastexcel names a column after its header cell: text only, to compare exactly
    labels = list(header_cells.values())
    if len(set(labels)) != len(labels) or any(v.startswith("__UNNAMED__") for v in labels):
        return None
    return _load(data, name, header_row, header_cells, found, first_col)


def _load(
    data: bytes, name: str, header_row: int, header_cells: dict[int, str], found: Header, peek_col: int
) -> Header | None:
    try:
        import fastexcel

        logging.getLogger("fastexcel").setLevel(logging.ERROR)
        reader = fastexcel.read_excel(data)
        if name not in reader.sheet_names:
            return None
        sheet = reader.load_sheet(
            reader.sheet_names.index(name),
            header_row=header_row,
            schema_sample_rows=None,  # every row decides a column's type: nothing is coerced unseen
            dtype_coercion="coerce",
        )
        if sheet.height < MIN_ROWS:
            return None
        names = [c.name for c in sheet.available_columns()]
        # The sheet's first column (calamine's range may start left of the header): placed by a label.
        first, label = min(header_cells.items())
        if label not in names:
            return None
        first_col = first - names.index(label)
        expected = [header_cells.get(first_col + j, f"__UNNAMED__{j}") for j in range(len(names))]
        if expected != names or any(not first_col <= c < first_col + len(names) for c in header_cells):
            return None
        table = sheet.to_arrow()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - anything unexpected: the general path reads the file
        return None
    shift = peek_col - first_col  # peek column index + shift = fastexcel column index
    columns = {field: col + shift for field, col in found.columns.items()}
    rows = ColumnarRows(table, offset=header_row + 1)
    if not rows.typed_as_read(columns):
        return None
    labels = {col + shift: label for col, label in found.labels.items()}
    sheet_obj = Sheet(name=name, rows=rows, first_row=0, first_col=first_col)
    return Header(sheet=sheet_obj, row_index=header_row, columns=columns, labels=labels)


# --- the start of the sheet, as calamine would read it -----------------------------------------------


def _peek(head: bytes, complete: bool, strings_head, scan_rows: int):
    """The first `scan_rows` rows of the sheet's range from the start of its XML: (rows, first row,
    first column, {(row, col): value}); None when the start does not settle them.

    Rows cut at the end of the piece are left out: a header found in the whole rows before them is still
    the first one (find_header stops at the first match); no header found there settles nothing."""
    if not head:
        return None
    if complete:
        whole_below = None
    else:
        last = max(head.rfind(b"<row "), head.rfind(b":row "))
        found = _ROW_NUMBER.match(head, head.rfind(b"<", 0, last + 1)) if last >= 0 else None
        if found is None:
            return None
        whole_below = int(found.group(1)) - 1
    strings = _SharedStrings(strings_head[0] if strings_head is not None else b"")
    cells: dict[tuple[int, int], Any] = {}
    hollow_rows: set[int] = set()
    first_row = None
    last_row = -1
    for match in _CELL.finditer(head):
        attrs = _attrs(match.group(1))
        ref = _REF.fullmatch(attrs.get(b"r", b""))
        if ref is None:
            return None  # a cell placed by its order only: left to calamine
        row, col = int(ref.group(2)) - 1, column_index_from_string(ref.group(1).decode()) - 1
        if row < last_row:
            return None
        last_row = row
        if first_row is not None and row >= first_row + scan_rows:
            break
        if whole_below is not None and row >= whole_below:
            break
        value = _value(attrs.get(b"t", b"n"), match.group(2) or b"", strings)
        if value is _UNCERTAIN:
            return None
        if value is _HOLLOW:
            # Reads as "" either way, like a missing cell -- unless it could start the range or head a
            # column (fastexcel would name the column "" or not): then left to calamine.
            if first_row is None:
                return None
            hollow_rows.add(row)
            continue
        if value is not None:
            cells[(row, col)] = value
            if first_row is None:
                first_row = row
    if first_row is None:
        return None
    first_col = min(c for _, c in cells)
    end = first_row + scan_rows if whole_below is None else min(first_row + scan_rows, whole_below)
    width = max(c for _, c in cells) - first_col + 1
    rows = [[""] * width for _ in range(end - first_row)]
    for (r, c), v in cells.items():
        rows[r - first_row][c - first_col] = v
    return rows, first_row, first_col, cells, hollow_rows


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTR.finditer(raw)}


def _value(kind: bytes, body: bytes, strings: _SharedStrings) -> Any:
    """A cell's value as python-calamine gives it (text, number, bool), None when empty."""
    if b"<" in body and (b":f" in body or b"<f" in body):
        body = re.sub(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>.*?</(?:\w+:)?f>)", b"", body, flags=re.S)
    if kind == b"inlineStr":
        texts = _texts(body)
        return texts if texts else _HOLLOW
    found = _V.search(body)
    raw = found.group(1) if found else None
    if raw is None:
        # No value (a formula never computed, a formatted empty cell): calamine skips the cell.
        return _UNCERTAIN if kind in (b"s", b"str") else None
    if raw == b"":
        return _HOLLOW
    if kind == b"s":
        try:
            index = int(raw)
        except ValueError:
            return _UNCERTAIN
        text = strings.at(index)
        if text is None:
            return _UNCERTAIN
        return text if text != "" else _HOLLOW
    if kind == b"str":
        return _unescape(raw)
    if kind == b"n":
        try:
            return float(raw)
        except ValueError:
            return _UNCERTAIN
    if kind == b"b":
        return raw.strip() in (b"1", b"true")
    return _UNCERTAIN  # errors, ISO dates (t="d"): rare, left to calamine


def _texts(body: bytes) -> Any:
    body = _RPH.sub(b"", body)
    parts = [m.group(1) or b"" for m in _T.finditer(body)]
    return _unescape(b"".join(parts))


def _unescape(raw: bytes) -> Any:
    if b"_x" in raw:  # OOXML's _xHHHH_ escapes: left to calamine
        return _UNCERTAIN
    text = raw.decode("utf-8", "replace")
    return html.unescape(text) if "&" in text else text


class _SharedStrings:
    """The shared strings the start of sharedStrings.xml holds, read only as far as the cells peeked at
    need (the header rows use the first few; a large sheet's head holds tens of thousands)."""

    def __init__(self, head: bytes):
        self._items = _SI.finditer(head)
        self._read: list = []

    def at(self, index: int) -> Any:
        """The string at `index` (its text, or _UNCERTAIN as _texts says), None if the head lacks it."""
        if index < 0:
            return None
        while len(self._read) <= index:
            match = next(self._items, None)
            if match is None:
                return None
            self._read.append(_texts(match.group(1) or b""))
        return self._read[index]


def _empty(column):
    """The empty cells of an Arrow column, from its validity bitmap, as a numpy mask."""
    import numpy as np

    if not column.null_count:
        return np.zeros(len(column), dtype=bool)
    bits = np.unpackbits(np.frombuffer(column.buffers()[0], dtype=np.uint8), bitorder="little")
    return bits[column.offset : column.offset + len(column)] == 0


# --- the sheet as typed columns --------------------------------------------------------------------

_TEXT_FIELDS = (VENDOR, DESCRIPTION, INVOICE, CATEGORY)
_AMOUNT_FIELDS = (AMOUNT, GST, QST, TOTAL)


class ColumnarRows:
    """Sheet.rows for a sheet read by fastexcel: index i is the sheet's zero-based row i (from `offset`,
    the first row under the header); a row is built from the columns only when asked for (blank rows,
    totals rows, rejected rows). validate.py reads whole columns through `dates`, `cents` and `values`."""

    def __init__(self, table, offset: int, start: int = 0):
        self.table = table
        self.offset = offset
        self.start = start  # rows of the table hidden by a slice
        self._lists: dict[int, list] = {}

    def __len__(self) -> int:
        return self.table.num_rows - self.start

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.step not in (None, 1) or index.stop is not None:
                raise IndexError(index)
            begin = (index.start or 0) - self.offset
            if begin < 0:
                raise IndexError(index)
            view = ColumnarRows(self.table, offset=0, start=self.start + begin)
            view._lists = self._lists
            return view
        i = index - self.offset + self.start
        if index < self.offset or i >= self.table.num_rows:
            raise IndexError(index)
        return [self._cell(j, i) for j in range(self.table.num_columns)]

    # typed columns (whole table; a view slices them)

    def typed_as_read(self, columns: dict[str, int]) -> bool:
        """Do the columns used hold what calamine would give, cell for cell? (Else: the general path.)"""
        import pyarrow as pa
        import pyarrow.compute as pc

        types = self.table.schema.types
        for name, col in columns.items():
            kind = types[col]
            if name == DATE:
                ok = pa.types.is_timestamp(kind) or pa.types.is_date(kind) or pa.types.is_null(kind)
            elif name in _AMOUNT_FIELDS:
                ok = pa.types.is_floating(kind) or pa.types.is_integer(kind) or pa.types.is_null(kind)
            else:
                ok = pa.types.is_null(kind) or pa.types.is_floating(kind) or pa.types.is_integer(kind)
                if pa.types.is_string(kind) or pa.types.is_large_string(kind):
                    column = self.table.column(col)
                    ok = not pc.any(pc.match_substring_regex(column, _COERCED)).as_py()
            if not ok:
                return False
        return True

    def _column(self, j: int):
        column = self.table.column(j)
        return column.slice(self.start) if self.start else column

    def values(self, j: int) -> list:
        """A column as Python values (None for an empty cell)."""
        if j not in self._lists:
            self._lists[j] = self.table.column(j).to_pylist()
        values = self._lists[j]
        return values[self.start :] if self.start else values

    def texts(self, j: int) -> list[str] | None:
        """A text column as clean_text() leaves it, if it is text needing no cleaning; else None."""
        import pyarrow as pa
        import pyarrow.compute as pc

        column = self._column(j)
        if not pa.types.is_string(column.type) or pc.any(pc.match_substring_regex(column, _UNCLEAN)).as_py():
            return None
        values = column.to_pylist()
        return values if not column.null_count else ["" if v is None else v for v in values]

    def dates(self, j: int) -> list:
        """A date column as dates (None for an empty cell)."""
        import numpy as np
        import pyarrow as pa

        column = self._column(j)
        kind = column.type
        if pa.types.is_null(kind):
            return [None] * len(column)
        # Days since 1970, floored, from the raw buffer (Arrow's own conversions import pandas); a sheet
        # has few distinct days: each date object made once.
        if pa.types.is_date32(kind):
            raw, per_day = np.frombuffer(column.buffers()[1], dtype=np.int32), 1
        else:
            unit = "ms" if pa.types.is_date64(kind) else kind.unit
            raw, per_day = np.frombuffer(column.buffers()[1], dtype=np.int64), _PER_DAY[unit]
        days = np.floor_divide(raw[column.offset : column.offset + len(column)].astype(np.int64), per_day)
        if column.null_count:
            days[_empty(column)] = _NO_DAY
        made = {int(d): _EPOCH + timedelta(days=int(d)) for d in np.unique(days) if d != _NO_DAY}
        made[_NO_DAY] = None
        return [made[d] for d in days.tolist()]

    def floats(self, j: int):
        """An amount column as float64 numbers and an empty-cell mask (numpy), or None if not float."""
        import numpy as np
        import pyarrow as pa

        column = self._column(j)
        if not pa.types.is_floating(column.type):
            return None
        dtype = np.float64 if column.type.bit_width == 64 else np.float32
        raw = np.frombuffer(column.buffers()[1], dtype=dtype)[column.offset : column.offset + len(column)]
        return raw.astype(np.float64), _empty(column)

    def _cell(self, j: int, i: int) -> Any:
        values = self._lists.get(j)
        value = values[i] if values is not None else self.table.column(j)[i].as_py()
        if value is None:
            return ""
        if type(value) is datetime and not (value.hour or value.minute or value.second or value.microsecond):
            return value.date()  # calamine gives a date when there is no time of day
        return value


__all__ = ["ColumnarRows", "fast_header"]
