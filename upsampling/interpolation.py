"""Resampling by interpolation: ``F.interpolate`` rebuilt from explicit 1-D operators.

Every mode of ``F.interpolate`` is *separable*: along one spatial axis, output
sample ``i`` is a weighted sum of a few input samples,

    y[i] = sum_t  w[i, t] * x[idx[i, t]],                                   (1)

with the same indices ``idx`` and weights ``w`` (both of shape
``(out_size, taps)``) for every row, column, channel and batch entry. That pair
is the 1-D operator of a mode. :func:`interpolation_matrix` scatters it into the
dense ``(out_size, in_size)`` matrix ``A[i, idx[i, t]] += w[i, t]`` for teaching
and plots; :func:`interpolate` applies (1) along each spatial axis in turn,
gathering and summing over the taps, and never forms ``A``.

Geometry. A pixel with index ``k`` is the unit interval ``[k, k + 1)``; its
centre is ``k + 0.5``.

* ``align_corners=False`` (and the nearest modes) scale the *whole extent*:
  the output centre ``i + 0.5`` lands on ``scale * (i + 0.5)`` in the input, so
  the source coordinate (in pixel-index units) is ``scale * (i + 0.5) - 0.5``.
* ``align_corners=True`` pins the centres of the corner pixels to each other:
  ``src = i * (in_size - 1) / (out_size - 1)``; the outer half pixels are not
  aligned and the given ``scale_factor`` is ignored.

``scale`` is ``in_size / out_size``, except when the caller gave a
``scale_factor`` and did not ask to recompute it: then PyTorch maps with
``1 / scale_factor`` although ``out_size = floor(in_size * scale_factor)``, and
so do we (with ``in_size=5, scale_factor=1.7`` the output has 8 pixels, mapped
with 1/1.7 = 0.588..., not 5/8 = 0.625).

Kernels (source coordinate ``s``, ``f = floor(s)``, ``t = s - f``):

* ``nearest``: ``idx = floor(i * scale)``, the input pixel under the *left
  edge* of output pixel ``i`` (OpenCV's INTER_NEAREST): the picture shifts by
  up to half an input pixel. ``nearest-exact``: ``idx = floor(s + 0.5) =
  floor(scale * (i + 0.5))``, the input pixel under its *centre* (PIL,
  scikit-image).
* ``linear``: ``s`` clamped at 0, weights ``1 - t`` and ``t`` on ``f`` and
  ``f + 1`` (the latter clamped to the last pixel).
* ``cubic``: Keys' cubic convolution with ``a = -0.75`` on ``f - 1 .. f + 2``,
  indices clamped at the borders (border pixels are repeated).
* ``area``: adaptive average pooling: output ``i`` is the mean of input pixels
  ``floor(i * in / out) .. ceil((i + 1) * in / out) - 1``.
* ``antialias=True`` (PIL's convolution resampling): when shrinking by
  ``scale > 1`` the triangle (linear) or Keys ``a = -0.5`` (cubic) filter is
  stretched by ``scale``, centred at ``scale * (i + 0.5)`` in edge units (also
  with ``align_corners=True``, where only ``scale`` changes); taps outside the
  image are dropped and each output's weights are divided by their sum
  (instead of clamping indices, as without antialias).
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
import torch

from ._checks import _check_fits, _choice, _is_int, _nonnegative, _positive, _show, _tensor

__all__ = ["interpolate", "interpolation_matrix"]

_MODES = ("nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area")
_KERNEL = {"nearest": "nearest", "nearest-exact": "nearest-exact", "linear": "linear", "bilinear": "linear",
           "trilinear": "linear", "bicubic": "cubic", "area": "area"}
_RANK = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}  # the other modes take 3-, 4- or 5-D input
_LAYOUT = {3: "(N, C, W)", 4: "(N, C, H, W)", 5: "(N, C, D, H, W)"}
_INTERPOLATING = ("linear", "bilinear", "bicubic", "trilinear")  # the modes that take align_corners
_ANTIALIASED = ("bilinear", "bicubic")
_MATRIX_MODES = ("nearest", "nearest-exact", "linear", "bilinear", "trilinear", "cubic", "bicubic", "area")
_CUBIC_A = -0.75  # Keys' parameter for bicubic without antialias (OpenCV's choice)
_CUBIC_A_ANTIALIAS = -0.5  # ... and with antialias (PIL's choice)


class _Operator(NamedTuple):
    """A 1-D resampling operator in compact form: ``y[i] = sum_t weight[i, t] * x[index[i, t]]``.

    ``outside`` (optional, bool of shape (out_size,)) marks outputs that take the
    constant ``fill`` instead (TensorFlow's crop-and-resize extrapolation).
    """

    index: torch.Tensor  # (out_size, taps) int64
    weight: torch.Tensor | None  # (out_size, taps) floating; None when every weight is 1 (a pure selection)
    outside: torch.Tensor | None = None
    fill: float = 0.0


class _Kernel(NamedTuple):
    """A resampling kernel: the weight of an input sample at signed distance ``x`` from the sampling point.

    ``radius``: the weight is zero for ``|x| > radius`` (some kernels are
    nonzero at exactly ``|x| = radius``, such as TensorFlow's box). ``fn`` maps
    a tensor of signed distances to weights. ``taps``, when given, computes the
    ``2 * ceil(radius)`` interpolation weights on pixels ``f - r + 1 .. f + r``
    directly from the fraction ``t = s - floor(s)`` (a closed form that rounds
    as PyTorch and ONNX do), instead of ``fn(t - offset)``.
    """

    radius: float
    fn: Callable[[torch.Tensor], torch.Tensor]
    taps: Callable[[torch.Tensor], torch.Tensor] | None = None


# ---------------------------------------------------------------- the public functions

def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False) -> torch.Tensor:
    """Resize by interpolation: ``F.interpolate`` applied as separable 1-D operators.

    Args:
        input: (N, C, W), (N, C, H, W) or (N, C, D, H, W) tensor: 3-D for
            ``linear``, 4-D for ``bilinear`` and ``bicubic``, 5-D for
            ``trilinear``, any of them for ``nearest``, ``nearest-exact`` and
            ``area``. Floating point; ``uint8`` is accepted by the nearest modes.
        size: output spatial size, an int or one int per spatial dimension.
        scale_factor: a positive number or one per spatial dimension. Give
            exactly one of ``size`` and ``scale_factor``.
        mode: ``"nearest"``, ``"nearest-exact"``, ``"linear"``, ``"bilinear"``,
            ``"bicubic"``, ``"trilinear"`` or ``"area"``.
        align_corners: for the interpolating modes (linear, bilinear, bicubic,
            trilinear) only; ``None`` means ``False``. See the module docstring
            for the geometry.
        recompute_scale_factor: with ``scale_factor``, ``True`` maps with
            ``in / out`` computed from the sizes instead of ``1 / scale_factor``.
        antialias: ``bilinear`` and ``bicubic`` only: widen the filter by the
            scale when shrinking (PIL's resampling).

    Returns:
        A tensor of shape (N, C, *out_size) on the input's device, in its dtype.

    Output size: ``size`` as given, else ``floor(in_size * scale_factor)`` per
    dimension. The source coordinate of output pixel ``i`` is
    ``scale * (i + 0.5) - 0.5`` (``i * scale`` for ``nearest`` and for
    ``align_corners=True``), where ``scale = 1 / scale_factor`` when a scale
    factor was given and not recomputed, and ``in_size / out_size`` otherwise
    (``(in_size - 1) / (out_size - 1)`` with ``align_corners=True``).

    Matches: ``F.interpolate(input, size, scale_factor, mode, align_corners,
    recompute_scale_factor, antialias)`` on the CPU, to rounding in float64 and
    float32, and pixel for pixel in the nearest modes. We reproduce PyTorch's
    own conventions, which are part of the result:

    * coordinates and weights are computed in float32 unless the input is
      float64, and rounded where PyTorch's kernels round them: the nearest
      pixel at an exact tie depends on it;
    * an axis whose size does not change is copied by the linear modes (and by
      antialias), even when a ``scale_factor`` such as 1.05 maps elsewhere;
    * PyTorch's vectorized 2-D/3-D nearest kernel (see
      :func:`_uses_shortcut_nearest_kernel`) copies an unchanged size and halves
      the index of a doubled one, whatever the ``scale_factor``.

    Differences: on a GPU we compute what we compute on the CPU (PyTorch's CUDA
    kernels round some ties differently); PyTorch's CPU antialias kernel
    repeats the first row when the output is one pixel wide, which we do not
    copy; ``uint8`` is accepted by the nearest modes only, and PyTorch's
    ``"lanczos"`` mode is not rebuilt. The result is contiguous (PyTorch keeps
    a channels-last layout).

    Determinism: the forward pass is deterministic on every device. The
    backward pass adds the gradients of all outputs that read one input pixel
    (the backward of ``gather``/``index_select``); on CUDA those additions are
    atomic and run in no fixed order, so the input gradient may differ between
    runs in the last bits, as PyTorch's own ``F.interpolate`` backward does on CUDA.

    Raises:
        TypeError: ``input`` is not a tensor or has a dtype the mode does not
            take; ``size``, ``scale_factor``, ``align_corners``,
            ``recompute_scale_factor`` or ``antialias`` has the wrong type.
        ValueError: the input's rank does not fit the mode; an unknown mode;
            both or neither of ``size`` and ``scale_factor``; a size or factor
            that is not positive (or gives an empty output, except in ``area``
            mode) or has the wrong number of entries; an option the mode does not
            take; an empty channel or spatial dimension; or an output too large
            for the device's memory (``size=10**9``, ``scale_factor=1e19``), refused
            before anything is allocated.

    Example:
        >>> import torch.nn.functional as F
        >>> x = torch.tensor([[[[1., 2.], [3., 4.]]]])
        >>> interpolate(x, scale_factor=2, mode="bilinear")[0, 0, 1].tolist()
        [1.5, 1.75, 2.25, 2.5]
        >>> y = torch.rand(2, 3, 7, 9)
        >>> ours = interpolate(y, scale_factor=1.7, mode="bicubic", align_corners=False)
        >>> torch.allclose(ours, F.interpolate(y, scale_factor=1.7, mode="bicubic", align_corners=False), atol=1e-6)
        True
    """
    out_sizes, scales, align_corners = _check_interpolate_arguments(
        input, size, scale_factor, mode, align_corners, recompute_scale_factor, antialias)
    in_sizes = tuple(input.shape[2:])
    if 0 in out_sizes:  # only mode="area" (adaptive average pooling) accepts an empty output
        return input.new_empty(input.shape[:2] + out_sizes)
    kernel, opmath = _KERNEL[mode], _opmath(input.dtype)
    shortcut = kernel in ("nearest", "nearest-exact") and _uses_shortcut_nearest_kernel(input, out_sizes)
    operators = [_operator(n, m, kernel, align_corners=align_corners, scale_factor=s, antialias=antialias,
                           opmath=opmath, shortcut=shortcut) for n, m, s in zip(in_sizes, out_sizes, scales)]
    if input.dtype in (torch.float16, torch.bfloat16) and kernel == "cubic" and not antialias:
        # PyTorch's bicubic stores its weights in the input's dtype (its linear kernels keep them in float32)
        operators = [op._replace(weight=op.weight.to(input.dtype).to(opmath)) for op in operators]
    return _apply(input, operators, opmath)


def interpolation_matrix(in_size, out_size, mode="linear", align_corners=False, scale_factor=None,
                         antialias=False) -> torch.Tensor:
    """The dense (out_size, in_size) matrix of one axis of ``F.interpolate``.

    Row ``i`` holds the weights with which output sample ``i`` combines the
    input samples, so ``y = A @ x`` resizes a 1-D signal, and applying ``A``
    along each spatial axis (``A_h @ X @ A_w.T`` for an image) reproduces
    ``F.interpolate``. It is built from the same compact (index, weight)
    operator that :func:`interpolate` applies.

    Args:
        in_size, out_size: positive ints, the lengths of the axis before and after.
        mode: ``"nearest"``, ``"nearest-exact"``, ``"linear"`` (also spelled
            ``"bilinear"`` or ``"trilinear"``: the 1-D kernel is the same),
            ``"cubic"`` (or ``"bicubic"``) or ``"area"``.
        align_corners: for the linear and cubic kernels only.
        scale_factor: the scale factor the caller gave ``F.interpolate`` (and did
            not ask to recompute): the mapping then uses ``1 / scale_factor``
            instead of ``in_size / out_size``. Usually ``out_size ==
            floor(in_size * scale_factor)``. Not for ``area``, which always
            works from the sizes.
        antialias: for the linear and cubic kernels: the matrix of
            ``F.interpolate(..., antialias=True)``.

    Returns:
        A float64 tensor of shape (out_size, in_size) on the CPU. The rows of the
        linear, cubic and area matrices sum to 1.

    Matches: one axis of ``F.interpolate`` on a float64 input, for example
    ``F.interpolate(x[None, None], out_size, mode="linear")[0, 0] == A @ x``; the
    nearest rows follow PyTorch's 1-D kernel (see :func:`interpolate` for the
    ties its 2-D kernel rounds differently).

    Example:
        >>> import torch.nn.functional as F
        >>> interpolation_matrix(2, 4, "linear").tolist()  # output centres at -0.25, 0.25, 0.75, 1.25
        [[1.0, 0.0], [0.75, 0.25], [0.25, 0.75], [0.0, 1.0]]
        >>> x = torch.rand(2, dtype=torch.float64)
        >>> A = interpolation_matrix(2, 4, "linear")
        >>> torch.allclose(A @ x, F.interpolate(x[None, None], 4, mode="linear")[0, 0])
        True
        >>> interpolation_matrix(4, 2, "area").tolist()
        [[0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.5, 0.5]]
    """
    in_size, out_size = _positive(in_size, "in_size", 1)[0], _positive(out_size, "out_size", 1)[0]
    _choice(mode, "mode", _MATRIX_MODES)
    kernel = "cubic" if mode in ("cubic", "bicubic") else _KERNEL[mode]
    if not isinstance(align_corners, bool):
        raise TypeError(f"align_corners={align_corners!r} must be True or False")
    if align_corners and kernel not in ("linear", "cubic"):
        raise ValueError(f"align_corners=True is only defined for the linear and cubic kernels, got mode={mode!r}")
    if not isinstance(antialias, bool):
        raise TypeError(f"antialias={antialias!r} must be True or False")
    if antialias and kernel not in ("linear", "cubic"):
        raise ValueError(f"antialias=True is only defined for the linear and cubic kernels, got mode={mode!r}")
    if scale_factor is not None:
        scale_factor = _scale_factors(scale_factor, 1)[0]
        if kernel == "area":
            raise ValueError(f"scale_factor={scale_factor!r} does not enter the area mapping (PyTorch's area mode "
                             "always recomputes the scale from the sizes); give only in_size and out_size")
    index, weight = _operator(in_size, out_size, kernel, align_corners=align_corners, scale_factor=scale_factor,
                              antialias=antialias, opmath=torch.float64)[:2]
    if weight is None:
        weight = torch.ones(index.shape, dtype=torch.float64)
    return torch.zeros(out_size, in_size, dtype=torch.float64).scatter_add_(1, index, weight.to(torch.float64))


# ---------------------------------------------------------------- the engine: applying 1-D operators

def _apply(input: torch.Tensor, operators: Sequence[_Operator], opmath: torch.dtype) -> torch.Tensor:
    """Apply one 1-D operator along each spatial axis of an (N, C, *spatial) tensor, in the input's dtype.

    This is the whole engine: every convention in the package (PyTorch's
    ``F.interpolate``, ONNX ``Resize``, TensorFlow, JAX, OpenCV, Pillow) only
    differs in the operators it builds (coordinate map, kernel, antialiasing,
    rounding, border rule). Pure selections (no weights) keep any dtype; weighted
    passes run in ``opmath``.
    """
    selects = all(op.weight is None for op in operators)
    x = input if selects else input.to(opmath)
    in_sizes = tuple(input.shape[2:])
    out_sizes = tuple(len(op.index) for op in operators)
    for axis in _pass_order(in_sizes, out_sizes):
        op = operators[axis]
        weight = None if op.weight is None else op.weight.to(device=input.device, dtype=x.dtype)
        x = _resample(x, axis + 2, op.index.to(input.device), weight)
        if op.outside is not None and bool(op.outside.any()):
            mask = op.outside.to(input.device).reshape((-1,) + (1,) * (x.dim() - 3 - axis))
            x = torch.where(mask, torch.tensor(op.fill, dtype=x.dtype, device=x.device), x)
    return x.to(input.dtype)


def _resample(x: torch.Tensor, dim: int, index: torch.Tensor, weight: torch.Tensor | None) -> torch.Tensor:
    """Equation (1) along ``dim``: gather each tap and add it with its weight (a loop over the few taps)."""
    if weight is None:
        return _gather(x, dim, index[:, 0])
    index, weight = index.t().contiguous(), weight.t().contiguous()  # (taps, out_size): one row per tap
    weight = weight.reshape(weight.shape + (1,) * (x.dim() - 1 - dim))  # broadcast along the axes after `dim`
    out = _gather(x, dim, index[0])  # a fresh tensor: the in-place updates below touch nothing else
    if len(index) == 2:  # linear: w0 = 1 - w1, so y = x0 + w1 * (x1 - x0)
        return out.lerp_(_gather(x, dim, index[1]), weight[1])
    out = out.mul_(weight[0])
    for t in range(1, len(index)):
        out = out.addcmul_(_gather(x, dim, index[t]), weight[t])
    return out


def _gather(x: torch.Tensor, dim: int, index: torch.Tensor) -> torch.Tensor:
    """``x`` indexed by the 1-D ``index`` along ``dim``."""
    if dim == x.dim() - 1:
        # Along the last axis torch.gather with a broadcast (stride-0) index is PyTorch's fastest CPU gather:
        # on a 3 x 1024 x 512 tensor we measured it 20x faster than index_select and 7x faster than x[..., index].
        return torch.gather(x, dim, index.expand(*x.shape[:-1], index.numel()))
    return x.index_select(dim, index)


def _pass_order(in_sizes: tuple[int, ...], out_sizes: tuple[int, ...]) -> list[int]:
    """The order of the separable passes; it changes the speed, not the result.

    Gathering whole rows (every axis but the last) is cheap; gathering along the
    last axis is not, so that pass runs while the other axes are smallest.
    """
    last = len(in_sizes) - 1
    others = sorted(range(last), key=lambda a: out_sizes[a] / in_sizes[a])  # shrink first, grow last
    others_grow = math.prod(out_sizes[:last]) > math.prod(in_sizes[:last])
    return [last] + others if others_grow else others + [last]


# ---------------------------------------------------------------- the 1-D operators

def _operator(in_size: int, out_size: int, kernel: str, *, align_corners: bool = False,
              scale_factor: float | None = None, antialias: bool = False,
              opmath: torch.dtype = torch.float64, shortcut: bool = False) -> _Operator:
    """The compact 1-D operator of ``kernel``, on the CPU (indices int64, weights in ``opmath``).

    ``opmath`` is the type PyTorch computes coordinates and weights in: float64
    for float64 input, float32 otherwise. ``shortcut`` selects the rounding of
    PyTorch's vectorized nearest kernel (see :func:`_uses_shortcut_nearest_kernel`).
    """
    if kernel in ("nearest", "nearest-exact"):
        return _nearest(in_size, out_size, kernel == "nearest-exact", scale_factor, opmath, shortcut)
    if kernel == "area":
        return _area(in_size, out_size, opmath)
    if antialias:
        return _antialiased(in_size, out_size, kernel, align_corners, scale_factor, opmath)
    if kernel == "linear":
        return _linear(in_size, out_size, align_corners, scale_factor, opmath)
    return _cubic(in_size, out_size, align_corners, scale_factor, opmath)


def _scale(in_size: int, out_size: int, align_corners: bool, scale_factor: float | None,
           opmath: torch.dtype) -> float:
    """Source pixels per output pixel, rounded to ``opmath`` (PyTorch's ``area_pixel_compute_scale``)."""
    if align_corners:
        value = (in_size - 1) / (out_size - 1) if out_size > 1 else 0.0
    elif scale_factor is not None:
        value = 1.0 / scale_factor
    else:
        value = in_size / out_size
    return _round(value, opmath)


@functools.cache
def _pytorch_fuses_source() -> bool:
    """Whether this machine's PyTorch rounds the float32 ``scale * (i + 0.5) - 0.5`` of its generic kernel once.

    Measured with the Linux x86-64 wheel: its kernels for AVX2 and AVX-512 do (a fused multiply-add); the one
    it runs on a CPU without AVX2 (``ATEN_CPU_CAPABILITY=default``) rounds the product, then the difference.
    Other builds and CPUs were not measured, hence the question, asked of ``F.interpolate`` itself at an
    exact tie: 2 -> 41 pixels, nearest-exact, output 20 samples 20.5 * float32(2 / 41) - 0.5, 0.49999997
    rounded once and 0.49999994 rounded twice; plus 0.5 and floored in float32, pixel 1 or 0.
    """
    # float32 on the CPU whatever torch.set_default_dtype / set_default_device say: a float64 probe finds
    # pixel 1 with each of ATEN_CPU_CAPABILITY=default, avx2 and avx512 (measured)
    two = torch.tensor([[[0.0, 1.0]]], dtype=torch.float32, device="cpu")
    tie = torch.nn.functional.interpolate(two, size=41, mode="nearest-exact")
    return tie[0, 0, 20].item() == 1.0


def _source_coordinate(out_size: int, scale: float, align_corners: bool, opmath: torch.dtype) -> torch.Tensor:
    """Where each output pixel samples the input, in input pixel-index units, rounded to ``opmath``.

    ``scale * (i + 0.5) - 0.5`` is evaluated in float64 and rounded once: for a
    float32 ``opmath`` that is the fused multiply-add PyTorch's compiled kernel
    performs on CPUs with AVX2, which decides the nearest-exact pixel in rare exact
    ties. Where PyTorch rounds twice instead (:func:`_pytorch_fuses_source`), the
    same expression is evaluated in float32, rounded at each step.
    """
    rounded_once = opmath != torch.float32 or _pytorch_fuses_source()
    i = torch.arange(out_size, dtype=torch.float64 if rounded_once else torch.float32)
    source = scale * i if align_corners else scale * (i + 0.5) - 0.5
    return source.to(opmath)


def _floor(source: torch.Tensor) -> torch.Tensor:
    """``floorf``: PyTorch floors the source coordinate after rounding it to float32, even for float64 input."""
    return source.to(torch.float32).floor().to(torch.int64)


def _nearest(in_size, out_size, exact, scale_factor, opmath, shortcut) -> _Operator:
    """``nearest``: ``floor(i * scale)``; ``nearest-exact``: ``floor(scale * (i + 0.5))``; both at most ``in - 1``."""
    i = torch.arange(out_size)
    if shortcut:  # PyTorch's vectorized kernel: float32 scale, and size x1 and x2 shortcuts for `nearest`
        scale = _scale(in_size, out_size, False, scale_factor, torch.float32)
        if not exact and out_size == in_size:
            index = i
        elif not exact and out_size == 2 * in_size:
            index = i // 2
        elif not exact:
            index = _floor(scale * i.to(torch.float64))
        else:
            index = _floor((i.to(torch.float64) + 0.5) * scale)
    else:  # PyTorch's generic kernel: the source coordinate in opmath
        scale = _scale(in_size, out_size, False, scale_factor, opmath)
        if not exact:
            index = _floor(_source_coordinate(out_size, scale, True, opmath))
        else:
            source = _source_coordinate(out_size, scale, False, opmath).clamp(min=0)
            index = _floor(source.to(torch.float64) + 0.5)
    return _Operator(index.clamp(max=in_size - 1)[:, None], None)


def _linear(in_size, out_size, align_corners, scale_factor, opmath) -> _Operator:
    """Weights ``1 - t, t`` on pixels ``f, f + 1`` (clamped), from ``s = max(source, 0)``."""
    if in_size == out_size:  # PyTorch copies an axis whose size does not change, whatever the scale
        i = torch.arange(out_size)
        return _Operator(torch.stack([i, i], 1), torch.tensor([1.0, 0.0], dtype=opmath).repeat(out_size, 1))
    scale = _scale(in_size, out_size, align_corners, scale_factor, opmath)
    source = _source_coordinate(out_size, scale, align_corners, opmath).clamp(min=0)
    return _interpolating(source, in_size, LINEAR)


def _cubic(in_size, out_size, align_corners, scale_factor, opmath) -> _Operator:
    """Keys' cubic convolution (``a = -0.75``) on pixels ``f - 1 .. f + 2``, clamped at the borders."""
    scale = _scale(in_size, out_size, align_corners, scale_factor, opmath)
    source = _source_coordinate(out_size, scale, align_corners, opmath)  # not clamped: it may be negative
    return _interpolating(source, in_size, keys_cubic(_CUBIC_A))


def _antialiased(in_size, out_size, kernel, align_corners, scale_factor, opmath) -> _Operator:
    """PIL-style resampling: the filter stretched by ``scale`` when shrinking, weights normalized per output.

    Output pixel ``i`` is centred at ``c = scale * (i + 0.5)`` in edge units; its
    taps are the pixels ``j`` with ``|j + 0.5 - c| < support`` inside the image,
    ``support = r * max(scale, 1)`` (radius ``r`` = 1 linear, 2 cubic); tap ``j``
    weighs ``filter((j + 0.5 - c) / max(scale, 1))``, divided by the sum.
    """
    if in_size == out_size:  # PyTorch skips an axis whose size does not change, whatever the scale
        return _Operator(torch.arange(out_size)[:, None], None)
    scale = _scale(in_size, out_size, align_corners, scale_factor, opmath)
    centre = (scale * (torch.arange(out_size, dtype=torch.float64) + 0.5)).to(opmath)
    return _filtering(centre, in_size, LINEAR if kernel == "linear" else keys_cubic(_CUBIC_A_ANTIALIAS),
                      max(scale, 1.0), opmath=opmath, window="pil")


# ---------------------------------------------------------------- the engine: building 1-D operators

def _interpolating(source: torch.Tensor, in_size: int, kernel: _Kernel, *, edge: str = "clamp",
                   floor: Callable[[torch.Tensor], torch.Tensor] | None = None) -> _Operator:
    """Interpolation at the source coordinates ``source`` (pixel ``j`` sits at ``j``), kernel not stretched.

    Taps ``f - r + 1 .. f + r`` around ``f = floor(s)`` (``r = ceil(radius)``),
    weights ``kernel.taps(t)`` with ``t = s - f`` computed in ``source``'s dtype.
    ``edge="clamp"`` repeats the border pixels (the index is clamped);
    ``edge="exclude"`` gives taps outside the input weight 0 and renormalizes.
    ``floor`` defaults to PyTorch's ``floorf`` (the coordinate rounded to float32 first).
    """
    f = (floor or _floor)(source)
    t = source - f.to(source.dtype)
    r = math.ceil(kernel.radius)
    offsets = torch.arange(-r + 1, r + 1)
    if kernel.taps is not None:
        weight = kernel.taps(t)
    else:
        weight = kernel.fn(t[:, None] - offsets.to(t.dtype))
    return _border(f[:, None] + offsets, weight, in_size, edge)


def _filtering(centre: torch.Tensor, in_size: int, kernel: _Kernel, stretch: float, *, opmath: torch.dtype,
               edge: str = "exclude", window: str = "support", normalize: bool = True) -> _Operator:
    """Convolution resampling: output ``i`` is a kernel stretched by ``stretch``, centred at ``centre[i]``.

    ``centre`` is in edge units (pixel ``j`` covers ``[j, j + 1)``, its centre is
    ``j + 0.5``). Tap ``j`` weighs ``kernel.fn((j + 0.5 - centre) / stretch)``;
    taps outside the input are dropped (``edge="exclude"``) or replaced by the
    border pixel (``edge="clamp"``, ONNX's default), then the weights of each
    output are divided by their sum (``normalize``). The window of taps is every
    ``j`` with ``|j + 0.5 - centre| <= radius * stretch`` (``window="support"``),
    or PIL's and PyTorch's ``[floor(c - S + 0.5), floor(c + S + 0.5))`` capped at
    ``2 * ceil(S) + 1`` taps (``window="pil"``), which differ only in taps where
    the kernel is zero. Distances are rounded to ``opmath`` as PyTorch does.
    """
    support = _round(kernel.radius * stretch, opmath)
    if window == "pil":
        taps = math.ceil(support) * 2 + 1
        first = ((centre - support).to(torch.float64) + 0.5).floor().to(torch.int64)
        end = ((centre + support).to(torch.float64) + 0.5).floor().to(torch.int64)
        if edge == "exclude":
            first, end = first.clamp(min=0), end.clamp(max=in_size)
        count = (end - first).clamp(0, taps)  # PyTorch clips a rare one-too-many tap due to rounding
    else:
        first = (centre.to(torch.float64) - 0.5 - support).ceil().to(torch.int64)
        end = (centre.to(torch.float64) - 0.5 + support).floor().to(torch.int64) + 1
        if edge == "exclude":
            first, end = first.clamp(min=0, max=in_size), end.clamp(min=0, max=in_size)
        count = (end - first).clamp(min=0)
        taps = max(int(count.max()), 1) if len(count) else 1
    j = first[:, None] + torch.arange(taps)
    distance = ((j.to(opmath) - centre[:, None]).to(torch.float64) + 0.5) * _round(1.0 / stretch, opmath)
    weight = kernel.fn(distance.to(opmath)) * (torch.arange(taps) < count[:, None])
    op = _border(j, weight, in_size, edge if edge != "exclude" else "clamp", normalize=normalize)
    used = (op.weight != 0).any(0)  # a tap that is zero in every row is dropped
    if not bool(used.any()):
        used[0] = True
    return _Operator(op.index[:, used], op.weight[:, used])


def _border(index: torch.Tensor, weight: torch.Tensor, in_size: int, edge: str, normalize: bool | None = None
            ) -> _Operator:
    """Apply the border rule: clamp indices (repeat the border) or drop outside taps; renormalize if asked."""
    if edge == "exclude":
        weight = weight * ((index >= 0) & (index < in_size))
        normalize = True if normalize is None else normalize
    if normalize:
        total = weight.sum(1, keepdim=True)
        weight = torch.where(total != 0, weight / total, weight)
    return _Operator(index.clamp(0, in_size - 1), weight)


def _select(source: torch.Tensor, in_size: int, rounding: str) -> _Operator:
    """Nearest neighbour: ``source`` rounded by ``rounding``, clamped to the input: a pure selection.

    ``rounding`` is ``"floor"``, ``"ceil"``, ``"round_prefer_floor"`` (ties go
    down) or ``"round_prefer_ceil"`` (ties go up, ``floor(s + 0.5)``), as ONNX names them.
    """
    s = source.to(torch.float64)
    if rounding == "floor":
        index = s.floor()
    elif rounding == "ceil":
        index = s.ceil()
    elif rounding == "round_prefer_floor":
        index = (s - 0.5).ceil()
    else:
        index = (s + 0.5).floor()
    return _Operator(index.to(torch.int64).clamp(0, in_size - 1)[:, None], None)


# ---------------------------------------------------------------- the kernels

def keys_cubic(a: float = -0.75) -> _Kernel:
    """Keys' cubic convolution kernel with parameter ``a`` (radius 2)."""
    return _Kernel(2.0, lambda x: _keys_cubic(x, a),
                   lambda t: _keys_cubic(torch.stack([t + 1, t, 1 - t, 2 - t], 1), a))


def _keys_cubic(x: torch.Tensor, a: float) -> torch.Tensor:
    """Keys' cubic convolution kernel at distance ``|x|`` (zero from 2 on)."""
    x = x.abs()
    near = ((a + 2) * x - (a + 3)) * x * x + 1  # |x| < 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a  # 1 <= |x| < 2
    return torch.where(x < 1, near, torch.where(x < 2, far, torch.zeros_like(x)))


def _triangle(x: torch.Tensor) -> torch.Tensor:
    """The linear-interpolation kernel ``max(1 - |x|, 0)``."""
    return (1 - x.abs()).clamp(min=0)


LINEAR = _Kernel(1.0, _triangle, lambda t: torch.stack([1 - t, t], 1))


def _area(in_size, out_size, opmath) -> _Operator:
    """Adaptive average pooling: the mean of pixels ``floor(i * in / out) .. ceil((i + 1) * in / out) - 1``."""
    i = torch.arange(out_size)
    start = i * in_size // out_size
    end = -((-(i + 1) * in_size) // out_size)  # ceil((i + 1) * in / out) in integers
    length = end - start
    taps = int(length.max())
    offset = torch.arange(taps)
    index = (start[:, None] + offset).clamp(max=in_size - 1)
    weight = (offset < length[:, None]).to(opmath) / length[:, None].to(opmath)
    if taps == 1:  # every window is one pixel: a pure selection
        return _Operator(index, None)
    return _Operator(index, weight)


# ---------------------------------------------------------------- PyTorch's two nearest kernels

def _uses_shortcut_nearest_kernel(input: torch.Tensor, out_sizes: tuple[int, ...]) -> bool:
    """Whether PyTorch's CPU runs its vectorized ("channels last") nearest kernel for this call.

    That kernel computes the index with a float32 scale and shortcuts an
    unchanged size (``idx = i``) and a doubled size (``idx = i // 2``) even when
    a scale factor that maps differently was given; the generic kernel does
    neither. PyTorch picks it for 4-D input in channels-last layout with more
    than 3 channels or with ``H_out + W_out <= 128``, and for 5-D input in
    channels-last-3d layout with more than 3 channels. The two agree except at
    exact rounding ties, which small sizes with a scale factor do reach.
    """
    channels = input.shape[1]
    if input.dim() == 4:
        return (input.is_contiguous(memory_format=torch.channels_last) and channels > 3) or sum(out_sizes) <= 128
    if input.dim() == 5:
        return input.is_contiguous(memory_format=torch.channels_last_3d) and channels > 3
    return False


# ---------------------------------------------------------------- rounding helpers

def _opmath(dtype: torch.dtype) -> torch.dtype:
    """The type PyTorch computes in: float64 for float64, float32 for every other dtype."""
    return torch.float64 if dtype == torch.float64 else torch.float32


def _round(value: float, dtype: torch.dtype) -> float:
    """A Python float rounded to ``dtype`` (and back, exactly)."""
    return torch.tensor(value, dtype=torch.float64).to(dtype).item()


# ---------------------------------------------------------------- argument checks

def _check_interpolate_arguments(input, size, scale_factor, mode, align_corners, recompute_scale_factor, antialias):
    """Validate everything once; return (output sizes, mapping scale per axis or None, align_corners)."""
    _tensor(input, "input", ndim=(3, 4, 5), floating=False)
    _choice(mode, "mode", _MODES)
    dim = input.dim() - 2
    if mode in _RANK and input.dim() != _RANK[mode]:
        rank = _RANK[mode]
        raise ValueError(f"mode={mode!r} needs a {rank}-D input {_LAYOUT[rank]}, got a {input.dim()}-D tensor "
                         f"of shape {tuple(input.shape)}")
    _check_dtype(input, mode, antialias)
    if input.shape[1] == 0 and mode != "area":
        raise ValueError(f"input of shape {tuple(input.shape)} has no channels; PyTorch resamples an empty "
                         "channel dimension only in mode='area'")
    if any(n == 0 for n in input.shape[2:]):
        raise ValueError(f"input of shape {tuple(input.shape)} must have at least one pixel along every "
                         "spatial dimension")

    if align_corners is not None and not isinstance(align_corners, bool):
        raise TypeError(f"align_corners={align_corners!r} must be None, True or False")
    if align_corners is not None and mode not in _INTERPOLATING:
        raise ValueError(f"align_corners={align_corners} can only be set with the interpolating modes "
                         f"'linear', 'bilinear', 'bicubic' and 'trilinear', got mode={mode!r}; leave it None")
    if not isinstance(antialias, bool):
        raise TypeError(f"antialias={antialias!r} must be True or False")
    if antialias and mode not in _ANTIALIASED:
        raise ValueError(f"antialias=True is only available for mode='bilinear' and mode='bicubic' "
                         f"(4-D input), got mode={mode!r}")
    if recompute_scale_factor is not None and not isinstance(recompute_scale_factor, bool):
        raise TypeError(f"recompute_scale_factor={recompute_scale_factor!r} must be None, True or False")

    if size is not None and scale_factor is not None:
        raise ValueError(f"give exactly one of size and scale_factor, got size={size!r} and "
                         f"scale_factor={scale_factor!r}")
    if size is None and scale_factor is None:
        raise ValueError("give exactly one of size and scale_factor; both are None")
    in_sizes = tuple(input.shape[2:])
    if size is not None:
        if recompute_scale_factor:
            raise ValueError(f"recompute_scale_factor=True is only meaningful with scale_factor, not with an "
                             f"explicit size={size!r}")
        sizes = _nonnegative(size, "size", dim) if mode == "area" else _positive(size, "size", dim)
        _check_output_fits(input, sizes, f"size={size!r}")
        return sizes, (None,) * dim, bool(align_corners)
    factors = _scale_factors(scale_factor, dim)
    out_sizes = tuple(int(n * s) for n, s in zip(in_sizes, factors))  # floor: both are positive
    if mode != "area" and any(n < 1 for n in out_sizes):
        raise ValueError(f"scale_factor={scale_factor!r} gives output size {_show(out_sizes)} for input size "
                         f"{_show(in_sizes)}; every output size must be at least 1 (only mode='area' "
                         "returns an empty result)")
    _check_output_fits(input, out_sizes, f"scale_factor={scale_factor!r}")
    recompute = recompute_scale_factor or mode == "area"  # area always maps with in / out
    return out_sizes, (None,) * dim if recompute else factors, bool(align_corners)


def _check_output_fits(input: torch.Tensor, out_sizes: tuple[int, ...], cause: str) -> None:
    """Refuse at once an output too large for memory (not an out-of-memory kill, nor an overflow in ``arange``).

    The estimate: three tensors of the output's size in the computing dtype (the
    converted input, one intermediate pass, the result) and about 64 bytes per
    output position and axis for the 1-D operators' temporary index and weight tables.
    """
    _check_fits(input.shape[:2] + tuple(out_sizes), _opmath(input.dtype), input.device, cause, factor=3,
                extra=64 * sum(out_sizes))


def _scale_factors(scale_factor, n: int) -> tuple[float, ...]:
    """``scale_factor`` as ``n`` finite positive floats."""
    def is_number(v):
        return (isinstance(v, numbers.Real) or _is_int(v)) and not isinstance(v, (bool, np.bool_))

    if is_number(scale_factor):
        factors = (float(scale_factor),) * n  # also a NumPy integer or a 0-d integer tensor
    elif isinstance(scale_factor, Sequence) and not isinstance(scale_factor, str) and all(map(is_number, scale_factor)):
        if len(scale_factor) != n:
            raise ValueError(f"scale_factor={tuple(scale_factor)} must have {n} entries (one per spatial "
                             f"dimension), got {len(scale_factor)}")
        factors = tuple(float(s) for s in scale_factor)
    else:
        raise TypeError(f"scale_factor={scale_factor!r} must be a number or a sequence of {n} numbers")
    if not all(math.isfinite(s) and s > 0 for s in factors):
        raise ValueError(f"scale_factor={scale_factor!r} must be finite and positive in every dimension")
    return factors


def _check_dtype(input: torch.Tensor, mode: str, antialias: bool) -> None:
    if mode in ("nearest", "nearest-exact"):
        if not (input.is_floating_point() or input.dtype == torch.uint8):
            raise TypeError(f"input must be floating point or uint8 for mode={mode!r}, got {input.dtype}")
    elif not input.is_floating_point():
        raise TypeError(f"input must have a floating-point dtype for mode={mode!r}, got {input.dtype} "
                        "(PyTorch's fixed-point uint8 resampling is not rebuilt here)")
    if antialias and input.dtype not in (torch.float32, torch.float64):
        raise TypeError(f"antialias=True needs a float32 or float64 input, got {input.dtype}")
