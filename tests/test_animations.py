"""The stored animations are what tools/animations.py draws from the package now.

The generator takes every size, every "which input does this output read" and
every shuffle position from the package's operators, and refuses to draw a
window that disagrees with them; these tests make sure the committed files are
its current output (regenerate with `make animations`) and that the checks
inside it can fail.
"""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import animations  # noqa: E402

STORED = ROOT / "book" / "_static" / "animations"


@pytest.fixture(scope="module")
def generated():
    return animations.generate()


def test_at_least_eighteen_animations(generated):
    assert len(generated) >= 18, sorted(generated)


def test_no_stored_file_is_missing_or_extra(generated):
    stored = {p.name for p in STORED.glob("*.svg")}
    assert stored == set(generated), (
        f"missing: {sorted(set(generated) - stored)}, extra: {sorted(stored - set(generated))}; run `make animations`")


@pytest.mark.parametrize("name", [f"{c.name}.svg" for c in animations.CASES])
def test_stored_file_is_fresh(generated, name):
    # bytes, not text: read_text would translate line endings and hide a CRLF or encoding change
    stored = (STORED / name).read_bytes()
    assert stored == generated[name].encode("utf-8"), (
        f"{name} differs from what tools/animations.py draws; run `make animations`")


def test_a_wrong_window_is_refused(monkeypatch):
    """The generator's own check: a window drawn one cell off disagrees with conv_matrix and is refused."""
    case = next(c for c in animations.CASES if c.name == "conv-padding-strides")
    real = animations._grids
    monkeypatch.setattr(animations, "_grids", lambda c: (lambda g: (g[0], g[1], g[2], g[3] + 1))(real(c)))
    with pytest.raises(AssertionError, match="reads"):
        animations.render(case)


def test_a_wrong_transposed_geometry_is_refused(monkeypatch):
    """Zero insertion with the wrong border (one cell too few) disagrees with conv_transpose2d."""
    case = next(c for c in animations.CASES if c.name == "transposed-padding-strides")
    with pytest.raises(AssertionError, match="reads"):
        real = animations._grids

        def shifted(c):
            size, role, place, step = real(c)
            role = {cell: ("zero" if what == "input" else what) for cell, what in role.items()}
            place = {a: (r + 1, col + 1) for a, (r, col) in place.items()}
            role.update({cell: "input" for cell in place.values()})
            return size, role, place, step
        monkeypatch.setattr(animations, "_grids", shifted)
        animations.render(case)


def test_every_file_has_a_title_a_legend_and_the_licence(generated):
    for name, text in generated.items():
        assert "<title" in text and "<desc" in text, name
        assert "CC BY 4.0" in text, name
        assert "prefers-reduced-motion" in text, name
        if not name.startswith("pixel-shuffle"):
            assert ">input<" in text and ">output" in text, name


def test_every_animation_is_in_the_gallery(generated):
    gallery = (ROOT / "book" / "gallery.md").read_text(encoding="utf-8")
    missing = [name for name in generated if f"_static/animations/{name}" not in gallery]
    assert not missing, f"not shown in book/gallery.md: {missing}"
