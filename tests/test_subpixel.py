"""Tests for ``upsampling.subpixel``: pixel (un)shuffle, the sub-pixel form of a transposed
convolution in both directions, and ICNR.

Oracles: PyTorch's own operators (``F.pixel_shuffle``, ``F.pixel_unshuffle``,
``F.conv_transpose2d``, ``F.conv2d``, ``F.interpolate``), the index map written
out element by element, and kernels derived by hand.
"""

import itertools

import pytest
import torch
import torch.nn.functional as F
from conftest import assert_close, fixtures_ok
from hypothesis import assume, given
from hypothesis import strategies as st

from upsampling.subpixel import (
    _conv_transpose2d_subpixel,
    _shuffle,
    icnr_,
    pixel_shuffle,
    pixel_unshuffle,
    subpixel_to_transposed,
    transposed_to_subpixel,
)


DTYPES = [torch.float64, torch.float32]


def _randn(*shape, dtype=torch.float64, device="cpu", contiguous=True):
    """A random tensor; when ``contiguous`` is False, a transposed view of one (same shape)."""
    if contiguous:
        return torch.randn(*shape, dtype=dtype, device=device)
    return torch.randn(*shape[:-2], shape[-1], shape[-2], dtype=dtype, device=device).transpose(-1, -2)


# --------------------------------------------------------------------------- pixel_shuffle / pixel_unshuffle

def test_pixel_shuffle_index_map_element_by_element(device):
    n, c, r, h, w = 2, 3, 2, 3, 4
    x = torch.randn(n, c * r * r, h, w, dtype=torch.float64, device=device)
    out = pixel_shuffle(x, r)
    assert out.shape == (n, c, h * r, w * r)
    for b, k, i, j, y, z in itertools.product(range(n), range(c), range(r), range(r), range(h), range(w)):
        assert out[b, k, y * r + i, z * r + j] == x[b, k * r * r + i * r + j, y, z]


def test_pixel_unshuffle_hand_example(device):
    x = torch.arange(16.0, device=device).reshape(1, 1, 4, 4)
    out = pixel_unshuffle(x, 2)
    expected = torch.tensor([[0, 2], [8, 10]]), torch.tensor([[1, 3], [9, 11]])
    assert out.shape == (1, 4, 2, 2)
    assert torch.equal(out[0, 0].cpu(), expected[0].float())     # (i, j) = (0, 0) of every block
    assert torch.equal(out[0, 1].cpu(), expected[1].float())     # (i, j) = (0, 1)
    assert torch.equal(out[0, 2].cpu(), expected[0].float() + 4)  # (i, j) = (1, 0): one row down
    assert torch.equal(out[0, 3].cpu(), expected[1].float() + 4)


def test_shuffle_with_different_factors_element_by_element(device):
    sh, sw, c, h, w = 3, 2, 2, 2, 3
    x = torch.randn(1, c * sh * sw, h, w, dtype=torch.float64, device=device)
    out = _shuffle(x, sh, sw)
    assert out.shape == (1, c, h * sh, w * sw)
    for k, i, j, y, z in itertools.product(range(c), range(sh), range(sw), range(h), range(w)):
        assert out[0, k, y * sh + i, z * sw + j] == x[0, k * sh * sw + i * sw + j, y, z]


shuffle_cases = st.fixed_dictionaries({
    "batch": st.lists(st.integers(0, 2), min_size=0, max_size=2),
    "c": st.integers(1, 3), "r": st.integers(1, 3), "h": st.integers(1, 4), "w": st.integers(1, 4),
    "contiguous": st.booleans(),
    "dtype": st.sampled_from([torch.float64, torch.float32, torch.int64]),
})


@fixtures_ok
@given(case=shuffle_cases)
def test_pixel_shuffle_matches_torch(device, case):
    r = case["r"]
    shape = (*case["batch"], case["c"] * r * r, case["h"], case["w"])
    x = (10 * _randn(*shape, device=device, contiguous=case["contiguous"])).to(case["dtype"])
    out = pixel_shuffle(x, r)
    assert out.dtype == x.dtype and out.device == x.device
    assert torch.equal(out, F.pixel_shuffle(x, r))
    assert torch.equal(pixel_unshuffle(out, r), x)


@fixtures_ok
@given(case=shuffle_cases)
def test_pixel_unshuffle_matches_torch(device, case):
    r = case["r"]
    shape = (*case["batch"], case["c"], case["h"] * r, case["w"] * r)
    x = (10 * _randn(*shape, device=device, contiguous=case["contiguous"])).to(case["dtype"])
    out = pixel_unshuffle(x, r)
    assert out.dtype == x.dtype and out.device == x.device
    if x.numel() == 0:
        # PyTorch's CPU kernel returns an empty input unchanged, in the *input's* shape
        # (pytorch/pytorch#192816); its meta (shape) function and CUDA give the documented one.
        documented = (*case["batch"], case["c"] * r * r, case["h"], case["w"])
        assert out.shape == F.pixel_unshuffle(x.to("meta"), r).shape == documented
    else:
        assert torch.equal(out, F.pixel_unshuffle(x, r))
    assert torch.equal(pixel_shuffle(out, r), x)


def test_pixel_shuffle_never_aliases_input(device):
    x = torch.randn(1, 4, 3, 3, device=device)
    for out in (pixel_shuffle(x, 1), pixel_unshuffle(x, 1), pixel_shuffle(x, 2), pixel_unshuffle(x[..., :2, :2], 2)):
        assert out.data_ptr() != x.data_ptr()


def test_pixel_shuffle_gradcheck(device):
    x = torch.randn(2, 8, 2, 3, dtype=torch.float64, device=device, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: pixel_shuffle(t, 2), (x,))
    y = torch.randn(2, 2, 4, 6, dtype=torch.float64, device=device, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: pixel_unshuffle(t, 2), (y,))


@pytest.mark.parametrize("fn, name", [(pixel_shuffle, "upscale_factor"), (pixel_unshuffle, "downscale_factor")])
def test_pixel_shuffle_rejects_bad_arguments(fn, name):
    x = torch.randn(1, 4, 4, 4)
    with pytest.raises(ValueError, match=rf"{name}=0 must be positive"):
        fn(x, 0)
    with pytest.raises(TypeError, match=rf"{name}=2.0 must be an int"):
        fn(x, 2.0)
    with pytest.raises(ValueError, match=r"input must have at least 3 dimensions .* 2-D tensor of shape \(4, 4\)"):
        fn(torch.randn(4, 4), 2)
    with pytest.raises(TypeError, match=r"input must be a torch.Tensor, got list"):
        fn([[[1.0]]], 1)


def test_pixel_shuffle_rejects_indivisible_sizes():
    with pytest.raises(ValueError, match=r"input has 6 channels .* not divisible by upscale_factor\*\*2=4"):
        pixel_shuffle(torch.randn(1, 6, 2, 2), 2)
    with pytest.raises(ValueError, match=r"\(H, W\)=\(4, 5\) .* not divisible by downscale_factor=2"):
        pixel_unshuffle(torch.randn(1, 1, 4, 5), 2)


# --------------------------------------------------------------------------- transposed -> sub-pixel

def test_transposed_to_subpixel_hand_derived_kernel():
    # 1-D along H: k = 3, s = 2, p = 0, w = [a, b, c]. Phase 0 gets taps 0, 2 (flipped: [c, a]);
    # phase 1 gets tap 1 and the zero tap 3 (flipped: [0, b]); M = 2, padding (1, 1), crop 0.
    w = torch.tensor([2.0, 3.0, 5.0]).reshape(1, 1, 3, 1)
    sub = transposed_to_subpixel(w, stride=(2, 1))
    assert sub.weight.shape == (2, 1, 2, 1)
    assert torch.equal(sub.weight[:, 0, :, 0], torch.tensor([[5.0, 2.0], [0.0, 3.0]]))
    assert sub.padding == ((1, 1), (0, 0)) and sub.crop == (0, 0)


@pytest.mark.parametrize("k, s, p, op, padding, crop", [
    (4, 2, 1, 0, (1, 1), 1),   # the DCGAN / U-Net layer: symmetric, crop 1
    (3, 2, 1, 1, (1, 1), 1),   # k = 3 "same" upsampling by 2
    (2, 2, 0, 0, (0, 0), 0),   # k = s: pure pixel shuffle of a 1×1 convolution
    (1, 3, 3, 2, (-1, -1), 0),  # padding wider than the kernel: rows are removed
    (5, 2, 4, 1, (0, 0), 0),
])
def test_transposed_to_subpixel_padding_and_crop(k, s, p, op, padding, crop):
    sub = transposed_to_subpixel(torch.randn(1, 1, k, k), s, p, op)
    assert sub.padding == (padding, padding) and sub.crop == (crop, crop)
    assert sub.weight.shape[-2:] == (-(-k // s), -(-k // s))


conv_t_cases = st.fixed_dictionaries({
    "k": st.tuples(st.integers(1, 6), st.integers(1, 6)),
    "s": st.tuples(st.integers(1, 4), st.integers(1, 4)),
    "p": st.tuples(st.integers(0, 7), st.integers(0, 7)),
    "op": st.tuples(st.integers(0, 3), st.integers(0, 3)),
    "size": st.tuples(st.integers(1, 5), st.integers(1, 5)),
    "groups": st.integers(1, 3), "c_in": st.integers(1, 2), "c_out": st.integers(1, 2),
    "batch": st.sampled_from([None, 1, 2]),  # None: unbatched (C, H, W) input
    "bias": st.booleans(), "contiguous": st.booleans(),
})


def _valid(case):
    """Skip the combinations PyTorch rejects: output_padding >= stride, or an empty output."""
    assume(all(op < s for op, s in zip(case["op"], case["s"])))
    out = [(n - 1) * s - 2 * p + k + op for n, k, s, p, op in zip(case["size"], case["k"], case["s"], case["p"], case["op"])]
    assume(min(out) >= 1)


def _conv_t_arguments(case, dtype, device):
    g = case["groups"]
    shape = (g * case["c_in"], *case["size"])
    x = _randn(*(shape if case["batch"] is None else (case["batch"], *shape)), dtype=dtype, device=device,
               contiguous=case["contiguous"])
    w = torch.randn(g * case["c_in"], case["c_out"], *case["k"], dtype=dtype, device=device)
    b = torch.randn(g * case["c_out"], dtype=dtype, device=device) if case["bias"] else None
    return x, w, b


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@fixtures_ok
@given(case=conv_t_cases)
def test_conv_transpose2d_subpixel_matches_torch(device, dtype, case):
    _valid(case)
    x, w, b = _conv_t_arguments(case, dtype, device)
    args = (case["s"], case["p"], case["op"], case["groups"])
    out = _conv_transpose2d_subpixel(x, w, b, *args)
    expected = F.conv_transpose2d(x, w, b, *args)
    assert out.shape == expected.shape and out.dtype == dtype and out.device == x.device
    assert out.is_contiguous()
    assert_close(out, expected)


@fixtures_ok
@given(case=conv_t_cases)
def test_transposed_to_subpixel_recipe_matches_torch(device, case):
    """The documented recipe, step by step: pad, convolve, shuffle, crop."""
    _valid(case)
    case["batch"] = case["batch"] or 1
    x, w, b = _conv_t_arguments(case, torch.float64, device)
    (sh, sw), g = case["s"], case["groups"]
    sub = transposed_to_subpixel(w, case["s"], case["p"], case["op"], groups=g)
    assert sub.weight.shape == (g * case["c_out"] * sh * sw, case["c_in"], -(-w.shape[2] // sh), -(-w.shape[3] // sw))
    (top, bottom), (left, right) = sub.padding
    low = F.conv2d(F.pad(x, (left, right, top, bottom)), sub.weight, None if b is None else b.repeat_interleave(sh * sw),
                   groups=g)
    high = pixel_shuffle(low, sh) if sh == sw else _shuffle(low, sh, sw)
    expected = F.conv_transpose2d(x, w, b, case["s"], case["p"], case["op"], g)
    top, left = sub.crop
    assert_close(high[..., top:top + expected.shape[-2], left:left + expected.shape[-1]], expected)


def test_conv_transpose2d_subpixel_gradcheck(device):
    x = torch.randn(1, 2, 2, 3, dtype=torch.float64, device=device, requires_grad=True)
    w = torch.randn(2, 1, 3, 4, dtype=torch.float64, device=device, requires_grad=True)
    b = torch.randn(2, dtype=torch.float64, device=device, requires_grad=True)
    fn = lambda x, w, b: _conv_transpose2d_subpixel(x, w, b, (2, 3), (1, 2), (1, 0), 2)  # noqa: E731
    assert torch.autograd.gradcheck(fn, (x, w, b))


def test_transposed_to_subpixel_rejects_bad_arguments():
    w = torch.randn(4, 2, 3, 3)
    with pytest.raises(ValueError, match=r"weight must be 4-D, got a 3-D tensor"):
        transposed_to_subpixel(w[0], 2)
    with pytest.raises(TypeError, match=r"weight must have a floating-point dtype"):
        transposed_to_subpixel(w.long(), 2)
    with pytest.raises(ValueError, match=r"stride=\(0, 0\) must be positive"):
        transposed_to_subpixel(w, 0)
    with pytest.raises(ValueError, match=r"padding=\(1, -1\) must be non-negative"):
        transposed_to_subpixel(w, 2, padding=(1, -1))
    with pytest.raises(ValueError, match=r"output_padding=\(2, 0\) must be smaller than stride=\(2, 3\)"):
        transposed_to_subpixel(w, (2, 3), output_padding=(2, 0))
    with pytest.raises(ValueError, match=r"groups=3 must divide the input channels weight.shape\[0\] \(4\)"):
        transposed_to_subpixel(w, 2, groups=3)
    with pytest.raises(TypeError, match=r"stride=1.5 must be an int"):
        transposed_to_subpixel(w, 1.5)


# --------------------------------------------------------------------------- sub-pixel -> transposed

subpixel_cases = st.fixed_dictionaries({
    "k": st.tuples(st.integers(1, 4), st.integers(1, 4)),
    "pad": st.tuples(st.integers(0, 3), st.integers(0, 3)),
    "r": st.integers(1, 3), "groups": st.integers(1, 2), "c_in": st.integers(1, 2), "c_out": st.integers(1, 2),
    "size": st.tuples(st.integers(1, 5), st.integers(1, 5)),
})


@fixtures_ok
@given(case=subpixel_cases)
def test_subpixel_to_transposed_is_exact(device, case):
    (kh, kw), (ph, pw), r, g = case["k"], case["pad"], case["r"], case["groups"]
    assume(ph < kh and pw < kw and all(n + 2 * p >= k for n, p, k in zip(case["size"], case["pad"], case["k"])))
    v = torch.randn(g * case["c_out"] * r * r, case["c_in"], kh, kw, dtype=torch.float64, device=device)
    x = torch.randn(2, g * case["c_in"], *case["size"], dtype=torch.float64, device=device)
    t = subpixel_to_transposed(v, r, case["pad"], groups=g)
    assert t.weight.shape == (g * case["c_in"], case["c_out"], kh * r, kw * r)
    assert t.stride == (r, r) and t.output_padding == (0, 0)
    out = F.conv_transpose2d(x, t.weight, None, t.stride, t.padding, t.output_padding, g)
    assert_close(out, F.pixel_shuffle(F.conv2d(x, v, padding=case["pad"], groups=g), r))   # no crop
    # and back again: the same low-resolution weight, padding P on both sides, no crop
    sub = transposed_to_subpixel(t.weight, t.stride, t.padding, t.output_padding, groups=g)
    assert torch.equal(sub.weight, v)
    assert sub.padding == ((ph, ph), (pw, pw)) and sub.crop == (0, 0)


def test_subpixel_to_transposed_same_3x3_layer():
    t = subpixel_to_transposed(torch.randn(4 * 4, 3, 3, 3), 2, padding=1)
    assert (t.weight.shape, t.stride, t.padding, t.output_padding) == ((3, 4, 6, 6), (2, 2), (2, 2), (0, 0))


def test_subpixel_to_transposed_rejects_bad_arguments():
    v = torch.randn(8, 2, 3, 3)
    with pytest.raises(ValueError, match=r"padding=\(1, 3\) must be at most kernel_size - 1 = \(2, 2\)"):
        subpixel_to_transposed(v, 2, padding=(1, 3))
    with pytest.raises(ValueError, match=r"weight has 8 output channels .* groups \* upscale_factor\*\*2 = 1 \* 9"):
        subpixel_to_transposed(v, 3)
    with pytest.raises(ValueError, match=r"weight has 8 output channels .* groups \* upscale_factor\*\*2 = 4 \* 4"):
        subpixel_to_transposed(v, 2, groups=4)
    with pytest.raises(ValueError, match=r"upscale_factor=0 must be positive"):
        subpixel_to_transposed(v, 0)
    with pytest.raises(ValueError, match=r"weight must be 4-D"):
        subpixel_to_transposed(v[0], 2)


# --------------------------------------------------------------------------- ICNR

@pytest.mark.parametrize("r, c_out", [(2, 1), (2, 3), (3, 2)])
def test_icnr_is_conv_then_nearest_upsampling(device, dtype, r, c_out):
    w = icnr_(torch.empty(c_out * r * r, 3, 3, 3, dtype=dtype, device=device), r)
    phases = w.unflatten(0, (c_out, r * r))                             # (C_out, r², C_in, kH, kW)
    assert torch.equal(phases, phases[:, :1].expand_as(phases))         # the r² phases share one kernel
    x = torch.randn(2, 3, 7, 6, dtype=dtype, device=device)
    y = pixel_shuffle(F.conv2d(x, w, padding=1), r)
    assert_close(y, F.interpolate(F.conv2d(x, w[:: r * r], padding=1), scale_factor=r, mode="nearest"))


@pytest.mark.parametrize("r", [2, 3])
def test_icnr_is_exactly_nearest_upsampling_without_rounding(device, dtype, r):
    """With small integers every sum is exact in floating point, so equality is bit for bit."""
    small_ints = lambda t: t.copy_(torch.randint(-3, 4, t.shape))  # noqa: E731
    w = icnr_(torch.empty(2 * r * r, 3, 3, 3, dtype=dtype, device=device), r, init=small_ints)
    x = torch.randint(-4, 5, (2, 3, 5, 6), device=device).to(dtype)
    y = pixel_shuffle(F.conv2d(x, w, padding=1), r)
    assert torch.equal(y, F.interpolate(F.conv2d(x, w[:: r * r], padding=1), scale_factor=r, mode="nearest"))


def test_icnr_uses_init_in_place_and_returns_weight():
    p = torch.nn.Parameter(torch.zeros(8, 2, 3, 3))
    seen = []
    out = icnr_(p, 2, init=lambda t: seen.append(t.shape) or torch.nn.init.constant_(t, 0.5))
    assert out is p and p.requires_grad
    assert seen == [(2, 2, 3, 3)]                       # the sub-kernel, not the whole weight
    assert torch.equal(p.detach(), torch.full((8, 2, 3, 3), 0.5))


def test_icnr_default_init_is_kaiming_of_the_subkernel():
    torch.manual_seed(0)
    w = icnr_(torch.empty(4 * 64, 32, 3, 3), 2)
    std = w[::4].std().item()
    assert abs(std - (2 / (32 * 9)) ** 0.5) < 0.1 * (2 / (32 * 9)) ** 0.5   # kaiming_normal_: sqrt(2 / fan_in)
    assert torch.unique(w[::4]).numel() > 1000                                  # random, not a constant


def test_icnr_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"weight has 6 output channels .* not divisible by upscale_factor\*\*2=4"):
        icnr_(torch.empty(6, 2, 3, 3), 2)
    with pytest.raises(ValueError, match=r"weight must be 4-D"):
        icnr_(torch.empty(8, 3, 3), 2)
    with pytest.raises(ValueError, match=r"upscale_factor=-1 must be positive"):
        icnr_(torch.empty(8, 2, 3, 3), -1)
    with pytest.raises(TypeError, match=r"init='normal' must be a callable"):
        icnr_(torch.empty(8, 2, 3, 3), 2, init="normal")


def test_icnr_uses_an_out_of_place_init():
    # An initializer that returns a new tensor (and leaves its argument alone) is used, not lost.
    w = icnr_(torch.zeros(8, 2, 3, 3), 2, init=lambda t: torch.arange(t.numel(), dtype=t.dtype).reshape(t.shape))
    assert torch.equal(w[::4].flatten(), torch.arange(36.0))
    assert torch.equal(w, w[::4].repeat_interleave(4, dim=0))


def test_icnr_refuses_an_init_that_fills_nothing():
    w = torch.zeros(8, 2, 3, 3)
    with pytest.raises(ValueError, match=r"init left the sub-kernel unfilled"):
        icnr_(w, 2, init=lambda t: None)
    assert torch.equal(w, torch.zeros(8, 2, 3, 3))     # the weight is untouched
    with pytest.raises(ValueError, match=r"init returned a tensor of shape \(8, 2, 3, 3\); .* \(2, 2, 3, 3\)"):
        icnr_(w, 2, init=lambda t: torch.ones(8, 2, 3, 3))
    with pytest.raises(TypeError, match=r"init returned a float"):
        icnr_(w, 2, init=lambda t: 1.0)


def test_conversions_accept_groups_as_a_one_element_list():
    w = torch.randn(4, 3, 4, 4, dtype=torch.float64)
    assert torch.equal(transposed_to_subpixel(w, 2, groups=[2]).weight, transposed_to_subpixel(w, 2, groups=2).weight)
    v = torch.randn(16, 2, 3, 3, dtype=torch.float64)
    assert torch.equal(subpixel_to_transposed(v, 2, groups=[2]).weight, subpixel_to_transposed(v, 2, groups=2).weight)
    with pytest.raises(ValueError, match=r"groups=\[2, 2\] must be an int or a sequence of one int"):
        transposed_to_subpixel(w, 2, groups=[2, 2])
