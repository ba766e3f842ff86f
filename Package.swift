// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Medley",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "MedleyCore", targets: ["MedleyCore"]),
        .library(name: "MedleyMedia", targets: ["MedleyMedia"]),
        .library(name: "MedleyRuntime", targets: ["MedleyRuntime"]),
        .library(name: "MedleyModels", targets: ["MedleyModels"]),
        .library(name: "MedleyDSP", targets: ["MedleyDSP"]),
        .library(name: "MedleyAudio", targets: ["MedleyAudio"]),
        .library(name: "MedleySpeech", targets: ["MedleySpeech"]),
        .library(name: "MedleyVision", targets: ["MedleyVision"]),
        .library(name: "MedleyVideo", targets: ["MedleyVideo"]),
        .library(name: "MedleyGenerate", targets: ["MedleyGenerate"]),
        .library(name: "MedleyWorkflow", targets: ["MedleyWorkflow"]),
        .library(name: "MedleyTasks", targets: ["MedleyTasks"]),
        .executable(name: "medley", targets: ["medley"]),
        .executable(name: "medley-bench", targets: ["medley-bench"]),
        .executable(name: "medley-vision-bench", targets: ["medley-vision-bench"]),
        .executable(name: "medley-edit-bench", targets: ["medley-edit-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // MARK: - C libraries (module map and shim header only, no logic)
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswresample-dev", "libswscale-dev"])]
        ),
        .systemLibrary(
            name: "COpenVINO",
            pkgConfig: "openvino-c",
            providers: [.apt(["(installed by scripts/setup.sh from the openvino PyPI wheel)"])]
        ),
        .systemLibrary(name: "CBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CEspeakNG", providers: [.apt(["libespeak-ng-dev"])]),
        .systemLibrary(name: "CSoxr", providers: [.apt(["libsoxr-dev"])]),
        .systemLibrary(name: "CCrypto", providers: [.apt(["libssl-dev"])]),

        // MARK: - Library modules
        .target(name: "MedleyCore"),
        .target(name: "MedleyMedia", dependencies: ["MedleyCore", "CFFmpeg"]),
        .target(name: "MedleyRuntime", dependencies: ["MedleyCore", "COpenVINO"]),
        .target(
            name: "MedleyModels",
            dependencies: ["MedleyCore", "CFFmpeg", "CCrypto", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(name: "MedleyDSP", dependencies: ["MedleyCore", "CBLAS", "CFFmpeg", "CSoxr"]),
        // File-level audio analysis (decode with MedleyMedia, analyse with MedleyDSP).
        .target(name: "MedleyAudio", dependencies: ["MedleyCore", "MedleyMedia", "MedleyDSP"]),
        .target(
            name: "MedleySpeech",
            dependencies: ["MedleyCore", "MedleyMedia", "MedleyRuntime", "MedleyModels", "MedleyDSP", "CEspeakNG"]
        ),
        .target(name: "MedleyVision", dependencies: ["MedleyCore", "MedleyMedia", "MedleyRuntime", "MedleyModels"]),
        .target(name: "MedleyVideo", dependencies: ["MedleyCore", "MedleyMedia", "MedleyVision"]),
        // Generation: StyleGAN faces, style transfer, person matting, the diffusion sampler, provenance labels.
        .target(
            name: "MedleyGenerate",
            dependencies: ["MedleyCore", "MedleyMedia", "MedleyRuntime", "MedleyModels", "MedleyVision"]
        ),
        // The engine: node protocol, graph format, validation, executor, cache and run records.
        .target(
            name: "MedleyWorkflow",
            dependencies: ["MedleyCore", "MedleyModels", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The task registry: every capability as a workflow node (the CLI runs its tasks through it).
        .target(
            name: "MedleyTasks",
            dependencies: [
                "MedleyCore", "MedleyMedia", "MedleyModels", "MedleyDSP", "MedleyAudio", "MedleySpeech",
                "MedleyVision", "MedleyVideo", "MedleyGenerate", "MedleyWorkflow",
            ],
            resources: [.copy("Workflows")]
        ),

        // MARK: - Command-line tool
        .executableTarget(
            name: "medley",
            dependencies: [
                "MedleyCore", "MedleyMedia", "MedleyRuntime", "MedleyModels", "MedleyDSP", "MedleySpeech",
                "MedleyVision", "MedleyAudio", "MedleyVideo", "MedleyGenerate", "MedleyWorkflow", "MedleyTasks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Benchmarks (release-built executable, timed against peers by the scripts in bench/)
        .executableTarget(
            name: "medley-bench",
            dependencies: ["MedleyCore", "MedleyMedia", "MedleyRuntime", "MedleyModels"],
            path: "bench/Sources/medley-bench"
        ),
        .executableTarget(
            name: "medley-vision-bench",
            dependencies: ["MedleyCore", "MedleyMedia", "MedleyModels", "MedleyVision"],
            path: "bench/Sources/medley-vision-bench"
        ),
        .executableTarget(
            name: "medley-edit-bench",
            dependencies: ["MedleyCore", "MedleyMedia", "MedleyModels", "MedleyVision", "MedleyGenerate"],
            path: "bench/Sources/medley-edit-bench"
        ),

        // MARK: - Tests
        .testTarget(name: "MedleyCoreTests", dependencies: ["MedleyCore"]),
        .testTarget(name: "MedleyMediaTests", dependencies: ["MedleyMedia"]),
        .testTarget(name: "MedleyRuntimeTests", dependencies: ["MedleyRuntime", "MedleyModels", "MedleyMedia"]),
        .testTarget(name: "MedleyModelsTests", dependencies: ["MedleyModels"]),
        .testTarget(name: "MedleyDSPTests", dependencies: ["MedleyDSP", "MedleyAudio", "MedleyMedia"]),
        .testTarget(name: "MedleySpeechTests", dependencies: ["MedleySpeech"]),
        .testTarget(name: "MedleyVisionTests", dependencies: ["MedleyVision"]),
        .testTarget(name: "MedleyVideoTests", dependencies: ["MedleyVideo", "MedleyMedia", "MedleyVision"]),
        .testTarget(
            name: "MedleyGenerateTests",
            dependencies: ["MedleyGenerate", "MedleyVision", "MedleyMedia", "MedleyModels", "MedleyRuntime"]
        ),
        .testTarget(name: "MedleyWorkflowTests", dependencies: ["MedleyWorkflow", "MedleyTasks", "MedleyModels"]),
        .testTarget(name: "MedleyCLITests", dependencies: ["MedleyCore"]),
    ],
    swiftLanguageModes: [.v6]
)
