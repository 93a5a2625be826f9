"""Find the header row (below title rows, on the first sheet that has one) and map French/English columns."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterable

from cqic_budget.importing.reader import Sheet

DATE, VENDOR, DESCRIPTION, CATEGORY, INVOICE = "date", "vendor", "description", "category", "invoice"
AMOUNT, GST, QST, TOTAL = "amount", "gst", "qst", "total"
CURRENCY, FX_RATE, TAX_TREATMENT = "currency", "fx_rate", "tax_treatment"  # optional (SPEC §4, §10)
COMMITMENT = "commitment"  # optional: the reference of the commitment an expense draws on

# Accepted headers, written as label_key() leaves them (no accents, lower case, units and numbers dropped).
SYNONYMS: dict[str, tuple[str, ...]] = {
    DATE: (
        "date",
        "date de la depense",
        "date de depense",
        "date depense",
        "date facture",
        "date de facture",
        "date de la facture",
        "date d achat",
        "date de transaction",
        "expense date",
        "invoice date",
        "transaction date",
        "date of expense",
    ),
    VENDOR: (
        "fournisseur",
        "nom du fournisseur",
        "vendor",
        "vendor name",
        "supplier",
        "supplier name",
        "beneficiaire",
        "payee",
        "marchand",
    ),
    DESCRIPTION: (
        "description",
        "detail",
        "details",
        "libelle",
        "objet",
        "description de la depense",
        "nature de la depense",
        "memo",
    ),
    CATEGORY: (
        "categorie",
        "category",
        "poste budgetaire",
        "poste",
        "categorie de depense",
        "budget line",
        "expense category",
        "ligne budgetaire",
    ),
    INVOICE: (
        "no facture",
        "no de facture",
        "numero de facture",
        "numero facture",
        "facture",
        "invoice",
        "invoice no",
        "invoice number",
        "invoice num",
        "no facture fournisseur",
        "reference facture",
        "ref facture",
    ),
    AMOUNT: (
        "montant",
        "montant avant taxes",
        "montant avant taxe",
        "montant hors taxes",
        "montant hors taxe",
        "montant ht",
        "amount",
        "amount before tax",
        "amount before taxes",
        "subtotal",
        "sub total",
        "pre tax amount",
        "net amount",
        "sous total",
        "sous total avant taxes",
    ),
    GST: ("tps", "gst", "taxe federale", "tps gst", "gst tps"),
    QST: ("tvq", "qst", "taxe provinciale", "tvq qst", "qst tvq"),
    TOTAL: (
        "total",
        "montant total",
        "total ttc",
        "total taxes incluses",
        "montant taxes incluses",
        "total tti",
        "total amount",
        "amount including taxes",
        "total incl taxes",
    ),
    CURRENCY: ("devise", "monnaie", "code de devise", "code devise", "currency", "currency code"),
    FX_RATE: ("taux de change", "taux de change reel", "taux reel", "taux", "exchange rate", "fx rate",
              "rate", "actual rate"),
    TAX_TREATMENT: ("traitement fiscal", "traitement des taxes", "tax treatment"),
    COMMITMENT: ("engagement", "no engagement", "no d engagement", "reference engagement", "bon de commande",
                 "no bon de commande", "no de bon de commande", "commitment", "commitment reference",
                 "purchase order", "po", "po no"),
}
_LOOKUP = {key: name for name, keys in SYNONYMS.items() for key in keys}
_UNIT_WORDS = {"cad", "ca", "dollars", "dollar", "usd", "en"}


def label_key(text: object) -> str:
    """A label as compared: accents, case, punctuation, spacing, units and numbers ignored.

    « N° de facture » -> "no de facture"; « TPS (5 %) » -> "tps"; « Montant ($) » -> "montant".
    """
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"\bn\s*[°º]|\bnº|#", " no ", text)
    words = [w for w in re.split(r"[^0-9a-z]+", text) if w and not w.isdigit() and w not in _UNIT_WORDS]
    if words and words[-1] == "no" and len(words) > 1:  # "Invoice #" / "Facture n°"
        words = words[:-1] if words[0] in ("invoice", "facture") else words
    return " ".join(words)


def field_of(text: object) -> str | None:
    return _LOOKUP.get(label_key(text))


@dataclass
class Header:
    """Where the header is and which column holds which field (zero-based indexes into Sheet.rows)."""

    sheet: Sheet
    row_index: int
    columns: dict[str, int]
    labels: dict[int, str] = field(default_factory=dict)  # every non-empty header cell, by column

    @property
    def has_taxes(self) -> bool:
        return GST in self.columns or QST in self.columns

    def label(self, name: str) -> str:
        return self.labels.get(self.columns.get(name, -1), name)


def _expense_header(columns: dict[str, int]) -> bool:
    return DATE in columns and (AMOUNT in columns or TOTAL in columns)


def find_header(
    sheets: Iterable[Sheet],
    scan_rows: int = 20,
    *,
    classify: Callable[[object], str | None] = field_of,
    complete: Callable[[dict[str, int]], bool] = _expense_header,
) -> Header | None:
    """The first row naming a date and an amount, in the first `scan_rows` of the first sheet having one.

    Other imports (merchants) pass their own `classify` (a header cell -> a field name or None) and
    `complete` (whether the fields found make a header row)."""
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:scan_rows]):
            columns: dict[str, int] = {}
            for col, cell in enumerate(row):
                name = classify(cell) if isinstance(cell, str) else None
                if name and name not in columns:
                    columns[name] = col
            if complete(columns):
                labels = {c: str(v).strip() for c, v in enumerate(row) if isinstance(v, str) and v.strip()}
                return Header(sheet=sheet, row_index=index, columns=columns, labels=labels)
    return None
