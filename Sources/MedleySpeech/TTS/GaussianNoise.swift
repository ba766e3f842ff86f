import Foundation

/// A seeded source of standard normal noise for Piper's VITS model (see ``PiperNoisePatch``).
///
/// xoshiro256** seeded through SplitMix64, with the Box-Muller transform: fast, reproducible on every platform
/// (no dependence on the C library's generator), and statistically far better than the model needs.
struct GaussianNoise {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A stream determined by `seed` alone.
    init(seed: UInt64) {
        var mixer = seed
        state = (Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer))
    }

    /// The seed of an independent stream for one part of one synthesis (for example sentence 3, noise input 1).
    static func seed(_ base: UInt64, _ parts: UInt64...) -> UInt64 {
        var mixed = base
        for part in parts {
            mixed ^= part &* 0x9E37_79B9_7F4A_7C15
            mixed = splitMix(&mixed)
        }
        return mixed
    }

    /// `count` standard normal values.
    mutating func fill(count: Int) -> [Float] {
        guard count > 0 else { return [] }
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { buffer in
            var index = 0
            while index < count {
                // u1 in (0, 1] keeps the logarithm finite; 53 random bits per uniform.
                let u1 = Double((next() >> 11) + 1) * 0x1p-53
                let u2 = Double(next() >> 11) * 0x1p-53
                let radius = (-2 * Foundation.log(u1)).squareRoot()
                let angle = 2 * Double.pi * u2
                buffer[index] = Float(radius * Foundation.cos(angle))
                if index + 1 < count { buffer[index + 1] = Float(radius * Foundation.sin(angle)) }
                index += 2
            }
        }
        return values
    }

    private mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotate(state.3, 45)
        return result
    }

    private func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
