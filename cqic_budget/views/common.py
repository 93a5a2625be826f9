"""What several pages' views share: a KPI ready to show (Kpi) and a program as the frame lists it
(ProgramChoice)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cqic_budget import i18n


@dataclass(frozen=True)
class ProgramChoice:
    """What the frame needs to know about a program: its code, names and period."""

    code: str
    name_fr: str
    name_en: str
    start: date
    end: date

    def name(self, lang: str) -> str:
        return self.name_en if i18n.normalise_lang(lang) == "en" else self.name_fr


@dataclass(frozen=True)
class Kpi:
    """A figure ready to show: label, formatted value and an optional line under it (a share, a cap, a
    target), muted unless a check's status gives it a tone."""

    label: str
    value: str
    note: str | None = None
    help: str | None = None
    status: str | None = None  # ok, watch, breach
