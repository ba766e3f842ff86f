#!/usr/bin/env bash
# Audio analysis benchmark and accuracy checks (issue 4): medley loudness / features / pitch / beats against
# ffmpeg's ebur128 filter, librosa 0.11 and openSMILE (eGeMAPSv02), in one run. Prints Markdown for
# bench/RESULTS.md ("## Audio analysis (issue 4)").
#
#   bench/audio.sh                            # builds medley (release), makes media in bench/media/audio, runs all
#   MEDLEY_SCRATCH=.build-x bench/audio.sh    # another SwiftPM scratch path
#   MEDLEY_BIN=path/to/medley bench/audio.sh  # use an existing release binary
#   AUDIO_BENCH_SKIP=accuracy|speed           # run only one half
#
# Peers are installed with pip when missing: librosa, soxr, soundfile, opensmile.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${MEDLEY_SCRATCH:-.build}"
media=bench/media/audio
mkdir -p "$media"
skip="${AUDIO_BENCH_SKIP:-}"

if [ -n "${MEDLEY_BIN:-}" ]; then
    medley="$MEDLEY_BIN"
else
    echo "== building medley (release, scratch path $scratch)" >&2
    swift build -c release --product medley --scratch-path "$scratch" >&2
    medley="$(swift build -c release --product medley --scratch-path "$scratch" --show-bin-path)/medley"
fi
python3 -c "import librosa, soxr, soundfile, opensmile" 2>/dev/null || {
    echo "== installing the peers (pip install librosa soxr soundfile opensmile)" >&2
    python3 -m pip install -q librosa soxr soundfile opensmile >&2
}
timer=/usr/bin/time
[ -x "$timer" ] || { apt-get install -y -qq time >&2 || { apt-get update -qq >&2 && apt-get install -y -qq time >&2; }; }
peers="python3 bench/audio/peers.py"

make_media() {  # name, ffmpeg arguments...
    local out="$media/$1"; shift
    [ -s "$out" ] || ffmpeg -v error -nostdin -y "$@" "$out"
}
echo "== making test media in $media" >&2
# 10 minutes of music-like audio, 44.1 kHz stereo 16-bit WAV: tones changing every beat at 120 BPM, a kick, pink noise.
make_media music-10min.wav -f lavfi -i "aevalsrc='0.3*sin(2*PI*(220+110*floor(mod(t,8)))*t)*exp(-3*mod(t,0.5))+0.5*exp(-40*mod(t,0.5))*sin(2*PI*60*t)|0.3*sin(2*PI*(330+55*floor(mod(t,6)))*t)*exp(-3*mod(t,0.5))+0.5*exp(-40*mod(t,0.5))*sin(2*PI*60*t)':s=44100:d=600" \
    -f lavfi -i "anoisesrc=color=pink:a=0.05:r=44100:d=600:seed=3" -filter_complex "[0][1]amix=inputs=2:normalize=0" -c:a pcm_s16le
# 3 hours of mono Opus at 16 kb/s (50 MB): streaming and memory.
make_media sine-3h.opus -f lavfi -i "sine=f=440:r=48000:d=10800" -af volume=-12dB -c:a libopus -b:a 16k
# Loudness set: levels set with ffmpeg's loudnorm-free arithmetic (volume), checked against ebur128.
make_media sine1k-48k.wav -f lavfi -i "sine=f=1000:r=48000:d=20" -af volume=-4.96dB
make_media pink-48k.wav -f lavfi -i "anoisesrc=color=pink:r=48000:d=20:seed=1:a=0.12"
make_media pink-44k1.wav -f lavfi -i "anoisesrc=color=pink:r=44100:d=20:seed=1:a=0.12"
[ -s "$media/speech-22k.wav" ] || espeak-ng -w "$media/speech-22k.wav" "Loudness of speech has pauses between the words. The gates of the standard remove them, so the integrated loudness follows the speech and not the silence."
make_media stereo-48k.wav -f lavfi -i "aevalsrc=0.3*sin(2*PI*440*t)*(1+0.5*sin(2*PI*0.3*t))|0.1*sin(2*PI*3000*t):s=48000:d=20"
make_media surround51-48k.wav -f lavfi -i "aevalsrc=0.2*sin(2*PI*300*t)|0.2*sin(2*PI*500*t)|0.2*sin(2*PI*700*t)|0.9*sin(2*PI*50*t)|0.3*sin(2*PI*1100*t)*(1+sin(2*PI*0.2*t))|0.3*sin(2*PI*1300*t):s=48000:d=20:c=5.1"
make_media surround51.m4a -i "$media/surround51-48k.wav" -c:a aac -b:a 256k
make_media clipped-48k.wav -f lavfi -i "sine=f=200:r=48000:d=10" -af "volume=24dB,alimiter=limit=1:level=false"
make_media pink-96k.flac -f lavfi -i "anoisesrc=color=pink:r=96000:d=10:seed=2:a=0.2"
make_media pink-8k.wav -f lavfi -i "anoisesrc=color=pink:r=8000:d=10:seed=2:a=0.2"
make_media video-with-audio.mp4 -f lavfi -i "testsrc2=s=320x240:r=25:d=10" -f lavfi -i "sine=f=500:r=48000:d=10" \
    -pix_fmt yuv420p -c:v libx264 -c:a aac -shortest

if [ "$skip" != "accuracy" ]; then
    echo; echo "### Loudness vs ffmpeg ebur128=peak=true (ffmpeg 5.1)"; echo
    $peers loudness "$medley" "$media"/{sine1k-48k,pink-48k,pink-44k1,speech-22k,stereo-48k,surround51-48k,clipped-48k,pink-8k}.wav \
        "$media"/pink-96k.flac "$media"/surround51.m4a "$media"/video-with-audio.mp4
    echo; echo "### Features vs librosa 0.11 (mfcc, mel = power_to_db(melspectrogram), chroma_stft, spectral; defaults)"; echo
    ffmpeg -v error -nostdin -y -i "$media/music-10min.wav" -t 30 "$media/music-30s.wav"
    $peers features "$medley" "$media/music-30s.wav" "$media/speech-22k.wav"
    echo; echo "### Pitch: error against the true f0 (median / p95 cents), steady frames"; echo
    $peers pitch "$medley" "$media/pitch"
    echo; echo "### Tempo and beats (30 s tracks; F-measure with ±70 ms, against the true beat times)"; echo
    $peers beats "$medley" "$media/beats"
    echo; echo "### Voice set vs openSMILE eGeMAPSv02: Pearson r across 24 espeak-ng utterances"; echo
    python3 bench/audio/voice_compare.py "$medley" "$media/voice"
    echo; echo "### Voice set vs openSMILE eGeMAPSv02 on recorded speech (alsa-utils channel names, pyannote.audio's sample)"; echo
    python3 bench/audio/voice_compare.py "$medley" "$media/voice-real" --real
fi

if [ "$skip" != "speed" ]; then
    echo; echo "### Speed on 10 minutes of 44.1 kHz stereo WAV ($(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"; echo
    long="$media/music-10min.wav"
    # "wall cpu" seconds of the fastest of N runs (stdout discarded); cpu = user + system.
    best() {
        local n="$1"; shift
        local best_line=""
        for _ in $(seq "$n"); do
            local line
            line=$( { $timer -f "%e %U %S" "$@" > /dev/null; } 2>&1 | tail -1 | awk '{ printf "%.3f %.3f", $1, $2 + $3 }')
            if [ -z "$best_line" ] || awk "BEGIN{exit !(${line%% *} < ${best_line%% *})}"; then best_line="$line"; fi
        done
        echo "$best_line"
    }
    librosa_best() {  # kind, runs: a fresh Python process per run, timing librosa.load + the analysis
        local kind="$1" n="$2" best_line=""
        for _ in $(seq "$n"); do
            local line; line=$($peers time-librosa "$kind" "$long" 2>/dev/null | tail -1)
            if [ -z "$best_line" ] || awk "BEGIN{exit !(${line%% *} < ${best_line%% *})}"; then best_line="$line"; fi
        done
        echo "$best_line"
    }
    echo "| task | Medley wall / CPU (s) | peer | peer wall / CPU (s) | speed-up wall / CPU |"
    echo "|---|---|---|---|---|"
    row() {
        awk -v t="$1" -v m="$2" -v p="$3" -v q="$4" 'BEGIN {
            split(m, a, " "); split(q, b, " ");
            printf "| %s | %.2f / %.2f | %s | %.2f / %.2f | %.1fx / %.1fx |\n", t, a[1], a[2], p, b[1], b[2], b[1] / a[1], b[2] / a[2] }'
    }
    m=$(best 3 "$medley" loudness "$long" --json); f=$(best 3 ffmpeg -nostats -v error -i "$long" -af ebur128 -f null -)
    row "loudness (with true peak)" "$m" "ffmpeg -af ebur128 -f null -" "$f"
    f=$(best 3 ffmpeg -nostats -v error -i "$long" -af ebur128=peak=true -f null -)
    row "loudness (with true peak)" "$m" "ffmpeg -af ebur128=peak=true" "$f"
    m=$(best 3 "$medley" features "$long" --set mfcc); p=$(librosa_best mfcc 3)
    row "features --set mfcc (CSV out)" "$m" "librosa.load + mfcc" "$p"
    m=$(best 3 "$medley" beats "$long" --json); p=$(librosa_best beats 3)
    row "beats (tempo, beats, onsets)" "$m" "librosa.load + beat_track + onset_detect" "$p"
    m=$(best 1 "$medley" pitch "$long"); p=$(librosa_best pitch 1)
    row "pitch (pYIN, C2-C7)" "$m" "librosa.load + pyin" "$p"
    m=$(best 3 "$medley" features "$long" --set mfcc); p=$($peers time-librosa-warm mfcc "$long" 2>/dev/null | tail -1)
    row "features --set mfcc" "$m" "same, librosa warm (2nd run in-process)" "$p"
    m=$(best 3 "$medley" beats "$long" --json); p=$($peers time-librosa-warm beats "$long" 2>/dev/null | tail -1)
    row "beats" "$m" "same, librosa warm (2nd run in-process)" "$p"
    m=$(best 3 "$medley" version)
    echo "| (process start-up: medley version) | ${m% *} / ${m#* } | | | |"
    echo
    echo "librosa is timed inside a fresh Python process per run, from just before librosa.load to the end of the"
    echo "analysis (the import of librosa is excluded; the first librosa.load of a process includes its lazy loading)."
    echo; echo "### Streaming: peak memory (max RSS) on 10 minutes vs 3 hours"; echo
    echo "| command | 10 min WAV | 3 h Opus |"
    echo "|---|---|---|"
    memory() {  # label, arguments after the input file
        local label="$1"; shift
        local a b
        a=$( { $timer -f "%M" "$medley" "$label" "$long" "$@" > /dev/null; } 2>&1 | tail -1 )
        b=$( { $timer -f "%M %e" "$medley" "$label" "$media/sine-3h.opus" "$@" > /dev/null; } 2>&1 | tail -1 )
        echo "| medley $label $* | $((a / 1024)) MB | $(( ${b%% *} / 1024 )) MB (${b#* } s) |"
    }
    memory loudness --json
    memory features --set mfcc
    memory beats --json
    memory pitch
fi
