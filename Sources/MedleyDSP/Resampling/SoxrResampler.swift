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
    /// Output not yet handed out (soxr writes straight after it): `heldCount` of `heldCapacity` floats.
    private var held: UnsafeMutablePointer<Float>
    private var heldCount = 0
    private var heldCapacity = 0
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
        held = .allocate(capacity: 0)
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

    deinit {
        soxr_delete(handle)
        held.deallocate()
    }

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
        let wanted = max(0, target - emitted)
        if heldCount > wanted {
            heldCount = wanted
        } else {
            reserve(wanted)
            (held + heldCount).initialize(repeating: 0, count: wanted - heldCount)
            heldCount = wanted
        }
        try release(keeping: 0, body)
    }

    /// Grows the held buffer to at least `capacity` floats, keeping its contents.
    private func reserve(_ capacity: Int) {
        guard capacity > heldCapacity else { return }
        let grown = UnsafeMutablePointer<Float>.allocate(capacity: max(capacity, 2 * heldCapacity))
        grown.initialize(from: held, count: heldCount)
        held.deallocate()
        held = grown
        heldCapacity = max(capacity, 2 * heldCapacity)
    }

    private func run(_ handle: soxr_t, _ input: UnsafePointer<Float>?, _ count: Int) throws {
        var remaining = count
        var pointer = input
        repeat {
            let room = max(4096, Int(Double(remaining) * Double(outputRate) / Double(inputRate)) + 256)
            reserve(heldCount + room)
            var consumed = 0, produced = 0
            let error = soxr_process(handle, pointer, remaining, &consumed, held + heldCount, room, &produced)
            if let error { throw MedleyError.internal("soxr_process: \(String(cString: error))") }
            heldCount += produced
            remaining -= consumed
            if let p = pointer { pointer = p + consumed }
            // Flushing (input nil) ends when soxr has nothing more to give.
            if input == nil && produced == 0 { break }
            if input != nil && remaining == 0 && produced < room { break }
        } while true
    }

    private func release(keeping: Int, _ body: (UnsafeBufferPointer<Float>) throws -> Void) throws {
        let count = heldCount - keeping
        guard count > 0 else { return }
        try body(UnsafeBufferPointer(start: held, count: count))
        // The kept tail (at most ``holdBack`` samples) moves to the front.
        memmove(held, held + count, keeping * MemoryLayout<Float>.stride)
        heldCount = keeping
        emitted += count
    }
}

@available(*, unavailable, message: "a SoxrResampler owns a soxr handle; use one per stream")
extension SoxrResampler: Sendable {}
