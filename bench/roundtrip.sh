#!/usr/bin/env bash
# Round trip: every sentence of bench/roundtrip_sentences.txt (52 varied English sentences) is spoken by the
# Piper voice and by two espeak-ng voices with the release `medley speak`, transcribed by the release
# `medley transcribe` (whisper-tiny.en), and scored by word error rate against the text (bench/wer.py:
# lower case, punctuation dropped, then word-level Levenshtein distance over all sentences of a voice).
# Acceptance: WER <= 10 % on the Piper set. VOICES and MODEL override the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
VOICES=${VOICES:-"piper-en_US-joe-medium espeak:en-us espeak:en-gb"}
MODEL=${MODEL:-whisper-tiny.en}
if [ -z "${MEDLEY:-}" ]; then
    swift build --quiet -c release --product medley
    MEDLEY=.build/release/medley
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sentences=bench/roundtrip_sentences.txt
start=$(date +%s)
for voice in $VOICES; do
    tag=${voice//:/_}
    : > "$work/$tag.hyp"
    i=0
    while IFS= read -r sentence; do
        [ -n "$sentence" ] || continue
        i=$((i + 1))
        "$MEDLEY" speak "$sentence" --voice "$voice" --seed 1 -o "$work/$tag-$i.wav" < /dev/null > /dev/null
        # One line per sentence: the transcript's segments joined.
        "$MEDLEY" transcribe "$work/$tag-$i.wav" --model "$MODEL" < /dev/null 2>/dev/null | tr '\n' ' ' >> "$work/$tag.hyp"
        echo >> "$work/$tag.hyp"
    done < "$sentences"
done
echo "round trip of $(grep -c . "$sentences") sentences per voice, model $MODEL, $(( $(date +%s) - start )) s" >&2
for voice in $VOICES; do
    python3 bench/wer.py "$sentences" "$work/${voice//:/_}.hyp" "$voice"
done
