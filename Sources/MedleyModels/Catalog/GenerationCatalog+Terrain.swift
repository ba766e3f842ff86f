// Catalog card of the terrain consistency model (adaptive-terrain-diffusion). The license is what the wheel's
// METADATA (`License-Expression: MIT`) and its two license files say; checksums and sizes were measured with
// `sha256sum` and `stat` on the files of adaptive_terrain_diffusion-0.4.2-py3-none-any.whl; the constants quoted in
// the card come from the package's `terrain_diffusion/generator.py` and the ONNX file's metadata.

extension ModelCatalog {
    /// The difficulty-conditioned terrain consistency UNet (one-step, 128x128 heightmaps).
    static let terrainConsistencyUNet = ModelCard(
        id: "terrain-consistency-unet",
        name: "Adaptive Diffusion Terrain consistency UNet (difficulty 1-100)",
        tasks: ["generate.terrain"],
        version: "0.4.2",
        files: [
            ModelFile(
                path: "terrain_consistency_unet_difficulty100.onnx",
                sha256: "95be54b4a39d58320e187a7ec533351c957f16a00be58773c86074828ee67887", size: 45_458_109,
                role: "weights"),
            ModelFile(
                path: "LICENSE", sha256: "35695d6a7c177daedfefee53f03a44360cb4396128de79eedb626e10e98661ed",
                size: 1_066, role: "license"),
            ModelFile(
                path: "CONSISTENCY_MODELS_LICENSE.txt",
                sha256: "dcf7927ec000e0bea021baf556c82ad7ac2e96cdd8285a1c8b2a7014e8300c6d", size: 1_063,
                role: "license"),
        ],
        format: .onnx,
        runtime: .openvino,
        inputs: [
            PortDescription(
                name: "noisy", type: "float32", shape: "[B,1,128,128]",
                description: "The noisy heightmap in model space, x0 + sigma * z (from pure noise: 80 * z, z standard "
                    + "normal)."),
            PortDescription(
                name: "sigma", type: "float32", shape: "[B]",
                description: "Noise level of each sample (EDM/consistency convention, sigma_min 0.002 to sigma_max 80; "
                    + "the package samples at 80 only)."),
            PortDescription(
                name: "difficulty", type: "float32", shape: "[B]",
                description: "Difficulty label (d - 1) / 99 for a difficulty d from 1 to 100."),
        ],
        outputs: [
            PortDescription(
                name: "denoised", type: "float32", shape: "[B,1,128,128]",
                description: "The clean heightmap in model space, about [-1, 1]: heights in metres are "
                    + "0.1 * sinh(u * asinh(22.16864 / 0.1)) with u = clip((v + 1) / 2, 0, 1), then the lowest point "
                    + "is moved to 0 (the package's `_from_model_space`)."),
        ],
        languages: [],
        license: ModelLicense(
            spdx: "MIT", category: .permissive, url: "https://github.com/youwyu/Adaptive-Diffusion-Terrain",
            notes: "Wheel METADATA: 'License-Expression: MIT'; LICENSE is the MIT license, Copyright (c) 2024 Youwei "
                + "Yu. The package also ships CONSISTENCY_MODELS_LICENSE.txt, OpenAI's MIT license (Copyright (c) "
                + "2023 OpenAI) for the consistency-models code its network derives from. Both files are installed."),
        source: ModelSource(
            kind: .wheel, package: "adaptive-terrain-diffusion", version: "0.4.2",
            wheel: "adaptive-terrain-diffusion==0.4.2",
            url: "https://pypi.org/project/adaptive-terrain-diffusion/0.4.2/", base: "terrain_diffusion/weights",
            files: [
                SourceFile(path: "LICENSE", from: [
                    SourcePart(path: "adaptive_terrain_diffusion-0.4.2.dist-info/licenses/LICENSE"),
                ]),
                SourceFile(path: "CONSISTENCY_MODELS_LICENSE.txt", from: [
                    SourcePart(path: "terrain_diffusion/licenses/CONSISTENCY_MODELS_LICENSE.txt"),
                ]),
            ]),
        authors: ["Youwei Yu", "Junhong Xu", "Lantao Liu (Indiana University)"],
        citation: """
            Youwei Yu, Junhong Xu, Lantao Liu. Adaptive Diffusion Terrain Generator for Autonomous Uneven Terrain \
            Navigation. CoRL 2024, arXiv:2410.10766. Consistency models: Yang Song, Prafulla Dhariwal, Mark Chen, \
            Ilya Sutskever. Consistency Models. ICML 2023, arXiv:2303.01469.
            """,
        intendedUse: """
            Making synthetic, smooth heightmaps of uneven ground for training and testing robot locomotion and \
            navigation policies in physics simulators (IsaacLab, MuJoCo, PyBullet, Gazebo), with a difficulty \
            knob from 1 (gentle) to 100 (rough). In Medley it is also the real model that proves the diffusion \
            sampler (`medley generate terrain`).
            """,
        limitations: """
            What the numbers mean: the model makes 128x128 height samples; decoded as the package does, they are \
            heights in metres from 0 to at most 22.17 m (the lowest point of each map is 0). The package places \
            samples 0.1 m apart by default (its simulator adapters' `horizontal_scale`), so a map covers about \
            12.7 m; the model itself knows no horizontal scale. It is an endpoint-distilled consistency model \
            (ONNX metadata: training 'endpoint-distillation', teacher 20 steps, checkpoint step 25000): the \
            package samples in exactly one step from sigma 80 and refuses more. Its predictions at lower noise \
            levels are poor: Medley's multistep sampling runs, but the maps drift into spikes (over 8 maps, the \
            highest point rose from 0.6-2.1 m at one step to 1.9-14.9 m with 4 consistency steps, and 10 Euler \
            steps reached the 22.17 m ceiling), so use one step for real terrain. It is directly conditioned on difficulty and does \
            not use classifier-free guidance. Maps larger than 128x128 are made from overlapping blended tiles \
            (the package's method): tiles are sampled independently, so the map shows trenches and ridges along \
            tile borders (each tile tends to sit low at its edges), and no landform is larger than a tile. The \
            maps are synthetic: they are not real elevation data, say nothing about any place on Earth, and \
            should not be used for geography or hazard assessment. The training data is not described in the \
            package.
            """,
        openness: Openness(
            dataInformation: .init(
                status: .unknown,
                note: "The package describes no training data; the ADTG paper (arXiv:2410.10766) describes the "
                    + "authors' earlier DDPM terrain data. Not checked further."),
            code: .init(
                status: .partial, url: "https://github.com/youwyu/Adaptive-Diffusion-Terrain",
                note: "Inference code is MIT in the package; the repository holds the ADTG research code, but the "
                    + "consistency distillation code for this checkpoint was not found there (checked the "
                    + "repository's file list)."),
            parameters: .init(
                status: .available, url: "https://pypi.org/project/adaptive-terrain-diffusion/0.4.2/",
                note: "ONNX weights under MIT in the wheel.")))
}
