"""`make book` after an edit to a static file alone writes every page again (book_extras): Sphinx
itself stops at "no targets are out of date" before it copies the static files. A fake Sphinx
application in a temporary folder stands for the book, its static files copied by Sphinx's own
StandaloneHTMLBuilder.copy_html_static_files; the real build was checked by hand (an edit
to book.css, a build stopped after 4 of 16 pages, the next build wrote all 16 with the new ?v=
checksum)."""

import os
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import book_extras  # noqa: E402

DOCS = {"intro", "book/a", "book/b"}


def _app(tmp_path, builder="html"):
    static = tmp_path / "book" / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (tmp_path / "doctrees").mkdir(exist_ok=True)
    return SimpleNamespace(
        builder=SimpleNamespace(format=builder), confdir=str(tmp_path), doctreedir=str(tmp_path / "doctrees"),
        outdir=str(tmp_path / "html"),
        config=SimpleNamespace(html_static_path=["book/_static", "/an/extension/static"], exclude_patterns=["drafts/*"]))


def _sphinx_copies(app):
    """Sphinx's own copy of the static files (StandaloneHTMLBuilder.copy_html_static_files, templates
    rendered), into the output as it is (a build removes no file there)."""
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.util.template import SphinxRenderer

    builder = SimpleNamespace(config=app.config, confdir=app.confdir, outdir=app.outdir, templates=SphinxRenderer())
    StandaloneHTMLBuilder.copy_html_static_files(builder, {})


def _build(app, exception=None):
    """What a build does with the static files: Sphinx copies the book's (before it writes the pages),
    then the build ends, with or without an error."""
    _sphinx_copies(app)
    book_extras._record_static_files(app, exception=exception)


def _pages(app):
    return book_extras._pages_for_changed_static_files(app, SimpleNamespace(found_docs=DOCS))


def test_pages_are_written_again_until_a_build_ends_with_the_static_files_as_they_are(tmp_path):
    app = _app(tmp_path)
    static = tmp_path / "book" / "_static"
    (static / "book.css").write_text("a { color: red }")
    (static / "fonts").mkdir()
    (static / "fonts" / "icons.woff").write_bytes(b"\0\1")
    assert _pages(app) == sorted(DOCS)  # no build has ended yet
    _build(app)
    assert _pages(app) == []

    (static / "book.css").write_text("a { color: tan }")  # an edit, the same length
    assert _pages(app) == sorted(DOCS)
    _build(app, exception=KeyboardInterrupt())  # copied, then stopped before every page was written
    assert _pages(app) == sorted(DOCS)
    _build(app)
    assert _pages(app) == []

    (static / "fonts" / "icons.woff").write_bytes(b"\0\2")  # in a subfolder, binary
    assert _pages(app) == sorted(DOCS)
    _build(app)
    (static / "fonts" / "icons.woff").rename(static / "fonts" / "other.woff")  # renamed, same bytes
    assert _pages(app) == sorted(DOCS)
    _build(app, exception=KeyboardInterrupt())  # the new name copied, then stopped
    assert _pages(app) == sorted(DOCS)
    _build(app)
    assert _pages(app) == []
    # nothing of this check lands in the output, which is published
    assert sorted(p.name for p in Path(app.outdir).rglob("*") if p.is_file()) == ["book.css", "icons.woff", "other.woff"]


def test_an_output_that_differs_from_the_sources_is_written_again(tmp_path):
    """A stamp that matches the sources is not enough: an older checkout's build (which kept no stamp)
    may have copied other static files since."""
    app = _app(tmp_path)
    (tmp_path / "book" / "_static" / "book.css").write_text("a { color: red }")
    _build(app)
    (Path(app.outdir) / "_static" / "book.css").write_text("a { color: green }")
    assert _pages(app) == sorted(DOCS)
    (Path(app.outdir) / "_static" / "book.css").unlink()
    assert _pages(app) == sorted(DOCS)


def test_the_files_checked_are_those_sphinx_copies_unchanged(tmp_path):
    """The list is compared with what Sphinx's own copy_html_static_files writes: a file Sphinx leaves
    out would make every build write every page again, a file it copies but the list misses would
    let an edit to it go unseen."""
    app = _app(tmp_path)
    app.config.html_static_path.append("lone.js")
    app.config.exclude_patterns = ["drafts/*", "old"]
    static = tmp_path / "book" / "_static"
    for relative in ["book.css", "fonts/icons.woff", ".DS_Store", ".ipynb_checkpoints/book-checkpoint.css",
                     "fonts/.cache/x.woff", "drafts/note.css", "old/a/b.css", "layout.css_t", "LAYOUT2.CSS_T",
                     "page.html.jinja"]:
        (static / relative).parent.mkdir(parents=True, exist_ok=True)
        (static / relative).write_text(relative)
    (tmp_path / "linked").mkdir()
    (tmp_path / "linked" / "in-a-link.css").write_text("c {}")
    os.symlink(tmp_path / "linked", static / "link")
    os.symlink(tmp_path / "gone.css", static / "dangling.css")  # a link to nothing: Sphinx skips it
    (tmp_path / "lone.js").write_text("let y;")
    _sphinx_copies(app)
    out = Path(app.outdir) / "_static"
    copied = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    rendered = ["LAYOUT2.CSS", "layout.css", "page.html"]  # the templates, under their new names
    listed = [relative for relative, f in book_extras._book_static_files(app)]
    assert listed == sorted(set(copied) - set(rendered))
    assert listed == ["book.css", "fonts/icons.woff", "link/in-a-link.css", "lone.js"]


def test_files_sphinx_does_not_copy_change_nothing(tmp_path):
    app = _app(tmp_path)
    static = tmp_path / "book" / "_static"
    (static / "book.js").write_text("let x = 1;")
    _build(app)
    (static / ".DS_Store").write_bytes(b"finder")  # a dotfile
    (static / ".ipynb_checkpoints").mkdir()  # and in a dot-folder (JupyterLab's copy of a file it edits)
    (static / ".ipynb_checkpoints" / "book-checkpoint.js").write_text("let x = 0;")
    (static / "layout.css_t").write_text("{{ x }}")  # templates, rendered under another name
    (static / "page.html.jinja").write_text("{{ y }}")
    (static / "drafts").mkdir()
    (static / "drafts" / "note.css").write_text("b {}")  # an exclude_patterns match, relative to the folder
    os.symlink(tmp_path / "gone.css", static / "dangling.css")  # a link to nothing (Sphinx skips it)
    assert _pages(app) == []
    (static / "book.js").write_text("let x = 2;")
    assert _pages(app) == sorted(DOCS)


def test_other_builders_are_left_alone(tmp_path):
    app = _app(tmp_path, builder="latex")
    (tmp_path / "book" / "_static" / "book.css").write_text("a {}")
    assert _pages(app) == []
    book_extras._record_static_files(app, exception=None)
    assert not (tmp_path / "doctrees" / "book-static.sha256").exists()
