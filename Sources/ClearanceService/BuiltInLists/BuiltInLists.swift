import Foundation
import ListFormats
import Logging
import Store

/// The procurement lists that have no machine-readable official file (the FCC Covered List, the DoD section 1260H
/// list) ship with Clearance as reviewed data files (`BuiltInLists/Data`, compiled into the binary; how they are
/// kept up to date: docs/procurement-lists.md). Each is installed edition by edition, offline: on the first start of a
/// database every edition becomes a version, oldest first, so the version history and its diffs follow the
/// publisher's; after an upgrade, the editions newer than any stored are added. A list an administrator uploads a
/// newer edition of is left alone, and so is a list of the same id in another format.
enum BuiltInLists {
    /// The shipped files, by list id.
    static let files: [(listID: String, file: ListFile)] = embeddedFiles.compactMap { file in
        guard let data = Data(base64Encoded: file.base64), file.name.hasSuffix(".json") else { return nil }
        return (String(file.name.dropLast(5)), ListFile(name: file.name, data: data))
    }

    /// The editions each list needs, installed as versions; returns what was installed (`us-dod-1260h 2026-06-08`).
    /// Replicas starting together take turns through a lease, so no edition is stored twice.
    @discardableResult
    static func install(into lists: ListService, leases: any LeaseStore, logger: Logger) throws -> [String] {
        let lease = WorkLease("built-in-lists", store: leases, duration: 120)
        var waited = 0.0
        while try !lease.hold() {
            guard waited < 120 else { throw ClearanceApp.StartupError(description: "another process has been installing the built-in lists for two minutes") }
            Thread.sleep(forTimeInterval: 0.25)
            waited += 0.25
        }
        defer { try? leases.release(lease.name, holder: WorkLease.holder) }
        var installed: [String] = []
        for (listID, file) in files {
            let document = try EditionedListFormat.decode(file)
            let existing = try lists.store.list(listID)
            if let existing, existing.format != EditionedListFormat.id {
                logger.warning("built-in list not installed: the database holds a list of that id in another format",
                               metadata: ["list": .string(listID), "format": .string(existing.format)])
                continue
            }
            let newestStored = try existing.map { try lists.store.versions(of: $0.id).compactMap(\.edition).max() } ?? nil
            for edition in document.editions.map(\.edition) where newestStored.map({ edition > $0 }) ?? true {
                let outcome = try lists.upload(listID: listID, format: EditionedListFormat.self,
                                               files: [try EditionedListFormat.file(file, standingFor: edition)], activate: true, actor: nil,
                                               source: "built-in")
                if !outcome.unchanged { installed.append("\(listID) \(edition)") }
            }
        }
        if !installed.isEmpty { logger.notice("built-in lists installed", metadata: ["editions": .string(installed.joined(separator: ", "))]) }
        return installed
    }
}
