import Foundation

/// The per-step masking rules CTranslate2 and faster-whisper apply to Whisper's logits before choosing a token.
///
/// In order: the model's `suppress_ids`; at the first sampled step also `suppress_ids_begin` (blank and
/// end-of-text); then, in timestamp mode, the timestamp grammar: `<|notimestamps|>` never; at the first step
/// only `<|0.00|>`…`<|1.00|>`; after a timestamp pair only text or end-of-text; after a closing timestamp no
/// text and no earlier timestamp; after text only later timestamps; and when the timestamps together are more
/// probable than any single text token, a timestamp is forced. Masked logits become −∞.
struct WhisperLogitFilter {
    let special: WhisperSpecialTokens
    let vocabularySize: Int
    let suppressed: [Int]
    let suppressedAtBegin: [Int]
    let timestamps: Bool
    /// The last timestamp allowed at the first step, as an offset from `<|0.00|>`: 1.0 s / 0.02 s = 50.
    let maxInitialTimestampIndex: Int

    static let defaultMaxInitialTimestampIndex = 50

    /// Applies the rules to `logits` (one vocabulary row) given the tokens sampled so far in this window
    /// (the prompt excluded).
    func apply(to logits: UnsafeMutablePointer<Float>, sampled: [Int]) {
        let ninf = -Float.infinity
        for id in suppressed where id >= 0 && id < vocabularySize { logits[id] = ninf }
        if sampled.isEmpty {
            for id in suppressedAtBegin where id >= 0 && id < vocabularySize { logits[id] = ninf }
        }
        guard timestamps else { return }
        let begin = special.timestampBegin
        func mask(_ range: Range<Int>) {
            let lower = max(0, range.lowerBound), upper = min(vocabularySize, range.upperBound)
            if lower < upper { (logits + lower).update(repeating: ninf, count: upper - lower) }
        }
        if special.noTimestamps < vocabularySize { logits[special.noTimestamps] = ninf }

        guard let last = sampled.last else {
            mask(0..<begin)
            mask((begin + maxInitialTimestampIndex + 1)..<vocabularySize)
            return
        }
        let previous = sampled.count >= 2 ? sampled[sampled.count - 2] : last
        let lastIsTimestamp = last >= begin, previousIsTimestamp = previous >= begin
        if lastIsTimestamp && previousIsTimestamp {
            mask(begin..<vocabularySize)
            return
        }
        if lastIsTimestamp {
            mask(0..<special.endOfText)
            mask(begin..<last)
        } else if let lastTimestamp = sampled.last(where: { $0 >= begin }) {
            mask(begin..<(lastTimestamp + 1))
        }
        forceTimestampIfLikely(logits)
    }

    /// Masks every non-timestamp token when log Σ p(timestamps) exceeds the largest log p of any other token.
    /// Both sides share the same normaliser, so the comparison needs no full log-softmax.
    private func forceTimestampIfLikely(_ logits: UnsafeMutablePointer<Float>) {
        let begin = special.timestampBegin
        guard begin < vocabularySize else { return }
        let timestampMass = LogitMath.logSumExp(logits + begin, count: vocabularySize - begin)
        let textMax = LogitMath.maximum(logits, count: begin)
        if timestampMass > textMax {
            (logits).update(repeating: -.infinity, count: begin)
        }
    }
}

/// Reductions over a logit row, eight lanes at a time.
enum LogitMath {
    typealias Vector = VectorMath.Vector

    /// The largest value and its index (the first one on ties, as argmax does).
    static func argmax(_ values: UnsafePointer<Float>, count: Int) -> (index: Int, value: Float) {
        var best = -Float.infinity, index = 0
        for i in 0..<count where values[i] > best {
            best = values[i]
            index = i
        }
        return (index, best)
    }

    static func maximum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        TransformerKernels.maximum(values, count: count)
    }

    /// log Σ e^x, computed stably around the maximum; −∞ when every value is −∞.
    static func logSumExp(_ values: UnsafePointer<Float>, count: Int, scale: Float = 1) -> Float {
        let top = maximum(values, count: count) * scale
        guard top > -.infinity else { return -.infinity }
        if !VectorMath.isVectorised {
            var sum = 0.0
            for i in 0..<count where values[i] > -.infinity { sum += Double(expf(values[i] * scale - top)) }
            return top + Float(log(sum))
        }
        let shift = Vector(repeating: top), factor = Vector(repeating: scale)
        var lanes = Vector(repeating: 0)
        var i = 0
        while i + 8 <= count {
            let x = UnsafeRawPointer(values + i).loadUnaligned(as: Vector.self) * factor - shift
            // exp of a masked (−∞) logit is exactly 0.
            lanes += VectorMath.exp(x).replacing(with: 0, where: x .== -.infinity)
            i += 8
        }
        var sum = Double(lanes.sum())
        while i < count {
            let x = values[i] * scale - top
            if x > -.infinity { sum += Double(VectorMath.exp(x)) }
            i += 1
        }
        return top + Float(log(sum))
    }
}
