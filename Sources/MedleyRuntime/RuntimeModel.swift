internal import COpenVINO
import Foundation
import MedleyCore

/// A model read from a file (ONNX, TFLite, PaddlePaddle or OpenVINO IR) and not yet compiled.
///
/// Inspect its ports, optionally fix dynamic input shapes with ``reshape(_:)-swift.method``, then
/// ``compile(_:)``. Most callers want ``Runtime/compiledModel(path:cacheKey:settings:inputShapes:)`` instead, which
/// does all three and reuses the result.
///
/// Not thread-safe: reshaping changes the model in place. Use one instance from one task at a time (compiled models,
/// in contrast, are shared freely).
public final class RuntimeModel {
    /// The file the model was read from.
    public let path: String
    /// The model's inputs, in the model's order.
    public private(set) var inputs: [PortInfo] = []
    /// The model's outputs, in the model's order.
    public private(set) var outputs: [PortInfo] = []

    let handle: ModelHandle

    /// Reads a model file.
    ///
    /// - Parameters:
    ///   - path: an `.onnx`, `.tflite`, `.pdmodel` or OpenVINO IR `.xml` file.
    ///   - weightsPath: for IR, the `.bin` file when it is not beside the `.xml` under the same name.
    /// - Throws: ``MedleyError/fileNotFound(path:)`` (and the other file checks) before OpenVINO is involved;
    ///   ``MedleyError/runtime(_:)`` with OpenVINO's message when it cannot read the file as a model.
    public init(path: String, weightsPath: String? = nil) throws {
        try requireReadableFile(path)
        if let weightsPath { try requireReadableFile(weightsPath) }
        let core = try Runtime.core()
        var raw: OpaquePointer?
        try check(ov_core_read_model(core.pointer, path, weightsPath, &raw), "reading model \(path)")
        guard let raw else { throw MedleyError.runtime("reading model \(path): OpenVINO returned no model") }
        self.path = path
        handle = ModelHandle(taking: raw)
        try refreshPorts()
    }

    /// True when any input or output has a dynamic dimension or rank.
    public var isDynamic: Bool { ov_model_is_dynamic(handle.pointer) }

    /// Fixes the shapes of some inputs (by name) to static sizes; OpenVINO propagates them through the model.
    ///
    /// Compile after reshaping: a static model compiles to faster code than a dynamic one. Inputs not named keep
    /// their shapes. Throws ``MedleyError/runtime(_:)`` with OpenVINO's message for an unknown input name or a
    /// shape the model cannot take.
    public func reshape(_ shapes: [String: [Int]]) throws {
        try reshape(shapes.mapValues { $0.map(Dimension.fixed) })
    }

    /// Sets the shapes of some inputs (by name), each dimension fixed, bounded or dynamic, for example
    /// `["x": [.fixed(1), .fixed(3), .dynamic, .dynamic]]` to fix the batch and channels of an image model.
    public func reshape(_ shapes: [String: [Dimension]]) throws {
        if shapes.isEmpty { return }
        for (name, shape) in shapes {
            for dimension in shape {
                let valid: Bool
                switch dimension {
                case .fixed(let size): valid = size >= 0
                case .dynamic: valid = true
                case .range(let min, let max): valid = min >= 0 && (max.map { $0 >= min } ?? true)
                }
                guard valid else {
                    throw MedleyError.invalidArgument(
                        "shape \(shape) for input '\(name)' has an invalid dimension \(dimension)")
                }
            }
        }
        let entries = shapes.sorted { $0.key < $1.key }
        var dimensions = entries.flatMap { $0.value.map(\.raw) }
        let what = "reshaping model \(path) to " + entries.map { "\($0.key) \($0.value)" }.joined(separator: ", ")

        // Every C string and dimension array below lives until ov_model_reshape returns; OpenVINO copies them.
        let names = entries.map { strdup($0.key) }
        defer { names.forEach { free($0) } }
        guard names.allSatisfy({ $0 != nil }) else { throw MedleyError.internal("out of memory while reshaping") }
        let status = dimensions.withUnsafeMutableBufferPointer { dims -> ov_status_e in
            var offset = 0
            var partialShapes: [ov_partial_shape_t] = []
            for entry in entries {
                let rank = Int64(entry.value.count)
                partialShapes.append(ov_partial_shape_t(
                    rank: ov_dimension_t(min: rank, max: rank),
                    dims: rank > 0 ? dims.baseAddress.map { $0 + offset } : nil))
                offset += entry.value.count
            }
            var namePointers: [UnsafePointer<CChar>?] = names.map { UnsafePointer($0) }
            return namePointers.withUnsafeMutableBufferPointer { namesBuffer in
                partialShapes.withUnsafeBufferPointer { shapesBuffer in
                    ov_model_reshape(handle.pointer, namesBuffer.baseAddress, shapesBuffer.baseAddress, entries.count)
                }
            }
        }
        try check(status, what)
        try refreshPorts()
    }

    /// Compiles the model for the CPU. The result does not depend on this object any more: later reshapes do not
    /// affect it.
    public func compile(_ settings: CompileSettings = .default) throws -> CompiledModel {
        let core = try Runtime.core()
        let properties = try settings.properties()
        // C strings for the key/value pairs, alive until ov_core_compile_model_props returns.
        let strings = properties.flatMap { [strdup($0.key), strdup($0.value)] }
        defer { strings.forEach { free($0) } }
        guard strings.allSatisfy({ $0 != nil }) else { throw MedleyError.internal("out of memory while compiling") }
        let pairs = stride(from: 0, to: strings.count, by: 2).map {
            ov_property_t(key: UnsafePointer(strings[$0]), value: UnsafeRawPointer(strings[$0 + 1]))
        }
        var raw: OpaquePointer?
        let status = pairs.withUnsafeBufferPointer { buffer in
            ov_core_compile_model_props(
                core.pointer, handle.pointer, Runtime.device, buffer.count, buffer.baseAddress, &raw)
        }
        try check(status, "compiling model \(path) for \(Runtime.device) (\(settings))")
        guard let raw else { throw MedleyError.runtime("compiling model \(path): OpenVINO returned no compiled model") }
        return try CompiledModel(handle: CompiledModelHandle(taking: raw), path: path, settings: settings,
                                 inputNames: inputs.map(\.name), outputNames: outputs.map(\.name))
    }

    private func refreshPorts() throws {
        let model = handle.pointer
        inputs = try readPorts(
            side: "input",
            count: { ov_model_inputs_size(model, $0) },
            port: { ov_model_const_input_by_index(model, $0, $1) }
        ).map(\.info)
        outputs = try readPorts(
            side: "output",
            count: { ov_model_outputs_size(model, $0) },
            port: { ov_model_const_output_by_index(model, $0, $1) }
        ).map(\.info)
    }
}
