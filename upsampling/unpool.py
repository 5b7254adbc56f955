"""Max unpooling: put each pooled value back where max pooling found it.

Max pooling with ``return_indices=True`` records, for every output pixel, the
*switch*: the flat position ``row * W + col`` of the winning input pixel in
its (H, W) plane (Zeiler and Fergus, 2014); in 1-D the position itself, in
3-D ``(depth * H + row) * W + col``. Unpooling allocates a zero plane
of the original size and writes every value to its switch. Nothing is
interpolated and nothing is learned: it is a scatter, and the adjoint of max
pooling with the switches held fixed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from ._checks import _check_fits, _is_int, _nonnegative, _positive, _int, _show, _tensor

__all__ = ["max_unpool1d", "max_unpool2d", "max_unpool3d"]

_RAISES = """
    Raises:
        TypeError: ``input`` is not a floating-point tensor, ``indices`` not an int64 tensor,
            ``kernel_size``, ``stride`` or ``padding`` not an int (or a sequence of ints; NumPy
            integers and 0-d integer tensors count), ``output_size`` not a sequence of ints.
        ValueError: a tensor of the wrong rank, ``indices`` of another shape or device than
            ``input``, an empty channel or spatial dimension, an argument out of range, an
            ``output_size`` outside PyTorch's window or with the wrong number of entries, an
            output without pixels or too large for the device's memory, or an index outside
            the output plane (the first such index is named).
"""

_NONDETERMINISM = """
    Overlapping windows (stride < kernel_size) can select one input position
    twice; both writes then go to the same place. When the values come from max
    pooling they are equal (the same maximum), so the result is well defined; for
    arbitrary values at repeated indices one of them wins, and on CUDA which one
    is nondeterministic (as with PyTorch's). The gradient of max pooling *adds*
    the two instead, so the adjoint identity below holds for non-overlapping
    windows only. The gradient of unpooling itself is a gather, as PyTorch's:
    each copy of a repeated index receives the gradient of the position it was
    written to.
"""


def max_unpool1d(input: torch.Tensor, indices: torch.Tensor, kernel_size: int | Sequence[int],
                 stride: int | Sequence[int] | None = None, padding: int | Sequence[int] = 0,
                 output_size: Sequence[int] | None = None) -> torch.Tensor:
    """1-D partial inverse of max pooling: scatter each value to its recorded position, zeros elsewhere.

    The operator of :func:`max_unpool2d` with one spatial dimension.

    Args:
        input: (N, C, L) or unbatched (C, L) floating tensor, the pooled values.
        indices: int64 tensor of the same shape, as returned by
            ``F.max_pool1d(..., return_indices=True)``: positions in the output row.
        kernel_size, stride, padding: those of the pooling being undone (an int or a 1-tuple);
            ``stride`` defaults to ``kernel_size``.
        output_size: ``(L_out,)``, or a full shape ``(N, C, L_out)`` whose last entry is used.

    Returns:
        (N, C, L_out) or (C, L_out), on the input's device and dtype; by default
        ``L_out = (L - 1) * stride - 2 * padding + kernel_size``.
    {raises}{nondeterminism}
    Matches: ``F.max_unpool1d(input, indices, kernel_size, stride, padding, output_size)``.

    Example:
        >>> import torch.nn.functional as F
        >>> y, idx = F.max_pool1d(torch.tensor([[[1., 5., 8., 7.]]]), 2, return_indices=True)
        >>> max_unpool1d(y, idx, 2)
        tensor([[[0., 5., 8., 0.]]])
    """
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 1)


def max_unpool2d(input: torch.Tensor, indices: torch.Tensor, kernel_size: int | Sequence[int],
                 stride: int | Sequence[int] | None = None, padding: int | Sequence[int] = 0,
                 output_size: Sequence[int] | None = None) -> torch.Tensor:
    """Partial inverse of max pooling: scatter each value to its recorded position, zeros elsewhere.

    Args:
        input: (N, C, H, W) or unbatched (C, H, W) floating tensor, the pooled values.
        indices: int64 tensor of the same shape as ``input``: for each value, its
            flat position ``row * W_out + col`` in its (H_out, W_out) output plane,
            as returned by ``F.max_pool2d(..., return_indices=True)``.
        kernel_size, stride, padding: those of the pooling being undone (an int
            or a pair); ``stride`` defaults to ``kernel_size``.
        output_size: (H_out, W_out), or a full shape whose last two entries are
            used (as ``x.shape`` of the pooled tensor); default below.

    Returns:
        (N, C, H_out, W_out) or (C, H_out, W_out), on the input's device and dtype;
        channels-last when the input is (as PyTorch's).

    Output size: by default ``H_out = (H - 1) * stride - 2 * padding + kernel_size``
    (and the same for W). Several input sizes pool to the same H, so an explicit
    ``output_size`` may pick any size with ``default - stride < H_out < default + stride``,
    the range PyTorch accepts (strict at both ends).

    An output plane without pixels (an ``output_size`` entry of 0) leaves the values nowhere
    to go, so it is rejected; PyTorch returns an empty tensor there and drops them.
    {raises}{nondeterminism}
    Matches: ``F.max_unpool2d(input, indices, kernel_size, stride, padding, output_size)``
    and, for non-overlapping windows, ``torch.autograd.grad`` of ``F.max_pool2d``
    with respect to its input.

    Example:
        >>> import torch.nn.functional as F
        >>> x = torch.tensor([[[[1., 5., 2., 0.], [3., 4., 8., 7.]]]])
        >>> y, idx = F.max_pool2d(x, 2, return_indices=True)
        >>> idx
        tensor([[[[1, 6]]]])
        >>> max_unpool2d(y, idx, 2)
        tensor([[[[0., 5., 0., 0.],
                  [0., 0., 8., 0.]]]])
        >>> torch.equal(max_unpool2d(y, idx, 2), F.max_unpool2d(y, idx, 2))
        True
    """
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 2)


def max_unpool3d(input: torch.Tensor, indices: torch.Tensor, kernel_size: int | Sequence[int],
                 stride: int | Sequence[int] | None = None, padding: int | Sequence[int] = 0,
                 output_size: Sequence[int] | None = None) -> torch.Tensor:
    """3-D partial inverse of max pooling: scatter each value to its recorded position, zeros elsewhere.

    The operator of :func:`max_unpool2d` with three spatial dimensions.

    Args:
        input: (N, C, D, H, W) or unbatched (C, D, H, W) floating tensor, the pooled values.
        indices: int64 tensor of the same shape, as returned by
            ``F.max_pool3d(..., return_indices=True)``: flat positions
            ``(depth * H_out + row) * W_out + col`` in the output volume.
        kernel_size, stride, padding: those of the pooling being undone (an int or a triple);
            ``stride`` defaults to ``kernel_size``.
        output_size: ``(D_out, H_out, W_out)``, or a full shape whose last three entries are used.

    Returns:
        (N, C, D_out, H_out, W_out) or (C, D_out, H_out, W_out), on the input's device and
        dtype, contiguous (PyTorch's 3-D unpooling does not keep channels-last-3d either);
        default sizes as in :func:`max_unpool2d`.
    {raises}{nondeterminism}
    Matches: ``F.max_unpool3d(input, indices, kernel_size, stride, padding, output_size)``.

    Example:
        >>> import torch.nn.functional as F
        >>> x = torch.arange(8.0).reshape(1, 1, 2, 2, 2)
        >>> y, idx = F.max_pool3d(x, 2, return_indices=True)
        >>> max_unpool3d(y, idx, 2).flatten().tolist()
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 7.0]
    """
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 3)


for _f in (max_unpool1d, max_unpool2d, max_unpool3d):
    _f.__doc__ = _f.__doc__.replace("    {raises}{nondeterminism}\n", _RAISES + _NONDETERMINISM)
del _f


def _max_unpool(input, indices, kernel_size, stride, padding, output_size, n) -> torch.Tensor:
    """The one implementation behind the three entry points; ``n`` spatial dimensions."""
    _check_input_and_indices(input, indices, n)
    kernel_size = _positive(kernel_size, "kernel_size", n)
    stride = kernel_size if stride is None else _positive(stride, "stride", n)
    padding = _nonnegative(padding, "padding", n)
    size = _unpool_output_size(input.shape[-n:], kernel_size, stride, padding, output_size)
    _check_fits((*input.shape[:-n], *size), input.dtype, input.device,
                f"kernel_size={_show(kernel_size)}, stride={_show(stride)} and output_size={output_size!r}")
    _check_index_range(indices, size)

    planes = input.flatten(-n)  # (..., prod(in)): one row of values per plane
    out = planes.new_zeros(*planes.shape[:-1], math.prod(size))
    out = out.scatter(-1, indices.flatten(-n), planes)  # out[..., idx[..., j]] = planes[..., j]
    out = out.unflatten(-1, size)
    if n == 2 and input.dim() == 4 and input.is_contiguous(memory_format=torch.channels_last) \
            and not input.is_contiguous():
        out = out.contiguous(memory_format=torch.channels_last)  # PyTorch keeps a 2-D channels-last layout
    return out


def _check_input_and_indices(input, indices, n: int) -> None:
    _tensor(input, "input", ndim=(n + 1, n + 2))
    if not isinstance(indices, torch.Tensor):
        raise TypeError(f"indices must be a torch.Tensor, got {type(indices).__name__}")
    if indices.dtype != torch.int64:
        raise TypeError(f"indices must have dtype torch.int64 (as returned by max_pool{n}d), got {indices.dtype}")
    if indices.shape != input.shape:
        raise ValueError(f"indices must have the shape of input {tuple(input.shape)}, got {tuple(indices.shape)}")
    if indices.device != input.device:
        raise ValueError(f"indices must be on the input's device {input.device}, got {indices.device}")
    non_batch = input.shape[-n - 1:]
    if any(m == 0 for m in non_batch):
        raise ValueError(
            f"input of shape {tuple(input.shape)} must be non-empty in its channel and spatial dimensions "
            f"{tuple(non_batch)}")


def _unpool_output_size(size, kernel_size, stride, padding, output_size) -> tuple[int, ...]:
    """The output size: the default, or ``output_size`` checked against PyTorch's window."""
    n = len(kernel_size)
    default = tuple((m - 1) * s - 2 * p + k for m, k, s, p in zip(size, kernel_size, stride, padding))
    if output_size is None:
        if any(d < 0 for d in default):
            raise ValueError(
                f"the default output size (size - 1) * stride - 2 * padding + kernel_size = {_show(default)} is "
                f"negative for input size {_show(tuple(size))}, kernel_size={_show(kernel_size)}, "
                f"stride={_show(stride)}, padding={_show(padding)}; reduce padding")
        return default
    if not isinstance(output_size, Sequence) or isinstance(output_size, str) \
            or not all(_is_int(v) for v in output_size):
        raise TypeError(f"output_size={output_size!r} must be a sequence of ints, such as {_SPELLING[n]}")
    given = tuple(_int(v) for v in output_size)
    if len(given) == n + 2:
        given = given[2:]  # a full (N, C, *spatial) shape: PyTorch uses the last n entries
    if len(given) != n:
        raise ValueError(f"output_size={tuple(given)} must have {n} entries {_SPELLING[n]} "
                         f"or {n + 2} (N, C, ...), got {len(output_size)}")
    for d, (m, m_default, s) in enumerate(zip(given, default, stride)):
        if not m_default - s < m < m_default + s:
            raise ValueError(
                f"output_size={tuple(output_size)}: spatial entry {d} is {m} but must lie strictly between "
                f"{m_default - s} and {m_default + s} (the default size {m_default} minus/plus stride {s})")
    if any(m < 0 for m in given):
        raise ValueError(f"output_size={tuple(output_size)} must be non-negative in every spatial dimension")
    return given


_SPELLING = {1: "(L_out,)", 2: "(H_out, W_out)", 3: "(D_out, H_out, W_out)"}


def _check_index_range(indices: torch.Tensor, size: tuple[int, ...]) -> None:
    """Every index must address the output plane; name the first that does not."""
    plane = math.prod(size)
    shape = "x".join(map(str, size))
    if plane == 0 and indices.numel() > 0:
        raise ValueError(f"the output plane of size {shape} has no pixels to receive the values; "
                         "PyTorch would silently drop them")
    bad = (indices < 0) | (indices >= plane)
    if bool(bad.any()):  # one device synchronization, only to make the error clear
        value = int(indices[bad][0])
        raise ValueError(
            f"indices contains {value}, outside the output plane of size {shape} "
            f"(allowed 0 to {plane - 1}); were the indices made for another output_size?")
