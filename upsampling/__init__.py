"""Reference operators for changing resolution, rebuilt from their definitions.

Every operator here is vectorized, runs on the input's device and dtype, and
agrees with the PyTorch operator named in its docstring. The submodules
``upsampling.shapes`` (size formulas and other frameworks' padding),
``upsampling.conventions`` (other libraries' resize calls), ``upsampling.images`` (test images made
by code) and ``upsampling.artifacts`` (checkerboard measures) are public too.
The book's scaffolding (seeding, devices, figure style) lives apart, in
``upsampling.book``, and the benchmark in ``upsampling.bench``.
"""

from . import artifacts, conventions, images, shapes
from .conventions import onnx_resize
from .downsample import blur_pool2d
from .interpolation import interpolate, interpolation_matrix
from .matrix import conv_matrix
from .subpixel import (depth_to_space, icnr_, pixel_shuffle, pixel_unshuffle, space_to_depth, subpixel_to_transposed,
                       transposed_to_subpixel)
from .transposed import conv_transpose1d, conv_transpose2d, conv_transpose3d
from .unpool import max_unpool1d, max_unpool2d, max_unpool3d

__version__ = "0.1.0"

__all__ = [
    "artifacts",
    "blur_pool2d",
    "conv_matrix",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "conventions",
    "depth_to_space",
    "icnr_",
    "images",
    "interpolate",
    "interpolation_matrix",
    "max_unpool1d",
    "max_unpool2d",
    "max_unpool3d",
    "onnx_resize",
    "pixel_shuffle",
    "pixel_unshuffle",
    "shapes",
    "space_to_depth",
    "subpixel_to_transposed",
    "transposed_to_subpixel",
]
