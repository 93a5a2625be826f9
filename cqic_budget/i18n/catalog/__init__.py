"""String catalogues, one module per area (see cqic_budget.i18n)."""
