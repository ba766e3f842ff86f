/// Element types a ``Tensor`` can hold; they match the runtime's (OpenVINO's) element types.
public enum ElementType: String, Sendable, Codable, CaseIterable {
    case f32, f16, i32, i64, u8

    /// Size of one element in bytes.
    public var byteSize: Int {
        switch self {
        case .f32, .i32: return 4
        case .f16: return 2
        case .i64: return 8
        case .u8: return 1
        }
    }
}

/// A dense, contiguous, row-major tensor: a shape, an element type and the raw bytes.
///
/// The bytes are native-endian (little-endian on x86-64). Typed initialisers and accessors convert from and
/// to Swift arrays; ``withUnsafeRawBytes(_:)`` gives the storage without a copy for runtimes.
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var elementType: ElementType
    /// `elementCount * elementType.byteSize` bytes.
    public private(set) var bytes: [UInt8]

    /// Number of elements (product of the shape; 1 for a scalar with shape `[]`).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Creates a tensor over raw bytes. Throws when the byte count does not match the shape.
    public init(shape: [Int], elementType: ElementType, bytes: [UInt8]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw MedleyError.invalidArgument("tensor shape \(shape) has a negative dimension")
        }
        let expected = shape.reduce(1, *) * elementType.byteSize
        guard bytes.count == expected else {
            throw MedleyError.invalidArgument("tensor of shape \(shape) and type \(elementType) needs \(expected) bytes, got \(bytes.count)")
        }
        self.shape = shape
        self.elementType = elementType
        self.bytes = bytes
    }

    /// A zero-filled tensor.
    public init(zeros shape: [Int], elementType: ElementType) {
        self.shape = shape
        self.elementType = elementType
        self.bytes = [UInt8](repeating: 0, count: shape.reduce(1, *) * elementType.byteSize)
    }

    public init(shape: [Int], floats: [Float]) throws { try self.init(shape: shape, elementType: .f32, values: floats) }
    public init(shape: [Int], halfs: [Float16]) throws { try self.init(shape: shape, elementType: .f16, values: halfs) }
    public init(shape: [Int], int32s: [Int32]) throws { try self.init(shape: shape, elementType: .i32, values: int32s) }
    public init(shape: [Int], int64s: [Int64]) throws { try self.init(shape: shape, elementType: .i64, values: int64s) }
    public init(shape: [Int], uint8s: [UInt8]) throws { try self.init(shape: shape, elementType: .u8, values: uint8s) }

    private init<T>(shape: [Int], elementType: ElementType, values: [T]) throws {
        let bytes = values.withUnsafeBytes { [UInt8]($0) }
        try self.init(shape: shape, elementType: elementType, bytes: bytes)
    }

    /// The elements as `Float`, converting from any element type.
    public func floats() -> [Float] {
        switch elementType {
        case .f32: return values(Float.self)
        case .f16: return values(Float16.self).map(Float.init)
        case .i32: return values(Int32.self).map(Float.init)
        case .i64: return values(Int64.self).map(Float.init)
        case .u8: return bytes.map(Float.init)
        }
    }

    /// The elements as `Int64`, converting from integer types (floats are truncated).
    public func int64s() -> [Int64] {
        switch elementType {
        case .i64: return values(Int64.self)
        case .i32: return values(Int32.self).map(Int64.init)
        case .u8: return bytes.map(Int64.init)
        case .f32, .f16: return floats().map { Int64($0) }
        }
    }

    private func values<T>(_: T.Type) -> [T] {
        let count = elementCount
        return bytes.withUnsafeBytes { raw in
            (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.stride, as: T.self) }
        }
    }

    /// Calls `body` with the storage bytes, without copying.
    public func withUnsafeRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    /// Calls `body` with the mutable storage bytes, without copying.
    public mutating func withUnsafeMutableRawBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeMutableBytes(body)
    }
}
