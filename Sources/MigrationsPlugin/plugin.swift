import Foundation
import PackagePlugin

/// Compiles `migrations/*.sql` into the target it is applied to (Store), so an installed binary needs no files
/// beside it. The folder stays the source of truth: the plugin lists it at every build, so a changed, added or
/// removed file regenerates the source.
@main
struct MigrationsPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "migrations")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedMigrations.swift")
        return [.buildCommand(displayName: "Embedding \(files.count) migrations", executable: try context.tool(named: "EmbedMigrations").url,
                              arguments: [output.path] + files.map(\.path), inputFiles: files, outputFiles: [output])]
    }
}
