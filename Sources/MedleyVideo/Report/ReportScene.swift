import MedleyVision

extension AnalysisReport {
    /// One scene (a shot between two cuts) with what was found in it.
    ///
    /// JSON: `{"index": 0, "start": 0.0, "end": 2.0, "start_frame": 0, "end_frame": 50,
    /// "keyframe": {"time": 1.0, "file": "keyframes/scene-000.jpg"}, "text": [{"text": "OPEN", "confidence": 0.98}],
    /// "faces": [{"box": [x, y, w, h], "score": 0.93}], "safety_score": 0.02}`.
    public struct Scene: Codable, Sendable, Equatable {
        /// Position in the report, from 0.
        public var index: Int
        /// Start in seconds.
        public var start: Double
        /// End in seconds (the next scene's start, or the end of the video).
        public var end: Double
        /// Index of the scene's first frame.
        public var startFrame: Int
        /// Index one past the scene's last frame (half-open, like ``start``...``end``).
        public var endFrame: Int
        /// The frame chosen to represent the scene, when one was extracted.
        public var keyframe: Keyframe?
        /// On-screen text read in the scene.
        public var text: [SceneText]
        /// Faces found on the keyframe.
        public var faces: [SceneFace]
        /// The content-safety model's probability that the keyframe is not safe for work, in [0, 1]; nil when
        /// the safety check did not run.
        public var safetyScore: Double?

        /// A scene from its parts.
        public init(index: Int, start: Double, end: Double, startFrame: Int, endFrame: Int,
                    keyframe: Keyframe? = nil, text: [SceneText] = [], faces: [SceneFace] = [],
                    safetyScore: Double? = nil) {
            self.index = index
            self.start = start
            self.end = end
            self.startFrame = startFrame
            self.endFrame = endFrame
            self.keyframe = keyframe
            self.text = text
            self.faces = faces
            self.safetyScore = safetyScore
        }

        enum CodingKeys: String, CodingKey {
            case index, start, end
            case startFrame = "start_frame"
            case endFrame = "end_frame"
            case keyframe, text, faces
            case safetyScore = "safety_score"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            index = try c.decode(Int.self, forKey: .index)
            start = try c.decode(Double.self, forKey: .start)
            end = try c.decode(Double.self, forKey: .end)
            startFrame = try c.decode(Int.self, forKey: .startFrame)
            endFrame = try c.decode(Int.self, forKey: .endFrame)
            keyframe = try c.decodeIfPresent(Keyframe.self, forKey: .keyframe)
            text = try c.decodeIfPresent([SceneText].self, forKey: .text) ?? []
            faces = try c.decodeIfPresent([SceneFace].self, forKey: .faces) ?? []
            safetyScore = try c.decodeIfPresent(Double.self, forKey: .safetyScore)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encode(start, forKey: .start)
            try c.encode(end, forKey: .end)
            try c.encode(startFrame, forKey: .startFrame)
            try c.encode(endFrame, forKey: .endFrame)
            try c.encode(keyframe, forKey: .keyframe)
            try c.encode(text, forKey: .text)
            try c.encode(faces, forKey: .faces)
            try c.encode(safetyScore, forKey: .safetyScore)
        }
    }

    /// A scene's representative frame: `{"time": 1.0, "file": "keyframes/scene-000.jpg"}`.
    public struct Keyframe: Codable, Sendable, Equatable {
        /// The frame's time in seconds.
        public var time: Double
        /// The JPEG thumbnail, relative to the report folder.
        public var file: String

        /// A keyframe from its parts.
        public init(time: Double, file: String) {
            self.time = time
            self.file = file
        }
    }

    /// A text read on screen in a scene: `{"text": "OPEN", "confidence": 0.98}`.
    public struct SceneText: Codable, Sendable, Equatable {
        /// The text as read.
        public var text: String
        /// The recogniser's confidence, in [0, 1].
        public var confidence: Double

        /// A text from its parts.
        public init(text: String, confidence: Double) {
            self.text = text
            self.confidence = confidence
        }
    }

    /// A face found on a scene's keyframe: `{"box": [x, y, w, h], "score": 0.93}`.
    public struct SceneFace: Codable, Sendable, Equatable {
        /// The face's box in the pixels of the displayed (upright) video frame, not of the thumbnail.
        public var box: ImageRect
        /// The detector's confidence, in [0, 1].
        public var score: Double

        /// A face from its parts.
        public init(box: ImageRect, score: Double) {
            self.box = box
            self.score = score
        }
    }
}
