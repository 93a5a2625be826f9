"""The layers keep to their side: Streamlit only at the app's edge, SQL only below it (plain pytest).

- Only cqic_budget/ui/, pages/, dashboard.py and serve.py import Streamlit (tests/ and bench/ drive the app
  with AppTest); the domain, the queries and the view builders (cqic_budget/views/) are plain Python.
- No SQL in cqic_budget/ui/, cqic_budget/views/, pages/, dashboard.py or serve.py: they open a session and
  call the domain or cqic_budget/queries.py, which hold every query.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cqic_budget"
EDGE = [PACKAGE / "ui", ROOT / "pages", ROOT / "dashboard.py", ROOT / "serve.py"]  # may import Streamlit
NO_SQL = [PACKAGE / "ui", PACKAGE / "views", ROOT / "pages", ROOT / "dashboard.py", ROOT / "serve.py"]

# What the edge may take from SQLAlchemy / SQLModel: a session over the engine, the engine's type, the
# store's error classes. Everything else (select, text, func, col, case, ...) builds SQL.
SQL_MODULES = {"sqlalchemy", "sqlmodel"}
ALLOWED_SQL_NAMES = {"Session", "Engine", "exc"}
# Methods that run SQL on a session or connection.
RUNS_SQL = {"exec", "execute", "scalar", "scalars", "exec_driver_sql"}


def python_files(*places: Path) -> list[Path]:
    files: list[Path] = []
    for place in places:
        files += [place] if place.is_file() else sorted(place.rglob("*.py"))
    return files


def outside_edge() -> list[Path]:
    edge = python_files(*EDGE)
    return [p for p in python_files(PACKAGE, ROOT / "migrations") if p not in edge]


def imported_modules(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def streamlit_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [name for name in imported_modules(tree) if name.split(".")[0] == "streamlit"]


def sql_uses(source: str, filename: str = "<source>") -> list[str]:
    """Where a module builds or runs SQL: `line: what`."""
    tree = ast.parse(source, filename=filename)
    aliases: set[str] = set()  # local names of the sqlalchemy / sqlmodel modules (sa, sqlalchemy)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in SQL_MODULES:
                    aliases.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in SQL_MODULES:
            found += [f"{node.lineno}: from {node.module} import {alias.name}" for alias in node.names
                      if alias.name not in ALLOWED_SQL_NAMES]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            module = node.value.id if isinstance(node.value, ast.Name) else None
            if module in aliases and node.attr not in ALLOWED_SQL_NAMES:
                found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RUNS_SQL:
            found.append(f"{node.lineno}: .{node.func.attr}(...)")
    return found


def test_no_module_outside_the_edge_imports_streamlit():
    checked = outside_edge()
    assert len(checked) > 50
    assert PACKAGE / "queries.py" in checked and PACKAGE / "views" / "__init__.py" in checked
    offenders = {str(p.relative_to(ROOT)): names for p in checked if (names := streamlit_imports(p))}
    assert offenders == {}


def test_importing_the_domain_and_the_views_loads_no_streamlit():
    """Indirect imports too: every module outside the edge, imported in a fresh interpreter."""
    modules = [".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
               for p in outside_edge() if p.is_relative_to(PACKAGE) and p.name != "__main__.py"]
    script = ("import importlib, sys\n"
              f"for name in {modules!r}:\n    importlib.import_module(name)\n"
              "print('streamlit' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


def test_no_sql_in_the_pages_the_ui_or_the_views():
    checked = python_files(*NO_SQL)
    assert len(checked) > 20 and ROOT / "dashboard.py" in checked
    offenders = {str(p.relative_to(ROOT)): uses for p in checked
                 if (uses := sql_uses(p.read_text(encoding="utf-8"), str(p)))}
    assert offenders == {}


def test_the_sql_check_sees_what_the_ui_used_to_run():
    """What ui/reports.py and ui/__init__.py held before cqic_budget/queries.py: each is caught."""
    old = '''
import sqlalchemy as sa
from sqlmodel import Session, select

def count(session, rows):
    return session.execute(sa.select(sa.func.count()).select_from(rows)).scalar_one()

def programs(session, Program):
    return session.exec(select(Program).order_by(Program.id)).all()
'''
    uses = sql_uses(old)
    assert "3: from sqlmodel import select" in uses
    assert "6: .execute(...)" in uses and "6: sa.select" in uses and "6: sa.func" in uses
    assert "9: .exec(...)" in uses
    # Opening a session, the engine's type and the store's errors are not SQL.
    assert sql_uses("import sqlalchemy as sa\nfrom sqlmodel import Session\n"
                    "def f(e: sa.Engine):\n    with Session(e) as s:\n"
                    "        return s, sa.exc.SQLAlchemyError\n") == []
