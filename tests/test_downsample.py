"""blur_pool2d, binomial_filter, avg_pool_matrix and shift_equivariance_error against hand-built oracles and PyTorch."""

import math

import pytest
import torch
import torch.nn.functional as F
from conftest import assert_close, refused, torch_refuses
from hypothesis import given, settings
from hypothesis import strategies as st

from upsampling.downsample import avg_pool_matrix, binomial_filter, blur_pool2d, shift_equivariance_error
from upsampling.images import checkerboard, natural_image

# Pascal's triangle, written out by hand
PASCAL = {1: [1], 2: [1, 1], 3: [1, 2, 1], 4: [1, 3, 3, 1], 5: [1, 4, 6, 4, 1],
          6: [1, 5, 10, 10, 5, 1], 7: [1, 6, 15, 20, 15, 6, 1]}


def randn(*shape, dtype=torch.float64, device="cpu", seed=0):
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=dtype).to(device)


def reference_blur_pool(x, stride, f):
    """Zhang's construction from hand-written taps: reflect pad (f-1)//2 before, ceil((f-1)/2) after, depthwise conv."""
    taps = torch.tensor(PASCAL[f], dtype=x.dtype, device=x.device)
    kernel = torch.outer(taps, taps) / taps.sum() ** 2
    pad = [int(1. * (f - 1) / 2), int(math.ceil(1. * (f - 1) / 2))] * 2
    c = x.shape[1]
    return F.conv2d(F.pad(x, pad, mode="reflect"), kernel.repeat(c, 1, 1, 1), stride=stride, groups=c)


# ---------------------------------------------------------------- binomial_filter

@pytest.mark.parametrize("f", range(1, 8))
def test_binomial_filter_is_pascal_outer_product(f):
    k = binomial_filter(f)
    row = torch.tensor(PASCAL[f], dtype=torch.float64)
    assert k.shape == (f, f) and k.dtype == torch.float64
    assert_close(k * 4 ** (f - 1), torch.outer(row, row))
    assert_close(k.sum(), torch.tensor(1.0, dtype=torch.float64))


def test_binomial_filter_hand_written_3_and_5():
    assert_close(binomial_filter(3), torch.tensor([[1., 2., 1.], [2., 4., 2.], [1., 2., 1.]], dtype=torch.float64) / 16)
    assert_close(binomial_filter(5)[2], torch.tensor([6., 24., 36., 24., 6.], dtype=torch.float64) / 256)


@pytest.mark.parametrize("f, error", [(0, ValueError), (8, ValueError), (3.0, TypeError), ("3", TypeError)])
def test_binomial_filter_rejects(f, error):
    with pytest.raises(error, match="filter_size"):
        binomial_filter(f)


# ---------------------------------------------------------------- blur_pool2d

def test_blur_pool_hand_derived_impulse():
    """A 16 at (1, 1) of a 4x4 image, f = 3, stride 2; reflection about row/column 0 doubles the
    taps that reach row/column 1 from the outputs at 0: weights (1/4 + 1/4) for the outputs at 0, 1/4 at 2."""
    x = torch.zeros(1, 1, 4, 4, dtype=torch.float64)
    x[0, 0, 1, 1] = 16
    expected = torch.tensor([[[[16 * 0.5 * 0.5, 16 * 0.5 * 0.25],
                               [16 * 0.25 * 0.5, 16 * 0.25 * 0.25]]]], dtype=torch.float64)
    assert_close(blur_pool2d(x, 2, 3), expected)  # [[4, 2], [2, 1]]


def test_blur_pool_hand_derived_ramp():
    # columns 0, 2, 4 of 1 2 3 4 5 see (2, 1, 2), (2, 3, 4), (4, 5, 4) with taps 1 2 1 / 4
    x = torch.tensor([[1., 2., 3., 4., 5.]] * 3, dtype=torch.float64)[None, None]
    assert_close(blur_pool2d(x, 2, 3), torch.tensor([[[[1.5, 3.0, 4.5]] * 2]], dtype=torch.float64))


@st.composite
def blur_cases(draw):
    f = draw(st.integers(1, 7))
    size = (draw(st.integers(f // 2 + 1, 13)), draw(st.integers(f // 2 + 1, 13)))
    stride = draw(st.one_of(st.integers(1, 4), st.tuples(st.integers(1, 4), st.integers(1, 4))))
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 3)), *size)
    return shape, stride, f, draw(st.integers(0, 2**16))


@given(case=blur_cases(), dtype=st.sampled_from([torch.float64, torch.float32]))
def test_blur_pool_matches_reference(case, dtype):
    shape, stride, f, seed = case
    x = randn(*shape, dtype=dtype, seed=seed)
    out = blur_pool2d(x, stride, f)
    s = (stride, stride) if isinstance(stride, int) else stride
    assert out.shape == (*shape[:2], *((n - 1) // ss + 1 for n, ss in zip(shape[2:], s)))  # floor((H-1)/s) + 1
    assert out.dtype == dtype
    assert_close(out, reference_blur_pool(x, stride, f))


@settings(max_examples=20)
@given(case=blur_cases())
def test_blur_pool_filter_size_1_is_plain_subsampling(case):
    shape, stride, _, seed = case
    x = randn(*shape, seed=seed)
    s = (stride, stride) if isinstance(stride, int) else stride
    assert torch.equal(blur_pool2d(x, stride, 1), x[..., ::s[0], ::s[1]])


def test_blur_pool_filter_size_2_is_average_pooling_on_even_sizes():
    x = randn(2, 3, 8, 6)
    assert_close(blur_pool2d(x, 2, 2), F.avg_pool2d(x, 2))


def test_blur_pool_preserves_constants():
    x = torch.full((1, 2, 7, 9), 3.5, dtype=torch.float64)
    for f in range(1, 8):
        assert_close(blur_pool2d(x, 2, f), torch.full((1, 2, 4, 5), 3.5, dtype=torch.float64))


def test_blur_pool_unbatched_and_non_contiguous():
    x = randn(2, 3, 9, 8)
    expected = reference_blur_pool(x, 2, 5)
    assert_close(blur_pool2d(x[0], 2, 5), expected[0])
    x_cl = x.contiguous(memory_format=torch.channels_last)
    x_t = x.transpose(-1, -2).contiguous().transpose(-1, -2)
    assert not x_cl.is_contiguous() and not x_t.is_contiguous()
    assert_close(blur_pool2d(x_cl, 2, 5), expected)
    assert_close(blur_pool2d(x_t, 2, 5), expected)


def test_blur_pool_on_device(device, dtype):
    x = randn(2, 3, 10, 7, dtype=dtype, device=device)
    out = blur_pool2d(x, 2, 4)
    assert out.device.type == device.type and out.dtype == dtype
    assert_close(out, reference_blur_pool(x, 2, 4))


def test_blur_pool_gradcheck(device):
    x = randn(1, 2, 6, 5, device=device).requires_grad_(True)
    assert torch.autograd.gradcheck(lambda t: blur_pool2d(t, 2, 3), (x,))
    assert torch.autograd.gradcheck(lambda t: blur_pool2d(t, (1, 3), 4), (x,))


@pytest.mark.parametrize("call, error, match", [
    (lambda x: blur_pool2d(x, 2, 0), ValueError, "filter_size=0 is not supported"),
    (lambda x: blur_pool2d(x, 2, 8), ValueError, "filter_size=8 is not supported"),
    (lambda x: blur_pool2d(x, 2, 3.0), TypeError, "filter_size"),
    (lambda x: blur_pool2d(x, 0, 3), ValueError, "stride"),
    (lambda x: blur_pool2d(x, (2, 2, 2), 3), ValueError, "stride"),
    (lambda x: blur_pool2d(x[0, 0], 2, 3), ValueError, "input must be 3-D or 4-D"),
    (lambda x: blur_pool2d(x.long(), 2, 3), TypeError, "input must have a floating-point dtype"),
    (lambda x: blur_pool2d(x[..., :2, :], 2, 5), ValueError, r"filter_size=5 reflect-pads by 2 .* got spatial size 2x4"),
    (lambda x: blur_pool2d(x[..., :1], 2, 2), ValueError, "filter_size=2 reflect-pads by 1"),
])
def test_blur_pool_rejects(call, error, match):
    x = randn(1, 2, 4, 4)
    with pytest.raises(error, match=match):
        call(x)


def test_blur_pool_smallest_inputs_accepted_where_reflect_padding_works():
    x = randn(1, 1, 3, 3)
    assert blur_pool2d(x, 2, 5).shape == (1, 1, 2, 2)
    assert_close(blur_pool2d(x, 2, 5), reference_blur_pool(x, 2, 5))
    with pytest.raises(RuntimeError):  # one pixel less and PyTorch's reflect padding fails
        F.pad(x[..., :2, :], (2, 2, 2, 2), mode="reflect")


# ---------------------------------------------------------------- avg_pool_matrix

def test_avg_pool_matrix_hand_written():
    # kernel 2, stride 2, padding 1 on 5 samples: windows (-1, 0), (1, 2), (3, 4)
    assert_close(avg_pool_matrix(5, 2, padding=1),
                 torch.tensor([[.5, 0, 0, 0, 0], [0, .5, .5, 0, 0], [0, 0, 0, .5, .5]], dtype=torch.float64))
    # count_include_pad=False: the padded zero of the first window does not count
    assert_close(avg_pool_matrix(5, 2, padding=1, count_include_pad=False),
                 torch.tensor([[1, 0, 0, 0, 0], [0, .5, .5, 0, 0], [0, 0, 0, .5, .5]], dtype=torch.float64))
    # ceil_mode: windows (0, 1), (2, 3) and a last one (4,) cut by the signal's end
    assert_close(avg_pool_matrix(5, 2, ceil_mode=True),
                 torch.tensor([[.5, .5, 0, 0, 0], [0, 0, .5, .5, 0], [0, 0, 0, 0, 1]], dtype=torch.float64))
    # overlapping windows of 3 with stride 1, padding 1, count_include_pad: every divisor is 3
    assert_close(avg_pool_matrix(3, 3, 1, 1),
                 torch.tensor([[1, 1, 0], [1, 1, 1], [0, 1, 1]], dtype=torch.float64) / 3)


@st.composite
def pool_cases(draw):
    k = draw(st.integers(1, 5))
    s = draw(st.one_of(st.none(), st.integers(1, 4)))
    p = draw(st.integers(0, k // 2))
    length = draw(st.integers(max(1, k - 2 * p), 13))
    return length, k, s, p, draw(st.booleans()), draw(st.booleans())


@given(case=pool_cases(), dtype=st.sampled_from([torch.float64, torch.float32]))
def test_avg_pool_matrix_matches_avg_pool1d(case, dtype):
    length, k, s, p, ceil_mode, count_include_pad = case
    a = avg_pool_matrix(length, k, s, p, ceil_mode, count_include_pad)
    x = randn(3, length, dtype=dtype, seed=length)
    expected = F.avg_pool1d(x[:, None], k, s, p, ceil_mode, count_include_pad)[:, 0]
    assert a.shape == (expected.shape[-1], length)
    assert_close(x @ a.to(dtype).T, expected)


@given(rows=pool_cases(), cols=pool_cases(), dtype=st.sampled_from([torch.float64, torch.float32]))
def test_avg_pool_matrix_separably_equals_avg_pool2d(rows, cols, dtype):
    (h, kh, sh, ph, ceil_h, cip), (w, kw, sw, pw, _, _) = rows, cols
    sh, sw = sh or kh, sw or kw
    # F.avg_pool2d takes one ceil_mode and one count_include_pad for both axes
    a_h = avg_pool_matrix(h, kh, sh, ph, ceil_h, cip).to(dtype)
    a_w = avg_pool_matrix(w, kw, sw, pw, ceil_h, cip).to(dtype)
    x = randn(2, h, w, dtype=dtype, seed=h * 31 + w)
    expected = F.avg_pool2d(x[:, None], (kh, kw), (sh, sw), (ph, pw), ceil_h, cip)[:, 0]
    assert_close(a_h @ x @ a_w.T, expected)
    assert_close((torch.kron(a_h, a_w) @ x.flatten(1).T).T, expected.flatten(1))  # the Kronecker form




def test_avg_pool_matrix_rejects_exactly_where_avg_pool1d_rejects():
    cases = 0
    for length in range(1, 7):
        for k in range(1, 5):
            for s in range(1, 4):
                for p in range(0, 4):
                    for ceil_mode in (False, True):
                        ours = refused(lambda: avg_pool_matrix(length, k, s, p, ceil_mode))
                        theirs = torch_refuses(lambda: F.avg_pool1d(torch.zeros(1, 1, length), k, s, p, ceil_mode))
                        assert ours == theirs, f"L={length}, k={k}, s={s}, p={p}, ceil_mode={ceil_mode}"
                        cases += theirs
    assert cases > 0


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(in_size=5, kernel_size=3, padding=2), ValueError, "padding=2 must be at most half"),
    (dict(in_size=2, kernel_size=5), ValueError, "size=2 is too small"),
    (dict(in_size=0, kernel_size=1), ValueError, "in_size=0 must be positive"),
    (dict(in_size=5, kernel_size=0), ValueError, "kernel_size=0 must be positive"),
    (dict(in_size=5, kernel_size=2, stride=0), ValueError, "stride=0 must be positive"),
    (dict(in_size=5, kernel_size=2, padding=-1), ValueError, "padding=-1 must be non-negative"),
    (dict(in_size=5.0, kernel_size=2), TypeError, "in_size"),
    (dict(in_size=5, kernel_size=2, ceil_mode=1), TypeError, "ceil_mode=1 must be a bool"),
    (dict(in_size=5, kernel_size=2, count_include_pad=None), TypeError, "count_include_pad=None must be a bool"),
])
def test_avg_pool_matrix_rejects(kwargs, error, match):
    with pytest.raises(error, match=match):
        avg_pool_matrix(**kwargs)


# ---------------------------------------------------------------- shift_equivariance_error

def brute_force_error(op, x, shift):
    """The definition, literally: try every circular shift of the output."""
    shift = (shift, shift) if isinstance(shift, int) else shift
    a, b = op(torch.roll(x, shift, dims=(-2, -1))), op(x)
    h, w = b.shape[-2:]
    best = min(torch.linalg.vector_norm(a - torch.roll(b, (ty, tx), dims=(-2, -1))).item()
               for ty in range(h) for tx in range(w))
    return best / torch.linalg.vector_norm(b).item()


def test_shift_error_hand_derived():
    # [1 2 3 4] -> keep columns 0, 2: [1 3]; shifted [4 1 2 3] -> [4 2]; best realignment [3 1]: distance sqrt(2)
    x = torch.tensor([[1., 2., 3., 4.]], dtype=torch.float64)
    assert shift_equivariance_error(lambda t: t[..., ::2], x, (0, 1)) == pytest.approx(math.sqrt(2 / 10), rel=1e-12)


@pytest.mark.parametrize("op", [
    lambda t: t[..., ::2, ::2],
    lambda t: blur_pool2d(t, 2, 3),
    lambda t: F.avg_pool2d(t, 2),
    lambda t: F.max_pool2d(t, 3, 2, 1),
])
@pytest.mark.parametrize("shift", [1, (0, 1), (2, -1), 3])
def test_shift_error_equals_brute_force(op, shift):
    x = randn(2, 3, 10, 8, seed=7)
    assert shift_equivariance_error(op, x, shift) == pytest.approx(brute_force_error(op, x, shift), rel=1e-9, abs=1e-12)


def test_shift_error_zero_for_equivariant_cases():
    x = randn(1, 2, 12, 12)
    circular_blur = lambda t: F.conv2d(F.pad(t, (1, 1, 1, 1), mode="circular"), binomial_filter(3).to(t).expand(2, 1, 3, 3), groups=2)
    assert shift_equivariance_error(lambda t: t, x, (3, -5)) == 0.0
    assert shift_equivariance_error(circular_blur, x, 1) < 1e-15
    assert shift_equivariance_error(lambda t: t[..., ::2, ::2], x, (2, 4)) == 0.0  # even shifts, stride 2
    assert shift_equivariance_error(lambda t: blur_pool2d(t, 2, 1), x, 2) == 0.0


def test_blurring_reduces_shift_error_on_natural_image():
    x = natural_image(64, dtype=torch.float64)[None]
    plain = shift_equivariance_error(lambda t: t[..., ::2, ::2], x, (0, 1))
    blurred = shift_equivariance_error(lambda t: blur_pool2d(t, 2, 5), x, (0, 1))
    assert blurred < 0.75 * plain


def test_shift_error_rejects():
    x = randn(1, 1, 4, 4)
    with pytest.raises(TypeError, match="op must be callable"):
        shift_equivariance_error(None, x)
    with pytest.raises(ValueError, match="x must have at least 2 dimensions"):
        shift_equivariance_error(lambda t: t, x[0, 0, 0])
    with pytest.raises(TypeError, match="x must have a floating-point dtype"):
        shift_equivariance_error(lambda t: t, x.long())
    with pytest.raises(ValueError, match=r"shift=\(1, 2, 3\) must have 2 entries"):
        shift_equivariance_error(lambda t: t, x, (1, 2, 3))
    with pytest.raises(ValueError, match="op\\(shifted x\\) must be a floating tensor"):
        shift_equivariance_error(lambda t: t.sum(), x)
    with pytest.raises(TypeError, match="op\\(shifted x\\) must be a floating tensor .* got list"):
        shift_equivariance_error(lambda t: t.tolist(), x)
    with pytest.raises(ValueError, match="op must map inputs of one shape"):
        shift_equivariance_error(lambda t: t[..., : 1 + int(t[0, 0, 0, 0] > 0), :], torch.eye(4)[None, None] - 0.5, (0, 1))
    with pytest.raises(ValueError, match="op\\(x\\) is zero everywhere"):
        shift_equivariance_error(lambda t: t[..., ::2, ::2], checkerboard(4, 1, dtype=torch.float64), (0, 1))
