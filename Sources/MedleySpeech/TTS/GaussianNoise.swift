import Foundation
import MedleyCore

/// A seeded source of standard normal noise for Piper's VITS model (see ``PiperNoisePatch``).
///
/// ``RandomBits`` (xoshiro256** seeded through SplitMix64) with the Box-Muller transform: fast, reproducible on
/// every platform, and statistically far better than the model needs.
struct GaussianNoise {
    private var bits: RandomBits

    /// A stream determined by `seed` alone.
    init(seed: UInt64) {
        bits = RandomBits(seed: seed)
    }

    /// The seed of an independent stream for one part of one synthesis (for example sentence 3, noise input 1).
    static func seed(_ base: UInt64, _ parts: UInt64...) -> UInt64 {
        var mixed = base
        for part in parts {
            mixed ^= part &* 0x9E37_79B9_7F4A_7C15
            mixed = RandomBits.splitMix(&mixed)
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

    private mutating func next() -> UInt64 { bits.next() }
}
