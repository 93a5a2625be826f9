"""The funding cycle (SPEC §9): fiscal-year closes, claims and their packet."""

STRINGS = {
    "access.action.close_year": ("clore ou rouvrir un exercice", "close or reopen a fiscal year"),
    "access.action.claims": ("gérer les réclamations", "manage claims"),
    # Refusals.
    "funding.error.unknown-year": (
        "L'exercice « {label} » n'est pas un exercice du programme.",
        "“{label}” is not a fiscal year of the program.",
    ),
    "funding.error.year-not-ended": (
        "L'exercice {label} n'est pas terminé (fin : {end}) : il ne peut pas encore être clos.",
        "Fiscal year {label} has not ended (end: {end}): it cannot be closed yet.",
    ),
    "funding.error.already-closed": (
        "L'exercice {label} est déjà clos.", "Fiscal year {label} is already closed.",
    ),
    "funding.error.not-closed": ("L'exercice {label} n'est pas clos.", "Fiscal year {label} is not closed."),
    "funding.error.reason-required": (
        "Indiquez la raison de la réouverture.", "Give the reason for reopening.",
    ),
    "funding.error.reason-too-long": (
        "La raison dépasse {limit} caractères.", "The reason is longer than {limit} characters.",
    ),
    "funding.error.closed-period": (
        "Refusé : {lock}. Rien n'a été modifié.", "Refused: {lock}. Nothing was changed.",
    ),
    "funding.error.store-busy": (
        "La base est occupée ou a changé entre-temps : réessayez.",
        "The store is busy or changed meanwhile: try again.",
    ),
    "funding.locked.closed-year": ("l'exercice {label} est clos", "fiscal year {label} is closed"),
    "funding.locked.claim": (
        "la période de la réclamation {label} est soumise", "the period of claim {label} is submitted",
    ),
    # Import rows and settings editors.
    "import.row.closed-period": (
        "La date {date} tombe dans une période close ({lock}) : la ligne n'est pas importée.",
        "The date {date} falls in a closed period ({lock}): the row is not imported.",
    ),
    "import.undo.closed-period": (
        "Le lot {batch_id} ne peut pas être annulé : {count} dépense(s) sont dans une période close "
        "({lock}).",
        "Batch {batch_id} cannot be undone: {count} expense(s) are in a closed period ({lock}).",
    ),
    "settings.error.closed-period": (
        "« {value} » : {lock} ; rien de daté dans cette période ne peut être créé, modifié ni supprimé.",
        "“{value}”: {lock}; nothing dated in that period can be created, changed or removed.",
    ),
    # Verify.
    "funding.verify.matches": (
        "Exercice {label} : l'état des dépenses recalculé correspond à celui de la clôture "
        "(SHA-256 {sha}).",
        "Fiscal year {label}: the statement recomputed from the store matches the one closed "
        "(SHA-256 {sha}).",
    ),
    "funding.verify.differs": (
        "Exercice {label} : l'état des dépenses a changé depuis la clôture. Tel que clos : {closed} ; "
        "maintenant : {now} ; écart : {difference} ({added} dépense(s) ajoutée(s), {removed} retirée(s), "
        "{changed} modifiée(s)).",
        "Fiscal year {label}: the statement has changed since the close. As closed: {closed}; now: {now}; "
        "difference: {difference} ({added} expense(s) added, {removed} removed, {changed} changed).",
    ),
    "funding.close.done": (
        "Exercice {label} clos ; SHA-256 de l'état des dépenses : {sha}.",
        "Fiscal year {label} closed; SHA-256 of the statement: {sha}.",
    ),
    "funding.reopen.done": (
        "Exercice {label} rouvert : {reason}", "Fiscal year {label} reopened: {reason}",
    ),
    "funding.restated": (
        "Exercice {label} rouvert et retraité : tel que clos {closed}, maintenant {now} "
        "(écart {difference}).",
        "Fiscal year {label} reopened and restated: as closed {closed}, now {now} "
        "(difference {difference}).",
    ),
    "funding.restated_title": ("Exercice {label} : retraitement", "Fiscal year {label}: restatement"),
    # Settings page: fiscal-year closes.
    "closing_page.tab": ("Clôture des exercices", "Fiscal-year close"),
    "closing_page.intro": (
        "Clore un exercice terminé enregistre son état des dépenses et son empreinte SHA-256 : plus rien de "
        "daté dans l'exercice ne peut être créé, modifié ni supprimé. Vérifier recalcule l'état depuis la "
        "base ; rouvrir demande une raison et est consigné au journal.",
        "Closing an ended fiscal year stores its statement of expenses and its SHA-256: nothing dated in "
        "the year can then be created, changed or removed. Verify recomputes the statement from the store; "
        "reopening needs a reason and is audited.",
    ),
    "closing_page.col.year": ("Exercice", "Fiscal year"),
    "closing_page.col.state": ("État", "State"),
    "closing_page.col.by": ("Clos par", "Closed by"),
    "closing_page.col.at": ("Clos le", "Closed on"),
    "closing_page.col.sha": ("SHA-256 de l'état", "Statement SHA-256"),
    "closing_page.col.reason": ("Raison de la réouverture", "Reason for reopening"),
    "closing_page.state.closed": ("clos", "closed"),
    "closing_page.state.reopened": ("rouvert", "reopened"),
    "closing_page.state.open": ("ouvert", "open"),
    "closing_page.year": ("Exercice", "Fiscal year"),
    "closing_page.close": ("Clore l'exercice", "Close the year"),
    "closing_page.verify": ("Vérifier l'état", "Verify the statement"),
    "closing_page.reason": ("Raison de la réouverture", "Reason for reopening"),
    "closing_page.reopen": ("Rouvrir l'exercice", "Reopen the year"),
}
