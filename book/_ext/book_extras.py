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
* With ``book_student_edition = True`` (``make book-student``) every solution
  of an exercise is removed, also the gated ``solution-start``/``solution-end``
  kind that notebooks use (sphinx-exercise's own ``hide_solutions`` cannot remove
  those).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from docutils import nodes
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


def setup(app):
    app.add_config_value("book_student_edition", False, "env")
    app.add_directive("book-bibtex", BookBibtex)
    app.add_directive("chapter-bibtex", ChapterBibtex)
    app.add_node(_ChapterBibtexPlaceholder)
    app.add_transform(AddCiteBox)
    app.add_transform(RemoveSolutions)
    app.connect("doctree-resolved", _fill_chapter_placeholders)
    # Early: html-page-context stops at the first handler that returns a template name.
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    app.connect("html-page-context", _accessible_citations, priority=100)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
