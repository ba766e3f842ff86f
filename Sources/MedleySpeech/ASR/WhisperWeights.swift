import MedleyCore

/// The sizes of a Whisper model, read from its tensor shapes.
public struct WhisperDimensions: Sendable, Equatable, Codable {
    /// Mel bins of the input (80 for tiny and base).
    public var melBins: Int
    /// Encoder output frames per 30 s window (1500) and the longest decoder context (448).
    public var audioContext: Int
    /// The longest decoder context, prompt included (448).
    public var textContext: Int
    /// Model width (384 tiny, 512 base) and feed-forward inner width (1536, 2048).
    public var width: Int
    /// Inner width of the feed-forward blocks.
    public var feedForwardWidth: Int
    /// Attention heads (6, 8); every head is `width / heads` = 64 channels wide.
    public var encoderHeads: Int
    /// Attention heads of the decoder.
    public var decoderHeads: Int
    /// Transformer blocks of the encoder (4 tiny, 6 base).
    public var encoderLayers: Int
    /// Transformer blocks of the decoder.
    public var decoderLayers: Int
    /// Rows of the token embedding, which is also the output projection (51864 tiny.en, 51865 base).
    public var vocabularySize: Int
}

/// `y = x·Wᵀ + b` with W stored [outputs][inputs].
struct LinearWeights: Sendable {
    let weight: FloatBuffer
    let bias: FloatBuffer?
    let outputs: Int
    let inputs: Int
}

struct LayerNormWeights: Sendable {
    let gamma: FloatBuffer
    let beta: FloatBuffer
}

struct EncoderLayerWeights: Sendable {
    let attentionNorm: LayerNormWeights
    /// Fused [Wq; Wk; Wv], 3·width outputs.
    let queryKeyValue: LinearWeights
    let attentionOutput: LinearWeights
    let feedForwardNorm: LayerNormWeights
    let feedForwardIn: LinearWeights
    let feedForwardOut: LinearWeights
}

struct DecoderLayerWeights: Sendable {
    let selfAttentionNorm: LayerNormWeights
    let selfQueryKeyValue: LinearWeights
    let selfAttentionOutput: LinearWeights
    let crossAttentionNorm: LayerNormWeights
    let crossQuery: LinearWeights
    /// Fused [Wk; Wv] applied to the encoder output once per window.
    let crossKeyValue: LinearWeights
    let crossAttentionOutput: LinearWeights
    let feedForwardNorm: LayerNormWeights
    let feedForwardIn: LinearWeights
    let feedForwardOut: LinearWeights
}

/// All weights of a CTranslate2 Whisper model (spec `WhisperSpec`), widened to float32 once at load.
struct WhisperWeights: Sendable {
    let dimensions: WhisperDimensions
    /// Convolutions reordered to [out][kernel tap][in], so that an im2col row is three contiguous input frames.
    let conv1: LinearWeights
    let conv2: LinearWeights
    let encoderPositions: FloatBuffer
    let encoderLayers: [EncoderLayerWeights]
    let encoderNorm: LayerNormWeights
    /// [vocabularySize][width]; also the output projection (CTranslate2 ties them with an alias).
    let embedding: FloatBuffer
    let decoderPositions: FloatBuffer
    let decoderLayers: [DecoderLayerWeights]
    let decoderNorm: LayerNormWeights

    init(file: CTranslate2ModelFile) throws {
        guard file.specName == "WhisperSpec" else {
            throw MedleyError.invalidModel(
                id: file.modelID, reason: "\(file.path) holds a '\(file.specName)' model, not a Whisper model (WhisperSpec)")
        }
        let convShape = try file.shape("encoder/conv1/weight")
        let embeddingShape = try file.shape("decoder/embeddings/weight")
        let ffnShape = try file.shape("encoder/layer_0/ffn/linear_0/weight")
        guard convShape.count == 3, convShape[2] == 3, embeddingShape.count == 2, ffnShape.count == 2 else {
            throw MedleyError.invalidModel(id: file.modelID, reason: "\(file.path): unexpected Whisper tensor shapes")
        }
        let width = convShape[0]
        func layerCount(_ prefix: String) -> Int {
            var count = 0
            while file.contains("\(prefix)/layer_\(count)/ffn/linear_0/weight") { count += 1 }
            return count
        }
        let dimensions = WhisperDimensions(
            melBins: convShape[1],
            audioContext: try file.shape("encoder/position_encodings/encodings")[0],
            textContext: try file.shape("decoder/position_encodings/encodings")[0],
            width: width, feedForwardWidth: ffnShape[0],
            encoderHeads: try file.scalar("encoder/num_heads"), decoderHeads: try file.scalar("decoder/num_heads"),
            encoderLayers: layerCount("encoder"), decoderLayers: layerCount("decoder"),
            vocabularySize: embeddingShape[0])
        try Self.validate(dimensions, file: file)
        self.dimensions = dimensions

        let d = width, f = dimensions.feedForwardWidth
        func norm(_ name: String) throws -> LayerNormWeights {
            LayerNormWeights(gamma: try file.floats("\(name)/gamma", expected: [d]),
                             beta: try file.floats("\(name)/beta", expected: [d]))
        }
        func linear(_ name: String, _ outputs: Int, _ inputs: Int) throws -> LinearWeights {
            LinearWeights(weight: try file.floats("\(name)/weight", expected: [outputs, inputs]),
                          bias: try file.floats("\(name)/bias", expected: [outputs]), outputs: outputs, inputs: inputs)
        }
        func conv(_ name: String, inputs: Int) throws -> LinearWeights {
            let raw = try file.floats("\(name)/weight", expected: [d, inputs, 3])
            let reordered = FloatBuffer(count: d * 3 * inputs)
            for o in 0..<d {
                for i in 0..<inputs {
                    for k in 0..<3 { reordered[(o * 3 + k) * inputs + i] = raw[(o * inputs + i) * 3 + k] }
                }
            }
            return LinearWeights(weight: reordered, bias: try file.floats("\(name)/bias", expected: [d]),
                                 outputs: d, inputs: 3 * inputs)
        }
        conv1 = try conv("encoder/conv1", inputs: dimensions.melBins)
        conv2 = try conv("encoder/conv2", inputs: d)
        encoderPositions = try file.floats("encoder/position_encodings/encodings", expected: [dimensions.audioContext, d])
        encoderLayers = try (0..<dimensions.encoderLayers).map { i in
            let p = "encoder/layer_\(i)"
            return EncoderLayerWeights(
                attentionNorm: try norm("\(p)/self_attention/layer_norm"),
                queryKeyValue: try linear("\(p)/self_attention/linear_0", 3 * d, d),
                attentionOutput: try linear("\(p)/self_attention/linear_1", d, d),
                feedForwardNorm: try norm("\(p)/ffn/layer_norm"),
                feedForwardIn: try linear("\(p)/ffn/linear_0", f, d),
                feedForwardOut: try linear("\(p)/ffn/linear_1", d, f))
        }
        encoderNorm = try norm("encoder/layer_norm")
        embedding = try file.floats("decoder/embeddings/weight", expected: [dimensions.vocabularySize, d])
        decoderPositions = try file.floats("decoder/position_encodings/encodings", expected: [dimensions.textContext, d])
        decoderLayers = try (0..<dimensions.decoderLayers).map { i in
            let p = "decoder/layer_\(i)"
            return DecoderLayerWeights(
                selfAttentionNorm: try norm("\(p)/self_attention/layer_norm"),
                selfQueryKeyValue: try linear("\(p)/self_attention/linear_0", 3 * d, d),
                selfAttentionOutput: try linear("\(p)/self_attention/linear_1", d, d),
                crossAttentionNorm: try norm("\(p)/attention/layer_norm"),
                crossQuery: try linear("\(p)/attention/linear_0", d, d),
                crossKeyValue: try linear("\(p)/attention/linear_1", 2 * d, d),
                crossAttentionOutput: try linear("\(p)/attention/linear_2", d, d),
                feedForwardNorm: try norm("\(p)/ffn/layer_norm"),
                feedForwardIn: try linear("\(p)/ffn/linear_0", f, d),
                feedForwardOut: try linear("\(p)/ffn/linear_1", d, f))
        }
        decoderNorm = try norm("decoder/layer_norm")
    }

    /// Refuses settings this implementation does not compute (another activation, post-norm, ALiBi...).
    private static func validate(_ dims: WhisperDimensions, file: CTranslate2ModelFile) throws {
        func fail(_ reason: String) -> MedleyError { .invalidModel(id: file.modelID, reason: "\(file.path): \(reason)") }
        guard dims.encoderLayers > 0, dims.decoderLayers > 0 else { throw fail("has no encoder or decoder layers") }
        for heads in [dims.encoderHeads, dims.decoderHeads] where heads <= 0 || dims.width % heads != 0 {
            throw fail("width \(dims.width) is not divisible into \(heads) heads")
        }
        guard dims.audioContext > 0, dims.textContext > 0, dims.vocabularySize > 0 else {
            throw fail("has an empty context or vocabulary")
        }
        // CTranslate2 numbers its activations; Whisper's decoder uses exact GELU (erf), code 3.
        let settings: [(String, Int)] = [("decoder/activation", 3), ("decoder/pre_norm", 1), ("decoder/alibi", 0),
                                         ("decoder/scale_embeddings", 0)]
        for (name, expected) in settings where file.contains(name) {
            let value = try file.scalar(name)
            if value != expected { throw fail("setting \(name) = \(value) is not supported (expected \(expected))") }
        }
    }
}
