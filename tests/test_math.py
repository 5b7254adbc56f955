"""Formulas typeset at build time (book/_ext/book_extras.py, `book_chtml`; mathjax_chtml.js).

What MathJax itself would draw in the page is the browser test's oracle
(tests/browser/test_site.py, `_math_as_mathjax`); here: the typesetter's answers and errors, and
a small Sphinx project with every kind of formula Sphinx writes.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import book_extras  # noqa: E402


@pytest.fixture(scope="module")
def mathjax():
    typesetter = book_extras._MathJax()
    yield typesetter
    typesetter.close()


def test_inline_and_display(mathjax):
    inline = mathjax.typeset(r"x_{i}^{2} < \frac{1}{2}", display=False)
    assert inline.startswith('<mjx-container class="MathJax" jax="CHTML"') and 'display="true"' not in inline
    # the characters of the fonts: x (U+1D465, italic), the digits 1 and 2, <
    assert {"mjx-c1D465 TEX-I", "mjx-c31", "mjx-c32", "mjx-c3C"} <= set(re.findall(r'<mjx-c class="([^"]+)"', inline))
    # the copy for screen readers is MathML
    assert re.search(r"<mjx-assistive-mml[^>]*><math[^>]*>.*<mfrac><mn>1</mn><mn>2</mn></mfrac>", inline)
    display = mathjax.typeset(r"\begin{aligned} a &= b \\ c &= d \end{aligned}", display=True)
    assert 'display="true"' in display and "<mjx-mtable" in display


@pytest.mark.parametrize("tex, message", [(r"\frac{1}{", "Missing close brace"),
                                          (r"\notamacro x", "Undefined control sequence \\notamacro"),
                                          (r"\begin{nosuchenv} x \end{nosuchenv}", "Unknown environment 'nosuchenv'")])
def test_tex_errors_are_errors(mathjax, tex, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        mathjax.typeset(tex, display=False)


def test_an_extension_is_loaded_on_demand(mathjax):
    # \boldsymbol is in MathJax's boldsymbol extension, loaded by its autoload as in the browser
    assert '<mjx-c class="mjx-c1D736 TEX-BI">' in mathjax.typeset(r"\boldsymbol{\alpha}", display=False)


def test_a_page_gets_the_rules_of_its_own_formulas(mathjax):
    mathjax.page_stylesheet()  # what the tests above typeset
    assert mathjax.page_stylesheet() is None  # nothing typeset since
    mathjax.typeset(r"x + \aleph", display=False)
    first = mathjax.page_stylesheet()
    rules = set(re.findall(r"^mjx-c\.[^\s{]+::before", first, re.M))
    assert {"mjx-c.mjx-c1D465.TEX-I::before", "mjx-c.mjx-c2B::before", "mjx-c.mjx-c2135::before"} <= rules
    assert "mjx-c.mjx-c1D466.TEX-I::before" not in rules  # y: not on this page
    assert first.count("FONT_URL/MathJax_Main-Regular.woff") == 1 and "mjx-mfrac" not in first
    mathjax.typeset(r"\frac{y}{2}", display=True)
    second = mathjax.page_stylesheet()  # the next page: afresh
    rules = set(re.findall(r"^mjx-c\.[^\s{]+::before", second, re.M))
    assert "mjx-c.mjx-c1D466.TEX-I::before" in rules and "mjx-c.mjx-c2135::before" not in rules
    assert "mjx-mfrac" in second and 'mjx-container[jax="CHTML"][display="true"]' in second


CONF = """
import sys
sys.path.insert(0, {ext!r})
extensions = ["sphinxcontrib.bibtex", "book_extras"]
bibtex_bibfiles = []
html_theme = "pydata_sphinx_theme"
html_math_renderer = "book_chtml"
numfig = math_numfig = True
"""
RST = r"""
Title
=====

Inline :math:`a_{i}^{2} < b`, and :eq:`eq-one`.

.. math::
   :label: eq-one

   y = \frac{x}{2}

.. math::
   :nowrap:

   \begin{align} a &= b \\ c &= d \end{align}

.. math::

   x = 1

   y = 2

.. toctree::

   plain
"""
PLAIN = """
Plain
=====

A page without formulas.
"""


def _build(tmp_path, extra=""):
    (tmp_path / "conf.py").write_text(CONF.format(ext=str(ROOT / "book" / "_ext")))
    (tmp_path / "index.rst").write_text(RST + extra)
    (tmp_path / "plain.rst").write_text(PLAIN)
    return subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "-q", str(tmp_path), str(tmp_path / "_out")],
                          capture_output=True, text=True)


def test_a_sphinx_page_ships_typeset_formulas(tmp_path):
    result = _build(tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "_out" / "index.html").read_text()
    assert page.count('<mjx-container class="MathJax" jax="CHTML"') == 4
    # the three blocks typeset as display math (the nowrap one too), the inline formula inline
    assert page.count('<mjx-container class="MathJax" jax="CHTML" display="true"') == 3
    outside_mathml = re.sub(r"<mjx-assistive-mml.*?</mjx-assistive-mml>", "", page, flags=re.S)
    assert not re.search(r"\\\(|\\\[|\\begin\{|\\frac", outside_mathml)  # no TeX left for a script to typeset
    # Sphinx's own markup around them: the number and its link, the reference to it
    assert re.search(r'<div class="math notranslate nohighlight" id="equation-eq-one">\s*<span class="eqno">\(1\)'
                     r'<a class="headerlink" href="#equation-eq-one"', page)
    assert '<a class="reference internal" href="#equation-eq-one">(1)</a>' in page
    assert "<mjx-mtable" in page  # the align environment (nowrap) and the two-line block
    assert not re.search(r"<script[^>]*mathjax", page, re.I)
    # MathJax's stylesheet for this page in its <head>, its fonts beside the page's other files
    style = re.search(r'<head>.*<style id="book-chtml-styles">(.*?)</style>.*</head>', page, re.S)[1]
    assert 'src: url("_static/mathjax/woff-v2/MathJax_Main-Regular.woff")' in style
    assert "mjx-c.mjx-c1D465.TEX-I::before" in style and "mjx-mtable" in style  # x; the tables
    assert "book-chtml-styles" not in (tmp_path / "_out" / "plain.html").read_text()  # a page without formulas
    assert (tmp_path / "_out" / "_static" / "mathjax" / "woff-v2" / "MathJax_Main-Regular.woff").stat().st_size > 10_000


def test_a_tex_error_fails_the_strict_build(tmp_path):
    result = _build(tmp_path, "\nBroken :math:`\\frac{1}{`.\n")
    assert result.returncode != 0
    assert "TeX error in a formula: Missing close brace: \\frac{1}{" in result.stderr
