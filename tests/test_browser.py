"""The app as a person uses it: `streamlit run dashboard.py` on a demo store, Debian's chromium, Playwright.

One Streamlit server and one browser for the module. The tests run in file order: the Overview first (its
URL is the first request of the fresh server), then every page in French and English under axe-core
(WCAG 2.1 A and AA) with its expanders and tabs open, the keyboard, the defects once seen in the browser,
then an upload of data/'s sample sheet that changes the Overview (the tests that write to the store last).
Screenshots are saved under artifacts/screenshots/ (git-ignored) at 1 440 px and 390 px, to be looked at.
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import ROOT, skip_or_fail

from cqic_budget.auth import LOCAL_USER, PAGES
from cqic_budget.db import make_engine, session_scope
from cqic_budget.demo import load_demo
from cqic_budget.i18n import format_money, format_number, strings, t
from cqic_budget.importing.templates import SAMPLE_PATH
from cqic_budget.metrics.burn import forecast
from cqic_budget.metrics.facts import load_facts
from cqic_budget.metrics.summary import compute_summary
from cqic_budget.models import ImportBatch
from cqic_budget.settings_service import field_label
from cqic_budget.setup import get_program, init_store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
SAMPLE = SAMPLE_PATH  # a month open and not in the demo (November 2026)
AS_OF = "2026-10-31"
AFTER_SAMPLE = "2026-11-30"  # an as-of that sees the sample month
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
# The run is over and drawn: no status widget ("Running…"), no element left from the previous run, no
# skeleton, every Plotly chart drawn; four polls in a row (a second) so that a rerun has time to begin.
QUIET = """() => {
  const busy = document.querySelector(
      '[data-testid="stStatusWidget"], [data-stale="true"], [data-testid="stSkeleton"]')
    || [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
         .some(chart => !chart.querySelector('.main-svg'));
  window.__cqicQuiet = busy ? 0 : (window.__cqicQuiet || 0) + 1;
  return window.__cqicQuiet >= 4;
}"""

pytestmark = pytest.mark.browser


# --- the server and the browser, once for the module ------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


@pytest.fixture(scope="module")
def store_url(tmp_path_factory):
    """A fresh demo store (SQLite), the one the app serves."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'cqic.db'}"
    engine = make_engine(url)
    init_store(engine)
    with session_scope(engine) as session:
        load_demo(session, user=LOCAL_USER)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def store(store_url):
    """An engine on the app's store, to read what the pages must show."""
    engine = make_engine(store_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def app_url(store_url, tmp_path_factory):
    """`streamlit run dashboard.py` on a free port, against the demo store."""
    port = free_port()
    env = {**os.environ, "CQIC_DATABASE_URL": store_url}
    log = tmp_path_factory.mktemp("streamlit-log") / "streamlit.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
             # Edits made in the tree while the tests run must not reach the server ("Source file changed").
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, server)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.returncode not in (0, -15, None):
            print(log.read_text(errors="replace"))


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        skip_or_fail(f"no browser at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
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
    context = browser.new_context(viewport={"width": 1440, "height": 1900}, locale="en-US")
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.set_default_timeout(90_000)  # generous: CI shares two cores with the rest of the suite
    yield page
    context.close()


# --- helpers ------------------------------------------------------------------------------------------------


def wait_for_app(page) -> None:
    """Streamlit has finished the run: the KPI cards are drawn and nothing is running any more."""
    page.locator('[data-testid="stMetricValue"]').first.wait_for()
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
    page.locator(".js-plotly-plot").first.wait_for()


def settle(page) -> None:
    """Wait until the script run is over and drawn (see QUIET)."""
    page.evaluate("window.__cqicQuiet = 0")
    page.wait_for_function(QUIET, polling=250)


def no_exception(page) -> None:
    boxes = page.locator(EXCEPTION)
    assert boxes.count() == 0, boxes.first.inner_text()


def wait_for_title(page, title: str) -> None:
    """The page's title is drawn (or an exception box, reported at once), then the run is over."""
    page.get_by_role("heading", level=1, name=title, exact=True).or_(page.locator(EXCEPTION)).first.wait_for()
    no_exception(page)
    settle(page)


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
    """Streamlit's English words left on the page: its text, its labels read aloud, its placeholders."""
    words = page.evaluate("""() => [document.body.innerText,
        ...[...document.querySelectorAll('[aria-label], [placeholder], [title]')].flatMap(el =>
            ['aria-label', 'placeholder', 'title'].map(name => el.getAttribute(name) || ''))]""")
    return sorted({m.group(0) for text in words for m in STREAMLIT_ENGLISH.finditer(text)})


def chart_traces(page, index: int = 0) -> list[dict]:
    """The drawn Plotly traces of the page's `index`-th chart: name, colour, x, y, customdata."""
    return page.evaluate("""index => document
        .querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')[index]
        .data.map(t => ({name: t.name, color: t.marker && t.marker.color, x: t.x, y: t.y}))""", index)


def nav_labels(page) -> list[str]:
    """The navigation's labels (each link's text ends with its label, after the icon's name)."""
    return [text.split("\n")[-1].strip() for text in page.locator(NAV_LINK).all_inner_texts()]


def open_by_nav(page, key: str) -> None:
    page.locator(NAV_LINK).filter(has_text=t(f"nav.{key}", "fr")).click()
    wait_for_title(page, t(TITLES[key], "fr"))


def kpi_value(page, key: str) -> str:
    card = page.locator('[data-testid="stMetric"]', has_text=t(key, "fr"))
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
    with session_scope(store) as session:
        summary = compute_summary(session, as_of=date.fromisoformat(as_of))
    return format_money(summary.spent, "fr", decimals=False).replace("\u202f", "\u00a0")


def batch_ids(store) -> list[int]:
    with store.connect() as conn:
        return list(conn.execute(sa.select(ImportBatch.id)).scalars())


# --- the tests ----------------------------------------------------------------------------------------------


def test_overview_in_a_browser_french_then_english(app_url, page):
    # A page's own URL as the first request of a fresh server: the frame must still run around it.
    page.goto(f"{app_url}/overview?lang=fr&as_of={AS_OF}")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().strip() == t("overview.title", "fr")
    budget = page.locator('[data-testid="stMetric"]', has_text=t("kpi.budget", "fr"))
    value = budget.locator('[data-testid="stMetricValue"]').inner_text().strip()
    assert value.replace("\u202f", "\u00a0") == format_money(2_100_000, "fr", decimals=False)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert t("local_mode_banner", "fr") in sidebar.inner_text()
    page.get_by_text(t("overview.milestones", "fr")).click()
    page.get_by_text("Jalon 1 — Lancement du programme", exact=False).wait_for()
    page.get_by_text(t("overview.milestone_colours", "fr")).wait_for()
    screenshot(page, "overview-milestones-fr.png")

    sidebar.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name=t("overview.title", "en")).first.wait_for()
    wait_for_app(page)
    assert page.locator('[data-testid="stMetric"]', has_text=t("kpi.budget", "en")).locator(
        '[data-testid="stMetricValue"]').inner_text().strip() == "$2,100,000"
    page.wait_for_url(re.compile(r"lang=en"))
    assert f"as_of={AS_OF}" in page.url
    screenshot(page, "overview-en.png")


def visit_every_page(page, app_url: str, lang: str) -> dict[str, list[str]]:
    """Every page of the navigation in `lang`, through the navigation: its URL, <html lang>, <title>, title,
    no exception; then, expanders and each tab open, axe-core's WCAG A/AA violations, sideways scrolling,
    English left on a French page, catalog keys and None/nan. Screenshots at 1 440 px. The problems found."""
    problems: dict[str, list[str]] = {}
    for key in ONE_PROGRAM_PAGES:
        page.locator(NAV_LINK).filter(has_text=t(f"nav.{key}", lang)).click()
        wait_for_title(page, t(TITLES[key], lang))
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
            settle(page)
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


def test_every_page_in_french_and_english_is_accessible(app_url, page, requested):
    page.goto(f"{app_url}/?lang=fr&as_of={AS_OF}")
    wait_for_title(page, t("overview.title", "fr"))
    # One program: every page but the Portfolio, in the order of auth.PAGES.
    assert nav_labels(page) == [t(f"nav.{key}", "fr") for key in ONE_PROGRAM_PAGES]
    problems = {f"fr:{k}": v for k, v in visit_every_page(page, app_url, "fr").items()}
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    wait_for_title(page, t(TITLES[ONE_PROGRAM_PAGES[-1]], "en"))
    problems |= {f"en:{k}": v for k, v in visit_every_page(page, app_url, "en").items()}
    assert not problems, problems
    # Nothing fetched from outside the app: no font server for the page icon, no CDN.
    outside = sorted({url for url in requested if url.startswith("http") and not url.startswith(app_url)})
    assert not outside, outside
    icon = page.evaluate("document.querySelector('link[rel~=\"icon\"]').href")
    assert icon.startswith((app_url, "data:")), icon


def test_a_phone_width_keeps_the_pages_readable(app_url, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-CA", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(90_000)
    try:
        for key in ("overview", "burn", "milestones"):
            page.goto(f"{app_url}/{'' if key == 'overview' else key}?lang=fr&as_of={AS_OF}")
            wait_for_title(page, t(TITLES[key], "fr"))
            screenshot(page, f"{key}-390-fr.png")
    finally:
        context.close()


# The width of the focus outline drawn around the focused element (a radio's label, a select's box).
FOCUS_OUTLINE = """() => {
  const el = document.activeElement;
  const boxes = [el, el.closest('label'), el.closest('[data-baseweb="select"] > div')].filter(Boolean);
  return Math.max(...boxes.map(box => getComputedStyle(box).outlineStyle === 'none' ? 0
                                      : parseFloat(getComputedStyle(box).outlineWidth) || 0));
}"""


def test_keyboard_only_language_as_of_and_drill_down(app_url, page):
    page.goto(f"{app_url}/burn?lang=fr&as_of={AS_OF}")
    wait_for_title(page, t("burn.title", "fr"))

    def tab_to(description: str, accept: str, limit: int = 80) -> None:
        """Press Tab until the focused element matches the JS predicate `accept` (el => bool)."""
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"(() => {{ const el = document.activeElement; return ({accept})(el); }})()"):
                outline = page.evaluate(FOCUS_OUTLINE)
                assert outline >= 2, f"{description}: no visible focus outline ({outline} px)"
                return
        raise AssertionError(f"{description} not reached with the keyboard")

    # The language switch: reached with Tab, changed with the arrow keys.
    tab_to("the language switch", "el => el.type === 'radio'")
    page.keyboard.press("ArrowRight")
    page.get_by_role("heading", level=1, name=t("burn.title", "en"), exact=True).wait_for()
    settle(page)
    page.wait_for_url(re.compile(r"lang=en"))
    # The drill-down's period: reached with Tab, opened and changed with the arrow keys and Enter.
    tab_to("the drill-down period", f"el => el.getAttribute('role') === 'combobox' && "
           f"el.getAttribute('aria-label') === {t('drill.period', 'en')!r}")
    before = page.locator(MAIN).get_by_text(re.compile(r"rows · eligible cost")).first.inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    settle(page)
    after = page.locator(MAIN).get_by_text(re.compile(r"rows · eligible cost")).first.inner_text()
    assert after != before


def test_category_colours_are_fixed_and_a_bar_opens_the_drill_down(app_url, page):
    colours = {}
    for as_of in ("2025-09-30", AS_OF):
        page.goto(f"{app_url}/burn?lang=fr&as_of={as_of}")
        wait_for_title(page, t("burn.title", "fr"))
        colours[as_of] = {trace["name"]: trace["color"] for trace in chart_traces(page)}
    common = set(colours["2025-09-30"]) & set(colours[AS_OF])
    assert len(common) >= 3
    assert {n: colours["2025-09-30"][n] for n in common} == {n: colours[AS_OF][n] for n in common}
    # A click on a bar of the monthly chart: the drill-down shows that month and that category.
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.scroll_into_view_if_needed()
    traces = chart_traces(page)
    bars = chart.locator(".barlayer .trace").first.locator("path")
    bars.nth(bars.count() - 1).click(force=True)
    settle(page)
    pickers = [c.input_value() for c in page.locator(MAIN).get_by_role("combobox").all()[:2]]
    assert pickers == ["oct. 2026", traces[0]["name"]], pickers
    screenshot(page, "burn-drill-from-chart-fr.png")


def test_what_if_default_equals_the_projected_total_card(app_url, store, page):
    page.goto(f"{app_url}/burn?lang=fr&as_of={AS_OF}")
    wait_for_title(page, t("burn.title", "fr"))
    with session_scope(store) as session:
        facts = load_facts(session, program_id=get_program(session).id, as_of=date.fromisoformat(AS_OF))
        projected = format_money(forecast(facts).projected_total, "fr", decimals=False)
    projected = projected.replace("\u202f", "\u00a0")
    assert kpi_value(page, "burn.kpi.projected") == kpi_value(page, "burn.what_if.projected") == projected


def test_milestone_names_are_whole_on_the_timeline(app_url, page):
    page.goto(f"{app_url}/milestones?lang=fr&as_of={AS_OF}")
    wait_for_title(page, t("ms.title", "fr"))
    timeline = page.locator('[data-testid="stPlotlyChart"]').first
    ticks = " ".join(timeline.locator(".ytick text").all_text_contents())
    assert "…" not in ticks
    # Plotly draws each line of a wrapped name apart: compare without the spaces.
    assert "Lancementduprogrammeetrecrutementdela" in re.sub(r"\s", "", ticks)


def test_settings_budget_in_fr_ca_and_an_out_of_range_rate_in_french(app_url, store, page):
    page.goto(f"{app_url}/settings?lang=fr&as_of={AS_OF}")
    wait_for_title(page, t("settings_page.title", "fr"))
    dollars = t("settings_page.dollars", "fr", label=field_label("budget_total", "fr"))
    budget = page.get_by_role("textbox", name=dollars, exact=True)
    assert budget.input_value().replace("\u202f", " ").replace("\u00a0", " ") == "2 100 000,00"
    percent = t("settings_page.percent", "fr", label=field_label("quebec_rate", "fr"))
    rate = page.get_by_role("textbox", name=percent, exact=True)
    rate.fill("150")
    page.get_by_role("button", name=t("settings_page.save", "fr")).first.click()
    page.get_by_text(t("settings_page.program_not_saved", "fr")).wait_for()
    settle(page)
    text = page.locator(MAIN).inner_text()
    assert field_label("quebec_rate", "fr") in text and "100 %" in text.replace("\u00a0", " ")
    assert "Number is outside" not in text
    screenshot(page, "settings-refused-rate-fr.png")


def unknown_category_workbook() -> bytes:
    """The sample with one row's category written as a person would, unknown to the store."""
    from openpyxl import load_workbook

    book = load_workbook(SAMPLE)
    sheet = book.active
    header = next(row for row in sheet.iter_rows(max_row=10) if any(c.value == "Catégorie" for c in row))
    column = next(c.column for c in header if c.value == "Catégorie")
    sheet.cell(row=header[0].row + 1, column=column, value="Frais de Représentation")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_upload_the_sample_then_the_overview_changes(app_url, store, page):
    before = spent(store, AFTER_SAMPLE)
    page.goto(f"{app_url}/?lang=fr&as_of={AFTER_SAMPLE}")
    wait_for_title(page, t("overview.title", "fr"))
    assert kpi_value(page, "kpi.spent") == before

    open_by_nav(page, "upload")
    batches_before = batch_ids(store)
    uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    # An unknown category is shown in the preview, as written (accents and case kept).
    uploader.set_input_files(files=[{"name": "inconnue.xlsx", "mimeType": "application/octet-stream",
                                     "buffer": unknown_category_workbook()}])
    page.get_by_text(t("upload_page.preview", "fr", file="inconnue.xlsx")).wait_for()
    settle(page)
    assert "« Frais de Représentation »" in page.locator(MAIN).inner_text()
    assert not english_chrome(page), english_chrome(page)
    uploader.set_input_files(str(SAMPLE))
    page.get_by_text(t("upload_page.preview", "fr", file=SAMPLE.name)).wait_for()
    settle(page)
    no_exception(page)
    screenshot(page, "upload-preview-fr.png")

    commit = page.locator('[data-testid="stBaseButton-primary"]').filter(
        has_text=fixed_parts(strings()["upload_page.commit"][0])[0].strip())
    assert commit.is_enabled()
    commit.click()
    page.get_by_text(fixed_parts(strings()["upload_page.imported"][0])[-1].strip()).wait_for()
    settle(page)

    (batch_id,) = set(batch_ids(store)) - set(batches_before)
    with session_scope(store) as session:
        batch = session.get(ImportBatch, batch_id)
        assert batch.file_name == SAMPLE.name and batch.rows_imported > 0
        message = t("upload_page.imported", "fr", file=batch.file_name, batch_id=batch.id,
                    imported=format_number(batch.rows_imported, "fr"),
                    rejected=format_number(batch.rows_rejected, "fr"),
                    duplicate=format_number(batch.rows_duplicate, "fr"))
    page.locator('[data-testid="stAlert"]', has_text=message).wait_for()
    # The history: the new batch, newest first, chosen in the batch selector.
    assert page.get_by_text(t("upload_page.no_batches", "fr")).count() == 0
    label = t("upload_page.batch_label", "fr", batch_id=batch_id, file=SAMPLE.name, at="")
    chosen = page.get_by_role("combobox", name=t("upload_page.batch", "fr"), exact=True).input_value()
    assert chosen.startswith(label.rstrip(" —") + " — "), chosen
    no_exception(page)
    screenshot(page, "upload-committed-fr.png")
    # The same file again: refused in words (no « duplicate-file »), and the success banner is gone.
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(SAMPLE))
    page.locator('[data-testid="stAlert"]', has_text=f"n° {batch_id}").wait_for()
    settle(page)
    text = page.locator(MAIN).inner_text()
    assert "duplicate-file" not in text and "total-mismatch" not in text
    assert page.locator('[data-testid="stAlert"]', has_text=message).count() == 0
    screenshot(page, "upload-duplicate-fr.png")

    after = spent(store, AFTER_SAMPLE)
    assert after != before
    open_by_nav(page, "overview")
    assert kpi_value(page, "kpi.spent") == after
    screenshot(page, "overview-after-upload-fr.png")
