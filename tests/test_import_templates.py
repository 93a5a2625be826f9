"""The blank template and the sample month kept in data/: readable by the importer, and up to date."""

from __future__ import annotations

from datetime import date

from cqic_budget.importing import templates
from cqic_budget.importing.service import analyse_bytes, review_reasons

PERIOD = (date(2025, 4, 1), date(2028, 3, 31))


def test_data_files_are_the_generated_ones():
    assert templates.TEMPLATE_PATH.read_bytes() == templates.template_bytes("fr")
    assert templates.SAMPLE_PATH.read_bytes() == templates.sample_bytes("fr")


def test_blank_template_has_the_header_and_no_rows():
    analysis = analyse_bytes(templates.template_bytes("fr"), file_name="gabarit.xlsx", period=PERIOD)
    assert analysis.refusal.code == "empty"
    english = analyse_bytes(templates.template_bytes("en"), file_name="template.xlsx", period=PERIOD)
    assert english.refusal.code == "empty"


def test_sample_month_previews_with_its_one_faulty_row():
    analysis = analyse_bytes(templates.sample_bytes("fr"), file_name="novembre.xlsx", period=PERIOD)
    outcome = analysis.outcome()
    assert (outcome.rows_read, outcome.rows_imported, outcome.rows_rejected) == (39, 38, 1)
    assert [(e.row, e.column, e.code) for e in outcome.errors] == [
        (4 + templates.SAMPLE_ERROR_ROW, "Total", "total-mismatch")
    ]
    assert len(analysis.parsed.dates) == 38  # the valid rows (never a check over nothing)
    assert all((d.year, d.month) == (2026, 11) for d in analysis.parsed.dates)
    assert min(analysis.parsed.review) == "" and "" not in analysis.parsed.categories


def test_review_reasons_in_words():
    assert review_reasons("gst-differs|unknown-category:frais divers", "fr") == [
        "TPS différente de 5 % du montant (écart de plus d'un cent)",
        "Catégorie inconnue « frais divers » : à classer",
    ]
    assert review_reasons("missing-category", "en") == ["No category: to be classified"]
