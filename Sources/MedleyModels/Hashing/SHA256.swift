#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MedleyCore
internal import CCrypto

/// Incremental SHA-256 over OpenSSL's libcrypto (`EVP_sha256`).
///
/// libcrypto rather than libavutil's `av_sha`: run records hash every input file, and libcrypto uses the CPU's
/// SHA extensions (or AVX2/SSSE3 code without them) where `av_sha` is plain C. Measured on this project's
/// machine (AMD EPYC with SHA-NI): about 1.6 GB/s against about 0.25 GB/s, that is 0.07 s rather than 0.4 s of
/// CPU for the 100 MB WAV that `medley loudness` or `medley features` reads (bench/RESULTS.md).
///
/// Not thread-safe: one hasher per stream of bytes. The C context is freed in `deinit`.
final class SHA256Hasher {
    /// Bytes read per `read(2)` when hashing a file: large enough that system-call overhead is negligible,
    /// small enough to keep memory flat for multi-hundred-megabyte weights.
    static let chunkSize = 1 << 20

    private let context: OpaquePointer

    init() throws {
        guard let context = EVP_MD_CTX_new() else {
            throw MedleyError.internal("EVP_MD_CTX_new failed (out of memory)")
        }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw MedleyError.internal("EVP_DigestInit_ex(SHA-256) failed")
        }
        self.context = context
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    /// Feeds bytes into the digest.
    func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        // Cannot fail for an initialised SHA-256 context (OpenSSL only checks the context and the length).
        _ = EVP_DigestUpdate(context, base, bytes.count)
    }

    /// Feeds bytes into the digest.
    func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    /// Finishes the digest and returns it as 64 lowercase hex digits. The hasher must not be used afterwards.
    func finalize() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        digest.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { _ = EVP_DigestFinal_ex(context, base, &length) }
        }
        return hexString(digest)
    }

    /// The SHA-256 and the byte count of a whole file, read in ``chunkSize`` pieces through one reused buffer.
    ///
    /// Checks `Task.checkCancellation()` between chunks, so a caller running inside a task can stop it.
    static func hash(fileAt path: String) throws -> (sha256: String, size: Int64) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { throw MedleyError.fileNotFound(path: path) }
            throw MedleyError.invalidArgument("\(path): cannot open for reading (\(String(cString: strerror(code))))")
        }
        defer { close(descriptor) }
        let hasher = try SHA256Hasher()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            try Task.checkCancellation()
            let count = read(descriptor, buffer.baseAddress, chunkSize)
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw MedleyError.invalidArgument("\(path): read failed (\(reason))")
            }
            if count == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            total += Int64(count)
        }
        return (hasher.finalize(), total)
    }
}

/// Lowercase hex of bytes.
func hexString(_ bytes: [UInt8]) -> String {
    let digits: [Character] = Array("0123456789abcdef")
    var text = ""
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0f)])
    }
    return text
}

/// SHA-256 checksums for the rest of Medley (cache keys, run records, provenance), over the same libcrypto digest.
public enum Checksum {
    /// The SHA-256 of `data` as 64 lowercase hex digits.
    public static func sha256(_ data: Data) throws -> String {
        let hasher = try SHA256Hasher()
        hasher.update(data)
        return hasher.finalize()
    }

    /// The SHA-256 of `text`'s UTF-8 bytes.
    public static func sha256(_ text: String) throws -> String {
        try sha256(Data(text.utf8))
    }

    /// The SHA-256 and size of the file at `path`, read in 1 MiB pieces (memory stays flat).
    public static func sha256(fileAt path: String) throws -> (sha256: String, size: Int64) {
        try SHA256Hasher.hash(fileAt: path)
    }
}
