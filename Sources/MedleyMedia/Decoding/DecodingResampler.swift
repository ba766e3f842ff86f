internal import CFFmpeg
import MedleyCore

/// Converts decoded audio frames of any sample format, rate and layout to interleaved Float32 at a fixed
/// rate and channel count with swresample; owns the `SwrContext` and frees it in `deinit`.
///
/// Mono output is the **mean** of all input channels (the convention of librosa and of
/// ``AudioBuffer/mixedToMono()``), not swresample's default -3 dB sum, so full-scale stereo cannot clip.
/// Other channel counts use swresample's standard matrix (e.g. 5.1 to stereo). Not thread-safe.
final class DecodingResampler {
    private let context: OpaquePointer
    let outputRate: Int
    let outputChannels: Int
    /// The input parameters this context was built for.
    let inputRate: Int32
    let inputFormat: Int32
    let inputChannels: Int32
    private let inputLayoutMask: UInt64

    init(frame: UnsafePointer<AVFrame>, outputRate: Int, outputChannels: Int, path: String) throws {
        self.outputRate = outputRate
        self.outputChannels = outputChannels
        inputRate = frame.pointee.sample_rate
        inputFormat = frame.pointee.format
        inputChannels = frame.pointee.ch_layout.nb_channels
        guard inputRate > 0, inputChannels > 0 else {
            throw MedleyError.unreadableMedia(path: path, reason: "the audio stream has no sample rate or channel count")
        }
        var inputLayout = AVChannelLayout()
        if frame.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC {
            av_channel_layout_default(&inputLayout, inputChannels)
        } else {
            var source = frame.pointee.ch_layout
            let copied = av_channel_layout_copy(&inputLayout, &source)
            guard copied >= 0 else { throw MedleyError.internal("av_channel_layout_copy: \(ffmpegErrorString(copied))") }
        }
        defer { av_channel_layout_uninit(&inputLayout) }
        inputLayoutMask = inputLayout.order == AV_CHANNEL_ORDER_NATIVE ? inputLayout.u.mask : 0
        var outputLayout = AVChannelLayout()
        av_channel_layout_default(&outputLayout, Int32(outputChannels))
        defer { av_channel_layout_uninit(&outputLayout) }

        var context: OpaquePointer? = nil
        let allocated = swr_alloc_set_opts2(
            &context, &outputLayout, AV_SAMPLE_FMT_FLT, Int32(outputRate),
            &inputLayout, AVSampleFormat(inputFormat), inputRate, 0, nil)
        guard allocated >= 0, let context else {
            throw MedleyError.internal("swr_alloc_set_opts2: \(ffmpegErrorString(allocated))")
        }
        self.context = context
        if outputChannels == 1 && inputChannels > 1 {
            let weights = [Double](repeating: 1 / Double(inputChannels), count: Int(inputChannels))
            let set = swr_set_matrix(context, weights, inputChannels)
            guard set >= 0 else { throw MedleyError.internal("swr_set_matrix: \(ffmpegErrorString(set))") }
        }
        let initialised = swr_init(context)
        guard initialised >= 0 else {
            throw MedleyError.unreadableMedia(path: path, reason: "cannot convert this audio: \(ffmpegErrorString(initialised))")
        }
    }

    deinit {
        var context: OpaquePointer? = self.context
        swr_free(&context)
    }

    /// True when `frame` has the format this context was built for.
    func matches(_ frame: UnsafePointer<AVFrame>) -> Bool {
        guard frame.pointee.sample_rate == inputRate, frame.pointee.format == inputFormat,
              frame.pointee.ch_layout.nb_channels == inputChannels else { return false }
        let order = frame.pointee.ch_layout.order
        return order != AV_CHANNEL_ORDER_NATIVE || frame.pointee.ch_layout.u.mask == inputLayoutMask
    }

    /// Converts one decoded frame and appends the output to `fifo`.
    func convert(_ frame: UnsafeMutablePointer<AVFrame>, into fifo: SampleFIFO) throws {
        let inputCount = frame.pointee.nb_samples
        guard inputCount > 0, let planes = frame.pointee.extended_data else { return }
        let input = UnsafeMutableRawPointer(planes).assumingMemoryBound(to: UnsafePointer<UInt8>?.self)
        try run(input: input, count: inputCount, into: fifo)
    }

    /// Drains the samples still held in the filter (the tail of the stream) into `fifo`.
    func flush(into fifo: SampleFIFO) throws {
        while try run(input: nil, count: 0, into: fifo) > 0 {}
    }

    @discardableResult
    private func run(input: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, count: Int32, into fifo: SampleFIFO) throws -> Int32 {
        let capacity = swr_get_out_samples(context, count)
        guard capacity >= 0 else { throw MedleyError.internal("swr_get_out_samples: \(ffmpegErrorString(capacity))") }
        if capacity == 0 && input == nil { return 0 }
        // A little headroom: swr_get_out_samples is an upper bound, but never make a zero-sized call.
        let room = Int(capacity) + 32
        fifo.reserve(room * outputChannels)
        var output: UnsafeMutablePointer<UInt8>? = UnsafeMutableRawPointer(fifo.writePointer).assumingMemoryBound(to: UInt8.self)
        let written = swr_convert(context, &output, Int32(room), input, count)
        guard written >= 0 else { throw MedleyError.internal("swr_convert: \(ffmpegErrorString(written))") }
        fifo.commit(Int(written) * outputChannels)
        return written
    }
}
