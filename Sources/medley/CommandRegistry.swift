import ArgumentParser

/// Every subcommand of `medley`, in the order `medley --help` lists them.
enum CommandRegistry {
    static let all: [ParsableCommand.Type] = [
        ProbeCommand.self,
        VADCommand.self,
        TranscribeCommand.self,
        SpeakCommand.self,
        OCRCommand.self,
        FacesCommand.self,
        SafetyCommand.self,
        ScenesCommand.self,
        LoudnessCommand.self,
        NormalizeCommand.self,
        PitchCommand.self,
        FeaturesCommand.self,
        BeatsCommand.self,
        AnalyzeCommand.self,
        GenerateCommand.self,
        StylizeCommand.self,
        MatteCommand.self,
        ProvenanceCommand.self,
        RunCommand.self,
        WorkflowsCommand.self,
        RunsCommand.self,
        ModelsCommand.self,
        VersionCommand.self,
    ]
}
