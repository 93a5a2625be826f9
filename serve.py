"""The app's server: `streamlit run dashboard.py`, with the app's modules imported and its store's engine made
before the server answers (`make run` starts it so).

    .venv/bin/python serve.py --server.address 127.0.0.1 --server.port 8501

The options of `streamlit run` follow, passed on. Under plain `streamlit run dashboard.py` the app works the
same, but the first page opened after a start waits for what this does first:
- the imports of a script run (Streamlit's elements, pandas, Plotly, SQLAlchemy, Babel, every module of
  cqic_budget.ui the pages import) and what these libraries load on first use: seconds, once per process;
- the store's engine (st.cache_resource, shared by every session) and its first connection;
- two script runs instead of one: until some code sets PagesManager.uses_pages_directory, Streamlit takes
  the folder pages/ beside dashboard.py for its older multipage layout, and a process's first request for
  a page's URL (/burn) runs pages/burn.py without the frame; the page finds no language in the session and
  asks for a rerun (ui._frame_state). cqic_budget.ui sets the flag when imported: imported here, before
  the first session, the first request runs the frame once, like every later one.
bench/browser_pages.py measures a page opened in a new tab on a server started either way.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

DASHBOARD = Path(__file__).resolve().parent / "dashboard.py"


class _NoRuntimeYet(logging.Filter):
    """Streamlit's caching decorators, applied before the server runs, warn that none runs yet (they find
    their storage when first called, under the server): not news here."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "No runtime found" not in record.getMessage()


def warm() -> None:
    """Import what a script run imports, load what the libraries load on first use, make the engine."""
    quiet = _NoRuntimeYet()
    caching_log = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    caching_log.addFilter(quiet)
    try:
        import cqic_budget.ui as ui  # Streamlit, Plotly, pandas, SQLAlchemy; PagesManager's flag

        for module in pkgutil.iter_modules(ui.__path__):
            importlib.import_module(f"{ui.__name__}.{module.name}")
        _first_use()
    finally:
        caching_log.removeFilter(quiet)
    try:
        with ui.engine().connect():  # the driver's import and the pool's first connection
            pass
    except Exception:  # noqa: BLE001 — a store down at start: the pages say so, politely, when opened
        logging.getLogger("cqic_budget.app").warning("the store did not answer at start", exc_info=True)


def _first_use() -> None:
    """What the libraries load when first used rather than imported: Plotly's validators, default template
    and JSON encoding (st.plotly_chart), Babel's locale data for both languages."""
    import plotly.graph_objects as go
    import plotly.io as pio

    from cqic_budget import i18n
    from cqic_budget.charts import with_title

    figure = with_title(go.Figure([go.Bar(x=["a"], y=[1]), go.Scatter(x=["a"], y=[1])]), "warm")
    pio.to_json(figure, validate=False)
    for lang in i18n.LANGS:
        i18n.format_money(Decimal("1234.5"), lang)
        i18n.format_percent(Decimal("0.5"), lang)
        i18n.format_number(Decimal("1234"), lang)
        i18n.format_date(date(2026, 1, 31), lang, long=True)
        i18n.format_month(date(2026, 1, 31), lang)


def main(argv: list[str] | None = None) -> None:
    warm()
    from streamlit.web import cli

    cli.main(["run", str(DASHBOARD), *(sys.argv[1:] if argv is None else argv)], prog_name="streamlit")


if __name__ == "__main__":
    main()
