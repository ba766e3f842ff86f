import Foundation

/// librosa's `power_to_db`: `10·log10(max(amin, S)) − 10·log10(max(amin, ref))`, then, with `topDB`, a floor at
/// (the maximum of the **whole** array) − `topDB`.
///
/// The floor couples every frame to the global maximum, which a stream only knows at its end. Medley's
/// analysers therefore convert each frame with ``decibels(_:count:)`` as it arrives, track the maximum, and
/// apply ``floor(_:count:maximum:)`` once the stream has ended (keeping the unfloored frames in a
/// ``FrameStore``, which spills to a temporary file past a memory bound).
public struct PowerToDecibels: Sendable {
    /// Reference power (librosa `ref=1.0`).
    public var reference: Float
    /// Smallest power considered (librosa `amin=1e-10`).
    public var minimum: Float
    /// Dynamic range kept below the global maximum (librosa `top_db=80`); nil for no floor.
    public var topDB: Float?

    /// librosa's defaults: ref 1, amin 1e-10, top_db 80.
    public init(reference: Float = 1, minimum: Float = 1e-10, topDB: Float? = 80) {
        self.reference = reference
        self.minimum = minimum
        self.topDB = topDB
    }

    /// Converts `count` powers in place to dB (without the top-dB floor) and returns their maximum.
    @discardableResult
    public func decibels(_ values: UnsafeMutablePointer<Float>, count: Int) -> Float {
        let offset = 10 * log10(max(minimum, reference))
        var maximum = -Float.infinity
        for i in 0..<count {
            let db = 10 * log10(max(minimum, values[i])) - offset
            values[i] = db
            maximum = max(maximum, db)
        }
        return maximum
    }

    /// Applies the top-dB floor relative to `maximum` (the global maximum of the dB values).
    public func floor(_ values: UnsafeMutablePointer<Float>, count: Int, maximum: Float) {
        guard let topDB else { return }
        let bottom = maximum - topDB
        for i in 0..<count where values[i] < bottom { values[i] = bottom }
    }
}
