"""The fixed set of semantic mutants that `make mutation` (tools/mutation.py) applies to the package.

Each mutant is one small, deliberate bug of the kind a reimplementation really gets wrong (an
off-by-one in a padding or a crop, a kernel not flipped, a changed coordinate mapping, the
wrong cubic parameter, a rounding mode, a missing argument check). It is written as an exact
snippet of the source and its replacement; the snippet must occur exactly once in its file
(tests/test_mutants.py checks this in `make test`, so the list cannot silently rot when the code
changes: a drifted snippet fails there, and `make mutation` refuses to run it).

Fields:

* ``id``: a stable short name (``make mutation MUTANTS=id1,id2`` selects by it);
* ``file``: the package file, relative to the repository root;
* ``original`` / ``replacement``: the exact text swapped (keep both short and specific);
* ``what``: the bug, in a few words;
* ``chapters``: the chapters (notebook stems in ``book/``) that rebuild the mutated operator and
  are run under nbval for this mutant; empty where no chapter rebuilds it;
* ``equivalent``: for a mutant that cannot change any result, the reason (the runner still runs
  it and reports an error if something kills it, since then the reason is wrong).

The package tests run for a mutant are ``TESTS[file]`` plus the mutated module's own doctests.
``REBUILDS`` names, for every chapter that rebuilds an operator, the module of that operator: the
runner checks that each such chapter kills at least one mutant of its module.
"""

from __future__ import annotations

from typing import NamedTuple


class Mutant(NamedTuple):
    id: str
    file: str
    original: str
    replacement: str
    what: str
    chapters: tuple[str, ...] = ()
    equivalent: str | None = None


INTERP = "upsampling/interpolation.py"
MATRIX = "upsampling/matrix.py"
TRANSPOSED = "upsampling/transposed.py"
SUBPIXEL = "upsampling/subpixel.py"
UNPOOL = "upsampling/unpool.py"
SHAPES = "upsampling/shapes.py"
DOWNSAMPLE = "upsampling/downsample.py"
ARTIFACTS = "upsampling/artifacts.py"
IMAGES = "upsampling/images.py"
CHECKS = "upsampling/_checks.py"

# The package test files that exercise each module (its own, plus those of the operators built on it).
TESTS = {
    INTERP: ("tests/test_interpolation.py",),
    MATRIX: ("tests/test_matrix.py", "tests/test_transposed.py"),
    TRANSPOSED: ("tests/test_transposed.py", "tests/test_matrix.py"),
    SUBPIXEL: ("tests/test_subpixel.py", "tests/test_transposed.py"),
    UNPOOL: ("tests/test_unpool.py",),
    SHAPES: ("tests/test_shapes.py", "tests/test_artifacts.py"),
    DOWNSAMPLE: ("tests/test_downsample.py",),
    ARTIFACTS: ("tests/test_artifacts.py",),
    IMAGES: ("tests/test_images.py",),
    CHECKS: ("tests/test_shapes.py", "tests/test_transposed.py", "tests/test_subpixel.py", "tests/test_unpool.py",
             "tests/test_images.py"),
}

# Every chapter that rebuilds an operator, and the module of that operator.
REBUILDS = {
    "downsampling": DOWNSAMPLE,
    "unpooling": UNPOOL,
    "interpolation": INTERP,
    "conv-as-matrix": MATRIX,
    "transposed-conv-shapes": SHAPES,
    "dilation-fractional-stride": TRANSPOSED,
    "subpixel": SUBPIXEL,
    "checkerboard": ARTIFACTS,
}

M = Mutant
MUTANTS: list[Mutant] = [
    # ------------------------------------------------------------------ interpolate
    M("interp-cubic-a", INTERP, "_CUBIC_A = -0.75", "_CUBIC_A = -0.5",
      "bicubic with Keys' a = -0.5 instead of PyTorch's -0.75", ("interpolation",)),
    M("interp-cubic-a-antialias", INTERP, "_CUBIC_A_ANTIALIAS = -0.5", "_CUBIC_A_ANTIALIAS = -0.75",
      "antialiased bicubic with a = -0.75 instead of PIL's -0.5"),
    M("interp-no-half-pixel", INTERP, "else scale * (i + 0.5) - 0.5", "else scale * i",
      "align_corners=False maps i -> scale*i (no half-pixel offset)", ("interpolation",)),
    M("interp-half-pixel-sign", INTERP, "else scale * (i + 0.5) - 0.5", "else scale * (i - 0.5) + 0.5",
      "half-pixel offsets with the wrong signs", ("interpolation",)),
    M("interp-align-corners-scale", INTERP, "value = (in_size - 1) / (out_size - 1) if",
      "value = in_size / out_size if", "align_corners=True scales by in/out instead of (in-1)/(out-1)",
      ("interpolation",)),
    M("interp-align-corners-single-output", INTERP, "if out_size > 1 else 0.0", "if out_size > 1 else 1.0",
      "align_corners=True with one output pixel: scale 1 instead of PyTorch's 0"),
    M("interp-ignore-scale-factor", INTERP, "value = 1.0 / scale_factor", "value = in_size / out_size",
      "a given scale_factor is always recomputed from the sizes", ("interpolation",)),
    M("interp-linear-no-clamp", INTERP,
      "source = _source_coordinate(out_size, scale, align_corners, opmath).clamp(min=0)",
      "source = _source_coordinate(out_size, scale, align_corners, opmath)",
      "linear: a negative source coordinate is not clamped to 0", ("interpolation",),
      equivalent="a coordinate -e (only at the first outputs of an enlargement) gives taps -1 and 0 with weights "
                 "e and 1 - e, and the border clamps tap -1 to pixel 0: pixel 0 with weight 1, as with the clamp "
                 "(bilinear outputs identical bit for bit on 152 size pairs in float32 and in float64)"),
    M("interp-linear-weights-swapped", INTERP, "torch.stack([1 - t, t], 1)", "torch.stack([t, 1 - t], 1)",
      "linear weights on the wrong neighbours", ("interpolation",)),
    M("interp-floor-to-round", INTERP, "source.to(torch.float32).floor()", "source.to(torch.float32).round()",
      "source coordinate rounded to nearest instead of floored", ("interpolation",)),
    M("interp-floor-in-float64", INTERP, "source.to(torch.float32).floor()", "source.floor()",
      "float64 input: the coordinate is floored without PyTorch's float32 rounding"),
    M("interp-nearest-exact-no-half", INTERP, "index = _floor(source.to(torch.float64) + 0.5)",
      "index = _floor(source.to(torch.float64))", "nearest-exact floors instead of rounding half up",
      ("interpolation",)),
    M("interp-no-doubling-shortcut", INTERP, "elif not exact and out_size == 2 * in_size:",
      "elif False:", "nearest: PyTorch's vectorized kernel's x2 shortcut not reproduced"),
    M("interp-shortcut-boundary", INTERP, "or sum(out_sizes) <= 128", "or sum(out_sizes) < 128",
      "off by one in when PyTorch picks its vectorized nearest kernel (H_out + W_out <= 128)"),
    M("interp-shortcut-channels", INTERP, "and channels > 3) or", "and channels >= 3) or",
      "off by one in the channel count above which PyTorch's channels-last nearest is vectorized"),
    M("interp-cubic-far-distance", INTERP, "[t + 1, t, 1 - t, 2 - t]", "[t + 1, t, 1 - t, 2 + t]",
      "bicubic: wrong distance to the far right tap", ("interpolation",)),
    M("interp-keys-far-sign", INTERP, "* x - 4 * a  # 1 <= |x| < 2", "* x + 4 * a  # 1 <= |x| < 2",
      "Keys' kernel: wrong constant term on 1 <= |x| < 2", ("interpolation",)),
    M('interp-antialias-no-stretch', INTERP, 'max(scale, 1.0), opmath=opmath, window="pil")',
      '1.0, opmath=opmath, window="pil")',
      'antialias: the filter is not widened when shrinking', ('interpolation',)),
    M("interp-antialias-unnormalized", INTERP, "torch.where(total != 0, weight / total, weight)",
      "torch.where(total != 0, weight, weight)", "antialias: weights not divided by their sum",
      ("interpolation",)),
    M("interp-antialias-centre", INTERP, "(scale * (torch.arange(out_size, dtype=torch.float64) + 0.5))",
      "(scale * (torch.arange(out_size, dtype=torch.float64) + 0.0))",
      "antialias: output centres at scale*i instead of scale*(i + 0.5)", ("interpolation",)),
    M("interp-area-end-floor", INTERP, "end = -((-(i + 1) * in_size) // out_size)",
      "end = (i + 1) * in_size // out_size", "area: window end floored instead of ceiled", ("interpolation",)),
    M("interp-half-weights-unrounded", INTERP,
      "operators = [op._replace(weight=op.weight.to(input.dtype).to(opmath)) for op in operators]",
      "operators = operators",
      "float16/bfloat16 bicubic: weights not rounded to the input's dtype as PyTorch stores them"),
    M("interp-opmath-float64", INTERP,
      "return torch.float64 if dtype == torch.float64 else torch.float32", "return torch.float64",
      "coordinates and weights always in float64 (PyTorch uses float32 below float64)"),
    M("interp-linear-same-size-not-copied", INTERP,
      "if in_size == out_size:  # PyTorch copies", "if False:  # PyTorch copies",
      "linear: an unchanged axis is resampled with 1/scale_factor instead of copied"),
    M("interp-no-align-corners-mode-check", INTERP,
      "if align_corners is not None and mode not in _INTERPOLATING:", "if False:",
      "missing check: align_corners accepted with nearest and area"),
    M("interp-recompute-area", INTERP, "recompute = recompute_scale_factor or mode == \"area\"",
      "recompute = recompute_scale_factor", "area: a scale_factor is not marked for recomputation",
      equivalent="_operator() passes no scale to _area(), which always works from in_size / out_size"),
    # ------------------------------------------------------------------ conv_matrix
    M("matrix-dilation-axis", MATRIX, "pos = [i * s - p + t * d for", "pos = [i * s - p + t for",
      "taps placed without dilation", ("conv-as-matrix",)),
    M("matrix-padding-sign", MATRIX, "i * s - p + t * d for i, t", "i * s + p + t * d for i, t",
      "padding shifts the window the wrong way", ("conv-as-matrix",)),
    M("matrix-keep-off-by-one", MATRIX, "inside & (u >= 0) & (u < m)", "inside & (u >= 0) & (u <= m)",
      "a tap one row past the image is kept", ("conv-as-matrix",)),
    M("matrix-groups-ignored", MATRIX, "cols = o // (c_out // groups) * (c_in_group * math.prod(in_size)) + col",
      "cols = col", "every group reads the first group's input channels", ("conv-as-matrix",)),
    M("matrix-no-weight-channel-check", MATRIX, "if weight.shape[1] != c_in // groups:", "if False:",
      "missing check: weight with the wrong number of input channels"),
    # ------------------------------------------------------------------ conv_transpose2d
    M("transposed-kernel-not-flipped", TRANSPOSED, "c_in // groups, *kernel).flip(*range(2, weight.dim()))",
      "c_in // groups, *kernel)", "zero insertion: the kernel is not flipped",
      ("dilation-fractional-stride",)),
    M("transposed-flip-one-axis", TRANSPOSED, "c_in // groups, *kernel).flip(*range(2, weight.dim()))",
      "c_in // groups, *kernel).flip(-1)", "zero insertion: the kernel flipped along the width only",
      ("dilation-fractional-stride",)),
    M("transposed-zi-pad-off-by-one", TRANSPOSED, "p_prime = [d * (k - 1) - p for",
      "p_prime = [d * k - p - 1 for", "zero insertion: pads d*k - p - 1 rows instead of d(k-1) - p",
      ("dilation-fractional-stride",)),
    M("transposed-zi-output-padding-near-end", TRANSPOSED,
      "for pad in (pp, pp + a)])",
      "for pad in (pp + a, pp)])",
      "zero insertion: output_padding added at the near end", ("dilation-fractional-stride",)),
    M("transposed-scatter-crop-one-end", TRANSPOSED,
      "tuple(slice(p, p + m) for p, m in zip(padding, out_size))",
      "tuple(slice(0, m) for p, m in zip(padding, out_size))", "scatter: padding cropped from the far end only",
      ("dilation-fractional-stride",)),
    M("transposed-scatter-no-dilation", TRANSPOSED,
      "region = tuple(slice(t * d, t * d + (m - 1) * s + 1, s)",
      "region = tuple(slice(t, t + (m - 1) * s + 1, s)", "scatter: taps placed without dilation",
      ("dilation-fractional-stride",)),
    M("transposed-matrix-no-extra-rows", TRANSPOSED,
      "conv_size = [m + a // s for m, a, s in",
      "conv_size = [m for m, a, s in", "matrix: the floor(op/s) extra rows when op >= s are forgotten", ("conv-as-matrix",)),
    M("transposed-no-bias-check", TRANSPOSED, "if bias.shape[0] != c_out:", "if False:",
      "missing check: bias of the wrong length"),
    # ------------------------------------------------------------------ subpixel
    M('subpixel-shuffle-ij-swapped', SUBPIXEL, 'for a in (b + 1 + n + i, b + 1 + i)]',
      'for a in (b + 1 + i, b + 1 + n + i)]',
      'pixel shuffle: row and column phase swapped', ('subpixel',)),
    M("subpixel-unshuffle-ij-swapped", SUBPIXEL, "x.permute(*range(b), b, b + 2, b + 4, b + 1, b + 3)",
      "x.permute(*range(b), b, b + 4, b + 2, b + 1, b + 3)", "pixel unshuffle: block index order swapped",
      ("subpixel",)),
    M("subpixel-left-pad-off-by-one", SUBPIXEL, "return m, (m - 1 - p // s,", "return m, (m - p // s,",
      "low-resolution left padding one too many", ("subpixel",)),
    M("subpixel-crop-zero", SUBPIXEL, "// s), p % s", "// s), 0",
      "sub-pixel crop ignores padding mod stride", ("subpixel",)),
    M('subpixel-subkernel-flip-one-axis', SUBPIXEL, '.flip(*[3 + 2 * i for i in range(n)])',
      '.flip(3)',
      'sub-kernels flipped along the height only', ('subpixel',)),
    M('subpixel-bias-tiled', SUBPIXEL, 'bias.repeat_interleave(math.prod(stride))',
      'bias.repeat(math.prod(stride))',
      'bias tiled over channels instead of repeated per phase', ('subpixel',)),
    M("subpixel-to-transposed-padding-axis", SUBPIXEL, "r * (kw - 1 - padding[1])", "r * (kw - 1 - padding[0])",
      "subpixel_to_transposed: width padding from the height's", ("subpixel",)),
    M("subpixel-icnr-tiled", SUBPIXEL, "sub.repeat_interleave(r * r, dim=0)", "sub.repeat(r * r, 1, 1, 1)",
      "ICNR tiles the sub-kernel instead of repeating each channel r^2 times", ("subpixel",)),
    M("subpixel-channel-check-weak", SUBPIXEL, "if input.shape[-3] % (r * r):", "if input.shape[-3] % r:",
      "missing check: channels divisible by r but not r^2 accepted"),
    M("subpixel-shuffle-aliases", SUBPIXEL, "return out.clone() if r == 1 else out  # reshape",
      "return out  # reshape", "pixel_shuffle(x, 1) returns a view of its input, not a new tensor"),
    M('subpixel-no-symmetric-padding', SUBPIXEL, 'both = [max(0, min(lo, hi)) for lo, hi in padding]',
      'both = [0 for lo, hi in padding]',
      "all low-resolution padding through F.pad instead of conv2d's padding",
      equivalent="the remainder (left - pw, right - pw, ...) then carries all of it: F.pad with zeros and conv2d's zero padding give the same input to the convolution"),
    # ------------------------------------------------------------------ max_unpool2d
    M('unpool-default-size-padding', UNPOOL, '(m - 1) * s - 2 * p + k for m, k',
      '(m - 1) * s - p + k for m, k',
      'default output size subtracts the padding once', ('unpooling',)),
    M('unpool-window-not-strict', UNPOOL, 'if not m_default - s < m < m_default + s:',
      'if not m_default - s <= m < m_default + s:',
      'output_size check accepts default - stride', ('unpooling',)),
    M('unpool-negative-index-unchecked', UNPOOL, 'bad = (indices < 0) | (indices >= plane)',
      'bad = indices >= plane',
      'missing check: negative indices'),
    M('unpool-negative-output-size-unchecked', UNPOOL, 'if any(m < 0 for m in given):',
      'if False:',
      'missing check: a negative output_size inside the stride window'),
    M("unpool-four-entries", UNPOOL, "given = given[2:]", "given = given[-2:]",
      "a 4-entry output_size: last two entries taken from the end",
      equivalent="given has exactly 4 entries here, so given[2:] and given[-2:] are the same slice"),
    # ------------------------------------------------------------------ shapes
    M("shapes-conv-ceil", SHAPES, "tuple((b - a) // si + 1 for", "tuple((b - a + si - 1) // si + 1 for",
      "convolution output size rounded up", ("transposed-conv-shapes",)),
    M("shapes-pool-ceil-last-window", SHAPES, "if ceil_mode and (out - 1) * s >= n + p:",
      "if ceil_mode and (out - 1) * s > n + p:", "ceil_mode keeps a last window starting in the right padding",
      ("transposed-conv-shapes",)),
    M("shapes-output-padding-limit", SHAPES, "limit = tuple(map(max, stride, dilation))",
      "limit = tuple(map(min, stride, dilation))", "output_padding bounded by min(stride, dilation)",
      ("transposed-conv-shapes",)),
    M("shapes-span-off-by-one", SHAPES, "return dilation * (kernel_size - 1) + 1", "return dilation * kernel_size",
      "a dilated kernel spans d*k samples", ("transposed-conv-shapes",)),
    M("shapes-pool-padding-half", SHAPES, "half = tuple(ki // 2 for ki in k)", "half = tuple((ki - 1) // 2 for ki in k)",
      "pooling padding limited to (k-1)//2 instead of k//2", ("transposed-conv-shapes",)),
    M("shapes-configs-odd-padding", SHAPES, "if twice_p >= 0 and twice_p % 2 == 0:", "if twice_p >= 0:",
      "transposed_conv_configs lists configurations that need an odd 2p", ("transposed-conv-shapes",)),
    # ------------------------------------------------------------------ downsample
    M("blur-padding-swapped", DOWNSAMPLE, "before, after = (f - 1) // 2, f // 2", "before, after = f // 2, (f - 1) // 2",
      "blur_pool2d pads the extra pixel of an even filter at the start", ("downsampling",)),
    M("blur-binomial-normalization", DOWNSAMPLE, "/ 2 ** (f - 1)", "/ 2 ** f",
      "binomial taps divided by 2^f (the filter sums to 1/4)", ("downsampling",)),
    M("blur-reflect-check-off-by-one", DOWNSAMPLE, "if after >= min(height, width):",
      "if after > min(height, width):", "missing check: an input too small for reflect padding"),
    M("avgpool-window-not-clipped", DOWNSAMPLE, "end_padded = torch.clamp(start + k, max=length + p)",
      "end_padded = start + k", "avg_pool_matrix: a ceil_mode window not clipped to the padded signal",
      ("downsampling",)),
    M("shift-error-no-realignment", DOWNSAMPLE, "ty, tx = _best_circular_shift(a, b)", "ty, tx = 0, 0",
      "shift_equivariance_error without the best realignment", ("downsampling",)),
    # ------------------------------------------------------------------ artifacts
    M("overlap-far-edge", ARTIFACTS, "(position < n * s)", "(position <= n * s)",
      "overlap map counts one input pixel past the end", ("checkerboard",)),
    M("phase-means-axes", ARTIFACTS, "phases.mean(dim=(-4, -2))", "phases.mean(dim=(-3, -1))",
      "phase_means averages over the phases instead of the blocks", ("checkerboard",)),
    M('energy-normalization', ARTIFACTS, 'return periodic / (s_h * s_w * ac)',
      'return periodic / ac',
      'checkerboard_energy without the s_h*s_w factor', ('checkerboard',)),
    # ------------------------------------------------------------------ images
    M("zone-plate-centre", IMAGES, "torch.arange(size, dtype=torch.float64) - size // 2",
      "torch.arange(size, dtype=torch.float64) - (size - 1) / 2", "zone plate centred between pixels",
      ("downsampling",)),
    M("checkerboard-phase", IMAGES, "((cell[:, None] + cell[None, :]) % 2)", "((cell[:, None] + cell[None, :] + 1) % 2)",
      "checkerboard with 1 at the top-left"),
    M("natural-image-fence-period", IMAGES, "period = 1 / 48  # fence", "period = 1 / 47  # fence",
      "natural_image's fence with period size/47", ("downsampling",)),
    # ------------------------------------------------------------------ argument checks
    M('checks-bool-as-int', CHECKS, '    if isinstance(value, (bool, np.bool_)):\n        return False',
      '    if False:\n        return False',
      'missing check: True/False accepted as ints'),
    M("checks-zero-accepted", CHECKS, "    if value < 1:\n        raise ValueError(f\"{name}={value} must be positive",
      "    if value < 0:\n        raise ValueError(f\"{name}={value} must be positive",
      "missing check: _positive_int accepts 0"),
]
