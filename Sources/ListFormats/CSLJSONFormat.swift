import Foundation

/// The trade.gov Consolidated Screening List as JSON: `{"results": [...]}` (the API's shape) or a bare array.
/// Multi-valued fields may be arrays or `; `-joined strings; addresses and ids may be objects.
public enum CSLJSONFormat: ListFormat {
    public static let id = "csl-json"
    public static let defaultFileName = "consolidated.json"

    public static func parse(_ files: [ListFile]) throws -> [ListEntry] {
        let file = try ListFormats.singleFile(files, format: id)
        guard !file.data.isEmpty else { throw ListParseError(file: file.name, "the file is empty") }
        try ListFormats.checkJSONStructure(file)
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: file.data)
        } catch {
            throw ListParseError(file: file.name, "malformed JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)")")
        }
        let results: [Any]
        if let object = root as? [String: Any], let list = object["results"] as? [Any] {
            results = list
        } else if let list = root as? [Any] {
            results = list
        } else {
            throw ListParseError(file: file.name, element: "/", "expected an array of entries or an object with results")
        }
        var rows: [CSLRow] = []
        for (index, item) in results.enumerated() {
            let pointer = "/results/\(index)"
            guard let object = item as? [String: Any] else { throw ListParseError(file: file.name, element: pointer, "an entry must be an object") }
            guard let id = string(object["_id"]) ?? string(object["id"]) else {
                throw ListParseError(file: file.name, element: pointer + "/_id", "_id is missing")
            }
            guard let name = string(object["name"]) else { throw ListParseError(file: file.name, element: pointer + "/name", "name is missing") }
            rows.append(CSLRow(
                id: id, source: string(object["source"]), entityNumber: string(object["entity_number"]), type: string(object["type"]) ?? "",
                programs: strings(object["programs"]), name: name, title: string(object["title"]),
                addresses: addresses(object["addresses"]), remarks: string(object["remarks"]), altNames: strings(object["alt_names"]),
                countries: strings(object["citizenships"]) + strings(object["nationalities"]),
                datesOfBirth: strings(object["dates_of_birth"]), ids: identifiers(object["ids"])))
        }
        if rows.isEmpty { throw ListParseError(file: file.name, "no entries") }
        return CSLRow.merge(rows)
    }

    static func string(_ value: Any?) -> String? {
        switch value {
        case let s as String: s.nonEmpty
        case let n as NSNumber: n.stringValue
        default: nil
        }
    }

    static func strings(_ value: Any?) -> [String] {
        switch value {
        case let s as String: s.splitList()
        case let list as [Any]: list.compactMap { string($0) }
        default: []
        }
    }

    static func addresses(_ value: Any?) -> [String] {
        guard let list = value as? [Any] else { return strings(value) }
        return list.compactMap { item in
            guard let object = item as? [String: Any] else { return string(item) }
            return ["address", "city", "state", "postal_code", "country"].compactMap { string(object[$0]) }.joined(separator: ", ").nonEmpty
        }
    }

    static func identifiers(_ value: Any?) -> [Identifier] {
        guard let list = value as? [Any] else { return strings(value).map(CSLCSVFormat.parseIdentifier) }
        return list.compactMap { item in
            guard let object = item as? [String: Any] else { return string(item).map(CSLCSVFormat.parseIdentifier) }
            guard let number = string(object["number"]) else { return nil }
            return Identifier(type: string(object["type"]) ?? "unknown", value: number, country: string(object["country"]))
        }
    }
}
