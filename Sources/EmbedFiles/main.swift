import Foundation

// Writes the Swift source that compiles files into a module (run by EmbedFilesPlugin at build time):
// `EmbedFiles OUTPUT TYPE FILE...` adds `TYPE.embeddedFiles`. Each file's bytes are carried as Base64, so what runs
// (and a migration's checksum) is exactly the file in the repository, whatever it holds; a Base64 string literal
// also compiles in no time, where a byte-array literal of the same file takes the type checker seconds.
let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: EmbedFiles OUTPUT TYPE FILE...\n".utf8))
    exit(2)
}
let (output, type) = (arguments[0], arguments[1])
var source = """
    // Generated at build time by EmbedFilesPlugin; do not edit.
    import Foundation

    extension \(type) {
        /// The files compiled into the binary (name and Base64 of the file's bytes).
        static let embeddedFiles: [(name: String, base64: String)] = [

    """
for path in arguments.dropFirst(2).sorted() {
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
// Unchanged output is left alone, so its date does not make the build recompile the module.
let target = URL(fileURLWithPath: output)
if (try? Data(contentsOf: target)) == Data(source.utf8) { exit(0) }
do {
    try Data(source.utf8).write(to: target, options: .atomic)
} catch {
    FileHandle.standardError.write(Data("cannot write \(output): \(error)\n".utf8))
    exit(1)
}
