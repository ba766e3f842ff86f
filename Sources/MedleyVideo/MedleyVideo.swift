/// Video analysis: scene detection, keyframes and the analysis report of `medley analyze`.
///
/// - Scenes: ``SceneDetector`` with ``SceneDetectionOptions`` (PySceneDetect's content, adaptive and threshold
///   detectors, same scores and cuts) gives a ``SceneList`` (JSON `{"fps", "scenes", "cuts"}`).
/// - Keyframes: ``KeyframeExtractor`` picks the sharpest frame of each scene's middle half (``Keyframe``, full
///   resolution RGB); ``KeyframeThumbnails`` saves them small, ``ContactSheet`` lays them out in a grid.
///
/// Frames come from `MedleyMedia`'s decoder; image operations from `MedleyVision`.
public enum MedleyVideo {}
