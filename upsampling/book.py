"""The book's scaffolding: seeds, devices, figure style and the check that runs an operator everywhere.

Nothing here is an operator; a user of the operators never needs this module.
The chapters are executed on CPU-only machines (CI, most laptops) and on CUDA
machines (Colab with a GPU, workstations). Their stored outputs must be the
same on both, so every chapter starts with :func:`setup`, which picks the
device *silently*, and compares devices *inside* a cell with
:func:`check_on_devices`, printing only text that does not depend on the
machine.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np
import torch

__all__ = ["available_devices", "setup", "check_on_devices", "tolerance", "figure_style", "PALETTE"]

# Okabe & Ito's palette, distinguishable with every common colour-vision deficiency
# (Okabe and Ito, "Color Universal Design", 2008), paired with line styles so that
# lines can also be told apart in grey or when two colours are confused.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
_LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 2)), (0, (8, 2, 2, 2)))


def figure_style() -> None:
    """Set the book's matplotlib style: legible on a phone and a projector, colour-blind safe.

    Fonts of 12 points on figures at most 7 inches wide; the Okabe-Ito palette
    paired with line styles as the default cycle; ``viridis`` (perceptually
    uniform) as the default colour map; no ticks on image axes is left to each figure.

    Example:
        >>> figure_style(); import matplotlib as mpl; mpl.rcParams["font.size"]
        12.0
    """
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update({
        "font.size": 12,
        "axes.titlesize": 12,
        "axes.labelsize": 12,
        "xtick.labelsize": 11,
        "ytick.labelsize": 11,
        "legend.fontsize": 11,
        "figure.titlesize": 13,
        "lines.linewidth": 2.0,
        "axes.prop_cycle": cycler(color=PALETTE) + cycler(linestyle=_LINESTYLES),
        "image.cmap": "viridis",
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "svg.fonttype": "none",  # text stays text in SVG: selectable, searchable, small
        "svg.hashsalt": "upsampling-book",  # deterministic ids in SVG output
        "figure.constrained_layout.use": False,
    })


def available_devices() -> list[torch.device]:
    """The devices this machine can compute on: the CPU first, then each CUDA device.

    Example:
        >>> available_devices()[0]
        device(type='cpu')
    """
    devices = [torch.device("cpu")]
    if torch.cuda.is_available():
        devices += [torch.device("cuda", i) for i in range(torch.cuda.device_count())]
    return devices


def setup(seed: int = 0) -> torch.device:
    """Prepare a chapter: seed every generator, fix print options, return the device.

    * seeds Python's ``random``, NumPy and PyTorch (CPU and every CUDA device);
    * turns TF32 off, so that float32 matrix products and convolutions on an
      Ampere-or-later GPU round like the CPU's (about 1e-6, not 1e-3);
    * asks cuDNN for deterministic algorithms;
    * sets ``torch`` and NumPy print options used by every chapter;
    * sets the book's figure style (:func:`figure_style`);
    * returns ``cuda`` when a GPU is present and ``cpu`` otherwise, and prints
      nothing, so the notebook's stored outputs do not depend on the machine.

    Example:
        >>> setup().type in {"cpu", "cuda"}
        True
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    torch.set_printoptions(precision=4, sci_mode=False, linewidth=120)
    np.set_printoptions(precision=4, suppress=True, linewidth=120)
    figure_style()
    return available_devices()[-1 if torch.cuda.is_available() else 0]


_TOLERANCES = {
    torch.float64: (1e-9, 1e-9),
    torch.float32: (1e-5, 1e-5),
    torch.float16: (1e-3, 1e-3),
    torch.bfloat16: (1e-2, 1e-2),
}


def tolerance(dtype: torch.dtype) -> dict[str, float]:
    """``rtol``/``atol`` for comparing our operators with PyTorch's in ``dtype``.

    Example:
        >>> tolerance(torch.float64)
        {'rtol': 1e-09, 'atol': 1e-09}
    """
    if dtype not in _TOLERANCES:
        raise ValueError(f"dtype={dtype} has no tolerance; choose one of {', '.join(map(str, _TOLERANCES))}")
    rtol, atol = _TOLERANCES[dtype]
    return {"rtol": rtol, "atol": atol}


def _to(value, device):
    if isinstance(value, torch.Tensor):
        return value.to(device)
    if isinstance(value, (tuple, list)):
        return type(value)(_to(v, device) for v in value)
    return value


def check_on_devices(fn: Callable, *args, expected: Callable | torch.Tensor | None = None, **kwargs):
    """Run ``fn(*args, **kwargs)`` on every available device and check agreement.

    Tensor arguments (also inside tuples and lists) are moved to each device in
    turn. Every device's result is compared with ``expected`` when it is given
    (a tensor, or a callable taking the same arguments, such as the PyTorch
    operator ``fn`` rebuilds), and with the CPU result otherwise, using
    :func:`tolerance` for the result's dtype. Raises ``AssertionError`` on the
    first disagreement and returns the CPU result.

    Example:
        >>> import torch.nn.functional as F
        >>> x = torch.arange(4.0).reshape(1, 1, 2, 2)
        >>> y = check_on_devices(F.interpolate, x, scale_factor=2, expected=lambda x, **kw: x.repeat_interleave(2, -1).repeat_interleave(2, -2))
        >>> tuple(y.shape)
        (1, 1, 4, 4)
    """
    results = {}
    for device in available_devices():
        moved = _to(args, device)
        out = fn(*moved, **kwargs)
        if out.device.type != device.type:
            raise AssertionError(f"{getattr(fn, '__name__', fn)} returned a result on {out.device}, not on the input's device {device}")
        if expected is None:
            reference = results.get("cpu", out)
        elif callable(expected):
            reference = expected(*moved, **kwargs)
        else:
            reference = expected
        torch.testing.assert_close(out.cpu(), reference.cpu(), **tolerance(out.dtype),
                                   msg=lambda m, d=device: f"on {d}: {m}")
        results.setdefault(device.type, out)
    return results["cpu"]
