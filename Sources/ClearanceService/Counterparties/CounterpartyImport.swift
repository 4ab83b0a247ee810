import Foundation
import ListFormats
import OpenSSLCrypto

/// A supplier master in bulk: each row becomes a `POST /screen` body naming a `counterpartyId`, and is screened and
/// recorded exactly like one. A bad row is reported by its line and does not stop the rest.
///
/// NDJSON: one `/screen` body per line. CSV: a header row naming the columns `counterpartyId` and `name` (required),
/// `type`, `country`, `dateOfBirth`, `address`, `reference`, and `aliases`, `lists` and `identifiers` (several values
/// separated by `;`, an identifier written `value` or `type:value`).
enum CounterpartyImport {
    static let columns: Set<String> = ["counterpartyId", "name", "type", "country", "dateOfBirth", "address", "reference", "aliases", "lists", "identifiers"]

    /// One input row: its line and the `/screen` body it stands for, or why it could not be read.
    struct Row {
        var line: Int
        var body: Result<Data, ServiceError>
    }

    /// The rows of an upload. A body that is neither (an unknown CSV column, no header) is refused whole, before
    /// anything is screened; a CSV whose quoting breaks ends at the broken row, which is reported.
    static func rows(_ data: Data, contentType: String?) throws -> [Row] {
        let type = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let firstByte = data.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        guard firstByte != nil else { throw JSON.invalid(pointer: "", "the import is empty") }
        if type == "text/csv" { return try csvRows(data) }
        if type == "application/x-ndjson" || type == "application/json" || firstByte == UInt8(ascii: "{") { return ndjsonRows(data) }
        return try csvRows(data)
    }

    private static func ndjsonRows(_ data: Data) -> [Row] {
        var rows: [Row] = []
        var line = 0
        for text in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            line += 1
            guard text.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { continue }
            rows.append(Row(line: line, body: .success(Data(text))))
        }
        return rows
    }

    private static func csvRows(_ data: Data) throws -> [Row] {
        var reader = CSVReader(Array(data), file: "import")
        let header: [String]
        do {
            guard let first = try reader.next() else { throw JSON.invalid(pointer: "", "the import is empty") }
            header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        } catch let error as ListParseError {
            throw ServiceError.invalidField(pointer: "", reason: "line 1: \(error.message)")
        }
        for (index, name) in header.enumerated() where !columns.contains(name) {
            throw ServiceError.invalidField(pointer: "", reason: "line 1, column \(index + 1): \(name.isEmpty ? "unnamed" : "'\(name)'") is not a column; columns are \(columns.sorted().joined(separator: ", "))")
        }
        // A column named twice would be read as one of its values and shown by another tool as the other.
        for (index, name) in header.enumerated() {
            if let first = header.firstIndex(of: name), first < index {
                throw ServiceError.invalidField(pointer: "", reason: "line 1, column \(index + 1): '\(name)' is already column \(first + 1); each column appears once")
            }
        }
        for required in ["counterpartyId", "name"] where !header.contains(required) {
            throw ServiceError.invalidField(pointer: "", reason: "line 1: the CSV header needs a \(required) column")
        }
        var rows: [Row] = []
        let encoder = JSON.encoder()
        while true {
            let record: (fields: [String], line: Int)
            do {
                guard let next = try reader.next() else { break }
                record = next
            } catch let error as ListParseError {
                rows.append(Row(line: error.line ?? 0, body: .failure(.invalidField(pointer: "", reason: "\(error.message); the rest of the file cannot be read"))))
                break
            }
            guard record.fields.count == header.count else {
                rows.append(Row(line: record.line, body: .failure(.invalidField(pointer: "", reason: "\(record.fields.count) fields, the header has \(header.count)"))))
                continue
            }
            var object: [String: JSONValue] = [:]
            for (name, value) in zip(header, record.fields) {
                let value = value.trimmingCharacters(in: .whitespaces)
                guard !value.isEmpty else { continue }
                switch name {
                case "aliases", "lists": object[name] = .array(split(value).map(JSONValue.string))
                case "identifiers":
                    object[name] = .array(split(value).map { item in
                        let parts = item.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                        return parts.count == 2 ? .object(["type": .string(parts[0]), "value": .string(parts[1])]) : .object(["value": .string(item)])
                    })
                default: object[name] = .string(value)
                }
            }
            rows.append(Row(line: record.line, body: Result { try encoder.encode(JSONValue.object(object)) }.mapError { _ in
                ServiceError.invalidField(pointer: "", reason: "the row cannot be encoded")
            }))
        }
        return rows
    }

    private static func split(_ value: String) -> [String] {
        value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
