"""Shared fixtures: devices, dtypes and one comparison helper with a tolerance per dtype.

``device`` runs a test on the CPU and, when a GPU is present, on CUDA; on a
CPU-only machine the CUDA case is reported as skipped with the reason, so a
test log always says whether the GPU path was exercised.
"""

import pytest
import torch
from hypothesis import HealthCheck, settings

from upsampling.book import tolerance

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

CUDA = torch.cuda.is_available()
cuda = pytest.mark.skipif(not CUDA, reason="no CUDA device on this machine")


@pytest.fixture(params=["cpu", pytest.param("cuda", marks=cuda)])
def device(request) -> torch.device:
    return torch.device(request.param)


@pytest.fixture(params=[torch.float64, torch.float32], ids=["float64", "float32"])
def dtype(request) -> torch.dtype:
    return request.param


@pytest.fixture(autouse=True)
def full_precision_float32():
    """On CUDA, cuDNN and cuBLAS would round float32 to TF32 (about 1e-3); compare at full precision."""
    saved = torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32
    torch.backends.cudnn.allow_tf32 = torch.backends.cuda.matmul.allow_tf32 = False
    yield
    torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32 = saved


def raises(fn) -> bool:
    """Whether ``fn()`` is refused: a ValueError (ours) or a RuntimeError (PyTorch's)."""
    try:
        fn()
    except (ValueError, RuntimeError):
        return True
    return False


def assert_close(actual: torch.Tensor, expected: torch.Tensor, **kwargs) -> None:
    """``torch.testing.assert_close`` with our tolerance for the dtype (float64 1e-9, float32 1e-5)."""
    tol = tolerance(expected.dtype) if expected.is_floating_point() else {"rtol": 0, "atol": 0}
    tol.update(kwargs)
    torch.testing.assert_close(actual, expected, **tol)
