"""The explorers of book/explorers.md, driven through their controls in headless Chromium.

Each test opens the built page, sets the explorer's form fields one configuration
after another (as a reader would, with input/change events), reads what the
explorer then displays, and compares it with what the `upsampling` package
computes for the same configuration:

* transposed convolution: whether PyTorch's own ``F.conv_transpose2d`` refuses it (and for
  which reason; an output of size 0 is shown as no output), the output size and its terms,
  the overlap count of every output pixel in 2-D and 1-D (``upsampling.artifacts.overlap_map``),
  and the output pixels that the current input pixel writes (``upsampling.conv_transpose2d``
  of a one-hot input), in both views; in the scatter view also the shade of every output pixel
  (how many input pixels up to the current one write it, 4 or more alike); in the zero-insertion view also every cell of the grid
  that the stride-1 convolution reads (built with PyTorch and checked against it) and the
  outlined current input pixel;
* interpolation: the output size, PyTorch's refusals, the weights shown for every output
  pixel (a row of ``upsampling.interpolation_matrix``), as numbers and as the displayed
  4-decimal text, and the source coordinate shown (linear without antialias, nearest);
* pixel shuffle: the source of every output pixel (``upsampling.pixel_shuffle`` of
  0, 1, 2, ... for CRD; ``upsampling.depth_to_space(..., "DCR")`` for DCR);
* convolution as a matrix: for every output pixel its row of C and for every input
  pixel its column, with the kernel tap of each entry (``upsampling.conv_matrix``).

Agreement must be 100 %; a script error on the page fails too. Self-contained: it
needs only the fixtures of tests/browser/conftest.py and a built book.

Speed: by default (``make test``) each explorer is driven over a deterministic subset of
its grid: every ``STRIDE``-th configuration, plus, for every parameter, the first
configuration holding each of its values that the stride missed, so every value of every
control is still exercised and every check can still fail. ``EXPLORER_GRID=full`` drives
the whole grid. The failure message and the printed line give both sizes.
"""

import collections
import functools
import importlib
import itertools
import json
import math
import os
import re

import pytest


class _OnFirstUse:
    """A module imported when one of its names is first read: every test process collects this
    file, but only the one that runs it (xdist_group below) imports PyTorch (3 s of CPU)."""

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        if attr.startswith("_"):  # pytest's collection probes every name of the module (__wrapped__,
            raise AttributeError(attr)  # _mock_name, ...): answering those would import PyTorch there
        return getattr(importlib.import_module(self._name), attr)


torch = _OnFirstUse("torch")
F = _OnFirstUse("torch.nn.functional")
upsampling = _OnFirstUse("upsampling")
shapes = _OnFirstUse("upsampling.shapes")
artifacts = _OnFirstUse("upsampling.artifacts")

pytestmark = pytest.mark.xdist_group("explorers")

PAGE = "book/explorers.html"

# The grids (sizes reported in the tests' failure messages and in the project notes).
TRANSPOSED_GRID = list(itertools.product(range(1, 5), range(1, 5), range(1, 4), range(0, 4), range(1, 4), range(0, 3)))
INTERP_SCALES = [0.25, 0.5, 0.6, 0.75, 1.0, 1.25, 1.5, 1.7, 2.0, 2.5, 3.0, 4.0]
INTERP_VARIANTS = ([("nearest", False, False, rc) for rc in (False, True)]
                   + [("nearest-exact", False, False, rc) for rc in (False, True)]
                   + [("area", False, False, False)]
                   + [(m, ac, aa, rc) for m in ("linear", "cubic") for ac in (False, True) for aa in (False, True)
                      for rc in (False, True)])
INTERP_GRID = [(m, n, sf, ac, aa, rc) for (m, ac, aa, rc) in INTERP_VARIANTS for n in range(1, 9) for sf in INTERP_SCALES]
SHUFFLE_GRID = list(itertools.product(range(1, 5), range(1, 4), range(1, 4), range(1, 4), ("CRD", "DCR")))
MATRIX_GRID = list(itertools.product(range(1, 7), range(1, 5), range(1, 4), range(0, 3), range(1, 3)))

FULL = os.environ.get("EXPLORER_GRID", "").lower() == "full"
STRIDE = 7  # prime, so the stride does not lock onto one value of a parameter


def subset(grid, stride=STRIDE):
    """Every ``stride``-th configuration, plus one configuration for each parameter value it missed."""
    if FULL:
        return list(grid)
    picked = set(range(0, len(grid), stride))
    for position in range(len(grid[0])):
        seen = {grid[q][position] for q in picked}
        for q, config in enumerate(grid):
            if config[position] not in seen:
                picked.add(q)
                seen.add(config[position])
    return [grid[q] for q in sorted(picked)]


def _sizes(run, grid):
    return f"{len(run)} of {len(grid)} configurations" + ("" if FULL else "; EXPLORER_GRID=full for all")

# In-page driver: set a field as a reader would and let the explorer redraw.
SET = """() => {
window.__set = (root, name, value) => {
  const el = root.querySelector(`[name="${name}"]`);
  if (!el) throw new Error("no control " + name);
  if (el.type === "checkbox") {
    if (el.checked !== value) { el.checked = value; el.dispatchEvent(new Event("change", {bubbles: true})); }
  } else if (el.value !== String(value)) {
    el.value = String(value);
    el.dispatchEvent(new Event(el.tagName === "SELECT" ? "change" : "input", {bubbles: true}));
  }
};
}"""


@pytest.fixture(scope="module")
def _explorers(browser, base_url):
    """The explorers page, loaded once per test process: every test below sets each control it reads
    for every configuration it drives, so no test depends on the state another left."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text} at {m.location.get('url')}"))
    page.goto(f"{base_url}/{PAGE}", wait_until="load")
    page.wait_for_function("() => document.querySelectorAll('div.explorer[data-ready]').length === 4")
    page.evaluate(SET)
    assert not errors, errors  # while loading
    yield page, errors
    page.close()


@pytest.fixture
def explorer_page(_explorers):
    """The page for one test; any page error or console error during the test fails it."""
    page, errors = _explorers
    errors.clear()
    yield page
    assert not errors, errors


def _read(page, script, arg):
    """page.evaluate(script, arg), its result sent back as one JSON string: Playwright checks a
    returned structure value by value in Python and Node (the reads below return some 10^5 values)."""
    return json.loads(page.evaluate(f"(arg) => JSON.stringify(({script.strip()})(arg))", arg))


def _report(bad, run, grid, what):
    print(f"{what}: {_sizes(run, grid)}")
    assert not bad, (f"{what}: {len(bad)} of {len(run)} configurations disagree with the package "
                     f"({_sizes(run, grid)}), e.g. {bad[:3]}")


# --------------------------------------------------------------------------- transposed convolution


def _torch_transposed_refusal(i, k, s, p, d, op):
    """What PyTorch's own 2-D operator does in float64: (None, its output size) if it accepts, else (the reason,
    None); for a refused size it reads the size PyTorch reports ("Calculated output size per channel: (o x o)"):
    an output of size 0 is shown as no output, a negative one as refused."""
    try:
        y = F.conv_transpose2d(torch.zeros(1, 1, i, i, dtype=torch.float64), torch.zeros(1, 1, k, k, dtype=torch.float64),
                               stride=s, padding=p, output_padding=op, dilation=d)
    except RuntimeError as e:
        if "output padding must be smaller" in str(e):
            return "output_padding", None
        size = re.search(r"Calculated output size per channel: \((-?\d+) x (-?\d+)\)", str(e))
        assert size and size[1] == size[2], str(e)
        return ("empty" if int(size[1]) == 0 else "size"), None
    assert y.shape[-1] == y.shape[-2] > 0
    return None, y.shape[-1]


@functools.lru_cache(maxsize=None)  # both views drive the same configurations: computed once (1.4 s)
def _transposed_expected(i, k, s, p, d, op):
    refused, torch_o = _torch_transposed_refusal(i, k, s, p, d, op)
    try:
        o = shapes.conv_transpose_output_size(i, k, s, p, d, op)
    except ValueError as e:   # the package refuses exactly where PyTorch does, for the same reason
        reason = "output_padding" if "output_padding=" in str(e).split(" must")[0] else "size"
        assert refused is not None and reason == {"empty": "size"}.get(refused, refused), ((i, k, s, p, d, op), e, refused)
        return {"refused": refused}
    assert refused is None and o == torch_o, ((i, k, s, p, d, op), refused, o, torch_o)
    counts = artifacts.overlap_map((i, i), k, s, p, op, d).flatten().tolist()
    counts1d = artifacts.overlap_map(i, k, s, p, op, d).tolist()
    onehots = torch.eye(i * i, dtype=torch.float64).reshape(i * i, 1, i, i)
    y = upsampling.conv_transpose2d(onehots, torch.ones(1, 1, k, k, dtype=torch.float64), stride=s, padding=p,
                                    output_padding=op, dilation=d)
    stamps = [(y[a, 0].flatten() != 0).nonzero().flatten().tolist() for a in range(i * i)]
    terms = [(i - 1) * s, 2 * p, d * (k - 1), op, 1]  # shown as (i-1)s - 2p + d(k-1) + op + 1
    assert terms[0] - terms[1] + sum(terms[2:]) == torch_o   # the terms add up to the size PyTorch computes
    return {"o": o, "counts": counts, "counts1d": counts1d, "stamps": stamps, "terms": terms,
            "zero": _zero_grid(i, k, s, p, d, op)}


def _zero_grid(i, k, s, p, d, op):
    """The grid the stride-1 convolution of the zero-insertion view reads, checked against PyTorch, row-major:
    input pixels as "row,column", inserted zeros as "ex-zero", padding (and output padding) as "ex-pad"."""
    x = torch.arange(1.0, i * i + 1, dtype=torch.float64).reshape(1, 1, i, i)
    up = x.new_zeros(1, 1, (i - 1) * s + 1, (i - 1) * s + 1)
    up[..., ::s, ::s] = x
    q = d * (k - 1) - p
    grid = F.pad(up, (q, q + op, q, q + op))                                  # negative q crops
    w = torch.rand(1, 1, k, k, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(F.conv2d(grid, w.flip(-2, -1), dilation=d),
                               F.conv_transpose2d(x, w, stride=s, padding=p, output_padding=op, dilation=d))
    box = F.pad(torch.ones_like(up), (q, q + op, q, q + op))                  # 1 inside the zero-inserted input
    return [f"{int(v - 1) // i},{int(v - 1) % i}" if v else ("ex-zero" if b else "ex-pad")
            for v, b in zip(grid.flatten().tolist(), box.flatten().tolist())]


TRANSPOSED_READ = """
([grid, view]) => {
  const root = document.querySelector('div.explorer[data-kind="transposed"]');
  __set(root, "view", view);
  const out = [];
  for (const [i, k, s, p, d, op] of grid) {
    for (const [name, v] of [["i", i], ["k", k], ["s", s], ["p", p], ["d", d], ["op", op]]) __set(root, name, v);
    const steps = i <= 2 ? [...Array(i * i).keys()] : [0, i + 1, i * i - 1];
    const refused = root.querySelector("[data-refused]");
    if (refused) { out.push({refused: refused.dataset.refused}); continue; }
    const r = {o: Number(root.querySelector("[data-out-size]").textContent), stamps: {},
               terms: [...root.querySelectorAll("[data-term]")].map(t => Number(t.textContent))};
    if (view === "zero") { r.zero = [...root.querySelectorAll("[data-z]")].map(e => e.dataset.z); r.current = {}; }
    else r.shades = {};
    for (const step of steps) {
      __set(root, "step", step);
      if (view === "zero") r.current[step] = [...root.querySelectorAll("rect.ex-cur[data-z]")].map(e => e.dataset.z);
      const cells = [...root.querySelectorAll("[data-count]")];
      r.counts = cells.map(c => Number(c.nextElementSibling.textContent));
      r.stamps[step] = cells.flatMap((c, q) => c.dataset.stamp === "1" ? [q] : []);
      if (view === "scatter") r.shades[step] = cells.map(c => Number((c.getAttribute("class").split(" ").find(x => x.startsWith("ex-shade")) || "ex-shade-1").slice(8)));
    }
    r.counts1d = [...root.querySelectorAll("[data-count1d]")].map(c => Number(c.nextElementSibling.textContent));
    __set(root, "step", 0);
    out.push(r);
  }
  return out;
}
"""


@pytest.mark.parametrize("view", ["scatter", "zero"])
def test_transposed_explorer_agrees_with_the_package(explorer_page, view):
    grid = subset(TRANSPOSED_GRID)
    assert view == "scatter" or any(c[3] > c[4] * (c[1] - 1) for c in grid)   # the cropped case p > d(k-1) is driven
    shown = _read(explorer_page, TRANSPOSED_READ, [grid, view])
    bad = []
    for config, got in zip(grid, shown):
        want = _transposed_expected(*config)
        if "refused" in want or "refused" in got:
            if want.get("refused") != got.get("refused"):
                bad.append((config, want.get("refused", want.get("o")), got))
            continue
        problems = [key for key in ("o", "counts", "counts1d", "terms") if got[key] != want[key]]
        if got["terms"][0] - got["terms"][1] + sum(got["terms"][2:]) != got["o"]:
            problems.append("the terms shown do not add up to the size shown")
        if view == "zero":
            if got["zero"] != want["zero"]:
                problems.append("zero-insertion grid")
            for step, cells in got["current"].items():
                i = config[0]
                label = f"{int(step) // i},{int(step) % i}"
                if cells != ([label] if label in want["zero"] else []):
                    problems.append(f"current input pixel {step}")
        problems += [f"stamp {step}" for step, cells in got["stamps"].items() if cells != want["stamps"][int(step)]]
        if view == "scatter":  # each output pixel shaded by how many input pixels up to the current one write it (4: 4 or more)
            for step, shades in got["shades"].items():
                written = collections.Counter(q for a in range(int(step) + 1) for q in want["stamps"][a])
                if shades != [min(written[q], 4) for q in range(want["o"] ** 2)]:
                    problems.append(f"shading at input pixel {step}")
        if problems:
            bad.append((config, problems))
    assert len(shown) == len(grid)
    _report(bad, grid, TRANSPOSED_GRID, f"transposed explorer ({view} view)")


# --------------------------------------------------------------------------- interpolation


def _torch_matrix(mode, n, sf, ac, aa, rc):
    """PyTorch's own F.interpolate, given the reader's arguments, applied to the unit vectors: its matrix."""
    eye = torch.eye(n, dtype=torch.float64)
    if mode in ("nearest", "nearest-exact", "area", "linear") and not aa:
        kwargs = {"align_corners": ac} if mode == "linear" else {}
        out = F.interpolate(eye.reshape(n, 1, n), scale_factor=sf, mode=mode, recompute_scale_factor=rc, **kwargs)
        return out[:, 0, :].T
    # bicubic and antialias exist only in 2-D: one row, height scale 1
    out = F.interpolate(eye.reshape(n, 1, 1, n), scale_factor=(1.0, sf), mode={"linear": "bilinear"}.get(mode, "bicubic"),
                        recompute_scale_factor=rc, align_corners=ac, antialias=aa)
    return out[:, 0, 0, :].T


def _interp_expected(mode, n, sf, ac, aa, rc):
    o = math.floor(n * sf)
    if o < 1:   # PyTorch refuses, except in area mode (adaptive average pooling), which returns an empty tensor
        try:
            _torch_matrix(mode, n, sf, ac, aa, rc)
        except RuntimeError as e:
            assert "sizes should be greater than 0" in str(e), str(e)
            return {"refused": "size"}
        assert _torch_matrix(mode, n, sf, ac, aa, rc).numel() == 0
        return {"refused": "empty"}
    # which arguments reach the package: the scale enters the mapping unless it is recomputed from the sizes,
    # and never for area or align_corners. That rule is the explorer's too, so it is checked here against
    # PyTorch's own operator called with the reader's arguments, not taken on trust.
    scale_factor = None if (mode == "area" or rc or ac) else sf
    kwargs = {"align_corners": ac, "antialias": aa} if mode in ("linear", "cubic") else {}
    matrix = upsampling.interpolation_matrix(n, o, mode, scale_factor=scale_factor, **kwargs)
    reference = _torch_matrix(mode, n, sf, ac, aa, rc)
    assert reference.shape == matrix.shape and torch.allclose(reference, matrix, atol=1e-9, rtol=0), (
        f"the package's matrix differs from F.interpolate for {(mode, n, sf, ac, aa, rc)}")
    return {"o": o, "rows": matrix.tolist()}


def _source_agrees(config, j, row, xi):
    """The source coordinate shown for one output pixel, against PyTorch's row of weights (the package's row,
    asserted equal to F.interpolate's): for linear without antialias it is PyTorch's source index before the
    clamp (the expression in area_pixel_compute_source_index, aten/src/ATen/native/UpSample.h), from the sizes:
    j (n - 1) / (o - 1) with align_corners (0 when o == 1), else (j + 1/2) / scale - 1/2, scale the scale_factor
    passed or o / n; j itself when n == o, where PyTorch copies the input whatever the scale. Inside [0, n - 1]
    it must also be the weighted mean of the input indices (outside, PyTorch clamps and the weights no longer
    tell it). A shown coordinate clamped into [0, n - 1] is the weighted mean too, so only the closed form
    catches it. For nearest (nearest-exact) the one index with weight 1 is floor(xi) (floor(xi + 1/2)),
    clamped to the input. Area shows none; cubic and antialiased rows are not read back as a coordinate.
    ``xi`` is the data-xi attribute as the page has it (None: no such element), parsed here: sent as a
    number, a NaN or an infinity would come back from JSON as null, which reads as "none shown"."""
    mode, n, sf, ac, aa, rc = config
    if mode == "area":
        return xi is None
    if xi is None:
        return False
    xi = float(xi)   # JavaScript's String(number): "NaN" and "Infinity" parse too, as what they are
    if not math.isfinite(xi):
        return False
    if mode == "linear" and not aa:
        o = math.floor(n * sf)
        if o == n:
            source = j
        elif ac:
            source = j * (n - 1) / (o - 1) if o > 1 else 0.0
        else:
            source = (j + 0.5) / (o / n if rc else sf) - 0.5
        if abs(source - xi) > 1e-9:
            return False
        return not 0 <= xi <= n - 1 or abs(sum(q * w for q, w in enumerate(row)) - xi) <= 1e-6
    if mode in ("nearest", "nearest-exact"):
        picked = row.index(1.0)
        shift = 0.5 if mode == "nearest-exact" else 0.0
        return picked in {min(max(math.floor(max(xi, 0) + shift + e), 0), n - 1) for e in (-1e-6, 0, 1e-6)}
    return True


INTERP_READ = """
(grid) => {
  const root = document.querySelector('div.explorer[data-kind="interpolation"]');
  const out = [];
  for (const [mode, n, sf, ac, aa, rc] of grid) {
    for (const [name, v] of [["mode", mode], ["ac", ac], ["aa", aa], ["rc", rc], ["n", n], ["sf", sf]]) __set(root, name, v);
    const refused = root.querySelector("[data-refused]");
    if (refused) { out.push({refused: refused.dataset.refused}); continue; }
    const o = Number(root.querySelector("[data-out-size]").textContent);
    const rows = [];
    const xis = [];
    for (let j = 0; j < o; j++) {
      __set(root, "j", j);
      const xi = root.querySelector("[data-xi]");
      xis.push(xi ? xi.dataset.xi : null);   // the text: JSON would send a NaN or an infinity as null
      rows.push([...root.querySelectorAll("[data-w-index]")].map(w =>
        [Number(w.dataset.wIndex), Number(w.dataset.w), Number(w.textContent.split(":")[1])]));
    }
    out.push({o, rows, xis});
  }
  return out;
}
"""


def test_an_empty_interpolation_is_refused_except_by_area():
    """Over every setting of the interpolation explorer's controls with an output size floor(n * sf) of 0
    (n <= 16, scale_factor 0.1 to 8 in steps of 0.05), PyTorch refuses, except in area mode, which returns an
    empty tensor: what the explorer says. No browser needed."""
    settings = [(n, round(0.1 + 0.05 * q, 2)) for n in range(1, 17) for q in range(159)
                if math.floor(n * round(0.1 + 0.05 * q, 2)) < 1]
    outcome = set()
    for (mode, ac, aa, rc), (n, sf) in itertools.product(INTERP_VARIANTS, settings):
        try:
            outcome.add((mode, _torch_matrix(mode, n, sf, ac, aa, rc).numel()))
        except RuntimeError as e:
            assert "sizes should be greater than 0" in str(e)
            outcome.add((mode, "refused"))
    assert len(settings) == 41 and outcome == {("area", 0)} | {(m, "refused") for m in ("nearest", "nearest-exact",
                                                                                          "linear", "cubic")}, outcome


def test_interpolation_explorer_agrees_with_the_package(explorer_page):
    grid = subset(INTERP_GRID)
    shown = _read(explorer_page, INTERP_READ, grid)
    bad, rows_checked = [], 0
    for config, got in zip(grid, shown):
        want = _interp_expected(*config)
        if "refused" in want or "refused" in got:
            if want.get("refused") != got.get("refused"):
                bad.append((config, want, got))
            continue
        if got["o"] != want["o"]:
            bad.append((config, "output size", got["o"], want["o"]))
            continue
        for j, (row, entries) in enumerate(zip(want["rows"], got["rows"])):
            rows_checked += 1
            value = [0.0] * len(row)
            text = [0.0] * len(row)
            for index, w, shown_text in entries:
                value[index] += w
                text[index] += shown_text
            if any(abs(a - b) > 1e-9 for a, b in zip(value, row)) or any(abs(a - b) > 5.1e-5 for a, b in zip(text, row)):
                bad.append((config, f"output pixel {j}", entries, row))
                break
            if sorted(index for index, _, _ in entries) != [q for q, w in enumerate(row) if w != 0]:
                bad.append((config, f"output pixel {j}: shown taps differ", entries, row))
                break
            if not _source_agrees(config, j, row, got["xis"][j]):
                bad.append((config, f"output pixel {j}: shown source coordinate", got["xis"][j], row))
                break
    assert len(shown) == len(grid) and rows_checked > 0
    _report(bad, grid, INTERP_GRID, f"interpolation explorer ({rows_checked} output pixels)")


# --------------------------------------------------------------------------- pixel shuffle


def _shuffle_expected(r, c, h, w, order):
    cin = c * r * r
    numbers = torch.arange(cin * h * w).reshape(1, cin, h, w)
    if order == "CRD":
        out = upsampling.pixel_shuffle(numbers, r)
    else:  # the package's DepthToSpace (tests/test_porting_layout.py checks it against onnxruntime and TensorFlow)
        out = upsampling.depth_to_space(numbers, r, "DCR")
    sources = []
    for v in out.flatten().tolist():
        ch, rest = divmod(v, h * w)
        sources.append(f"{ch},{rest // w},{rest % w}")
    return sources


SHUFFLE_READ = """
(grid) => {
  const root = document.querySelector('div.explorer[data-kind="shuffle"]');
  return grid.map(([r, c, h, w, order]) => {
    for (const [name, v] of [["r", r], ["c", c], ["h", h], ["w", w], ["order", order]]) __set(root, name, v);
    const cells = [...root.querySelectorAll("[data-src]")];
    const last = cells[cells.length - 1];
    last.dispatchEvent(new FocusEvent("focusin", {bubbles: true}));
    return {src: cells.map(e => e.dataset.src), picked: root.querySelector(".ex-pick").textContent,
            lit: [...root.querySelectorAll("[data-in].ex-sel")].map(e => e.dataset.in)};
  });
}
"""


def test_shuffle_explorer_agrees_with_the_package(explorer_page):
    grid = subset(SHUFFLE_GRID)
    shown = _read(explorer_page, SHUFFLE_READ, grid)
    bad = []
    for config, got in zip(grid, shown):
        want = _shuffle_expected(*config)
        ch, y, x = want[-1].split(",")
        if got["src"] != want or got["lit"] != [want[-1]] or f"channel {ch} at ({y}, {x})" not in got["picked"]:
            bad.append((config, got, want))
    assert len(shown) == len(grid)
    _report(bad, grid, SHUFFLE_GRID, "pixel-shuffle explorer")


# --------------------------------------------------------------------------- convolution as a matrix


def _matrix_expected(n, k, s, p, d):
    try:
        o = shapes.conv_output_size(n, k, s, p, d)
    except ValueError:
        return {"refused": "size"}
    weight = torch.arange(1.0, k * k + 1, dtype=torch.float64).reshape(1, 1, k, k)
    c = upsampling.conv_matrix((1, n, n), weight, s, p, d).to_dense()
    rows = [[(col, int(c[r, col])) for col in range(n * n) if c[r, col] != 0] for r in range(o * o)]
    cols = [[(r, int(c[r, col])) for r in range(o * o) if c[r, col] != 0] for col in range(n * n)]
    return {"o": o, "rows": rows, "cols": cols}


MATRIX_READ = """
(grid) => {
  const root = document.querySelector('div.explorer[data-kind="matrix"]');
  const point = (id) => root.querySelector(`[data-pick="${id}"]`).dispatchEvent(new FocusEvent("focusin", {bubbles: true}));
  const listed = (attr) => [...root.querySelectorAll(`.ex-row [data-${attr}]`)].map(e => [Number(e.dataset[attr]), Number(e.dataset.tap)]);
  const lit = (prefix) => [...root.querySelectorAll(`[data-pick^="${prefix}"] rect.ex-hit`)].map(e => Number(e.parentElement.dataset.pick.slice(1)));
  return grid.map(([n, k, s, p, d]) => {
    for (const [name, v] of [["n", n], ["k", k], ["s", s], ["p", p], ["d", d]]) __set(root, name, v);
    const refused = root.querySelector("[data-refused]");
    if (refused) return {refused: refused.dataset.refused};
    const o = Math.sqrt(root.querySelectorAll('[data-pick^="o"]').length);
    const rows = [], cols = [], litIn = [], litOut = [], matrixRows = [];
    for (let q = 0; q < o * o; q++) {
      point("o" + q);
      rows.push(listed("col"));
      litIn.push(lit("i"));
      matrixRows.push([...root.querySelectorAll(".ex-nz.ex-hit")].map(e => Number(e.dataset.c)));
    }
    for (let q = 0; q < n * n; q++) {
      point("i" + q);
      cols.push(listed("row"));
      litOut.push(lit("o"));
    }
    return {o, rows, cols, litIn, litOut, matrixRows};
  });
}
"""


def test_matrix_explorer_agrees_with_the_package(explorer_page):
    grid = subset(MATRIX_GRID)
    shown = _read(explorer_page, MATRIX_READ, grid)
    bad = []
    for config, got in zip(grid, shown):
        want = _matrix_expected(*config)
        if "refused" in want or "refused" in got:
            if want.get("refused") != got.get("refused"):
                bad.append((config, want.get("refused", "valid"), got.get("refused", "valid")))
            continue
        rows = [[tuple(e) for e in r] for r in got["rows"]]
        cols = [[tuple(e) for e in c] for c in got["cols"]]
        if got["o"] != want["o"] or rows != want["rows"] or cols != want["cols"]:
            bad.append((config, "entries"))
        elif [sorted(x) for x in got["litIn"]] != [[c for c, _ in r] for r in want["rows"]]:
            bad.append((config, "highlighted input pixels"))
        elif [sorted(x) for x in got["litOut"]] != [[r for r, _ in c] for c in want["cols"]]:
            bad.append((config, "highlighted output pixels"))
        elif [sorted(x) for x in got["matrixRows"]] != [[c for c, _ in r] for r in want["rows"]]:
            bad.append((config, "highlighted matrix row"))
    assert len(shown) == len(grid)
    _report(bad, grid, MATRIX_GRID, "conv-as-matrix explorer")


# --------------------------------------------------------------------------- state in the address


def test_a_link_reproduces_the_configuration(browser, base_url):
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(f"{base_url}/{PAGE}?t.i=2&t.k=4&t.s=2&t.p=1&t.view=zero&ps.order=DCR&cm.sel=i3", wait_until="load")
    page.wait_for_function("() => document.querySelectorAll('div.explorer[data-ready]').length === 4")
    root = page.locator('div.explorer[data-kind="transposed"]')
    assert root.locator("[name=k]").input_value() == "4"
    assert root.locator("[name=view]").input_value() == "zero"
    assert int(root.locator("[data-out-size]").text_content()) == shapes.conv_transpose_output_size(2, 4, 2, 1)
    assert page.locator('div.explorer[data-kind="shuffle"] [name=order]').input_value() == "DCR"
    assert page.locator('div.explorer[data-kind="matrix"] [name=sel]').input_value() == "i3"
    page.evaluate(SET)
    page.evaluate("""() => __set(document.querySelector('div.explorer[data-kind="transposed"]'), "s", 3)""")
    page.wait_for_function("() => location.search.includes('t.s=3')")
    assert "t.k=4" in page.url and "ps.order=DCR" in page.url
    # usable on a phone: no explorer is wider than the 390 px viewport
    widths = page.evaluate("() => [...document.querySelectorAll('div.explorer')].map(e => e.getBoundingClientRect().right)")
    assert max(widths) <= 390, widths
    page.close()


def test_the_explorers_weigh_what_the_page_says():
    """book/explorers.md: "about 45 kilobytes of plain JavaScript and CSS in all". No browser needed."""
    from pathlib import Path

    total = sum(f.stat().st_size for f in Path(__file__).parents[2].joinpath("book/_static/explorers").iterdir())
    assert 42_500 <= total < 47_500, total
