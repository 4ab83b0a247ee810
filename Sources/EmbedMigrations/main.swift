import Foundation

// Writes the Swift source that compiles the migrations into the Store module (run by MigrationsPlugin at build
// time): `embed-migrations OUTPUT FILE.sql...`. Each file's bytes are carried as Base64, so what runs, and its
// checksum, is exactly the file in `migrations/`, whatever it holds.
let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: EmbedMigrations OUTPUT FILE.sql...\n".utf8))
    exit(2)
}
var source = """
    // Generated at build time by MigrationsPlugin from the files in migrations/; do not edit.
    import Foundation

    extension MigrationRunner {
        /// The migrations of `migrations/`, compiled into the binary (name and Base64 of the file's bytes).
        static let embeddedFiles: [(name: String, base64: String)] = [

    """
for path in arguments.dropFirst().sorted() {
    let url = URL(fileURLWithPath: path)
    do {
        let data = try Data(contentsOf: url)
        source += "        (\"\(url.lastPathComponent)\", \"\(data.base64EncodedString())\"),\n"
    } catch {
        FileHandle.standardError.write(Data("cannot read \(path): \(error)\n".utf8))
        exit(1)
    }
}
source += "    ]\n}\n"
// Unchanged output is left alone, so its date does not make the build recompile Store.
let target = URL(fileURLWithPath: output)
if (try? Data(contentsOf: target)) == Data(source.utf8) { exit(0) }
do {
    try Data(source.utf8).write(to: target, options: .atomic)
} catch {
    FileHandle.standardError.write(Data("cannot write \(output): \(error)\n".utf8))
    exit(1)
}
