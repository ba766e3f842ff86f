import Foundation
import MedleyCore
import MedleyMedia

/// Settings of ``VoiceOverMixer``.
public struct VoiceOverSettings: Sendable, Equatable {
    /// When the voice starts, in seconds from the start of the video.
    public var voiceStart: Double = 0
    /// Gain of the video's own audio while the voice speaks, in dB (broadcast voice-over ducking is
    /// typically 10-15 dB).
    public var duckGainDB: Double = -12
    /// Gain of the voice, in dB.
    public var voiceGainDB: Double = 0
    /// How long the ducking takes to come in, starting this long before the voice (s).
    public var attack: Double = 0.15
    /// How long the video's audio takes to come back after the voice stops (s).
    public var release: Double = 0.4
    /// Voice blocks quieter than this (dBFS RMS over 10 ms) count as pauses: the pause must last longer than
    /// ``hold`` for the background to come back up.
    public var voiceThresholdDB: Double = -45
    /// Pauses in the voice shorter than this keep the background ducked (s), so it does not pump between words.
    public var hold: Double = 0.5

    public init() {}
}

/// Mixes a voice-over into a video: the video's audio is lowered (ducked) wherever the voice speaks, the two
/// are summed, and the result replaces the video's audio while its picture is copied untouched.
///
/// Two passes, both streamed: the first measures where the voice speaks (10 ms blocks: about 400 bytes per
/// second of voice), the second decodes both at 48 kHz stereo, applies the smoothed ducking gain and encodes AAC.
public enum VoiceOverMixer {
    /// Mixing rate and channels: 48 kHz stereo, the usual rate of video soundtracks.
    static let sampleRate = 48_000
    static let channels = 2
    /// Activity is measured on 10 ms blocks.
    static let blockFrames = 480

    /// Writes `output` (MP4) from `video`'s picture and the mix of its audio with `voice`.
    ///
    /// A video without an audio track gets the voice alone; the output lasts as long as the video's audio
    /// (or the video, when it has none), and a voice running past the end is cut there.
    ///
    /// - Throws: ``MedleyError`` naming the file at fault (`noStream` when `video` has no video or `voice` no
    ///   audio, decoding and writing errors); no output is left behind on error.
    public static func mix(video: String, voice: String, output: String, settings: VoiceOverSettings = VoiceOverSettings(),
                           progress: any ProgressReporter = SilentProgress()) async throws {
        guard settings.voiceStart >= 0, settings.voiceStart.isFinite else {
            throw MedleyError.invalidArgument("voice start must be a time >= 0, not \(settings.voiceStart)")
        }
        let info = try MediaProbe.probe(path: video)
        guard info.firstStream(ofType: "video") != nil else { throw MedleyError.noStream(path: video, kind: "video") }
        let hasAudio = info.firstStream(ofType: "audio") != nil
        let voiceStartFrame = Int((settings.voiceStart * Double(sampleRate)).rounded())
        let gains = duckingGains(try voiceActivity(voice, settings: settings),
                                 startBlock: voiceStartFrame / blockFrames, settings: settings)

        let mixed = URL(fileURLWithPath: output).deletingLastPathComponent()
            .appendingPathComponent(".voiceover-\(UInt32.random(in: 0...UInt32.max)).m4a").path
        defer { try? FileManager.default.removeItem(atPath: mixed) }
        let writer = try AudioFileWriter(path: mixed, sampleRate: sampleRate, channels: channels)
        do {
            let background = hasAudio ? try AudioDecoder(path: video, sampleRate: sampleRate, channels: channels) : nil
            let silentFrames = Int(((info.duration ?? 0) * Double(sampleRate)).rounded())
            let speech = try AudioDecoder(path: voice, sampleRate: sampleRate, channels: channels)
            let voiceGain = Float(pow(10, settings.voiceGainDB / 20))
            var chunk = AudioBuffer(samples: [], sampleRate: sampleRate, channelCount: channels)
            var voiceChunk = AudioBuffer(samples: [], sampleRate: sampleRate, channelCount: channels)
            var voiceQueue: [Float] = [] // interleaved voice samples from the next voice frame to mix on
            var voiceDone = false
            var position = 0 // output frames written so far
            while true {
                try Task.checkCancellation()
                if let background {
                    guard try background.read(into: &chunk, maxFrames: 1 << 14) else { break }
                } else {
                    let frames = min(1 << 14, silentFrames - position)
                    guard frames > 0 else { break }
                    chunk.samples = [Float](repeating: 0, count: frames * channels)
                }
                let frames = chunk.frameCount
                for frame in 0..<frames {
                    let gain = gain(atFrame: position + frame, gains: gains)
                    for c in 0..<channels { chunk.samples[frame * channels + c] *= gain }
                }
                // The voice where this chunk overlaps it; chunks come in order, so the queue's head is always
                // the voice frame that lands on `max(position, voiceStartFrame)`.
                let chunkEnd = position + frames
                if chunkEnd > voiceStartFrame {
                    let from = max(position, voiceStartFrame)
                    let needed = (chunkEnd - from) * channels
                    while !voiceDone, voiceQueue.count < needed {
                        if try speech.read(into: &voiceChunk, maxFrames: 1 << 14) {
                            voiceQueue.append(contentsOf: voiceChunk.samples)
                        } else {
                            voiceDone = true
                        }
                    }
                    let offset = (from - position) * channels
                    let available = min(voiceQueue.count, needed)
                    for i in 0..<available {
                        chunk.samples[offset + i] = max(-1, min(1, chunk.samples[offset + i] + voiceGain * voiceQueue[i]))
                    }
                    voiceQueue.removeFirst(available)
                }
                try writer.write(chunk)
                position = chunkEnd
                progress.report(ProgressEvent(stage: "voiceover", completed: Double(position) / Double(sampleRate),
                                              total: info.duration, unit: "s"))
            }
            try writer.finish()
        } catch {
            writer.cancel()
            throw error
        }
        try Muxer.mux(video: video, audio: mixed, output: output, options: MuxOptions(replaceAudio: true))
    }

    /// For each 10 ms block of the voice, whether it is louder than the threshold.
    static func voiceActivity(_ path: String, settings: VoiceOverSettings) throws -> [Bool] {
        let decoder = try AudioDecoder(path: path, sampleRate: sampleRate, channels: 1)
        let threshold = Float(pow(10, settings.voiceThresholdDB / 20))
        var buffer = AudioBuffer(samples: [], sampleRate: sampleRate)
        var pending: [Float] = []
        var active: [Bool] = []
        while try decoder.read(into: &buffer, maxFrames: 1 << 15) {
            try Task.checkCancellation()
            pending.append(contentsOf: buffer.samples)
            var start = 0
            while pending.count - start >= blockFrames {
                var energy: Float = 0
                for i in start..<(start + blockFrames) { energy += pending[i] * pending[i] }
                active.append((energy / Float(blockFrames)).squareRoot() > threshold)
                start += blockFrames
            }
            pending.removeFirst(start)
        }
        return active
    }

    /// The background gain for each 10 ms block of the output, from block 0: `duck` from `attack` before the
    /// voice speaks until `release` after it, pauses shorter than `hold` bridged, linear ramps in between.
    /// Blocks past the end of the array have gain 1.
    static func duckingGains(_ active: [Bool], startBlock: Int, settings: VoiceOverSettings) -> [Float] {
        guard active.contains(true) else { return [] }
        let blockSeconds = Double(blockFrames) / Double(sampleRate)
        let holdBlocks = Int(settings.hold / blockSeconds)
        let attackBlocks = max(1, Int(settings.attack / blockSeconds))
        let releaseBlocks = max(1, Int(settings.release / blockSeconds))
        let duck = Float(pow(10, settings.duckGainDB / 20))
        var ducked = [Bool](repeating: false, count: startBlock + active.count)
        var lastActive: Int?
        for (index, isActive) in active.enumerated() where isActive {
            let block = startBlock + index
            if let last = lastActive, block - last <= holdBlocks { for i in last..<block { ducked[i] = true } }
            ducked[block] = true
            lastActive = block
        }
        var gains = [Float](repeating: 1, count: ducked.count + releaseBlocks)
        // Release: after a ducked block the gain rises linearly back to 1.
        var sinceDucked = Int.max
        for i in gains.indices {
            if i < ducked.count, ducked[i] { sinceDucked = 0 } else if sinceDucked != Int.max { sinceDucked += 1 }
            if sinceDucked < releaseBlocks {
                gains[i] = duck + (1 - duck) * Float(sinceDucked) / Float(releaseBlocks)
            }
        }
        // Attack: before a ducked block the gain falls linearly to `duck`.
        var untilDucked = Int.max
        for i in stride(from: gains.count - 1, through: 0, by: -1) {
            if i < ducked.count, ducked[i] { untilDucked = 0 } else if untilDucked != Int.max { untilDucked += 1 }
            if untilDucked < attackBlocks {
                gains[i] = min(gains[i], duck + (1 - duck) * Float(untilDucked) / Float(attackBlocks))
            }
        }
        return gains
    }

    /// The background gain at an output frame, interpolated linearly between block gains.
    static func gain(atFrame frame: Int, gains: [Float]) -> Float {
        let position = Double(frame) / Double(blockFrames)
        let index = Int(position)
        guard index + 1 < gains.count else { return index < gains.count ? gains[index] : 1 }
        let fraction = Float(position - Double(index))
        return gains[index] + (gains[index + 1] - gains[index]) * fraction
    }
}
