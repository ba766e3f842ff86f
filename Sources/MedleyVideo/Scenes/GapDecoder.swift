import MedleyMedia

/// The exact decoder of ``ReferenceFrameScan``: decodes every frame of a gap between two reference frames,
/// with the same settings as the scan's own decoder (so reference frames come out the same from both).
///
/// One decoder serves all the gaps of a video, moving forward through it: to reach a gap it decodes on from
/// where it is when no keyframe lies in between, and seeks to the keyframe before the gap otherwise; either
/// way only reference frames are decoded before the gap. Opened at the first gap.
struct GapDecoder {
    let path: String
    let options: VideoDecodeOptions

    private var decoder: VideoDecoder?
    /// The time of the last frame the decoder returned (nil at the end of the video).
    private(set) var position: Double?
    /// True once the decoder reached the end of the video (only a seek brings it back).
    private var reachedEnd = false

    init(path: String, options: VideoDecodeOptions) {
        self.path = path
        self.options = options
    }

    /// Decode errors so far (see ``VideoDecoder/decodeErrorCount``).
    var decodeErrorCount: Int { decoder?.decodeErrorCount ?? 0 }

    /// Lends the frame after the last one decoded to `body`: every frame on from a gap, for a busy stretch.
    /// Nil at the end of the video (or before any gap).
    mutating func withNextPicture(_ body: (DecodedPicture) throws -> Void) throws -> Void? {
        guard let decoder, !reachedEnd else { return nil }
        let lent: Void? = try decoder.withNextPicture { picture in
            position = Self.time(of: picture)
            try body(picture)
        }
        if lent == nil {
            reachedEnd = true
            position = nil
        }
        return lent
    }

    private static func time(of picture: DecodedPicture) -> Double {
        switch picture {
        case .yuv420(let planes): return planes.time
        case .rgb(let frame): return frame.time
        }
    }

    /// Lends the frames timed strictly between `after` and `before` to `body`, in order (the times are the
    /// scan's own, from the same timestamps, so the two reference frames themselves are left out). Stops at
    /// the end of the video. `spacing`: about one frame's duration, where to aim before the first frame.
    /// `lastKeyframe`: the time of the latest keyframe known at or before `after`.
    mutating func decode(
        after: Double, before: Double, spacing: Double, lastKeyframe: Double, body: (DecodedPicture) throws -> Void
    ) throws {
        // Half a frame after the first reference frame: before the first frame wanted, after that one.
        let start = after.isFinite ? max(0, after + spacing / 2) : 0
        let decoder: VideoDecoder
        if let open = self.decoder {
            decoder = open
            // Decoding on costs the reference frames from here to the gap; a seek, those from its keyframe.
            if !reachedEnd, let position, position <= after, lastKeyframe <= position {
                decoder.skipForward(to: start)
            } else {
                try decoder.seek(to: start)
            }
        } else {
            var options = self.options
            options.startTime = start
            decoder = try VideoDecoder(path: path, options: options)
            self.decoder = decoder
        }
        reachedEnd = false
        while true {
            let finished: Bool? = try decoder.withNextPicture { picture in
                let time = Self.time(of: picture)
                position = time
                guard time < before else { return true }
                if time > after { try body(picture) }
                return false
            }
            guard let finished else {
                reachedEnd = true
                position = nil
                return
            }
            if finished { return }
        }
    }
}
