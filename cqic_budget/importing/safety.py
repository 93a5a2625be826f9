"""Safety checks run BEFORE any parser sees the file: size, zip bombs, DTD/entities, encryption, cell budget.

Zip parts are decompressed here in bounded chunks and their raw bytes scanned; no XML parser ever sees
them, so nothing is resolved or fetched. What the scan learns on the way (1904 date system, formula cells
saved without a value, sheet parts) is returned for the later steps.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import struct
import zipfile
from dataclasses import dataclass, field

from cqic_budget.importing.refusal import CORRUPT, ENCRYPTED, TOO_LARGE, UNSAFE, Limits, Refused
from cqic_budget.importing.sniff import CSV, ODS, XLS, open_compound

CHUNK = 1024 * 1024
# A DTD or entity declaration, in UTF-8 or UTF-16 (either byte order): XXE and billion laughs.
# Searched from the rare « ! » (a literal first byte keeps the scan fast); the « < » before it checked next.
_DANGER = re.compile(rb"!(?:(?i:doctype|entity)|\x00[DdEe])")
# An XML map schema that points outside the file (xs:import/include/redefine with a location).
_EXTERNAL_SCHEMA = re.compile(rb"schemaLocation\s*=", re.I)
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"(\d+)\"")
_CELL_PREFIX = rb"<(?:\w+:)?c\b[^>]*?\sr=\""
_CELL_REF = re.compile(_CELL_PREFIX + rb"([A-Z]{1,4})(\d+)\"")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*?(/?)>(?:([^<]*)<)?")
_REF = re.compile(rb"r=\"([A-Z]{0,4})(\d+)\"")
_SI_TAG = re.compile(rb"<(?:\w+:)?si\b")
_SI_ENDS = (b">", b" ", b"/", b"\t", b"\n", b"\r")  # what may follow « <si » in a <si> tag (\b above)
_SHARED_REF = re.compile(rb"\st=\"s\"[^>]*>\s*<(?:\w+:)?v>(\d+)<")
_SI_SPAN = re.compile(rb"<(?:\w+:)?si\b.*?</(?:\w+:)?si>", re.S)
_ODS_TAG = re.compile(rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)\b([^>]*?)(/?)>")
_ROWS_REPEATED = re.compile(rb"number-rows-repeated=\"(\d+)\"")
_COLS_REPEATED = re.compile(rb"number-columns-repeated=\"(\d+)\"")
_ODS_VALUED = re.compile(rb"office:value-type=|table:formula=")
_TEXT_BUDGET = 256 * 1024 * 1024  # characters of cell text a sheet may expand to in the reader


@dataclass
class WorkbookFacts:
    """What the safety scan learned, for the reading steps."""

    date1904: bool = False
    # sheet name -> zero-based (row, column) of formula cells saved without a value
    formula_gaps: dict[str, set[tuple[int, int]]] = field(default_factory=dict)
    # xlsx only, for the typed fast reader (fast.py): the sheets as workbook.xml lists them (name, part,
    # visible); the first piece of each worksheet part and of the shared strings, raw (never parsed here),
    # each with whether it is the whole part.
    sheets: list[tuple[str, str, bool]] = field(default_factory=list)
    heads: dict[str, tuple[bytes, bool]] = field(default_factory=dict)
    strings_head: tuple[bytes, bool] | None = None


def check(data: bytes, kind: str, limits: Limits) -> WorkbookFacts:
    """Refuse `data` (already sniffed as `kind`) unless it is safe to hand to the reader."""
    if len(data) > limits.max_file_bytes:
        raise Refused(TOO_LARGE, "file", limit_mb=limits.max_file_bytes // (1024 * 1024))
    if kind == CSV:
        return WorkbookFacts()
    if kind == XLS:
        return _check_xls(data)
    return _check_zip(data, kind, limits)


# --- OLE2 / BIFF (.xls) ---------------------------------------------------------------------------

_BOF, _EOF, _FILEPASS, _DATEMODE = 0x0809, 0x000A, 0x002F, 0x0022


def _check_xls(data: bytes) -> WorkbookFacts:
    container = open_compound(data)
    name = container.find("Workbook", "Book")
    try:
        stream = container.read(name)
    except KeyError:
        raise Refused(CORRUPT) from None
    facts = WorkbookFacts()
    offset, first = 0, True
    # Walk the workbook globals up to their EOF record: FILEPASS means encrypted (RC4 or XOR).
    while offset + 4 <= len(stream):
        rtype, size = struct.unpack_from("<HH", stream, offset)
        body = stream[offset + 4 : offset + 4 + size]
        if first and rtype not in (_BOF, 0x0209, 0x0409):
            raise Refused(CORRUPT)
        first = False
        if rtype == _FILEPASS:
            raise Refused(ENCRYPTED)
        if rtype == _DATEMODE and len(body) >= 2:
            facts.date1904 = struct.unpack_from("<H", body)[0] == 1
        if rtype == _EOF:
            break
        offset += 4 + size
    return facts


# --- zip containers (.xlsx, .xlsm, .ods) ----------------------------------------------------------


def _check_zip(data: bytes, kind: str, limits: Limits) -> WorkbookFacts:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        raise Refused(CORRUPT) from None
    if len(infos) > limits.max_zip_entries:
        raise Refused(TOO_LARGE, "entries")
    seen: set[str] = set()
    declared = 0
    for info in infos:
        name = _part_name(info.filename)
        if name in seen:
            raise Refused(CORRUPT, "duplicate-entry")
        seen.add(name)
        if info.flag_bits & 0x1:
            raise Refused(ENCRYPTED)
        declared += info.file_size
        if info.file_size > limits.max_part_bytes or declared > limits.max_decompressed_bytes:
            raise Refused(TOO_LARGE, "decompressed")
        if info.file_size > limits.ratio_min_bytes and info.file_size > limits.max_compression_ratio * max(
            info.compress_size, 1
        ):
            raise Refused(TOO_LARGE, "decompressed")
    if kind == ODS:
        return _scan_ods(archive, infos, limits)
    return _scan_xlsx(archive, infos, limits)


def _part_name(name: str) -> str:
    return name.replace("\\", "/").lstrip("/").lower()


class _Budget:
    """Decompressed bytes actually produced, whatever the zip headers claim."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.total = 0

    def take(self, size: int, part_total: int) -> None:
        self.total += size
        if part_total > self.limits.max_part_bytes or self.total > self.limits.max_decompressed_bytes:
            raise Refused(TOO_LARGE, "decompressed")


class _PartScan:
    """Scans one part chunk by chunk; every piece handed to `scan` ends just before a tag."""

    cell_cut = False  # cut pieces before the last cell start, so that no cell straddles two pieces
    keep_head = False  # keep the first piece (the start of a worksheet, of the shared strings)

    def __init__(self, limits: Limits):
        self.limits = limits
        self.head: bytes | None = None
        self.head_complete = False
        self.max_text = 2 * limits.max_cell_text  # bytes: two per character of Excel's cell limit
        self.long_text = re.compile(rb">[^<]{%d}" % self.max_text)

    def feed_all(self, stream, budget: _Budget) -> None:
        carry, total = b"", 0
        while True:
            try:
                chunk = stream.read(CHUNK)
            except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
                raise Refused(CORRUPT) from None
            total += len(chunk)
            budget.take(len(chunk), total)
            buf = carry + chunk
            if not chunk:
                first = self.head is None
                self._piece(buf)
                self.head_complete = first and self.keep_head
                return
            cut = _rfind_either(buf, b"<c ", b":c ") if self.cell_cut else -1
            if cut <= 0 or len(buf) - cut > CHUNK:
                cut = buf.rfind(b"<")
            if cut <= 0:
                cut = len(buf) if len(buf) <= self.max_text else 0
            self._piece(buf[:cut])
            carry = buf[cut:]
            if len(carry) > 2 * CHUNK:
                raise Refused(TOO_LARGE, "cell-text")

    def _piece(self, piece: bytes) -> None:
        if self.keep_head and self.head is None:
            self.head = piece
        for found in _DANGER.finditer(piece):
            before = piece[max(0, found.start() - 2) : found.start()]
            if before.endswith(b"<") or before == b"<\x00":
                raise Refused(UNSAFE)
        # A run of text longer than a cell may hold leaves a whole window without any « < »: look closer
        # only then (the regex alone would cost as much as the rest of the scan).
        window = self.max_text // 2
        for start in range(0, len(piece), window):
            if piece.find(b"<", start, start + window) < 0 and self.long_text.search(
                piece, max(0, start - self.max_text), start + window + self.max_text
            ):
                raise Refused(TOO_LARGE, "cell-text")
        self.scan(piece)

    def scan(self, piece: bytes) -> None:
        """Format-specific checks of a piece (nothing for most parts)."""


class _SheetScan(_PartScan):
    """An xlsx worksheet: used range (what the reader allocates), shared-string cells, formula gaps."""

    cell_cut = True
    keep_head = True

    def __init__(self, limits: Limits):
        super().__init__(limits)
        self.max_row = 0
        self.max_col = 0
        self.rows_without_number = 0
        self.shared_cells = 0
        self.formula_gaps: set[tuple[int, int]] = set()
        self._beyond: re.Pattern | None = None
        self._formula_marker: bytes | None = None
        self._formulas_seen = False
        self.count_shared = True
        self._compile()

    def _compile(self) -> None:
        # A row number (of a <row> or a cell) above the largest seen, or a column right of the widest seen.
        row_gt = _greater_than(str(self.max_row), "0123456789")
        col_gt = _greater_than(
            _col_letters(self.max_col) if self.max_col else "", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        )
        tail = rb"r=\"(?:[A-Z]*+" + row_gt.encode() + rb"\"|" + col_gt.encode() + rb"\d)"
        self._beyond = re.compile(tail)  # literal first bytes keep the scan fast

    def scan(self, piece: bytes) -> None:
        if self._formula_marker is None:
            self._formula_marker = b":f>" if re.search(rb"<\w+:worksheet\b", piece[:4096]) else b"</f>"
        # Rows and cells are normally in order: the last <row> tag and the last cell give the candidate
        # bounds, and one regex pass finds any cell beyond them.
        last = _rfind_either(piece, b"<row ", b":row ")
        if last >= 0:
            found = _ROW_TAG.match(piece, piece.rfind(b"<", 0, last + 1))
            if found:
                self.max_row = max(self.max_row, int(found.group(1)))
            else:
                self.rows_without_number += piece.count(b"<row") + piece.count(b":row ")
        tail = piece.rfind(b' r="')
        ref = _REF.match(piece, tail + 1) if tail >= 0 else None
        if ref and ref.group(1):
            self.max_col = max(self.max_col, _col_number(ref.group(1).decode()))
            self.max_row = max(self.max_row, int(ref.group(2)))
        self._compile()
        beyond = False
        for match in self._beyond.finditer(piece):
            ref = _REF.match(piece, match.start())
            if ref and piece[match.start() - 1 : match.start()].isspace():  # an attribute named r
                self.max_row = max(self.max_row, int(ref.group(2)))
                if ref.group(1):
                    self.max_col = max(self.max_col, _col_number(ref.group(1).decode()))
                beyond = True
        if beyond:
            self._compile()
        self._check_range()
        if self.count_shared:
            self.shared_cells += piece.count(b' t="s"')
        # Formulas: <f>..</f>; once one is seen, shared-formula children <f t="shared" si="0"/> too.
        if self._formulas_seen or piece.find(self._formula_marker) >= 0:
            self._formulas_seen = True
            self._formulas(piece)

    def _check_range(self) -> None:
        rows, cols = max(self.max_row, self.rows_without_number), self.max_col
        limits = self.limits
        if rows > limits.max_rows or cols > limits.max_columns or rows * max(cols, 1) > limits.max_cells:
            raise Refused(TOO_LARGE, "cells", rows=rows, columns=cols)

    def _formulas(self, piece: bytes) -> None:
        for match in _FORMULA_TAG.finditer(piece):
            start = _rfind_either(piece, b"<c ", b":c ", match.start())
            if start < 0:
                continue
            ref = _CELL_REF.match(
                piece, start if piece[start : start + 1] == b"<" else piece.rfind(b"<", 0, start)
            )
            end = piece.find(b"c>", match.end())
            if ref is None or end < 0:
                continue
            string_result = b't="str"' in piece[start : piece.find(b">", start)]
            value = _VALUE.search(piece, match.end(), end)
            # openpyxl and other writers save formulas with <v/>: Excel has never computed them.
            if value is None or value.group(1) or (not string_result and not (value.group(2) or b"").strip()):
                self.formula_gaps.add((int(ref.group(2)) - 1, _col_number(ref.group(1).decode()) - 1))

    def finish(self) -> None:
        self._check_range()


class _SharedStringsScan(_PartScan):
    """sharedStrings.xml: the longest string, to bound how much text cells referencing it may expand to."""

    keep_head = True

    def __init__(self, limits: Limits):
        super().__init__(limits)
        self.longest = 0
        self.count = 0
        self._last_start: int | None = None
        self._offset = 0

    def scan(self, piece: bytes) -> None:
        tags = piece.count(b"<si")
        if tags and b":si" not in piece and tags == sum(piece.count(b"<si" + end) for end in _SI_ENDS):
            self._scan_split(piece, tags)
        else:  # a prefixed tag, or « <si » starting some other name: tag by tag
            for match in _SI_TAG.finditer(piece):
                position = self._offset + match.start()
                if self._last_start is not None:
                    self.longest = max(self.longest, position - self._last_start)
                self._last_start = position
                self.count += 1
        self._offset += len(piece)
        if self._last_start is not None:
            self.longest = max(self.longest, self._offset - self._last_start)

    def _scan_split(self, piece: bytes, tags: int) -> None:
        """The same as tag by tag when every « <si » in the piece starts an <si> element (the usual
        part): the distances between consecutive starts are the lengths of the pieces between them."""
        parts = piece.split(b"<si")
        if self._last_start is not None:
            self.longest = max(self.longest, self._offset + len(parts[0]) - self._last_start)
        if len(parts) > 2:
            self.longest = max(self.longest, 3 + max(map(len, parts[1:-1])))
        self._last_start = self._offset + len(piece) - len(parts[-1]) - 3
        self.count += tags


class _OdsContentScan(_PartScan):
    """ODS content.xml: repeated rows/cells (table:number-*-repeated) that would expand to huge ranges."""

    def __init__(self, limits: Limits):
        super().__init__(limits)
        self.row = 0  # rows seen in the current table, repeats included
        self.used_rows = 0
        self.used_cols = 0
        self.col = 0
        self.row_repeat = 1
        self.row_used_cols = 0
        self.text = 0

    def scan(self, piece: bytes) -> None:
        tags = list(_ODS_TAG.finditer(piece))
        for index, tag in enumerate(tags):
            closing, name, attrs, selfclosing = tag.groups()
            if name == b"table":
                if not closing:
                    self.row = self.used_rows = self.used_cols = 0
                continue
            if name == b"table-row":
                if closing:
                    self._end_row()
                else:
                    found = _ROWS_REPEATED.search(attrs)
                    self.row_repeat = int(found.group(1)) if found else 1
                    self.col = self.row_used_cols = 0
                    if selfclosing:
                        self._end_row()
                continue
            found = _COLS_REPEATED.search(attrs)
            repeat = int(found.group(1)) if found else 1
            self.col += repeat
            if _ODS_VALUED.search(attrs):
                self.row_used_cols = self.col
                following = tags[index + 1].start() if index + 1 < len(tags) else len(piece)
                self.text += (following - tag.end()) * repeat * self.row_repeat
                if self.text > _TEXT_BUDGET:
                    raise Refused(TOO_LARGE, "cells", rows=self.row_repeat, columns=repeat)
            if self.col > self.limits.max_columns and self.row_used_cols == self.col:
                raise Refused(TOO_LARGE, "cells", rows=self.row + 1, columns=self.col)

    def _end_row(self) -> None:
        self.row += self.row_repeat
        if self.row_used_cols:
            self.used_rows = self.row
            self.used_cols = max(self.used_cols, self.row_used_cols)
            limits = self.limits
            if (
                self.used_rows > limits.max_rows
                or self.used_cols > limits.max_columns
                or self.used_rows * self.used_cols > limits.max_cells
            ):
                raise Refused(TOO_LARGE, "cells", rows=self.used_rows, columns=self.used_cols)
        self.row_repeat = 1


def _scan_parts(archive: zipfile.ZipFile, infos, limits: Limits, make_scan) -> dict[str, _PartScan]:
    budget = _Budget(limits)
    scans: dict[str, _PartScan] = {}
    for info in infos:
        if info.is_dir():
            continue
        name = _part_name(info.filename)
        scan = make_scan(name)
        try:
            with archive.open(info) as stream:
                scan.feed_all(stream, budget)
        except Refused:
            raise
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
            raise Refused(CORRUPT) from None
        if isinstance(scan, _SheetScan):
            scan.finish()
        scans[name] = scan
        if name.endswith("xmlmaps.xml") and _EXTERNAL_SCHEMA.search(_read_small(archive, info)):
            raise Refused(UNSAFE)
    return scans


def _read_small(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int = 4 * 1024 * 1024) -> bytes:
    if info.file_size > limit:
        raise Refused(TOO_LARGE, "decompressed")
    with archive.open(info) as stream:
        return stream.read(limit + 1)[:limit]


def _scan_xlsx(archive: zipfile.ZipFile, infos, limits: Limits) -> WorkbookFacts:
    has_shared_strings = any(_part_name(info.filename).endswith("sharedstrings.xml") for info in infos)

    def make_scan(name: str) -> _PartScan:
        if "worksheets/" in name and name.endswith(".xml"):
            scan = _SheetScan(limits)
            scan.count_shared = has_shared_strings
            return scan
        if name.endswith("sharedstrings.xml"):
            return _SharedStringsScan(limits)
        return _PartScan(limits)

    scans = _scan_parts(archive, infos, limits, make_scan)
    by_name = {_part_name(info.filename): info for info in infos}
    sheet_parts, date1904, hidden = _workbook_sheets(archive, by_name)
    facts = WorkbookFacts(date1904=date1904)
    strings = next((s for n, s in scans.items() if isinstance(s, _SharedStringsScan)), None)
    facts.sheets = [(name, part, name not in hidden) for name, part in sheet_parts.items()]
    facts.heads = {
        name: (scan.head, scan.head_complete)
        for name, scan in scans.items()
        if isinstance(scan, _SheetScan) and scan.head is not None
    }
    string_scans = [s for s in scans.values() if isinstance(s, _SharedStringsScan)]
    if len(string_scans) == 1 and string_scans[0].head is not None:
        facts.strings_head = (string_scans[0].head, string_scans[0].head_complete)
    for sheet_name, part in sheet_parts.items():
        scan = scans.get(part)
        if isinstance(scan, _SheetScan) and scan.formula_gaps:
            facts.formula_gaps[sheet_name] = scan.formula_gaps
    if strings is not None and strings.longest:
        for name, scan in scans.items():
            if isinstance(scan, _SheetScan) and scan.shared_cells * strings.longest > _TEXT_BUDGET:
                _exact_shared_text(archive, by_name, name)
    return facts


def _exact_shared_text(archive: zipfile.ZipFile, by_name: dict, sheet_part: str) -> None:
    """The rare case a quick bound could not clear: sum the text each shared-string cell expands to."""
    strings_part = next(n for n in by_name if n.endswith("sharedstrings.xml"))
    sizes = [len(m.group(0)) for m in _SI_SPAN.finditer(_read_part(archive, by_name[strings_part]))]
    total = 0
    for match in _SHARED_REF.finditer(_read_part(archive, by_name[sheet_part])):
        index = int(match.group(1))
        total += sizes[index] if index < len(sizes) else 0
        if total > _TEXT_BUDGET:
            raise Refused(TOO_LARGE, "cell-text")


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as stream:
        return stream.read()


def _workbook_sheets(archive: zipfile.ZipFile, by_name: dict) -> tuple[dict[str, str], bool, set[str]]:
    """Sheet name -> worksheet part name, whether the workbook uses the 1904 date system, hidden sheets."""
    workbook = "xl/workbook.xml"
    if "_rels/.rels" in by_name:
        rels = _read_small(archive, by_name["_rels/.rels"])
        for attrs in _tags(rels, b"Relationship"):
            if attrs.get("Type", "").endswith("/officeDocument"):
                workbook = _part_name(attrs.get("Target", workbook))
    if workbook not in by_name:
        return {}, False, set()
    content = _read_small(archive, by_name[workbook])
    date1904 = False
    for attrs in _tags(content, b"workbookPr"):
        date1904 = attrs.get("date1904", "").lower() in ("1", "true")
    folder = posixpath.dirname(workbook)
    rels_name = posixpath.join(folder, "_rels", posixpath.basename(workbook) + ".rels")
    targets: dict[str, str] = {}
    if rels_name in by_name:
        for attrs in _tags(_read_small(archive, by_name[rels_name]), b"Relationship"):
            target = attrs.get("Target", "").replace("\\", "/")
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            targets[attrs.get("Id", "")] = path.lower()
    sheets = {}
    hidden = set()
    for attrs in _tags(content, b"sheet"):
        rel = next((v for k, v in attrs.items() if k.endswith(":id")), "")
        sheets[attrs.get("name", "")] = targets.get(rel, "")
        if attrs.get("state", "visible") != "visible":
            hidden.add(attrs.get("name", ""))
    return sheets, date1904, hidden


def _tags(content: bytes, local_name: bytes):
    pattern = re.compile(rb"<(?:\w+:)?" + local_name + rb"\b([^>]*)>")
    for match in pattern.finditer(content):
        yield {
            k.decode("utf-8", "replace"): html.unescape(v.decode("utf-8", "replace"))
            for k, v in re.findall(rb"([\w:]+)\s*=\s*\"([^\"]*)\"", match.group(1))
        }


def _scan_ods(archive: zipfile.ZipFile, infos, limits: Limits) -> WorkbookFacts:
    by_name = {_part_name(info.filename): info for info in infos}
    manifest = by_name.get("meta-inf/manifest.xml")
    if manifest is not None and b"encryption-data" in _read_small(archive, manifest):
        raise Refused(ENCRYPTED)

    def make_scan(name: str) -> _PartScan:
        return _OdsContentScan(limits) if name == "content.xml" else _PartScan(limits)

    _scan_parts(archive, infos, limits, make_scan)
    return WorkbookFacts()


# --- helpers --------------------------------------------------------------------------------------


def _rfind_either(data: bytes, first: bytes, second: bytes, end: int | None = None) -> int:
    """max(data.rfind(first, 0, end), data.rfind(second, 0, end)), without scanning all of `data` for the
    one absent (a prefixed tag, « :c », is rare): the second is looked for only after the first."""
    found = data.rfind(first, 0, end)
    return max(found, data.rfind(second, max(found, 0), end))


# Column letters <-> numbers for the scan. Not openpyxl.utils.cell's column_index_from_string /
# get_column_letter (which fast.py and validate.py use): those raise ValueError past ZZZ (18 278), and the
# scan must read a hostile reference such as « ZZZZ1 » (up to 4 letters, 475 254) as a number so that
# _check_range refuses the file as too large (Refused), and name such a column when it builds its regex.
def _col_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ord(ch) - 64)
    return number


def _col_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _greater_than(text: str, alphabet: str) -> str:
    """A regex matching the strings of `alphabet` that sort after `text` as numbers (no leading zeros)."""
    length = len(text)
    lead = alphabet[1:] if alphabet[0] == "0" else alphabet
    options = [f"[{lead[0]}-{lead[-1]}][{alphabet[0]}-{alphabet[-1]}]{{{length},}}"]
    for i, ch in enumerate(text):
        higher = alphabet[alphabet.index(ch) + 1 :]
        if not higher:
            continue
        rest = length - i - 1
        options.append(
            re.escape(text[:i])
            + f"[{higher[0]}-{higher[-1]}]"
            + (f"[{alphabet[0]}-{alphabet[-1]}]{{{rest}}}" if rest else "")
        )
    return "(?:" + "|".join(options) + ")"
