/// Greedy CTC decoding of PP-OCR's recogniser output with its character table.
struct CTCDecoder: Sendable {
    /// Class 0 is CTC's blank, classes 1...n the table's characters, class n+1 the space: RapidOCR's
    /// `CTCLabelDecode` inserts "blank" in front and " " at the end of the list from the model's metadata.
    let classes: [String]

    /// Builds the table from the recogniser's `character` metadata: one character per line.
    ///
    /// The split is Python's `str.splitlines()`, which RapidOCR uses; on PP-OCRv4's table (6,623 lines) it gives
    /// the same list as splitting on "\n".
    init(characterList: String) {
        var characters: [String] = []
        var current = ""
        var previousWasCarriageReturn = false
        for scalar in characterList.unicodeScalars {
            if scalar == "\n" && previousWasCarriageReturn {
                previousWasCarriageReturn = false
                continue
            }
            previousWasCarriageReturn = scalar == "\r"
            if Self.lineBreaks.contains(scalar.value) {
                characters.append(current)
                current = ""
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        if !current.isEmpty { characters.append(current) }
        classes = ["blank"] + characters + [" "]
    }

    /// Python's `str.splitlines` boundaries: LF, VT, FF, CR, FS, GS, RS, NEL, LS, PS.
    static let lineBreaks: Set<UInt32> = [0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029]

    /// Decodes one line: per time step the most likely class (the first on a tie, like numpy's argmax); repeats and
    /// blanks are dropped. The confidence is the mean probability of the kept steps, 0 when nothing is kept.
    ///
    /// - Parameter probabilities: `steps * classes.count` softmax outputs, step-major.
    func decode(_ probabilities: UnsafeBufferPointer<Float>, steps: Int) -> (text: String, confidence: Float) {
        let count = classes.count
        var text = ""
        var sum: Double = 0
        var kept = 0
        var previous = -1
        for t in 0..<steps {
            let base = t * count
            var best = 0
            var bestValue = probabilities[base]
            for c in 1..<count where probabilities[base + c] > bestValue {
                best = c
                bestValue = probabilities[base + c]
            }
            if best != 0 && best != previous {
                text += classes[best]
                sum += Double(bestValue)
                kept += 1
            }
            previous = best
        }
        return (text, kept > 0 ? Float(sum / Double(kept)) : 0)
    }
}
