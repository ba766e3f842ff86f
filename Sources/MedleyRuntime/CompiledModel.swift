internal import COpenVINO
import Foundation
import MedleyCore

/// A model compiled for the CPU, ready to run.
///
/// Thread-safe and `Sendable`: share one compiled model between tasks and threads (``CompiledModelCache`` does).
/// Each caller that runs it repeatedly should hold its own ``InferRequest`` (``makeInferRequest()``); the
/// convenience ``run(_:)-([String:Tensor])`` methods borrow an idle request from a small internal pool, so they are
/// safe to call concurrently too, at the price of a lock and of not keeping any state between calls.
public final class CompiledModel: @unchecked Sendable {
    /// The file the model was read from.
    public var path: String { ports.path }
    /// The settings it was compiled with.
    public let settings: CompileSettings
    /// The inputs, in the model's order, with the shapes fixed by any reshape before compiling.
    public var inputs: [PortInfo] { ports.inputs }
    /// The outputs, in the model's order.
    public var outputs: [PortInfo] { ports.outputs }

    /// The C handle and ports, shared with every request made from this model (requests must not hold the model
    /// itself: the pool below holds requests, and that would make a cycle).
    let ports: CompiledModelPorts

    // Requests the `run` conveniences hand out; guarded by `lock`. All other state is immutable after init, which
    // is what makes the `@unchecked Sendable` above sound.
    private let lock = NSLock()
    private var idleRequests: [InferRequest] = []
    /// Idle requests kept for reuse; more are created when more callers run at once, and dropped afterwards.
    private static let maximumIdleRequests = 8

    init(handle: CompiledModelHandle, path: String, settings: CompileSettings, inputNames: [String],
         outputNames: [String]) throws {
        ports = try CompiledModelPorts(handle: handle, path: path, inputNames: inputNames, outputNames: outputNames)
        self.settings = settings
    }

    /// A new infer request. Requests are cheap next to compiling but not free (each holds its own input and output
    /// buffers): create one per caller and reuse it for every call. A request must not be used by two threads at once.
    public func makeInferRequest() throws -> InferRequest {
        try InferRequest(ports: ports)
    }

    /// Runs the model once on named inputs and returns every output by name.
    ///
    /// Every input must be given. Inputs are copied once into OpenVINO's buffers and outputs once out of them.
    /// Safe to call from several threads at once; for many calls in a row from one caller, an own
    /// ``InferRequest`` avoids the pool's lock.
    public func run(_ inputs: [String: Tensor]) throws -> [String: Tensor] {
        try withPooledRequest { try $0.run(inputs) }
    }

    /// Runs the model once on inputs given in the model's input order and returns the outputs in its output order.
    public func run(_ inputs: [Tensor]) throws -> [Tensor] {
        try withPooledRequest { try $0.run(inputs) }
    }

    /// A property of the compiled model as OpenVINO reports it, such as `INFERENCE_PRECISION_HINT`,
    /// `INFERENCE_NUM_THREADS`, `PERFORMANCE_HINT` or `OPTIMAL_NUMBER_OF_INFER_REQUESTS`.
    public func property(_ key: String) throws -> String {
        var raw: UnsafeMutablePointer<CChar>?
        try check(ov_compiled_model_get_property(ports.handle.pointer, key, &raw), "reading property \(key) of \(path)")
        return takeString(raw) ?? ""
    }

    private func withPooledRequest<R>(_ body: (InferRequest) throws -> R) throws -> R {
        let pooled: InferRequest? = lock.withLock { idleRequests.popLast() }
        let request = try pooled ?? makeInferRequest()
        defer {
            lock.withLock {
                if idleRequests.count < Self.maximumIdleRequests { idleRequests.append(request) }
            }
        }
        return try body(request)
    }
}

/// The parts of a compiled model that its infer requests need: the C handle and the ports, read once.
/// Immutable after init; OpenVINO's compiled model and its ports are safe to read from several threads.
final class CompiledModelPorts: @unchecked Sendable {
    let handle: CompiledModelHandle
    let path: String
    let inputs: [PortInfo]
    let outputs: [PortInfo]
    let inputHandles: [PortHandle]
    let outputHandles: [PortHandle]
    /// Port index by name. A model could give two ports the same name; the first one wins, like OpenVINO's lookup.
    let inputIndex: [String: Int]
    let outputIndex: [String: Int]

    /// Reads the compiled model's ports, naming them `inputNames` and `outputNames` (the source model's names, in
    /// port order).
    ///
    /// Why not the compiled ports' own names: compiling can add names to a port (silero VAD's `output` also becomes
    /// `F0::If_0_then_branch__Inline_0__/ReduceMean_output_0`), and OpenVINO's "any name" is the alphabetically
    /// first, so the compiled port would be listed under the internal name. Every name still finds the port.
    init(handle: CompiledModelHandle, path: String, inputNames: [String], outputNames: [String]) throws {
        let compiled = handle.pointer
        var inputs = try readPorts(
            side: "input",
            count: { ov_compiled_model_inputs_size(compiled, $0) },
            port: { ov_compiled_model_input_by_index(compiled, $0, $1) })
        var outputs = try readPorts(
            side: "output",
            count: { ov_compiled_model_outputs_size(compiled, $0) },
            port: { ov_compiled_model_output_by_index(compiled, $0, $1) })
        if inputNames.count == inputs.count {
            for index in inputs.indices { inputs[index].info.name = inputNames[index] }
        }
        if outputNames.count == outputs.count {
            for index in outputs.indices { outputs[index].info.name = outputNames[index] }
        }
        self.handle = handle
        self.path = path
        self.inputs = inputs.map(\.info)
        self.outputs = outputs.map(\.info)
        inputHandles = inputs.map(\.handle)
        outputHandles = outputs.map(\.handle)
        inputIndex = Dictionary(self.inputs.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        outputIndex = Dictionary(self.outputs.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
