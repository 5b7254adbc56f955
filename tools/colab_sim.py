"""Run every chapter as a reader would in a fresh Colab runtime.

Run with the Python of a virtual environment that has torch, numpy, matplotlib
and a Jupyter kernel but NOT the `upsampling` package (`make test-colab` builds
one in .venv-colab). For each notebook of `_toc.yml`:

1. check that `upsampling` is not importable (a fresh runtime);
2. copy the notebook alone into an empty temporary directory, so that it
   cannot read anything relative to the repository;
3. execute it top to bottom with UPSAMPLING_SOURCE pointing at a wheel built
   from this checkout (the setup cell installs from there instead of the
   release on GitHub), failing on any error outside `raises-exception` cells;
4. check that the installed torch is still the one the runtime had;
5. uninstall `upsampling` again for the next chapter.

Usage: python tools/colab_sim.py WHEEL [book/NAME.ipynb ...]
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from toc import ROOT, toc_notebooks  # noqa: E402


def _installed(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def run(notebook: Path, wheel: Path) -> float:
    subprocess.run([sys.executable, "-m", "pip", "uninstall", "-q", "-y", "upsampling"], check=True,
                   capture_output=True)
    importlib.invalidate_caches()
    if importlib.util.find_spec("upsampling") is not None or _installed("upsampling"):
        raise SystemExit("upsampling is importable before the setup cell ran: not a fresh runtime")
    torch_before = _installed("torch")
    with tempfile.TemporaryDirectory(prefix="colab-") as tmp:
        copy = Path(tmp) / notebook.name
        shutil.copy(notebook, copy)
        nb = nbformat.read(copy, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        os.environ["UPSAMPLING_SOURCE"] = str(wheel)
        start = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                       resources={"metadata": {"path": tmp}}).execute()
        seconds = time.perf_counter() - start
    if _installed("upsampling") is None:
        raise SystemExit(f"{notebook}: the setup cell did not install upsampling")
    if _installed("torch") != torch_before:
        raise SystemExit(f"{notebook}: installing upsampling changed torch {torch_before} -> {_installed('torch')}")
    return seconds


if __name__ == "__main__":
    wheel = Path(sys.argv[1]).resolve()
    notebooks = [Path(p) for p in sys.argv[2:]] or [ROOT / p for p in toc_notebooks()]
    for nb in notebooks:
        print(f"{nb.name}: ran in a fresh runtime in {run(nb, wheel):.1f} s", flush=True)
    print(f"{len(notebooks)} passed, 0 failed")
