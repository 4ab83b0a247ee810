import Foundation
import ListFormats

/// The real list files in `../shared/lists/` beside the project, when present (read-only; never copied).
enum SharedLists {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/lists")

    static var available: Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent("README.md").path) }

    /// One file of a folder that holds several editions.
    static func file(_ folder: String, _ name: String) throws -> [ListFile] {
        [ListFile(name: name, data: try Data(contentsOf: root.appendingPathComponent(folder).appendingPathComponent(name)))]
    }

    static func files(_ folder: String) throws -> [ListFile] {
        let directory = root.appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().map {
            ListFile(name: $0, data: try Data(contentsOf: directory.appendingPathComponent($0)))
        }
    }
}
