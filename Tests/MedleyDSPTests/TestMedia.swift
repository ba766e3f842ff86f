import Foundation
import XCTest

/// Generated test media (FFmpeg lavfi, espeak-ng) in a temporary folder, and the reference measurements of
/// ffmpeg's `ebur128` filter.
enum TestMedia {
    static let folder: String = {
        let path = NSTemporaryDirectory() + "medley-dsp-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// Runs a tool and returns its stdout+stderr; throws when it exits non-zero.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "TestMedia", code: Int(process.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: "\(tool) failed: \(text.suffix(500))"])
        }
        return text
    }

    static func available(_ tool: String) -> Bool {
        (try? run("which", [tool])) != nil
    }

    /// Makes `name` in the test folder with `ffmpeg -f lavfi -i <source> <extra>` unless it exists.
    static func lavfi(_ name: String, _ source: String, _ extra: [String] = []) throws -> String {
        let path = folder + "/" + name
        if FileManager.default.fileExists(atPath: path) { return path }
        try run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", source] + extra + [path])
        return path
    }

    /// A few seconds of espeak-ng speech (22.05 kHz mono WAV).
    static func speech(_ name: String = "speech.wav", text: String = Self.sentence) throws -> String {
        let path = folder + "/" + name
        if FileManager.default.fileExists(atPath: path) { return path }
        try run("espeak-ng", ["-w", path, text])
        return path
    }

    static let sentence = "The quick brown fox jumps over the lazy dog. Then it rests for a while, and sings."

    /// ffmpeg `ebur128=peak=true` with 3-decimal metadata: integrated LUFS, LRA, true peak dBTP.
    static func ffmpegLoudness(_ path: String) throws -> (integrated: Double, range: Double, truePeak: Double) {
        let log = folder + "/ebur128-\(UUID().uuidString).txt"
        let summary = try run("ffmpeg", ["-nostats", "-i", path, "-af",
                                         "ebur128=peak=true:metadata=1,ametadata=mode=print:file=\(log)", "-f", "null", "-"])
        let text = try String(contentsOfFile: log, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: log)
        func last(_ key: String) -> Double? {
            text.split(separator: "\n").last { $0.hasPrefix(key + "=") }.flatMap { Double($0.dropFirst(key.count + 1)) }
        }
        // The metadata's true peak is linear with 3 decimals (too coarse at low levels): read the summary's dBFS.
        let peakLine = summary.split(separator: "\n").last { $0.contains("Peak:") }
        let peak = peakLine.flatMap { line in
            line.split(separator: " ").compactMap { Double($0) }.first
        }
        guard let i = last("lavfi.r128.I"), let lra = last("lavfi.r128.LRA"), let peak else {
            throw XCTSkip("could not read ffmpeg's ebur128 output")
        }
        return (i, lra, peak)
    }
}
