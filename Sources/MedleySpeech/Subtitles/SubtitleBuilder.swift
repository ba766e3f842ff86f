import MedleyCore

/// Turns transcript segments into readable subtitle cues.
///
/// Long segments are split at sentence ends first, then at clause punctuation, then between words, so that
/// every cue fits in ``SubtitleStyle/maxLines`` lines of ``SubtitleStyle/maxLineLength`` characters and lasts at
/// most ``SubtitleStyle/maxDuration``. A split piece gets a share of its segment's time in proportion to its
/// length (Whisper gives no word times). Short cues are stretched to ``SubtitleStyle/minDuration`` where the next
/// cue leaves room, and cues never overlap.
public struct SubtitleBuilder: Sendable {
    public var style: SubtitleStyle

    public init(style: SubtitleStyle = SubtitleStyle()) {
        self.style = style
    }

    /// Cues for segments given in time order (text with Whisper's leading space is fine).
    public func cues(for segments: [Segment]) -> [SubtitleCue] {
        var cues: [SubtitleCue] = []
        for segment in segments {
            let words = (segment.text ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
            guard !words.isEmpty, segment.end > segment.start else { continue }
            let pieces = split(words, duration: segment.end - segment.start)
            let totalLength = Double(pieces.reduce(0) { $0 + length($1) })
            var time = segment.start
            for piece in pieces {
                let share = (segment.end - segment.start) * Double(length(piece)) / max(totalLength, 1)
                cues.append(SubtitleCue(start: time, end: time + share, lines: wrap(piece)))
                time += share
            }
        }
        return fixTiming(cues)
    }

    // MARK: - Splitting

    /// Splits a segment's words into pieces that each fit one cue in length and in time.
    private func split(_ words: [String], duration: Double) -> [[String]] {
        let totalLength = length(words)
        let fitsText = totalLength <= style.maxCueLength && wrap(words).count <= style.maxLines
        if fitsText && duration <= style.maxDuration { return [words] }
        guard words.count > 1 else { return [words] }
        let cut = bestCut(words)
        let head = Array(words[..<cut]), tail = Array(words[cut...])
        let headDuration = duration * Double(length(head)) / Double(max(totalLength, 1))
        return split(head, duration: headDuration) + split(tail, duration: duration - headDuration)
    }

    /// Where to cut: the word boundary after a sentence end, else after clause punctuation, else between
    /// any words, choosing among each kind the boundary closest to the middle.
    private func bestCut(_ words: [String]) -> Int {
        let middle = Double(length(words)) / 2
        // offsets[i - 1]: characters before the boundary after word i - 1.
        var offsets: [Int] = []
        var running = 0
        for (index, word) in words.dropLast().enumerated() {
            running += word.count + (index > 0 ? 1 : 0)
            offsets.append(running)
        }
        func nearest(_ candidates: [Int]) -> Int? {
            candidates.min { abs(Double(offsets[$0 - 1]) - middle) < abs(Double(offsets[$1 - 1]) - middle) }
        }
        let boundaries = Array(1..<words.count)
        let sentenceEnds = boundaries.filter { Self.endsSentence(words[$0 - 1]) }
        let clauseEnds = boundaries.filter { Self.endsClause(words[$0 - 1]) }
        // A punctuation cut is taken only when both halves keep a reasonable size (a third of the text each
        // way from the middle); otherwise cutting between words near the middle reads better.
        let window = Double(length(words)) / 3
        func usable(_ candidates: [Int]) -> Int? {
            guard let best = nearest(candidates), abs(Double(offsets[best - 1]) - middle) <= window else { return nil }
            return best
        }
        return usable(sentenceEnds) ?? usable(clauseEnds) ?? nearest(boundaries) ?? 1
    }

    static func endsSentence(_ word: String) -> Bool {
        guard let last = word.trimmingTrailingQuotes.last else { return false }
        return ".?!…。？！".contains(last)
    }

    static func endsClause(_ word: String) -> Bool {
        guard let last = word.trimmingTrailingQuotes.last else { return false }
        return ",;:—–、，；：".contains(last)
    }

    // MARK: - Lines

    /// The words as at most two balanced lines when they fit, else greedily filled lines.
    func wrap(_ words: [String]) -> [String] {
        let single = words.joined(separator: " ")
        if single.count <= style.maxLineLength { return [single] }
        if style.maxLines >= 2 {
            // Two lines as even as possible, both within the limit.
            var best: (Int, [String])?
            for cut in 1..<words.count {
                let first = words[..<cut].joined(separator: " "), second = words[cut...].joined(separator: " ")
                guard first.count <= style.maxLineLength && second.count <= style.maxLineLength else { continue }
                let imbalance = abs(first.count - second.count)
                if best.map({ imbalance < $0.0 }) ?? true { best = (imbalance, [first, second]) }
            }
            if let best { return best.1 }
        }
        var lines: [String] = []
        var current = ""
        for word in words {
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= style.maxLineLength {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    private func length(_ words: [String]) -> Int {
        words.reduce(0) { $0 + $1.count } + max(words.count - 1, 0)
    }

    // MARK: - Timing

    /// Removes overlaps and stretches cues shorter than the minimum into the free time after them.
    private func fixTiming(_ input: [SubtitleCue]) -> [SubtitleCue] {
        var cues = input
        for i in cues.indices {
            let nextStart = i + 1 < cues.count ? cues[i + 1].start : Double.infinity
            if cues[i].end > nextStart { cues[i].end = nextStart }
            if cues[i].end - cues[i].start < style.minDuration {
                cues[i].end = min(cues[i].start + style.minDuration, nextStart)
            }
            cues[i].start = (cues[i].start * 1000).rounded() / 1000
            cues[i].end = (cues[i].end * 1000).rounded() / 1000
        }
        return cues.filter { $0.end > $0.start }
    }
}

private extension String {
    var trimmingTrailingQuotes: Substring {
        var view = Substring(self)
        while let last = view.last, "\"'”’»)]".contains(last) { view = view.dropLast() }
        return view
    }
}
