"""``conv_matrix``: the sparse matrix of ``F.conv2d``, and the identities the chapter builds on it.

Oracles: ``F.conv2d`` itself (C·vec(x)), autograd (the Jacobian of conv2d is C, so
the gradient with respect to the input is Cᵀ), ``F.conv_transpose2d`` (Cᵀy), and entry
counts derived by hand. Our four transposed-convolution methods are checked against
``F.conv2d`` and autograd (⟨conv2d(x), y⟩ = ⟨x, Cᵀy⟩), never against ``conv_matrix``,
from which ``method="matrix"`` is built.
"""

import pytest
import torch
import torch.nn.functional as F
from conftest import assert_close, fixtures_ok
from hypothesis import given
from hypothesis import strategies as st

from upsampling import conv_matrix, conv_transpose2d



def apply(C: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """C @ vec(x) for a batch: (N, *input_shape) -> (N, rows)."""
    return torch.sparse.mm(C, x.reshape(x.shape[0], -1).t()).t()


# --------------------------------------------------------------------------- hand-derived structure

def test_hand_example():
    # 3x3 kernel on a 4x4 input, no padding: 2x2 outputs, each reading a full 3x3 window.
    w = torch.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    C = conv_matrix((1, 4, 4), w)
    assert C.shape == (4, 16) and C.layout == torch.sparse_coo
    dense = C.to_dense()
    # output pixel (1, 0) reads input rows 1..3, columns 0..2
    expected = torch.zeros(4, 4)
    expected[1:, :3] = w[0, 0]
    assert_close(dense[2].reshape(4, 4), expected)
    # every input pixel (r, c) appears in the rows of the outputs whose window covers it
    assert (dense != 0).sum(0).reshape(4, 4).tolist() == [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]]


# Entry counts: per spatial dimension, count the (output position, tap) pairs that land inside the
# input; the count of C is (that for rows) x (that for columns) x C_out x C_in/groups.
NNZ = [
    # 4x4 input, 3x3 kernel: 2 outputs x 3 taps per dimension -> 6 x 6 = 36 (C is 4 x 16)
    ("3x3 on 4x4", (1, 4, 4), (1, 1, 3, 3), {}, (4, 16), 36),
    # padding 1: 4 outputs per dimension reading 2, 3, 3, 2 taps inside -> 10 x 10 = 100 (44 of 144 in the padding)
    ("padding 1", (1, 4, 4), (1, 1, 3, 3), dict(padding=1), (16, 16), 100),
    # channels: every one of 3 output channels reads both input channels: 36 x 3 x 2 = 216
    ("channels", (2, 4, 4), (3, 2, 3, 3), {}, (12, 32), 216),
    # groups 2, C_in 4 -> 2 per group, C_out 2: 36 x 2 x 2 = 144 (not 36 x 2 x 4 = 288)
    ("groups", (4, 4, 4), (2, 2, 3, 3), dict(groups=2), (8, 64), 144),
    # stride 2, padding 1: outputs 0, 1 read input rows {-1, 0, 1}, {1, 2, 3}: 2 + 3 = 5 per dimension -> 25
    ("stride 2", (1, 4, 4), (1, 1, 3, 3), dict(stride=2, padding=1), (4, 16), 25),
    # dilation 2 on 5x5: one output reading rows 0, 2, 4 -> 3 x 3 = 9
    ("dilation 2", (1, 5, 5), (1, 1, 3, 3), dict(dilation=2), (1, 25), 9),
    # asymmetric: 1x2 kernel, stride (1, 2) on 3x5: 3 x 2 outputs; rows 3 x 1 tap, columns 2 x 2 taps -> 3 x 4 = 12
    ("asymmetric", (1, 3, 5), (1, 1, 1, 2), dict(stride=(1, 2)), (6, 15), 12),
]


@pytest.mark.parametrize("description, input_shape, weight_shape, kwargs, shape, nnz", NNZ, ids=[n[0] for n in NNZ])
def test_shape_and_entry_count(description, input_shape, weight_shape, kwargs, shape, nnz):
    w = torch.rand(weight_shape) + 0.5  # no zero weights, so the dense non-zeros are the entries
    C = conv_matrix(input_shape, w, **kwargs)
    assert tuple(C.shape) == shape
    assert C._nnz() == nnz
    assert int((C.to_dense() != 0).sum()) == nnz


def test_zero_weights_are_kept_as_entries():
    # Documented: the sparsity pattern depends only on the shapes, not on the weight's values.
    w = torch.rand(2, 1, 3, 3) + 0.5
    w[0, 0, 1] = 0.0
    C = conv_matrix((1, 4, 4), w)
    assert C._nnz() == conv_matrix((1, 4, 4), torch.ones(2, 1, 3, 3))._nnz() == 72
    assert int((C._values() == 0).sum()) == 2 * 2 * 3  # 4 outputs of channel 0 x 3 zero taps


def test_is_coalesced():
    # Our claim that the entries are built already sorted, checked against torch's own coalesce().
    C = conv_matrix((4, 5, 6), torch.randn(6, 2, 3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2)
    assert C.is_coalesced()
    shuffled = torch.randperm(C._nnz())
    resorted = torch.sparse_coo_tensor(C._indices()[:, shuffled], C._values()[shuffled], C.shape,
                                       check_invariants=True).coalesce()
    assert torch.equal(resorted.indices(), C.indices())
    assert torch.equal(resorted.values(), C.values())


# --------------------------------------------------------------------------- C vec(x) = conv2d(x)

@st.composite
def conv_cases(draw):
    """Valid F.conv2d arguments (the dilated kernel fits in the padded input)."""
    pair = lambda lo, hi: (draw(st.integers(lo, hi)), draw(st.integers(lo, hi)))  # noqa: E731
    groups = draw(st.integers(1, 3))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel, stride, padding, dilation = pair(1, 3), pair(1, 3), pair(0, 2), pair(1, 3)
    size = tuple(draw(st.integers(max(1, d * (k - 1) + 1 - 2 * p), 8)) for k, p, d in zip(kernel, padding, dilation))
    return dict(input_shape=(c_in, *size), weight_shape=(c_out, c_in // groups, *kernel),
                seed=draw(st.integers(0, 2**31 - 1)),
                kwargs=dict(stride=stride, padding=padding, dilation=dilation, groups=groups))


def test_matches_conv2d(dtype, device):
    @fixtures_ok
    @given(case=conv_cases())
    def check(case):
        gen = torch.Generator().manual_seed(case["seed"])
        x = torch.randn(2, *case["input_shape"], generator=gen, dtype=dtype).to(device)
        w = torch.randn(case["weight_shape"], generator=gen, dtype=dtype).to(device)
        C = conv_matrix(case["input_shape"], w, **case["kwargs"])
        assert C.dtype == dtype and C.device.type == device.type and C.is_coalesced()
        y = F.conv2d(x, w, **case["kwargs"])
        assert C.shape == (y[0].numel(), x[0].numel())
        assert_close(apply(C, x), y.reshape(2, -1))

    check()


def test_non_contiguous_weight(device):
    w = torch.randn(3, 4, 2, 3, dtype=torch.float64, device=device).permute(1, 0, 3, 2)  # (4, 3, 3, 2)
    assert not w.is_contiguous()
    x = torch.randn(1, 6, 5, 7, dtype=torch.float64, device=device)
    C = conv_matrix((6, 5, 7), w, stride=(2, 1), padding=1, groups=2)
    assert_close(apply(C, x), F.conv2d(x, w, stride=(2, 1), padding=1, groups=2).reshape(1, -1))


# --------------------------------------------------------------------------- Cᵀ: the gradient, the transposed conv

CASES = [
    ((2, 4, 5), (2, 2, 3, 3), dict(padding=1)),
    ((2, 5, 4), (4, 1, 2, 3), dict(stride=(2, 1), padding=(0, 1), dilation=(1, 2), groups=2)),
    ((1, 7, 6), (2, 1, 3, 2), dict(stride=3, dilation=2, padding=2)),
]


@pytest.mark.parametrize("input_shape, weight_shape, kwargs", CASES)
def test_matrix_is_the_jacobian_of_conv2d(input_shape, weight_shape, kwargs):
    w = torch.randn(weight_shape, dtype=torch.float64)
    x = torch.randn(input_shape, dtype=torch.float64)
    conv = lambda x: F.conv2d(x[None], w, **kwargs).reshape(-1)  # noqa: E731
    jacobian = torch.autograd.functional.jacobian(conv, x).reshape(-1, x.numel())
    C = conv_matrix(input_shape, w, **kwargs)
    assert_close(C.to_dense(), jacobian)
    # so Cᵀ is the gradient with respect to the input: a vector-Jacobian product
    y = torch.randn(C.shape[0], dtype=torch.float64)
    x.requires_grad_(True)
    (grad,) = torch.autograd.grad(conv(x), x, grad_outputs=y)
    assert_close(torch.sparse.mm(C.t(), y[:, None])[:, 0], grad.reshape(-1))


def _output_padding(input_shape, weight_shape, kwargs):
    """The output_padding giving back the convolution's input size: ``(n + 2p - d(k-1) - 1) mod s``."""
    s, p, d = (kwargs.get(name, default) for name, default in (("stride", 1), ("padding", 0), ("dilation", 1)))
    s, p, d = ((v, v) if isinstance(v, int) else v for v in (s, p, d))
    return tuple((n + 2 * pi - di * (k - 1) - 1) % si
                 for n, k, si, pi, di in zip(input_shape[1:], weight_shape[2:], s, p, d))


@pytest.mark.parametrize("method", ["scatter", "zero_insertion", "matrix", "subpixel"])
@pytest.mark.parametrize("input_shape, weight_shape, kwargs", CASES)
def test_adjoint_identity(method, input_shape, weight_shape, kwargs):
    # <conv2d(x), y> = <x, conv_transpose2d(y)>, with conv2d PyTorch's and conv_transpose2d ours (each method),
    # and conv_transpose2d(y) is the gradient of <conv2d(x), y> with respect to x (autograd). Neither oracle
    # goes through conv_matrix, which method="matrix" is built from.
    if method == "subpixel" and kwargs.get("dilation", 1) != 1:
        pytest.skip("method='subpixel' needs dilation=1")
    w = torch.randn(weight_shape, dtype=torch.float64)
    x = torch.randn(1, *input_shape, dtype=torch.float64, requires_grad=True)
    conv = F.conv2d(x, w, **kwargs)
    y = torch.randn(conv.shape, dtype=torch.float64)
    ct_y = conv_transpose2d(y, w, output_padding=_output_padding(input_shape, weight_shape, kwargs),
                            **kwargs, method=method)
    assert ct_y.shape == x.shape
    assert_close((conv * y).sum(), (x * ct_y).sum())
    (grad,) = torch.autograd.grad(conv, x, grad_outputs=y)
    assert_close(ct_y, grad)


@pytest.mark.parametrize("input_shape, weight_shape, kwargs", CASES)
def test_transpose_of_the_matrix_is_conv_transpose2d(input_shape, weight_shape, kwargs):
    # Cᵀ y, with C from conv_matrix, against PyTorch's own transposed convolution.
    w = torch.randn(weight_shape, dtype=torch.float64)
    C = conv_matrix(input_shape, w, **kwargs)
    y = torch.randn(1, *F.conv2d(torch.zeros(1, *input_shape, dtype=torch.float64), w, **kwargs).shape[1:],
                    dtype=torch.float64)
    expected = F.conv_transpose2d(y, w, output_padding=_output_padding(input_shape, weight_shape, kwargs), **kwargs)
    assert_close(torch.sparse.mm(C.t(), y.reshape(-1, 1)).t(), expected.reshape(1, -1))


def test_gradcheck_with_respect_to_weight(device):
    x = torch.randn(1, 4, 4, 3, dtype=torch.float64, device=device)
    w = torch.randn(2, 2, 2, 2, dtype=torch.float64, device=device, requires_grad=True)
    f = lambda w: apply(conv_matrix((4, 4, 3), w, padding=(1, 0), groups=2, stride=(2, 1)), x)  # noqa: E731
    assert torch.autograd.gradcheck(f, (w,))


# --------------------------------------------------------------------------- bad arguments

W = torch.randn(4, 2, 3, 3)
BAD = [
    # (description, changed arguments, error, match, F.conv2d rejects it too)
    ("int input_shape", dict(input_shape=4), TypeError, r"input_shape=4 must be a sequence of ints", False),
    ("1-D shape, 2-D weight", dict(input_shape=(2, 5)), ValueError, r"weight must be 3-D", True),
    ("no spatial dims", dict(input_shape=(2,)), ValueError, r"1, 2 or 3 spatial dimensions, got 0", True),
    ("four spatial dims", dict(input_shape=(2, 5, 5, 5, 5)), ValueError, r"1, 2 or 3 spatial dimensions, got 4",
     True),
    ("float size", dict(input_shape=(2, 5.0, 5)), TypeError, r"input_shape=\(2, 5.0, 5\) must be a sequence", True),
    ("zero size", dict(input_shape=(2, 0, 5)), ValueError, r"input_shape=\(2, 0, 5\) must be positive", True),
    ("list weight", dict(weight=[[1.0]]), TypeError, r"weight must be a torch.Tensor", True),
    ("3-D weight", dict(weight=W[0]), ValueError, r"weight must be 4-D", True),
    ("integer weight", dict(weight=W.long()), TypeError, r"weight must have a floating-point", False),
    ("channels", dict(input_shape=(3, 5, 5)), ValueError, r"input_shape\[0\] / groups = 3 / 1 = 3", True),
    ("weight channels", dict(weight=torch.randn(4, 3, 3, 3)), ValueError, r"= 2 input channels in dimension 1", True),
    ("groups divide", dict(groups=3), ValueError, r"groups=3 must divide", True),
    ("groups output", dict(weight=torch.randn(3, 1, 3, 3), groups=2), ValueError, r"weight.shape\[0\] \(3\)", True),
    ("groups zero", dict(groups=0), ValueError, r"groups=0 must be positive", True),
    ("groups float", dict(groups=2.0), TypeError, r"groups=2.0 must be an int", True),
    ("zero stride", dict(stride=(0, 1)), ValueError, r"stride=\(0, 1\) must be positive", True),
    ("negative padding", dict(padding=-1), ValueError, r"padding=\(-1, -1\) must be non-negative", True),
    ("zero dilation", dict(dilation=0), ValueError, r"dilation=\(0, 0\) must be positive", True),
    ("kernel too big", dict(input_shape=(2, 2, 5)), ValueError, r"kernel_size=\(3, 3\) .* padded input", True),
    ("dilated kernel too big", dict(dilation=3), ValueError, r"dilation=\(3, 3\) spans", True),
    ("empty kernel", dict(weight=W[:, :, :0]), ValueError, r"weight of shape \(4, 2, 0, 3\) must not", True),
]


@pytest.mark.parametrize("description, change, error, match, torch_rejects", BAD, ids=[b[0] for b in BAD])
def test_rejects_bad_arguments(description, change, error, match, torch_rejects):
    args = dict(input_shape=(2, 5, 5), weight=W, stride=1, padding=0, dilation=1, groups=1)
    args.update(change)
    with pytest.raises(error, match=match):
        conv_matrix(**args)
    if torch_rejects:  # F.conv2d refuses the same input shape and arguments
        shape = args.pop("input_shape")
        with pytest.raises((RuntimeError, TypeError, ValueError)):
            F.conv2d(torch.zeros(1, *shape), args.pop("weight"), **args)
