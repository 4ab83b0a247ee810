import ArgumentParser
import ClearanceService
import Foundation
import ListFormats
import Logging
import Store

struct Lists: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lists", abstract: "Import, sync and show lists (works while serve runs on the same database).",
        subcommands: [Import.self, Sync.self, Show.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store a new version of a list from files (ZIPs are unpacked).")

        @Option(help: "The list id, e.g. ofac-sdn.")
        var list: String

        @Option(help: "The format. Required for a new list.")
        var format: FormatName?

        @Flag(help: "Store without activating.")
        var noActivate = false

        @Argument(help: "The files, e.g. sdn.csv alt.csv add.csv sdn_comments.csv.")
        var files: [String]

        @OptionGroup var db: DatabaseOptions

        func run() throws {
            let context = try CLIContext(db)
            let service = context.listService()
            do {
                let chosen = try service.format(for: list, requested: format?.id)
                var listFiles: [ListFile] = []
                for path in files {
                    let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
                    let name = URL(fileURLWithPath: path).lastPathComponent
                    let isZIP = data.starts(with: [0x50, 0x4B, 0x03, 0x04]) && !chosen.readsZIPFile
                    listFiles += isZIP ? try ListUploadFiles.unzip(data, name: name) : [ListFile(name: name, data: data)]
                }
                let outcome = try service.upload(listID: list, format: chosen, files: listFiles, activate: !noActivate, actor: nil, source: "cli")
                let v = outcome.version
                print(outcome.unchanged
                      ? "\(list): unchanged (identical to active version \(v.version))"
                      : "\(list): stored version \(v.version), \(v.entryCount) entries, \(v.nameCount) names; +\(v.added) -\(v.removed) ~\(v.changed)\(noActivate ? " (not active)" : "")")
            } catch {
                FileHandle.standardError.write(Data("\(ListSyncer.describe(error))\n".utf8))
                throw ExitCode.failure
            }
        }
    }

    struct Sync: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fetch each configured list from its source; store a version only when it changed.")

        @Option(help: "Sync configuration: {\"sources\": [{\"list\", \"format\", \"urls\"}]} (env CLEARANCE_SYNC_CONFIG); the official sources by default.")
        var config: String?

        @Option(help: "Sync only this list.")
        var list: String?

        @OptionGroup var db: DatabaseOptions

        func run() throws {
            let context = try CLIContext(db)
            var file: String?
            try Environment.apply(config, "CLEARANCE_SYNC_CONFIG", to: &file)
            var sources = try file.map(ListSyncSource.load) ?? ListSyncSource.official
            if let list { sources = sources.filter { $0.list == list } }
            let syncer = ListSyncer(lists: context.listService(), sources: sources, logger: Logger(label: "clearance-sync"))
            let results = syncer.syncAll()
            for result in results {
                print("\(result.list)\t\(result.result)\(result.version.map { "\tversion \($0)" } ?? "")\(result.error.map { "\t\($0)" } ?? "")")
            }
            if results.contains(where: { $0.result == "failed" }) { throw ExitCode.failure }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each list with its active version.")

        @OptionGroup var db: DatabaseOptions

        func run() throws {
            let context = try CLIContext(db)
            for overview in try context.listService().overview() {
                let list = overview.list, active = overview.active
                print("\(list.id)\t\(list.format)\tactive \(list.activeVersion.map(String.init) ?? "-")\t\(active?.entryCount ?? 0) entries\t\(active?.sha256 ?? "")")
            }
        }
    }
}

/// `--format un-xml`: one of the formats `ListFormats` knows, checked by the argument parser, which lists them in help
/// and errors.
struct FormatName: ExpressibleByArgument {
    let id: String

    init?(argument: String) {
        guard ListFormats.format(argument) != nil else { return nil }
        id = argument
    }

    static var allValueStrings: [String] { ListFormats.ids }
}
