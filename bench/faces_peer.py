"""random_face 2021.7.21.1's face pipeline, ported step for step to OpenVINO's current Python API.

The package's engine (random_face/engine_openvino.py) uses `openvino.inference_engine`, which OpenVINO removed in
2024; this script does the same steps with `openvino.Core`, in the same order, so its time is what the package
would take with a current OpenVINO:

  start-up   read + compile MappingNetwork and SynthesisNetwork (batch 1, the device's default precision);
             get_style_mean(n_samples): n x 512 numpy normals, the mapping network reshaped to batch n and
             compiled again, one inference, mean over the batch;
  per face   get_random_face(alpha): 1 x 512 normals; var_to_style (the first call finds the mapping network at
             batch n and reshapes + recompiles it back to batch 1, as the package does); truncate; style_to_img;
             tensor_to_img (clip, normalise, *255 + 0.5, uint8, RGB -> BGR);
  writing    (--write DIR) cv2.imwrite(face-<i>.png), what a user of the package does with the BGR array.

Prints one JSON object with the phase timings (seconds, wall clock, time.perf_counter).

  python bench/faces_peer.py MODEL_DIR --count N --alpha PSI [--write DIR]
  python bench/faces_peer.py MODEL_DIR --parity SEED MEDLEY.png --mean STYLE_MEAN.f32 --alpha PSI

With --parity it instead checks Medley against the package: Medley's noise for SEED (its documented generator,
re-implemented here) and Medley's cached mean style go through the package's steps; the result is compared value
for value with the face Medley wrote.
"""
import argparse
import json
import os
import sys
import time

T0 = time.perf_counter()
import numpy as np  # noqa: E402
import openvino as ov  # noqa: E402

T_IMPORT = time.perf_counter() - T0


def tensor_to_img(t, normalize=True, rng=(-1, 1), rgb2bgr=True):
    """random_face.functional.tensor_to_img, unchanged."""
    if normalize:
        t = np.clip(t, rng[0], rng[1])
        t = (t - rng[0]) / (rng[1] - rng[0] + 1e-5)
    img = np.clip(t * 255 + 0.5, 0, 255).transpose(1, 2, 0).astype(np.uint8)
    if rgb2bgr:
        img = img[:, :, ::-1]
    return img


class Engine:
    """random_face.engine_openvino.EngineOpenvino + EngineBase, on openvino.Core."""

    def __init__(self, model_dir, cfg):
        self.style_dim = cfg["style_dim"]
        self.img_normalize = cfg["img_normalize"]
        self.img_range = cfg["img_range"]
        self.img_rgb2bgr = cfg["img_rgb2bgr"]
        self.core = ov.Core()
        self.mnet = self.core.read_model(os.path.join(model_dir, "MappingNetwork.xml"),
                                         os.path.join(model_dir, "MappingNetwork.bin"))
        self.mnet_exec = self.core.compile_model(self.mnet, "CPU")
        self.snet = self.core.read_model(os.path.join(model_dir, "SynthesisNetwork.xml"),
                                         os.path.join(model_dir, "SynthesisNetwork.bin"))
        self.snet_exec = self.core.compile_model(self.snet, "CPU")
        self.t_load = time.perf_counter()
        self.style_mean = self.get_style_mean(cfg["n_samples"])
        self.t_mean = time.perf_counter()

    def _batch(self, model, name):
        return model.input(name).get_partial_shape()[0].get_length()

    def get_style_mean(self, n=4096):
        var = np.random.normal(size=(n, self.style_dim)).astype(np.float32)
        if self._batch(self.mnet, "var") != var.shape[0]:
            self.mnet.reshape({"var": list(var.shape)})
            self.mnet_exec = self.core.compile_model(self.mnet, "CPU")
        style = self.mnet_exec({"var": var})["style"].mean(axis=0, keepdims=True)
        return style

    def var_to_style(self, var):
        assert var.shape[1] == self.style_dim
        if self._batch(self.mnet, "var") != var.shape[0]:
            self.mnet.reshape({"var": list(var.shape)})
            self.mnet_exec = self.core.compile_model(self.mnet, "CPU")
        return self.mnet_exec({"var": var})["style"]

    def style_to_img(self, style):
        assert style.shape[1] == self.style_dim
        if self._batch(self.snet, "style") != style.shape[0]:
            self.snet.reshape({"style": list(style.shape)})
            self.snet_exec = self.core.compile_model(self.snet, "CPU")
        return self.snet_exec({"style": style})["img"][0]

    def truncate(self, style, alpha=0.5):
        return self.style_mean + alpha * (style - self.style_mean)

    def get_random_face(self, postprocess=True, truncate=True, alpha=0.5):
        var = np.random.normal(size=(1, self.style_dim)).astype(np.float32)
        style = self.var_to_style(var)
        if truncate:
            style = self.truncate(style, alpha)
        img = self.style_to_img(style)
        if postprocess:
            img = tensor_to_img(img, self.img_normalize, self.img_range, self.img_rgb2bgr)
        return img


# --- Parity: Medley's noise for a seed, to check that Medley's pipeline is the package's, value for value. ---
MASK64 = (1 << 64) - 1


def medley_normals(seed, count):
    """GaussianNoise(seed:).normals(count:) of Medley (docs/generation.md): SplitMix64 seeds xoshiro256**, pairs
    of uniforms (x >> 11 + 1) / 2^53 go through Box-Muller in double, rounded to float32."""
    import math
    state = seed & MASK64

    def splitmix():
        nonlocal state
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    s = [splitmix() for _ in range(4)]
    rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & MASK64

    def next_bits():
        result = (rotl((s[1] * 5) & MASK64, 7) * 9) & MASK64
        t = (s[1] << 17) & MASK64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    values = []
    while len(values) < count:
        u1 = ((next_bits() >> 11) + 1) * 2.0 ** -53
        u2 = ((next_bits() >> 11) + 1) * 2.0 ** -53
        radius = math.sqrt(-2 * math.log(u1))
        values += [radius * math.cos(2 * math.pi * u2), radius * math.sin(2 * math.pi * u2)]
    return np.array(values[:count], dtype=np.float32)


def parity(args, cfg):
    """The package's steps on Medley's noise and Medley's cached mean style; compares with Medley's PNG."""
    import cv2
    engine = Engine.__new__(Engine)
    engine.style_dim = cfg["style_dim"]
    engine.core = ov.Core()
    engine.mnet = engine.core.read_model(os.path.join(args.model_dir, "MappingNetwork.xml"))
    engine.mnet_exec = engine.core.compile_model(engine.mnet, "CPU")
    engine.snet = engine.core.read_model(os.path.join(args.model_dir, "SynthesisNetwork.xml"))
    engine.snet_exec = engine.core.compile_model(engine.snet, "CPU")
    engine.style_mean = np.fromfile(args.mean, dtype="<f4").reshape(1, -1)
    var = medley_normals(int(args.parity[0]), engine.style_dim).reshape(1, -1)
    style = engine.truncate(engine.var_to_style(var), args.alpha)
    img = tensor_to_img(engine.style_to_img(style), cfg["img_normalize"], cfg["img_range"], cfg["img_rgb2bgr"])
    medley = cv2.imread(args.parity[1], cv2.IMREAD_COLOR)  # BGR, like the package's output
    diff = np.abs(img.astype(np.int16) - medley.astype(np.int16))
    print(json.dumps({"seed": args.parity[0], "identical": bool((diff == 0).all()), "max_diff": int(diff.max()),
                      "differing_values": int((diff != 0).sum()), "values": int(diff.size)}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model_dir", help="a folder with MappingNetwork/SynthesisNetwork .xml/.bin and config.json")
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--alpha", type=float, default=0.7)
    parser.add_argument("--write", help="write face-<i>.png here with cv2.imwrite")
    parser.add_argument("--parity", nargs=2, metavar=("SEED", "PNG"),
                        help="instead: run the package's steps on Medley's noise of SEED and compare with PNG")
    parser.add_argument("--mean", help="with --parity: Medley's cached mean style (.f32)")
    args = parser.parse_args()
    cfg = json.load(open(os.path.join(args.model_dir, "config.json")))
    if args.parity:
        return parity(args, cfg)
    start = time.perf_counter()
    engine = Engine(args.model_dir, cfg)
    imwrite = None
    if args.write:
        import cv2  # the package's own image library (opencv-python); imported only when writing
        imwrite = cv2.imwrite
        os.makedirs(args.write, exist_ok=True)
    faces = []
    t_faces = time.perf_counter()
    for index in range(args.count):
        t = time.perf_counter()
        img = engine.get_random_face(alpha=args.alpha)
        if imwrite:
            imwrite(os.path.join(args.write, f"face-{index}.png"), img)
        faces.append(time.perf_counter() - t)
    end = time.perf_counter()
    print(json.dumps({
        "openvino": ov.__version__,
        "precision": str(engine.snet_exec.get_property("INFERENCE_PRECISION_HINT")),
        "import_s": T_IMPORT,
        "load_compile_s": engine.t_load - start,
        "mean_style_s": engine.t_mean - engine.t_load,
        "faces_s": end - t_faces,
        "first_face_s": faces[0] if faces else None,
        "median_face_s": sorted(faces)[len(faces) // 2] if faces else None,
        "total_in_process_s": end - start + T_IMPORT,
        "count": args.count,
        "image_shape": list(img.shape) if faces else None,
    }))


if __name__ == "__main__":
    sys.exit(main())
