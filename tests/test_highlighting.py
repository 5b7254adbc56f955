"""The book's highlighted code without the spans of tokens drawn as plain text
(book/_ext/book_extras.py, LeanHtmlFormatter) is drawn as Pygments' own formatter draws it.

The oracle is Pygments itself: its stock HtmlFormatter's output and the stylesheet it writes for
that style. Each character is given the declarations that the stylesheet applies to it: the rules
of its span's classes, or, where it has no span, the colour of the code box (`.highlight`), which
book.css passes on to the `<pre>` of highlighted code (the browser test checks, on a page with
every kind of highlighted block, that the page draws the lean code as it draws the stock output).
In the stock output and in the lean one the declarations must be the same character for
character, in the light and the dark style of the page, for the book's own text in each language
it highlights: the code cells of two chapters (ipython3), the book's BibTeX (bibtex), the
tracebacks stored in the chapters (ipythontb), the package's shapes module (python: the chapters'
listings are its functions) and the introduction's shell commands (bash).
"""

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.style import Style
from pygments.styles import get_style_by_name
from pygments.token import Keyword, Name

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
from book_extras import LeanHtmlFormatter  # noqa: E402

# pydata-sphinx-theme's theme.conf (pygments_light_style, pygments_dark_style); the build checks
# that pygments.css is these (book_extras._check_pygments_css).
PAGE_STYLES = ("a11y-high-contrast-light", "a11y-high-contrast-dark")


def _cells(name):
    return json.loads((ROOT / "book" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]


def _tracebacks():
    ansi = re.compile(r"\x1b\[[0-9;]*m")
    return ["\n".join(ansi.sub("", line) for line in out["traceback"])
            for nb in ("unpooling", "transposed-conv-shapes") for c in _cells(nb) if c["cell_type"] == "code"
            for out in c.get("outputs", []) if out.get("output_type") == "error"]


SAMPLES = {
    "ipython3": ["".join(c["source"]) for nb in ("subpixel", "porting") for c in _cells(nb) if c["cell_type"] == "code"],
    "bibtex": [(ROOT / "book" / "references.bib").read_text(encoding="utf-8")],
    "ipythontb": _tracebacks(),
    # The chapters' Python listings are functions of the package.
    "python": [(ROOT / "upsampling" / "shapes.py").read_text(encoding="utf-8")],
    "bash": re.findall(r"```bash\n(.*?)```", (ROOT / "book" / "intro.md").read_text(encoding="utf-8"), re.S),
}


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


def _compare(formatter, style, code, language="ipython3"):
    stock = HtmlFormatter(style=style)
    css = stock.get_style_defs(".highlight")
    lexer = get_lexer_by_name(language)
    ours, theirs = highlight(code, lexer, formatter), highlight(code, lexer, stock)
    return _drawn(ours, css), _drawn(theirs, css), ours, theirs


@pytest.mark.parametrize("style", PAGE_STYLES)
@pytest.mark.parametrize("language", SAMPLES)
def test_lean_code_is_drawn_as_pygments_draws_it(style, language):
    assert SAMPLES[language], f"no {language} text found in the book"
    formatter = _lean(get_style_by_name(n) for n in PAGE_STYLES)(style=style)
    spans_ours = spans_theirs = 0
    for code in SAMPLES[language]:
        ours, theirs, html_ours, html_theirs = _compare(formatter, style, code, language)
        assert ours[0] == theirs[0], "the text changed"
        assert ours[1] == theirs[1], f"a character is drawn differently in:\n{code[:200]}"
        spans_ours += html_ours.count("<span")
        spans_theirs += html_theirs.count("<span")
    # It leaves spans out (names and punctuation in each language), and keeps coloured ones.
    assert spans_ours < spans_theirs, (spans_ours, spans_theirs)
    assert re.search(r'<span class="(k|nf|nb|s|s1|s2|c1|gt|ne|nc)">', html_ours)


def test_a_coloured_token_keeps_its_span():
    """Where one of the styles colours names, their spans stay, in both styles' pages."""
    styles = (get_style_by_name(PAGE_STYLES[0]), Loud)
    for style in (PAGE_STYLES[0], Loud):
        ours, theirs, html, _ = _compare(_lean(styles)(style=style), style, SAMPLES["ipython3"][0])
        assert ours == theirs
        assert '<span class="n">' in html


def test_the_comparison_sees_a_lost_colour():
    """The check can fail: a formatter that drops every span loses the keywords' colour."""

    class Bare(HtmlFormatter):
        def _get_css_classes(self, ttype):
            return ""

    ours, theirs, _, _ = _compare(Bare(style=PAGE_STYLES[0]), PAGE_STYLES[0], SAMPLES["ipython3"][0])
    assert ours[0] == theirs[0]
    assert ours[1] != theirs[1]


def test_the_build_stops_when_pygments_css_is_another_style(tmp_path):
    """The build's own check (book_extras._check_pygments_css): pygments.css as the theme writes it
    for the page's styles passes; for styles other than those the code was highlighted for, it stops."""
    from types import SimpleNamespace

    from pydata_sphinx_theme.pygments import get_pygments_stylesheet
    from sphinx.errors import ExtensionError

    from book_extras import _check_pygments_css

    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "pygments.css").write_text(get_pygments_stylesheet(*PAGE_STYLES), encoding="utf-8")
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(book_lean_styles=list(PAGE_STYLES)))
    _check_pygments_css(app, None)
    app.builder.book_lean_styles = [PAGE_STYLES[0], "monokai"]
    with pytest.raises(ExtensionError, match="monokai"):
        _check_pygments_css(app, None)
