import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Temporary folders for tests. All of them live under one folder per test process, removed when the process exits,
/// so test runs leave nothing behind in the temporary directory (a database is often reopened by path after its last
/// Swift reference is gone, so per-test cleanup cannot be tied to an object's lifetime).
public enum TestFolder {
    private static let root: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("clearance-tests-\(getpid())-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestFolder.root) }
        return url
    }()

    /// A new folder's URL (not created), named `prefix-<uuid>`.
    public static func make(_ prefix: String) -> URL {
        root.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    }
}
