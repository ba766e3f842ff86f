internal import CFFmpeg
import MedleyCore

/// The FFmpeg libraries MedleyMedia links, with the license their build configuration implies.
public enum MediaLibraries {
    /// FFmpeg's version and license as reported by the linked libraries at run time.
    public static var ffmpeg: NativeLibrary {
        let version = String(cString: av_version_info())
        let license = String(cString: avformat_license())
        let configuration = String(cString: avcodec_configuration())
        // FFmpeg is LGPL-2.1+ unless built with --enable-gpl (GPL-2+) or --enable-version3 (LGPL-3/GPL-3).
        let gpl = configuration.contains("--enable-gpl")
        let v3 = configuration.contains("--enable-version3")
        let nonfree = configuration.contains("--enable-nonfree")
        let spdx: String
        switch (gpl, v3) {
        case (true, true): spdx = "GPL-3.0-or-later"
        case (true, false): spdx = "GPL-2.0-or-later"
        case (false, true): spdx = "LGPL-3.0-or-later"
        case (false, false): spdx = "LGPL-2.1-or-later"
        }
        var notes = "libavformat \(versionString(avformat_version())), libavcodec \(versionString(avcodec_version())), "
            + "libavutil \(versionString(avutil_version())), libswresample \(versionString(swresample_version())), "
            + "libswscale \(versionString(swscale_version())); build license: \(license)"
        if gpl { notes += "; built with --enable-gpl, so binaries that link it are GPL" }
        if nonfree { notes += "; built with --enable-nonfree: not redistributable" }
        return NativeLibrary(name: "FFmpeg", version: version, license: spdx, notes: notes)
    }

    /// How much FFmpeg itself prints on stderr.
    public enum LogLevel: Sendable {
        /// Nothing: Medley reports every failure as a thrown error with FFmpeg's message in it.
        case quiet
        /// FFmpeg's errors and warnings, for diagnosing a file.
        case warnings
        /// Everything FFmpeg says (very chatty).
        case verbose
    }

    /// Sets FFmpeg's process-wide log level. FFmpeg's default prints warnings such as "moov atom not found" on
    /// stderr for every bad file; front ends call this with `.quiet` so the user sees one line per error.
    public static func setLogLevel(_ level: LogLevel) {
        switch level {
        case .quiet: av_log_set_level(AV_LOG_QUIET)
        case .warnings: av_log_set_level(AV_LOG_WARNING)
        case .verbose: av_log_set_level(AV_LOG_VERBOSE)
        }
    }

    private static func versionString(_ packed: UInt32) -> String {
        "\(packed >> 16).\((packed >> 8) & 0xff).\(packed & 0xff)"
    }
}
