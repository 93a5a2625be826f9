"""Strings shared by every page: the app, the sidebar, generic words."""

STRINGS = {
    "app.title": ("Budget et impact du programme", "Program budget and impact"),
    "sidebar.language": ("Langue", "Language"),
    "sidebar.as_of": ("En date du", "As of"),
    "local_mode_banner": (
        "Mode local mono-utilisateur (127.0.0.1) : aucun fournisseur d'identité n'est configuré.",
        "Local single-user mode (127.0.0.1): no identity provider is configured.",
    ),
    "status.ok": ("conforme", "ok"),
    "status.watch": ("à surveiller", "watch"),
    "status.breach": ("non conforme", "breach"),
    "demo.conflict": (
        "Le programme contient déjà ses propres données : les données de démonstration ne sont chargées "
        "que dans un programme vide.",
        "The program already holds data of its own: the demo data loads only into an empty program.",
    ),
}
