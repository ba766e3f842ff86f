import ArgumentParser

/// `medley generate face|terrain`: content made from noise by the generative models, every output labelled as
/// AI-generated (text chunks in the file, `OUT.provenance.json` beside it).
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate images with open generative models; every output is labelled as AI-generated.",
        subcommands: [
            // Each generator adds its subcommand here.
            GenerateFaceCommand.self,
            GenerateTerrainCommand.self,
        ]
    )
}
