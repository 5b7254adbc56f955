"""The book's highlighted code without the spans of tokens drawn as plain text
(book/_ext/book_extras.py, LeanHtmlFormatter) looks exactly as Pygments' own formatter draws it.

The oracle is Pygments itself: its stock HtmlFormatter's output and the stylesheet it writes for
that style. Each character of a code cell is given the declarations that the stylesheet applies
to it (the rules of its span's classes, or the code box's own colour where it has no span), in the
stock output and in the lean one; they must be the same character for character, in the light and
the dark style of the page. The code is every code cell of two chapters.
"""

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from pygments.style import Style
from pygments.styles import get_style_by_name
from pygments.token import Keyword, Name

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
from book_extras import LeanHtmlFormatter  # noqa: E402

# pydata-sphinx-theme's theme.conf (pygments_light_style, pygments_dark_style); the browser test
# checks that the built pages use them (test_site.py).
PAGE_STYLES = ("a11y-high-contrast-light", "a11y-high-contrast-dark")
CODE = [("".join(c["source"])) for nb in ("subpixel", "porting")
        for c in json.loads((ROOT / "book" / f"{nb}.ipynb").read_text(encoding="utf-8"))["cells"]
        if c["cell_type"] == "code"]


class _Chars(HTMLParser):
    """The text of Pygments' HTML, and for each character the classes of the span around it."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.text, self.out, self.classes = [], [], [()]
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "span":
            self.classes.append(tuple((dict(attrs).get("class") or "").split()))

    def handle_endtag(self, tag):
        if tag == "span":
            self.classes.pop()

    def handle_data(self, data):
        self.text.append(data)
        self.out += [self.classes[-1]] * len(data)


def _drawn(html: str, css: str) -> tuple[str, list[frozenset]]:
    """The text, and for each character the declarations the stylesheet gives it."""
    rules = {m[1]: frozenset(d.strip() for d in m[2].split(";") if d.strip())
             for m in re.finditer(r"^\.highlight \.([\w-]+) \{ ([^}]*) \}", css, re.M)}
    box = re.search(r"^\.highlight \{ ([^}]*) \}", css, re.M)[1]
    base = frozenset(d.strip() for d in box.split(";") if d.strip().startswith("color"))
    chars = _Chars(html)
    drawn = {classes: frozenset().union(*(rules.get(c, frozenset()) for c in classes)) or base
             for classes in set(chars.out)}
    return "".join(chars.text), [drawn[classes] for classes in chars.out]


def _lean(styles):
    return type("Lean", (LeanHtmlFormatter,), {"styles": tuple(styles)})


class Loud(Style):
    """A style that colours names and punctuation, unlike the page's."""

    styles = {Name: "#cc0000", Keyword: "bold #0000cc"}


def _compare(formatter, style, code):
    stock = HtmlFormatter(style=style)
    css = stock.get_style_defs(".highlight")
    ours, theirs = highlight(code, PythonLexer(), formatter), highlight(code, PythonLexer(), stock)
    return _drawn(ours, css), _drawn(theirs, css), ours, theirs


@pytest.mark.parametrize("style", PAGE_STYLES)
def test_lean_code_is_drawn_as_pygments_draws_it(style):
    formatter = _lean(get_style_by_name(n) for n in PAGE_STYLES)(style=style)
    spans_ours = spans_theirs = 0
    for code in CODE:
        ours, theirs, html_ours, html_theirs = _compare(formatter, style, code)
        assert ours[0] == theirs[0], "the text changed"
        assert ours[1] == theirs[1], f"a character is drawn differently in:\n{code[:200]}"
        spans_ours += html_ours.count("<span")
        spans_theirs += html_theirs.count("<span")
    # It leaves spans out (names and punctuation), and keeps the coloured ones (keywords).
    assert spans_ours < 0.7 * spans_theirs, (spans_ours, spans_theirs)
    assert '<span class="k">' in html_ours


def test_a_coloured_token_keeps_its_span():
    """Where one of the styles colours names, their spans stay, in both styles' pages."""
    styles = (get_style_by_name(PAGE_STYLES[0]), Loud)
    for style in (PAGE_STYLES[0], Loud):
        ours, theirs, html, _ = _compare(_lean(styles)(style=style), style, CODE[0])
        assert ours == theirs
        assert '<span class="n">' in html


def test_the_comparison_sees_a_lost_colour():
    """The check can fail: a formatter that drops every span loses the keywords' colour."""

    class Bare(HtmlFormatter):
        def _get_css_classes(self, ttype):
            return ""

    ours, theirs, _, _ = _compare(Bare(style=PAGE_STYLES[0]), PAGE_STYLES[0], CODE[0])
    assert ours[0] == theirs[0]
    assert ours[1] != theirs[1]
