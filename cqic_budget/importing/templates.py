"""The blank expense template and the sample month in data/ (python -m cqic_budget.importing.templates)."""

from __future__ import annotations

import io
import re
import sys
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cqic_budget.db import ROOT
from cqic_budget.i18n import t
from cqic_budget.money import GST_RATE, QST_RATE, round_cents
from cqic_budget.setup import CATEGORIES, UNCLASSIFIED

TEMPLATE_PATH = ROOT / "data" / "expense_template.xlsx"
# A month that is open and not in the demo (its last day is 2026-10-31; 2025-2026 is closed), so that
# trying the sample on the demo neither hits a closed year nor distorts the demo's figures.
SAMPLE_MONTH = date(2026, 11, 1)
SAMPLE_PATH = ROOT / "data" / f"sample_expenses_{SAMPLE_MONTH:%Y-%m}.xlsx"
_COLUMNS = ("date", "vendor", "description", "category", "invoice", "amount", "gst", "qst", "total")
_WIDTHS = (12, 34, 46, 30, 14, 20, 11, 11, 13)
_MONEY = '# ##0.00\\ "$";-# ##0.00\\ "$"'
_FIXED = datetime(2026, 4, 1, 9, 0, 0)  # written into the file properties: the bytes stay the same

# A French month (SAMPLE_MONTH) of CQIC expenses: (day, vendor, description, category code, invoice,
# amount before tax, taxable). Salaries carry no taxes.
SAMPLE_ROWS = [
    (
        2,
        "Groupe Conseil Numérique Laval",
        "Diagnostic numérique — 4 commerçants de Laval",
        "merchant_services",
        "GCN-2026-031",
        "6400.00",
        True,
    ),
    (
        2,
        "Bell Canada",
        "Internet et téléphonie du bureau — novembre",
        "administration",
        "B-88231745",
        "189.95",
        True,
    ),
    (
        3,
        "Vidéotron Affaires",
        "Forfait mobile de l'équipe (5 lignes)",
        "administration",
        "VA-556120",
        "245.00",
        True,
    ),
    (
        3,
        "Adobe Systems Canada",
        "Licences Creative Cloud (3 postes)",
        "equipment",
        "ADB-CA-10293",
        "287.97",
        True,
    ),
    (4, "Dell Canada", "Portable de l'accompagnatrice numérique", "equipment", "DL-7781023", "1849.00", True),
    (
        5,
        "Shopify Plus Partenaires",
        "Atelier « Vendre en ligne » — 12 participants",
        "merchant_services",
        "SHP-PA-4410",
        "3200.00",
        True,
    ),
    (
        6,
        "Hôtel Sheraton Laval",
        "Salle de formation — atelier commerce de gros",
        "marketing",
        "SHL-20260306",
        "950.00",
        True,
    ),
    (
        6,
        "Traiteur Les Délices du Marché",
        "Repas atelier commerce de gros (25 pers.)",
        "marketing",
        "DM-1187",
        "612.50",
        True,
    ),
    (9, "STM", "Titres de transport — visites chez les commerçants", "travel", "STM-0309", "97.00", False),
    (
        10,
        "Lavery avocats",
        "Avis juridique — entente de partenariat",
        "professional_fees",
        "LAV-26-0412",
        "2750.00",
        True,
    ),
    (
        10,
        "Raymond Chabot Grant Thornton",
        "Audit intérimaire du programme",
        "professional_fees",
        "RCGT-98211",
        "4200.00",
        True,
    ),
    (11, "Via Rail Canada", "Mission Québec — rencontre MEIE", "travel", "VIA-8830214", "186.40", True),
    (
        11,
        "Hôtel Le Concorde Québec",
        "Hébergement mission Québec (1 nuit)",
        "travel",
        "CQ-55012",
        "219.00",
        True,
    ),
    (
        12,
        "Agence Marketing Boréal",
        "Campagne LinkedIn — recrutement de commerçants",
        "marketing",
        "AMB-2026-07",
        "3500.00",
        True,
    ),
    (
        13,
        "Imprimerie Laval Express",
        "Dépliants du programme (2 000 ex.)",
        "marketing",
        "ILE-30112",
        "845.00",
        True,
    ),
    (13, "Microsoft Canada", "Microsoft 365 Affaires — novembre", "equipment", "MS-E0331-2026", "264.00",
     True),
    (
        16,
        "Commerce Numérique Québec",
        "Accompagnement boutique en ligne — Boulangerie St-Martin",
        "merchant_services",
        "CNQ-1402",
        "2400.00",
        True,
    ),
    (
        16,
        "Commerce Numérique Québec",
        "Accompagnement boutique en ligne — Quincaillerie Chomedey",
        "merchant_services",
        "CNQ-1403",
        "2400.00",
        True,
    ),
    (
        17,
        "Lightspeed Commerce",
        "Intégration caisse-inventaire — Mode Vimont",
        "merchant_services",
        "LS-QC-7781",
        "1875.00",
        True,
    ),
    (17, "Uber Canada", "Déplacements chez les commerçants", "travel", "UB-170326", "64.35", True),
    (
        18,
        "Zoom Video Communications",
        "Abonnement webinaires — trimestre",
        "equipment",
        "ZM-INV-44120",
        "449.85",
        True,
    ),
    (
        19,
        "Chambre de commerce et d'industrie de Laval",
        "Kiosque — Salon des entrepreneurs",
        "marketing",
        "CCIL-2026-118",
        "1200.00",
        True,
    ),
    (19, "Papeterie Laval", "Fournitures de bureau", "administration", "PL-77120", "142.37", True),
    (
        20,
        "Groupe Conseil Numérique Laval",
        "Diagnostic numérique — 3 commerçants de gros",
        "merchant_services",
        "GCN-2026-037",
        "4800.00",
        True,
    ),
    (23, "Desjardins Entreprises", "Frais bancaires — novembre", "administration", "DJ-0323", "38.50", False),
    (
        23,
        "Formations Web Pro",
        "Formation SEO pour 8 commerçants",
        "merchant_services",
        "FWP-5521",
        "1600.00",
        True,
    ),
    (
        24,
        "Postes Canada",
        "Envoi des trousses aux commerçants",
        "administration",
        "PC-240326",
        "112.60",
        True,
    ),
    (
        25,
        "Studio Photo Laval",
        "Photos produits — 6 boutiques",
        "merchant_services",
        "SPL-0911",
        "1440.00",
        True,
    ),
    (
        25,
        "Hôtel Sheraton Laval",
        "Salle — comité de suivi du programme",
        "administration",
        "SHL-20260325",
        "425.00",
        True,
    ),
    (
        26,
        "Cabinet RH Plus",
        "Recrutement — conseillère en transformation numérique",
        "professional_fees",
        "RHP-3318",
        "3900.00",
        True,
    ),
    (26, "Stationnement Laval", "Stationnement — visites terrain", "travel", "SL-2603", "48.00", False),
    (
        27,
        "Google Cloud Canada",
        "Hébergement de la plateforme de suivi",
        "equipment",
        "GC-98812021",
        "310.42",
        True,
    ),
    (
        27,
        "Agence Marketing Boréal",
        "Vidéos témoignages de commerçants",
        "marketing",
        "AMB-2026-09",
        "2800.00",
        True,
    ),
    (
        30,
        "CQIC — paie",
        "Salaires et charges — chargée de projet (novembre)",
        "salaries",
        "PAIE-2026-11-A",
        "7250.00",
        False,
    ),
    (
        30,
        "CQIC — paie",
        "Salaires et charges — conseiller numérique (novembre)",
        "salaries",
        "PAIE-2026-11-B",
        "6480.00",
        False,
    ),
    (
        30,
        "CQIC — paie",
        "Salaires et charges — coordonnatrice (novembre, 60 %)",
        "salaries",
        "PAIE-2026-11-C",
        "3310.00",
        False,
    ),
    (30, "Bell Canada", "Ligne sans frais du programme", "administration", "B-88231990", "39.95", True),
    (
        30,
        "Traiteur Les Délices du Marché",
        "Pause-café — comité de suivi",
        "administration",
        "DM-1203",
        "186.00",
        True,
    ),
    (
        30,
        "Commerce Numérique Québec",
        "Accompagnement boutique en ligne — Fleuriste Ste-Rose",
        "merchant_services",
        "CNQ-1417",
        "2400.00",
        True,
    ),
]
# The sample's one faulty row: a total that does not add up (shown in the preview as `total-mismatch`).
SAMPLE_ERROR_ROW = 20


def _header(lang: str) -> list[str]:
    return [t(f"import.template.{name}", lang) for name in _COLUMNS]


def _label(code: str, lang: str) -> str:
    return next(fr if lang == "fr" else en for c, fr, en in CATEGORIES if c == code)


def _sheet(workbook: Workbook, lang: str, month: str):
    sheet = workbook.active
    sheet.title = t("import.template.sheet", lang)
    sheet["A1"] = t("import.template.title", lang, month=month)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells("A1:I1")
    sheet.append([])
    sheet.append(_header(lang))
    for cell in sheet[3]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E78")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for index, width in enumerate(_WIDTHS):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A4"
    lists = workbook.create_sheet(t("import.template.categories", lang))
    for code, fr, en in CATEGORIES:
        if code != UNCLASSIFIED:
            lists.append([fr if lang == "fr" else en])
    validation = DataValidation(
        type="list", formula1=f"='{lists.title}'!$A$1:$A${len(CATEGORIES) - 1}", allow_blank=True
    )
    sheet.add_data_validation(validation)
    validation.add("D4:D1000")
    return sheet


def _fix_properties(workbook: Workbook) -> None:
    workbook.properties.creator = "CQIC"
    workbook.properties.created = _FIXED
    workbook.properties.modified = _FIXED


def _saved(workbook: Workbook) -> bytes:
    """The workbook's bytes, the same on every run (fixed zip timestamps and properties)."""
    _fix_properties(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-04-01T09:00:00Z", content)
            target.writestr(
                zipfile.ZipInfo(info.filename, date_time=_FIXED.timetuple()[:6]),
                content,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def deterministic_xlsx_bytes(workbook: Workbook) -> bytes:
    """Any workbook's bytes, the same on every run (the claim packet's manifest depends on it)."""
    return _saved(workbook)


def template_bytes(lang: str = "fr") -> bytes:
    """The blank template: title, header on row 3, a category list; formats for dates and money."""
    workbook = Workbook()
    sheet = _sheet(workbook, lang, "AAAA-MM" if lang == "fr" else "YYYY-MM")
    for row in range(4, 1001):
        sheet.cell(row=row, column=1).number_format = "yyyy-mm-dd"
        for column in range(6, 10):
            sheet.cell(row=row, column=column).number_format = _MONEY
    return _saved(workbook)


def sample_bytes(lang: str = "fr") -> bytes:
    """A realistic French month (November 2026) of CQIC expenses: taxes, one faulty row, a totals row."""
    workbook = Workbook()
    sheet = _sheet(workbook, lang, "novembre 2026" if lang == "fr" else "November 2026")
    sums = [Decimal(0)] * 4
    for index, (day, vendor, description, category, invoice, amount, taxable) in enumerate(SAMPLE_ROWS):
        before_tax = Decimal(amount)
        gst = round_cents(before_tax * GST_RATE) if taxable else Decimal("0.00")
        qst = round_cents(before_tax * QST_RATE) if taxable else Decimal("0.00")
        total = before_tax + gst + qst
        if index == SAMPLE_ERROR_ROW:
            total += Decimal("10.00")  # a typo in the total: the preview shows it as total-mismatch
        values = [before_tax, gst, qst, total]
        sums = [s + v for s, v in zip(sums, values, strict=True)]
        sheet.append(
            [
                SAMPLE_MONTH.replace(day=day),
                vendor,
                description,
                _label(category, lang),
                invoice,
                *(float(v) for v in values),
            ]
        )
    sheet.append([t("import.template.total_row", lang), None, None, None, None, *(float(s) for s in sums)])
    for row in sheet.iter_rows(min_row=4):
        row[0].number_format = "yyyy-mm-dd"
        for cell in row[5:9]:
            cell.number_format = _MONEY
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    return _saved(workbook)


def write_data_files(folder: Path | None = None) -> list[Path]:
    paths = [TEMPLATE_PATH, SAMPLE_PATH]
    if folder is not None:
        paths = [folder / path.name for path in paths]
    paths[0].write_bytes(template_bytes("fr"))
    paths[1].write_bytes(sample_bytes("fr"))
    return paths


if __name__ == "__main__":
    for written in write_data_files(Path(sys.argv[1]) if len(sys.argv) > 1 else None):
        print(written)
