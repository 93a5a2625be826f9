"""A corpus of expense rows carrying merchants' personal information as staff really type it (names with
and without accents, in capitals, run together; NEQs; e-mails; phones in every North-American form),
imported through the real import, for the privacy and erasure tests."""

from __future__ import annotations

import json
import unicodedata
from datetime import date

import sqlalchemy as sa
from import_helpers import HEADER_FR, taxed, xlsx
from sqlmodel import Session

from cqic_budget.auth import LOCAL_USER
from cqic_budget.db import session_scope
from cqic_budget.importing import service
from cqic_budget.merchants import create_merchant
from cqic_budget.setup import get_program

# Each merchant: its fields and the values that must never reach a funder or viewer.
MERCHANTS = (
    dict(name="Épicerie Bélanger-Côté", neq="1171234567", contact_name="Josée Lévesque",
         contact_email="josee.levesque@belanger-cote.ca", contact_phone="450 555-0000",
         sector="retail", size_band="micro", municipality="Hameau-des-Essais", status="supported"),
    dict(name="Quincaillerie Dufour", neq="2269876543", contact_name="Marc Dufour",
         contact_email="m.dufour@quincaillerie-dufour.qc.ca", contact_phone="(514) 555-1234",
         sector="wholesale", size_band="small", municipality="Laval", status="completed"),
)
# How staff wrote them in expense sheets: (vendor, description, invoice).
ROWS = (
    ("Épicerie Bélanger-Côté", "Diagnostic — Epicerie Belanger Cote (contact Josée Lévesque, 450 555-0000)",
     "BC-2026-01"),
    ("Conseils Numériques inc.", "Accompagnement EPICERIE BÉLANGER-CÔTÉ, NEQ 1171234567",
     "EpicerieBelangerCote-02"),
    ("Conseils Numériques inc.", "Suivi par courriel josee.levesque@belanger-cote.ca, +1 514 555 1234",
     "F-1003"),
    ("QUINCAILLERIE DUFOUR", "Formation, appeler Marc Dufour au 514.555.1234", "QD 2269876543"),
    ("Agence Web", "Boutique en ligne pour quincaillerie  dufour (m.dufour@quincaillerie-dufour.qc.ca)",
     "AW-77"),
    ("Agence Web", "Atelier commun : Quincaillerie Dufour et Épicerie Bélanger-Côté", "AW-78"),
)
# A row the import rejects (no amount): its cells stay in the batch's issues.
REJECTED_ROW = ["Épicerie Bélanger-Côté", "Rejeté : Josée Lévesque 1171234567", "Honoraires professionnels",
                "josee.levesque@belanger-cote.ca", "pas un montant", None, None, None]
FILE_NAME = "Dépenses Épicerie Bélanger-Côté 2026-05.xlsx"
SHEET_NAME = "EPICERIE BELANGER-COTE"


# A municipality with a single merchant names it as surely as its name would: never shown to a funder.
LONE_MUNICIPALITY = MERCHANTS[0]["municipality"]


def personal_values() -> list[str]:
    """Every personal value of the corpus, as entered."""
    fields = ("name", "neq", "contact_name", "contact_email", "contact_phone")
    return [m[f] for m in MERCHANTS for f in fields]


def fold(text: str) -> str:
    """Accents, case and everything but letters and digits dropped: « Épicerie Bélanger-Côté » ->
    « epiceriebelangercote »; a phone -> its digits."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def leaks(text: str, values: list[str] | None = None) -> list[str]:
    """The corpus values found in `text`, however they were typed (accents, case, spacing, separators)."""
    folded = fold(text)
    return [v for v in (values or personal_values()) if fold(v) in folded]


def corpus_workbook() -> bytes:
    rows = [taxed(date(2026, 5, 4 + i), vendor, "1000.00", invoice, description=description)
            for i, (vendor, description, invoice) in enumerate(ROWS)]
    return xlsx({SHEET_NAME: [HEADER_FR, *rows, [date(2026, 5, 20), *REJECTED_ROW]]})


def load_corpus(engine: sa.Engine, *, user: str = LOCAL_USER) -> list[int]:
    """Create the corpus merchants and import the corpus file; returns the merchants' ids."""
    with session_scope(engine) as session:
        program = get_program(session, None)
        ids = [create_merchant(session, user=user, program_id=program.id, enrolment_date=date(2025, 9, 1),
                               **m).id for m in MERCHANTS]
    outcome = service.import_file(engine, corpus_workbook(), file_name=FILE_NAME, user=user)
    assert outcome.batch_id is not None, outcome.reason
    assert outcome.rows_rejected == 1
    return ids


def text_cells(session: Session) -> list[tuple[str, str, str]]:
    """(table, column, text) of every text-like column of every table of the database, found by
    introspecting the database itself (JSON cast to text)."""
    inspector = sa.inspect(session.connection())
    cells = []
    for table in inspector.get_table_names():
        for column in inspector.get_columns(table):
            kind = str(column["type"]).upper()
            if not any(word in kind for word in ("CHAR", "TEXT", "JSON", "CLOB")):
                continue
            quoted = session.connection().dialect.identifier_preparer.quote
            stmt = sa.text(f"SELECT CAST({quoted(column['name'])} AS TEXT) FROM {quoted(table)}")
            for (value,) in session.execute(stmt):
                if value and "JSON" in kind:  # stored with \u00e9 escapes: compare the text itself
                    value = json.dumps(json.loads(value), ensure_ascii=False)
                if value:
                    cells.append((table, column["name"], value))
    return cells
