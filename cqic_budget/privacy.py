"""Personal information kept from readers without "read_personal" (Québec Law 25), whatever staff typed.

One redaction for every free text a funder or viewer can reach (descriptions, vendors, invoice numbers,
file names, reasons): every known merchant's name and contact name (accents, case and spacing ignored),
NEQs (10 digits), e-mail addresses and North-American phone numbers become « [masqué] ». The same
prebuilt name matcher links imported rows to the merchant they name, and scrubs an erased merchant's
values from every text column of the store.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel
from sqlmodel.sql.sqltypes import AutoString

from cqic_budget.i18n import DEFAULT_LANG, t
from cqic_budget.models import Merchant

log = logging.getLogger(__name__)

# A name is matched on its letters and digits only; shorter names would hide ordinary words.
MIN_NAME_CHARS = 2

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# 450 555-0000, (514) 555-1234, +1 514 555 1234, 514.555.1234, 1-800-555-0199, with an extension.
PHONE = re.compile(
    r"(?<![\w+])(?:\+?1[\s.\-\u00a0]*)?(?:\(\d{3}\)|\d{3})[\s.\-\u00a0]*\d{3}[\s.\-\u00a0]*\d{4}(?!\d)"
    r"(?:\s*(?:poste|ext\.?|x)\s*\d{1,6})?",
    re.IGNORECASE,
)
# A Québec enterprise number: 10 digits, sometimes written in groups (1234 567 890, 1234-567-890).
NEQ = re.compile(r"(?<!\d)\d{4}[\s\-\u00a0]?\d{3}[\s\-\u00a0]?\d{3}(?!\d)")
PATTERNS = (EMAIL, PHONE, NEQ)

_SEPARATOR = " "
_SPACES = re.compile(r" {2,}")
_WORD_START = re.compile(r"(?<!\w)\w")


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """A character as matched: accents dropped, case folded, anything but a letter or digit a space."""
    decomposed = unicodedata.normalize("NFKD", char)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(c if c.isalnum() else _SEPARATOR for c in folded) or _SEPARATOR


class _FoldTable(dict):
    """Every character met so far -> its folding, for str.translate (a lookup in C; Python only once per
    new character)."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = _fold_char(chr(code))
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """`text` as the name matcher reads it: « Épicerie  L'Étoile » -> « epicerie l etoile »."""
    return _SPACES.sub(_SEPARATOR, text.translate(_TABLE))


def _fold_with_positions(text: str) -> tuple[str, list[int]]:
    """fold(text) and, for each of its characters, the index of the character of `text` it comes from."""
    out: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        for piece in _fold_char(char):
            if piece == _SEPARATOR and out and out[-1] == _SEPARATOR:
                continue
            out.append(piece)
            positions.append(index)
    return "".join(out), positions


def _trie_pattern(words: Iterable[str]) -> str:
    """One regular expression matching any of `words` (folded), longest first, as a trie: the engine
    walks it once per position instead of trying every name in turn. A space in a name is optional
    (« Épicerie X » also matches « ÉpicerieX »)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        ends = "" in node
        branches = []
        for char in sorted(k for k in node if k):
            head = " ?" if char == _SEPARATOR else re.escape(char)
            branches.append(head + pattern(node[char]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # the word may stop here: the longer branches are tried first
            return "(?:" + body + ")?" if len(branches) > 1 or len(branches[0]) > 1 else body + "?"
        return body

    return pattern(trie)


class NameMatcher:
    """Finds merchants' names (and contacts' names) in text, accents, case and spacing ignored, on word
    boundaries. Built once from (name, merchant id) pairs; each search is one regular-expression pass."""

    def __init__(self, names: Iterable[tuple[str, int]]):
        owners: dict[str, set[int]] = {}
        for name, merchant_id in names:
            key = fold(name or "").strip()
            if len(key.replace(_SEPARATOR, "")) >= MIN_NAME_CHARS:
                owners.setdefault(key, set()).add(merchant_id)
        self.owners = {key: frozenset(ids) for key, ids in owners.items()}
        # The key of a match: its folded text without spaces (« epiceriex » and « epicerie x » alike).
        self._by_compact: dict[str, frozenset[int]] = {}
        for key, ids in self.owners.items():
            compact = key.replace(_SEPARATOR, "")
            self._by_compact[compact] = self._by_compact.get(compact, frozenset()) | ids
        # Tried at each word's start of a text that may name someone; a match ends on a word's end.
        self._regex = re.compile("(?:" + _trie_pattern(self.owners) + r")(?!\w)") if self.owners else None
        # The first two letters of a name's first word (« a » of « A B Bijoux ») or of the name run together
        # (« ab »): a text with no word starting so names no one and is not searched further.
        self._heads = (frozenset(key.split(_SEPARATOR)[0][:2] for key in self.owners)
                       | frozenset(c[:2] for c in self._by_compact))

    def __bool__(self) -> bool:
        return self._regex is not None

    def _matches(self, folded: str) -> list[re.Match]:
        if self._heads.isdisjoint([word[:2] for word in folded.split()]):
            return []
        found, end = [], 0
        for start in _WORD_START.finditer(folded):
            at = start.start()
            if at < end:
                continue
            match = self._regex.match(folded, at)
            if match:
                found.append(match)
                end = match.end()
        return found

    def merchants_named(self, text: str | None) -> frozenset[int]:
        """The ids of the merchants whose name appears in `text`."""
        if not text or self._regex is None:
            return frozenset()
        found: frozenset[int] = frozenset()
        for match in self._matches(fold(text)):
            found |= self._by_compact.get(match.group().replace(_SEPARATOR, ""), frozenset())
        return found

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where names stand in `text` (start, end indexes of the original text)."""
        if not text or self._regex is None or not self._matches(fold(text)):
            return []
        folded, positions = _fold_with_positions(text)
        return [(positions[m.start()], positions[m.end() - 1] + 1) for m in self._matches(folded)]


def _replace_spans(text: str, spans: list[tuple[int, int]], label: str) -> str:
    if not spans:
        return text
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, last = [], 0
    for start, end in merged:
        out += [text[last:start], label]
        last = end
    out.append(text[last:])
    return "".join(out)


@dataclass(frozen=True)
class Redactor:
    """Free text as a reader without "read_personal" may see it. `names` matches the store's merchants'
    names and contact names; e-mails, phone numbers and NEQs are found by their form."""

    names: NameMatcher
    label: str
    patterns: tuple[re.Pattern, ...] = PATTERNS

    def __call__(self, text: Any) -> Any:
        if not isinstance(text, str) or not text:
            return text
        spans = self.names.spans(text) + [m.span() for p in self.patterns for m in p.finditer(text)]
        return _replace_spans(text, spans, self.label)

    def value(self, value: Any) -> Any:
        """A JSON-like value (dicts, lists, text) with every text redacted, keys included."""
        if isinstance(value, Mapping):
            return {self(k): self.value(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.value(v) for v in value]
        return self(value)


def unchanged(text: Any) -> Any:
    """The redaction of a reader who may read personal information: none."""
    return text


@lru_cache(maxsize=8)
def _matcher(names: tuple[tuple[str, int], ...]) -> NameMatcher:
    return NameMatcher(names)


def merchant_names(session: Session, *, program_id: int | None = None) -> tuple[tuple[str, int], ...]:
    """(name, merchant id) for every merchant's name and contact name (of a program, or of the store);
    an erased merchant's placeholder name is not personal information and is left out."""
    stmt = sa.select(Merchant.id, Merchant.name, Merchant.contact_name).where(Merchant.erased_at.is_(None))
    if program_id is not None:
        stmt = stmt.where(Merchant.program_id == program_id)
    pairs = []
    for merchant_id, name, contact in session.execute(stmt.order_by(Merchant.id)).all():
        pairs += [(text, merchant_id) for text in (name, contact) if text]
    return tuple(pairs)


def name_matcher(session: Session, *, program_id: int | None = None) -> NameMatcher:
    """The matcher of the merchants' names (built once per set of names)."""
    return _matcher(merchant_names(session, program_id=program_id))


def redactor(
    session: Session, *, personal: bool, program_id: int | None = None, lang: str = DEFAULT_LANG,
) -> Callable[[Any], Any]:
    """The redaction for a reader: `unchanged` for staff ("read_personal"), otherwise a Redactor over the
    program's merchants (every merchant of the store when `program_id` is None)."""
    if personal:
        return unchanged
    return Redactor(name_matcher(session, program_id=program_id), t("privacy.redacted", lang))


def link_merchants(matcher: NameMatcher, texts: Iterable[tuple[str | None, ...]]) -> list[int | None]:
    """For each row's texts (description, vendor), the merchant they name when they name exactly one."""
    named_in: dict[str | None, frozenset[int]] = {}  # vendors and descriptions repeat: each text once
    out: list[int | None] = []
    for row in texts:
        named: frozenset[int] = frozenset()
        for text in row:
            if text not in named_in:
                named_in[text] = matcher.merchants_named(text)
            named |= named_in[text]
        out.append(next(iter(named)) if len(named) == 1 else None)
    return out


# --- erasure: an erased merchant's values leave every text column, then the files -----------------------

# Tables never scrubbed: merchants' own rows (the erased one is emptied by the erasure; another merchant's
# name must not lose a part that happens to match), users' e-mails (their sign-in), counters.
_NOT_SCRUBBED = frozenset({"merchant", "user", "appstate"})


def _digits_pattern(digits: str) -> re.Pattern:
    """`digits` as written with any spaces, dots, dashes or brackets between them (and an optional +1)."""
    between = r"[\s.\-()\u00a0]*"
    return re.compile(r"(?<!\d)(?:\+?1" + between + r")?" + between.join(digits) + r"(?!\d)")


def erasure_redactor(*, merchant_id: int, name: str | None, neq: str | None, contact_name: str | None,
                     contact_email: str | None, contact_phone: str | None, label: str) -> Redactor:
    """Finds one merchant's values however they were typed (name and contact accent-, case- and
    spacing-insensitive; NEQ and phone by their digits; e-mail in any case) and replaces them by `label`."""
    patterns = []
    for number in (neq, contact_phone):
        digits = re.sub(r"\D", "", number or "")
        if digits.startswith("1") and len(digits) == 11:
            digits = digits[1:]
        if len(digits) >= 7:
            patterns.append(_digits_pattern(digits))
    if contact_email:
        patterns.append(re.compile(re.escape(contact_email), re.IGNORECASE))
    names = NameMatcher([(text, merchant_id) for text in (name, contact_name) if text])
    return Redactor(names, label, tuple(patterns))


def _text_columns(table: sa.Table) -> list[sa.Column]:
    return [c for c in table.columns
            if not c.primary_key and isinstance(c.type, (AutoString, sa.String, sa.Text, sa.JSON))]


def _fit(column: sa.Column, text: Any) -> Any:
    """A redacted text cut to its column's length (the label may be longer than the name it replaces; a
    PostgreSQL VARCHAR would refuse the erasure)."""
    length = getattr(column.type, "length", None)
    if isinstance(text, str) and length and len(text) > length:
        return text[: length - 1] + "…"
    return text


def _unique_sets(table: sa.Table) -> list[tuple[str, ...]]:
    """The column sets of the table's unique constraints and unique indexes."""
    sets = [tuple(c.name for c in item.columns) for item in table.constraints
            if isinstance(item, sa.UniqueConstraint)]
    sets += [tuple(c.name for c in item.columns) for item in table.indexes if item.unique]
    return sets


def _keep_apart(connection: sa.Connection, table: sa.Table, key: sa.Column, updates: list[dict]) -> None:
    """Two texts of a unique column that differed only by the erased values («Avenant Bélanger», «Avenant
    BELANGER») would become one, and the store would refuse the whole erasure: a changed row whose unique
    set is taken gets its row number in its texts (« … (n° 12) »). Checked in Python against the table as
    it will be: the tables with a unique text column are small (commitments, amendments)."""
    changed = {u["_key"]: u for u in updates}
    for names in _unique_sets(table):
        texts = [n for n in names if isinstance(table.c[n].type, (AutoString, sa.String, sa.Text))]
        if not texts:
            continue
        rows = connection.execute(sa.select(key, *[table.c[n] for n in names]).order_by(key)).all()
        taken = {tuple(values) for row_key, *values in rows if row_key not in changed}
        for row_key, *values in rows:
            update = changed.get(row_key)
            if update is None:
                continue
            final = tuple(update.get(n, v) for n, v in zip(names, values, strict=True))
            if final in taken:
                suffix = f" (n° {row_key})"
                for name in texts:
                    text, length = update.get(name), getattr(table.c[name].type, "length", None)
                    if isinstance(text, str):
                        if length and len(text) + len(suffix) > length:
                            text = text[: length - len(suffix) - 1] + "…"
                        update[name] = text + suffix
                final = tuple(update.get(n, v) for n, v in zip(names, values, strict=True))
            taken.add(final)


def scrub_store(session: Session, redact: Redactor, *, chunk_rows: int = 5_000) -> dict[str, int]:
    """Apply `redact` to every text and JSON column of every table of the store (metadata introspected, so a
    new table is covered) except _NOT_SCRUBBED; rows changed per table. Rows are read a chunk at a time;
    only the changed ones are written back, by primary key."""
    changed: dict[str, int] = {}
    connection = session.connection()
    for table in SQLModel.metadata.sorted_tables:
        columns = _text_columns(table)
        keys = list(table.primary_key.columns)
        if table.name in _NOT_SCRUBBED or not columns or len(keys) != 1:
            continue
        key = keys[0]
        updates = []
        result = connection.execute(sa.select(key, *columns), execution_options={"yield_per": chunk_rows})
        for chunk in result.partitions():
            for row in chunk:
                new = {c.name: redact.value(v) if isinstance(c.type, sa.JSON) else _fit(c, redact(v))
                       for c, v in zip(columns, row[1:], strict=True)}
                if any(new[c.name] != v for c, v in zip(columns, row[1:], strict=True)):
                    updates.append({"_key": row[0], **new})
        if updates:
            _keep_apart(connection, table, key, updates)
            stmt = (sa.update(table).where(key == sa.bindparam("_key"))
                    .values({c.name: sa.bindparam(c.name) for c in columns}))
            connection.execute(stmt, updates)
            changed[table.name] = len(updates)
    return changed


def secure_delete(session: Session) -> None:
    """On SQLite, this session's connection overwrites deleted content with zeros (no-op on PostgreSQL)."""
    if session.connection().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA secure_delete=ON")


def purge_after_commit(session: Session, tables: Iterable[str]) -> None:
    """Once the session commits, clear what the database files still hold of the rows changed in `tables`:
    on PostgreSQL VACUUM FULL rewrites those tables and their indexes (the dead tuple versions go); on
    SQLite (secure_delete on for the writes) VACUUM rebuilds the file and the WAL is checkpointed and
    truncated. VACUUM cannot run inside a transaction: it runs on its own AUTOCOMMIT connection."""
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, sa.Connection) else bind
    names = sorted(set(tables))

    def purge(_session: Session) -> None:
        try:
            purge_files(engine, names)
        except sa.exc.DBAPIError as error:  # the erasure stands; the next purge clears the files
            log.warning("purge after an erasure did not run: %s", error.orig)

    sa.event.listen(session, "after_commit", purge, once=True)


def purge_files(engine: sa.Engine, tables: Iterable[str]) -> None:
    """VACUUM (FULL on PostgreSQL, for `tables`) and, on SQLite, a truncating WAL checkpoint."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA secure_delete=ON")
            connection.exec_driver_sql("VACUUM")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            return
        preparer = connection.dialect.identifier_preparer
        known = set(sa.inspect(connection).get_table_names())
        quoted = [preparer.quote(name) for name in tables if name in known]
        if not quoted:
            return
        if not _wait_for_older_transactions(connection, PURGE_WAIT_SECONDS):
            log.warning("purge after an erasure: transactions older than it are still open; VACUUM FULL "
                        "may keep the row versions they can see until the next purge")
        connection.exec_driver_sql("VACUUM (FULL) " + ", ".join(quoted))


# How long a purge waits for the transactions open before it (any database of the server: PostgreSQL keeps
# a dead row version while any older transaction runs, even in another database).
PURGE_WAIT_SECONDS = 15.0


def _wait_for_older_transactions(connection: sa.Connection, seconds: float) -> bool:
    """Wait until no other transaction that started before now is open; False when `seconds` ran out."""
    started = connection.exec_driver_sql("SELECT clock_timestamp()").scalar()
    older = sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                    "AND xact_start < :started AND (backend_xid IS NOT NULL OR backend_xmin IS NOT NULL)")
    deadline = time.monotonic() + seconds
    while connection.execute(older, {"started": started}).scalar():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)
    return True
