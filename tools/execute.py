"""Execute notebooks in place, top to bottom, and store their outputs (`make execute`).

Usage: python tools/execute.py [book/NAME.ipynb ...]   (default: every notebook in _toc.yml)

The setup cell is refreshed from its one source first (tools/setup_cell.py), then
each notebook runs in a fresh kernel with its own folder as working directory.
Timing metadata is not recorded, so re-executing an unchanged chapter leaves
git with nothing to commit.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from setup_cell import write_setup_cell  # noqa: E402
from toc import ROOT, toc_notebooks  # noqa: E402


def merge_streams(nb) -> None:
    """Join consecutive stdout (or stderr) chunks of a cell into one output.

    How a kernel splits a cell's printing into chunks depends on timing; merged,
    the stored notebook is the same on every run (nbval compares the joined text).
    """
    for cell in nb.cells:
        merged = []
        for out in cell.get("outputs", []):
            if (out.output_type == "stream" and merged and merged[-1].output_type == "stream"
                    and merged[-1].name == out.name):
                merged[-1].text += out.text
            else:
                merged.append(out)
        if cell.cell_type == "code":
            cell.outputs = merged


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    write_setup_cell(nb)
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    merge_streams(nb)
    nbformat.write(nb, path)
    return seconds


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or [ROOT / p for p in toc_notebooks()]
    for path in paths:
        print(f"{path}: executed in {execute(path):.1f} s", flush=True)
