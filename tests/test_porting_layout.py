"""depth_to_space / space_to_depth and the padding conversions of upsampling.shapes, against ONNX and TensorFlow.

onnxruntime, onnx and TensorFlow are installed from requirements.txt for ``make test``; ``importorskip``
only spares people who run the tests without them.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from conftest import assert_close
from hypothesis import given, settings
from hypothesis import strategies as st

from upsampling import depth_to_space, space_to_depth
from upsampling.shapes import (keras_conv_transpose_output_size, onnx_conv_transpose_padding,
                               tf_conv_transpose_padding, tf_padding)


# `make test-package` runs `-n 2 --dist loadgroup`: the tests that import TensorFlow or onnxruntime share an
# xdist group with test_conventions' and test_onnx_resize's, so one worker imports each library, not both.
def rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


# ---------------------------------------------------------------- depth_to_space / space_to_depth

def onnx_run(op, x, **attributes):
    ort = pytest.importorskip("onnxruntime")
    from onnx import TensorProto, helper
    node = helper.make_node(op, ["X"], ["Y"], **attributes)
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("X", TensorProto.FLOAT, x.shape)],
                              [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    return ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {"X": x})[0]


@pytest.mark.xdist_group("onnx")
@settings(max_examples=20)
@given(b=st.integers(1, 3), c=st.integers(1, 3), h=st.integers(1, 3), w=st.integers(1, 3),
       mode=st.sampled_from(["DCR", "CRD"]))
def test_depth_to_space_matches_onnxruntime(b, c, h, w, mode):
    x = rand((2, c * b * b, h, w))
    expected = onnx_run("DepthToSpace", x, blocksize=b, mode=mode)
    assert torch.equal(depth_to_space(torch.from_numpy(x), b, mode), torch.from_numpy(expected))


@pytest.mark.xdist_group("onnx")
@settings(max_examples=20)
@given(b=st.integers(1, 3), c=st.integers(1, 3), h=st.integers(1, 3), w=st.integers(1, 3))
def test_space_to_depth_matches_onnxruntime_and_inverts(b, c, h, w):
    x = rand((2, c, h * b, w * b))
    y = space_to_depth(torch.from_numpy(x), b)
    assert torch.equal(y, torch.from_numpy(onnx_run("SpaceToDepth", x, blocksize=b)))
    assert torch.equal(depth_to_space(y, b, "DCR"), torch.from_numpy(x))


@pytest.mark.xdist_group("tensorflow_jax")
def test_against_tensorflow_and_pixel_shuffle():
    tf = pytest.importorskip("tensorflow")
    x = rand((2, 12, 3, 4))
    nhwc = x.transpose(0, 2, 3, 1)
    expected = tf.nn.depth_to_space(nhwc, 2).numpy().transpose(0, 3, 1, 2)
    assert torch.equal(depth_to_space(torch.from_numpy(x), 2), torch.from_numpy(expected))
    expected = tf.nn.space_to_depth(expected.transpose(0, 2, 3, 1), 2).numpy().transpose(0, 3, 1, 2)
    assert torch.equal(space_to_depth(depth_to_space(torch.from_numpy(x), 2), 2), torch.from_numpy(expected))
    t = torch.from_numpy(x)
    assert torch.equal(depth_to_space(t, 2, "CRD"), F.pixel_shuffle(t, 2))
    assert not torch.equal(depth_to_space(t, 2, "DCR"), F.pixel_shuffle(t, 2))  # the orders really differ


def test_depth_to_space_by_hand_and_refusals():
    x = torch.arange(8.0).reshape(1, 8, 1, 1)  # C = 2, b = 2: DCR puts channel c + 2 * (2i + j) at (i, j)
    assert depth_to_space(x, 2)[0].tolist() == [[[0, 2], [4, 6]], [[1, 3], [5, 7]]]
    with pytest.raises(ValueError):
        depth_to_space(torch.zeros(1, 6, 2, 2), 2)
    with pytest.raises(ValueError):
        depth_to_space(torch.zeros(1, 4, 2, 2), 2, "RCD")
    with pytest.raises(TypeError):
        space_to_depth(torch.zeros(1, 1, 4, 4), 2.0)
    with pytest.raises(ValueError):
        space_to_depth(torch.zeros(1, 1, 4, 5), 2)


# ---------------------------------------------------------------- TensorFlow "same"/"valid"

def torch_conv(x, w, stride, dilation, padding):
    p = tf_padding(x.shape[2:], w.shape[2:], stride, dilation, padding)
    if p.pad is not None:
        x = F.pad(x, p.pad)
    return F.conv2d(x, w, stride=stride, dilation=dilation, padding=p.padding)


@pytest.mark.xdist_group("tensorflow_jax")
@settings(max_examples=40)
@given(h=st.integers(1, 9), w=st.integers(1, 9), k=st.integers(1, 4), s=st.integers(1, 3), d=st.integers(1, 2),
       padding=st.sampled_from(["same", "valid"]))
def test_tf_conv_padding(h, w, k, s, d, padding):
    tf = pytest.importorskip("tensorflow")
    if d > 1:
        s = 1  # TensorFlow refuses stride > 1 with dilation > 1
    if padding == "valid" and min(h, w) < d * (k - 1) + 1:
        return
    x, weight = rand((1, 2, h, w)), rand((3, 2, k, k), seed=1)
    expected = tf.nn.conv2d(x.transpose(0, 2, 3, 1), weight.transpose(2, 3, 1, 0), s, padding.upper(),
                            dilations=d).numpy().transpose(0, 3, 1, 2)
    assert_close(torch_conv(torch.from_numpy(x), torch.from_numpy(weight), s, d, padding), torch.from_numpy(expected),
                 atol=1e-5, rtol=1e-5)


@pytest.mark.xdist_group("tensorflow_jax")
@settings(max_examples=30)
@given(h=st.integers(1, 9), w=st.integers(1, 9), k=st.integers(1, 4), s=st.integers(1, 3))
def test_tf_pooling_padding(h, w, k, s):
    tf = pytest.importorskip("tensorflow")
    x = rand((1, 2, h, w))
    nhwc = x.transpose(0, 2, 3, 1)
    p = tf_padding((h, w), k, s)
    t = torch.from_numpy(x)
    padded = F.pad(t, p.pad, value=-float("inf")) if p.pad else t
    if max(p.padding) * 2 > k:  # PyTorch's pooling takes padding <= k / 2: pad everything by hand instead
        full = tuple(v for a in reversed(p.padding) for v in (a, a))
        padded, padding = F.pad(padded, full, value=-float("inf")), 0
    else:
        padding = p.padding
    ours = F.max_pool2d(padded, k, s, padding=padding)
    assert_close(ours, torch.from_numpy(tf.nn.max_pool2d(nhwc, k, s, "SAME").numpy().transpose(0, 3, 1, 2)))
    # average pooling: TensorFlow averages the real samples only
    pad = tuple(v for (a, b) in reversed(list(zip(p.padding, p.padding))) for v in (a, b))
    if p.pad:
        pad = tuple(a + b for a, b in zip(pad, p.pad))
    total = F.avg_pool2d(F.pad(t, pad), k, s, divisor_override=1)
    count = F.avg_pool2d(F.pad(torch.ones_like(t), pad), k, s, divisor_override=1)
    assert_close(total / count, torch.from_numpy(tf.nn.avg_pool2d(nhwc, k, s, "SAME").numpy().transpose(0, 3, 1, 2)),
                 atol=1e-5, rtol=1e-5)


def test_tf_padding_by_hand():
    # n = 7, k = 3, s = 2: output ceil(7 / 2) = 4 needs (4 - 1) * 2 + 3 = 9 samples: 2 of padding, 1 + 1
    assert tf_padding(7, 3, 2) == ((1,), None)
    # n = 8: still 4 outputs, 9 samples: 1 of padding, at the end
    assert tf_padding(8, 3, 2) == ((0,), (0, 1))
    assert tf_padding((8, 7), 3, 2, padding="valid") == ((0, 0), None)
    with pytest.raises(ValueError):
        tf_padding(8, 3, 2, padding="SAME")


# ---------------------------------------------------------------- transposed convolutions

def torch_conv_transpose(x, w, stride, dilation, p):
    y = F.conv_transpose2d(x, w, stride=stride, dilation=dilation, padding=p.padding, output_padding=p.output_padding)
    (t0, t1), (l0, l1) = p.crop
    return y[..., t0:y.shape[-2] - t1, l0:y.shape[-1] - l1]


@pytest.mark.xdist_group("tensorflow_jax")
@settings(max_examples=40)
@given(h=st.integers(1, 6), w=st.integers(1, 6), k=st.integers(1, 4), s=st.integers(1, 3),
       padding=st.sampled_from(["same", "valid"]), output_padding=st.sampled_from([None, 0, 1, 2]))
def test_keras_conv2d_transpose(h, w, k, s, padding, output_padding):
    keras = pytest.importorskip("keras")
    pytest.importorskip("tensorflow")
    if output_padding is not None and output_padding >= s:
        return  # Keras refuses output_padding >= stride
    x, weight = rand((1, 2, h, w)), rand((2, 3, k, k), seed=1)  # PyTorch layout (in, out, kh, kw)
    layer = keras.layers.Conv2DTranspose(3, k, s, padding=padding, output_padding=output_padding, use_bias=False)
    layer.build((1, h, w, 2))
    layer.set_weights([weight.transpose(2, 3, 1, 0)])  # Keras: (kh, kw, out, in)
    out = keras_conv_transpose_output_size((h, w), k, s, padding, output_padding)
    try:
        expected = np.asarray(layer(x.transpose(0, 2, 3, 1))).transpose(0, 3, 1, 2)
    except Exception:  # TensorFlow refuses an output size that its convolution does not map back: so do we
        with pytest.raises(ValueError):
            tf_conv_transpose_padding((h, w), k, s, padding=padding, output_size=out)
        return
    assert expected.shape[2:] == out
    p = tf_conv_transpose_padding((h, w), k, s, padding=padding, output_size=out)
    assert_close(torch_conv_transpose(torch.from_numpy(x), torch.from_numpy(weight), s, 1, p),
                 torch.from_numpy(np.array(expected)), atol=1e-5, rtol=1e-5)


def conv_transpose_model(shape, weight, **attributes):
    from onnx import TensorProto, helper, numpy_helper
    node = helper.make_node("ConvTranspose", ["X", "W"], ["Y"], **attributes)
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("X", TensorProto.FLOAT, shape)],
                              [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)],
                              [numpy_helper.from_array(weight, "W")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


@pytest.mark.xdist_group("onnx")
@settings(max_examples=40)
@given(n=st.integers(1, 6), k=st.integers(1, 4), s=st.integers(1, 3), d=st.integers(1, 2),
       kind=st.sampled_from(["pads", "SAME_UPPER", "SAME_LOWER", "VALID", "output_shape"]), data=st.data())
def test_onnx_conv_transpose(n, k, s, d, kind, data):
    ort = pytest.importorskip("onnxruntime")
    from onnx.reference import ReferenceEvaluator
    op = data.draw(st.integers(0, s - 1))  # onnxruntime takes output_padding < stride only
    x, weight = rand((1, 2, n, n + 1)), rand((2, 3, k, k), seed=1)
    full = [(m - 1) * s + op + d * (k - 1) + 1 for m in (n, n + 1)]
    attributes = dict(strides=[s, s], dilations=[d, d], output_padding=[op, op])
    kwargs = dict(output_padding=op)
    if kind == "pads":
        pads = [data.draw(st.integers(0, (f - 1) // 2)) for f in full for _ in range(2)]
        pads = [pads[0], pads[2], pads[1], pads[3]]  # starts then ends
        attributes["pads"], kwargs["pads"] = pads, pads
    elif kind == "output_shape":
        shape = [data.draw(st.integers(max(1, f - 3), f)) for f in full]
        attributes["output_shape"], kwargs["output_shape"] = shape, shape
    else:
        if kind != "VALID" and any(m * s > f for m, f in zip((n, n + 1), full)):
            return  # the SAME output n * s would be larger than the full output
        attributes["auto_pad"], kwargs["auto_pad"] = kind, kind
    model = conv_transpose_model(x.shape, weight, **attributes)
    try:
        p = onnx_conv_transpose_padding((n, n + 1), k, s, d, **kwargs)
    except ValueError:
        return  # not expressible with PyTorch's output_padding < max(stride, dilation)
    ours = torch_conv_transpose(torch.from_numpy(x), torch.from_numpy(weight), s, d, p)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    assert_close(ours, torch.from_numpy(session.run(None, {"X": x})[0]), atol=1e-5, rtol=1e-5)
    if kind == "output_shape":  # onnx 1.23's reference ConvTranspose refuses every output_shape it is given
        with pytest.raises(Exception):
            ReferenceEvaluator(model).run(None, {"X": x})
    else:
        assert_close(ours, torch.from_numpy(ReferenceEvaluator(model).run(None, {"X": x})[0]), atol=1e-5, rtol=1e-5)


def test_transposed_by_hand():
    # n = 4, k = 3, s = 2, "same": output 8; full output 9; TensorFlow's total padding for the
    # 8 -> 4 convolution is (4 - 1) * 2 + 3 - 8 = 1: nothing cut at the start, one sample at the end
    assert tf_conv_transpose_padding(4, 3, 2) == ((0,), (0,), ((0, 1),))
    assert onnx_conv_transpose_padding(4, 3, 2, pads=[1, 0]) == ((0,), (0,), ((1, 0),))
    assert onnx_conv_transpose_padding(4, 3, 2, pads=[1, 1]) == ((1,), (0,), ((0, 0),))
    with pytest.raises(ValueError):
        tf_conv_transpose_padding(4, 3, 2, output_size=10)  # a convolution maps 10 to 5, not 4
    with pytest.raises(ValueError):
        onnx_conv_transpose_padding(4, 3, 2, auto_pad="SAME")
