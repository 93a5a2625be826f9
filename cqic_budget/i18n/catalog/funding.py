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
        "Le lot {batch_id} ne peut pas être annulé : {count} {count|dépense est|dépenses sont} dans une "
        "période close ({lock}).",
        "Batch {batch_id} cannot be undone: {count} {count|expense is|expenses are} in a closed period "
        "({lock}).",
    ),
    "import.undo.claimed": (
        "Le lot {batch_id} ne peut pas être annulé : {count} de ses dépenses {count|est|sont} dans une "
        "réclamation soumise.",
        "Batch {batch_id} cannot be undone: {count} of its expenses {count|is|are} in a submitted claim.",
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
        "maintenant : {now} ; écart : {difference} ({added} {added|dépense ajoutée|dépenses ajoutées}, "
        "{removed} {removed|retirée|retirées}, {changed} {changed|modifiée|modifiées}).",
        "Fiscal year {label}: the statement has changed since the close. As closed: {closed}; now: {now}; "
        "difference: {difference} ({added} {added|expense|expenses} added, {removed} removed, "
        "{changed} changed).",
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
    # Claims.
    "funding.error.closed-year": (
        "Refusé : l'exercice {label} est clos. Rien n'a été modifié.",
        "Refused: fiscal year {label} is closed. Nothing was changed.",
    ),
    "funding.error.no-quebec-funder": (
        "Le programme n'a pas de bailleur de fonds Québec.", "The program has no Québec funder.",
    ),
    "funding.error.unknown-claim": ("Aucune réclamation no {number}.", "No claim number {number}."),
    "funding.error.period-reversed": (
        "La période se termine ({end}) avant de commencer ({start}).",
        "The period ends ({end}) before it starts ({start}).",
    ),
    "funding.error.period-outside": (
        "La période doit être comprise dans celle du programme ({start} au {end}).",
        "The period must lie within the program's ({start} to {end}).",
    ),
    "funding.error.across-fiscal-years": (
        "Une réclamation ne peut pas chevaucher deux exercices : terminez-la au plus tard le {end}.",
        "A claim cannot span two fiscal years: end it on {end} at the latest.",
    ),
    "funding.error.final-exists": (
        "Une réclamation finale existe déjà.", "A final claim already exists.",
    ),
    "funding.error.nothing-to-claim": (
        "Aucune dépense admissible non réclamée du {start} au {end}.",
        "No unclaimed eligible expense from {start} to {end}.",
    ),
    "funding.error.wrong-status": (
        "La réclamation {number} est à l'état « {status} » ; il faut « {expected} ».",
        "Claim {number} is “{status}”; it must be “{expected}”.",
    ),
    "funding.error.approved-out-of-range": (
        "Le montant approuvé doit être entre 0 et le montant réclamé ({claimed}).",
        "The approved amount must be between 0 and the amount claimed ({claimed}).",
    ),
    "funding.error.note-required": (
        "Une note est requise (montant approuvé différent du montant réclamé, ou refus).",
        "A note is required (an approved amount other than the claimed one, or a refusal).",
    ),
    "funding.error.note-too-long": (
        "La note dépasse {limit} caractères.", "The note is longer than {limit} characters.",
    ),
    "funding.error.paid-out-of-range": (
        "Le paiement doit être positif et au plus le solde dû ({due}).",
        "The payment must be positive and at most the balance due ({due}).",
    ),
    "funding.error.invalid-amount": ("Montant illisible : « {value} ».", "Unreadable amount: “{value}”."),
    "claims.status.draft": ("brouillon", "draft"),
    "claims.status.submitted": ("soumise", "submitted"),
    "claims.status.approved": ("approuvée", "approved"),
    "claims.status.paid": ("payée", "paid"),
    "claims.status.refused": ("refusée", "refused"),
    "claims.step.period": (
        "Dépenses admissibles de la période : E = {spent} ; {rate} × E = {rate_of} (au cent inférieur).",
        "Eligible spending of the period: E = {spent}; {rate} × E = {rate_of} (rounded down to the cent).",
    ),
    "claims.step.entitlement": (
        "Droit de Québec sur les périodes réclamées ({claimed_spent}) : min(taux × E, engagement de "
        "{commitment}) = {entitlement}.",
        "Québec's entitlement on the periods claimed ({claimed_spent}): min(rate × E, commitment of "
        "{commitment}) = {entitlement}.",
    ),
    "claims.step.holdback": (
        "Plafond avant le rapport final, net de la retenue de {holdback} : {cap}.",
        "Cap before the final report, net of the {holdback} holdback: {cap}.",
    ),
    "claims.step.final": (
        "Réclamation finale : la retenue est libérée, plafond = l'engagement ({cap}).",
        "Final claim: the holdback is released, cap = the commitment ({cap}).",
    ),
    "claims.step.remaining": (
        "Déjà détenu par les réclamations précédentes : {held} ; reste du droit : {remaining}.",
        "Already held by earlier claims: {held}; entitlement remaining: {remaining}.",
    ),
    "claims.step.amount": (
        "Montant réclamé = min(taux × E de la période, reste du droit) = {amount}.",
        "Amount claimed = min(rate × E of the period, entitlement remaining) = {amount}.",
    ),
    "claims.done.new": (
        "Réclamation {number} créée (brouillon) : {amount} pour le {start} au {end}.",
        "Claim {number} created (draft): {amount} for {start} to {end}.",
    ),
    "claims.done.status": ("Réclamation {number} : {status}.", "Claim {number}: {status}."),
    # Co-financing page: the claims ledger and the next claim.
    "cofin.kpi.claimable_none": ("rien à réclamer pour l'instant", "nothing to claim for now"),
    "cofin.kpi.claimable_period": ("du {start} au {end}", "{start} to {end}"),
    "cofin.kpi.claimable_next_help": (
        "Le montant de la prochaine réclamation : min(taux × dépenses admissibles non réclamées, reste du "
        "droit net de la retenue). Droit de Québec à ce jour : {entitlement}.",
        "The next claim's amount: min(rate × unclaimed eligible spending, entitlement remaining net of the "
        "holdback). Québec's entitlement to date: {entitlement}.",
    ),
    "cofin.ledger.title": ("Réclamations à Québec", "Claims to Québec"),
    "cofin.ledger.caption": (
        "Réclamé {claimed} · approuvé {approved} · payé {paid} · reste dû {due}. Un paiement plus de {term} "
        "jours après l'approbation est en retard.",
        "Claimed {claimed} · approved {approved} · paid {paid} · still due {due}. A payment more than {term} "
        "days after the approval is late.",
    ),
    "cofin.ledger.col.number": ("No", "No."),
    "cofin.ledger.col.period": ("Période", "Period"),
    "cofin.ledger.col.status": ("État", "Status"),
    "cofin.ledger.col.claimed": ("Réclamé", "Claimed"),
    "cofin.ledger.col.approved": ("Approuvé", "Approved"),
    "cofin.ledger.col.paid": ("Payé", "Paid"),
    "cofin.ledger.col.due": ("Reste dû", "Still due"),
    "cofin.ledger.col.payment": ("Paiement", "Payment"),
    "cofin.ledger.col.note": ("Note", "Note"),
    "cofin.ledger.unpaid": ("en attente", "pending"),
    "cofin.ledger.unpaid_late": ("en attente, en retard", "pending, late"),
    "cofin.ledger.paid_on": ("reçu le {date} ({days} j)", "received {date} ({days} d)"),
    "cofin.ledger.paid_late": ("reçu le {date}, en retard ({days} j)", "received {date}, late ({days} d)"),
    "cofin.next.title": ("Prochaine réclamation", "Next claim"),
    "cofin.next.period": (
        "Période : {start} → {end} "
        "({count} {count|dépense admissible non réclamée|dépenses admissibles non réclamées}).",
        "Period: {start} → {end} ({count} unclaimed eligible {count|expense|expenses}).",
    ),
    "cofin.packet.label": ("Dossier de la réclamation", "Claim packet"),
    "cofin.packet.choose": ("Réclamation", "Claim"),
    "cofin.packet.download": ("Télécharger le dossier (.zip)", "Download the packet (.zip)"),
    # The claim packet (état des dépenses).
    "packet.title": ("État des dépenses — réclamation {number}", "Statement of expenses — claim {number}"),
    "packet.period": ("Période du {start} au {end}", "Period from {start} to {end}"),
    "packet.period_label": ("Période", "Period"),
    "packet.fiscal_year": ("Exercice", "Fiscal year"),
    "packet.status": ("État", "Status"),
    "packet.expenses": ("Dépenses", "Expenses"),
    "packet.eligible": ("Dépenses admissibles (E)", "Eligible spending (E)"),
    "packet.claimed": ("Montant réclamé", "Amount claimed"),
    "packet.computation": ("Calcul du montant réclamé", "Computation of the amount claimed"),
    "packet.by_category": ("Totaux par catégorie", "Totals by category"),
    "packet.lines": ("Lignes de dépenses", "Expense lines"),
    "packet.total": ("Total", "Total"),
    "packet.col.date": ("Date", "Date"),
    "packet.col.vendor": ("Fournisseur", "Vendor"),
    "packet.col.description": ("Description", "Description"),
    "packet.col.invoice": ("Facture", "Invoice"),
    "packet.col.category": ("Catégorie", "Category"),
    "packet.col.amount": ("Montant avant taxes", "Amount before tax"),
    "packet.col.gst": ("TPS", "GST"),
    "packet.col.qst": ("TVQ", "QST"),
    "packet.col.total": ("Total", "Total"),
    "packet.col.eligible": ("Coût admissible", "Eligible cost"),
    "packet.col.file": ("Fichier d'origine", "File of origin"),
    "packet.col.row": ("Ligne", "Row"),
    "packet.col.origin": ("Origine", "Origin"),
    "packet.lines_note": (
        "Catégories en français (libellés anglais au tableau des totaux) ; origine : fichier importé et "
        "ligne, « — » pour une saisie sans fichier.",
        "Categories in French (English labels in the totals table); origin: imported file and row, « — » "
        "for an entry without a file.",
    ),
    "packet.col.expenses": ("Dépenses", "Expenses"),
    "packet.done": (
        "Dossier de la réclamation {number} écrit dans {out}.", "Claim {number} packet written to {out}.",
    ),
    # The audit page's words for the funding cycle's events.
    "audit_page.action.fiscal_year.close": ("Exercice clos", "Fiscal year closed"),
    "audit_page.action.fiscal_year.reopen": ("Exercice rouvert", "Fiscal year reopened"),
    "audit_page.action.claim.create": ("Réclamation créée", "Claim created"),
    "audit_page.action.claim.submit": ("Réclamation soumise", "Claim submitted"),
    "audit_page.action.claim.approve": ("Réclamation approuvée", "Claim approved"),
    "audit_page.action.claim.pay": ("Paiement de réclamation reçu", "Claim payment received"),
    "audit_page.action.claim.refuse": ("Réclamation refusée", "Claim refused"),
    "audit_page.entity.fiscalyearclose": ("Clôture d'exercice", "Fiscal-year close"),
    "audit_page.entity.claim": ("Réclamation", "Claim"),
}
