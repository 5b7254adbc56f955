"""Every spatial rank: ``conv_transpose{1,2,3}d``, ``max_unpool{1,2,3}d`` and ``conv_matrix`` in 1-D, 2-D and 3-D.

Oracles: PyTorch's own operators of the same rank (over random valid arguments,
with hypothesis), and three identities that hold in every rank: the transposed
convolution is the adjoint of the convolution (``<conv(x), y> == <x, convᵀ(y)>``),
its Jacobian is ``Cᵀ`` with ``C`` from :func:`conv_matrix`, and unpooling is the
gradient of max pooling (non-overlapping windows). Arguments: integer-like
values are accepted where PyTorch accepts them, bad ones are refused with a
message that names them (including sizes too large for memory), and the
output's memory format is PyTorch's.
"""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from conftest import assert_close, fixtures_ok
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import upsampling
from upsampling import (conv_matrix, conv_transpose1d, conv_transpose2d, conv_transpose3d, icnr_, interpolate,
                        max_unpool1d, max_unpool2d, max_unpool3d)

OURS = {1: conv_transpose1d, 2: conv_transpose2d, 3: conv_transpose3d}
THEIRS = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
UNPOOL = {1: max_unpool1d, 2: max_unpool2d, 3: max_unpool3d}
TORCH_UNPOOL = {1: F.max_unpool1d, 2: F.max_unpool2d, 3: F.max_unpool3d}
POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
METHODS = ["scatter", "zero_insertion", "matrix", "subpixel"]
RANKS = [1, 2, 3]
# 12 rank-and-method combinations share the examples; 2-D alone has 60 per method in test_transposed.py
FEW = settings(max_examples=25)


def test_every_rank_is_exported():
    for name in ("conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
                 "max_unpool1d", "max_unpool2d", "max_unpool3d", "conv_matrix"):
        assert name in upsampling.__all__ and callable(getattr(upsampling, name))


# --------------------------------------------------------------------------- random valid arguments

@st.composite
def transposed_cases(draw, n, dilate=True):
    """Valid arguments of ``F.conv_transpose{n}d``; 3-D kept small (every method runs on each)."""
    top = 4 if n < 3 else 3
    groups = draw(st.integers(1, 2))
    c_in, c_out_g = groups * draw(st.integers(1, 2)), draw(st.integers(1, 2))
    kernel = draw(st.tuples(*[st.integers(1, 3)] * n))
    stride = draw(st.tuples(*[st.integers(1, 3)] * n))
    dilation = draw(st.tuples(*[st.integers(1, 2 if dilate else 1)] * n))
    padding = draw(st.tuples(*[st.integers(0, 2)] * n))
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    size = draw(st.tuples(*[st.integers(1, top)] * n))
    out = [(m - 1) * s - 2 * p + d * (k - 1) + op + 1
           for m, s, p, d, k, op in zip(size, stride, padding, dilation, kernel, output_padding)]
    assume(all(o >= 1 for o in out))
    batch = draw(st.sampled_from([None, 0, 1, 2]))  # None: unbatched
    g = torch.Generator().manual_seed(draw(st.integers(0, 2 ** 16)))
    x = torch.randn(*(() if batch is None else (batch,)), c_in, *size, generator=g, dtype=torch.float64)
    w = torch.randn(c_in, c_out_g, *kernel, generator=g, dtype=torch.float64)
    b = torch.randn(c_out_g * groups, generator=g, dtype=torch.float64) if draw(st.booleans()) else None
    # ints or tuples, as a caller may write them
    as_written = {name: (v[0] if len(set(v)) == 1 and draw(st.booleans()) else v)
                  for name, v in dict(stride=stride, padding=padding, output_padding=output_padding,
                                      dilation=dilation).items()}
    return x, w, b, dict(as_written, groups=groups)


@pytest.mark.parametrize("n", RANKS)
@pytest.mark.parametrize("method", METHODS)
@FEW
@given(data=st.data())
def test_conv_transpose_matches_pytorch(n, method, data):
    x, w, b, kw = data.draw(transposed_cases(n, dilate=method != "subpixel"))  # "subpixel": dilation 1
    expected = THEIRS[n](x, w, b, **kw)
    out = OURS[n](x, w, b, **kw, method=method)
    assert out.shape == expected.shape
    assert_close(out, expected)


@st.composite
def unpool_cases(draw, n):
    """Max pooling with indices, then the arguments to undo it (overlapping windows too)."""
    kernel = draw(st.tuples(*[st.integers(1, 3)] * n))
    stride = draw(st.tuples(*[st.integers(1, 3)] * n))
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    size = tuple(draw(st.integers(k, k + 4)) for k in kernel)
    batch = draw(st.sampled_from([None, 1, 2]))
    g = torch.Generator().manual_seed(draw(st.integers(0, 2 ** 16)))
    x = torch.randn(*(() if batch is None else (batch,)), draw(st.integers(1, 3)), *size, generator=g,
                    dtype=torch.float64)
    y, idx = POOL[n](x, kernel, stride, padding, return_indices=True)
    output_size = draw(st.sampled_from([None, size, x.shape if batch is not None else size]))
    return x, y, idx, dict(kernel_size=kernel, stride=stride, padding=padding, output_size=output_size)


@pytest.mark.parametrize("n", RANKS)
@given(data=st.data())
def test_max_unpool_matches_pytorch(n, data):
    x, y, idx, kw = data.draw(unpool_cases(n))
    if kw["output_size"] is None:  # a default size of 0 (padding = kernel_size / 2): nowhere to put the values
        default = [(m - 1) * s - 2 * p + k for m, s, p, k in zip(y.shape[-n:], kw["stride"], kw["padding"],
                                                                   kw["kernel_size"])]
        assume(all(d >= 1 for d in default))
    try:  # PyTorch's unpooling takes batched input only (pytorch/pytorch#68337)
        expected = TORCH_UNPOOL[n](y, idx, **kw) if y.dim() == n + 2 else TORCH_UNPOOL[n](y[None], idx[None], **kw)[0]
    except RuntimeError:  # the default size is too small for the indices: refused by both
        with pytest.raises(ValueError, match=r"indices contains .* outside the output plane"):
            UNPOOL[n](y, idx, **kw)
        return
    assert torch.equal(UNPOOL[n](y, idx, **kw), expected)   # a scatter of the same values: exact


@st.composite
def conv_cases(draw, n):
    groups = draw(st.integers(1, 2))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = draw(st.tuples(*[st.integers(1, 3)] * n))
    stride = draw(st.tuples(*[st.integers(1, 3)] * n))
    dilation = draw(st.tuples(*[st.integers(1, 2)] * n))
    padding = draw(st.tuples(*[st.integers(0, 2)] * n))
    size = tuple(draw(st.integers(max(1, d * (k - 1) + 1 - 2 * p), 5))
                 for k, d, p in zip(kernel, dilation, padding))
    g = torch.Generator().manual_seed(draw(st.integers(0, 2 ** 16)))
    w = torch.randn(c_out, c_in // groups, *kernel, generator=g, dtype=torch.float64)
    return (c_in, *size), w, dict(stride=stride, padding=padding, dilation=dilation, groups=groups)


@pytest.mark.parametrize("n", RANKS)
@given(data=st.data())
def test_conv_matrix_matches_conv(n, data):
    shape, w, kw = data.draw(conv_cases(n))
    C = conv_matrix(shape, w, **kw)
    x = torch.randn(shape, dtype=torch.float64)
    assert_close(C @ x.reshape(-1), CONV[n](x[None], w, **kw).reshape(-1))
    assert torch.equal(C.indices(), C.coalesce().indices())   # built sorted, no duplicates


# --------------------------------------------------------------------------- identities in every rank

@pytest.mark.parametrize("n", RANKS)
@pytest.mark.parametrize("method", METHODS)
@FEW
@given(data=st.data())
def test_adjoint_of_convolution(n, method, data):
    shape, w, kw = data.draw(conv_cases(n))
    if method == "subpixel":
        kw = dict(kw, dilation=1)  # dilation 1 only; the sizes drawn for dilation 2 are still valid
    g = torch.Generator().manual_seed(1)
    x = torch.randn(shape, generator=g, dtype=torch.float64)
    y = torch.randn(CONV[n](x[None], w, **kw).shape[1:], generator=g, dtype=torch.float64)
    # the transposed convolution must give back x's size: output_padding = what the floor division forgot
    d = (kw["dilation"],) * n if isinstance(kw["dilation"], int) else kw["dilation"]
    op = tuple((m + 2 * p - di * (k - 1) - 1) % s
               for m, p, di, k, s in zip(shape[1:], kw["padding"], d, w.shape[2:], kw["stride"]))
    # conv weight (C_out, C_in/g, *k) is the transposed weight (C_in', C_out'/g, *k) with C_in' = C_out
    back = OURS[n](y, w, None, **kw, output_padding=op, method=method)
    assert back.shape == x.shape
    assert_close((CONV[n](x[None], w, **kw)[0] * y).sum(), (x * back).sum())


@pytest.mark.parametrize("n", RANKS)
@pytest.mark.parametrize("method", METHODS)
def test_jacobian_is_conv_matrix_transposed(n, method):
    torch.manual_seed(n)
    shape = (2, *[5, 4, 3][:n])                       # the convolution's input: C_in = 2
    w = torch.randn(4, 1, *[3, 2, 2][:n], dtype=torch.float64)   # groups=2, C_out = 4
    kw = dict(stride=2, padding=1, groups=2)
    C = conv_matrix(shape, w, **kw).to_dense()
    y_shape = CONV[n](torch.zeros(1, *shape, dtype=torch.float64), w, **kw).shape[1:]
    op = tuple((m + 2 - (k - 1) - 1) % 2 for m, k in zip(shape[1:], w.shape[2:]))

    def f(flat):
        return OURS[n](flat.reshape(y_shape), w, None, **kw, output_padding=op, method=method).reshape(-1)
    J = torch.autograd.functional.jacobian(f, torch.zeros(math.prod(y_shape), dtype=torch.float64))
    assert torch.equal(J, C.t())   # every entry is one weight or zero: exact


@pytest.mark.parametrize("n", RANKS)
def test_unpool_is_the_gradient_of_max_pooling(n):
    torch.manual_seed(n)
    x = torch.randn(2, 3, *[8, 6, 4][:n], dtype=torch.float64, requires_grad=True)
    kernel = (2, 3, 2)[:n]                                   # stride = kernel: windows do not overlap
    y, idx = POOL[n](x, kernel, return_indices=True)
    g = torch.randn_like(y)
    (grad,) = torch.autograd.grad(y, x, g)
    assert torch.equal(UNPOOL[n](g, idx, kernel, output_size=x.shape[2:]), grad)


@pytest.mark.parametrize("n", RANKS)
@pytest.mark.parametrize("method", METHODS)
def test_gradcheck_conv_transpose(n, method, device):
    torch.manual_seed(0)
    c, m = (2, 3) if n < 3 else (1, 2)  # 3-D small: gradcheck perturbs every entry
    x = torch.randn(1, c, *[m] * n, dtype=torch.float64, device=device, requires_grad=True)
    w = torch.randn(c, 2, *[2] * n, dtype=torch.float64, device=device, requires_grad=True)
    b = torch.randn(2, dtype=torch.float64, device=device, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x, w, b: OURS[n](x, w, b, stride=2, padding=1, output_padding=1,
                                                            method=method), (x, w, b), fast_mode=True)


@pytest.mark.parametrize("n", RANKS)
def test_gradcheck_max_unpool(n, device):
    torch.manual_seed(0)
    x = torch.randn(1, 2, *[4] * n, dtype=torch.float64, device=device)
    y, idx = POOL[n](x, 2, return_indices=True)
    y.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda v: UNPOOL[n](v, idx, 2), (y,))


@pytest.mark.parametrize("n", RANKS)
def test_gradcheck_conv_matrix_weight(n, device):
    w = torch.randn(2, 1, *[2] * n, dtype=torch.float64, device=device, requires_grad=True)
    x = torch.randn(1, *[4] * n, dtype=torch.float64, device=device)
    assert torch.autograd.gradcheck(lambda w: torch.sparse.mm(conv_matrix(x.shape, w, stride=2),
                                                              x.reshape(-1, 1)).to_dense(), (w,))


@pytest.mark.parametrize("n", RANKS)
@pytest.mark.parametrize("method", METHODS)
def test_conv_transpose_on_device(n, method, device, dtype):
    torch.manual_seed(0)
    x = torch.randn(2, 4, *[4] * n, dtype=dtype, device=device)
    w = torch.randn(4, 3, *[3] * n, dtype=dtype, device=device)
    out = OURS[n](x, w, stride=2, padding=1, groups=2, method=method)
    assert out.device.type == device.type and out.dtype == dtype
    assert_close(out, THEIRS[n](x, w, stride=2, padding=1, groups=2))


# --------------------------------------------------------------------------- memory format

@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("n, layout, on", [(2, torch.channels_last, "input"), (2, torch.channels_last, "weight"),
                                           (3, torch.channels_last_3d, "input"),
                                           (3, torch.channels_last_3d, "weight")])
def test_conv_transpose_keeps_pytorchs_memory_format(method, n, layout, on, dtype):
    x = torch.randn(2, 4, *[3] * n, dtype=dtype)
    w = torch.randn(4, 3, *[2] * n, dtype=dtype)
    if on == "input":
        x = x.contiguous(memory_format=layout)
    else:
        w = w.contiguous(memory_format=layout)
    out, expected = OURS[n](x, w, stride=2, method=method), THEIRS[n](x, w, stride=2)
    # PyTorch's choice (channels-last, except in 3-D on the CPU for other dtypes than float32) is ours
    assert out.is_contiguous(memory_format=layout) == expected.is_contiguous(memory_format=layout)
    assert out.stride() == expected.stride()
    assert_close(out, expected)


@pytest.mark.parametrize("n, layout", [(2, torch.channels_last), (3, torch.channels_last_3d)])
def test_max_unpool_keeps_pytorchs_memory_format(n, layout):
    x = torch.randn(2, 4, *[4] * n, dtype=torch.float64)
    y, idx = POOL[n](x, 2, return_indices=True)
    y, idx = y.contiguous(memory_format=layout), idx.contiguous(memory_format=layout)
    out, expected = UNPOOL[n](y, idx, 2), TORCH_UNPOOL[n](y, idx, 2)
    assert out.stride() == expected.stride()   # 2-D keeps channels-last, 3-D does not (PyTorch's kernels)
    assert torch.equal(out, expected)


# --------------------------------------------------------------------------- integer-like arguments

INT_LIKES = [np.int64(2), np.int32(2), torch.tensor(2), torch.tensor(2, dtype=torch.int32)]


@pytest.mark.parametrize("two", INT_LIKES, ids=lambda v: type(v).__name__ + str(getattr(v, "dtype", "")))
def test_integer_like_arguments_are_accepted_like_pytorch(two):
    x, w = torch.randn(1, 4, 3, 3, 3), torch.randn(4, 1, 2, 2, 2)
    assert_close(conv_transpose3d(x, w, stride=two, padding=(1, two, 0), groups=two),
                 F.conv_transpose3d(x, w, stride=two, padding=(1, two, 0), groups=two))
    # PyTorch's 1-D pooling cannot iterate over a 0-d tensor and its output_size check fails on NumPy's
    # bools, so it gets Python ints; ours takes the integer-likes
    y, idx = F.max_pool1d(torch.randn(1, 2, 8), 2, return_indices=True)
    assert torch.equal(max_unpool1d(y, idx, two, output_size=(two * 4,)), F.max_unpool1d(y, idx, 2, output_size=(8,)))
    v = torch.randn(3, 2, 4)
    assert_close(conv_matrix((two, 5), v) @ torch.arange(10.0),
                 F.conv1d(torch.arange(10.0).reshape(1, 2, 5), v).reshape(-1))
    z = torch.arange(3.0).reshape(1, 1, 3)
    assert torch.equal(interpolate(z, size=two * 3), F.interpolate(z, size=6))
    assert torch.equal(interpolate(z, scale_factor=two, mode="linear"), F.interpolate(z, scale_factor=2, mode="linear"))
    assert icnr_(torch.empty(4, 1, 1, 1), two).shape == (4, 1, 1, 1)


@pytest.mark.parametrize("bad, error", [(True, TypeError), (2.0, TypeError), (torch.tensor(2.0), TypeError),
                                        (torch.tensor([2, 2]), TypeError), (np.float64(2), TypeError)],
                         ids=["bool", "float", "float tensor", "1-D tensor", "numpy float"])
def test_non_integers_are_refused(bad, error):
    with pytest.raises(error, match=r"stride=.* must be an int or a sequence of 3 ints"):
        conv_transpose3d(torch.randn(1, 1, 2, 2, 2), torch.randn(1, 1, 2, 2, 2), stride=bad)


# --------------------------------------------------------------------------- bad arguments, every rank

X1, W1 = torch.randn(1, 2, 4), torch.randn(2, 3, 3)
X3, W3 = torch.randn(1, 2, 3, 3, 3), torch.randn(2, 3, 2, 2, 2)
Y1, I1 = F.max_pool1d(torch.randn(1, 2, 8), 2, return_indices=True)
Y3, I3 = F.max_pool3d(torch.randn(1, 2, 4, 4, 4), 2, return_indices=True)

BAD = [
    # (description, call, error, match)
    ("1-D: 4-D input", lambda: conv_transpose1d(torch.randn(1, 2, 4, 4), W1), ValueError, r"input must be 2-D or 3-D"),
    ("3-D: 2-D weight", lambda: conv_transpose3d(X3, W3[0, 0]), ValueError, r"weight must be 5-D"),
    ("3-D: list input", lambda: conv_transpose3d(X3.tolist(), W3), TypeError, r"input must be a torch.Tensor"),
    ("1-D: list weight", lambda: conv_transpose1d(X1, W1.tolist()), TypeError, r"weight must be a torch.Tensor"),
    ("1-D: list bias", lambda: conv_transpose1d(X1, W1, [0.0] * 3), TypeError, r"bias must be a torch.Tensor"),
    ("1-D: pair stride", lambda: conv_transpose1d(X1, W1, stride=(2, 2)), ValueError,
     r"stride=\(2, 2\) must have 1 entries"),
    ("3-D: output_padding", lambda: conv_transpose3d(X3, W3, stride=2, output_padding=(0, 2, 0)), ValueError,
     r"output_padding"),
    ("3-D: groups", lambda: conv_transpose3d(X3, W3, groups=3), ValueError,
     r"groups=3 must divide the input channels \(2\)"),
    ("3-D: subpixel dilation", lambda: conv_transpose3d(X3, W3, dilation=2, method="subpixel"), ValueError,
     r"dilation=\(2, 2, 2\) is not supported by method='subpixel'"),
    ("1-D: zero channels", lambda: conv_transpose1d(torch.randn(1, 0, 4), torch.randn(0, 3, 3)), ValueError,
     r"must not have a zero-size dimension"),
    ("3-D: zero depth", lambda: conv_transpose3d(torch.randn(1, 2, 0, 3, 3), W3), ValueError,
     r"at least one channel and one pixel along every spatial dimension of \(N, C_in, D, H, W\)"),
    ("3-D: zero output channels", lambda: conv_transpose3d(X3, W3[:, :0]), ValueError,
     r"weight of shape \(2, 0, 2, 2, 2\) must not have a zero-size dimension"),
    ("3-D: huge stride", lambda: conv_transpose3d(X3, W3, stride=10 ** 6), ValueError,
     r"stride=\(1000000, 1000000, 1000000\), dilation=\(1, 1, 1\) and weight .*: the output of shape .* would"),
    ("1-D: huge dilation", lambda: conv_transpose1d(X1, W1, dilation=10 ** 12, output_padding=0), ValueError,
     r"dilation=1000000000000 .* would need about .* GiB, more than the .* GiB of memory of the cpu device"),
    ("unpool 1-D: 2-D indices", lambda: max_unpool1d(Y1, I1[0], 2), ValueError, r"indices must have the shape"),
    ("unpool 3-D: list indices", lambda: max_unpool3d(Y3, I3.tolist(), 2), TypeError,
     r"indices must be a torch.Tensor"),
    ("unpool 3-D: output_size 2 entries", lambda: max_unpool3d(Y3, I3, 2, output_size=(4, 4)), ValueError,
     r"output_size=\(4, 4\) must have 3 entries \(D_out, H_out, W_out\) or 5"),
    ("unpool 3-D: output_size out of window", lambda: max_unpool3d(Y3, I3, 2, output_size=(4, 4, 6)), ValueError,
     r"spatial entry 2 is 6 but must lie strictly between 2 and 6"),
    ("unpool 1-D: index out of range", lambda: max_unpool1d(Y1, I1 + 8, 2), ValueError,
     r"outside the output plane of size 8"),
    ("unpool 3-D: zero channels", lambda: max_unpool3d(Y3[:, :0], I3[:, :0], 2), ValueError,
     r"non-empty in its channel and spatial dimensions"),
    ("unpool 3-D: huge kernel", lambda: max_unpool3d(Y3, I3, 10 ** 5), ValueError,
     r"kernel_size=\(100000, 100000, 100000\), stride=\(100000, 100000, 100000\) and output_size=None: "
     r"the output of shape"),
    ("unpool 1-D: float indices", lambda: max_unpool1d(Y1, I1.double(), 2), TypeError,
     r"indices must have dtype torch.int64"),
    ("conv_matrix: 5-D shape", lambda: conv_matrix((1, 2, 2, 2, 2), torch.randn(1, 1, 1, 1, 1, 1)), ValueError,
     r"1, 2 or 3 spatial dimensions, got 4"),
    ("conv_matrix: huge input", lambda: conv_matrix((1, 10 ** 5, 10 ** 5, 10 ** 5), torch.randn(1, 1, 1, 1, 1)),
     ValueError, r"input_shape=\(1, 100000, 100000, 100000\): the entries of C"),
    ("interpolate: huge size", lambda: interpolate(torch.randn(1, 1, 4), size=10 ** 9), ValueError,
     r"size=1000000000: the output of shape \(1, 1, 1000000000\) would need"),
    ("interpolate: huge scale_factor", lambda: interpolate(torch.randn(1, 1, 4, 4, 4), scale_factor=1e19,
                                                           mode="trilinear"),
     ValueError, r"scale_factor=1e\+19: the output .* more than a tensor can index"),
]


@pytest.mark.parametrize("description, call, error, match", BAD, ids=[b[0] for b in BAD])
def test_rejects_bad_arguments(description, call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_empty_batch_like_pytorch():
    for n in RANKS:
        x, w = torch.randn(0, 2, *[3] * n), torch.randn(2, 3, *[2] * n)
        for method in METHODS:
            out = OURS[n](x, w, stride=2, method=method)
            assert out.shape == THEIRS[n](x, w, stride=2).shape
        y, idx = POOL[n](torch.randn(0, 2, *[4] * n), 2, return_indices=True)
        assert UNPOOL[n](y, idx, 2).shape == TORCH_UNPOOL[n](y, idx, 2).shape


def test_numpy_scale_factor_like_pytorch():
    z = torch.randn(1, 2, 5, dtype=torch.float64)
    for factor in (np.float32(1.7), np.float64(1.7), np.int64(2)):
        assert_close(interpolate(z, scale_factor=factor, mode="linear"),
                     F.interpolate(z, scale_factor=factor, mode="linear"))
    with pytest.raises(TypeError, match=r"scale_factor=np.True_ must be a number"):
        interpolate(z, scale_factor=np.True_)
