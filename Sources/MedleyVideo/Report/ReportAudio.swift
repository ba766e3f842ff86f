extension AnalysisReport {
    /// Loudness and music figures of the input's audio:
    /// `{"loudness": {...}|null, "music": {"music_like": true, "tempo_bpm": 120.2}|null}`.
    public struct AudioAnalysis: Codable, Sendable, Equatable {
        /// EBU R128 figures, when measured.
        public var loudness: Loudness?
        /// Whether the audio sounds like music, and its tempo, when estimated.
        public var music: Music?

        /// Audio results from their parts.
        public init(loudness: Loudness?, music: Music? = nil) {
            self.loudness = loudness
            self.music = music
        }

        enum CodingKeys: String, CodingKey { case loudness, music }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(loudness, forKey: .loudness)
            try c.encode(music, forKey: .music)
        }
    }

    /// EBU R128 / ITU-R BS.1770-4 figures for the whole input (the essentials of MedleyDSP's `LoudnessResult`):
    /// `{"integrated_lufs": -23.0, "lra_lu": 4.1, "true_peak_dbtp": -1.2, "sample_peak_dbfs": -1.4}`.
    /// Each value is null when it does not exist (silence, or too short to gate).
    public struct Loudness: Codable, Sendable, Equatable {
        /// Integrated (programme) loudness in LUFS.
        public var integratedLUFS: Double?
        /// Loudness range in LU (EBU Tech 3342).
        public var loudnessRangeLU: Double?
        /// True peak in dBTP.
        public var truePeakDBTP: Double?
        /// Largest |sample| in dBFS.
        public var samplePeakDBFS: Double?

        /// Loudness figures from their parts.
        public init(integratedLUFS: Double?, loudnessRangeLU: Double?, truePeakDBTP: Double?,
                    samplePeakDBFS: Double?) {
            self.integratedLUFS = integratedLUFS
            self.loudnessRangeLU = loudnessRangeLU
            self.truePeakDBTP = truePeakDBTP
            self.samplePeakDBFS = samplePeakDBFS
        }

        enum CodingKeys: String, CodingKey {
            case integratedLUFS = "integrated_lufs"
            case loudnessRangeLU = "lra_lu"
            case truePeakDBTP = "true_peak_dbtp"
            case samplePeakDBFS = "sample_peak_dbfs"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(integratedLUFS, forKey: .integratedLUFS)
            try c.encode(loudnessRangeLU, forKey: .loudnessRangeLU)
            try c.encode(truePeakDBTP, forKey: .truePeakDBTP)
            try c.encode(samplePeakDBFS, forKey: .samplePeakDBFS)
        }
    }

    /// Whether the audio is music-like, and its tempo: `{"music_like": true, "tempo_bpm": 120.2}`.
    public struct Music: Codable, Sendable, Equatable {
        /// True when the audio has the steady beat and tonal content of music.
        public var musicLike: Bool
        /// Estimated tempo in beats per minute; null when no steady beat was found.
        public var tempoBPM: Double?

        /// Music figures from their parts.
        public init(musicLike: Bool, tempoBPM: Double?) {
            self.musicLike = musicLike
            self.tempoBPM = tempoBPM
        }

        enum CodingKeys: String, CodingKey {
            case musicLike = "music_like"
            case tempoBPM = "tempo_bpm"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(musicLike, forKey: .musicLike)
            try c.encode(tempoBPM, forKey: .tempoBPM)
        }
    }
}
