"""The funder report as PDF: the workbook's figures in print, every page headed, no personal data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pdf_tools import pdf_pages, pdf_text
from store_builders import REPORT_AS_OF as AS_OF
from store_builders import hand_built

from cqic_budget import reports
from cqic_budget.auth import LOCAL_USER
from cqic_budget.cli import main
from cqic_budget.db import session_scope
from cqic_budget.i18n import format_date, format_money, format_percent, t
from cqic_budget.metrics.summary import compute_summary, share_text
from cqic_budget.report_pdf import build_report_pdf, cell_text
from cqic_budget.users import add_user


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _pages(text: str) -> list[str]:
    return [_flat(page) for page in text.split("\f") if page.strip()]


def test_cell_text_formats_each_kind_like_the_workbook():
    assert cell_text(Decimal("1074.875"), reports.MONEY, "fr") == "1\u00a0074,88\u00a0$"  # half-up
    assert cell_text(Decimal("0.4881"), reports.PERCENT, "fr") == "48,8\u00a0%"
    assert cell_text(Decimal("0.4881"), reports.PERCENT, "en") == "48.8%"
    assert cell_text(date(2026, 3, 31), reports.DATE, "fr") == "2026-03-31"
    assert cell_text(1234, reports.INTEGER, "fr") == "1\u00a0234"
    assert cell_text(Decimal("17.0"), reports.MONTHS, "en") == "17.0"
    assert cell_text(True, reports.TEXT, "fr") == "oui"
    assert cell_text(None, reports.MONEY, "fr") == "—"
    assert cell_text("=Jalon 1", reports.TEXT, "fr") == "=Jalon 1"


def test_hand_built_report_pdf_carries_the_summary_figures(session, tmp_path):
    hand_built(session)
    summary = compute_summary(session, as_of=AS_OF)
    data = build_report_pdf(session, as_of=AS_OF, lang="fr")
    assert data == build_report_pdf(session, as_of=AS_OF, lang="fr")  # deterministic
    pages = _pages(pdf_text(data, tmp_path))
    text = " ".join(pages)
    # E = 40 000,00 + 1 074,88 − 100,00 = 40 974,88; ineligible 2 299,50; Québec 20 000,00 ÷ E = 48,8 %.
    assert "40 974,88 $" in text and summary.spent == Decimal("40974.88")
    assert "2 299,50 $" in text
    assert "48,8 %" in text
    for value in (summary.budget_total, summary.remaining, summary.quebec_received,
                  summary.quebec_entitlement, summary.quebec_claimable, summary.partner_required,
                  summary.partner_received, summary.burn_rate_monthly, summary.projected_total):
        assert _flat(format_money(value, "fr")) in text, value
    for share in (summary.quebec_share, summary.public_aid_share, summary.admin_share):
        assert _flat(format_percent(Decimal(share_text(share)), "fr")) in text
    assert summary.fiscal_years and summary.checks  # never a loop over nothing
    for fy in summary.fiscal_years:
        budget, spent = _flat(format_money(fy.budget, "fr")), _flat(format_money(fy.spent, "fr"))
        # The spending sheet's year total: original budget, budget in force (no amendment here), spent.
        assert f"{fy.label} Total {budget} {budget} {spent}" in text, fy.label
    for check in summary.checks:
        assert _flat(check.message("fr"))[:60] in text
    # Milestone with its payment; the expense sheet's note (4 expenses, total = the summary's E).
    assert "=Jalon 1" in text and "reçu" in text
    assert "4 dépenses jusqu'au 2026-10-31 ; total admissible : 40 974,88 $" in text
    # Every page: program, title, as-of date, page n / N.
    for number, page in enumerate(pages, start=1):
        assert "Programme de transformation numérique" in page and "Rapport aux bailleurs de fonds" in page
        assert "Données au 31 octobre 2026" in page
        assert f"Page {number} / {len(pages)}" in page
    # Funders never see merchants' names, contacts, or expense lines (vendors, descriptions).
    for secret in ("Boutique Secrète", "Grossiste Caché", "secret@example.com", "+33 6 12 34 56 78",
                   "HYPERLINK", "Paie CQIC"):
        assert secret not in text


def test_demo_report_pdf_in_english_and_french_pages(demo_readonly_session, tmp_path):
    session = demo_readonly_session  # the demo, read only
    summary = compute_summary(session, as_of=AS_OF)
    for lang in ("fr", "en"):
        data = build_report_pdf(session, as_of=AS_OF, lang=lang)
        pages = _pages(pdf_text(data, tmp_path))
        text = " ".join(pages)
        assert _flat(format_money(summary.spent, lang)) in text
        assert _flat(format_money(summary.projected_total, lang)) in text
        assert _flat(t("pdf.as_of", lang, date=format_date(AS_OF, lang, long=True))) in pages[-1]
        pngs = pdf_pages(data, tmp_path / f"png-{lang}", dpi=40)
        assert len(pngs) == len(pages) >= 5
    # The French accents survive (a font without them would drop or replace the glyphs).
    assert "Dépenses par poste" in text or "Spending by category" in text


def test_a_funder_may_download_it_a_viewer_may_not(session):
    from cqic_budget.auth import Forbidden

    hand_built(session)
    add_user(session, "bailleur@example.com", "funder", by=LOCAL_USER)
    add_user(session, "lecteur@example.com", "viewer", by=LOCAL_USER)
    session.flush()
    assert build_report_pdf(session, as_of=AS_OF, lang="fr", user="bailleur@example.com").startswith(b"%PDF")
    with pytest.raises(Forbidden):
        build_report_pdf(session, as_of=AS_OF, lang="fr", user="lecteur@example.com")


def test_report_command_picks_the_format_by_extension(db_url, engine, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CQIC_DATABASE_URL", db_url)
    with session_scope(engine) as session:
        hand_built(session)
    out = tmp_path / "rapport.pdf"
    assert main(["report", "--out", str(out), "--as-of", "2026-10-31"]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert "40 974,88 $" in _flat(pdf_text(out, tmp_path))
    xlsx = tmp_path / "rapport.xlsx"
    assert main(["report", "--out", str(xlsx), "--as-of", "2026-10-31"]) == 0
    assert xlsx.read_bytes()[:2] == b"PK"
    wrong = tmp_path / "rapport.txt"
    assert main(["report", "--out", str(wrong), "--lang", "en"]) == 2
    assert not wrong.exists()
    assert "report-format" in capsys.readouterr().err
