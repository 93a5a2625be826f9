"""Recognise a file by its content, never by its name: xlsx/xlsm/ods (zip), xls (OLE2), csv (text)."""

from __future__ import annotations

import codecs
import io
import struct
import zipfile
from dataclasses import dataclass

import olefile

from cqic_budget.importing.refusal import CORRUPT, EMPTY, ENCRYPTED, NOT_SPREADSHEET, Refused

XLSX, XLSM, ODS, XLS, CSV = "xlsx", "xlsm", "ods", "xls", "csv"

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# Old Excel 2.x-4.0 files are bare BIFF streams (BOF record first), not OLE containers.
_OLD_BIFF = (b"\x09\x00", b"\x09\x02", b"\x09\x04")
_OTHER_FORMATS = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
    b"BZh",
    b"\x7fELF",
    b"MZ",
)
_SHEET_TYPES = {
    b"spreadsheetml.sheet.main+xml": XLSX,
    b"spreadsheetml.template.main+xml": XLSX,
    b"ms-excel.sheet.macroEnabled.main+xml": XLSM,
    b"ms-excel.template.macroEnabled.main+xml": XLSM,
}
ODS_MIMETYPES = (
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.spreadsheet-template",
)


@dataclass(frozen=True)
class Sniffed:
    kind: str  # xlsx, xlsm, ods, xls, csv
    encoding: str | None = None  # csv only


def sniff(data: bytes) -> Sniffed:
    """The format of `data`, or Refused (not-spreadsheet, corrupt, encrypted, empty)."""
    if not data.strip():
        raise Refused(EMPTY)
    if data.startswith(_ZIP_MAGIC):
        return Sniffed(_zip_kind(data))
    if data.startswith(olefile.MAGIC):
        return Sniffed(_ole_kind(data))
    if data[:4] in (b"\xd0\xcf\x11\xe0",):
        raise Refused(CORRUPT)
    if data.startswith(_OLD_BIFF) and len(data) > 4 and struct.unpack_from("<H", data, 2)[0] in (4, 6, 8):
        raise Refused(NOT_SPREADSHEET, "old-excel")
    if data.startswith(_OTHER_FORMATS):
        raise Refused(NOT_SPREADSHEET)
    return Sniffed(CSV, text_encoding(data))


def _zip_kind(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = {info.filename.replace("\\", "/").lower(): info for info in archive.infolist()}
        if "[content_types].xml" in names:
            info = names["[content_types].xml"]
            if info.file_size > 1024 * 1024:
                raise Refused(CORRUPT)
            types = archive.read(info)
            if b"sheet.binary.macroEnabled.main" in types:
                raise Refused(NOT_SPREADSHEET, "xlsb")
            for marker, kind in _SHEET_TYPES.items():
                if marker in types:
                    return kind
            raise Refused(NOT_SPREADSHEET)
        if "mimetype" in names and names["mimetype"].file_size < 200:
            mimetype = archive.read(names["mimetype"]).strip()
            if mimetype in ODS_MIMETYPES:
                return ODS
        raise Refused(NOT_SPREADSHEET)
    except Refused:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ):
        raise Refused(CORRUPT) from None


def _ole_kind(data: bytes) -> str:
    container = open_compound(data)
    if container.find("EncryptionInfo") or container.find("EncryptedPackage"):
        raise Refused(ENCRYPTED)
    if container.find("Workbook", "Book"):
        return XLS
    raise Refused(NOT_SPREADSHEET)


class Compound:
    """An OLE2 container (.xls, encrypted OOXML) read by olefile: the streams the checks look for.

    olefile follows every chain within the file's own sectors (its FAT is cut to the file's size and each
    stream reads at most that many sectors); a stream declaring more than twice the file's size is refused
    before it is read, one shorter than it declares after. A damaged or hostile container ends in
    Refused("corrupt"); defects olefile tolerates (a wrong CLSID in the header) do not refuse a file."""

    def __init__(self, data: bytes):
        try:
            self._ole = olefile.OleFileIO(io.BytesIO(data))
            self._streams = ["/".join(path) for path in self._ole.listdir(streams=True, storages=False)]
        except (OSError, struct.error, ValueError, IndexError, KeyError, MemoryError, RecursionError):
            raise Refused(CORRUPT) from None
        self._limit = 2 * len(data)

    def find(self, *names: str) -> str | None:
        """The first stream whose name matches one of `names`, case-insensitively."""
        for name in (n.lower() for n in names):
            for path in self._streams:
                if path.rsplit("/", 1)[-1].lower() == name:
                    return path
        return None

    def read(self, name: str | None) -> bytes:
        """A stream's bytes (KeyError when there is no such stream)."""
        if name not in self._streams:
            raise KeyError(name)
        try:
            size = self._ole.get_size(name)
            if size > self._limit:
                raise Refused(CORRUPT)
            with self._ole.openstream(name) as stream:
                content = stream.read()
        except (OSError, struct.error, ValueError, IndexError, MemoryError):
            raise Refused(CORRUPT) from None
        if len(content) < size:  # a chain that ends early (olefile logs it and stops reading)
            raise Refused(CORRUPT)
        return content


def open_compound(data: bytes) -> Compound:
    return Compound(data)


def text_encoding(data: bytes) -> str:
    """The encoding of a text file (UTF-8 with or without BOM, UTF-16, Windows-1252), or Refused."""
    head = data[:65536]
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and 0 not in head[0::2][:64]:
        encoding = "utf-16-le"
    elif len(head) >= 4 and head[0::2].count(0) > len(head) // 4 and 0 not in head[1::2][:64]:
        encoding = "utf-16-be"
    elif b"\0" in head:
        raise Refused(NOT_SPREADSHEET)
    else:
        try:
            head.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is still UTF-8.
            encoding = "utf-8" if exc.start >= len(head) - 3 and len(data) > len(head) else "cp1252"
    try:
        sample = head.decode(encoding, errors="strict" if encoding == "cp1252" else "ignore")
    except UnicodeDecodeError:
        raise Refused(NOT_SPREADSHEET) from None
    controls = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n") or 127 <= ord(ch) < 160)
    if controls > max(2, len(sample) // 200):
        raise Refused(NOT_SPREADSHEET)
    return encoding
