"""Sub-pixel convolution: pixel shuffle, and why a transposed convolution is one.

Pixel shuffle (Shi et al. 2016, "Real-Time Single Image and Video
Super-Resolution Using an Efficient Sub-Pixel Convolutional Neural Network")
trades channels for resolution: the ``r²`` channels ``c·r² + i·r + j`` of a
low-resolution pixel ``(h, w)`` become the ``r × r`` block of high-resolution
pixels ``(h·r + i, w·r + j)`` of channel ``c``.

A transposed convolution with stride ``s`` is such a layer in disguise
(Shi et al. 2016, "Is the deconvolution layer the same as a convolutional
layer?"). Along one axis it writes input pixel ``i`` through tap ``t`` to
output pixel ``o = i·s + t − p``. Sort the output pixels by their *phase*
``φ = (o + p) mod s``: a pixel of phase ``φ`` only ever receives the taps
``t ≡ φ (mod s)``, that is ``t = φ + s·m``, from the input pixels
``i = (o + p − φ)/s − m``. So each phase is an ordinary stride-1 convolution
of the low-resolution input with the sub-kernel ``w[φ::s]`` (flipped), and the
``s²`` phases, computed together as ``s²`` times as many output channels and
interleaved by pixel shuffle, are the transposed convolution, up to a crop.
:func:`transposed_to_subpixel` builds that convolution; :func:`icnr_` picks
the initialization under which a sub-pixel layer starts out as convolution
followed by nearest-neighbour upsampling.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F

from ._checks import _choice, _groups, _nonnegative, _positive, _positive_int, _show, _tensor
from .shapes import conv_transpose_output_size

__all__ = ["pixel_shuffle", "pixel_unshuffle", "depth_to_space", "space_to_depth", "transposed_to_subpixel",
           "subpixel_to_transposed", "icnr_",
           "SubpixelWeights", "TransposedWeights"]


# --------------------------------------------------------------------------- pixel shuffle

def pixel_shuffle(input: torch.Tensor, upscale_factor: int) -> torch.Tensor:
    """Rearrange ``r²`` channels into an ``r × r`` block of pixels: (*, C·r², H, W) → (*, C, H·r, W·r).

    ``out[..., c, h·r + i, w·r + j] = input[..., c·r² + i·r + j, h, w]``: the
    channels of one low-resolution pixel fill the ``r × r`` high-resolution
    pixels that cover the same area, row by row (``i`` down, ``j`` across).
    No number is changed, only moved.

    Args:
        input: tensor of shape (*, C·r², H, W) with any number (≥ 0) of leading
            batch dimensions; any dtype.
        upscale_factor: the factor ``r`` (a positive int).

    Returns:
        A new tensor of shape (*, C, H·r, W·r), on the input's device and dtype.

    Raises:
        TypeError: ``input`` is not a tensor or ``upscale_factor`` not an int.
        ValueError: ``upscale_factor < 1``, fewer than 3 dimensions, or channels not
            divisible by ``upscale_factor**2``.

    Matches: ``torch.nn.functional.pixel_shuffle(input, upscale_factor)``.

    Example:
        >>> x = torch.arange(8.0).reshape(1, 8, 1, 1)     # one pixel, 8 channels
        >>> pixel_shuffle(x, 2)[0]                        # channels 0-3 and 4-7 become 2×2 blocks
        tensor([[[0., 1.],
                 [2., 3.]],
        <BLANKLINE>
                [[4., 5.],
                 [6., 7.]]])
        >>> torch.equal(pixel_shuffle(x, 2), F.pixel_shuffle(x, 2))
        True
    """
    r = _positive_int(upscale_factor, "upscale_factor")
    _at_least_3d(input, "pixel_shuffle")
    if input.shape[-3] % (r * r):
        raise ValueError(f"input has {input.shape[-3]} channels (dimension -3 of shape {tuple(input.shape)}), "
                         f"which is not divisible by upscale_factor**2={r * r}")
    out = _shuffle(input, r, r)
    return out.clone() if r == 1 else out  # reshape of a permute copies unless r == 1; never alias the input


def pixel_unshuffle(input: torch.Tensor, downscale_factor: int) -> torch.Tensor:
    """Fold each ``r × r`` block of pixels into ``r²`` channels: (*, C, H·r, W·r) → (*, C·r², H, W).

    The inverse of :func:`pixel_shuffle`:
    ``out[..., c·r² + i·r + j, h, w] = input[..., c, h·r + i, w·r + j]``.

    Args:
        input: tensor of shape (*, C, H·r, W·r) with any number (≥ 0) of
            leading batch dimensions; any dtype.
        downscale_factor: the factor ``r`` (a positive int); it must divide
            both the height and the width.

    Returns:
        A new tensor of shape (*, C·r², H, W), on the input's device and dtype.

    Raises:
        TypeError: ``input`` is not a tensor or ``downscale_factor`` not an int.
        ValueError: ``downscale_factor < 1``, fewer than 3 dimensions, or a height or
            width not divisible by ``downscale_factor``.

    Matches: ``torch.nn.functional.pixel_unshuffle(input, downscale_factor)``. For an
    input with no elements this returns the documented shape, as PyTorch does on
    CUDA and the meta device; PyTorch's CPU kernel returns such an input in its own
    shape (pytorch/pytorch#192816).

    Example:
        >>> x = torch.arange(16.0).reshape(1, 1, 4, 4)
        >>> pixel_unshuffle(x, 2)[0, :, 0, 0]          # the top-left 2×2 block, row by row
        tensor([0., 1., 4., 5.])
        >>> torch.equal(pixel_unshuffle(x, 2), F.pixel_unshuffle(x, 2))
        True
    """
    r = _positive_int(downscale_factor, "downscale_factor")
    _at_least_3d(input, "pixel_unshuffle")
    h, w = input.shape[-2:]
    if h % r or w % r:
        raise ValueError(f"input has spatial size (H, W)=({h}, {w}) (shape {tuple(input.shape)}), "
                         f"which is not divisible by downscale_factor={r} in every dimension")
    *batch, c, h, w = input.shape
    b = len(batch)
    x = input.unflatten(-1, (w // r, r)).unflatten(-3, (h // r, r))    # (*, C, H, i, W, j)
    out = x.permute(*range(b), b, b + 2, b + 4, b + 1, b + 3)         # (*, C, i, j, H, W)
    out = out.reshape(*batch, c * r * r, h // r, w // r)
    return out.clone() if r == 1 else out


def depth_to_space(input: torch.Tensor, block_size: int, mode: str = "DCR") -> torch.Tensor:
    """TensorFlow's and ONNX's ``DepthToSpace`` on NCHW: (N, C·b², H, W) → (N, C, H·b, W·b).

    The two orders differ in which channels form a block:

    * ``"DCR"`` (depth-column-row; TensorFlow's ``tf.nn.depth_to_space`` and
      ONNX's default): ``out[n, c, h·b + i, w·b + j] = input[n, (i·b + j)·C + c, h, w]``:
      the block position is the *slow* part of the channel index, so the first
      ``C`` channels fill the top-left pixel of every block.
    * ``"CRD"`` (column-row-depth; PyTorch's ``pixel_shuffle``):
      ``out[n, c, h·b + i, w·b + j] = input[n, c·b² + i·b + j, h, w]``.

    A network exported from TensorFlow with DCR cannot use ``F.pixel_shuffle``
    unchanged: its channels must first be permuted (or the preceding
    convolution's output channels reordered).

    Args:
        input: (N, C·b², H, W) tensor, any dtype.
        block_size: ``b``, a positive int.
        mode: ``"DCR"`` or ``"CRD"``.

    Returns:
        (N, C, H·b, W·b), a new tensor on the input's device.

    Raises:
        ValueError, TypeError: for a bad argument, naming it.

    Reproduces ONNX ``DepthToSpace(blocksize=b, mode=mode)`` and, for ``"DCR"``,
    ``tf.nn.depth_to_space(x_nhwc, b)`` (permuted to NCHW); ``"CRD"`` is
    ``F.pixel_shuffle(input, b)``.

    Example:
        >>> x = torch.arange(4.0).reshape(1, 4, 1, 1)  # C = 1, b = 2: same for both modes
        >>> depth_to_space(x, 2)[0, 0].tolist()
        [[0.0, 1.0], [2.0, 3.0]]
        >>> x = torch.arange(8.0).reshape(1, 8, 1, 1)  # C = 2
        >>> depth_to_space(x, 2, "DCR")[0, 0].tolist(), depth_to_space(x, 2, "CRD")[0, 0].tolist()
        ([[0.0, 2.0], [4.0, 6.0]], [[0.0, 1.0], [2.0, 3.0]])
    """
    b = _positive_int(block_size, "block_size")
    _choice(mode, "mode", ("DCR", "CRD"))
    _tensor(input, "input", ndim=4, floating=False)
    n, c, h, w = input.shape
    if c % (b * b):
        raise ValueError(f"input has {c} channels (shape {tuple(input.shape)}), which is not divisible by "
                         f"block_size**2={b * b}")
    if mode == "CRD":
        return _shuffle(input, b, b).clone() if b == 1 else _shuffle(input, b, b)
    x = input.reshape(n, b, b, c // (b * b), h, w)  # (N, i, j, C, H, W)
    return x.permute(0, 3, 4, 1, 5, 2).reshape(n, c // (b * b), h * b, w * b)  # (N, C, H, i, W, j)


def space_to_depth(input: torch.Tensor, block_size: int) -> torch.Tensor:
    """TensorFlow's and ONNX's ``SpaceToDepth`` on NCHW: (N, C, H·b, W·b) → (N, C·b², H, W), DCR order.

    ``out[n, (i·b + j)·C + c, h, w] = input[n, c, h·b + i, w·b + j]``: the
    inverse of ``depth_to_space(·, b, "DCR")``. (PyTorch's
    ``pixel_unshuffle`` uses the CRD order ``c·b² + i·b + j`` instead.)

    Args:
        input: (N, C, H·b, W·b) tensor, any dtype.
        block_size: ``b``, a positive int dividing the height and the width.

    Returns:
        (N, C·b², H, W), a new tensor on the input's device.

    Raises:
        ValueError, TypeError: for a bad argument, naming it.

    Reproduces ONNX ``SpaceToDepth(blocksize=b)`` and ``tf.nn.space_to_depth(x_nhwc, b)``.

    Example:
        >>> x = torch.arange(8.0).reshape(1, 2, 2, 2)
        >>> space_to_depth(x, 2)[0, :, 0, 0].tolist()  # (i, j) slow, channel fast
        [0.0, 4.0, 1.0, 5.0, 2.0, 6.0, 3.0, 7.0]
    """
    b = _positive_int(block_size, "block_size")
    _tensor(input, "input", ndim=4, floating=False)
    n, c, h, w = input.shape
    if h % b or w % b:
        raise ValueError(f"input has spatial size (H, W)=({h}, {w}) (shape {tuple(input.shape)}), which is not "
                         f"divisible by block_size={b} in every dimension")
    x = input.reshape(n, c, h // b, b, w // b, b)  # (N, C, H, i, W, j)
    return x.permute(0, 3, 5, 1, 2, 4).reshape(n, c * b * b, h // b, w // b)  # (N, i, j, C, H, W)


def _shuffle(x: torch.Tensor, *factors: int) -> torch.Tensor:
    """Pixel shuffle with one factor per spatial dimension, in any number of them; no checks.

    With factors ``(sh, sw)``: (*, C·sh·sw, H, W) → (*, C, H·sh, W·sw) and
    ``out[..., c, h·sh + i, w·sw + j] = x[..., c·sh·sw + i·sw + j, h, w]``;
    one factor (1-D) or three (3-D) are the same with one or three phase indices.
    """
    n = len(factors)
    *batch, c = x.shape[:-n]
    spatial = x.shape[-n:]
    b = len(batch)
    x = x.unflatten(b, (c // math.prod(factors), *factors))                # (*, C, i, j, H, W)
    phases_and_sizes = [a for i in range(n) for a in (b + 1 + n + i, b + 1 + i)]
    out = x.permute(*range(b), b, *phases_and_sizes)                          # (*, C, H, i, W, j)
    return out.reshape(*batch, c // math.prod(factors), *(m * f for m, f in zip(spatial, factors)))


def _at_least_3d(input, op: str) -> None:
    _tensor(input, "input", floating=False)
    if input.dim() < 3:
        raise ValueError(f"input must have at least 3 dimensions (*, C, H, W) for {op}, "
                         f"got a {input.dim()}-D tensor of shape {tuple(input.shape)}")


# --------------------------------------------------------------------------- transposed → sub-pixel

class SubpixelWeights(NamedTuple):
    """The sub-pixel form of a transposed convolution (see :func:`transposed_to_subpixel`).

    ``weight``: the low-resolution convolution weight, (C_out·sH·sW, C_in/groups, Mh, Mw);
    ``padding``: ``((top, bottom), (left, right))`` low-resolution padding, each may be
    negative (a negative padding removes rows or columns, as in ``F.pad``);
    ``crop``: ``(top, left)`` offset of the transposed convolution's output inside the
    shuffled high-resolution result.
    """

    weight: torch.Tensor
    padding: tuple[tuple[int, int], tuple[int, int]]
    crop: tuple[int, int]


def transposed_to_subpixel(weight: torch.Tensor, stride: int | Sequence[int], padding: int | Sequence[int] = 0,
                           output_padding: int | Sequence[int] = 0, groups: int | Sequence[int] = 1) -> SubpixelWeights:
    """Rewrite a transposed convolution (dilation 1) as convolution, then pixel shuffle, then a crop.

    Along one axis (stride ``s``, kernel ``k``, padding ``p``, output padding
    ``op``), write ``o + p = s·q + φ`` with phase ``0 ≤ φ < s``. The taps that
    reach output pixel ``o`` are ``t = φ + s·m`` from input pixel ``i = q − m``,
    so with ``M = ceil(k/s)`` taps per phase (the kernel zero-padded to ``M·s``)
    and ``j = M − 1 − m``::

        out[o] = Σ_j x[q − (M − 1) + j] · g_φ[j],      g_φ[j] = w[φ + s·(M − 1 − j)]

    a stride-1 cross-correlation of ``x`` with the flipped sub-kernel ``g_φ``.
    Computing all phases as channels ``c·sH·sW + φh·sW + φw``, starting at
    low-resolution row ``q0 = p // s``, needs the low-resolution padding::

        left = M − 1 − p // s,      right = (k − 1 + op − p) // s      (floor division)

    and after the (sH × sW) pixel shuffle, output pixel ``o`` sits at
    ``o + p mod s``: ``crop = p mod s``. Neither depends on the input size; the
    result is ``shuffled[..., top : top + H_out, left : left + W_out]`` with
    ``H_out = (H − 1)·sH − 2·pH + kH + opH`` (and likewise for W).

    Args:
        weight: transposed-convolution weight, (C_in, C_out/groups, kH, kW).
        stride: ``s`` or ``(sH, sW)``, the upscale factor of each axis.
        padding: ``p`` or ``(pH, pW)``, non-negative.
        output_padding: ``op`` or ``(opH, opW)``, each smaller than the stride.
        groups: the transposed convolution's groups; the low-resolution
            convolution uses the same groups (the phases of output channel ``c``
            are the contiguous channels ``c·sH·sW ... (c + 1)·sH·sW − 1``).

    Returns:
        :class:`SubpixelWeights` ``(weight, padding, crop)``: the low-resolution
        weight of shape (C_out·sH·sW, C_in/groups, ceil(kH/sH), ceil(kW/sW)),
        ``((top, bottom), (left, right))`` padding for ``F.pad`` (possibly
        negative), and the ``(top, left)`` crop. A bias ``b`` of the transposed
        convolution becomes ``b.repeat_interleave(sH·sW)``.

    Raises:
        TypeError: ``weight`` is not a floating-point tensor, or an argument not an int
            (or a sequence of ints; ``groups`` may be a one-element sequence).
        ValueError: ``weight`` is not 4-D, an argument is out of range,
            ``output_padding >= stride``, or ``groups`` does not divide ``C_in``.

    Matches: ``F.conv_transpose2d(x, weight, bias, stride, padding, output_padding, groups)``
    equals ``_shuffle(F.conv2d(F.pad(x, (left, right, top, bottom)), sub.weight, bias.repeat_interleave(sH·sW),
    groups=groups), sH, sW)`` cropped as above (``pixel_shuffle`` when ``sH == sW``).

    Example:
        >>> w = torch.randn(8, 4, 4, 4, dtype=torch.float64)          # C_in=8, C_out=4, k=4
        >>> sub = transposed_to_subpixel(w, stride=2, padding=1)
        >>> tuple(sub.weight.shape), sub.padding, sub.crop
        ((16, 8, 2, 2), ((1, 1), (1, 1)), (1, 1))
        >>> x = torch.randn(1, 8, 5, 5, dtype=torch.float64)
        >>> y = pixel_shuffle(F.conv2d(x, sub.weight, padding=1), 2)[..., 1:11, 1:11]
        >>> torch.allclose(y, F.conv_transpose2d(x, w, stride=2, padding=1))
        True
    """
    _tensor(weight, "weight", ndim=4)
    stride = _positive(stride, "stride")
    padding = _nonnegative(padding, "padding")
    output_padding = _nonnegative(output_padding, "output_padding")
    if any(op >= s for op, s in zip(output_padding, stride)):
        raise ValueError(f"output_padding={_show(output_padding)} must be smaller than stride={_show(stride)} "
                         "in every dimension (dilation is 1 in the sub-pixel form)")
    groups = _groups(groups, {f"the input channels weight.shape[0]": weight.shape[0]}, sequence=True)
    return _subpixel_weights(weight, stride, padding, output_padding, groups)


def _phase_geometry(k: int, s: int, p: int, op: int) -> tuple[int, tuple[int, int], int]:
    """Along one axis: taps per phase ``M``, low-resolution ``(left, right)`` padding, and crop."""
    m = -(-k // s)
    return m, (m - 1 - p // s, (k - 1 + op - p) // s), p % s


def _subpixel_weights(weight, stride, padding, output_padding, groups) -> SubpixelWeights:
    """:func:`transposed_to_subpixel` without the checks, in 1, 2 or 3 spatial dimensions.

    ``weight`` is (C_in, C_out/groups, *kernel_size); stride, padding and
    output_padding are tuples of ints, one per spatial dimension.
    """
    c_in, c_out_g, *kernel = weight.shape
    n = len(kernel)
    geometry = [_phase_geometry(k, s, p, op) for k, s, p, op in zip(kernel, stride, padding, output_padding)]
    taps = [m for m, _, _ in geometry]
    extra = [m * s - k for m, s, k in zip(taps, stride, kernel)]
    if any(extra):
        weight = F.pad(weight, [a for e in reversed(extra) for a in (0, e)])  # taps past k are zero
    # tap t = m·s + φ: split each kernel axis into (m, φ), flip m (j = M − 1 − m),
    # and move the phases next to the output channel: (g, C_out/g, φh, φw, C_in/g, j_h, j_w) in 2-D.
    split = [a for m, s in zip(taps, stride) for a in (m, s)]
    w = weight.reshape(groups, c_in // groups, c_out_g, *split).flip(*[3 + 2 * i for i in range(n)])
    w = w.permute(0, 2, *[4 + 2 * i for i in range(n)], 1, *[3 + 2 * i for i in range(n)])
    w = w.reshape(groups * c_out_g * math.prod(stride), c_in // groups, *taps)
    return SubpixelWeights(w, tuple(pad for _, pad, _ in geometry), tuple(crop for _, _, crop in geometry))


def _conv_transpose_subpixel(input, weight, bias, stride, padding, output_padding, groups):
    """``F.conv_transpose{1,2,3}d`` (dilation 1) as low-resolution convolution, pixel shuffle, crop.

    Arguments are already checked by ``conv_transpose{1,2,3}d``: stride, padding and
    output_padding are tuples of ints, one per spatial dimension; ``input`` is
    (C_in, *spatial) or (N, C_in, *spatial).
    """
    n = weight.dim() - 2
    batched = input.dim() == n + 2
    x = input if batched else input.unsqueeze(0)
    sub = _subpixel_weights(weight, stride, padding, output_padding, groups)
    b = None if bias is None else bias.repeat_interleave(math.prod(stride))
    low = _conv_padded(x, sub.weight, b, sub.padding, groups)
    high = _shuffle(low, *stride)
    out_size = conv_transpose_output_size(tuple(x.shape[2:]), tuple(weight.shape[2:]), stride, padding, 1,
                                          output_padding)
    crop = tuple(slice(c, c + m) for c, m in zip(sub.crop, out_size))
    out = high[(..., *crop)].contiguous()  # like PyTorch's; a copy only if cropped
    return out if batched else out.squeeze(0)


_conv_transpose2d_subpixel = _conv_transpose_subpixel  # the name under which the 2-D tests know it

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


def _conv_padded(x, weight, bias, padding, groups):
    """``F.conv{1,2,3}d`` after ``((before, after), ...)`` padding per dimension, maybe asymmetric or negative.

    The symmetric, non-negative part goes to the convolution (no copy of the input);
    only the remainder goes through ``F.pad``.
    """
    both = [max(0, min(lo, hi)) for lo, hi in padding]
    rest = [r for (lo, hi), p in zip(reversed(padding), reversed(both)) for r in (lo - p, hi - p)]
    if any(rest):
        x = F.pad(x, rest)
    return _CONV[len(padding)](x, weight, bias, padding=tuple(both), groups=groups)



# --------------------------------------------------------------------------- sub-pixel → transposed

class TransposedWeights(NamedTuple):
    """The transposed-convolution form of a sub-pixel layer (see :func:`subpixel_to_transposed`)."""

    weight: torch.Tensor
    stride: tuple[int, int]
    padding: tuple[int, int]
    output_padding: tuple[int, int]


def subpixel_to_transposed(weight: torch.Tensor, upscale_factor: int, padding: int | Sequence[int] = 0,
                           groups: int | Sequence[int] = 1) -> TransposedWeights:
    """Rewrite a sub-pixel layer (stride-1 convolution, then ``pixel_shuffle(r)``) as one transposed convolution.

    Running the derivation of :func:`transposed_to_subpixel` backwards: a
    low-resolution kernel of size ``K`` with ``r²`` phases is a transposed
    kernel of size ``k = K·r`` with ``w[φ + r·(K − 1 − j)] = g_φ[j]``. With
    stride ``r``, padding ``p = r·(K − 1 − P)`` and output_padding 0, the
    sub-pixel form of that transposed convolution has low-resolution padding
    ``(P, P)`` and crop 0, so the two layers are *exactly* equal, with no crop:
    both give ``r·(H + 2P − K + 1)`` rows. For the common "same" 3×3 layer
    (``P = 1``) and ``r = 2`` this is a 6×6 kernel, stride 2, padding 2.

    A padding ``P > K − 1`` would need a negative transposed padding (its
    extra border rows see only zeros), so it is rejected.

    Args:
        weight: the sub-pixel convolution's weight, (C_out·r², C_in/groups, K_h, K_w).
        upscale_factor: ``r``, the pixel-shuffle factor.
        padding: ``P`` or ``(P_h, P_w)``, the convolution's (symmetric) zero
            padding, at most ``K − 1`` in each dimension.
        groups: the convolution's groups (C_out must be divisible by it).

    Returns:
        :class:`TransposedWeights` ``(weight, stride, padding, output_padding)``:
        the weight of shape (C_in, C_out/groups, K_h·r, K_w·r), ``(r, r)``,
        ``(r·(K_h − 1 − P_h), r·(K_w − 1 − P_w))`` and ``(0, 0)``. A bias
        carries over only if it is the same on the ``r²`` phases of each
        channel: then it is ``bias[::r²]``.

    Raises:
        TypeError: ``weight`` is not a floating-point tensor, or an argument not an int
            (or a sequence of ints; ``groups`` may be a one-element sequence).
        ValueError: ``weight`` is not 4-D, an argument is out of range, the output channels
            are not divisible by ``groups * upscale_factor**2``, or ``padding > K - 1``.

    Matches: ``pixel_shuffle(F.conv2d(x, weight, padding=padding, groups=groups), r)``
    equals ``F.conv_transpose2d(x, t.weight, None, t.stride, t.padding, t.output_padding, groups)``.

    Example:
        >>> v = torch.randn(4 * 4, 3, 3, 3, dtype=torch.float64)      # 3×3 "same" layer, C_out=4, r=2
        >>> t = subpixel_to_transposed(v, 2, padding=1)
        >>> tuple(t.weight.shape), t.stride, t.padding, t.output_padding
        ((3, 4, 6, 6), (2, 2), (2, 2), (0, 0))
        >>> x = torch.randn(1, 3, 5, 7, dtype=torch.float64)
        >>> torch.allclose(pixel_shuffle(F.conv2d(x, v, padding=1), 2), F.conv_transpose2d(x, t.weight, stride=t.stride, padding=t.padding))
        True
    """
    _tensor(weight, "weight", ndim=4)
    r = _positive_int(upscale_factor, "upscale_factor")
    padding = _nonnegative(padding, "padding")
    groups = _groups(groups, {"the output channels weight.shape[0]": weight.shape[0]}, sequence=True)
    c, c_in_g, kh, kw = weight.shape
    if c % (groups * r * r):
        raise ValueError(f"weight has {c} output channels (dimension 0 of shape {tuple(weight.shape)}), which is not "
                         f"divisible by groups * upscale_factor**2 = {groups} * {r * r}")
    if padding[0] > kh - 1 or padding[1] > kw - 1:
        raise ValueError(f"padding={_show(padding)} must be at most kernel_size - 1 = {(kh - 1, kw - 1)} in every "
                         "dimension: a wider border would need a negative transposed-convolution padding")
    c_out_g = c // (groups * r * r)
    w = weight.reshape(groups, c_out_g, r, r, c_in_g, kh, kw).flip(5, 6)   # (g, C_out/g, φh, φw, C_in/g, j_h, j_w)
    w = w.permute(0, 4, 1, 5, 2, 6, 3).reshape(groups * c_in_g, c_out_g, kh * r, kw * r)  # t = (K − 1 − j)·r + φ
    return TransposedWeights(w, (r, r), (r * (kh - 1 - padding[0]), r * (kw - 1 - padding[1])), (0, 0))


# --------------------------------------------------------------------------- ICNR

def icnr_(weight: torch.Tensor, upscale_factor: int,
          init: Callable[[torch.Tensor], torch.Tensor | None] = torch.nn.init.kaiming_normal_) -> torch.Tensor:
    """Fill a sub-pixel weight in place with ICNR, so that the layer starts as convolution + nearest upsampling.

    ICNR (Aitken et al. 2017, "Checkerboard artifact free sub-pixel
    convolution") initializes a sub-kernel of shape (C_out/r², C_in, kH, kW)
    with ``init`` and repeats each of its output channels ``r²`` times. The
    ``r²`` phases of every high-resolution channel then share one kernel, so
    every ``r × r`` block of the shuffled output is constant:
    ``pixel_shuffle(conv2d(x, weight), r) == nearest_upsample(conv2d(x, sub), r)``,
    and the layer has no checkerboard pattern at initialization.

    Args:
        weight: a floating-point convolution weight, (C_out, C_in/groups, kH, kW), with C_out
            divisible by ``r²``; overwritten.
        upscale_factor: ``r``, the pixel-shuffle factor that follows the convolution.
        init: an initializer for the sub-kernel: either in place (it fills the
            tensor it is given, like ``torch.nn.init.kaiming_normal_``, the
            default, whose fan-in is the same for the sub-kernel and the full
            kernel), or out of place (it returns a new tensor of the sub-kernel's
            shape, which is then used).

    Returns:
        ``weight`` itself.

    Raises:
        TypeError: ``weight`` is not a 4-D floating-point tensor, ``upscale_factor`` is not an
            int, ``init`` is not callable, or ``init`` returns something other than a tensor or None.
        ValueError: ``upscale_factor < 1``; C_out is not divisible by ``r²``; ``init`` returns a
            tensor of another shape, or leaves the sub-kernel unfilled (NaN: it was given
            a NaN-filled tensor, so an initializer that neither fills it nor returns a result is caught).

    Matches: ``F.pixel_shuffle(F.conv2d(x, weight), r)`` equals
    ``F.interpolate(F.conv2d(x, weight[::r*r]), scale_factor=r, mode="nearest")``
    (bit for bit where the convolution's sums are exact; otherwise to rounding,
    since a convolution backend may order the sums of different channels differently).

    Example:
        >>> w = icnr_(torch.empty(2 * 4, 3, 3, 3), 2)
        >>> x = torch.randn(1, 3, 6, 6)
        >>> y = pixel_shuffle(F.conv2d(x, w), 2)
        >>> torch.equal(y[..., 0::2, 0::2], y[..., 1::2, 1::2])         # every 2×2 block is constant
        True
        >>> torch.allclose(y, F.interpolate(F.conv2d(x, w[::4]), scale_factor=2, mode="nearest"), atol=1e-6)
        True
        >>> w = icnr_(torch.empty(4, 1, 1, 1), 2, init=lambda t: torch.ones_like(t))  # out of place
        >>> w.flatten().tolist()
        [1.0, 1.0, 1.0, 1.0]
    """
    _tensor(weight, "weight", ndim=4)
    r = _positive_int(upscale_factor, "upscale_factor")
    if not callable(init):
        raise TypeError(f"init={init!r} must be a callable that fills a tensor in place or returns a new one")
    if weight.shape[0] % (r * r):
        raise ValueError(f"weight has {weight.shape[0]} output channels (dimension 0 of shape {tuple(weight.shape)}), "
                         f"which is not divisible by upscale_factor**2={r * r}")
    with torch.no_grad():
        sub = weight.new_full((weight.shape[0] // (r * r), *weight.shape[1:]), float("nan"))
        result = init(sub)
        if result is not None and not isinstance(result, torch.Tensor):
            raise TypeError(f"init returned a {type(result).__name__}; it must fill its argument in place "
                            "(and return it or None) or return a new tensor")
        if result is not None:
            if result.shape != sub.shape:
                raise ValueError(f"init returned a tensor of shape {tuple(result.shape)}; the sub-kernel it was given "
                                 f"has shape {tuple(sub.shape)}")
            sub = result
        if bool(sub.isnan().any()):
            raise ValueError("init left the sub-kernel unfilled (it still holds the NaN it was given): it must fill "
                             "its argument in place or return a new tensor")
        weight.copy_(sub.repeat_interleave(r * r, dim=0))
    return weight
