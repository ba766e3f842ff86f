import Foundation
import MedleyCore
import MedleyRuntime
import XCTest

/// The smoke test of the runtime: a real model, real speech, real OpenVINO.
final class SileroVADTests: XCTestCase {
    private func compiledSilero(_ settings: CompileSettings = .default) throws -> CompiledModel {
        try Runtime.loadModel(path: TestSupport.sileroModelPath()).compile(settings)
    }

    func testSpeechIsDetectedAndSilenceIsNot() throws {
        let model = try compiledSilero()
        let speech = try TestSupport.speechSamples()
        XCTAssertGreaterThan(speech.count, SileroVAD.sampleRate, "espeak-ng should produce over a second of speech")

        var vad = try SileroVAD(model)
        let speechProbabilities = try vad.probabilities(speech)
        let speechMax = speechProbabilities.max() ?? 0
        print("silero on \(speech.count) samples of speech: max \(speechMax), chunks over 0.5: "
              + "\(speechProbabilities.filter { $0 > 0.5 }.count) of \(speechProbabilities.count)")
        XCTAssertGreaterThan(speechMax, 0.5)

        // One second of digital silence, with fresh state, as a separate stream.
        var quiet = try SileroVAD(model)
        let silence = try quiet.probabilities([Float](repeating: 0, count: SileroVAD.sampleRate))
        let silenceMax = silence.max() ?? 1
        let silenceMean = silence.reduce(0, +) / Float(silence.count)
        print("silero on 1 s of digital silence: max \(silenceMax), mean \(silenceMean)")
        XCTAssertLessThan(silenceMax, 0.2)
        XCTAssertLessThan(silenceMean, 0.05)
    }

    func testStepByStepRequestMatchesRun() throws {
        let model = try compiledSilero()
        let speech = try TestSupport.speechSamples()
        var vad = try SileroVAD(model)
        let expected = try vad.probabilities(Array(speech.prefix(20 * SileroVAD.chunkSize)))

        // The same stream through setInput/infer/output, with the output's state tensor fed straight back.
        let request = try model.makeInferRequest()
        var context = [Float](repeating: 0, count: SileroVAD.contextSize)
        try request.setInput("state", Tensor(zeros: SileroVAD.stateShape, elementType: .f32))
        var got: [Float] = []
        for start in stride(from: 0, to: 20 * SileroVAD.chunkSize, by: SileroVAD.chunkSize) {
            let frame = context + speech[start..<(start + SileroVAD.chunkSize)]
            try request.setInput(at: 0, Tensor(shape: [1, frame.count], floats: frame))
            try request.infer()
            got.append(try request.output("output").floats()[0])
            try request.setInput("state", request.output(at: 1))
            context = Array(frame.suffix(SileroVAD.contextSize))
        }
        XCTAssertEqual(got.count, expected.count)
        for (a, b) in zip(got, expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    func testChunkLatency() throws {
        let model = try compiledSilero()
        var vad = try SileroVAD(model)
        let chunk = (0..<SileroVAD.chunkSize).map { Float(sin(Double($0) * 0.05)) * 0.1 }
        for _ in 0..<20 { _ = try vad.probability(ofChunk: chunk) }  // warm-up
        let runs = 300
        let clock = ContinuousClock()
        let whole = try clock.measure {
            for _ in 0..<runs { _ = try vad.probability(ofChunk: chunk) }
        }
        // OpenVINO alone: inputs already in place, no copies.
        let request = vad.request
        let inferOnly = try clock.measure {
            for _ in 0..<runs { try request.infer() }
        }
        let build = isDebugBuild ? "debug" : "release"
        print("silero VAD per 512-sample chunk (32 ms of audio), f32, \(build) build: "
              + "\(microseconds(whole / runs)) us with run() (tensors in and out, state fed back), "
              + "\(microseconds(inferOnly / runs)) us for infer() alone")
    }

    private func microseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.1f", Double(seconds) * 1e6 + Double(attoseconds) / 1e12)
    }

    func testBothPrecisionsRunAndAgree() throws {
        let speech = try TestSupport.speechSamples()
        let samples = Array(speech.prefix(40 * SileroVAD.chunkSize))
        var results: [CompileSettings.Precision: [Float]] = [:]
        for precision in CompileSettings.Precision.allCases {
            let model = try compiledSilero(CompileSettings(precision: precision))
            // OpenVINO reports the precision it runs: a bf16 request runs in f32 on CPUs without bf16 (AVX2 only).
            let hint = try model.property("INFERENCE_PRECISION_HINT")
            XCTAssertTrue(hint == precision.rawValue || (precision == .bf16 && hint == "f32"), hint)
            var vad = try SileroVAD(model)
            results[precision] = try vad.probabilities(samples)
        }
        let f32 = try XCTUnwrap(results[.f32])
        let bf16 = try XCTUnwrap(results[.bf16])
        let maxDifference = zip(f32, bf16).map { abs($0 - $1) }.max() ?? 0
        print("silero f32 vs bf16 over \(f32.count) chunks: max difference \(maxDifference)")
        // DESIGN.md measured 0.055 on this CPU; bf16 must stay close, not equal.
        XCTAssertLessThan(maxDifference, 0.2)
    }

    func testThreadAndHintSettingsReachOpenVINO() throws {
        let settings = CompileSettings(precision: .f32, threads: 1, performanceHint: .throughput)
        let model = try compiledSilero(settings)
        XCTAssertEqual(try model.property("INFERENCE_NUM_THREADS"), "1")
        XCTAssertEqual(try model.property("PERFORMANCE_HINT"), "THROUGHPUT")
        var vad = try SileroVAD(model)
        XCTAssertLessThan(try vad.probability(ofChunk: [Float](repeating: 0, count: SileroVAD.chunkSize)), 0.2)
    }

    func testConcurrentRunsOnOneCompiledModel() throws {
        let model = try compiledSilero()
        let input = try Tensor(shape: [1, 576], floats: (0..<576).map { Float(sin(Double($0) * 0.1)) * 0.3 })
        let state = Tensor(zeros: SileroVAD.stateShape, elementType: .f32)
        let expected = try model.run(["input": input, "state": state])["output"]
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<25 {
                do {
                    results.append(try model.run([input, state])[0])
                } catch {
                    results.fail("\(error)")
                }
            }
        }
        XCTAssertEqual(results.failures, [])
        XCTAssertEqual(results.tensors.count, 200)
        XCTAssertTrue(results.tensors.allSatisfy { $0 == expected })
    }
}

/// Collects results from concurrent work.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var storedTensors: [Tensor] = []
    private var storedFailures: [String] = []
    func append(_ tensor: Tensor) { lock.withLock { storedTensors.append(tensor) } }
    func fail(_ message: String) { lock.withLock { storedFailures.append(message) } }
    var tensors: [Tensor] { lock.withLock { storedTensors } }
    var failures: [String] { lock.withLock { storedFailures } }
}

#if DEBUG
let isDebugBuild = true
#else
let isDebugBuild = false
#endif
