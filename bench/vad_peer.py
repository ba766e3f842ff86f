"""Peer for bench/vad.sh: silero VAD as silero's own OnnxWrapper runs it (onnxruntime, 1 thread,
512-sample windows with 64 samples of context), on 16 kHz mono audio decoded by the ffmpeg CLI.
Prints elapsed seconds and the speech probabilities' count as JSON."""
import json, subprocess, sys, time
import numpy as np
import onnxruntime

model, media = sys.argv[1], sys.argv[2]
start = time.perf_counter()
raw = subprocess.run(["ffmpeg", "-v", "error", "-i", media, "-vn", "-ar", "16000", "-ac", "1", "-f", "f32le", "-"],
                     check=True, capture_output=True).stdout
audio = np.frombuffer(raw, dtype=np.float32)
options = onnxruntime.SessionOptions()
options.inter_op_num_threads = 1
options.intra_op_num_threads = 1
session = onnxruntime.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
state = np.zeros((2, 1, 128), dtype=np.float32)
context = np.zeros((1, 64), dtype=np.float32)
probabilities = []
for begin in range(0, len(audio), 512):
    chunk = audio[begin:begin + 512]
    if len(chunk) < 512:
        chunk = np.pad(chunk, (0, 512 - len(chunk)))
    x = np.concatenate([context, chunk[None, :]], axis=1)
    out, state = session.run(None, {"input": x, "state": state})
    context = x[:, -64:]
    probabilities.append(float(out[0, 0]))
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "windows": len(probabilities), "audio_seconds": len(audio) / 16000}))
