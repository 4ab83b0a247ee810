import ClearanceService
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// How the admin key created on a first start reaches its operator without landing in a log: it is written to a
/// file only its owner can read, and shown on the terminal only when stderr is one (in a container stderr is the
/// log, which many people and systems read).
enum BootstrapKeyNotice {
    static func deliver(_ key: String, file path: String, logger: Logger) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: url)
        guard FileManager.default.createFile(atPath: path, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ClearanceCLIError("cannot write the bootstrap admin key to \(path)")
        }
        logger.notice("the database had no API keys, so an admin key was created", metadata: [
            "key_file": .string(path), "hint": "read it once, store it in your secret manager, then delete the file",
        ])
        if isatty(2) == 1 {
            FileHandle.standardError.write(Data("""
                The database had no API keys, so an admin key was created (also in \(path), readable by its owner only):
                \(key)

                """.utf8))
        }
    }
}

struct ClearanceCLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
