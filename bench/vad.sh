#!/usr/bin/env bash
# Voice activity detection on a 10-minute speech file: `medley vad` (release) against silero's own
# onnxruntime loop (bench/vad_peer.py), in the same run. Prints real-time factors and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
media=bench/media
mkdir -p "$media"
python3 -c "import onnxruntime" 2>/dev/null || python3 -m pip install --quiet onnxruntime numpy
if [ -z "${MEDLEY:-}" ]; then
    swift build --quiet -c release --product medley
    MEDLEY=.build/release/medley
fi
file=$media/speech-10min.m4a
if [ ! -f "$file" ]; then
    tmp=$(mktemp -d)
    espeak-ng -v en-us -w "$tmp/s.wav" "Voice activity detection finds the parts of a recording where someone speaks. It ignores the pauses between sentences."
    # speech, 2 s of silence, repeated to 10 minutes
    ffmpeg -v error -y -i "$tmp/s.wav" -af "apad=pad_dur=2" "$tmp/unit.wav"
    ffmpeg -v error -y -stream_loop -1 -i "$tmp/unit.wav" -t 600 -c:a aac -b:a 64k "$file"
    rm -rf "$tmp"
fi
model=${MEDLEY_MODELS:-$HOME/.medley/models}/silero-vad/silero_vad_openvino_16k.onnx

best() { sort -n | head -1; }
medley_times=(); peer_times=()
for i in 1 2 3; do
    s=$(date +%s.%N); "$MEDLEY" vad "$file" --json > /dev/null; e=$(date +%s.%N)
    medley_times+=("$(echo "$e - $s" | bc)")
    peer_times+=("$(python3 bench/vad_peer.py "$model" "$file" | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')")
done
m=$(printf '%s\n' "${medley_times[@]}" | best)
p=$(printf '%s\n' "${peer_times[@]}" | best)
printf 'vad, 600 s of speech: medley %.2f s (%.0fx real time), silero onnxruntime loop %.2f s (%.0fx real time), medley is %.2fx faster\n' \
    "$m" "$(echo "600 / $m" | bc -l)" "$p" "$(echo "600 / $p" | bc -l)" "$(echo "$p / $m" | bc -l)"
