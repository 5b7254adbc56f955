"""Argument checks shared by the public functions.

Every public entry point validates its arguments once, up front, with these
helpers, so that a mistake surfaces as a ``ValueError`` or ``TypeError`` that
names the parameter, shows the value that was given and says what is allowed,
never as an ``IndexError`` from deep inside an indexing expression.
"""

from __future__ import annotations

import math
import operator
import os
from collections.abc import Sequence

import numpy as np
import torch


def _is_int(value) -> bool:
    """Whether ``value`` is integer-like where PyTorch takes an int.

    Python ints, NumPy integers and 0-d integer tensors (anything with
    ``__index__``, as ``operator.index`` sees it); never a bool, a float or a
    tensor with more than one element.
    """
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, torch.Tensor) and (value.dim() != 0 or value.dtype == torch.bool):
        return False
    try:
        operator.index(value)
    except TypeError:
        return False
    return True


def _int(value) -> int:
    """An integer-like ``value`` (see :func:`_is_int`) as a Python int."""
    return operator.index(value)


def _tuple(value, name: str, n: int = 2) -> tuple[int, ...]:
    """``value`` as a tuple of ``n`` Python ints (an int is repeated ``n`` times)."""
    if _is_int(value):
        return (_int(value),) * n
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) == n and all(_is_int(v) for v in value):
            return tuple(_int(v) for v in value)
        if all(_is_int(v) for v in value):
            raise ValueError(f"{name}={tuple(value)} must have {n} entries (one per spatial dimension), got {len(value)}")
    raise TypeError(f"{name}={value!r} must be an int or a sequence of {n} ints")


def _positive_int(value, name: str) -> int:
    """``value`` as one Python int, at least 1 (a factor, a size, a number of groups)."""
    if not _is_int(value):
        raise TypeError(f"{name}={value!r} must be an int")
    value = _int(value)
    if value < 1:
        raise ValueError(f"{name}={value} must be positive (>= 1)")
    return value


def _groups(value, channels: dict[str, int], sequence: bool = False) -> int:
    """``groups`` as a positive int that divides every channel count in ``channels`` (description -> count).

    The one groups check of the package. ``sequence=True`` also accepts a
    one-element sequence such as ``[2]`` (the sub-pixel conversions always have).
    """
    if sequence and isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != 1:
            raise ValueError(f"groups={value!r} must be an int or a sequence of one int")
        value = value[0]
    groups = _positive_int(value, "groups")
    bad = [f"{what} ({count})" for what, count in channels.items() if count % groups]
    if bad:
        raise ValueError(f"groups={groups} must divide {' and '.join(bad)}")
    return groups


def _positive(value, name: str, n: int = 2) -> tuple[int, ...]:
    """``value`` as ``n`` ints, each at least 1."""
    t = _tuple(value, name, n)
    if any(v < 1 for v in t):
        raise ValueError(f"{name}={_show(t)} must be positive (>= 1) in every dimension")
    return t


def _nonnegative(value, name: str, n: int = 2) -> tuple[int, ...]:
    """``value`` as ``n`` ints, each at least 0."""
    t = _tuple(value, name, n)
    if any(v < 0 for v in t):
        raise ValueError(f"{name}={_show(t)} must be non-negative (>= 0) in every dimension")
    return t


def _show(t: tuple[int, ...]):
    """A tuple as the user is likely to have written it: ``3`` rather than ``(3,)``."""
    return t[0] if len(t) == 1 else t


def _tensor(input, name: str = "input", ndim: int | Sequence[int] | None = None, floating: bool = True) -> torch.Tensor:
    """Check that ``input`` is a tensor of an allowed rank and, if asked, floating point."""
    if not isinstance(input, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(input).__name__}")
    if ndim is not None:
        allowed = (ndim,) if _is_int(ndim) else tuple(ndim)
        if input.dim() not in allowed:
            shapes = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {shapes}, got a {input.dim()}-D tensor of shape {tuple(input.shape)}")
    if floating and not input.is_floating_point():
        raise TypeError(f"{name} must have a floating-point dtype, got {input.dtype}")
    return input


def _choice(value, name: str, allowed: Sequence[str]) -> str:
    """Check that ``value`` is one of the strings in ``allowed``."""
    if value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name}={value!r} is not supported; choose one of {options}")
    return value


def _memory_limit(device: torch.device) -> int | None:
    """The bytes of memory of ``device`` (total, not free: the answer must not depend on the moment).

    ``None`` where there is no limit to check (the meta device) or no way to ask.
    """
    if device.type == "cpu":
        try:
            return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        except (ValueError, OSError, AttributeError):
            return None
    if device.type == "cuda":
        return torch.cuda.get_device_properties(device).total_memory
    return None


def _check_fits(shape: Sequence[int], dtype: torch.dtype, device: torch.device, cause: str,
                factor: float = 1.0, extra: int = 0, what: str = "the output") -> None:
    """Refuse, up front, an output of ``shape`` that cannot fit in ``device``'s memory.

    ``factor`` times the output's bytes plus ``extra`` bytes is the estimate of
    what the computation holds at once; ``cause`` names the arguments that chose
    the size (``"size=1000000000"``). Without this an absurd size ends as an
    allocation failure or an out-of-memory kill, or as an integer overflow
    deep inside ``torch.arange``.
    """
    numel = math.prod(int(n) for n in shape)
    if numel >= 2 ** 63:
        raise ValueError(f"{cause}: {what} of shape {tuple(shape)} would have {numel:.3g} elements, more than "
                         f"a tensor can index (2**63 - 1)")
    limit = _memory_limit(device)
    need = factor * numel * dtype.itemsize + extra
    if limit is not None and need > limit:
        raise ValueError(f"{cause}: {what} of shape {tuple(shape)} would need about {need / 2 ** 30:.3g} GiB, "
                         f"more than the {limit / 2 ** 30:.3g} GiB of memory of the {device.type} device")
