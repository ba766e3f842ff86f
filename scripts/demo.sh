#!/usr/bin/env bash
# The demo behind `make demo`: makes a sample video (three shots with on-screen text, narration spoken by
# Medley's own TTS), then runs Medley's capabilities on it and prints what they found. Results are kept
# in demo-out/. (`medley analyze`, the one-command report, comes with a later issue.)
set -euo pipefail
MEDLEY=${1:-.build/release/medley}
out=${DEMO_OUT:-demo-out}
mkdir -p "$out"
sample=$out/sample.mp4

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Making the sample video ($sample) with Medley's text-to-speech"
scripts/make-sample.sh "$sample" "$MEDLEY" >/dev/null
"$MEDLEY" probe "$sample"

step "medley vad: where is the speech?"
"$MEDLEY" vad "$sample"

step "medley transcribe: what is said? (Whisper tiny.en, written in Swift)"
"$MEDLEY" transcribe "$sample" --format srt -o "$out/sample.srt"
cat "$out/sample.srt"

step "medley ocr: what is written on screen? (PP-OCRv4, one frame every 4 s)"
"$MEDLEY" ocr "$sample" --fps 0.25

step "medley loudness: how loud is it? (EBU R128)"
"$MEDLEY" loudness "$sample"

step "medley models audit: which models, under which licenses?"
"$MEDLEY" models audit --policy commercial

printf '\nAll results are in %s/\n' "$out"
