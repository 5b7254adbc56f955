"""Downsampling without (much) aliasing, and the tools to see why it matters.

Keeping every s-th pixel samples the image below its Nyquist rate whenever it
holds detail finer than s pixels: that detail folds back as false low
frequencies (aliasing), and the output jumps when the input moves by one pixel.
Zhang (2019, "Making convolutional networks shift-invariant again") low-passes
with a small binomial filter before subsampling: :func:`blur_pool2d`.
:func:`avg_pool_matrix` writes average pooling as the linear map it is, and
:func:`shift_equivariance_error` measures how far an operator is from commuting
with shifts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F

from ._checks import _is_int, _nonnegative, _positive, _tensor, _tuple
from .shapes import pool_output_size

__all__ = ["avg_pool_matrix", "binomial_filter", "blur_pool2d", "shift_equivariance_error"]

_FILTER_SIZES = range(1, 8)  # the sizes of Zhang's reference implementation


def binomial_filter(filter_size: int = 3) -> torch.Tensor:
    """The normalized 2-D binomial filter of Zhang (2019): a row of Pascal's triangle, outer product with itself.

    Args:
        filter_size: f in 1..7; the 1-D taps are ``C(f-1, i) / 2**(f-1)`` for i = 0..f-1,
            e.g. [1, 2, 1] / 4 for f = 3 and [1, 4, 6, 4, 1] / 16 for f = 5.

    Returns:
        (f, f) float64 tensor on the CPU that sums to 1.

    Raises:
        TypeError: ``filter_size`` is not an int.
        ValueError: ``filter_size`` outside 1..7.

    Matches: the ``filt`` buffer of ``antialiased_cnns.BlurPool(C, filt_size=f)``.

    Example:
        >>> binomial_filter(3) * 16
        tensor([[1., 2., 1.],
                [2., 4., 2.],
                [1., 2., 1.]], dtype=torch.float64)
    """
    f = _filter_size(filter_size)
    taps = torch.tensor([math.comb(f - 1, i) for i in range(f)], dtype=torch.float64) / 2 ** (f - 1)
    return torch.outer(taps, taps)


def blur_pool2d(input: torch.Tensor, stride: int | Sequence[int] = 2, filter_size: int = 3) -> torch.Tensor:
    """Anti-aliased downsampling (Zhang 2019): reflect-pad, blur with a binomial filter, keep every stride-th pixel.

    Args:
        input: (N, C, H, W) or unbatched (C, H, W) floating tensor.
        stride: subsampling factor s (an int or a pair).
        filter_size: f in 1..7, the size of :func:`binomial_filter` (f = 1: no blur,
            plain subsampling ``input[..., ::s, ::s]``).

    Returns:
        (N, C, H_out, W_out) or (C, H_out, W_out) on the input's device and dtype, with
        ``H_out = floor((H + f - 1 - f) / s) + 1 = floor((H - 1) / s) + 1``.

    Padding: ``(f - 1) // 2`` pixels on the top and left and ``ceil((f - 1) / 2)`` on the
    bottom and right, by reflection about the edge pixel (``F.pad(mode="reflect")``), which
    needs every pad to be smaller than H and W. The kept samples therefore sit on the
    input pixels 0, s, 2s, ... (the blur is centred on them for odd f).

    Raises:
        TypeError: ``input`` is not a floating-point tensor, ``stride`` not an int or a
            pair of ints, ``filter_size`` not an int.
        ValueError: ``input`` is not 3-D or 4-D, ``stride < 1``, ``filter_size`` outside
            1..7, or a reflection pad not smaller than H or W.

    Matches: ``antialiased_cnns.BlurPool(C, pad_type="reflect", filt_size=f, stride=s)``
    (Zhang's reference code); there is no PyTorch operator. (kornia's ``blur_pool2d`` pads
    with zeros and differs at the border.)

    Example:
        >>> x = torch.tensor([[[[1., 2., 3., 4., 5.]] * 3]])  # a ramp along each row
        >>> blur_pool2d(x, stride=2, filter_size=3)  # columns 0, 2, 4 see (2, 1, 2), (2, 3, 4), (4, 5, 4)
        tensor([[[[1.5000, 3.0000, 4.5000],
                  [1.5000, 3.0000, 4.5000]]]])
    """
    _tensor(input, "input", ndim=(3, 4))
    stride = _positive(stride, "stride")
    f = _filter_size(filter_size)
    before, after = (f - 1) // 2, f // 2  # f // 2 == ceil((f - 1) / 2)
    height, width = input.shape[-2:]
    if after >= min(height, width):
        raise ValueError(
            f"filter_size={f} reflect-pads by {after} pixels, which needs an input of at least {after + 1}x{after + 1} "
            f"pixels; got spatial size {height}x{width}")
    channels = input.shape[-3]
    weight = binomial_filter(f).to(input).expand(channels, 1, f, f)  # one blur per channel (depthwise)
    padded = F.pad(input, (before, after, before, after), mode="reflect")
    return F.conv2d(padded, weight, stride=stride, groups=channels)


def avg_pool_matrix(in_size: int, kernel_size: int, stride: int | None = None, padding: int = 0,
                    ceil_mode: bool = False, count_include_pad: bool = True) -> torch.Tensor:
    """The dense (out_size, in_size) matrix A of 1-D average pooling: ``F.avg_pool1d(x) == A @ x``.

    Row i averages the window that starts at ``i * stride - padding`` and has
    ``kernel_size`` taps; taps in the zero padding contribute nothing. The divisor is the
    window's length clipped to the padded signal (``count_include_pad=True``) or the
    number of real input samples it covers (``False``).

    Args:
        in_size: length L of the input signal.
        kernel_size, stride (default ``kernel_size``), padding: ints, with
            ``padding <= kernel_size / 2`` as PyTorch requires.
        ceil_mode: round the output size up instead of down; a last window must still
            start inside the input or the left padding.
        count_include_pad: whether padded zeros count in the divisor.

    Returns:
        (out_size, in_size) float64 tensor with
        ``out_size = floor((L + 2 * padding - kernel_size) / stride) + 1`` (ceil with ``ceil_mode``).
        Average pooling is separable, so in 2-D ``F.avg_pool2d(x) == A_h @ x @ A_w.T``
        (the Kronecker product ``A_h ⊗ A_w`` acting on the flattened image).

    Raises:
        TypeError: a size is not an int, or a flag not a bool.
        ValueError: a size is out of range (``padding > kernel_size / 2``), or no window fits.

    Matches: ``F.avg_pool1d(x, kernel_size, stride, padding, ceil_mode, count_include_pad)``
    and, separably, ``F.avg_pool2d``.

    Example:
        >>> import torch.nn.functional as F
        >>> avg_pool_matrix(5, 2, padding=1)  # windows (-1, 0), (1, 2), (3, 4); the padded zero counts
        tensor([[0.5000, 0.0000, 0.0000, 0.0000, 0.0000],
                [0.0000, 0.5000, 0.5000, 0.0000, 0.0000],
                [0.0000, 0.0000, 0.0000, 0.5000, 0.5000]], dtype=torch.float64)
        >>> x = torch.arange(5.0, dtype=torch.float64)
        >>> torch.allclose(avg_pool_matrix(5, 2, padding=1) @ x, F.avg_pool1d(x[None], 2, padding=1)[0])
        True
    """
    (length,) = _positive(in_size, "in_size", 1)
    (k,) = _positive(kernel_size, "kernel_size", 1)
    (s,) = (k,) if stride is None else _positive(stride, "stride", 1)
    (p,) = _nonnegative(padding, "padding", 1)
    for flag, name in ((ceil_mode, "ceil_mode"), (count_include_pad, "count_include_pad")):
        if not isinstance(flag, bool):
            raise TypeError(f"{name}={flag!r} must be a bool")
    out = pool_output_size(length, k, s, p, ceil_mode=ceil_mode)  # rejects what F.avg_pool1d rejects

    start = torch.arange(out, dtype=torch.int64) * s - p  # first tap of each window, in input coordinates
    end_padded = torch.clamp(start + k, max=length + p)  # windows are clipped to the padded signal
    lo, hi = start.clamp(min=0), torch.clamp(start + k, max=length)  # ... and their real samples
    divisor = end_padded - start if count_include_pad else hi - lo
    j = torch.arange(length, dtype=torch.int64)
    inside = (j >= lo[:, None]) & (j < hi[:, None])
    return inside.to(torch.float64) / divisor[:, None].to(torch.float64)


def shift_equivariance_error(op: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor,
                             shift: int | Sequence[int] = 1) -> float:
    """How much ``op``'s output changes when its input is circularly shifted, after the best realignment.

    With ``a = op(torch.roll(x, shift, dims=(-2, -1)))`` and ``b = op(x)``, this returns

        E = min over integer (ty, tx) of ||a - torch.roll(b, (ty, tx), dims=(-2, -1))||_2 / ||b||_2,

    the relative L2 distance (over all entries, batch and channels included) between the
    output for the shifted input and the best circular shift of the original output. The
    minimum runs over *every* circular shift of the output plane (found with an FFT
    cross-correlation; the distance at the best shift is then computed directly, so an
    exactly shift-equivariant case gives exactly 0). E = 0 when shifting the input by
    ``shift`` shifts the output by whole pixels: always for a circular stride-1 operator, and
    for a stride-s operator when ``shift`` is a multiple of s. For a one-pixel shift and
    stride 2 no realignment exists; E then measures the aliasing that Zhang's blur reduces.
    Operators that pad (reflect, zeros) are not circular, so their borders add to E even
    for equivariant interiors; compare operators with the same padding, or pad circularly.

    Args:
        op: a function from a tensor like ``x`` to a tensor with at least 2 dimensions
            (deterministic: it is called twice).
        x: floating tensor with at least 2 dimensions, (..., H, W).
        shift: (dy, dx) circular shift of the input in pixels, positive = down/right;
            an int s means (s, s), one pixel diagonally for the default 1.

    Returns:
        E as a Python float (computed in float64).

    Raises:
        TypeError: ``op`` is not callable, ``x`` or what ``op`` returns is not a floating tensor,
            or ``shift`` is not an int or a pair of ints.
        ValueError: ``x`` or ``op``'s results have fewer than 2 dimensions, ``op`` changes its
            output's shape with the shift, or ``op(x)`` is zero everywhere.

    Example:
        >>> x = torch.tensor([[1., 2., 3., 4.]])
        >>> keep_even = lambda t: t[..., ::2]
        >>> shift_equivariance_error(keep_even, x, shift=(0, 2))  # two pixels in, one pixel out
        0.0
        >>> round(shift_equivariance_error(keep_even, x, shift=(0, 1)), 4)  # [4, 2] vs [3, 1]: sqrt(2 / 10)
        0.4472
    """
    if not callable(op):
        raise TypeError(f"op must be callable (a function of one tensor), got {type(op).__name__}")
    _tensor(x, "x")
    if x.dim() < 2:
        raise ValueError(f"x must have at least 2 dimensions (..., H, W), got shape {tuple(x.shape)}")
    dy, dx = _tuple(shift, "shift")
    with torch.no_grad():  # a measurement, not part of a model
        a, b = op(torch.roll(x, (dy, dx), dims=(-2, -1))), op(x)
    _check_output(a, "op(shifted x)")
    _check_output(b, "op(x)")
    if a.shape != b.shape:
        raise ValueError(f"op(shifted x) has shape {tuple(a.shape)} but op(x) has {tuple(b.shape)}; "
                         "op must map inputs of one shape to outputs of one shape")
    a, b = a.double(), b.double()
    norm = torch.linalg.vector_norm(b)
    if norm == 0:
        raise ValueError("op(x) is zero everywhere, so the relative error is undefined")
    ty, tx = _best_circular_shift(a, b)
    return float(torch.linalg.vector_norm(a - torch.roll(b, (ty, tx), dims=(-2, -1))) / norm)


def _best_circular_shift(a: torch.Tensor, b: torch.Tensor) -> tuple[int, int]:
    """The (ty, tx) maximizing <a, roll(b, (ty, tx))>, i.e. minimizing ||a - roll(b, t)||, for all t at once."""
    height, width = a.shape[-2:]
    spectrum = torch.fft.rfft2(a) * torch.fft.rfft2(b).conj()  # cross-power spectrum
    correlation = torch.fft.irfft2(spectrum, s=(height, width))  # c[t] = sum_p a[p] b[p - t]
    correlation = correlation.reshape(-1, height, width).sum(0)  # over batch and channels
    best = int(torch.argmax(correlation))
    return best // width, best % width


def _check_output(t, name: str) -> None:
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"{name} must be a floating tensor with at least 2 dimensions, got {type(t).__name__}")
    if t.dim() < 2 or not t.is_floating_point():
        raise ValueError(f"{name} must be a floating tensor with at least 2 dimensions, "
                         f"got shape {tuple(t.shape)} and dtype {t.dtype}")


def _filter_size(filter_size) -> int:
    if not _is_int(filter_size):
        raise TypeError(f"filter_size={filter_size!r} must be an int")
    if filter_size not in _FILTER_SIZES:
        raise ValueError(f"filter_size={filter_size} is not supported; "
                         "choose an int from 1 to 7 (Zhang's binomial filters)")
    return filter_size
