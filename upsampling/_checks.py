"""Argument checks shared by the public functions.

Every public entry point validates its arguments once, up front, with these
helpers, so that a mistake surfaces as a ``ValueError`` or ``TypeError`` that
names the parameter, shows the value that was given and says what is allowed,
never as an ``IndexError`` from deep inside an indexing expression.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _tuple(value, name: str, n: int = 2) -> tuple[int, ...]:
    """``value`` as a tuple of ``n`` Python ints (an int is repeated ``n`` times)."""
    if _is_int(value):
        return (value,) * n
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) == n and all(_is_int(v) for v in value):
            return tuple(value)
        if all(_is_int(v) for v in value):
            raise ValueError(f"{name}={tuple(value)} must have {n} entries (one per spatial dimension), got {len(value)}")
    raise TypeError(f"{name}={value!r} must be an int or a sequence of {n} ints")


def _positive_int(value, name: str) -> int:
    """``value`` as one Python int, at least 1 (a factor, a size, a number of groups)."""
    if not _is_int(value):
        raise TypeError(f"{name}={value!r} must be an int")
    if value < 1:
        raise ValueError(f"{name}={value} must be positive (>= 1)")
    return value


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
