import Foundation

/// Canada's Consolidated Autonomous Sanctions List (Special Economic Measures Act), a flat `data-set/record` XML in
/// two tag sets: the older one (`Entity`, `Title`, `DateOfBirth`) and the current one (`EntityOrShip`,
/// `TitleOrShip`, `DateOfBirthOrShipBuildDate`, `ShipIMONumber`, `DateOfListing`). The publisher gives no record id;
/// a record is identified by its regime, schedule and item (`Russia/1.1/2`), which are stable between editions.
public enum CASEMAXMLFormat: ListFormat {
    public static let id = "ca-sema-xml"
    public static let defaultFileName = "sema-lmes.xml"
    static let sourceList = "Canada Consolidated Autonomous Sanctions List (SEMA)"

    public static func parse(_ files: [ListFile]) throws -> [ListEntry] {
        try XMLRecordFile.entries(files, format: id, root: "data-set", recordDepth: 2, idLabel: "record", expected: "record") { ancestors, node, file in
            node.name == "record" ? try entry(node, file: file) : nil
        }
    }

    static func entry(_ node: XMLElementNode, file: String) throws -> ListEntry {
        func refuse(_ message: String) -> ListParseError { ListParseError(file: file, line: node.line, element: "record", message) }
        guard let country = node.value("Country") else { throw refuse("Country is missing") }
        guard let item = node.value("Item") else { throw refuse("Item is missing") }
        // "Russia / Russie": the regime in English, then in French.
        let regime = country.components(separatedBy: " / ").first?.nonEmpty ?? country
        let id = [regime, node.value("Schedule"), item].compactMap { $0 }.joined(separator: "/")
        let imo = node.value("ShipIMONumber")
        let type: EntityType
        let name: String
        if let entity = node.value("EntityOrShip") ?? node.value("Entity") {
            type = imo == nil ? .organization : .vessel
            name = entity
        } else if let last = node.value("LastName") {
            type = .person
            name = node.value("GivenName").map { "\(last), \($0)" } ?? last
        } else if let given = node.value("GivenName") {
            type = .person
            name = given
        } else {
            throw refuse("record \(id) has no name (LastName, GivenName, Entity or EntityOrShip)")
        }
        var entry = ListEntry(id: id, type: type, name: name, programs: ["SEMA \(regime)"], sourceLists: [sourceList], authority: "Global Affairs Canada")
        entry.countries = [regime]
        // One string, the aliases separated by commas (Cyrillic among them).
        for alias in node.all("Aliases").flatMap({ $0.text.components(separatedBy: ", ") }).compactMap(\.nonEmpty) where alias != name {
            entry.aliases.append(Alias(name: alias, kind: alias.unicodeScalars.contains { $0.value > 0x24F } ? .originalScript : .aka))
        }
        let title = node.value("TitleOrShip") ?? node.value("Title")
        if type == .person {
            entry.title = title
            entry.datesOfBirth = [node.value("DateOfBirthOrShipBuildDate") ?? node.value("DateOfBirth")].compactMap { $0 }
        }
        if let imo { entry.identifiers.append(Identifier(type: "IMO", value: imo)) }
        entry.remarks = node.value("DateOfListing").map { "Listed \($0)" }
        return entry
    }
}
