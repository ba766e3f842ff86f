import Foundation

/// What one decoding of one 30 s window produced.
struct WindowDecodingResult {
    /// Sampled tokens, end-of-text excluded.
    var tokens: [Int]
    /// Σ log p over the sampled tokens, end-of-text included.
    var sumLogprob: Double
    /// faster-whisper's average: Σ log p / (tokens + 1).
    var avgLogprob: Double
    var noSpeechProb: Double
    var temperature: Double
    var compressionRatio: Double
}

/// Decodes one window: feeds the prompt in one batch, reads the no-speech probability at the start-of-transcript
/// position, then picks tokens step by step under ``WhisperLogitFilter`` until end-of-text or the length limit.
///
/// At temperature 0 the most probable token is taken (greedy). Above 0, `bestOf` candidates are sampled
/// together (one batched decoder pass per step) from softmax(logits / T), and the candidate with the highest
/// length-normalised log-probability (Σ log p / tokens, as CTranslate2 ranks hypotheses) is kept. Scores are
/// log-probabilities at temperature 1, as in CTranslate2 and OpenAI Whisper.
struct WindowDecoder {
    let model: WhisperModel
    let workspace: WorkspacePool.Workspace
    let filter: WhisperLogitFilter

    func decode(prompt: [Int], startOfTranscriptIndex: Int, temperature: Double, bestOf: Int,
                random: inout SeededRandom) throws -> WindowDecodingResult {
        let vocabulary = model.dimensions.vocabularySize, context = model.dimensions.textContext
        let special = model.tokenizer.special
        let decoder = workspace.decoder, cache = workspace.cache, logits = workspace.logits.pointer
        let candidates = temperature > 0 ? max(1, min(bestOf, cache.batchCapacity)) : 1

        // The prompt in one pass; logits at start-of-transcript (no-speech) and at the last prompt token.
        cache.length = 0
        let last = prompt.count - 1
        let rows = startOfTranscriptIndex == last ? [last] : [startOfTranscriptIndex, last]
        decoder.forward(tokens: prompt, batch: 1, cache: cache, logitRows: rows, logits: logits)
        let noSpeechLogits = logits
        let noSpeechProb = Double(exp(noSpeechLogits[special.noSpeech]
            - LogitMath.logSumExp(noSpeechLogits, count: vocabulary)))
        if rows.count == 2 { logits.update(from: logits + vocabulary, count: vocabulary) }
        if candidates > 1 {
            cache.replicate(0, to: 0..<candidates)
            for c in 1..<candidates { (logits + c * vocabulary).update(from: logits, count: vocabulary) }
        }

        var sequences = [[Int]](repeating: [], count: candidates)
        var sums = [Double](repeating: 0, count: candidates)
        var finished = [Bool](repeating: false, count: candidates)
        // faster-whisper/CTranslate2 stop after half the text context, and never past the context itself.
        let maxNewTokens = min(context / 2, context - last)
        for step in 0..<maxNewTokens {
            try Task.checkCancellation()
            for c in 0..<candidates where !finished[c] {
                let row = logits + c * vocabulary
                filter.apply(to: row, sampled: sequences[c])
                let normaliser = LogitMath.logSumExp(row, count: vocabulary)
                guard normaliser.isFinite else {
                    finished[c] = true   // every token masked: cannot happen with Whisper's rules; stop safely
                    continue
                }
                let token = temperature > 0
                    ? Self.sample(row, count: vocabulary, temperature: Float(temperature), random: &random)
                    : LogitMath.argmax(row, count: vocabulary).index
                sums[c] += Double(row[token] - normaliser)
                if token == special.endOfText {
                    finished[c] = true
                } else {
                    sequences[c].append(token)
                }
            }
            if step == maxNewTokens - 1 || !finished.contains(false) { break }
            let next = (0..<candidates).map { finished[$0] ? special.endOfText : sequences[$0].last ?? special.endOfText }
            decoder.forward(tokens: next, batch: candidates, cache: cache, logitRows: Array(0..<candidates),
                            logits: logits)
        }

        var best = 0
        if candidates > 1 {
            let scores = (0..<candidates).map { sums[$0] / Double(max(1, sequences[$0].count)) }
            best = scores.indices.max { scores[$0] < scores[$1] } ?? 0
        }
        let tokens = sequences[best]
        let text = model.tokenizer.decode(tokens).trimmingCharacters(in: .whitespacesAndNewlines)
        return WindowDecodingResult(
            tokens: tokens, sumLogprob: sums[best], avgLogprob: sums[best] / Double(tokens.count + 1),
            noSpeechProb: noSpeechProb, temperature: temperature, compressionRatio: CompressionRatio.of(text))
    }

    /// Draws a token from softmax(row / T); masked (−∞) entries have probability 0.
    static func sample(_ row: UnsafePointer<Float>, count: Int, temperature: Float,
                       random: inout SeededRandom) -> Int {
        let scale = 1 / temperature
        let top = LogitMath.maximum(row, count: count)
        var total = 0.0
        for i in 0..<count where row[i] > -.infinity { total += Double(expf((row[i] - top) * scale)) }
        var target = random.unit() * total
        var lastValid = 0
        for i in 0..<count where row[i] > -.infinity {
            target -= Double(expf((row[i] - top) * scale))
            lastValid = i
            if target < 0 { return i }
        }
        return lastValid
    }
}
