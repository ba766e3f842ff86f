#!/usr/bin/env bash
# Workflow engine benchmark (issue 6), release build:
#   1. validating a generated 10,000-node graph (`medley run G --check`, process start included);
#   2. engine overhead per node: 10,000 trivial nodes (table.concat of nothing) run with --no-cache, minus the
#      validation run, divided by 10,000 (the records and cache writes of every node included);
#   3. the shipped subtitle workflow on a 60 s talk, first run against second run (cache).
# The peer is the engine itself: there is no other workflow engine installed here to run the same graph.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${MEDLEY_SCRATCH:-.build}"
out=bench/out/workflow
mkdir -p "$out" bench/media
if [ -z "${MEDLEY:-}" ]; then
    swift build -c release --product medley --scratch-path "$scratch" >&2
    MEDLEY="$(swift build -c release --product medley --scratch-path "$scratch" --show-bin-path)/medley"
fi
export MEDLEY_HOME="$out/home"
rm -rf "$MEDLEY_HOME"

seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
best() { sort -n | head -1; }

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
n = 10_000
# 10,000 independent nodes.
nodes = {f"n{i}": {"type": "table.concat", "inputs": {"tables": []}} for i in range(n)}
json.dump({"name": "flat-10000", "nodes": nodes}, open(f"{out}/flat-10000.json", "w"))
# 10,000 nodes, half of them reading the node before (5,000 typed links to check).
nodes = {}
for i in range(n):
    nodes[f"n{i}"] = {"type": "table.csv", "inputs": {"table": [f"n{i-1}", "table"]}} if i % 2 else \
        {"type": "table.concat", "inputs": {"tables": []}}
json.dump({"name": "mixed-10000", "nodes": nodes}, open(f"{out}/mixed-10000.json", "w"))
PY

check=$(for i in 1 2 3; do seconds "$MEDLEY" run "$out/flat-10000.json" --check; done | best)
mixed=$(for i in 1 2 3; do seconds "$MEDLEY" run "$out/mixed-10000.json" --check; done | best)
start=$(for i in 1 2 3; do seconds "$MEDLEY" version; done | best)
run=$(for i in 1 2 3; do seconds "$MEDLEY" run "$out/flat-10000.json" --no-cache; done | best)
cached=$(for i in 1 2 3; do seconds "$MEDLEY" run "$out/flat-10000.json"; done | best)
printf 'validate 10,000 nodes (flat): %.3f s, with 5,000 links: %.3f s (process start %.3f s)\n' "$check" "$mixed" "$start"
printf 'run 10,000 trivial nodes, --no-cache: %.3f s -> engine overhead %.3f ms per node\n' "$run" \
    "$(echo "($run - $check) * 1000 / 10000" | bc -l)"
printf 'run 10,000 trivial nodes, all cached: %.3f s -> %.3f ms per node\n' "$cached" \
    "$(echo "($cached - $check) * 1000 / 10000" | bc -l)"

talk=bench/media/talk-60s.mp4
if [ ! -s "$talk" ]; then
    tmp=$(mktemp -d)
    ffmpeg -v error -y -f lavfi -i testsrc2=size=640x360:rate=25:duration=60 -pix_fmt yuv420p "$tmp/v.mp4"
    # Six different sentences (a narration that repeats itself makes Whisper fall back to sampling).
    for i in 1 2 3 4 5 6; do
        espeak-ng -v en-us -w "$tmp/s$i.wav" "$(sed -n "${i}p" bench/roundtrip_sentences.txt) $(sed -n "$((i + 20))p" bench/roundtrip_sentences.txt)"
    done
    for i in 1 2 3 4 5 6; do echo "file 's$i.wav'"; echo "file 'gap.wav'"; done > "$tmp/list.txt"
    ffmpeg -v error -y -f lavfi -i anullsrc=r=22050:cl=mono -t 4 "$tmp/gap.wav"
    ffmpeg -v error -y -f concat -safe 0 -i "$tmp/list.txt" -af apad -t 60 "$tmp/a.wav"
    ffmpeg -v error -y -i "$tmp/v.mp4" -i "$tmp/a.wav" -c:v copy -c:a aac -shortest "$talk.partial.mp4"
    mv "$talk.partial.mp4" "$talk"
    rm -rf "$tmp"
fi
first=$(seconds "$MEDLEY" run subtitle --set input=bench/media/talk-60s.mp4 -o "$out/subtitle")
second=$(for i in 1 2 3; do seconds "$MEDLEY" run subtitle --set input=bench/media/talk-60s.mp4 -o "$out/subtitle"; done | best)
printf 'subtitle workflow on a 60 s talk: first run %.2f s, second run %.3f s = %.1f%% of the first (target < 5%%)\n' \
    "$first" "$second" "$(echo "$second * 100 / $first" | bc -l)"
