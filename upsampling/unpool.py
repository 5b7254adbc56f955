"""Max unpooling: put each pooled value back where max pooling found it.

Max pooling with ``return_indices=True`` records, for every output pixel, the
*switch*: the flat position ``row * W + col`` of the winning input pixel in
its (H, W) plane (Zeiler and Fergus, 2014). Unpooling allocates a zero plane
of the original size and writes every value to its switch. Nothing is
interpolated and nothing is learned: it is a scatter, and the adjoint of max
pooling with the switches held fixed.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from ._checks import _is_int, _nonnegative, _positive, _tensor

__all__ = ["max_unpool2d"]


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None) -> torch.Tensor:
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
        (N, C, H_out, W_out) or (C, H_out, W_out), on the input's device and dtype.

    Output size: by default ``H_out = (H - 1) * stride - 2 * padding + kernel_size``
    (and the same for W). Several input sizes pool to the same H, so an explicit
    ``output_size`` may pick any size with ``default - stride < H_out < default + stride``,
    the range PyTorch accepts (strict at both ends).

    An output plane without pixels (an ``output_size`` entry of 0) leaves the values nowhere
    to go, so it is rejected; PyTorch returns an empty tensor there and drops them.

    Overlapping windows (stride < kernel_size) can select one input position
    twice; both writes then go to the same place. When the values come from max
    pooling they are equal (the same maximum), so the result is well defined; for
    arbitrary values at repeated indices one of them wins, and on CUDA which one
    is nondeterministic. (The gradient of max pooling *adds* the two instead, so
    the adjoint identity below holds for non-overlapping windows only. The gradient
    of unpooling itself is a gather, as PyTorch's: each copy of a repeated index
    receives the gradient of the position it was written to.)

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
    _check_input_and_indices(input, indices)
    kernel_size = _positive(kernel_size, "kernel_size")
    stride = kernel_size if stride is None else _positive(stride, "stride")
    padding = _nonnegative(padding, "padding")
    height, width = _unpool_output_size(input.shape[-2:], kernel_size, stride, padding, output_size)
    _check_index_range(indices, height, width)

    planes = input.flatten(-2)  # (..., H*W): one row of values per plane
    out = planes.new_zeros(*planes.shape[:-1], height * width)
    out = out.scatter(-1, indices.flatten(-2), planes)  # out[..., idx[..., j]] = planes[..., j]
    return out.unflatten(-1, (height, width))


def _check_input_and_indices(input, indices) -> None:
    _tensor(input, "input", ndim=(3, 4))
    if not isinstance(indices, torch.Tensor):
        raise TypeError(f"indices must be a torch.Tensor, got {type(indices).__name__}")
    if indices.dtype != torch.int64:
        raise TypeError(f"indices must have dtype torch.int64 (as returned by max_pool2d), got {indices.dtype}")
    if indices.shape != input.shape:
        raise ValueError(f"indices must have the shape of input {tuple(input.shape)}, got {tuple(indices.shape)}")
    if indices.device != input.device:
        raise ValueError(f"indices must be on the input's device {input.device}, got {indices.device}")
    non_batch = input.shape[-3:]
    if any(n == 0 for n in non_batch):
        raise ValueError(
            f"input of shape {tuple(input.shape)} must be non-empty in its channel and spatial dimensions "
            f"{tuple(non_batch)}")


def _unpool_output_size(size, kernel_size, stride, padding, output_size) -> tuple[int, int]:
    """The output (H, W): the default, or ``output_size`` checked against PyTorch's window."""
    default = tuple((n - 1) * s - 2 * p + k for n, k, s, p in zip(size, kernel_size, stride, padding))
    if output_size is None:
        if any(d < 0 for d in default):
            raise ValueError(
                f"the default output size (H - 1) * stride - 2 * padding + kernel_size = {default} is negative for "
                f"input size {tuple(size)}, kernel_size={kernel_size}, stride={stride}, padding={padding}; "
                "reduce padding")
        return default
    if not isinstance(output_size, Sequence) or isinstance(output_size, str) \
            or not all(_is_int(v) for v in output_size):
        raise TypeError(f"output_size={output_size!r} must be a sequence of ints, such as (H_out, W_out)")
    given = tuple(output_size)
    if len(given) == 4:
        given = given[2:]  # a full (N, C, H, W) shape: PyTorch uses the last two entries
    if len(given) != 2:
        raise ValueError(f"output_size={tuple(output_size)} must have 2 entries (H_out, W_out) "
                         f"or 4 (N, C, H_out, W_out), got {len(output_size)}")
    for d, (n, n_default, s) in enumerate(zip(given, default, stride)):
        if not n_default - s < n < n_default + s:
            raise ValueError(
                f"output_size={tuple(output_size)}: spatial entry {d} is {n} but must lie strictly between "
                f"{n_default - s} and {n_default + s} (the default size {n_default} minus/plus stride {s})")
    if any(n < 0 for n in given):
        raise ValueError(f"output_size={tuple(output_size)} must be non-negative in every spatial dimension")
    return given


def _check_index_range(indices: torch.Tensor, height: int, width: int) -> None:
    """Every index must address the (height, width) plane; name the first that does not."""
    if height * width == 0 and indices.numel() > 0:
        raise ValueError(f"the output plane of size {height}x{width} has no pixels to receive the values; "
                         "PyTorch would silently drop them")
    bad = (indices < 0) | (indices >= height * width)
    if bool(bad.any()):  # one device synchronization, only to make the error clear
        value = int(indices[bad][0])
        raise ValueError(
            f"indices contains {value}, outside the output plane of size {height}x{width} "
            f"(allowed 0 to {height * width - 1}); were the indices made for another output_size?")
