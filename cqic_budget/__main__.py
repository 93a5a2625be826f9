"""python -m cqic_budget"""

import sys

from cqic_budget.cli import main

sys.exit(main())
