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
# at most 7 inches wide, saved with a tight bounding box (up to 720 px measured); two figures of interpolation
# are drawn at 64 dpi (page weight). A phone 390 px wide draws every figure 342 px wide (measured in Chromium
# at 390 x 844 on all eleven chapters with figures, 45 figures), so 11-point text comes out at
# 11 * 100 / 72 * 342 / 720, about 7.3 CSS px (22 device pixels at a phone's 3x). What sets that size is the
# figure's width in inches (pixels over the dpi matplotlib writes in the PNG's pHYs chunk), not in pixels:
# a 64-dpi figure 11 inches wide is 704 px and its 11-point text 4.8 CSS px. A wider figure is drawn at the
# same 342 px: its text shrinks. A figure narrower than 342 px is drawn at its own width.
PHONE_FIGURE_PX = 342
MAX_FIGURE_WIDTH_PX = 720   # at 100 dpi
SMALLEST_TEXT_CSS_PX = 11 * 100 / 72 * PHONE_FIGURE_PX / MAX_FIGURE_WIDTH_PX


def png_size_and_dpi(png: bytes) -> tuple[int, float | None]:
    """Width in pixels (IHDR, the first chunk) and dots per inch (pHYs in pixels per metre; None without it)."""
    import struct

    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR", "not a PNG with its IHDR chunk first"
    width = struct.unpack(">I", png[16:20])[0]
    pos = 8
    while pos + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"pHYs":
            per_x, _, unit = struct.unpack(">IIB", png[pos + 8:pos + 17])
            return width, round(per_x * 0.0254, 1) if unit == 1 else None   # 100 dpi is stored as 3937 px/m
        if kind in (b"IDAT", b"IEND"):   # pHYs must come before the image data
            break
        pos += 12 + length
    return width, None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=str)
def test_figures_are_at_most_seven_inches_wide(path):
    import base64

    for i, cell in enumerate(_code_cells(_load(path)), start=1):
        for out in cell.outputs:
            png = out.get("data", {}).get("image/png")
            if png:
                width, dpi = png_size_and_dpi(base64.b64decode(png))
                assert dpi, f"{path}: code cell {i} stores a PNG without its dpi (pHYs chunk)"
                text = 11 * dpi / 72 * min(width, PHONE_FIGURE_PX) / width
                assert text >= SMALLEST_TEXT_CSS_PX - 1e-9, (
                    f"{path}: code cell {i} draws a figure {width} px wide at {dpi:g} dpi ({width / dpi:.2f} in; at "
                    f"most {MAX_FIGURE_WIDTH_PX / 100:g} in): on a phone its 11-point text would be {text:.1f} CSS px")
