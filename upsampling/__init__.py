"""Reference operators for changing resolution, rebuilt from their definitions.

Every operator here is vectorized, runs on the input's device and dtype, and
agrees with the PyTorch operator named in its docstring. The chapters of the
book rebuild each one and check it; see ``book/``.
"""

from . import artifacts, devices, downsample, images, shapes
from .devices import available_devices, check_on_devices, setup
from .downsample import blur_pool2d
from .interpolate import interpolate, interpolation_matrix
from .matrix import conv_matrix
from .subpixel import icnr_, pixel_shuffle, pixel_unshuffle, subpixel_to_transposed, transposed_to_subpixel
from .transposed import conv_transpose2d
from .unpool import max_unpool2d

__version__ = "0.1.0"

__all__ = [
    "artifacts",
    "available_devices",
    "blur_pool2d",
    "check_on_devices",
    "conv_matrix",
    "conv_transpose2d",
    "devices",
    "downsample",
    "icnr_",
    "images",
    "interpolate",
    "interpolation_matrix",
    "max_unpool2d",
    "pixel_shuffle",
    "pixel_unshuffle",
    "setup",
    "shapes",
    "subpixel_to_transposed",
    "transposed_to_subpixel",
]
