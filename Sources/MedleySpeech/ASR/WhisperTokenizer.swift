import Foundation
import MedleyCore

/// The ids of Whisper's special tokens, read from the model's vocabulary (they differ between English-only
/// and multilingual models: tiny.en's end-of-text is 50256, base's is 50257).
public struct WhisperSpecialTokens: Sendable, Equatable {
    /// `<|endoftext|>`: ends a window's output; every text token id is below it.
    public var endOfText: Int
    /// `<|startoftranscript|>`.
    public var startOfTranscript: Int
    /// `<|translate|>` and `<|transcribe|>`, the task tokens of multilingual models.
    public var translate: Int
    /// `<|transcribe|>`.
    public var transcribe: Int
    /// `<|startoflm|>`.
    public var startOfLanguageModel: Int
    /// `<|startofprev|>`: introduces the previous text a window is conditioned on.
    public var startOfPrevious: Int
    /// `<|nocaptions|>` (or `<|nospeech|>`): its probability is the no-speech probability.
    public var noSpeech: Int
    /// `<|notimestamps|>`.
    public var noTimestamps: Int
    /// `<|0.00|>`, the first timestamp token; timestamp id `t` means `(t - timestampBegin) * 0.02` seconds.
    public var timestampBegin: Int
    /// Language tokens in vocabulary order, as (code, id): `("en", 50259)`, ...
    public var languages: [(code: String, id: Int)]

    /// Equal when every id and language entry is equal.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.endOfText == rhs.endOfText && lhs.startOfTranscript == rhs.startOfTranscript
            && lhs.noTimestamps == rhs.noTimestamps && lhs.timestampBegin == rhs.timestampBegin
            && lhs.languages.map(\.code) == rhs.languages.map(\.code) && lhs.languages.map(\.id) == rhs.languages.map(\.id)
    }
}

/// Whisper's tokenizer: ids → text through `vocabulary.txt`, text → ids through the BPE in `tokenizer.json`.
///
/// Decoding drops every id at or above end-of-text (special and timestamp tokens), joins the byte-level
/// spellings, and decodes the bytes as UTF-8 as a whole (one character may be split over two tokens), with
/// invalid sequences replaced by U+FFFD. The BPE tables are read on the first ``encode(_:)`` call only,
/// since transcription without a prompt never needs them. Safe to use from several tasks at once.
public final class WhisperTokenizer: Sendable {
    /// Token strings by id, in the byte-level alphabet (`Ġthe`), including the timestamp tokens.
    public let tokens: [String]
    /// The special token ids.
    public let special: WhisperSpecialTokens
    private let tokenizerPath: String
    private let modelID: String
    private let encoderBox = EncoderBox()

    /// Reads `vocabulary.txt` in `directory` (one token per line, line i is id i) and finds the special tokens.
    init(directory: String, modelID: String) throws {
        let vocabularyPath = (directory as NSString).appendingPathComponent("vocabulary.txt")
        tokenizerPath = (directory as NSString).appendingPathComponent("tokenizer.json")
        self.modelID = modelID
        guard let data = FileManager.default.contents(atPath: vocabularyPath) else {
            throw MedleyError.invalidModel(id: modelID, reason: "\(vocabularyPath) is missing or unreadable; reinstall the model")
        }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        if lines.last == "" { lines.removeLast() }
        tokens = lines
        var ids: [String: Int] = [:]
        for (id, token) in lines.enumerated() where token.hasPrefix("<|") { ids[token] = id }
        func id(_ names: String...) throws -> Int {
            for name in names { if let id = ids[name] { return id } }
            throw MedleyError.invalidModel(
                id: modelID, reason: "\(vocabularyPath) has no \(names[0]) token; it is not a Whisper vocabulary")
        }
        let endOfText = try id("<|endoftext|>")
        let startOfTranscript = try id("<|startoftranscript|>")
        let translate = try id("<|translate|>")
        let noTimestamps = try id("<|notimestamps|>")
        // Language tokens sit between start-of-transcript and translate: <|en|>, <|zh|>, ...
        var languages: [(code: String, id: Int)] = []
        if startOfTranscript + 1 < translate {
            for languageID in (startOfTranscript + 1)..<translate {
                let token = lines[languageID]
                guard token.hasPrefix("<|"), token.hasSuffix("|>"), token.count > 4 else { continue }
                languages.append((String(token.dropFirst(2).dropLast(2)), languageID))
            }
        }
        special = WhisperSpecialTokens(
            endOfText: endOfText, startOfTranscript: startOfTranscript, translate: translate,
            transcribe: try id("<|transcribe|>"), startOfLanguageModel: try id("<|startoflm|>"),
            startOfPrevious: try id("<|startofprev|>"), noSpeech: try id("<|nocaptions|>", "<|nospeech|>"),
            noTimestamps: noTimestamps, timestampBegin: noTimestamps + 1, languages: languages)
        guard special.timestampBegin < lines.count else {
            throw MedleyError.invalidModel(id: modelID, reason: "\(vocabularyPath) has no timestamp tokens")
        }
    }

    /// The text of a token sequence; special and timestamp tokens are left out.
    public func decode<IDs: Sequence<Int>>(_ ids: IDs) -> String {
        var bytes: [UInt8] = []
        for id in ids where id >= 0 && id < special.endOfText && id < tokens.count {
            ByteLevelAlphabet.appendBytes(of: tokens[id], to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The token ids of `text` under the model's BPE (no special tokens are added).
    ///
    /// - Throws: ``MedleyError/invalidModel(id:reason:)`` when `tokenizer.json` is missing or unreadable.
    public func encode(_ text: String) throws -> [Int] {
        try encoderBox.encoder(path: tokenizerPath, modelID: modelID).encode(text)
    }

    /// The id of a language token such as `<|de|>`, or nil when the model does not know the code.
    public func languageToken(_ code: String) -> Int? {
        special.languages.first { $0.code == code }?.id
    }

    /// True when `id` is a timestamp token.
    func isTimestamp(_ id: Int) -> Bool { id >= special.timestampBegin }
}

/// Loads the BPE tables once, on first use, under a lock.
private final class EncoderBox: @unchecked Sendable {
    private let lock = NSLock()
    private var encoder: BytePairEncoder?

    func encoder(path: String, modelID: String) throws -> BytePairEncoder {
        lock.lock()
        defer { lock.unlock() }
        if let encoder { return encoder }
        let loaded = try BytePairEncoder(tokenizerFile: path, modelID: modelID)
        encoder = loaded
        return loaded
    }
}
