/// Recognises flashes: a jump in the content score that comes back, within a few frames, to a picture like
/// the one before the jump (a photo flash, a strobe, a one-frame glitch). Such frames are not cuts.
///
/// PySceneDetect has no such check (its flash filter is about cut spacing and keeps single-frame flashes).
/// The price is latency: a candidate cut is decided up to `maximumLength` frames later.
struct FlashGuard {
    /// One frame's score, released once it is known whether it belongs to a flash.
    struct Decision {
        let index: Int
        let score: Double
        let isFlash: Bool
    }

    let maximumLength: Int
    let threshold: Double
    private var pendingStart: Int?
    private var queue: [(index: Int, score: Double)] = []

    /// True while a jump waits to be confirmed or recognised as a flash: every following frame must be pushed.
    var isPending: Bool { pendingStart != nil }

    init(maximumLength: Int, threshold: Double) {
        self.maximumLength = maximumLength
        self.threshold = threshold
    }

    /// Takes frame `index` with its score (already computed by `scorer`) and returns the frames decided.
    mutating func push(index: Int, score: Double, scorer: inout ContentScorer) -> [Decision] {
        guard let start = pendingStart else {
            if maximumLength > 0 && index > 0 && score >= threshold {
                scorer.holdPreviousAsAnchor()
                pendingStart = index
                queue = [(index, score)]
                return []
            }
            return [Decision(index: index, score: score, isFlash: false)]
        }
        if scorer.scoreAgainstAnchor() < threshold {
            // Back to the picture before the jump: the jump, what followed and this return are one flash.
            let released = queue.map { Decision(index: $0.index, score: $0.score, isFlash: true) }
                + [Decision(index: index, score: score, isFlash: true)]
            pendingStart = nil
            queue.removeAll(keepingCapacity: true)
            return released
        }
        queue.append((index, score))
        guard index - start >= maximumLength else { return [] }
        return flush()
    }

    /// Releases the frames held (at the end of the video, or when the wait is over): not a flash.
    mutating func flush() -> [Decision] {
        let released = queue.map { Decision(index: $0.index, score: $0.score, isFlash: false) }
        pendingStart = nil
        queue.removeAll(keepingCapacity: true)
        return released
    }
}
