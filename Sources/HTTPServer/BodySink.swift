import Foundation

/// Collects a request body in memory, or in a temporary file for routes that spool uploads to disk.
final class BodySink {
    private var data = Data()
    private let file: (url: URL, handle: FileHandle)?
    private var size = 0
    private var finished = false

    /// Spooled bodies are named with this prefix, so leftovers of a crash can be recognised and removed.
    static let spoolPrefix = "clearance-upload-"

    init(spoolToDisk: Bool, directory: String?) throws {
        if spoolToDisk {
            let folder = directory.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory
            let url = folder.appendingPathComponent(Self.spoolPrefix + UUID().uuidString)
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw ProtocolError(status: .internalServerError, detail: "cannot create a temporary file for the upload")
            }
            file = (url, try FileHandle(forWritingTo: url))
        } else {
            file = nil
        }
    }

    func append(_ bytes: ArraySlice<UInt8>) throws {
        size += bytes.count
        if let file {
            try file.handle.write(contentsOf: bytes)
        } else {
            data.append(contentsOf: bytes)
        }
    }

    func finish() throws -> RequestBody {
        finished = true
        guard let file else { return .bytes(data) }
        try file.handle.close()
        return .file(file.url, size: size)
    }

    /// Removes spooled bodies a previous run left behind in `directory` (killed mid-upload); returns how many.
    static func removeLeftovers(in directory: String) -> Int {
        let fm = FileManager.default
        let names = (try? fm.contentsOfDirectory(atPath: directory)) ?? []
        var removed = 0
        for name in names where name.hasPrefix(spoolPrefix) {
            if (try? fm.removeItem(atPath: directory + "/" + name)) != nil { removed += 1 }
        }
        return removed
    }

    deinit {
        guard let file, !finished else { return }
        try? file.handle.close()
        try? FileManager.default.removeItem(at: file.url)
    }
}
