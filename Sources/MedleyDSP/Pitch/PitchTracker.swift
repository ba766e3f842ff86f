import Foundation
import MedleyCore

/// Pitch-estimation algorithm.
public enum PitchMethod: String, Sendable, CaseIterable {
    /// YIN (de Cheveigné & Kawahara 2002) as librosa 0.11's `yin`: an f0 on every frame.
    case yin
    /// Probabilistic YIN (Mauch & Dixon 2014) as librosa 0.11's `pyin`: f0 quantised to 10-cent bins, with an
    /// HMM voicing decision and a voicing probability.
    case pyin
}

/// Parameters of ``PitchTracker``; defaults are librosa 0.11's with `fmin`/`fmax` = C2/C7, the range of its
/// examples (librosa requires them).
public struct PitchSettings: Sendable, Equatable {
    /// Analysis rate (librosa.load's 22,050 Hz; files are resampled with soxr HQ).
    public var sampleRate = 22_050
    /// Samples per frame (librosa `frame_length=2048`).
    public var frameLength = 2048
    /// Samples between frames (librosa `frame_length // 4`).
    public var hop = 512
    /// Lowest f0 in Hz (C2 = 65.406 Hz).
    public var minHz = 65.40639132514966
    /// Highest f0 in Hz (C7 = 2093.005 Hz).
    public var maxHz = 2093.004522404789
    /// The algorithm.
    public var method = PitchMethod.pyin
    /// YIN's absolute threshold (librosa `trough_threshold=0.1`).
    public var troughThreshold: Float = 0.1
    /// pYIN thresholds (librosa `n_thresholds=100`).
    public var thresholdCount = 100
    /// pYIN Beta prior over thresholds (librosa `beta_parameters=(2, 18)`).
    public var betaA = 2.0, betaB = 18.0
    /// pYIN trough-rank prior (librosa `boltzmann_parameter=2`).
    public var boltzmann = 2.0
    /// pYIN pitch resolution in semitones (librosa `resolution=0.1`).
    public var resolution = 0.1
    /// pYIN largest pitch change in octaves per second (librosa `max_transition_rate=35.92`).
    public var maxTransitionRate = 35.92
    /// pYIN voiced/unvoiced switch probability (librosa `switch_prob=0.01`).
    public var switchProbability = 0.01
    /// pYIN probability given to the global minimum when no trough is below a threshold (librosa `no_trough_prob=0.01`).
    public var noTroughProbability = 0.01
    /// Frames whose RMS is below this level (dBFS) are declared unvoiced before the HMM (pYIN) or get voicing
    /// probability 0 (YIN). librosa has no such gate and finds pitch in the noise floor of near-silent passages;
    /// nil turns the gate off for exact librosa output.
    public var silenceThresholdDB: Double? = -60

    /// librosa's defaults with the C2-C7 range and the silence gate at -60 dBFS.
    public init() {}

    func validate() throws {
        guard sampleRate > 0, frameLength >= 16, hop >= 1 else {
            throw MedleyError.invalidArgument("pitch: need a positive rate, frame length ≥ 16 and hop ≥ 1")
        }
        guard minHz > 0, maxHz > minHz, maxHz < Double(sampleRate) / 2 else {
            throw MedleyError.invalidArgument("pitch: need 0 < fmin < fmax < sampleRate/2, got \(minHz)...\(maxHz)")
        }
        guard Double(sampleRate) / minHz >= 2, Int((Double(sampleRate) / maxHz).rounded(.down)) >= 1 else {
            throw MedleyError.invalidArgument("pitch: the f0 range does not fit the frame")
        }
    }
}

/// One analysis frame of a pitch track.
public struct PitchFrame: Sendable, Equatable, Encodable {
    /// Centre of the frame in seconds.
    public var time: Double
    /// f0 in Hz, or nil when unvoiced (pYIN) or below the silence gate (both methods).
    public var f0: Double?
    /// Voicing probability in [0, 1] (pYIN: the summed trough probability; YIN: 1 − d' at the chosen period).
    public var voicedProbability: Double

    enum CodingKeys: String, CodingKey { case time, f0, voicedProbability = "voiced_probability" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode((time * 10_000).rounded() / 10_000, forKey: .time)
        try c.encode(f0.map { ($0 * 1000).rounded() / 1000 }, forKey: .f0)
        try c.encode((voicedProbability * 10_000).rounded() / 10_000, forKey: .voicedProbability)
    }
}

/// A pitch track: frames every ``hopSeconds``.
public struct PitchTrack: Sendable, Equatable, Encodable {
    /// The method used.
    public var method: String
    /// Seconds between frames.
    public var hopSeconds: Double
    /// The frames.
    public var frames: [PitchFrame]

    enum CodingKeys: String, CodingKey { case method, hopSeconds = "hop_seconds", frames }

    /// `time,f0,voiced_probability` lines (empty f0 when unvoiced).
    public func csv() -> String {
        var out = "time,f0,voiced_probability\n"
        for f in frames {
            out += String(format: "%.4f,", f.time) + (f.f0.map { String(format: "%.3f", $0) } ?? "")
                + String(format: ",%.4f\n", f.voicedProbability)
        }
        return out
    }
}

/// Streaming f0 estimation with YIN or pYIN, frame for frame equal to librosa 0.11 on the same samples.
///
/// Frames of `frameLength` samples every `hop`, centred with zero padding. Feed mono samples at
/// ``PitchSettings/sampleRate`` with ``process(_:)``, then ``finish()``. Memory: one frame of work, the pYIN
/// Viterbi's fixed-lag window (see ``PitchViterbi``), and the track itself.
public final class PitchTracker {
    /// The settings.
    public let settings: PitchSettings
    private var slicer: FrameSlicer
    private var difference: YINDifference
    private let observation: PYINObservation?
    private var viterbi: PitchViterbi?
    private var yin: [Float]
    private var observed: [Double]
    private var yinFrames: [(f0: Double, probability: Double)] = []
    private var voicedProbabilities: [Double] = []

    /// Creates a tracker.
    public init(settings: PitchSettings = PitchSettings()) throws {
        try settings.validate()
        self.settings = settings
        slicer = FrameSlicer(frameLength: settings.frameLength, hop: settings.hop, centered: true)
        let minPeriod = Int((Double(settings.sampleRate) / settings.maxHz).rounded(.down))
        let maxPeriod = min(Int((Double(settings.sampleRate) / settings.minHz).rounded(.up)), settings.frameLength - 1)
        difference = try YINDifference(frameLength: settings.frameLength, minPeriod: minPeriod, maxPeriod: maxPeriod)
        yin = [Float](repeating: 0, count: maxPeriod - minPeriod + 1)
        if settings.method == .pyin {
            let model = PYINObservation(settings: settings, minPeriod: minPeriod)
            observation = model
            let semitonesPerFrame = (settings.maxTransitionRate * 12 * Double(settings.hop) / Double(settings.sampleRate))
                .rounded(.toNearestOrEven)
            let width = Int(semitonesPerFrame) * model.binsPerSemitone + 1
            viterbi = PitchViterbi(binCount: model.binCount, halfWidth: width / 2, switchProbability: settings.switchProbability)
            observed = [Double](repeating: 0, count: 2 * model.binCount)
        } else {
            observation = nil
            observed = []
        }
    }

    /// Analyses mono samples at the settings' rate.
    public func process(_ samples: UnsafeBufferPointer<Float>) throws {
        if Task.isCancelled { throw MedleyError.cancelled }
        slicer.push(samples) { analyse($0) }
    }

    /// Array convenience for ``process(_:)``.
    public func process(_ samples: [Float]) throws {
        try samples.withUnsafeBufferPointer { try process($0) }
    }

    private func analyse(_ frame: UnsafePointer<Float>) {
        let count = yin.count
        yin.withUnsafeMutableBufferPointer { d in
            let x = d.baseAddress!
            difference.compute(frame, into: x)
            var silent = false
            if let gate = settings.silenceThresholdDB {
                var energy = 0.0
                for i in 0..<settings.frameLength { energy += Double(frame[i] * frame[i]) }
                silent = 10 * log10(energy / Double(settings.frameLength) + 1e-30) < gate
            }
            if let observation, viterbi != nil {
                observed.withUnsafeMutableBufferPointer { o in
                    if silent {
                        for b in 0..<observation.binCount { o[b] = 0; o[observation.binCount + b] = 1 / Double(observation.binCount) }
                        voicedProbabilities.append(0)
                    } else {
                        voicedProbabilities.append(observation.observe(x, count: count, into: o.baseAddress!))
                    }
                    viterbi?.add(o.baseAddress!)
                }
                return
            }
            // YIN: the first trough below the threshold, else the global minimum.
            var chosen = -1, global = 0
            for i in 0..<count {
                if x[i] < x[global] { global = i }
                if chosen < 0 && x[i] < settings.troughThreshold && YINDifference.isTrough(x, count: count, at: i) { chosen = i }
            }
            if chosen < 0 { chosen = global }
            let shift = YINDifference.parabolicShift(x, count: count, at: chosen)
            let period = Double(difference.minPeriod + chosen) + Double(shift)
            yinFrames.append((silent ? .nan : Double(settings.sampleRate) / period, silent ? 0 : Double(min(max(1 - x[chosen], 0), 1))))
        }
    }

    /// Ends the stream and returns the track.
    public func finish() throws -> PitchTrack {
        slicer.finish { analyse($0) }
        let hop = Double(settings.hop) / Double(settings.sampleRate)
        var frames: [PitchFrame] = []
        if var viterbi, let observation {
            let states = viterbi.finish()
            self.viterbi = viterbi
            frames.reserveCapacity(states.count)
            for (t, state) in states.enumerated() {
                let s = Int(state)
                let voiced = s < observation.binCount
                let bin = s % observation.binCount
                let f0 = settings.minHz * pow(2, Double(bin) / (12 * Double(observation.binsPerSemitone)))
                frames.append(PitchFrame(time: Double(t) * hop, f0: voiced ? f0 : nil, voicedProbability: voicedProbabilities[t]))
            }
        } else {
            frames = yinFrames.enumerated().map { t, v in
                PitchFrame(time: Double(t) * hop, f0: v.f0.isNaN ? nil : v.f0, voicedProbability: v.probability)
            }
        }
        return PitchTrack(method: settings.method.rawValue, hopSeconds: hop, frames: frames)
    }
}

@available(*, unavailable, message: "a PitchTracker is a per-stream state machine; use one per task")
extension PitchTracker: Sendable {}
