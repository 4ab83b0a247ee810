import Foundation

/// OFAC's ENHANCED XML (`SDN_ENHANCED.XML`, `CONS_ENHANCED.XML`; a ZIP of it is unpacked on upload):
/// `sanctionsData/entities/entity`, each with its lists, programs, names (each with translations into their original
/// scripts, `isLowQuality` for weak aliases), addresses in parts, features (birth dates, nationalities, ISIN, SWIFT/BIC,
/// websites) and identity documents. Reference values are written inline, so the file reads entity by entity. The
/// entity `id` is OFAC's own (the `ent_num` of the CSV set and the `uid` of the classic XML).
public enum OFACEnhancedXMLFormat: ListFormat {
    public static let id = "ofac-enhanced-xml"
    public static let defaultFileName = "SDN_ENHANCED.XML"

    public static func parse(_ files: [ListFile]) throws -> [ListEntry] {
        try XMLRecordFile.entries(files, format: id, root: "sanctionsData", recordDepth: 3, idLabel: "entity id", expected: "entities/entity") { ancestors, node, file in
            ancestors.last == "entities" && node.name == "entity" ? try entry(node, file: file) : nil
        }
    }

    static func entry(_ node: XMLElementNode, file: String) throws -> ListEntry {
        func refuse(_ message: String) -> ListParseError { ListParseError(file: file, line: node.line, element: "entity", message) }
        guard let id = node.attribute("id") else { throw refuse("the id attribute is missing") }
        var primary: String?
        var aliases: [Alias] = []
        for name in node.child("names")?.all("name") ?? [] {
            let isPrimary = name.value("isPrimary") == "true"
            let weak = name.value("isLowQuality") == "true"
            let kind: AliasKind = switch name.value("aliasType") {
            case "F.K.A.": .fka
            case "N.K.A.": .nka
            default: weak ? .weak : .aka
            }
            for translation in name.child("translations")?.all("translation") ?? [] {
                guard let text = translation.value("formattedFullName") ?? translation.value("formattedLastName") else { continue }
                let latin = translation.value("script") == "Latin"
                if isPrimary && latin && translation.value("isPrimary") == "true" && primary == nil {
                    primary = text
                } else {
                    aliases.append(Alias(name: text, kind: latin ? kind : .originalScript))
                }
            }
        }
        guard let name = primary ?? aliases.first?.name else { throw refuse("entity \(id) has no name") }
        aliases.removeAll { $0.name == name }
        aliases = aliases.reduce(into: []) { unique, alias in if !unique.contains(where: { $0.name == alias.name }) { unique.append(alias) } }
        let type: EntityType = switch node.child("generalInfo")?.value("entityType") {
        case "Individual": .person
        case "Vessel": .vessel
        case "Aircraft": .aircraft
        default: .organization
        }
        var sourceLists: [String] = []
        for list in node.child("sanctionsLists")?.all("sanctionsList").compactMap({ $0.text.nonEmpty }) ?? [] {
            let named = OFACLists.sourceList(list)
            if !sourceLists.contains(named) { sourceLists.append(named) }
        }
        var entry = ListEntry(id: id, type: type, name: name, aliases: aliases,
                              programs: node.child("sanctionsPrograms")?.all("sanctionsProgram").compactMap { $0.text.nonEmpty } ?? [],
                              sourceLists: sourceLists, authority: OFACLists.authority)
        for address in node.child("addresses")?.all("address") ?? [] {
            let country = address.value("country")
            let parts = address.child("translations")?.all("translation").first { $0.value("script") == "Latin" }?
                .child("addressParts")?.all("addressPart").compactMap { $0.value("value") } ?? []
            let text = (parts + [country].compactMap { $0 }).joined(separator: ", ")
            if !text.isEmpty { entry.addresses.append(Address(text: text, country: country)) }
            if let country, !entry.countries.contains(country) { entry.countries.append(country) }
        }
        var remarks: [String] = []
        for feature in node.child("features")?.all("feature") ?? [] {
            guard let kind = feature.value("type"), let value = feature.value("value") else { continue }
            switch kind {
            case "Birthdate":
                entry.datesOfBirth.append(birthDate(feature) ?? value)
            case "Nationality Country", "Citizenship Country", "Nationality of Registration":
                if !entry.countries.contains(value) { entry.countries.append(value) }
            case _ where OFACLists.identifyingFeatures.contains(kind):
                entry.identifiers.append(Identifier(type: kind, value: value))
            default:
                remarks.append("\(kind.trimmingCharacters(in: CharacterSet(charactersIn: " :-"))): \(value)")
            }
        }
        for document in node.child("identityDocuments")?.all("identityDocument") ?? [] {
            guard let number = document.value("documentNumber") else { continue }
            entry.identifiers.append(Identifier(type: document.value("type") ?? "Identification", value: number, country: document.value("issuingCountry")))
        }
        entry.remarks = remarks.joined(separator: "; ").nonEmpty
        entry.listedOn = node.child("sanctionsLists")?.all("sanctionsList").compactMap { $0.attribute("datePublished") }.min()
        let relations = node.child("relationships")?.all("relationship").compactMap { relationship -> Relation? in
            guard let type = relationship.value("type"), let other = relationship.child("relatedEntity") else { return nil }
            return Relation(type: type, entryId: other.attribute("entityId"), name: other.text.nonEmpty)
        } ?? []
        entry.relations = relations.isEmpty ? nil : relations
        return entry
    }

    /// A birth date as exact as OFAC gives it: a day when the range is one day, else the year when it is one year,
    /// else the published text (`circa 1962`, `1961 to 1963`).
    static func birthDate(_ feature: XMLElementNode) -> String? {
        guard let range = feature.child("valueDate"), range.value("isApproximate") != "true",
              let from = range.value("fromDateBegin"), let to = range.value("toDateEnd") else { return nil }
        if from == to { return from }
        if from.hasSuffix("-01-01"), to.hasSuffix("-12-31"), from.prefix(4) == to.prefix(4) { return String(from.prefix(4)) }
        return nil
    }
}
