import Foundation
import ListFormats
import ZIPFoundation

/// Reading list files out of a ZIP archive, for uploads and the command line.
public enum ListUploadFiles {
    /// A list publisher's archive holds a few files of at most a few hundred megabytes (the whole SDN list in the
    /// ADVANCED model is 121 MB). The limits are counted while decompressing, not taken from the archive's own
    /// claims, so a ZIP bomb is stopped once it passes them.
    public static let maxMembers = 64
    public static let maxMemberBytes = 256 * 1024 * 1024
    public static let maxTotalBytes = 512 * 1024 * 1024

    private struct TooLarge: Error {}
    private struct OverBudget: Error {}

    /// `budget`: what every archive being unpacked at once may take together (see `DecompressionBudget`).
    public static func unzip(_ data: Data, name: String, budget: DecompressionBudget = .shared) throws -> [ListFile] {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw invalid(name, "not a readable ZIP archive")
        }
        var files: [ListFile] = []
        var total = 0
        defer { budget.release(total) }
        for member in archive where member.type == .file {
            guard files.count < maxMembers else { throw invalid(name, "the archive holds more than \(maxMembers) files") }
            guard member.uncompressedSize <= UInt64(maxMemberBytes) else {
                throw invalid(name, "\(member.path) unpacks to more than \(maxMemberBytes) bytes")
            }
            var contents = Data()
            do {
                _ = try archive.extract(member, skipCRC32: false) { chunk in
                    guard contents.count + chunk.count <= maxMemberBytes, total + chunk.count <= maxTotalBytes else { throw TooLarge() }
                    guard budget.reserve(chunk.count) else { throw OverBudget() }
                    total += chunk.count
                    contents.append(chunk)
                }
            } catch is TooLarge {
                throw invalid(name, "the archive unpacks to more than its limits (\(maxMemberBytes) bytes a file, \(maxTotalBytes) in all)")
            } catch is OverBudget {
                throw ServiceError.unavailable("other uploads are being unpacked (\(budget.limit) bytes at once in all); retry in a moment")
            } catch {
                throw invalid(name, "cannot extract \(member.path): \(error)")
            }
            files.append(ListFile(name: URL(fileURLWithPath: member.path).lastPathComponent, data: contents))
        }
        guard !files.isEmpty else { throw invalid(name, "the ZIP archive holds no files") }
        return files
    }

    private static func invalid(_ file: String, _ detail: String) -> ServiceError {
        .invalidListFile(ListParseError(file: file, detail))
    }
}
