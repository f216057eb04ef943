"""The built pages in a real browser (playwright on the system's Chromium, axe-core from axe-playwright-python):
one page of each kind of reports/html/ as `doit` built it — accessible (WCAG 2.1 A/AA), readable at 420 px, and the
offline search finding a municipality from the front page and from a municipal index, opened from disk (file://).

Needs a built report set (`doit`; CI builds it before the tests) and /usr/bin/chromium (`apt-get install chromium`):
where either is missing the tests skip, saying so — except in CI (CI=true), where they fail.
"""

import os
import shutil
from pathlib import Path

import pytest

from kofukin.model import paths
from kofukin.model.config import load_config, municipal_page_prefectures
from kofukin.model.schemas import PREF_CODES
from kofukin.make.pages import HTML_DIR, municipal_index_pages, report_set

CHROMIUM = "/usr/bin/chromium"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NARROW = 420


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must have it: .ci/run installs chromium, and builds the pages before the tests)")
    pytest.skip(reason)


def page_kinds() -> dict[str, str]:
    """One page of each kind, by kind (its notebook, or ``index``) → its path under reports/html/."""
    cfg = load_config()
    national, profiles, scenarios = report_set(cfg)
    indexes = [p for p in municipal_index_pages(cfg["report_year"])
               if p.parameters["pref_code"] in municipal_page_prefectures(cfg, PREF_CODES)]
    kinds = {"index": "index.html"}
    for page in national + profiles[:1] + scenarios[:1] + indexes[:1]:
        kinds.setdefault(page.notebook.removesuffix(".py"), f"{page.name}.html")
    if indexes:
        folder = HTML_DIR / indexes[0].name.rsplit("/", 1)[0]
        first = min((p for p in folder.glob("*.html") if p.name != "index.html"), default=None)
        if first is not None:
            kinds["municipality"] = str(first.relative_to(HTML_DIR))
    committee = min((HTML_DIR / "committee").glob("*/S*.html"), default=None)        # the committee paper's pages
    if committee is not None:
        kinds["committee"] = str(committee.relative_to(HTML_DIR))
    return kinds


KINDS = page_kinds()


@pytest.fixture(scope="module")
def browser():
    if not (HTML_DIR / "index.html").exists() or not (HTML_DIR / "assets" / "search_index.js").exists():
        _unavailable(f"no built report set in {HTML_DIR}: run `doit` first")
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        _unavailable(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                              args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()


def _open(browser, rel: str, width: int, **context):
    page = browser.new_page(viewport={"width": width, "height": 900}, **context)
    page.goto((HTML_DIR / rel).as_uri())
    page.wait_for_load_state("load")
    return page


def test_every_kind_of_page_is_among_those_checked():
    assert set(KINDS) >= {"index", "national", "items", "yoy", "allocation", "municipal", "profile", "municipal_index",
                          "municipality", "municipal_years", "municipal_frame", "scenario"}


@pytest.mark.parametrize("width", [1280, NARROW])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_axe_finds_nothing_serious_or_critical(browser, axe, kind, width):
    page = _open(browser, KINDS[kind], width)
    page.fill(".search-form input", "合成")           # the search box and its results are checked too
    page.wait_for_selector(".search-results li")
    result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]})
    page.close()
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in result.response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert bad == [], f"{KINDS[kind]} at {width} px: {bad}"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_at_420_px_no_page_scrolls_sideways_and_no_name_breaks_a_character_a_line(browser, kind):
    page = _open(browser, KINDS[kind], NARROW)
    width = page.evaluate("document.documentElement.scrollWidth")
    # cells of two or more characters set in as many lines as characters: one character a line
    narrow = page.evaluate("""() => [...document.querySelectorAll('td, th')].filter(c => {
        const range = document.createRange(), chars = [...c.textContent.trim()].length;
        range.selectNodeContents(c);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
        return chars > 1 && lines >= chars; }).map(c => c.textContent.trim()).slice(0, 5)""")
    page.close()
    assert width <= NARROW, f"{KINDS[kind]} is {width} px wide at {NARROW} px"
    assert narrow == [], KINDS[kind]


def test_every_chart_states_its_figures_to_a_screen_reader(browser):
    """Each chart image's alt text, after its title (up to the first 。), and each HTML chart's label, after its
    caption, hold a figure (a digit) beyond the title — no chart reads as its title alone."""
    charts, bare = 0, []
    for kind, rel in sorted(KINDS.items()):
        page = _open(browser, rel, 1280)
        found = page.evaluate("""() => [
            ...[...document.querySelectorAll('img')].map(i => [i.alt, (i.alt || '').split('。')[0]]),
            ...[...document.querySelectorAll('[role=img]')].map(f => [f.getAttribute('aria-label') || '',
                                                                     f.querySelector('figcaption')?.textContent || ''])]""")
        page.close()
        charts += len(found)
        bare += [(rel, text) for text, title in found if not any(ch.isdigit() for ch in text.removeprefix(title))]
    assert charts >= 12 and bare == [], bare


def _search_and_open(page, text: str):
    page.fill(".search-form input", text)
    page.wait_for_selector(".search-results a")
    page.press(".search-form input", "Enter")
    page.wait_for_load_state("load")


@pytest.mark.parametrize("start", ["index", "municipal_index"])
def test_typing_a_municipalitys_name_arrives_at_its_page(browser, start):
    import json

    index = json.loads((paths.municipal_bundles() / KINDS["municipal_index"].split("/")[1] / "index.json").read_text(encoding="utf-8"))
    muni = index["municipalities"][-1]
    page = _open(browser, KINDS[start], NARROW)
    _search_and_open(page, muni["muni_name"])
    assert page.url.endswith(f"/municipal/{index['pref_code']}/{muni['muni_code']}.html")
    assert muni["muni_name"] in page.locator("h1").inner_text()
    page.close()


def test_the_search_finds_prefectures_and_codes_typed_full_width(browser):
    page = _open(browser, "index.html", 1280)
    page.fill(".search-form input", "東京")
    page.wait_for_selector(".search-results a")
    assert page.locator(".search-results a").first.inner_text() == "東京都"
    page.fill(".search-form input", "Ｓ４７００１")          # as an IME may type a code
    page.wait_for_selector(".search-results a")
    assert page.locator(".search-results a").all_inner_texts() == ["合成市町村47-001"]
    page.fill(".search-form input", "存在しない町")
    assert page.locator(".search-status").inner_text() == "見つかりません"
    page.close()


def test_the_municipal_index_sorts_by_any_column_and_reads_as_built_without_javascript(browser):
    rel = KINDS["municipal_index"]
    page = _open(browser, rel, 1280)
    table = page.locator("table.sortable")
    headers = table.locator("thead th").all_inner_texts()
    rate = next(i for i, h in enumerate(headers) if h.startswith("得点率"))
    first = table.locator("tbody tr").first.locator("td").nth(1).inner_text()
    table.locator("thead th button").nth(rate).click()              # ascending
    values = [float(v.rstrip("%")) for v in table.locator(f"tbody tr td:nth-child({rate + 1})").all_inner_texts()]
    assert values == sorted(values) and table.locator("thead th").nth(rate).get_attribute("aria-sort") == "ascending"
    table.locator("thead th button").nth(rate).click()              # descending
    values = [float(v.rstrip("%")) for v in table.locator(f"tbody tr td:nth-child({rate + 1})").all_inner_texts()]
    assert values == sorted(values, reverse=True)
    page.close()
    plain = _open(browser, rel, 1280, java_script_enabled=False)
    assert plain.locator(".search-form").count() == 0 and plain.locator("table.sortable thead th button").count() == 0
    assert plain.locator("table.sortable tbody tr").first.locator("td").nth(1).inner_text() == first
    plain.close()
