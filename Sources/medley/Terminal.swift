import Foundation
import MedleyCore

/// Writing to the terminal: errors and warnings on stderr, JSON on stdout.
enum Terminal {
    /// Prints `medley: error: <message>` on stderr.
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("medley: error: \(message)\n".utf8))
    }

    /// Prints `medley: warning: <message>` on stderr.
    static func printWarning(_ message: String) {
        FileHandle.standardError.write(Data("medley: warning: \(message)\n".utf8))
    }

    /// Prints a value as pretty, key-sorted JSON on stdout.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Dates as ISO 8601, as every file Medley writes has them (Foundation's default is seconds since 2001).
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}
