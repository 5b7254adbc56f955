"""Tests for ``upsampling.shapes``: the sizes PyTorch actually produces, and exactly its refusals.

Two independent oracles:

* PyTorch itself. Each grid test runs the real operator on a tiny zero tensor
  for every argument combination of the issue's grid (size 1-12, kernel 1-5,
  stride 1-4, padding 0-3, dilation 1-3, output_padding 0-3, both ceil modes)
  and requires our function to return PyTorch's size wherever PyTorch succeeds
  and to raise ``ValueError`` exactly where PyTorch raises. The shape rules are
  per dimension, so the 1-D operators cover the grid; hypothesis adds 2-D and
  3-D calls with a different value in every dimension.
* Numbers derived by hand (the layers of well-known networks, the worked
  example of the chapter).

The grid tests loop inside one test and collect every mismatch into a list
that must be empty: for an exhaustive grid that reads better than 50 000
parametrized cases.
"""

import itertools

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from upsampling.shapes import (
    TransposedConvConfig,
    conv_output_size,
    conv_transpose_output_size,
    output_padding_for,
    pool_output_size,
    transposed_conv_configs,
)

SIZES, KERNELS, STRIDES, PADDINGS, DILATIONS, OUTPUT_PADDINGS = (
    range(1, 13), range(1, 6), range(1, 5), range(0, 4), range(1, 4), range(0, 4))
GRID = list(itertools.product(SIZES, KERNELS, STRIDES, PADDINGS, DILATIONS))  # (size, k, s, p, d): 2880 cases


# ---------------------------------------------------------------------------
# Helpers


def torch_size(op):
    """The output shape's spatial part from ``op()`` (an int for 1-D), or None where PyTorch refuses."""
    try:
        out = op()
    except RuntimeError:
        return None
    return out.shape[-1]


def our_size(fn, *args, **kwargs):
    """``fn(*args, **kwargs)``, or None where it raises ValueError; any other exception fails the test."""
    try:
        return fn(*args, **kwargs)
    except ValueError:
        return None


def assert_grid_agrees(results):
    """``results``: a list of (arguments, ours, pytorch's). Asserts equality everywhere, and that the
    grid contains both accepted and refused cases, so that the check of the refusals cannot be vacuous."""
    mismatches = [f"  {args}: ours {ours}, PyTorch {theirs}" for args, ours, theirs in results if ours != theirs]
    shown = "\n".join(mismatches[:25]) + ("\n  ..." if len(mismatches) > 25 else "")
    assert not mismatches, f"{len(mismatches)} of {len(results)} cases differ (None = refused):\n{shown}"
    refused = sum(theirs is None for _, _, theirs in results)
    assert 0 < refused < len(results), f"the grid should contain accepted and refused cases, {refused} refused"


@pytest.fixture(autouse=True)
def one_thread():
    """One intra-op thread: on tensors of a few numbers, waking the thread pool for each of the
    thousands of calls costs far more than the work (30x on a busy 2-core machine)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


class Zeros:
    """Tiny zero tensors of shape (1, 1, n), made once per length."""

    def __init__(self, device, dtype=torch.float32):
        self.device, self.dtype, self.cache = device, dtype, {}

    def __call__(self, n):
        if n not in self.cache:
            self.cache[n] = torch.zeros(1, 1, n, device=self.device, dtype=self.dtype)
        return self.cache[n]


# ---------------------------------------------------------------------------
# The grid against PyTorch: equal sizes, and refusals exactly where PyTorch refuses


def test_conv_output_size_matches_torch_on_grid(device, dtype):
    zeros = Zeros(device, dtype)
    results = [
        ((n, k, s, p, d),
         our_size(conv_output_size, n, k, s, p, d),
         torch_size(lambda: F.conv1d(zeros(n), zeros(k), stride=s, padding=p, dilation=d)))
        for n, k, s, p, d in GRID
    ]
    assert len(results) == 2880
    assert_grid_agrees(results)


MAX_POOLS = {  # max_pool1d has its own checks; max_pool2d's path is also the one of return_indices=True and autograd
    "max_pool1d": lambda x, k, s, p, d, c: F.max_pool1d(x, k, s, p, d, ceil_mode=c),
    "max_pool2d": lambda x, k, s, p, d, c: F.max_pool2d(x.unsqueeze(-2), (1, k), (1, s), (0, p), (1, d), ceil_mode=c),
}


@pytest.mark.parametrize("ceil_mode", [False, True])
@pytest.mark.parametrize("pool", MAX_POOLS)
def test_pool_output_size_matches_max_pool_on_grid(device, pool, ceil_mode):
    zeros, op = Zeros(device), MAX_POOLS[pool]
    results = [
        ((n, k, s, p, d),
         our_size(pool_output_size, n, k, s, p, d, ceil_mode),
         torch_size(lambda: op(zeros(n), k, s, p, d, ceil_mode)))
        for n, k, s, p, d in GRID
    ]
    assert_grid_agrees(results)


@pytest.mark.parametrize("ceil_mode", [False, True])
def test_pool_output_size_matches_avg_pool_on_grid(device, ceil_mode):
    """Average pooling has no dilation: the same formula with dilation 1."""
    zeros = Zeros(device)
    results = []
    for n, k, s, p, d in GRID:
        if d == 1:
            results.append(((n, k, s, p), our_size(pool_output_size, n, k, s, p, ceil_mode=ceil_mode),
                            torch_size(lambda: F.avg_pool1d(zeros(n), k, s, p, ceil_mode))))
    assert len(results) == 960
    assert_grid_agrees(results)


@pytest.mark.parametrize("ceil_mode", [False, True])
def test_pool_stride_defaults_to_kernel_size(device, ceil_mode):
    zeros = Zeros(device)
    results = [
        ((n, k, p, d),
         our_size(pool_output_size, n, k, padding=p, dilation=d, ceil_mode=ceil_mode),
         torch_size(lambda: F.max_pool1d(zeros(n), k, padding=p, dilation=d, ceil_mode=ceil_mode)))
        for n, k, s, p, d in GRID if s == 1
    ]
    assert_grid_agrees(results)


@pytest.mark.parametrize("output_padding", OUTPUT_PADDINGS)
def test_conv_transpose_output_size_matches_torch_on_grid(device, dtype, output_padding):
    zeros, op = Zeros(device, dtype), output_padding
    results = [
        ((n, k, s, p, d, op),
         our_size(conv_transpose_output_size, n, k, s, p, d, op),
         torch_size(lambda: F.conv_transpose1d(zeros(n), zeros(k), stride=s, padding=p, output_padding=op, dilation=d)))
        for n, k, s, p, d in GRID
    ]
    assert_grid_agrees(results)


def test_output_padding_for_round_trips_on_grid(device):
    """For every grid case and every target: ours returns the output_padding with which PyTorch's
    conv_transpose1d produces the target, and raises exactly when no output_padding PyTorch accepts does."""
    zeros = Zeros(device)
    results = []
    for n, k, s, p, d in GRID:
        # PyTorch allows output_padding < max(stride, dilation) <= 4: OUTPUT_PADDINGS = 0..3 tries them all.
        reachable = {}
        for op in OUTPUT_PADDINGS:
            size = torch_size(lambda: F.conv_transpose1d(zeros(n), zeros(k), stride=s, padding=p, output_padding=op,
                                                         dilation=d))
            if size is not None:
                reachable[size] = op
        low, high = min(reachable, default=1), max(reachable, default=1)
        for target in range(max(low - 3, 1), high + 4):  # every reachable size and three on each side
            results.append(((target, n, k, s, p, d), our_size(output_padding_for, target, n, k, s, p, d),
                            reachable.get(target)))
    assert_grid_agrees(results)


def test_output_padding_for_agrees_with_module_output_size():
    """``nn.ConvTranspose1d(...)(x, output_size=...)`` picks output_padding itself (trying op < stride only,
    so compare where dilation <= stride): the same targets succeed, with the same result size."""
    results = []
    for n, k, s, p, d in GRID:
        if d > s or n % 3:  # every third size keeps this test fast; the grid test above covers all
            continue
        module = nn.ConvTranspose1d(1, 1, k, stride=s, padding=p, dilation=d, bias=False)
        x = torch.zeros(1, 1, n)
        low = (n - 1) * s - 2 * p + d * (k - 1) + 1  # hand formula, only to choose the targets to try
        for target in range(max(low - 1, 1), low + s + 1):
            ours = our_size(output_padding_for, target, n, k, s, p, d)
            try:
                theirs = module(x, output_size=[target]).shape[-1]
            except (ValueError, RuntimeError):
                theirs = None
            results.append(((target, n, k, s, p, d), None if ours is None else target, theirs))
    assert_grid_agrees(results)


# ---------------------------------------------------------------------------
# transposed_conv_configs: sound (PyTorch confirms each) and complete (an independent brute force)


def brute_force_configs(in_size, out_size, max_kernel, max_stride, max_dilation):
    """Every (k, s, p, d, op) for which PyTorch's conv_transpose1d maps in_size to out_size."""
    x, found = torch.zeros(1, 1, in_size), []
    for k, s, d, op in itertools.product(range(1, max_kernel + 1), range(1, max_stride + 1),
                                         range(1, max_dilation + 1), range(0, 4)):
        w = torch.zeros(1, 1, k)
        for p in itertools.count():  # each unit of padding shrinks the output by 2: stop once PyTorch refuses
            size = torch_size(lambda: F.conv_transpose1d(x, w, stride=s, padding=p, output_padding=op, dilation=d))
            if size is None:
                break
            if size == out_size:
                found.append((k, s, p, d, op))
    return found


@pytest.mark.parametrize("in_size, out_size", [(4, 8), (3, 7), (5, 5), (1, 4), (7, 2), (2, 1)])
def test_transposed_conv_configs_is_complete(in_size, out_size):
    ours = transposed_conv_configs(in_size, out_size)
    expected = sorted(brute_force_configs(in_size, out_size, 7, 4, 3))  # tuples sort as (k, s, p, d, op)
    assert expected, "each chosen case has solutions"
    assert [tuple(c) for c in ours] == expected
    assert all(isinstance(c, TransposedConvConfig) for c in ours)


def test_transposed_conv_configs_respects_the_limits():
    ours = transposed_conv_configs(5, 11, max_kernel=3, max_stride=2, max_dilation=2)
    assert [tuple(c) for c in ours] == sorted(brute_force_configs(5, 11, 3, 2, 2))


@pytest.mark.parametrize("in_size, out_size", [(16, 32), (12, 25), (3, 1), (8, 8), (6, 24)])
def test_every_transposed_conv_config_maps_in_to_out(in_size, out_size):
    configs = transposed_conv_configs(in_size, out_size, max_kernel=9, max_stride=5, max_dilation=4)
    assert configs
    assert configs == sorted(configs, key=lambda c: (c.kernel_size, c.stride, c.padding, c.dilation, c.output_padding))
    x = torch.zeros(1, 1, in_size)
    wrong = [c for c in configs
             if torch_size(lambda: F.conv_transpose1d(x, torch.zeros(1, 1, c.kernel_size), stride=c.stride,
                                                      padding=c.padding, output_padding=c.output_padding,
                                                      dilation=c.dilation)) != out_size]
    assert not wrong, f"{len(wrong)} configs do not give {out_size}: {wrong[:5]}"


def test_transposed_conv_configs_hand_derived():
    # 4 -> 8 with dilation 1, kernel <= 4, stride <= 2: 2p = 3s + (k-1) + op + 1 - 8.
    assert transposed_conv_configs(4, 8, max_kernel=4, max_stride=2, max_dilation=1) == [
        (1, 2, 0, 1, 1), (2, 2, 0, 1, 0), (3, 2, 1, 1, 1), (4, 2, 1, 1, 0)]
    assert transposed_conv_configs(3, 100, max_kernel=2, max_stride=2) == []


def test_transposed_conv_configs_per_dimension():
    rows, cols = transposed_conv_configs((4, 3), (8, 7))
    assert rows == transposed_conv_configs(4, 8) and cols == transposed_conv_configs(3, 7)
    (k0, s0, p0, d0, op0), (k1, s1, p1, d1, op1) = rows[-1], cols[-1]
    y = F.conv_transpose2d(torch.zeros(1, 1, 4, 3), torch.zeros(1, 1, k0, k1), stride=(s0, s1), padding=(p0, p1),
                           output_padding=(op0, op1), dilation=(d0, d1))
    assert y.shape[-2:] == (8, 7)


# ---------------------------------------------------------------------------
# Hand-derived examples


def test_conv2d_and_its_transpose_on_7x9():
    """Conv2d(3, 5, 5, padding=1) on 7x9: (7 + 2 - 5) + 1 = 5 and (9 + 2 - 5) + 1 = 7; the transpose
    ConvTranspose2d(5, 3, 5, padding=1) brings 5x7 back: (5 - 1) - 2 + 4 + 1 = 7 and (7 - 1) - 2 + 4 + 1 = 9."""
    assert conv_output_size((7, 9), 5, padding=1) == (5, 7)
    assert conv_transpose_output_size((5, 7), 5, padding=1) == (7, 9)
    assert nn.Conv2d(3, 5, 5, padding=1)(torch.zeros(1, 3, 7, 9)).shape == (1, 5, 5, 7)
    assert nn.ConvTranspose2d(5, 3, 5, padding=1)(torch.zeros(1, 5, 5, 7)).shape == (1, 3, 7, 9)


@pytest.mark.parametrize("fn, args, kwargs, expected", [
    (conv_output_size, (224, 7), dict(stride=2, padding=3), 112),  # ResNet stem: floor(223 / 2) + 1
    (pool_output_size, (112, 3), dict(stride=2, padding=1), 56),  # ResNet max pool: floor(111 / 2) + 1
    (conv_output_size, (10, 3), dict(dilation=2), 6),  # span 5: 10 - 5 + 1
    (conv_output_size, (5, 5), {}, 1),  # the kernel exactly covers the input
    (conv_output_size, (3, 5), dict(padding=1), 1),  # ... or the padded input
    (conv_output_size, ((16, 32, 32), 3), dict(stride=(1, 2, 2), padding=1), (16, 16, 16)),
    (pool_output_size, (7, 2), {}, 3),  # floor(5 / 2) + 1
    (pool_output_size, (7, 2), dict(ceil_mode=True), 4),  # ceil(5 / 2) + 1
    (pool_output_size, (5, 2), dict(stride=2, padding=1, ceil_mode=True), 3),  # 4th window starts at 6 = n + p
    (pool_output_size, (2, 3), dict(stride=2, ceil_mode=True), 1),  # ceil_mode: a window may overhang the end
    (conv_transpose_output_size, (4, 4), dict(stride=2, padding=1), 8),  # DCGAN: 3*2 - 2 + 3 + 1
    (conv_transpose_output_size, (4, 3), dict(stride=2, padding=1, output_padding=1), 8),  # 6 - 2 + 2 + 1 + 1
    (conv_transpose_output_size, (1, 4), {}, 4),  # DCGAN's first layer: 1x1 -> 4x4
    (conv_transpose_output_size, (3, 3), dict(dilation=2, output_padding=1), 8),  # 2 + 4 + 1 + 1, op < dilation
    (output_padding_for, (8, 4, 3), dict(stride=2, padding=1), 1),
    (output_padding_for, (7, 4, 3), dict(stride=2, padding=1), 0),
    (output_padding_for, ((8, 7), (4, 4), 3), dict(stride=2, padding=1), (1, 0)),
])
def test_hand_derived(fn, args, kwargs, expected):
    assert fn(*args, **kwargs) == expected


def test_int_in_int_out_and_tuple_in_tuple_out():
    assert type(conv_output_size(7, 3)) is int
    assert conv_output_size((7,), 3) == (5,)
    assert conv_output_size([7, 9], 3) == (5, 7)  # a list is a sequence too; the result is a tuple
    assert conv_output_size(7, (3, 5)) == (5, 3)  # ints are repeated to the number of dimensions
    x = torch.zeros(2, 3, 7, 9)
    assert pool_output_size(x.shape[-2:], 2) == (3, 4)  # a torch.Size works
    assert conv_transpose_output_size(3, 3, stride=(1, 2, 2)) == (5, 7, 7)


# ---------------------------------------------------------------------------
# 2-D and 3-D with a different value in every dimension (hypothesis, against PyTorch)


@st.composite
def nd_arguments(draw, dims=(2, 3)):
    nd = draw(st.sampled_from(dims))

    def per_dim(low, high):
        return tuple(draw(st.integers(low, high)) for _ in range(nd))

    return dict(size=per_dim(1, 9), kernel_size=per_dim(1, 5), stride=per_dim(1, 4), padding=per_dim(0, 3),
                dilation=per_dim(1, 3), output_padding=per_dim(0, 3))


def torch_shape(op):
    """The spatial shape of ``op()`` as a tuple, or None where PyTorch refuses."""
    try:
        return tuple(op().shape[2:])
    except RuntimeError:
        return None


@given(nd_arguments())
def test_conv_nd_matches_torch(a):
    conv = {2: F.conv2d, 3: F.conv3d}[len(a["size"])]
    theirs = torch_shape(lambda: conv(torch.zeros(1, 1, *a["size"]), torch.zeros(1, 1, *a["kernel_size"]),
                                      stride=a["stride"], padding=a["padding"], dilation=a["dilation"]))
    assert our_size(conv_output_size, a["size"], a["kernel_size"], a["stride"], a["padding"], a["dilation"]) == theirs


@given(nd_arguments(), st.booleans())
def test_max_pool_nd_matches_torch(a, ceil_mode):
    pool = {2: F.max_pool2d, 3: F.max_pool3d}[len(a["size"])]
    args = (a["kernel_size"], a["stride"], a["padding"], a["dilation"])
    theirs = torch_shape(lambda: pool(torch.zeros(1, 1, *a["size"]), *args, ceil_mode=ceil_mode))
    assert our_size(pool_output_size, a["size"], *args, ceil_mode=ceil_mode) == theirs


@given(nd_arguments(), st.booleans())
def test_avg_pool_nd_matches_torch(a, ceil_mode):
    nd = len(a["size"])
    pool = {2: F.avg_pool2d, 3: F.avg_pool3d}[nd]
    args = (a["kernel_size"], a["stride"], a["padding"])
    theirs = torch_shape(lambda: pool(torch.zeros(1, 1, *a["size"]), *args, ceil_mode=ceil_mode))
    ours = our_size(pool_output_size, a["size"], *args, ceil_mode=ceil_mode)
    if nd == 3 and any(n < k for n, k in zip(a["size"], a["kernel_size"])):
        ours = None  # the documented extra rule of avg_pool3d: the unpadded input must hold the kernel
    assert ours == theirs


def test_avg_pool3d_extra_rule_is_real():
    """The exception documented in pool_output_size: avg_pool3d refuses 2 < kernel 3 although padding 1 fits."""
    assert pool_output_size((3, 3, 2), 3, stride=1, padding=1) == (3, 3, 2)
    assert F.max_pool3d(torch.zeros(1, 1, 3, 3, 2), 3, stride=1, padding=1).shape[2:] == (3, 3, 2)
    assert F.avg_pool2d(torch.zeros(1, 1, 3, 2), 3, stride=1, padding=1).shape[2:] == (3, 2)
    with pytest.raises(RuntimeError, match="smaller than kernel size"):
        F.avg_pool3d(torch.zeros(1, 1, 3, 3, 2), 3, stride=1, padding=1)


@given(nd_arguments())
def test_conv_transpose_nd_matches_torch(a):
    conv = {2: F.conv_transpose2d, 3: F.conv_transpose3d}[len(a["size"])]
    args = (a["stride"], a["padding"], a["dilation"], a["output_padding"])
    theirs = torch_shape(lambda: conv(torch.zeros(1, 1, *a["size"]), torch.zeros(1, 1, *a["kernel_size"]),
                                      stride=a["stride"], padding=a["padding"], output_padding=a["output_padding"],
                                      dilation=a["dilation"]))
    assert our_size(conv_transpose_output_size, a["size"], a["kernel_size"], *args) == theirs


@given(nd_arguments(dims=(2,)))
def test_output_padding_for_nd_round_trip(a):
    target = torch_shape(lambda: F.conv_transpose2d(
        torch.zeros(1, 1, *a["size"]), torch.zeros(1, 1, *a["kernel_size"]), stride=a["stride"],
        padding=a["padding"], output_padding=a["output_padding"], dilation=a["dilation"]))
    ours = our_size(output_padding_for, target or 1, a["size"], a["kernel_size"], a["stride"], a["padding"],
                    a["dilation"])
    if target is not None:
        assert ours == a["output_padding"]


@given(nd_arguments(dims=(1,)))
def test_convolution_undoes_its_transpose_when_output_padding_below_stride(a):
    """conv(convT(n)) = n when op < stride (output_padding only adds samples the floor forgets)."""
    a = {name: value[0] for name, value in a.items()}
    n, k, s, p, d, op = (a[name] for name in ("size", "kernel_size", "stride", "padding", "dilation", "output_padding"))
    out = our_size(conv_transpose_output_size, n, k, s, p, d, op % s)
    if out is not None:
        assert conv_output_size(out, k, s, p, d) == n


# ---------------------------------------------------------------------------
# Errors: the parameter, the value and what is allowed


@pytest.mark.parametrize("call, error, match", [
    (lambda: conv_output_size(3, 5), ValueError,
     r"kernel_size=5 with dilation=1 spans dilation\*\(kernel_size-1\)\+1=5 input samples, "
     r"more than the padded input size\+2\*padding=3"),
    (lambda: conv_output_size(5, 3, dilation=3), ValueError, r"dilation=3 spans .*=7 input samples"),
    (lambda: conv_output_size((9, 3), 5), ValueError, r"padded input size\+2\*padding=\(9, 3\) in dimension 1"),
    (lambda: conv_output_size(7, 3, padding=-1), ValueError, r"padding=-1 must be non-negative"),
    (lambda: conv_output_size(0, 3), ValueError, r"size=0 must be positive"),
    (lambda: conv_output_size(7, 0), ValueError, r"kernel_size=0 must be positive"),
    (lambda: conv_output_size(7, 3, stride=0), ValueError, r"stride=0 must be positive"),
    (lambda: conv_output_size(7, 3, dilation=0), ValueError, r"dilation=0 must be positive"),
    (lambda: conv_output_size(True, 3), TypeError, r"size=True must be an int"),
    (lambda: conv_output_size(7, 3.0), TypeError, r"kernel_size=3.0 must be an int"),
    (lambda: conv_output_size(7, 3, stride=(1, True)), TypeError, r"stride=\(1, True\) must be an int"),
    (lambda: conv_output_size(7, "3"), TypeError, r"kernel_size='3' must be an int"),
    (lambda: conv_output_size((7, 9), (3, 3, 3)), ValueError,
     r"kernel_size=\(3, 3, 3\) has 3 entries but size=\(7, 9\) has 2"),
    (lambda: conv_output_size((), 3), ValueError, r"size=\(\) must have one entry per spatial dimension"),
    (lambda: pool_output_size(7, 3, padding=2), ValueError,
     r"padding=2 must be at most half the kernel size, kernel_size//2=1"),
    (lambda: pool_output_size(7, 3, padding=2, dilation=3), ValueError, r"padding=2 must be at most half"),
    (lambda: pool_output_size((7, 7), (4, 3), padding=2), ValueError, r"kernel_size//2=\(2, 1\) in dimension 1"),
    (lambda: pool_output_size(2, 5), ValueError, r"size=2 is too small for the pooling window: kernel_size=5"),
    (lambda: pool_output_size(2, 5, stride=2, ceil_mode=True), ValueError, r"plus stride-1 \(ceil_mode\)"),
    (lambda: pool_output_size(7, 2, stride=0), ValueError, r"stride=0 must be positive"),
    (lambda: pool_output_size(7, 2, ceil_mode=1), TypeError, r"ceil_mode=1 must be a bool"),
    (lambda: conv_transpose_output_size(3, 3, stride=2, output_padding=2), ValueError,
     r"^output_padding=2 must be smaller than max\(stride, dilation\)=2$"),
    (lambda: conv_transpose_output_size((3, 3), 3, stride=(2, 1), output_padding=(2, 0)), ValueError,
     r"^output_padding=\(2, 0\) must be smaller than max\(stride, dilation\)=\(2, 1\) in every dimension$"),
    (lambda: conv_transpose_output_size(3, 3, output_padding=-1), ValueError, r"output_padding=-1 must be non-neg"),
    (lambda: conv_transpose_output_size(1, 1, padding=1), ValueError,
     r"output_padding \+ 1 = -1 is not positive: padding=1 crops more than"),
    (lambda: conv_transpose_output_size(2, 1, padding=1), ValueError, r"= 0 is not positive"),
    (lambda: output_padding_for(10, 4, 3, stride=2, padding=1), ValueError,
     r"^target=10 is not reachable: with these arguments the output size can be 7 to 8 \(output_padding 0 to 1\)$"),
    (lambda: output_padding_for(6, 4, 3, padding=1), ValueError,
     r"target=6 is not reachable: .* can be only 4 \(output_padding only 0\)"),
    (lambda: output_padding_for(1, 2, 1, padding=1), ValueError,
     r"target=1 is not reachable: with these arguments no output_padding gives a positive output size"),
    (lambda: output_padding_for(2, 2, 1, dilation=2, padding=1), ValueError,  # op=0 gives 0, op=1 gives 1
     r"target=2 is not reachable: .* can be only 1 \(output_padding only 1\)"),
    (lambda: output_padding_for((8, 9), 4, 3, stride=2, padding=1), ValueError,
     r"target=\(8, 9\) is not reachable in dimension 1: .* can be 7 to 8"),
    (lambda: output_padding_for(0, 4, 3), ValueError, r"target=0 must be positive"),
    (lambda: transposed_conv_configs(4, 0), ValueError, r"out_size=0 must be positive"),
    (lambda: transposed_conv_configs(4, 8, max_kernel=0), ValueError, r"max_kernel=0 must be positive"),
    (lambda: transposed_conv_configs(4, 8, max_stride=False), TypeError, r"max_stride=False must be an int"),
    (lambda: transposed_conv_configs((4, 4), (8, 8, 8)), ValueError, r"out_size=\(8, 8, 8\) has 3 entries"),
])
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
