#!/usr/bin/env bash
# Media decoding benchmark (issue 2): Medley's VideoDecoder and AudioDecoder against the ffmpeg CLI doing the
# same work, in one run, best of 3 each; then peak memory of streaming the audio of a 2-hour file.
#
#   bench/decode.sh            # builds medley-bench (release), makes the media in bench/media, prints figures
#   MEDLEY_SCRATCH=.build-x bench/decode.sh   # use another SwiftPM scratch path
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${MEDLEY_SCRATCH:-.build}"
media=bench/media
mkdir -p "$media"

echo "== building medley-bench (release, scratch path $scratch)" >&2
swift build -c release --product medley-bench --scratch-path "$scratch" >&2
bench="$(swift build -c release --product medley-bench --scratch-path "$scratch" --show-bin-path)/medley-bench"

timer=/usr/bin/time
if [ ! -x "$timer" ]; then
    echo "== installing GNU time for peak memory" >&2
    apt-get install -y -qq time >&2 || { apt-get update -qq >&2 && apt-get install -y -qq time >&2; }
fi

video="$media/720p25-60s.mp4"
if [ ! -s "$video" ]; then
    echo "== making $video (60 s, 1280x720, 25 fps H.264 yuv420p + AAC)" >&2
    ffmpeg -v error -nostdin -y \
        -f lavfi -i testsrc2=size=1280x720:rate=25:duration=60 \
        -f lavfi -i sine=frequency=440:sample_rate=48000:duration=60 \
        -c:v libx264 -pix_fmt yuv420p -c:a aac -b:a 128k "$video"
fi
long="$media/sine-2h.m4a"
if [ ! -s "$long" ]; then
    echo "== making $long (2 hours of AAC, 32 kb/s)" >&2
    ffmpeg -v error -nostdin -y -f lavfi -i sine=frequency=440:sample_rate=22050:duration=7200 \
        -c:a aac -b:a 32k "$long"
fi

# "wall cpu" seconds of one run of a command (stdout discarded); cpu is user + system time, which other
# processes on a busy machine disturb far less than wall time.
measure() {
    local out
    out=$(mktemp)
    "$timer" -f "%e %U %S" -o "$out" "$@" > /dev/null
    awk '{ printf "%.3f %.3f", $1, $2 + $3 }' "$out"
    rm -f "$out"
}

# Runs a peer command and Medley's alternately 3 times (so both meet the same machine load) and prints
# "peer_wall peer_cpu medley_wall medley_cpu", each the best of its 3.
# Usage: race "peer command" "medley command" (word-split on purpose; paths have no spaces).
race() {
    local pw="" pc="" mw="" mc="" w c
    for _ in 1 2 3; do
        read -r w c <<< "$(measure $1)"
        pw=$(awk -v a="$w" -v b="$pw" 'BEGIN { print (b == "" || a < b) ? a : b }')
        pc=$(awk -v a="$c" -v b="$pc" 'BEGIN { print (b == "" || a < b) ? a : b }')
        read -r w c <<< "$(measure $2)"
        mw=$(awk -v a="$w" -v b="$mw" 'BEGIN { print (b == "" || a < b) ? a : b }')
        mc=$(awk -v a="$c" -v b="$mc" 'BEGIN { print (b == "" || a < b) ? a : b }')
    done
    echo "$pw $pc $mw $mc"
}

ratio() { awk -v peer="$1" -v ours="$2" 'BEGIN { printf "%.2f", peer / ours }'; }

echo "== video: every frame to RGB24 at native size" >&2
read -r ffv_w ffv_c mv_w mv_c <<< "$(race "ffmpeg -v error -nostdin -i $video -f rawvideo -pix_fmt rgb24 -y /dev/null" "$bench decode-video $video")"
read -r ffo_w ffo_c mo_w mo_c <<< "$(race "ffmpeg -v error -nostdin -i $video -f rawvideo -pix_fmt rgb24 -y /dev/null" "$bench decode-video $video --owned")"
frames=$("$bench" decode-video "$video" | sed -n 's/.*"frames":\([0-9]*\).*/\1/p')

echo "== audio: to 16 kHz mono Float32" >&2
read -r ffa_w ffa_c ma_w ma_c <<< "$(race "ffmpeg -v error -nostdin -i $video -vn -ar 16000 -ac 1 -f f32le -y /dev/null" "$bench decode-audio $video")"

echo "== 2-hour audio: streamed, peak memory" >&2
rss_out=$(mktemp)
"$timer" -v "$bench" decode-audio "$long" > "$rss_out.json" 2> "$rss_out"
medley_long=$(sed -n 's/.*"seconds":\([0-9.]*\).*/\1/p' "$rss_out.json" | awk '{ printf "%.3f", $1 }')
medley_rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$rss_out")
# The same decode of the 60 s file: with streaming, 2 hours must need no more memory than 1 minute.
"$timer" -v "$bench" decode-audio "$video" > /dev/null 2> "$rss_out"
short_rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$rss_out")
"$timer" -v ffmpeg -v error -nostdin -i "$long" -vn -ar 16000 -ac 1 -f f32le -y /dev/null 2> "$rss_out"
ff_rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$rss_out")
ff_long=$(measure ffmpeg -v error -nostdin -i "$long" -vn -ar 16000 -ac 1 -f f32le -y /dev/null | cut -d' ' -f1)
rm -f "$rss_out" "$rss_out.json"

cat <<REPORT
date: $(date -u +%Y-%m-%dT%H:%MZ)   machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(ffmpeg -version | head -1 | cut -d' ' -f1-3)
speed = ffmpeg time / Medley time (>= 1 is as fast or faster); wall and CPU (user+sys) seconds, best of 3 each.
video $video ($frames frames), every frame to RGB24 at native size:
  ffmpeg -i F -f rawvideo -pix_fmt rgb24 -y /dev/null    wall ${ffv_w} s  cpu ${ffv_c} s
  medley-bench decode-video F  (no-copy withNextFrame)    wall ${mv_w} s  cpu ${mv_c} s   speed wall $(ratio "$ffv_w" "$mv_w")x  cpu $(ratio "$ffv_c" "$mv_c")x
  ffmpeg (again, raced against --owned)                   wall ${ffo_w} s  cpu ${ffo_c} s
  medley-bench decode-video F --owned (Image per frame)   wall ${mo_w} s  cpu ${mo_c} s   speed wall $(ratio "$ffo_w" "$mo_w")x  cpu $(ratio "$ffo_c" "$mo_c")x
audio of the same file to 16 kHz mono f32:
  ffmpeg -i F -vn -ar 16000 -ac 1 -f f32le -y /dev/null   wall ${ffa_w} s  cpu ${ffa_c} s
  medley-bench decode-audio F                             wall ${ma_w} s  cpu ${ma_c} s   speed wall $(ratio "$ffa_w" "$ma_w")x  cpu $(ratio "$ffa_c" "$ma_c")x
2-hour AAC file $long (7200 s), streamed to 16 kHz mono:
  medley-bench decode-audio: wall ${medley_long} s, peak RSS $((medley_rss_kb / 1024)) MB (limit 100 MB; the 60 s file: $((short_rss_kb / 1024)) MB)
  ffmpeg, same conversion:   wall ${ff_long} s, peak RSS $((ff_rss_kb / 1024)) MB
REPORT
if [ "$((medley_rss_kb / 1024))" -ge 100 ]; then echo "FAIL: peak RSS over 100 MB" >&2; exit 1; fi
