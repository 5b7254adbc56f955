"""onnx_resize against ONNX's reference implementation and onnxruntime, and where they leave the specification.

Both runtimes are installed from requirements.txt for ``make test``; ``importorskip`` (in the
helpers, so that the tests by hand run everywhere) only spares people who run the tests without them.
"""

import math

import numpy as np
import pytest
import torch
from conftest import assert_close
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from upsampling import onnx_resize

# one xdist group: `make test-package` (-n 2 --dist loadgroup) imports onnx and onnxruntime in one worker only
pytestmark = pytest.mark.xdist_group("onnx")


MODES = ("half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric",
         "tf_crop_and_resize")
NEAREST = ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil")


def resize_model(shape, scales=None, sizes=None, roi=None, **attributes):
    """A one-node ONNX model: Resize over the spatial axes (N and C kept)."""
    pytest.importorskip("onnx")
    from onnx import TensorProto, helper
    n = len(shape) - 2
    names = ["X", "roi" if roi is not None else "", "scales" if scales is not None else "",
             "sizes" if sizes is not None else ""]
    while names[-1] == "":
        names.pop()
    initial = []
    if roi is not None:
        initial.append(helper.make_tensor("roi", TensorProto.FLOAT, [2 * len(shape)],
                                          [0.0, 0.0, *roi[:n], 1.0, 1.0, *roi[n:]]))
    if scales is not None:
        initial.append(helper.make_tensor("scales", TensorProto.FLOAT, [len(shape)], [1.0, 1.0, *scales]))
    if sizes is not None:
        initial.append(helper.make_tensor("sizes", TensorProto.INT64, [len(shape)], [*shape[:2], *sizes]))
    node = helper.make_node("Resize", names, ["Y"], **attributes)
    graph = helper.make_graph([node], "resize", [helper.make_tensor_value_info("X", TensorProto.FLOAT, shape)],
                              [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)], initial)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)])


def run_reference(model, x):
    from onnx.reference import ReferenceEvaluator
    return ReferenceEvaluator(model).run(None, {"X": x})[0]


def run_ort(model, x):
    ort = pytest.importorskip("onnxruntime")
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {"X": x})[0]


def f32(v):
    return float(np.float32(v))


@st.composite
def cases(draw, ranks=(1, 2, 3), modes=("nearest", "linear", "cubic")):
    n = draw(st.sampled_from(ranks))
    in_sizes = draw(st.lists(st.integers(1, 6), min_size=n, max_size=n))
    mode = draw(st.sampled_from(modes))
    ctm = draw(st.sampled_from(MODES))
    by_scale = draw(st.booleans()) and ctm != "tf_crop_and_resize"  # see test_crop_and_resize_with_scales
    if by_scale:
        scales = draw(st.lists(st.sampled_from([0.5, 0.6, 0.75, 1.0, 1.5, 1.7, 2.0, 2.5, 3.0]), min_size=n, max_size=n))
        assume(all(math.floor(k * f32(s)) >= 1 for k, s in zip(in_sizes, scales)))
        if ctm == "align_corners":  # see test_align_corners_with_fractional_output_width
            assume(all(float(k * np.float32(s)).is_integer() for k, s in zip(in_sizes, scales)))
        sizes = None
    else:
        scales, sizes = None, draw(st.lists(st.integers(1, 9), min_size=n, max_size=n))
    roi = None
    if ctm == "tf_crop_and_resize":
        starts = draw(st.lists(st.sampled_from([-0.2, 0.0, 0.1, 0.3]), min_size=n, max_size=n))
        ends = draw(st.lists(st.sampled_from([0.6, 0.85, 1.0, 1.2]), min_size=n, max_size=n))
        roi = starts + ends
    attributes = dict(mode=mode, coordinate_transformation_mode=ctm,
                      nearest_mode=draw(st.sampled_from(NEAREST)) if mode == "nearest" else "round_prefer_floor",
                      exclude_outside=int(draw(st.booleans())) if mode != "nearest" else 0,
                      antialias=int(draw(st.booleans())) if mode != "nearest" else 0,
                      cubic_coeff_a=draw(st.sampled_from([-0.75, -0.5])), extrapolation_value=draw(st.sampled_from([0.0, 7.5])))
    dtype = draw(st.sampled_from([torch.float32, torch.float64]))
    return in_sizes, scales, sizes, roi, attributes, dtype


def no_rounding_ties(x_ours, in_sizes, scales, sizes, roi, attributes):
    """Whether no source coordinate sits on a boundary that float32 versus float64 rounding decides.

    The specification does not say how precisely ``x_original`` is computed (onnxruntime uses float32,
    the reference float64). Such boundaries: a rounding tie of the nearest modes (a multiple of 1/2), and
    the crop box's edges 0 and ``length_original - 1`` (inside: interpolate; outside: extrapolate).
    """
    crop = attributes["coordinate_transformation_mode"] == "tf_crop_and_resize"
    if attributes["mode"] != "nearest" and not crop:
        return True
    from upsampling.conventions import _onnx_coordinate  # the same formula that onnx_resize uses
    n = len(in_sizes)
    out = x_ours.shape[2:]
    box = list(zip(roi[:n], roi[n:])) if roi else [(0.0, 1.0)] * n
    for k, m, s, (b, e) in zip(in_sizes, out, scales or [None] * n, box):
        scale = f32(s) if s is not None else m / k
        x = _onnx_coordinate(attributes["coordinate_transformation_mode"], k, m, scale, f32(b), f32(e))
        if attributes["mode"] == "nearest" and ((x * 2 - (x * 2).round()).abs() < 1e-4).any():
            return False
        if crop and (((x - 0).abs() < 1e-4) | ((x - (k - 1)).abs() < 1e-4)).any() and k > 1:
            return False
    return True


def rounds_into_crop(y, in_sizes, roi, attributes):
    """Whether some nearest sample lies just outside the crop, by less than half a pixel (onnxruntime keeps it)."""
    if attributes["mode"] != "nearest" or attributes["coordinate_transformation_mode"] != "tf_crop_and_resize":
        return False
    from upsampling.conventions import _onnx_coordinate
    n = len(in_sizes)
    for k, m, b, e in zip(in_sizes, y.shape[2:], roi[:n], roi[n:]):
        x = _onnx_coordinate("tf_crop_and_resize", k, m, 1.0, f32(b), f32(e))
        if (((x < 0) & (x > -0.5)) | ((x > k - 1) & (x < k - 0.5))).any():
            return True
    return False


def ours(x, scales, sizes, roi, attributes, dtype):
    a = dict(attributes)
    return onnx_resize(torch.from_numpy(x).to(dtype), scales=scales, sizes=sizes, roi=roi,
                       mode=a.pop("mode"), exclude_outside=bool(a.pop("exclude_outside")),
                       antialias=bool(a.pop("antialias")), **a)


@settings(max_examples=150)
@given(cases())
def test_matches_onnx_reference(case):
    in_sizes, scales, sizes, roi, attributes, dtype = case
    x = np.random.default_rng(len(in_sizes)).standard_normal((1, 2, *in_sizes)).astype(np.float32)
    y = ours(x, scales, sizes, roi, attributes, dtype)
    assume(no_rounding_ties(y, in_sizes, scales, sizes, roi, attributes))
    # the reference's x_original = -0.5 for one output pixel: see test_pytorch_half_pixel_one_output
    assume(not (attributes["coordinate_transformation_mode"] == "pytorch_half_pixel" and 1 in y.shape[2:]))
    expected = torch.from_numpy(run_reference(resize_model(x.shape, scales, sizes, roi, **attributes), x))
    assert_close(y.float(), expected, atol=2e-5, rtol=2e-5)


@settings(max_examples=150)
@given(cases(ranks=(1, 2, 3), modes=("nearest", "linear")) | cases(ranks=(2,), modes=("cubic",)))
def test_matches_onnxruntime(case):
    # onnxruntime's CPU kernel takes cubic only for 2-D or 4-D input (rank 2 spatial here), and refuses
    # exclude_outside for linear without antialias (where it changes nothing: the border tap replaced by the
    # border pixel, or dropped and the weights renormalized, gives the same value)
    in_sizes, scales, sizes, roi, attributes, dtype = case
    assume(not (attributes["mode"] == "linear" and attributes["exclude_outside"] and not attributes["antialias"]))
    x = np.random.default_rng(len(in_sizes)).standard_normal((1, 2, *in_sizes)).astype(np.float32)
    y = ours(x, scales, sizes, roi, attributes, dtype)
    assume(no_rounding_ties(y, in_sizes, scales, sizes, roi, attributes))
    assume(not rounds_into_crop(y, in_sizes, roi, attributes))  # see test_ort_crop_nearest
    assume(not (attributes["mode"] == "cubic" and roi and any(m == k for m, k in zip(y.shape[2:], in_sizes))))
    expected = torch.from_numpy(run_ort(resize_model(x.shape, scales, sizes, roi, **attributes), x))
    assert_close(y.float(), expected, atol=2e-5, rtol=2e-5)


# ---------------------------------------------------------------- where the runtimes leave the specification

def test_crop_and_resize_with_scales():
    # Spec: "output_dimension = floor(input_dimension * (roi_end - roi_start) * scale)"; both runtimes
    # give floor(input_dimension * scale), ignoring the roi. We follow the specification.
    x = np.arange(10, dtype=np.float32).reshape(1, 1, 10)
    model = resize_model(x.shape, scales=[2.0], roi=[0.2, 0.7], mode="linear",
                         coordinate_transformation_mode="tf_crop_and_resize")
    y = onnx_resize(torch.from_numpy(x), scales=[2.0], roi=[0.2, 0.7], mode="linear",
                    coordinate_transformation_mode="tf_crop_and_resize")
    assert y.shape[-1] == math.floor(10 * (f32(0.7) - f32(0.2)) * 2.0) == 9
    assert run_reference(model, x).shape[-1] == run_ort(model, x).shape[-1] == 20
    # given the runtimes' size explicitly, all three agree
    y = onnx_resize(torch.from_numpy(x), sizes=[20], roi=[0.2, 0.7], mode="linear",
                    coordinate_transformation_mode="tf_crop_and_resize")
    assert_close(y, torch.from_numpy(run_ort(model, x)))
    assert_close(y, torch.from_numpy(run_reference(model, x)))


def test_align_corners_with_fractional_output_width():
    # Spec: x_original = x_resized * (length_original - 1) / (length_resized - 1), length_resized the
    # output length (an integer). The reference uses scale * length_original (5 * 1.7 = 8.5) instead of 8;
    # onnxruntime and we use 8: output 7 lands on the last input pixel.
    x = np.arange(5, dtype=np.float32).reshape(1, 1, 5)
    model = resize_model(x.shape, scales=[1.7], mode="linear", coordinate_transformation_mode="align_corners")
    y = onnx_resize(torch.from_numpy(x), scales=[1.7], mode="linear", coordinate_transformation_mode="align_corners")
    expected = torch.arange(8, dtype=torch.float32) * 4 / 7
    assert_close(y[0, 0], expected)
    assert_close(torch.from_numpy(run_ort(model, x))[0, 0], expected)
    assert not torch.allclose(torch.from_numpy(run_reference(model, x))[0, 0], expected)
    assert run_reference(model, x)[0, 0, -1] == pytest.approx(7 * 4 / 7.5, rel=1e-6)


def test_pytorch_half_pixel_one_output():
    # Spec: "x_original = length_resized > 1 ? (x_resized + 0.5) / scale - 0.5 : 0". The reference uses -0.5.
    # Linear interpolation cannot tell them apart (both clamp to pixel 0); cubic can.
    x = np.array([[[[0.0, 1.0, 5.0, 2.0]]]], dtype=np.float32)
    model = resize_model(x.shape, sizes=[1, 1], mode="cubic", coordinate_transformation_mode="pytorch_half_pixel")
    y = onnx_resize(torch.from_numpy(x), sizes=[1, 1], mode="cubic", coordinate_transformation_mode="pytorch_half_pixel")
    assert y.item() == 0.0  # x_original = 0: exactly pixel 0 (Keys' kernel is 1 at 0 and 0 at the other integers)
    assert run_ort(model, x).item() == 0.0
    # the reference at x_original = -0.5: taps -2, -1, 0, 1 at distances 1.5, 0.5, 0.5, 1.5, clamped to pixels
    # 0, 0, 0, 1; pixel 0 is 0, so the value is Keys' weight at 1.5 times pixel 1: a * 0.125 with a = -0.75
    assert run_reference(model, x).item() == pytest.approx(-0.75 * 0.125, abs=1e-6)


def test_ort_crop_nearest():
    # Spec (extrapolation_value): "When coordinate_transformation_mode is "tf_crop_and_resize" and x_original
    # is outside the range [0, length_original - 1], this value is used as the corresponding output value."
    # roi [-0.2, 0.6] of a 2-pixel axis, 2 outputs: x_original = -0.2 and 0.6. onnxruntime's nearest mode
    # rounds -0.2 to pixel 0 first and keeps it; the reference and we extrapolate, as the spec says.
    x = np.array([[[1.0, 2.0]]], dtype=np.float32)
    model = resize_model(x.shape, sizes=[2], roi=[-0.2, 0.6], mode="nearest",
                         coordinate_transformation_mode="tf_crop_and_resize", extrapolation_value=-9.0)
    y = onnx_resize(torch.from_numpy(x), sizes=[2], roi=[-0.2, 0.6], mode="nearest",
                    coordinate_transformation_mode="tf_crop_and_resize", extrapolation_value=-9.0)
    assert y[0, 0].tolist() == run_reference(model, x)[0, 0].tolist() == [-9.0, 2.0]
    assert run_ort(model, x)[0, 0].tolist() == [1.0, 2.0]


def test_nearest_ignores_exclude_outside():
    # The spec defines exclude_outside for "sampling locations outside the tensor"; a nearest pixel is always
    # clamped inside. onnxruntime refuses exclude_outside with nearest; we ignore it; the reference zeroes the
    # chosen weight when the rounded index is outside and returns 0 there.
    x = np.arange(1.0, 5.0, dtype=np.float32).reshape(1, 1, 4)
    model = resize_model(x.shape, sizes=[8], mode="nearest", nearest_mode="floor", exclude_outside=1)
    y = onnx_resize(torch.from_numpy(x), sizes=[8], mode="nearest", nearest_mode="floor", exclude_outside=True)
    assert y[0, 0].tolist() == [1, 1, 1, 2, 2, 3, 3, 4]  # floor((i + 0.5) / 2 - 0.5), clamped at 0
    assert run_reference(model, x)[0, 0].tolist() == [0, 1, 1, 2, 2, 3, 3, 4]  # x_original = -0.25 -> pixel -1
    with pytest.raises(Exception, match="exclude_outside"):  # onnxruntime refuses the combination
        run_ort(model, x)


def test_ort_cubic_crop_keeps_unchanged_axes():
    # A tf_crop_and_resize whose output has the input's size along an axis still crops that axis (the spec
    # makes no exception); onnxruntime's cubic kernel returns that axis uncropped. Reference and we crop.
    x = (np.arange(5, dtype=np.float32) ** 2).reshape(1, 1, 5, 1)
    model = resize_model(x.shape, sizes=[5, 1], roi=[0.0, 0.0, 0.85, 1.0], mode="cubic",
                         coordinate_transformation_mode="tf_crop_and_resize")
    y = onnx_resize(torch.from_numpy(x), sizes=[5, 1], roi=[0.0, 0.0, 0.85, 1.0], mode="cubic",
                    coordinate_transformation_mode="tf_crop_and_resize")
    assert_close(y, torch.from_numpy(run_reference(model, x)), atol=1e-5, rtol=1e-5)
    assert not torch.allclose(y, torch.from_numpy(x))  # x_original = 0, 0.85, ..., 3.4: not the pixels 0 .. 4
    assert run_ort(model, x).ravel().tolist() == x.ravel().tolist()


# ---------------------------------------------------------------- by hand, gradients, devices, refusals

def test_by_hand():
    x = torch.tensor([[[0.0, 10.0, 20.0, 30.0]]], dtype=torch.float64)
    # asymmetric, scale 2: x_original = i / 2 = 0, 0.5, 1, ..., 3.5; linear, last clamped
    assert onnx_resize(x, scales=[2.0], mode="linear", coordinate_transformation_mode="asymmetric")[0, 0].tolist() == [
        0, 5, 10, 15, 20, 25, 30, 30]
    # half_pixel 4 -> 2, nearest round_prefer_floor: x_original = 0.5, 2.5 -> ties go down: pixels 0, 2
    assert onnx_resize(x, sizes=[2])[0, 0].tolist() == [0, 20]
    assert onnx_resize(x, sizes=[2], nearest_mode="round_prefer_ceil")[0, 0].tolist() == [10, 30]
    # tf_crop_and_resize, roi [0.5, 1.5] of a 4-pixel axis: x_original = 1.5, 3, 4.5 -> 15, 30, extrapolated
    y = onnx_resize(x, sizes=[3], mode="linear", coordinate_transformation_mode="tf_crop_and_resize",
                    roi=[0.5, 1.5], extrapolation_value=-1.0)
    assert y[0, 0].tolist() == [15, 30, -1]


def test_gradient_and_device(device):
    x = torch.randn(1, 2, 5, 4, dtype=torch.float64, device=device, requires_grad=True)
    for mode, antialias in (("linear", False), ("cubic", True)):
        assert torch.autograd.gradcheck(lambda t: onnx_resize(t, sizes=[3, 7], mode=mode, antialias=antialias), (x,))
    y = onnx_resize(x.detach().float()[..., ::2], scales=[1.5, 2.0], mode="cubic")  # non-contiguous float32
    assert y.device == x.device and y.dtype == torch.float32 and y.shape == (1, 2, 7, 4)


def test_integer_input_for_nearest():
    x = torch.arange(12, dtype=torch.int32).reshape(1, 1, 3, 4)
    y = onnx_resize(x, scales=[2.0, 0.5], mode="nearest", nearest_mode="floor", coordinate_transformation_mode="asymmetric")
    assert y.dtype == torch.int32 and y[0, 0].tolist() == [[0, 2], [0, 2], [4, 6], [4, 6], [8, 10], [8, 10]]


@pytest.mark.parametrize("kwargs, error", [
    (dict(), ValueError),  # neither scales nor sizes
    (dict(scales=[2.0, 2.0], sizes=[4, 4]), ValueError),
    (dict(sizes=[4]), ValueError),
    (dict(sizes=[4, 0]), ValueError),
    (dict(scales=[2.0, -1.0]), ValueError),
    (dict(scales="2"), TypeError),
    (dict(sizes=[4, 4], mode="bilinear"), ValueError),
    (dict(sizes=[4, 4], coordinate_transformation_mode="corners"), ValueError),
    (dict(sizes=[4, 4], nearest_mode="round"), ValueError),
    (dict(sizes=[4, 4], antialias=True), ValueError),  # nearest
    (dict(sizes=[4, 4], mode="linear", antialias="yes"), TypeError),
    (dict(sizes=[4, 4], coordinate_transformation_mode="tf_crop_and_resize"), ValueError),  # no roi
    (dict(sizes=[4, 4], roi=[0, 0, 1, 1]), ValueError),  # roi without crop
    (dict(sizes=[4, 4], mode="linear", cubic_coeff_a="a"), TypeError),
])
def test_refusals(kwargs, error):
    with pytest.raises(error):
        onnx_resize(torch.zeros(1, 1, 3, 3), **kwargs)
    with pytest.raises(TypeError):
        onnx_resize(torch.zeros(1, 1, 3, 3, dtype=torch.int64), sizes=[4, 4], mode="linear")
