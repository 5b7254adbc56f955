"""The built book, opened page by page in a real browser (headless Chromium).

For every page of `_toc.yml`: no console errors; math typeset by MathJax with
no raw `$$` left in the text; every image loaded; a Colab launch button on
every chapter; every internal link resolving to an existing page and anchor;
no serious or critical accessibility violation (axe-core). A full-page
screenshot of each page is saved to `_build/screenshots/`.
"""

import functools
import re
import sys
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from book_site import HTML, ROOT, SCREENSHOTS

sys.path.insert(0, str(ROOT / "tools"))
from toc import toc_files  # noqa: E402

PAGES = toc_files(ROOT)
AXE = Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@functools.lru_cache(maxsize=None)
def _ids(path: Path) -> frozenset[str]:
    """Every id in a page (parsed once, however many links point into it)."""
    return frozenset(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))


def _is_chapter(soup: BeautifulSoup) -> bool:
    section = soup.select_one("article section")
    return section is not None and any(i.startswith("ch-") for i in [section.get("id", "")] +
                                       [s.get("id", "") for s in section.find_all("span", recursive=False)])


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: page.errors.append(f"request failed: {r.url}"))
    # Only the local server: a page that needs the network would break offline and in CI.
    page.route("**/*", lambda route: route.continue_() if urlparse(route.request.url).hostname == "127.0.0.1"
               else route.abort())
    yield page
    page.close()


@pytest.mark.parametrize("doc", PAGES)
def test_page(page, base_url, doc):
    page.goto(f"{base_url}/{doc}.html", wait_until="load")
    soup = _soup(HTML / f"{doc}.html")
    problems = list(page.errors)

    # Math: every math element typeset, nothing left as TeX source.
    if soup.select(".math"):
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20000)
        page.evaluate("() => MathJax.startup.promise")
        typeset = page.locator("mjx-container").count()
        if typeset < len(soup.select(".math")):
            problems.append(f"only {typeset} of {len(soup.select('.math'))} math elements typeset")
    text = page.locator("article").inner_text()
    if "$$" in text:
        problems.append("raw $$ left in the page text")

    # Images: every one loaded with a non-zero size.
    broken = page.evaluate("() => Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
    problems += [f"image not loaded: {src}" for src in broken]

    # Chapters open in Colab.
    if _is_chapter(soup):
        colab = page.locator("a[href^='https://colab.research.google.com/github/']")
        if colab.count() == 0:
            problems.append("no 'open in Colab' launch button")
        elif not page.locator(".cite-this-chapter").count():
            problems.append("no 'Cite this chapter' box")

    # Accessibility: no serious or critical violation.
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    for v in result["violations"]:
        if v["impact"] in ("serious", "critical"):
            where = "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                              for n in v["nodes"][:3])
            problems.append(f"axe {v['impact']}: {v['id']} ({v['help']}) at {where}")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{doc.replace('/', '_')}.png"), full_page=True)
    assert not problems, f"{doc}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("doc", PAGES)
def test_internal_links_resolve(doc):
    source = HTML / f"{doc}.html"
    missing = []
    for a in _soup(source).select("a[href]"):
        href = a["href"]
        if urlparse(href).scheme or href.startswith(("mailto:", "//")):
            continue
        url, anchor = urldefrag(urljoin(source.as_uri(), href))
        target = Path(urlparse(url).path)
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            missing.append(f"{href} (no file)")
        elif anchor and target.suffix == ".html" and anchor not in _ids(target):
            missing.append(f"{href} (no anchor #{anchor})")
    assert not missing, f"{doc}: broken internal links: {sorted(set(missing))}"
