"""Settings-page services (no Streamlit): program settings, table editors, category mapping, budget check.

Every change is validated here (errors are SettingsError values with a code and a message in the user's
language), audited with its before/after, and bumps the data version once. The table editors share one
load / diff / validate / audit mechanism driven by a small TableSpec per table.

values.py   SettingsError, Column and the parsing of every kind of cell (shared by the two below)
program.py  the Program row's settings, recompute_eligible_cents, budget_total_check
tables.py   TableSpec, TABLES, load_table / save_table and load_<table>_table / save_<table>_table
labels.py   map_category_label (a spreadsheet label mapped to a category once)
"""

from cqic_budget.settings_service.labels import LabelMapping, map_category_label
from cqic_budget.settings_service.program import (
    LOCKED_EXPENSE_SQL,
    PROGRAM_FIELDS,
    BudgetTotalCheck,
    SettingsChange,
    budget_total_check,
    program_settings,
    recompute_eligible_cents,
    update_program_settings,
    validate_program_settings,
)
from cqic_budget.settings_service.tables import (
    TABLES,
    RowError,
    SaveResult,
    TableSpec,
    editor_options,
    load_budget_lines_table,
    load_categories_table,
    load_category_aliases_table,
    load_commitments_table,
    load_contributions_table,
    load_funders_table,
    load_indicators_table,
    load_milestones_table,
    load_table,
    save_budget_lines_table,
    save_categories_table,
    save_category_aliases_table,
    save_commitments_table,
    save_contributions_table,
    save_funders_table,
    save_indicators_table,
    save_milestones_table,
    save_table,
    table_columns,
)
from cqic_budget.settings_service.values import Column, SettingsError, choice_label, field_label

__all__ = [
    "LOCKED_EXPENSE_SQL",
    "PROGRAM_FIELDS",
    "TABLES",
    "BudgetTotalCheck",
    "Column",
    "LabelMapping",
    "RowError",
    "SaveResult",
    "SettingsChange",
    "SettingsError",
    "TableSpec",
    "budget_total_check",
    "choice_label",
    "editor_options",
    "field_label",
    "load_budget_lines_table",
    "load_categories_table",
    "load_category_aliases_table",
    "load_commitments_table",
    "load_contributions_table",
    "load_funders_table",
    "load_indicators_table",
    "load_milestones_table",
    "load_table",
    "map_category_label",
    "program_settings",
    "recompute_eligible_cents",
    "save_budget_lines_table",
    "save_categories_table",
    "save_category_aliases_table",
    "save_commitments_table",
    "save_contributions_table",
    "save_funders_table",
    "save_indicators_table",
    "save_milestones_table",
    "save_table",
    "table_columns",
    "update_program_settings",
    "validate_program_settings",
]
