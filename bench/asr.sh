#!/usr/bin/env bash
# Speech recognition: Medley's Whisper (release build, WhisperBenchmarkTests) against faster-whisper 1.2.1
# (CTranslate2 float32, 2 threads; bench/asr_reference.py) on the same models and clips, greedy decoding at
# temperature 0. The two run alternately, RUNS rounds; the table shows the best wall and CPU time of each.
# Workloads: model load, one 30 s encoder window, one decoder step (cross-attention projection included),
# and transcribing Beckett (10 s) and Beckett x6 (59.8 s) with tiny.en, Beckett with base.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
SCRATCH=${MEDLEY_ASR_SCRATCH:-.build-asr-rel}
STORE=${MEDLEY_MODELS:-$HOME/.medley/models}
CLIP=Tests/Fixtures/speech/beckett.wav

python3 -c "import faster_whisper" 2>/dev/null ||
    python3 -m pip install --quiet faster-whisper==1.2.1 ctranslate2==4.8.5
swift build --quiet -c release -Xswiftc -enable-testing --scratch-path "$SCRATCH" --build-tests

run_reference() { python3 bench/asr_reference.py "$STORE" "$CLIP" 1 | grep '^ASR-BENCH ' >> "$out"; }
run_medley() {
    MEDLEY_ASR_BENCH=1 MEDLEY_ASR_BENCH_RUNS=1 swift test --skip-build -c release -Xswiftc -enable-testing \
        --scratch-path "$SCRATCH" --filter MedleySpeechTests.WhisperBenchmarkTests 2>&1 | grep '^ASR-BENCH ' >> "$out"
}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for round in $(seq "$ROUNDS"); do
    echo "round $round/$ROUNDS (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
    # Alternate which engine goes first, so neither always meets the same background load.
    if [ $((round % 2)) -eq 1 ]; then run_reference; run_medley; else run_medley; run_reference; fi
done

python3 - "$out" <<'PY'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    r = json.loads(line[len("ASR-BENCH "):])
    key = (r["model"], r["what"])
    best = rows.setdefault(key, {}).setdefault(r["engine"], {"wall": float("inf"), "cpu": float("inf")})
    best["wall"] = min(best["wall"], r["wall"])
    best["cpu"] = min(best["cpu"], r["cpu"])
    if "text" in r:
        best.setdefault("texts", set()).add(r["text"])
def ms(x): return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"
print("| model | work | faster-whisper wall / CPU | Medley wall / CPU | speed-up wall / CPU |")
print("|---|---|---|---|---|")
for (model, what), engines in rows.items():
    p, m = engines.get("faster-whisper"), engines.get("medley")
    if not p or not m:
        continue
    print(f"| {model} | {what} | {ms(p['wall'])} / {ms(p['cpu'])} | {ms(m['wall'])} / {ms(m['cpu'])} | "
          f"{p['wall'] / m['wall']:.2f}x / {p['cpu'] / m['cpu']:.2f}x |")
for (model, what), engines in rows.items():
    texts = [t for e in engines.values() for t in e.get("texts", ())]
    if texts and len(set(texts)) != 1:
        print(f"note: {model} {what}: the transcripts differ between engines or runs: {sorted(set(texts))}")
PY
