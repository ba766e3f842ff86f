// Benchmark driver: `medley-bench <case> [args]`. Each case runs one piece of Medley work and prints the
// elapsed wall time as JSON, so the scripts in bench/ can time the same work through peers in one run.
import Foundation

let arguments = CommandLine.arguments.dropFirst()
guard let name = arguments.first else {
    FileHandle.standardError.write(Data("usage: medley-bench <case> [args]\n".utf8))
    exit(1)
}
FileHandle.standardError.write(Data("medley-bench: unknown case \(name)\n".utf8))
exit(1)
