import MedleyCore

/// A zlib (RFC 1950) / DEFLATE (RFC 1951) decoder that streams its output in chunks, so a picture far larger than
/// memory can be decompressed row by row. Huffman decoding follows Mark Adler's reference decoder `puff.c`
/// (canonical codes decoded one bit at a time): simple, and fast enough for the rare picture FFmpeg will not
/// decode.
struct Inflater {
    private let input: [UInt8]
    private var position = 0
    private var bitBuffer = 0
    private var bitCount = 0
    /// The last 32 KiB of output, for back-references.
    private var window = [UInt8](repeating: 0, count: Inflater.windowSize)
    private var windowPosition = 0
    private var pending: [UInt8] = []
    private let what: String

    static let windowSize = 1 << 15
    /// Output is handed over in chunks of this many bytes.
    static let chunkSize = 1 << 16

    init(zlib data: [UInt8], what: String) throws {
        self.what = what
        guard data.count >= 2, data[0] & 0x0F == 8, (Int(data[0]) << 8 | Int(data[1])) % 31 == 0, data[1] & 0x20 == 0
        else { throw MedleyError.unreadableMedia(path: what, reason: "bad zlib header in the image data") }
        input = data
        position = 2
        pending.reserveCapacity(Self.chunkSize)
    }

    private func damaged(_ reason: String) -> MedleyError {
        .unreadableMedia(path: what, reason: "damaged compressed data (\(reason))")
    }

    private mutating func bits(_ count: Int) throws -> Int {
        while bitCount < count {
            guard position < input.count else { throw damaged("truncated") }
            bitBuffer |= Int(input[position]) << bitCount
            position += 1
            bitCount += 8
        }
        let value = bitBuffer & ((1 << count) - 1)
        bitBuffer >>= count
        bitCount -= count
        return value
    }

    private mutating func emit(_ byte: UInt8, _ sink: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        window[windowPosition] = byte
        windowPosition = (windowPosition + 1) & (Self.windowSize - 1)
        pending.append(byte)
        if pending.count == Self.chunkSize {
            try pending.withUnsafeBufferPointer(sink)
            pending.removeAll(keepingCapacity: true)
        }
    }

    /// A canonical Huffman code: how many codes of each length, and the symbols ordered by code.
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int] = []

        init(lengths: [Int]) throws {
            for length in lengths { counts[length] += 1 }
            var left = 1
            for length in 1..<16 {
                left <<= 1
                left -= counts[length]
                if left < 0 { throw MedleyError.unreadableMedia(path: "", reason: "over-subscribed Huffman code") }
            }
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
            symbols = [Int](repeating: 0, count: lengths.count)
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
            counts[0] = 0
        }
    }

    private mutating func decode(_ code: Huffman) throws -> Int {
        var value = 0, first = 0, index = 0
        for length in 1..<16 {
            value |= try bits(1)
            let count = code.counts[length]
            if value - count < first { return code.symbols[index + (value - first)] }
            index += count
            first = (first + count) << 1
            value <<= 1
        }
        throw damaged("invalid Huffman code")
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
                             131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
                               1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
                                13, 13]
    static let fixedLiterals = try? Huffman(lengths: [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112)
                                                + [Int](repeating: 7, count: 24) + [Int](repeating: 8, count: 8))
    static let fixedDistances = try? Huffman(lengths: [Int](repeating: 5, count: 30))
    /// The order code-length code lengths are stored in (RFC 1951, 3.2.7).
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Decompresses everything, handing the output to `sink` in order, chunk by chunk.
    mutating func run(_ sink: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var last = 0
        repeat {
            last = try bits(1)
            switch try bits(2) {
            case 0:
                bitBuffer = 0
                bitCount = 0
                guard position + 4 <= input.count else { throw damaged("truncated stored block") }
                let length = Int(input[position]) | Int(input[position + 1]) << 8
                let check = Int(input[position + 2]) | Int(input[position + 3]) << 8
                position += 4
                guard length == ~check & 0xFFFF, position + length <= input.count else { throw damaged("stored block") }
                for i in 0..<length { try emit(input[position + i], sink) }
                position += length
            case 1:
                guard let literals = Self.fixedLiterals, let distances = Self.fixedDistances else {
                    throw MedleyError.internal("fixed Huffman tables")
                }
                try codes(literals, distances, sink)
            case 2:
                let literalCount = try bits(5) + 257, distanceCount = try bits(5) + 1, codeCount = try bits(4) + 4
                guard literalCount <= 286, distanceCount <= 30 else { throw damaged("bad code counts") }
                var lengths = [Int](repeating: 0, count: 19)
                for i in 0..<codeCount { lengths[Self.codeLengthOrder[i]] = try bits(3) }
                let lengthCode = try Huffman(lengths: lengths)
                var all: [Int] = []
                while all.count < literalCount + distanceCount {
                    let symbol = try decode(lengthCode)
                    switch symbol {
                    case 0..<16: all.append(symbol)
                    case 16:
                        guard let previous = all.last else { throw damaged("repeat with no length") }
                        all += [Int](repeating: previous, count: 3 + (try bits(2)))
                    case 17: all += [Int](repeating: 0, count: 3 + (try bits(3)))
                    default: all += [Int](repeating: 0, count: 11 + (try bits(7)))
                    }
                }
                guard all.count == literalCount + distanceCount else { throw damaged("too many lengths") }
                try codes(try Huffman(lengths: Array(all[0..<literalCount])),
                          try Huffman(lengths: Array(all[literalCount...])), sink)
            default:
                throw damaged("invalid block type")
            }
        } while last == 0
        if !pending.isEmpty {
            try pending.withUnsafeBufferPointer(sink)
            pending.removeAll()
        }
    }

    private mutating func codes(_ literals: Huffman, _ distances: Huffman,
                                _ sink: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        while true {
            let symbol = try decode(literals)
            if symbol < 256 {
                try emit(UInt8(symbol), sink)
            } else if symbol == 256 {
                return
            } else {
                let index = symbol - 257
                guard index < Self.lengthBase.count else { throw damaged("bad length symbol") }
                let length = Self.lengthBase[index] + (try bits(Self.lengthExtra[index]))
                let distanceSymbol = try decode(distances)
                guard distanceSymbol < Self.distanceBase.count else { throw damaged("bad distance symbol") }
                let distance = Self.distanceBase[distanceSymbol] + (try bits(Self.distanceExtra[distanceSymbol]))
                guard distance <= Self.windowSize else { throw damaged("distance too far") }
                for _ in 0..<length {
                    try emit(window[(windowPosition - distance) & (Self.windowSize - 1)], sink)
                }
            }
        }
    }
}
