"""Transposed convolution, four ways, each equal to ``F.conv_transpose2d``.

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

Geometry, per spatial dimension: tap ``a`` of input pixel ``i`` lands on position
``i*s + a*d`` of the full canvas, of size ``(H_in - 1)*s + d*(k - 1) + 1``;
``padding`` crops ``p`` positions from each end of that canvas (so the tap lands
on output position ``i*s + a*d - p``) and ``output_padding`` gives ``op``
positions back at the far end (zeros where nothing lands), so

    H_out = (H_in - 1)*stride - 2*padding + dilation*(kernel_size - 1) + output_padding + 1.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ._checks import _choice, _nonnegative, _positive, _positive_int, _show, _tensor
from .matrix import conv_matrix
from .shapes import conv_transpose_output_size
from .subpixel import _conv_transpose2d_subpixel

__all__ = ["conv_transpose2d"]

METHODS = ("scatter", "zero_insertion", "matrix", "subpixel")


def conv_transpose2d(input: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None, stride=1,
                     padding=0, output_padding=0, groups=1, dilation=1, method: str = "scatter") -> torch.Tensor:
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
    _choice(method, "method", METHODS)
    args = _check_arguments(input, weight, bias, stride, padding, output_padding, groups, dilation)
    if method == "subpixel" and args["dilation"] != (1, 1):
        raise ValueError(f"dilation={_show(args['dilation'])} is not supported by method='subpixel', "
                         f"which needs dilation=1; use another method")
    batched = input.dim() == 4
    x = input if batched else input.unsqueeze(0)
    out = _METHODS[method](x, weight, bias, **args, groups=groups)
    return out if batched else out.squeeze(0)


def _scatter(x, weight, bias, stride, padding, output_padding, dilation, groups):
    """Every input pixel adds its value times the kernel into the output (one-to-many)."""
    n, c_in, h, w = x.shape
    k_h, k_w = weight.shape[2:]
    (s_h, s_w), (d_h, d_w) = stride, dilation
    # All the scaled kernel copies at once, one matrix product per group:
    # copies[n, o, a, b, i, j] = sum_c weight[c, o, a, b] * x[n, c, i, j], c running over o's group.
    c_out = weight.shape[1] * groups
    kernels = weight.reshape(groups, c_in // groups, -1).transpose(1, 2)  # (groups, C_out/groups*kH*kW, C_in/groups)
    copies = (kernels @ x.reshape(n, groups, c_in // groups, h * w)).reshape(n, c_out, k_h, k_w, h, w)
    # The full canvas, before `padding` is cropped, with `output_padding` extra at the far end.
    canvas = x.new_zeros(n, c_out, *_full_size((h, w), (k_h, k_w), stride, dilation, output_padding))
    # Tap (a, b) of every input pixel (i, j) lands on canvas position (i*s + a*d, j*s + b*d):
    # one strided slice per tap (a loop over the k*k taps, each vectorized over all pixels).
    for a in range(k_h):
        for b in range(k_w):
            canvas[:, :, a * d_h: a * d_h + (h - 1) * s_h + 1: s_h,
                         b * d_w: b * d_w + (w - 1) * s_w + 1: s_w] += copies[:, :, a, b]
    h_out, w_out = _output_size((h, w), (k_h, k_w), stride, padding, dilation, output_padding)
    out = canvas[:, :, padding[0]: padding[0] + h_out, padding[1]: padding[1] + w_out]
    return out.contiguous() if bias is None else _add_bias(out, bias)


def _zero_insertion(x, weight, bias, stride, padding, output_padding, dilation, groups):
    """Insert s-1 zeros, pad by d(k-1)-p, convolve with the flipped, in/out-swapped kernel."""
    n, c_in, h, w = x.shape
    k_h, k_w = weight.shape[2:]
    (s_h, s_w), (d_h, d_w) = stride, dilation
    # 1. insert s-1 zeros between neighbouring input pixels
    spread = x.new_zeros(n, c_in, (h - 1) * s_h + 1, (w - 1) * s_w + 1)
    spread[:, :, ::s_h, ::s_w] = x
    # 2. pad by d(k-1)-p on each side, plus output_padding at the far end (a negative pad crops)
    q_h, q_w = d_h * (k_h - 1) - padding[0], d_w * (k_w - 1) - padding[1]
    spread = F.pad(spread, (q_w, q_w + output_padding[1], q_h, q_h + output_padding[0]))
    # 3. an ordinary (dilated) convolution with the flipped kernel, in/out axes swapped
    return F.conv2d(spread, _flipped_conv_weight(weight, groups), bias, dilation=dilation, groups=groups)


def _flipped_conv_weight(weight: torch.Tensor, groups: int) -> torch.Tensor:
    """``(C_in, C_out/g, kH, kW)`` -> ``(C_out, C_in/g, kH, kW)``: swap in/out within each group, flip both taps."""
    c_in, c_out_group, k_h, k_w = weight.shape
    swapped = weight.reshape(groups, c_in // groups, c_out_group, k_h, k_w).transpose(1, 2)
    return swapped.reshape(groups * c_out_group, c_in // groups, k_h, k_w).flip(-2, -1)


def _matrix(x, weight, bias, stride, padding, output_padding, dilation, groups):
    """``Cᵀ`` times the flattened input, with ``C`` the matrix of the convolution this transposes.

    That convolution maps the transposed convolution's output shape
    ``(C_out, H_out, W_out)`` back to ``(C_in, H_c, W_c)`` with the same weight,
    stride, padding, dilation and groups, so the ``output_padding`` rows and
    columns are simply part of its input. Its output size
    ``H_c = floor((H_out + 2p - d(k-1) - 1) / s) + 1 = H_in + floor(op / s)``
    equals ``H_in`` when ``op < s``; when ``s <= op < d`` (allowed because
    ``op < max(s, d)``), the convolution has ``floor(op / s)`` extra output rows
    at the far end, which no input pixel feeds: the transposed convolution is
    the adjoint of the convolution followed by dropping them, i.e. ``Cᵀ``
    applied to the input padded with zeros to ``(H_c, W_c)``.
    """
    n, c_in, h, w = x.shape
    out_shape = (weight.shape[1] * groups, *_output_size((h, w), weight.shape[2:], stride, padding, dilation,
                                                          output_padding))
    C = conv_matrix(out_shape, weight, stride, padding, dilation, groups)
    h_c, w_c = h + output_padding[0] // stride[0], w + output_padding[1] // stride[1]
    assert C.shape[0] == c_in * h_c * w_c, "the convolution's output is the input padded to (H_c, W_c)"
    x = F.pad(x, (0, w_c - w, 0, h_c - h)).reshape(n, c_in * h_c * w_c)
    out = torch.sparse.mm(C.t(), x.t()).t()  # one column per image: (C_out*H_out*W_out, N), transposed back
    return _add_bias(out.reshape(n, *out_shape), bias)


def _subpixel(x, weight, bias, stride, padding, output_padding, dilation, groups):
    """Low-resolution convolution with s² times the output channels, pixel shuffle, crop (dilation 1)."""
    return _conv_transpose2d_subpixel(x, weight, bias, stride, padding, output_padding, groups)


def _output_size(size, kernel_size, stride, padding, dilation, output_padding) -> tuple[int, int]:
    """``(H_in - 1)*s - 2p + d(k - 1) + op + 1`` per dimension (ValueError where not positive)."""
    return conv_transpose_output_size(tuple(size), tuple(kernel_size), stride, padding, dilation, output_padding)


def _full_size(size, kernel_size, stride, dilation, output_padding) -> tuple[int, int]:
    """The canvas before cropping ``padding``: ``(H_in - 1)*s + d(k - 1) + 1 + op`` per dimension."""
    return _output_size(size, kernel_size, stride, (0, 0), dilation, output_padding)


def _add_bias(out: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
    """``out + bias`` per output channel."""
    return out if bias is None else out + bias.view(1, -1, 1, 1)


_METHODS = {"scatter": _scatter, "zero_insertion": _zero_insertion, "matrix": _matrix, "subpixel": _subpixel}


def _check_arguments(input, weight, bias, stride, padding, output_padding, groups, dilation) -> dict:
    """Validate everything ``F.conv_transpose2d`` would reject; return the normalized pairs."""
    _tensor(input, "input", ndim=(3, 4))
    _tensor(weight, "weight", ndim=4)
    stride = _positive(stride, "stride")
    padding = _nonnegative(padding, "padding")
    output_padding = _nonnegative(output_padding, "output_padding")
    dilation = _positive(dilation, "dilation")
    _positive_int(groups, "groups")
    _same_kind(input, weight, "weight")
    c_in, size = input.shape[-3], tuple(input.shape[-2:])
    if any(s == 0 for s in weight.shape):
        raise ValueError(f"weight of shape {tuple(weight.shape)} must not have a zero-size dimension")
    if any(s == 0 for s in input.shape[-3:]):
        raise ValueError(f"input of shape {tuple(input.shape)} must have at least one channel, row and column "
                         f"(only the batch dimension may be empty)")
    if weight.shape[0] != c_in:
        raise ValueError(f"weight of shape {tuple(weight.shape)} must have the input's {c_in} channels "
                         f"(input of shape {tuple(input.shape)}) in dimension 0, got {weight.shape[0]}")
    if c_in % groups:
        raise ValueError(f"groups={groups} must divide the input channels, {c_in}")
    # output_padding < max(stride, dilation) and a positive output size:
    _output_size(size, weight.shape[2:], stride, padding, dilation, output_padding)
    if bias is not None:
        _tensor(bias, "bias", ndim=1)
        _same_kind(input, bias, "bias")
        c_out = weight.shape[1] * groups
        if bias.shape[0] != c_out:
            raise ValueError(f"bias of shape {tuple(bias.shape)} must have one entry per output channel, "
                             f"weight.shape[1] * groups = {c_out}")
    return {"stride": stride, "padding": padding, "output_padding": output_padding, "dilation": dilation}


def _same_kind(input: torch.Tensor, other: torch.Tensor, name: str) -> None:
    """``other`` has the input's dtype and device."""
    if other.dtype != input.dtype:
        raise TypeError(f"{name} has dtype {other.dtype} but input has dtype {input.dtype}; they must be the same")
    if other.device != input.device:
        raise ValueError(f"{name} is on device {other.device} but input is on {input.device}; they must be the same")
