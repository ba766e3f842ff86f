"""The reference side of bench/terrain.sh: adaptive-terrain-diffusion 0.4.2's own sampling, on onnxruntime.

  terrain_peer.py parity NOISE.npy DENOISED.npy HEIGHTS.npy --difficulty D --shape H W
      Runs the package's public `TerrainGenerator.generate` path (difficulty label, `_sample_native` or
      `_generate_tiled`, `_denoise` on onnxruntime, `_from_model_space`, `_resize`) with Medley's noise in place of
      NumPy's generator (the package draws its noise through `self._rng(seed).standard_normal`, which is replaced by
      a reader of NOISE.npy), and compares the model-space output and the heights in metres with Medley's.
      Prints one JSON object.
  terrain_peer.py time --count N --difficulty D
      Times the package: creating the session, then `generate(N, ...)` (one step, batch 16). Prints JSON.
"""

import argparse
import json
import math
import time

import numpy as np


def medley_normals(seed, count):
    """Medley's documented seed-to-noise mapping (docs/generation.md), written independently in Python:
    SplitMix64 seeds xoshiro256**, pairs of 53-bit uniforms in (0, 1] go through Box-Muller, rounded to float32."""
    mask = (1 << 64) - 1
    split = seed & mask  # a negative seed is its two's complement

    def splitmix():
        nonlocal split
        split = (split + 0x9E3779B97F4A7C15) & mask
        z = split
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        return z ^ (z >> 31)

    state = [splitmix() for _ in range(4)]

    def rotate(x, k):
        return ((x << k) | (x >> (64 - k))) & mask

    def xoshiro():
        result = (rotate((state[1] * 5) & mask, 7) * 9) & mask
        t = (state[1] << 17) & mask
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotate(state[3], 45)
        return result

    values = []
    while len(values) < count:
        u1 = ((xoshiro() >> 11) + 1) * 2.0 ** -53
        u2 = ((xoshiro() >> 11) + 1) * 2.0 ** -53
        radius = math.sqrt(-2 * math.log(u1))
        values += [radius * math.cos(2 * math.pi * u2), radius * math.sin(2 * math.pi * u2)]
    return np.asarray(values[:count], dtype=np.float32)


class RecordedNoise:
    """Stands in for the package's `np.random.Generator`: hands out Medley's noise in order, as drawn."""

    def __init__(self, noise):
        self.noise = noise
        self.cursor = 0

    def standard_normal(self, shape, dtype=np.float32):
        count = shape[0]
        part = self.noise[self.cursor:self.cursor + count]
        if part.shape != tuple(shape):
            raise SystemExit(f"noise file has shape {self.noise.shape}; the package asked for {shape}")
        self.cursor += count
        return part.astype(dtype, copy=True)

    def integers(self, *args, **kwargs):
        raise SystemExit("the package asked for a random difficulty; give --difficulty")


def parity(args):
    from terrain_diffusion import TerrainGenerator

    noise = np.load(args.noise)
    medley_model = np.load(args.denoised)
    medley_heights = np.load(args.heights)
    generator = TerrainGenerator(device="cpu")

    # The model-space output the package computes from this noise: its `_denoise` on sigma_max * noise for the
    # native size, and the whole blended canvas (recorded from `_from_model_space`'s input) when tiled.
    captured = {}
    decode = generator._from_model_space

    def recording_decode(values, *, zero_floor):
        captured.setdefault("model", np.array(values, dtype=np.float32))
        return decode(values, zero_floor=zero_floor)

    generator._from_model_space = recording_decode
    generator._rng = lambda seed: RecordedNoise(noise)
    heights = generator.generate(len(noise), shape=tuple(args.shape), difficulty=args.difficulty, seed=0)
    model = captured["model"]
    if model.ndim == 4:
        model = model[:, 0]
    medley = medley_model[:, 0, : model.shape[-2], : model.shape[-1]]
    documented = medley_normals(args.seed, noise.size) if args.seed is not None else None
    return {
        "noise_max_abs_vs_documented_mapping": None if documented is None
        else float(np.abs(documented - noise.ravel()).max()),
        "shape": list(heights.shape),
        "difficulty": args.difficulty,
        "label": float(((args.difficulty - 1) / 99)),
        "model_space_max_abs": float(np.abs(model - medley).max()),
        "metres_max_abs": float(np.abs(heights - medley_heights).max()),
        "metres_mean_abs": float(np.abs(heights - medley_heights).mean()),
        "peer_max_height_m": float(heights.max()),
        "medley_max_height_m": float(medley_heights.max()),
    }


def timing(args):
    started = time.perf_counter()
    from terrain_diffusion import TerrainGenerator

    generator = TerrainGenerator(device="cpu")
    loaded = time.perf_counter()
    generator.generate(args.count, difficulty=args.difficulty, seed=1, batch_size=16)
    done = time.perf_counter()
    return {
        "count": args.count,
        "load_seconds": loaded - started,
        "sampling_seconds": done - loaded,
        "providers": list(generator.providers),
    }


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("parity")
    check.add_argument("noise")
    check.add_argument("denoised")
    check.add_argument("heights")
    check.add_argument("--difficulty", type=int, required=True)
    check.add_argument("--shape", type=int, nargs=2, default=(128, 128))
    check.add_argument("--seed", type=int, help="check the noise file against the documented seed mapping")
    clock = commands.add_parser("time")
    clock.add_argument("--count", type=int, default=1)
    clock.add_argument("--difficulty", type=int, default=50)
    args = parser.parse_args()
    print(json.dumps(parity(args) if args.command == "parity" else timing(args)))


if __name__ == "__main__":
    main()
