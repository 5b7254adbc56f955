"""max_unpool2d against F.max_unpool2d, against autograd's gradient of max pooling, and by hand."""

import pytest
import torch
import torch.nn.functional as F
from conftest import assert_close, pytorch_behaviour_since, refused, torch_refuses
from hypothesis import given, settings
from hypothesis import strategies as st

from upsampling.unpool import max_unpool2d


def pooled(shape, kernel_size, stride=None, padding=0, ceil_mode=False, dtype=torch.float64, device="cpu", seed=0):
    """A random tensor of ``shape``, max-pooled with switches: (x, values, indices)."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(shape, generator=g, dtype=dtype).to(device)
    y, idx = F.max_pool2d(x, kernel_size, stride, padding, ceil_mode=ceil_mode, return_indices=True)
    return x, y, idx


# ---------------------------------------------------------------- smoke and hand-derived values

def test_hand_derived_example():
    x = torch.tensor([[[[1., 5., 2., 0.],
                        [3., 4., 8., 7.],
                        [0., 0., 1., 0.],
                        [9., 0., 0., 2.]]]])
    y, idx = F.max_pool2d(x, 2, return_indices=True)
    assert idx.tolist() == [[[[1, 6], [12, 15]]]]
    expected = torch.tensor([[[[0., 5., 0., 0.],
                               [0., 0., 8., 0.],
                               [0., 0., 0., 0.],
                               [9., 0., 0., 2.]]]])
    assert torch.equal(max_unpool2d(y, idx, 2), expected)


def test_output_size_picks_the_plane_the_indices_address():
    # a 5x5 input pools (k=2) to 2x2 like a 4x4 one; only output_size=(5, 5) puts the values back
    x = torch.arange(25.0).reshape(1, 1, 5, 5)
    y, idx = F.max_pool2d(x, 2, return_indices=True)
    assert idx.tolist() == [[[[6, 8], [16, 18]]]]
    out = max_unpool2d(y, idx, 2, output_size=(5, 5))
    expected = torch.zeros(25)
    expected[[6, 8, 16, 18]] = torch.tensor([6., 8., 16., 18.])  # x holds its flat index as value
    assert torch.equal(out, expected.reshape(1, 1, 5, 5))
    with pytest.raises(ValueError, match="indices contains 16"):  # 16 and 18 do not fit a 4x4 plane
        max_unpool2d(y, idx, 2)


# ---------------------------------------------------------------- shapes

@pytest.mark.parametrize("size, kernel_size, stride, padding, expected", [
    ((3, 4), 2, None, 0, (6, 8)),          # (H - 1) * 2 + 2
    ((3, 4), 3, 2, 1, (5, 7)),             # (H - 1) * 2 - 2 + 3
    ((2, 5), (2, 3), (1, 2), (1, 0), (1, 11)),
    ((1, 1), 1, None, 0, (1, 1)),
])
def test_default_output_size(size, kernel_size, stride, padding, expected):
    y = torch.ones(2, 3, *size)
    idx = torch.zeros(2, 3, *size, dtype=torch.int64)
    assert max_unpool2d(y, idx, kernel_size, stride, padding).shape == (2, 3, *expected)


def test_unbatched_input_equals_batched():
    x, y, idx = pooled((3, 6, 6), 2)
    out = max_unpool2d(y, idx, 2)
    assert out.shape == (3, 6, 6)
    assert torch.equal(out, max_unpool2d(y[None], idx[None], 2)[0])
    assert torch.equal(out, F.max_unpool2d(y, idx, 2))


def test_empty_batch_like_pytorch():
    y, idx = torch.zeros(0, 2, 3, 3), torch.zeros(0, 2, 3, 3, dtype=torch.int64)
    assert max_unpool2d(y, idx, 2).shape == F.max_unpool2d(y, idx, 2).shape == (0, 2, 6, 6)


@pytest.mark.parametrize("output_size", [(7, 5), [7, 5], (2, 3, 7, 5), torch.Size([2, 3, 7, 5])])
def test_output_size_forms(output_size):
    x, y, idx = pooled((2, 3, 7, 5), 2)
    out = max_unpool2d(y, idx, 2, output_size=output_size)
    assert out.shape == (2, 3, 7, 5)
    assert_close(out, F.max_unpool2d(y, idx, 2, output_size=output_size))


# ---------------------------------------------------------------- against PyTorch

@st.composite
def unpool_cases(draw):
    k = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    s = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    p = tuple(draw(st.integers(0, kk // 2)) for kk in k)
    size = tuple(draw(st.integers(max(1, kk - 2 * pp), 11)) for kk, pp in zip(k, p))
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 3)), *size)
    ceil_mode = draw(st.booleans())
    form = draw(st.sampled_from(["pair", "full", "none"]))
    return shape, k, s, p, ceil_mode, form, draw(st.integers(0, 2**16))


@given(case=unpool_cases(), dtype=st.sampled_from([torch.float64, torch.float32]))
def test_matches_pytorch(case, dtype):
    shape, k, s, p, ceil_mode, form, seed = case
    x, y, idx = pooled(shape, k, s, p, ceil_mode, dtype, seed=seed)
    default = tuple((n - 1) * ss - 2 * pp + kk for n, kk, ss, pp in zip(y.shape[-2:], k, s, p))
    if form == "none" and default != shape[-2:]:
        form = "pair"  # the indices address the original plane, so its size must be given
    output_size = {"pair": shape[-2:], "full": shape, "none": None}[form]
    out = max_unpool2d(y, idx, k, s, p, output_size=output_size)
    expected = F.max_unpool2d(y, idx, k, s, p, output_size=output_size)
    assert out.dtype == dtype and out.shape == shape
    assert_close(out, expected)


@settings(max_examples=30)
@given(case=unpool_cases())
def test_non_contiguous_input(case):
    shape, k, s, p, ceil_mode, _, seed = case
    x, y, idx = pooled((shape[0], 2 * shape[1] + 2, *shape[2:]), k, s, p, ceil_mode, seed=seed)
    y, idx = y[:, ::2], idx[:, ::2]  # every other channel (at least 2 of them): a strided view
    assert not y.is_contiguous()
    assert_close(max_unpool2d(y, idx, k, s, p, output_size=shape[-2:]),
                 F.max_unpool2d(y.contiguous(), idx.contiguous(), k, s, p, output_size=shape[-2:]))


def test_channels_last_input():
    x, y, idx = pooled((2, 3, 8, 8), 2)
    y_cl, idx_cl = y.contiguous(memory_format=torch.channels_last), idx.contiguous(memory_format=torch.channels_last)
    assert not y_cl.is_contiguous()
    assert_close(max_unpool2d(y_cl, idx_cl, 2), F.max_unpool2d(y, idx, 2))


def test_on_device(device, dtype):
    x, y, idx = pooled((2, 3, 9, 8), 3, 2, 1, dtype=dtype, device=device)
    out = max_unpool2d(y, idx, 3, 2, 1, output_size=(9, 8))
    assert out.device.type == device.type and out.dtype == dtype
    assert_close(out, F.max_unpool2d(y, idx, 3, 2, 1, output_size=(9, 8)))


# ---------------------------------------------------------------- the adjoint of max pooling

@st.composite
def non_overlapping_cases(draw):
    k = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    p = tuple(draw(st.integers(0, kk // 2)) for kk in k)
    size = tuple(draw(st.integers(max(1, kk - 2 * pp), 12)) for kk, pp in zip(k, p))
    return (draw(st.integers(1, 2)), draw(st.integers(1, 3)), *size), k, p, draw(st.integers(0, 2**16))


@given(case=non_overlapping_cases())
def test_equals_gradient_of_max_pooling(case):
    """stride == kernel_size: each input pixel is in at most one window, so the gradient places, never adds."""
    shape, k, p, seed = case
    x = torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64, requires_grad=True)
    y, idx = F.max_pool2d(x, k, padding=p, return_indices=True)
    g = torch.randn(y.shape, generator=torch.Generator().manual_seed(seed + 1), dtype=x.dtype)
    (grad,) = torch.autograd.grad(y, x, g)
    assert_close(max_unpool2d(g, idx, k, padding=p, output_size=x.shape[-2:]), grad)


def test_overlapping_windows_select_a_position_twice():
    # windows [0, 1] and [1, 2] of (0, 9, 0) both pick position 1
    x = torch.tensor([[[[0., 9., 0.]]]], requires_grad=True)
    y, idx = F.max_pool2d(x, (1, 2), stride=1, return_indices=True)
    assert idx.tolist() == [[[[1, 1]]]]
    # the two writes carry the same maximum, so unpooling is well defined
    assert torch.equal(max_unpool2d(y.detach(), idx, (1, 2), stride=1), torch.tensor([[[[0., 9., 0.]]]]))
    # but the gradient adds both upstream values, while unpooling writes one of them
    g = torch.tensor([[[[1., 2.]]]])
    (grad,) = torch.autograd.grad(y, x, g)
    assert grad.tolist() == [[[[0., 3., 0.]]]]
    assert max_unpool2d(g, idx, (1, 2), stride=1)[0, 0, 0, 1].item() in (1.0, 2.0)


def test_gradcheck(device):
    # non-overlapping windows: with a repeated index the last write wins, so finite differences see
    # only one of the two values while the analytical gradient (a gather, as PyTorch's) gives both
    x, y, idx = pooled((2, 2, 5, 7), (2, 3), (2, 3), 1, device=device)
    y.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda v: max_unpool2d(v, idx, (2, 3), (2, 3), 1, output_size=(5, 7)), (y,))
    assert torch.autograd.gradgradcheck(lambda v: max_unpool2d(v, idx, (2, 3), (2, 3), 1, output_size=(5, 7)), (y,))


def test_gradient_matches_pytorch_with_repeated_indices():
    x, y, idx = pooled((2, 2, 7, 6), 3, 1, 1)
    assert any(len(plane.unique()) < plane.numel() for plane in idx.flatten(0, 1))  # some position repeats
    g = torch.randn(2, 2, 7, 6, dtype=torch.float64)
    y.requires_grad_(True)
    (ours,) = torch.autograd.grad(max_unpool2d(y, idx, 3, 1, 1), y, g)
    (theirs,) = torch.autograd.grad(F.max_unpool2d(y, idx, 3, 1, 1), y, g)
    assert_close(ours, theirs)


# ---------------------------------------------------------------- rejecting exactly what PyTorch rejects



@pytest.mark.parametrize("kernel_size", [1, 2, 3])
@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("padding", [0, 1])
def test_output_size_rejected_exactly_where_pytorch_rejects(kernel_size, stride, padding):
    cases = 0
    for n in range(1, 4):
        y = torch.ones(1, 1, n, n + 1)
        idx = torch.zeros(1, 1, n, n + 1, dtype=torch.int64)  # valid in every non-empty plane
        default_h, default_w = ((m - 1) * stride - 2 * padding + kernel_size for m in (n, n + 1))
        # each dimension through its whole range (and beyond), the other one at its default
        sizes = [None] + [(h, default_w) for h in range(default_h - stride - 2, default_h + stride + 2)] \
            + [(default_h, w) for w in range(default_w - stride - 2, default_w + stride + 2)]
        for size in sizes:
            ours = refused(lambda: max_unpool2d(y, idx, kernel_size, stride, padding, output_size=size))
            theirs = torch_refuses(lambda: F.max_unpool2d(y, idx, kernel_size, stride, padding, output_size=size))
            if 0 in (size or (default_h, default_w)):
                # deliberate difference: PyTorch returns an empty plane and drops the values unchecked
                assert ours, f"n={n}, output_size={size}: an empty output plane must be rejected"
                continue
            assert ours == theirs, f"n={n}, output_size={size}: ours rejects={ours}, PyTorch rejects={theirs}"
            cases += theirs
    assert cases > 0  # the grid does reach PyTorch's rejections


def test_output_size_message_states_the_range():
    x, y, idx = pooled((1, 1, 4, 4), 2)
    with pytest.raises(ValueError, match=r"output_size=\(7, 4\).*strictly between 2 and 6"):
        max_unpool2d(y, idx, 2, output_size=(7, 4))
    with pytest.raises(ValueError, match=r"output_size=\(1, 4, 4\) must have 2 entries"):
        max_unpool2d(y, idx, 2, output_size=(1, 4, 4))
    with pytest.raises(TypeError, match="output_size"):
        max_unpool2d(y, idx, 2, output_size=(4.0, 4))
    with pytest.raises(TypeError, match="output_size"):
        max_unpool2d(y, idx, 2, output_size=4)


def test_empty_output_plane_rejected():
    y, idx = torch.ones(1, 1, 1, 2), torch.zeros(1, 1, 1, 2, dtype=torch.int64)
    assert F.max_unpool2d(y, idx, 1, 2, output_size=(0, 2)).numel() == 0  # PyTorch drops the values silently
    with pytest.raises(ValueError, match="the output plane of size 0x2 has no pixels"):
        max_unpool2d(y, idx, 1, 2, output_size=(0, 2))


@pytorch_behaviour_since((2, 13), "refuses a negative output size with another error or message")
def test_negative_output_size_inside_the_window_rejected():
    # kernel 1, stride 3 on a 1x1 input: the default is 1 and the window (1 - 3, 1 + 3) admits -1, not a size
    y, idx = torch.ones(1, 1, 1, 1), torch.zeros(1, 1, 1, 1, dtype=torch.int64)
    with pytest.raises(ValueError, match="output_size must contain non-negative spatial dimensions"):
        F.max_unpool2d(y, idx, 1, 3, output_size=(-1, 1))
    with pytest.raises(ValueError, match=r"output_size=\(-1, 1\) must be non-negative in every spatial dimension"):
        max_unpool2d(y, idx, 1, 3, output_size=(-1, 1))


@pytorch_behaviour_since((2, 13), "refuses a negative default output size with a RuntimeError")
def test_negative_default_size_rejected():
    y, idx = torch.ones(1, 1, 1, 1), torch.zeros(1, 1, 1, 1, dtype=torch.int64)
    with pytest.raises(ValueError):
        F.max_unpool2d(y, idx, 1, padding=1)
    with pytest.raises(ValueError, match="default output size"):
        max_unpool2d(y, idx, 1, padding=1)


@pytest.mark.parametrize("bad", [16, 100, -1])
def test_out_of_range_index_named(bad):
    x, y, idx = pooled((1, 2, 4, 4), 2)
    idx = idx.clone()
    idx[0, 1, 1, 0] = bad
    with pytest.raises(RuntimeError, match="invalid max index"):
        F.max_unpool2d(y, idx, 2)
    with pytest.raises(ValueError, match=rf"indices contains {bad}, outside the output plane of size 4x4"):
        max_unpool2d(y, idx, 2)


@pytest.mark.parametrize("call, error, match", [
    (lambda y, i: max_unpool2d(y[0, 0], i[0, 0], 2), ValueError, "input must be 3-D or 4-D"),
    (lambda y, i: max_unpool2d(y[None], i[None], 2), ValueError, "input must be 3-D or 4-D"),
    (lambda y, i: max_unpool2d(y.long(), i, 2), TypeError, "input must have a floating-point dtype"),
    (lambda y, i: max_unpool2d(y.tolist(), i, 2), TypeError, "input must be a torch.Tensor"),
    (lambda y, i: max_unpool2d(y, i.int(), 2), TypeError, "indices must have dtype torch.int64"),
    (lambda y, i: max_unpool2d(y, i.tolist(), 2), TypeError, "indices must be a torch.Tensor"),
    (lambda y, i: max_unpool2d(y, i[..., :1], 2), ValueError, "indices must have the shape of input"),
    (lambda y, i: max_unpool2d(y[:, :0], i[:, :0], 2), ValueError, "input of shape .* must be non-empty"),
    (lambda y, i: max_unpool2d(y, i, 0), ValueError, r"kernel_size=\(0, 0\) must be positive"),
    (lambda y, i: max_unpool2d(y, i, 2, stride=(2, 0)), ValueError, r"stride=\(2, 0\) must be positive"),
    (lambda y, i: max_unpool2d(y, i, 2, padding=-1), ValueError, r"padding=\(-1, -1\) must be non-negative"),
    (lambda y, i: max_unpool2d(y, i, (2, 2, 2)), ValueError, "kernel_size=.* must have 2 entries"),
    (lambda y, i: max_unpool2d(y, i, 2.0), TypeError, "kernel_size"),
])
def test_bad_arguments(call, error, match):
    x, y, idx = pooled((1, 2, 4, 4), 2)
    with pytest.raises(error, match=match):
        call(y, idx)


def test_pytorch_rejects_the_same_bad_tensors():
    """The tensor-level rejections above mirror PyTorch's (for the arguments PyTorch checks at all)."""
    x, y, idx = pooled((1, 2, 4, 4), 2)
    for args in [(y[0, 0], idx[0, 0]), (y, idx.int()), (y, idx[..., :1]), (y[:, :0], idx[:, :0])]:
        with pytest.raises(RuntimeError):
            F.max_unpool2d(*args, 2)
