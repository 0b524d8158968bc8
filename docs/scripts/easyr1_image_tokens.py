#!/usr/bin/env python3
"""Image tokens of `ssrl generate --easyr1` rows as EasyR1 feeds them to a Qwen2.5-VL processor.

Regenerates the EasyR1 token table of docs/integrations.md, so the figures there come from a
run and not from memory. For each photo set it writes a fresh `--easyr1` dataset with this
checkout's `./ssrl`, loads both splits the way EasyR1's `RLHFDataset` loads a folder
(`load_dataset(<type of the first file>, data_dir=..., split=...)`), scales every image with
EasyR1's own `process_image` (taken from the EasyR1 source given, not retyped here) into
[min_pixels, max_pixels], and counts the image pad tokens Qwen2-VL's image processor makes of
it: prod(image_grid_thw) / merge_size**2 per image (the two vision markers per image are not
included).

The processor's own pixel range is set to Qwen2.5-VL's preprocessor_config.json (3,136 to
12,845,056: 4 to 16,384 tokens an image), which is what a trainer loading that model gets.
Qwen2VLImageProcessor's class default (1,003,520, at most 1,280 tokens) would cap large images
and under-count; EasyR1 never sets the processor's range, only its own data.min/max_pixels.

Needs Python 3.10+ with `transformers` (5.x), `datasets`, `pyarrow`, `pillow`, `numpy` and a
checkout of EasyR1 (https://github.com/hiyouga/EasyR1; the table was made at b44b311). No model
weights are downloaded. CI does not run this script; run it by hand after a change to image
sizing, then paste its output into docs/integrations.md (or check it with --check):

    ./mvnw -B -q -o -pl ssrl-cli -am package -DskipTests
    python3 docs/scripts/easyr1_image_tokens.py --easyr1-src /path/to/EasyR1
    python3 docs/scripts/easyr1_image_tokens.py --easyr1-src /path/to/EasyR1 --check docs/integrations.md
"""

import argparse
import ast
import json
import math
import os
import subprocess
import sys
import tempfile
import typing
from io import BytesIO
from pathlib import Path

# EasyR1's data.min_pixels / data.max_pixels defaults (verl/trainer/config.py) and the smaller
# maximum its example configs and docs/integrations.md suggest.
EASYR1_MIN_PIXELS = 262_144
PIXEL_LIMITS = (4_194_304, 262_144)
# Qwen2.5-VL's preprocessor_config.json: min_pixels, max_pixels, patch_size, merge_size.
QWEN25VL_MIN_PIXELS = 3_136
QWEN25VL_MAX_PIXELS = 12_845_056
PATCH_SIZE = 14
MERGE_SIZE = 2

REPO = Path(__file__).resolve().parents[2]


def easyr1_process_image(easyr1_src: Path):
    """EasyR1's `process_image`, compiled from its source file on its own.

    Importing `verl.utils.dataset` would need torch, jinja2 and qwen_vl_utils; the function itself
    needs only PIL, math and BytesIO, so its definition is lifted out of the module's syntax tree
    and run unchanged.
    """
    source_file = easyr1_src / "verl" / "utils" / "dataset.py"
    if not source_file.is_file():
        sys.exit(f"{source_file}: not found; --easyr1-src must be an EasyR1 checkout")
    tree = ast.parse(source_file.read_text(encoding="utf-8"), filename=str(source_file))
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "process_image"]
    if len(defs) != 1:
        sys.exit(f"{source_file}: expected one top-level process_image, found {len(defs)}")
    from PIL import Image
    from PIL.Image import Image as ImageObject

    namespace = {
        "math": math,
        "BytesIO": BytesIO,
        "Image": Image,
        "ImageObject": ImageObject,
        "Any": typing.Any,
        "Optional": typing.Optional,
        "Union": typing.Union,
    }
    module = ast.Module(body=defs, type_ignores=[])
    exec(compile(module, str(source_file), "exec"), namespace)  # noqa: S102 - EasyR1's own code
    return namespace["process_image"]


def git_revision(path: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(path), "rev-parse", "--short", "HEAD"],
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown revision"


def generate(ssrl: Path, out: Path, sources: list) -> Path:
    cmd = [str(ssrl), "generate", "--out", str(out), "--easyr1", "--val-fraction", "0.05"]
    cmd += [str(s) for s in sources]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stderr}")
    return out / "easyr1"


def easyr1_rows(folder: Path) -> list:
    """Both splits, loaded as EasyR1's RLHFDataset loads `FOLDER@SPLIT`."""
    from datasets import load_dataset

    file_type = os.path.splitext(os.listdir(folder)[0])[-1][1:].replace("jsonl", "json")
    rows = []
    for split in ("train", "test"):
        rows.extend(load_dataset(file_type, data_dir=str(folder), split=split))
    return rows


def row_tokens(rows, process_image, processor, max_pixels):
    """(images in the row, image pad tokens of the row, ssrl's promptTokens) per row."""
    counts = []
    for row in rows:
        images = [process_image(im, EASYR1_MIN_PIXELS, max_pixels) for im in row["images"]]
        grid = processor(images=images, return_tensors="np")["image_grid_thw"]
        tokens = int(sum(int(t) * int(h) * int(w) for t, h, w in grid)) // (MERGE_SIZE**2)
        estimate = json.loads(row["metadata"])["promptTokens"]
        counts.append((len(images), tokens, estimate))
    return counts


def estimate_margin(counts) -> int:
    """Smallest (ssrl's estimate - image pad tokens - 2 markers per image) over the rows.

    ssrl estimates at EasyR1's default pixel range, so this is meaningful at max_pixels
    4,194,304; negative would mean the estimate under-counts the images alone.
    """
    return min(e - t - 2 * k for k, t, e in counts)


def table(results) -> str:
    lines = [
        "| photos | rows | EasyR1 `max_pixels` | largest 5-image row | largest 1-image row |",
        "|---|---|---|---|---|",
    ]
    for label, n, max_pixels, counts in results:
        five = max((t for k, t, _ in counts if k == 5), default=0)
        one = max((t for k, t, _ in counts if k == 1), default=0)
        lines.append(f"| {label} | {n} | {max_pixels:,} | {five:,} | {one:,} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--easyr1-src", type=Path, required=True, help="EasyR1 checkout")
    parser.add_argument("--ssrl", type=Path, default=REPO / "ssrl", help="the ssrl launcher")
    parser.add_argument(
        "--shared", type=Path, default=REPO.parent / "shared" / "data", help="holds rgb/ and rgbd/"
    )
    parser.add_argument("--check", type=Path, help="fail unless this file holds the table as printed")
    args = parser.parse_args()

    import datasets
    import transformers

    datasets.disable_progress_bars()
    from transformers import Qwen2VLImageProcessor

    process_image = easyr1_process_image(args.easyr1_src)
    processor = Qwen2VLImageProcessor(
        min_pixels=QWEN25VL_MIN_PIXELS,
        max_pixels=QWEN25VL_MAX_PIXELS,
        patch_size=PATCH_SIZE,
        merge_size=MERGE_SIZE,
    )
    photo_sets = [
        ("shared RGB (`rgb/`)", [args.shared / "rgb"]),
        ("`rgb/` + `rgbd/` (MegaDepth, DIODE)", [args.shared / "rgb", args.shared / "rgbd"]),
    ]
    for _, dirs in photo_sets:
        for d in dirs:
            if not d.is_dir():
                sys.exit(f"{d}: photo folder not found (set --shared)")

    results = []
    with tempfile.TemporaryDirectory(prefix="ssrl-easyr1-tokens-") as work:
        for i, (label, dirs) in enumerate(photo_sets):
            rows = easyr1_rows(generate(args.ssrl, Path(work) / f"set{i}", dirs))
            for max_pixels in PIXEL_LIMITS:
                counts = row_tokens(rows, process_image, processor, max_pixels)
                results.append((label, len(rows), max_pixels, counts))

    out = table(results)
    print(out)
    for label, _, max_pixels, counts in results:
        if max_pixels == PIXEL_LIMITS[0]:
            print(
                f"{label}: ssrl's promptTokens minus image tokens and markers, smallest over the"
                f" rows: {estimate_margin(counts):,}",
                file=sys.stderr,
            )
    print(
        f"\n(EasyR1 {git_revision(args.easyr1_src)} process_image, min_pixels"
        f" {EASYR1_MIN_PIXELS:,}; transformers {transformers.__version__} Qwen2VLImageProcessor,"
        f" pixels {QWEN25VL_MIN_PIXELS:,} to {QWEN25VL_MAX_PIXELS:,}; image pad tokens,"
        " without the 2 vision markers per image)",
        file=sys.stderr,
    )
    if args.check is not None:
        if out not in args.check.read_text(encoding="utf-8"):
            print(f"{args.check}: does not hold the table above; paste it in", file=sys.stderr)
            return 1
        print(f"{args.check}: holds the table", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
