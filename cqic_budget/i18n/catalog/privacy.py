"""Strings of personal-information protection: redacted text, merged small groups, the group-size setting."""

STRINGS = {
    "privacy.redacted": ("[masqué]", "[hidden]"),
    "privacy.other_groups": ("Autres (groupes < {size})", "Other (groups < {size})"),
    "settings.field.min_group_size": (
        "Taille minimale d'un groupe montré aux bailleurs (commerçants)",
        "Smallest group shown to funders (merchants)",
    ),
    "settings_page.section.privacy": ("Renseignements personnels", "Personal information"),
}
