"""What the frame adds to every page for its readers (WCAG 2.1 AA): the page's language on <html>, a
title per page and language, a local page icon, a visible keyboard focus, icons hidden from screen
readers, and Streamlit's own English words in French on French pages.

Streamlit has no setting for the document's language, for the words of its own widgets (uploader,
calendar, data grid toolbar) or for aria-hidden on its Material icons; one small script, sent once per
run of the frame, keeps them right through reruns and navigation with a MutationObserver.

The title, CSS and script as text, built without Streamlit; cqic_budget/ui/frame.py sends them."""

from __future__ import annotations

import json

from cqic_budget.i18n import normalise_lang

APP_NAME = "CQIC"


# Streamlit's own words (its widgets' text, labels read by screen readers, placeholders) → French.
# Exact texts, then patterns; applied on French pages only, English pages keep Streamlit's text.
STREAMLIT_FR = {
    "Drag and drop file here": "Glissez-déposez le fichier ici",
    "Drag and drop files here": "Glissez-déposez les fichiers ici",
    "Browse files": "Parcourir",
    "Use arrow keys to navigate dates. Enter to select. Escape to close.":
        "Flèches pour changer de date, Entrée pour choisir, Échap pour fermer.",
    "Calendar": "Calendrier",
    "Previous": "Précédent",
    "Next": "Suivant",
    "Today": "Aujourd'hui",
    "year": "année", "month": "mois", "day": "jour",
    # A date field's empty segments.
    "yyyy": "aaaa", "dd": "jj",
    "Empty": "Vide",
    "file upload": "Téléverser un fichier",
    "Upload": "Téléverser",
    "Skip to main content": "Aller au contenu principal",
    "Choose date": "Choisir une date",
    "Choose a date": "Choisir une date",
    "Show/hide columns": "Afficher ou masquer les colonnes",
    "Download as CSV": "Télécharger en CSV",
    "Search": "Rechercher",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Add row": "Ajouter une ligne",
    "Delete row": "Supprimer la ligne",
    "Delete rows": "Supprimer les lignes",
    "Press Enter to apply": "Appuyez sur Entrée pour appliquer",
    "Press Enter to submit form": "Appuyez sur Entrée pour envoyer",
    "Press ⌘+Enter to apply": "Appuyez sur ⌘+Entrée pour appliquer",
    "Press Ctrl+Enter to apply": "Appuyez sur Ctrl+Entrée pour appliquer",
    "Clear all": "Tout effacer",
    "Clear value": "Effacer",
    "Clear": "Effacer",
    "Remove file": "Retirer le fichier",
    "Delete": "Supprimer",
    "Previous month": "Mois précédent",
    "Next month": "Mois suivant",
    "Previous page": "Page précédente",
    "Next page": "Page suivante",
    "No results": "Aucun résultat",
    "No options to select.": "Aucun choix.",
    "Copied to clipboard": "Copié",
    "Show password text": "Afficher le mot de passe",
    "Hide password text": "Masquer le mot de passe",
    "Increment": "Augmenter",
    "Decrement": "Diminuer",
    "Open help": "Aide",
    "Running...": "Calcul en cours…",
    "Stop": "Arrêter",
    "Main menu": "Menu principal",
    "Collapse sidebar": "Replier le panneau",
    "Expand sidebar": "Déplier le panneau",
    "Select a date.": "Choisissez une date.",
    "Select a month.": "Choisissez un mois.",
    "Select a year.": "Choisissez une année.",
    "YYYY/MM/DD": "AAAA-MM-JJ",
    "YYYY-MM-DD": "AAAA-MM-JJ",
    "yyyy/MM/dd": "AAAA-MM-JJ",
    "yyyy-MM-dd": "AAAA-MM-JJ",
    "January": "janvier", "February": "février", "March": "mars", "April": "avril", "May": "mai",
    "June": "juin", "July": "juillet", "August": "août", "September": "septembre",
    "October": "octobre", "November": "novembre", "December": "décembre",
    "Sunday": "dimanche", "Monday": "lundi", "Tuesday": "mardi", "Wednesday": "mercredi",
    "Thursday": "jeudi", "Friday": "vendredi", "Saturday": "samedi",
}
# (regular expression, replacement) over a whole text; month and day names inside are translated after.
STREAMLIT_FR_PATTERNS = (
    (r"^Limit (\d+)\s?MB per file(.*)$", "Limite de $1 Mo par fichier$2"),
    (r"^(\d+)\s?MB per file(.*)$", "$1 Mo par fichier$2"),
    (r"^(\d+)\.(\d+)\s?KB$", "$1,$2 ko"),
    (r"^(\d+)\s?KB$", "$1 ko"),
    (r"^(\d+)\.(\d+)\s?MB$", "$1,$2 Mo"),
    (r"^(\d+)\s?MB$", "$1 Mo"),
    (r"^(\d+)\s?B$", "$1 o"),
    (r"^Choose (.+)$", "Choisir $1"),
    (r"^Help for (.+)$", "Aide : $1"),
    # A table's toolbar, named after the table: «Show/hide columns: Bailleurs de fonds».
    (r"^Show/hide columns: (.+)$", "Afficher ou masquer les colonnes : $1"),
    (r"^Download as CSV: (.+)$", "Télécharger en CSV : $1"),
    (r"^Search: (.+)$", "Rechercher : $1"),
    (r"^Fullscreen: (.+)$", "Plein écran : $1"),
    (r"^Close fullscreen: (.+)$", "Quitter le plein écran : $1"),
    (r"^Add row: (.+)$", "Ajouter une ligne : $1"),
    (r"^Delete rows?: (.+)$", "Supprimer les lignes : $1"),
    (r"^year, (.+)$", "année, $1"),
    (r"^month, (.+)$", "mois, $1"),
    (r"^day, (.+)$", "jour, $1"),
    # A month segment's value read aloud: «10 – October» → «10 – octobre».
    (r"^(\d{1,2}) – ([A-Z][a-z]+)$", "$1 – $2"),
    (r"^(January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})$",
     "$1 $2"),
    (r"^Selected (.+)\. (.+)$", "Choisi : $1. $2"),
    (r"^Selected start date (.+)$", "Date choisie : $1"),
    (r"^(?:Not available|Unavailable)\. (.+)$", "Hors période. $1"),
    (r"^(\d+) rows?, (\d+) columns?$", "$1 lignes, $2 colonnes"),
)
# The calendar's one-letter weekday headings (S M T W T F S), Sunday first, by position.
WEEKDAY_LETTERS_FR = ("D", "L", "M", "M", "J", "V", "S")


_SCRIPT = """
<script>
(() => {
  const w = window;
  w.__cqicFrame = CONFIG;
  const translate = (text) => {
    const c = w.__cqicFrame;
    if (c.lang !== "fr" || !text) return text;
    const core = text.trim();
    if (!core) return text;
    if (Object.prototype.hasOwnProperty.call(c.words, core)) return text.replace(core, c.words[core]);
    for (const [pattern, replacement] of c.patterns) {
      const re = new RegExp(pattern);
      if (re.test(core)) {
        let out = core.replace(re, replacement);
        for (const [en, fr] of Object.entries(c.words)) {
          if (/^[A-Z][a-z]+$/.test(en)) out = out.replace(new RegExp("\\\\b" + en + "\\\\b", "g"), fr);
        }
        return text.replace(core, out);
      }
    }
    return text;
  };
  // aria-valuetext: a date segment's value read aloud («10 – October», in the browser's language).
  const ATTRIBUTES = ["aria-label", "aria-valuetext", "placeholder", "title"];
  // The app's own text (Markdown, charts) is never rewritten: only Streamlit's chrome is.
  const SKIP = "script, style, .js-plotly-plot, [data-testid='stMarkdownContainer'], .cqic-table";
  const CHROME = "[data-testid='stFileUploaderDropzone'], [data-testid='stFileUploaderFile'], "
    + "[data-testid='stElementToolbar'], [data-testid='stTooltipContent']";
  const apply = () => {
    const c = w.__cqicFrame;
    const root = document.documentElement;
    if (root.getAttribute("lang") !== c.lang) root.setAttribute("lang", c.lang);
    if (c.title && document.title !== c.title) document.title = c.title;
    // Material icons are ligatures: without aria-hidden a screen reader reads "check_circle".
    document.querySelectorAll('[data-testid="stIconMaterial"]:not([aria-hidden]), '
      + '.material-symbols-rounded:not([aria-hidden])')
      .forEach((icon) => icon.setAttribute("aria-hidden", "true"));
    // A chart's picture is drawn for the eye; its text alternative is the table under it.
    document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg:not([aria-hidden])')
      .forEach((svg) => svg.setAttribute("aria-hidden", "true"));
    if (c.lang !== "fr") return;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || (parent.closest(SKIP) && !parent.closest(CHROME))) continue;
      const out = translate(node.nodeValue);
      if (out !== node.nodeValue) node.nodeValue = out;
    }
    document.querySelectorAll("[aria-label], [aria-valuetext], [placeholder], [title]").forEach((el) => {
      for (const name of ATTRIBUTES) {
        const value = el.getAttribute(name);
        if (value) {
          const out = translate(value);
          if (out !== value) el.setAttribute(name, out);
        }
      }
    });
    // The calendar's weekday letters (S M T W T F S, Sunday first): by position, one letter each.
    document.querySelectorAll('[role="grid"] thead tr').forEach((row) => {
      const cells = [...row.children];
      if (cells.length !== 7) return;
      cells.forEach((cell, index) => {
        const letter = c.weekdays[index];
        const target = cell.querySelector("span, abbr") || cell;
        if (target.textContent.length === 1 && target.textContent !== letter) target.textContent = letter;
      });
    });
    // After Enter in a date field: when the run it started redraws the field (a first run on a cold server
    // does), the focus fell to the page; it goes back to the same segment of the new field.
    const back = w.__cqicFocusBack;
    if (back && !back.segment.isConnected) {
      const focused = document.activeElement;
      if (performance.now() > back.until || (focused && focused !== document.body)) {
        w.__cqicFocusBack = null;
      } else {
        const again = [...document.querySelectorAll(back.selector)]
          .find((el) => el.getAttribute("aria-label") === back.label);
        if (again) {
          w.__cqicFocusBack = null;
          again.focus({preventScroll: true});
        }
      }
    }
  };
  if (!w.__cqicObserver) {
    let pending = false;
    const schedule = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; apply(); });
    };
    w.__cqicObserver = new MutationObserver(schedule);
    w.__cqicObserver.observe(document.documentElement, {
      subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ["lang", ...ATTRIBUTES],
    });
    // Enter in a date field applies it. Streamlit's date input commits only when the focus moves to an
    // element outside the widget (a bare blur() does not), so the focus goes to the main area and, once
    // the value is committed, back to the segment the reader was typing in.
    document.addEventListener("keydown", (event) => {
      const segment = event.target;
      if (event.key !== "Enter" || !(segment instanceof HTMLElement)
          || !segment.closest('[data-testid="stDateInputField"]')) return;
      const main = document.querySelector('[data-testid="stMain"]');
      if (!main) return;
      event.preventDefault();
      event.stopPropagation();
      if (!main.hasAttribute("tabindex")) main.setAttribute("tabindex", "-1");
      main.focus({preventScroll: true});
      requestAnimationFrame(() => { if (segment.isConnected) segment.focus({preventScroll: true}); });
      w.__cqicFocusBack = {
        segment, label: segment.getAttribute("aria-label"), until: performance.now() + 20000,
        selector: '[data-testid="stDateInputField"] [role="spinbutton"]',
      };
    }, true);
  }
  apply();
})();
</script>
"""


def page_title(page: str) -> str:
    """The browser tab's title: «Cofinancement — CQIC»."""
    return f"{page} — {APP_NAME}"


def frame_script(lang: str, title: str) -> str:
    config = {
        "lang": normalise_lang(lang),
        "title": title,
        "words": STREAMLIT_FR,
        "patterns": [list(p) for p in STREAMLIT_FR_PATTERNS],
        "weekdays": list(WEEKDAY_LETTERS_FR),
    }
    # JSON inside <script>: no "</" may close the element early.
    return _SCRIPT.replace("CONFIG", json.dumps(config, ensure_ascii=False).replace("</", "<\\/"))
