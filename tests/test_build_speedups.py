"""The book build's shortcuts (book/_ext/book_extras.py) give what the slow paths give."""

import importlib.metadata
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import book_extras  # noqa: E402

# pybtex's plugin groups (its own entry points) and names the book's bibliography looks up.
PYBTEX_LOOKUPS = [("pybtex.style.formatting", "plain"), ("pybtex.style.formatting", "unsrt"),
                  ("pybtex.style.labels", "alpha"), ("pybtex.style.names", "plain"),
                  ("pybtex.style.sorting", "author_year_title"), ("pybtex.backends", "html"),
                  ("pybtex.database.input", "bibtex"), ("pybtex.style.names.aliases", "last_first"),
                  ("pybtex.style.formatting", "no such style")]


@pytest.mark.parametrize("group, name", PYBTEX_LOOKUPS)
def test_entry_points_select_what_importlib_selects(group, name):
    ours = list(book_extras._EntryPoints()(group=group, name=name))
    assert ours == list(importlib.metadata.entry_points(group=group, name=name))
    assert ours or name == "no such style"


def test_entry_points_are_scanned_once(monkeypatch):
    scans = []
    real = importlib.metadata.entry_points
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **params: scans.append(params) or real(**params))
    lookup = book_extras._EntryPoints()
    for group, name in PYBTEX_LOOKUPS * 3:
        lookup(group=group, name=name)
    assert scans == [{}]


def test_pybtex_finds_its_plugins_through_the_single_scan():
    import pybtex.plugin

    book_extras._scan_entry_points_once()
    assert isinstance(pybtex.plugin.entry_points, book_extras._EntryPoints)
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", "plain")
    (expected,) = importlib.metadata.entry_points(group="pybtex.style.formatting", name="plain")
    assert style is expected.load()
