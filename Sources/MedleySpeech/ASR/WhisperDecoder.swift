import MedleyDSP

/// Self-attention keys and values of a batch of token sequences, for every decoder layer.
///
/// Each sequence has room for the model's whole text context (448 positions). All sequences of a batch advance
/// together, so one ``length`` describes them all.
final class DecoderCache {
    let batchCapacity: Int
    let context: Int
    let width: Int
    /// Per layer: [batchCapacity][context][width].
    let keys: [FloatBuffer]
    let values: [FloatBuffer]
    /// Positions filled so far.
    var length = 0

    init(dimensions: WhisperDimensions, batchCapacity: Int) {
        self.batchCapacity = batchCapacity
        context = dimensions.textContext
        width = dimensions.width
        let size = batchCapacity * context * width
        keys = (0..<dimensions.decoderLayers).map { _ in FloatBuffer(count: size) }
        values = (0..<dimensions.decoderLayers).map { _ in FloatBuffer(count: size) }
    }

    /// Copies the filled positions of sequence `source` into sequences `targets` (after a shared prompt).
    func replicate(_ source: Int, to targets: Range<Int>) {
        let stride = context * width, count = length * width
        for buffer in keys + values {
            for target in targets where target != source {
                (buffer.pointer + target * stride).update(from: buffer.pointer + source * stride, count: count)
            }
        }
    }
}

/// Whisper's text decoder: token embedding + learned positions, pre-norm blocks of causal self-attention (with
/// a key/value cache), cross-attention over the encoder output and a GELU feed-forward, then a final layer norm
/// and the output projection tied to the embedding.
///
/// Cross-attention keys and values are computed once per window by ``setEncoderOutput(_:)``. One call to
/// ``forward(tokens:batch:cache:logitRows:logits:)`` feeds `batch` sequences the same number of new tokens
/// each: a whole prompt at once (batch 1), or one token for each of several sampled candidates.
/// Not thread-safe: one decoder serves one transcription at a time.
final class WhisperDecoder {
    let dims: WhisperDimensions
    private let weights: WhisperWeights
    private let maxRows: Int
    /// Per layer: [audioContext][2·width], keys in the first `width` columns, values in the rest.
    private let crossKeyValues: [FloatBuffer]
    private let hidden: FloatBuffer, normed: FloatBuffer, attention: FloatBuffer, query: FloatBuffer
    private let queryKeyValue: FloatBuffer, feedForward: FloatBuffer, scores: FloatBuffer, inverseSums: FloatBuffer
    private let finalRows: FloatBuffer

    init(weights: WhisperWeights, maxBatch: Int) {
        self.weights = weights
        let dims = weights.dimensions
        self.dims = dims
        let d = dims.width
        maxRows = max(dims.textContext, maxBatch)
        crossKeyValues = (0..<dims.decoderLayers).map { _ in FloatBuffer(count: dims.audioContext * 2 * d) }
        hidden = FloatBuffer(count: maxRows * d)
        normed = FloatBuffer(count: maxRows * d)
        attention = FloatBuffer(count: maxRows * d)
        query = FloatBuffer(count: maxRows * d)
        queryKeyValue = FloatBuffer(count: maxRows * 3 * d)
        feedForward = FloatBuffer(count: maxRows * dims.feedForwardWidth)
        scores = FloatBuffer(count: maxRows * max(dims.audioContext, dims.textContext))
        inverseSums = FloatBuffer(count: maxRows)
        finalRows = FloatBuffer(count: maxRows * d)
    }

    /// Projects the encoder output ([audioContext][width]) to each layer's cross-attention keys and values.
    func setEncoderOutput(_ encoderOutput: UnsafePointer<Float>) {
        for (layer, buffer) in zip(weights.decoderLayers, crossKeyValues) {
            TransformerKernels.linear(encoderOutput, rows: dims.audioContext, weights: layer.crossKeyValue,
                                      output: buffer.pointer)
        }
    }

    /// Feeds `tokens` (`batch` sequences × T new tokens each, sequence-major) at positions `cache.length ..<
    /// cache.length + T`, and writes the logits of the rows listed in `logitRows` (indices into the batch·T
    /// rows) to `logits`, one vocabulary-sized row each. Advances `cache.length` by T.
    func forward(tokens: [Int], batch: Int, cache: DecoderCache, logitRows: [Int], logits: UnsafeMutablePointer<Float>) {
        let d = dims.width, rows = tokens.count
        guard batch > 0, rows > 0, rows % batch == 0, rows <= maxRows, batch <= cache.batchCapacity else { return }
        let steps = rows / batch, start = cache.length
        guard start + steps <= dims.textContext else { return }
        let embedding = weights.embedding.constPointer, positions = weights.decoderPositions.constPointer
        for (row, token) in tokens.enumerated() {
            let id = min(max(token, 0), dims.vocabularySize - 1)
            let x = hidden.pointer + row * d, e = embedding + id * d, p = positions + (start + row % steps) * d
            for j in 0..<d { x[j] = e[j] + p[j] }
        }
        for (index, layer) in weights.decoderLayers.enumerated() {
            TransformerKernels.layerNorm(hidden.constPointer, rows: rows, width: d, weights: layer.selfAttentionNorm,
                                         output: normed.pointer)
            TransformerKernels.linear(normed.constPointer, rows: rows, weights: layer.selfQueryKeyValue,
                                      output: queryKeyValue.pointer)
            selfAttention(layer: index, batch: batch, steps: steps, cache: cache)
            TransformerKernels.linear(attention.constPointer, rows: rows, weights: layer.selfAttentionOutput,
                                      output: hidden.pointer, accumulate: true)

            TransformerKernels.layerNorm(hidden.constPointer, rows: rows, width: d, weights: layer.crossAttentionNorm,
                                         output: normed.pointer)
            TransformerKernels.linear(normed.constPointer, rows: rows, weights: layer.crossQuery, output: query.pointer)
            crossAttention(layer: index, rows: rows)
            TransformerKernels.linear(attention.constPointer, rows: rows, weights: layer.crossAttentionOutput,
                                      output: hidden.pointer, accumulate: true)

            TransformerKernels.layerNorm(hidden.constPointer, rows: rows, width: d, weights: layer.feedForwardNorm,
                                         output: normed.pointer)
            TransformerKernels.linear(normed.constPointer, rows: rows, weights: layer.feedForwardIn,
                                      output: feedForward.pointer, addBias: false)
            TransformerKernels.addBiasGELU(layer.feedForwardIn.bias?.constPointer, feedForward.pointer, rows: rows,
                                           width: dims.feedForwardWidth)
            TransformerKernels.linear(feedForward.constPointer, rows: rows, weights: layer.feedForwardOut,
                                      output: hidden.pointer, accumulate: true)
        }
        cache.length = start + steps

        // Final norm and the tied output projection, only for the rows whose logits are wanted.
        let wanted = logitRows.filter { $0 >= 0 && $0 < rows }
        guard !wanted.isEmpty else { return }
        for (i, row) in wanted.enumerated() {
            (finalRows.pointer + i * d).update(from: hidden.pointer + row * d, count: d)
        }
        TransformerKernels.layerNorm(finalRows.constPointer, rows: wanted.count, width: d, weights: weights.decoderNorm,
                                     output: normed.pointer)
        if wanted.count == 1 {
            BLAS.sgemv(m: dims.vocabularySize, n: d, a: embedding, lda: d, x: normed.constPointer, y: logits)
        } else {
            BLAS.sgemm(m: wanted.count, n: dims.vocabularySize, k: d, a: normed.constPointer, lda: d,
                       b: embedding, ldb: d, transposeB: true, c: logits, ldc: dims.vocabularySize)
        }
    }

    /// Causal self-attention of each sequence's new rows over its cached positions plus the new ones.
    private func selfAttention(layer: Int, batch: Int, steps: Int, cache: DecoderCache) {
        let d = dims.width, heads = dims.decoderHeads, headWidth = d / heads
        let start = cache.length, total = start + steps
        let scale = 1 / Float(headWidth).squareRoot()
        let sequenceStride = cache.context * d
        for b in 0..<batch {
            let keys = cache.keys[layer].pointer + b * sequenceStride
            let values = cache.values[layer].pointer + b * sequenceStride
            for t in 0..<steps {
                let row = queryKeyValue.constPointer + (b * steps + t) * 3 * d
                (keys + (start + t) * d).update(from: row + d, count: d)
                (values + (start + t) * d).update(from: row + 2 * d, count: d)
            }
            let firstRow = b * steps
            if steps == 1 {
                singleQueryAttention(query: queryKeyValue.constPointer + firstRow * 3 * d, keys: keys,
                                     values: values, positions: total, output: attention.pointer + firstRow * d)
                continue
            }
            for h in 0..<heads {
                let q = queryKeyValue.constPointer + firstRow * 3 * d + h * headWidth
                BLAS.sgemm(m: steps, n: total, k: headWidth, a: q, lda: 3 * d, b: keys + h * headWidth, ldb: d,
                           transposeB: true, c: scores.pointer, ldc: total, alpha: scale)
                for t in 0..<steps {
                    // Row t sees positions up to start + t.
                    let row = scores.pointer + t * total, visible = start + t + 1
                    TransformerKernels.softmax(row, count: visible)
                    if visible < total { (row + visible).update(repeating: 0, count: total - visible) }
                }
                BLAS.sgemm(m: steps, n: headWidth, k: total, a: scores.constPointer, lda: total,
                           b: values + h * headWidth, ldb: d,
                           c: attention.pointer + firstRow * d + h * headWidth, ldc: d)
            }
        }
    }

    /// One query row against `positions` cached keys and values, every head, in plain SIMD loops: at most
    /// 448 × 64 multiply-adds per head, too small to be worth two BLAS calls each.
    private func singleQueryAttention(query: UnsafePointer<Float>, keys: UnsafePointer<Float>,
                                      values: UnsafePointer<Float>, positions: Int, output: UnsafeMutablePointer<Float>) {
        typealias Vector = VectorMath.Vector
        let d = dims.width, heads = dims.decoderHeads, headWidth = d / heads
        let scale = 1 / Float(headWidth).squareRoot()
        let weights = scores.pointer
        for h in 0..<heads {
            let offset = h * headWidth
            for p in 0..<positions {
                let key = keys + p * d + offset
                var sum = Vector(repeating: 0)
                var j = 0
                while j + 8 <= headWidth {
                    sum += UnsafeRawPointer(query + offset + j).loadUnaligned(as: Vector.self)
                        * UnsafeRawPointer(key + j).loadUnaligned(as: Vector.self)
                    j += 8
                }
                var total = sum.sum()
                while j < headWidth { total += query[offset + j] * key[j]; j += 1 }
                weights[p] = total * scale
            }
            TransformerKernels.softmax(weights, count: positions)
            let out = output + offset
            out.update(repeating: 0, count: headWidth)
            for p in 0..<positions {
                let value = values + p * d + offset, w = Vector(repeating: weights[p])
                var j = 0
                while j + 8 <= headWidth {
                    let v = UnsafeRawPointer(out + j).loadUnaligned(as: Vector.self)
                        + w * UnsafeRawPointer(value + j).loadUnaligned(as: Vector.self)
                    UnsafeMutableRawPointer(out + j).storeBytes(of: v, as: Vector.self)
                    j += 8
                }
                while j < headWidth { out[j] += weights[p] * value[j]; j += 1 }
            }
        }
    }

    /// Attention of every row's query over the window's encoder output.
    private func crossAttention(layer: Int, rows: Int) {
        let d = dims.width, heads = dims.decoderHeads, headWidth = d / heads, frames = dims.audioContext
        let scale = 1 / Float(headWidth).squareRoot()
        let keyValues = crossKeyValues[layer].constPointer
        for h in 0..<heads {
            let keys = keyValues + h * headWidth, values = keyValues + d + h * headWidth
            let q = query.constPointer + h * headWidth
            let out = attention.pointer + h * headWidth
            if rows == 1 {
                BLAS.sgemv(m: frames, n: headWidth, a: keys, lda: 2 * d, x: q, y: scores.pointer, alpha: scale)
                TransformerKernels.softmax(scores.pointer, count: frames)
                BLAS.sgemv(m: frames, n: headWidth, a: values, lda: 2 * d, transpose: true, x: scores.constPointer,
                           y: out)
            } else {
                BLAS.sgemm(m: rows, n: frames, k: headWidth, a: q, lda: d, b: keys, ldb: 2 * d, transposeB: true,
                           c: scores.pointer, ldc: frames, alpha: scale)
                TransformerKernels.exponentiateRows(scores.pointer, rows: rows, count: frames, stride: frames,
                                                    inverseSums: inverseSums.pointer)
                BLAS.sgemm(m: rows, n: headWidth, k: frames, a: scores.constPointer, lda: frames, b: values,
                           ldb: 2 * d, c: out, ldc: d)
                TransformerKernels.scaleRows(out, rows: rows, width: headWidth, stride: d,
                                             factors: inverseSums.constPointer)
            }
        }
    }
}
