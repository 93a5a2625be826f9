"""`init`: the schema at head, and the CQIC program with its default settings, categories and funders."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from cqic_budget.db import migrate, session_scope
from cqic_budget.models import Category, Funder, Program

# (code, French label, English label)
CATEGORIES = [
    ("salaries", "Salaires et charges sociales", "Salaries and benefits"),
    ("professional_fees", "Honoraires professionnels", "Professional fees"),
    ("travel", "Déplacements et missions", "Travel and missions"),
    ("marketing", "Marketing et événements", "Marketing and events"),
    ("equipment", "Équipement et logiciels", "Equipment and software"),
    ("merchant_services", "Services d'accompagnement aux commerçants", "Merchant support services"),
    ("administration", "Frais d'administration", "Administration"),
    ("unclassified", "À classer", "Unclassified"),
]
UNCLASSIFIED = "unclassified"

PROGRAM_CODE = "CQIC"
PROGRAM_DEFAULTS = dict(
    code=PROGRAM_CODE,
    name_fr="Programme de transformation numérique du commerce de détail et de gros",
    name_en="Digital transformation program for retail and wholesale merchants",
    start_date=date(2025, 4, 1),
    end_date=date(2028, 3, 31),
    budget_total_cents=2_100_000_00,
    target_merchants_reached=300,
    target_merchants_supported=150,
    target_merchants_completed=100,
)

# (name, kind, counts as public aid, committed cents, in kind)
FUNDERS = [
    ("Gouvernement du Québec (MEIE)", "quebec", True, 1_050_000_00, False),
    ("Ville de Laval", "municipal", True, 300_000_00, False),
    ("TechnoMontréal", "private", False, 250_000_00, False),
    ("Partenaires privés", "private", False, 350_000_00, False),
    ("PICOM (contribution en nature)", "private", False, 150_000_00, True),
]


def ensure_categories(session: Session) -> dict[str, Category]:
    existing = {c.code: c for c in session.exec(select(Category))}
    for order, (code, fr, en) in enumerate(CATEGORIES):
        if code not in existing:
            existing[code] = Category(code=code, label_fr=fr, label_en=en, sort_order=order)
            session.add(existing[code])
    session.flush()
    return existing


def ensure_program(session: Session) -> tuple[Program, bool]:
    """The CQIC program with its default funders; created only when no program exists."""
    ensure_categories(session)
    program = session.exec(select(Program).where(Program.code == PROGRAM_CODE)).first()
    if program is not None:
        return program, False
    if session.exec(select(sa.func.count()).select_from(Program)).one():
        return session.exec(select(Program).order_by(Program.id)).first(), False
    program = Program(**PROGRAM_DEFAULTS)
    session.add(program)
    session.flush()
    for name, kind, public, committed, in_kind in FUNDERS:
        session.add(Funder(program_id=program.id, name=name, kind=kind, is_public_aid=public,
                           committed_cents=committed, in_kind=in_kind))
    session.flush()
    return program, True


def init_store(engine: sa.Engine) -> Program:
    migrate(engine)
    with session_scope(engine) as session:
        program, _ = ensure_program(session)
        return program


def get_program(session: Session, code: str | None = None) -> Program:
    """The program by code, or the first one; LookupError when there is none."""
    stmt = select(Program).order_by(Program.id)
    if code:
        stmt = select(Program).where(Program.code == code)
    program = session.exec(stmt).first()
    if program is None:
        raise LookupError(code or "no program")
    return program
