internal import CFFmpeg
import MedleyCore

/// FFmpeg's text for an error code (the `av_err2str` macro is not importable).
func ffmpegErrorString(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    if av_strerror(code, &buffer, buffer.count) < 0 { return "error \(code)" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// True when `code` is FFmpeg's end-of-file.
func isEndOfFile(_ code: Int32) -> Bool { code == medley_averror_eof() }

/// True when `code` means "try again" (the codec needs more input or has output to drain first).
func isAgain(_ code: Int32) -> Bool { code == medley_averror_eagain() }
