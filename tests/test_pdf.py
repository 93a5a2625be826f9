"""The shared PDF writer: deterministic bytes, French text intact, running header and footer on each page."""

from __future__ import annotations

import struct
from datetime import date

import pytest
from pdf_tools import pdf_pages, pdf_text

from cqic_budget.i18n import format_money, format_percent
from cqic_budget.pdf import Document

FRENCH = "Dépenses « admissibles » à l’échéance : ça coûte 2\u202f100\u00a0000,00\u00a0$ — 50,0\u00a0%"


def _document(*, as_of=date(2026, 3, 31), lang="fr", rows=3, page_format="A4") -> Document:
    doc = Document(title="Rapport aux bailleurs de fonds", program_name="Programme Été numérique",
                   as_of=as_of, lang=lang, page_format=page_format)
    doc.heading("Chiffres clés")
    doc.paragraph(FRENCH)
    doc.key_values([("Budget total", format_money(2_100_000, lang)),
                    ("Part du Québec", format_percent(0.5, lang))])
    doc.table(["Poste", "Budget"],
              [[f"Catégorie n° {i} — équipement", format_money(1000 + i, lang)] for i in range(rows)],
              widths=[3, 1], align=["L", "R"], bold_rows=[rows - 1])
    return doc


def _flat(text: str) -> str:
    # pdftotext gives no-break spaces back as plain spaces at times; compare words, not spacing.
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def test_same_inputs_give_the_same_bytes():
    first, second = _document().to_bytes(), _document().to_bytes()
    assert first.startswith(b"%PDF-")
    assert first == second
    # The as-of date is the creation date: another date, other bytes (nothing else varies).
    assert _document(as_of=date(2026, 4, 1)).to_bytes() != first
    assert b"/CreationDate (D:20260331000000Z" in first


def test_text_keeps_accents_guillemets_and_spaces(tmp_path):
    text = pdf_text(_document().to_bytes(), tmp_path)
    flat = _flat(text)
    assert _flat(FRENCH) in flat
    assert "Catégorie n° 2 — équipement" in flat
    assert _flat(format_money(2_100_000, "fr")) in flat  # 2 100 000,00 $
    # Running header: program, title, long as-of date; footer n / N.
    assert "Programme Été numérique — Rapport aux bailleurs de fonds" in flat
    assert "Données au 31 mars 2026" in flat
    assert "Page 1 / 1" in flat
    # No replacement boxes or question marks where glyphs went missing.
    assert "\ufffd" not in text and "?" not in text


def test_long_table_repeats_its_header_and_numbers_pages(tmp_path):
    doc = _document(rows=120)
    data = doc.to_bytes()
    pages = pdf_text(data, tmp_path).split("\f")
    pages = [p for p in pages if p.strip()]
    assert doc.page_count == len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        flat = _flat(page)
        first_row = flat.index("Catégorie n°")
        assert "Poste" in flat[:first_row] and "Budget" in flat[:first_row], f"no header row on page {number}"
        assert "Données au 31 mars 2026" in flat
        assert f"Page {number} / {len(pages)}" in flat
    assert "Catégorie n° 119 — équipement" in _flat(pages[-1])
    # pdftoppm renders each page at A4 proportions (210 × 297 mm).
    pngs = pdf_pages(data, tmp_path / "png", dpi=30)
    assert len(pngs) == len(pages)
    width, height = struct.unpack(">II", pngs[0].read_bytes()[16:24])
    assert abs(height / width - 297 / 210) < 0.01


def test_english_letter_pages(tmp_path):
    data = _document(lang="en", page_format="Letter").to_bytes()
    flat = _flat(pdf_text(data, tmp_path))
    assert "Figures as of March 31, 2026" in flat
    assert "$2,100,000.00" in flat
    width, height = struct.unpack(">II", pdf_pages(data, tmp_path / "png", dpi=30)[0].read_bytes()[16:24])
    assert abs(height / width - 11 / 8.5) < 0.01


def test_long_words_control_characters_and_empty_cells_do_not_break_the_page(tmp_path):
    doc = Document(title="T", program_name="P", as_of=date(2026, 1, 5), lang="fr")
    doc.paragraph("x" * 600 + "\x00\tfin")
    doc.table(["a", "b"], [["z" * 500, "=1+2"], ["", None]])
    doc.key_values([("k" * 200, "v" * 200)])
    flat = _flat(pdf_text(doc.to_bytes(), tmp_path))
    assert "fin" in flat and "=1+2" in flat
    assert flat.count("z") == 500


def test_rejects_mismatched_columns_and_unknown_formats():
    doc = Document(title="T", program_name="P", as_of=date(2026, 1, 5), lang="fr")
    with pytest.raises(ValueError):
        doc.table(["a", "b"], [["only one"]])
    with pytest.raises(ValueError):
        doc.table(["a", "b"], [], widths=[1])
    with pytest.raises(ValueError):
        Document(title="T", program_name="P", as_of=date(2026, 1, 5), lang="fr", page_format="A3")


def test_a_wrapped_cell_keeps_its_words_in_its_column_and_a_row_taller_than_a_page_is_refused(tmp_path):
    doc = Document(title="T", program_name="P", as_of=date(2026, 1, 5), lang="fr")
    # 40 words of 9 letters in a column a fifth of the page wide: several lines, each word whole, in order.
    words = [f"mot{i:02d}abcd" for i in range(40)]
    doc.table(["Texte", "Montant"], [[" ".join(words), "12,00 $"], ["court", "3,00 $"]], widths=[1, 4])
    layout = pdf_text(doc.to_bytes(), tmp_path)
    found = [w for w in _flat(layout).split() if w.startswith("mot")]
    assert found == words
    assert sum(1 for line in layout.splitlines() if "mot" in line) > 3  # wrapped over several lines
    tall = Document(title="T", program_name="P", as_of=date(2026, 1, 5), lang="fr")
    with pytest.raises(ValueError, match="too high"):
        tall.table(["a"], [["\n".join(["ligne"] * 200)]])
