"""The generated test images: hand-computed pixels, determinism, and the statistics of a photograph."""

import math

import pytest
import torch

from upsampling.images import checkerboard, natural_image, zone_plate

# ---------------------------------------------------------------- zone_plate


def test_zone_plate_hand_computed_4x4():
    # centre pixel (2, 2); r**2 in {0, 1, 2, 4, 5, 8}; value (1 + cos(pi * r**2 / 4)) / 2
    c = lambda r2: (1 + math.cos(math.pi * r2 / 4)) / 2
    expected = torch.tensor([[c(8), c(5), c(4), c(5)],
                             [c(5), c(2), c(1), c(2)],
                             [c(4), c(1), c(0), c(1)],
                             [c(5), c(2), c(1), c(2)]], dtype=torch.float64)
    torch.testing.assert_close(zone_plate(4, dtype=torch.float64), expected, rtol=0, atol=1e-15)
    # the same numbers once more, from the cosines' exact values: cos(2 pi) = 1, cos(pi / 2) = 0, cos(pi) = -1
    assert expected[0, 0] == pytest.approx(1) and expected[1, 1] == pytest.approx(0.5) and expected[0, 2] == pytest.approx(0)


@pytest.mark.parametrize("pixel, value", [
    ((4, 4), 1.0),                                   # r = 0
    ((4, 0), 1.0),                                   # r**2 = 16: cos(2 pi)
    ((0, 0), 1.0),                                   # r**2 = 32: cos(4 pi)
    ((4, 6), 0.5),                                   # r**2 = 4: cos(pi / 2)
    ((2, 4), 0.5),
    ((4, 5), (1 + math.cos(math.pi / 8)) / 2),       # r**2 = 1
    ((1, 6), (1 + math.cos(13 * math.pi / 8)) / 2),  # r**2 = 9 + 4
])
def test_zone_plate_hand_computed_8x8(pixel, value):
    assert zone_plate(8, dtype=torch.float64)[pixel].item() == pytest.approx(value, abs=1e-15)


def test_zone_plate_frequency_rises_linearly_to_nyquist():
    """On the centre row of size 64 the phase is pi r**2 / 64: it passes pi/2 + m pi (a crossing of 1/2)
    4 times for r in [0, 16] (phase up to 4 pi) and 15 times for r in [0, 31] (up to 15.02 pi). Steps between
    neighbours, pi (2 r + 1) / 64, stay below pi, so no crossing hides between two samples; the last step,
    61 pi / 64, is just below Nyquist."""
    row = zone_plate(64, dtype=torch.float64)[32, 32:]  # r = 0 .. 31
    crossings = ((row[1:] - 0.5) * (row[:-1] - 0.5) < 0).cumsum(0)
    assert crossings[15].item() == 4 and crossings[-1].item() == 15
    assert (row[-1] - 0.5) * (row[-2] - 0.5) < 0 and (row[-2] - 0.5) * (row[-3] - 0.5) < 0  # alternating at the edge


def test_zone_plate_range_symmetry_dtype():
    z = zone_plate(33)
    assert z.shape == (33, 33) and z.dtype == torch.float32
    assert z.min() >= 0 and z.max() <= 1
    assert torch.equal(z, z.T) and torch.equal(z, z.flip(0)) and torch.equal(z, z.flip(1))  # odd size: centred
    assert torch.equal(zone_plate(33), zone_plate(33, dtype=torch.float64).float())


# ---------------------------------------------------------------- checkerboard

def test_checkerboard_hand_written():
    expected = torch.tensor([[0, 0, 1, 1, 0],
                             [0, 0, 1, 1, 0],
                             [1, 1, 0, 0, 1],
                             [1, 1, 0, 0, 1],
                             [0, 0, 1, 1, 0]], dtype=torch.float32)
    assert torch.equal(checkerboard(5, 2), expected)


def test_checkerboard_square_one_and_large():
    b = checkerboard(6, 1, dtype=torch.float64)
    assert b.dtype == torch.float64 and b[0, 0] == 0 and b[0, 1] == 1 and b[1, 0] == 1 and b[5, 5] == 0
    assert torch.equal(checkerboard(4, 7), torch.zeros(4, 4))
    # 8x8 in squares of 3: bands 0-2, 3-5, 6-7; ones where the band parities differ: 2 * (3 * 3 + 3 * 2) = 30
    assert checkerboard(8, 3).sum() == 30


def test_checkerboard_counts():
    # 8x8 with squares of 2: 16 squares, half of them ones
    assert checkerboard(8, 2).sum() == 32
    assert checkerboard(8, 2, dtype=torch.int64).dtype == torch.int64


# ---------------------------------------------------------------- natural_image

@pytest.fixture(scope="module")
def image():
    return natural_image(128, dtype=torch.float64)


def test_natural_image_shape_range_dtype(image):
    assert image.shape == (3, 128, 128) and image.dtype == torch.float64
    assert image.min() >= 0 and image.max() <= 1
    small = natural_image(32)
    assert small.shape == (3, 32, 32) and small.dtype == torch.float32


def test_natural_image_is_deterministic(image):
    assert torch.equal(natural_image(128, dtype=torch.float64), image)
    assert torch.equal(natural_image(128), image.float())  # float64 first, cast at the end
    assert not torch.equal(natural_image(128, seed=1, dtype=torch.float64), image)


def test_natural_image_is_coloured(image):
    assert (image[0] - image[2]).abs().mean() > 0.1


def radial_power_spectrum(gray):
    """Mean |FFT|**2 over rings of integer radius 1 .. size/2 - 1 (cycles per image)."""
    size = gray.shape[-1]
    power = torch.fft.fft2(gray - gray.mean()).abs() ** 2
    f = torch.fft.fftfreq(size, dtype=torch.float64) * size
    radius = torch.hypot(f[:, None], f[None, :]).round().long().flatten()
    sums = torch.zeros(2 * size, dtype=torch.float64).index_add_(0, radius, power.flatten())
    counts = torch.zeros(2 * size, dtype=torch.float64).index_add_(0, radius, torch.ones_like(power.flatten()))
    k = torch.arange(1, size // 2)
    return k.double(), sums[k] / counts[k]


@pytest.mark.parametrize("size", [128, 256])
def test_natural_image_power_spectrum_falls_like_a_photo(size):
    """Natural images have power ~ 1/f**2 (slope about -2 on log-log); white noise would give 0."""
    gray = natural_image(size, dtype=torch.float64).mean(0)
    k, power = radial_power_spectrum(gray)
    x, y = k.log(), power.log()
    slope = ((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum()
    assert -3 < slope < -1, f"log-log slope {slope:.2f}"
    # the oracle can fail: white noise is flat
    noise = torch.rand(size, size, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    k, power = radial_power_spectrum(noise)
    x, y = k.log(), power.log()
    assert abs(((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum()) < 0.5


def test_natural_image_fence_has_the_stated_period():
    # the fence (from 0.84 to 0.94 of the height) repeats every size / 48 pixels: a row through it,
    # its mean removed, has its strongest frequency at 48 cycles per image width
    size = 256
    image = natural_image(size, dtype=torch.float64)
    for v in (0.86, 0.89, 0.92):
        row = image[1, int(v * size)]
        assert int(torch.fft.rfft(row - row.mean()).abs().argmax()) == 48


def test_natural_image_has_smooth_regions_and_edges(image):
    gray = image.mean(0)
    gradient = torch.hypot(gray.diff(dim=0)[:, :-1], gray.diff(dim=1)[:-1])
    assert (gradient < 0.02).double().mean() > 0.3  # smooth: sky, wall
    assert (gradient > 0.2).double().mean() > 0.02  # edges: horizon, house, fence
    # and the edges are sharp: a one-pixel step of at least half the range exists in every direction
    assert gray.diff(dim=0).abs().max() > 0.5 and gray.diff(dim=1).abs().max() > 0.5


# ---------------------------------------------------------------- bad arguments

@pytest.mark.parametrize("call, error, match", [
    (lambda: zone_plate(0), ValueError, "size=0 must be positive"),
    (lambda: zone_plate(2.5), TypeError, "size=2.5 must be an int"),
    (lambda: zone_plate(8, dtype=torch.int64), TypeError, "dtype=torch.int64 must be a floating"),
    (lambda: zone_plate(8, dtype="float32"), TypeError, "dtype='float32' must be a floating"),
    (lambda: checkerboard(0, 2), ValueError, "size=0 must be positive"),
    (lambda: checkerboard(8, 0), ValueError, "square=0 must be positive"),
    (lambda: checkerboard(8, True), TypeError, "square=True must be an int"),
    (lambda: checkerboard(8, 2, dtype=float), TypeError, "dtype=<class 'float'> must be a torch.dtype"),
    (lambda: natural_image(8), ValueError, "size=8 is too small"),
    (lambda: natural_image(-1), ValueError, "size=-1 must be positive"),
    (lambda: natural_image(64, seed=1.5), TypeError, "seed=1.5 must be an int"),
    (lambda: natural_image(64, dtype=torch.int32), TypeError, "dtype=torch.int32 must be a floating"),
])
def test_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()
