#!/usr/bin/env bash
# The demo behind `make demo`: makes a sample video (three shots with on-screen text, narration spoken by
# Medley's own TTS), runs `medley analyze` on it, and prints the path of the report page. Everything is kept in
# demo-out/ (the run database and cache in demo-out/home, so a second `make demo` is answered from the cache).
set -euo pipefail
MEDLEY=${1:-.build/release/medley}
out=${DEMO_OUT:-demo-out}
mkdir -p "$out"
export MEDLEY_HOME=${MEDLEY_HOME:-$out/home}
sample=$out/sample.mp4

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ ! -s "$sample" ]; then
    step "Making the sample video ($sample), narrated by Medley's text-to-speech"
    scripts/make-sample.sh "$sample" "$MEDLEY" >/dev/null
fi
"$MEDLEY" probe "$sample"

step "medley analyze $sample -o $out/report"
"$MEDLEY" analyze "$sample" -o "$out/report"

step "What was said (transcript.srt, Whisper tiny.en written in Swift)"
cat "$out/report/transcript.srt"

step "Open the report in a browser:"
echo "$(cd "$out/report" && pwd)/index.html"
