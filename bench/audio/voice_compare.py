"""Voice set vs openSMILE eGeMAPSv02: per-feature Pearson correlation across utterances.

Usage: python3 voice_compare.py MEDLEY_BINARY WORK_DIR
Makes espeak-ng utterances (voices, pitches, rates and levels vary), runs `medley features --set voice --format json`
and openSMILE's eGeMAPSv02 functionals on each, and prints a Markdown table.
"""
import json, subprocess, sys, os
import numpy as np
import opensmile

medley, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
texts = ["The quick brown fox jumps over the lazy dog.", "Please call Stella and ask her to bring these things.",
         "We also need a small plastic snake and a big toy frog.", "She can scoop these things into three red bags.",
         "Speech analysis needs many voices, rates and pitches.", "A rainbow is a division of white light into many beautiful colours."]
voices = ["en", "en+f3", "en+m3", "en+f2", "en-us", "en+m7"]
utterances = []
for i in range(24):
    path = f"{work}/utt{i:02d}.wav"
    if not os.path.exists(path):
        subprocess.run(["espeak-ng", "-v", voices[i % len(voices)], "-p", str(20 + (i * 13) % 70), "-s", str(120 + (i * 17) % 80),
                        "-a", str(60 + (i * 29) % 140), "-w", path, texts[i % len(texts)]], check=True)
    utterances.append(path)

smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02, feature_level=opensmile.FeatureLevel.Functionals)
pairs = {  # medley functional -> openSMILE column
    "F0semitoneFrom27.5Hz_sma3nz": "F0semitoneFrom27.5Hz_sma3nz", "jitterLocal_sma3nz": "jitterLocal_sma3nz",
    "shimmerLocaldB_sma3nz": "shimmerLocaldB_sma3nz", "HNRdBACF_sma3nz": "HNRdBACF_sma3nz", "loudness_sma3": "loudness_sma3",
    "alphaRatioV_sma3nz": "alphaRatioV_sma3nz", "hammarbergIndexV_sma3nz": "hammarbergIndexV_sma3nz",
    "slopeV0-500_sma3nz": "slopeV0-500_sma3nz", "slopeV500-1500_sma3nz": "slopeV500-1500_sma3nz",
    "mfcc1_sma3": "mfcc1_sma3", "mfcc2_sma3": "mfcc2_sma3", "mfcc3_sma3": "mfcc3_sma3", "mfcc4_sma3": "mfcc4_sma3",
    "spectralFlux_sma3": "spectralFlux_sma3",
}
stats = {"amean": "amean", "stddevNorm": "stddevNorm", "percentile20.0": "percentile20.0", "percentile50.0": "percentile50.0",
         "percentile80.0": "percentile80.0"}
ours, theirs = [], []
for path in utterances:
    out = subprocess.run([medley, "features", path, "--set", "voice", "--format", "json"], check=True, capture_output=True).stdout
    ours.append(json.loads(out)["functionals"])
    theirs.append(smile.process_file(path).iloc[0])
print("| feature | " + " | ".join(stats) + " |")
print("|---|" + "---|" * len(stats))
for name, column in pairs.items():
    cells = []
    for stat in stats:
        key = f"{column}_{stat}"
        if key not in theirs[0].index:
            cells.append("–")
            continue
        a = np.array([o[name][stat] if o[name][stat] is not None else np.nan for o in ours], dtype=float)
        b = np.array([t[key] for t in theirs], dtype=float)
        ok = ~np.isnan(a) & ~np.isnan(b)
        r = np.corrcoef(a[ok], b[ok])[0, 1] if ok.sum() > 2 and np.std(a[ok]) > 0 and np.std(b[ok]) > 0 else np.nan
        cells.append("n/a" if np.isnan(r) else (f"**{r:.2f}**" if r < 0.9 else f"{r:.2f}"))
    print(f"| {name} | " + " | ".join(cells) + " |")
