import Foundation
import HTTPServer
import ListFormats
import ZIPFoundation

/// Turns an upload body into named files: the parts of a `multipart/form-data` body (named by file name), the
/// members of a ZIP, or a raw body as the format's single file.
enum UploadReader {
    static func files(from request: HTTPRequest, format: any ListFormat.Type) throws -> [ListFile] {
        guard request.body.count > 0 else { throw invalid(nil, "the upload is empty") }
        let data = try request.body.data()
        if let boundary = MultipartFormData.boundary(fromContentType: request.headers["Content-Type"]) {
            let form: MultipartFormData
            do {
                form = try MultipartFormData(data: data, boundary: boundary)
            } catch {
                throw invalid(nil, "malformed multipart body: \(error)")
            }
            guard !form.parts.isEmpty else { throw invalid(nil, "the multipart body has no parts") }
            var files: [ListFile] = []
            for part in form.parts {
                let name = URL(fileURLWithPath: part.filename ?? part.name ?? format.defaultFileName).lastPathComponent
                if isZIP(part.data) { files += try unzip(part.data, name: name) } else { files.append(ListFile(name: name, data: part.data)) }
            }
            return try unique(files)
        }
        if isZIP(data) { return try unique(try unzip(data, name: "upload.zip")) }
        return [ListFile(name: format.defaultFileName, data: data)]
    }

    static func isZIP(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    static func unzip(_ data: Data, name: String) throws -> [ListFile] {
        try ListUploadFiles.unzip(data, name: name)
    }
}

/// Reading list files out of a ZIP archive, for uploads and the command line.
public enum ListUploadFiles {
    /// A list publisher's archive holds a few files of at most a few hundred megabytes (the whole SDN list in the
    /// ADVANCED model is 121 MB). The limits are counted while decompressing, not taken from the archive's own
    /// claims, so a ZIP bomb is stopped once it passes them.
    public static let maxMembers = 64
    public static let maxMemberBytes = 256 * 1024 * 1024
    public static let maxTotalBytes = 512 * 1024 * 1024

    private struct TooLarge: Error {}

    public static func unzip(_ data: Data, name: String) throws -> [ListFile] {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw UploadReader.invalid(name, "not a readable ZIP archive")
        }
        var files: [ListFile] = []
        var total = 0
        for member in archive where member.type == .file {
            guard files.count < maxMembers else { throw UploadReader.invalid(name, "the archive holds more than \(maxMembers) files") }
            guard member.uncompressedSize <= UInt64(maxMemberBytes) else {
                throw UploadReader.invalid(name, "\(member.path) unpacks to more than \(maxMemberBytes) bytes")
            }
            var contents = Data()
            do {
                _ = try archive.extract(member, skipCRC32: false) { chunk in
                    total += chunk.count
                    guard contents.count + chunk.count <= maxMemberBytes, total <= maxTotalBytes else { throw TooLarge() }
                    contents.append(chunk)
                }
            } catch is TooLarge {
                throw UploadReader.invalid(name, "the archive unpacks to more than its limits (\(maxMemberBytes) bytes a file, \(maxTotalBytes) in all)")
            } catch {
                throw UploadReader.invalid(name, "cannot extract \(member.path): \(error)")
            }
            files.append(ListFile(name: URL(fileURLWithPath: member.path).lastPathComponent, data: contents))
        }
        guard !files.isEmpty else { throw UploadReader.invalid(name, "the ZIP archive holds no files") }
        return files
    }
}

extension UploadReader {
    private static func unique(_ files: [ListFile]) throws -> [ListFile] {
        var names: Set<String> = []
        for file in files where !names.insert(file.name.lowercased()).inserted {
            throw invalid(file.name, "the upload holds \(file.name) twice")
        }
        return files
    }

    static func invalid(_ file: String?, _ detail: String) -> ServiceError {
        .invalidListFile(ListParseError(file: file, detail))
    }
}
