#!/usr/bin/env bash
# Scene detection benchmark (issue 7), release build, Medley and PySceneDetect in the same run:
#   a 10-minute 1280x720 25 fps H.264 (yuv420p) video of 60 shots of 10 s from deterministic lavfi sources,
#   cut truth at every 250th frame; `medley scenes --json` (content detector, defaults) against PySceneDetect
#   0.7.2's ContentDetector through `scenedetect.detect` (defaults), both timed as whole runs; F1 of both
#   against the truth with +-2 frames tolerance.
#
#   bench/scenes.sh        # MEDLEY_SCRATCH: scratch path (.build); SCENES_VENV: PySceneDetect venv (bench/.venv-scenes)
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${MEDLEY_SCRATCH:-.build}"
media=bench/media
venv="${SCENES_VENV:-bench/.venv-scenes}"
mkdir -p "$media"

echo "== building medley (release, scratch path $scratch)" >&2
swift build -c release --product medley --scratch-path "$scratch" >&2
medley="$(swift build -c release --product medley --scratch-path "$scratch" --show-bin-path)/medley"

if ! "$venv/bin/python" -c 'import scenedetect, cv2' 2>/dev/null; then
    echo "== installing PySceneDetect into $venv (pip install scenedetect opencv-python-headless)" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet scenedetect opencv-python-headless >&2
fi
python="$venv/bin/python"

video="$media/shots-60x10s-720p25.mp4"
truth="$media/shots-60x10s-720p25.truth.json"
if [ ! -s "$video" ] || [ ! -s "$truth" ]; then
    echo "== making $video (60 shots x 10 s, 1280x720, 25 fps; takes a few minutes)" >&2
    parts=$(mktemp -d)
    trap 'rm -rf "$parts"' EXIT
    size=1280x720
    small=640x360
    # Ten kinds of shot; each cycle changes the hue, seed or zoom so that no two shots are alike.
    rules=(30 90 110 150 182 60)
    for shot in $(seq 0 59); do
        kind=$((shot % 10)); cycle=$((shot / 10)); hue=$((cycle * 55))
        case $kind in
            0) src="testsrc2=s=$size:r=25,hue=h=$hue" ;;
            1) src="mandelbrot=s=$small:r=25:start_scale=$((2 + cycle)):end_scale=0.3,scale=$size" ;;
            2) src="smptehdbars=s=$size:r=25,hue=h=$hue" ;;
            3) src="cellauto=s=$small:r=25:rule=${rules[$cycle]}:seed=$((shot + 1)),scale=$size" ;;
            4) src="testsrc=s=$size:r=25,hue=h=$hue" ;;
            5) src="life=s=$small:r=25:seed=$((shot + 1)):mold=10:life_color=#$(printf '%02x' $((255 - cycle * 30)))ff40:death_color=#202080:mold_color=#$(printf '%02x' $((40 + cycle * 30)))4000,scale=$size" ;;
            6) src="rgbtestsrc=s=$size:r=25,hue=h=$hue" ;;
            7) src="color=c=0x$(printf '%02x%02x%02x' $((20 + cycle * 35)) $((200 - cycle * 25)) $((90 + cycle * 20))):s=$size:r=25,drawbox=x='mod(t*200,1180)':y=300:w=100:h=100:c=white:t=fill" ;;
            8) src="yuvtestsrc=s=$size:r=25,hue=h=$hue" ;;
            9) src="pal100bars=s=$size:r=25,hue=h=$hue,drawbox=x=0:y='mod(t*150,620)':w=1280:h=100:c=black:t=fill" ;;
        esac
        ffmpeg -v error -nostdin -y -f lavfi -i "$src,trim=duration=10,format=yuv420p" \
            -c:v libx264 -preset veryfast -pix_fmt yuv420p -r 25 "$parts/$(printf '%02d' "$shot").mp4"
        echo "file '$parts/$(printf '%02d' "$shot").mp4'" >> "$parts/list.txt"
    done
    ffmpeg -v error -nostdin -y -f concat -safe 0 -i "$parts/list.txt" -c copy "$video"
    rm -rf "$parts"
    python3 -c 'import json; print(json.dumps({"cut_frames": [250 * k for k in range(1, 60)]}))' > "$truth"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Wall and CPU (user + system) time of a whole process, "wall cpu" in seconds, into $work/$1.time.
timed() {
    local name=$1
    shift
    /usr/bin/time -f "%e %U %S" -o "$work/$name.time" "$@"
}

echo "== medley scenes (release)" >&2
timed medley "$medley" scenes "$video" --json > "$work/medley.json" 2>/dev/null
echo "== PySceneDetect ContentDetector" >&2
timed peer "$python" bench/scenes_peer.py detect "$video" > "$work/peer.json"
uptime >&2

python3 bench/scenes_peer.py score "$truth" "$work/medley.json" > "$work/medley.score"
python3 bench/scenes_peer.py score "$truth" "$work/peer.json" > "$work/peer.score"
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
def times(name):
    wall, user, system = map(float, open(f"{work}/{name}.time").read().split()[-3:])
    return wall, user + system
medley_s, medley_cpu = times("medley")
peer_s, peer_cpu = times("peer")
peer_inner = json.load(open(f"{work}/peer.json"))["seconds"]
m = json.load(open(f"{work}/medley.score"))
p = json.load(open(f"{work}/peer.score"))
print(f"video: 10 min 1280x720 25 fps H.264, 60 shots, 59 true cuts (tolerance +-2 frames)")
print(f"medley scenes (content)      {medley_s:7.2f} s wall, {medley_cpu:.2f} s CPU  F1 {m['f1']:.4f}  P {m['precision']:.4f}  R {m['recall']:.4f}  missed {m['missed']}  extra {m['extra']}")
print(f"PySceneDetect ContentDetector {peer_s:6.2f} s wall, {peer_cpu:.2f} s CPU ({peer_inner:.2f} s inside detect())  F1 {p['f1']:.4f}  P {p['precision']:.4f}  R {p['recall']:.4f}  missed {p['missed']}  extra {p['extra']}")
print(f"speed-up (whole runs): {peer_s / medley_s:.2f}x wall, {peer_cpu / medley_cpu:.2f}x CPU")
PY
