"""PySceneDetect side of bench/scenes.sh, and the F1 scoring of both tools.

  python3 scenes_peer.py detect VIDEO            # prints {"seconds": s, "cut_frames": [...]} (ContentDetector, defaults)
  python3 scenes_peer.py score TRUTH.json CUTS.json [--tolerance 2]
      TRUTH.json: {"cut_frames": [...]}; CUTS.json: either that or medley's --json output ({"scenes": [...]}).
      Prints {"precision": p, "recall": r, "f1": f, "matched": n, "detected": d, "truth": t}.
"""
import json
import sys
import time


def detect(path):
    # Imported here so that `score` works without PySceneDetect installed.
    from scenedetect import ContentDetector, detect as scene_detect

    start = time.perf_counter()
    scenes = scene_detect(path, ContentDetector())  # default settings: threshold 27, min_scene_len 15
    seconds = time.perf_counter() - start
    cuts = [start_tc.get_frames() for start_tc, _ in scenes[1:]]
    print(json.dumps({"seconds": seconds, "cut_frames": cuts}))


def cut_frames(document):
    if "cut_frames" in document:
        return list(document["cut_frames"])
    return [scene["start_frame"] for scene in document["scenes"][1:]]


def score(truth_path, cuts_path, tolerance):
    with open(truth_path) as f:
        truth = sorted(cut_frames(json.load(f)))
    with open(cuts_path) as f:
        found = sorted(cut_frames(json.load(f)))
    # Greedy one-to-one matching within the tolerance, nearest first.
    pairs = sorted((abs(t - d), i, j) for i, t in enumerate(truth) for j, d in enumerate(found) if abs(t - d) <= tolerance)
    used_truth, used_found = set(), set()
    for _, i, j in pairs:
        if i not in used_truth and j not in used_found:
            used_truth.add(i)
            used_found.add(j)
    matched = len(used_truth)
    precision = matched / len(found) if found else (1.0 if not truth else 0.0)
    recall = matched / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    missed = [truth[i] for i in range(len(truth)) if i not in used_truth]
    extra = [found[j] for j in range(len(found)) if j not in used_found]
    print(json.dumps({"precision": precision, "recall": recall, "f1": f1, "matched": matched,
                      "detected": len(found), "truth": len(truth), "missed": missed, "extra": extra}))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "detect":
        detect(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "score":
        tol = int(sys.argv[sys.argv.index("--tolerance") + 1]) if "--tolerance" in sys.argv else 2
        score(sys.argv[2], sys.argv[3], tol)
    else:
        sys.exit(__doc__)
