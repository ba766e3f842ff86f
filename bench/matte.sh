#!/usr/bin/env bash
# Person-matting benchmark (issue 8), release build, Medley, the floor and the peer in the same run, on a 10 s,
# 30 fps 1280x720 H.264 clip with audio (astronaut.png scaled to 1280 px, a 1280x720 window panning down over it):
#   - floor: the ffmpeg CLI decoding and re-encoding the same file with the encoder settings Medley's VideoWriter
#     uses for edited videos (libx264, preset veryfast, CRF 18), audio copied: no matting at all;
#   - Medley: `medley matte CLIP --background blur -o OUT.mp4` (landscape model for 16:9, temporal smoothing,
#     feathered edges, blurred background, audio copied), whole command;
#   - peer: MediaPipe 0.10.21's Python selfie segmentation (landscape model), OpenCV decode, its example's
#     hard-threshold composite over a box-blurred frame, OpenCV mp4v encode;
#   - Medley's per-frame work in memory (medley-edit-bench matte), and the parity of Medley's masks with
#     MediaPipe's on four pictures (max absolute difference; the issue's bound is 1e-4).
# Target: Medley >= 30 frames per second.
#
#   bench/matte.sh            # MEDLEY_SCRATCH to change the build folder
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${MEDLEY_SCRATCH:-.build}"
fixtures=Tests/Fixtures/vision
media=bench/media
venv=bench/.venv-matte
mkdir -p "$media"

echo "== building medley and medley-edit-bench (release)" >&2
swift build -c release --product medley --scratch-path "$scratch" >&2
swift build -c release --product medley-edit-bench --scratch-path "$scratch" >&2
bin="$(swift build -c release --show-bin-path --scratch-path "$scratch")"
medley="$bin/medley"
"$medley" models install mediapipe-selfie-segmentation >&2

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import mediapipe' 2>/dev/null; then
    echo "== making $venv (mediapipe 0.10.21)" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --find-links "${MEDLEY_WHEELS:-$HOME/.cache/medley/wheels}" \
        mediapipe==0.10.21 >&2
fi
python="$venv/bin/python"

clip="$media/matte-pan-720p30-10s.mp4"
if [ ! -s "$clip" ]; then
    echo "== making $clip" >&2
    ffmpeg -v error -nostdin -y -loop 1 -i "$fixtures/astronaut.png" -f lavfi -i "sine=f=220:d=10" -t 10 -r 30 \
        -vf "scale=1280:1280,crop=1280:720:0:'40+12*t'" -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest "$clip"
fi
frames=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$clip")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seconds() {  # seconds OUTFILE COMMAND...: wall-clock seconds of one run
    local start end
    start=$(date +%s.%N)
    "${@:2}" >/dev/null 2>&1
    end=$(date +%s.%N)
    echo "$end - $start" | bc > "$1"
}
echo "== floor: ffmpeg decode + libx264 veryfast CRF 18 encode" >&2
seconds "$work/floor" ffmpeg -v error -nostdin -y -i "$clip" -c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p \
    -c:a copy "$work/floor.mp4"
echo "== Medley: medley matte --background blur" >&2
MEDLEY_RECORD=0 seconds "$work/medley" "$medley" matte "$clip" --background blur -o "$work/medley.mp4"
MEDLEY_RECORD=0 "$medley" matte "$clip" --background blur -o "$work/medley2.mp4" --json > "$work/medley.json"
echo "== Medley: medley matte --background green" >&2
MEDLEY_RECORD=0 seconds "$work/medley-green" "$medley" matte "$clip" --background green -o "$work/green.mp4"
echo "== peer: MediaPipe selfie segmentation (Python)" >&2
"$python" bench/matte_peer.py video "$clip" "$work/peer.mp4" --landscape 2>/dev/null > "$work/peer.json"
echo "== Medley's per-frame work in memory" >&2
ffmpeg -v error -nostdin -y -ss 5 -i "$clip" -frames:v 1 "$work/frame.png"
"$bin/medley-edit-bench" matte "$work/frame.png" --landscape 1 --repeat 30 > "$work/frame.json"

echo "== mask parity with MediaPipe" >&2
ffmpeg -v error -nostdin -y -i "$fixtures/astronaut.png" -vf scale=700:450 "$work/a700x450.png"
ffmpeg -v error -nostdin -y -i "$fixtures/astronaut.png" -vf scale=320:512 "$work/a320x512.png"
ffmpeg -v error -nostdin -y -i "$fixtures/luispedro.jpg" "$work/luispedro.png"
: > "$work/parity"
for picture in "$fixtures/astronaut.png" "$work/a700x450.png" "$work/a320x512.png" "$work/luispedro.png"; do
    for landscape in 0 1; do
        flag=""; [ "$landscape" = 1 ] && flag="--landscape"
        "$bin/medley-edit-bench" mask "$picture" "$work/m.f32" --landscape "$landscape" > /dev/null
        "$python" bench/matte_peer.py mask "$picture" "$work/p.f32" $flag > /dev/null 2>&1
        "$python" -c "
import numpy as np, sys
a = np.fromfile('$work/m.f32', np.float32); b = np.fromfile('$work/p.f32', np.float32)
d = np.abs(a - b)
print(f\"{'$picture'.split('/')[-1]:16s} {'landscape' if $landscape else 'general':9s} max {d.max():.1e}  mean {d.mean():.1e}\")
" >> "$work/parity"
    done
done

"$python" - "$work" "$frames" <<'PY'
import json, os, sys
work, frames = sys.argv[1], int(sys.argv[2])
read = lambda name: float(open(os.path.join(work, name)).read().strip())
medley_json = json.load(open(os.path.join(work, "medley.json")))
peer = json.load(open(os.path.join(work, "peer.json")))
frame = json.load(open(os.path.join(work, "frame.json")))
floor, medley, green = read("floor"), read("medley"), read("medley-green")
print(f"1280x720, {frames} frames at 30 fps, with audio:")
print(f"  floor, ffmpeg decode + libx264 encode   {frames / floor:6.1f} fps  ({floor:.2f} s)")
print(f"  Medley, medley matte --background blur {frames / medley:6.1f} fps  ({medley:.2f} s whole command; "
      f"{medley_json['frames_per_second']:.1f} fps inside the run)")
print(f"  Medley, medley matte --background green {frames / green:5.1f} fps  ({green:.2f} s whole command)")
print(f"  MediaPipe Python (landscape)           {peer['fps']:6.1f} fps  ({peer['seconds']:.2f} s)")
print(f"  ratio Medley blur / MediaPipe: {frames / medley / peer['fps']:.2f}x the frame rate; "
      f"target >= 30 fps: {'met' if frames / medley >= 30 else 'NOT met'} ({frames / medley:.1f} fps)")
print(f"  Medley on one 720p picture in memory: mask {frame['mask_median_s'] * 1000:.1f} ms, mask and feathered alpha "
      f"{frame['alpha_median_s'] * 1000:.1f} ms, one-off blur matte (blur buffers set up per call) "
      f"{frame['blur_matte_median_s'] * 1000:.1f} ms")
print("mask parity, Medley vs MediaPipe (segmentation_mask):")
print(open(os.path.join(work, "parity")).read().rstrip())
PY
