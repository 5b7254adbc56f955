"""The notebooks of the book, in the order of `_toc.yml` (one path per line).

Used by the Makefile (nbval, `make execute`) and by the tests, so that the
table of contents is the single list of chapters.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _files(node) -> list[str]:
    files = []
    if isinstance(node, dict):
        for key in ("root", "file"):
            if key in node:
                files.append(node[key])
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key, []):
                files += _files(child)
    return files


def toc_files(root: Path = ROOT) -> list[str]:
    """Every document listed in `_toc.yml`, without extension, in order."""
    return _files(yaml.safe_load((root / "_toc.yml").read_text()))


def toc_notebooks(root: Path = ROOT) -> list[Path]:
    """The `.ipynb` files listed in `_toc.yml`, relative to `root`."""
    return [Path(f + ".ipynb") for f in toc_files(root) if (root / (f + ".ipynb")).exists()]


if __name__ == "__main__":
    names = sys.argv[1:]
    for path in toc_notebooks():
        if not names or path.stem in names:
            print(path)
