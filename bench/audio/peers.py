"""Peers and accuracy checks for bench/audio.sh (issue 4): librosa 0.11, ffmpeg's ebur128 filter, ground truth.

Subcommands (MEDLEY is the release `medley` binary):
  time-librosa {mfcc,pitch,beats} FILE     one run of the librosa equivalent, load and resample included; prints
                                           wall and CPU seconds (time-librosa-warm: the second run in one process)
  loudness MEDLEY FILE...                  Medley vs `ffmpeg -af ebur128=peak=true` (Markdown table)
  features MEDLEY FILE...                  per-coefficient correlation with librosa for mfcc, mel, chroma, spectral
  pitch MEDLEY WORKDIR                     median cents error on tones and a sweep, Medley and librosa; false alarms
  beats MEDLEY WORKDIR                     tempo error and beat F-measure (±70 ms) on click and drum tracks
"""
import json, os, subprocess, sys, time
import numpy as np

def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout

def medley_json(medley, *args):
    return json.loads(run(medley, *args))

def read_csv(text):
    rows = text.strip().split("\n")
    names = rows[0].split(",")[1:]
    values = np.array([[float(v) if v else np.nan for v in r.split(",")] for r in rows[1:]])
    return names, values[:, 0], values[:, 1:].T

def time_librosa(kind, path, warm=False):
    import librosa
    def once():
        start, cpu = time.perf_counter(), time.process_time()
        y, sr = librosa.load(path)
        if kind == "mfcc":
            librosa.feature.mfcc(y=y, sr=sr)
        elif kind == "pitch":
            librosa.pyin(y, fmin=librosa.note_to_hz("C2"), fmax=librosa.note_to_hz("C7"), sr=sr)
        elif kind == "beats":
            librosa.beat.beat_track(y=y, sr=sr)
            librosa.onset.onset_detect(y=y, sr=sr)
        return time.perf_counter() - start, time.process_time() - cpu
    wall, cpu = once()
    if warm:  # a second run in the same process: librosa's lazy loading already done
        wall, cpu = once()
    print(f"{wall:.3f} {cpu:.3f}")

def ffmpeg_loudness(path):
    log = path + ".ebur128.txt"
    err = subprocess.run(["ffmpeg", "-nostats", "-i", path, "-af", f"ebur128=peak=true:metadata=1,ametadata=mode=print:file={log}",
                          "-f", "null", "-"], check=True, capture_output=True, text=True).stderr
    values = {}
    for line in open(log):
        key, _, value = line.strip().partition("=")
        values[key] = value
    os.remove(log)
    peak = [l for l in err.split("\n") if "Peak:" in l][-1].split()[1]
    return float(values["lavfi.r128.I"]), float(values["lavfi.r128.LRA"]), float(peak)

def loudness(medley, files):
    print("| file | I Medley | I ffmpeg | ΔI | LRA Medley / ffmpeg | TP Medley | TP ffmpeg (0.1 dB) | ΔTP |")
    print("|---|---|---|---|---|---|---|---|")
    worst_i = worst_tp = 0
    for f in files:
        ours = medley_json(medley, "loudness", f, "--json")
        i, lra, tp = ffmpeg_loudness(f)
        di, dtp = ours["integrated_lufs"] - i, ours["true_peak_dbtp"] - tp
        worst_i, worst_tp = max(worst_i, abs(di)), max(worst_tp, abs(dtp))
        print(f"| {os.path.basename(f)} | {ours['integrated_lufs']:.3f} | {i:.3f} | {di:+.3f} | {ours['lra_lu']:.2f} / {lra:.2f} | "
              f"{ours['true_peak_dbtp']:.2f} | {tp:.1f} | {dtp:+.2f} |")
    print(f"\nworst |ΔI| = {worst_i:.3f} LU, worst |ΔTP| = {worst_tp:.2f} dB")

def features(medley, files):
    import librosa
    print("| file | set | frames | min corr | median corr | max abs diff / max |")
    print("|---|---|---|---|---|---|")
    for f in files:
        y, sr = librosa.load(f)
        ref = {"mfcc": librosa.feature.mfcc(y=y, sr=sr),
               "mel": librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr)),
               "chroma": librosa.feature.chroma_stft(y=y, sr=sr),
               "spectral": np.vstack([librosa.feature.spectral_centroid(y=y, sr=sr), librosa.feature.spectral_bandwidth(y=y, sr=sr),
                                      librosa.feature.spectral_rolloff(y=y, sr=sr), librosa.feature.spectral_flatness(y=y),
                                      librosa.feature.zero_crossing_rate(y), librosa.feature.rms(y=y)])}
        for s, r in ref.items():
            names, _, m = read_csv(run(medley, "features", f, "--set", s))
            if s == "spectral":  # flux has no librosa counterpart
                m = np.delete(m, names.index("flux"), axis=0)
            n = min(m.shape[1], r.shape[1])
            cors = [np.corrcoef(m[i, :n], r[i, :n])[0, 1] for i in range(r.shape[0]) if np.std(r[i, :n]) > 0 and np.std(m[i, :n]) > 0]
            rel = np.nanmax(np.abs(m[:, :n] - r[:, :n])) / np.nanmax(np.abs(r))
            print(f"| {os.path.basename(f)} | {s} | {m.shape[1]} / {r.shape[1]} | {np.min(cors):.6f} | {np.median(cors):.6f} | {rel:.1e} |")

def pitch(medley, work):
    import librosa
    os.makedirs(work, exist_ok=True)
    sr = 22050
    t = np.arange(int(sr * 3)) / sr
    signals = {}
    for f in [110.0, 220.0, 440.0, 880.0]:
        signals[f"pure {f:g} Hz"] = (0.5 * np.sin(2 * np.pi * f * t), lambda tt, f=f: np.full_like(tt, f))
        signals[f"harmonic {f:g} Hz"] = (0.4 * np.sin(2 * np.pi * f * t) + 0.3 * np.sin(4 * np.pi * f * t) + 0.2 * np.sin(6 * np.pi * f * t),
                                         lambda tt, f=f: np.full_like(tt, f))
    signals["sweep 100-1000 Hz"] = (0.5 * np.sin(2 * np.pi * 100 * 3 / np.log(10) * (10 ** (t / 3) - 1)), lambda tt: 100 * 10 ** (tt / 3))
    import soundfile as sf
    print("| signal | Medley pYIN median / p95 cents | Medley YIN | librosa pyin | librosa yin |")
    print("|---|---|---|---|---|")
    for name, (y, truth) in signals.items():
        path = f"{work}/{name.replace(' ', '_')}.wav"
        sf.write(path, y.astype(np.float32), sr, subtype="FLOAT")
        cells = []
        for method in ["pyin", "yin"]:
            _, times, m = read_csv(run(medley, "pitch", path, "--method", method))
            keep = (times > 0.1) & (times < 2.9) & ~np.isnan(m[0])
            err = 1200 * np.abs(np.log2(m[0][keep] / truth(times[keep])))
            cells.append(f"{np.median(err):.2f} / {np.percentile(err, 95):.2f}")
        yl, _ = librosa.load(path, sr=None)
        fmin, fmax = librosa.note_to_hz("C2"), librosa.note_to_hz("C7")
        for f0 in [librosa.pyin(yl, fmin=fmin, fmax=fmax, sr=sr)[0], librosa.yin(yl, fmin=fmin, fmax=fmax, sr=sr)]:
            tt = librosa.times_like(f0, sr=sr)
            keep = (tt > 0.1) & (tt < 2.9) & ~np.isnan(f0)
            err = 1200 * np.abs(np.log2(f0[keep] / truth(tt[keep])))
            cells.append(f"{np.median(err):.2f} / {np.percentile(err, 95):.2f}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    for name, source in [("digital silence", "anullsrc=r=22050:cl=mono"), ("noise floor -75 dBFS", "anoisesrc=color=white:a=0.0003:r=22050:seed=1")]:
        path = f"{work}/{name.split()[0]}.wav"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", source, "-t", "10", path], check=True)
        _, _, m = read_csv(run(medley, "pitch", path))
        yl, _ = librosa.load(path, sr=None)
        _, voiced, _ = librosa.pyin(yl, fmin=librosa.note_to_hz("C2"), fmax=librosa.note_to_hz("C7"), sr=22050)
        print(f"\nvoicing false alarms on 10 s of {name}: Medley {int(np.sum(~np.isnan(m[0])))}, librosa.pyin {int(np.sum(voiced))} "
              f"(of {len(voiced)} frames)")

def f_measure(estimated, truth, window=0.07):
    estimated, truth = np.asarray(estimated), np.asarray(truth)
    if len(estimated) == 0 or len(truth) == 0:
        return 0.0
    used, hits = set(), 0
    for t in truth:  # greedy one-to-one matching, as mir_eval's matching within the window
        d = np.abs(estimated - t)
        for j in np.argsort(d):
            if d[j] > window:
                break
            if j not in used:
                used.add(j)
                hits += 1
                break
    p, r = hits / len(estimated), hits / len(truth)
    return 0.0 if hits == 0 else 2 * p * r / (p + r)

def beats(medley, work):
    import librosa
    os.makedirs(work, exist_ok=True)
    print("| track | true BPM | Medley BPM | librosa BPM | Medley F | librosa F |")
    print("|---|---|---|---|---|---|")
    worst = 0
    for kind in ["click", "drums"]:
        for bpm in [60, 80, 100, 120, 140, 160, 180]:
            path = f"{work}/{kind}{bpm}.wav"
            p = 60 / bpm
            if kind == "click":
                expr = f"0.8*exp(-60*mod(t,{p}))*sin(2*PI*1000*t)"
            else:  # kick on beats 1 and 3, snare (noise) on 2 and 4, closed hi-hat on eighths
                expr = (f"0.9*exp(-25*mod(t,{2*p}))*sin(2*PI*55*t)"
                        f"+0.5*exp(-30*mod(t+{p},{2*p}))*(random(0)*2-1)"
                        f"+0.15*exp(-120*mod(t,{p/2}))*(random(1)*2-1)")
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"aevalsrc='{expr}':s=44100:d=30", path], check=True)
            truth = np.arange(0, 30, p)
            ours = medley_json(medley, "beats", path, "--json")
            y, sr = librosa.load(path)
            tempo, frames = librosa.beat.beat_track(y=y, sr=sr)
            tempo = float(np.atleast_1d(tempo)[0])
            lib_beats = librosa.frames_to_time(frames, sr=sr)
            worst = max(worst, abs(ours["tempo_bpm"] / bpm - 1))
            print(f"| {kind} | {bpm} | {ours['tempo_bpm']:.2f} | {tempo:.2f} | {f_measure(ours['beats'], truth):.3f} | "
                  f"{f_measure(lib_beats, truth):.3f} |")
    print(f"\nworst Medley tempo error: {100 * worst:.2f} %")

if __name__ == "__main__":
    command = sys.argv[1]
    if command == "time-librosa":
        time_librosa(sys.argv[2], sys.argv[3])
    elif command == "time-librosa-warm":
        time_librosa(sys.argv[2], sys.argv[3], warm=True)
    elif command == "loudness":
        loudness(sys.argv[2], sys.argv[3:])
    elif command == "features":
        features(sys.argv[2], sys.argv[3:])
    elif command == "pitch":
        pitch(sys.argv[2], sys.argv[3])
    elif command == "beats":
        beats(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
