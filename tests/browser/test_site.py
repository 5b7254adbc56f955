"""The built book, read as its readers read it, in a real browser (headless Chromium).

Every page of `_toc.yml` is loaded on a phone (390×844, touch), cold (the browser's cache switched
off: every resource fetched again), and on a desktop (1280×900), its cache warm (every file that an
earlier page loaded comes from the cache: checked), each in one page
per test process that loads page after page (by address, in the order the process takes its
tests), with the system in light mode; the system is then switched to dark mode on the same page (the theme follows
`prefers-color-scheme` live) and the checks run again (the page stays dark for the rest of the
test). Each time, one batched
`page.evaluate` (checks.js) checks the layout: the page no wider than the screen; nothing cut
off; every box that scrolls sideways showing that it does; alt text that describes each image;
the page's colour scheme following the system's; figures on a light card in dark mode; all
text, highlighted code and formulas included, legible (WCAG AA contrast); links in text told
apart from it by more than colour; unique ids; a
favicon; icons drawn by the (subset) icon font; nothing that slides or fades (the browser asks for
reduced motion). Around it: no console errors; no request
leaving the machine; every math element typeset; every image loaded; a Colab button and a
citation box on every chapter; the navigation drawers (☰ and "On this page") opening on the
phone and the sidebar toggling on the desktop; the page weight of the phone's cold load (bytes
sent by the server, text gzip-compressed as GitHub Pages sends it) within PAGE_BUDGET; and, on the
desktop, axe-core (no serious or critical accessibility violation) and then the page as
printed.

`make test-browser` runs two test processes (`-n 2`), each with one browser, which share the
loads between them. With BOOK_SCREENSHOTS=1 each load also saves full-page screenshots (light
and dark) to `_build/screenshots/`.
"""

import functools
import html
import importlib.util
import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from fontTools.ttLib import TTFont

from book_site import AXE_URL, HTML, ROOT, SCREENSHOTS

sys.path.insert(0, str(ROOT / "tools"))
from toc import toc_files  # noqa: E402

PAGES = toc_files(ROOT)
CHECKS = (Path(__file__).parent / "checks.js").read_text(encoding="utf-8")
PAGE_BUDGET = 1_500_000  # bytes sent for a cold load of one page, all its resources included
DEVICES = {
    "phone": dict(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, device_scale_factor=2),
    "desktop": dict(viewport={"width": 1280, "height": 900}),
}
LOADS = [pytest.param(device, doc, id=f"{device}-{doc}") for doc in PAGES for device in DEVICES]


# The parts of an HTML page that _Facts reads: start tags with their attributes (a quoted value
# may hold ">"), outside comments and outside the text of scripts and styles (skipped, as a parser does).
_SKIPPED = re.compile(r"<!--.*?-->|(<(script|style)\b[^>]*>).*?</\2\s*>", re.S | re.I)
_START_TAG = re.compile(r"""<([a-zA-Z][^\s/>]*)((?:\s+[^\s"'=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?>""")
_TAG_OPEN = re.compile(r"<[a-zA-Z]")  # a start tag, read or not (in text a "<" is escaped; in a quoted value it may stay)
_ATTRIBUTE = re.compile(r"""([^\s"'=/>]+)(\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


class _Facts:
    """What the tests need from a built page's HTML, as the server sends it (before any script
    runs): its links, its ids, its math elements, and whether it is a chapter (its first
    section carries a `ch-` label before its title). Start tags read with regular expressions:
    BeautifulSoup's tree took 1.2 s for a long chapter; for the 22 built pages the standard
    library's HTMLParser took 1.6-2.7 s of CPU, these expressions 0.7-0.8 s, with the same facts
    for every page."""

    def __init__(self, text: str):
        self.hrefs: list[str] = []
        self.icons: list[str] = []  # its favicons (<link rel="icon">), which the headless shell never fetches
        self.ids: set[str] = set()
        self.math = 0
        self.chapter = False
        self._state = "before-article"  # then "before-section", "label", "done"
        read = _SKIPPED.sub(lambda m: m[1] or "", text)
        tags = _START_TAG.findall(read)
        if len(tags) != len(_TAG_OPEN.findall(read)):  # a tag the expression cannot read would vanish
            end = 0                                     # silently: none may start between two it reads
            for m in _START_TAG.finditer(read):
                self._all_read(read, end, m.start())
                end = m.end()
            self._all_read(read, end, len(read))
        for tag, attributes in tags:
            attrs = {}
            for name, given, quoted, single, bare in _ATTRIBUTE.findall(attributes):
                value = quoted or single or bare  # findall gives "" for a group that did not take part
                attrs[name.lower()] = None if not given else html.unescape(value) if "&" in value else value
            self.handle_starttag(tag.lower(), attrs)

    @staticmethod
    def _all_read(read, start, stop):
        unread = _TAG_OPEN.search(read, start, stop)
        if unread:
            raise ValueError(f"_Facts cannot read the start tag {read[unread.start():unread.start() + 80]!r}")

    def handle_starttag(self, tag, a):
        if tag == "a" and a.get("href") is not None:
            self.hrefs.append(a["href"])
        if tag == "link" and "icon" in (a.get("rel") or "").split() and a.get("href"):
            self.icons.append(a["href"])
        if a.get("id"):
            self.ids.add(a["id"])
        if "math" in (a.get("class") or "").split():
            self.math += 1
        if self._state == "before-article" and tag == "article":
            self._state = "before-section"
        elif self._state == "before-section" and tag == "section":
            self._state = "label"
        if self._state == "label":
            if tag == "h1":
                self._state = "done"
            elif (a.get("id") or "").startswith("ch-"):
                self.chapter = True


@functools.lru_cache(maxsize=None)
def _facts(path: Path) -> _Facts:
    """A page's facts, parsed once per test process however many tests and links read them."""
    return _Facts(path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def _icon_font_codepoints() -> frozenset[int]:
    """The code points the book's subset icon fonts can draw."""
    fonts = sorted((HTML / "_static" / "fonts").glob("fa-*.subset.woff"))
    return frozenset(cp for f in fonts for cp in TTFont(f).getBestCmap())


class _Tab:
    """A browser page for one device whose listeners report into `problems`, the list of the
    test that is using it (set by each test)."""

    def __init__(self, browser, server, device):
        self.context = browser.new_context(**DEVICES[device], color_scheme="light", reduced_motion="reduce")
        self.page = page = self.context.new_page()
        self.problems: list[str] = []
        self.loaded: set[str] = set()  # the files the pages this tab loaded fetched
        report = lambda text: self.problems.append(text)  # noqa: E731 (the list is swapped per test)
        page.on("console", lambda m: m.type == "error" and report(f"console: {m.text} ({m.location.get('url')})"))
        page.on("response", lambda r: r.status >= 400 and report(f"HTTP {r.status}: {r.url}"))
        page.on("pageerror", lambda e: report(f"page error: {e}"))
        page.on("requestfailed", lambda r: r.url.startswith(server.url) and report(f"request failed: {r.url}"))
        # Only the local server: a page that needs the network breaks offline and in CI. Every
        # request and WebSocket is seen here and any to another machine fails the test; one to a
        # host name cannot leave, as the browser resolves none but 127.0.0.1
        # (book_site.CHROMIUM_ARGS). Listening, not intercepting: routing each request through
        # this process cost about 0.3 s a page.
        page.on("request", lambda r: urlparse(r.url).scheme in ("http", "https")
                and urlparse(r.url).hostname != "127.0.0.1" and report(f"request leaves the machine: {r.url}"))
        page.on("websocket", lambda w: urlparse(w.url).hostname != "127.0.0.1"
                and report(f"WebSocket leaves the machine: {w.url}"))


@pytest.fixture(scope="module")
def phone_tab(browser, server):
    """One phone page per test process, with the browser's cache switched off (DevTools'
    Network.setCacheDisabled), so that every load fetches every resource again: the bytes the
    server counts are those of a cold load, as a fresh context fetches them (equal, page by page),
    at 1.3 s less a page than a fresh context and its first renderer."""
    tab = _Tab(browser, server, "phone")
    devtools = tab.context.new_cdp_session(tab.page)
    devtools.send("Network.enable")
    devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
    yield tab
    tab.context.close()


@pytest.fixture(scope="module")
def desktop_tab(browser, server):
    """One desktop page per test process, loading page after page with its cache warm (a cold
    load in a fresh context cost 2 s more a page; the cold load of each page is the phone's)."""
    tab = _Tab(browser, server, "desktop")
    yield tab
    tab.context.close()


# The centre of an element, if the element is the one drawn there (not hidden, covered or off the
# screen), else null: shared by PRESS_POINT and DRAWN_OPEN.
CENTRE_IF_DRAWN = """(el) => {
  const r = el.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
  const hit = r.width > 0 && r.height > 0 && document.elementFromPoint(x, y);
  return hit && el.contains(hit) ? [x, y] : null;
}"""

# The one element a selector names, and the point at its centre where a finger or the mouse
# presses it: the element must be the one drawn there.
PRESS_POINT = """(selector) => {
  const centreIfDrawn = %s;
  const found = document.querySelectorAll(selector);
  if (found.length !== 1) return `${found.length} elements match ${selector}`;
  return centreIfDrawn(found[0]) || `${selector} is not drawn at its centre`;
}""" % CENTRE_IF_DRAWN

# A drawer open as a reader sees it: the dialog is open and one of its links is drawn at its
# centre (not hidden, transparent, covered or off the screen). A dialog that is open but not seen
# (visibility: hidden, opacity: 0, moved off the screen, covered) passed a check of `open` and
# of the link's size.
DRAWN_OPEN = """([dialog, content]) => {
  const centreIfDrawn = %s;
  const d = document.querySelector(dialog);
  const seen = (el) => { for (; el; el = el.parentElement) if (Number(getComputedStyle(el).opacity) === 0) return false; return true; };
  return !!(d && d.open) && [...d.querySelectorAll(content)].some((link) => !!centreIfDrawn(link) && seen(link));
}""" % CENTRE_IF_DRAWN


def _drawers(page, device, problems):
    """The ☰ and "On this page" buttons open their drawers on a phone; ☰ hides the sidebar on a desktop.
    Each button is pressed at the point where it is drawn (a touch on the phone, a click on the
    desktop): Playwright's locator.tap() and click() cost 0.5 s of processor time more a page, in
    checks that PRESS_POINT makes here (one element, drawn at that point) and in waits for a stable
    frame that a header button does not need."""
    def press(selector):
        point = page.evaluate(PRESS_POINT, selector)
        if isinstance(point, str):
            problems.append(f"{device}: {point}")
            return False
        (page.touchscreen.tap if device == "phone" else page.mouse.click)(*point)
        return True

    if device == "phone":
        for button, dialog, content in ((".bd-header-article .primary-toggle", "#pst-primary-sidebar-modal", ".bd-links a"),
                                        (".bd-header-article .secondary-toggle", "#pst-secondary-sidebar-modal", ".page-toc a")):
            if button.endswith("secondary-toggle") and not page.locator("#pst-secondary-sidebar .page-toc a").count():
                continue  # a page without sections has no "On this page"
            if not press(button):
                continue
            try:
                page.wait_for_function(DRAWN_OPEN, arg=[dialog, content], timeout=2000)
            except PlaywrightTimeout:
                problems.append(f"phone: tapping {button} does not open {dialog} with its links drawn")
            if button.endswith("primary-toggle"):
                page.keyboard.press("Escape")  # the next drawer's button is behind this one (the last stays open: the test ends)
    else:
        if not press(".bd-header-article .primary-toggle"):
            return
        try:  # the theme slides the sidebar out (0.3 s)
            page.wait_for_function("() => getComputedStyle(document.querySelector('#pst-primary-sidebar')).visibility === 'hidden'",
                                   timeout=10000)
        except PlaywrightTimeout:
            problems.append("desktop: the ☰ button does not hide the sidebar")


def _print_checks(page, problems):
    """The page as printed: solutions and the citation open, code wrapped, numbered title. Run
    last (after axe has made the code plain text), and the page stays in print media. Paper does
    not animate: every animation the switch to print starts is finished before the page is read.
    checks.js, in screen media, does not see a transition declared only for print, and one read
    where it starts looked open at the start of its way to collapsed (a solution's `display: none`
    with `transition: display 2s allow-discrete`, or `transform: scaleY(0)` with a transition, in
    @media print, passed). A stylesheet that turned transitions off, as this did before, restyled
    every element and its ::before and ::after."""
    page.emulate_media(media="print")
    result = page.evaluate("""() => {
        const out = [];
        document.getAnimations().forEach((a) => {  // brings the page's style up to print media first
            try { a.finish(); } catch (e) { out.push('animates without end in print: ' + (a.animationName || a.transitionProperty)); }
        });
        document.querySelectorAll('.solution .admonition-title ~ *, .cite-this-chapter .admonition-title ~ *').forEach((el) => {
            const r = el.getBoundingClientRect(), s = getComputedStyle(el);
            if (r.height === 0 || s.visibility === 'hidden' || s.opacity === '0')
                out.push('printed collapsed: ' + (el.closest('.solution, .cite-this-chapter').className));
        });
        document.querySelectorAll('article pre').forEach((pre) => {
            if (pre.scrollWidth > pre.clientWidth + 1 && pre.getBoundingClientRect().height > 0)
                out.push('code line cut in print: ' + pre.textContent.trim().slice(0, 40));
        });
        const numbered = document.querySelector('article h1 .section-number');
        const title = [...document.querySelectorAll('h1')].find((h) => h.getBoundingClientRect().height > 0);
        if (numbered && !(title && title.textContent.trim().startsWith(numbered.textContent.trim())))
            out.push('chapter number missing from the printed title: ' + (title ? title.textContent.trim() : 'no title'));
        return out;
    }""")
    problems += [f"print: {p}" for p in sorted(set(result))]


def _layout(page, scheme, problems):
    """checks.js in the given colour scheme, its problems marked with the scheme."""
    result = page.evaluate(CHECKS, {"scheme": scheme, "motion": scheme == "light"})
    problems += [f"{scheme}: {p}" for p in result["problems"]]
    # checks.js measures "the screen" as the page's layout width: on a phone a page without
    # <meta name="viewport"> is laid out 980 px wide and shrunk to fit, and would pass it.
    if result["facts"]["viewportWidth"] > page.viewport_size["width"]:
        problems.append(f"{scheme}: laid out {result['facts']['viewportWidth']} px wide on a {page.viewport_size['width']} px screen")
    if scheme == "light" and not result["facts"].get("motionElements"):  # the browser asks for reduced motion (_Tab)
        problems.append(f"{scheme}: the reduced-motion check did not run, or found no element that a rule with a transition selects")
    missing = set(result["facts"]["iconCodepoints"]) - _icon_font_codepoints()
    problems += [f"{scheme}: icon U+{cp:04X} not in the subset icon fonts" for cp in sorted(missing)]


def _screenshot(page, doc, device, scheme):
    if os.environ.get("BOOK_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{doc.replace('/', '_')}-{device}-{scheme}.png"), full_page=True)


def _axe(page, problems):
    """axe-core, no serious or critical violation, every rule but color-contrast and
    link-in-text-block (checks.js checks, in both schemes and on both screens, the contrast of
    all text and that links in text are told apart by more than colour: axe's rules took 3 s and
    1 s a page). On the desktop
    it runs after the dark-mode checks, so in dark mode. It first flattens the page's two
    largest node trees, on which axe took 5 to 20 s a page: each typeset formula becomes one
    plain element (its assistive MathML is what a screen reader reads) and highlighted code
    becomes plain text. No preload: axe re-fetches the stylesheets itself and resolves
    theme.css's `@import "../basic.css"` against the wrong base."""
    page.evaluate("""() => {
        document.querySelectorAll('mjx-container').forEach((m) => {
            const s = document.createElement('span');
            s.textContent = m.textContent.slice(0, 20) || 'math';
            m.replaceWith(s);
        });
        document.querySelectorAll('.highlight pre').forEach((pre) => { pre.textContent = pre.textContent; });
    }""")
    # From the cache after the first page: 0.04-0.08 CPU-s a page to put axe in it; its source sent from
    # Python and eval'd each time (as before) 0.09-0.11, inlined by add_script_tag(content=) 0.23.
    page.add_script_tag(url=AXE_URL)
    # Only what is reported comes back (axe's whole result, its passes listed too, was about 60 KB a page).
    violations = page.evaluate("""() => axe.run(document, {resultTypes: ['violations'], preload: false,
            rules: {'color-contrast': {enabled: false}, 'link-in-text-block': {enabled: false}}})
        .then((result) => result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                                          nodes: v.nodes.slice(0, 3).map((n) => ({target: n.target}))})))""")
    for v in violations:
        if v["impact"] in ("serious", "critical"):
            where = "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                              for n in v["nodes"][:3])
            problems.append(f"axe {v['impact']}: {v['id']} ({v['help']}) at {where}")


# The page on which the desktop test compares the book's code (without the spans of names and
# punctuation: book_extras.LeanHtmlFormatter) with Sphinx's stock highlighting: in each language, a
# block of it loses spans: code cells (ipython3), code blocks (python), the cite box (bibtex) and a
# traceback (ipythontb).
CODE_PAGE, CODE_LANGUAGES = "book/transposed-conv-shapes", {"ipython3", "python", "bibtex", "ipythontb"}
# Per block: the computed colour, weight, slant and decoration of each visible character, in the
# block as built (lean) and in Sphinx's stock output of the same text put in the same place.
COMPARE_CODE = """(stock) => {
  const pres = [...document.querySelectorAll('div[class*="highlight-"] > div.highlight > pre')];
  const drawn = (pre) => {
    const out = [], walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());) {
      const s = getComputedStyle(node.parentElement);
      const key = [s.color, s.fontWeight, s.fontStyle, s.textDecorationLine].join(' ');
      for (const ch of node.nodeValue) if (ch.trim()) out.push([ch, key]);
    }
    return out;
  };
  // Printed outputs (not tracebacks) keep the theme's colour for <pre>: that of a bare <pre>.
  const bare = document.querySelector('article').appendChild(document.createElement('pre'));
  const theme = getComputedStyle(bare).color;
  bare.remove();
  const outputs = [...document.querySelectorAll('div.output:not(.highlight-ipythontb) > div.highlight > pre')];
  const result = {blocks: pres.length, chars: 0, differ: [], outputs: outputs.length,
                  outputColours: [...new Set(outputs.map((pre) => getComputedStyle(pre).color))].filter((c) => c !== theme)};
  pres.forEach((pre, i) => {
    if (stock[i] === null) return;
    const clone = pre.cloneNode(false);
    clone.innerHTML = stock[i];
    pre.parentElement.appendChild(clone);
    const ours = drawn(pre), theirs = drawn(clone);
    clone.remove();
    result.chars += ours.length;
    if (ours.length !== theirs.length) result.differ.push(`block ${i}: ${ours.length} characters against ${theirs.length}`);
    ours.forEach(([ch, key], j) => {
      if (theirs[j] && (theirs[j][0] !== ch || theirs[j][1] !== key) && result.differ.length < 10)
        result.differ.push(`block ${i}, '${ch}': ${key} against ${theirs[j][0]} ${theirs[j][1]}`);
    });
  });
  return result;
}"""


@functools.lru_cache(maxsize=None)
def _code_blocks(doc: str) -> list[tuple[str, str]]:
    """(language, inner HTML of its <pre>) for each highlighted block of a built page."""
    return re.findall(r'<div class="[^"]*highlight-([\w+-]+) notranslate"><div class="highlight"><pre>(.*?)</pre>',
                      (HTML / f"{doc}.html").read_text(encoding="utf-8"), re.S)


@functools.lru_cache(maxsize=None)
def _stock_code(doc: str) -> tuple[int, list]:
    """The number of highlighted blocks of a built page, and for each block of CODE_LANGUAGES its
    text highlighted again by Sphinx's stock formatter (None for the others)."""
    import html

    from sphinx.highlighting import PygmentsBridge

    blocks = _code_blocks(doc)
    bridge = PygmentsBridge("html")
    return len(blocks), [re.search(r"<pre>(.*)</pre>", bridge.highlight_block(html.unescape(re.sub(r"<[^>]+>", "", code)),
                                                                            language, force=True), re.S)[1]
                         if language in CODE_LANGUAGES else None for language, code in blocks]


def _code_as_stock(page, doc, scheme, problems):
    """On CODE_PAGE, in the desktop test: each highlighted block is drawn, character for
    character, as Sphinx's stock output of its text put beside it under the page's own CSS (same
    colour, weight, slant and decoration); printed outputs keep the theme's colour for <pre>."""
    count, stock = _stock_code(doc)
    result = page.evaluate(COMPARE_CODE, stock)
    if result["blocks"] != count or result["chars"] < 10000 or not result["outputs"]:
        problems.append(f"{scheme}: compared {result['chars']} characters of {result['blocks']} of {count} code blocks"
                        f" and {result['outputs']} printed outputs")
    problems += [f"{scheme}: a printed output in {c}, not the theme's colour for <pre>" for c in result["outputColours"]]
    problems += [f"{scheme}: code drawn unlike the stock highlighter: {d}" for d in result["differ"]]


# The oracle for the formulas typeset at build time: MathJax itself, in the page, typesetting the
# TeX source again as the book did in the browser before (the same MathJax 3 files, from the
# sphinx-mathjax-offline package: tex-chtml.js, its default configuration). On MATH_PAGE (the
# sub-pixel chapter: 374 formulas, 14 displayed, 3 of them split environments, 3 \left...\right
# groups in 2 formulas, 4 with a character outside MathJax's fonts), in the desktop test, ours are
# measured; then the page's stylesheet for them is switched off, and each formula's TeX, taken from
# the build's doctree (not from our output), is typeset again by MathJax in place, beside ours:
# MathJax measures the page font there (matchFontHeight) and lays every formula out with the
# stylesheet it writes for the whole page. Ours must have the size MathJax gives it (our stylesheet,
# and the scale set at the top of the body) and draw the same characters, each at the same place in
# the box and in the same colour; our stylesheet names MathJax's font files for its font families.
# Not seen here: where the box sits on its line, and rules of book.css, which style MathJax's copies
# too. (An earlier oracle typeset our own MathML copies with mml-chtml.js: blind to a formula
# typeset from the wrong TeX, and MathML input spaces a \left...\right group otherwise, 6.8 px on
# one formula here, which it had to leave uncompared.)
MATH_PAGE = "book/subpixel"
MATHJAX = Path(importlib.util.find_spec("sphinx-mathjax-offline").submodule_search_locations[0]) / "static" / "mathjax"
DOCTREES = ROOT / "_build" / ".doctrees"
# Sent back as one JSON string (some 10^4 numbers: Playwright checks a returned structure value by value).
MEASURE_MATH = """(selector) => JSON.stringify([...document.querySelectorAll(selector)].map((m) => {
  const r = m.querySelector(':scope > mjx-math').getBoundingClientRect();  // the formula's box
  const glyphs = [...m.querySelectorAll('mjx-math mjx-c')];
  // where each character is drawn in the box, and in which colour (a subscript drawn as a
  // superscript, or a space lost in a row narrower than the widest, leaves the box's size)
  const placed = glyphs.map((c) => { const g = c.getBoundingClientRect();
    return [g.left - r.left, g.top - r.top, getComputedStyle(c).color]; });
  return [r.width, r.height, glyphs.map((c) => c.className).join(' '), placed];
}))"""
# The font files our stylesheet names for each of MathJax's font families, and those MathJax's own
# stylesheet in the page names (a box's size does not depend on its font, so the measures above
# cannot see a missing or wrong font).
MATH_FONTS = """(id) => Object.fromEntries([...document.getElementById(id).sheet.cssRules]
  .filter((r) => r instanceof CSSFontFaceRule)
  .map((r) => [r.style.getPropertyValue('font-family'), r.style.getPropertyValue('src')]))"""
MATH_AGAIN = """async (sources) => {
  const ours = [...document.querySelectorAll('.math > mjx-container[jax="CHTML"]')];
  if (ours.length !== sources.length) return;
  const copies = ours.map((m, i) => {
    const copy = document.createElement('span');
    copy.className = 'book-oracle';
    copy.textContent = sources[i];
    m.after(copy);
    return copy;
  });
  await MathJax.typesetPromise(copies);
}"""


@functools.lru_cache(maxsize=None)
def _tex_sources(doc: str) -> tuple[str, ...]:
    """Each formula of a built page, in document order, as Sphinx's MathJax writer
    (sphinx.ext.mathjax, whose markup book_chtml keeps) hands it to MathJax, from the build's
    doctree: inline math between \\( and \\); a displayed block between \\[ and \\], its parts
    (split at blank lines) aligned when there are several and a part with a line break made a split
    environment; a nowrap block as it stands."""
    import pickle

    from docutils import nodes

    tree = pickle.loads((DOCTREES / f"{doc}.doctree").read_bytes())
    sources = []
    for node in tree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block))):
        text = node.astext()
        if isinstance(node, nodes.math):
            sources.append(rf"\({text}\)")
        elif node.get("nowrap"):
            sources.append(text)
        else:
            parts = [part for part in text.split("\n\n") if part.strip()]
            body = r"\\".join(rf"\begin{{split}}{part}\end{{split}}" if r"\\" in part else part for part in parts)
            if len(parts) > 1:
                body = rf" \begin{{align}}\begin{{aligned}}{body}\end{{aligned}}\end{{align}} "
            sources.append(rf"\[{body}\]")
    return tuple(sources)


def _math_as_mathjax(page, doc, problems):
    sources = _tex_sources(doc)
    ours = json.loads(page.evaluate(MEASURE_MATH, '.math > mjx-container[jax="CHTML"]'))
    page.evaluate("() => { document.getElementById('book-chtml-styles').disabled = true; }")
    page.add_script_tag(content="window.MathJax = {startup: {typeset: false}, chtml: {fontURL: '../_static/mathjax/woff-v2'}}")
    page.add_script_tag(path=str(MATHJAX / "tex-chtml.js"))
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20000)
    page.evaluate("() => MathJax.startup.promise")
    page.evaluate(MATH_AGAIN, list(sources))
    theirs = json.loads(page.evaluate(MEASURE_MATH, ".book-oracle > mjx-container"))
    fonts, their_fonts = page.evaluate(MATH_FONTS, "book-chtml-styles"), page.evaluate(MATH_FONTS, "MJX-CHTML-styles")
    if len(their_fonts) < 20 or fonts != their_fonts:
        problems.append(f"math fonts: {sorted(set(fonts.items()) ^ set(their_fonts.items()))} differ from MathJax's"
                        f" ({len(fonts)} font faces, MathJax's {len(their_fonts)})")
    if len(ours) < 300 or not len(theirs) == len(ours) == len(sources):
        problems.append(f"math oracle: {len(theirs)} formulas typeset by MathJax from {len(sources)} in the doctree"
                        f" for {len(ours)} of ours")
    differ = []
    for i, ((w, h, c, p), (w2, h2, c2, p2)) in enumerate(zip(ours, theirs)):
        # with the same characters: any drawn elsewhere in the box (> 0.5 px) or in another colour
        moved = [] if c != c2 else [k for k, ((x, y, colour), (x2, y2, colour2)) in enumerate(zip(p, p2))
                                    if abs(x - x2) > 0.5 or abs(y - y2) > 0.5 or colour != colour2]
        if abs(w - w2) > 0.5 or abs(h - h2) > 0.5 or c != c2 or moved:
            differ.append(f"formula {i}: {w:.1f}×{h:.1f} px against MathJax's {w2:.1f}×{h2:.1f}"
                          + ("" if c == c2 else f", characters {c[:60]} against {c2[:60]}")
                          + (f", {len(moved)} characters placed or coloured otherwise, the first: {p[moved[0]]}"
                             f" against {p2[moved[0]]}" if moved else ""))
    problems += [f"math drawn unlike MathJax in the page ({len(differ)} of {len(ours)}): {d}" for d in differ[:5]]


@pytest.mark.parametrize("device, doc", LOADS)
def test_page(server, phone_tab, desktop_tab, device, doc):
    problems, weight = [], 0
    facts = _facts(HTML / f"{doc}.html")
    tab = phone_tab if device == "phone" else desktop_tab
    tab.problems = problems
    page = tab.page
    page.emulate_media(media="screen", color_scheme="light")  # as the previous page left it: print, dark
    try:
        sent_before = server.sent
        page.goto(f"{server.url}/{doc}.html", wait_until="load")

        # Math: every math element typeset at build time (book_chtml), no TeX delimiter left in
        # the text, no MathJax script; the formulas' size set at the top of the body (matchFontHeight).
        page.wait_for_function("() => document.documentElement.dataset.bookScrollsMarked === 'true'", timeout=10000)
        page.evaluate("() => document.fonts.ready.then(() => true)")
        math = page.evaluate("""() => ({
            typeset: document.querySelectorAll('.math > mjx-container[jax="CHTML"]').length,
            // a displayed equation (div.math) typeset as display math, an inline one (span.math) inline
            misdisplayed: document.querySelectorAll('div.math > mjx-container:not([display="true"]), ' +
                                                    'span.math > mjx-container[display="true"]').length,
            tex: (() => {  // in the text MathJax would have searched (not code, scripts or styles)
                const skip = 'pre, code, script, noscript, style, textarea, mjx-assistive-mml';
                const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT,
                    {acceptNode: (n) => n.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
                let text = '';
                for (let n; (n = walker.nextNode());) text += n.nodeValue;
                return ['$$', '\\\\(', '\\\\[', '\\\\begin{'].filter((d) => text.includes(d));
            })(),
            script: !!window.MathJax || !!document.querySelector('script[src*="mathjax"]'),
            css: !!document.querySelector('head > style#book-chtml-styles'),
            scale: document.documentElement.style.getPropertyValue('--book-math-scale'),
            // MathJax's own measure (matchFontHeight), in a paragraph of the article, now
            expected: (() => {
                const p = document.createElement('span'), where = document.querySelector('article p') || document.body;
                p.style.cssText = 'position: absolute; visibility: hidden; width: 0; height: 60ex';
                where.appendChild(p);
                const ex = p.getBoundingClientRect().height / 60, em = parseFloat(getComputedStyle(p).fontSize);
                p.remove();
                return Math.round(1000 * Math.max(0.5, ex / 0.442 / em)) / 10 + '%';
            })()})""")
        if math["typeset"] != facts.math:
            problems.append(f"{math['typeset']} of {facts.math} math elements typeset")
        if math["misdisplayed"]:
            problems.append(f"{math['misdisplayed']} formulas typeset as display math in text or inline in a displayed equation")
        problems += [f"TeX left in the page text: {d}" for d in math["tex"]]
        if math["script"]:
            problems.append("MathJax's script is on the page")
        # On the desktop the formulas' scale is the one MathJax measures in the article now; on
        # the phone the font measured at the top of the body varies from load to load in this
        # Chromium (book/_templates/layout.html), so there it is only required to be set.
        if facts.math and not (math["css"] and math["scale"] and (device == "phone" or math["scale"] == math["expected"])):
            problems.append(f"formulas without their stylesheet ({math['css']}) or at {math['scale']!r}, "
                            f"not at {math['expected']} (matchFontHeight)")

        # Images: every one loaded with a non-zero size.
        broken = page.evaluate("() => Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
        problems += [f"image not loaded: {src}" for src in broken]

        # Page weight of the phone's cold load (everything loaded, math typeset, fonts ready):
        # every resource came over the network, none from a cache, or the count would be short.
        weight = server.sent - sent_before
        if device == "phone":
            cached = page.evaluate("""() => [performance.getEntriesByType('navigation')[0],
                                             ...performance.getEntriesByType('resource')]
                                            .filter((e) => e.transferSize === 0).map((e) => e.name)""")
            problems += [f"not a cold load: {url} came from the cache" for url in cached]
            if weight > PAGE_BUDGET:
                problems.append(f"page weight {weight / 1e6:.2f} MB > {PAGE_BUDGET / 1e6:.1f} MB")
        else:
            # Warm: every file that an earlier page of this tab loaded (the scripts, stylesheets
            # and fonts that pages share) comes from the browser's cache (book_site: max-age).
            resources = page.evaluate("() => performance.getEntriesByType('resource').map((e) => [e.name, e.transferSize])")
            again = [url for url, size in resources if url in tab.loaded and size > 0]
            problems += [f"not a warm load: {url} fetched again" for url in again]
            if tab.loaded and not any(url in tab.loaded for url, _ in resources):
                problems.append("not a warm load: no file shared with the pages loaded before")
            tab.loaded.update(url for url, _ in resources)

        # Layout, alt text, colour scheme, contrast, ids, icons: one batched evaluate, in light
        # mode and then with the system switched to dark (the page stays dark from then on).
        _layout(page, "light", problems)
        if device == "desktop" and doc == CODE_PAGE:
            _code_as_stock(page, doc, "light", problems)
        _screenshot(page, doc, device, "light")
        page.emulate_media(color_scheme="dark")
        try:
            page.wait_for_function("() => document.documentElement.dataset.theme === 'dark'", timeout=10000)
        except PlaywrightTimeout:
            pass  # checks.js reports the page that does not follow the system
        _layout(page, "dark", problems)
        if device == "desktop" and doc == CODE_PAGE:
            _code_as_stock(page, doc, "dark", problems)
        _screenshot(page, doc, device, "dark")

        # Chapters open in Colab and carry their citation.
        if facts.chapter:
            if page.locator("a[href^='https://colab.research.google.com/github/']").count() == 0:
                problems.append("no 'open in Colab' launch button")
            if not page.locator(".cite-this-chapter").count():
                problems.append("no 'Cite this chapter' box")

        _drawers(page, device, problems)
        if device == "desktop" and doc == MATH_PAGE:
            _math_as_mathjax(page, doc, problems)  # before axe, which flattens the formulas
        if device == "desktop":
            _axe(page, problems)
            _print_checks(page, problems)  # last: the page stays in print media
    finally:
        tab.problems = []  # what the page does after the test is no longer this test's
    assert not problems, f"{doc} ({device}, {weight / 1e6:.2f} MB {'cold' if device == 'phone' else 'warm'}):\n  " + "\n  ".join(problems)


def test_every_character_of_the_formulas_has_its_rule():
    """Each page's stylesheet for its formulas (typeset at build time, the stylesheet in its
    <head>) draws every character of them: a rule per character and font variant
    (`mjx-c.mjx-c1D465.TEX-I::before`), as MathJax wrote into its own page."""
    missing, used = {}, 0
    for doc in PAGES:
        page = (HTML / f"{doc}.html").read_text(encoding="utf-8")
        classes = set(re.findall(r'<mjx-c class="([^"]+)"', page))
        style = re.search(r'<style id="book-chtml-styles">(.*?)</style>', page, re.S)
        rules = set(re.findall(r"^(mjx-c\.[^\s{]+)::before", style[1] if style else "", re.M))
        used += len(classes)
        missing[doc] = sorted(c for c in classes if "mjx-c." + ".".join(c.split()) not in rules)
    assert used > 500
    assert not any(missing.values()), missing


@pytest.mark.parametrize("doc", PAGES)
def test_internal_links_resolve(doc):
    source = HTML / f"{doc}.html"
    missing = []
    for href in _facts(source).hrefs + _facts(source).icons:
        if urlparse(href).scheme or href.startswith(("mailto:", "//")):
            continue
        url, anchor = urldefrag(urljoin(source.as_uri(), href))
        target = Path(urlparse(url).path)
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            missing.append(f"{href} (no file)")
        elif anchor and target.suffix == ".html" and anchor not in _facts(target).ids:
            missing.append(f"{href} (no anchor #{anchor})")
    assert not missing, f"{doc}: broken internal links: {sorted(set(missing))}"


def test_code_leaves_out_the_spans_of_plain_tokens():
    """No page keeps the span of a name or punctuation mark (book_extras.LeanHtmlFormatter); on the
    page on which the desktop test compares the code with the stock highlighter's, some block of
    each language loses spans."""
    for doc in PAGES:
        text = (HTML / f"{doc}.html").read_text(encoding="utf-8")
        assert not re.search(r'<span class="(n|p|w)">', text), f"{doc}: a plain name or punctuation still has its span"
    assert CODE_PAGE in PAGES
    lost = {language for (language, ours), theirs in zip(_code_blocks(CODE_PAGE), _stock_code(CODE_PAGE)[1])
            if theirs is not None and theirs.count("<span") > ours.count("<span")}
    assert lost == CODE_LANGUAGES, f"{CODE_PAGE}: blocks that lose spans only in {lost}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_first_paint_has_the_system_scheme(browser, server, scheme):
    """A cold load draws in the system's scheme from the start: when <body> begins (the head's
    scripts have run, the theme's deferred script not yet), the page's theme is already the
    system's, so the page is neither drawn in another scheme first nor restyled whole after load."""
    context = browser.new_context(color_scheme=scheme, reduced_motion="reduce")
    try:
        page = context.new_page()
        page.add_init_script("""new MutationObserver((changes, observer) => {
            if (document.body) {
                window.__themeAtBody = document.documentElement.dataset.theme || "(none)";
                observer.disconnect();
            }
        }).observe(document, {childList: true, subtree: true});""")
        page.goto(f"{server.url}/book/intro.html", wait_until="load")
        assert page.evaluate("() => window.__themeAtBody") == scheme
        assert page.evaluate("() => document.documentElement.dataset.theme") == scheme
    finally:
        context.close()


def test_book_css_gives_the_watched_boxes_their_scrollbar():
    """book.css sets the thin scrollbar on every box book.js watches (its BOXES), not on the boxes it marks
    (marking then only repaints): the two selector lists must stay the same."""
    script = (ROOT / "book" / "_static" / "book.js").read_text(encoding="utf-8")
    style = (ROOT / "book" / "_static" / "book.css").read_text(encoding="utf-8")
    watched = re.search(r"""const BOXES\s*=\s*((?:(["'])[^"']*\2\s*\+?\s*)+)""", script)
    style = re.sub(r"/\*.*?\*/", "", style, flags=re.S)  # comments out, before a selector or inside it
    styled = re.search(r"([^{}]+)\{[^}]*?scrollbar-width:\s*thin", style)
    assert watched and styled, "BOXES in book.js or the scrollbar rule in book.css not found"
    split = lambda selectors: {s.strip() for s in selectors.split(",") if s.strip()}  # noqa: E731
    assert split("".join(re.findall(r"""["']([^"']*)["']""", watched[1]))) == split(styled[1])
