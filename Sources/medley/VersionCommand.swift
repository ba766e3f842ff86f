import ArgumentParser
import MedleyCore
import MedleyDSP
import MedleyMedia
import MedleyRuntime
import MedleySpeech

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print Medley's version and the version and license of every linked native library."
    )

    @Flag(help: "Print JSON on stdout.")
    var json = false

    struct Report: Encodable {
        var medley: String
        var license: String
        var binaryLicense: String
        var nativeLibraries: [NativeLibrary]
        var swiftPackages: [NativeLibrary]

        enum CodingKeys: String, CodingKey {
            case medley, license
            case binaryLicense = "binary_license"
            case nativeLibraries = "native_libraries"
            case swiftPackages = "swift_packages"
        }
    }

    /// Swift packages compiled into the binary (versions pinned in Package.swift).
    static let swiftPackages = [
        NativeLibrary(name: "swift-argument-parser", version: "1.8.2", license: "Apache-2.0"),
        NativeLibrary(name: "ZIPFoundation", version: "0.9.20", license: "MIT"),
    ]

    func run() throws {
        let report = Report(
            medley: Medley.version, license: "Apache-2.0",
            // espeak-ng (GPL-3.0-or-later) and Debian's FFmpeg (built with --enable-gpl) are linked in.
            binaryLicense: "GPL-3.0-or-later",
            nativeLibraries: [MediaLibraries.ffmpeg, Runtime.library, BLAS.library, ESpeak.library],
            swiftPackages: Self.swiftPackages)
        if json {
            try Terminal.printJSON(report)
            return
        }
        print("medley \(report.medley): source \(report.license); this binary links GPL libraries, "
            + "so as distributed it is \(report.binaryLicense)")
        print("native libraries:")
        for library in report.nativeLibraries {
            print("  \(library.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(library.version)  \(library.license)")
            if let notes = library.notes { print("             \(notes)") }
        }
        print("swift packages:")
        for package in report.swiftPackages {
            print("  \(package.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(package.version)  \(package.license)")
        }
    }
}
