#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What the file system says about a regular file without reading it: device, inode, size, and the modification
/// and status-change times in nanoseconds.
///
/// Used to reuse a file's SHA-256 from an earlier run instead of reading the file again (the idea git's index
/// uses). Any write, truncation, rename over it, `touch` or `chmod` changes the status-change time (`ctime`), which
/// a user process cannot set back; so an unchanged identity means unchanged content, with one exception that
/// ``isSettled(before:)`` rules out: a write in the same clock tick as the earlier look.
public struct FileIdentity: Sendable, Equatable {
    /// Device and inode numbers.
    public var device: UInt64, inode: UInt64
    /// Size in bytes.
    public var size: Int64
    /// Modification and status-change times, nanoseconds since 1970.
    public var modifiedNanoseconds: Int64, changedNanoseconds: Int64

    /// How long a file must have been left alone before its identity is trusted for a reused hash: far beyond the
    /// file system's timestamp granularity (a kernel clock tick, a few milliseconds).
    public static let settleTime: TimeInterval = 2

    /// Reads the identity of the regular file at `path`; nil when it does not exist or is not a regular file.
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        changedNanoseconds = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
    }

    /// Creates an identity from its parts (as stored).
    public init(device: UInt64, inode: UInt64, size: Int64, modifiedNanoseconds: Int64, changedNanoseconds: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.changedNanoseconds = changedNanoseconds
    }

    /// Whether the file had not been modified or changed for ``settleTime`` at `date`: only then can a later
    /// change be told from this identity (a write within the same clock tick could keep both times).
    public func isSettled(before date: Date) -> Bool {
        let limit = Int64((date.timeIntervalSince1970 - Self.settleTime) * 1_000_000_000)
        return modifiedNanoseconds <= limit && changedNanoseconds <= limit
    }
}
