"""PyTorch's own test inputs: every sample its OpInfo database generates for
``nn.functional.conv_transpose{1,2,3}d`` and ``nn.functional.max_unpool{1,2,3}d``
(in ``torch.testing._internal.common_methods_invocations``, the inputs PyTorch
tests its operators with), run through ours and compared with PyTorch's result.

That module imports ``expecttest`` (a PyTorch test dependency, not in our
requirements) only for a base class of its own test cases, which the sample
generators never use; a stand-in module provides that name. Importing it also
freezes the global cuDNN flags for the rest of the process, so the samples are
generated in a separate Python process and handed over in a file.
"""

import subprocess
import sys

import pytest
import torch
from conftest import assert_close

import upsampling

# one xdist group: under `make test-package` (-n 2 --dist loadgroup) one worker runs these tests, so the
# module-scoped `samples` fixture (about 9 s of CPU) runs once
pytestmark = pytest.mark.xdist_group("pytorch_samples")

NAMES = ["conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "max_unpool1d", "max_unpool2d", "max_unpool3d"]


GENERATE = """
import sys, types, unittest
import torch
stand_in = types.ModuleType("expecttest")
stand_in.TestCase = unittest.TestCase
sys.modules["expecttest"] = stand_in
from torch.testing._internal.common_methods_invocations import op_db
samples = {}
for op in op_db:
    name = op.name.removeprefix("nn.functional.")
    if name in sys.argv[2:]:
        samples[name, op.variant_test_name] = [
            (s.input.detach(), tuple(a.detach() if isinstance(a, torch.Tensor) else a for a in s.args), s.kwargs)
            for s in op.sample_inputs("cpu", torch.float64, requires_grad=op.variant_test_name == "grad")]
torch.save(samples, sys.argv[1])
"""


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    path = tmp_path_factory.mktemp("samples") / "samples.pt"
    subprocess.run([sys.executable, "-c", GENERATE, str(path), *NAMES], check=True, timeout=600)
    return torch.load(path, weights_only=False)


def _samples(samples, name, variant=""):
    found = samples[name, variant]
    assert found, f"PyTorch generated no samples for {name}"
    return found


THEIRS = {name: getattr(torch.nn.functional, name) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_pytorch_samples(samples, name):
    methods = ["scatter", "zero_insertion", "matrix", "subpixel"] if name.startswith("conv") else [None]
    found = _samples(samples, name)
    ran = 0  # (sample, method) pairs compared
    for input, args, kwargs in found:
        expected = THEIRS[name](input, *args, **kwargs)
        for method in methods:
            dilation = kwargs.get("dilation", 1)
            if method == "subpixel" and any(d != 1 for d in ((dilation,) if isinstance(dilation, int) else dilation)):
                continue  # the sub-pixel form needs dilation 1
            out = getattr(upsampling, name)(input, *args, **dict(kwargs, method=method) if method else kwargs)
            assert out.shape == expected.shape, (name, method, kwargs)
            assert_close(out, expected, msg=lambda m, k=kwargs, me=method: f"{name} {me} {k}: {m}")
            ran += 1
    assert ran >= len(found)  # every sample ran at least once


@pytest.mark.parametrize("name", ["max_unpool1d", "max_unpool2d", "max_unpool3d"])
def test_pytorch_gradient_samples(samples, name):
    for input, args, kwargs in _samples(samples, name, "grad"):
        input = input.clone().requires_grad_(True)
        expected = THEIRS[name](input, *args, **kwargs)
        out = getattr(upsampling, name)(input, *args, **kwargs)
        g = torch.randn_like(expected)
        (theirs,) = torch.autograd.grad(expected, input, g)
        (ours,) = torch.autograd.grad(out, input, g)
        assert torch.equal(out.detach(), expected.detach()) and torch.equal(ours, theirs), (name, kwargs)
