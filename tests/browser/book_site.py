"""Where the built book and the browser are, and the local web server the test reads it from."""

import functools
import io
import gzip
import http.server
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
# Debian's chromium-headless-shell: the same Chromium built as the "old" headless shell, the
# browser Playwright itself runs for headless tests. It draws the same pages at 0.82 of the CPU
# time of the full browser's --headless (test-browser: 166 against 202 CPU-s, both passing), with
# the same fonts; unlike it, it never fetches a page's favicon (test_site checks that the file exists).
CHROMIUM = "/usr/lib/chromium/chromium-headless-shell"
# No background traffic: the book must work without the network, and this machine's is closed.
# No host name resolves but the local server's address, so that no request to a host name can
# leave (the tests see each request, to a name or an address, and fail on any to another machine).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-extensions", "--mute-audio", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]

# Files the tests add to a page, served beside the book (not part of it): axe-core's script, loaded
# by address so that the desktop's warm cache keeps it from page to page.
AXE_URL = "/_tests/axe.min.js"
TEST_FILES = {AXE_URL: Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"}

# Text is sent gzip-compressed, as GitHub Pages (where the book is published) sends it, so
# that the bytes counted are the bytes a reader's browser receives.
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".map")


class BookServer(http.server.ThreadingHTTPServer):
    """Serves a folder on 127.0.0.1 and counts every byte it sends (headers included)."""

    daemon_threads = True

    def __init__(self, directory: Path, extra: dict[str, Path] | None = None):
        self.extra = extra or {}  # address -> file, for files the tests add to a page (axe-core)
        self.sent = 0
        self.lock = threading.Lock()
        self._gzipped: dict[Path, bytes] = {}
        super().__init__(("127.0.0.1", 0), functools.partial(_Handler, directory=str(directory)))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def count(self, n: int) -> None:
        with self.lock:
            self.sent += n

    def gzipped(self, path: Path) -> bytes:
        if path not in self._gzipped:
            self._gzipped[path] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        return self._gzipped[path]

    def start(self) -> "BookServer":
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self


class _CountingFile:
    def __init__(self, raw, server):
        self.raw, self.server = raw, server

    def write(self, data):
        self.server.count(len(data))
        return self.raw.write(data)

    def __getattr__(self, name):
        return getattr(self.raw, name)


class _Handler(http.server.SimpleHTTPRequestHandler):
    def setup(self):
        super().setup()
        self.wfile = _CountingFile(self.wfile, self.server)

    def log_message(self, *args):
        pass

    def end_headers(self):
        # GitHub Pages lets a browser keep every file for 10 minutes (max-age=600); here a day, so
        # that no test run outlives it. Without it (and without Last-Modified on the compressed
        # files) the desktop's "warm" loads fetched every script and stylesheet again.
        self.send_header("Cache-Control", "max-age=86400")
        super().end_headers()

    def translate_path(self, path):
        extra = self.server.extra.get(path)  # a file the tests add, at its exact address
        return str(extra) if extra else super().translate_path(path)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if (path.is_file() and path.suffix in COMPRESSED
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            body = self.server.gzipped(path)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()
