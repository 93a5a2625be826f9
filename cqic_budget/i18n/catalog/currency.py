"""Strings of foreign currencies, exchange rates and ambiguous amounts (SPEC §4, §10)."""

STRINGS = {
    "rates.done": (
        "Taux enregistrés : {inserted} {inserted|nouveau|nouveaux}, {updated} {updated|corrigé|corrigés}, "
        "{unchanged} {unchanged|inchangé|inchangés} ({currencies}).",
        "Rates stored: {inserted} new, {updated} corrected, {unchanged} unchanged ({currencies}).",
    ),
    "rates.error.too-large": (
        "Fichier de taux trop volumineux (plus de {limit_mb} Mo).",
        "Rates file too large (over {limit_mb} MB).",
    ),
    "rates.error.not-valet": (
        "Ce n'est pas un fichier d'observations Valet de la Banque du Canada (CSV ou JSON).",
        "This is not a Bank of Canada Valet observations file (CSV or JSON).",
    ),
    "rates.error.unknown-series": (
        "Série « {series} » non reconnue : seules les séries FX<DEVISE>CAD (ex. FXEURCAD) sont acceptées.",
        "Series « {series} » not recognised: only FX<CURRENCY>CAD series (e.g. FXEURCAD) are accepted.",
    ),
    "rates.error.invalid-rate": (
        "Taux illisible « {value} » (ligne {where}) : rien n'a été enregistré.",
        "Unreadable rate « {value} » (line {where}): nothing was stored.",
    ),
    "rates.error.invalid-date": (
        "Date illisible « {value} » ({where}) : rien n'a été enregistré.",
        "Unreadable date « {value} » ({where}): nothing was stored.",
    ),
    "rates.error.fetch-failed": (
        "La Banque du Canada n'a pas répondu ({reason}). Réessayez, ou importez un fichier de taux.",
        "The Bank of Canada did not answer ({reason}). Try again, or import a rates file.",
    ),
    "rates.error.bad-url": (
        "Adresse du service Valet invalide : http ou https seulement.",
        "Invalid Valet service address: http or https only.",
    ),
    "rates.error.busy": (
        "Un autre import de taux était en cours : rien n'a été enregistré. Réessayez.",
        "Another rates import was under way: nothing was stored. Please retry.",
    ),
    "rates.error.empty": (
        "Aucun taux dans ce fichier ou cette réponse pour la période demandée.",
        "No rate in this file or answer for the period asked.",
    ),
    # Import row codes (SPEC §4).
    "import.row.missing-rate": (
        "Aucun taux {currency}→CAD connu pour le {date} (ni le jour ouvrable précédent) : la ligne n'est pas "
        "convertie. Importez les taux (« rates import ») ou donnez le taux réel dans une colonne Taux.",
        "No {currency}→CAD rate known for {date} (nor the previous business day): the row is not converted. "
        "Import the rates (« rates import ») or give the actual rate in a Rate column.",
    ),
    "import.row.unknown-currency": (
        "Devise « {currency} » non acceptée par le programme (acceptées : {accepted}).",
        "Currency « {currency} » not accepted by the program (accepted: {accepted}).",
    ),
    "import.row.invalid-rate": (
        "Taux de change illisible ou nul « {value} » ({cell}).",
        "Unreadable or zero exchange rate « {value} » ({cell}).",
    ),
    "import.row.invalid-tax-treatment": (
        "Traitement fiscal « {value} » inconnu ({cell}) : qc, étrangère (foreign) ou aucune (none).",
        "Unknown tax treatment « {value} » ({cell}): qc, foreign or none.",
    ),
    "import.more.ambiguous-amount": (
        "… et {count} autres montants ambigus (tous dans le classeur des lignes à corriger et la sortie "
        "JSON).",
        "… and {count} more ambiguous amounts (all in the rows-to-fix workbook and the JSON output).",
    ),
    "import.row.ambiguous-amount": (
        "Montant ambigu « {value} » ({cell}) : lu {read} selon la convention dominante de la feuille. "
        "Vérifiez.",
        "Ambiguous amount « {value} » ({cell}): read as {read} after the sheet's dominant convention. "
        "Please check.",
    ),
    "currency.treatment.qc": ("TPS/TVQ (Québec)", "GST/QST (Québec)"),
    "currency.treatment.foreign": ("taxe étrangère (non récupérable)", "foreign tax (not recoverable)"),
    "currency.treatment.none": ("aucune taxe", "no tax"),
    "currency.source.actual": ("taux réel de la dépense", "the expense's actual rate"),
    "currency.written": (
        "{amount} au taux de {rate} ({source})",
        "{amount} at {rate} ({source})",
    ),
    "currency.summary": (
        "Dépenses en devises à ce jour : {count} ({written}), {cad} une fois converties. Écart de change "
        "(taux réels payés par rapport au taux de la Banque du Canada du jour) : {difference}.",
        "Foreign-currency expenses to date: {count} ({written}), {cad} once converted. Exchange difference "
        "(actual rates paid against the Bank of Canada rate of the day): {difference}.",
    ),
    "currency.written_difference": ("{written} ; {difference}", "{written}; {difference}"),
    "currency.loss": ("perte de {amount}", "a loss of {amount}"),
    "currency.gain": ("gain de {amount}", "a gain of {amount}"),
    "currency.none": ("aucun", "none"),
    "drill.col.written": ("Montant en devise", "Amount in currency"),
}
