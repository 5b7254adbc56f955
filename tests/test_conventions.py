"""Every library convention in upsampling.conventions against the library itself, run here.

TensorFlow, Keras, JAX, OpenCV and Pillow are installed from requirements.txt for ``make test``;
``importorskip`` only spares people who run the tests without one of them. Libraries compute in float32:
we compare at float32 rounding (atol = rtol = 2e-5 on values of order 1), for float32 and float64 input.
"""

import os

import numpy as np
import pytest
import torch
from conftest import assert_close
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from upsampling import conventions as cv

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# `make test-package` runs `-n 2 --dist loadgroup`: the tests that import TensorFlow (about 6 s of CPU) or JAX
# (which TensorFlow imports too) share one xdist group, OpenCV's another, so one worker imports each library.
TOL = dict(atol=2e-5, rtol=2e-5)
sizes = st.integers(1, 9)
dtypes = st.sampled_from([torch.float32, torch.float64])


def image(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def compare(ours, expected):
    # a copy: the other library's array may be read-only (TensorFlow's, Pillow's), which PyTorch warns of
    assert_close(ours.to(torch.float32), torch.from_numpy(np.asarray(expected, dtype=np.float32).copy()), **TOL)


def no_half_pixel_ties(k, m):
    """No output centre of a half-pixel nearest resize lies exactly on a pixel boundary (see cv2_resize)."""
    return all((2 * i + 1) * k % (2 * m) for i in range(m))


# ---------------------------------------------------------------- TensorFlow and Keras

@pytest.fixture(scope="module")
def tf():
    return pytest.importorskip("tensorflow")


TF2_METHODS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")
KERAS_METHODS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5")  # Keras 3 refuses the others


@pytest.mark.xdist_group("tensorflow_jax")
@settings(max_examples=30)
@given(h=sizes, w=sizes, oh=sizes, ow=sizes, method=st.sampled_from(TF2_METHODS), antialias=st.booleans(), dtype=dtypes)
def test_tf_resize(tf, h, w, oh, ow, method, antialias, dtype):
    x = image((2, h, w, 3))
    expected = tf.image.resize(x, (oh, ow), method=method, antialias=antialias).numpy().transpose(0, 3, 1, 2)
    compare(cv.tf_resize(torch.from_numpy(x).permute(0, 3, 1, 2).to(dtype), (oh, ow), method, antialias), expected)


@pytest.mark.xdist_group("tensorflow_jax")
@settings(max_examples=30)
@given(h=sizes, w=sizes, oh=sizes, ow=sizes, method=st.sampled_from(("bilinear", "nearest", "bicubic", "area")),
       flags=st.sampled_from([(False, False), (True, False), (False, True)]), dtype=dtypes)
def test_tf1_resize(tf, h, w, oh, ow, method, flags, dtype):
    align_corners, half_pixel_centers = flags
    assume(not (method == "area" and half_pixel_centers))
    x = image((1, h, w, 2))
    op = {"bilinear": tf.raw_ops.ResizeBilinear, "nearest": tf.raw_ops.ResizeNearestNeighbor,
          "bicubic": tf.raw_ops.ResizeBicubic, "area": tf.raw_ops.ResizeArea}[method]
    kwargs = {} if method == "area" else {"half_pixel_centers": half_pixel_centers}
    expected = op(images=x, size=(oh, ow), align_corners=align_corners, **kwargs).numpy().transpose(0, 3, 1, 2)
    ours = cv.tf1_resize(torch.from_numpy(x).permute(0, 3, 1, 2).to(dtype), (oh, ow), method, align_corners,
                         half_pixel_centers)
    compare(ours, expected)


@pytest.mark.xdist_group("tensorflow_jax")
def test_tf1_and_tf2_bilinear_differ_by_half_a_pixel(tf):
    # the TF1 default (asymmetric) shifts the picture: 2 -> 4 samples at 0, 0.5, 1, 1.5 instead of -0.25 .. 1.25
    x = np.array([[[[0.0], [4.0]]]], dtype=np.float32)  # (1, 1, 2, 1): one row of two pixels
    old = tf.compat.v1.image.resize_bilinear(x, (1, 4)).numpy().ravel().tolist()
    new = tf.image.resize(x, (1, 4)).numpy().ravel().tolist()
    assert old == [0, 2, 4, 4] and new == [0, 1, 3, 4]
    t = torch.from_numpy(x).permute(0, 3, 1, 2)
    assert cv.tf1_resize(t, (1, 4)).ravel().tolist() == old and cv.tf_resize(t, (1, 4)).ravel().tolist() == new


@pytest.mark.xdist_group("tensorflow_jax")
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear", "bicubic", "lanczos3"])
@pytest.mark.parametrize("size", [(2, 2), (3, 1), (1, 4)])
def test_keras_upsampling2d(tf, interpolation, size):
    keras = pytest.importorskip("keras")
    x = image((2, 3, 5, 4))
    layer = keras.layers.UpSampling2D(size, interpolation=interpolation)
    expected = np.asarray(layer(x)).transpose(0, 3, 1, 2)
    compare(cv.keras_upsampling2d(torch.from_numpy(x).permute(0, 3, 1, 2), size, interpolation), expected)


@pytest.mark.xdist_group("tensorflow_jax")
@pytest.mark.parametrize("interpolation", KERAS_METHODS)
@pytest.mark.parametrize("antialias", [False, True])
def test_keras_resizing(tf, interpolation, antialias):
    keras = pytest.importorskip("keras")
    x = image((2, 7, 6, 3))
    layer = keras.layers.Resizing(3, 8, interpolation=interpolation, antialias=antialias)
    expected = np.asarray(layer(x)).transpose(0, 3, 1, 2)
    compare(cv.keras_resizing(torch.from_numpy(x).permute(0, 3, 1, 2), 3, 8, interpolation, antialias), expected)


# ---------------------------------------------------------------- JAX

@pytest.fixture(scope="module")
def jax():
    return pytest.importorskip("jax")


@pytest.fixture(scope="module")
def scale_and_translate(jax):
    """``jax.image.scale_and_translate`` compiled whole, once per shape, method and antialias (jax.image.resize
    jits itself the same way). Called as it is, it runs operation by operation, and JAX compiles each of its
    operations for every new shape: about 1.6 s of CPU an example instead of 0.4 s."""
    return jax.jit(jax.image.scale_and_translate, static_argnames=("shape", "spatial_dims", "method", "antialias"))


# JAX compiles every new shape (about 0.3 s of CPU each): fewer examples than the other libraries
@pytest.mark.xdist_group("tensorflow_jax")
@settings(max_examples=20)
@given(in_sizes=st.lists(sizes, min_size=1, max_size=3), data=st.data(),
       method=st.sampled_from(("nearest", "linear", "cubic", "lanczos3", "lanczos5")), antialias=st.booleans(),
       dtype=dtypes)
def test_jax_resize(jax, in_sizes, data, method, antialias, dtype):
    out = data.draw(st.lists(sizes, min_size=len(in_sizes), max_size=len(in_sizes)))
    x = image((2, 2, *in_sizes))
    expected = jax.image.resize(x, (2, 2, *out), method, antialias=antialias)
    compare(cv.jax_resize(torch.from_numpy(x).to(dtype), out, method, antialias), expected)


@pytest.mark.xdist_group("tensorflow_jax")
def test_jax_antialiases_by_default(jax):
    import torch.nn.functional as F
    x = image((1, 2, 8, 8))
    shrunk = cv.jax_resize(torch.from_numpy(x), (3, 5), "linear")
    compare(shrunk, jax.image.resize(x, (1, 2, 3, 5), "linear"))
    compare(shrunk, F.interpolate(torch.from_numpy(x), (3, 5), mode="bilinear", antialias=True))
    assert not torch.allclose(shrunk, F.interpolate(torch.from_numpy(x), (3, 5), mode="bilinear"), atol=1e-3)


@pytest.mark.xdist_group("tensorflow_jax")
@settings(max_examples=12)
@given(h=sizes, w=sizes, oh=sizes, ow=sizes, sy=st.floats(0.3, 3.0), sx=st.floats(0.3, 3.0),
       ty=st.floats(-3, 3), tx=st.floats(-3, 3), method=st.sampled_from(("linear", "cubic", "lanczos3", "lanczos5")),
       antialias=st.booleans())
def test_jax_scale_and_translate(scale_and_translate, h, w, oh, ow, sy, sx, ty, tx, method, antialias):
    x = image((1, 2, h, w))
    scale, translation = np.array([sy, sx], np.float32), np.array([ty, tx], np.float32)
    expected = scale_and_translate(x, shape=(1, 2, oh, ow), spatial_dims=(2, 3), scale=scale, translation=translation,
                                   method=method, antialias=antialias)
    ours = cv.jax_scale_and_translate(torch.from_numpy(x).double(), (oh, ow), scale.tolist(), translation.tolist(),
                                      method, antialias)
    assume(np.isfinite(np.asarray(expected)).all())
    compare(ours, expected)


# ---------------------------------------------------------------- OpenCV

@pytest.fixture(scope="module")
def cv2():
    return pytest.importorskip("cv2")


INTERPOLATIONS = (0, 1, 2, 3, 6)  # INTER_NEAREST, LINEAR, CUBIC, AREA, NEAREST_EXACT


@pytest.mark.xdist_group("cv2")
@settings(max_examples=30)
@given(h=sizes, w=sizes, oh=sizes, ow=sizes, interpolation=st.sampled_from(INTERPOLATIONS), dtype=dtypes)
def test_cv2_resize_dsize(cv2, h, w, oh, ow, interpolation, dtype):
    if interpolation == 6:
        assume(no_half_pixel_ties(h, oh) and no_half_pixel_ties(w, ow))  # see test_cv2_nearest_exact_ties
    x = image((h, w))
    expected = cv2.resize(x, (ow, oh), interpolation=interpolation).reshape(oh, ow)
    compare(cv.cv2_resize(torch.from_numpy(x)[None, None].to(dtype), (ow, oh), interpolation=interpolation)[0, 0],
            expected)


@pytest.mark.xdist_group("cv2")
@settings(max_examples=30)
@given(h=st.integers(2, 12), w=st.integers(2, 12), fx=st.sampled_from([0.3, 0.5, 0.6, 0.75, 1.25, 1.5, 2.0, 2.5, 1 / 3]),
       fy=st.sampled_from([0.3, 0.5, 0.6, 0.75, 1.25, 1.5, 2.0, 2.5, 1 / 3]), interpolation=st.sampled_from(INTERPOLATIONS))
def test_cv2_resize_fx_fy(cv2, h, w, fx, fy, interpolation):
    assume(round(h * fy) >= 1 and round(w * fx) >= 1)
    if interpolation == 6:
        assume(no_half_pixel_ties(h, round(h * fy)) and no_half_pixel_ties(w, round(w * fx)))
    x = image((h, w))
    expected = cv2.resize(x, None, fx=fx, fy=fy, interpolation=interpolation)
    ours = cv.cv2_resize(torch.from_numpy(x)[None, None], None, fx, fy, interpolation=interpolation)[0, 0]
    assert ours.shape == expected.reshape(ours.shape).shape == (round(h * fy), round(w * fx))
    compare(ours, expected.reshape(ours.shape))


@pytest.mark.xdist_group("cv2")
def test_cv2_fx_rounds_half_to_even_and_maps_with_fx(cv2):
    # 5 * 0.5 = 2.5 -> 2 pixels and 7 * 0.5 = 3.5 -> 4 (cvRound); INTER_NEAREST maps with 1 / fx = 2, not 5 / 2
    x = np.arange(35, dtype=np.float32).reshape(5, 7)
    ours = cv.cv2_resize(torch.from_numpy(x)[None, None], None, 0.5, 0.5, interpolation=0)[0, 0]
    assert ours.shape == (2, 4) == cv2.resize(x, None, fx=0.5, fy=0.5, interpolation=0).shape
    assert ours[0].tolist() == [0, 2, 4, 6]  # columns floor(i * 2)


@pytest.mark.xdist_group("cv2")
def test_cv2_nearest_exact_ties(cv2):
    # 4 -> 6 pixels: output 4's centre (4.5) * 4 / 6 = 3 sits exactly between input pixels 2 and 3.
    # OpenCV (and Pillow) take pixel 2, we take pixel 3; the other outputs agree.
    x = np.arange(4, dtype=np.float32)[None, :]
    theirs = cv2.resize(x, (6, 1), interpolation=6)[0].tolist()
    ours = cv.cv2_resize(torch.from_numpy(x)[None, None], (6, 1), interpolation=6)[0, 0, 0].tolist()
    assert theirs == [0, 1, 1, 2, 2, 3] and ours == [0, 1, 1, 2, 3, 3]


def test_cv2_area_non_integer_by_hand():
    # 5 -> 2: cells [0, 2.5) and [2.5, 5): (1 + 2 + 0.5 * 3) / 2.5 and (0.5 * 3 + 4 + 5) / 2.5
    x = torch.tensor([[[[1.0, 2.0, 3.0, 4.0, 5.0]]]], dtype=torch.float64)
    assert cv.cv2_resize(x, (2, 1), interpolation=3)[0, 0, 0].tolist() == [1.8, 4.2]


# ---------------------------------------------------------------- Pillow

@settings(max_examples=30)
@given(h=sizes, w=sizes, oh=sizes, ow=sizes, resample=st.sampled_from([0, 1, 2, 3, 4, 5]), dtype=dtypes)
def test_pil_resize(h, w, oh, ow, resample, dtype):
    Image = pytest.importorskip("PIL.Image")
    if resample == 0:
        assume(no_half_pixel_ties(h, oh) and no_half_pixel_ties(w, ow))  # see cv2_resize
    x = image((h, w))
    expected = np.asarray(Image.fromarray(x, "F").resize((ow, oh), resample))
    compare(cv.pil_resize(torch.from_numpy(x)[None, None].to(dtype), (ow, oh), resample)[0, 0], expected)


# ---------------------------------------------------------------- the engine: devices, gradients, refusals

@pytest.mark.parametrize("fn", [
    lambda x: cv.tf_resize(x, (3, 7), "lanczos3", antialias=True),
    lambda x: cv.tf1_resize(x, (5, 2), "bicubic"),
    lambda x: cv.jax_resize(x, (3, 7), "cubic"),
    lambda x: cv.cv2_resize(x, (7, 3), interpolation=3),
    lambda x: cv.pil_resize(x, (7, 3), 1),
])
def test_device_dtype_and_gradient(fn, device):
    x = torch.randn(1, 2, 6, 5, dtype=torch.float64, device=device, requires_grad=True)
    assert torch.autograd.gradcheck(fn, (x,))
    y = fn(x.detach().float().transpose(2, 3).transpose(2, 3))
    assert y.device == x.device and y.dtype == torch.float32


@pytest.mark.parametrize("call, error", [
    (lambda x: cv.tf_resize(x, (3, 3), "cubic"), ValueError),
    (lambda x: cv.tf_resize(x, (3, 0)), ValueError),
    (lambda x: cv.tf_resize(x, (3, 3), antialias=1), TypeError),
    (lambda x: cv.tf1_resize(x, (3, 3), align_corners=True, half_pixel_centers=True), ValueError),
    (lambda x: cv.tf1_resize(x, (3, 3), "area", half_pixel_centers=True), ValueError),
    (lambda x: cv.keras_upsampling2d(x, 0), ValueError),
    (lambda x: cv.jax_resize(x, (3,)), ValueError),
    (lambda x: cv.jax_resize(x, (3, 3), "box"), ValueError),
    (lambda x: cv.jax_scale_and_translate(x, (3, 3), [1.0, 0.0], [0.0, 0.0]), ValueError),
    (lambda x: cv.cv2_resize(x, None, None, None), TypeError),
    (lambda x: cv.cv2_resize(x, (3, 3), 0.5, 0.5), ValueError),
    (lambda x: cv.cv2_resize(x, (3, 3), interpolation=4), ValueError),
    (lambda x: cv.cv2_resize(x.to(torch.uint8), (3, 3), interpolation=1), TypeError),
    (lambda x: cv.pil_resize(x, (3, 3), resample=7), ValueError),
    (lambda x: cv.pil_resize(x[0], (3, 3)), ValueError),
])
def test_refusals(call, error):
    with pytest.raises(error):
        call(torch.zeros(1, 1, 4, 4))
