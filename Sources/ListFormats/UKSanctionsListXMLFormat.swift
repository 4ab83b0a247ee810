import Foundation

/// The UK Sanctions List published by the FCDO (`UK_Sanctions_List.xml`), the UK's only official list since
/// 28 January 2026: `Designations/Designation`, each with its `UniqueID` (`RUS1831`), the OFSI group id it had on the
/// retired Consolidated List, names in six parts with their type and alias strength, non-Latin names, the regime, the
/// measures imposed, and details by kind (individual, entity, ship).
public enum UKSanctionsListXMLFormat: ListFormat {
    public static let id = "uk-sanctions-list-xml"
    public static let defaultFileName = "UK_Sanctions_List.xml"
    static let sourceList = "UK Sanctions List"
    static let authority = "Foreign, Commonwealth and Development Office (FCDO), United Kingdom"

    public static func parse(_ files: [ListFile]) throws -> [ListEntry] {
        try XMLRecordFile.entries(files, format: id, root: "Designations", recordDepth: 2, idLabel: "UniqueID", expected: "Designation") { ancestors, node, file in
            node.name == "Designation" ? try entry(node, file: file) : nil
        }
    }

    static func entry(_ node: XMLElementNode, file: String) throws -> ListEntry {
        func refuse(_ message: String) -> ListParseError { ListParseError(file: file, line: node.line, element: "Designation", message) }
        guard let id = node.value("UniqueID") else { throw refuse("UniqueID is missing") }
        var primary: String?
        var aliases: [Alias] = []
        for name in node.child("Names")?.all("Name") ?? [] {
            let parts = (1...6).compactMap { name.value("Name\($0)") }
            guard !parts.isEmpty else { throw ListParseError(file: file, line: name.line, element: "Name", "designation \(id) has a name with no parts") }
            let text = parts.joined(separator: " ")
            let type = name.value("NameType")?.lowercased() ?? ""
            if type == "primary name" && primary == nil {
                primary = text
            } else {
                aliases.append(Alias(name: text, kind: name.value("AliasStrength")?.lowercased().hasPrefix("low") == true ? .weak : .aka))
            }
        }
        guard let name = primary ?? aliases.first?.name else { throw refuse("designation \(id) has no name") }
        aliases.removeAll { $0.name == name }
        for script in node.child("NonLatinNames")?.all("NonLatinName").compactMap({ $0.value("NameNonLatinScript") }) ?? [] {
            aliases.append(Alias(name: script, kind: .originalScript))
        }
        let type: EntityType = switch node.value("IndividualEntityShip")?.lowercased() {
        case "individual": .person
        case "ship": .vessel
        default: .organization
        }
        // The regime, then each measure imposed in the publisher's words (`Asset freeze`, `Travel Ban`): policy rules
        // select on them, since only an asset freeze blocks.
        let measures = node.value("SanctionsImposed")?.split(separator: "|").compactMap { $0.nonEmpty } ?? []
        var entry = ListEntry(id: id, type: type, name: name, aliases: aliases, programs: [node.value("RegimeName")].compactMap { $0 } + measures,
                              sourceLists: [sourceList], authority: authority)
        entry.title = node.child("Titles")?.all("Title").compactMap { $0.text.nonEmpty }.joined(separator: ", ").nonEmpty
        entry.remarks = [node.value("OtherInformation"), node.value("UKStatementofReasons")].compactMap { $0 }.joined(separator: " ").nonEmpty
        for address in node.child("Addresses")?.all("Address") ?? [] {
            let lines = address.children.filter { $0.name.hasPrefix("AddressLine") || $0.name == "AddressPostalCode" }.compactMap { $0.text.nonEmpty }
            let country = address.value("AddressCountry")
            let text = (lines + [country].compactMap { $0 }).joined(separator: ", ")
            if !text.isEmpty { entry.addresses.append(Address(text: text, country: country)) }
            if let country, !entry.countries.contains(country) { entry.countries.append(country) }
        }
        if let group = node.value("OFSIGroupID") { entry.references.append("uk-ofsi:\(group)") }
        if let un = node.value("UNReferenceNumber") { entry.references.append("un:\(un)") }
        if let individual = node.child("IndividualDetails")?.child("Individual") {
            entry.datesOfBirth = individual.child("DOBs")?.all("DOB").compactMap { $0.text.nonEmpty.map(DayMonthYear.iso) } ?? []
            for nationality in individual.child("Nationalities")?.all("Nationality").compactMap({ $0.text.nonEmpty }) ?? [] where !entry.countries.contains(nationality) {
                entry.countries.append(nationality)
            }
            for passport in individual.child("PassportDetails")?.all("Passport").compactMap({ $0.value("PassportNumber") }) ?? [] {
                entry.identifiers.append(Identifier(type: "Passport", value: passport))
            }
            for national in individual.child("NationalIdentifierDetails")?.all("NationalIdentifier").compactMap({ $0.value("NationalIdentifierNumber") }) ?? [] {
                entry.identifiers.append(Identifier(type: "National ID", value: national))
            }
        }
        for registration in node.child("EntityDetails")?.child("Entity")?.child("BusinessRegistrationNumbers")?.all("BusinessRegistrationNumber") ?? [] {
            if let value = registration.text.nonEmpty { entry.identifiers.append(Identifier(type: "Registration", value: value)) }
        }
        for imo in node.child("ShipDetails")?.child("Ship")?.child("IMONumbers")?.all("IMONumber") ?? [] {
            if let value = imo.text.nonEmpty { entry.identifiers.append(Identifier(type: "IMO", value: value)) }
        }
        entry.listedOn = node.value("DateDesignated").map(DayMonthYear.iso)
        let company = node.child("EntityDetails")?.child("Entity")
        let relations = (company?.child("ParentCompanies")?.all("ParentCompany") ?? []).compactMap { $0.text.nonEmpty.map { Relation(type: "Parent company", name: $0) } }
            + (company?.child("Subsidiaries")?.all("Subsidiary") ?? []).compactMap { $0.text.nonEmpty.map { Relation(type: "Subsidiary", name: $0) } }
        entry.relations = relations.isEmpty ? nil : relations
        entry.identifiers = entry.identifiers.reduce(into: []) { unique, identifier in if !unique.contains(identifier) { unique.append(identifier) } }
        return entry
    }
}
