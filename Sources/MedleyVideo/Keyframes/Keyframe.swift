import MedleyCore

/// The representative frame of one scene, at full resolution.
public struct Keyframe: Sendable, Equatable {
    /// The scene's position in its ``SceneList`` (0 for the first scene).
    public var sceneIndex: Int
    /// Presentation time of the frame in seconds.
    public var time: Double
    /// The frame's number in the video (0-based, see ``MedleyMedia/VideoFrame/index``).
    public var frame: Int
    /// Sharpness of the frame (``Sharpness/laplacianVariance(of:)``); higher is sharper.
    public var sharpness: Double
    /// The frame, ``Image/PixelFormat/rgb8``, upright (display rotation applied), full resolution.
    public var image: Image

    /// Creates a keyframe.
    public init(sceneIndex: Int, time: Double, frame: Int, sharpness: Double, image: Image) {
        self.sceneIndex = sceneIndex
        self.time = time
        self.frame = frame
        self.sharpness = sharpness
        self.image = image
    }
}
