"""Other frameworks' resize conventions, each as parameters of the one resampling engine.

Every resize in every library is separable and, along one axis, a 1-D operator
fixed by four choices (see :mod:`upsampling.interpolation`):

* the **coordinate map** from output pixel ``i`` to the input: half-pixel
  ``(i + 0.5) / scale - 0.5`` (TF2, JAX, OpenCV, Pillow, PyTorch's
  ``align_corners=False``), asymmetric ``i / scale`` (TF1, OpenCV's nearest),
  align-corners ``i * (in - 1) / (out - 1)``, or a crop box;
* the **kernel**: nearest (with a rounding rule), linear, Keys cubic with
  ``a = -0.5`` (TF2, JAX, Pillow) or ``a = -0.75`` (PyTorch, OpenCV, TF1),
  Lanczos, box, area, Hamming, Gaussian, Mitchell;
* **antialiasing**: whether the kernel is stretched by ``in / out`` when shrinking;
* the **border rule** and **rounding**: repeat the border pixel, or drop taps
  outside the image and renormalize; the arithmetic precision of the library.

Each function here names the exact library call it reproduces and builds that
library's operators for the one engine (:func:`upsampling.interpolation._apply`).
Inputs are (N, C, *spatial) tensors as in PyTorch; other libraries' NHWC or
HWC arrays must be transposed (``x.permute(0, 3, 1, 2)``). The tests in
``tests/test_conventions.py`` run each library and compare.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from ._checks import _choice, _is_int, _positive, _show, _tensor
from .interpolation import (LINEAR, _apply, _filtering, _interpolating, _Kernel, _keys_cubic, _opmath, _Operator,
                            _select, keys_cubic)

__all__ = ["onnx_resize", "tf_resize", "tf1_resize", "keras_upsampling2d", "keras_resizing", "jax_resize",
           "jax_scale_and_translate", "cv2_resize", "pil_resize"]

_COORDINATE_MODES = ("half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric",
                     "tf_crop_and_resize")
_NEAREST_MODES = ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil")


# ---------------------------------------------------------------- kernels other libraries use

def _sinc(x: torch.Tensor) -> torch.Tensor:
    return torch.where(x == 0, torch.ones_like(x), torch.sin(math.pi * x) / (math.pi * x))


def _lanczos(a: int, tf: bool = False) -> _Kernel:
    """Lanczos-``a``: ``sinc(x) sinc(x / a)`` for ``|x| < a``. TF and JAX give 1 for ``|x| <= 1e-3``."""
    def fn(x):
        x = x.abs()
        value = _sinc(x) * _sinc(x / a)
        if tf:
            value = torch.where(x <= 1e-3, torch.ones_like(x), value)
        return torch.where(x < a, value, torch.zeros_like(x))
    return _Kernel(float(a), fn)


def _pil_box(x: torch.Tensor) -> torch.Tensor:
    """Pillow's box: 1 on ``(-0.5, 0.5]`` (a sample exactly half way goes to the left output)."""
    return ((x > -0.5) & (x <= 0.5)).to(x.dtype)


def _tf_box(x: torch.Tensor) -> torch.Tensor:
    """TensorFlow's box: 1 inside, 0.5 at exactly ``|x| = 0.5``."""
    x = x.abs()
    return torch.where(x < 0.5, torch.ones_like(x), torch.where(x == 0.5, torch.full_like(x, 0.5), torch.zeros_like(x)))


def _hamming(x: torch.Tensor) -> torch.Tensor:
    """Pillow's Hamming-windowed sinc on ``|x| < 1``."""
    x = x.abs()
    return torch.where(x < 1, _sinc(x) * (0.54 + 0.46 * torch.cos(math.pi * x)), torch.zeros_like(x))


def _gaussian(x: torch.Tensor) -> torch.Tensor:
    """TensorFlow's Gaussian, sigma 0.5, cut at radius 1.5."""
    x = x.abs()
    return torch.where(x < 1.5, torch.exp(-x * x / 0.5), torch.zeros_like(x))


def _mitchell(x: torch.Tensor) -> torch.Tensor:
    """Mitchell-Netravali with B = C = 1/3 (TensorFlow's ``mitchellcubic``)."""
    x = x.abs()
    near = ((7 / 6 * x - 2) * x) * x + 8 / 9
    far = ((-7 / 18 * x + 2) * x - 10 / 3) * x + 16 / 9
    return torch.where(x < 1, near, torch.where(x < 2, far, torch.zeros_like(x)))


def _area(scale: float) -> _Kernel:
    """Area averaging: the overlap of pixel ``[j, j + 1)`` with the output cell of width ``scale``, over ``scale``.

    In the engine's units (distance divided by ``scale``) the cell is
    ``[-1/2, 1/2]`` and the pixel ``[x - 1/(2 scale), x + 1/(2 scale)]``.
    """
    def fn(x):
        d = x.to(torch.float64) * scale
        overlap = torch.minimum(d + 0.5, torch.full_like(d, scale / 2)) - torch.maximum(d - 0.5, torch.full_like(d, -scale / 2))
        return (overlap.clamp(min=0) / scale).to(x.dtype)
    return _Kernel(0.5 + 0.5 / scale, fn)


def _table_cubic(a: float) -> _Kernel:
    """Keys' cubic with TensorFlow's lookup table: the fraction rounded to 1/1024 (half to even), weights in float32."""
    def taps(t):
        q = torch.round(t.to(torch.float64) * 1024) / 1024
        w = _keys_cubic(torch.stack([q + 1, q, 1 - q, 2 - q], 1), a)
        return w.to(torch.float32).to(t.dtype)
    return _Kernel(2.0, lambda x: _keys_cubic(x, a), taps)


_TF_KERNELS = {"bilinear": LINEAR, "bicubic": keys_cubic(-0.5), "lanczos3": _lanczos(3, tf=True),
               "lanczos5": _lanczos(5, tf=True), "gaussian": _Kernel(1.5, _gaussian),
               "mitchellcubic": _Kernel(2.0, _mitchell)}
_JAX_KERNELS = {"linear": LINEAR, "cubic": keys_cubic(-0.5), "lanczos3": _lanczos(3, tf=True),
                "lanczos5": _lanczos(5, tf=True)}
_JAX_ALIASES = {"bilinear": "linear", "trilinear": "linear", "bicubic": "cubic", "tricubic": "cubic"}
_PIL_FILTERS = {"box": _Kernel(0.5, _pil_box), "bilinear": LINEAR, "hamming": _Kernel(1.0, _hamming),
                "bicubic": keys_cubic(-0.5), "lanczos": _lanczos(3)}
_PIL_NAMES = {0: "nearest", 1: "lanczos", 2: "bilinear", 3: "bicubic", 4: "box", 5: "hamming"}


# ---------------------------------------------------------------- ONNX

def onnx_resize(input, scales=None, sizes=None, *, mode="nearest", coordinate_transformation_mode="half_pixel",
                nearest_mode="round_prefer_floor", cubic_coeff_a=-0.75, exclude_outside=False, antialias=False,
                roi=None, extrapolation_value=0.0) -> torch.Tensor:
    """ONNX ``Resize`` (opset 19) on the spatial dimensions of an (N, C, *spatial) tensor.

    Args:
        input: (N, C, W), (N, C, H, W) or (N, C, D, H, W) tensor; floating
            point, or any dtype for ``mode="nearest"``.
        scales: one positive number per spatial dimension (rounded to float32,
            as ONNX stores them). Give exactly one of ``scales`` and ``sizes``.
        sizes: one positive int per spatial dimension.
        mode: ``"nearest"``, ``"linear"`` or ``"cubic"``.
        coordinate_transformation_mode: ``"half_pixel"`` (default),
            ``"half_pixel_symmetric"``, ``"pytorch_half_pixel"``,
            ``"align_corners"``, ``"asymmetric"`` or ``"tf_crop_and_resize"``.
        nearest_mode: ``"round_prefer_floor"``, ``"round_prefer_ceil"``,
            ``"floor"`` or ``"ceil"``: how ``mode="nearest"`` rounds.
        cubic_coeff_a: Keys' ``a`` for ``mode="cubic"``.
        exclude_outside: give taps outside the input weight 0 and renormalize
            (otherwise they take the border pixel's value).
        antialias: stretch the linear or cubic kernel by ``1 / scale`` when shrinking.
        roi: for ``"tf_crop_and_resize"`` only: starts then ends of the crop
            box, normalized to [0, 1], one pair per spatial dimension
            (rounded to float32).
        extrapolation_value: the value of outputs whose source lies outside
            the input in ``"tf_crop_and_resize"``.

    Returns:
        A tensor (N, C, *out_size) in the input's dtype and device. ``out_size``
        is ``sizes``, else ``floor(in_size * scale)`` (times ``end - start`` for
        ``tf_crop_and_resize``, as the specification says).

    Raises:
        ValueError, TypeError: for a bad argument, naming it.

    Reproduces ``onnx.reference.ReferenceEvaluator`` and onnxruntime running
    ``Resize(X, roi, scales, sizes)`` with these attributes over the spatial
    axes (``scales``/``sizes`` 1 for N and C). Source coordinate of output
    ``x``: ``(x + 0.5) / scale - 0.5`` (half_pixel), ``x / scale``
    (asymmetric), ``x * (in - 1) / (out - 1)`` (align_corners), with ``scale``
    the given scale or ``out / in``. Where ``pytorch_half_pixel`` gives one
    output pixel we follow the specification (``x_original = 0``); see the
    tests for where the runtimes differ.

    Example:
        >>> x = torch.tensor([[[1., 2., 4.]]])
        >>> onnx_resize(x, scales=[2.0], mode="linear").tolist()
        [[[1.0, 1.25, 1.75, 2.5, 3.5, 4.0]]]
        >>> onnx_resize(x, sizes=[2], mode="nearest", coordinate_transformation_mode="asymmetric").tolist()
        [[[1.0, 2.0]]]
    """
    _tensor(input, "input", ndim=(3, 4, 5), floating=False)
    _choice(mode, "mode", ("nearest", "linear", "cubic"))
    _choice(coordinate_transformation_mode, "coordinate_transformation_mode", _COORDINATE_MODES)
    _choice(nearest_mode, "nearest_mode", _NEAREST_MODES)
    for name, value in (("exclude_outside", exclude_outside), ("antialias", antialias)):
        if not isinstance(value, (bool, int)) or value not in (0, 1):
            raise TypeError(f"{name}={value!r} must be True or False (or 0 or 1)")
    if antialias and mode == "nearest":
        raise ValueError("antialias=True is only defined for mode='linear' and mode='cubic', got mode='nearest'")
    if not isinstance(cubic_coeff_a, (int, float)) or isinstance(cubic_coeff_a, bool):
        raise TypeError(f"cubic_coeff_a={cubic_coeff_a!r} must be a number")
    if mode != "nearest" and not input.is_floating_point():
        raise TypeError(f"input must be floating point for mode={mode!r}, got {input.dtype}")
    n = input.dim() - 2
    in_sizes = tuple(input.shape[2:])
    if any(s == 0 for s in in_sizes):
        raise ValueError(f"input of shape {tuple(input.shape)} must have at least one pixel per spatial dimension")
    crop = coordinate_transformation_mode == "tf_crop_and_resize"
    box = _roi(roi, n, crop)
    if (scales is None) == (sizes is None):
        raise ValueError(f"give exactly one of scales and sizes, got scales={scales!r} and sizes={sizes!r}")
    if sizes is not None:
        out_sizes = _positive(sizes, "sizes", n)
        factors = tuple(m / k for m, k in zip(out_sizes, in_sizes))
    else:
        factors = tuple(_round32(s) for s in _numbers(scales, "scales", n))
        out_sizes = tuple(math.floor(k * (e - b if crop else 1.0) * s)
                          for k, s, (b, e) in zip(in_sizes, factors, box))
        if any(m < 1 for m in out_sizes):
            raise ValueError(f"scales={tuple(scales)} give output size {_show(out_sizes)} for input size "
                             f"{_show(in_sizes)}; every output size must be at least 1")
    kernel = LINEAR if mode == "linear" else keys_cubic(float(cubic_coeff_a))
    edge = "exclude" if exclude_outside else "clamp"
    operators = []
    for k, m, scale, (b, e) in zip(in_sizes, out_sizes, factors, box):
        x = _onnx_coordinate(coordinate_transformation_mode, k, m, scale, b, e)
        if mode == "nearest":
            op = _select(x, k, nearest_mode)
        elif antialias and scale < 1:
            op = _filtering(x + 0.5, k, kernel, 1 / scale, opmath=torch.float64, edge=edge)
        else:
            op = _interpolating(x, k, kernel, edge=edge, floor=lambda s: s.floor().to(torch.int64))
        if crop:
            op = op._replace(outside=(x < 0) | (x > k - 1), fill=float(extrapolation_value))
        operators.append(op)
    return _apply(input, operators, _opmath(input.dtype))


def _onnx_coordinate(mode: str, k: int, m: int, scale: float, start: float, end: float) -> torch.Tensor:
    """``x_original`` for every output index, in float64, as the ONNX specification writes it."""
    x = torch.arange(m, dtype=torch.float64)
    if mode == "half_pixel":
        return (x + 0.5) / scale - 0.5
    if mode == "half_pixel_symmetric":
        adjustment = m / (scale * k)
        offset = k / 2 * (1 - adjustment)
        return offset + (x + 0.5) / scale - 0.5
    if mode == "pytorch_half_pixel":
        return (x + 0.5) / scale - 0.5 if m > 1 else torch.zeros(1, dtype=torch.float64)
    if mode == "align_corners":
        return x * (k - 1) / (m - 1) if m > 1 else torch.zeros(1, dtype=torch.float64)
    if mode == "asymmetric":
        return x / scale
    if m > 1:  # tf_crop_and_resize
        return start * (k - 1) + x * (end - start) * (k - 1) / (m - 1)
    return torch.full((1,), 0.5 * (start + end) * (k - 1), dtype=torch.float64)


def _roi(roi, n: int, crop: bool) -> list[tuple[float, float]]:
    if roi is None:
        if crop:
            raise ValueError("coordinate_transformation_mode='tf_crop_and_resize' needs roi: "
                             f"{n} starts then {n} ends, normalized")
        return [(0.0, 1.0)] * n
    values = _numbers(roi, "roi", 2 * n, positive=False)
    if not crop:
        raise ValueError(f"roi={tuple(roi)} is only used with coordinate_transformation_mode='tf_crop_and_resize'")
    values = tuple(_round32(v) for v in values)  # ONNX stores roi as float32, like scales
    return list(zip(values[:n], values[n:]))


def _numbers(value, name: str, n: int, positive: bool = True) -> tuple[float, ...]:
    def is_number(v):
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if isinstance(value, torch.Tensor):
        value = value.tolist()
    if is_number(value):
        value = [value] * n
    if not (isinstance(value, Sequence) and not isinstance(value, str) and all(map(is_number, value))):
        raise TypeError(f"{name}={value!r} must be a sequence of {n} numbers")
    if len(value) != n:
        raise ValueError(f"{name}={tuple(value)} must have {n} entries, got {len(value)}")
    if not all(math.isfinite(v) for v in value) or (positive and not all(v > 0 for v in value)):
        raise ValueError(f"{name}={tuple(value)} must be finite{' and positive' if positive else ''}")
    return tuple(float(v) for v in value)


def _round32(value: float) -> float:
    return torch.tensor(value, dtype=torch.float32).item()


# ---------------------------------------------------------------- TensorFlow and Keras

def tf_resize(images, size, method="bilinear", antialias=False) -> torch.Tensor:
    """TensorFlow 2's ``tf.image.resize`` on an (N, C, H, W) tensor.

    Args:
        images: (N, C, H, W) floating-point tensor (TensorFlow's NHWC,
            permuted).
        size: ``(new_height, new_width)``.
        method: ``"bilinear"``, ``"nearest"``, ``"bicubic"``, ``"area"``,
            ``"lanczos3"``, ``"lanczos5"``, ``"gaussian"`` or ``"mitchellcubic"``.
        antialias: stretch the kernel when shrinking (ignored by ``nearest``
            and ``area``, as in TensorFlow).

    Returns:
        (N, C, new_height, new_width), the input's dtype.

    Raises:
        ValueError, TypeError: for a bad argument, naming it.

    Reproduces ``tf.image.resize(images_nhwc, size, method, antialias)``. All
    methods map half-pixel centres, ``(i + 0.5) * in / out - 0.5``. ``bilinear``
    and ``bicubic`` without antialias are ``resize_bilinear``/``resize_bicubic``
    with ``half_pixel_centers=True``: linear with the border repeated, and
    Keys' cubic with ``a = -0.5``, taps outside dropped and renormalized, the
    fraction rounded to 1/1024 (TensorFlow's table); ``nearest`` takes
    ``floor((i + 0.5) * in / out)`` in float32; ``area`` averages the overlap
    of each output cell; the others (and antialias) are ``scale_and_translate``:
    kernel stretched by ``max(in / out, 1)`` (antialias), taps outside dropped,
    weights renormalized.

    Example:
        >>> x = torch.tensor([[[[1., 2.], [3., 4.]]]])
        >>> tf_resize(x, (1, 1), "area").tolist()
        [[[[2.5]]]]
    """
    _tensor(images, "images", ndim=4)
    size = _positive(size, "size", 2)
    _choice(method, "method", ("bilinear", "nearest", "bicubic", "area") + tuple(_TF_KERNELS)[2:])
    _bool(antialias, "antialias")
    return _apply(images, [_tf_operator(k, m, method, antialias) for k, m in zip(images.shape[2:], size)],
                  _opmath(images.dtype))


def _tf_operator(k: int, m: int, method: str, antialias: bool) -> _Operator:
    scale = _round32(k / m)
    i = torch.arange(m, dtype=torch.float32)
    if method == "nearest":
        return _select((i + 0.5) * scale, k, "floor")  # floor((i + 0.5) * scale), computed in float32
    if method == "area":
        return _filtering((i.double() + 0.5) * scale, k, _area(scale), scale, opmath=torch.float64, edge="clamp")
    if method in ("bilinear", "bicubic") and not antialias:
        source = (i + 0.5) * scale - 0.5
        if method == "bilinear":
            return _interpolating(source, k, LINEAR, floor=lambda s: s.floor().to(torch.int64))
        return _interpolating(source, k, _table_cubic(-0.5), edge="exclude", floor=lambda s: s.floor().to(torch.int64))
    # scale_and_translate: sample centre (i + 0.5) * in / out in edge units; outside [0, in] gives 0
    centre = (i + 0.5) * _round32(1 / _round32(m / k))
    stretch = max(1 / _round32(m / k), 1.0) if antialias else 1.0
    return _filtering(centre, k, _TF_KERNELS[method], stretch, opmath=torch.float32)


def tf1_resize(images, size, method="bilinear", align_corners=False, half_pixel_centers=False) -> torch.Tensor:
    """TensorFlow 1's resize ops (``tf.compat.v1.image.resize_*``) on an (N, C, H, W) tensor.

    Args:
        images: (N, C, H, W) floating-point tensor.
        size: ``(new_height, new_width)``.
        method: ``"bilinear"``, ``"nearest"``, ``"bicubic"`` or ``"area"``.
        align_corners: map corner pixel centres onto each other, ``i * (in - 1) / (out - 1)``.
        half_pixel_centers: map half-pixel centres (TF2's behaviour); not with
            ``align_corners`` and not for ``area``.

    Returns:
        (N, C, new_height, new_width), the input's dtype.

    Raises:
        ValueError, TypeError: for a bad argument, naming it.

    Reproduces ``tf.compat.v1.image.resize_bilinear``, ``resize_nearest_neighbor``,
    ``resize_bicubic`` and ``resize_area(images_nhwc, size, align_corners,
    half_pixel_centers)`` (the raw ops ``tf.raw_ops.Resize*``). Without either
    flag the map is asymmetric, ``i * in / out``: the picture shifts by up to
    half a pixel. Nearest rounds down (``floor``), or to the nearest with
    ``align_corners`` (``roundf``: ties up); half-pixel nearest takes
    ``floor((i + 0.5) * scale)``. Legacy bicubic uses ``a = -0.75`` with the
    border repeated; half-pixel bicubic ``a = -0.5`` with outside taps dropped.

    Example:
        >>> x = torch.tensor([[[[1., 2.]]]])
        >>> tf1_resize(x, (1, 4), "bilinear").tolist()  # asymmetric: 0, 0.5, 1, 1.5
        [[[[1.0, 1.5, 2.0, 2.0]]]]
    """
    _tensor(images, "images", ndim=4)
    size = _positive(size, "size", 2)
    _choice(method, "method", ("bilinear", "nearest", "bicubic", "area"))
    _bool(align_corners, "align_corners")
    _bool(half_pixel_centers, "half_pixel_centers")
    if align_corners and half_pixel_centers:
        raise ValueError("align_corners=True and half_pixel_centers=True cannot both be set (TensorFlow refuses it)")
    if method == "area" and half_pixel_centers:
        raise ValueError("resize_area has no half_pixel_centers option")
    operators = []
    for k, m in zip(images.shape[2:], size):
        scale = _round32((k - 1) / (m - 1) if align_corners and m > 1 else (0.0 if align_corners else k / m))
        i = torch.arange(m, dtype=torch.float32)
        floor = lambda s: s.floor().to(torch.int64)  # noqa: E731
        if method == "area":
            centre = (i.double() + 0.5) * scale
            op = _filtering(centre, k, _area(scale), scale, opmath=torch.float64, edge="clamp") if scale > 0 else \
                _select(torch.zeros(m), k, "floor")
        elif half_pixel_centers:
            op = _tf_operator(k, m, method, False)
        elif method == "nearest":
            op = _select(i * scale, k, "round_prefer_ceil" if align_corners else "floor")
        elif method == "bilinear":
            op = _interpolating(i * scale, k, LINEAR, floor=floor)
        else:
            op = _interpolating(i * scale, k, _table_cubic(-0.75), floor=floor)
        operators.append(op)
    return _apply(images, operators, _opmath(images.dtype))


def keras_upsampling2d(input, size=(2, 2), interpolation="nearest") -> torch.Tensor:
    """Keras 3's ``keras.layers.UpSampling2D`` on an (N, C, H, W) tensor.

    Args:
        input: (N, C, H, W) tensor (floating point unless ``nearest``).
        size: the integer factors ``(height_factor, width_factor)``, or one int.
        interpolation: ``"nearest"`` (each pixel repeated), ``"bilinear"``,
            ``"bicubic"``, ``"lanczos3"`` or ``"lanczos5"``.

    Returns:
        (N, C, H * height_factor, W * width_factor).

    Raises:
        ValueError, TypeError: for a bad argument, naming it.

    Reproduces ``keras.layers.UpSampling2D(size, interpolation=interpolation)``
    on channels-last input (TensorFlow backend): ``nearest`` repeats pixels;
    the other methods call ``tf.image.resize`` without antialias (see :func:`tf_resize`).

    Example:
        >>> keras_upsampling2d(torch.tensor([[[[1., 2.]]]]), (1, 2), "bilinear").tolist()
        [[[[1.0, 1.25, 1.75, 2.0]]]]
    """
    _tensor(input, "input", ndim=4, floating=False)
    factors = _positive(size, "size", 2)
    _choice(interpolation, "interpolation", ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5"))
    if interpolation == "nearest":
        return input.repeat_interleave(factors[0], 2).repeat_interleave(factors[1], 3)
    return tf_resize(input, tuple(n * f for n, f in zip(input.shape[2:], factors)), interpolation)


def keras_resizing(input, height, width, interpolation="bilinear", antialias=False) -> torch.Tensor:
    """Keras 3's ``keras.layers.Resizing`` on an (N, C, H, W) tensor.

    Args:
        input: (N, C, H, W) floating-point tensor.
        height, width: the output size.
        interpolation: ``"bilinear"``, ``"nearest"``, ``"bicubic"``,
            ``"area"``, ``"lanczos3"`` or ``"lanczos5"`` (Keras 3 refuses
            TensorFlow's ``"gaussian"`` and ``"mitchellcubic"``).
        antialias: as in :func:`tf_resize`.

    Returns:
        (N, C, height, width).

    Raises:
        ValueError, TypeError: for a bad argument, naming it.

    Reproduces ``keras.layers.Resizing(height, width, interpolation,
    antialias=antialias)`` (TensorFlow backend, no crop or pad to the aspect
    ratio), which is ``tf.image.resize``.

    Example:
        >>> keras_resizing(torch.tensor([[[[1., 2., 3., 4.]]]]), 1, 2).tolist()
        [[[[1.5, 3.5]]]]
    """
    _choice(interpolation, "interpolation", ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5"))
    return tf_resize(input, (height, width), interpolation, antialias)


# ---------------------------------------------------------------- JAX

def jax_resize(image, shape, method="linear", antialias=True) -> torch.Tensor:
    """JAX's ``jax.image.resize`` on the spatial dimensions of an (N, C, *spatial) tensor.

    Args:
        image: (N, C, W), (N, C, H, W) or (N, C, D, H, W) tensor.
        shape: the output spatial size (JAX takes the whole shape).
        method: ``"nearest"``, ``"linear"`` (or ``"bilinear"``, ``"trilinear"``),
            ``"cubic"`` (or ``"bicubic"``, ``"tricubic"``), ``"lanczos3"`` or ``"lanczos5"``.
        antialias: JAX's default ``True``: stretch the kernel by ``in / out`` when shrinking.

    Returns:
        (N, C, *shape).

    Raises:
        ValueError, TypeError: for a bad argument, naming it.

    Reproduces ``jax.image.resize(image, (N, C, *shape), method, antialias)``
    (JAX resizes every axis whose size changes). Half-pixel centres; nearest
    takes ``floor((i + 0.5) * in / out)``; the others are
    :func:`jax_scale_and_translate` with ``scale = out / in``, translation 0:
    Keys' cubic has ``a = -0.5``, taps outside are dropped and renormalized.
    Note the default: **unlike PyTorch, JAX antialiases by default**, so
    ``jax.image.resize(x, shape, "linear")`` shrinks like
    ``F.interpolate(..., mode="bilinear", antialias=True)``.

    Example:
        >>> x = torch.tensor([[[1., 2., 3., 4.]]], dtype=torch.float64)
        >>> jax_resize(x, (2,), "linear").tolist()  # antialiased: (0.75 * 1 + 0.75 * 2 + 0.25 * 3) / 1.75
        [[[1.7142857142857142, 3.2857142857142856]]]
        >>> jax_resize(x, (2,), "linear", antialias=False).tolist()  # plain linear at 0.5 and 2.5
        [[[1.5, 3.5]]]
    """
    _tensor(image, "image", ndim=(3, 4, 5), floating=False)
    n = image.dim() - 2
    shape = _positive(shape, "shape", n)
    method = _JAX_ALIASES.get(method, method)
    _choice(method, "method", ("nearest",) + tuple(_JAX_KERNELS))
    _bool(antialias, "antialias")
    operators = []
    for k, m in zip(image.shape[2:], shape):
        if k == m:  # JAX leaves an axis whose size does not change untouched
            operators.append(_Operator(torch.arange(m)[:, None], None))
        elif method == "nearest":
            operators.append(_half_pixel_nearest(k, m))
        else:
            operators.append(_jax_operator(k, m, m / k, 0.0, method, antialias))
    return _apply(image, operators, _opmath(image.dtype))


def jax_scale_and_translate(image, shape, scale, translation, method="linear", antialias=True) -> torch.Tensor:
    """JAX's ``jax.image.scale_and_translate`` on the spatial dimensions of an (N, C, *spatial) tensor.

    Args:
        image: (N, C, W), (N, C, H, W) or (N, C, D, H, W) floating-point tensor.
        shape: the output spatial size.
        scale, translation: one number per spatial dimension: output
            coordinate ``y`` (edge units) samples input ``(y - translation) / scale``.
        method: ``"linear"``, ``"cubic"``, ``"lanczos3"`` or ``"lanczos5"``.
        antialias: stretch the kernel by ``1 / scale`` when ``scale < 1``.

    Returns:
        (N, C, *shape); outputs whose sample falls outside the input are 0.

    Raises:
        ValueError, TypeError: for a bad argument, naming it.

    Reproduces ``jax.image.scale_and_translate(image, (N, C, *shape),
    spatial_dims=(2, ...), scale, translation, method, antialias)``.

    Example:
        >>> x = torch.tensor([[[1., 2., 3., 4.]]])
        >>> jax_scale_and_translate(x, (4,), [1.0], [1.0], "linear").tolist()  # shifted right by one pixel
        [[[0.0, 1.0, 2.0, 3.0]]]
    """
    _tensor(image, "image", ndim=(3, 4, 5))
    n = image.dim() - 2
    shape = _positive(shape, "shape", n)
    scales = _numbers(scale, "scale", n)
    translations = _numbers(translation, "translation", n, positive=False)
    method = _JAX_ALIASES.get(method, method)
    _choice(method, "method", tuple(_JAX_KERNELS))
    _bool(antialias, "antialias")
    operators = [_jax_operator(k, m, s, t, method, antialias)
                 for k, m, s, t in zip(image.shape[2:], shape, scales, translations)]
    return _apply(image, operators, _opmath(image.dtype))


def _jax_operator(k: int, m: int, scale: float, translation: float, method: str, antialias: bool) -> _Operator:
    centre = (torch.arange(m, dtype=torch.float64) + 0.5 - translation) / scale
    stretch = max(1 / scale, 1.0) if antialias else 1.0
    op = _filtering(centre, k, _JAX_KERNELS[method], stretch, opmath=torch.float64)
    return op._replace(outside=(centre < 0) | (centre > k))


# ---------------------------------------------------------------- OpenCV

_CV2 = {0: "nearest", 1: "linear", 2: "cubic", 3: "area", 6: "nearest_exact"}


def cv2_resize(src, dsize=None, fx=None, fy=None, interpolation=1) -> torch.Tensor:
    """OpenCV's ``cv2.resize`` on an (N, C, H, W) tensor.

    Args:
        src: (N, C, H, W) tensor (floating point except for the nearest modes).
        dsize: ``(width, height)`` as OpenCV takes it, or None to use ``fx, fy``.
        fx, fy: scale factors along x (width) and y (height), when ``dsize`` is None.
        interpolation: ``cv2.INTER_NEAREST`` (0), ``INTER_LINEAR`` (1),
            ``INTER_CUBIC`` (2), ``INTER_AREA`` (3) or ``INTER_NEAREST_EXACT`` (6).

    Returns:
        (N, C, height, width). With ``fx, fy`` the size is
        ``round(W * fx), round(H * fy)`` (ties to even, OpenCV's ``cvRound``)
        and the map uses ``1 / fx``, not ``W / width``.

    Raises:
        ValueError, TypeError: for a bad argument, naming it.

    Reproduces ``cv2.resize(src_hwc, dsize, fx=fx, fy=fy, interpolation=...)``
    on float32/float64 images. ``INTER_NEAREST``: ``floor(i / fx)`` (the pixel
    under the left edge); ``INTER_NEAREST_EXACT``: ``floor((i + 0.5) * in / out)``
    (not exact at exact ties, see below);
    ``INTER_LINEAR``, ``INTER_CUBIC``: half-pixel centres, border repeated,
    cubic ``a = -0.75``, no antialias; ``INTER_AREA``: when shrinking along both
    axes, the exact overlap of each output cell (any non-integer factor),
    otherwise OpenCV's area-upscaling weights. An output the same size as the
    input is a copy.

    Not exact: where an output centre of ``INTER_NEAREST_EXACT`` falls exactly
    on a boundary between two input pixels (``(2i + 1) * in / (2 * out)`` an
    integer, possible only when ``out`` has fewer factors of 2 than ``in``,
    e.g. 4 -> 6), OpenCV sometimes takes the left pixel; we always take the
    right one. Elsewhere the indices agree.

    Example:
        >>> x = torch.tensor([[[[1., 2., 3., 4., 5.]]]], dtype=torch.float64)
        >>> cv2_resize(x, (2, 1), interpolation=3).tolist()  # cells [0, 2.5) and [2.5, 5)
        [[[[1.8, 4.2]]]]
    """
    _tensor(src, "src", ndim=4, floating=False)
    if not _is_int(interpolation) or interpolation not in _CV2:
        raise ValueError(f"interpolation={interpolation!r} is not supported; choose one of {sorted(_CV2)} "
                         "(INTER_NEAREST, INTER_LINEAR, INTER_CUBIC, INTER_AREA, INTER_NEAREST_EXACT)")
    kind = _CV2[interpolation]
    if kind not in ("nearest", "nearest_exact") and not src.is_floating_point():
        raise TypeError(f"src must be floating point for interpolation={interpolation}, got {src.dtype} "
                        "(OpenCV's fixed-point 8-bit arithmetic is not rebuilt)")
    in_h, in_w = src.shape[2:]
    if dsize is not None and tuple(dsize) != (0, 0):
        if fx is not None or fy is not None:
            raise ValueError(f"give dsize or fx and fy, not both (dsize={dsize!r}, fx={fx!r}, fy={fy!r})")
        width, height = _positive(dsize, "dsize", 2)
        inv = (height / in_h, width / in_w)
    else:
        fxy = _numbers((fx, fy) if fx is not None and fy is not None else None, "fx, fy", 2)
        inv = (fxy[1], fxy[0])
        height, width = round(in_h * fxy[1]), round(in_w * fxy[0])
        if height < 1 or width < 1:
            raise ValueError(f"fx={fx}, fy={fy} give an empty output for a {in_w} x {in_h} image")
    if (height, width) == (in_h, in_w):
        return src.clone()
    shrink = all(v <= 1 for v in inv)
    operators = [_cv2_operator(k, m, 1 / f, kind, shrink) for k, m, f in zip((in_h, in_w), (height, width), inv)]
    return _apply(src, operators, _opmath(src.dtype))


def _cv2_operator(k: int, m: int, scale: float, kind: str, shrink: bool) -> _Operator:
    i = torch.arange(m, dtype=torch.float64)
    floor = lambda s: s.floor().to(torch.int64)  # noqa: E731
    if kind == "nearest":
        return _select(i * scale, k, "floor")
    if kind == "nearest_exact":
        return _half_pixel_nearest(k, m)
    if kind == "area" and shrink:
        return _filtering((i + 0.5) * scale, k, _area(scale), scale, opmath=torch.float64)
    if kind == "area":  # OpenCV's upscaling area weights: sx = floor(i * scale), fraction from the cell's end
        sx = (i * scale).floor()
        frac = (i + 1) - (sx + 1) / scale
        frac = torch.where(frac <= 0, torch.zeros_like(frac), frac - frac.floor())
        return _interpolating((sx + frac).to(torch.float32), k, LINEAR, floor=floor)
    source = ((i + 0.5) * scale - 0.5).to(torch.float32)  # OpenCV rounds the coordinate to float
    return _interpolating(source, k, LINEAR if kind == "linear" else keys_cubic(-0.75), floor=floor)


# ---------------------------------------------------------------- Pillow

def pil_resize(image, size, resample=3) -> torch.Tensor:
    """Pillow's ``Image.resize`` of a float ('F' mode) image, on an (N, C, H, W) tensor.

    Args:
        image: (N, C, H, W) floating-point tensor (each (H, W) plane is one 'F' image).
        size: ``(width, height)`` as Pillow takes it.
        resample: ``Image.NEAREST`` (0), ``BOX`` (4), ``BILINEAR`` (2),
            ``HAMMING`` (5), ``BICUBIC`` (3, Pillow's default) or ``LANCZOS`` (1).

    Returns:
        (N, C, height, width).

    Raises:
        ValueError, TypeError: for a bad argument, naming it.

    Reproduces ``Image.fromarray(plane, "F").resize(size, resample)``. Every
    filter but ``NEAREST`` antialiases: when shrinking, the filter (box radius
    1/2, triangle, Hamming radius 1; Keys' cubic ``a = -0.5`` radius 2;
    Lanczos-3) is stretched by ``in / out``; taps outside are dropped and each
    output's weights renormalized; centres are half-pixel. ``NEAREST`` does not
    antialias: it takes ``floor((i + 0.5) * in / out)``; not exact at exact ties (as
    ``INTER_NEAREST_EXACT`` in :func:`cv2_resize`: Pillow and OpenCV agree with
    each other there, and sometimes take the left pixel).

    Example:
        >>> pil_resize(torch.tensor([[[[1., 2., 3., 4.]]]]), (2, 1), resample=4).tolist()
        [[[[1.5, 3.5]]]]
    """
    _tensor(image, "image", ndim=4)
    width, height = _positive(size, "size", 2)
    if not _is_int(resample) or resample not in _PIL_NAMES:
        raise ValueError(f"resample={resample!r} is not supported; choose one of {sorted(_PIL_NAMES)} "
                         "(NEAREST, LANCZOS, BILINEAR, BICUBIC, BOX, HAMMING)")
    name = _PIL_NAMES[resample]
    operators = []
    for k, m in zip(image.shape[2:], (height, width)):
        if name == "nearest":
            operators.append(_half_pixel_nearest(k, m))
        else:
            scale = k / m
            centre = (torch.arange(m, dtype=torch.float64) + 0.5) * scale
            operators.append(_filtering(centre, k, _PIL_FILTERS[name], max(scale, 1.0), opmath=torch.float64))
    return _apply(image, operators, _opmath(image.dtype))


def _half_pixel_nearest(k: int, m: int) -> _Operator:
    """``floor((i + 0.5) * k / m)`` in exact integer arithmetic: the input pixel under output centre ``i``."""
    return _Operator((((2 * torch.arange(m) + 1) * k) // (2 * m)).clamp(max=k - 1)[:, None], None)


def _bool(value, name: str) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{name}={value!r} must be True or False")
