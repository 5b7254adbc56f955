"""Hygiene of the stored notebooks: the outputs nbval compares must be a clean run.

These checks read the .ipynb files only (nothing is executed), so they are fast
and run with the package tests. Each one protects the claim that the stored
outputs are what a top-to-bottom run of the chapter prints.
"""

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from setup_cell import setup_cell_source  # noqa: E402
from toc import toc_files, toc_notebooks  # noqa: E402

NOTEBOOKS = toc_notebooks(ROOT)
LOCAL_PATH = re.compile(r"(/work/|/home/|/root/|/tmp/|/Users/|site-packages|[A-Z]:\\\\Users)")


def _load(path):
    return nbformat.read(ROOT / path, as_version=4)


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_every_document_in_the_toc_exists():
    missing = [f for f in toc_files(ROOT) if not any((ROOT / (f + ext)).exists() for ext in (".ipynb", ".md"))]
    assert not missing, f"listed in _toc.yml but not found: {missing}"


def test_every_notebook_in_book_is_in_the_toc():
    listed = {ROOT / p for p in NOTEBOOKS}
    orphans = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "book").rglob("*.ipynb")
                     if ".ipynb_checkpoints" not in p.parts and p not in listed)
    assert not orphans, f"notebooks in book/ missing from _toc.yml: {orphans}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=str)
def test_executed_once_top_to_bottom(path):
    counts = [c.execution_count for c in _code_cells(_load(path))]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path}: execution counts {counts} are not 1..{len(counts)}; run `make execute NB={path}`")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=str)
def test_errors_only_where_intended(path):
    for i, cell in enumerate(_code_cells(_load(path)), start=1):
        tags = cell.metadata.get("tags", [])
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if "raises-exception" in tags:
            assert errors, f"{path}: code cell {i} is tagged raises-exception but raised nothing"
        else:
            assert not errors, f"{path}: code cell {i} raised {errors[0].ename}: {errors[0].evalue}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=str)
def test_no_local_paths_in_outputs(path):
    for i, cell in enumerate(_code_cells(_load(path)), start=1):
        for out in cell.outputs:
            text = str(out.get("text", "")) + str(out.get("data", {}).get("text/plain", "")) + str(out.get("traceback", ""))
            match = LOCAL_PATH.search(text)
            assert not match, f"{path}: code cell {i} prints a local path ({match.group(0)}...)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=str)
def test_kernelspec_is_python3(path):
    assert _load(path).metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=str)
def test_setup_cell_is_the_generated_one(path):
    code = _code_cells(_load(path))
    assert code and code[0].source == setup_cell_source(ROOT), (
        f"{path}: the first code cell differs from tools/setup_cell.py's; run `make execute NB={path}`")


# The figures' size on a phone. upsampling.book.figure_style sets 11- and 12-point text at 100 dpi on figures
# at most 7 inches wide, saved with a tight bounding box (up to 720 px measured). A phone 390 px wide draws
# every figure 342 px wide (measured in Chromium at 390 x 844 on five chapters), so 11-point text comes out at
# 11 * 100 / 72 * 342 / 720, about 7.3 CSS px (22 device pixels at a phone's 3x). A wider figure is drawn at
# the same 342 px: its text shrinks.
MAX_FIGURE_WIDTH_PX = 720


@pytest.mark.parametrize("path", NOTEBOOKS, ids=str)
def test_figures_are_at_most_seven_inches_wide(path):
    import base64
    import struct

    for i, cell in enumerate(_code_cells(_load(path)), start=1):
        for out in cell.outputs:
            png = out.get("data", {}).get("image/png")
            if png:
                header = base64.b64decode(png[:44])  # the signature, then the IHDR chunk: width and height
                assert header[12:16] == b"IHDR", f"{path}: code cell {i} stores a PNG without its IHDR chunk first"
                width = struct.unpack(">I", header[16:20])[0]
                assert width <= MAX_FIGURE_WIDTH_PX, (
                    f"{path}: code cell {i} draws a figure {width} px wide (more than {MAX_FIGURE_WIDTH_PX} px: 7 "
                    "inches at the book's 100 dpi and a tight bounding box): on a phone its text would be smaller")
