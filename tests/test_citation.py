"""The book's identity is set once: repository URL in _config.yml, release in pyproject.toml.

CITATION.cff must be valid and agree with both; the README's install line,
Colab link and BibTeX must agree too. (The setup cell of every chapter is
generated from the same two values: tests/test_notebooks.py.)
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from setup_cell import branch, release, repository_url  # noqa: E402

CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text())
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
CFFCONVERT = Path(sys.executable).parent / "cffconvert"


def _validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CFFCONVERT), "--validate", "-i", str(path)], capture_output=True, text=True)


def test_citation_cff_is_valid():
    result = _validate(ROOT / "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr


def test_validator_rejects_an_invalid_file(tmp_path):
    broken = tmp_path / "CITATION.cff"
    shutil.copy(ROOT / "CITATION.cff", broken)
    broken.write_text(broken.read_text().replace("cff-version: 1.2.0", "cff-version: 1.2.0\nversion: [not, a, string]")
                      .replace('version: "0.1.0"\n', ""))
    assert _validate(broken).returncode != 0


def test_citation_agrees_with_release_and_repository():
    assert CFF["version"] == release()
    assert CFF["repository-code"] == repository_url()
    assert CFF["title"] == CONFIG["title"]


@pytest.mark.parametrize("fragment", [
    lambda: f"git+{repository_url()}@{branch()}",
    lambda: f"colab.research.google.com/github/{repository_url().split('github.com/')[1]}/blob/{CONFIG['repository']['branch']}/book/",
    lambda: f"edition = {{{release()}}}",
    lambda: f"url     = {{{CONFIG['html']['baseurl']}}}",
    lambda: f"title   = {{{CONFIG['title']}}}",
])
def test_readme_agrees(fragment):
    assert fragment() in (ROOT / "README.md").read_text()
