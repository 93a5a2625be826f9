"""Benchmark: each page opened in a new Chromium tab, cold and warm, beside a minimal Streamlit page.

    .venv/bin/python bench/browser_pages.py                          # every page, French
    .venv/bin/python bench/browser_pages.py --pages overview burn --warm 5 --lang en

Issue 13 item 4: a page opened in a new tab settles within 1.2× of a minimal Streamlit page (a title and a
line of text) measured in the same run, Chromium, demo store, from navigation until Streamlit is idle.

For each page, and for the minimal page at the start and at the end of the run, a fresh server on a new
port (the app: serve.py on a demo store, as `make run` and tests/browser_tools.py start it, or with --plain
`streamlit run dashboard.py`; the minimal page: `streamlit run`), then in one browser context (a new origin:
nothing of Streamlit's own files in the browser's cache):
- cold: the page opened in a new tab, the first request of the fresh server (empty caches; with --plain,
  the imports and the engine too);
- warm: the page opened again in a new tab, --warm times (the median is shown).

"Settled" (idle): the script is not running (stApp's data-test-script-state is notRunning), nothing is stale
or a skeleton, the page's title is drawn, every Plotly chart is drawn, and the DOM has not changed for
QUIET_MS; the time is that of the last change of the DOM before the quiet window, from the navigation's
start (performance.now() of the tab). Where the time goes, per open:
- front-end: navigation to the first script run's start (HTML, Streamlit's JavaScript, the websocket);
- script: first run start to last run end, as the browser sees it (the server's script run(s), sending the
  elements); `runs` counts the runs seen (more than one: a rerun on load);
- render: last run end to settled (Plotly drawing, the frame's script, layout).
Debian's chromium with Playwright, flags as in tests/test_browser.py.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cqic_budget.auth import PAGES  # noqa: E402
from tools.local_server import free_port, wait_healthy  # noqa: E402

DASHBOARD = ROOT / "dashboard.py"
SERVE = ROOT / "serve.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
AS_OF = "2026-10-31"
GOAL_RATIO = 1.2
QUIET_MS = 600
MINIMAL = "minimal"
MINIMAL_PAGE = '''import streamlit as st

st.title("Page minimale")
st.write("Une ligne de texte.")
'''

# Installed in every tab before the page's own scripts: records the script state's changes and the last
# change of the DOM, both as performance.now() (milliseconds from the navigation's start).
RECORDER = """(() => {
  const w = window;
  w.__bench = {states: [], lastMutation: 0};
  const watch = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute('data-test-script-state');
    const states = w.__bench.states;
    if (state && (!states.length || states[states.length - 1][0] !== state)) {
      states.push([state, performance.now()]);
    }
  };
  new MutationObserver(() => { w.__bench.lastMutation = performance.now(); watch(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();"""

# True once the page is settled and has stayed so for QUIET_MS (see the module's docstring).
SETTLED = """quietMs => {
  const b = window.__bench;
  if (!b) return false;
  const app = document.querySelector('[data-testid="stApp"]');
  const busy = !app || app.getAttribute('data-test-script-state') !== 'notRunning'
    || !document.querySelector('h1')
    || document.querySelector(
         '[data-testid="stStatusWidget"], [data-stale="true"], [data-testid="stSkeleton"]')
    || [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
         .some(chart => !chart.querySelector('.main-svg'));
  if (busy) return false;
  return performance.now() - b.lastMutation >= quietMs;
}"""


@dataclass
class Open:
    """One page opened in a new tab: milliseconds from the navigation's start."""

    settled: float
    first_run: float | None
    last_run_end: float | None
    runs: int
    html: float

    @property
    def front_end(self) -> float | None:
        return self.first_run

    @property
    def script(self) -> float | None:
        if self.first_run is None or self.last_run_end is None:
            return None
        return self.last_run_end - self.first_run

    @property
    def render(self) -> float | None:
        return None if self.last_run_end is None else self.settled - self.last_run_end


@dataclass
class Figures:
    page: str
    cold: list[Open] = field(default_factory=list)
    warm: list[Open] = field(default_factory=list)
    server_start: list[float] = field(default_factory=list)
    error: str | None = None


def load_bench_pages():
    """bench/pages.py (the demo store, the machine's line), loaded by path: pages/ is also a folder name."""
    spec = importlib.util.spec_from_file_location("bench_pages", Path(__file__).with_name("pages.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# --- the servers ----------------------------------------------------------------------------------


@contextmanager
def streamlit_server(script: Path, store_url: str, log: Path, *, plain: bool = False):
    """The app through serve.py (as `make run` and tests/browser_tools.py start it), or `streamlit run
    script` (the minimal page; the app too with `plain`), on a free port; yields its URL and how long it
    took to answer its health check."""
    port = free_port()
    env = {**os.environ, "CQIC_DATABASE_URL": store_url}
    options = ["--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    if script == DASHBOARD and not plain:
        command = [sys.executable, str(SERVE), *options]
    else:
        command = [sys.executable, "-m", "streamlit", "run", str(script), *options]
    started = time.perf_counter()
    with open(log, "ab") as out:
        server = subprocess.Popen(command, cwd=script.parent, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, server)
        yield base, time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- one tab ------------------------------------------------------------------------------------------


def open_in_new_tab(context, url: str, timeout_ms: float) -> Open:
    tab = context.new_page()
    try:
        tab.goto(url, wait_until="commit", timeout=timeout_ms)
        tab.wait_for_function(SETTLED, arg=QUIET_MS, polling=50, timeout=timeout_ms)
        found = tab.evaluate("""() => {
          const b = window.__bench;
          const nav = performance.getEntriesByType('navigation')[0];
          return {states: b.states, lastMutation: b.lastMutation, html: nav ? nav.responseEnd : 0};
        }""")
        if tab.locator('[data-testid="stException"]').count():
            raise RuntimeError(tab.locator('[data-testid="stException"]').first.inner_text()[:300])
    finally:
        tab.close()
    states = found["states"]
    runs = [at for state, at in states if state == "running"]
    ends = [at for state, at in states if state == "notRunning"]
    return Open(settled=found["lastMutation"], first_run=runs[0] if runs else None,
                last_run_end=ends[-1] if ends else None, runs=len(runs), html=found["html"])


def measure(browser, name: str, script: Path, query: str, store_url: str, warm: int, log: Path,
            timeout_ms: float, *, plain: bool = False) -> Figures:
    figures = Figures(name)
    try:
        with streamlit_server(script, store_url, log, plain=plain) as (base, startup):
            figures.server_start.append(startup)
            path = "" if name in (MINIMAL, "overview") else name
            url = f"{base}/{path}{query}"
            context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="fr-CA")
            context.add_init_script(RECORDER)
            try:
                figures.cold.append(open_in_new_tab(context, url, timeout_ms))
                figures.warm += [open_in_new_tab(context, url, timeout_ms) for _ in range(warm)]
            finally:
                context.close()
    except Exception as exc:  # noqa: BLE001 — one page's failure is reported on its line
        figures.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return figures


# --- the report ----------------------------------------------------------------------------------------


def median(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def s(ms: float | None) -> str:
    return "—" if ms is None else f"{ms / 1000:.2f}"


def ratio(value: float | None, base: float | None) -> str:
    return "—" if not value or not base else f"{value / base:.2f}×"


def report(results: list[Figures], warm: int) -> bool:
    minimal = [f for f in results if f.page == MINIMAL and not f.error]
    base_cold = median(o.settled for f in minimal for o in f.cold)
    base_warm = median(o.settled for f in minimal for o in f.warm)
    print(f"\nseconds from navigation until settled; warm: median of {warm} new tabs; "
          f"minimal page: median of its {len(minimal)} servers; goal: ≤ {GOAL_RATIO}× the minimal page")
    header = (f"{'page':<12} {'cold':>6} {'min.':>6} {'ratio':>7}  {'warm':>6} {'min.':>6} {'ratio':>7}  "
              f"{'goal':<6}│ cold: {'front':>5} {'script':>6} {'render':>6} {'runs':>4} │ warm: {'front':>5} "
              f"{'script':>6} {'render':>6} {'runs':>4}")
    print(header)
    print("-" * len(header))
    ok = True
    for fig in results:
        if fig.error:
            ok = False
            print(f"{fig.page:<12} ERROR: {fig.error}")
            continue
        cold, warm_open = fig.cold[0], None
        cold_s = cold.settled
        warm_s = median(o.settled for o in fig.warm)
        if fig.warm:
            warm_open = min(fig.warm, key=lambda o: abs(o.settled - warm_s))
        met = fig.page == MINIMAL or (
            base_cold and base_warm and cold_s <= GOAL_RATIO * base_cold
            and (warm_s is None or warm_s <= GOAL_RATIO * base_warm))
        ok = ok and bool(met)

        def phases(o: Open | None) -> str:
            if o is None:
                return f"{'—':>5} {'—':>6} {'—':>6} {'—':>4}"
            return f"{s(o.front_end):>5} {s(o.script):>6} {s(o.render):>6} {o.runs:>4}"

        print(f"{fig.page:<12} {s(cold_s):>6} {s(base_cold):>6} {ratio(cold_s, base_cold):>7}  "
              f"{s(warm_s):>6} {s(base_warm):>6} {ratio(warm_s, base_warm):>7}  "
              f"{'' if fig.page == MINIMAL else ('ok' if met else 'MISSED'):<6}│ cold: {phases(cold)} │ "
              f"warm: {phases(warm_open)}")
    starts = [x for f in results for x in f.server_start]
    if starts:
        print(f"\nserver start (streamlit run to a healthy /_stcore/health): median {median(starts):.2f} s")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="+", metavar="PAGE", help="page keys (default: every page of one "
                        "program: the demo has no second program, so no Portfolio)")
    parser.add_argument("--warm", type=int, default=3, help="warm opens per page (default 3)")
    parser.add_argument("--lang", choices=("fr", "en"), default="fr")
    parser.add_argument("--timeout", type=float, default=120, help="seconds a page may take (default 120)")
    parser.add_argument("--plain", action="store_true", help="start the app with plain `streamlit run "
                        "dashboard.py` rather than serve.py (imports on the first request, which runs twice)")
    args = parser.parse_args(argv)
    pages = [key for key in PAGES if key != "portfolio" and (ROOT / "pages" / f"{key}.py").exists()]
    if args.pages:
        unknown = set(args.pages) - set(pages)
        if unknown:
            parser.error(f"no such page: {', '.join(sorted(unknown))}")
        pages = [key for key in pages if key in args.pages]
    if not CHROMIUM.exists():
        print(f"no browser at {CHROMIUM} (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    bench_pages = load_bench_pages()
    print(f"machine: {bench_pages.machine()}")
    print(f"app server: {'streamlit run dashboard.py' if args.plain else 'serve.py'}; "
          f"streamlit {bench_pages.version('streamlit')}, playwright {bench_pages.version('playwright')}, "
          f"chromium at {CHROMIUM}; as of {AS_OF}, {args.lang}")
    with bench_pages.throwaway_store("sqlite") as url, tempfile.TemporaryDirectory(prefix="cqic-min-") as tmp:
        counts = bench_pages.build_demo(url, second_program=False)
        print(f"store: the demo program, {counts['expenses']} expenses (SQLite)")
        minimal = Path(tmp) / "minimal.py"
        minimal.write_text(MINIMAL_PAGE)
        log = Path(tmp) / "streamlit.log"
        query = f"?lang={args.lang}&as_of={AS_OF}"
        timeout_ms = args.timeout * 1000
        results = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                plan = [(MINIMAL, minimal), *((key, DASHBOARD) for key in pages),
                        (MINIMAL, minimal)]
                for name, script in plan:
                    fig = measure(browser, name, script, query, url, args.warm, log, timeout_ms,
                                  plain=args.plain)
                    line = fig.error or (f"cold {s(fig.cold[0].settled)} s, warm "
                                         f"{s(median(o.settled for o in fig.warm))} s")
                    print(f"  {name}: {line}", flush=True)
                    results.append(fig)
            finally:
                browser.close()
        if any(f.error for f in results):
            print(log.read_text(errors="replace")[-3000:])
    ok = report(results, args.warm)
    print(f"machine at the end: {bench_pages.machine()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
