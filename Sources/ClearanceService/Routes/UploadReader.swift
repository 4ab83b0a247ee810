import Foundation
import HTTPServer
import ListFormats

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
                if isZIP(part.data) && !format.readsZIPFile { files += try unzip(part.data, name: name) } else { files.append(ListFile(name: name, data: part.data)) }
            }
            return try unique(files)
        }
        if isZIP(data) && !format.readsZIPFile { return try unique(try unzip(data, name: "upload.zip")) }
        return [ListFile(name: format.defaultFileName, data: data)]
    }

    static func isZIP(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    static func unzip(_ data: Data, name: String) throws -> [ListFile] {
        try ListUploadFiles.unzip(data, name: name)
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
