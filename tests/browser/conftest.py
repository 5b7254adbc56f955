"""Serve the built book on localhost and drive Debian's Chromium with Playwright: one browser
per test process. (test_site.py keeps one page per device in it, the phone's with the cache
switched off; test_explorers.py one page for its module.)"""

import sys
from pathlib import Path

import pytest

from book_site import CHROMIUM, CHROMIUM_ARGS, HTML, TEST_FILES, BookServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# --dist loadgroup: test_explorers.py runs whole in one test process (xdist_group), so that only
# that process imports PyTorch and loads the explorers' page.
from xdist_groups import pytest_collection_modifyitems  # noqa: E402,F401 (the hook)


@pytest.fixture(scope="session")
def server():
    if not (HTML / "index.html").exists():
        pytest.fail("_build/html/index.html is missing: build the book first (make test-book)")
    server = BookServer(HTML, extra=TEST_FILES).start()
    yield server
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium-headless-shell package")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def base_url(server) -> str:
    """The address of the served book, for tests that open pages themselves (the explorers' test)."""
    return server.url.rstrip("/")
