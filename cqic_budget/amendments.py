"""Recording a budget amendment (avenant) from what a person typed — the command line and the Settings form
— and the table of each budget line's original and in-force budget (SPEC §10).

budget.record_amendment keeps the rules (closed years, known lines and funders, audit, data version); this
module reads the typed text into its arguments: the lines « 2026-2027:travel=45000 » (a category by its
code or its French or English label), the funders « MEIE=1050000 » (by id, name or a part of it naming
one funder), every amount through money.read_cents, the one reading of a typed amount.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from cqic_budget.auth import require
from cqic_budget.budget import (
    AmendmentError,
    AmendmentView,
    LineKey,
    amendment_list,
    budget_in_force,
    budget_original,
    record_amendment,
)
from cqic_budget.i18n import t
from cqic_budget.models import BudgetAmendment, Category, Funder, Program
from cqic_budget.money import from_cents, read_cents
from cqic_budget.periods import fiscal_years_between
from cqic_budget.setup import get_program

MAX_REFERENCE, MAX_APPROVED_BY, MAX_REASON = 120, 200, 500  # the columns' lengths (models.BudgetAmendment)


def _key(text: str) -> str:
    """A name compared without case, accents or spacing: « Déplacements » = « deplacements »."""
    text = unicodedata.normalize("NFKD", text.strip().casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def _split(text: str, code: str) -> tuple[str, str]:
    """« WHAT=AMOUNT » -> (what, amount); AmendmentError(code) when there is no « = » or a side is blank."""
    what, sep, amount = str(text).rpartition("=")
    if not sep or not what.strip() or not amount.strip():
        raise AmendmentError(code, text)
    return what.strip(), amount.strip()


def parse_line(text: str) -> tuple[str, str, str]:
    """« 2026-2027:travel=45000 » -> ("2026-2027", "travel", "45000")."""
    what, amount = _split(text, "invalid-line")
    fiscal_year, sep, category = what.partition(":")
    if not sep or not fiscal_year.strip() or not category.strip():
        raise AmendmentError("invalid-line", text)
    return fiscal_year.strip(), category.strip(), amount


def parse_funder(text: str) -> tuple[str, str]:
    """« MEIE=1050000 » -> ("MEIE", "1050000")."""
    return _split(text, "invalid-funder")


def amount_cents(text: object) -> int:
    """A typed amount of an amendment, in cents; AmendmentError invalid-amount (negative: negative)."""
    try:
        cents = read_cents(text)
    except ValueError:
        raise AmendmentError("invalid-amount", text) from None
    if cents < 0:
        raise AmendmentError("negative", text)
    return cents


def category_code(session: Session, text: str) -> str:
    """The category a person named, by its code or its French or English label; unknown-category."""
    wanted = _key(text)
    for category in session.exec(select(Category)):
        if wanted in (_key(category.code), _key(category.label_fr), _key(category.label_en)):
            return category.code
    raise AmendmentError("unknown-category", text)


def funder_id(session: Session, program_id: int, text: str) -> int:
    """The funder a person named: its id, its name, or a part of its name that names only it (« MEIE »)."""
    funders = session.exec(select(Funder).where(Funder.program_id == program_id)).all()
    wanted = _key(text)
    exact = [f for f in funders if str(f.id) == wanted or _key(f.name) == wanted]
    found = exact or [f for f in funders if wanted and wanted in _key(f.name)]
    if len(found) != 1:
        raise AmendmentError("unknown-funder", text)
    return found[0].id


def _typed_date(value: date | str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise AmendmentError("invalid-date", value) from None


def _bounded(text: str | None, limit: int, field: str) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise AmendmentError("too-long", f"{field} ({len(text)} > {limit})")
    return text


def new_amendment(
    session: Session,
    *,
    effective_date: date | str,
    reference: str,
    approved_by: str,
    reason: str = "",
    lines: Iterable[tuple[str, str, object]] = (),
    funders: Iterable[tuple[str, object]] = (),
    user: str,
    program_code: str | None = None,
) -> BudgetAmendment:
    """Record an amendment as typed: `lines` as (fiscal year, category code or label, amount) and `funders`
    as (funder id or name, amount), amounts as text or Decimal dollars. Every value is read before anything
    is written; the first fault is an AmendmentError with a code (nothing written). The program does not
    require the lines to keep their total (SPEC §10): an amendment may move money or add some."""
    require(session, user, "settings")  # before reading anything a user without the right typed
    program = get_program(session, program_code)
    day = _typed_date(effective_date)
    reference = _bounded(reference, MAX_REFERENCE, "reference")
    approved_by = _bounded(approved_by, MAX_APPROVED_BY, "approved_by")
    reason = _bounded(reason, MAX_REASON, "reason")
    new_lines: dict[LineKey, int] = {}
    for fiscal_year, category, amount in lines:
        key = (fiscal_year.strip(), category_code(session, category))
        if key in new_lines:
            raise AmendmentError("duplicate", f"{key[0]} {key[1]}")
        new_lines[key] = amount_cents(amount)
    new_funders: dict[int, int] = {}
    for name, amount in funders:
        funder = funder_id(session, program.id, name)
        if funder in new_funders:
            raise AmendmentError("duplicate", name)
        new_funders[funder] = amount_cents(amount)
    return record_amendment(session, program_id=program.id, reference=reference, effective_date=day,
                            approved_by=approved_by, lines=new_lines, funders=new_funders, note=reason,
                            user=user)


def typed_rows(rows: Iterable[dict], columns: tuple[str, ...]) -> list[tuple]:
    """The rows of the Settings form's tables a person filled in (a row with no amount is no change)."""
    out = []
    for row in rows:
        values = tuple("" if row.get(c) is None or row.get(c) != row.get(c) else row.get(c) for c in columns)
        if str(values[-1]).strip():
            out.append(tuple(str(v).strip() if isinstance(v, str) else v for v in values))
    return out


# --- original vs in force -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineVersion:
    fiscal_year: str
    category: str  # code
    label: str  # in the reader's language
    original: int  # cents
    in_force: int  # cents, at the as-of date

    @property
    def change(self) -> int:
        return self.in_force - self.original


@dataclass(frozen=True)
class AmendmentsView:
    as_of: date | None
    lines: tuple[LineVersion, ...]
    amendments: tuple[AmendmentView, ...]
    categories: dict[str, tuple[str, int]]  # code -> (label, sort order), for AmendmentView.describe
    fiscal_years: tuple[str, ...] = ()  # what the form offers
    category_labels: tuple[str, ...] = ()
    funder_names: tuple[str, ...] = ()

    @property
    def original_total(self) -> int:
        return sum(line.original for line in self.lines)

    @property
    def in_force_total(self) -> int:
        return sum(line.in_force for line in self.lines)


def amendments_view(session: Session, *, program_id: int, lang: str, as_of: date | None = None
                    ) -> AmendmentsView:
    """Every budget line, original and in force at `as_of` (None: with every amendment recorded), and the
    amendments with each change's amount before and after."""
    categories = {c.code: (c.label_en if lang == "en" else c.label_fr, c.sort_order)
                  for c in session.exec(select(Category))}
    original = budget_original(session, program_id=program_id)
    in_force = budget_in_force(session, program_id=program_id, as_of=as_of)
    keys = sorted(set(original) | set(in_force), key=lambda k: (k[0], categories.get(k[1], (k[1], 0))[1]))
    lines = tuple(LineVersion(fy, code, categories.get(code, (code, 0))[0], original.get((fy, code), 0),
                              in_force.get((fy, code), 0)) for fy, code in keys)
    program = session.get(Program, program_id)
    funders = session.exec(select(Funder.name).where(Funder.program_id == program_id).order_by(Funder.id))
    return AmendmentsView(
        as_of, lines, tuple(amendment_list(session, program_id=program_id)), categories,
        fiscal_years=tuple(fy.label for fy in fiscal_years_between(program.start_date, program.end_date)),
        category_labels=tuple(label for label, _ in sorted(categories.values(), key=lambda c: c[1])),
        funder_names=tuple(funders))


def amendment_done(amendment: BudgetAmendment, view: AmendmentsView, lang: str) -> str:
    """« Avenant « A-2 » du 2026-11-01 enregistré : 2026-2027 Déplacements : 60 000,00 $ → 45 000,00 $. »"""
    shown = next((a for a in view.amendments if a.id == amendment.id), None)
    changes = shown.describe(lang, view.categories) if shown else ""
    return t("amendments.done", lang, reference=amendment.reference,
             date=amendment.effective_date.isoformat(), changes=changes)


def shown_reference(amendment: AmendmentView, lang: str) -> str:
    """The reference as the list shows it: a row recorded twice before references were unique says so."""
    if amendment.duplicate_of is None:
        return amendment.reference
    return t("amendments.repeated", lang, reference=amendment.reference)


def amendment_json(amendment: AmendmentView) -> dict:
    """One amendment as `amendments list --json` prints it: money as strings with two decimals."""
    return {
        "id": amendment.id, "reference": amendment.reference,
        "effective_date": amendment.effective_date.isoformat(), "approved_by": amendment.approved_by,
        "reason": amendment.note, "duplicate_of": amendment.duplicate_of,
        "changes": [{"fiscal_year": c.fiscal_year, "category": c.category, "funder": c.funder,
                     "before": f"{from_cents(c.before):.2f}", "after": f"{from_cents(c.after):.2f}"}
                    for c in amendment.changes],
    }
