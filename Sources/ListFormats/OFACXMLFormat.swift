import Foundation

/// OFAC's classic `sdnList` XML (`SDN.XML`, `CONSOLIDATED.XML`), in either namespace seen in the wild (elements are
/// read by their local names): `sdnEntry` with `uid`, names, `sdnType`, programs, identifiers, strong and weak
/// aliases, addresses, dates and places of birth, nationalities and citizenships. The entries are the ones OFAC's
/// legacy CSV set gives for the same list: the same ids (`uid` is the CSV's `ent_num`), `LAST, First` names, types
/// and programs, so editions in either format diff against each other.
public enum OFACXMLFormat: ListFormat {
    public static let id = "ofac-xml"
    public static let defaultFileName = "sdn.xml"

    public static func parse(_ files: [ListFile]) throws -> [ListEntry] {
        try XMLRecordFile.entries(files, format: id, root: "sdnList", recordDepth: 2, idLabel: "uid", expected: "sdnEntry") { _, node, file in
            guard node.name == "sdnEntry" else { return nil }
            guard let uid = node.value("uid") else { throw ListParseError(file: file, line: node.line, element: "sdnEntry", "uid is missing") }
            // The file does not say which list it is; OFAC names the non-SDN one CONSOLIDATED.XML.
            let sourceList = file.lowercased().contains("cons") ? OFACLists.consolidated : OFACLists.sdn
            return try entry(node, uid: uid, sourceList: sourceList, file: file)
        }
    }

    static func entry(_ node: XMLElementNode, uid: String, sourceList: String, file: String) throws -> ListEntry {
        guard let name = fullName(node) else { throw ListParseError(file: file, line: node.line, element: "sdnEntry \(uid)", "the name is empty") }
        var entry = ListEntry(id: uid, type: OFACCSVFormat.entityType(node.value("sdnType") ?? ""), name: name,
                              programs: node.child("programList")?.all("program").compactMap { $0.text.nonEmpty } ?? [],
                              sourceLists: [sourceList])
        entry.title = node.value("title")
        for aka in node.child("akaList")?.all("aka") ?? [] {
            guard let aliasName = fullName(aka) else { continue }
            let kind: AliasKind = if aka.value("category")?.lowercased() == "weak" {
                .weak
            } else {
                switch aka.value("type")?.lowercased() {
                case "f.k.a.": .fka
                case "n.k.a.": .nka
                default: .aka
                }
            }
            entry.aliases.append(Alias(name: aliasName, kind: kind))
        }
        for id in node.child("idList")?.all("id") ?? [] {
            guard let type = id.value("idType"), let number = id.value("idNumber"), isIdentifier(type) else { continue }
            entry.identifiers.append(Identifier(type: type, value: number, country: id.value("idCountry")))
        }
        for address in node.child("addressList")?.all("address") ?? [] {
            let parts = ["address1", "address2", "address3", "city", "stateOrProvince", "postalCode", "country"].compactMap { address.value($0) }
            guard !parts.isEmpty else { continue }
            entry.addresses.append(Address(text: parts.joined(separator: ", "), country: address.value("country")))
        }
        for (list, item) in [("nationalityList", "nationality"), ("citizenshipList", "citizenship")] {
            for country in node.child(list)?.all(item).compactMap({ $0.value("country") }) ?? [] where !entry.countries.contains(country) {
                entry.countries.append(country)
            }
        }
        entry.datesOfBirth = node.child("dateOfBirthList")?.all("dateOfBirthItem").compactMap { $0.value("dateOfBirth") } ?? []
        entry.remarks = node.value("remarks")
        return entry
    }

    /// `LAST, First` as the CSV set writes it, or the last name alone (entities, vessels).
    static func fullName(_ node: XMLElementNode) -> String? {
        switch (node.value("lastName"), node.value("firstName")) {
        case (let last?, let first?): "\(last), \(first)"
        case (let last?, nil): last
        case (nil, let first?): first
        case (nil, nil): nil
        }
    }

    /// The `idList` also carries sanctions notes and dates (`Secondary sanctions risk:`, `Listing Date (CMIC)`,
    /// `Issuer Name`): what the CSV set reads from remarks as identifiers is kept, plus the contact details.
    static func isIdentifier(_ type: String) -> Bool {
        OFACRemarks.identifierLabels.contains(type) || ["Website", "Email Address", "Phone Number"].contains(type)
    }
}
