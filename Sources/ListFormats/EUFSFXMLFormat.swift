import Foundation

/// The EU Financial Sanctions Files, full XML (`xmlFullSanctionsList_1_1`, namespace
/// `http://eu.europa.ec/fpi/fsd/export`): `export/sanctionEntity`, its data in attributes. Each entity has the
/// regulations that listed it (`programme`: TERR, RUS, IRN, ...), a subject type, its names (`nameAlias`: the whole
/// name in a language, `strong` or weak), birth dates (exact, a year, or a `circa` year range), citizenships,
/// addresses and identity documents. The entity's `logicalId` is stable between files. A file may give one entity
/// more than once under its `logicalId` (a person listed under two programmes): those records are merged into one entry.
public enum EUFSFXMLFormat: ListFormat {
    public static let id = "eu-fsf-xml"
    public static let defaultFileName = "xmlFullSanctionsList_1_1.xml"
    static let sourceList = "EU Financial Sanctions Files (Consolidated Financial Sanctions List)"
    static let authority = "Council of the European Union"

    public static func parse(_ files: [ListFile]) throws -> [ListEntry] {
        try XMLRecordFile.entries(files, format: id, root: "export", recordDepth: 2, idLabel: "logicalId", expected: "sanctionEntity",
                                       mergingRepeatedIDs: true) { ancestors, node, file in
            node.name == "sanctionEntity" ? try entry(node, file: file) : nil
        }
    }

    static func entry(_ node: XMLElementNode, file: String) throws -> ListEntry {
        func refuse(_ message: String) -> ListParseError { ListParseError(file: file, line: node.line, element: "sanctionEntity", message) }
        guard let id = node.attribute("logicalId") else { throw refuse("logicalId is missing") }
        let names = node.all("nameAlias").compactMap { alias in alias.attribute("wholeName").map { (alias, $0) } }
        // The primary name: the first strong one in English (or without a language) given in parts (the EU writes its
        // principal names with first and last name; variants only as a whole), else the first strong English one.
        let english = names.filter { $0.0.attribute("strong") != "false" && ["EN", nil].contains($0.0.attribute("nameLanguage")) }
        let primary = english.first { $0.0.attribute("lastName") != nil || $0.0.attribute("firstName") != nil } ?? english.first ?? names.first
        guard let (_, name) = primary else { throw refuse("entity \(id) has no nameAlias with a wholeName") }
        let type: EntityType = switch node.child("subjectType")?.attribute("code") {
        case "person": .person
        case "enterprise": .organization
        default: .unknown
        }
        var entry = ListEntry(id: id, type: type, name: name, sourceLists: [sourceList], authority: authority)
        var seen: Set<String> = [name]
        for (alias, text) in names where seen.insert(text).inserted {
            let script = text.unicodeScalars.contains { $0.value > 0x24F && $0.properties.isAlphabetic }
            entry.aliases.append(Alias(name: text, kind: script ? .originalScript : alias.attribute("strong") == "false" ? .weak : .aka))
        }
        entry.title = names.compactMap { $0.0.attribute("title") }.first
        for regulation in node.all("regulation") {
            if let programme = regulation.attribute("programme"), !entry.programs.contains(programme) { entry.programs.append(programme) }
        }
        for birth in node.all("birthdate") {
            let date = birth.attribute("birthdate") ?? birth.attribute("year")
                ?? birth.attribute("yearRangeFrom").map { from in birth.attribute("yearRangeTo").map { "\(from)-\($0)" } ?? from }
            if let date, !entry.datesOfBirth.contains(date) { entry.datesOfBirth.append(date) }
        }
        for citizenship in node.all("citizenship") {
            if let country = known(citizenship.attribute("countryDescription")), !entry.countries.contains(country) { entry.countries.append(country) }
        }
        for address in node.all("address") {
            let country = known(address.attribute("countryDescription"))
            let parts = ["street", "poBox", "city", "zipCode", "region", "place"].compactMap { address.attribute($0) } + [country].compactMap { $0 }
            if !parts.isEmpty { entry.addresses.append(Address(text: parts.joined(separator: ", "), country: country)) }
            if let country, !entry.countries.contains(country) { entry.countries.append(country) }
        }
        for document in node.all("identification") {
            guard let number = document.attribute("number") else { continue }
            entry.identifiers.append(Identifier(type: document.attribute("identificationTypeDescription") ?? "Identification", value: number,
                                                country: known(document.attribute("countryDescription"))))
        }
        if let reference = node.attribute("euReferenceNumber") { entry.references.append("eu:\(reference)") }
        if let un = node.attribute("unitedNationId") { entry.references.append("un:\(un)") }
        entry.listedOn = node.attribute("designationDate") ?? node.all("regulation").compactMap { $0.attribute("publicationDate") }.min()
        entry.remarks = node.all("remark").compactMap { $0.text.nonEmpty }.joined(separator: " ").nonEmpty
        return entry
    }

    /// The EU writes an unknown country as `UNKNOWN` (code `00`).
    private static func known(_ country: String?) -> String? { country == "UNKNOWN" ? nil : country }
}
