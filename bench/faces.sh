#!/usr/bin/env bash
# Face generation benchmark (issue 8), release build, Medley and the package's own pipeline in the same run:
#   - speed: `medley generate face --count N` (1024x1024 PNGs with their provenance labels) against random_face
#     2021.7.21.1's pipeline ported to OpenVINO's current Python API (bench/faces_peer.py: same models, same count,
#     same truncation, the mean style estimated at start-up as the package does), with and without writing the
#     faces (cv2.imwrite PNG, what a user of the package does). Runs alternate, R rounds, median wall and CPU time.
#     Medley runs with its mean style cached in the store (its normal state after the first use) and once cold
#     (cache removed, so it computes the mean from 4096 noises like the package).
#   - quality: 100 generated faces (seeds 0..99, default truncation): how many have exactly one face per BlazeFace
#     (`medley faces`), and the highest content-safety score (`medley safety`).
#   - parity: the package's steps (faces_peer.py --parity) on Medley's noise and cached mean style give the same
#     bytes as Medley's PNG, which checks the noise, truncation, channel order and pixel scaling end to end.
#   - the contact sheet docs/generated-faces.png: seeds 0..15 at 256 px, 4x4 (with --sheet).
#
#   bench/faces.sh [--count N] [--rounds R] [--quality N] [--sheet] [--no-build]
#   (--no-build: use the release binary as it is, e.g. while others edit the sources)
set -euo pipefail
cd "$(dirname "$0")/.."
count=10
rounds=3
quality=100
sheet=0
build=1
while [ $# -gt 0 ]; do
    case "$1" in
        --count) count="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --quality) quality="$2"; shift 2 ;;
        --sheet) sheet=1; shift ;;
        --no-build) build=0; shift ;;
        *) echo "usage: bench/faces.sh [--count N] [--rounds R] [--quality N] [--sheet] [--no-build]" >&2; exit 2 ;;
    esac
done
scratch="${MEDLEY_SCRATCH:-.build}"
truncation=0.7

if [ "$build" = 1 ]; then
    echo "== building medley (release, scratch path $scratch)" >&2
    swift build -c release --product medley --scratch-path "$scratch" >&2
fi
bin="$(swift build -c release --product medley --scratch-path "$scratch" --show-bin-path)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A private copy of the binary (and its resource bundles): the shared build folder may be rebuilt meanwhile.
mkdir -p "$work/bin"
cp "$bin/medley" "$work/bin/"
cp -r "$bin"/*.resources "$work/bin/" 2>/dev/null || true
medley="$work/bin/medley"
export MEDLEY_RECORD=0

store="${MEDLEY_MODELS:-$HOME/.medley/models}"
model="$store/mobilestylegan-ffhq"
if [ ! -f "$model/model.json" ]; then
    echo "== installing mobilestylegan-ffhq" >&2
    "$medley" models install mobilestylegan-ffhq --wheel-dir "${MEDLEY_WHEELS:-$HOME/.cache/medley/wheels}" >&2
fi

# The peer's venv is shared with the other generation benchmarks; the lock keeps two scripts from building it at once.
venv=bench/.venv-gen
flock /tmp/venv-gen.lock bash -c "
    if ! $venv/bin/python -c 'import openvino, numpy, cv2' 2>/dev/null; then
        echo '== creating $venv (openvino 2026.4.1, numpy, opencv-python-headless)' >&2
        [ -x $venv/bin/python ] || python3 -m venv $venv
        $venv/bin/pip install --quiet openvino==2026.4.1 numpy opencv-python-headless >&2
    fi"
python="$venv/bin/python"
cache_dir="$store/.cache/mobilestylegan-ffhq"

# `time_run NAME CMD...`: runs CMD, appends "NAME wall user sys" to $work/times.
time_run() {
    local name="$1"; shift
    /usr/bin/time -f "$name %e %U %S" -a -o "$work/times" "$@" > "$work/$name.out" 2> "$work/$name.err" \
        || { cat "$work/$name.err" >&2; exit 1; }
}

echo "== warm-up (page cache, mean style cache)" >&2
"$medley" generate face --seed 0 --size 256 -o "$work/warm.png" > /dev/null
$python bench/faces_peer.py "$model" --count 1 > /dev/null

echo "== speed: $count faces at 1024x1024, truncation $truncation, $rounds rounds (alternating)" >&2
for round in $(seq "$rounds"); do
    rm -rf "$work/medley" "$work/peer-write"
    mkdir "$work/medley"  # an existing folder, so that --count 1 also writes face-<seed>.png into it
    time_run medley "$medley" generate face --seed 0 --count "$count" --truncation "$truncation" -o "$work/medley"
    time_run peer-write $python bench/faces_peer.py "$model" --count "$count" --alpha "$truncation" \
        --write "$work/peer-write"
    time_run peer $python bench/faces_peer.py "$model" --count "$count" --alpha "$truncation"
    echo "   round $round done" >&2
done
# One cold run: the mean style computed from 4096 noises, as the package does at every start.
rm -f "$cache_dir"/style-mean-*.f32
rm -rf "$work/medley"
mkdir "$work/medley"
time_run medley-cold "$medley" generate face --seed 0 --count "$count" --truncation "$truncation" -o "$work/medley"
cp "$work/peer.out" "$work/peer-last.json"

echo "== parity: the package's steps on Medley's noise and mean style vs Medley's PNG (seeds 0, 12345, -1)" >&2
mean_file=$(ls "$cache_dir"/style-mean-*.f32)
for seed in 0 12345 -1; do
    "$medley" generate face --seed "$seed" --truncation "$truncation" -o "$work/parity-$seed.png" > /dev/null
    $python bench/faces_peer.py "$model" --parity "$seed" "$work/parity-$seed.png" --mean "$mean_file" \
        --alpha "$truncation" >> "$work/parity.jsonl"
done

quality_dir="$work/quality"
if [ "$quality" -gt 0 ]; then
    echo "== quality: $quality faces (seeds 0..$((quality - 1))), BlazeFace and open_nsfw on each" >&2
    "$medley" generate face --seed 0 --count "$quality" --truncation "$truncation" -o "$quality_dir" > /dev/null
    mkdir -p "$work/checks"
    for png in "$quality_dir"/face-*.png; do
        name=$(basename "$png" .png)
        "$medley" faces "$png" --json > "$work/checks/$name.faces.json"
        "$medley" safety "$png" --json > "$work/checks/$name.safety.json"
    done
fi

if [ "$sheet" = 1 ]; then
    echo "== contact sheet: seeds 0..15, 256 px, 4x4 -> docs/generated-faces.png" >&2
    "$medley" generate face --seed 0 --count 16 --size 256 --truncation "$truncation" -o "$work/sheet" > /dev/null
    # Quantised to 256 colours (error-diffusion dither) to keep the file in the repository small: 0.6 MB instead
    # of 1.8 MB; the faces Medley writes are full colour.
    ffmpeg -v error -nostdin -y -start_number 0 -i "$work/sheet/face-%d.png" -frames:v 1 -compression_level 9 \
        -vf "tile=4x4,split[a][b];[a]palettegen=max_colors=256:stats_mode=full[p];[b][p]paletteuse=dither=sierra2_4a" \
        "$work/generated-faces.png"
    # Label the sheet itself as AI-generated (PNG tEXt chunks, inserted after IHDR).
    $python - "$work/generated-faces.png" docs/generated-faces.png "$truncation" <<'PY'
import struct, sys, zlib
source, target, psi = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(source, "rb").read()
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
text = (f"AI-generated content: 16 faces of people who do not exist, made by Medley (medley generate face) with "
        f"the model mobilestylegan-ffhq (MobileStyleGAN, FFHQ), seeds 0-15, truncation {psi}, 256 px each. "
        f"Digital source type: http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia")
end_of_ihdr = 8 + 8 + 13 + 4
labelled = (data[:end_of_ihdr] + chunk(b"tEXt", b"Comment\x00" + text.encode("latin-1"))
            + chunk(b"tEXt", b"ai_generated\x00true") + data[end_of_ihdr:])
open(target, "wb").write(labelled)
print(f"   {target}: {len(labelled)} bytes", file=sys.stderr)
PY
fi

$python - "$work" "$count" "$rounds" "$quality" "$truncation" <<'PY'
import json, os, statistics, sys
work, count, rounds, quality, psi = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
runs = {}
for line in open(os.path.join(work, "times")):
    name, wall, user, system = line.split()
    runs.setdefault(name, []).append((float(wall), float(user) + float(system)))
median = lambda name, i: statistics.median(r[i] for r in runs[name])
print(f"# faces: {count} x 1024x1024 per run, truncation {psi}, {rounds} alternating rounds (median)")
print(f"{'run':<12} {'wall s':>8} {'cpu s':>8} {'wall/face':>10}")
for name in ["medley", "medley-cold", "peer-write", "peer"]:
    if name in runs:
        print(f"{name:<12} {median(name, 0):8.2f} {median(name, 1):8.2f} {median(name, 0) / count:10.3f}")
peer = json.load(open(os.path.join(work, "peer-last.json")))
print(f"peer phases (last run without writing): import {peer['import_s']:.2f} s,"
      f" read+compile {peer['load_compile_s']:.2f} s, mean style {peer['mean_style_s']:.2f} s,"
      f" first face {peer['first_face_s']:.2f} s, median face {peer['median_face_s']:.3f} s; precision {peer['precision']}")
print(f"ratio medley / peer-write (both write PNGs): {median('medley', 0) / median('peer-write', 0):.2f}x wall,"
      f" {median('medley', 1) / median('peer-write', 1):.2f}x cpu")
print(f"ratio medley / peer (peer writes nothing):   {median('medley', 0) / median('peer', 0):.2f}x wall,"
      f" {median('medley', 1) / median('peer', 1):.2f}x cpu")
print(f"ratio medley-cold / peer-write:              {runs['medley-cold'][0][0] / median('peer-write', 0):.2f}x wall")
for line in open(os.path.join(work, "parity.jsonl")):
    p = json.loads(line)
    print(f"parity seed {p['seed']}: {'identical' if p['identical'] else 'DIFFERENT'}"
          f" ({p['differing_values']} of {p['values']} values differ, max {p['max_diff']})")
if quality > 0:
    checks = os.path.join(work, "checks")
    names = sorted(n[:-len(".faces.json")] for n in os.listdir(checks) if n.endswith(".faces.json"))
    rows = [{"file": n, "faces": json.load(open(os.path.join(checks, n + ".faces.json"))),
             "safety": json.load(open(os.path.join(checks, n + ".safety.json")))} for n in names]
    one = [r for r in rows if len(r["faces"]["faces"]) == 1]
    others = {r["file"]: len(r["faces"]["faces"]) for r in rows if len(r["faces"]["faces"]) != 1}
    scores = [r["safety"]["score"] for r in rows]
    print(f"quality: {len(one)}/{len(rows)} faces with exactly one BlazeFace detection"
          f" ({100 * len(one) / len(rows):.0f} %); others: {others or 'none'}")
    print(f"quality: open_nsfw max {max(scores):.4f}, mean {statistics.mean(scores):.4f},"
          f" {sum(s >= 0.2 for s in scores)} at or above 0.2")
PY
