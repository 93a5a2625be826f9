"""Claims to Québec and their packet (SPEC §9, issue 10 items 2 and 3), by hand then on the demo; the
store tests run on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from decimal import Decimal as D

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pdf_tools import pdf_pages, pdf_text
from sqlmodel import Session, select

from cqic_budget import claims
from cqic_budget.auth import LOCAL_USER, Forbidden
from cqic_budget.claim_packet import build_packet
from cqic_budget.cli import main
from cqic_budget.closing import FundingError
from cqic_budget.db import session_scope
from cqic_budget.importing import service
from cqic_budget.metrics.summary import compute_summary, summary_as_json
from cqic_budget.models import Category, Contribution, Expense, Merchant
from cqic_budget.money import eligible_cents
from cqic_budget.setup import get_program
from cqic_budget.users import add_user

AS_OF = date(2026, 10, 31)
FUNDER = "meie@quebec.ca"


def test_claim_amount_by_hand():
    # Period E = 370 087,15; 50 % = 185 043,575 -> 185 043,57 (down). Earlier claim: E 232 537,69, held
    # 116 268,84. Entitlement on 602 624,84: 301 312,42; cap 1 050 000 × 0,9 = 945 000;
    # remaining 301 312,42 − 116 268,84 = 185 043,58; amount = min(185 043,57, 185 043,58) = 185 043,57
    result = claims.claim_amount(period_spent=D("370087.15"), earlier_spent=D("232537.69"),
                                 held_by_earlier=D("116268.84"), rate=D("0.50"), commitment=D("1050000"),
                                 holdback_rate=D("0.10"))
    assert (result.rate_of_period, result.entitlement, result.cap) == (D("185043.57"), D("301312.42"),
                                                                       D("945000.00"))
    assert (result.remaining, result.amount) == (D("185043.58"), D("185043.57"))


def test_the_holdback_caps_claims_until_the_final_one():
    # E claimed so far 2 000 000 -> 50 % = 1 000 000 → entitlement min(1 000 000, 1 050 000) = 1 000 000;
    # cap 945 000; held 900 000 -> remaining 45 000 although this period's 50 % is 100 000
    kwargs = dict(period_spent=D("200000"), earlier_spent=D("1800000"), held_by_earlier=D("900000"),
                  rate=D("0.50"), commitment=D("1050000"), holdback_rate=D("0.10"))
    assert claims.claim_amount(**kwargs).amount == D("45000.00")
    # the final claim releases the holdback: cap = 1 050 000 -> remaining 1 000 000 − 900 000 = 100 000
    assert claims.claim_amount(**kwargs, final=True).amount == D("100000.00")
    # beyond the commitment nothing more: E 2 400 000 -> 1 200 000 capped at 1 050 000; held 1 050 000
    over = dict(kwargs, earlier_spent=D("2200000"), held_by_earlier=D("1050000"))
    assert claims.claim_amount(**over, final=True).amount == D("0.00")


@pytest.fixture
def store(session):
    """Four expenses in 2025-2026, one in 2026-2027, a merchant-linked one with a name in its text."""
    program = get_program(session)
    cats = {c.code: c.id for c in session.exec(select(Category))}
    merchant = Merchant(program_id=program.id, name="Boutique Chez Ginette", sector="retail",
                        size_band="micro", municipality="Laval", enrolment_date=date(2025, 5, 1),
                        status="supported")
    session.add(merchant)
    session.flush()
    rows = [
        (date(2025, 5, 10), "salaries", 10_000_00, 0, 0, True, None),
        (date(2025, 6, 12), "travel", 1000_00, 50_00, 99_75, True, None),  # 1 000 + 0,5 × 149,75 = 1 074,88
        (date(2025, 6, 20), "travel", 500_00, 25_00, 49_88, False, None),  # ineligible: never claimed
        (date(2025, 7, 3), "merchant_services", 2000_00, 0, 0, True, merchant.id),
        (date(2026, 4, 2), "salaries", 5000_00, 0, 0, True, None),
    ]
    for day, cat, amount, gst, qst, eligible, merchant_id in rows:
        vendor = "=HYPERLINK(\"x\")" if merchant_id else "V"
        text = "Accompagnement — Boutique Chez Ginette" if merchant_id else "Service"
        session.add(Expense(program_id=program.id, date=day, vendor=vendor, description=text,
                            category_id=cats[cat], amount_cents=amount, gst_cents=gst, qst_cents=qst,
                            eligible=eligible, merchant_id=merchant_id,
                            eligible_cents=eligible_cents(amount, gst, qst, D("0.50"), eligible=eligible)))
    session.flush()
    add_user(session, FUNDER, "funder", by=LOCAL_USER)
    return session


def test_claim_lifecycle_by_hand(store):
    session = store
    with pytest.raises(FundingError) as across:
        claims.new_claim(session, period_from=date(2026, 3, 1), period_to=date(2026, 4, 30), user=LOCAL_USER)
    assert across.value.code == "across-fiscal-years" and "2026-03-31" in across.value.message("fr")
    # E = 10 000 + 1 074,88 + 2 000 = 13 074,88 (the ineligible row is left out); 50 % = 6 537,44
    claim = claims.new_claim(session, period_from=date(2025, 4, 1), period_to=date(2025, 9, 30),
                             user=LOCAL_USER)
    assert (claim.number, claim.status, claim.eligible_cents, claim.claimed_cents) == (1, "draft", 13_074_88,
                                                                                      6_537_44)
    with pytest.raises(FundingError) as nothing:  # every expense of the period is in claim 1
        claims.new_claim(session, period_from=date(2025, 4, 1), period_to=date(2025, 9, 30), user=LOCAL_USER)
    assert nothing.value.code == "nothing-to-claim"
    with pytest.raises(Forbidden):
        claims.submit_claim(session, 1, user=FUNDER)
    claims.submit_claim(session, 1, user=LOCAL_USER)
    with pytest.raises(FundingError) as note:
        claims.approve_claim(session, 1, amount="6000.00", user=LOCAL_USER)
    assert note.value.code == "note-required"
    with pytest.raises(FundingError):
        claims.approve_claim(session, 1, amount="7000.00", note="trop", user=LOCAL_USER)  # above claimed
    claims.approve_claim(session, 1, amount="6 000,00 $", note="Frais refusés", user=LOCAL_USER)
    claims.pay_claim(session, 1, amount="4000", day=date(2025, 11, 1), user=LOCAL_USER)
    [line] = claims.ledger(session, as_of=date(2025, 12, 31))
    assert (line.status, line.claimed, line.approved, line.paid, line.still_due) == (
        "approved", D("6537.44"), D("6000.00"), D("4000.00"), D("2000.00"))  # partly paid: 6 000 − 4 000
    with pytest.raises(FundingError):
        claims.pay_claim(session, 1, amount="2000.01", day=date(2025, 12, 1), user=LOCAL_USER)
    claims.pay_claim(session, 1, amount="2000", day=date(2025, 12, 1), user=LOCAL_USER)
    [line] = claims.ledger(session, as_of=date(2025, 12, 31))
    assert (line.status, line.paid, line.still_due) == ("paid", D("6000.00"), D("0.00"))
    payments = session.exec(select(Contribution).where(Contribution.claim_id.is_not(None))).all()
    assert sorted(p.amount_cents for p in payments) == [2000_00, 4000_00]
    # The next claim: 2025-10-01 to the as-of 2026-05-31 stops at the year end (31 March 2026): nothing
    # eligible there; from 2026-04-01 on, the 5 000 of April 2026 -> 2 500
    assert claims.next_claim(session, as_of=date(2026, 3, 31)) is None
    # entitlement on 13 074,88 + 5 000 = 18 074,88 -> 9 037,44; held 6 000 -> remaining 3 037,44 ≥ 2 500
    claim2 = claims.new_claim(session, period_from=date(2026, 4, 1), period_to=date(2026, 4, 30),
                              user=LOCAL_USER)
    assert claim2.claimed_cents == 2500_00
    claims.submit_claim(session, 2, user=LOCAL_USER)
    claims.refuse_claim(session, 2, note="Pièces manquantes", user=LOCAL_USER)
    # refused: its expense is free again
    again = claims.new_claim(session, period_from=date(2026, 4, 1), period_to=date(2026, 4, 30),
                             user=LOCAL_USER)
    assert (again.number, again.claimed_cents) == (3, 2500_00)


def test_a_submitted_claim_locks_its_expenses_in_the_store(store):
    session = store
    claims.new_claim(session, period_from=date(2025, 4, 1), period_to=date(2025, 9, 30), user=LOCAL_USER)
    table = Expense.__table__
    first = session.exec(select(Expense).order_by(Expense.id)).first().id
    session.execute(sa.update(table).where(table.c.id == first).values(amount_cents=1))  # a draft: free
    claims.submit_claim(session, 1, user=LOCAL_USER)
    session.commit()
    with pytest.raises(sa.exc.DatabaseError, match="closed-period"):
        session.execute(sa.update(table).where(table.c.id == first).values(amount_cents=2))
        session.flush()
    session.rollback()


def test_the_packet_is_the_same_twice_and_masks_merchants(store, tmp_path):
    session = store
    claims.new_claim(session, period_from=date(2025, 4, 1), period_to=date(2025, 9, 30), user=LOCAL_USER)
    claims.submit_claim(session, 1, user=LOCAL_USER)
    one = build_packet(session, 1, user=FUNDER)
    two = build_packet(session, 1, user=FUNDER)
    assert one.files == two.files and one.zip_bytes() == two.zip_bytes()
    manifest = json.loads(one.files["manifest.json"])
    assert (manifest["claimed"], manifest["eligible"], manifest["expenses"]) == ("6537.44", "13074.88", 3)
    import hashlib

    assert manifest["files"]  # never a loop over nothing
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(one.files[name]).hexdigest() == digest
    sheet = load_workbook(io.BytesIO(one.files["reclamation-001-etat-des-depenses.xlsx"]))["Lignes - Lines"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert not any("Ginette" in str(c) for c in cells)  # masked as for a funder
    assert "'=HYPERLINK(\"x\")" in cells  # a formula is neutralised
    text = pdf_text(one.files["reclamation-001-etat-des-depenses.pdf"], tmp_path)
    text = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
    assert "Ginette" not in text
    for figure in ("13 074,88 $", "6 537,44 $", "1 074,88 $", "État des dépenses", "Statement of expenses",
                   "au cent inférieur", "rounded down to the cent"):
        assert figure in text, figure
    with zipfile.ZipFile(io.BytesIO(one.zip_bytes())) as archive:
        assert archive.namelist() == list(one.files)


# --- The demo --------------------------------------------------------------------------------------------


@pytest.fixture
def demo(demo_engine, db_url, monkeypatch):
    """A copy of the demo template (init + load_demo) named by CQIC_DATABASE_URL, with one more user."""
    monkeypatch.setenv("CQIC_DATABASE_URL", db_url)
    with session_scope(demo_engine) as session:
        add_user(session, FUNDER, "funder", by=LOCAL_USER)
    return demo_engine


def test_demo_claims_history_and_summary(demo):
    with Session(demo) as session:
        out = summary_as_json(compute_summary(session, as_of=AS_OF))
        lines = claims.ledger(session, as_of=AS_OF)
    assert [(c["number"], c["status"]) for c in out["claims"]] == [
        (1, "paid"), (2, "paid"), (3, "paid"), (4, "submitted")]
    # Each period's E counts PICOM's in-kind quarters (12 500 $ each, eligible in merchant_services):
    # claim 1, 2025-04-01..2025-09-30: 232 537,69 of expenses + 2 × 12 500 = 257 537,69
    #   -> 0,5 × 257 537,69 = 128 768,845 -> 128 768,84 (down), paid in full;
    # claim 2, 2025-10-01..2026-03-31: 370 087,15 + 2 × 12 500 = 395 087,15
    #   -> 0,5 × 395 087,15 = 197 543,575 -> 197 543,57 (entitlement 0,5 × 652 624,84 = 326 312,42,
    #   remaining 326 312,42 − 128 768,84 = 197 543,58 is not binding), approved for less: 180 000;
    # claim 3, 2026-04-01..2026-06-30: 212 437,65 + 12 500 = 224 937,65 -> 112 468,825 -> 112 468,82;
    # claim 4, 2026-07-01..2026-09-30: 191 767,10 + 12 500 = 204 267,10 -> 102 133,55, submitted, unpaid.
    assert [c["claimed"] for c in out["claims"]] == ["128768.84", "197543.57", "112468.82", "102133.55"]
    second = out["claims"][1]
    assert (second["claimed"], second["approved"], second["paid"]) == ("197543.57", "180000.00", "180000.00")
    # claim 3 approved 2026-07-20, paid 2026-09-25: 11 + 31 + 25 = 67 days > 30
    assert lines[2].late and lines[2].days_to_pay == 67 and not lines[0].late  # paid late
    assert out["claims"][3]["still_due"] == "102133.55"
    # Québec received = the three payments: 128 768,84 + 180 000 + 112 468,82 = 421 237,66
    assert out["quebec_received"] == "421237.66"


def test_cli_claims_and_packet_on_the_demo(demo, capsys, tmp_path):
    assert main(["claims", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [c["number"] for c in listed] == [1, 2, 3, 4]
    assert main(["claims", "approve", "4", "--amount", "102133.55", "--user", FUNDER]) == 2  # forbidden
    assert "forbidden" in capsys.readouterr().err
    assert main(["claims", "new", "--from", "2026-10-01", "--to", "2026-10-31", "--json"]) == 0
    created = json.loads(capsys.readouterr().out)
    assert (created["number"], created["status"]) == (5, "draft")
    first, second = tmp_path / "a", tmp_path / "b"
    assert main(["claim-packet", "2", "--out", str(first)]) == 0
    assert main(["claim-packet", "2", "--out", str(second), "--user", FUNDER]) == 0
    assert (first / "manifest.json").read_bytes() == (second / "manifest.json").read_bytes()
    pdf = first / "reclamation-002-etat-des-depenses.pdf"
    pages = pdf_pages(pdf, tmp_path / "png", dpi=50)
    assert len(pages) > 2 and all(p.stat().st_size > 0 for p in pages)
    text = " ".join(pdf_text(pdf, tmp_path).replace("\u00a0", " ").replace("\u202f", " ").split())
    # E of 2025-10-01..2026-03-31 = 370 087,15 of expenses + PICOM's in-kind 31 December 2025 and
    # 31 March 2026 (2 × 12 500) = 395 087,15; claimed 0,5 × 395 087,15 = 197 543,575 -> 197 543,57 (down)
    assert "395 087,15 $" in text and "197 543,57 $" in text  # E and the amount claimed
    assert "50,0 % × E = 197 543,57 $" in text  # the computation, 395 087,15 × 0,5 rounded down


def test_importing_into_a_submitted_claim_period_is_closed_period(demo):
    from import_helpers import HEADER_FR, taxed, xlsx

    data = xlsx({"Dépenses": [HEADER_FR, taxed(date(2026, 8, 10), "Fournitures Test inc.", "100.00", "T-1")]})
    outcome = service.import_file(demo, data, file_name="aout.xlsx", lang="en")
    assert outcome.status == "rejected" and [e.code for e in outcome.errors] == ["closed-period"]
    assert "claim 4" in service.error_message(outcome.errors[0], "en")


@pytest.mark.parametrize("amount", ["1e308", "-1e308", "1e-400", "Infinity", "NaN", "12.345",
                                    "1000000000000"])
def test_an_absurd_claim_amount_is_a_clear_refusal(amount):
    # An amount typed on the command line or the page: a code and a sentence, never a decimal traceback
    # (1e308 used to raise decimal.InvalidOperation while being rounded to the cent).
    with pytest.raises(FundingError) as refused:
        claims._cents(amount)
    assert refused.value.code == "invalid-amount"
    assert claims._cents("180 000,00 $") == 18_000_000  # 180 000,00 $ = 18 000 000 cents


def test_a_wrong_status_is_said_in_words():
    # « paid » is a code; a person reads « payée » / « paid », « approuvée » / « approved ».
    refused = FundingError("wrong-status", number=3, status="paid", expected="approved")
    assert "« payée »" in refused.message("fr") and "« approuvée »" in refused.message("fr")
    assert "paid" not in refused.message("fr")
