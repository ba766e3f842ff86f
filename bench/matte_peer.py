"""Python peer of bench/matte.sh: MediaPipe 0.10.21's own selfie segmentation (`mp.solutions.selfie_segmentation`).

usage: matte_peer.py mask IMAGE OUT.f32 [--landscape]   the segmentation mask at the picture's size, raw float32
       matte_peer.py video VIDEO OUT.mp4 [--landscape]  frames per second of a whole run: OpenCV decode, MediaPipe
                                                        segmentation, blurred background composite (MediaPipe's own
                                                        example's np.where at 0.1), OpenCV mp4v encode
Prints one JSON line.
"""
import json
import sys
import time

import cv2
import mediapipe as mp
import numpy as np

# MediaPipe's selfie-segmentation example composites with a hard threshold on the mask.
THRESHOLD = 0.1
# The blur Medley uses: about 1/30 of the short side (24 px on 720p); a box blur of twice that width.
BLUR_FRACTION = 1 / 30


def segmenter(landscape):
    return mp.solutions.selfie_segmentation.SelfieSegmentation(model_selection=1 if landscape else 0)


def mask(path, out, landscape):
    image = cv2.cvtColor(cv2.imread(path, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    with segmenter(landscape) as seg:
        result = seg.process(image).segmentation_mask.astype(np.float32)
    result.tofile(out)
    print(json.dumps({"case": "mask", "width": image.shape[1], "height": image.shape[0],
                      "mediapipe": mp.__version__}))


def video(path, out, landscape):
    capture = cv2.VideoCapture(path)
    fps = capture.get(cv2.CAP_PROP_FPS) or 25
    writer = None
    frames = 0
    start = time.perf_counter()
    with segmenter(landscape) as seg:
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            if writer is None:
                h, w = frame.shape[:2]
                writer = cv2.VideoWriter(out, cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
                k = max(3, int(min(w, h) * BLUR_FRACTION) * 2 + 1)
            result = seg.process(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
            condition = np.stack((result.segmentation_mask,) * 3, axis=-1) > THRESHOLD
            writer.write(np.where(condition, frame, cv2.blur(frame, (k, k))))
            frames += 1
    seconds = time.perf_counter() - start
    if writer is not None:
        writer.release()
    print(json.dumps({"case": "video", "frames": frames, "seconds": seconds, "fps": frames / seconds,
                      "mediapipe": mp.__version__}))


def main(argv):
    landscape = "--landscape" in argv
    args = [a for a in argv[1:] if not a.startswith("--")]
    if len(args) == 3 and args[0] == "mask":
        mask(args[1], args[2], landscape)
    elif len(args) == 3 and args[0] == "video":
        video(args[1], args[2], landscape)
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
