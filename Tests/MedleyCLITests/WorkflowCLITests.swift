import Foundation
import XCTest

/// Workflows through the real `medley` binary: the shipped workflows on generated media, bad workflow files,
/// run records, and a database shared by two processes or left by a killed one.
final class WorkflowCLITests: XCTestCase {
    private var home: URL!
    private var env: [String: String] { ["MEDLEY_HOME": home.path] }

    override func setUpWithError() throws {
        home = try CLI.temporaryFolder(self)
    }

    private func medley(_ arguments: [String]) throws -> CLI.Result {
        try CLI.run(arguments, environment: env)
    }

    private func runs() throws -> [[String: Any]] {
        let result = try medley(["runs", "list", "--json", "--limit", "50"])
        XCTAssertEqual(result.status, 0, result.stderr)
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]) ?? []
    }

    private func loudness(_ path: String) throws -> Double {
        let result = try medley(["loudness", path, "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return try XCTUnwrap(json?["integrated_lufs"] as? Double, result.stderr)
    }

    func testShippedWorkflowsAreValid() throws {
        let list = try medley(["workflows", "list"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let names = list.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        XCTAssertTrue(Set(names).isSuperset(of: ["loudness-folder", "ocr-folder", "voiceover"]), list.stdout)
        for name in names {
            let shown = try medley(["workflows", "show", name])
            XCTAssertEqual(shown.status, 0, "\(name): \(shown.stderr)")
            XCTAssertTrue(shown.stdout.contains("outputs:"), shown.stdout)
        }
    }

    /// A folder of podcasts normalised to -16 LUFS; the second run is answered by the cache.
    func testLoudnessFolderWorkflow() throws {
        let folder = try CLI.temporaryFolder(self)
        let input = folder.appendingPathComponent("podcasts")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "anoisesrc=c=pink:a=0.05:d=6:seed=3", "-ar", "44100",
                                input.appendingPathComponent("episode1.wav").path])
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=f=330:d=5", "-af", "volume=-8dB", "-ar", "48000",
                                "-c:a", "flac", input.appendingPathComponent("episode2.flac").path])
        try Data("not audio".utf8).write(to: input.appendingPathComponent("notes.txt"))
        let out = folder.appendingPathComponent("out")
        let first = try medley(["run", "loudness-folder", "--set", "input=\(input.path)", "-o", out.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        for name in ["episode1.wav", "episode2.flac"] {
            let path = out.appendingPathComponent("normalized/\(name)").path
            XCTAssertEqual(try loudness(path), -16, accuracy: 0.3, name)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("normalized/notes.txt").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.json").path))

        let second = try medley(["run", "loudness-folder", "--set", "input=\(input.path)", "-o", out.path, "--json"])
        XCTAssertEqual(second.status, 0, second.stderr)
        let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
        let nodes = try XCTUnwrap(record["nodes"] as? [[String: Any]])
        for node in nodes {
            XCTAssertEqual(node["cache_hits"] as? Int, node["invocations"] as? Int, "\(node)")
        }
        // The two runs differ only in cache use: diff says so; export writes the whole record.
        let ids = try runs().filter { $0["kind"] as? String == "workflow" }.compactMap { $0["id"] as? String }
        XCTAssertGreaterThanOrEqual(ids.count, 2)
        let diff = try medley(["runs", "diff", ids[1], ids[0]])
        XCTAssertEqual(diff.status, 0, diff.stderr)
        XCTAssertTrue(diff.stdout.contains("workflow: same"), diff.stdout)
        XCTAssertTrue(diff.stdout.contains("(2/2 cached)"), diff.stdout)
        let exported = folder.appendingPathComponent("run.json")
        XCTAssertEqual(try medley(["runs", "export", ids[0], "-o", exported.path]).status, 0)
        let export = try JSONSerialization.jsonObject(with: Data(contentsOf: exported)) as? [String: Any]
        XCTAssertEqual(export?["status"] as? String, "succeeded")
        XCTAssertEqual((export?["inputs"] as? [[String: Any]])?.first?["name"] as? String, "input")
        let rerun = try medley(["runs", "rerun", ids[0]])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertTrue(rerun.stdout.contains("succeeded"), rerun.stdout)
    }

    func testOCRFolderWorkflowWritesOneCSV() throws {
        let folder = try CLI.temporaryFolder(self)
        let images = folder.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/vision")
        for name in ["text_sans.png", "text_serif.png"] {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: images.appendingPathComponent(name))
        }
        let out = folder.appendingPathComponent("out")
        let result = try medley(["run", "ocr-folder", "--set", "input=\(images.path)", "-o", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let csv = try String(contentsOf: out.appendingPathComponent("text.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\r\n").map(String.init)
        XCTAssertEqual(lines.first, "image,line,text,confidence,x1,y1,x2,y2,x3,y3,x4,y4")
        XCTAssertTrue(lines.contains { $0.hasPrefix("text_sans.png,1,\"Hello, Medley!\",") }, csv)
        XCTAssertTrue(lines.contains { $0.hasPrefix("text_serif.png,1,The quick brown fox") }, csv)
    }

    /// Text spoken by the TTS fitted to 3 s, mixed over a 6 s video whose own tone ducks under the voice.
    func testVoiceOverWorkflow() throws {
        let folder = try CLI.temporaryFolder(self)
        let video = folder.appendingPathComponent("clip.mp4")
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=6",
                                "-f", "lavfi", "-i", "sine=f=220:d=6", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                                "-c:a", "aac", "-shortest", video.path])
        let out = folder.appendingPathComponent("out")
        let result = try medley(["run", "voiceover", "--set", "input=\(video.path)", "--set", "text=Welcome to the demo.",
                                 "--set", "duration=3", "--set", "start=1", "-o", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let probe = try medley(["probe", out.appendingPathComponent("video.mp4").path, "--json"])
        let info = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(probe.stdout.utf8)) as? [String: Any])
        let streams = try XCTUnwrap(info["streams"] as? [[String: Any]])
        XCTAssertEqual(streams.compactMap { $0["type"] as? String }.sorted(), ["audio", "video"])
        XCTAssertEqual(streams.first { $0["type"] as? String == "video" }?["codec"] as? String, "h264")
        XCTAssertEqual(info["duration"] as? Double ?? 0, 6, accuracy: 0.15)
        let speech = try medley(["probe", out.appendingPathComponent("voiceover.wav").path, "--json"])
        let speechInfo = try JSONSerialization.jsonObject(with: Data(speech.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(speechInfo?["duration"] as? Double ?? 0, 3, accuracy: 0.1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("voiceover.provenance.json").path))
    }

    /// Speech → VAD → Whisper → SRT and WebVTT, muxed as a soft subtitle track into MKV.
    func testSubtitleWorkflow() throws {
        let folder = try CLI.temporaryFolder(self)
        let speech = folder.appendingPathComponent("speech.wav"), video = folder.appendingPathComponent("talk.mp4")
        try CLI.tool("espeak-ng", ["-v", "en-us", "-w", speech.path, "Subtitles make every video accessible."])
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=5", "-i", speech.path,
                                "-filter_complex", "[1]adelay=1000,apad[a]", "-map", "0:v", "-map", "[a]", "-t", "5",
                                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", video.path])
        let out = folder.appendingPathComponent("out")
        let result = try medley(["run", "subtitle", "--set", "input=\(video.path)", "-o", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let srt = try String(contentsOf: out.appendingPathComponent("subtitles.srt"), encoding: .utf8)
        XCTAssertTrue(srt.hasPrefix("1\n00:00:0"), srt)
        XCTAssertTrue(srt.lowercased().contains("accessible"), srt)
        let vtt = try String(contentsOf: out.appendingPathComponent("subtitles.vtt"), encoding: .utf8)
        XCTAssertTrue(vtt.hasPrefix("WEBVTT"), vtt)
        let probe = try medley(["probe", out.appendingPathComponent("subtitled.mkv").path, "--json"])
        let info = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(probe.stdout.utf8)) as? [String: Any])
        let types = (info["streams"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
        XCTAssertEqual(types.sorted(), ["audio", "subtitle", "video"], probe.stdout)
        let speechJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("speech.json"))) as? [String: Any]
        let first = (speechJSON?["segments"] as? [[String: Any]])?.first
        XCTAssertEqual(first?["start"] as? Double ?? 0, 1, accuracy: 0.15, "speech starts after the 1 s delay")
    }

    func testMalformedWorkflowNamesLineAndColumn() throws {
        let file = try CLI.temporaryFolder(self).appendingPathComponent("bad.json")
        try Data("{\n  \"nodes\": {\n    \"a\": {\"type\": \"audio.loudness\" \"inputs\": {}}\n  }\n}\n".utf8).write(to: file)
        let result = try medley(["run", file.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.errorLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("\(file.path): malformed JSON at line 3, column 36"), result.stderr)
    }

    func testInvalidWorkflowListsEveryProblem() throws {
        let file = try CLI.temporaryFolder(self).appendingPathComponent("wrong.json")
        try Data(#"{"nodes": {"a": {"type": "audio.loudnes"}, "b": {"type": "speech.vad", "inputs": {"audio": ["a", "x"], "threshold": "high"}}}}"#.utf8).write(to: file)
        let result = try medley(["run", file.path])
        XCTAssertEqual(result.status, 1)
        // The link from b to a is not checked while a's type is unknown: it is reported once a exists.
        XCTAssertTrue(result.stderr.contains("has 2 problems"), result.stderr)
        XCTAssertTrue(result.stderr.contains("$.nodes.a.type: unknown node type 'audio.loudnes'; did you mean 'audio.loudness'?"), result.stderr)
        XCTAssertTrue(result.stderr.contains("$.nodes.b.inputs.threshold: a string is not a valid Number"), result.stderr)
        let missing = try medley(["run", "loudness-folder"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("required parameter 'input' (File)"), missing.stderr)
        let typo = try medley(["run", "loudness-folder", "--set", "input=/tmp", "--set", "targt=-14"])
        XCTAssertTrue(typo.stderr.contains("did you mean 'target'?"), typo.stderr)
    }

    func testDatabaseThatIsNotADatabase() throws {
        let file = try CLI.temporaryFolder(self).appendingPathComponent("medley.sqlite")
        try Data(String(repeating: "this is not a database\n", count: 200).utf8).write(to: file)
        let result = try medley(["runs", "list", "--db", file.path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.errorLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("\(file.path): is not a Medley database"), result.stderr)
    }

    func testOutputFolderThatIsNotWritable() throws {
        let folder = try CLI.temporaryFolder(self)
        let blocker = folder.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: blocker)
        let result = try medley(["run", "loudness-folder", "--set", "input=\(folder.path)", "-o", blocker.appendingPathComponent("out").path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("cannot create the output folder"), result.stderr)
    }

    /// Two processes write runs into one database at the same time; both succeed and both are recorded.
    func testTwoProcessesShareOneDatabase() throws {
        let folder = try CLI.temporaryFolder(self)
        var processes: [(Process, Pipe)] = []
        for index in 0..<2 {
            let input = folder.appendingPathComponent("in\(index)")
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=f=\(300 + 100 * index):d=4", input.appendingPathComponent("a.wav").path])
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["run", "loudness-folder", "--set", "input=\(input.path)", "-o", folder.appendingPathComponent("out\(index)").path]
            process.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            processes.append((process, err))
        }
        for (process, _) in processes { try process.run() }
        for (process, err) in processes {
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, message)
        }
        let statuses = try runs().compactMap { $0["status"] as? String }
        XCTAssertEqual(statuses, ["succeeded", "succeeded"])
    }

    /// SIGKILL in the middle of a run: the database stays readable, the run is marked interrupted at the next
    /// start, its work folder is removed, and every artifact left is whole (its name is its content's hash).
    func testKilledRunIsMarkedInterruptedAndNothingIsHalfWritten() throws {
        let folder = try CLI.temporaryFolder(self)
        let input = folder.appendingPathComponent("long")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        // Long enough to be mid-run when killed (the debug build normalises it in tens of seconds).
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "anoisesrc=c=pink:a=0.1:d=120:seed=1", "-ar", "48000",
                                "-ac", "2", input.appendingPathComponent("long.wav").path])
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["run", "loudness-folder", "--set", "input=\(input.path)", "-o", folder.appendingPathComponent("out").path]
        process.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the run's normalize node is running.
        let deadline = Date().addingTimeInterval(60)
        var running = false
        while Date() < deadline, !running {
            usleep(200_000)
            let current = try runs().first
            let nodes = current?["nodes"] as? [[String: Any]] ?? []
            running = current?["status"] as? String == "running"
                && nodes.contains { $0["node_id"] as? String == "normalize" && $0["status"] as? String == "running" }
        }
        XCTAssertTrue(running, "the run never reached the normalize node")
        usleep(500_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)

        let after = try runs()
        XCTAssertEqual(after.first?["status"] as? String, "interrupted", "\(after)")
        XCTAssertEqual(after.first?["error"] as? String, "the process running it stopped before the run ended")
        let tmp = home.appendingPathComponent("medley.artifacts/tmp").path
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? [], [], "work folders removed")
        let artifacts = home.appendingPathComponent("medley.artifacts")
        for relative in (try FileManager.default.subpathsOfDirectory(atPath: artifacts.path)) where relative.count > 60 {
            let name = URL(fileURLWithPath: relative).deletingPathExtension().lastPathComponent
            let digest = try sha256(artifacts.appendingPathComponent(relative))
            XCTAssertEqual(digest, name, "artifact \(relative) is whole")
        }
        // The database is intact: a new run works and is recorded next to the interrupted one.
        let small = folder.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=3", small.appendingPathComponent("s.wav").path])
        let next = try medley(["run", "loudness-folder", "--set", "input=\(small.path)"])
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertEqual(try runs().compactMap { $0["status"] as? String }, ["succeeded", "interrupted"])
    }

    private func sha256(_ url: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [url.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }

    func testTaskCommandsAreRecorded() throws {
        let folder = try CLI.temporaryFolder(self)
        let audio = folder.appendingPathComponent("tone.wav")
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=2", audio.path])
        XCTAssertEqual(try medley(["loudness", audio.path]).status, 0)
        XCTAssertEqual(try medley(["loudness", folder.appendingPathComponent("missing.wav").path]).status, 1)
        let list = try runs()
        XCTAssertEqual(list.compactMap { $0["name"] as? String }, ["audio.loudness", "audio.loudness"])
        XCTAssertEqual(list.compactMap { $0["status"] as? String }, ["failed", "succeeded"])
        let ok = list[1]
        XCTAssertEqual(ok["kind"] as? String, "command")
        XCTAssertEqual((ok["command"] as? [String])?.dropFirst().first, "loudness")
        XCTAssertEqual((ok["inputs"] as? [[String: Any]])?.first?["path"] as? String, audio.path)
        XCTAssertEqual(((ok["inputs"] as? [[String: Any]])?.first?["sha256"] as? String)?.count, 64)
    }
}
