"""Does the package and every chapter work with another torch? (`make compat TORCH=x.y.z`)

Builds a throwaway virtual environment `.venv-compat/<version>` with that torch (from the
package index: other versions than the pinned CPU build are CUDA builds of several GB) and
only what the package, its tests and the chapters import; then

1. runs the package's tests and doctests (`pytest tests upsampling`, the browser, notebook
   hygiene and citation tests left out: they test the book's build, not torch);
2. executes every chapter of `_toc.yml` top to bottom in a fresh kernel, on a copy, with its
   assertions on and its stored outputs not compared: what a Colab reader with that torch runs.

It prints one line per stage and a closing table, writes nothing into the repository outside
`.venv-compat/`, and exits non-zero when anything failed. It is not part of `make test`.

Usage: python tools/compat.py 2.15.0 [--keep-going] [--skip-install]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from toc import ROOT, toc_notebooks  # noqa: E402

# What the package, its tests and the chapters import, besides torch; unpinned on purpose
# except where an old torch needs an old NumPy (torch < 2.3 was built against NumPy 1.x).
BASE = ["matplotlib", "scipy", "pillow", "pytest", "pytest-xdist", "hypothesis", "pyyaml",
        "nbclient", "nbformat", "ipykernel", "myst-nb==1.4.0"]
NOT_TORCH = ["--ignore=tests/browser", "--ignore=tests/test_notebooks.py", "--ignore=tests/test_citation.py"]


def _version(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in v.split("+")[0].split(".")[:3])


def build(version: str, venv: Path) -> None:
    if venv.exists():
        shutil.rmtree(venv)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    numpy = "numpy<2" if _version(version) < (2, 3) else "numpy"
    env = dict(os.environ, PIP_CONSTRAINT="")  # the machine's cap on torch applies to the book's venv, not here
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", f"torch=={version}", numpy, *BASE],
                   check=True, env=env)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", str(ROOT)],
                   check=True, env=env)


def run_tests(python: Path) -> tuple[bool, str]:
    with tempfile.TemporaryDirectory() as tmp:  # import the installed package, not the checkout
        shutil.copytree(ROOT / "tests", Path(tmp) / "tests")
        shutil.copy(ROOT / "pyproject.toml", tmp)
        site = subprocess.run([str(python), "-c", "import upsampling, os; print(os.path.dirname(upsampling.__file__))"],
                              capture_output=True, text=True, check=True, cwd=tmp).stdout.strip()
        proc = subprocess.run([str(python), "-m", "pytest", "-q", "-n", "2", "tests", site, *NOT_TORCH, "-p", "no:cacheprovider",
                               "--rootdir", tmp], capture_output=True, text=True, cwd=tmp)
    tail = (proc.stdout + proc.stderr).strip().splitlines()
    return proc.returncode == 0, tail[-1] if tail else ""


def run_chapter(python: Path, notebook: Path) -> tuple[bool, str, float]:
    code = (
        "import sys, nbformat\nfrom nbclient import NotebookClient\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\n"
        "for c in nb.cells:\n"
        "    if c.cell_type == 'code' and 'raises-exception' in c.metadata.get('tags', []):\n"
        "        c.metadata.setdefault('tags', [])\n"
        "NotebookClient(nb, timeout=600, kernel_name='python3', allow_error_names=[],\n"
        "               resources={'metadata': {'path': sys.argv[2]}}).execute()\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / notebook.name
        shutil.copy(notebook, copy)
        start = time.perf_counter()
        proc = subprocess.run([str(python), "-c", code, str(copy), tmp], capture_output=True, text=True,
                              env=dict(os.environ, OMP_NUM_THREADS="1"))
        seconds = time.perf_counter() - start
    lines = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    why = next((line for line in reversed(lines) if "Error" in line), lines[-1] if lines else "")
    return proc.returncode == 0, why[:160], seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("torch_version")
    parser.add_argument("--skip-install", action="store_true", help="reuse an existing .venv-compat/<version>")
    args = parser.parse_args()
    venv = ROOT / ".venv-compat" / args.torch_version
    if not args.skip_install:
        print(f"building {venv.relative_to(ROOT)} with torch=={args.torch_version} ...", flush=True)
        build(args.torch_version, venv)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"],
                   check=True, capture_output=True)
    got = subprocess.run([str(python), "-c", "import torch, numpy; print(torch.__version__, numpy.__version__)"],
                         capture_output=True, text=True, check=True).stdout.split()
    print(f"torch {got[0]}, numpy {got[1]}", flush=True)
    results = []
    ok, tail = run_tests(python)
    results.append(("package tests", ok, tail))
    print(f"package tests: {'pass' if ok else 'FAIL'}: {tail}", flush=True)
    for nb in toc_notebooks():
        ok, why, seconds = run_chapter(python, ROOT / nb)
        results.append((nb, ok, f"{seconds:.0f} s" if ok else why))
        print(f"{nb}: {'pass' if ok else 'FAIL'} ({seconds:.0f} s) {'' if ok else why}", flush=True)
    print(f"\n| torch {got[0]} | result | detail |\n|---|---|---|")
    for name, ok, detail in results:
        print(f"| {name} | {'pass' if ok else 'FAIL'} | {detail} |")
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
