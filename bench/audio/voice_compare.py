"""Voice set vs openSMILE eGeMAPSv02: per-feature Pearson correlation across utterances.

Usage: python3 voice_compare.py MEDLEY_BINARY WORK_DIR [--real]
Makes espeak-ng utterances (voices, pitches, rates and levels vary), runs `medley features --set voice --format json`
and openSMILE's eGeMAPSv02 functionals on each, and prints a Markdown table.

--real uses recorded human speech instead, from packages that can be installed here: the eight spoken channel
names of Debian's alsa-utils (/usr/share/sounds/alsa/*.wav, one speaker, fetched with `apt-get download`) and the
30 s two-speaker meeting excerpt shipped in the pyannote.audio wheel (pyannote/audio/sample/sample.wav, fetched with
`pip download --no-deps`), cut into its speaker turns of 1 s or more by the wheel's own sample.rttm (turns over 4 s
are halved).
"""
import glob, json, subprocess, sys, os, zipfile
import numpy as np
import opensmile

medley, work = sys.argv[1], sys.argv[2]
real = "--real" in sys.argv[3:]
os.makedirs(work, exist_ok=True)

def real_utterances(work):
    paths = []
    alsa = f"{work}/alsa"
    if not glob.glob(f"{alsa}/usr/share/sounds/alsa/*.wav"):
        subprocess.run(["apt-get", "download", "alsa-utils"], cwd=work, check=True, capture_output=True)
        deb = sorted(glob.glob(f"{work}/alsa-utils_*.deb"))[-1]
        subprocess.run(["dpkg-deb", "-x", deb, alsa], check=True)
    paths += sorted(p for p in glob.glob(f"{alsa}/usr/share/sounds/alsa/*.wav") if not p.endswith("Noise.wav"))
    sample = f"{work}/pyannote/audio/sample"
    if not os.path.exists(f"{sample}/sample.wav"):
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", work, "pyannote.audio"], check=True)
        wheel = sorted(glob.glob(f"{work}/pyannote_audio-*.whl"))[-1]
        with zipfile.ZipFile(wheel) as z:
            for name in ["sample.wav", "sample.rttm"]:
                z.extract(f"pyannote/audio/sample/{name}", work)
    for line in open(f"{sample}/sample.rttm"):
        fields = line.split()
        start, length = float(fields[3]), float(fields[4])
        if length < 1:
            continue
        pieces = 2 if length > 4 else 1
        for k in range(pieces):
            out = f"{work}/turn-{start:.2f}-{k}.wav"
            if not os.path.exists(out):
                subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", str(start + k * length / pieces), "-t", str(length / pieces),
                                "-i", f"{sample}/sample.wav", out], check=True)
            paths.append(out)
    return paths

texts = ["The quick brown fox jumps over the lazy dog.", "Please call Stella and ask her to bring these things.",
         "We also need a small plastic snake and a big toy frog.", "She can scoop these things into three red bags.",
         "Speech analysis needs many voices, rates and pitches.", "A rainbow is a division of white light into many beautiful colours."]
voices = ["en", "en+f3", "en+m3", "en+f2", "en-us", "en+m7"]
utterances = real_utterances(work) if real else []
for i in range(0 if real else 24):
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
