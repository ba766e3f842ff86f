/// xoshiro256** (Blackman and Vigna 2018) seeded through SplitMix64: Medley's one seeded bit generator, the same
/// on every platform and in every version (no dependence on the C library's or Swift's generators).
///
/// The 64-bit seed seeds SplitMix64, whose first four outputs are the state. Generated faces, terrain noise and
/// Piper's synthesis noise all draw from it, so a seed recorded in a run record or a provenance label means the
/// same bits everywhere. Not thread-safe: a value type; copy it per task.
public struct RandomBits: Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// The stream determined by `seed` alone.
    public init(seed: UInt64) {
        var mixer = seed
        state = (Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer))
    }

    /// The next 64 bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = Self.rotateLeft(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = Self.rotateLeft(state.3, 45)
        return result
    }

    /// One SplitMix64 step: advances `state` and returns its mixed output (also used to derive sub-seeds).
    public static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func rotateLeft(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }
}
