#!/usr/bin/env python3
"""Writes the tiny ONNX depth models the ssrl-depth tests use (each a few hundred bytes).

They stand in for Depth Anything V2 (input `pixel_values` N x 3 x H x W, ImageNet-normalised;
output `predicted_depth` N x H x W, relative inverse depth: nearer is larger) with an output that
is a known function of the input, so a test knows the depth order of every pixel without weights:

  tiny-depth.onnx          predicted_depth = pixel_values[:, 0] + 3   (the normalised red channel,
                           shifted positive: the redder a pixel, the nearer it is); H and W dynamic
  tiny-depth-fixed64.onnx  the same function with a fixed input of 1 x 3 x 64 x 64
  tiny-depth-wrong-name.onnx  the same, but the input is called `image`
  tiny-depth-nan.onnx      predicted_depth = pixel_values[:, 0] * NaN (every value NaN)
  tiny-depth-gray.onnx     the first function, but a fixed input of 1 x 1 x 64 x 64 (one channel)

Run once with the `onnx` package (pip install onnx; tested with onnx 1.23.1) from this folder:
    python3 make_tiny_models.py
The outputs are committed; the build and CI never run Python.
"""
import onnx
from onnx import TensorProto, helper


def model(path, input_name="pixel_values", h="height", w="width", batch="batch", nan=False, c=3):
    x = helper.make_tensor_value_info(input_name, TensorProto.FLOAT, [batch, c, h, w])
    y = helper.make_tensor_value_info("predicted_depth", TensorProto.FLOAT, [batch, h, w])
    consts = [
        helper.make_tensor("starts", TensorProto.INT64, [1], [0]),
        helper.make_tensor("ends", TensorProto.INT64, [1], [1]),
        helper.make_tensor("axes", TensorProto.INT64, [1], [1]),
        helper.make_tensor("shift", TensorProto.FLOAT, [], [float("nan") if nan else 3.0]),
    ]
    nodes = [
        helper.make_node("Slice", [input_name, "starts", "ends", "axes"], ["red"]),
        helper.make_node("Squeeze", ["red", "axes"], ["red2"]),
        helper.make_node("Mul" if nan else "Add", ["red2", "shift"], ["predicted_depth"]),
    ]
    graph = helper.make_graph(nodes, "tiny_depth", [x], [y], initializer=consts)
    m = helper.make_model(graph, producer_name="ssrl-java make_tiny_models.py",
                          opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8  # readable by every ONNX Runtime since 1.10
    onnx.checker.check_model(m)
    onnx.save(m, path)


model("tiny-depth.onnx")
model("tiny-depth-fixed64.onnx", h=64, w=64, batch=1)
model("tiny-depth-wrong-name.onnx", input_name="image")
model("tiny-depth-nan.onnx", nan=True)
model("tiny-depth-gray.onnx", h=64, w=64, batch=1, c=1)
