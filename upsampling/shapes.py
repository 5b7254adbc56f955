"""Output sizes of convolution, pooling and transposed convolution, with PyTorch's rules.

Every function works on one spatial dimension at a time, because each of these
operators treats its dimensions independently. Give plain ints for one
dimension and get an int back; give a tuple with one entry per dimension for
any argument (ints are repeated for the other arguments) and get a tuple back,
computed elementwise::

    >>> conv_output_size(7, 5, padding=1)
    5
    >>> conv_output_size((7, 9), 5, padding=1)
    (5, 7)

The geometry behind the formulas: a kernel of ``k`` taps with dilation ``d``
spans ``d*(k-1)+1`` input samples; a convolution slides that span over the
input padded by ``p`` zeros at each end, in steps of ``s``. A transposed
convolution runs the same picture backwards: it maps ``n`` samples to the size
that a convolution with the same arguments would map back to ``n``; because
the convolution's floor division forgets up to ``s-1`` samples, ``output_padding``
says how many of them to put back.

Every argument is validated; a combination that PyTorch refuses (an empty
output, too much padding for pooling, too large an ``output_padding``) raises a
``ValueError`` that names the parameter and shows the values. The tests check
these functions against the shapes PyTorch actually produces, and check that
they raise exactly where PyTorch raises, over a grid of all small arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ._checks import _nonnegative, _positive, _show

IntOrTuple = int | Sequence[int]  # one value per spatial dimension, or one int for all of them

__all__ = [
    "TorchPadding",
    "TorchTransposedPadding",
    "TransposedConvConfig",
    "keras_conv_transpose_output_size",
    "onnx_conv_transpose_padding",
    "tf_conv_transpose_padding",
    "tf_padding",
    "conv_output_size",
    "conv_transpose_output_size",
    "output_padding_for",
    "pool_output_size",
    "transposed_conv_configs",
]


class TransposedConvConfig(NamedTuple):
    """One set of transposed-convolution arguments for one dimension."""

    kernel_size: int
    stride: int
    padding: int
    dilation: int
    output_padding: int


# ---------------------------------------------------------------------------
# Argument handling: ints for one dimension, tuples for several.


def _ndim(**arguments) -> int | None:
    """The number of dimensions set by the tuple arguments; ``None`` when all are ints."""
    n, first = None, None
    for name, value in arguments.items():
        if isinstance(value, Sequence) and not isinstance(value, str):
            if len(value) == 0:
                raise ValueError(f"{name}=() must have one entry per spatial dimension, got none")
            if n is None:
                n, first = len(value), name
            elif len(value) != n:
                raise ValueError(
                    f"{name}={tuple(value)} has {len(value)} entries but {first}={tuple(arguments[first])} has {n}: "
                    "give every tuple argument one entry per spatial dimension"
                )
    return n


def _result(values: tuple, n: int | None):
    """An int for one dimension given as ints, the tuple otherwise."""
    return values[0] if n is None else tuple(values)


def _where(bad: list[bool]) -> str:
    """`` in dimension 1`` when several dimensions were given, nothing for one."""
    if len(bad) == 1:
        return ""
    dims = [str(i) for i, b in enumerate(bad) if b]
    return f" in dimension{'s' if len(dims) > 1 else ''} {', '.join(dims)}"


def _span(kernel_size: int, dilation: int) -> int:
    """How many input samples a dilated kernel covers: ``d*(k-1)+1``."""
    return dilation * (kernel_size - 1) + 1


# ---------------------------------------------------------------------------
# Public functions.


def conv_output_size(size: IntOrTuple, kernel_size: IntOrTuple, stride: IntOrTuple = 1, padding: IntOrTuple = 0,
                     dilation: IntOrTuple = 1) -> int | tuple[int, ...]:
    """Output size of a convolution along each dimension.

    Args:
        size: input size ``n`` (int, or one int per spatial dimension).
        kernel_size, stride, dilation: positive ints ``k``, ``s``, ``d`` (or tuples).
        padding: zeros added at each end, ``p >= 0`` (int or tuple).

    Returns:
        ``floor((n + 2p - d(k-1) - 1) / s) + 1``: an int, or a tuple when any
        argument was a tuple. The last ``(n + 2p - d(k-1) - 1) mod s`` padded
        samples are never reached by a window and are dropped.

    Raises:
        ValueError: when the kernel's span ``d(k-1)+1`` is larger than the
            padded input ``n + 2p`` (the output would be empty; PyTorch refuses
            it: "Kernel size can't be greater than actual input size").

    Matches: the last dimensions of ``F.conv1d``/``F.conv2d``/``F.conv3d`` (and
    ``nn.Conv*d``) with ``padding_mode="zeros"`` and integer padding.

    Example:
        >>> import torch, torch.nn.functional as F
        >>> conv_output_size((7, 9), 5, padding=1)
        (5, 7)
        >>> F.conv2d(torch.zeros(1, 3, 7, 9), torch.zeros(5, 3, 5, 5), padding=1).shape
        torch.Size([1, 5, 5, 7])
        >>> conv_output_size(8, 3, stride=2, padding=1)  # the usual "halve the size" layer
        4
    """
    n = _ndim(size=size, kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation)
    size, k, s, p, d = _conv_arguments(n, size, kernel_size, stride, padding, dilation)
    span = tuple(map(_span, k, d))
    padded = tuple(ni + 2 * pi for ni, pi in zip(size, p))
    bad = [a > b for a, b in zip(span, padded)]
    if any(bad):
        raise ValueError(
            f"kernel_size={_show(k)} with dilation={_show(d)} spans dilation*(kernel_size-1)+1={_show(span)} "
            f"input samples, more than the padded input size+2*padding={_show(padded)}{_where(bad)}: "
            "the output would be empty, which PyTorch refuses"
        )
    return _result(tuple((b - a) // si + 1 for a, b, si in zip(span, padded, s)), n)


def pool_output_size(size: IntOrTuple, kernel_size: IntOrTuple, stride: IntOrTuple | None = None,
                     padding: IntOrTuple = 0, dilation: IntOrTuple = 1,
                     ceil_mode: bool = False) -> int | tuple[int, ...]:
    """Output size of max or average pooling along each dimension.

    Args:
        size: input size ``n`` (int, or one int per spatial dimension).
        kernel_size, dilation: positive ints ``k``, ``d`` (or tuples).
        stride: positive int ``s`` (or tuple); ``None`` means ``kernel_size``,
            as in PyTorch.
        padding: ``p`` with ``0 <= p <= k // 2`` (PyTorch's pooling rule: the
            implicit padding is at most half the kernel, whatever the dilation).
        ceil_mode: round the division up instead of down (a bool).

    Returns:
        ``floor((n + 2p - d(k-1) - 1) / s) + 1``; with ``ceil_mode`` the division
        is rounded up, but a last window that would start in the right-hand
        padding (at ``(out-1)*s >= n + p``) is dropped, so every window overlaps
        the input or the left padding.

    Raises:
        ValueError: for ``padding > kernel_size // 2``, or when no window fits
            (the output would be empty), both of which PyTorch refuses.

    Matches: ``F.max_pool1d``/``F.max_pool2d``/``F.max_pool3d`` (also with
    ``return_indices=True``). Average pooling (``F.avg_pool1d``/``F.avg_pool2d``)
    follows the same formula and the same rules with ``dilation=1``; it has no
    dilation argument. ``F.avg_pool3d`` alone adds one rule that is not
    applied here: it also refuses an unpadded input smaller than the kernel
    (``size < kernel_size`` in some dimension) even when the padded one is large enough.

    Example:
        >>> import torch, torch.nn.functional as F
        >>> pool_output_size(7, 2), pool_output_size(7, 2, ceil_mode=True)
        (3, 4)
        >>> F.max_pool1d(torch.zeros(1, 1, 7), 2, ceil_mode=True).shape[-1]
        4
        >>> pool_output_size((5, 6), 3, stride=2, padding=1, ceil_mode=True)
        (3, 4)
        >>> F.avg_pool2d(torch.zeros(1, 1, 5, 6), 3, stride=2, padding=1, ceil_mode=True).shape
        torch.Size([1, 1, 3, 4])
        >>> # ceil((5 + 2*1 - 2) / 2) + 1 = 4 windows, but the 4th would start at 3*2 = 6 = n + p (padded
        >>> # coordinates), in the right padding, so it is dropped:
        >>> pool_output_size(5, 2, stride=2, padding=1, ceil_mode=True)
        3
        >>> F.max_pool1d(torch.zeros(1, 1, 5), 2, stride=2, padding=1, ceil_mode=True).shape[-1]
        3
    """
    if not isinstance(ceil_mode, bool):
        raise TypeError(f"ceil_mode={ceil_mode!r} must be a bool")
    stride = kernel_size if stride is None else stride
    n = _ndim(size=size, kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation)
    size, k, s, p, d = _conv_arguments(n, size, kernel_size, stride, padding, dilation)
    half = tuple(ki // 2 for ki in k)
    bad = [pi > hi for pi, hi in zip(p, half)]
    if any(bad):
        raise ValueError(
            f"padding={_show(p)} must be at most half the kernel size, kernel_size//2={_show(half)}{_where(bad)}, "
            "as PyTorch's pooling requires"
        )
    out = tuple(map(_pool_size, size, k, s, p, d, (ceil_mode,) * len(size)))
    bad = [o < 1 for o in out]
    if any(bad):
        raise ValueError(
            f"size={_show(size)} is too small for the pooling window{_where(bad)}: kernel_size={_show(k)} "
            f"with dilation={_show(d)} spans dilation*(kernel_size-1)+1={_show(tuple(map(_span, k, d)))} samples, "
            f"more than the padded input size+2*padding={_show(tuple(a + 2 * b for a, b in zip(size, p)))}"
            f"{' plus stride-1 (ceil_mode)' if ceil_mode else ''}; the output would be empty, which PyTorch refuses"
        )
    return _result(out, n)


def _pool_size(n: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    """The pooling formula for one dimension (may be < 1: the caller rejects it)."""
    reach = n + 2 * p - _span(k, d)  # how far the first window's start can move
    out = (reach + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= n + p:  # the last window would start in the right padding
        out -= 1
    return out


def conv_transpose_output_size(size: IntOrTuple, kernel_size: IntOrTuple, stride: IntOrTuple = 1,
                               padding: IntOrTuple = 0, dilation: IntOrTuple = 1,
                               output_padding: IntOrTuple = 0) -> int | tuple[int, ...]:
    """Output size of a transposed convolution along each dimension.

    Args:
        size: input size ``n`` (int, or one int per spatial dimension).
        kernel_size, stride, dilation: positive ints ``k``, ``s``, ``d`` (or tuples).
        padding: ``p >= 0``, removed from each end of the full output.
        output_padding: ``0 <= op < max(s, d)``, added at the end only.

    Returns:
        ``(n-1)s - 2p + d(k-1) + op + 1``: each of the ``n`` inputs places the
        kernel's span ``d(k-1)+1`` at a step of ``s``; ``p`` is cropped from
        both ends and ``op`` samples are added at the end. With ``op = 0`` this
        is the smallest input size that ``conv_output_size`` maps back to ``n``.

    Raises:
        ValueError: for ``output_padding >= max(stride, dilation)``, or when the
            output size is not positive; PyTorch refuses both.

    Matches: the last dimensions of ``F.conv_transpose1d``/``2d``/``3d`` (and
    ``nn.ConvTranspose*d``, whose ``output_size=`` argument chooses ``op``; see
    :func:`output_padding_for`).

    Example:
        >>> import torch, torch.nn.functional as F
        >>> conv_transpose_output_size((5, 7), 5, padding=1)  # undoes Conv2d(3, 5, 5, padding=1) on 7x9
        (7, 9)
        >>> F.conv_transpose2d(torch.zeros(1, 5, 5, 7), torch.zeros(5, 3, 5, 5), padding=1).shape
        torch.Size([1, 3, 7, 9])
        >>> conv_transpose_output_size(4, 4, stride=2, padding=1)  # the usual "double the size" layer
        8
    """
    n = _ndim(size=size, kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation,
              output_padding=output_padding)
    size, k, s, p, d = _conv_arguments(n, size, kernel_size, stride, padding, dilation)
    op = _nonnegative(output_padding, "output_padding", len(size))
    _check_output_padding(op, s, d)
    base = tuple(map(_transposed_size, size, k, s, p, d))
    out = tuple(b + o for b, o in zip(base, op))
    bad = [o < 1 for o in out]
    if any(bad):
        raise ValueError(
            f"the output size (size-1)*stride - 2*padding + dilation*(kernel_size-1) + output_padding + 1 "
            f"= {_show(out)} is not positive{_where(bad)}: padding={_show(p)} crops more than the transposed "
            "convolution produces, which PyTorch refuses"
        )
    return _result(out, n)


def output_padding_for(target: IntOrTuple, size: IntOrTuple, kernel_size: IntOrTuple, stride: IntOrTuple = 1,
                       padding: IntOrTuple = 0, dilation: IntOrTuple = 1) -> int | tuple[int, ...]:
    """The ``output_padding`` that makes a transposed convolution produce ``target``.

    A convolution with stride ``s`` maps ``s`` neighbouring input sizes to the
    same output size; its transpose has to be told which one to produce, and
    ``output_padding`` is the choice. PyTorch accepts ``0 <= op < max(s, d)``;
    an ``op >= s`` (possible only when ``d > s``) gives a size that the
    convolution would not map back to ``n``, but it is reachable, so it counts.

    Args:
        target: the wanted output size (positive int, or one per dimension).
        size, kernel_size, stride, padding, dilation: as in
            :func:`conv_transpose_output_size`.

    Returns:
        ``op = target - ((n-1)s - 2p + d(k-1) + 1)``, an int (or a tuple).

    Raises:
        ValueError: when no ``0 <= op < max(stride, dilation)`` gives ``target``;
            the message states the sizes that can be reached.

    Matches: the ``output_padding`` accepted by ``F.conv_transpose1d``/``2d``/``3d``.
    ``nn.ConvTranspose1d/2d/3d(...)(x, output_size=...)`` computes the same value
    but only tries ``output_padding < stride``, so where ``dilation > stride``
    it refuses targets that this function (and the functional call) reaches.

    Example:
        >>> import torch, torch.nn.functional as F
        >>> conv_output_size(7, 3, stride=2, padding=1), conv_output_size(8, 3, stride=2, padding=1)
        (4, 4)
        >>> output_padding_for(7, 4, 3, stride=2, padding=1), output_padding_for(8, 4, 3, stride=2, padding=1)
        (0, 1)
        >>> F.conv_transpose1d(torch.zeros(1, 1, 4), torch.zeros(1, 1, 3), stride=2, padding=1, output_padding=1).shape
        torch.Size([1, 1, 8])
        >>> output_padding_for(10, 4, 3, stride=2, padding=1)
        Traceback (most recent call last):
        ...
        ValueError: target=10 is not reachable: with these arguments the output size can be 7 to 8 (output_padding 0 to 1)
    """
    n = _ndim(target=target, size=size, kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation)
    size, k, s, p, d = _conv_arguments(n, size, kernel_size, stride, padding, dilation)
    target = _positive(target, "target", len(size))
    ops = []
    for i, (t, b, limit) in enumerate(zip(target, map(_transposed_size, size, k, s, p, d), map(max, s, d))):
        where = _where([j == i for j in range(len(size))])
        low, high = max(b, 1), b + limit - 1  # reachable sizes: positive, with 0 <= op < limit
        if high < 1:
            raise ValueError(
                f"target={_show(target)} is not reachable{where}: with these arguments no output_padding gives a "
                f"positive output size (at most {high}, with output_padding {limit - 1}); reduce padding={_show(p)}"
            )
        if not low <= t <= high:
            raise ValueError(
                f"target={_show(target)} is not reachable{where}: with these arguments the output size can be "
                f"{_range(low, high)} (output_padding {_range(low - b, high - b)})"
            )
        ops.append(t - b)
    return _result(tuple(ops), n)


def transposed_conv_configs(in_size: IntOrTuple, out_size: IntOrTuple, max_kernel: IntOrTuple = 7,
                            max_stride: IntOrTuple = 4, max_dilation: IntOrTuple = 3) -> list | tuple[list, ...]:
    """Every transposed convolution (one dimension) that maps ``in_size`` to ``out_size``.

    Searches ``1 <= kernel_size <= max_kernel``, ``1 <= stride <= max_stride``,
    ``1 <= dilation <= max_dilation``, every ``output_padding`` PyTorch allows
    (``0 <= op < max(stride, dilation)``) and every ``padding >= 0`` (PyTorch
    allows any padding that leaves the output positive; the padding is solved
    from ``2p = (n-1)s + d(k-1) + op + 1 - out_size`` rather than searched, so
    nothing is missed). With ``kernel_size=1`` the dilation changes nothing but
    the bound on ``output_padding``; those configurations are listed too.

    Args:
        in_size, out_size: positive ints (or one per dimension).
        max_kernel, max_stride, max_dilation: positive ints (or one per dimension),
            the largest values searched.

    Returns:
        A list of :class:`TransposedConvConfig` ``(kernel_size, stride, padding,
        dilation, output_padding)`` sorted in that field order; possibly empty.
        With tuple arguments, a tuple holding one such list per dimension.

    Raises:
        TypeError: an argument is not an int (or a tuple of ints).
        ValueError: an argument is not positive, or tuple arguments differ in length.

    Matches: ``F.conv_transpose1d(x, w, stride=..., padding=..., output_padding=...,
    dilation=...)``, whose output has ``out_size`` samples for each listed entry.

    Example:
        >>> import torch, torch.nn.functional as F
        >>> for config in transposed_conv_configs(4, 8, max_kernel=4, max_stride=2, max_dilation=1):
        ...     print(config)
        TransposedConvConfig(kernel_size=1, stride=2, padding=0, dilation=1, output_padding=1)
        TransposedConvConfig(kernel_size=2, stride=2, padding=0, dilation=1, output_padding=0)
        TransposedConvConfig(kernel_size=3, stride=2, padding=1, dilation=1, output_padding=1)
        TransposedConvConfig(kernel_size=4, stride=2, padding=1, dilation=1, output_padding=0)
        >>> k, s, p, d, op = transposed_conv_configs(4, 8)[-1]
        >>> F.conv_transpose1d(torch.zeros(1, 1, 4), torch.zeros(1, 1, k), stride=s, padding=p,
        ...                    output_padding=op, dilation=d).shape
        torch.Size([1, 1, 8])
    """
    n = _ndim(in_size=in_size, out_size=out_size, max_kernel=max_kernel, max_stride=max_stride,
              max_dilation=max_dilation)
    dims = n or 1
    columns = [_positive(value, name, dims) for value, name in [
        (in_size, "in_size"), (out_size, "out_size"), (max_kernel, "max_kernel"), (max_stride, "max_stride"),
        (max_dilation, "max_dilation")]]
    return _result(tuple(_configs(*args) for args in zip(*columns)), n)


def _configs(in_size: int, out_size: int, max_kernel: int, max_stride: int, max_dilation: int):
    """The search of :func:`transposed_conv_configs` for one dimension (loops over arguments, not pixels)."""
    found = []
    for k in range(1, max_kernel + 1):
        for s in range(1, max_stride + 1):
            for d in range(1, max_dilation + 1):
                for op in range(max(s, d)):
                    twice_p = _transposed_size(in_size, k, s, 0, d) + op - out_size
                    if twice_p >= 0 and twice_p % 2 == 0:
                        found.append(TransposedConvConfig(k, s, twice_p // 2, d, op))
    return sorted(found)


# ---------------------------------------------------------------------------
# Private helpers.


def _conv_arguments(n, size, kernel_size, stride, padding, dilation):
    """Validate the arguments shared by every function; return them as tuples."""
    dims = n or 1
    return (
        _positive(size, "size", dims),
        _positive(kernel_size, "kernel_size", dims),
        _positive(stride, "stride", dims),
        _nonnegative(padding, "padding", dims),
        _positive(dilation, "dilation", dims),
    )


def _check_output_padding(op, stride, dilation) -> None:
    limit = tuple(map(max, stride, dilation))
    bad = [o >= m for o, m in zip(op, limit)]
    if any(bad):
        every = " in every dimension" if len(op) > 1 else ""
        raise ValueError(
            f"output_padding={_show(op)} must be smaller than max(stride, dilation)={_show(limit)}{every}"
        )


def _transposed_size(n: int, k: int, s: int, p: int, d: int) -> int:
    """``(n-1)s - 2p + d(k-1) + 1``: the transposed output size without output_padding (may be < 1)."""
    return (n - 1) * s - 2 * p + _span(k, d)


def _range(low: int, high: int) -> str:
    return f"{low} to {high}" if low < high else f"only {low}"


# ---------------------------------------------------------------------------
# Other frameworks' padding conventions, converted to PyTorch's arguments.


class TorchPadding(NamedTuple):
    """PyTorch arguments for a TensorFlow-padded convolution or pooling (one entry per spatial dimension).

    ``padding`` goes to the PyTorch call; ``pad``, when not None, is an extra
    ``F.pad(x, pad)`` to apply first (PyTorch's order: last dimension first,
    ``(left, right, top, bottom)`` in 2-D), needed when the total padding is odd
    and TensorFlow puts the extra sample at the end.
    """

    padding: tuple[int, ...]
    pad: tuple[int, ...] | None


class TorchTransposedPadding(NamedTuple):
    """PyTorch arguments for another framework's transposed convolution (one entry per spatial dimension).

    Call ``F.conv_transpose2d(x, w, stride=..., dilation=..., padding=padding,
    output_padding=output_padding)`` and then drop ``crop[i] = (start, end)``
    samples at the two ends of spatial dimension ``i`` (all zero when PyTorch's
    symmetric ``padding`` expresses it).
    """

    padding: tuple[int, ...]
    output_padding: tuple[int, ...]
    crop: tuple[tuple[int, int], ...]


def tf_padding(size, kernel_size, stride=1, dilation=1, padding="same"):
    """TensorFlow's and Keras' ``padding="same"``/``"valid"`` for convolution and pooling, in PyTorch's terms.

    ``"same"`` pads so that the output has ``ceil(size / stride)`` samples: the
    total padding is ``max((ceil(n / s) - 1) * s + d * (k - 1) + 1 - n, 0)``,
    with ``total // 2`` before and the rest *after*; PyTorch pads both ends
    equally, so an odd total needs an extra ``F.pad`` of one sample at the end.
    ``"valid"`` pads nothing.

    Args:
        size: input size per spatial dimension (an int for one dimension).
        kernel_size, stride, dilation: ints or one per dimension.
        padding: ``"same"`` or ``"valid"``.

    Returns:
        :class:`TorchPadding`: ``padding`` for the PyTorch call and ``pad`` for
        ``F.pad`` first (None when not needed). For max pooling pad with
        ``value=-inf``; for average pooling (TensorFlow averages only the real
        samples) pad the input and a tensor of ones with zeros, pool both with
        ``padding=0`` and divide.

    Raises:
        ValueError, TypeError: for a bad argument, naming it.

    Reproduces ``tf.nn.conv2d(x, w, strides, padding="SAME")``,
    ``keras.layers.Conv2D(..., padding="same")``, ``tf.nn.max_pool2d`` and
    ``tf.nn.avg_pool2d`` with ``F.conv2d(F.pad(x, pad), w, stride=stride,
    padding=padding, dilation=dilation)`` and the pooling recipes above.

    Example:
        >>> tf_padding((7, 8), 3, stride=2)  # totals 2 and 1: the odd one goes at the end
        TorchPadding(padding=(1, 0), pad=(0, 1, 0, 0))
        >>> tf_padding(8, 4)  # total 3
        TorchPadding(padding=(1,), pad=(0, 1))
    """
    if padding not in ("same", "valid"):
        raise ValueError(f"padding={padding!r} is not supported; choose one of 'same', 'valid'")
    n = _ndim(size=size, kernel_size=kernel_size, stride=stride, dilation=dilation)
    sizes, ks, ss, _, ds = _conv_arguments(n, size, kernel_size, stride, 0, dilation)
    if padding == "valid":
        return TorchPadding((0,) * len(sizes), None)
    before, after = [], []
    for m, k, st, d in zip(sizes, ks, ss, ds):
        total = max((-(-m // st) - 1) * st + _span(k, d) - m, 0)
        before.append(total // 2)
        after.append(total - total // 2)
    if before == after:
        return TorchPadding(tuple(before), None)
    pad = tuple(v for b, a in reversed(list(zip(before, after))) for v in (0, a - b))
    return TorchPadding(tuple(before), pad)


def tf_conv_transpose_padding(size, kernel_size, stride=1, dilation=1, padding="same", output_size=None):
    """TensorFlow's transposed convolution (``padding="same"``/``"valid"``) as PyTorch arguments.

    TensorFlow defines ``tf.nn.conv2d_transpose(x, w, output_shape, strides,
    padding)`` as the adjoint of the convolution from ``output_size`` to
    ``size`` with that padding: the full transposed output
    ``(n - 1) * s + d * (k - 1) + 1`` loses ``total // 2`` samples at the start
    (``total`` as in :func:`tf_padding`, computed for ``output_size``) and keeps
    ``output_size`` samples.

    Args:
        size: input size per spatial dimension.
        kernel_size, stride, dilation: ints or one per dimension.
        padding: ``"same"`` or ``"valid"``.
        output_size: the output size; default ``size * stride`` for ``"same"``
            and ``(size - 1) * stride + d * (k - 1) + 1`` for ``"valid"``
            (Keras' sizes without ``output_padding``; see
            :func:`keras_conv_transpose_output_size` for the others).

    Returns:
        :class:`TorchTransposedPadding`.

    Raises:
        ValueError, TypeError: for a bad argument, or an ``output_size`` that
        the convolution would not map back to ``size``, naming it.

    Reproduces ``tf.nn.conv2d_transpose(x, w, output_shape, strides, padding,
    dilations)`` and ``keras.layers.Conv2DTranspose(filters, kernel_size,
    strides, padding, output_padding, dilation_rate)``.

    Example:
        >>> tf_conv_transpose_padding(4, 3, stride=2)  # output 8: total 1, nothing cut at the start
        TorchTransposedPadding(padding=(0,), output_padding=(0,), crop=((0, 1),))
        >>> tf_conv_transpose_padding(4, 4, stride=2)  # total 2: PyTorch's padding=1
        TorchTransposedPadding(padding=(1,), output_padding=(0,), crop=((0, 0),))
    """
    if padding not in ("same", "valid"):
        raise ValueError(f"padding={padding!r} is not supported; choose one of 'same', 'valid'")
    n = _ndim(size=size, kernel_size=kernel_size, stride=stride, dilation=dilation, output_size=output_size)
    sizes, ks, ss, _, ds = _conv_arguments(n, size, kernel_size, stride, 0, dilation)
    if output_size is None:
        outs = tuple(m * st if padding == "same" else (m - 1) * st + _span(k, d)
                     for m, k, st, d in zip(sizes, ks, ss, ds))
    else:
        outs = _positive(output_size, "output_size", len(sizes))
    starts = []
    for m, k, st, d, o in zip(sizes, ks, ss, ds, outs):
        if padding == "same":
            back = -(-o // st)
            total = max((m - 1) * st + _span(k, d) - o, 0)
        else:
            back = (o - _span(k, d)) // st + 1 if o >= _span(k, d) else 0
            total = 0
        if back != m:
            raise ValueError(f"output_size={_show(outs)} is not mapped back to size={_show(sizes)} by the "
                             f"convolution with padding={padding!r} (it gives {back}); TensorFlow refuses it")
        starts.append(total // 2)
    return _transposed_from_crop(sizes, ks, ss, ds, starts, outs)


def keras_conv_transpose_output_size(size, kernel_size, stride=1, padding="same", output_padding=None, dilation=1):
    """The output size of Keras' ``Conv2DTranspose`` (Keras 3's ``compute_conv_transpose_output_shape``).

    Without ``output_padding``: ``size * stride`` (``"same"``) or
    ``size * stride + max(k_eff - stride, 0)`` (``"valid"``), with
    ``k_eff = d * (k - 1) + 1``. With it: ``(size - 1) * stride + k_eff - 2 * pad
    + output_padding``, ``pad = k_eff // 2`` for ``"same"`` and 0 for ``"valid"``.

    Args:
        size, kernel_size, stride, dilation: ints or one per dimension.
        padding: ``"same"`` or ``"valid"``.
        output_padding: None, an int or one per dimension.

    Returns:
        An int for one dimension, else a tuple; pass it to
        :func:`tf_conv_transpose_padding` as ``output_size``.

    Raises:
        ValueError, TypeError: for a bad argument, naming it.

    Reproduces the spatial output shape of ``keras.layers.Conv2DTranspose(...,
    padding=padding, output_padding=output_padding, dilation_rate=dilation)``.

    Example:
        >>> keras_conv_transpose_output_size(4, 3, 2, "same"), keras_conv_transpose_output_size(4, 3, 2, "same", 0)
        (8, 7)
    """
    if padding not in ("same", "valid"):
        raise ValueError(f"padding={padding!r} is not supported; choose one of 'same', 'valid'")
    n = _ndim(size=size, kernel_size=kernel_size, stride=stride, dilation=dilation, output_padding=output_padding)
    sizes, ks, ss, _, ds = _conv_arguments(n, size, kernel_size, stride, 0, dilation)
    out = []
    ops = None if output_padding is None else _nonnegative(output_padding, "output_padding", len(sizes))
    for i, (m, k, st, d) in enumerate(zip(sizes, ks, ss, ds)):
        k_eff = _span(k, d)
        if ops is None:
            out.append(m * st if padding == "same" else m * st + max(k_eff - st, 0))
        else:
            pad = k_eff // 2 if padding == "same" else 0
            out.append((m - 1) * st + k_eff - 2 * pad + ops[i])
    return _result(tuple(out), n)


def onnx_conv_transpose_padding(size, kernel_size, stride=1, dilation=1, pads=None, output_padding=0,
                                output_shape=None, auto_pad="NOTSET"):
    """ONNX ``ConvTranspose`` padding (``pads``, ``output_shape``, ``auto_pad``) as PyTorch arguments.

    From the ONNX specification: the full output ``s * (n - 1) + output_padding
    + d * (k - 1) + 1`` loses ``pads`` (start, end). With ``output_shape`` or
    ``auto_pad="SAME_UPPER"``/``"SAME_LOWER"`` (output ``n * s``) the total
    padding is that full size minus the output, split as ``total // 2`` at the
    start for ``SAME_UPPER`` and ``total - total // 2`` at the start otherwise.

    Args:
        size, kernel_size, stride, dilation: ints or one per dimension.
        pads: ONNX's ``pads``, starts then ends (``auto_pad="NOTSET"`` only).
        output_padding: int or one per dimension.
        output_shape: the spatial output shape, or None.
        auto_pad: ``"NOTSET"``, ``"SAME_UPPER"``, ``"SAME_LOWER"`` or ``"VALID"``.

    Returns:
        :class:`TorchTransposedPadding`.

    Raises:
        ValueError, TypeError: for a bad argument, naming it.

    Reproduces ``ConvTranspose(X, W, strides, dilations, pads, output_padding,
    output_shape, auto_pad)`` as onnxruntime runs it (see the tests for the
    reference implementation).

    Example:
        >>> onnx_conv_transpose_padding(4, 3, 2, auto_pad="SAME_UPPER")  # total 1, at the end
        TorchTransposedPadding(padding=(0,), output_padding=(0,), crop=((0, 1),))
        >>> onnx_conv_transpose_padding(4, 3, 2, auto_pad="SAME_LOWER")  # total 1, at the start
        TorchTransposedPadding(padding=(0,), output_padding=(0,), crop=((1, 0),))
    """
    if auto_pad not in ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"):
        raise ValueError(f"auto_pad={auto_pad!r} is not supported; choose one of 'NOTSET', 'SAME_UPPER', "
                         "'SAME_LOWER', 'VALID'")
    n = _ndim(size=size, kernel_size=kernel_size, stride=stride, dilation=dilation, output_padding=output_padding,
              output_shape=output_shape)
    sizes, ks, ss, _, ds = _conv_arguments(n, size, kernel_size, stride, 0, dilation)
    dims = len(sizes)
    ops = _nonnegative(output_padding, "output_padding", dims)
    full = tuple((m - 1) * st + o + _span(k, d) for m, k, st, d, o in zip(sizes, ks, ss, ds, ops))
    if pads is not None and (auto_pad != "NOTSET" or output_shape is not None):
        raise ValueError(f"pads={pads!r} is ignored with output_shape or auto_pad={auto_pad!r}; give one of them")
    if output_shape is not None or auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        outs = (_positive(output_shape, "output_shape", dims) if output_shape is not None
                else tuple(m * st for m, st in zip(sizes, ss)))
        totals = tuple(f - o for f, o in zip(full, outs))
        if any(t < 0 for t in totals):
            raise ValueError(f"output_shape={_show(outs)} is larger than the full output {_show(full)}")
        starts = [t // 2 if auto_pad == "SAME_UPPER" else t - t // 2 for t in totals]
    else:
        p = (0,) * (2 * dims) if pads is None or auto_pad == "VALID" else _nonnegative(pads, "pads", 2 * dims)
        starts = list(p[:dims])
        outs = tuple(f - a - b for f, a, b in zip(full, p[:dims], p[dims:]))
        if any(o < 1 for o in outs):
            raise ValueError(f"pads={_show(p)} leave an empty output (full size {_show(full)})")
    return _transposed_from_crop(sizes, ks, ss, ds, starts, outs)


def _transposed_from_crop(sizes, ks, ss, ds, starts, outs) -> TorchTransposedPadding:
    """Samples ``start .. start + out`` of the (zero-extended) full transposed output, as PyTorch arguments.

    PyTorch with ``padding=p, output_padding=op`` returns samples ``p .. full - p + op``:
    take ``p = min(start, end cut)``, the smallest ``op`` reaching the end, and crop the rest.
    """
    padding, output_padding, crop = [], [], []
    for m, k, st, d, start, out in zip(sizes, ks, ss, ds, starts, outs):
        full = (m - 1) * st + _span(k, d)
        p = max(min(start, full - start - out), 0)
        op = max(start + out - (full - p), 0)
        if op >= max(st, d):
            raise ValueError(f"an output of {out} samples starting at {start} reaches {op} samples past the "
                             f"transposed convolution's full size {full}; PyTorch's output_padding must be "
                             f"smaller than max(stride, dilation)={max(st, d)}")
        padding.append(p)
        output_padding.append(op)
        crop.append((start - p, full - p + op - start - out))
    return TorchTransposedPadding(tuple(padding), tuple(output_padding), tuple(crop))
