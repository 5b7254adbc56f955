"""Animated SVGs of convolution, transposed convolution and pixel shuffle, drawn from the package.

In the manner of Dumoulin and Visin's "A guide to convolution arithmetic for deep
learning" (2016): a kernel window slides over the (padded) input while the output
fills in. Nothing in a picture is typed by hand:

* every size comes from ``upsampling.shapes`` (and is checked against the size of
  the tensor the package's operator returns);
* which input pixels an output pixel reads comes from the package's operators:
  the rows of ``upsampling.conv_matrix`` for a convolution, and
  ``upsampling.conv_transpose2d`` applied to one-hot inputs for a transposed one;
  the geometric window drawn on the padded (and, for transposed convolution,
  zero-inserted) grid must cover exactly those pixels, or generation fails;
* the overlap counts of the "stamp" view come from ``upsampling.artifacts.overlap_map``;
* where each value goes in a pixel shuffle comes from ``upsampling.pixel_shuffle``
  applied to the numbers 0, 1, 2, ...

Format: SVG animated with CSS keyframes (no script, no SMIL). Vector, so sharp on a
phone and on a projector; a few kilobytes each; plain text, so the staleness test
(tests/test_animations.py) compares bytes and a diff shows what changed. Under
``prefers-reduced-motion: reduce`` the animation stops and the last frame (the
finished output) is shown. Each file carries its own white background, title,
legend and licence line, so it reads the same in a dark page and when reused alone.

Usage: ``python tools/animations.py [OUTDIR]`` (``make animations``) writes every
animation into ``book/_static/animations/``. Licence of the generated files: CC BY 4.0.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import torch

import upsampling
from upsampling import shapes
from upsampling.artifacts import overlap_map

ROOT = Path(__file__).resolve().parent.parent
OUTDIR = ROOT / "book" / "_static" / "animations"

CELL = 26          # pixels per grid cell
GAP = 48           # between the two grids
MARGIN = 14
STEP = 0.9         # seconds per frame
HOLD = 2           # extra frames showing the finished result
LICENCE = "CC BY 4.0 · upsampling-book · drawn by tools/animations.py from the upsampling package"

# Okabe-Ito colours (colour-blind safe); every role also differs in line style or mark.
INPUT = "#56B4E9"      # sky blue, solid border
OUTPUT = "#009E73"     # bluish green, solid border
OUTPUT_DONE = "#A8DCC9"
PAD = "#FFFFFF"        # white, dashed border
ZERO = "#EEEEEE"       # light grey, dotted border, small "0"
WINDOW = "#D55E00"     # vermillion outline: the kernel's taps
INK = "#1A1A1A"
CHANNELS = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999", "#FFFFFF"]


# --------------------------------------------------------------------------- SVG assembly


class Svg:
    """Static shapes plus shapes shown during a window of frames ``[first, last)``."""

    def __init__(self, width: int, height: int, frames: int, title: str, desc: str):
        self.width, self.height, self.frames = width, height, frames
        self.title, self.desc = title, desc
        self.defs: list[str] = []
        self.static: list[str] = []
        self.timed: dict[tuple[int, int], list[str]] = {}

    def add(self, element: str, first: int | None = None, last: int | None = None) -> None:
        if first is None:
            self.static.append(element)
        else:
            self.timed.setdefault((first, self.frames if last is None else last), []).append(element)

    def render(self) -> str:
        n = self.frames
        css = [f"g.a{{animation-duration:{n * STEP:.1f}s;animation-iteration-count:infinite;"
               "animation-timing-function:step-end}"]
        groups = []
        # A window of one frame [a, a+1): one shared keyframe rule, shifted by a negative delay.
        css.append(f"@keyframes f{{0%{{visibility:visible}}{_pct(1 / n)}{{visibility:hidden}}}}"
                   "g.f{animation-name:f;visibility:hidden}")
        j = 0
        for a, b in sorted(self.timed):
            content = "".join(self.timed[(a, b)])
            if b == a + 1 and b < n:
                delay = f' style="animation-delay:-{(n - a) * STEP:.1f}s"' if a else ""
                groups.append(f'<g class="a f"{delay}>{content}</g>')
                continue
            stops = [f"0%{{visibility:{'visible' if a == 0 else 'hidden'}}}"]
            if a > 0:
                stops.append(f"{_pct(a / n)}{{visibility:visible}}")
            if b < n:
                stops.append(f"{_pct(b / n)}{{visibility:hidden}}")
            css.append(f"@keyframes k{j}{{{''.join(stops)}}}")
            # without animation (reduced motion) the last frame is what shows
            shown = "visible" if b == n else "hidden"
            css.append(f"g.k{j}{{animation-name:k{j};visibility:{shown}}}")
            groups.append(f'<g class="a k{j}">{content}</g>')
            j += 1
        css.append("@media (prefers-reduced-motion:reduce){g.a{animation:none}}")
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" '
            f'width="{self.width}" height="{self.height}" role="img" aria-labelledby="t d" '
            'font-family="DejaVu Sans,Verdana,Arial,sans-serif">\n'
            f"<title id=\"t\">{_esc(self.title)}</title>\n<desc id=\"d\">{_esc(self.desc)}</desc>\n"
            f"<style>{''.join(css)}</style>\n"
            + (f"<defs>{''.join(self.defs)}</defs>\n" if self.defs else "")
            + f'<rect width="{self.width}" height="{self.height}" fill="#FFFFFF"/>\n'
            + "\n".join(self.static) + "\n" + "\n".join(groups) + "\n</svg>\n"
        )


def _pct(f: float) -> str:
    return f"{100 * f:.4g}%"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(x0: int, y0: int, r: int, c: int, fill: str, dash: str = "", label: str = "", label_size: int = 9,
          stroke: str = INK, width: float = 1) -> str:
    x, y = x0 + c * CELL, y0 + r * CELL
    style = f' stroke-dasharray="{dash}"' if dash else ""
    out = (f'<rect x="{x + 1}" y="{y + 1}" width="{CELL - 2}" height="{CELL - 2}" fill="{fill}" '
           f'stroke="{stroke}" stroke-width="{width}"{style}/>')
    if label:
        out += (f'<text x="{x + CELL / 2:g}" y="{y + CELL / 2 + label_size * 0.35:g}" font-size="{label_size}" '
                f'text-anchor="middle" fill="{INK}">{_esc(label)}</text>')
    return out


def _outline(x0: int, y0: int, cells, colour: str = WINDOW, width: float = 3) -> str:
    """Thick outlines around the given (row, col) cells, as one path."""
    d = "".join(f"M{x0 + c * CELL + 2} {y0 + r * CELL + 2}h{CELL - 4}v{CELL - 4}h{4 - CELL}z" for r, c in cells)
    return f'<path d="{d}" fill="{colour}" fill-opacity="0.28" stroke="{colour}" stroke-width="{width}"/>'


def _text_width(title: str, *lines: str) -> int:
    """A width that holds the bold 14 px title and 11 px lines (DejaVu Sans widths, rounded up)."""
    return int(max([440, 2 * MARGIN + 9 * len(title)] + [2 * MARGIN + 7 * len(s) for s in lines]))


def _symbol(name: str, content: str) -> str:
    return f'<g id="{name}">{content}</g>'


def _use(name: str, x: int, y: int) -> str:
    return f'<use href="#{name}" x="{x}" y="{y}"/>'


def _text(x: float, y: float, s: str, size: int = 13, anchor: str = "start", weight: str = "normal") -> str:
    return (f'<text x="{x:g}" y="{y:g}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="{INK}">{_esc(s)}</text>')


def _legend(svg: Svg, y: int, entries: list[tuple[str, str, str]]) -> int:
    """A row (wrapped to the width) of swatches: (fill, dash, name). Returns the y below it."""
    x = MARGIN
    for fill, dash, name in entries:
        w = 20 + 7 * len(name) + 14
        if x + w > svg.width - MARGIN:
            x, y = MARGIN, y + 20
        style = f' stroke-dasharray="{dash}"' if dash else ""
        if fill == "window":
            svg.add(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{WINDOW}" fill-opacity="0.28" '
                    f'stroke="{WINDOW}" stroke-width="3"/>')
        else:
            svg.add(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{fill}" stroke="{INK}"{style}/>')
        svg.add(_text(x + 19, y + 12, name, 12))
        x += w
    return y + 20


# --------------------------------------------------------------------------- one animation


@dataclass(frozen=True)
class Case:
    name: str
    kind: str            # "conv", "transposed", "stamp" or "shuffle"
    title: str
    i: int = 0
    k: int = 1
    s: int = 1
    p: int = 0
    d: int = 1
    op: int = 0
    channels: int = 1    # pixel shuffle: output channels C

    def arguments(self) -> str:
        if self.kind == "shuffle":
            return f"C_out={self.channels}, r={self.s}, H=W={self.i}"
        # the symbols of the book's notation table (book/intro.md): n a length, a the output padding
        parts = [f"{'n_in' if self.kind == 'conv' else 'n'}={self.i}", f"k={self.k}", f"s={self.s}", f"p={self.p}"]
        if self.d != 1:
            parts.append(f"d={self.d}")
        if self.op:
            parts.append(f"a={self.op}")
        return ", ".join(parts)


# The cases of Dumoulin & Visin (2016), sections 2-5, plus dilated transposed convolution,
# output_padding, the scatter ("stamp") view and pixel shuffle.
CASES = [
    Case("conv-no-padding-no-strides", "conv", "Convolution, no padding, unit stride", 4, 3),
    Case("conv-arbitrary-padding-no-strides", "conv", "Convolution, arbitrary padding, unit stride", 5, 4, p=2),
    Case("conv-half-padding-no-strides", "conv", "Convolution, half (same) padding, unit stride", 5, 3, p=1),
    Case("conv-full-padding-no-strides", "conv", "Convolution, full padding, unit stride", 5, 3, p=2),
    Case("conv-no-padding-strides", "conv", "Convolution, no padding, stride 2", 5, 3, s=2),
    Case("conv-padding-strides", "conv", "Convolution, padding, stride 2", 5, 3, s=2, p=1),
    Case("conv-padding-strides-odd", "conv", "Convolution, padding, stride 2: last padding row and column unread", 6, 3,
         s=2, p=1),
    Case("conv-dilation", "conv", "Dilated convolution, dilation 2", 7, 3, d=2),
    Case("transposed-no-padding-no-strides", "transposed", "Transposed convolution, no padding, unit stride", 2, 3),
    Case("transposed-arbitrary-padding-no-strides", "transposed",
         "Transposed convolution, arbitrary padding, unit stride", 6, 4, p=2),
    Case("transposed-half-padding-no-strides", "transposed", "Transposed convolution, half padding, unit stride",
         5, 3, p=1),
    Case("transposed-full-padding-no-strides", "transposed", "Transposed convolution, full padding, unit stride",
         7, 3, p=2),
    Case("transposed-no-padding-strides", "transposed", "Transposed convolution, no padding, stride 2", 2, 3, s=2),
    Case("transposed-padding-strides", "transposed", "Transposed convolution, padding, stride 2", 3, 3, s=2, p=1),
    Case("transposed-padding-strides-odd", "transposed",
         "Transposed convolution, padding, stride 2, output_padding 1", 3, 3, s=2, p=1, op=1),
    Case("transposed-dilation", "transposed", "Dilated transposed convolution, dilation 2", 3, 3, d=2),
    Case("transposed-output-padding", "transposed", "Transposed convolution, stride 3, output_padding 2",
         2, 3, s=3, p=1, op=2),
    Case("stamp-k3-s2", "stamp", "Transposed convolution as scattered stamps: k=3, s=2 overlaps unevenly",
         3, 3, s=2),
    Case("stamp-k4-s2", "stamp", "Transposed convolution as scattered stamps: k=4, s=2 overlaps evenly inside the border",
         3, 4, s=2, p=1),
    Case("pixel-shuffle-r2", "shuffle", "Pixel shuffle, r=2: four channels become 2x2 blocks", 2, s=2),
    Case("pixel-shuffle-r2-c2", "shuffle", "Pixel shuffle, r=2, two output channels", 2, s=2, channels=2),
    Case("pixel-shuffle-r3", "shuffle", "Pixel shuffle, r=3: nine channels become 3x3 blocks", 2, s=3),
]


def _ones(k: int) -> torch.Tensor:
    return torch.ones(1, 1, k, k, dtype=torch.float64)


def conv_reads(case: Case) -> tuple[int, list[set[tuple[int, int]]]]:
    """Output size and, per output pixel (row-major), the input pixels it reads: rows of ``conv_matrix``."""
    o = shapes.conv_output_size(case.i, case.k, case.s, case.p, case.d)
    c = upsampling.conv_matrix((1, case.i, case.i), _ones(case.k), case.s, case.p, case.d).coalesce()
    if tuple(c.shape) != (o * o, case.i * case.i):
        raise AssertionError(f"{case.name}: conv_matrix has shape {tuple(c.shape)}, shapes says {o}x{o}")
    reads: list[set] = [set() for _ in range(o * o)]
    for row, col in c.indices().t().tolist():
        reads[row].add(divmod(col, case.i))
    return o, reads


def transposed_reads(case: Case) -> tuple[int, list[set[tuple[int, int]]]]:
    """Output size and, per output pixel, the input pixels it reads: ``conv_transpose2d`` of one-hot inputs."""
    n = case.i
    o = shapes.conv_transpose_output_size(n, case.k, case.s, case.p, case.d, case.op)
    onehots = torch.eye(n * n, dtype=torch.float64).reshape(n * n, 1, n, n)
    y = upsampling.conv_transpose2d(onehots, _ones(case.k), stride=case.s, padding=case.p,
                                    output_padding=case.op, dilation=case.d)
    if tuple(y.shape[-2:]) != (o, o):
        raise AssertionError(f"{case.name}: conv_transpose2d gives {tuple(y.shape[-2:])}, shapes says {o}x{o}")
    touched = y[:, 0].reshape(n * n, o * o) != 0
    reads = [{divmod(a, n) for a in touched[:, q].nonzero().flatten().tolist()} for q in range(o * o)]
    return o, reads


def _grids(case: Case):
    """The left grid of the zero-insertion view: size, origin offset and the role of each cell."""
    if case.kind == "conv":
        size = case.i + 2 * case.p
        role = {(r, c): "pad" for r in range(size) for c in range(size)}
        place = {(a, b): (a + case.p, b + case.p) for a in range(case.i) for b in range(case.i)}
        step = case.s
    else:
        border = case.d * (case.k - 1) - case.p
        if border < 0:
            raise ValueError(f"{case.name}: padding > dilation*(kernel_size-1) crops the zero-inserted grid")
        size = (case.i - 1) * case.s + 1 + 2 * border + case.op
        role = {(r, c): "pad" for r in range(size) for c in range(size)}
        inner = range(border, border + (case.i - 1) * case.s + 1)
        for r in inner:
            for c in inner:
                role[(r, c)] = "zero"
        place = {(a, b): (border + a * case.s, border + b * case.s) for a in range(case.i) for b in range(case.i)}
        step = 1
    for cell in place.values():
        role[cell] = "input"
    return size, role, place, step


def window_animation(case: Case) -> str:
    """Dumoulin & Visin's picture: a kernel window slides over the padded (zero-inserted) input."""
    o, reads = conv_reads(case) if case.kind == "conv" else transposed_reads(case)
    size, role, place, step = _grids(case)
    inverse = {v: k for k, v in place.items()}
    frames = o * o + HOLD
    left_w, right_w = size * CELL, o * CELL
    formula = (f"n_out = floor((n_in + 2p - d(k-1) - 1)/s) + 1 = {o}" if case.kind == "conv"
               else f"output size (n-1)s - 2p + d(k-1) + a + 1 = {o}  (a: output_padding)")
    width = max(2 * MARGIN + left_w + GAP + right_w, _text_width(case.title, formula))
    top = 58
    grid_h = max(size, o) * CELL
    legend_y = top + grid_h + 14
    verb = "convolution" if case.kind == "conv" else "transposed convolution (as a convolution)"
    desc = (f"{case.title}. {case.arguments()}: a {case.k}x{case.k} kernel"
            f"{f' with dilation {case.d}' if case.d > 1 else ''} slides over the {size}x{size} grid on the left"
            f" and writes one pixel of the {o}x{o} output on the right per step; {verb}.")
    svg = Svg(width, legend_y + 62, frames, case.title, desc)
    svg.add(_text(MARGIN, 20, case.title, 14, weight="bold"))
    svg.add(_text(MARGIN, 36, case.arguments(), 11))
    svg.add(_text(MARGIN, 50, formula, 11))
    x_in, x_out = MARGIN, MARGIN + left_w + GAP
    y_in, y_out = top + (grid_h - size * CELL) // 2, top + (grid_h - o * CELL) // 2
    # Each shape is defined once and placed with <use>: a frame costs a few dozen bytes.
    svg.defs += [
        _symbol("input", _cell(0, 0, 0, 0, INPUT)),
        _symbol("pad", _cell(0, 0, 0, 0, PAD, "3 2")),
        _symbol("zero", _cell(0, 0, 0, 0, ZERO, "1 2", "0")),
        _symbol("empty", _cell(0, 0, 0, 0, "#FFFFFF", "3 2")),
        _symbol("done", _cell(0, 0, 0, 0, OUTPUT_DONE)),
        _symbol("now", _cell(0, 0, 0, 0, OUTPUT, width=3)),
        _symbol("window", _outline(0, 0, [(a * case.d, b * case.d) for a in range(case.k) for b in range(case.k)])),
    ]
    for (r, c), what in sorted(role.items()):
        svg.add(_use(what, x_in + c * CELL, y_in + r * CELL))
    for q in range(o * o):
        r, c = divmod(q, o)
        svg.add(_use("empty", x_out + c * CELL, y_out + r * CELL))
        svg.add(_use("done", x_out + c * CELL, y_out + r * CELL), first=q + 1)
        window = [(r * step + a * case.d, c * step + b * case.d) for a in range(case.k) for b in range(case.k)]
        covered = {inverse[w] for w in window if role.get(w) == "input"}
        if covered != reads[q]:  # the drawn window must read exactly what the package's operator reads
            raise AssertionError(f"{case.name}: output {divmod(q, o)} reads {sorted(reads[q])} in the package, "
                                 f"but the drawn window covers {sorted(covered)}")
        svg.add(_use("window", x_in + c * step * CELL, y_in + r * step * CELL)
                + _use("now", x_out + c * CELL, y_out + r * CELL), first=q, last=q + 1)
    entries = [(INPUT, "", "input")]
    if "pad" in role.values():
        entries.append(("#FFFFFF", "3 2", "padding"))
    if "zero" in role.values():
        entries.append((ZERO, "1 2", "inserted zero"))
    entries += [("window", "", "kernel taps"), (OUTPUT, "", "output")]
    y = _legend(svg, legend_y, entries)
    svg.add(_text(MARGIN, y + 12, LICENCE, 9))
    return svg.render()


def stamp_animation(case: Case) -> str:
    """The scatter view: each input pixel stamps the kernel, scaled by its value, onto the output."""
    n = case.i
    o, reads = transposed_reads(case)
    counts = overlap_map((n, n), case.k, case.s, case.p, case.op, case.d)
    frames = n * n + HOLD
    note = "numbers: taps landing on each output pixel"
    width = max(2 * MARGIN + n * CELL + GAP + o * CELL, _text_width(case.title, note))
    top = 58
    grid_h = max(n, o) * CELL
    legend_y = top + grid_h + 14
    desc = (f"{case.title}. {case.arguments()}: each of the {n}x{n} input pixels in turn adds a {case.k}x{case.k} "
            f"stamp to the {o}x{o} output; the shade and the number in each output pixel count the stamps that "
            f"land there (from {int(counts.min())} to {int(counts.max())}).")
    svg = Svg(width, legend_y + 62, frames, case.title, desc)
    svg.add(_text(MARGIN, 20, case.title, 14, weight="bold"))
    svg.add(_text(MARGIN, 36, f"{case.arguments()}; output size {o}", 11))
    svg.add(_text(MARGIN, 50, note, 11))
    x_in, x_out = MARGIN, MARGIN + n * CELL + GAP
    y_in, y_out = top + (grid_h - n * CELL) // 2, top + (grid_h - o * CELL) // 2
    for r in range(n):
        for c in range(n):
            svg.add(_cell(x_in, y_in, r, c, INPUT))
    for r in range(o):
        for c in range(o):
            svg.add(_cell(x_out, y_out, r, c, "#FFFFFF", "3 2"))
    for a in range(n * n):
        pixel = divmod(a, n)
        footprint = [divmod(q, o) for q in range(o * o) if pixel in reads[q]]
        d = "".join(f"M{x_out + c * CELL + 1} {y_out + r * CELL + 1}h{CELL - 2}v{CELL - 2}h{2 - CELL}z"
                    for r, c in footprint)
        svg.add(f'<path d="{d}" fill="{OUTPUT}" fill-opacity="0.3"/>', first=a + 1)
        svg.add(_outline(x_in, y_in, [pixel]) + _outline(x_out, y_out, footprint), first=a, last=a + 1)
    labels = "".join(_text(x_out + c * CELL + CELL / 2, y_out + r * CELL + CELL / 2 + 4, str(int(counts[r, c])), 11,
                           "middle", "bold") for r in range(o) for c in range(o))
    svg.add(labels, first=n * n)
    y = _legend(svg, legend_y, [(INPUT, "", "input"), ("window", "", "current stamp"),
                                (OUTPUT, "", "output (darker: more stamps)")])
    svg.add(_text(MARGIN, y + 12, LICENCE, 9))
    return svg.render()


def shuffle_animation(case: Case) -> str:
    """Pixel shuffle: the r² channels of one input pixel fill one r × r block of the output."""
    r, h, c_out = case.s, case.i, case.channels
    c_in = c_out * r * r
    numbers = torch.arange(c_in * h * h).reshape(1, c_in, h, h)
    out = upsampling.pixel_shuffle(numbers, r)[0]
    if tuple(out.shape) != (c_out, h * r, h * r):
        raise AssertionError(f"{case.name}: pixel_shuffle gives shape {tuple(out.shape)}")
    small = 12  # the input channels drawn at a smaller cell size
    per_row = min(c_in, r * r)
    ch_w = h * CELL + 8
    left_w = per_row * ch_w
    rows = -(-c_in // per_row)
    left_h = rows * (h * CELL + 20)
    x_in, top = MARGIN, 48
    x_out = x_in + left_w + GAP
    out_w = c_out * (h * r * CELL + 10)
    width = max(x_out + out_w + MARGIN, _text_width(case.title))
    grid_h = max(left_h, h * r * CELL + 20)
    legend_y = top + grid_h + 10
    frames = h * h + HOLD
    desc = (f"{case.title}. {c_in} input channels of {h}x{h} pixels become {c_out} output channel(s) of "
            f"{h * r}x{h * r}: the {r * r} channels of input pixel (i, j) fill the {r}x{r} output block at "
            f"(i*{r}, j*{r}), channel c*{r * r} + t_h*{r} + t_w going to offset (t_h, t_w). Each cell shows its channel.")
    svg = Svg(width, legend_y + 46, frames, case.title, desc)
    svg.add(_text(MARGIN, 20, case.title, 14, weight="bold"))
    svg.add(_text(MARGIN, 36, f"{case.arguments()}: ({c_in}, {h}, {h}) -> ({c_out}, {h * r}, {h * r}); "
                  "numbers: input channel", 11))
    origin = {}
    for ch in range(c_in):
        gx = x_in + (ch % per_row) * ch_w
        gy = top + (ch // per_row) * (h * CELL + 20)
        origin[ch] = (gx, gy + 14)
        svg.add(_text(gx, gy + 10, f"channel {ch}", 10))
        for y in range(h):
            for x in range(h):
                svg.add(_cell(gx, gy + 14, y, x, CHANNELS[(ch % (r * r)) % len(CHANNELS)], label=str(ch),
                              label_size=small - 2))
    for co in range(c_out):
        gx = x_out + co * (h * r * CELL + 10)
        svg.add(_text(gx, top + 10, f"output channel {co}", 10))
        for y in range(h * r):
            for x in range(h * r):
                svg.add(_cell(gx, top + 14, y, x, "#FFFFFF", "3 2"))
        for y in range(h * r):
            for x in range(h * r):
                ch, src_y, src_x = _source(int(out[co, y, x]), h)
                frame = src_y * h + src_x
                cell = _cell(gx, top + 14, y, x, CHANNELS[(ch % (r * r)) % len(CHANNELS)], label=str(ch),
                             label_size=small - 2)
                svg.add(cell, first=frame)
                if (y // r, x // r) != (src_y, src_x):
                    raise AssertionError(f"{case.name}: output ({y}, {x}) comes from pixel ({src_y}, {src_x})")
    for frame in range(h * h):
        y, x = divmod(frame, h)
        marks = "".join(_outline(*origin[ch], [(y, x)]) for ch in range(c_in))
        blocks = "".join(_outline(x_out + co * (h * r * CELL + 10), top + 14,
                                  [(y * r + i, x * r + j) for i in range(r) for j in range(r)])
                         for co in range(c_out))
        svg.add(marks + blocks, first=frame, last=frame + 1)
    svg.add(_text(MARGIN, legend_y + 8, "Colour and number: the input channel; outline: the pixel being moved.", 11))
    svg.add(_text(MARGIN, legend_y + 26, LICENCE, 9))
    return svg.render()


def _source(value: int, h: int) -> tuple[int, int, int]:
    """(channel, y, x) of the input element that held ``value`` in ``arange(C*h*h).reshape(C, h, h)``."""
    ch, rest = divmod(value, h * h)
    return (ch, *divmod(rest, h))


def render(case: Case) -> str:
    if case.kind in ("conv", "transposed"):
        return window_animation(case)
    if case.kind == "stamp":
        return stamp_animation(case)
    return shuffle_animation(case)


def generate() -> dict[str, str]:
    """Every animation: file name -> SVG text."""
    return {f"{case.name}.svg": render(case) for case in CASES}


def main(argv: list[str]) -> None:
    outdir = Path(argv[0]) if argv else OUTDIR
    outdir.mkdir(parents=True, exist_ok=True)
    files = generate()
    for stale in outdir.glob("*.svg"):
        if stale.name not in files:
            stale.unlink()
    for name, text in files.items():
        (outdir / name).write_bytes(text.encode("utf-8"))  # no newline translation: the test compares bytes
    total = sum(len(t.encode()) for t in files.values())
    print(f"{len(files)} animations, {total / 1024:.1f} KiB in all, in {outdir}")


if __name__ == "__main__":
    main(sys.argv[1:])
