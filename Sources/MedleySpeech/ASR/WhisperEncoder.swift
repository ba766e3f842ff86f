import MedleyDSP

/// Whisper's audio encoder: two GELU convolutions, sinusoid positions, pre-norm transformer blocks and a final
/// layer norm, mapping one 30 s window of log-mel features [3000 × 80] to [1500 × width].
///
/// Every product goes through OpenBLAS: the convolutions as im2col + GEMM, attention head by head as two
/// GEMMs with a row softmax between them (one head's score matrix is 1500 × 1500, 9 MB, so heads are not
/// batched). Not thread-safe: one encoder (and its work buffers) serves one transcription at a time.
final class WhisperEncoder {
    private let weights: WhisperWeights
    private let dims: WhisperDimensions
    private let inputFrames: Int
    private let columns1: FloatBuffer   // im2col of the mel window, [3000][3·mel]
    private let conv1Output: FloatBuffer // [3000][width]
    private let columns2: FloatBuffer   // [1500][3·width]
    private let hidden: FloatBuffer     // residual stream x, [1500][width]
    private let normed: FloatBuffer     // layer-norm output, [1500][width]
    private let queryKeyValue: FloatBuffer // [1500][3·width]
    private let scores: FloatBuffer     // one head, [1500][1500]
    private let inverseSums: FloatBuffer // one head's softmax normalisers, [1500]
    private let attention: FloatBuffer  // [1500][width]
    private let feedForward: FloatBuffer // [1500][ffn]

    init(weights: WhisperWeights) {
        self.weights = weights
        dims = weights.dimensions
        let t = dims.audioContext, d = dims.width
        inputFrames = 2 * t
        columns1 = FloatBuffer(count: inputFrames * 3 * dims.melBins)
        conv1Output = FloatBuffer(count: inputFrames * d)
        columns2 = FloatBuffer(count: t * 3 * d)
        hidden = FloatBuffer(count: t * d)
        normed = FloatBuffer(count: t * d)
        queryKeyValue = FloatBuffer(count: t * 3 * d)
        scores = FloatBuffer(count: t * t)
        inverseSums = FloatBuffer(count: t)
        attention = FloatBuffer(count: t * d)
        feedForward = FloatBuffer(count: t * dims.feedForwardWidth)
    }

    /// Encodes `mel` (time-major, `2 · audioContext` frames of `melBins`) into `output` ([audioContext][width]).
    func encode(mel: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let t = dims.audioContext, d = dims.width, mels = dims.melBins
        // conv1 (stride 1, pad 1): row τ of the im2col matrix is frames τ−1, τ, τ+1, matching the
        // [out][tap][in] weight order.
        Self.im2col(input: mel, inputFrames: inputFrames, channels: mels, stride: 1, outputFrames: inputFrames,
                    into: columns1.pointer)
        TransformerKernels.linear(columns1.constPointer, rows: inputFrames, weights: weights.conv1,
                                  output: conv1Output.pointer, addBias: false)
        TransformerKernels.addBiasGELU(weights.conv1.bias?.constPointer, conv1Output.pointer, rows: inputFrames, width: d)
        // conv2 (stride 2, pad 1)
        Self.im2col(input: conv1Output.constPointer, inputFrames: inputFrames, channels: d, stride: 2, outputFrames: t,
                    into: columns2.pointer)
        TransformerKernels.linear(columns2.constPointer, rows: t, weights: weights.conv2, output: hidden.pointer,
                                  addBias: false)
        TransformerKernels.addBiasGELU(weights.conv2.bias?.constPointer, hidden.pointer, rows: t, width: d)
        TransformerKernels.add(weights.encoderPositions.constPointer, to: hidden.pointer, count: t * d)

        for layer in weights.encoderLayers {
            // x += out(attention(LN(x)))
            TransformerKernels.layerNorm(hidden.constPointer, rows: t, width: d, weights: layer.attentionNorm,
                                         output: normed.pointer)
            TransformerKernels.linear(normed.constPointer, rows: t, weights: layer.queryKeyValue,
                                      output: queryKeyValue.pointer)
            selfAttention()
            TransformerKernels.linear(attention.constPointer, rows: t, weights: layer.attentionOutput,
                                      output: hidden.pointer, accumulate: true)
            // x += fc2(gelu(fc1(LN(x))))
            TransformerKernels.layerNorm(hidden.constPointer, rows: t, width: d, weights: layer.feedForwardNorm,
                                         output: normed.pointer)
            TransformerKernels.linear(normed.constPointer, rows: t, weights: layer.feedForwardIn,
                                      output: feedForward.pointer, addBias: false)
            TransformerKernels.addBiasGELU(layer.feedForwardIn.bias?.constPointer, feedForward.pointer, rows: t,
                                           width: dims.feedForwardWidth)
            TransformerKernels.linear(feedForward.constPointer, rows: t, weights: layer.feedForwardOut,
                                      output: hidden.pointer, accumulate: true)
        }
        TransformerKernels.layerNorm(hidden.constPointer, rows: t, width: d, weights: weights.encoderNorm, output: output)
    }

    /// Full (non-causal) multi-head attention over the fused q/k/v rows into `attention`.
    private func selfAttention() {
        let t = dims.audioContext, d = dims.width, heads = dims.encoderHeads, headWidth = d / heads
        let qkv = queryKeyValue.constPointer
        let scale = 1 / Float(headWidth).squareRoot()
        for h in 0..<heads {
            BLAS.sgemm(m: t, n: t, k: headWidth, a: qkv + h * headWidth, lda: 3 * d,
                       b: qkv + d + h * headWidth, ldb: 3 * d, transposeB: true,
                       c: scores.pointer, ldc: t, alpha: scale)
            // Softmax without its division, which is applied to the 64-wide output rows instead of the
            // 1500-wide score rows.
            TransformerKernels.exponentiateRows(scores.pointer, rows: t, count: t, stride: t,
                                                inverseSums: inverseSums.pointer)
            BLAS.sgemm(m: t, n: headWidth, k: t, a: scores.constPointer, lda: t,
                       b: qkv + 2 * d + h * headWidth, ldb: 3 * d,
                       c: attention.pointer + h * headWidth, ldc: d)
            TransformerKernels.scaleRows(attention.pointer + h * headWidth, rows: t, width: headWidth, stride: d,
                                         factors: inverseSums.constPointer)
        }
    }

    /// Rows of three consecutive input frames (taps −1, 0, +1 around `stride · τ`), zeros outside the input.
    static func im2col(input: UnsafePointer<Float>, inputFrames: Int, channels: Int, stride: Int, outputFrames: Int,
                       into columns: UnsafeMutablePointer<Float>) {
        TransformerKernels.parallelRanges(outputFrames, cost: 3 * channels) { range in
            for frame in range {
                for tap in 0..<3 {
                    let source = stride * frame + tap - 1
                    let destination = columns + (frame * 3 + tap) * channels
                    if source >= 0 && source < inputFrames {
                        destination.update(from: input + source * channels, count: channels)
                    } else {
                        destination.update(repeating: 0, count: channels)
                    }
                }
            }
        }
    }
}
