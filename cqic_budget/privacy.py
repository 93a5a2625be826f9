"""Personal information kept from readers without "read_personal" (Québec Law 25), whatever staff typed.

One redaction for every free text a funder or viewer can reach (descriptions, vendors, invoice numbers,
file names, reasons): every known merchant's name and contact name (accents, case and spacing ignored),
NEQs (10 digits), e-mail addresses and North-American phone numbers become « [masqué] ». The same
prebuilt name matcher links imported rows to the merchant they name, and scrubs an erased merchant's
values from every text column of the store.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from cqic_budget.i18n import DEFAULT_LANG, t
from cqic_budget.models import Merchant

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
_SEPARATORS = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """A character as matched: accents dropped, case folded, anything but a letter or digit a space."""
    decomposed = unicodedata.normalize("NFKD", char)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(c if c.isalnum() else _SEPARATOR for c in folded) or _SEPARATOR


def fold(text: str) -> str:
    """`text` as the name matcher reads it: « Épicerie  L'Étoile » -> « epicerie l etoile »."""
    if text.isascii():
        return _SEPARATORS.sub(_SEPARATOR, text.lower())
    folded = "".join([_fold_char(c) for c in text])
    return re.sub(r" +", _SEPARATOR, folded)


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
        self._regex = (
            re.compile(r"(?<!\w)(?:" + _trie_pattern(self.owners) + r")(?!\w)") if self.owners else None
        )

    def __bool__(self) -> bool:
        return self._regex is not None

    def merchants_named(self, text: str | None) -> frozenset[int]:
        """The ids of the merchants whose name appears in `text`."""
        if not text or self._regex is None:
            return frozenset()
        found: frozenset[int] = frozenset()
        for match in self._regex.finditer(fold(text)):
            found |= self._by_compact.get(match.group().replace(_SEPARATOR, ""), frozenset())
        return found

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where names stand in `text` (start, end indexes of the original text)."""
        if not text or self._regex is None or self._regex.search(fold(text)) is None:
            return []
        folded, positions = _fold_with_positions(text)
        return [(positions[m.start()], positions[m.end() - 1] + 1) for m in self._regex.finditer(folded)
                if m.end() > m.start()]


def _pattern_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for pattern in PATTERNS for m in pattern.finditer(text)]


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

    def __call__(self, text: Any) -> Any:
        if not isinstance(text, str) or not text:
            return text
        return _replace_spans(text, self.names.spans(text) + _pattern_spans(text), self.label)

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
    cache: dict[tuple, int | None] = {}
    out: list[int | None] = []
    for row in texts:
        if row not in cache:
            named: frozenset[int] = frozenset()
            for text in row:
                named |= matcher.merchants_named(text)
            cache[row] = next(iter(named)) if len(named) == 1 else None
        out.append(cache[row])
    return out
