"""Transposed convolution in 1, 2 or 3 dimensions, four ways, each equal to ``F.conv_transpose{1,2,3}d``.

The same linear map, seen four ways (the chapter derives each from the one before):

* ``"scatter"``: every input pixel adds a copy of the kernel, scaled by the
  pixel's value, into the output at ``stride`` times its position; the copies
  overlap and add up (the one-to-many view);
* ``"zero_insertion"``: insert ``s - 1`` zeros between neighbouring input pixels,
  pad by ``d(k - 1) - p``, and run an ordinary convolution with the flipped
  kernel (the "fractionally strided convolution" view);
* ``"matrix"``: ``Cᵀ`` applied to the flattened input, where ``C`` is the sparse
  matrix of the convolution this one transposes (hence the name);
* ``"subpixel"``: an ordinary convolution in low-resolution space with ``s²``
  times the output channels, then a pixel shuffle and a crop
  (see :mod:`upsampling.subpixel`; dilation 1 only).

One implementation serves every rank: :func:`conv_transpose1d`,
:func:`conv_transpose2d` and :func:`conv_transpose3d` are thin entry points
that fix the number of spatial dimensions.

Geometry, per spatial dimension: tap ``t`` of input pixel ``i`` lands on position
``i*s + t*d`` of the full canvas, of size ``(H_in - 1)*s + d*(k - 1) + 1``;
``padding`` crops ``p`` positions from each end of that canvas (so the tap lands
on output position ``i*s + t*d - p``) and ``output_padding`` gives ``a``
positions back at the far end (zeros where nothing lands), so

    H_out = (H_in - 1)*stride - 2*padding + dilation*(kernel_size - 1) + output_padding + 1.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import torch
import torch.nn.functional as F

from ._checks import _check_fits, _choice, _groups, _nonnegative, _positive, _show, _tensor
from .matrix import conv_matrix
from .shapes import conv_transpose_output_size
from .subpixel import _CONV, _conv_transpose_subpixel

__all__ = ["conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]

METHODS = ("scatter", "zero_insertion", "matrix", "subpixel")

_RAISES = """
    Raises:
        TypeError: ``input``, ``weight`` or ``bias`` is not a tensor (input and weight floating
            point, all of one dtype), or an argument is not an int (or a sequence of ints;
            NumPy integers and 0-d integer tensors count as ints).
        ValueError: a tensor has the wrong number of dimensions or an empty dimension other
            than the batch; ``weight.shape[0]`` is not ``C_in``; ``groups`` does not divide
            ``C_in``; ``bias`` has not ``C_out`` entries; a tensor is on another device; an
            argument is out of range (``stride``, ``dilation`` < 1, ``padding``,
            ``output_padding`` < 0, ``output_padding >= max(stride, dilation)``); the output
            would be empty or would not fit in the device's memory; ``method`` is unknown, or
            ``"subpixel"`` with ``dilation > 1``.
"""


def conv_transpose1d(input: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None,
                     stride: int | Sequence[int] = 1, padding: int | Sequence[int] = 0,
                     output_padding: int | Sequence[int] = 0, groups: int = 1, dilation: int | Sequence[int] = 1,
                     method: str = "scatter") -> torch.Tensor:
    """1-D transposed convolution, computed by one of four equivalent methods.

    The same operator as :func:`conv_transpose2d` with one spatial dimension.

    Args:
        input: ``(N, C_in, L_in)``, or ``(C_in, L_in)`` for one unbatched signal.
        weight: ``(C_in, C_out / groups, k)``.
        bias: ``(C_out,)`` or None.
        stride, padding, output_padding, dilation: an int or a 1-tuple.
        groups: ``C_in`` and ``C_out`` are split into ``groups`` independent groups.
        method: ``"scatter"``, ``"zero_insertion"``, ``"matrix"`` or ``"subpixel"`` (dilation 1).

    Returns:
        ``(N, C_out, L_out)`` (no batch dimension for an unbatched input), on the input's device
        and dtype, with ``L_out = (L_in - 1)*stride - 2*padding + dilation*(k - 1) + output_padding + 1``.
    {raises}
    Matches:
        ``F.conv_transpose1d(input, weight, bias, stride, padding, output_padding, groups, dilation)``.

    Example:
        >>> conv_transpose1d(torch.tensor([[[1.0, 2.0]]]), torch.tensor([[[1.0, 10.0, 100.0]]]), stride=2)
        tensor([[[  1.,  10., 102.,  20., 200.]]])
    """
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, method, 1)


def conv_transpose2d(input: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None,
                     stride: int | Sequence[int] = 1, padding: int | Sequence[int] = 0,
                     output_padding: int | Sequence[int] = 0, groups: int = 1, dilation: int | Sequence[int] = 1,
                     method: str = "scatter") -> torch.Tensor:
    """2-D transposed convolution, computed by one of four equivalent methods.

    Args:
        input: ``(N, C_in, H_in, W_in)``, or ``(C_in, H_in, W_in)`` for one unbatched image.
        weight: ``(C_in, C_out / groups, kH, kW)`` -- the layout of ``ConvTranspose2d.weight``,
            which is also the layout of the ``Conv2d`` weight of the convolution it transposes.
        bias: ``(C_out,)`` or None.
        stride, padding, output_padding, dilation: an int or a pair ``(h, w)``;
            ``output_padding`` must be smaller than ``max(stride, dilation)`` in every dimension.
        groups: ``C_in`` and ``C_out`` are split into ``groups`` independent groups.
        method: ``"scatter"``, ``"zero_insertion"``, ``"matrix"`` or ``"subpixel"``
            (``"subpixel"`` needs ``dilation=1``).

    Returns:
        ``(N, C_out, H_out, W_out)`` (no batch dimension for an unbatched input), on the
        input's device and dtype, where, per dimension,
        ``H_out = (H_in - 1)*stride - 2*padding + dilation*(kH - 1) + output_padding + 1``.
        Channels-last when the input or the weight is (PyTorch's rule), contiguous otherwise.
    {raises}
    Matches:
        ``F.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)``.

    Example:
        >>> import torch.nn.functional as F
        >>> x = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
        >>> k = torch.ones(1, 1, 2, 2)
        >>> conv_transpose2d(x, k, stride=2)  # each pixel stamps a 2x2 copy of k
        tensor([[[[1., 1., 2., 2.],
                  [1., 1., 2., 2.],
                  [3., 3., 4., 4.],
                  [3., 3., 4., 4.]]]])
        >>> x, w = torch.randn(2, 4, 5, 5), torch.randn(4, 3, 3, 3)
        >>> expected = F.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1)
        >>> all(torch.allclose(conv_transpose2d(x, w, stride=2, padding=1, output_padding=1, method=m),
        ...                    expected, atol=1e-5) for m in ("scatter", "zero_insertion", "matrix"))
        True
    """
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, method, 2)


def conv_transpose3d(input: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None,
                     stride: int | Sequence[int] = 1, padding: int | Sequence[int] = 0,
                     output_padding: int | Sequence[int] = 0, groups: int = 1, dilation: int | Sequence[int] = 1,
                     method: str = "scatter") -> torch.Tensor:
    """3-D transposed convolution, computed by one of four equivalent methods.

    The same operator as :func:`conv_transpose2d` with three spatial dimensions.

    Args:
        input: ``(N, C_in, D_in, H_in, W_in)``, or ``(C_in, D_in, H_in, W_in)`` unbatched.
        weight: ``(C_in, C_out / groups, kD, kH, kW)``.
        bias: ``(C_out,)`` or None.
        stride, padding, output_padding, dilation: an int or a triple ``(d, h, w)``.
        groups: ``C_in`` and ``C_out`` are split into ``groups`` independent groups.
        method: ``"scatter"``, ``"zero_insertion"``, ``"matrix"`` or ``"subpixel"`` (dilation 1).

    Returns:
        ``(N, C_out, D_out, H_out, W_out)`` (no batch dimension for an unbatched input), on the
        input's device and dtype, each size given by the formula of :func:`conv_transpose2d`.
        Channels-last-3d when the input or the weight is, contiguous otherwise; on the CPU
        channels-last-3d for float32 only, as PyTorch's CPU kernels do.
    {raises}
    Matches:
        ``F.conv_transpose3d(input, weight, bias, stride, padding, output_padding, groups, dilation)``.

    Example:
        >>> import torch.nn.functional as F
        >>> x, w = torch.randn(1, 2, 3, 3, 3), torch.randn(2, 4, 2, 2, 2)
        >>> conv_transpose3d(x, w, stride=2).shape
        torch.Size([1, 4, 6, 6, 6])
        >>> torch.allclose(conv_transpose3d(x, w, stride=2, method="subpixel"), F.conv_transpose3d(x, w, stride=2),
        ...                atol=1e-5)
        True
    """
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, method, 3)


for _f in (conv_transpose1d, conv_transpose2d, conv_transpose3d):
    _f.__doc__ = _f.__doc__.replace("    {raises}\n", _RAISES)
del _f


def _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, method, n):
    """The one implementation behind the three entry points; ``n`` spatial dimensions."""
    _choice(method, "method", METHODS)
    args = _check_arguments(input, weight, bias, stride, padding, output_padding, groups, dilation, n)
    if method == "subpixel" and any(d != 1 for d in args["dilation"]):
        raise ValueError(f"dilation={_show(args['dilation'])} is not supported by method='subpixel', "
                         f"which needs dilation=1; use another method")
    batched = input.dim() == n + 2
    x = input if batched else input.unsqueeze(0)
    out = _METHODS[method](x, weight, bias, **args)
    out = out.contiguous(memory_format=_memory_format(input, weight))
    return out if batched else out.squeeze(0)


def _memory_format(input: torch.Tensor, weight: torch.Tensor) -> torch.memory_format:
    """PyTorch's choice for the output's layout: channels-last if the input or the weight is, unambiguously.

    In 3-D PyTorch's CPU kernels return channels-last-3d for float32 only (its
    oneDNN path); other dtypes come back contiguous, and so do ours.
    """
    last = {4: torch.channels_last, 5: torch.channels_last_3d}.get(weight.dim())
    if weight.dim() == 5 and input.device.type == "cpu" and input.dtype != torch.float32:
        return torch.contiguous_format
    if last is not None and input.dim() == weight.dim():
        for t in (input, weight):
            if t.is_contiguous(memory_format=last) and not t.is_contiguous():
                return last
    return torch.contiguous_format


def _scatter(x, weight, bias, stride, padding, output_padding, dilation, groups):
    """Every input pixel adds its value times the kernel into the output (one-to-many)."""
    n, c_in, *size = x.shape
    kernel = weight.shape[2:]
    # All the scaled kernel copies at once, one matrix product per group:
    # copies[n, o, *tap, *pos] = sum_c weight[c, o, *tap] * x[n, c, *pos], c running over o's group.
    c_out = weight.shape[1] * groups
    kernels = weight.reshape(groups, c_in // groups, -1).transpose(1, 2)  # (groups, C_out/groups*prod(k), C_in/groups)
    copies = (kernels @ x.reshape(n, groups, c_in // groups, math.prod(size))).reshape(n, c_out, *kernel, *size)
    # The full canvas, before `padding` is cropped, with `output_padding` extra at the far end.
    zeros = (0,) * len(size)
    canvas = x.new_zeros(n, c_out, *_output_size(size, kernel, stride, zeros, dilation, output_padding))
    # Tap t of every input pixel i lands on canvas position i*s + t*d (per dimension):
    # one strided slice per tap (a loop over the prod(k) taps, each vectorized over all pixels).
    everything = (slice(None), slice(None))
    for tap in itertools.product(*map(range, kernel)):
        region = tuple(slice(t * d, t * d + (m - 1) * s + 1, s) for t, d, m, s in zip(tap, dilation, size, stride))
        canvas[everything + region] += copies[everything + tap]
    out_size = _output_size(size, kernel, stride, padding, dilation, output_padding)
    out = canvas[everything + tuple(slice(p, p + m) for p, m in zip(padding, out_size))]
    return out if bias is None else _add_bias(out, bias)


def _zero_insertion(x, weight, bias, stride, padding, output_padding, dilation, groups):
    """Insert s-1 zeros, pad by d(k-1)-p, convolve with the flipped, in/out-swapped kernel."""
    n, c_in, *size = x.shape
    kernel = weight.shape[2:]
    # 1. insert s-1 zeros between neighbouring input pixels
    spread = x.new_zeros(n, c_in, *((m - 1) * s + 1 for m, s in zip(size, stride)))
    spread[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in stride)] = x
    # 2. pad by d(k-1)-p on each side, plus output_padding at the far end (a negative pad crops)
    p_prime = [d * (k - 1) - p for d, k, p in zip(dilation, kernel, padding)]
    spread = F.pad(spread, [pad for pp, a in zip(reversed(p_prime), reversed(output_padding)) for pad in (pp, pp + a)])
    # 3. an ordinary (dilated) convolution with the flipped kernel, in/out axes swapped
    return _CONV[len(size)](spread, _flipped_conv_weight(weight, groups), bias, dilation=dilation, groups=groups)


def _flipped_conv_weight(weight: torch.Tensor, groups: int) -> torch.Tensor:
    """``(C_in, C_out/g, *k)`` -> ``(C_out, C_in/g, *k)``: swap in/out within each group, flip every tap axis."""
    c_in, c_out_group, *kernel = weight.shape
    swapped = weight.reshape(groups, c_in // groups, c_out_group, *kernel).transpose(1, 2)
    return swapped.reshape(groups * c_out_group, c_in // groups, *kernel).flip(*range(2, weight.dim()))


def _matrix(x, weight, bias, stride, padding, output_padding, dilation, groups):
    """``Cᵀ`` times the flattened input, with ``C`` the matrix of the convolution this transposes.

    That convolution maps the transposed convolution's output shape
    ``(C_out, *out_size)`` back to ``(C_in, *conv_size)`` with the same weight,
    stride, padding, dilation and groups, so the ``output_padding`` rows and
    columns are simply part of its input. Its output size, per dimension,
    ``floor((out + 2p - d(k-1) - 1) / s) + 1 = in + floor(a / s)``
    equals ``in`` when ``a < s``; when ``s <= a < d`` (allowed because
    ``a < max(s, d)``), the convolution has ``floor(a / s)`` extra outputs
    at the far end, which no input pixel feeds: the transposed convolution is
    the adjoint of the convolution followed by dropping them, i.e. ``Cᵀ``
    applied to the input padded with zeros to ``conv_size``.
    """
    n, c_in, *size = x.shape
    out_shape = (weight.shape[1] * groups, *_output_size(size, weight.shape[2:], stride, padding, dilation,
                                                          output_padding))
    C = conv_matrix(out_shape, weight, stride, padding, dilation, groups)
    conv_size = [m + a // s for m, a, s in zip(size, output_padding, stride)]
    assert C.shape[0] == c_in * math.prod(conv_size), "the convolution's output is the input padded to conv_size"
    pad = [a for m, c in zip(reversed(size), reversed(conv_size)) for a in (0, c - m)]
    x = F.pad(x, pad).reshape(n, c_in * math.prod(conv_size))
    out = torch.sparse.mm(C.t(), x.t()).t()  # one column per input: (C_out*prod(out_size), N), transposed back
    return _add_bias(out.reshape(n, *out_shape), bias)


def _subpixel(x, weight, bias, stride, padding, output_padding, dilation, groups):
    """Low-resolution convolution with prod(s) times the output channels, pixel shuffle, crop (dilation 1)."""
    return _conv_transpose_subpixel(x, weight, bias, stride, padding, output_padding, groups)


def _output_size(size, kernel_size, stride, padding, dilation, output_padding) -> tuple[int, ...]:
    """``(in - 1)*s - 2p + d(k - 1) + a + 1`` per dimension (ValueError where not positive): the one formula."""
    return conv_transpose_output_size(tuple(size), tuple(kernel_size), tuple(stride), tuple(padding),
                                      tuple(dilation), tuple(output_padding))


def _add_bias(out: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
    """``out + bias`` per output channel."""
    return out if bias is None else out + bias.view(1, -1, *(1,) * (out.dim() - 2))


_METHODS = {"scatter": _scatter, "zero_insertion": _zero_insertion, "matrix": _matrix, "subpixel": _subpixel}
_LAYOUT = {1: "(N, C_in, L)", 2: "(N, C_in, H, W)", 3: "(N, C_in, D, H, W)"}


def _check_arguments(input, weight, bias, stride, padding, output_padding, groups, dilation, n) -> dict:
    """Validate everything ``F.conv_transpose{n}d`` would reject; return the normalized tuples."""
    _tensor(input, "input", ndim=(n + 1, n + 2))
    _tensor(weight, "weight", ndim=n + 2)
    stride = _positive(stride, "stride", n)
    padding = _nonnegative(padding, "padding", n)
    output_padding = _nonnegative(output_padding, "output_padding", n)
    dilation = _positive(dilation, "dilation", n)
    _same_kind(input, weight, "weight")
    c_in, size = input.shape[-n - 1], tuple(input.shape[-n:])
    if any(s == 0 for s in weight.shape):
        raise ValueError(f"weight of shape {tuple(weight.shape)} must not have a zero-size dimension")
    if any(s == 0 for s in input.shape[-n - 1:]):
        raise ValueError(f"input of shape {tuple(input.shape)} must have at least one channel and one pixel along "
                         f"every spatial dimension of {_LAYOUT[n]} (only the batch dimension may be empty)")
    if weight.shape[0] != c_in:
        raise ValueError(f"weight of shape {tuple(weight.shape)} must have the input's {c_in} channels "
                         f"(input of shape {tuple(input.shape)}) in dimension 0, got {weight.shape[0]}")
    groups = _groups(groups, {"the input channels": c_in})
    # output_padding < max(stride, dilation) and a positive output size:
    out_size = _output_size(size, weight.shape[2:], stride, padding, dilation, output_padding)
    batch = input.shape[0] if input.dim() == n + 2 else 1
    _check_fits((batch, weight.shape[1] * groups, *out_size), input.dtype, input.device,
                f"stride={_show(stride)}, dilation={_show(dilation)} and weight of shape {tuple(weight.shape)}",
                factor=2)
    if bias is not None:
        _tensor(bias, "bias", ndim=1)
        _same_kind(input, bias, "bias")
        c_out = weight.shape[1] * groups
        if bias.shape[0] != c_out:
            raise ValueError(f"bias of shape {tuple(bias.shape)} must have one entry per output channel, "
                             f"weight.shape[1] * groups = {c_out}")
    return {"stride": stride, "padding": padding, "output_padding": output_padding, "dilation": dilation,
            "groups": groups}


def _same_kind(input: torch.Tensor, other: torch.Tensor, name: str) -> None:
    """``other`` has the input's dtype and device."""
    if other.dtype != input.dtype:
        raise TypeError(f"{name} has dtype {other.dtype} but input has dtype {input.dtype}; they must be the same")
    if other.device != input.device:
        raise ValueError(f"{name} is on device {other.device} but input is on {input.device}; they must be the same")
