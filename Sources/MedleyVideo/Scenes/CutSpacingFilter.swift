/// PySceneDetect's `FlashFilter` (0.6.4 and later): keeps cuts at least `length` frames apart, by merging
/// a run of busy frames into one cut or by suppressing the ones too close to the previous cut.
///
/// Both modes start as if a cut were at frame 0, so busy frames within `length` of the start give no cut.
/// In merge mode, runs of busy frames are merged only after the first cut was emitted.
struct CutSpacingFilter {
    let mode: SceneDetectionOptions.FlashFilterMode
    let length: Int
    private var lastAbove = 0
    private var mergeEnabled = false
    private var merging = false
    private var mergeStart = 0

    init(mode: SceneDetectionOptions.FlashFilterMode, length: Int) {
        self.mode = mode
        self.length = length
    }

    /// Takes frame `index` (in order) and whether its score is at or above the threshold; returns a cut to emit.
    mutating func filter(index: Int, above: Bool) -> Int? {
        let lengthMet = index - lastAbove >= length
        switch mode {
        case .suppress:
            guard above && lengthMet else { return nil }
            lastAbove = index
            return index
        case .merge:
            if above { lastAbove = index }
            if merging {
                if lengthMet && !above && lastAbove - mergeStart >= length {
                    merging = false
                    return lastAbove
                }
                return nil
            }
            guard above else { return nil }
            if lengthMet {
                mergeEnabled = true
                return index
            }
            if mergeEnabled {
                merging = true
                mergeStart = index
            }
            return nil
        }
    }
}
