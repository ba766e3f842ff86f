import Dispatch
import Foundation
import MedleyCore

/// A CTranslate2 `model.bin` (binary versions 4–6): named, row-major tensors with no alignment or padding.
///
/// Layout (little-endian): u32 version, str spec name, u32 spec revision, u32 variable count, then per variable
/// str name, u8 rank, u32 dims[rank], u8 dtype code, u32 byte count, the bytes; then u32 alias count and
/// (str alias, str target) pairs. A `str` is a u16 length that counts a trailing NUL, then the bytes.
/// Every read is bounds-checked, so a truncated or corrupt file throws ``MedleyError/invalidModel(id:reason:)``
/// naming the file instead of crashing.
struct CTranslate2ModelFile {
    /// CTranslate2's dtype codes.
    enum DataType: UInt8 {
        case float32 = 0, int8, int16, int32, float16, bfloat16

        var byteSize: Int {
            switch self {
            case .float32, .int32: return 4
            case .int16, .float16, .bfloat16: return 2
            case .int8: return 1
            }
        }
    }

    /// Where one tensor's bytes lie in the file.
    struct Variable {
        let name: String
        let shape: [Int]
        let dataType: DataType
        let offset: Int
        let byteCount: Int

        var elementCount: Int { shape.reduce(1, *) }
    }

    let path: String
    /// Used as the model id in errors (the folder name, such as "whisper-tiny.en").
    let modelID: String
    let binaryVersion: Int
    let specName: String
    let specRevision: Int
    let variables: [String: Variable]
    let aliases: [String: String]
    private let bytes: Data

    /// Reads and indexes the file. Tensor data stays in memory as read; convert it with ``floats(_:)``.
    init(path: String, modelID: String) throws {
        self.path = path
        self.modelID = modelID
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MedleyError.invalidModel(id: modelID, reason: "\(path) cannot be read; reinstall the model")
        }
        bytes = data
        var reader = Reader(data: data, path: path, modelID: modelID)
        binaryVersion = Int(try reader.u32("binary version"))
        guard (4...6).contains(binaryVersion) else {
            throw MedleyError.invalidModel(
                id: modelID,
                reason: "\(path) has CTranslate2 binary version \(binaryVersion); only versions 4 to 6 are supported")
        }
        specName = try reader.string("spec name")
        specRevision = Int(try reader.u32("spec revision"))
        let count = Int(try reader.u32("variable count"))
        var variables: [String: Variable] = [:]
        for index in 0..<count {
            let name = try reader.string("name of variable \(index)")
            let rank = Int(try reader.u8("rank of \(name)"))
            var shape: [Int] = []
            for _ in 0..<rank { shape.append(Int(try reader.u32("shape of \(name)"))) }
            let code = try reader.u8("dtype of \(name)")
            guard let dataType = DataType(rawValue: code) else {
                throw MedleyError.invalidModel(id: modelID, reason: "\(path): variable '\(name)' has unknown dtype code \(code)")
            }
            let byteCount = Int(try reader.u32("byte count of \(name)"))
            let expected = shape.reduce(1, *) * dataType.byteSize
            guard byteCount == expected else {
                throw MedleyError.invalidModel(
                    id: modelID,
                    reason: "\(path): variable '\(name)' of shape \(shape) declares \(byteCount) bytes, expected \(expected)")
            }
            let offset = reader.offset
            try reader.skip(byteCount, "data of \(name)")
            variables[name] = Variable(name: name, shape: shape, dataType: dataType, offset: offset, byteCount: byteCount)
        }
        var aliases: [String: String] = [:]
        if binaryVersion >= 3 {
            let aliasCount = Int(try reader.u32("alias count"))
            for _ in 0..<aliasCount {
                let alias = try reader.string("alias name")
                aliases[alias] = try reader.string("alias target of \(alias)")
            }
        }
        self.variables = variables
        self.aliases = aliases
    }

    /// The variable called `name` (following an alias), or an error naming the file.
    func variable(_ name: String) throws -> Variable {
        let resolved = aliases[name] ?? name
        guard let variable = variables[resolved] else {
            throw MedleyError.invalidModel(id: modelID, reason: "\(path) has no tensor '\(name)'; it is not a Whisper model")
        }
        return variable
    }

    /// True when the file has a tensor (or alias) called `name`.
    func contains(_ name: String) -> Bool { variables[aliases[name] ?? name] != nil }

    /// The tensor's shape, checked against `expected` when given.
    func shape(_ name: String, expected: [Int]? = nil) throws -> [Int] {
        let shape = try variable(name).shape
        if let expected, shape != expected {
            throw MedleyError.invalidModel(
                id: modelID, reason: "\(path): tensor '\(name)' has shape \(shape), expected \(expected)")
        }
        return shape
    }

    /// The tensor converted to float32 in a new buffer, after checking its shape when `expected` is given.
    func floats(_ name: String, expected: [Int]? = nil) throws -> FloatBuffer {
        let variable = try variable(name)
        _ = try shape(name, expected: expected)
        let count = variable.elementCount
        let output = FloatBuffer(count: count)
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            convert(base.advanced(by: variable.offset), dataType: variable.dataType, count: count, into: output.pointer)
        }
        return output
    }

    /// A rank-0 integer setting (CTranslate2 stores model flags such as `decoder/num_heads` this way).
    func scalar(_ name: String) throws -> Int {
        let variable = try variable(name)
        guard variable.elementCount == 1 else {
            throw MedleyError.invalidModel(id: modelID, reason: "\(path): '\(name)' should be a scalar")
        }
        return bytes.withUnsafeBytes { raw -> Int in
            guard let start = raw.baseAddress else { return 0 }
            let base = start.advanced(by: variable.offset)
            switch variable.dataType {
            case .int8: return Int(base.load(as: Int8.self))
            case .int16: return Int(base.loadUnaligned(as: Int16.self))
            case .int32: return Int(base.loadUnaligned(as: Int32.self))
            case .float32: return Int(base.loadUnaligned(as: Float.self))
            case .float16: return Int(Self.halfTable[Int(base.loadUnaligned(as: UInt16.self))])
            case .bfloat16: return Int(Float(bitPattern: UInt32(base.loadUnaligned(as: UInt16.self)) << 16))
            }
        }
    }

    // MARK: - Conversion

    /// Every float16 bit pattern widened to float32. A table lookup is exact and much faster than the
    /// software conversion Swift emits for `Float(Float16)` on baseline x86-64 (no F16C instructions).
    private static let halfTable: [Float] = (0...UInt16.max).map { Float(Float16(bitPattern: $0)) }

    private func convert(_ source: UnsafeRawPointer, dataType: DataType, count: Int,
                         into output: UnsafeMutablePointer<Float>) {
        switch dataType {
        case .float16:
            Self.halfTable.withUnsafeBufferPointer { table in
                guard let table = table.baseAddress else { return }
                // Big tensors are split over two threads: loading base converts 72 M values.
                let parts = count > 1 << 20 ? 2 : 1
                let chunk = (count + parts - 1) / parts
                TransformerKernels.concurrentPerform(iterations: parts) { part in
                    let start = part * chunk, end = min(count, start + chunk)
                    guard start < end else { return }
                    // Copy the (possibly unaligned) halves into aligned storage first, then widen.
                    let halves = UnsafeMutablePointer<UInt16>.allocate(capacity: end - start)
                    defer { halves.deallocate() }
                    UnsafeMutableRawPointer(halves).copyMemory(from: source + 2 * start, byteCount: 2 * (end - start))
                    let out = output + start
                    for i in 0..<(end - start) { out[i] = table[Int(halves[i])] }
                }
            }
        case .float32:
            for i in 0..<count { output[i] = source.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) }
        case .bfloat16:
            for i in 0..<count {
                output[i] = Float(bitPattern: UInt32(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16)
            }
        case .int8:
            for i in 0..<count { output[i] = Float(source.load(fromByteOffset: i, as: Int8.self)) }
        case .int16:
            for i in 0..<count { output[i] = Float(source.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)) }
        case .int32:
            for i in 0..<count { output[i] = Float(source.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)) }
        }
    }

    // MARK: - Bounds-checked reading

    private struct Reader {
        let data: Data
        let path: String
        let modelID: String
        var offset = 0

        init(data: Data, path: String, modelID: String) {
            self.data = data
            self.path = path
            self.modelID = modelID
        }

        private func truncated(_ what: String, needing count: Int) -> MedleyError {
            .invalidModel(
                id: modelID,
                reason: "\(path) is truncated or corrupt: reading \(what) needs \(count) bytes at offset \(offset), "
                    + "but the file has \(data.count) bytes; reinstall the model")
        }

        mutating func skip(_ count: Int, _ what: String) throws {
            guard count >= 0, offset + count <= data.count else { throw truncated(what, needing: count) }
            offset += count
        }

        mutating func u8(_ what: String) throws -> UInt8 {
            try skip(1, what)
            return data.withUnsafeBytes { $0.load(fromByteOffset: offset - 1, as: UInt8.self) }
        }

        mutating func u16(_ what: String) throws -> UInt16 {
            try skip(2, what)
            return data.withUnsafeBytes { UInt16(littleEndian: $0.loadUnaligned(fromByteOffset: offset - 2, as: UInt16.self)) }
        }

        mutating func u32(_ what: String) throws -> UInt32 {
            try skip(4, what)
            return data.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset - 4, as: UInt32.self)) }
        }

        /// A u16 length (counting the trailing NUL) followed by UTF-8 bytes and the NUL.
        mutating func string(_ what: String) throws -> String {
            let length = Int(try u16(what))
            let start = offset
            try skip(length, what)
            let end = length > 0 && data[data.startIndex + start + length - 1] == 0 ? start + length - 1 : start + length
            return String(decoding: data[(data.startIndex + start)..<(data.startIndex + end)], as: UTF8.self)
        }
    }
}
