internal import CFFmpeg
import MedleyCore

/// FFmpeg's `av_tx` real-to-complex transform (FFmpeg 5.1, `libavutil/tx.h`). ``RealFFT`` uses it for the lengths
/// it handles well after checking it against its own transform: in FFmpeg 5.1 it is O(n²) for lengths with factors
/// other than 2, 3, 5, 7, 9, 15 and returns wrong values for lengths `2·odd` (see `bench/RESULTS.md`). It reads past
/// the n inputs (results vary with whatever follows them), so the input buffer is allocated zeroed, with 2 floats of
/// slack, and only its first n floats are written.
final class FFmpegRealTransform {
    let length: Int
    private var context: OpaquePointer?
    private let function: av_tx_fn
    private let input: UnsafeMutablePointer<Float>
    private let output: UnsafeMutablePointer<Float>

    init(length: Int) throws {
        var context: OpaquePointer? = nil
        var function: av_tx_fn? = nil
        var scale: Float = 1
        let code = av_tx_init(&context, &function, AV_TX_FLOAT_RDFT, 0, Int32(length), &scale, 0)
        guard code >= 0, let function else {
            throw MedleyError.invalidArgument("av_tx cannot plan a real FFT of length \(length) (code \(code))")
        }
        self.length = length
        self.context = context
        self.function = function
        // av_tx wants aligned buffers; av_malloc aligns for the widest SIMD FFmpeg uses.
        guard let inRaw = av_mallocz(MemoryLayout<Float>.size * (length + 2)),
              let outRaw = av_mallocz(MemoryLayout<Float>.size * (length + 4)) else {
            av_tx_uninit(&context)
            throw MedleyError.internal("av_malloc failed")
        }
        input = inRaw.assumingMemoryBound(to: Float.self)
        output = outRaw.assumingMemoryBound(to: Float.self)
    }

    deinit {
        av_tx_uninit(&context)
        av_free(input)
        av_free(output)
    }

    /// Transforms `length` samples; the result is interleaved (re, im) for bins 0...n/2.
    func forward(_ samples: UnsafePointer<Float>) -> UnsafePointer<Float> {
        input.update(from: samples, count: length)
        function(context, output, input, MemoryLayout<Float>.stride)
        return UnsafePointer(output)
    }

    /// Transforms `samples[i]·window[i]`: the product is written straight into the transform's input buffer, one
    /// pass over the frame instead of a windowing pass and a copy.
    func forward(_ samples: UnsafePointer<Float>, window: UnsafePointer<Float>) -> UnsafePointer<Float> {
        var i = 0
        while i + 8 <= length {
            let x = UnsafeRawPointer(samples + i).loadUnaligned(as: SIMD8<Float>.self)
            let w = UnsafeRawPointer(window + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(input + i).storeBytes(of: x * w, as: SIMD8<Float>.self)
            i += 8
        }
        while i < length {
            input[i] = samples[i] * window[i]
            i += 1
        }
        function(context, output, input, MemoryLayout<Float>.stride)
        return UnsafePointer(output)
    }
}
