"""The deterministic demo data set: the CQIC program's first 19 months (2025-04-01 to 2026-10-31).

Budget lines, milestones (MEIE's claim payments tied to some), contributions, about 2 600 expenses,
150 merchants and their impact measurements. Everything comes from seeded `random.Random` instances
(one per part, so that tuning one part leaves the others unchanged) and fixed tables: two loads give
the same store, on SQLite as on PostgreSQL. Nothing reads the clock.

MEIE pays claims (SPEC §9): four claims for past periods, one approved for less than claimed, one paid
late, the last still due on 2026-10-31; 2025-2026 is closed. Partners are in line, public aid stays under
the stacking cap (inside 2025-2026 Laval's 100 000 $ paid up front is a timing "watch") and
administration under 10 %; two budget lines of 2025-2026 ran beyond their line plus the tolerance.

tables.py     the fixed tables (period, seed, budget, milestones, claims, contributions, names, vendors)
draws.py      the seeded draws (one random.Random per part)
expenses.py   the expenses, drawn part by part, collected for one insert
merchants.py  the merchants and their impact measurements
loader.py     load_demo: everything in one transaction, through the services
"""

from cqic_budget.demo.loader import DemoConflict, demo_present, load_demo
from cqic_budget.demo.tables import DEMO_ACTION, DEMO_END, DEMO_START

__all__ = ["DEMO_ACTION", "DEMO_END", "DEMO_START", "DemoConflict", "demo_present", "load_demo"]
