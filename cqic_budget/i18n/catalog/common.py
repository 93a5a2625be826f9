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
}
