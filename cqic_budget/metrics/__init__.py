"""Metrics: SPEC §3 rules as pure functions over ProgramFacts (facts.py does all the SQL).

burn.py (pace, plan, forecast, fiscal years), cofinancing.py (checks, funders), milestones.py,
impact.py (merchants and indicators), summary.py (`summary --json`).
Metrics only read; a change of the tax recovery rate is recomputed by
settings_service.recompute_eligible_cents (one SQL UPDATE).
"""

