"""Word error rate of hypothesis lines against reference lines (same order, one sentence a line).

Text is lower-cased, hyphens become spaces, every other character that is not a letter, a digit or an
apostrophe is dropped, and whole numbers below 1000 written in digits are spelled out ("20" -> "twenty",
as Whisper writes "twenty minutes" as "20 minutes"; a simplified form of Whisper's own English normaliser); WER = (substitutions + deletions + insertions) / reference words, summed over all lines.
Prints one line: `<label>: WER x.x % (errors/words), n sentences, k exact`, and the worst sentences after it.
"""
import re
import sys


ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
    "seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def spell(n):
    if n < 20:
        return [ONES[n]]
    if n < 100:
        return [TENS[n // 10]] + ([ONES[n % 10]] if n % 10 else [])
    return [ONES[n // 100], "hundred"] + (spell(n % 100) if n % 100 else [])


def words(text):
    text = text.lower().replace("-", " ")
    text = re.sub(r"[^a-z0-9' ]", " ", text)
    out = []
    for word in text.split():
        out += spell(int(word)) if word.isdigit() and int(word) < 1000 else [word]
    return out


def distance(ref, hyp):
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1]


def main():
    refs = [line.strip() for line in open(sys.argv[1]) if line.strip()]
    hyps = [line.strip() for line in open(sys.argv[2])]
    label = sys.argv[3] if len(sys.argv) > 3 else sys.argv[2]
    if len(hyps) != len(refs):
        sys.exit(f"{label}: {len(hyps)} transcripts for {len(refs)} sentences")
    errors = total = exact = 0
    worst = []
    for ref, hyp in zip(refs, hyps):
        r, h = words(ref), words(hyp)
        e = distance(r, h)
        errors += e
        total += len(r)
        exact += e == 0
        if e:
            worst.append((e / len(r), ref, hyp))
    print(f"{label}: WER {100 * errors / total:.1f} % ({errors}/{total} words), {len(refs)} sentences, {exact} exact")
    for rate, ref, hyp in sorted(worst, reverse=True)[:5]:
        print(f"    {100 * rate:5.1f} %  {ref!r} -> {hyp!r}")


if __name__ == "__main__":
    main()
