"""What the browser tests share: the app (serve.py: `streamlit run dashboard.py`) on a store, Debian's
chromium with Playwright, the wait for Streamlit to be idle, screenshots, axe-core, and the look-ups of what
a page shows.

The fixtures at the end are module-scoped: a browser test module imports the ones it uses, and gets one
server and one browser of its own (test modules run in parallel under pytest-xdist, each on its worker).
A missing chromium or Playwright fails under CI=true, never skips.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, skip_or_fail

from cqic_budget.auth import LOCAL_USER, PAGES
from cqic_budget.db import make_engine, session_scope
from cqic_budget.demo import load_demo
from cqic_budget.i18n import format_money, strings, t
from cqic_budget.metrics.summary import compute_summary
from cqic_budget.setup import init_store
from tools.local_server import free_port, wait_healthy

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
AS_OF = "2026-10-31"
# Each page's title (st.title), by page key; the Portfolio page only shows with several programs.
TITLES = {
    "overview": "overview.title", "burn": "burn.title", "cofinancing": "cofin.title",
    "milestones": "ms.title", "merchants": "merchants_page.title", "upload": "upload_page.title",
    "reports": "reports_page.title", "settings": "settings_page.title", "audit": "audit_page.title",
}
ONE_PROGRAM_PAGES = [key for key in PAGES if key != "portfolio"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Streamlit's own English words that must not show on a French page (text, labels read aloud, placeholders).
STREAMLIT_ENGLISH = re.compile(
    r"\b(Upload|Browse files|Drag and drop|per file|Choose|Download as CSV|Show/hide columns|Search|"
    r"Fullscreen|Help for|file upload|Press Enter|January|February|March|April|June|July|August|September|"
    r"October|November|December|yyyy|mm - dd)\b")

MAIN = '[data-testid="stMain"]'
NAV_LINK = '[data-testid="stSidebarNavLink"]'
EXCEPTION = '[data-testid="stException"]'

# Installed in every tab before Streamlit's own scripts: counts the script runs that ended (stApp's
# data-test-script-state leaving "running") and notes the time of the last change of the DOM.
RECORDER = """(() => {
  const w = window;
  w.__cqic = {runsEnded: 0, lastMutation: performance.now()};
  new MutationObserver(records => {
    w.__cqic.lastMutation = performance.now();
    for (const r of records) {
      if (r.attributeName === 'data-test-script-state' && r.oldValue === 'running') w.__cqic.runsEnded += 1;
    }
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true,
                        attributeOldValue: true});
})();"""
# Streamlit is idle: the script is not running (stApp's data-test-script-state), more runs than `after`
# have ended, nothing is stale or a skeleton, no status widget, every Plotly chart is drawn, and the DOM
# has not changed for QUIET_MS (the frame's script has translated, the charts have been laid out).
QUIET_MS = 300
IDLE = """([after, quietMs]) => {
  const c = window.__cqic;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!c || !app || app.getAttribute('data-test-script-state') !== 'notRunning' || c.runsEnded <= after) {
    return false;
  }
  if (document.querySelector(
        '[data-testid="stStatusWidget"], [data-stale="true"], [data-testid="stSkeleton"]')
      || [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
           .some(chart => !chart.querySelector('.main-svg'))) {
    return false;
  }
  return performance.now() - c.lastMutation >= quietMs;
}"""


# --- the server and the browser ---------------------------------------------------------------------------


def start_app(store_url: str, log: Path, *, headers: bool = True) -> tuple[subprocess.Popen, str]:
    """The app on a free port against `store_url`, started as `make run` starts it (serve.py: `streamlit run
    dashboard.py` with the app's modules imported first); returns the process and its URL (not yet
    answering: see wait_healthy)."""
    port = free_port()
    env = {**os.environ, "CQIC_DATABASE_URL": store_url}
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "serve.py", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
             # Edits made in the tree while the tests run must not reach the server ("Source file changed").
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    return server, f"http://127.0.0.1:{port}"


def stop_app(server: subprocess.Popen, log: Path | None = None) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    if log is not None and server.returncode not in (0, -15, None):
        print(log.read_text(errors="replace"))


@contextmanager
def app_server(store_url: str, log: Path):
    server, base = start_app(store_url, log)
    try:
        wait_healthy(base, server)
        yield base
    finally:
        stop_app(server, log)


def demo_store(path: Path) -> str:
    """A fresh demo store (SQLite) at `path`; its URL."""
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    init_store(engine)
    with session_scope(engine) as session:
        load_demo(session, user=LOCAL_USER)
    engine.dispose()
    return url


@contextmanager
def playwright_driver():
    if not CHROMIUM.exists():
        skip_or_fail(f"no browser at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        yield playwright


def launch(playwright, *extra_args: str):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *extra_args])


def new_page(browser, *, width: int = 1440, height: int = 1900, locale: str = "en-US", requested=None,
             timeout_ms: float = 90_000, **options):
    """A new context (a new Streamlit session) and its tab, with the idle recorder; generous timeouts: CI
    shares two cores with the rest of the suite."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale, **options)
    context.add_init_script(RECORDER)
    if requested is not None:
        context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    return page


# --- waiting for Streamlit ----------------------------------------------------------------------------


def runs_ended(page) -> int:
    return page.evaluate("() => window.__cqic ? window.__cqic.runsEnded : 0")


def settle(page, after: int = -1) -> None:
    """Wait until Streamlit is idle (see IDLE); with `after` (runs_ended before an action), until a run
    started by the action has ended too."""
    page.wait_for_function(IDLE, arg=[after, QUIET_MS], polling=100)


def rerun(page, action) -> None:
    """Do `action` (a click, a key, a file) that reruns the script, and wait for that run to be drawn."""
    before = runs_ended(page)
    action()
    settle(page, before)


def no_exception(page) -> None:
    boxes = page.locator(EXCEPTION)
    assert boxes.count() == 0, boxes.first.inner_text()


def wait_for_title(page, title: str) -> None:
    """The page's title is drawn (or an exception box, reported at once), then the run is over."""
    page.get_by_role("heading", level=1, name=title, exact=True).or_(page.locator(EXCEPTION)).first.wait_for()
    no_exception(page)
    settle(page)


def open_page(page, app_url: str, key: str, lang: str = "fr", as_of: str = AS_OF) -> None:
    """A page by its URL (a new session's first run when the tab is new), drawn and idle."""
    page.goto(f"{app_url}/{'' if key == 'overview' else key}?lang={lang}&as_of={as_of}")
    wait_for_title(page, t(TITLES[key], lang))


def open_by_nav(page, key: str, lang: str = "fr") -> None:
    page.locator(NAV_LINK).filter(has_text=t(f"nav.{key}", lang)).click()
    wait_for_title(page, t(TITLES[key], lang))


def screenshot(page, name: str) -> Path:
    """The whole page: the app scrolls inside its main area, so the window is made as tall as its content."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.mouse.move(page.viewport_size["width"] - 10, 10)  # off the sidebar: no hover-only buttons
    viewport = page.viewport_size
    height = page.evaluate(f"() => document.querySelector('{MAIN}').scrollHeight")
    tall = max(viewport["height"], min(height, 16_000))
    page.set_viewport_size({"width": viewport["width"], "height": tall})
    try:
        settle(page)
        page.screenshot(path=str(path), full_page=True, animations="disabled")
    finally:
        page.set_viewport_size(viewport)
    return path


def open_everything(page) -> None:
    """Open every closed expander of the main area (their content joins the page for axe and the eye)."""
    page.evaluate(f"""() => document.querySelectorAll('{MAIN} details:not([open]) > summary')
        .forEach(summary => summary.click())""")
    settle(page)


# --- what a page shows ----------------------------------------------------------------------------------


def axe_violations(page, context: str | None = None) -> list[str]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page (or within `context`), one line each."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, context=context, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [f"{v['id']}: {node['target']} {node.get('failureSummary', '')[:160]}"
            for v in result.response["violations"] for node in v["nodes"]]


def sideways_scrollers(page) -> list[str]:
    """Elements of the main area that scroll sideways (or the page itself) at the current width."""
    return page.evaluate(f"""() => {{
      const main = document.querySelector('{MAIN}');
      const found = [...main.querySelectorAll('*')].filter(el => {{
        const style = getComputedStyle(el);
        return ['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 2
          && !el.closest('.js-plotly-plot');
      }}).map(el => (el.dataset.testid || el.tagName) + ':' + el.scrollWidth + '>' + el.clientWidth);
      if (main.scrollWidth > main.clientWidth + 2) found.push('main:' + main.scrollWidth);
      return found;
    }}""")


def english_chrome(page) -> list[str]:
    """Streamlit's English words left on the page: its text, its labels and values read aloud (a date
    segment's «10 – October»), its placeholders."""
    words = page.evaluate("""() => [document.body.innerText,
        ...[...document.querySelectorAll('[aria-label], [aria-valuetext], [placeholder], [title]')]
            .flatMap(el => ['aria-label', 'aria-valuetext', 'placeholder', 'title']
                .map(name => el.getAttribute(name) || ''))]""")
    return sorted({m.group(0) for text in words for m in STREAMLIT_ENGLISH.finditer(text)})


def chart_traces(page, index: int = 0) -> list[dict]:
    """The drawn Plotly traces of the page's `index`-th chart: name, colour, x, y, customdata."""
    return page.evaluate("""index => document
        .querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')[index]
        .data.map(t => ({name: t.name, color: t.marker && t.marker.color, x: t.x, y: t.y}))""", index)


def nav_labels(page) -> list[str]:
    """The navigation's labels (each link's text ends with its label, after the icon's name)."""
    return [text.split("\n")[-1].strip() for text in page.locator(NAV_LINK).all_inner_texts()]


def kpi_value(page, key: str, lang: str = "fr") -> str:
    card = page.locator('[data-testid="stMetric"]', has_text=t(key, lang))
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip().replace("\u202f", "\u00a0")


def fixed_parts(template: str) -> list[str]:
    """The literal text of a catalog string around its {params}."""
    return [part for part in re.split(r"\{[a-z_]+\}", template) if part.strip()]


def english_left_over(text: str) -> list[str]:
    """English catalog text (runs of 16 characters or more not also in the French) found in `text`."""
    found = []
    for fr, en in strings().values():
        for part in fixed_parts(en):
            if len(part.strip()) >= 16 and part not in fr and part in text:
                found.append(part.strip())
    return found


def english_placeholders(page) -> list[str]:
    """Streamlit's own English placeholders (« Choose an option ») shown in an empty field."""
    shown = page.evaluate("""() => [...document.querySelectorAll('input, textarea')]
        .filter(field => !field.value && field.placeholder).map(field => field.placeholder)""")
    return [text for text in shown if re.match(r"(Choose|Select|Type|Search)\b", text)]


def raw_keys(text: str) -> list[str]:
    """Catalog keys shown as they are (a key drawn where its translated string was meant)."""
    return sorted(set(re.findall(r"\b[a-z_]+(?:\.[a-z_0-9]+)+\b", text)) & set(strings()))


def spent(store, as_of: str = AS_OF) -> str:
    """The Overview's spent card as it must read in French."""
    with session_scope(store) as session:
        summary = compute_summary(session, as_of=date.fromisoformat(as_of))
    return format_money(summary.spent, "fr", decimals=False).replace("\u202f", "\u00a0")


def visit_every_page(page, app_url: str, lang: str) -> dict[str, list[str]]:
    """Every page of the navigation in `lang`, through the navigation: its URL, <html lang>, <title>, title,
    no exception; then, expanders and each tab open, axe-core's WCAG A/AA violations, sideways scrolling,
    English left on a French page, catalog keys and None/nan. Screenshots at 1 440 px (French). The problems
    found."""
    problems: dict[str, list[str]] = {}
    for key in ONE_PROGRAM_PAGES:
        open_by_nav(page, key, lang)
        path = "/" if key == "overview" else f"/{key}"
        assert re.search(rf"^{re.escape(app_url)}{path}\?", page.url), page.url
        assert f"as_of={AS_OF}" in page.url and f"lang={lang}" in page.url
        assert page.locator("h1").first.inner_text().strip() == t(TITLES[key], lang)
        # The page's language and a title of its own, in its language (WCAG 3.1.1, 2.4.2).
        page.wait_for_function("lang => document.documentElement.lang === lang", arg=lang)
        page.wait_for_function("title => document.title === title", arg=f"{t(f'nav.{key}', lang)} — CQIC")
        no_exception(page)
        open_everything(page)
        found = axe_violations(page)
        for tab in page.locator(f'{MAIN} [role="tab"]').all()[1:]:
            tab.click()
            open_everything(page)
            panel = f'{MAIN} [role="tabpanel"]'
            found += [f"[{tab.inner_text().strip()}] {v}" for v in axe_violations(page, panel)]
        found += [f"scrolls sideways: {x}" for x in sideways_scrollers(page)]
        text = page.locator(MAIN).inner_text()
        found += raw_keys(text) + re.findall(r"\b(?:None|nan|NaN)\b", text)
        if lang == "fr":
            found += english_left_over(text) + english_placeholders(page) + english_chrome(page)
            screenshot(page, f"{key}-fr.png")
        if found:
            problems[key] = found
    return problems


# --- fixtures: import the ones a module uses (each module gets its own server and browser) --------------


@pytest.fixture(scope="module")
def store_url(tmp_path_factory):
    """A fresh demo store (SQLite), the one the app serves."""
    return demo_store(tmp_path_factory.mktemp("browser") / "cqic.db")


@pytest.fixture(scope="module")
def app_url(store_url, tmp_path_factory):
    """`streamlit run dashboard.py` on a free port, against the demo store."""
    with app_server(store_url, tmp_path_factory.mktemp("streamlit-log") / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with playwright_driver() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def requested():
    """Every URL the browser asked for, in every test: nothing may come from outside the app."""
    return []


@pytest.fixture
def page(browser, requested):
    """A new browser context (a new Streamlit session) per test; an English browser, so that a French page
    in French owes nothing to the browser's language."""
    page = new_page(browser, requested=requested)
    yield page
    page.context.close()
