"""A sheet with 10 000 ambiguous amounts: the preview and the command line's text list ten of them and
count the rest (« … et 9 990 autres »), every rejected row stays listed, and the JSON output and the
rows-to-fix workbook keep every row."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from cqic_budget.i18n import format_number
from cqic_budget.importing.rejected import analysis_rejected_workbook
from cqic_budget.importing.repeated import AMBIGUOUS_SHOWN, capped, more_lines
from cqic_budget.importing.service import analyse, outcome_as_json, outcome_as_text
from cqic_budget.views.upload import problems_frame

AMBIGUOUS = 10_000


def _sheet(tmp_path):
    # Rows 2-3 write « 12,50 »: the sheet's convention is the decimal comma, so « 1,234 » is 1,23 $ and
    # ambiguous (rows 4 to 10 003). Row 10 004 has no readable date: rejected.
    lines = ["Date;Fournisseur;No facture;Montant", "2026-03-02;A;F-A;12,50", "2026-03-02;B;F-B;12,50"]
    lines += [f"2026-03-03;V{i};F-{i};1,234" for i in range(AMBIGUOUS)]
    lines.append("pas une date;Z;F-Z;10,00")
    path = tmp_path / "feuille.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ten_thousand_ambiguous_amounts_are_listed_ten_times_then_counted(engine, tmp_path):
    analysis = analyse(engine, _sheet(tmp_path))
    errors = analysis.errors()
    assert [e.code for e in errors].count("ambiguous-amount") == AMBIGUOUS
    assert [(e.row, e.code) for e in errors if e.counts_as_rejected] == [(10_004, "invalid-date")]

    listed, left_out = capped(errors)
    # 10 000 warnings − 10 shown = 9 990 left out; the rejected row is always listed: 10 + 1 = 11 rows.
    assert left_out == {"ambiguous-amount": AMBIGUOUS - AMBIGUOUS_SHOWN} == {"ambiguous-amount": 9_990}
    assert len(listed) == 11 and listed[-1].row == 10_004
    frame = problems_frame(analysis, "fr")
    assert list(frame.iloc[:, 0]) == [*range(4, 14), 10_004]
    assert list(frame["kind"]) == ["warning"] * 10 + ["rejected"]
    nine_990 = format_number(9_990, "fr")  # fr-CA: « 9 990 » with a no-break space
    assert nine_990 != "9990" and nine_990.replace("\u00a0", " ").replace("\u202f", " ") == "9 990"
    assert more_lines(left_out, "fr") == [
        f"… et {nine_990} autres montants ambigus (tous dans le classeur des lignes à corriger et la sortie "
        "JSON)."]
    assert more_lines(left_out, "en")[0].startswith("… and 9,990 more ambiguous amounts")

    # The command line's text: ten warnings, the rejected row, then the count.
    outcome = analysis.outcome()
    text = outcome_as_text(outcome, "fr")
    assert text.count("ambigu") == AMBIGUOUS_SHOWN + 1 and f"… et {nine_990} autres montants ambigus" in text
    assert "10004" in text.replace("\u00a0", "").replace(" ", "")
    # The JSON output and the rows-to-fix workbook keep every row.
    assert len(outcome_as_json(outcome)["errors"]) == AMBIGUOUS + 1
    workbook = load_workbook(io.BytesIO(analysis_rejected_workbook(analysis, lang="fr")))
    assert workbook.active.max_row >= AMBIGUOUS + 1  # a header, then one row per row with a problem
