"""A convolution as a sparse matrix: ``vec(conv2d(x)) = C @ vec(x)``.

Every output pixel of ``F.conv2d`` is a weighted sum of the input pixels under
its (strided, dilated) kernel window, so the whole convolution is one matrix
``C`` acting on the flattened input. ``C`` is mostly zeros -- each row holds at
most ``(C_in / groups) * kH * kW`` entries -- so it is built directly in sparse
COO form from index arithmetic, never as a dense matrix. Its transpose ``Cᵀ`` is
the transposed convolution (see :mod:`upsampling.transposed`), which is where
that operator's name comes from.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from ._checks import _is_int, _nonnegative, _positive, _positive_int, _tensor
from .shapes import conv_output_size

__all__ = ["conv_matrix"]


def conv_matrix(input_shape, weight: torch.Tensor, stride=1, padding=0, dilation=1, groups=1) -> torch.Tensor:
    """The matrix ``C`` of ``F.conv2d`` as a sparse COO tensor: ``C @ x.reshape(-1) == conv2d(x).reshape(-1)``.

    Row ``(c_out, i, j)`` of ``C`` (flattened row-major, like ``y.reshape(-1)``)
    holds the kernel taps that output pixel reads: for every in-group input
    channel ``c`` and tap ``(a, b)`` it has the entry ``weight[c_out, c, a, b]``
    in column ``(g * C_in / groups + c, i*s_h - p_h + a*d_h, j*s_w - p_w + b*d_w)``
    (flattened like ``x.reshape(-1)``; ``g = c_out // (C_out / groups)`` is the
    output channel's group). Taps that land in the zero padding read nothing and
    have no entry. Entries are stored for every remaining tap, also where the
    weight is zero, so the sparsity pattern depends only on the shapes.

    The tensor is built by index arithmetic (aranges broadcast over output
    positions and taps), in time and memory proportional to its number of
    entries, and returned coalesced (sorted by row, then column; no duplicates).

    Args:
        input_shape: ``(C_in, H_in, W_in)``, the shape of one (unbatched) input.
        weight: ``(C_out, C_in / groups, kH, kW)``, a floating-point tensor.
        stride, padding, dilation: an int or a pair ``(h, w)``, as in ``F.conv2d``.
        groups: ``C_in`` and ``C_out`` are split into ``groups`` independent groups.

    Returns:
        A coalesced sparse COO tensor of shape ``(C_out*H_out*W_out, C_in*H_in*W_in)``
        on the weight's device, with its dtype, where, per dimension,
        ``H_out = floor((H_in + 2*padding - dilation*(kH - 1) - 1) / stride) + 1``.

    Matches:
        ``F.conv2d(x.unsqueeze(0), weight, stride=stride, padding=padding,
        dilation=dilation, groups=groups).reshape(-1)`` for every ``x`` of shape
        ``input_shape``; its transpose gives ``F.conv_transpose2d`` with the same
        arguments.

    Example:
        >>> import torch.nn.functional as F
        >>> w = torch.arange(1.0, 10.0).reshape(1, 1, 3, 3)
        >>> C = conv_matrix((1, 4, 4), w)  # 2x2 outputs, each reads 9 of 16 inputs
        >>> C.shape, C._nnz()
        (torch.Size([4, 16]), 36)
        >>> C.to_dense()[0].reshape(4, 4)  # output pixel (0, 0) reads the top-left window
        tensor([[1., 2., 3., 0.],
                [4., 5., 6., 0.],
                [7., 8., 9., 0.],
                [0., 0., 0., 0.]])
        >>> x = torch.randn(1, 4, 4)
        >>> torch.allclose(C @ x.reshape(-1), F.conv2d(x[None], w).reshape(-1))
        True
    """
    c_in, h_in, w_in = _input_shape(input_shape)
    _tensor(weight, "weight", ndim=4)
    stride = _positive(stride, "stride")
    padding = _nonnegative(padding, "padding")
    dilation = _positive(dilation, "dilation")
    _check_groups(groups, c_in, weight)
    out_size = conv_output_size((h_in, w_in), tuple(weight.shape[2:]), stride, padding, dilation)

    rows, cols, taps = _conv_entries((c_in, h_in, w_in), weight.shape, out_size, stride, padding, dilation,
                                     groups, weight.device)
    values = weight.reshape(weight.shape[0], -1)[:, taps].reshape(-1)  # weight[o, c, a, b] of each entry
    size = (weight.shape[0] * out_size[0] * out_size[1], c_in * h_in * w_in)
    # Sorted and unique by construction (see _conv_entries; tests compare with .coalesce()),
    # so neither a sort nor an invariant check (a further pass over the indices) is needed.
    return torch.sparse_coo_tensor(torch.stack([rows, cols]), values, size,
                                   is_coalesced=True, check_invariants=False)


def _conv_entries(input_shape, weight_shape, out_size, stride, padding, dilation, groups, device):
    """Row, column and tap of each entry of ``C``, sorted by row, then by column.

    The rows of one output channel ``o`` are its output pixels ``(i, j)``; each
    reads, for every in-group input channel ``c`` and tap ``(a, b)``, the input
    pixel ``(i*s - p + a*d, j*s - p + b*d)``, unless that pixel is in the zero
    padding. This pattern is built once, for channel 0, by broadcasting five
    aranges over ``(H_out, W_out, C_in/groups, kH, kW)`` and keeping the taps
    inside the image; every other output channel repeats it, its rows shifted
    by ``o * H_out * W_out`` and its columns by the first input channel of its
    group. ``taps`` indexes ``weight[o].reshape(-1)``. Because the candidates run
    in row-major order over ``(o, i, j, c, a, b)``, the entries come out sorted
    by row, then by column, without duplicates: ``C`` is coalesced as built.
    """
    c_in, h_in, w_in = input_shape
    c_out, c_in_group, k_h, k_w = weight_shape
    h_out, w_out = out_size
    shape = (h_out, w_out, c_in_group, k_h, k_w)
    i, j, c, a, b = (torch.arange(n, device=device).view([n if d == dim else 1 for d in range(5)])
                     for dim, n in enumerate(shape))
    y = i * stride[0] - padding[0] + a * dilation[0]  # input row read by tap a of output row i
    x = j * stride[1] - padding[1] + b * dilation[1]  # input column read by tap b of output column j
    keep = _flat((y >= 0) & (y < h_in) & (x >= 0) & (x < w_in), shape).nonzero().squeeze(1)  # not in the padding
    row = _flat(i * w_out + j, shape, keep)               # output pixel (i, j) of channel 0
    col = _flat((c * h_in + y) * w_in + x, shape, keep)   # input pixel (y, x) of channel c
    taps = _flat((c * k_h + a) * k_w + b, shape, keep)    # weight[o, c, a, b] == weight[o].reshape(-1)[taps]
    o = torch.arange(c_out, device=device).unsqueeze(1)   # every output channel repeats the pattern
    rows = o * (h_out * w_out) + row
    cols = o // (c_out // groups) * (c_in_group * h_in * w_in) + col
    return rows.reshape(-1), cols.reshape(-1), taps


def _flat(t: torch.Tensor, shape, keep: torch.Tensor | None = None) -> torch.Tensor:
    """``t`` broadcast to ``shape`` and flattened row-major; only the positions ``keep`` if given."""
    t = t.expand(shape).reshape(-1)
    return t if keep is None else t[keep]


def _input_shape(input_shape) -> tuple[int, int, int]:
    """``input_shape`` as three positive ints ``(C_in, H_in, W_in)``."""
    if not isinstance(input_shape, Sequence) or isinstance(input_shape, str) \
            or not all(_is_int(v) for v in input_shape):
        raise TypeError(f"input_shape={input_shape!r} must be a sequence of 3 ints (C_in, H_in, W_in)")
    return _positive(tuple(input_shape), "input_shape", 3)


def _check_groups(groups, c_in: int, weight: torch.Tensor) -> None:
    """``groups`` divides both channel counts and ``weight`` has ``C_in / groups`` input channels."""
    _positive_int(groups, "groups")
    if any(s == 0 for s in weight.shape):
        raise ValueError(f"weight of shape {tuple(weight.shape)} must not have a zero-size dimension")
    c_out = weight.shape[0]
    if c_in % groups or c_out % groups:
        raise ValueError(f"groups={groups} must divide both the input channels input_shape[0]={c_in} "
                         f"and the output channels weight.shape[0]={c_out}")
    if weight.shape[1] != c_in // groups:
        raise ValueError(f"weight of shape {tuple(weight.shape)} must have input_shape[0] / groups = "
                         f"{c_in} / {groups} = {c_in // groups} input channels in dimension 1, got {weight.shape[1]}")
