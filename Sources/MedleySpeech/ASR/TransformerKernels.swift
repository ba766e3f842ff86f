import Dispatch
import Foundation
import MedleyDSP

/// The building blocks of Whisper's transformer on row-major float buffers: linear layers (through OpenBLAS),
/// layer norm, bias + GELU, residual adds and row softmax.
///
/// Matrix products use OpenBLAS's own threads. The element-wise passes over encoder-sized data are split
/// over ``workerCount`` threads here; small (decoder) passes stay on the calling thread, where a thread hop
/// would cost more than the work.
enum TransformerKernels {
    typealias Vector = VectorMath.Vector

    /// Threads for element-wise passes: the machine's cores, at most 8.
    static let workerCount = max(1, min(8, System.coreCount))

    /// Runs `body` over `0..<count` split into contiguous ranges, in parallel when `count * cost` is large.
    @inline(__always)
    static func parallelRanges(_ count: Int, cost: Int, _ body: (Range<Int>) -> Void) {
        let parts = count * cost >= 1 << 17 ? min(workerCount, count) : 1
        if parts <= 1 {
            body(0..<count)
            return
        }
        let chunk = (count + parts - 1) / parts
        concurrentPerform(iterations: parts) { part in
            let start = part * chunk
            if start < count { body(start..<min(count, start + chunk)) }
        }
    }

    /// `DispatchQueue.concurrentPerform` for a non-`@Sendable` body. Sound because `concurrentPerform` returns
    /// only after every iteration has finished, and callers give each iteration disjoint memory to write.
    static func concurrentPerform(iterations: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: iterations) { box.value($0) }
        }
    }

    /// `output[r] = input[r]·Wᵀ (+ b)` for `rows` rows; with `accumulate`, adds to `output` instead (residual).
    /// `input` rows are `inputStride` floats apart, `output` rows `outputStride` apart.
    static func linear(
        _ input: UnsafePointer<Float>, rows: Int, inputStride: Int? = nil, weights: LinearWeights,
        output: UnsafeMutablePointer<Float>, outputStride: Int? = nil, accumulate: Bool = false, addBias: Bool = true
    ) {
        let lda = inputStride ?? weights.inputs, ldc = outputStride ?? weights.outputs
        if rows == 1 {
            BLAS.sgemv(m: weights.outputs, n: weights.inputs, a: weights.weight.constPointer, lda: weights.inputs,
                       x: input, y: output, beta: accumulate ? 1 : 0)
        } else {
            BLAS.sgemm(m: rows, n: weights.outputs, k: weights.inputs, a: input, lda: lda,
                       b: weights.weight.constPointer, ldb: weights.inputs, transposeB: true,
                       c: output, ldc: ldc, beta: accumulate ? 1 : 0)
        }
        if addBias, let bias = weights.bias {
            addRowVector(bias.constPointer, to: output, rows: rows, width: weights.outputs, stride: ldc)
        }
    }

    /// Adds `vector` (width floats) to each row.
    static func addRowVector(_ vector: UnsafePointer<Float>, to data: UnsafeMutablePointer<Float>,
                             rows: Int, width: Int, stride: Int) {
        parallelRanges(rows, cost: width) { range in
            for r in range {
                let row = data + r * stride
                if !VectorMath.isVectorised {
                    for j in 0..<width { row[j] += vector[j] }
                    continue
                }
                var j = 0
                while j + 8 <= width {
                    let v = UnsafeRawPointer(row + j).loadUnaligned(as: Vector.self)
                        + UnsafeRawPointer(vector + j).loadUnaligned(as: Vector.self)
                    UnsafeMutableRawPointer(row + j).storeBytes(of: v, as: Vector.self)
                    j += 8
                }
                while j < width { row[j] += vector[j]; j += 1 }
            }
        }
    }

    /// `data = gelu(data + bias)` on `rows` rows of `width`.
    static func addBiasGELU(_ bias: UnsafePointer<Float>?, _ data: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        parallelRanges(rows, cost: width * 4) { range in
            for r in range {
                let row = data + r * width
                if !VectorMath.isVectorised {
                    for j in 0..<width {
                        let x = row[j] + (bias?[j] ?? 0)
                        row[j] = 0.5 * x * (1 + erff(x * 0.707_106_78))
                    }
                    continue
                }
                var j = 0
                while j + 8 <= width {
                    var v = UnsafeRawPointer(row + j).loadUnaligned(as: Vector.self)
                    if let bias { v += UnsafeRawPointer(bias + j).loadUnaligned(as: Vector.self) }
                    UnsafeMutableRawPointer(row + j).storeBytes(of: VectorMath.gelu(v), as: Vector.self)
                    j += 8
                }
                while j < width { row[j] = VectorMath.gelu(row[j] + (bias?[j] ?? 0)); j += 1 }
            }
        }
    }

    /// Layer norm over each row (ε = 1e-5, biased variance, as CTranslate2): `output = γ·(x − μ)/σ + β`.
    static func layerNorm(_ input: UnsafePointer<Float>, rows: Int, width: Int, weights: LayerNormWeights,
                          output: UnsafeMutablePointer<Float>) {
        let gamma = weights.gamma.constPointer, beta = weights.beta.constPointer
        parallelRanges(rows, cost: width * 2) { range in
            for r in range {
                let x = input + r * width, y = output + r * width
                var sum: Float = 0
                for j in 0..<width { sum += x[j] }
                let mean = sum / Float(width)
                var squares: Float = 0
                for j in 0..<width { let d = x[j] - mean; squares += d * d }
                let scale = 1 / (squares / Float(width) + 1e-5).squareRoot()
                for j in 0..<width { y[j] = (x[j] - mean) * scale * gamma[j] + beta[j] }
            }
        }
    }

    /// The largest of `count` values.
    @inline(__always)
    static func maximum(_ row: UnsafePointer<Float>, count: Int) -> Float {
        if !VectorMath.isVectorised {
            var result = -Float.infinity
            for j in 0..<count where row[j] > result { result = row[j] }
            return result
        }
        var lanes = Vector(repeating: -.infinity)
        var j = 0
        while j + 8 <= count {
            let v = UnsafeRawPointer(row + j).loadUnaligned(as: Vector.self)
            lanes = lanes.replacing(with: v, where: v .> lanes)
            j += 8
        }
        var result = lanes.max()
        while j < count { result = max(result, row[j]); j += 1 }
        return result
    }

    /// Replaces each of `count` values by e^(x − max) and returns their sum: a softmax without the final
    /// division, which callers fold into a later, smaller step (the attention output rows).
    @inline(__always)
    static func exponentiate(_ row: UnsafeMutablePointer<Float>, count: Int) -> Float {
        let maximum = maximum(row, count: count)
        if !VectorMath.isVectorised {
            var sum: Float = 0
            for j in 0..<count {
                let e = expf(row[j] - maximum)
                row[j] = e
                sum += e
            }
            return sum
        }
        let shift = Vector(repeating: maximum)
        var sumVector = Vector(repeating: 0)
        var j = 0
        while j + 8 <= count {
            let e = VectorMath.exp(UnsafeRawPointer(row + j).loadUnaligned(as: Vector.self) - shift)
            UnsafeMutableRawPointer(row + j).storeBytes(of: e, as: Vector.self)
            sumVector += e
            j += 8
        }
        var sum = sumVector.sum()
        while j < count { let e = VectorMath.exp(row[j] - maximum); row[j] = e; sum += e; j += 1 }
        return sum
    }

    /// In-place softmax of `count` values: subtracts the maximum, exponentiates, normalises.
    @inline(__always)
    static func softmax(_ row: UnsafeMutablePointer<Float>, count: Int) {
        let inverse = 1 / exponentiate(row, count: count)
        scale(row, count: count, by: inverse)
    }

    /// Multiplies `count` values by `factor`.
    @inline(__always)
    static func scale(_ row: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        if !VectorMath.isVectorised {
            for j in 0..<count { row[j] *= factor }
            return
        }
        let vector = Vector(repeating: factor)
        var j = 0
        while j + 8 <= count {
            let v = UnsafeRawPointer(row + j).loadUnaligned(as: Vector.self) * vector
            UnsafeMutableRawPointer(row + j).storeBytes(of: v, as: Vector.self)
            j += 8
        }
        while j < count { row[j] *= factor; j += 1 }
    }

    /// Exponentiates each of `rows` rows (`stride` floats apart, `count` values each) like ``exponentiate(_:count:)``
    /// and stores 1 / (row sum) in `inverseSums`, for normalising after the product with the values.
    static func exponentiateRows(_ data: UnsafeMutablePointer<Float>, rows: Int, count: Int, stride: Int,
                                 inverseSums: UnsafeMutablePointer<Float>) {
        parallelRanges(rows, cost: count * 4) { range in
            for r in range { inverseSums[r] = 1 / exponentiate(data + r * stride, count: count) }
        }
    }

    /// Multiplies row r (`width` values, rows `stride` apart) by `factors[r]`.
    static func scaleRows(_ data: UnsafeMutablePointer<Float>, rows: Int, width: Int, stride: Int,
                          factors: UnsafePointer<Float>) {
        for r in 0..<rows { scale(data + r * stride, count: width, by: factors[r]) }
    }

    /// `destination += source`, element-wise.
    static func add(_ source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { destination[i] += source[i] }
    }
}

/// Carries a value into a `@Sendable` closure when the caller guarantees the accesses do not race.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Facts about the machine that size thread pools.
enum System {
    static let coreCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
}
