extension AnalysisReport {
    /// A model the analysis used, for the provenance table.
    ///
    /// JSON: `{"id": "silero-vad", "version": "6.2.3", "task": "speech.vad", "license": "MIT",
    /// "license_category": "permissive", "sha256": "…", "files": [{"path": "…", "sha256": "…"}],
    /// "source": "pypi:silero-vad==6.2.3"}`.
    public struct Model: Codable, Sendable, Equatable {
        /// The model store id.
        public var id: String
        /// The model's version.
        public var version: String
        /// The task it served in this run, such as `speech.transcribe`.
        public var task: String
        /// SPDX license id (or `LicenseRef-…`).
        public var license: String
        /// permissive, copyleft, non-commercial, restricted-use or unknown (as on the model card).
        public var licenseCategory: String
        /// SHA-256 of the model's main weights file (64 lowercase hex digits).
        public var sha256: String
        /// Every file of the model with its checksum, when known; the main weights file is among them.
        public var files: [ModelFileChecksum]
        /// Where the model comes from (package or URL, as on the model card).
        public var source: String

        /// A model entry from its parts.
        public init(id: String, version: String, task: String, license: String, licenseCategory: String,
                    sha256: String, files: [ModelFileChecksum] = [], source: String) {
            self.id = id
            self.version = version
            self.task = task
            self.license = license
            self.licenseCategory = licenseCategory
            self.sha256 = sha256
            self.files = files
            self.source = source
        }

        enum CodingKeys: String, CodingKey {
            case id, version, task, license
            case licenseCategory = "license_category"
            case sha256, files, source
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            version = try c.decode(String.self, forKey: .version)
            task = try c.decode(String.self, forKey: .task)
            license = try c.decode(String.self, forKey: .license)
            licenseCategory = try c.decode(String.self, forKey: .licenseCategory)
            sha256 = try c.decode(String.self, forKey: .sha256)
            files = try c.decodeIfPresent([ModelFileChecksum].self, forKey: .files) ?? []
            source = try c.decode(String.self, forKey: .source)
        }
    }

    /// One file of a model with its checksum: `{"path": "model.bin", "sha256": "…"}`.
    public struct ModelFileChecksum: Codable, Sendable, Equatable {
        /// Path inside the model's store folder.
        public var path: String
        /// SHA-256, 64 lowercase hex digits.
        public var sha256: String

        /// A file checksum from its parts.
        public init(path: String, sha256: String) {
            self.path = path
            self.sha256 = sha256
        }
    }

    /// One stage of the run: `{"name": "speech", "seconds": 3.2, "cached": false, "status": "ok"}`.
    public struct Stage: Codable, Sendable, Equatable {
        /// The stage's name (see ``ReportStage`` for the conventional ones).
        public var name: String
        /// Wall-clock seconds it took (near 0 when cached or skipped).
        public var seconds: Double
        /// True when its result came from the workflow cache.
        public var cached: Bool
        /// How it ended.
        public var status: StageStatus

        /// A stage from its parts.
        public init(name: String, seconds: Double, cached: Bool = false, status: StageStatus = .ok) {
            self.name = name
            self.seconds = seconds
            self.cached = cached
            self.status = status
        }
    }

    /// How a stage ended.
    public enum StageStatus: String, Codable, Sendable, CaseIterable {
        /// It ran (or its cached result was used) and produced its result.
        case ok
        /// It did not run; ``AnalysisReport/skipped`` says why.
        case skipped
        /// It failed; the report goes on without its result and ``AnalysisReport/warnings`` says what happened.
        case failed
    }

    /// A stage that did not run, and why: `{"stage": "vision", "reason": "the input has no video stream"}`.
    public struct SkippedStage: Codable, Sendable, Equatable {
        /// The stage's name.
        public var stage: String
        /// Why it did not run, as a sentence fragment a reader understands.
        public var reason: String

        /// A skipped stage from its parts.
        public init(stage: String, reason: String) {
            self.stage = stage
            self.reason = reason
        }
    }
}
