/// A face found in an image.
///
/// JSON: `{"box": [x, y, w, h], "score": 0.97, "keypoints": [[x, y], ...]}`.
public struct Face: Sendable, Codable, Equatable {
    /// The face's box in the image's pixels.
    public var box: ImageRect
    /// The detector's confidence, in [0, 1].
    public var score: Double
    /// Six points, in this order: right eye, left eye, nose tip, mouth centre, right ear tragion, left ear
    /// tragion. "Right" is the person's right, which is on the left of the picture for a face looking at the
    /// camera.
    public var keypoints: [ImagePoint]

    public init(box: ImageRect, score: Double, keypoints: [ImagePoint]) {
        self.box = box
        self.score = score
        self.keypoints = keypoints
    }
}

/// The faces found in one image: `{"faces": [...], "width": 512, "height": 512}`.
public struct FaceDetectionResult: Sendable, Codable, Equatable {
    /// Faces, highest score first.
    public var faces: [Face]
    /// The image's size in pixels; boxes are in this frame.
    public var width: Int
    public var height: Int

    public init(faces: [Face], width: Int, height: Int) {
        self.faces = faces
        self.width = width
        self.height = height
    }
}

/// The faces found in one sampled video frame.
public struct FrameFaces: Sendable, Codable, Equatable {
    /// Seconds from the start of the video.
    public var time: Double
    public var faces: [Face]

    public init(time: Double, faces: [Face]) {
        self.time = time
        self.faces = faces
    }
}

/// The faces found in a video: `{"frames": [{"time": 0.0, "faces": [...]}], "width": 1280, "height": 720}`.
public struct VideoFaceResult: Sendable, Codable, Equatable {
    public var frames: [FrameFaces]
    public var width: Int
    public var height: Int

    public init(frames: [FrameFaces], width: Int, height: Int) {
        self.frames = frames
        self.width = width
        self.height = height
    }
}
