"""Checkerboard artifacts: where a transposed convolution's taps land, and how to measure the pattern.

A transposed convolution with stride ``s`` writes input pixel ``i`` through kernel
tap ``t`` to output position ``o = i*s + t*d - p`` (per spatial dimension; ``d``
dilation, ``p`` padding). Its *overlap map* counts, for every output position,
how many (input pixel, tap) pairs land there: it is the transposed convolution
of an all-ones input with an all-ones kernel. Away from the borders the count
depends only on the *phase* ``(o + p) mod s``: with ``d = 1`` it is the number of
taps ``t`` in ``[0, k)`` with ``t ≡ o + p (mod s)``, which is the same for every
phase exactly when ``s`` divides ``k`` (Odena, Dumoulin and Olah 2016,
"Deconvolution and Checkerboard Artifacts"). In several dimensions the map is
the outer product of the 1-D maps, so the unevenness multiplies.

What a reader sees is a pattern of period ``s``: the part of an image that
repeats with the stride. :func:`phase_means` extracts it (the mean of each of
the ``s_h × s_w`` phases). Two measures of it, both unchanged when a constant is
added to the image:

* :func:`checkerboard_amplitude`, the peak-to-peak spread of the phase means, in
  the image's own units. Use it for an output that is exactly periodic (the
  response of a layer to a constant image), where any share of energy is 1.
* :func:`checkerboard_energy`, the share of the image's *mean-removed* (AC)
  energy that lies at the frequencies of period-``s`` patterns, the bins
  ``(a·H/s_h, b·W/s_w)`` of the 2-D DFT other than the DC bin (for ``s = 2``:
  the three Nyquist bins). Use it for images with content.

(An earlier version divided the energy by the total energy, DC
included; that quantity falls when a constant is added to the image, so it
confused "less pattern" with "brighter image".)
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from ._checks import _is_int, _positive, _tensor
from .shapes import conv_transpose_output_size

__all__ = ["overlap_map", "phase_means", "checkerboard_amplitude", "checkerboard_energy"]


def overlap_map(size, kernel_size, stride=1, padding=0, output_padding=0, dilation=1) -> torch.Tensor:
    """How many kernel taps of a transposed convolution land on each output position.

    Along one dimension, output position ``o`` receives tap ``t`` of input pixel
    ``i`` when ``o = i*s + t*d - p`` with ``0 <= i < n`` and ``0 <= t < k``;
    the map counts those pairs. In several dimensions a tap is a tuple of taps
    and an input pixel a tuple of pixels, so the map is the outer product of the
    1-D maps.

    Args:
        size: the input size ``n``: an int for a 1-D map, or one int per
            spatial dimension (a pair for a 2-D map).
        kernel_size, stride, dilation: positive ints ``k``, ``s``, ``d``, or one
            per dimension.
        padding: ``p >= 0`` cropped from each end of the full output.
        output_padding: ``0 <= op < max(s, d)`` positions added at the far end.

    Returns:
        An int64 tensor on the CPU of the transposed convolution's output shape,
        ``(n - 1)*s - 2p + d*(k - 1) + op + 1`` per dimension. Where all taps of
        ``k`` consecutive inputs can reach (the interior), the 1-D count at
        ``o`` is ``#{t in [0, k): t*d ≡ o + p (mod s)}``; for ``d = 1`` that is
        ``ceil((k - φ)/s)`` with phase ``φ = (o + p) mod s``.

    Raises:
        ValueError: for a non-positive size, kernel, stride or dilation, a
            negative padding, ``output_padding >= max(stride, dilation)``, or a
            non-positive output size (as PyTorch).

    Matches: ``F.conv_transpose1d(torch.ones(1, 1, n), torch.ones(1, 1, k), None, s, p, op, 1, d)[0, 0]``
    (``conv_transpose2d`` with pairs), computed by index arithmetic instead.

    Example:
        >>> overlap_map(4, kernel_size=3, stride=2)          # k = 3 taps at stride 2: 2, 1, 2, 1, ...
        tensor([1, 1, 2, 1, 2, 1, 2, 1, 1])
        >>> overlap_map((2, 2), kernel_size=3, stride=2, padding=1, output_padding=1)
        tensor([[1, 2, 1, 1],
                [2, 4, 2, 2],
                [1, 2, 1, 1],
                [1, 2, 1, 1]])
        >>> import torch.nn.functional as F
        >>> ones = F.conv_transpose2d(torch.ones(1, 1, 5, 6), torch.ones(1, 1, 4, 3), stride=(2, 3), padding=1)
        >>> torch.equal(overlap_map((5, 6), (4, 3), (2, 3), 1).float(), ones[0, 0])
        True
    """
    one_d = _is_int(size)
    if not one_d and not (isinstance(size, Sequence) and not isinstance(size, str) and len(size) >= 1):
        raise TypeError(f"size={size!r} must be an int or a sequence of ints, one per spatial dimension")
    n_dims = 1 if one_d else len(size)
    out_size = conv_transpose_output_size(size if one_d else tuple(size), kernel_size, stride, padding,
                                          dilation, output_padding)
    args = [_as_tuple(v, n_dims) for v in (size, kernel_size, stride, padding, dilation, out_size)]
    counts = [_overlap_1d(*dims) for dims in zip(*args)]
    result = counts[0]
    for c in counts[1:]:  # outer product: a tap lands on (o_1, o_2, ...) iff each coordinate's tap lands
        result = result.unsqueeze(-1) * c
    return result


def _as_tuple(value, n: int) -> tuple[int, ...]:
    return (value,) * n if _is_int(value) else tuple(value)


def _overlap_1d(n: int, k: int, s: int, p: int, d: int, out: int) -> torch.Tensor:
    """The 1-D count: pairs (i, t) with ``i*s = o + p - t*d`` and ``0 <= i < n``, for every ``o``."""
    o = torch.arange(out)[:, None]
    t = torch.arange(k)[None, :]
    position = o + p - t * d  # where input pixel i would have to sit, times s
    hits = (position % s == 0) & (position >= 0) & (position < n * s)
    return hits.sum(dim=1)


def phase_means(input: torch.Tensor, stride: int | Sequence[int]) -> torch.Tensor:
    """The mean of each of the ``s_h × s_w`` phases of an image: the part of it with period ``s``.

    ``out[..., a, b] = input[..., a::s_h, b::s_w].mean()``. A linear layer that is
    shift-equivariant with period ``s`` (a transposed convolution or a sub-pixel
    layer of stride ``s``) maps a constant image to one whose interior is exactly
    periodic: the phase means are then the whole pattern.

    Args:
        input: ``(*, H, W)`` floating tensor with ``H`` divisible by ``s_h`` and
            ``W`` by ``s_w`` (crop it first otherwise).
        stride: ``s`` or ``(s_h, s_w)``, positive.

    Returns:
        ``(*, s_h, s_w)`` tensor on the input's device and dtype.

    Raises:
        TypeError: ``input`` is not a floating-point tensor, or ``stride`` not an int or a pair.
        ValueError: fewer than 2 dimensions, ``stride < 1``, or H, W not divisible by the stride.

    Example:
        >>> y = torch.tensor([[1., 2., 1., 2.], [3., 4., 3., 4.]])
        >>> phase_means(y, 2)
        tensor([[1., 2.],
                [3., 4.]])
    """
    (s_h, s_w), (h, w) = _check_image(input, stride)
    phases = input.unflatten(-1, (w // s_w, s_w)).unflatten(-3, (h // s_h, s_h))  # (*, H/s_h, s_h, W/s_w, s_w)
    return phases.mean(dim=(-4, -2))


def checkerboard_amplitude(input: torch.Tensor, stride: int | Sequence[int]) -> torch.Tensor:
    """Peak-to-peak amplitude of the period-``s`` pattern: ``max(m) - min(m)`` over the phase means ``m``.

    In the image's own units: a ``±a`` checkerboard has amplitude ``2a``, a
    constant image 0. Adding a constant to the image does not change it;
    multiplying the image by ``λ`` multiplies it by ``|λ|``. For the response of a
    periodic layer to a constant image, which is exactly periodic (see
    :func:`phase_means`), it is the full swing of the pattern.

    Args:
        input: ``(*, H, W)`` floating tensor, ``H`` divisible by ``s_h`` and ``W``
            by ``s_w``.
        stride: ``s`` or ``(s_h, s_w)``, positive.

    Returns:
        ``(*)`` tensor, non-negative, on the input's device and dtype.

    Raises:
        TypeError: ``input`` is not a floating-point tensor, or ``stride`` not an int or a pair.
        ValueError: fewer than 2 dimensions, ``stride < 1``, or H, W not divisible by the stride.

    Example:
        >>> from upsampling.images import checkerboard
        >>> checkerboard_amplitude(0.3 * (checkerboard(8, 1) * 2 - 1), 2)   # ±0.3
        tensor(0.6000)
        >>> checkerboard_amplitude(0.3 * (checkerboard(8, 1) * 2 - 1) + 5, 2)
        tensor(0.6000)
    """
    m = phase_means(input, stride)
    return m.amax(dim=(-2, -1)) - m.amin(dim=(-2, -1))


def checkerboard_energy(input: torch.Tensor, stride: int | Sequence[int]) -> torch.Tensor:
    """Share of an image's mean-removed (AC) energy at the frequencies of period-``s`` patterns.

    With ``Y`` the 2-D DFT of ``y`` (``H × W``) and ``Λ`` the bins
    ``(a·H/s_h, b·W/s_w)``, ``0 <= a < s_h``, ``0 <= b < s_w``::

        E = sum over Λ without (0, 0) of |Y|²  /  sum over all bins but (0, 0) of |Y|²
          = sum_φ (m_φ - mean(m))²  /  (s_h·s_w · mean((y - mean(y))²))

    where ``m`` are the :func:`phase_means` (the second line is Parseval's
    identity applied twice; this function computes it, with no FFT). ``E`` is
    in ``[0, 1]``: 0 when every phase has the same mean, 1 for any image that is
    exactly periodic with period ``s`` and not constant (so on such images it
    says nothing about the pattern's size; use :func:`checkerboard_amplitude`).
    Adding a constant to the image or scaling it does not change ``E``. For
    ``s = 2`` the bins are the three Nyquist bins ``(H/2, 0)``, ``(0, W/2)`` and
    ``(H/2, W/2)``.

    Args:
        input: ``(*, H, W)`` floating tensor, ``H`` divisible by ``s_h`` and ``W``
            by ``s_w``; not constant (a constant image has no AC energy to divide).
        stride: ``s`` or ``(s_h, s_w)``, positive.

    Returns:
        ``(*)`` tensor of fractions, on the input's device and dtype (``nan``
        for a constant image).

    Raises:
        TypeError: ``input`` is not a floating-point tensor, or ``stride`` not an int or a pair.
        ValueError: fewer than 2 dimensions, ``stride < 1``, or H, W not divisible by the stride.

    Matches: ``P[Λ \\ {0}].sum() / (P.sum() - P[0, 0])`` with ``P = torch.fft.fft2(y).abs() ** 2``.

    Example:
        >>> from upsampling.images import checkerboard
        >>> checkerboard_energy(checkerboard(8, 1), 2)           # any period-2 image: all AC energy at (4, 4)
        tensor(1.)
        >>> y = torch.tensor([[0., 1., 2., 3.]]).repeat(4, 1)    # a ramp along W: a fifth of its AC energy at (0, 2)
        >>> checkerboard_energy(y, 2)
        tensor(0.2000)
        >>> checkerboard_energy(y + 10, 2)                       # a constant added: the same
        tensor(0.2000)
    """
    (s_h, s_w), _ = _check_image(input, stride)
    m = phase_means(input, (s_h, s_w))
    periodic = (m - m.mean(dim=(-2, -1), keepdim=True)).pow(2).sum(dim=(-2, -1))
    ac = (input - input.mean(dim=(-2, -1), keepdim=True)).pow(2).mean(dim=(-2, -1))
    return periodic / (s_h * s_w * ac)


def _check_image(input, stride) -> tuple[tuple[int, int], tuple[int, int]]:
    _tensor(input, "input")
    if input.dim() < 2:
        raise ValueError(f"input must have at least 2 dimensions (*, H, W), got a {input.dim()}-D tensor "
                         f"of shape {tuple(input.shape)}")
    s = _positive(stride, "stride")
    h, w = input.shape[-2:]
    if h % s[0] or w % s[1]:
        raise ValueError(f"input has spatial size (H, W)=({h}, {w}) (shape {tuple(input.shape)}), which is not "
                         f"divisible by stride={s if s[0] != s[1] else s[0]} in every dimension; crop it first")
    return s, (h, w)
