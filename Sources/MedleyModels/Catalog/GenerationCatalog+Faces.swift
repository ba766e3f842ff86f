// Catalog card of the face generator. The license is what the wheel's LICENSE file says (METADATA says
// 'License: UNKNOWN'); checksums and sizes were measured on the files inside random_face-2021.7.21.1-py3-none-any.whl
// (they match the wheel's RECORD).

extension ModelCatalog {
    /// MobileStyleGAN (FFHQ, 1024x1024) as OpenVINO IR, from the `random-face` package.
    static let mobileStyleGANFFHQ = ModelCard(
        id: "mobilestylegan-ffhq",
        name: "MobileStyleGAN, FFHQ 1024x1024 (OpenVINO IR)",
        tasks: ["generate.face"],
        version: "2021.7.21.1",
        files: [
            // The synthesis network first: provenance records name the first `weights` file's checksum, and it is
            // the network that paints the picture.
            ModelFile(
                path: "SynthesisNetwork.xml",
                sha256: "7918fce515243954d3e06628cb39a23902d6b1d5d02932cc0c2faee7a2aeeedd", size: 425_183,
                role: "graph"),
            ModelFile(
                path: "SynthesisNetwork.bin",
                sha256: "c7da15fa22d508c82e1c30dd6b4cdf67fe3ccdddaf85b310ee764dbf0c289645", size: 32_025_440,
                role: "weights"),
            ModelFile(
                path: "MappingNetwork.xml",
                sha256: "73e2096cad6e696e4af47df2477e048ab4c42c0e0dec83c7c66604822689e55b", size: 59_865,
                role: "graph"),
            ModelFile(
                path: "MappingNetwork.bin",
                sha256: "212dd716bdb556e18db603ea97300d4fa3c872b878c726b2402fea80820e7305", size: 8_405_040,
                role: "weights"),
            ModelFile(
                path: "config.json",
                sha256: "73d8333a92054bf7019ccb08391b27930d2410bbbd4be12d39cb034c89f42945", size: 306,
                role: "config"),
            ModelFile(
                path: "LICENSE", sha256: "2fe811176b6dfa1e29bb2c3e6b59175e6ebe3c53d6c6b5cd9545f7a9db19effe",
                size: 11_348, role: "license"),
        ],
        format: .openvinoIR,
        runtime: .openvino,
        inputs: [
            PortDescription(
                name: "var", type: "float32", shape: "[N,512]",
                description: "MappingNetwork input: standard normal noise (Medley draws it from the seed, see "
                    + "docs/generation.md)."),
            PortDescription(
                name: "style", type: "float32", shape: "[1,512]",
                description: "SynthesisNetwork input: a style vector (W space), usually truncated towards the mean "
                    + "style of config.json's n_samples (4096) mapped noises: mean + psi * (style - mean)."),
        ],
        outputs: [
            PortDescription(
                name: "style", type: "float32", shape: "[N,512]",
                description: "MappingNetwork output: the style vector of each noise."),
            PortDescription(
                name: "img", type: "float32", shape: "[1,3,1024,1024]",
                description: "SynthesisNetwork output: the face, planar R, G, B in [-1, 1] (clipped, then "
                    + "(v + 1) / (2 + 1e-5) * 255 + 0.5 per config.json; the package then flips it to BGR for "
                    + "OpenCV)."),
        ],
        languages: [],
        license: ModelLicense(
            spdx: "Apache-2.0", category: .nonCommercial, url: "https://github.com/bes-dev/random_face",
            notes: "Medley files it as non-commercial (so `--policy commercial` refuses it) although the package "
                + "declares Apache-2.0, because of the weights' lineage below; decide with your counsel before "
                + "commercial use. The wheel's LICENSE is the Apache License 2.0 and its sources carry "
                + "'Copyright 2021 by Sergei "
                + "Belousov, Licensed under the Apache License, Version 2.0'; METADATA says 'License: UNKNOWN'. "
                + "Lineage to weigh before commercial use: the mapping network is StyleGAN2-FFHQ's own (NVIDIA, "
                + "converted through rosinality/stylegan2-pytorch) and the synthesis network was distilled from "
                + "StyleGAN2-FFHQ's; NVIDIA released StyleGAN2 and its networks under the Nvidia Source Code "
                + "License-NC, and FFHQ itself is CC BY-NC-SA 4.0. Whether the packager could license the weights "
                + "as Apache-2.0 has not been settled here."),
        source: ModelSource(
            kind: .wheel, package: "random-face", version: "2021.7.21.1", wheel: "random-face==2021.7.21.1",
            url: "https://pypi.org/project/random-face/2021.7.21.1/", base: "random_face/data",
            files: [
                SourceFile(path: "config.json", from: [SourcePart(path: "random_face/configs/config.json")]),
                SourceFile(path: "LICENSE", from: [SourcePart(path: "random_face-2021.7.21.1.dist-info/LICENSE")]),
            ]),
        authors: ["Sergei Belousov (MobileStyleGAN, random_face)",
                  "Tero Karras et al., NVIDIA (StyleGAN2 teacher and mapping network, FFHQ)"],
        citation: """
            Sergei Belousov. MobileStyleGAN: A Lightweight Convolutional Neural Network for High-Fidelity Image \
            Synthesis. arXiv:2104.04767, 2021. https://github.com/bes-dev/MobileStyleGAN.pytorch
            """,
        intendedUse: """
            Making pictures of faces of people who do not exist: placeholders, avatars, test data for face \
            pipelines, demonstrations of generative models. Every picture Medley writes is labelled as AI-generated.
            """,
        limitations: """
            The faces are synthetic: they show no real person, yet can look like one, and the model may reproduce \
            features of people in its training data. It draws only what FFHQ holds (70,000 aligned, mostly frontal \
            portraits from Flickr, which its authors say inherit that site's biases): ages, skin tones, hair styles \
            and accessories that are rare there come out worse or not at all, and the mix of faces follows FFHQ's, \
            not the world's. Typical GAN artefacts remain (asymmetric earrings and glasses, smeared backgrounds, \
            extra fragments near the edges), more often at truncation near 1; low truncation gives cleaner but \
            more alike faces. It is a distilled, smaller model, less detailed than StyleGAN2: MobileStyleGAN's README \
            reports FID 7.75 (an earlier checkpoint 12.38) where StyleGAN2's paper reports 2.84 on FFHQ 1024; which \
            checkpoint these IR files were exported from is not stated. Misuse to avoid: passing the faces off as \
            real people (fake profiles, sock puppets, deceptive reviews), impersonation, or evidence; Medley \
            embeds a provenance label in each output and writes OUT.provenance.json beside it, and such labels \
            can be stripped, so do not rely on them to stop a determined misuser.
            """,
        openness: Openness(
            dataInformation: .init(
                status: .partial, url: "https://github.com/NVlabs/ffhq-dataset",
                note: "The student was trained on noise, by distillation from StyleGAN2-FFHQ's outputs (the "
                    + "paper and core/distiller.py); FFHQ, on which the teacher was trained, is documented and "
                    + "published by NVIDIA (CC BY-NC-SA 4.0). The teacher's training itself is NVIDIA's."),
            code: .init(
                status: .available, url: "https://github.com/bes-dev/MobileStyleGAN.pytorch",
                note: "Training (distillation) and export code are published; the repository's own files are "
                    + "Apache-2.0, with some StyleGAN2 CUDA kernels under NVIDIA's license (its README)."),
            parameters: .init(
                status: .available, url: "https://github.com/bes-dev/random_face",
                note: "The IR files ship in the random-face wheel; the PyTorch checkpoint is linked from the "
                    + "MobileStyleGAN repository.")))
}
