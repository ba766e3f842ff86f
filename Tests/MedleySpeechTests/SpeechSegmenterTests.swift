import Foundation
import XCTest
@testable import MedleySpeech

/// Checks the segmenter against silero-vad's own `get_speech_timestamps_from_probs`, run from the
/// silero-vad wheel that set-up caches, on the same probability sequences.
final class SpeechSegmenterTests: XCTestCase {
    private func segments(_ probabilities: [Float], configuration: VADConfiguration = VADConfiguration()) -> [[Int]] {
        var segmenter = SpeechSegmenter(configuration: configuration)
        var out: [Range<Int>] = []
        for p in probabilities { out += segmenter.push(p) }
        out += segmenter.finish(totalSamples: probabilities.count * 512)
        return out.map { [$0.lowerBound, $0.upperBound] }
    }

    func testSimpleSpeechIsPaddedBy30ms() {
        // 1 s silence, 2 s speech, 1 s silence at 16 kHz, 512-sample windows.
        let windows = 16_000 / 512
        let probabilities = [Float](repeating: 0.01, count: windows) + [Float](repeating: 0.9, count: 2 * windows)
            + [Float](repeating: 0.01, count: windows)
        let result = segments(probabilities)
        XCTAssertEqual(result.count, 1)
        XCTAssertEqual(result[0][0], windows * 512 - 480)
        XCTAssertEqual(result[0][1], 3 * windows * 512 + 480)
    }

    func testShortBlipsAreDropped() {
        let probabilities = [Float](repeating: 0.01, count: 40) + [0.9, 0.9, 0.9] + [Float](repeating: 0.01, count: 40)
        XCTAssertEqual(segments(probabilities), [])
    }

    func testSilenceGivesNothing() {
        XCTAssertEqual(segments([Float](repeating: 0, count: 500)), [])
        XCTAssertEqual(segments([]), [])
    }

    func testMatchesSileroReferenceOnRandomSequences() throws {
        let wheel = try sileroWheel()
        var generator = SystemRandomNumberGenerator()
        var cases: [[Float]] = []
        for _ in 0..<30 {
            // Runs of speech and silence with noisy probabilities, like a real VAD trace.
            var sequence: [Float] = []
            while sequence.count < 600 {
                let speech = Bool.random(using: &generator)
                let length = Int.random(in: 1...60, using: &generator)
                for _ in 0..<length {
                    let base: Float = speech ? 0.8 : 0.1
                    sequence.append(min(1, max(0, base + Float.random(in: -0.45...0.45, using: &generator))))
                }
            }
            cases.append(sequence)
        }
        var configurations: [VADConfiguration] = [VADConfiguration()]
        var long = VADConfiguration()
        long.maxSpeechDuration = 3
        configurations.append(long)

        for configuration in configurations {
            let expected = try runReference(wheel: wheel, cases: cases, maxSpeech: configuration.maxSpeechDuration)
            for (index, sequence) in cases.enumerated() {
                XCTAssertEqual(segments(sequence, configuration: configuration), expected[index],
                               "case \(index), max speech \(configuration.maxSpeechDuration)")
            }
        }
    }

    private func sileroWheel() throws -> String {
        let cache = ProcessInfo.processInfo.environment["MEDLEY_WHEELS"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/medley/wheels").path
        let files = (try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []
        guard let wheel = files.first(where: { $0.hasPrefix("silero_vad-") && $0.hasSuffix(".whl") }) else {
            XCTFail("the silero-vad wheel is not in \(cache); run `make setup`")
            throw XCTSkip("no silero wheel")
        }
        return cache + "/" + wheel
    }

    /// Runs silero's own function, taken from the wheel's source without importing torch.
    private func runReference(wheel: String, cases: [[Float]], maxSpeech: Double) throws -> [[[Int]]] {
        let script = """
        import ast, json, sys, zipfile
        source = zipfile.ZipFile(sys.argv[1]).read('silero_vad/utils_vad.py').decode()
        tree = ast.parse(source)
        fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == 'get_speech_timestamps_from_probs')
        namespace = {'List': list, 'Callable': object}
        exec(compile(ast.Module(body=[fn], type_ignores=[]), 'silero', 'exec'), namespace)
        data = json.load(sys.stdin)
        out = []
        for probs in data['cases']:
            speeches = namespace['get_speech_timestamps_from_probs'](probs, max_speech_duration_s=data['max_speech'],
                audio_length_samples=len(probs) * 512)
            out.append([[s['start'], s['end']] for s in speeches])
        json.dump(out, sys.stdout)
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, wheel]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let payload: [String: Any] = ["cases": cases.map { $0.map(Double.init) },
                                      "max_speech": maxSpeech.isFinite ? maxSpeech : 1e9]
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: payload))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "reference script failed")
        return try JSONDecoder().decode([[[Int]]].self, from: data)
    }
}
