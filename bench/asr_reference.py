"""Peer for bench/asr.sh: faster-whisper 1.2.1 (CTranslate2, compute_type float32, 2 CPU threads, greedy,
temperature 0) on the same clips and models as Medley's WhisperBenchmarkTests. Prints one JSON line per
measurement, prefixed with "ASR-BENCH ", in the same shape.

usage: asr_reference.py MODEL_STORE BECKETT_WAV [RUNS]
"""
import json
import os
import resource
import sys
import time
import wave

import numpy as np
import ctranslate2
from faster_whisper import WhisperModel


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def emit(**fields):
    print("ASR-BENCH " + json.dumps(fields, sort_keys=True), flush=True)


def timed(body):
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = body()
    return result, time.perf_counter() - wall, cpu_seconds() - cpu


def main():
    store, clip = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    with wave.open(clip) as w:
        beckett = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768
    minute = np.concatenate([beckett] * 6)
    for model_id, clips in [("whisper-tiny.en", [("beckett", beckett), ("beckett-x6", minute)]),
                            ("whisper-base", [("beckett", beckett)])]:
        path = os.path.join(store, model_id)
        model, wall, cpu = timed(lambda: WhisperModel(path, device="cpu", compute_type="float32", cpu_threads=2))
        emit(engine="faster-whisper", model=model_id, what="load", wall=wall, cpu=cpu)

        features = model.feature_extractor(beckett)
        window = np.zeros((features.shape[0], 3000), dtype=np.float32)
        window[:, :features.shape[1] - 1] = features[:, :-1]
        storage = ctranslate2.StorageView.from_array(window[None])
        for _ in range(runs):
            _, wall, cpu = timed(lambda: model.model.encode(storage))
            emit(engine="faster-whisper", model=model_id, what="encode-window", wall=wall, cpu=cpu)

        # Decoder steps: generation with end-of-text suppressed, so it runs to the length limit; the time
        # includes the one-off cross-attention projection, as Medley's figure does.
        encoded = model.model.encode(storage)
        sot, eot = model.hf_tokenizer.token_to_id("<|startoftranscript|>"), model.hf_tokenizer.token_to_id("<|endoftext|>")
        notimestamps = model.hf_tokenizer.token_to_id("<|notimestamps|>")
        for _ in range(runs):
            result, wall, cpu = timed(lambda: model.model.generate(
                encoded, [[sot, notimestamps]], beam_size=1, max_length=101, suppress_tokens=[-1, eot])[0])
            steps = len(result.sequences_ids[0]) + 1
            emit(engine="faster-whisper", model=model_id, what="decode-step", wall=wall / steps, cpu=cpu / steps,
                 steps=steps)

        for name, samples in clips:
            for _ in range(runs):
                def run():
                    segments, _ = model.transcribe(samples, language="en", beam_size=1, temperature=0)
                    return list(segments)
                segments, wall, cpu = timed(run)
                emit(engine="faster-whisper", model=model_id, what="transcribe-" + name, wall=wall, cpu=cpu,
                     audio=len(samples) / 16000, segments=len(segments),
                     text="".join(s.text for s in segments).strip())


if __name__ == "__main__":
    main()
