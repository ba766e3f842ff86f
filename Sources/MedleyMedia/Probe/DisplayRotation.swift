internal import CFFmpeg

/// Clockwise degrees (0, 90, 180 or 270) that a video stream must be turned to display upright, read from
/// its display-matrix side data; 0 when the stream has none.
///
/// FFmpeg's `av_display_rotation_get` returns the counter-clockwise angle; like ffmpeg's own `get_rotation`
/// (fftools/cmdutils.c) the value is negated and normalised, then snapped to the nearest quarter turn (the
/// only turns Medley applies).
func displayRotation(of stream: UnsafePointer<AVStream>) -> Int {
    var size: Int = 0
    guard let data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size),
          size >= 9 * MemoryLayout<Int32>.size
    else { return 0 }
    let counterClockwise = data.withMemoryRebound(to: Int32.self, capacity: 9) { av_display_rotation_get($0) }
    guard counterClockwise.isFinite else { return 0 }
    let clockwise = -counterClockwise
    let quarterTurns = Int((clockwise / 90).rounded())
    return ((quarterTurns % 4) + 4) % 4 * 90
}
