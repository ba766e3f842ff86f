import Foundation
import MedleyCore

/// The byte-level BPE model of a Hugging Face `tokenizer.json` (GPT-2 style): text → token ids.
///
/// Each pre-tokenized piece is spelled in the byte-level alphabet, split into single characters, and adjacent
/// pairs are merged in the order of the merge list (lowest rank first) until no listed pair remains; the
/// resulting symbols are looked up in the vocabulary. Special tokens written in the text are not recognised:
/// they are encoded as ordinary text.
final class BytePairEncoder: @unchecked Sendable {
    private let vocabulary: [String: Int]
    private let mergeRanks: [String: Int]
    private let cacheLock = NSLock()
    private var cache: [String: [Int]] = [:]

    /// Reads the `model` section of a tokenizer.json file.
    init(tokenizerFile path: String, modelID: String) throws {
        func invalid(_ reason: String) -> MedleyError {
            .invalidModel(id: modelID, reason: "\(path): \(reason); reinstall the model")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw invalid("cannot be read") }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw invalid("is not valid JSON (\(error.localizedDescription))")
        }
        guard let model = (root as? [String: Any])?["model"] as? [String: Any],
              let vocab = model["vocab"] as? [String: Any], let merges = model["merges"] as? [Any]
        else { throw invalid("has no BPE model with a vocab and merges") }
        if let type = model["type"] as? String, type != "BPE" { throw invalid("has a \(type) model, not BPE") }
        var vocabulary: [String: Int] = [:]
        vocabulary.reserveCapacity(vocab.count)
        for (token, id) in vocab {
            guard let id = (id as? NSNumber)?.intValue else { throw invalid("vocab entry '\(token)' has no id") }
            vocabulary[token] = id
        }
        var ranks: [String: Int] = [:]
        ranks.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            // Older files write a merge as "a b", newer ones as ["a", "b"].
            if let line = merge as? String {
                ranks[line] = rank
            } else if let pair = merge as? [String], pair.count == 2 {
                ranks[pair[0] + " " + pair[1]] = rank
            } else {
                throw invalid("merge \(rank) is neither \"a b\" nor [\"a\", \"b\"]")
            }
        }
        self.vocabulary = vocabulary
        mergeRanks = ranks
    }

    /// The token ids of `text` (pre-tokenized with GPT-2's rule, then BPE-merged piece by piece).
    func encode(_ text: String) -> [Int] {
        var ids: [Int] = []
        for piece in GPT2PreTokenizer.split(text) {
            ids.append(contentsOf: encodePiece(ByteLevelAlphabet.encode(piece.utf8)))
        }
        return ids
    }

    private func encodePiece(_ piece: String) -> [Int] {
        cacheLock.lock()
        let cached = cache[piece]
        cacheLock.unlock()
        if let cached { return cached }

        var symbols = piece.unicodeScalars.map { String($0) }
        while symbols.count > 1 {
            var best: (rank: Int, index: Int)?
            for i in 0..<(symbols.count - 1) {
                if let rank = mergeRanks[symbols[i] + " " + symbols[i + 1]], rank < (best?.rank ?? Int.max) {
                    best = (rank, i)
                }
            }
            guard let best else { break }
            // Merge every occurrence of the best pair, left to right, as the reference implementation does.
            let left = symbols[best.index], right = symbols[best.index + 1]
            var merged: [String] = []
            merged.reserveCapacity(symbols.count)
            var i = 0
            while i < symbols.count {
                if i + 1 < symbols.count && symbols[i] == left && symbols[i + 1] == right {
                    merged.append(left + right)
                    i += 2
                } else {
                    merged.append(symbols[i])
                    i += 1
                }
            }
            symbols = merged
        }
        // Every single byte character is in a byte-level vocabulary, so a lookup only fails on a damaged file;
        // fall back to the symbol's bytes one by one rather than dropping text.
        var ids: [Int] = []
        for symbol in symbols {
            if let id = vocabulary[symbol] {
                ids.append(id)
            } else {
                for scalar in symbol.unicodeScalars { if let id = vocabulary[String(scalar)] { ids.append(id) } }
            }
        }
        cacheLock.lock()
        cache[piece] = ids
        cacheLock.unlock()
        return ids
    }
}
