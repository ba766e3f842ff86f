import Foundation

/// The gzip-style compression ratio Whisper uses to spot repetitive (hallucinated) text:
/// `len(utf8(text)) / len(zlib.compress(utf8(text)))`, zlib format at the default level.
///
/// zlib is opened at run time (`libz.so.1`, part of every Debian and glibc system: dpkg itself needs it) rather
/// than linked, so that Medley needs no extra build-time module for one function. If it cannot be found, the
/// ratio is reported as 1, which never triggers a retry.
enum CompressionRatio {
    private typealias Compress2 = @convention(c) (
        UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt>?, UnsafePointer<UInt8>?, UInt, Int32
    ) -> Int32
    private typealias CompressBound = @convention(c) (UInt) -> UInt

    private struct ZLib: @unchecked Sendable {
        let compress2: Compress2
        let compressBound: CompressBound
    }

    private static let zlib: ZLib? = {
        for name in ["libz.so.1", "libz.so", "libz.dylib", "/usr/lib/libz.dylib"] {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            guard let compress = dlsym(handle, "compress2"), let bound = dlsym(handle, "compressBound") else {
                dlclose(handle)
                continue
            }
            return ZLib(compress2: unsafeBitCast(compress, to: Compress2.self),
                        compressBound: unsafeBitCast(bound, to: CompressBound.self))
        }
        return nil
    }()

    /// zlib's `Z_DEFAULT_COMPRESSION`: level 6, what Python's `zlib.compress` uses.
    private static let defaultLevel: Int32 = -1

    /// The size of `bytes` compressed in zlib format at the default level, or nil without zlib.
    static func compressedSize(_ bytes: [UInt8]) -> Int? {
        guard let zlib else { return nil }
        var capacity = zlib.compressBound(UInt(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                zlib.compress2(out.baseAddress, &capacity, input.baseAddress, UInt(bytes.count), defaultLevel)
            }
        }
        return status == 0 ? Int(capacity) : nil
    }

    /// The ratio for `text`; 0 for empty text (nothing to compress).
    static func of(_ text: String) -> Double {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return 0 }
        guard let size = compressedSize(bytes), size > 0 else { return 1 }
        return Double(bytes.count) / Double(size)
    }
}
