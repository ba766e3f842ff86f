/// A native library linked into Medley, as `medley version` reports it.
public struct NativeLibrary: Sendable, Codable, Equatable {
    /// Library name, e.g. "FFmpeg".
    public var name: String
    /// The version the library reports at run time.
    public var version: String
    /// The license as an SPDX expression, e.g. "LGPL-2.1-or-later".
    public var license: String
    /// Anything a distributor must know, e.g. which configuration makes FFmpeg GPL.
    public var notes: String?

    public init(name: String, version: String, license: String, notes: String? = nil) {
        self.name = name
        self.version = version
        self.license = license
        self.notes = notes
    }
}
