internal import COpenVINO
import MedleyCore

/// One dimension of a model port's shape, as the model declares it.
public enum Dimension: Sendable, Hashable, CustomStringConvertible {
    /// Always this size.
    case fixed(Int)
    /// Any size (OpenVINO prints it as `?`).
    case dynamic
    /// Any size from `min` through `max` inclusive; `max` is nil when there is no upper bound.
    case range(min: Int, max: Int?)

    /// The size when the dimension is fixed.
    public var fixedValue: Int? {
        if case .fixed(let value) = self { return value }
        return nil
    }

    /// True unless the dimension is ``fixed(_:)``.
    public var isDynamic: Bool { fixedValue == nil }

    /// True when a tensor dimension of `size` fits.
    public func accepts(_ size: Int) -> Bool {
        switch self {
        case .fixed(let value): return size == value
        case .dynamic: return size >= 0
        case .range(let min, let max): return size >= min && (max.map { size <= $0 } ?? true)
        }
    }

    /// `5`, `?`, `1..10` or `1..`, as OpenVINO prints dimensions.
    public var description: String {
        switch self {
        case .fixed(let value): return "\(value)"
        case .dynamic: return "?"
        case .range(let min, let max): return "\(min)..\(max.map(String.init) ?? "")"
        }
    }

    /// OpenVINO's C encoding: `{min, max}` with -1 for "no bound".
    init(_ raw: ov_dimension_t) {
        if raw.min == raw.max && raw.min >= 0 {
            self = .fixed(Int(raw.min))
        } else if raw.min <= 0 && raw.max < 0 {
            self = .dynamic
        } else {
            self = .range(min: Int(Swift.max(raw.min, 0)), max: raw.max < 0 ? nil : Int(raw.max))
        }
    }

    var raw: ov_dimension_t {
        switch self {
        case .fixed(let value): return ov_dimension_t(min: Int64(value), max: Int64(value))
        case .dynamic: return ov_dimension_t(min: -1, max: -1)
        case .range(let min, let max): return ov_dimension_t(min: Int64(min), max: max.map { Int64($0) } ?? -1)
        }
    }
}

/// A model input or output: its name, element type and (possibly dynamic) shape.
public struct PortInfo: Sendable, Hashable, CustomStringConvertible {
    /// The tensor name callers use to address the port (OpenVINO's "any name" of the port's tensor).
    public var name: String
    /// The element type as a Medley ``ElementType``, or nil when a ``Tensor`` cannot hold it (see
    /// ``elementTypeName``). Boolean outputs are an exception: runs return them as `u8` tensors of 0 and 1.
    public var elementType: ElementType?
    /// OpenVINO's name for the element type: `f32`, `i64`, `boolean`, `bf16`, `dynamic`...
    public var elementTypeName: String
    /// The dimensions, outermost first. Empty for a scalar, and also when ``hasDynamicRank`` is true.
    public var shape: [Dimension]
    /// True when even the number of dimensions is unknown until the model runs.
    public var hasDynamicRank: Bool

    public init(name: String, elementType: ElementType?, elementTypeName: String, shape: [Dimension],
                hasDynamicRank: Bool = false) {
        self.name = name
        self.elementType = elementType
        self.elementTypeName = elementTypeName
        self.shape = shape
        self.hasDynamicRank = hasDynamicRank
    }

    /// True when the rank or any dimension is dynamic.
    public var isDynamic: Bool { hasDynamicRank || shape.contains { $0.isDynamic } }

    /// The shape as integers when every dimension is fixed; nil otherwise.
    public var staticShape: [Int]? {
        if hasDynamicRank { return nil }
        let sizes = shape.compactMap(\.fixedValue)
        return sizes.count == shape.count ? sizes : nil
    }

    /// `input: f32 [?,576]`.
    public var description: String {
        let dims = hasDynamicRank ? "[...]" : "[" + shape.map(\.description).joined(separator: ",") + "]"
        return "\(name): \(elementTypeName) \(dims)"
    }

    /// Reads a port. `fallbackName` is used when the port's tensor has no name, which OpenVINO reports as an error.
    init(port: PortHandle, fallbackName: String, what: String) throws {
        var rawName: UnsafeMutablePointer<CChar>?
        var portName = fallbackName
        if ov_port_get_any_name(port.pointer, &rawName) == OK, let name = takeString(rawName), !name.isEmpty {
            portName = name
        }
        name = portName

        var type = DYNAMIC
        try check(ov_port_get_element_type(port.pointer, &type), "reading the element type of \(what) '\(portName)'")
        elementType = ElementType(openVINO: type)
        elementTypeName = openVINOTypeName(type)

        let partial = PartialShapeBuffer()
        try check(ov_port_get_partial_shape(port.pointer, &partial.raw), "reading the shape of \(what) '\(portName)'")
        let rank = partial.raw.rank
        if rank.min != rank.max || rank.max < 0 {
            hasDynamicRank = true
            shape = []
        } else {
            hasDynamicRank = false
            if rank.max > 0, let dims = partial.raw.dims {
                shape = (0..<Int(rank.max)).map { Dimension(dims[$0]) }
            } else {
                shape = []
            }
        }
    }
}

/// Reads every port on one side of a model or compiled model through the given C accessors.
///
/// - Parameters:
///   - side: "input" or "output", for messages and fallback names (`output_0` for a port without a name).
///   - count: calls the C function that counts the ports.
///   - port: calls the C function that returns the port at an index.
func readPorts(
    side: String,
    count: (UnsafeMutablePointer<Int>) -> ov_status_e,
    port: (Int, UnsafeMutablePointer<OpaquePointer?>) -> ov_status_e
) throws -> [(handle: PortHandle, info: PortInfo)] {
    var total = 0
    try check(count(&total), "counting the model's \(side)s")
    var ports: [(handle: PortHandle, info: PortInfo)] = []
    ports.reserveCapacity(total)
    for index in 0..<total {
        var raw: OpaquePointer?
        try check(port(index, &raw), "reading \(side) \(index) of the model")
        guard let raw else { throw MedleyError.runtime("reading \(side) \(index) of the model: no port was returned") }
        let handle = PortHandle(taking: raw)
        let info = try PortInfo(port: handle, fallbackName: "\(side)_\(index)", what: side)
        ports.append((handle, info))
    }
    return ports
}
