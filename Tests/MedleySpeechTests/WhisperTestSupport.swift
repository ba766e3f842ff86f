import Foundation
import MedleyCore
import XCTest
@testable import MedleySpeech

/// Models and clips shared by the Whisper tests.
enum WhisperTestSupport {
    /// The model store: $MEDLEY_MODELS or ~/.medley/models.
    static var store: String {
        if let path = ProcessInfo.processInfo.environment["MEDLEY_MODELS"], !path.isEmpty { return path }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".medley/models").path
    }

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var models: [String: WhisperModel] = [:]

    /// The installed model `id` (loaded once per test run). Throws, failing the test, when it is not installed.
    static func model(_ id: String) throws -> WhisperModel {
        lock.lock()
        defer { lock.unlock() }
        if let model = models[id] { return model }
        let directory = (store as NSString).appendingPathComponent(id)
        guard FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("model.bin")) else {
            throw Missing(description: "model \(id) is not installed in \(store); run `make setup` to install it")
        }
        let model = try WhisperModel(directory: directory)
        models[id] = model
        return model
    }

    static func tiny() throws -> WhisperModel { try model("whisper-tiny.en") }
    static func base() throws -> WhisperModel { try model("whisper-base") }

    /// Tests/Fixtures/speech/<name>.
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/speech/\(name)").path
    }

    /// Samples of a 16-bit PCM mono WAV file as int16 / 32768 (how the references read them).
    static func wav(_ name: String) throws -> [Float] {
        let path = fixture(name)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Missing(description: "test clip \(path) is missing")
        }
        let bytes = [UInt8](data)
        func u32(_ offset: Int) -> Int {
            Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
        }
        var offset = 12
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self), size = u32(offset + 4)
            if id == "data" {
                let start = offset + 8, count = min(size, bytes.count - start) / 2
                return (0..<count).map { i in
                    Float(Int16(bitPattern: UInt16(bytes[start + 2 * i]) | UInt16(bytes[start + 2 * i + 1]) << 8)) / 32768
                }
            }
            offset += 8 + size + (size & 1)
        }
        throw Missing(description: "\(path) has no data chunk")
    }

    static func fox() throws -> [Float] { try wav("fox16k.wav") }
    static func beckett() throws -> [Float] { try wav("beckett.wav") }

    /// Greedy decoding at temperature 0 only, as the reference runs (beam_size 1, temperature 0).
    static func referenceOptions(timestamps: Bool = true, language: String? = nil) -> TranscriptionOptions {
        TranscriptionOptions(language: language, temperatures: [0], withTimestamps: timestamps)
    }
}

/// Collects progress events.
final class RecordingProgress: ProgressReporter, @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [ProgressEvent] = []

    func report(_ event: ProgressEvent) {
        lock.lock()
        storage.append(event)
        lock.unlock()
    }

    var events: [ProgressEvent] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
