"""Sphinx extension for the book: citation boxes and the student edition.

* Every chapter page (a document whose top section carries a ``ch-`` label)
  gets a collapsed "Cite this chapter" box with a BibTeX entry built from one
  source: the book's title, author and year (``_config.yml``), its release
  (``pyproject.toml``), its address (``html.baseurl``) and the chapter's own
  title and stable label. No chapter types its citation by hand.
* ``{book-bibtex}`` renders the BibTeX entry for the whole book and
  ``{chapter-bibtex} LABEL`` the entry for one chapter (used on "How to cite").
* Two repairs of the HTML that themes and extensions produce (duplicate script
  tags; bibliography roles), found by the browser test (tests/browser).
* For readers on every screen: alt text for every figure from its caption; ids made
  unique in each page; author-year citations told apart (2016a, 2016b) when two papers
  share authors and year; ``book.js`` (marks boxes that scroll sideways); and the
  theme's Font Awesome webfonts subset to the icons the book shows (the theme's 1.5 MB
  fontawesome.js is dropped by ``book/_templates/static/webpack-macros.html``).
* Highlighted code without the ``<span>`` of a token that the page's two highlighting styles
  (light and dark) both draw exactly as plain text (names, punctuation: 7,185 of the 25,174
  elements of the sub-pixel chapter's page after MathJax), for a smaller page; book.css gives
  the plain text of highlighted code the styles' colour for plain text.
* Formulas typeset at build time (``html_math_renderer = "book_chtml"``): MathJax 3, the same
  files the page loaded before, runs under Node.js while Sphinx writes each page
  (``mathjax_chtml.js``), so a page ships MathJax's CommonHTML and the stylesheet MathJax wrote
  into it instead of a 1.1 MB script that typeset every formula again on the reader's device
  (1.2 to 1.6 s of processor time a chapter in the test's Chromium). A script at the top of the
  body (``book/_templates/layout.html``) matches the formulas' size to the page font's
  x-height, as MathJax's ``matchFontHeight`` did.
* With ``book_student_edition = True`` (``make book-student``) every solution
  of an exercise is removed, also the gated ``solution-start``/``solution-end``
  kind that notebooks use (sphinx-exercise's own ``hide_solutions`` cannot remove
  those).
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

from docutils import nodes
from pygments.formatters import HtmlFormatter
from pygments.styles import get_all_styles, get_style_by_name
from pygments.token import STANDARD_TYPES, Text
from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

CHAPTER_PREFIX = "ch-"


def _release(app) -> str:
    return tomllib.loads((Path(app.srcdir) / "pyproject.toml").read_text())["project"]["version"]


def _year(app) -> str:
    return str(app.config.copyright).split(",")[0].strip()[:4]


def _title(app) -> str:
    return app.config.html_title or app.config.project


def _base_url(app) -> str:
    return (app.config.html_baseurl or "").rstrip("/") + "/"


def book_bibtex(app) -> str:
    return (
        "@book{upsampling-book,\n"
        f"  title     = {{{_title(app)}}},\n"
        f"  author    = {{{{{app.config.author}}}}},\n"
        f"  year      = {{{_year(app)}}},\n"
        f"  edition   = {{{_release(app)}}},\n"
        f"  url       = {{{_base_url(app)}}}\n"
        "}"
    )


def chapter_bibtex(app, label: str, title: str, docname: str) -> str:
    return (
        f"@incollection{{upsampling-book-{label},\n"
        f"  title     = {{{title}}},\n"
        f"  booktitle = {{{_title(app)}}},\n"
        f"  author    = {{{{{app.config.author}}}}},\n"
        f"  year      = {{{_year(app)}}},\n"
        f"  edition   = {{{_release(app)}}},\n"
        f"  note      = {{Chapter {label}}},\n"
        f"  url       = {{{_base_url(app)}{docname}.html}}\n"
        "}"
    )


def _bibtex_block(text: str) -> nodes.literal_block:
    block = nodes.literal_block(text, text)
    block["language"] = "bibtex"
    return block


class _ChapterBibtexPlaceholder(nodes.General, nodes.Element):
    """Filled in once every document's labels are known (doctree-resolved)."""


class BookBibtex(SphinxDirective):
    def run(self):
        return [_bibtex_block(book_bibtex(self.env.app))]


class ChapterBibtex(SphinxDirective):
    required_arguments = 1

    def run(self):
        return [_ChapterBibtexPlaceholder(label=self.arguments[0])]


def _fill_chapter_placeholders(app, doctree, docname):
    labels = app.env.domaindata["std"]["labels"]
    for node in list(doctree.findall(_ChapterBibtexPlaceholder)):
        label = node["label"]
        if label not in labels:
            raise ValueError(f"{{chapter-bibtex}} {label}: no such label; chapter labels start with '{CHAPTER_PREFIX}'")
        target_doc, _, title = labels[label]
        node.replace_self(_bibtex_block(chapter_bibtex(app, label, title, target_doc)))


class AddCiteBox(SphinxTransform):
    """Insert the "Cite this chapter" box under the title of every chapter."""

    default_priority = 900

    def apply(self):
        sections = list(self.document.findall(nodes.section))
        if not sections:
            return
        top = sections[0]
        label = next((i for i in top["ids"] if i.startswith(CHAPTER_PREFIX)), None)
        if label is None or not top.children or not isinstance(top.children[0], nodes.title):
            return
        title = top.children[0].astext()
        box = nodes.admonition(classes=["tip", "dropdown", "cite-this-chapter"])
        box += nodes.title("", "Cite this chapter")
        box += nodes.paragraph("", f"Stable label: {label}. BibTeX:")
        box += _bibtex_block(chapter_bibtex(self.app, label, title, self.env.docname))
        top.insert(1, box)


class RemoveSolutions(SphinxTransform):
    """Student edition: drop every solution (runs after sphinx-exercise merges gated ones)."""

    default_priority = 11

    def apply(self):
        if not self.config.book_student_edition:
            return
        from sphinx_exercise.nodes import solution_node

        for node in list(self.document.findall(solution_node)):
            node.parent.remove(node)


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    """Load each script once: sphinx-thebe registers its configuration script on every
    read pass, and a second copy is a JavaScript error ("THEBE_JS_URL has already been declared")."""
    seen, unique = set(), []
    for script in context.get("script_files", []):
        key = (getattr(script, "filename", None) or "", tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"][:] = unique


def _accessible_citations(app, pagename, templatename, context, doctree):
    """Bibliography entries as list items: docutils marks the list `role="list"` but each
    entry `role="doc-biblioentry"`, a deprecated role that screen readers and axe-core do
    not accept as a list item."""
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


# ---------------------------------------------------------------------------------------
# Figures: alt text from the caption. A notebook figure (mystnb ``figure`` metadata) is an
# image output whose HTML alt would otherwise be its file path, which a screen reader reads
# out as a hash.

_PATH_LIKE = re.compile(r"^\S*\.(png|jpe?g|gif|svg|webp|pdf)$", re.IGNORECASE)
_TEX_WORDS = {r"\times": "×", r"\cdot": "·", r"\le": "≤", r"\leq": "≤", r"\ge": "≥", r"\geq": "≥",
              r"\to": "→", r"\infty": "∞", r"\pi": "π", r"\sigma": "σ", r"\approx": "≈", r"\neq": "≠"}


def _plain(node: nodes.Node) -> str:
    """A node's text as a screen reader should hear it: TeX reduced to its symbols."""
    text = node.astext()
    for tex, symbol in _TEX_WORDS.items():
        text = re.sub(re.escape(tex) + r"(?![A-Za-z])", symbol, text)
    text = re.sub(r"\\(?:text|mathrm|mathbf|operatorname)\{([^{}]*)\}", r"\1", text)
    text = re.sub(r"\\[A-Za-z]+", "", text).replace("{", "").replace("}", "").replace("$", "")
    return " ".join(text.split())


def needs_alt(image: nodes.image) -> bool:
    alt = image.get("alt", "").strip()
    return not alt or alt == image.get("uri") or bool(_PATH_LIKE.match(alt))


def _figure_alt_text(app, doctree):
    for figure in doctree.findall(nodes.figure):
        caption = next((c for c in figure.children if isinstance(c, nodes.caption)), None)
        if caption is None:
            continue
        for image in figure.findall(nodes.image):
            if needs_alt(image):
                image["alt"] = _plain(caption)


# ---------------------------------------------------------------------------------------
# Unique ids: sphinx-exercise gives every exercise and solution body the same id
# (``exercise-content``, ``solution-content``); the second and later get a suffix. HTML only:
# the LaTeX builder resolves the whole book as one doctree, in which every chapter's first
# section has the id ``:doc`` that its ``:doc:`` links point to (sphinx.builders.latex.transforms
# DocumentTargetTransform); suffixed there (``:doc-2`` ...), the 14 :doc: links of the PDF (the
# intro's list of chapters, to every document after the first chapter) pointed at no label.

def _unique_ids(app, doctree, docname):
    if app.builder.format != "html":
        return
    seen: Counter[str] = Counter()
    for node in doctree.findall(nodes.Element):
        ids = node.get("ids")
        if not ids:
            continue
        renamed = []
        for i in ids:
            seen[i] += 1
            renamed.append(i if seen[i] == 1 else f"{i}-{seen[i]}")
        node["ids"] = renamed


# ---------------------------------------------------------------------------------------
# Author-year citations: two papers with the same author label and year (Shi et al. 2016,
# twice) become 2016a and 2016b, ordered by title, in the text and in the bibliography.

def _author_label(entry) -> tuple[str, ...]:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    last = tuple(" ".join(p.last_names) for p in people)
    return last if len(last) <= 2 else (last[0], "et al.")


def disambiguate_years(entries) -> None:
    groups = defaultdict(list)
    for key, entry in entries.items():
        if "year" not in entry.fields:
            continue
        year = re.sub(r"(?<=\d)[a-z]$", "", str(entry.fields["year"]))  # idempotent: drop our letter
        entry.fields["year"] = year
        groups[(_author_label(entry), year)].append(key)
    for (_, year), keys in groups.items():
        if len(keys) > 1:
            keys.sort(key=lambda k: (str(entries[k].fields.get("title", "")).lower(), k))
            for letter, key in zip("abcdefghijklmnopqrstuvwxyz", keys):
                entries[key].fields["year"] = year + letter


def _disambiguate_citations(app, env):
    # Before sphinxcontrib-bibtex formats its labels in its own env-updated handler.
    disambiguate_years(env.get_domain("cite").bibdata.data.entries)
    return []


# ---------------------------------------------------------------------------------------
# Icons: subsets of the theme's Font Awesome fonts with only the icons this book uses:
# every fa-* class named in a page or script, and every icon code point written in a
# stylesheet (the theme draws admonition and link icons with CSS `content`). book.css
# declares them after the theme's faces.

_FA_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:{1,2}before,?)+)\{content:"\\([0-9a-f]+)"\}')
_FA_FONTS = ("fa-solid-900", "fa-regular-400", "fa-brands-400")


def icon_codepoints(outdir: Path) -> set[int]:
    static = outdir / "_static"
    theme_css = (static / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    by_class = {}
    for selectors, code in _FA_RULE.findall(theme_css):
        for name in re.findall(r"\.(fa-[a-z0-9-]+)", selectors):
            by_class[name] = int(code, 16)
    used = set()
    for path in [*outdir.rglob("*.html"), *static.rglob("*.js")]:
        if path.name == "fontawesome.js" or "mathjax" in path.parts:
            continue
        used |= {by_class[c] for c in re.findall(r"\bfa-[a-z0-9-]+", path.read_text(encoding="utf-8", errors="ignore"))
                 if c in by_class}
    for css in static.rglob("*.css"):
        text = _FA_RULE.sub("", css.read_text(encoding="utf-8", errors="ignore"))
        used |= {int(c, 16) for c in re.findall(r'\\(f[0-9a-f]{3})(?![0-9a-f])', text)}
    return used


def _subset_icon_fonts(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    from fontTools import subset

    outdir = Path(app.outdir)
    webfonts = outdir / "_static" / "vendor" / "fontawesome" / "webfonts"
    target = outdir / "_static" / "fonts"
    target.mkdir(parents=True, exist_ok=True)
    codepoints = sorted(icon_codepoints(outdir))
    options = subset.Options()
    options.flavor = "woff"  # zlib; woff2 would need brotli
    options.layout_features = []
    options.notdef_outline = True
    for name in _FA_FONTS:
        font = subset.load_font(str(webfonts / f"{name}.ttf"), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        subset.save_font(font, str(target / f"{name}.subset.woff"), options)


# The theme's rule (pydata-sphinx-theme's setTheme): mode "light" or "dark" is the theme;
# mode "auto" (the default) follows prefers-color-scheme.
_RESOLVE_THEME = (
    "(() => { const d = document.documentElement, m = d.dataset.mode;"
    " d.dataset.theme = m === 'light' || m === 'dark' ? m"
    " : (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'); })();"
)


def _numbered_print_title(app, pagename, templatename, context, doctree):
    """The printed title with its chapter number: sphinx-book-theme prints `pagetitle` (the bare
    title) in place of the page's numbered <h1>, so a handout lost "3." from "3. Interpolation"."""
    number = app.env.toc_secnumbers.get(pagename, {}).get("")
    if number and context.get("pagetitle"):
        context["pagetitle"] = ".".join(map(str, number)) + ". " + context["pagetitle"]


@functools.cache
def drawn_as_text(styles: tuple, ttype) -> bool:
    """Whether every one of the Pygments `styles` draws a token of type `ttype` exactly as it draws
    plain text (colour, background, weight, slant, underline, border, font). Plain text has no
    span: it takes the colour of the code box, which pygments.css sets on `.highlight` (the
    style's colour for Text) and book.css passes on to the `<pre>` of highlighted code. Only
    Pygments' standard token types: a lexer's own types (ANSI colours in outputs, for one) may be
    styled by other stylesheets."""
    return (bool(styles) and ttype in STANDARD_TYPES
            and all(style.style_for_token(ttype) == style.style_for_token(Text) for style in styles))


class LeanHtmlFormatter(HtmlFormatter):
    """Pygments' HTML formatter, leaving out the `<span>` of any token that all of `styles` draw
    as plain text; adjacent plain tokens then merge into one run of text."""

    styles: tuple = ()

    def _get_css_classes(self, ttype):
        return "" if drawn_as_text(self.styles, ttype) else super()._get_css_classes(ttype)


def _page_style_names(app) -> list | None:
    """The names of the Pygments styles of the light and dark modes, picked as pydata-sphinx-theme
    picks them when it writes pygments.css (its deprecated option `pygment_*_style` first, then
    `pygments_*_style`, else its theme.conf); None for a theme that does not descend from it."""
    from pydata_sphinx_theme.utils import get_theme_options_dict

    defaults = app.builder.theme.get_options() if hasattr(app.builder, "theme") else {}
    if "pygments_light_style" not in defaults:
        return None
    options = get_theme_options_dict(app)
    names = []
    for mode in ("light", "dark"):
        name = options.get(f"pygment_{mode}_style") or options.get(f"pygments_{mode}_style")
        names.append(defaults[f"pygments_{mode}_style"] if name is None else name)
    return names


def _lean_highlighting(app):
    bridge = getattr(app.builder, "highlighter", None)
    if bridge is None or bridge.dest != "html":
        return
    names = _page_style_names(app)
    known = set(get_all_styles())
    if names and all(n in known for n in names):  # else the theme falls back to others: no span left out
        app.builder.book_lean_styles = names
        # Sphinx's PygmentsBridge makes each block's formatter from its `formatter` attribute
        # (Sphinx 7.4: the class attribute html_formatter, copied in __init__).
        bridge.formatter = type("LeanHtmlFormatter", (LeanHtmlFormatter,),
                                {"styles": tuple(get_style_by_name(n) for n in names)})


def _check_pygments_css(app, exception):
    """After the theme has written pygments.css: it must hold the rules of the styles the code was
    highlighted for, or a left-out span could change a colour."""
    names = getattr(app.builder, "book_lean_styles", None)
    css_file = Path(app.outdir) / "_static" / "pygments.css"
    if exception is not None or not names or not css_file.exists():
        return
    css = css_file.read_text(encoding="utf-8")
    for mode, name in zip(("light", "dark"), names):
        formatter = HtmlFormatter(style=name)
        prefix = f'html[data-theme="{mode}"] .highlight'
        rules = list(formatter.get_background_style_defs(prefix)) + list(formatter.get_token_style_defs(prefix))
        if any(rule not in css for rule in rules):
            raise ExtensionError(f"pygments.css is not the style {name!r} in {mode} mode, for which the code "
                                 "was highlighted without the spans of plain tokens (book_extras)")


# --- Formulas typeset at build time ---------------------------------------------------------

def _mathjax_dir() -> Path:
    """MathJax 3's es5 directory, from the sphinx-mathjax-offline package (requirements.txt)."""
    import importlib.util

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError("book_chtml: the sphinx-mathjax-offline package (MathJax 3) is not installed")
    return Path(spec.submodule_search_locations[0]) / "static" / "mathjax"


class _MathJax:
    """One Node.js process running mathjax_chtml.js, started on first use (again in a forked
    worker); each distinct formula is typeset once a page (page_stylesheet starts the next)."""

    def __init__(self):
        self._process, self._pid, self._cache = None, None, {}

    def _ask(self, request: dict) -> dict:
        import json
        import os
        import shutil
        import subprocess

        if self._process is None or self._pid != os.getpid():
            node = shutil.which("node") or shutil.which("nodejs")
            if node is None:
                raise ExtensionError("book_chtml: the book typesets its formulas with MathJax under Node.js at "
                                     "build time; install Node.js (`apt-get install nodejs`; `make book` does)")
            self._process = subprocess.Popen([node, str(Path(__file__).with_name("mathjax_chtml.js")), str(_mathjax_dir())],
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
            self._pid = os.getpid()
            self._cache.clear()  # a forked worker's new process has typeset nothing of its pages yet
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise ExtensionError(f"book_chtml: MathJax (Node.js) stopped, exit status {self._process.wait()}")
        return json.loads(line)

    def typeset(self, tex: str, display: bool) -> str:
        """MathJax's CommonHTML for `tex`; ValueError with MathJax's message for a TeX error."""
        key = (tex, display)
        if key not in self._cache:
            answer = self._ask({"tex": tex, "display": display})
            if "error" in answer:
                raise ValueError(answer["error"])
            self._cache[key] = answer["html"]
        return self._cache[key]

    def page_stylesheet(self) -> str | None:
        """The stylesheet of the formulas typeset since the last call (one page's), as MathJax
        wrote it into the page, fonts at FONT_URL; None if there were none. The next page
        starts afresh (each of its formulas is typeset again, so that its rules are counted)."""
        if not self._cache:
            return None
        self._cache.clear()
        return self._ask({"stylesheet": True})["css"]

    def close(self):
        if self._process is not None:
            import os

            if self._pid == os.getpid():
                self._process.stdin.close()
                self._process.wait()
            self._process = None


_MATHJAX = _MathJax()
MATH_FONTS = "_static/mathjax/woff-v2"  # MathJax's CommonHTML fonts, copied from the package


def _typeset_visit(self, node, visit, delimiters, display):
    """Run Sphinx's own MathJax visitor (the same markup, equation number and TeX), then put
    MathJax's output in place of the TeX between its delimiters (a `nowrap` block has none: all
    of its text is TeX)."""
    import html

    start = len(self.body)
    try:
        visit(self, node)
    except nodes.SkipNode:
        pass
    fragment = "".join(self.body[start:])
    del self.body[start:]
    opening, closing = delimiters
    tag_end = fragment.index(">") + 1
    if display and node.get("nowrap"):
        begin, end = tag_end, fragment.rindex("</div>")
        inner = (begin, end)
    else:
        begin, end = fragment.index(opening, tag_end), fragment.rindex(closing)
        inner = (begin + len(opening), end)
        end += len(closing)
    tex = html.unescape(fragment[inner[0]:inner[1]])
    try:
        chtml = _MATHJAX.typeset(tex, display)
    except ValueError as error:
        from sphinx.util import logging

        logging.getLogger(__name__).warning(f"TeX error in a formula: {error}: {' '.join(tex.split())[:200]}",
                                            location=node, type="book", subtype="math")
        chtml = fragment[begin:end]
    self.body.append(fragment[:begin] + chtml + fragment[end:])
    raise nodes.SkipNode


def _visit_math(self, node):
    from sphinx.ext import mathjax

    _typeset_visit(self, node, mathjax.html_visit_math, self.builder.config.mathjax_inline, display=False)


def _visit_displaymath(self, node):
    from sphinx.ext import mathjax

    _typeset_visit(self, node, mathjax.html_visit_displaymath, self.builder.config.mathjax_display, display=True)


def _math_stylesheet(app, pagename, templatename, context, doctree):
    """Each page that shows a formula gets, in its <head>, the stylesheet MathJax wrote into it:
    the rules of the characters and constructs of its formulas, no others. The navigation is
    drawn after this event; it lists every document's title, so formulas in titles (none today)
    are typeset here first, for their rules to be in every page."""
    if app.builder.math_renderer_name != "book_chtml":
        return
    for title in app.env.titles.values():
        for math in title.findall(nodes.math):
            _MATHJAX.typeset(math.astext(), display=False)
    css = _MATHJAX.page_stylesheet()
    if css:
        fonts = context["pathto"](MATH_FONTS, 1)
        context["metatags"] = context.get("metatags", "") + f'\n<style id="book-chtml-styles">{css.replace("FONT_URL", fonts)}</style>'


def _write_math_assets(app, exception):
    """MathJax's woff-v2 fonts (the only MathJax files a page loads) into _static/mathjax."""
    import shutil

    if exception is None and app.builder.format == "html" and app.builder.math_renderer_name == "book_chtml":
        shutil.copytree(_mathjax_dir() / "output" / "chtml" / "fonts" / "woff-v2", Path(app.outdir) / MATH_FONTS,
                        dirs_exist_ok=True)
    _MATHJAX.close()


class _EntryPoints:
    """pybtex's plugin lookup with one scan of the installed packages' entry points per process.

    pybtex (used by sphinxcontrib-bibtex) calls `importlib.metadata.entry_points(group=...,
    name=...)` for each plugin it looks up (a style, a name formatter: about 200 times a build);
    each call reads the metadata of every installed distribution, 5.4 s of a 47 s build of this
    book. This reads them once and selects from the result, as that call does (pybtex's runtime
    plugins, looked up first, are untouched). A new installation during the process is not seen.
    """

    def __init__(self):
        self._all = None

    def __call__(self, **params):
        import importlib.metadata

        if self._all is None:
            self._all = importlib.metadata.entry_points()
        return self._all.select(**params)


def _scan_entry_points_once():
    import pybtex.plugin

    if not isinstance(pybtex.plugin.entry_points, _EntryPoints):
        pybtex.plugin.entry_points = _EntryPoints()


def _book_static_files(app):
    """(path relative to _static, file) for each file that Sphinx 7.4 copies unchanged from the book's
    own html_static_path, walked as its copy_html_static_files and sphinx.util.fileutil.copy_asset
    walk it: symbolic links to folders followed; a folder that exclude_patterns or "**/.*" match is
    left out with everything in it (a .ipynb_checkpoints folder, say), and so is such a file, and a
    symbolic link to nothing (copy_asset_file skips it); an entry that is a file is copied under its
    own name. Left out too: templates (a name ending in
    _t or .jinja, in any case), which Sphinx renders under another name, and an extension's
    absolute folder. tests/test_static_files_rebuild.py compares this list with what Sphinx's own
    copy_html_static_files copies."""
    import os
    import posixpath

    from docutils.utils import relative_path
    from sphinx.util.matching import Matcher

    def template(name):
        return name.lower().endswith(("_t", ".jinja"))

    excluded = Matcher([*app.config.exclude_patterns, "**/.*"])
    for entry in app.config.html_static_path:
        if Path(entry).is_absolute():
            continue
        source = os.path.join(app.confdir, entry)
        if os.path.isfile(source):
            if not template(os.path.basename(source)):
                yield os.path.basename(source), Path(source)
            continue
        found = []
        for root, dirs, files in os.walk(source, followlinks=True):
            folder = relative_path(source, root)
            dirs[:] = [d for d in dirs if not excluded(posixpath.join(folder, d))]
            # a link to nothing is listed by os.walk; copy_asset_file skips it (os.path.exists)
            found += [(posixpath.normpath(posixpath.join(folder, name)), Path(root) / name) for name in files
                      if not excluded(posixpath.join(folder, name)) and not template(name)
                      and os.path.exists(os.path.join(root, name))]
        yield from sorted(found)


def _static_stamp(app) -> Path:
    """Where the checksum of the book's static files at the end of the last complete build is kept:
    beside the doctrees of that output (the student edition has its own)."""
    return Path(app.doctreedir) / "book-static.sha256"


def _static_checksum(app) -> str:
    digest = hashlib.sha256()
    for relative, f in _book_static_files(app):
        digest.update(relative.encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return digest.hexdigest()


def _pages_for_changed_static_files(app, env):
    """Every page, to be written again (not read again), when the book's static files are not those
    of the last complete build. Sphinx stops at "no targets are out of date" when no source changed,
    before it copies the static files: an edit to book.css or book.js alone never reached
    _build/html, and the pages kept the old stylesheet's ?v= checksum. The checksum is recorded when
    a build ends without error (_record_static_files), so a build stopped after the copy but before
    every page was written is made good by the next one; and each file is compared with its copy,
    so an output that another build (an older checkout) left behind is made good too."""
    import filecmp

    if app.builder.format != "html":
        return []
    stamp, out = _static_stamp(app), Path(app.outdir) / "_static"
    if (stamp.is_file() and stamp.read_text(encoding="utf-8") == _static_checksum(app)
            and all((out / relative).is_file() and filecmp.cmp(f, out / relative, shallow=False)
                    for relative, f in _book_static_files(app))):
        return []
    return sorted(env.found_docs)


def _record_static_files(app, exception):
    if exception is None and app.builder.format == "html":
        _static_stamp(app).write_text(_static_checksum(app), encoding="utf-8")


def setup(app):
    app.add_config_value("book_student_edition", False, "env")
    _scan_entry_points_once()
    app.add_html_math_renderer("book_chtml", (_visit_math, None), (_visit_displaymath, None))
    app.connect("html-page-context", _math_stylesheet)
    app.connect("build-finished", _write_math_assets)
    app.connect("env-get-updated", _pages_for_changed_static_files)
    app.connect("build-finished", _record_static_files)
    app.add_directive("book-bibtex", BookBibtex)
    app.add_directive("chapter-bibtex", ChapterBibtex)
    app.add_node(_ChapterBibtexPlaceholder)
    app.add_transform(AddCiteBox)
    app.add_transform(RemoveSolutions)
    app.connect("doctree-resolved", _fill_chapter_placeholders)
    app.connect("doctree-read", _figure_alt_text)
    app.connect("doctree-resolved", _unique_ids)
    app.connect("env-updated", _disambiguate_citations, priority=400)
    app.connect("build-finished", _subset_icon_fonts)
    app.connect("builder-inited", _lean_highlighting)
    app.connect("build-finished", _check_pygments_css, priority=900)  # after the theme writes it
    app.add_js_file("book.js", loading_method="defer")
    # In <head>, before the first paint: the theme's own head script sets data-theme to
    # "auto" (or to the scheme stored on the previous visit), and only its deferred script
    # resolves it, so a page first drew in the wrong scheme and was then restyled whole
    # (about 0.3 s of style and 0.3 s of layout on a long chapter, on a laptop core).
    app.add_js_file(None, body=_RESOLVE_THEME, priority=1)
    app.connect("html-page-context", _numbered_print_title, priority=600)  # after the theme's
    # Early: html-page-context stops at the first handler that returns a template name.
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    app.connect("html-page-context", _accessible_citations, priority=100)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
