import Foundation
import MedleyCore

/// A 64-bit generation seed: any signed or unsigned 64-bit value, kept as its 64-bit pattern.
///
/// `-1` and `18446744073709551615` are the same seed (two's complement), so every value a user can type in
/// either range is accepted and maps to exactly one noise stream. ``description`` prints the unsigned form,
/// which is what provenance records store.
public struct GenerationSeed: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The seed's 64 bits.
    public var bits: UInt64

    /// A seed from its 64 bits.
    public init(_ bits: UInt64) { self.bits = bits }

    /// A seed from a signed value (two's complement).
    public init(signed value: Int64) { bits = UInt64(bitPattern: value) }

    /// Parses a decimal seed in `Int64.min ... UInt64.max`, or a hexadecimal one with a `0x` prefix.
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` naming the text when it is not a 64-bit integer.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let unsigned = UInt64(trimmed) {
            bits = unsigned
        } else if let signed = Int64(trimmed) {
            bits = UInt64(bitPattern: signed)
        } else if trimmed.lowercased().hasPrefix("0x"), let hex = UInt64(trimmed.dropFirst(2), radix: 16) {
            bits = hex
        } else {
            throw MedleyError.invalidArgument(
                "seed '\(text)' is not a 64-bit integer; give a whole number from \(Int64.min) to \(UInt64.max)")
        }
    }

    /// A seed drawn from the system's random source, for runs where the user gave none (it is recorded).
    public static func random() -> GenerationSeed { GenerationSeed(UInt64.random(in: 0...UInt64.max)) }

    /// The `index`-th seed after this one (wrapping at 2^64): the seed of the `index`-th item of a batch.
    public func advanced(by index: Int) -> GenerationSeed { GenerationSeed(bits &+ UInt64(truncatingIfNeeded: index)) }

    public var description: String { String(bits) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        bits = try container.decode(UInt64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(bits)
    }
}

/// Standard normal noise from a ``GenerationSeed``, the same on every machine and in every Medley version.
///
/// The mapping, documented so that others can reproduce it (docs/generation.md): the seed's 64 bits seed a
/// SplitMix64 generator whose first four outputs are the state of xoshiro256**; each pair of xoshiro outputs
/// gives two uniforms `u = (x >> 11 + 1) / 2^53` in (0, 1], and the Box-Muller transform turns them into two
/// normals `sqrt(-2 ln u1) cos(2 pi u2)` and `sqrt(-2 ln u1) sin(2 pi u2)`, computed in Double and rounded to Float.
///
/// Not thread-safe: a value type; copy it per task.
public struct GaussianNoise: Sendable {
    private var bits: RandomBits
    private var spare: Float?

    /// The generator of `seed`'s stream.
    public init(seed: GenerationSeed) {
        bits = RandomBits(seed: seed.bits)
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func nextBits() -> UInt64 { bits.next() }

    /// A uniform value in (0, 1], 53 bits of precision.
    public mutating func nextUniform() -> Double {
        Double((nextBits() >> 11) + 1) * 0x1p-53
    }

    /// The next standard normal value.
    public mutating func nextNormal() -> Float {
        if let spare {
            self.spare = nil
            return spare
        }
        let radius = (-2 * log(nextUniform())).squareRoot()
        let angle = 2 * Double.pi * nextUniform()
        spare = Float(radius * sin(angle))
        return Float(radius * cos(angle))
    }

    /// `count` standard normal values.
    public mutating func normals(count: Int) -> [Float] {
        var values = [Float](repeating: 0, count: max(0, count))
        for index in values.indices { values[index] = nextNormal() }
        return values
    }

    /// `count` standard normal values of `seed`'s stream.
    public static func normals(count: Int, seed: GenerationSeed) -> [Float] {
        var noise = GaussianNoise(seed: seed)
        return noise.normals(count: count)
    }
}
