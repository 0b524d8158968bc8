#!/usr/bin/env python3
"""Writes an ONNX model with Depth Anything V2 Small's architecture and *random* weights.

For timing only (docs/BENCHMARKS.md, "Monocular depth"): inference cost depends on the graph
and the tensor sizes, not on the weights' values, so this measures what the real model costs
where the real weights cannot be downloaded. Its depth is meaningless. The configuration is the
one of depth-anything/Depth-Anything-V2-Small-hf (DINOv2 ViT-S/14 backbone, hidden size 384,
6 heads, 12 layers, features from layers 3, 6, 9, 12; DPT neck 48/96/192/384, fusion 64) and
the export uses the Hugging Face contract: input `pixel_values` N x 3 x H x W (dynamic),
output `predicted_depth` N x H x W.

Needs torch and transformers (CPU wheels suffice). Usage:
    python3 depth_anything_v2_small_random.py OUT.onnx
"""
import sys

import torch
from transformers import DepthAnythingConfig, DepthAnythingForDepthEstimation, Dinov2Config

backbone = Dinov2Config(
    image_size=518, patch_size=14, hidden_size=384, num_attention_heads=6,
    num_hidden_layers=12, mlp_ratio=4, layerscale_value=1.0,
    out_features=["stage3", "stage6", "stage9", "stage12"], reshape_hidden_states=False,
    apply_layernorm=True)
config = DepthAnythingConfig(
    backbone_config=backbone, fusion_hidden_size=64, head_hidden_size=32,
    neck_hidden_sizes=[48, 96, 192, 384], reassemble_factors=[4, 2, 1, 0.5],
    depth_estimation_type="relative")
torch.manual_seed(0)
model = DepthAnythingForDepthEstimation(config).eval()
print(f"parameters: {sum(p.numel() for p in model.parameters()) / 1e6:.1f} M")


class Wrapper(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, pixel_values):
        return self.m(pixel_values=pixel_values).predicted_depth


torch.onnx.export(
    Wrapper(model), (torch.randn(1, 3, 518, 686),), sys.argv[1],
    input_names=["pixel_values"], output_names=["predicted_depth"],
    dynamic_axes={"pixel_values": {0: "batch", 2: "height", 3: "width"},
                  "predicted_depth": {0: "batch", 1: "height", 2: "width"}},
    opset_version=17, dynamo=False)
