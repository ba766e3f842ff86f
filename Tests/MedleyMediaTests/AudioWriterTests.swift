import Foundation
import MedleyCore
import XCTest

@testable import MedleyMedia

final class AudioWriterTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try EncodingTestTools.makeTemporaryFolder()
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    private static let provenance = [
        "comment": "AI-generated speech",
        "description": "model piper-joe sha256 0123abcd",
        "model": "piper-joe",
    ]

    private struct Case {
        var format: AudioFileFormat?
        var fileName: String
        var codec: String
        var storedRate: Int?
        /// Samples per encoder frame, for the duration tolerance.
        var frameSize: Int
    }

    // MARK: - Every format

    func testEachFormatKeepsToneDurationAndTags() throws {
        let cases = [
            Case(format: nil, fileName: "tone.wav", codec: "pcm_s16le", frameSize: 4096),
            Case(format: .wavFloat, fileName: "tone-float.wav", codec: "pcm_f32le", frameSize: 4096),
            Case(format: nil, fileName: "tone.flac", codec: "flac", frameSize: 4608),
            Case(format: nil, fileName: "tone.mp3", codec: "mp3", frameSize: 1152),
            Case(format: nil, fileName: "tone.opus", codec: "opus", storedRate: 48_000, frameSize: 960 * 2),
            Case(format: .opus, fileName: "tone.ogg", codec: "opus", storedRate: 48_000, frameSize: 960 * 2),
            Case(format: nil, fileName: "tone.m4a", codec: "aac", frameSize: 1024),
            Case(format: .aac, fileName: "tone.aac", codec: "aac", frameSize: 1024),
        ]
        let rate = 44_100
        let tone = EncodingTestTools.sine(frequency: 440, amplitude: 0.5, seconds: 1.5, sampleRate: rate)
        for item in cases {
            let path = folder.appendingPathComponent(item.fileName).path
            try AudioWriter.write(tone, to: path, format: item.format, metadata: Self.provenance)
            let info = try EncodingTestTools.probe(path)
            let stream = try XCTUnwrap(info.streams.first, item.fileName)
            XCTAssertEqual(stream.codecName, item.codec, item.fileName)
            XCTAssertEqual(stream.sampleRate, item.storedRate ?? rate, item.fileName)
            XCTAssertEqual(stream.channels, 1, item.fileName)
            let tolerance = 2 * Double(item.frameSize) / Double(stream.sampleRate ?? rate) + 0.001
            let duration = try XCTUnwrap(info.duration, item.fileName)
            XCTAssertEqual(duration, tone.duration, accuracy: tolerance, item.fileName)

            // Every value survives; some containers fold comment, description and unknown keys into comment.
            let tags = info.allTags
            let comment = tags["comment"] ?? ""
            XCTAssertTrue(comment.contains("AI-generated speech"), "\(item.fileName): \(tags)")
            let description = (tags["description"] ?? "") + comment
            XCTAssertTrue(description.contains("sha256 0123abcd"), "\(item.fileName): \(tags)")
            XCTAssertTrue(((tags["model"] ?? "") + comment).contains("piper-joe"), "\(item.fileName): \(tags)")

            let decoded = try EncodingTestTools.decodeMono(path, sampleRate: rate)
            XCTAssertEqual(
                Double(decoded.count), Double(tone.frameCount), accuracy: Double(item.frameSize) * 2,
                item.fileName)
            // Skip the edges, where lossy codecs ramp in and out.
            let middle = Array(decoded[rate / 10..<(decoded.count - rate / 10)])
            XCTAssertEqual(EncodingTestTools.rms(middle), 0.5 / 2.0.squareRoot(), accuracy: 0.02, item.fileName)
            XCTAssertEqual(
                EncodingTestTools.zeroCrossingFrequency(middle, sampleRate: rate), 440, accuracy: 2,
                item.fileName)
        }
    }

    func testLosslessFormatsKeepSamples() throws {
        let rate = 16_000
        let tone = EncodingTestTools.sine(frequency: 440, amplitude: 0.5, seconds: 1, sampleRate: rate)
        let floatPath = folder.appendingPathComponent("exact.wav").path
        try AudioWriter.write(tone, to: floatPath, format: .wavFloat)
        XCTAssertEqual(try EncodingTestTools.decodeMono(floatPath, sampleRate: rate), tone.samples)
        for name in ["pcm16.wav", "pcm16.flac"] {
            let path = folder.appendingPathComponent(name).path
            try AudioWriter.write(tone, to: path)
            let decoded = try EncodingTestTools.decodeMono(path, sampleRate: rate)
            XCTAssertEqual(decoded.count, tone.frameCount, name)
            let worst = zip(decoded, tone.samples).map { abs($0 - $1) }.max() ?? 1
            XCTAssertLessThanOrEqual(worst, 1.0 / 32_768 + 1e-6, name)
        }
    }

    func testStereoAndResampledRates() throws {
        let rate = 22_050
        let mono = EncodingTestTools.sine(frequency: 440, amplitude: 0.5, seconds: 1, sampleRate: rate)
        var interleaved: [Float] = []
        interleaved.reserveCapacity(mono.samples.count * 2)
        for sample in mono.samples { interleaved += [sample, sample] }
        let stereo = AudioBuffer(samples: interleaved, sampleRate: rate, channelCount: 2)
        for (name, storedRate) in [("s.mp3", 22_050), ("s.opus", 48_000), ("s.m4a", 22_050), ("s.flac", 22_050)] {
            let path = folder.appendingPathComponent(name).path
            try AudioWriter.write(stereo, to: path, bitRate: name.hasSuffix(".wav") ? nil : 96_000)
            let stream = try XCTUnwrap(try EncodingTestTools.probe(path).streams.first)
            XCTAssertEqual(stream.channels, 2, name)
            XCTAssertEqual(stream.sampleRate, storedRate, name)
            let decoded = try EncodingTestTools.decodeMono(path, sampleRate: rate)
            let middle = Array(decoded[rate / 10..<(decoded.count - rate / 10)])
            XCTAssertEqual(EncodingTestTools.zeroCrossingFrequency(middle, sampleRate: rate), 440, accuracy: 2, name)
        }
    }

    func testBitRateOptionChangesSize() throws {
        let tone = EncodingTestTools.sine(frequency: 440, amplitude: 0.5, seconds: 2, sampleRate: 44_100)
        let low = folder.appendingPathComponent("low.mp3").path
        let high = folder.appendingPathComponent("high.mp3").path
        try AudioWriter.write(tone, to: low, bitRate: 64_000)
        try AudioWriter.write(tone, to: high, bitRate: 192_000)
        XCTAssertEqual(try EncodingTestTools.probe(low).streams.first?.bitRate, 64_000)
        XCTAssertEqual(try EncodingTestTools.probe(high).streams.first?.bitRate, 192_000)
        XCTAssertLessThan(try EncodingTestTools.fileSize(low) * 2, try EncodingTestTools.fileSize(high))
    }

    // MARK: - Streaming

    func testStreamingWithOddChunksGivesSameOutputLength() throws {
        let rate = 24_000
        let tone = EncodingTestTools.sine(frequency: 440, amplitude: 0.5, seconds: 1.3, sampleRate: rate)
        let chunkSizes = [1, 7, 333, 1000, 959, 4097, 1153, 2]
        for name in ["chunks.m4a", "chunks.opus", "chunks.mp3", "chunks.flac", "chunks.wav"] {
            let whole = folder.appendingPathComponent("whole-" + name).path
            try AudioWriter.write(tone, to: whole)

            let path = folder.appendingPathComponent(name).path
            let writer = try AudioFileWriter(path: path, sampleRate: rate, channels: 1)
            var start = 0
            var turn = 0
            while start < tone.frameCount {
                let count = min(chunkSizes[turn % chunkSizes.count], tone.frameCount - start)
                try writer.write(AudioBuffer(samples: Array(tone.samples[start..<start + count]), sampleRate: rate))
                start += count
                turn += 1
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: path), "\(name) appears only on finish()")
            XCTAssertEqual(writer.framesWritten, tone.frameCount)
            try writer.finish()
            try writer.finish()  // a second finish does nothing

            let wholeInfo = try EncodingTestTools.probe(whole)
            let chunkInfo = try EncodingTestTools.probe(path)
            XCTAssertEqual(try XCTUnwrap(chunkInfo.duration), try XCTUnwrap(wholeInfo.duration), accuracy: 1e-6, name)
            XCTAssertEqual(
                try EncodingTestTools.decodeMono(path, sampleRate: rate).count,
                try EncodingTestTools.decodeMono(whole, sampleRate: rate).count, name)
            XCTAssertEqual(try XCTUnwrap(chunkInfo.duration), tone.duration, accuracy: 2.0 * 1152 / Double(rate), name)
        }
        XCTAssertEqual(try EncodingTestTools.hiddenPartials(in: folder), [])
    }

    // MARK: - No partial output

    func testDroppedOrCancelledWriterLeavesNothing() throws {
        let tone = EncodingTestTools.sine(frequency: 440, amplitude: 0.5, seconds: 0.5, sampleRate: 16_000)
        let dropped = folder.appendingPathComponent("dropped.m4a").path
        do {
            let writer = try AudioFileWriter(path: dropped, sampleRate: 16_000, channels: 1)
            try writer.write(tone)
            XCTAssertEqual(
                try EncodingTestTools.hiddenPartials(in: folder).count, 1, "writing goes to a temporary file")
        }
        let cancelled = folder.appendingPathComponent("cancelled.wav").path
        let writer = try AudioFileWriter(path: cancelled, sampleRate: 16_000, channels: 1)
        try writer.write(tone)
        writer.cancel()
        XCTAssertThrowsError(try writer.write(tone))
        XCTAssertThrowsError(try writer.finish())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }

    func testExistingOutputIsReplacedOnlyOnSuccess() throws {
        let path = folder.appendingPathComponent("keep.wav").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let tone = EncodingTestTools.sine(frequency: 440, amplitude: 0.5, seconds: 0.2, sampleRate: 16_000)
        let writer = try AudioFileWriter(path: path, sampleRate: 16_000, channels: 1)
        try writer.write(tone)
        writer.cancel()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old")
        try AudioWriter.write(tone, to: path)
        XCTAssertEqual(try EncodingTestTools.probe(path).streams.first?.codecName, "pcm_s16le")
    }

    func testBadArgumentsThrowClearErrors() throws {
        let tone = EncodingTestTools.sine(frequency: 440, amplitude: 0.5, seconds: 0.1, sampleRate: 16_000)
        let missingFolder = folder.appendingPathComponent("no-such-folder/out.wav").path
        XCTAssertThrowsError(try AudioWriter.write(tone, to: missingFolder)) { error in
            guard case .writeFailed(let path, let reason) = error as? MedleyError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, missingFolder)
            XCTAssertTrue(reason.contains("does not exist"), reason)
        }
        let unknown = folder.appendingPathComponent("out.xyz").path
        XCTAssertThrowsError(try AudioWriter.write(tone, to: unknown)) { error in
            guard case .invalidArgument(let text) = error as? MedleyError else { return XCTFail("\(error)") }
            XCTAssertTrue(text.contains(unknown) && text.contains(".xyz"), text)
        }
        XCTAssertThrowsError(try AudioWriter.write(tone, to: folder.appendingPathComponent("o.wav").path, format: .mp3))
        let surround = AudioBuffer(samples: [Float](repeating: 0, count: 600), sampleRate: 16_000, channelCount: 3)
        XCTAssertThrowsError(try AudioWriter.write(surround, to: folder.appendingPathComponent("o.mp3").path))
        XCTAssertThrowsError(try AudioWriter.write(tone, to: folder.appendingPathComponent("o.mp3").path, bitRate: -1))
        XCTAssertThrowsError(
            try AudioWriter.write(tone, to: folder.appendingPathComponent("o.flac").path, metadata: ["a=b": "c"]))
        let directory = folder.appendingPathComponent("taken.wav")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        XCTAssertThrowsError(try AudioWriter.write(tone, to: directory.path)) { error in
            XCTAssertEqual(error as? MedleyError, .isDirectory(path: directory.path))
        }
        try FileManager.default.removeItem(at: directory)

        let writer = try AudioFileWriter(
            path: folder.appendingPathComponent("o.wav").path, sampleRate: 16_000, channels: 1)
        XCTAssertThrowsError(try writer.write(AudioBuffer(samples: [0, 0], sampleRate: 8_000))) { error in
            XCTAssertTrue("\(error)".contains("16000 Hz"), "\(error)")
        }
        writer.cancel()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }

    func testTagFoldingPerContainer() {
        let tags = ["comment": "c", "description": "d", "title": "t", "model": "m"]
        XCTAssertEqual(containerTags(tags, style: .anyKey).map(\.0), ["comment", "description", "model", "title"])
        let vorbis = Dictionary(uniqueKeysWithValues: containerTags(tags, style: .vorbisComment).map { ($0.0, $0.1) })
        XCTAssertEqual(vorbis, ["model": "m", "title": "t", "comment": "c\nd"])
        let riff = Dictionary(uniqueKeysWithValues: containerTags(tags, style: .riffInfo).map { ($0.0, $0.1) })
        XCTAssertEqual(riff, ["title": "t", "comment": "c\nd\nmodel: m"])
    }
}

// MARK: - Shared helpers for the encoding tests

/// Runs the ffmpeg and ffprobe command-line tools and measures tones, for AudioWriterTests and MuxerTests.
enum EncodingTestTools {
    struct ProbedStream {
        var index: Int
        var codecType: String
        var codecName: String
        var sampleRate: Int?
        var channels: Int?
        var bitRate: Int?
        var packetCount: Int?
        var isDefault: Bool
        var tags: [String: String]
    }

    struct ProbeResult {
        var streams: [ProbedStream]
        var formatTags: [String: String]
        var duration: Double?
        /// Format and stream tags together, with lower-case keys (Ogg keeps tags per stream, Vorbis keys are
        /// case-insensitive).
        var allTags: [String: String] {
            var merged: [String: String] = [:]
            for (key, value) in formatTags { merged[key.lowercased()] = value }
            for stream in streams { for (key, value) in stream.tags { merged[key.lowercased()] = value } }
            return merged
        }
    }

    static func makeTemporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("medley-encoding-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a tool and returns its standard output; throws with its standard error when it fails.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
        process.arguments = arguments
        let output = Pipe()
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("medley-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        let errorHandle = try FileHandle(forWritingTo: errors)
        defer { try? errorHandle.close() }
        process.standardOutput = output
        process.standardError = errorHandle
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw MedleyError.internal("\(tool) \(arguments.joined(separator: " ")) failed: \(message)")
        }
        return data
    }

    static func probe(_ path: String, countPackets: Bool = false) throws -> ProbeResult {
        var arguments = ["-v", "error", "-show_streams", "-show_format", "-of", "json"]
        if countPackets { arguments.append("-count_packets") }
        let data = try run("ffprobe", arguments + [path])
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw MedleyError.internal("ffprobe gave no JSON object for \(path)")
        }
        let format = root["format"] as? [String: Any] ?? [:]
        let streams = (root["streams"] as? [[String: Any]] ?? []).map { stream in
            ProbedStream(
                index: stream["index"] as? Int ?? -1,
                codecType: stream["codec_type"] as? String ?? "",
                codecName: stream["codec_name"] as? String ?? "",
                sampleRate: (stream["sample_rate"] as? String).flatMap { Int($0) },
                channels: stream["channels"] as? Int,
                bitRate: (stream["bit_rate"] as? String).flatMap { Int($0) },
                packetCount: (stream["nb_read_packets"] as? String).flatMap { Int($0) },
                isDefault: (stream["disposition"] as? [String: Any])?["default"] as? Int == 1,
                tags: stream["tags"] as? [String: String] ?? [:])
        }
        return ProbeResult(
            streams: streams, formatTags: format["tags"] as? [String: String] ?? [:],
            duration: (format["duration"] as? String).flatMap { Double($0) })
    }

    /// Decodes the first audio stream to mono float samples at `sampleRate` with the ffmpeg CLI.
    static func decodeMono(_ path: String, sampleRate: Int, stream: String = "a:0") throws -> [Float] {
        let data = try run(
            "ffmpeg",
            ["-v", "error", "-i", path, "-map", "0:\(stream)", "-ac", "1", "-ar", "\(sampleRate)", "-f", "f32le", "-"])
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    static func sine(frequency: Double, amplitude: Float, seconds: Double, sampleRate: Int) -> AudioBuffer {
        let count = Int(seconds * Double(sampleRate))
        let step = 2 * Double.pi * frequency / Double(sampleRate)
        let samples = (0..<count).map { amplitude * Float(sin(step * Double($0))) }
        return AudioBuffer(samples: samples, sampleRate: sampleRate)
    }

    static func rms(_ samples: [Float]) -> Double {
        guard !samples.isEmpty else { return 0 }
        return (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)).squareRoot()
    }

    /// A pure tone crosses zero twice per period.
    static func zeroCrossingFrequency(_ samples: [Float], sampleRate: Int) -> Double {
        var crossings = 0
        for index in 1..<samples.count where (samples[index - 1] < 0) != (samples[index] < 0) { crossings += 1 }
        return Double(crossings) / 2 / (Double(samples.count) / Double(sampleRate))
    }

    static func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Temporary files the writers left in `folder` (hidden `.name.partial-N.ext`).
    static func hiddenPartials(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".partial-") }
    }
}
