#!/usr/bin/env bash
# `medley analyze` on a 10-minute 720p H.264 video with speech (issue 7), release build: the first run's wall
# time and real-time factor with the per-stage times from report.json, then the second run (cache).
# The job has no single peer tool; its stages are benchmarked against theirs in bench/asr.sh, bench/scenes.sh,
# bench/vision.sh, bench/audio.sh and bench/vad.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${MEDLEY_SCRATCH:-.build}"
out=bench/out/analyze
mkdir -p "$out" bench/media
if [ -z "${MEDLEY:-}" ]; then
    swift build -c release --product medley --scratch-path "$scratch" >&2
    MEDLEY="$(swift build -c release --product medley --scratch-path "$scratch" --show-bin-path)/medley"
fi
export MEDLEY_HOME="$out/home"
rm -rf "$MEDLEY_HOME"
video=bench/media/talk-720p-10min.mp4
font=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
if [ ! -s "$video" ]; then
    echo "== making $video (10 shots of 60 s, 1280x720 25 fps, on-screen titles, espeak-ng narration)" >&2
    tmp=$(mktemp -d)
    sources=(testsrc2 smptehdbars mandelbrot "life=s=1280x720:mold=10:r=25:ratio=0.1:death_color=#C83232:life_color=#00ff00:seed=7" testsrc
             "cellauto=s=1280x720:rule=110:seed=3" smptebars "color=c=navy" rgbtestsrc pal100bars)
    for i in $(seq 0 9); do
        src=${sources[$i]}
        case "$src" in *=*) ;; *) src="$src=size=1280x720:rate=25" ;; esac
        ffmpeg -v error -y -f lavfi -i "$src" -t 60 -vf "scale=1280:720,fps=25,drawtext=fontfile=$font:text='Chapter $((i + 1))':fontsize=64:fontcolor=white:box=1:boxcolor=black@0.6:x=60:y=h-140" \
            -c:v libx264 -preset veryfast -pix_fmt yuv420p "$tmp/shot$i.mp4"
        echo "file 'shot$i.mp4'" >> "$tmp/shots.txt"
    done
    ffmpeg -v error -y -f concat -safe 0 -i "$tmp/shots.txt" -c copy "$tmp/video.mp4"
    # 40 narrated lines made of the round-trip sentences (varied text, as real narration is).
    for i in $(seq 1 40); do
        a=$(( (i - 1) % 52 + 1 )); b=$(( (i + 25) % 52 + 1 ))
        espeak-ng -v en-us -w "$tmp/s$i.wav" "$(sed -n "${a}p" bench/roundtrip_sentences.txt) $(sed -n "${b}p" bench/roundtrip_sentences.txt)"
        ffmpeg -v error -y -i "$tmp/s$i.wav" -af "apad=pad_dur=6" -ar 22050 "$tmp/p$i.wav"
        echo "file 'p$i.wav'" >> "$tmp/speech.txt"
    done
    ffmpeg -v error -y -f concat -safe 0 -i "$tmp/speech.txt" -af "apad" -t 600 "$tmp/speech.wav"
    ffmpeg -v error -y -i "$tmp/video.mp4" -i "$tmp/speech.wav" -map 0:v -map 1:a -c:v copy -c:a aac -b:a 96k -t 600 "$video.partial.mp4"
    mv "$video.partial.mp4" "$video"
    rm -rf "$tmp"
fi
duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$video")
s=$(date +%s.%N); "$MEDLEY" analyze "$video" -o "$out/report" > "$out/first.txt"; e=$(date +%s.%N)
first=$(echo "$e - $s" | bc)
s=$(date +%s.%N); "$MEDLEY" analyze "$video" -o "$out/report" > "$out/second.txt"; e=$(date +%s.%N)
second=$(echo "$e - $s" | bc)
printf 'medley analyze, %.0f s 720p video: first run %.1f s = %.3fx real time (target <= 0.5), second run %.2f s\n' \
    "$duration" "$first" "$(echo "$first / $duration" | bc -l)" "$second"
python3 - "$out/report/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))

print(f"  scenes: {len(r['scenes'])}, transcript segments: {len(r['speech']['segments']) if r['speech'] else 0}, "
      f"lines of on-screen text: {sum(len(s['text']) for s in r['scenes'])}")
PY
# Per-stage times of the first run, from its run record.
first_run=$(sed -n 's/.*run \([0-9]*-[0-9]*-[0-9a-f]*\)$/\1/p' "$out/first.txt")
"$MEDLEY" runs show "$first_run" | sed -n '1,16p'
