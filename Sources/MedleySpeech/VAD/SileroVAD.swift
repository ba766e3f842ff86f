import MedleyCore
import MedleyRuntime

/// Silero VAD (`silero_vad_openvino_16k.onnx`) driven the way silero's own Python wrapper drives it.
///
/// Each call takes 512 new samples at 16 kHz with the last 64 samples of the previous call's input in front
/// (zeros at the start) and the recurrent state returned by the last call. Not thread-safe: one instance per
/// audio stream.
public struct SileroVAD {
    /// New samples per call at 16 kHz (silero's `num_samples`).
    public static let windowSize = 512
    /// Samples carried over from the previous call (silero's `context_size` at 16 kHz).
    public static let contextSize = 64
    /// The only rate the OpenVINO variant of the model accepts.
    public static let sampleRate = 16_000
    /// Shape of the recurrent state, (2, batch, 128), from silero's `reset_states`.
    static let stateShape = [2, 1, 128]

    private let request: InferRequest
    private var frame = [Float](repeating: 0, count: SileroVAD.contextSize + SileroVAD.windowSize)
    private var inputIndex = 0
    private var stateIndex = 1
    private var outputIndex = 0
    private var stateOutputIndex = 1

    /// Prepares a stream over a compiled silero model; checks that its ports are silero's.
    public init(model: CompiledModel) throws {
        guard let input = model.inputs.firstIndex(where: { $0.name == "input" }),
              let state = model.inputs.firstIndex(where: { $0.name == "state" }),
              let output = model.outputs.firstIndex(where: { $0.name == "output" }),
              let stateOut = model.outputs.firstIndex(where: { $0.name == "stateN" }) else {
            throw MedleyError.invalidModel(id: model.path, reason: "is not silero VAD: expected inputs input, state and "
                + "outputs output, stateN, found \(model.inputs.map(\.name)) and \(model.outputs.map(\.name))")
        }
        request = try model.makeInferRequest()
        inputIndex = input
        stateIndex = state
        outputIndex = output
        stateOutputIndex = stateOut
        try reset()
    }

    /// Clears the state and the context, as at the start of a new stream.
    public mutating func reset() throws {
        for i in frame.indices { frame[i] = 0 }
        try request.setInput(at: stateIndex, Tensor(zeros: Self.stateShape, elementType: .f32))
    }

    /// The speech probability of the next window of up to 512 samples (a short last window is zero-padded).
    public mutating func probability<C: Collection<Float>>(of window: C) throws -> Float {
        // Shift the last 64 samples of the previous input to the front, then the new samples after them.
        for i in 0..<Self.contextSize { frame[i] = frame[Self.windowSize + i] }
        var index = Self.contextSize
        for sample in window.prefix(Self.windowSize) {
            frame[index] = sample
            index += 1
        }
        while index < frame.count {
            frame[index] = 0
            index += 1
        }
        try request.setInput(at: inputIndex, Tensor(shape: [1, frame.count], floats: frame))
        try request.infer()
        try request.setInput(at: stateIndex, request.output(at: stateOutputIndex))
        return try request.output(at: outputIndex).floats().first ?? 0
    }
}
