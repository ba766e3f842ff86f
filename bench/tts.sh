#!/usr/bin/env bash
# Text-to-speech real-time factor: the release `medley speak` reads bench/roundtrip_sentences.txt (52 sentences,
# about 3-4 minutes of speech) with the Piper voice and with espeak-ng, RUNS times each; the best wall time of
# the whole command (model load and WAV writing included) divided by the audio's duration is the real-time
# factor (below 1 is faster than real time; the target for Piper is <= 0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
if [ -z "${MEDLEY:-}" ]; then
    swift build --quiet -c release --product medley
    MEDLEY=.build/release/medley
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for voice in piper-en_US-joe-medium espeak:en-us; do
    best=
    for _ in $(seq "$RUNS"); do
        s=$(date +%s.%N)
        "$MEDLEY" speak -f bench/roundtrip_sentences.txt --voice "$voice" --seed 1 -o "$work/out.wav" > /dev/null
        e=$(date +%s.%N)
        wall=$(echo "$e - $s" | bc)
        if [ -z "$best" ] || [ "$(echo "$wall < $best" | bc)" = 1 ]; then best=$wall; fi
    done
    audio=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/out.wav")
    printf 'tts %s: %.1f s of speech in %.2f s (best of %d), real-time factor %.3f\n' \
        "$voice" "$audio" "$best" "$RUNS" "$(echo "$best / $audio" | bc -l)"
done
