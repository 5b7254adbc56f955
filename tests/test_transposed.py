"""``conv_transpose2d``: every method against ``F.conv_transpose2d``, hand-derived results, and PyTorch's rejections.

Oracles: PyTorch's own operator (over random valid arguments, with hypothesis),
results worked out by hand on 2x2 inputs, and the output-size formula evaluated
by hand. Errors: each bad argument is rejected with a message naming it, and
(where it is a value PyTorch would also see) PyTorch rejects it too.
"""

import re

import pytest
import torch
import torch.nn.functional as F
from conftest import assert_close, fixtures_ok
from hypothesis import given, settings
from hypothesis import strategies as st

from upsampling import conv_transpose2d

METHODS = ["scatter", "zero_insertion", "matrix", "subpixel"]
DILATING = ["scatter", "zero_insertion", "matrix"]  # "subpixel" needs dilation=1



# --------------------------------------------------------------------------- hand-derived results

@pytest.mark.parametrize("method", METHODS)
def test_stride_2_stamps_disjoint_copies(method):
    # A 2x2 kernel of ones at stride 2: every input pixel stamps its own 2x2 block.
    x = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
    out = conv_transpose2d(x, torch.ones(1, 1, 2, 2), stride=2, method=method)
    expected = torch.tensor([[[[1.0, 1.0, 2.0, 2.0],
                               [1.0, 1.0, 2.0, 2.0],
                               [3.0, 3.0, 4.0, 4.0],
                               [3.0, 3.0, 4.0, 4.0]]]])
    assert_close(out, expected)


@pytest.mark.parametrize("method", METHODS)
def test_stride_1_copies_overlap_and_add(method):
    # Stride 1: the four 2x2 stamps overlap; the centre collects 1 + 2 + 3 + 4 = 10.
    x = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
    out = conv_transpose2d(x, torch.ones(1, 1, 2, 2), method=method)
    expected = torch.tensor([[[[1.0, 3.0, 2.0],
                               [4.0, 10.0, 6.0],
                               [3.0, 7.0, 4.0]]]])
    assert_close(out, expected)


@pytest.mark.parametrize("method", METHODS)
def test_padding_crops_and_output_padding_extends(method):
    # The full (uncropped) 4x4 canvas: each pixel stamps its value times [[1, 2], [3, 4]] at stride 2.
    # padding=1 crops one row/column from each side; output_padding=1 gives the last one back.
    x = torch.tensor([[[[1.0, 10.0], [100.0, 1000.0]]]])
    k = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
    full = torch.tensor([[1.0, 2.0, 10.0, 20.0],
                         [3.0, 4.0, 30.0, 40.0],
                         [100.0, 200.0, 1000.0, 2000.0],
                         [300.0, 400.0, 3000.0, 4000.0]])
    assert_close(conv_transpose2d(x, k, stride=2, padding=1, method=method)[0, 0], full[1:3, 1:3])
    assert_close(conv_transpose2d(x, k, stride=2, padding=1, output_padding=1, method=method)[0, 0], full[1:, 1:])
    # with no padding, output_padding adds a row and a column of zeros (nothing lands there)
    out = conv_transpose2d(x, k, stride=2, output_padding=1, method=method)[0, 0]
    assert_close(out, F.pad(full, (0, 1, 0, 1)))


@pytest.mark.parametrize("method", DILATING)
def test_dilation_spreads_the_kernel(method):
    # A 2x2 kernel with dilation 2 on a single pixel: taps land 2 apart, zeros in between.
    out = conv_transpose2d(torch.full((1, 1, 1, 1), 2.0), torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]]),
                           dilation=2, method=method)
    expected = torch.tensor([[[[2.0, 0.0, 4.0], [0.0, 0.0, 0.0], [6.0, 0.0, 8.0]]]])
    assert_close(out, expected)


# --------------------------------------------------------------------------- shapes

@pytest.mark.parametrize("method", METHODS)
def test_output_shape_formula(method):
    # H: (5-1)*2 - 2*1 + 1*(3-1) + 1 + 1 = 10;  W: (7-1)*3 - 2*0 + 1*(2-1) + 2 + 1 = 22
    x, w = torch.randn(2, 4, 5, 7), torch.randn(4, 3, 3, 2)
    out = conv_transpose2d(x, w, stride=(2, 3), padding=(1, 0), output_padding=(1, 2), method=method)
    assert out.shape == (2, 3, 10, 22)


@pytest.mark.parametrize("method", METHODS)
def test_unbatched_input(method):
    x, w, b = torch.randn(4, 3, 5), torch.randn(4, 2, 3, 3), torch.randn(2)
    out = conv_transpose2d(x, w, b, stride=2, padding=1, method=method)
    assert out.shape == (2, 5, 9)
    assert_close(out, F.conv_transpose2d(x, w, b, stride=2, padding=1))


@pytest.mark.parametrize("method", METHODS)
def test_empty_batch(method):
    out = conv_transpose2d(torch.randn(0, 4, 3, 3), torch.randn(4, 2, 3, 3), stride=2, method=method)
    assert out.shape == (0, 2, 7, 7)


@pytest.mark.parametrize("method", DILATING)
def test_output_padding_at_least_stride_when_dilated(method):
    # output_padding=2 >= stride=1 is allowed because it is < dilation=3; then the convolution this
    # transposes has floor(op/s) = 2 extra output rows (see `_matrix` in transposed.py).
    x, w = torch.randn(2, 4, 5, 6, dtype=torch.float64), torch.randn(4, 3, 3, 2, dtype=torch.float64)
    kwargs = dict(stride=(1, 2), dilation=(3, 1), output_padding=(2, 1), padding=(1, 0))
    assert_close(conv_transpose2d(x, w, method=method, **kwargs), F.conv_transpose2d(x, w, **kwargs))


# --------------------------------------------------------------------------- against PyTorch, random arguments

@st.composite
def transposed_cases(draw, method):
    """Valid arguments for F.conv_transpose2d: output_padding < max(stride, dilation), positive output size."""
    pair = lambda lo, hi: (draw(st.integers(lo, hi)), draw(st.integers(lo, hi)))  # noqa: E731
    groups = draw(st.integers(1, 3))
    c_in, c_out = groups * draw(st.integers(1, 3)), groups * draw(st.integers(1, 3))
    size, kernel, stride = pair(1, 6), pair(1, 4), pair(1, 3)
    dilation = (1, 1) if method == "subpixel" else pair(1, 3)
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    # padding up to 3, but never so large that the output would be empty
    padding = tuple(draw(st.integers(0, min(3, ((n - 1) * s + d * (k - 1) + op) // 2)))
                    for n, k, s, d, op in zip(size, kernel, stride, dilation, output_padding))
    return dict(batch=draw(st.integers(1, 2)), c_in=c_in, c_out=c_out, size=size, kernel=kernel,
                bias=draw(st.booleans()), seed=draw(st.integers(0, 2**31 - 1)),
                kwargs=dict(stride=stride, padding=padding, output_padding=output_padding, groups=groups,
                            dilation=dilation))


def _tensors(case, dtype, device):
    gen = torch.Generator().manual_seed(case["seed"])
    groups = case["kwargs"]["groups"]
    x = torch.randn(case["batch"], case["c_in"], *case["size"], generator=gen, dtype=dtype)
    w = torch.randn(case["c_in"], case["c_out"] // groups, *case["kernel"], generator=gen, dtype=dtype)
    b = torch.randn(case["c_out"], generator=gen, dtype=dtype) if case["bias"] else None
    return x.to(device), w.to(device), None if b is None else b.to(device)


@pytest.mark.parametrize("method", METHODS)
def test_matches_pytorch(method, dtype, device):
    # 40 examples per (method, dtype, device) rather than the profile's 60: 8 such tests per device.
    @settings(fixtures_ok, max_examples=40)
    @given(case=transposed_cases(method))
    def check(case):
        x, w, b = _tensors(case, dtype, device)
        out = conv_transpose2d(x, w, b, **case["kwargs"], method=method)
        assert out.dtype == dtype and out.device.type == device.type
        assert_close(out, F.conv_transpose2d(x, w, b, **case["kwargs"]))

    check()


@pytest.mark.parametrize("method", METHODS)
def test_result_on_input_device_and_dtype(method, dtype, device):
    x, w, b = (t.to(device, dtype) for t in (torch.randn(1, 2, 3, 3), torch.randn(2, 2, 3, 3), torch.randn(2)))
    out = conv_transpose2d(x, w, b, stride=2, method=method)
    assert out.device.type == device.type and out.dtype == dtype


@pytest.mark.parametrize("method", METHODS)
def test_non_contiguous_input_and_weight(method, device):
    x = torch.randn(2, 4, 7, 5, dtype=torch.float64, device=device).transpose(-1, -2)  # (2, 4, 5, 7)
    w = torch.randn(2, 4, 3, 3, dtype=torch.float64, device=device).transpose(0, 1)    # (4, 2, 3, 3)
    assert not x.is_contiguous() and not w.is_contiguous()
    kwargs = dict(stride=2, padding=1, output_padding=1)
    assert_close(conv_transpose2d(x, w, **kwargs, method=method), F.conv_transpose2d(x, w, **kwargs))
    x_last = x.contiguous(memory_format=torch.channels_last)
    assert_close(conv_transpose2d(x_last, w, **kwargs, method=method), F.conv_transpose2d(x, w, **kwargs))


@pytest.mark.parametrize("method", METHODS)
def test_gradcheck(method, device):
    x = torch.randn(1, 4, 3, 2, dtype=torch.float64, device=device, requires_grad=True)
    w = torch.randn(4, 1, 3, 2, dtype=torch.float64, device=device, requires_grad=True)
    b = torch.randn(2, dtype=torch.float64, device=device, requires_grad=True)
    dilation = 1 if method == "subpixel" else (1, 2)
    f = lambda x, w, b: conv_transpose2d(x, w, b, stride=(2, 1), padding=(1, 0), output_padding=(1, 0),  # noqa: E731
                                         groups=2, dilation=dilation, method=method)
    assert torch.autograd.gradcheck(f, (x, w, b))


# --------------------------------------------------------------------------- bad arguments

X, W = torch.randn(2, 4, 5, 5), torch.randn(4, 3, 3, 3)
BAD = [
    # (description, changed arguments, error, match, PyTorch rejects it too)
    ("2-D input", dict(input=X[0, 0]), ValueError, r"input must be 3-D or 4-D", True),
    ("5-D input", dict(input=X[None]), ValueError, r"input must be 3-D or 4-D", True),
    ("3-D weight", dict(weight=W[0]), ValueError, r"weight must be 4-D", True),
    ("list input", dict(input=[[1.0]]), TypeError, r"input must be a torch.Tensor", True),
    ("integer input", dict(input=X.long(), weight=W.long()), TypeError, r"input must have a floating-point", False),
    ("weight dtype", dict(weight=W.double()), TypeError, r"weight has dtype torch.float64", True),
    ("channels", dict(weight=torch.randn(3, 3, 3, 3)), ValueError, r"weight of .* the input's 4 channels", True),
    ("groups divide", dict(groups=3), ValueError, r"groups=3 must divide", True),
    ("groups zero", dict(groups=0), ValueError, r"groups=0 must be positive", True),
    ("groups float", dict(groups=1.0), TypeError, r"groups=1.0 must be an int", True),
    ("output_padding >= stride", dict(stride=2, output_padding=2), ValueError,
     re.escape("output_padding=(2, 2) must be smaller than max(stride, dilation)=(2, 2) in every dimension"), True),
    ("output_padding one dim", dict(stride=(2, 1), output_padding=(2, 0)), ValueError,
     re.escape("output_padding=(2, 0) must be smaller than max(stride, dilation)=(2, 1) in every dimension"), True),
    ("output_padding >= dilation", dict(dilation=2, output_padding=(0, 2)), ValueError,
     r"output_padding=\(0, 2\)", True),
    ("negative output_padding", dict(output_padding=-1), ValueError, r"output_padding=\(-1, -1\) must be non", True),
    ("negative padding", dict(padding=(0, -1)), ValueError, r"padding=\(0, -1\) must be non-negative", True),
    ("zero stride", dict(stride=0), ValueError, r"stride=\(0, 0\) must be positive", True),
    ("zero dilation", dict(dilation=(1, 0)), ValueError, r"dilation=\(1, 0\) must be positive", True),
    ("three strides", dict(stride=(1, 1, 1)), ValueError, r"stride=\(1, 1, 1\) must have 2 entries", True),
    ("string padding", dict(padding="same"), TypeError, r"padding='same' must be an int", True),
    ("empty output", dict(padding=6), ValueError, r"output size .* is not positive", True),
    ("bias size", dict(bias=torch.randn(4)), ValueError, r"bias of shape \(4,\) must have one entry", True),
    ("bias rank", dict(bias=torch.randn(3, 1)), ValueError, r"bias must be 1-D", True),
    ("bias dtype", dict(bias=torch.randn(3, dtype=torch.float64)), TypeError, r"bias has dtype torch.float64", True),
    ("empty kernel", dict(weight=W[:, :, :0]), ValueError, r"weight of shape \(4, 3, 0, 3\) must not", True),
    ("no output channels", dict(weight=W[:, :0]), ValueError, r"weight of shape \(4, 0, 3, 3\) must not", True),
    ("empty image", dict(input=X[:, :, :0]), ValueError, r"input of shape \(2, 4, 0, 5\) must have", True),
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("description, change, error, match, torch_rejects", BAD, ids=[b[0] for b in BAD])
def test_rejects_bad_arguments(description, change, error, match, torch_rejects, method):
    args = dict(input=X, weight=W, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1)
    args.update(change)
    with pytest.raises(error, match=match):
        conv_transpose2d(**args, method=method)
    if torch_rejects:  # we reject exactly where PyTorch does
        with pytest.raises((RuntimeError, TypeError, ValueError)):
            F.conv_transpose2d(**args)


def test_rejects_unknown_method():
    with pytest.raises(ValueError, match=r"method='fft' is not supported; choose one of 'scatter'"):
        conv_transpose2d(X, W, method="fft")


def test_subpixel_rejects_dilation():
    with pytest.raises(ValueError, match=r"dilation=\(2, 1\) is not supported by method='subpixel'"):
        conv_transpose2d(X, W, dilation=(2, 1), method="subpixel")


def test_rejects_device_mismatch():
    meta = torch.randn(4, 3, 3, 3, device="meta")
    with pytest.raises(ValueError, match=r"weight is on device meta but input is on cpu"):
        conv_transpose2d(X, meta)


@pytest.mark.parametrize("method", METHODS)
def test_accepts_largest_output_padding(method):
    # output_padding = max(stride, dilation) - 1 is the largest allowed value
    x, w = torch.randn(1, 4, 3, 3, dtype=torch.float64), torch.randn(4, 2, 3, 3, dtype=torch.float64)
    kwargs = dict(stride=(3, 2), output_padding=(2, 1), padding=1)
    assert_close(conv_transpose2d(x, w, **kwargs, method=method), F.conv_transpose2d(x, w, **kwargs))
