#!/usr/bin/env bash
# Generates the demo's sample video: three shots with on-screen text, narrated speech with pauses between
# sentences, 1280x720 H.264 + AAC. Deterministic (lavfi sources with fixed content; espeak-ng is deterministic).
# usage: scripts/make-sample.sh OUT.mp4 [PATH/TO/medley]
#   With a medley binary, each sentence is spoken by Medley's own TTS (the Piper voice, fixed seed);
#   without one, by the espeak-ng CLI.
set -euo pipefail
out=${1:?usage: make-sample.sh OUT.mp4}
medley=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
font=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf

sentences=(
  "Welcome to Medley, an open multimedia engine that runs on your own computer."
  "It listens to speech, reads the text on screen, and finds the cuts between shots."
  "Every model it uses carries a card with its license and checksum."
)
titles=("Medley demo" "Listen, read, look" "Open models only")
sources=("testsrc2=size=1280x720:rate=25" "mandelbrot=size=1280x720:rate=25" "smptehdbars=size=1280x720:rate=25")

parts=()
for i in 0 1 2; do
    wav=$work/speech$i.wav
    if [ -n "$medley" ]; then
        "$medley" speak "${sentences[$i]}" --seed 7 -o "$wav" >/dev/null
    else
        espeak-ng -v en-us -s 150 -w "$wav" "${sentences[$i]}"
    fi
    # Each shot: 1 s of silence, the sentence, 1.5 s of silence; the shot lasts as long as its audio.
    ffmpeg -v error -y -f lavfi -i anullsrc=r=22050:cl=mono -i "$wav" -filter_complex \
        "[0]atrim=duration=1[a0];[1]aresample=22050,aformat=channel_layouts=mono[s];[0]atrim=duration=1.5[a1];[a0][s][a1]concat=n=3:v=0:a=1" \
        "$work/audio$i.wav"
    duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/audio$i.wav")
    ffmpeg -v error -y -f lavfi -i "${sources[$i]}" -i "$work/audio$i.wav" -t "$duration" \
        -vf "drawtext=fontfile=$font:text='${titles[$i]}':fontsize=64:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=20:x=(w-text_w)/2:y=h-160" \
        -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -b:a 96k -ar 44100 "$work/shot$i.mp4"
    parts+=("$work/shot$i.mp4")
done
printf "file '%s'\n" "${parts[@]}" > "$work/list.txt"
ffmpeg -v error -y -f concat -safe 0 -i "$work/list.txt" -c copy -movflags +faststart "$out"
echo "$out"
