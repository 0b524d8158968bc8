#!/usr/bin/env python3
"""Agreement between a depth model and sensor depth on the depth samples of an ssrl dataset.

Usage:  depth_agreement.py DATASET_DIR PHOTO_DIR MODEL.onnx

DATASET_DIR is the output of `ssrl generate --tasks depth ... PHOTO_DIR` on RGB-D scenes (sensor
depth). For every depth sample, the model's relative inverse depth of the scene's photo is resized
to the sample image's size, each of the three regions (window at left/top of the metadata) gets
its mean inverse depth, and the regions are ordered nearest first (largest inverse depth first).
Printed: samples compared, full-order agreement with the dataset's answer (chance 1/6) and
pairwise agreement (chance 1/2). Needs onnxruntime, numpy, pillow (docs/depth-models.md).

Preprocessing as Depth Anything V2's processor: RGB/255, ImageNet mean/std, resize keeping the
aspect ratio (the scale nearer 1 of 518/H and 518/W, sides rounded to multiples of 14) with
Pillow's bicubic; a model with a fixed input size gets that size.
"""
import json
import sys
from itertools import combinations
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def input_size(session, w, h, side=518, multiple=14):
    shape = session.get_inputs()[0].shape
    if isinstance(shape[2], int) and isinstance(shape[3], int):
        return shape[3], shape[2]
    sh, sw = side / h, side / w
    s = sw if abs(1 - sw) < abs(1 - sh) else sh
    return (max(multiple, round(s * w / multiple) * multiple),
            max(multiple, round(s * h / multiple) * multiple))


def inverse_depth(session, photo, out_w, out_h):
    img = Image.open(photo).convert("RGB")
    iw, ih = input_size(session, *img.size)
    x = np.asarray(img.resize((iw, ih), Image.BICUBIC), dtype=np.float32) / 255.0
    x = ((x - MEAN) / STD).transpose(2, 0, 1)[None]
    name = session.get_inputs()[0].name
    y = session.run(None, {name: x.astype(np.float32)})[0]
    y = y.reshape(y.shape[-2], y.shape[-1])
    return np.asarray(Image.fromarray(y.astype(np.float32), mode="F")
                      .resize((out_w, out_h), Image.BILINEAR))


def find_photo(photos, scene):
    for ext in (".png", ".jpg", ".jpeg", ".PNG", ".JPG", ".JPEG"):
        p = photos / (scene + ext)
        if p.is_file():
            return p
    return None


def main(dataset, photos, model):
    dataset, photos = Path(dataset), Path(photos)
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    cache = {}
    n = full = pairs = pairs_same = 0
    for split in ("train.jsonl", "val.jsonl"):
        f = dataset / split
        if not f.is_file():
            continue
        for line in f.open(encoding="utf-8"):
            s = json.loads(line)
            if s["task"] != "depth":
                continue
            scene = s["id"][: s["id"].rfind("-depth-")]
            photo = find_photo(photos, scene)
            if photo is None:
                print(f"skip {s['id']}: no photo {scene}.* in {photos}", file=sys.stderr)
                continue
            img = dataset / s["images"][0] if not Path(s["images"][0]).is_absolute() \
                else Path(s["images"][0])
            w, h = Image.open(img).size
            key = (photo, w, h)
            if key not in cache:
                cache.clear()  # one scene at a time: its samples are consecutive
                cache[key] = inverse_depth(session, photo, w, h)
            inv = cache[key]
            mean = {}
            for r in s["metadata"]["regions"]:
                l, t, k = r["left"], r["top"], r["window"]
                mean[str(r["label"])] = float(inv[t:t + k, l:l + k].mean())
            model_order = sorted(mean, key=lambda lab: -mean[lab])  # nearest first
            sensor_order = s["answer"].split("-")
            n += 1
            full += model_order == sensor_order
            for a, b in combinations(sensor_order, 2):  # a nearer than b for the sensor
                pairs += 1
                pairs_same += model_order.index(a) < model_order.index(b)
    if n == 0:
        sys.exit(f"no depth samples with photos found in {dataset}")
    print(f"samples compared: {n}")
    print(f"full order agrees: {100.0 * full / n:.1f} % (chance 16.7 %)")
    print(f"region pairs agree: {100.0 * pairs_same / pairs:.1f} % (chance 50 %)")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
