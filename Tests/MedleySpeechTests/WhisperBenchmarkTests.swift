import Dispatch
import Foundation
import XCTest
@testable import MedleySpeech

/// Timings for bench/asr.sh: runs only when MEDLEY_ASR_BENCH=1 (build with `-c release`), and prints one JSON
/// line per measurement, prefixed with "ASR-BENCH ", in the same shape as bench/asr_reference.py prints for
/// faster-whisper. Each workload is greedy decoding at temperature 0, as the reference runs.
final class WhisperBenchmarkTests: XCTestCase {
    private struct Clock {
        let wall = DispatchTime.now().uptimeNanoseconds
        let cpu = Self.cpuSeconds()

        static func cpuSeconds() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
                + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        }

        func elapsed() -> (wall: Double, cpu: Double) {
            (Double(DispatchTime.now().uptimeNanoseconds - wall) / 1e9, Self.cpuSeconds() - cpu)
        }
    }

    private func emit(_ fields: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        print("ASR-BENCH " + String(decoding: data, as: UTF8.self))
    }

    func testBenchmark() async throws {
        guard ProcessInfo.processInfo.environment["MEDLEY_ASR_BENCH"] == "1" else {
            throw XCTSkip("set MEDLEY_ASR_BENCH=1 (bench/asr.sh does) to run the ASR benchmark")
        }
        let runs = Int(ProcessInfo.processInfo.environment["MEDLEY_ASR_BENCH_RUNS"] ?? "") ?? 3
        let beckett = try WhisperTestSupport.beckett()
        let minute = Array([[Float]](repeating: beckett, count: 6).joined())   // 59.8 s
        for (modelID, clips) in [("whisper-tiny.en", [("beckett", beckett), ("beckett-x6", minute)]),
                                 ("whisper-base", [("beckett", beckett)])] {
            let directory = WhisperTestSupport.store + "/" + modelID
            let loadClock = Clock()
            let model = try WhisperModel(directory: directory)
            let load = loadClock.elapsed()
            try emit(["engine": "medley", "model": modelID, "what": "load", "wall": load.wall, "cpu": load.cpu])

            // One encoder window and the decoder's per-step cost, measured alone.
            let workspace = model.workspaces.take(weights: model.weights, maxBatch: 1)
            let features = LogMelSpectrogram(melBins: model.dimensions.melBins).features(of: beckett)
            features.window(at: 0, frames: features.contentFrames, into: workspace.mel.pointer)
            for _ in 0..<runs {
                let clock = Clock()
                workspace.encoder.encode(mel: workspace.mel.constPointer, output: workspace.encoderOutput.pointer)
                let time = clock.elapsed()
                try emit(["engine": "medley", "model": modelID, "what": "encode-window", "wall": time.wall, "cpu": time.cpu])
            }
            // Includes the one-off cross-attention projection, as the reference's figure does.
            let steps = 100
            for _ in 0..<runs {
                workspace.cache.length = 0
                let clock = Clock()
                workspace.decoder.setEncoderOutput(workspace.encoderOutput.constPointer)
                for step in 0..<steps {
                    workspace.decoder.forward(tokens: [step == 0 ? model.tokenizer.special.startOfTranscript : 383],
                                              batch: 1, cache: workspace.cache, logitRows: [0],
                                              logits: workspace.logits.pointer)
                }
                let time = clock.elapsed()
                try emit(["engine": "medley", "model": modelID, "what": "decode-step", "wall": time.wall / Double(steps),
                          "cpu": time.cpu / Double(steps)])
            }
            model.workspaces.give(workspace)

            let transcriber = WhisperTranscriber(model: model, options: TranscriptionOptions(language: "en",
                                                                                             temperatures: [0]))
            for (name, samples) in clips {
                for _ in 0..<runs {
                    let clock = Clock()
                    let transcript = try await transcriber.transcribe(samples: samples)
                    let time = clock.elapsed()
                    try emit(["engine": "medley", "model": modelID, "what": "transcribe-" + name, "wall": time.wall,
                              "cpu": time.cpu, "audio": Double(samples.count) / 16_000,
                              "segments": transcript.segments.count, "text": transcript.text])
                }
            }
        }
    }
}
