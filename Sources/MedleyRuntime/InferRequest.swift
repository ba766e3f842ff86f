internal import COpenVINO
import Foundation
import MedleyCore

/// One inference context of a ``CompiledModel``: its own input and output buffers, reused from call to call.
///
/// Not thread-safe and deliberately not `Sendable`: keep one request per caller (per task, per stream being
/// processed), and create more from the same compiled model for parallel work. Stateful models such as silero VAD
/// carry their state as ordinary inputs and outputs: feed the state output of one call into the state input of the
/// next.
///
/// Two ways to use it: ``run(_:)-([String:Tensor])`` sets every input, infers and copies every output out; or
/// ``setInput(_:_:)``, ``infer()`` and ``output(_:)`` to set only what changed since the last call (an input keeps
/// its last value) and read only the outputs needed.
///
/// Copies: an input is copied once, straight into the request's OpenVINO buffer (when the type and shape match the
/// buffer from the previous call, no allocation either); an output is copied once into the returned ``Tensor``.
public final class InferRequest {
    /// The inputs of the compiled model, in order.
    public var inputs: [PortInfo] { ports.inputs }
    /// The outputs of the compiled model, in order.
    public var outputs: [PortInfo] { ports.outputs }

    private let handle: InferRequestHandle
    private let ports: CompiledModelPorts

    /// The request's current buffer for each input (by index) once Medley has written it, with its type and shape.
    /// Only this object sets the request's tensors, so a remembered buffer stays the request's own until replaced
    /// here; reusing it spares three OpenVINO calls per input per run.
    private var inputBuffers: [InputBuffer?]

    private struct InputBuffer {
        let tensor: TensorHandle
        let elementType: ElementType
        let shape: [Int]
    }

    init(ports: CompiledModelPorts) throws {
        var raw: OpaquePointer?
        try check(ov_compiled_model_create_infer_request(ports.handle.pointer, &raw),
                  "creating an infer request for \(ports.path)")
        guard let raw else { throw MedleyError.runtime("creating an infer request for \(ports.path): none was returned") }
        handle = InferRequestHandle(taking: raw, of: ports.handle)
        self.ports = ports
        inputBuffers = Array(repeating: nil, count: ports.inputs.count)
    }

    // MARK: - Whole runs

    /// Sets every input by name, runs the model and returns every output by name.
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` when an input is missing; ``MedleyError/runtime(_:)`` with
    ///   OpenVINO's message for an unknown input name or a tensor whose type or shape the input does not accept.
    public func run(_ inputs: [String: Tensor]) throws -> [String: Tensor] {
        // Resolve every name first: an unknown or missing name fails before any input is changed.
        var resolved: [(index: Int?, port: PortHandle, name: String, tensor: Tensor)] = []
        resolved.reserveCapacity(inputs.count)
        var usedAlias = false
        for (name, tensor) in inputs {
            let port = try inputPort(named: name)
            usedAlias = usedAlias || port.index == nil
            resolved.append((port.index, port.handle, name, tensor))
        }
        resolved.sort { ($0.index ?? Int.max, $0.name) < ($1.index ?? Int.max, $1.name) }  // report errors in port order
        // A port can have more names than the one listed; only then can completeness not be checked by name.
        if !usedAlias {
            let missing = ports.inputs.filter { inputs[$0.name] == nil }
            if !missing.isEmpty {
                throw MedleyError.invalidArgument(
                    "running \(ports.path): missing input(s) \(missing.map { "'\($0.name)'" }.joined(separator: ", ")); "
                        + "the model's inputs are: \(portList(ports.inputs))")
            }
        }
        for input in resolved { try write(input.tensor, toInputAt: input.index, port: input.port, name: input.name) }
        try infer()
        var outputs: [String: Tensor] = [:]
        outputs.reserveCapacity(ports.outputs.count)
        for (index, port) in ports.outputs.enumerated() {
            outputs[port.name] = try output(at: index)
        }
        return outputs
    }

    /// Sets every input in the model's input order, runs the model and returns the outputs in its output order.
    public func run(_ inputs: [Tensor]) throws -> [Tensor] {
        guard inputs.count == ports.inputs.count else {
            throw MedleyError.invalidArgument(
                "running \(ports.path): the model takes \(ports.inputs.count) input(s) (\(portList(ports.inputs))), "
                    + "got \(inputs.count)")
        }
        for (index, tensor) in inputs.enumerated() { try setInput(at: index, tensor) }
        try infer()
        return try ports.outputs.indices.map { try output(at: $0) }
    }

    // MARK: - Step by step

    /// Copies `tensor` into the input called `name`. The input keeps this value until it is set again.
    public func setInput(_ name: String, _ tensor: Tensor) throws {
        let port = try inputPort(named: name)
        try write(tensor, toInputAt: port.index, port: port.handle, name: name)
    }

    /// Copies `tensor` into the input at `index` (in the model's input order).
    public func setInput(at index: Int, _ tensor: Tensor) throws {
        guard ports.inputs.indices.contains(index) else {
            throw MedleyError.invalidArgument(
                "input index \(index) is out of range: \(ports.path) has \(ports.inputs.count) input(s) "
                    + "(\(portList(ports.inputs)))")
        }
        try write(tensor, toInputAt: index, port: ports.inputHandles[index], name: ports.inputs[index].name)
    }

    /// Runs the model on the inputs set so far (synchronously, on the calling thread and OpenVINO's CPU threads).
    public func infer() throws {
        try check(ov_infer_request_infer(handle.pointer), "running \(ports.path)")
    }

    /// A copy of the output called `name` from the last ``infer()``.
    public func output(_ name: String) throws -> Tensor {
        if let index = ports.outputIndex[name] { return try output(at: index) }
        var raw: OpaquePointer?
        let status = ov_compiled_model_output_by_name(ports.handle.pointer, name, &raw)
        guard status == OK, let raw else {
            throw runtimeError(status == OK ? NOT_FOUND : status, "reading output '\(name)' of \(ports.path)",
                               hint: "the model's outputs are: \(portList(ports.outputs))")
        }
        let port = PortHandle(taking: raw)
        var tensor: OpaquePointer?
        try check(ov_infer_request_get_tensor_by_const_port(handle.pointer, port.pointer, &tensor),
                  "reading output '\(name)' of \(ports.path)")
        return try copyOut(tensor, name: name)
    }

    /// A copy of the output at `index` (in the model's output order) from the last ``infer()``.
    public func output(at index: Int) throws -> Tensor {
        guard ports.outputs.indices.contains(index) else {
            throw MedleyError.invalidArgument(
                "output index \(index) is out of range: \(ports.path) has \(ports.outputs.count) output(s) "
                    + "(\(portList(ports.outputs)))")
        }
        let name = ports.outputs[index].name
        var tensor: OpaquePointer?
        try check(ov_infer_request_get_output_tensor_by_index(handle.pointer, index, &tensor),
                  "reading output '\(name)' of \(ports.path)")
        return try copyOut(tensor, name: name)
    }

    // MARK: - Copying in and out

    /// The input port called `name`: from the list read at compile time, or else looked up by OpenVINO, which knows
    /// every name of every port (the list holds one name per port) and words the error for a name that is unknown.
    /// `index` is nil for a port found under a name other than the listed one.
    private func inputPort(named name: String) throws -> (index: Int?, handle: PortHandle) {
        if let index = ports.inputIndex[name] { return (index, ports.inputHandles[index]) }
        var raw: OpaquePointer?
        let status = ov_compiled_model_input_by_name(ports.handle.pointer, name, &raw)
        guard status == OK, let raw else {
            throw runtimeError(status == OK ? NOT_FOUND : status, "setting input '\(name)' of \(ports.path)",
                               hint: "the model's inputs are: \(portList(ports.inputs))")
        }
        return (nil, PortHandle(taking: raw))
    }

    /// Copies `tensor` into the request's buffer for an input: the port at `index`, or `port` found by another name.
    ///
    /// When the request already holds a buffer of the same type and shape (every call after the first, for a
    /// model run on same-sized inputs), the bytes go straight into it. Otherwise a new OpenVINO tensor of the
    /// caller's type and shape is filled and handed to the request, and OpenVINO checks it against the port: a
    /// wrong type or shape fails there, with OpenVINO's message.
    private func write(_ tensor: Tensor, toInputAt index: Int?, port: PortHandle, name: String) throws {
        func what() -> String {
            "setting input '\(name)' of \(ports.path) to a tensor of type \(tensor.elementType.rawValue) "
                + "and shape \(tensor.shape)"
        }
        if let index, let buffer = inputBuffers[index], buffer.elementType == tensor.elementType,
           buffer.shape == tensor.shape {
            try copy(tensor, into: buffer.tensor, what())
            return
        }
        if index == nil {
            // Setting a port through another of its names may replace a buffer remembered under its index.
            inputBuffers = inputBuffers.map { _ in nil }
        }
        let target: TensorHandle
        var current: OpaquePointer?
        // A dynamic input has no buffer before its first use; OpenVINO may then fail here, which is not an error.
        if ov_infer_request_get_tensor_by_const_port(handle.pointer, port.pointer, &current) == OK, let current,
           case let existing = TensorHandle(taking: current), try matches(existing, tensor, what()) {
            target = existing
            try copy(tensor, into: target, what())
        } else {
            var created: OpaquePointer?
            try withShape(tensor.shape) { shape in
                try check(ov_tensor_create(tensor.elementType.openVINO, shape, &created), what())
            }
            guard let created else { throw MedleyError.runtime("\(what()): OpenVINO returned no tensor") }
            target = TensorHandle(taking: created)
            try copy(tensor, into: target, what())
            try check(ov_infer_request_set_tensor_by_const_port(handle.pointer, port.pointer, target.pointer), what())
        }
        if let index {
            inputBuffers[index] = InputBuffer(tensor: target, elementType: tensor.elementType, shape: tensor.shape)
        }
    }

    /// True when the OpenVINO tensor has the element type and shape of `tensor`.
    private func matches(_ target: TensorHandle, _ tensor: Tensor, _ what: @autoclosure () -> String) throws -> Bool {
        var type = DYNAMIC
        try check(ov_tensor_get_element_type(target.pointer, &type), what())
        guard type == tensor.elementType.openVINO else { return false }
        let shape = ShapeBuffer()
        try check(ov_tensor_get_shape(target.pointer, &shape.raw), what())
        return shape.dimensions == tensor.shape
    }

    private func copy(_ tensor: Tensor, into target: TensorHandle, _ what: @autoclosure () -> String) throws {
        var byteSize = 0
        try check(ov_tensor_get_byte_size(target.pointer, &byteSize), what())
        try tensor.withUnsafeRawBytes { source in
            guard source.count == byteSize else {
                throw MedleyError.internal(
                    "\(what()): OpenVINO's buffer holds \(byteSize) bytes, the tensor \(source.count)")
            }
            guard byteSize > 0, let base = source.baseAddress else { return }
            var data: UnsafeMutableRawPointer?
            try check(ov_tensor_data(target.pointer, &data), what())
            guard let data else { throw MedleyError.runtime("\(what()): OpenVINO returned no buffer") }
            data.copyMemory(from: base, byteCount: byteSize)
        }
    }

    /// Takes ownership of an output tensor handle and copies its contents into a ``Tensor``.
    private func copyOut(_ raw: OpaquePointer?, name: String) throws -> Tensor {
        func what() -> String { "reading output '\(name)' of \(ports.path)" }
        guard let raw else { throw MedleyError.runtime("\(what()): OpenVINO returned no tensor") }
        let output = TensorHandle(taking: raw)
        var type = DYNAMIC
        try check(ov_tensor_get_element_type(output.pointer, &type), what())
        let elementType: ElementType
        if let known = ElementType(openVINO: type) {
            elementType = known
        } else if type == OV_BOOLEAN {
            elementType = .u8  // OpenVINO stores booleans as one byte, 0 or 1
        } else {
            throw MedleyError.invalidModel(
                id: ports.path,
                reason: "output '\(name)' has element type \(openVINOTypeName(type)), which Medley tensors cannot hold "
                    + "(they hold \(ElementType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let shape = ShapeBuffer()
        try check(ov_tensor_get_shape(output.pointer, &shape.raw), what())
        var byteSize = 0
        try check(ov_tensor_get_byte_size(output.pointer, &byteSize), what())
        var bytes: [UInt8] = []
        if byteSize > 0 {
            var data: UnsafeMutableRawPointer?
            try check(ov_tensor_data(output.pointer, &data), what())
            guard let data else { throw MedleyError.runtime("\(what()): OpenVINO returned no buffer") }
            bytes = [UInt8](UnsafeRawBufferPointer(start: data, count: byteSize))
        }
        return try Tensor(shape: shape.dimensions, elementType: elementType, bytes: bytes)
    }
}

/// `input: f32 [?,576], state: f32 [2,?,128]`, for messages.
func portList(_ ports: [PortInfo]) -> String {
    ports.isEmpty ? "none" : ports.map(\.description).joined(separator: ", ")
}
