import MedleyCore

/// The few pieces of the protobuf wire format that editing an ONNX graph needs: walking the fields of a message
/// and writing new ones. Not a general protobuf library: no schema, no groups, no unknown-field bookkeeping.
enum ProtobufWire {
    /// Wire types of the protobuf encoding.
    enum WireType: Int {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    /// One field of a message as it sits in the buffer.
    struct Field {
        /// The field number.
        var number: Int
        var wireType: WireType
        /// The whole field: key, length prefix and payload, for copying it unchanged.
        var bytes: Range<Int>
        /// For length-delimited fields, the payload.
        var payload: Range<Int>
        /// For varint fields, the value (also the raw bits of fixed32 and fixed64 fields).
        var value: UInt64
    }

    /// The top-level fields of the message in `bytes[range]`, in order.
    static func fields(_ bytes: UnsafeRawBufferPointer, in range: Range<Int>) throws -> [Field] {
        var fields: [Field] = []
        var offset = range.lowerBound
        while offset < range.upperBound {
            let start = offset
            let key = try readVarint(bytes, &offset, limit: range.upperBound)
            guard let wireType = WireType(rawValue: Int(key & 7)), key >> 3 > 0 else {
                throw MedleyError.invalidArgument("protobuf field at byte \(start) has an unsupported wire type \(key & 7)")
            }
            var field = Field(number: Int(key >> 3), wireType: wireType, bytes: start..<start, payload: offset..<offset,
                              value: 0)
            switch wireType {
            case .varint:
                field.value = try readVarint(bytes, &offset, limit: range.upperBound)
            case .fixed64:
                field.value = try readFixed(bytes, &offset, size: 8, limit: range.upperBound)
            case .fixed32:
                field.value = try readFixed(bytes, &offset, size: 4, limit: range.upperBound)
            case .lengthDelimited:
                let length = try readVarint(bytes, &offset, limit: range.upperBound)
                guard length <= UInt64(range.upperBound - offset) else {
                    throw MedleyError.invalidArgument("protobuf field at byte \(start) runs past the end of its message")
                }
                field.payload = offset..<(offset + Int(length))
                offset += Int(length)
            }
            field.bytes = start..<offset
            fields.append(field)
        }
        return fields
    }

    /// The payload of a length-delimited field as UTF-8 text.
    static func string(_ bytes: UnsafeRawBufferPointer, _ field: Field) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[field.payload]), as: UTF8.self)
    }

    private static func readVarint(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int, limit: Int) throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < limit, shift < 64 else {
                throw MedleyError.invalidArgument("protobuf varint at byte \(offset) is truncated or too long")
            }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    private static func readFixed(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int, size: Int, limit: Int) throws -> UInt64 {
        guard offset + size <= limit else {
            throw MedleyError.invalidArgument("protobuf fixed field at byte \(offset) is truncated")
        }
        var value: UInt64 = 0
        for index in 0..<size { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += size
        return value
    }

    // MARK: - Writing

    /// Builds a message field by field.
    struct Writer {
        private(set) var bytes: [UInt8] = []

        mutating func varint(_ value: UInt64) {
            var remaining = value
            while remaining >= 0x80 {
                bytes.append(UInt8(remaining & 0x7F) | 0x80)
                remaining >>= 7
            }
            bytes.append(UInt8(remaining))
        }

        mutating func key(_ number: Int, _ wireType: WireType) {
            varint(UInt64(number) << 3 | UInt64(wireType.rawValue))
        }

        mutating func varintField(_ number: Int, _ value: Int64) {
            key(number, .varint)
            varint(UInt64(bitPattern: value))
        }

        mutating func bytesField<C: Collection>(_ number: Int, _ payload: C) where C.Element == UInt8 {
            key(number, .lengthDelimited)
            varint(UInt64(payload.count))
            bytes.append(contentsOf: payload)
        }

        mutating func stringField(_ number: Int, _ text: String) {
            bytesField(number, Array(text.utf8))
        }

        mutating func messageField(_ number: Int, _ build: (inout Writer) -> Void) {
            var nested = Writer()
            build(&nested)
            bytesField(number, nested.bytes)
        }

        mutating func append(_ raw: UnsafeRawBufferPointer) {
            bytes.append(contentsOf: raw)
        }

        mutating func reserve(_ count: Int) {
            bytes.reserveCapacity(count)
        }
    }
}
