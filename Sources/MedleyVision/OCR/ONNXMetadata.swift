import Foundation
import MedleyCore

/// Reads the `metadata_props` of an ONNX model file: the key-value strings an exporter stores beside the graph
/// (PP-OCR's recogniser keeps its character list there under `character`).
///
/// OpenVINO's C API does not expose ONNX metadata, so this walks the protobuf wire format itself: `ModelProto`
/// field 14 is a repeated `StringStringEntryProto` whose field 1 is the key and field 2 the value
/// (onnx/onnx.proto). Every other field, the graph included, is skipped by its length without being parsed.
enum ONNXMetadata {
    /// `ModelProto.metadata_props`.
    static let metadataField: UInt64 = 14
    /// `StringStringEntryProto.key` and `.value`.
    static let keyField: UInt64 = 1
    static let valueField: UInt64 = 2

    /// The metadata of the ONNX file at `path`, by key.
    ///
    /// - Throws: `invalidModel` when the file is not a well-formed protobuf message.
    static func read(path: String) throws -> [String: String] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw MedleyError.invalidModel(id: path, reason: "cannot read the file (\(error.localizedDescription))")
        }
        return try data.withUnsafeBytes { raw in
            try parse(raw.bindMemory(to: UInt8.self), path: path)
        }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws -> [String: String] {
        var reader = ProtobufReader(bytes: bytes, range: 0..<bytes.count, path: path)
        var metadata: [String: String] = [:]
        while let (field, wireType) = try reader.nextTag() {
            if field == metadataField && wireType == .lengthDelimited {
                let entry = try reader.readLengthDelimited()
                var inner = ProtobufReader(bytes: bytes, range: entry, path: path)
                var key = "", value = ""
                while let (innerField, innerType) = try inner.nextTag() {
                    if innerType == .lengthDelimited && (innerField == keyField || innerField == valueField) {
                        let range = try inner.readLengthDelimited()
                        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                        if innerField == keyField { key = text } else { value = text }
                    } else {
                        try inner.skip(innerType)
                    }
                }
                metadata[key] = value
            } else {
                try reader.skip(wireType)
            }
        }
        return metadata
    }
}

/// A forward-only reader of protobuf wire format over a part of a byte buffer, with bounds checked everywhere.
/// Ranges it returns are positions in the whole buffer.
struct ProtobufReader {
    enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let path: String
    private(set) var position: Int
    /// One past the last byte this reader may read.
    let end: Int

    init(bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, path: String) {
        self.bytes = bytes
        self.path = path
        position = max(0, range.lowerBound)
        end = min(bytes.count, range.upperBound)
    }

    private func damaged(_ what: String) -> MedleyError {
        .invalidModel(id: path, reason: "not a valid ONNX (protobuf) file: \(what) at byte \(position)")
    }

    mutating func readVarint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw damaged("truncated varint") }
            let byte = bytes[position]
            position += 1
            guard shift < 64 else { throw damaged("varint longer than 10 bytes") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// The next field number and wire type, or nil at the end of the buffer.
    mutating func nextTag() throws -> (UInt64, WireType)? {
        guard position < end else { return nil }
        let tag = try readVarint()
        guard let type = WireType(rawValue: tag & 7), tag >> 3 != 0 else { throw damaged("bad field tag \(tag)") }
        return (tag >> 3, type)
    }

    /// The byte range of a length-delimited field's payload (relative to `bytes`), moving past it.
    mutating func readLengthDelimited() throws -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end - position) else { throw damaged("field longer than the file") }
        let range = position..<(position + Int(length))
        position += Int(length)
        return range
    }

    mutating func skip(_ type: WireType) throws {
        switch type {
        case .varint: _ = try readVarint()
        case .fixed64: try advance(8)
        case .fixed32: try advance(4)
        case .lengthDelimited: _ = try readLengthDelimited()
        case .startGroup, .endGroup: throw damaged("deprecated group field")
        }
    }

    private mutating func advance(_ count: Int) throws {
        guard count <= end - position else { throw damaged("truncated fixed-size field") }
        position += count
    }
}
