"""A convolution as a sparse matrix: ``vec(conv(x)) = C @ vec(x)``, in 1, 2 or 3 spatial dimensions.

Every output pixel of ``F.conv1d``, ``F.conv2d`` or ``F.conv3d`` is a weighted sum of the input pixels under
its (strided, dilated) kernel window, so the whole convolution is one matrix
``C`` acting on the flattened input. ``C`` is mostly zeros -- each row holds at
most ``(C_in / groups) * kH * kW`` entries -- so it is built directly in sparse
COO form from index arithmetic, never as a dense matrix. Its transpose ``Cᵀ`` is
the transposed convolution (see :mod:`upsampling.transposed`), which is where
that operator's name comes from.
"""

from __future__ import annotations

from collections.abc import Sequence

import math

import torch

from ._checks import _check_fits, _groups, _is_int, _nonnegative, _positive, _tensor
from .shapes import conv_output_size

__all__ = ["conv_matrix"]


def conv_matrix(input_shape: Sequence[int], weight: torch.Tensor, stride: int | Sequence[int] = 1,
                padding: int | Sequence[int] = 0, dilation: int | Sequence[int] = 1, groups: int = 1) -> torch.Tensor:
    """The matrix ``C`` of a convolution as a sparse COO tensor: ``C @ x.reshape(-1) == conv(x).reshape(-1)``.

    In 2-D, row ``(o, i, j)`` of ``C`` (flattened row-major, like ``y.reshape(-1)``)
    holds the kernel taps that output pixel reads: for every in-group input
    channel ``c`` and tap ``(t_h, t_w)`` it has the entry ``weight[o, c, t_h, t_w]``
    in column ``(group * C_in / groups + c, i*s_h - p_h + t_h*d_h, j*s_w - p_w + t_w*d_w)``
    (flattened like ``x.reshape(-1)``; ``group = o // (C_out / groups)`` is the
    output channel's group). 1-D and 3-D are the same with one or three spatial
    indices. Taps that land in the zero padding read nothing and have no entry.
    Entries are stored for every remaining tap, also where the weight is zero,
    so the sparsity pattern depends only on the shapes.

    The tensor is built by index arithmetic (aranges broadcast over output
    positions and taps), in time and memory proportional to its number of
    entries, and returned coalesced (sorted by row, then column; no duplicates).

    Args:
        input_shape: ``(C_in, L)``, ``(C_in, H, W)`` or ``(C_in, D, H, W)``, the shape of one
            (unbatched) input: 1, 2 or 3 spatial dimensions. Integer-like entries.
        weight: ``(C_out, C_in / groups, *kernel_size)``, a floating-point tensor with as many
            kernel dimensions as ``input_shape`` has spatial ones.
        stride, padding, dilation: an int or one int per spatial dimension, as in ``F.conv2d``.
        groups: ``C_in`` and ``C_out`` are split into ``groups`` independent groups.

    Returns:
        A coalesced sparse COO tensor of shape ``(C_out * prod(out_size), C_in * prod(in_size))``
        on the weight's device, with its dtype, where, per dimension,
        ``out = floor((in + 2*padding - dilation*(k - 1) - 1) / stride) + 1``.

    Raises:
        TypeError: ``input_shape`` is not a sequence of ints, ``weight`` is not a floating-point
            tensor, or an argument is not an int (or a sequence of ints).
        ValueError: ``input_shape`` has not 2 to 4 positive entries, ``weight`` has not
            ``len(input_shape) + 1`` dimensions or has an empty one, an argument is out of range,
            ``groups`` does not divide both channel counts, ``weight.shape[1] != C_in / groups``,
            the kernel is larger than the padded input, or ``C`` would not fit in memory.

    Matches:
        ``F.conv{1,2,3}d(x.unsqueeze(0), weight, stride=stride, padding=padding,
        dilation=dilation, groups=groups).reshape(-1)`` for every ``x`` of shape
        ``input_shape``; its transpose gives ``F.conv_transpose{1,2,3}d`` with the same
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
        >>> C1 = conv_matrix((2, 5), torch.ones(3, 2, 2), stride=2)  # 1-D: 3 channels x 2 outputs, 2 x 5 inputs
        >>> C1.shape, C1._nnz()
        (torch.Size([6, 10]), 24)
    """
    c_in, *in_size = _input_shape(input_shape)
    n = len(in_size)
    _tensor(weight, "weight", ndim=n + 2)
    stride = _positive(stride, "stride", n)
    padding = _nonnegative(padding, "padding", n)
    dilation = _positive(dilation, "dilation", n)
    _check_weight(weight)
    groups = _groups(groups, {"the input channels input_shape[0]": c_in,
                              "the output channels weight.shape[0]": weight.shape[0]})
    _check_weight_channels(weight, c_in, groups)
    out_size = _tuple_of(conv_output_size(tuple(in_size), tuple(weight.shape[2:]), stride, padding, dilation))
    # Every entry holds three int64 indices while it is built and a value; refuse the absurd up front.
    entries = weight.shape[0] * math.prod(out_size) * weight[0].numel()
    _check_fits((entries,), torch.int64, weight.device, f"input_shape={tuple(input_shape)}", factor=8,
                what="the entries of C")

    rows, cols, taps = _conv_entries((c_in, *in_size), weight.shape, out_size, stride, padding, dilation,
                                     groups, weight.device)
    values = weight.reshape(weight.shape[0], -1)[:, taps].reshape(-1)  # weight[o, c, *tap] of each entry
    size = (weight.shape[0] * math.prod(out_size), c_in * math.prod(in_size))
    # Sorted and unique by construction (see _conv_entries; tests compare with .coalesce()),
    # so neither a sort nor an invariant check (a further pass over the indices) is needed.
    return torch.sparse_coo_tensor(torch.stack([rows, cols]), values, size,
                                   is_coalesced=True, check_invariants=False)


def _conv_entries(input_shape, weight_shape, out_size, stride, padding, dilation, groups, device):
    """Row, column and tap of each entry of ``C``, sorted by row, then by column.

    The rows of one output channel ``o`` are its output pixels ``(i, j)`` (in
    2-D; one index per spatial dimension in general); each reads, for every
    in-group input channel ``c`` and tap ``(t_h, t_w)``, the input pixel
    ``(i*s - p + t_h*d, j*s - p + t_w*d)``, unless that pixel is in the zero
    padding. This pattern is built once, for channel 0, by broadcasting aranges
    over ``(*out_size, C_in/groups, *kernel_size)`` and keeping the taps inside
    the image; every other output channel repeats it, its rows shifted by
    ``o * prod(out_size)`` and its columns by the first input channel of its
    group. ``taps`` indexes ``weight[o].reshape(-1)``. Because the candidates
    run in row-major order over ``(o, i, j, c, t_h, t_w)`` and the input position
    grows with each tap index, the entries come out sorted by row, then by
    column, without duplicates: ``C`` is coalesced as built.
    """
    c_in, *in_size = input_shape
    c_out, c_in_group, *kernel = weight_shape
    n = len(in_size)
    shape = (*out_size, c_in_group, *kernel)
    axes = [torch.arange(m, device=device).view([m if axis == dim else 1 for axis in range(len(shape))])
            for dim, m in enumerate(shape)]
    out_idx, c, tap = axes[:n], axes[n], axes[n + 1:]
    # input position read by tap t of output position i, per dimension
    pos = [i * s - p + t * d for i, t, s, p, d in zip(out_idx, tap, stride, padding, dilation)]
    inside = torch.ones((), dtype=torch.bool, device=device)
    for u, m in zip(pos, in_size):
        inside = inside & (u >= 0) & (u < m)
    keep = _flat(inside, shape).nonzero().squeeze(1)          # not in the padding
    row = _flat(_ravel(out_idx, out_size), shape, keep)        # output position of channel 0
    col = _flat(_ravel([c, *pos], (c_in_group, *in_size)), shape, keep)  # input position in channel c
    taps = _flat(_ravel([c, *tap], (c_in_group, *kernel)), shape, keep)  # weight[o].reshape(-1)[taps]
    o = torch.arange(c_out, device=device).unsqueeze(1)        # every output channel repeats the pattern
    rows = o * math.prod(out_size) + row
    cols = o // (c_out // groups) * (c_in_group * math.prod(in_size)) + col
    return rows.reshape(-1), cols.reshape(-1), taps


def _ravel(indices, sizes) -> torch.Tensor:
    """The row-major flat index of ``indices`` (broadcastable tensors) in an array of ``sizes``."""
    flat = indices[0]
    for index, size in zip(indices[1:], sizes[1:]):
        flat = flat * size + index
    return flat


def _flat(t: torch.Tensor, shape, keep: torch.Tensor | None = None) -> torch.Tensor:
    """``t`` broadcast to ``shape`` and flattened row-major; only the positions ``keep`` if given."""
    t = t.expand(shape).reshape(-1)
    return t if keep is None else t[keep]


def _tuple_of(size) -> tuple[int, ...]:
    """A size from :mod:`upsampling.shapes` (an int for one dimension given as ints) as a tuple."""
    return tuple(size) if isinstance(size, tuple) else (size,)


def _input_shape(input_shape) -> tuple[int, ...]:
    """``input_shape`` as 2 to 4 positive ints ``(C_in, *spatial)``."""
    if not isinstance(input_shape, Sequence) or isinstance(input_shape, str) \
            or not all(_is_int(v) for v in input_shape):
        raise TypeError(f"input_shape={input_shape!r} must be a sequence of ints (C_in, *spatial)")
    if not 2 <= len(input_shape) <= 4:
        raise ValueError(f"input_shape={tuple(input_shape)} must be (C_in, L), (C_in, H, W) or (C_in, D, H, W): "
                         f"1, 2 or 3 spatial dimensions, got {len(input_shape) - 1}")
    return _positive(tuple(input_shape), "input_shape", len(input_shape))


def _check_weight(weight: torch.Tensor) -> None:
    if any(s == 0 for s in weight.shape):
        raise ValueError(f"weight of shape {tuple(weight.shape)} must not have a zero-size dimension")


def _check_weight_channels(weight: torch.Tensor, c_in: int, groups: int) -> None:
    """``weight`` has ``C_in / groups`` input channels."""
    if weight.shape[1] != c_in // groups:
        raise ValueError(f"weight of shape {tuple(weight.shape)} must have input_shape[0] / groups = "
                         f"{c_in} / {groups} = {c_in // groups} input channels in dimension 1, got {weight.shape[1]}")
