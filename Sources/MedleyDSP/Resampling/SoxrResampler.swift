internal import CSoxr
import Foundation
import MedleyCore

/// Streaming mono resampling with libsoxr's "HQ" quality: what `librosa.load` uses (`res_type="soxr_hq"`),
/// so features computed after it match librosa's.
///
/// With Debian's libsoxr 0.1.3 this reproduces `librosa.load` bit for bit (HQ: 20-bit precision, linear phase,
/// passband to 0.9137 of the lower Nyquist). As librosa does, the output length is forced to
/// `ceil(n·outputRate/inputRate)` for n input samples: the last few samples are held back until ``finish(_:)``
/// so the tail can be trimmed or zero-padded.
///
/// Threading: owns a soxr handle; not thread-safe; one per stream.
public final class SoxrResampler {
    /// Input rate in Hz.
    public let inputRate: Int
    /// Output rate in Hz.
    public let outputRate: Int
    private let handle: soxr_t?
    private var inputCount = 0
    private var emitted = 0
    private var held: [Float] = []
    private var output: [Float] = []
    /// Output samples kept back for the final length adjustment.
    private static let holdBack = 64

    /// soxr's quality recipe "HQ" (`SOXR_HQ` = 4), librosa's `soxr_hq`.
    static let highQuality = UInt(4)

    /// Creates a resampler, or a pass-through when the rates are equal.
    public init(inputRate: Int, outputRate: Int) throws {
        guard inputRate > 0, outputRate > 0 else {
            throw MedleyError.invalidArgument("resampler: rates must be positive (\(inputRate) -> \(outputRate))")
        }
        self.inputRate = inputRate
        self.outputRate = outputRate
        if inputRate == outputRate {
            handle = nil
            return
        }
        var io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var quality = soxr_quality_spec(Self.highQuality, 0)
        var error: soxr_error_t? = nil
        let created = soxr_create(Double(inputRate), Double(outputRate), 1, &error, &io, &quality, nil)
        if let error {
            soxr_delete(created)
            throw MedleyError.internal("soxr_create: \(String(cString: error))")
        }
        handle = created
    }

    deinit { soxr_delete(handle) }

    /// Resamples a chunk; `body` receives the output samples that are final.
    public func push(_ samples: UnsafeBufferPointer<Float>, _ body: (UnsafeBufferPointer<Float>) throws -> Void) throws {
        inputCount += samples.count
        guard let handle else {
            try body(samples)
            emitted += samples.count
            return
        }
        try run(handle, samples.baseAddress, samples.count)
        try release(keeping: Self.holdBack, body)
    }

    /// Flushes the filter and emits the rest, so that the total is exactly `ceil(n·outputRate/inputRate)`.
    public func finish(_ body: (UnsafeBufferPointer<Float>) throws -> Void) throws {
        guard let handle else { return }
        try run(handle, nil, 0)
        let target = Int((Double(inputCount) * Double(outputRate) / Double(inputRate)).rounded(.up))
        let wanted = target - emitted
        if held.count > wanted {
            held.removeLast(held.count - max(0, wanted))
        } else {
            held.append(contentsOf: repeatElement(0, count: wanted - held.count))
        }
        try release(keeping: 0, body)
    }

    private func run(_ handle: soxr_t, _ input: UnsafePointer<Float>?, _ count: Int) throws {
        var remaining = count
        var pointer = input
        repeat {
            let room = max(4096, Int(Double(remaining) * Double(outputRate) / Double(inputRate)) + 256)
            if output.count < room { output = [Float](repeating: 0, count: room) }
            var consumed = 0, produced = 0
            let error = output.withUnsafeMutableBufferPointer { out in
                soxr_process(handle, pointer, remaining, &consumed, out.baseAddress, room, &produced)
            }
            if let error { throw MedleyError.internal("soxr_process: \(String(cString: error))") }
            held.append(contentsOf: output[0..<produced])
            remaining -= consumed
            if let p = pointer { pointer = p + consumed }
            // Flushing (input nil) ends when soxr has nothing more to give.
            if input == nil && produced == 0 { break }
            if input != nil && remaining == 0 && produced < room { break }
        } while true
    }

    private func release(keeping: Int, _ body: (UnsafeBufferPointer<Float>) throws -> Void) throws {
        let count = held.count - keeping
        guard count > 0 else { return }
        try held.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<count])) }
        held.removeFirst(count)
        emitted += count
    }
}

@available(*, unavailable, message: "a SoxrResampler owns a soxr handle; use one per stream")
extension SoxrResampler: Sendable {}
