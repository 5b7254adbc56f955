"""Reference operators for changing resolution, rebuilt from their definitions.

Every operator here is vectorized, runs on the input's device and dtype, and
agrees with the PyTorch operator named in its docstring. The submodules
``upsampling.shapes`` (size formulas), ``upsampling.images`` (test images made
by code) and ``upsampling.artifacts`` (checkerboard measures) are public too.
The book's scaffolding (seeding, devices, figure style) lives apart, in
``upsampling.book``, and the benchmark in ``upsampling.bench``.
"""

from . import artifacts, images, shapes
from .downsample import blur_pool2d
from .interpolation import interpolate, interpolation_matrix
from .matrix import conv_matrix
from .subpixel import icnr_, pixel_shuffle, pixel_unshuffle, subpixel_to_transposed, transposed_to_subpixel
from .transposed import conv_transpose2d
from .unpool import max_unpool2d

__version__ = "0.1.0"

__all__ = [
    "artifacts",
    "blur_pool2d",
    "conv_matrix",
    "conv_transpose2d",
    "icnr_",
    "images",
    "interpolate",
    "interpolation_matrix",
    "max_unpool2d",
    "pixel_shuffle",
    "pixel_unshuffle",
    "shapes",
    "subpixel_to_transposed",
    "transposed_to_subpixel",
]
