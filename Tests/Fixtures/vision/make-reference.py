#!/usr/bin/env python3
"""Writes reference.json: outputs of OpenCV, Pillow (with its libjpeg-turbo) and pyclipper on small seeded inputs,
which the Swift tests compare Medley's image operations against bit for bit.

Needs numpy, opencv-python(-headless), Pillow and pyclipper (all installed with `pip install rapidocr-onnxruntime`).
Run from this folder: python3 make-reference.py
"""
import base64, io, json
import cv2, numpy as np, pyclipper
from PIL import Image

rng = np.random.default_rng(20250509)
b64 = lambda a: base64.b64encode(np.ascontiguousarray(a, dtype=np.uint8).tobytes()).decode()
out = {"versions": {"opencv": cv2.__version__, "pillow": Image.__version__, "numpy": np.__version__}}

# cv2.resize INTER_LINEAR: up, down, both, odd ratios, 1 and 3 channels.
cases = []
for (w, h, c, ow, oh) in [(7, 5, 3, 13, 9), (16, 12, 3, 5, 4), (9, 9, 1, 4, 17), (20, 15, 3, 32, 24),
                          (33, 21, 3, 32, 32), (3, 2, 1, 100, 7), (32, 32, 3, 16, 16), (50, 20, 3, 60, 24)]:
    src = rng.integers(0, 256, size=(h, w, c) if c > 1 else (h, w), dtype=np.uint8)
    dst = cv2.resize(src, (ow, oh), interpolation=cv2.INTER_LINEAR)
    cases.append({"width": w, "height": h, "channels": c, "outWidth": ow, "outHeight": oh,
                  "input": b64(src), "output": b64(dst)})
out["bilinear"] = cases

# cv2.warpPerspective INTER_CUBIC, BORDER_REPLICATE, as RapidOCR crops text lines.
cases = []
for (w, h) in [(24, 18), (40, 16)]:
    src = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
    quad = np.array([[2.0, 3.0], [w - 3.0, 1.0], [w - 2.0, h - 2.0], [1.0, h - 4.0]], dtype=np.float32)
    cw = int(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3])))
    ch = int(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2])))
    std = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(quad, std)
    dst = cv2.warpPerspective(src, m, (cw, ch), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)
    cases.append({"width": w, "height": h, "quad": quad.tolist(), "outWidth": cw, "outHeight": ch,
                  "input": b64(src), "output": b64(dst)})
out["perspective"] = cases

# Pillow's BILINEAR resize (antialiased when shrinking).
cases = []
for (w, h, ow, oh) in [(20, 15, 7, 11), (37, 29, 24, 24), (120, 90, 32, 24), (9, 4, 9, 2)]:
    src = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
    dst = np.asarray(Image.fromarray(src).resize((ow, oh), resample=Image.BILINEAR))
    cases.append({"width": w, "height": h, "outWidth": ow, "outHeight": oh, "input": b64(src), "output": b64(dst)})
out["pillowBilinear"] = cases

# Pillow JPEG round trip at its default quality 75 (4:2:0): a smooth gradient with texture, and noise,
# with sizes that are not multiples of 16.
cases = []
for (w, h, kind) in [(61, 45, "smooth"), (32, 16, "noise"), (48, 40, "smooth")]:
    if kind == "noise":
        src = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
    else:
        y, x = np.mgrid[0:h, 0:w]
        src = np.stack([(x * 255 // max(1, w - 1)), (y * 255 // max(1, h - 1)), ((x * y) % 256)], -1).astype(np.uint8)
        src = np.clip(src.astype(int) + rng.integers(-20, 21, size=src.shape), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(src).save(buffer, format="JPEG")
    dst = np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))
    cases.append({"width": w, "height": h, "input": b64(src), "output": b64(dst)})
out["jpeg"] = cases

# cv2.minAreaRect + boxPoints on the contours RapidOCR would see (random blobs, some rotated).
cases = []
for i in range(24):
    mask = np.zeros((60, 80), np.uint8)
    cx, cy = rng.integers(20, 60), rng.integers(15, 45)
    rect = ((float(cx), float(cy)), (float(rng.integers(6, 40)), float(rng.integers(3, 14))), float(rng.integers(-30, 31)) if i % 3 else 0.0)
    cv2.fillPoly(mask, [np.intp(cv2.boxPoints(rect))], 1)
    if i % 4 == 1:
        mask[cy - 1:cy + 2, max(0, cx - 25):cx] = 1  # a thin spur
    contours, _ = cv2.findContours(mask * 255, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    contour = max(contours, key=len)
    box = cv2.minAreaRect(contour)
    cases.append({"mask": b64(np.packbits(mask.reshape(-1))), "width": 80, "height": 60, "points": cv2.boxPoints(box).tolist(),
                  "size": [box[1][0], box[1][1]]})
out["minAreaRect"] = cases

# pyclipper round-join offsets of float rectangles (RapidOCR's unclip).
cases = []
for i in range(20):
    cx, cy = rng.uniform(20, 300), rng.uniform(20, 300)
    w, h, a = rng.uniform(8, 200), rng.uniform(4, 40), rng.uniform(-0.4, 0.4) if i % 2 else 0.0
    box = cv2.boxPoints(((cx, cy), (w, h), np.degrees(a))).astype(np.float32)
    distance = float(rng.uniform(1.5, 12))
    offset = pyclipper.PyclipperOffset()
    offset.AddPath(box, pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
    result = offset.Execute(distance)
    cases.append({"box": box.tolist(), "distance": distance, "output": [list(map(int, p)) for p in result[0]]})
out["offset"] = cases

json.dump(out, open("reference.json", "w"), separators=(",", ":"))
print("reference.json", len(json.dumps(out)) // 1024, "KB")
