// Catalog card of MediaPipe's selfie segmentation (person matting), from the mediapipe 0.10.21 wheel. The TFLite
// checksums and sizes were measured on the wheel's files; the OpenVINO IR checksums on the output of Medley's
// converter (scripts/convert-selfie-segmentation.py with openvino 2026.4.1), which was byte-identical over repeated
// runs and with other output names.

extension ModelCatalog {
    /// The Python package the selfie-segmentation converter imports: the release Medley's runtime comes from.
    static let selfieConverterRequirement = "openvino==2026.4.1"

    /// MediaPipe selfie segmentation, general (256x256) and landscape (144x256), converted to OpenVINO IR.
    static let mediapipeSelfieSegmentation = ModelCard(
        id: "mediapipe-selfie-segmentation",
        name: "MediaPipe selfie segmentation (general and landscape), as OpenVINO IR",
        tasks: ["image.matte", "video.matte"],
        version: "0.10.21",
        files: [
            ModelFile(
                path: "selfie_segmentation.xml",
                sha256: "f814b71a976234dc0647658e08d63ebd53c21cdfb61ec84bcd5650d395f462f6", size: 299_295,
                role: "weights"),
            ModelFile(
                path: "selfie_segmentation.bin",
                sha256: "cfad4ba84c4ae4960ccac56980d9b5db5b3ffe76b399da6b6bbd7ad95c64e3fa", size: 213_034,
                role: "weights-data"),
            ModelFile(
                path: "selfie_segmentation_landscape.xml",
                sha256: "5ce4f74b5abc11c370b916a22abfe1cfef53a7a12dade922a1b9e3a493c8cef7", size: 301_801,
                role: "weights"),
            ModelFile(
                path: "selfie_segmentation_landscape.bin",
                sha256: "081e32b9d2c60948405b01e6bc8a06e71b0938c391192d13c1c926c901494c70", size: 213_042,
                role: "weights-data"),
            ModelFile(
                path: "selfie_segmentation.tflite",
                sha256: "9ee168ec7c8f2a16c56fe8e1cfbc514974cbbb7e434051b455635f1bd1462f5c", size: 249_505,
                role: "source"),
            ModelFile(
                path: "selfie_segmentation_landscape.tflite",
                sha256: "a77d03f4659b9f6b6c1f5106947bf40e99d7655094b6527f214ea7d451106edd", size: 250_145,
                role: "source"),
            ModelFile(
                path: "convert-selfie-segmentation.py",
                sha256: "6989e370adec60e2d1d63d7d98708ede637933b5107a46ae03af58ff535c2da0", size: 3_203,
                role: "converter"),
            ModelFile(
                path: "LICENSE", sha256: "8707eef0533987efc5b155d64761eeb6e20793f50b9bd1a68dad1cf4719d0ed8",
                size: 12_331, role: "license"),
        ],
        format: .openvinoIR,
        runtime: .openvino,
        inputs: [
            PortDescription(
                name: "input_1", type: "float32", shape: "[1,256,256,3]",
                description: "General model: RGB, NHWC, v/255; the whole picture stretched to 256x256 (no aspect "
                    + "kept), sampled corner-aligned (MediaPipe's warp). The landscape model takes [1,144,256,3]."),
        ],
        outputs: [
            PortDescription(
                name: "activation_10", type: "float32", shape: "[1,256,256,1]",
                description: "Per-pixel probability that the pixel is a person (the graph ends in a sigmoid), "
                    + "upsampled to the picture by MediaPipe with half-pixel bilinear. Landscape: 'segment_back', "
                    + "[1,144,256,1]."),
        ],
        languages: [],
        license: ModelLicense(
            spdx: "Apache-2.0", category: .permissive, url: "https://github.com/google/mediapipe/blob/master/LICENSE",
            notes: "Wheel METADATA: 'License: Apache 2.0'; the bundled LICENSE is the Apache License 2.0. The IR "
                + "files are a format conversion of the Apache-2.0 TFLite files, made on the user's machine."),
        source: ModelSource(
            kind: .wheel, package: "mediapipe", version: "0.10.21", wheel: "mediapipe==0.10.21",
            url: "https://pypi.org/project/mediapipe/0.10.21/", base: "mediapipe/modules/selfie_segmentation",
            files: [
                SourceFile(path: "LICENSE", from: [SourcePart(path: "mediapipe-0.10.21.dist-info/LICENSE")])
            ],
            conversion: SourceConversion(
                converter: "convert-selfie-segmentation.py", requirement: selfieConverterRequirement,
                steps: [
                    ConversionStep(input: "selfie_segmentation.tflite",
                                   outputs: ["selfie_segmentation.xml", "selfie_segmentation.bin"]),
                    ConversionStep(input: "selfie_segmentation_landscape.tflite",
                                   outputs: ["selfie_segmentation_landscape.xml", "selfie_segmentation_landscape.bin"]),
                ])),
        authors: ["Google (MediaPipe)"],
        citation: """
            Google MediaPipe. Selfie Segmentation model card (MediaPipe Selfie Segmentation, 2021), based on \
            MobileNetV3 with a small decoder; https://github.com/google/mediapipe. Converted to OpenVINO IR by \
            Medley's scripts/convert-selfie-segmentation.py.
            """,
        intendedUse: """
            Separating people from the background in selfie and video-call framing (one or a few people near the \
            camera), to replace or blur the background.
            """,
        limitations: """
            Made for selfie and video-call framing: people far from the camera, small in the frame, or only partly \
            visible are segmented less reliably; hair, hands and thin objects get soft or missed edges; the mask is \
            computed on a 256x256 (or 144x256) stretched copy of the picture, so its edges are coarse on large \
            pictures (Medley feathers them). It segments people only, says nothing about who they are, and this \
            card does not describe its training data, so accuracy across skin tones, ages, clothing and lighting \
            is not documented here. OpenVINO 2026.4 cannot read the TFLite files (MediaPipe's custom op \
            Convolution2DTransposeBias); Medley converts them at install time with a conversion extension that \
            maps that op to a stride-2 transposed convolution plus bias. Masks match MediaPipe's own within 7e-5 on \
            7 of 8 picture and model pairs checked, and within 0.02 on the eighth (bench/RESULTS.md). The conversion needs Python with openvino==2026.4.1: the IR checksums \
            are pinned, and another openvino version writes other bytes and is refused.
            """,
        openness: Openness(
            dataInformation: .init(status: .unknown, note: "Not checked."),
            code: .init(
                status: .unknown, url: "https://github.com/google/mediapipe",
                note: "MediaPipe publishes the inference graphs; whether the training code is published was not "
                    + "checked."),
            parameters: .init(status: .available, url: "https://github.com/google/mediapipe")))
}
