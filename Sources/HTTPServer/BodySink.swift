import Foundation

/// Collects a request body in memory, or in a temporary file for routes that spool uploads to disk.
final class BodySink {
    private var data = Data()
    private let file: (url: URL, handle: FileHandle)?
    private var size = 0
    private var finished = false

    init(spoolToDisk: Bool) throws {
        if spoolToDisk {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("clearance-upload-\(UUID().uuidString)")
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

    deinit {
        guard let file, !finished else { return }
        try? file.handle.close()
        try? FileManager.default.removeItem(at: file.url)
    }
}
