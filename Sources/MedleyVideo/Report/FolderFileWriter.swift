import Foundation
import MedleyCore
import MedleyMedia

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes the files of a report into the (temporary) folder it is built in, flushing each to disk so that the
/// folder is complete on disk before it is renamed into place.
struct FolderFileWriter {
    /// The folder being built.
    let folder: String
    /// The final folder, named in error messages (the temporary name would mean nothing to a reader).
    let target: String

    func write(text: String, to path: String) throws {
        try write(data: Data(text.utf8), to: path)
    }

    func write(data: Data, to path: String) throws {
        let full = try prepare(path)
        do {
            try data.write(to: URL(fileURLWithPath: full))
        } catch {
            throw MedleyError.writeFailed(path: target + "/" + path, reason: error.localizedDescription)
        }
        syncFile(full)
    }

    func write(_ asset: ReportAsset, to path: String) throws {
        switch asset {
        case .data(let data):
            try write(data: data, to: path)
        case .image(let image, let quality):
            let full = try prepare(path)
            try ImageIO.write(image, path: full, quality: quality)
            syncFile(full)
        case .file(let source):
            try requireReadableFile(source)
            let full = try prepare(path)
            do {
                try FileManager.default.copyItem(atPath: source, toPath: full)
            } catch {
                throw MedleyError.writeFailed(
                    path: target + "/" + path, reason: "cannot copy \(source): \(error.localizedDescription)")
            }
            syncFile(full)
        }
    }

    /// Places the input under `name`, trying each way in order; returns the one that worked.
    func place(input: String, as name: String, trying placements: [AnalysisReport.InputPlacement]) throws
        -> AnalysisReport.InputPlacement
    {
        let full = folder + "/" + name
        var failures: [String] = []
        for placement in placements {
            var failure: String?
            switch placement {
            case .hardLink:
                if link(input, full) != 0 { failure = String(cString: strerror(errno)) }
            case .symbolicLink:
                if symlink(input, full) != 0 { failure = String(cString: strerror(errno)) }
            case .copy:
                do {
                    try FileManager.default.copyItem(atPath: input, toPath: full)
                    syncFile(full)
                } catch {
                    failure = error.localizedDescription
                }
            }
            guard let failure else { return placement }
            failures.append("\(placement.rawValue): \(failure)")
            try? FileManager.default.removeItem(atPath: full)
        }
        throw MedleyError.writeFailed(
            path: target + "/" + name,
            reason: "cannot place the input \(input) in the report (\(failures.joined(separator: "; ")))")
    }

    /// Flushes the folder's own entries.
    func syncFolder() {
        syncDirectory(folder)
        if let names = FileManager.default.subpaths(atPath: folder) {
            for name in names where isDirectory(folder + "/" + name) { syncDirectory(folder + "/" + name) }
        }
    }

    /// The full path of `path` in the folder, with its parent folders made.
    private func prepare(_ path: String) throws -> String {
        let full = folder + "/" + path
        let parent = URL(fileURLWithPath: full).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw MedleyError.writeFailed(path: target + "/" + path, reason: error.localizedDescription)
        }
        return full
    }

    private func isDirectory(_ path: String) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
    }

    private func syncFile(_ path: String) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        _ = close(descriptor)
    }
}
