"""``upsampling.book.check_on_devices``: it moves every tensor argument, compares what it should, and fails.

A second device is simulated: ``available_devices`` is replaced by ``[cpu, meta]``
(the meta device computes shapes and dtypes, no values, and refuses to mix
with CPU tensors, so an argument left behind shows) or by ``[cpu, cpu]`` with a
function whose second result differs (standing for a device that computes
something else).
"""

from typing import NamedTuple

import pytest
import torch
import torch.nn.functional as F

import upsampling.book as book
from upsampling import conv_transpose3d, max_unpool3d
from upsampling.book import check_on_devices

CPU, META = torch.device("cpu"), torch.device("meta")


@pytest.fixture
def cpu_and_meta(monkeypatch):
    monkeypatch.setattr(book, "available_devices", lambda: [CPU, META])


@pytest.fixture
def two_cpus(monkeypatch):
    monkeypatch.setattr(book, "available_devices", lambda: [CPU, CPU])


def differs_on_second_call(first, second):
    """A function returning ``first`` on its first call and ``second`` afterwards (a device that disagrees)."""
    calls = []

    def fn(*args, **kwargs):
        calls.append(1)
        return first if len(calls) == 1 else second
    return fn


def test_real_devices_with_pytorch_as_reference():
    x, w = torch.randn(1, 2, 3, 3, 3), torch.randn(2, 3, 2, 2, 2)
    out = check_on_devices(conv_transpose3d, x, w, stride=2, expected=F.conv_transpose3d)
    torch.testing.assert_close(out, F.conv_transpose3d(x, w, stride=2))
    y, idx = F.max_pool3d(torch.randn(1, 2, 4, 4, 4), 2, return_indices=True)
    check_on_devices(max_unpool3d, y, idx, 2, expected=F.max_unpool3d)   # indices are an int64 tensor


def test_moves_keyword_tensors(cpu_and_meta):
    seen = []

    def add(x, *, other):
        seen.append((x.device.type, other.device.type))
        return x + other  # a meta tensor plus a CPU tensor of 3 elements raises
    x, y = torch.arange(3.0), torch.ones(3)
    out = check_on_devices(add, x, other=y, expected=lambda x, *, other: torch.add(x, other))
    assert seen == [("cpu", "cpu"), ("meta", "meta")]
    assert torch.equal(out, torch.tensor([1.0, 2.0, 3.0]))


def test_moves_tensors_inside_containers(cpu_and_meta):
    seen = []

    def fn(pair, *, table):
        seen.append((pair[0].device.type, table["w"].device.type))
        return pair[0] * table["w"]
    check_on_devices(fn, (torch.ones(2), 1), table={"w": torch.ones(2)})
    assert seen == [("cpu", "cpu"), ("meta", "meta")]


def test_meta_results_are_checked_for_shape_and_dtype(cpu_and_meta):
    with pytest.raises(AssertionError, match=r"on meta: .* has shape \(3,\) and dtype torch.float32, expected \(2,\)"):
        check_on_devices(lambda x: x if x.device.type == "meta" else x[:2], torch.ones(3))


def test_a_result_left_on_another_device_fails(cpu_and_meta):
    with pytest.raises(AssertionError, match=r"on meta: .* is on cpu, not on the input's device"):
        check_on_devices(lambda x: torch.full(x.shape, 2.0), torch.ones(3))  # made on the CPU, always


def test_a_device_that_disagrees_fails(two_cpus):
    fn = differs_on_second_call(torch.ones(3), torch.ones(3) + 1e-3)
    with pytest.raises(AssertionError, match=r"on cpu, the result of fn"):
        check_on_devices(fn, torch.ones(3))


def test_float_results_within_tolerance_pass(two_cpus):
    fn = differs_on_second_call(torch.ones(3), torch.ones(3) + 1e-7)   # float32 tolerance: 1e-5
    assert torch.equal(check_on_devices(fn, torch.ones(3)), torch.ones(3))


@pytest.mark.parametrize("first, second", [
    (torch.tensor([10 ** 9]), torch.tensor([10 ** 9 + 1])),   # relative difference 1e-9: within any float tolerance
    (torch.tensor([True, False]), torch.tensor([True, True])),
], ids=["int64", "bool"])
def test_integer_and_boolean_results_are_compared_exactly(two_cpus, first, second):
    with pytest.raises(AssertionError, match=r"on cpu"):
        check_on_devices(differs_on_second_call(first, second), torch.ones(1))


class Pair(NamedTuple):
    values: torch.Tensor
    count: int


@pytest.mark.parametrize("first, second, where", [
    ((torch.ones(2), torch.tensor([1, 2])), (torch.ones(2), torch.tensor([1, 3])), r"\[1\]"),
    (Pair(torch.ones(2), 4), Pair(torch.ones(2), 5), r"\[1\] is 5, expected 4"),
    (Pair(torch.ones(2), 4), Pair(torch.zeros(2), 4), r"\[0\]"),
    ((torch.ones(2),), (torch.ones(2), torch.ones(2)), r"has 2 entries"),
], ids=["tuple", "namedtuple count", "namedtuple tensor", "length"])
def test_tuple_results_are_compared_entry_by_entry(two_cpus, first, second, where):
    with pytest.raises(AssertionError, match=where):
        check_on_devices(differs_on_second_call(first, second), torch.ones(1))


def test_tuple_results_that_agree_pass(cpu_and_meta):
    x = torch.arange(16.0).reshape(1, 1, 4, 4)
    values, indices = check_on_devices(F.max_pool2d, x, kernel_size=2, return_indices=True)
    assert indices.flatten().tolist() == [5, 7, 13, 15]      # the bottom-right pixel of each 2x2 window
    out = check_on_devices(torch.max, x.flatten(), dim=0)    # a torch.return_types NamedTuple
    assert (out.values.item(), out.indices.item()) == (15.0, 15)


def test_expected_tensor(two_cpus):
    with pytest.raises(AssertionError):
        check_on_devices(torch.neg, torch.ones(2), expected=torch.ones(2))
    assert torch.equal(check_on_devices(torch.neg, torch.ones(2), expected=-torch.ones(2)), -torch.ones(2))
