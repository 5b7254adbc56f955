"""Tests for ``upsampling.artifacts``: overlap maps, phase means, checkerboard amplitude and energy.

Oracles: PyTorch's transposed convolutions of all-ones tensors (``F.conv_transpose1d/2d/3d``),
the closed form ``ceil((k - φ)/s)`` of the interior count, ``torch.fft.fft2`` of the mean-removed
image for the energy, plain Python loops for the phase means and the amplitude, and numbers
derived by hand.
"""

import itertools
import math

import pytest
import torch
import torch.nn.functional as F
from conftest import assert_close
from hypothesis import assume, given
from hypothesis import strategies as st

from upsampling.artifacts import checkerboard_amplitude, checkerboard_energy, overlap_map, phase_means
from upsampling.images import checkerboard

# --------------------------------------------------------------------------- overlap_map


def _torch_overlap(size, k, s, p, op, d):
    """The oracle: a transposed convolution of ones with a kernel of ones, in float64 (exact counts)."""
    dims = len(size)
    conv = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}[dims]
    x = torch.ones(1, 1, *size, dtype=torch.float64)
    w = torch.ones(1, 1, *k, dtype=torch.float64)
    return conv(x, w, None, s, p, op, 1, d)[0, 0].to(torch.int64)


@given(n=st.integers(1, 9), k=st.integers(1, 7), s=st.integers(1, 4), p=st.integers(0, 4),
       op=st.integers(0, 3), d=st.integers(1, 3))
def test_overlap_1d_equals_transposed_convolution_of_ones(n, k, s, p, op, d):
    assume(op < max(s, d))
    assume((n - 1) * s - 2 * p + d * (k - 1) + op + 1 >= 1)
    expected = _torch_overlap((n,), (k,), (s,), (p,), (op,), (d,))
    assert torch.equal(overlap_map(n, k, s, p, op, d), expected)


@given(size=st.tuples(st.integers(1, 6), st.integers(1, 6)), k=st.tuples(st.integers(1, 5), st.integers(1, 5)),
       s=st.tuples(st.integers(1, 3), st.integers(1, 3)), p=st.tuples(st.integers(0, 2), st.integers(0, 2)),
       d=st.tuples(st.integers(1, 2), st.integers(1, 2)))
def test_overlap_2d_equals_transposed_convolution_of_ones(size, k, s, p, d):
    op = tuple(si - 1 for si in s)  # the largest output padding below the stride, always allowed
    assume(all((n - 1) * si - 2 * pi + di * (ki - 1) + oi + 1 >= 1
               for n, ki, si, pi, di, oi in zip(size, k, s, p, d, op)))
    assert torch.equal(overlap_map(size, k, s, p, op, d), _torch_overlap(size, k, s, p, op, d))


def test_overlap_3d_equals_transposed_convolution_of_ones():
    size, k, s, p = (3, 4, 2), (3, 2, 4), (2, 1, 3), (1, 0, 2)
    assert torch.equal(overlap_map(size, k, s, p), _torch_overlap(size, k, s, p, (0, 0, 0), (1, 1, 1)))


def test_overlap_2d_is_outer_product_of_1d_maps():
    rows = overlap_map(5, 3, 2, 1, 1)
    cols = overlap_map(4, 5, 3)
    assert torch.equal(overlap_map((5, 4), (3, 5), (2, 3), (1, 0), (1, 0)), rows[:, None] * cols[None, :])


@pytest.mark.parametrize("k, s", list(itertools.product(range(1, 9), range(1, 5))))
def test_interior_count_closed_form_and_evenness(k, s):
    n, p = 12, 0
    counts = overlap_map(n, k, s, p)
    # positions o where every tap of the kernel can come from an existing input pixel
    interior = range(k - 1, (n - 1) * s + 1)
    expected = [math.ceil((k - (o + p) % s) / s) for o in interior]
    assert counts[k - 1:(n - 1) * s + 1].tolist() == expected
    assert (len(set(expected)) == 1) == (k % s == 0)


def test_overlap_hand_examples():
    # k = 3, s = 2 on 4 inputs: positions 0..8 get 1, 1, 2, 1, 2, 1, 2, 1, 1 taps
    assert overlap_map(4, 3, 2).tolist() == [1, 1, 2, 1, 2, 1, 2, 1, 1]
    # k = 4, s = 2, p = 1 (the usual x2 layer): 2 everywhere but the first and last position
    assert overlap_map(4, 4, 2, 1).tolist() == [1, 2, 2, 2, 2, 2, 2, 1]
    # k = 1, s = 3: zero insertion, two of every three positions get nothing
    assert overlap_map(3, 1, 3).tolist() == [1, 0, 0, 1, 0, 0, 1]
    # 2-D, k = 3, s = 2: the interior has 4, 2, 2, 1 taps per 2x2 block
    assert overlap_map((3, 3), 3, 2)[2:4, 2:4].tolist() == [[4, 2], [2, 1]]


def test_overlap_map_returns_int64_on_cpu():
    out = overlap_map((2, 3), 2, 2)
    assert out.dtype == torch.int64 and out.device.type == "cpu" and out.shape == (4, 6)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(size=4, kernel_size=3, stride=2, output_padding=2), ValueError, "output_padding"),
    (dict(size=1, kernel_size=1, stride=1, padding=1), ValueError, "not positive"),
    (dict(size=0, kernel_size=3, stride=2), ValueError, "size"),
    (dict(size=4, kernel_size=0, stride=2), ValueError, "kernel_size"),
    (dict(size=4, kernel_size=3, stride=0), ValueError, "stride"),
    (dict(size=4.0, kernel_size=3, stride=2), TypeError, "size"),
    (dict(size="44", kernel_size=3, stride=2), TypeError, "size"),
    (dict(size=(4, 4), kernel_size=(3, 3, 3), stride=2), ValueError, "kernel_size"),
])
def test_overlap_map_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        overlap_map(**kwargs)


# --------------------------------------------------------------------------- phase_means


def test_phase_means_element_by_element(device, dtype):
    y = torch.randn(2, 3, 6, 9, dtype=dtype, device=device)
    m = phase_means(y, (2, 3))
    assert m.shape == (2, 3, 2, 3) and m.dtype == dtype and m.device == y.device
    for b, c, a, e in itertools.product(range(2), range(3), range(2), range(3)):
        values = [y[b, c, i, j].item() for i in range(a, 6, 2) for j in range(e, 9, 3)]
        assert_close(m[b, c, a, e].cpu(), torch.tensor(sum(values) / len(values), dtype=dtype))


def test_phase_means_of_a_periodic_pattern_is_its_period():
    tile = torch.tensor([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]])
    assert torch.equal(phase_means(tile.repeat(4, 5), (2, 3)), tile)


# --------------------------------------------------------------------------- checkerboard_amplitude


@given(s_h=st.integers(1, 4), s_w=st.integers(1, 4), q_h=st.integers(1, 4), q_w=st.integers(1, 4),
       seed=st.integers(0, 2**16))
def test_amplitude_equals_loop_over_phases(s_h, s_w, q_h, q_w, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randn(s_h * q_h, s_w * q_w, generator=g, dtype=torch.float64)
    means = [sum(y[i, j].item() for i in range(a, y.shape[0], s_h) for j in range(b, y.shape[1], s_w)) / (q_h * q_w)
             for a in range(s_h) for b in range(s_w)]
    assert_close(checkerboard_amplitude(y, (s_h, s_w)), torch.tensor(max(means) - min(means), dtype=torch.float64))


def test_amplitude_hand_values(dtype):
    board = 2 * checkerboard(8, 1, dtype=dtype) - 1                                        # ±1
    assert_close(checkerboard_amplitude(0.25 * board, 2), torch.tensor(0.5, dtype=dtype))   # ±a -> 2a
    # the k = 3, s = 2 overlap map repeats the block [[4, 2], [2, 1]]: amplitude 4 - 1 = 3
    block = overlap_map((10, 10), 3, stride=2)[2:18, 2:18].to(dtype)
    assert_close(checkerboard_amplitude(block, 2), torch.tensor(3.0, dtype=dtype))
    # stripes 1, 0, 0 along the width at stride 3: amplitude 1 (and 0 at stride (1, 1))
    stripes = torch.tensor([1.0, 0.0, 0.0], dtype=dtype).repeat(3, 2)
    assert_close(checkerboard_amplitude(stripes, 3), torch.tensor(1.0, dtype=dtype))
    assert checkerboard_amplitude(stripes, 1).item() == 0


@given(offset=st.floats(-100, 100), scale=st.floats(-10, 10), seed=st.integers(0, 2**16))
def test_amplitude_ignores_a_constant_and_scales_with_the_image(offset, scale, seed):
    y = torch.randn(2, 6, 8, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    a = checkerboard_amplitude(y, 2)
    assert_close(checkerboard_amplitude(y + offset, 2), a, atol=1e-9, rtol=1e-9)
    assert_close(checkerboard_amplitude(scale * y, 2), abs(scale) * a, atol=1e-9, rtol=1e-9)


def test_amplitude_keeps_batch_dimensions_and_device(device):
    y = torch.randn(2, 3, 4, 6, device=device)
    a = checkerboard_amplitude(y, (2, 3))
    assert a.shape == (2, 3) and a.device == y.device and bool((a >= 0).all())


# --------------------------------------------------------------------------- checkerboard_energy


def _fft_energy(y, s_h, s_w):
    """The oracle: DFT power on the bins (a H/s_h, b W/s_w) without DC, over the total without DC."""
    power = torch.fft.fft2(y).abs() ** 2
    h, w = y.shape[-2:]
    on_grid = power[..., ::h // s_h, ::w // s_w]
    return (on_grid.sum(dim=(-2, -1)) - power[..., 0, 0]) / (power.sum(dim=(-2, -1)) - power[..., 0, 0])


@given(s_h=st.integers(1, 4), s_w=st.integers(1, 4), q_h=st.integers(1, 5), q_w=st.integers(1, 5),
       seed=st.integers(0, 2**16), offset=st.floats(-2, 2))
def test_energy_equals_fft_oracle(s_h, s_w, q_h, q_w, seed, offset):
    assume(s_h * q_h * s_w * q_w > 1)   # a single pixel is constant: no AC energy
    g = torch.Generator().manual_seed(seed)
    y = torch.randn(3, s_h * q_h, s_w * q_w, generator=g, dtype=torch.float64) + offset
    assert_close(checkerboard_energy(y, (s_h, s_w)), _fft_energy(y, s_h, s_w))


@given(offset=st.floats(-1000, 1000), scale=st.floats(0.01, 100) | st.floats(-100, -0.01), seed=st.integers(0, 2**16))
def test_energy_does_not_change_when_a_constant_is_added_or_the_image_scaled(offset, scale, seed):
    y = torch.randn(2, 8, 12, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    e = checkerboard_energy(y, 2)
    assert_close(checkerboard_energy(y + offset, 2), e, atol=1e-8, rtol=1e-6)
    assert_close(checkerboard_energy(scale * y, 2), e, atol=1e-8, rtol=1e-6)


def test_energy_of_periodic_image_plus_smooth_image_matches_oracle(device):
    # A period-2 pattern on top of a smooth ramp: only the pattern's part is counted.
    i = torch.arange(16, dtype=torch.float64, device=device)
    y = (i[:, None] + i[None, :]) / 30 + 0.1 * checkerboard(16, 1, dtype=torch.float64).to(device)
    e = checkerboard_energy(y, 2)
    assert e.device == y.device
    assert_close(e.cpu(), _fft_energy(y.cpu(), 2, 2))
    assert 0 < e.item() < 0.1


def test_energy_hand_values(dtype):
    board = checkerboard(8, 1, dtype=dtype)
    # every non-constant image of period s has all of its AC energy on the bins of period s
    assert_close(checkerboard_energy(2 * board - 1, 2), torch.tensor(1.0, dtype=dtype))
    assert_close(checkerboard_energy(board + 7, 2), torch.tensor(1.0, dtype=dtype))
    block = overlap_map((10, 10), 3, stride=2)[2:18, 2:18].to(dtype)
    assert_close(checkerboard_energy(block, 2), torch.tensor(1.0, dtype=dtype))
    # ramp 0, 1, 2, 3 along W: phase means [1, 2] -> periodic part 4 * 0.25 = 1; AC energy mean 1.25 -> 1 / (4 * 1.25)
    ramp = torch.tensor([0.0, 1.0, 2.0, 3.0], dtype=dtype).repeat(4, 1)
    assert_close(checkerboard_energy(ramp, 2), torch.tensor(0.2, dtype=dtype))
    # ramp 0..7 along W: phase means [3, 4] -> 1; variance (64 - 1) / 12 = 21/4 -> 1 / 21
    ramp8 = torch.arange(8, dtype=dtype).repeat(2, 1)
    assert_close(checkerboard_energy(ramp8, 2), torch.tensor(1 / 21, dtype=dtype))
    # with stride 1 there is a single phase: nothing to compare, whatever the image
    assert checkerboard_energy(ramp, 1).item() == 0
    # a constant image has no AC energy: 0 / 0
    assert math.isnan(checkerboard_energy(torch.full((4, 6), -2.0, dtype=dtype), 2).item())


def test_energy_is_invariant_to_circular_shifts():
    y = torch.randn(12, 12, dtype=torch.float64)
    assert_close(checkerboard_energy(torch.roll(y, (1, 3), (0, 1)), 2), checkerboard_energy(y, 2))


def test_energy_keeps_batch_dimensions():
    y = torch.randn(2, 3, 4, 4)
    assert checkerboard_energy(y, 2).shape == (2, 3)


@pytest.mark.parametrize("fn", [phase_means, checkerboard_amplitude, checkerboard_energy])
def test_rejects_bad_images(fn):
    with pytest.raises(ValueError, match="divisible by stride=2"):
        fn(torch.zeros(5, 4), 2)
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        fn(torch.zeros(4), 2)
    with pytest.raises(TypeError, match="floating"):
        fn(torch.zeros(4, 4, dtype=torch.int64), 2)
    with pytest.raises(ValueError, match="stride"):
        fn(torch.zeros(4, 4), 0)
    with pytest.raises(TypeError, match="torch.Tensor"):
        fn([[1.0, 2.0], [3.0, 4.0]], 2)
