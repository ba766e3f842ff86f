/// Video analysis: scene detection, keyframes and the analysis report of `medley analyze`.
///
/// Frames come from `MedleyMedia`'s decoder; image operations from `MedleyVision`.
public enum MedleyVideo {}
