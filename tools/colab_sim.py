"""Run every chapter as a reader would in a fresh Colab runtime.

Run with the Python of a virtual environment that has torch, numpy, matplotlib
and a Jupyter kernel but NOT the `upsampling` package (`make test-colab` builds
one in .venv-colab, the "Colab image"). Each chapter gets a runtime of its own:

1. a new, empty virtual environment layered on the Colab image (a `.pth` file
   makes the image's packages importable, as Colab's are), in which
   `upsampling` is not importable;
2. the notebook copied alone into an empty temporary directory, so that it
   cannot read anything relative to the repository;
3. executed top to bottom by that runtime's own kernel, with UPSAMPLING_SOURCE
   pointing at a wheel built from this checkout (the setup cell installs from
   there instead of the book's branch on GitHub), failing on any error outside cells
   tagged `raises-exception`;
4. afterwards, `upsampling` must be installed in the runtime, and torch must be
   the image's own, untouched.

Chapters run two at a time (their runtimes share nothing).

Usage: python tools/colab_sim.py WHEEL [book/NAME.ipynb ...]
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import venv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from toc import ROOT, toc_notebooks  # noqa: E402

IMAGE_SITE = sysconfig.get_paths()["purelib"]  # the Colab image's site-packages

# Runs inside a runtime: execute the notebook with that runtime's kernel, then report.
RUNNER = r"""
import importlib.metadata, json, sys, time
import nbformat
from nbclient import NotebookClient
path, workdir = sys.argv[1], sys.argv[2]
nb = nbformat.read(path, as_version=4)
start = time.perf_counter()
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": workdir}}).execute()
seconds = time.perf_counter() - start
def version(name):
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None
dist = importlib.metadata.distribution("upsampling") if version("upsampling") else None
print(json.dumps({"seconds": seconds, "upsampling": version("upsampling"), "torch": version("torch"),
                  "torch_file": importlib.util.find_spec("torch").origin,
                  "upsampling_in_runtime": bool(dist) and str(dist.locate_file("")).startswith(sys.prefix)}))
"""


def _runtime(tmp: Path) -> Path:
    """A fresh virtual environment that sees the Colab image's packages but has none of its own."""
    env = tmp / "runtime"
    venv.EnvBuilder(with_pip=False).create(env)
    site = Path(subprocess.run([env / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "colab_image.pth").write_text(IMAGE_SITE + "\n")
    return env / "bin" / "python"


def run(notebook: Path, wheel: Path) -> float:
    with tempfile.TemporaryDirectory(prefix="colab-") as tmp:
        tmp = Path(tmp)
        python = _runtime(tmp)
        work = tmp / "work"
        work.mkdir()
        probe = subprocess.run([python, "-c", "import importlib.util as u; print(u.find_spec('upsampling') is None)"],
                               check=True, capture_output=True, text=True, cwd=work).stdout.strip()
        if probe != "True":
            raise SystemExit(f"{notebook.name}: upsampling is importable before the setup cell ran")
        shutil.copy(notebook, work / notebook.name)
        env = dict(os.environ, UPSAMPLING_SOURCE=str(wheel), OMP_NUM_THREADS="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
        result = subprocess.run([python, "-c", RUNNER, str(work / notebook.name), str(work)], env=env,
                                capture_output=True, text=True, cwd=work)
        if result.returncode != 0:
            raise SystemExit(f"{notebook.name} failed in a fresh runtime:\n{result.stderr[-4000:]}")
        report = json.loads(result.stdout.strip().splitlines()[-1])
    if not report["upsampling_in_runtime"]:
        raise SystemExit(f"{notebook.name}: the setup cell did not install upsampling into the runtime")
    if not report["torch_file"].startswith(IMAGE_SITE):
        raise SystemExit(f"{notebook.name}: torch was replaced ({report['torch_file']})")
    return report["seconds"]


if __name__ == "__main__":
    wheel = Path(sys.argv[1]).resolve()
    notebooks = [Path(p).resolve() for p in sys.argv[2:]] or [ROOT / p for p in toc_notebooks()]
    with ThreadPoolExecutor(max_workers=int(os.environ.get("JOBS", "2"))) as pool:
        for nb, seconds in zip(notebooks, pool.map(lambda nb: run(nb, wheel), notebooks)):
            print(f"{nb.name}: ran alone in a fresh runtime in {seconds:.1f} s", flush=True)
    print(f"{len(notebooks)} passed, 0 failed")
