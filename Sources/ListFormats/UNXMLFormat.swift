import Foundation

/// The UN Security Council consolidated list (XML): individuals and entities, aliases by quality ("Good" is a strong
/// alias, "Low" a weak one), names in original script, dates of birth, documents and addresses.
public enum UNXMLFormat: ListFormat {
    public static let id = "un-xml"
    public static let defaultFileName = "consolidated.xml"
    static let sourceList = "UN Security Council Consolidated List"

    public static func parse(_ files: [ListFile]) throws -> [ListEntry] {
        // Individuals sit at CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL, entities at CONSOLIDATED_LIST/ENTITIES/ENTITY.
        try XMLRecordFile.entries(files, format: id, root: "CONSOLIDATED_LIST", recordDepth: 3, idLabel: "REFERENCE_NUMBER",
                                  expected: "INDIVIDUAL or ENTITY") { ancestors, node, file in
            let isPerson: Bool
            switch (ancestors.last, node.name) {
            case ("INDIVIDUALS", "INDIVIDUAL"): isPerson = true
            case ("ENTITIES", "ENTITY"): isPerson = false
            default: return nil
            }
            guard let reference = node.value("REFERENCE_NUMBER") else {
                throw ListParseError(file: file, line: node.line, element: node.name, "REFERENCE_NUMBER is missing")
            }
            return try entry(node, reference: reference, isPerson: isPerson, file: file)
        }
    }

    static func entry(_ node: XMLElementNode, reference: String, isPerson: Bool, file: String) throws -> ListEntry {
        let name = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"].compactMap { node.value($0) }.joined(separator: " ")
        guard !name.isEmpty else { throw ListParseError(file: file, line: node.line, element: "\(node.name) \(reference)", "the name is empty") }
        var entry = ListEntry(id: reference, type: isPerson ? .person : .organization, name: name,
                              programs: node.value("UN_LIST_TYPE").map { [$0] } ?? [], sourceLists: [sourceList])
        for alias in node.all(isPerson ? "INDIVIDUAL_ALIAS" : "ENTITY_ALIAS") {
            guard let aliasName = alias.value("ALIAS_NAME") else { continue }
            let kind: AliasKind = switch alias.value("QUALITY")?.lowercased() {
            case "low": .weak
            case "f.k.a.", "fka": .fka
            default: .aka
            }
            entry.aliases.append(Alias(name: aliasName, kind: kind))
        }
        if let original = node.value("NAME_ORIGINAL_SCRIPT") {
            entry.aliases.append(Alias(name: original, kind: .originalScript))
        }
        entry.countries = node.values("NATIONALITY")
        entry.title = node.values("TITLE").first ?? node.values("DESIGNATION").first
        for address in node.all(isPerson ? "INDIVIDUAL_ADDRESS" : "ENTITY_ADDRESS") {
            let parts = ["STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY"].compactMap { address.value($0) }
            if !parts.isEmpty { entry.addresses.append(Address(text: parts.joined(separator: ", "), country: address.value("COUNTRY"))) }
            if let country = address.value("COUNTRY"), !entry.countries.contains(country) { entry.countries.append(country) }
        }
        for date in node.all("INDIVIDUAL_DATE_OF_BIRTH") {
            if let exact = date.value("DATE") {
                entry.datesOfBirth.append(String(exact.prefix(10)))
            } else if let year = date.value("YEAR") {
                entry.datesOfBirth.append(year)
            } else if let from = date.value("FROM_YEAR"), let to = date.value("TO_YEAR") {
                entry.datesOfBirth.append("\(from) to \(to)")
            }
        }
        for document in node.all("INDIVIDUAL_DOCUMENT") {
            guard let number = document.value("NUMBER") else { continue }
            entry.identifiers.append(Identifier(type: document.value("TYPE_OF_DOCUMENT") ?? "Document", value: number,
                                                country: document.value("ISSUING_COUNTRY") ?? document.value("COUNTRY_OF_ISSUE")))
        }
        entry.remarks = node.value("COMMENTS1")
        return entry
    }
}
