import Foundation
import PackagePlugin

/// Compiles files the binary needs into the target it is applied to, so an installed binary needs nothing beside
/// it: `migrations/*.sql` into Store (`MigrationRunner.embeddedFiles`, and `migrations/postgres/*.sql` as
/// `PostgresMigrations.embeddedFiles`), the web console's assets in
/// `Sources/ClearanceService/Console/Assets` into ClearanceService (`ConsoleAssets.embeddedFiles`), and the built-in lists'
/// data files (`BuiltInLists.embeddedFiles`). The folders stay
/// the source of truth: the plugin lists them at every build, so a changed, added or removed file regenerates the
/// source.
@main
struct EmbedFilesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let root = context.package.directoryURL
        let embeddings: [(folder: URL, type: String)]
        switch target.name {
        case "Store":
            embeddings = [(root.appending(path: "migrations"), "MigrationRunner"),
                          (root.appending(path: "migrations/postgres"), "PostgresMigrations")]
        case "ClearanceService":
            embeddings = [(root.appending(path: "Sources/ClearanceService/Console/Assets"), "ConsoleAssets"),
                          (root.appending(path: "Sources/ClearanceService/BuiltInLists/Data"), "BuiltInLists")]
        default: throw PluginError(description: "EmbedFilesPlugin knows no files for target \(target.name)")
        }
        return try embeddings.map { folder, type in
            // Files only: migrations/ holds the PostgreSQL folder beside the SQLite files.
            let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
                .filter { !$0.lastPathComponent.hasPrefix(".") && (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
            let output = context.pluginWorkDirectoryURL.appending(path: "Embedded\(type).swift")
            return .buildCommand(displayName: "Embedding \(files.count) files into \(type)", executable: try context.tool(named: "EmbedFiles").url,
                                 arguments: [output.path, type] + files.map(\.path), inputFiles: files, outputFiles: [output])
        }
    }
}

struct PluginError: Error, CustomStringConvertible {
    let description: String
}
