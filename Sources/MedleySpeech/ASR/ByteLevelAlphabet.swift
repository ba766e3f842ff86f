/// GPT-2's byte-level alphabet: one printable character for each of the 256 byte values.
///
/// Bytes 33–126, 161–172 and 174–255 stand for themselves (same code point); the other 68 bytes (0–32,
/// 127–160, 173) map, in increasing order, to U+0100…U+0143, so a space is `Ġ` (U+0120) and a newline `Ċ`.
/// Whisper's vocabulary files and BPE merges are written in this alphabet.
enum ByteLevelAlphabet {
    /// The character standing for each byte.
    static let scalarForByte: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 0x100
        for byte in 0..<256 {
            if (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(next).unsafelyUnwrapped
                next += 1
            }
        }
        return table
    }()

    /// The byte for each alphabet character, indexed by code point (up to U+0143); -1 where none.
    private static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalarForByte.enumerated() { table[Int(scalar.value)] = Int16(byte) }
        return table
    }()

    /// The byte a character stands for, or nil for a character outside the alphabet.
    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = Int(scalar.value)
        guard value < byteForScalar.count, byteForScalar[value] >= 0 else { return nil }
        return UInt8(byteForScalar[value])
    }

    /// Spells bytes in the alphabet (the form BPE merges and vocabulary entries take).
    static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(scalarForByte[Int(byte)]) }
        return String(text)
    }

    /// Appends the bytes a vocabulary entry stands for. Characters outside the alphabet (special tokens such
    /// as `<|en|>` are plain ASCII, so this only happens with a damaged vocabulary) are kept as UTF-8.
    static func appendBytes(of token: String, to bytes: inout [UInt8]) {
        for scalar in token.unicodeScalars {
            if let byte = byte(for: scalar) {
                bytes.append(byte)
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
    }
}
