"""Run every chapter as a reader would in a fresh Colab runtime.

Run with the Python of a virtual environment that has torch, numpy, matplotlib
and a Jupyter kernel but NOT the `upsampling` package (`make test-notebooks` builds
one in .venv-colab, the "Colab image"). Each chapter gets a runtime of its own:

1. a new, empty virtual environment layered on the Colab image (a `.pth` file
   makes the image's packages importable, as Colab's are), in which
   `upsampling` is not importable;
2. the notebook copied alone into an empty temporary directory, so that it
   cannot read anything relative to the repository;
3. executed top to bottom under nbval in strict mode, by PYTHON's pytest (an
   interpreter with pytest and nbval: the checkout's own) with that runtime as
   its kernel, and UPSAMPLING_SOURCE pointing at a wheel built from this checkout
   (the setup cell installs from there instead of the book's branch on GitHub):
   every stored text output (nbval skips PNG data) must come out again, and any
   error outside cells tagged `raises-exception` fails, so that one execution
   checks both the outputs and that the chapter runs where a reader opens it;
4. afterwards, `upsampling` must be installed in the runtime, and torch must be
   the image's own, untouched.

Chapters run two at a time (their runtimes share nothing).

Usage: python tools/colab_sim.py PYTHON WHEEL [book/NAME.ipynb ...]
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
LONGEST = ("cost", "porting", "checkerboard")  # 47, 28 and 24 s alone on two cores (the others: 13 to 22 s)

def _runtime(tmp: Path) -> Path:
    """A fresh virtual environment that sees the Colab image's packages but has none of its own."""
    env = tmp / "runtime"
    venv.EnvBuilder(with_pip=False).create(env)
    site = Path(subprocess.run([env / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "colab_image.pth").write_text(IMAGE_SITE + "\n")
    return env / "bin" / "python"


# Runs inside a runtime after nbval: where `upsampling` and torch were imported from.
PROBE = r"""
import importlib.metadata, importlib.util, json, sys
try:
    dist = importlib.metadata.distribution("upsampling")
except importlib.metadata.PackageNotFoundError:
    dist = None
print(json.dumps({"torch_file": importlib.util.find_spec("torch").origin,
                  "upsampling_in_runtime": bool(dist) and str(dist.locate_file("")).startswith(sys.prefix)}))
"""


def run(notebook: Path, wheel: Path, nbval_python: str) -> float:
    """Run one chapter alone in a fresh runtime under nbval in strict mode (`nbval_python` is an
    interpreter that has pytest and nbval; the runtime is the kernel); return the seconds nbval took."""
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
        kernel = tmp / "jupyter" / "kernels" / "colab-runtime"
        kernel.mkdir(parents=True)
        (kernel / "kernel.json").write_text(json.dumps({
            "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Colab runtime", "language": "python"}))
        # Only nbval among pytest's plugins: auto-loading all of them (hypothesis rewrites the
        # asserts of its whole package) cost each chapter's run about a second.
        env = dict(os.environ, UPSAMPLING_SOURCE=str(wheel), OMP_NUM_THREADS="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
                   PIP_ROOT_USER_ACTION="ignore", JUPYTER_PATH=str(tmp / "jupyter"), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
        start = time.perf_counter()
        # pytest from `work`: no configuration of the repository applies, only these options.
        result = subprocess.run([nbval_python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "nbval", "--nbval",
                                 "--nbval-kernel-name", "colab-runtime",
                                 "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
                                 "--nbval-cell-timeout", "300", notebook.name],
                                env=env, capture_output=True, text=True, cwd=work)
        seconds = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(f"{notebook.name}: nbval failed in a fresh runtime:\n{result.stdout[-6000:]}{result.stderr[-2000:]}")
        report = json.loads(subprocess.run([python, "-c", PROBE], check=True, capture_output=True, text=True,
                                           cwd=work).stdout.strip().splitlines()[-1])
    if not report["upsampling_in_runtime"]:
        raise SystemExit(f"{notebook.name}: the setup cell did not install upsampling into the runtime")
    if not report["torch_file"].startswith(IMAGE_SITE):
        raise SystemExit(f"{notebook.name}: torch was replaced ({report['torch_file']})")
    return seconds


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__.rsplit("Usage: ", 1)[1].strip())
    nbval_python = os.path.abspath(sys.argv[1])  # absolute, not resolved: a venv's python is a link
    wheel = Path(sys.argv[2]).resolve()
    notebooks = [Path(p).resolve() for p in sys.argv[3:]] or [ROOT / p for p in toc_notebooks()]
    # The longest chapters start first, so that the two workers finish together instead of one
    # running the longest alone at the end (a scheduling hint only: every chapter runs either way).
    notebooks.sort(key=lambda nb: nb.stem not in LONGEST)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=int(os.environ.get("JOBS", "2"))) as pool:
        for nb, seconds in zip(notebooks, pool.map(lambda nb: run(nb, wheel, nbval_python), notebooks)):
            print(f"{nb.name}: nbval passed alone in a fresh runtime in {seconds:.1f} s", flush=True)
    print(f"{len(notebooks)} passed, 0 failed ({time.perf_counter() - started:.0f} s)")
