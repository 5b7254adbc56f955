"""Shared fixtures: devices, dtypes and one comparison helper with a tolerance per dtype.

``device`` runs a test on the CPU and, when a GPU is present, on CUDA; on a
CPU-only machine the CUDA case is reported as skipped with the reason, so a
test log always says whether the GPU path was exercised.
"""

import os
import sys

# One OpenMP thread per process (unless OMP_NUM_THREADS says otherwise), set before torch starts its thread
# pool; subprocesses (PyTorch's sample generator, make) inherit it. The tensors here hold a few numbers:
# with two threads, each of `make test-package`'s two workers on a two-core machine spins waiting for a core
# the other worker holds (PyTorch's max-unpool samples: 7.7 s of CPU instead of 1.3 s).
if "OMP_NUM_THREADS" not in os.environ:
    os.environ["OMP_NUM_THREADS"] = "1"
    if "torch" in sys.modules:  # imported before this file: its pool has started
        sys.modules["torch"].set_num_threads(1)

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

# torch is imported inside the functions below, not here: under `make test-package` xdist's controller
# process, which runs no test, loads this file too (importing torch and the package there: 2.5 s of CPU).

settings.register_profile(
    "book",
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples on every run: a red CI can be reproduced
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("book")

# For hypothesis tests that also take the `device`/`dtype` fixtures: those are fixed per test
# call, so hypothesis may reuse them across its examples.
fixtures_ok = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _torch_version() -> tuple[int, int]:
    import torch
    return tuple(int(part) for part in torch.__version__.split("+")[0].split(".")[:2])


def __getattr__(name: str):
    """``TORCH``, PyTorch's (major, minor) version, computed when a test module imports it."""
    if name == "TORCH":
        return _torch_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def pytorch_behaviour_since(version: tuple[int, int], what: str):
    """Skip a test whose oracle is a behaviour of PyTorch itself (what it accepts or refuses) that older
    releases do not have; `make compat` found each of these. Our operators are tested the same elsewhere."""
    torch_version = _torch_version()
    return pytest.mark.skipif(torch_version < version,
                              reason=f"PyTorch {'.'.join(map(str, torch_version))} {what}; "
                                     f"the test's oracle needs {'.'.join(map(str, version))}")


@pytest.fixture(params=["cpu", "cuda"])
def device(request):
    import torch
    if request.param == "cuda" and not torch.cuda.is_available():
        pytest.skip("no CUDA device on this machine")
    return torch.device(request.param)


@pytest.fixture(params=["float64", "float32"])
def dtype(request):
    import torch
    return getattr(torch, request.param)


@pytest.fixture(autouse=True)
def full_precision_float32():
    """On CUDA, cuDNN and cuBLAS would round float32 to TF32 (about 1e-3); compare at full precision."""
    import torch
    saved = torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32
    torch.backends.cudnn.allow_tf32 = torch.backends.cuda.matmul.allow_tf32 = False
    yield
    torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32 = saved


def refused(fn) -> bool:
    """Whether our ``fn()`` refuses its arguments, as the package promises: with a ValueError or TypeError.

    Any other exception (an IndexError or RuntimeError from deep inside our code) is a bug, not a
    refusal, and propagates, so the test fails.
    """
    try:
        fn()
    except (ValueError, TypeError):
        return True
    return False


def torch_refuses(fn) -> bool:
    """Whether PyTorch's ``fn()`` refuses its arguments: its checks raise RuntimeError, ValueError or TypeError."""
    try:
        fn()
    except (RuntimeError, ValueError, TypeError):
        return True
    return False


def assert_close(actual, expected, **kwargs) -> None:
    """``torch.testing.assert_close`` with our tolerance for the dtype (float64 1e-9, float32 1e-5)."""
    import torch

    from upsampling.book import tolerance
    tol = tolerance(expected.dtype) if expected.is_floating_point() else {"rtol": 0, "atol": 0}
    tol.update(kwargs)
    torch.testing.assert_close(actual, expected, **tol)


from xdist_groups import pytest_collection_modifyitems  # noqa: E402,F401 (the hook, shared with tests/browser)
