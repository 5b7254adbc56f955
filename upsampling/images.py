"""Test images made in code: no downloads, the same pixels on every machine.

* :func:`zone_plate`: rings whose spatial frequency rises linearly from 0 at the
  centre to the Nyquist rate at the edges, so every downsampling factor aliases
  somewhere visible (moiré rings);
* :func:`checkerboard`: hard-edged squares, the worst case for shift
  equivariance when the square size and the stride do not divide each other;
* :func:`natural_image`: a generated RGB "landscape" with the statistics of a
  photograph: smooth sky, a 1/f² textured ground, sharp (one-pixel) edges and a
  fine periodic fence.

Everything is computed on the CPU in float64 from a seeded ``torch.Generator``
and cast only at the end, so the result does not depend on the device.
"""

from __future__ import annotations

import math

import torch

from ._checks import _is_int, _positive_int

__all__ = ["checkerboard", "natural_image", "zone_plate"]


def zone_plate(size: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """The sinusoidal zone plate ``(1 + cos(pi * r**2 / size)) / 2``, a (size, size) image in [0, 1].

    ``r`` is the distance in pixels from the centre pixel ``(size // 2, size // 2)`` (the
    pixel that ``torch.fft.fftshift`` puts the zero frequency on), so the centre is exactly 1.
    The phase ``pi * r**2 / size`` has derivative ``2 * pi * r / size`` radians per pixel: the
    local frequency is ``r / size`` cycles per pixel, rising linearly from 0 to the Nyquist
    rate 1/2 at the midpoints of the edges (r = size / 2). The corners (up to r = size / sqrt(2))
    already exceed Nyquist and alias even at full resolution. Downsampling by s moves the
    Nyquist circle in to r = size / (2 * s); rings beyond it reappear as false rings (moiré).

    Args:
        size: side length in pixels (positive int).
        dtype: a floating dtype for the result (computed in float64, then cast).

    Returns:
        (size, size) tensor on the CPU.

    Raises:
        TypeError: ``size`` is not an int, or ``dtype`` not a floating ``torch.dtype``.
        ValueError: ``size < 1``.

    Example:
        >>> zone_plate(4, dtype=torch.float64)  # centre (2, 2); r**2 = 0, 1, 2, 4, 5, 8
        tensor([[1.0000, 0.1464, 0.0000, 0.1464],
                [0.1464, 0.5000, 0.8536, 0.5000],
                [0.0000, 0.8536, 1.0000, 0.8536],
                [0.1464, 0.5000, 0.8536, 0.5000]], dtype=torch.float64)

        Pixel (1, 2) has r**2 = 1: (1 + cos(pi / 4)) / 2 = 0.8536; pixel (0, 0) has r**2 = 8:
        (1 + cos(2 pi)) / 2 = 1.
    """
    size = _positive_int(size, "size")
    dtype = _dtype(dtype)
    offset = torch.arange(size, dtype=torch.float64) - size // 2
    r2 = offset[:, None] ** 2 + offset[None, :] ** 2
    return ((1 + torch.cos(math.pi * r2 / size)) / 2).to(dtype)


def checkerboard(size: int, square: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """A (size, size) board of 0/1 squares with side ``square`` pixels, 0 at the top-left.

    Pixel (i, j) is ``(i // square + j // square) % 2``.

    Args:
        size: side length in pixels (positive int).
        square: side of one square in pixels (positive int; larger than ``size`` gives all zeros).
        dtype: the result's dtype (any dtype that holds 0 and 1).

    Returns:
        (size, size) tensor on the CPU.

    Raises:
        TypeError: ``size`` or ``square`` is not an int, or ``dtype`` not a ``torch.dtype``.
        ValueError: ``size < 1`` or ``square < 1``.

    Example:
        >>> checkerboard(4, 1, dtype=torch.int64)
        tensor([[0, 1, 0, 1],
                [1, 0, 1, 0],
                [0, 1, 0, 1],
                [1, 0, 1, 0]])
    """
    size = _positive_int(size, "size")
    square = _positive_int(square, "square")
    if not isinstance(dtype, torch.dtype):
        raise TypeError(f"dtype={dtype!r} must be a torch.dtype")
    cell = torch.arange(size) // square
    return ((cell[:, None] + cell[None, :]) % 2).to(dtype)


def natural_image(size: int = 256, seed: int = 0, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """A generated RGB landscape with a photograph's statistics: smooth regions, textures, sharp edges.

    Layers, back to front, in coordinates ``u, v = (j + 0.5) / size, (i + 0.5) / size``:
    a sky with a vertical colour gradient and soft clouds; a sun (a disk); rolling hills
    whose ground carries a 1/f² ("fractal") texture, the power spectrum of natural scenes;
    a house (wall, triangular roof, window); a fence of vertical bars with a period of
    ``size / 48`` pixels in the foreground, which aliases once the image is downsampled
    by 4 or more. Every edge is a one-pixel ramp (the pixel's coverage of the shape), as
    a camera's optics would leave it. The textures come from white noise drawn by a
    ``torch.Generator`` seeded with ``seed``, shaped by an FFT, all in float64 on the
    CPU; the result is cast to ``dtype`` at the end and clipped to [0, 1].

    Args:
        size: side length in pixels, at least 16.
        seed: seed of the noise; the same seed gives the same image.
        dtype: a floating dtype for the result.

    Returns:
        (3, size, size) RGB tensor in [0, 1] on the CPU.

    Raises:
        TypeError: ``size`` or ``seed`` is not an int, or ``dtype`` not a floating ``torch.dtype``.
        ValueError: ``size < 16``.

    Example:
        >>> img = natural_image(64)
        >>> img.shape, img.dtype, bool(0 <= img.min() and img.max() <= 1)
        (torch.Size([3, 64, 64]), torch.float32, True)
        >>> torch.equal(img, natural_image(64))
        True
    """
    size = _positive_int(size, "size")
    if size < 16:
        raise ValueError(f"size={size} is too small for natural_image's shapes; use at least 16")
    if not _is_int(seed):
        raise TypeError(f"seed={seed!r} must be an int")
    dtype = _dtype(dtype)
    generator = torch.Generator().manual_seed(seed)
    clouds, ground, tint, grain = (_power_law_noise(size, exponent, generator) for exponent in (3.0, 2.0, 2.0, 2.0))
    coord = (torch.arange(size, dtype=torch.float64) + 0.5) / size
    v, u = coord[:, None].expand(size, size), coord[None, :].expand(size, size)

    def rgb(r, g, b):
        return torch.tensor([r, g, b], dtype=torch.float64)[:, None, None]

    sky = rgb(0.25, 0.45, 0.80) + v * rgb(0.45, 0.38, 0.15) + 0.06 * clouds.clamp(min=0)
    image = sky.expand(3, size, size)
    sun = _coverage(0.09 - torch.hypot(u - 0.78, v - 0.20), size)
    image = _paint(image, rgb(1.00, 0.92, 0.65), sun)

    horizon = 0.56 + 0.05 * torch.sin(2 * math.pi * 1.3 * u + 0.5) + 0.02 * torch.sin(2 * math.pi * 3.7 * u + 2.0)
    soil = rgb(0.33, 0.45, 0.18) + 0.10 * ground + 0.04 * tint * rgb(1.0, 0.3, -0.5) - 0.15 * (v - 0.5)
    image = _paint(image, soil, _coverage(v - horizon, size))

    wall = rgb(0.82, 0.74, 0.62) - 0.12 * (u - 0.12) + 0.015 * grain
    image = _paint(image, wall, _coverage(_box(u, v, 0.12, 0.42, 0.46, 0.78), size))
    roof = torch.minimum(v - 0.30 - (u - 0.27).abs() * 0.55, 0.46 - v)  # triangle: two slopes above, eaves below
    image = _paint(image, rgb(0.55, 0.18, 0.12), _coverage(torch.minimum(roof, _box(u, v, 0.10, 0.44, 0.0, 1.0)), size))
    image = _paint(image, rgb(0.12, 0.16, 0.24), _coverage(_box(u, v, 0.20, 0.32, 0.54, 0.66), size))

    period = 1 / 48  # fence bars: period size/48 pixels, bars half of it wide
    bars = (1 / 4 - ((u / period) % 1 - 1 / 2).abs()) * period  # > 0 on a bar, distance to its edge
    fence = torch.minimum(bars, _box(u, v, 0.0, 1.0, 0.84, 0.94))
    image = _paint(image, rgb(0.92, 0.90, 0.86) - 0.5 * (v - 0.84), _coverage(fence, size))
    return image.clamp(0, 1).to(dtype)


def _power_law_noise(size: int, exponent: float, generator: torch.Generator) -> torch.Tensor:
    """Gaussian noise with power spectrum ~ 1/f**exponent, zero mean and unit standard deviation."""
    white = torch.randn(size, size, generator=generator, dtype=torch.float64)
    f = torch.hypot(torch.fft.fftfreq(size, dtype=torch.float64)[:, None],
                    torch.fft.rfftfreq(size, dtype=torch.float64)[None, :])
    amplitude = f.pow(-exponent / 2)
    amplitude[0, 0] = 0  # no DC component
    field = torch.fft.irfft2(torch.fft.rfft2(white) * amplitude, s=(size, size))
    return (field - field.mean()) / field.std()


def _box(u, v, u0, u1, v0, v1):
    """Signed distance-like function of an axis-aligned box: > 0 inside, in units of the image side."""
    return torch.minimum(torch.minimum(u - u0, u1 - u), torch.minimum(v - v0, v1 - v))


def _coverage(signed_distance: torch.Tensor, size: int) -> torch.Tensor:
    """Fraction of a pixel covered by a shape, from its signed distance (image-side units): a one-pixel ramp."""
    return (signed_distance * size + 0.5).clamp(0, 1)


def _paint(image, colour, alpha):
    return image * (1 - alpha) + colour * alpha


def _dtype(dtype) -> torch.dtype:
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise TypeError(f"dtype={dtype!r} must be a floating torch.dtype, such as torch.float32")
    return dtype
