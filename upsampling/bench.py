"""Benchmark: our operators against PyTorch's, measured in one process.

Run ``python -m upsampling.bench``. For each case it prints our time, PyTorch's
time (the median of repeated runs after a warm-up, by ``torch.utils.benchmark``)
and the ratio ours / PyTorch's, on the CPU in float32, next to the target the
package aims for. Nothing here is asserted: timings depend on the machine.
``python -m upsampling.bench --quick`` runs fewer repetitions.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch.utils import benchmark

from .interpolation import interpolate
from .matrix import conv_matrix
from .subpixel import pixel_shuffle
from .transposed import conv_transpose2d


@dataclass
class Case:
    name: str
    ours: Callable[[], object]
    theirs: Callable[[], object] | None
    target: float  # ratio for a comparison, seconds for an absolute case


def _median(fn: Callable[[], object], min_run_time: float) -> float:
    fn()  # warm-up
    return benchmark.Timer(stmt="fn()", globals={"fn": fn}).blocked_autorange(min_run_time=min_run_time).median


def cases() -> list[Case]:
    g = torch.Generator().manual_seed(0)
    img = torch.rand(1, 3, 512, 512, generator=g)
    big = torch.rand(1, 3, 1024, 1024, generator=g)
    x = torch.rand(4, 32, 64, 64, generator=g)
    w = torch.rand(32, 16, 4, 4, generator=g)
    shuffle_in = torch.rand(4, 64, 128, 128, generator=g)
    conv_w = torch.rand(8, 8, 3, 3, generator=g)

    def interp(mode, **kw):
        return Case(f"interpolate x2 {mode} 1x3x512x512", lambda: interpolate(img, scale_factor=2, mode=mode, **kw),
                    lambda: F.interpolate(img, scale_factor=2, mode=mode, **kw), 5.0 if mode == "bicubic" else 3.0)

    def transposed(method, target):
        return Case(f"conv_transpose2d {method} 4x32x64x64, 4x4 s2 p1",
                    lambda: conv_transpose2d(x, w, stride=2, padding=1, method=method),
                    lambda: F.conv_transpose2d(x, w, stride=2, padding=1), target)

    return [
        interp("nearest"),
        interp("bilinear", align_corners=False),
        interp("bicubic", align_corners=False),
        Case("interpolate bilinear antialias 1024->256",
             lambda: interpolate(big, size=(256, 256), mode="bilinear", antialias=True),
             lambda: F.interpolate(big, size=(256, 256), mode="bilinear", antialias=True), 5.0),
        transposed("subpixel", 1.5),
        transposed("scatter", 3.0),
        transposed("zero_insertion", 8.0),
        Case("pixel_shuffle r=2 4x64x128x128", lambda: pixel_shuffle(shuffle_in, 2),
             lambda: F.pixel_shuffle(shuffle_in, 2), 1.5),
        Case("conv_matrix (8, 64, 64), 8x8x3x3 weight [s]", lambda: conv_matrix((8, 64, 64), conv_w, padding=1),
             None, 0.5),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    min_run_time = 0.2 if args.quick else 1.0
    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads, float32")
    print(f"{'case':<54} {'ours [ms]':>10} {'torch [ms]':>11} {'ratio':>7} {'target':>8}  ok")
    for case in cases():
        ours = _median(case.ours, min_run_time)
        if case.theirs is None:
            ok = ours <= case.target
            print(f"{case.name:<54} {ours * 1e3:>10.2f} {'':>11} {'':>7} {f'<={case.target} s':>8}  {'yes' if ok else 'NO'}")
            continue
        theirs = _median(case.theirs, min_run_time)
        ratio = ours / theirs
        ok = ratio <= case.target
        print(f"{case.name:<54} {ours * 1e3:>10.2f} {theirs * 1e3:>11.2f} {ratio:>7.2f} {f'<={case.target}x':>8}  {'yes' if ok else 'NO'}")


if __name__ == "__main__":
    main()
