import Foundation

/// OFAC's ADVANCED XML (`SDN_ADVANCED.XML`, `CONS_ADVANCED.XML`, schema `sdn_advanced.xsd`): reference value sets
/// first (alias types, scripts, countries, name-part, feature and document types, lists), then `Locations`,
/// `IDRegDocuments`, `DistinctParties` (one profile each: identities, aliases with documented names in parts and
/// scripts, features such as birth dates and addresses) and `SanctionsEntries` (the lists and programs of each profile).
/// The file streams section by section, one element at a time: the reference values, locations and documents it
/// needs later are kept as small maps, each party becomes an entry at once, and the sanctions entries at the end add
/// their lists and programs to it. Entry ids are the parties' `FixedRef`, OFAC's own id.
public enum OFACAdvancedXMLFormat: ListFormat {
    public static let id = "ofac-advanced-xml"
    public static let defaultFileName = "SDN_ADVANCED.XML"

    public static func parse(_ files: [ListFile]) throws -> [ListEntry] {
        let file = try ListFormats.singleFile(files, format: id)
        guard !file.data.isEmpty else { throw ListParseError(file: file.name, "the file is empty") }
        var reader = Reader(file: file.name)
        try XMLElementNode.forEachRecord(in: file, root: "Sanctions", recordDepth: 3) { ancestors, node in
            switch ancestors.last {
            case "Locations": reader.location(node)
            case "IDRegDocuments": reader.document(node)
            case "DistinctParties": try reader.party(node)
            case "SanctionsEntries": reader.sanctions(node)
            case "ProfileRelationships": reader.relation(node)
            case "ReferenceValueSets": reader.references(node)
            default: break
            }
        }
        if reader.entries.isEmpty { throw ListParseError(file: file.name, "no DistinctParties/DistinctParty elements") }
        return reader.entries
    }

    private struct Reader {
        let file: String
        var entries: [ListEntry] = []
        /// Reference values by set (`AliasTypeValues`) and id.
        private var references: [String: [String: String]] = [:]
        private var partyTypeOfSubtype: [String: String] = [:]
        private var addresses: [String: Address] = [:]
        private var documents: [String: [Identifier]] = [:]
        private var positions: [String: Int] = [:]
        private var ids: RecordIDs

        init(file: String) {
            self.file = file
            ids = RecordIDs(file: file, label: "DistinctParty FixedRef")
        }

        private func value(_ set: String, _ id: String?) -> String? { id.flatMap { references[set]?[$0] } }

        /// One set of reference values (`AliasTypeValues`: `<AliasType ID="1400">A.K.A.</AliasType>`, ...).
        mutating func references(_ set: XMLElementNode) {
            for item in set.children {
                guard let id = item.attribute("ID") else { continue }
                references[set.name, default: [:]][id] = item.text.nonEmpty ?? item.attribute("Description") ?? ""
                // A party subtype belongs to a party type (Individual, Entity, Transport).
                if let party = item.attribute("PartyTypeID") { partyTypeOfSubtype[id] = party }
            }
        }

        mutating func location(_ node: XMLElementNode) {
            guard let id = node.attribute("ID") else { return }
            let country = value("CountryValues", node.child("LocationCountry")?.attribute("CountryID"))
            let parts = node.all("LocationPart").compactMap { part in
                part.all("LocationPartValue").first { $0.attribute("Primary") != "false" }?.value("Value")
            }
            let text = (parts + [country].compactMap { $0 }).joined(separator: ", ")
            if !text.isEmpty { addresses[id] = Address(text: text, country: country) }
        }

        mutating func document(_ node: XMLElementNode) {
            guard let identity = node.attribute("IdentityID"), let number = node.value("IDRegistrationNo") else { return }
            documents[identity, default: []].append(Identifier(type: value("IDRegDocTypeValues", node.attribute("IDRegDocTypeID")) ?? "Identification",
                                                               value: number, country: value("CountryValues", node.attribute("IssuedBy-CountryID"))))
        }

        mutating func party(_ node: XMLElementNode) throws {
            guard let id = node.attribute("FixedRef"), let profile = node.child("Profile") else {
                throw ListParseError(file: file, line: node.line, element: "DistinctParty", "a party needs a FixedRef and a Profile")
            }
            try ids.insert(id, line: node.line, element: "DistinctParty")
            var names: [(name: String, kind: AliasKind?)] = []  // kind nil: the primary name
            var identifiers: [Identifier] = []
            for identity in profile.all("Identity") {
                var partTypes: [String: String] = [:]
                for group in identity.child("NamePartGroups")?.all("MasterNamePartGroup").flatMap({ $0.all("NamePartGroup") }) ?? [] {
                    if let groupID = group.attribute("ID") { partTypes[groupID] = value("NamePartTypeValues", group.attribute("NamePartTypeID")) }
                }
                for alias in identity.all("Alias") {
                    let primary = alias.attribute("Primary") == "true" && identity.attribute("Primary") != "false"
                    let kind: AliasKind = switch value("AliasTypeValues", alias.attribute("AliasTypeID")) {
                    case "F.K.A.": .fka
                    case "N.K.A.": .nka
                    default: alias.attribute("LowQuality") == "true" ? .weak : .aka
                    }
                    for documented in alias.all("DocumentedName") {
                        let parts = documented.all("DocumentedNamePart").compactMap { $0.child("NamePartValue") }
                        guard let text = Self.format(parts.map { ($0.text.nonEmpty ?? "", partTypes[$0.attribute("NamePartGroupID") ?? ""]) }) else { continue }
                        let script = value("ScriptValues", parts.first?.attribute("ScriptID"))
                        let latin = script == nil || script == "Latin"
                        names.append((text, latin ? (primary ? nil : kind) : .originalScript))
                    }
                }
                if let identityID = identity.attribute("ID") { identifiers += documents[identityID] ?? [] }
            }
            guard let name = names.first(where: { $0.kind == nil })?.name ?? names.first?.name else {
                throw ListParseError(file: file, line: node.line, element: "DistinctParty", "party \(id) has no name")
            }
            var entry = ListEntry(id: id, type: type(profile), name: name, authority: OFACLists.authority)
            for (alias, kind) in names where alias != name && !entry.aliases.contains(where: { $0.name == alias }) {
                entry.aliases.append(Alias(name: alias, kind: kind ?? .aka))
            }
            entry.identifiers = identifiers
            var remarks: [String] = []
            for feature in profile.all("Feature") {
                guard let kind = value("FeatureTypeValues", feature.attribute("FeatureTypeID")), let version = feature.child("FeatureVersion") else { continue }
                if let location = version.child("VersionLocation")?.attribute("LocationID"), let address = addresses[location] {
                    if kind == "Location" || kind.hasSuffix("Address") {
                        entry.addresses.append(address)
                        if let country = address.country, !entry.countries.contains(country) { entry.countries.append(country) }
                    } else if kind.contains("Country"), let country = address.country, !entry.countries.contains(country) {
                        entry.countries.append(country)
                    }
                    continue
                }
                if kind == "Birthdate", let period = version.child("DatePeriod") {
                    if let date = Self.date(period) { entry.datesOfBirth.append(date) }
                    continue
                }
                let detail = version.child("VersionDetail")
                guard let text = detail?.text.nonEmpty ?? value("DetailReferenceValues", detail?.attribute("DetailReferenceID")) else { continue }
                if kind.contains("Country") {
                    if !entry.countries.contains(text) { entry.countries.append(text) }
                } else if OFACLists.identifyingFeatures.contains(kind) {
                    entry.identifiers.append(Identifier(type: kind, value: text))
                } else {
                    remarks.append("\(kind.trimmingCharacters(in: CharacterSet(charactersIn: " :-"))): \(text)")
                }
            }
            entry.remarks = ([node.value("Comment")].compactMap { $0 } + remarks).joined(separator: "; ").nonEmpty
            positions[profile.attribute("ID") ?? id] = entries.count
            entries.append(entry)
        }

        /// A sanctions entry names the list a profile is on and, as comments of its program measures, its programs.
        mutating func sanctions(_ node: XMLElementNode) {
            guard let profile = node.attribute("ProfileID"), let position = positions[profile] else { return }
            if let list = value("ListValues", node.attribute("ListID")) {
                let named = OFACLists.sourceList(list)
                if !entries[position].sourceLists.contains(named) { entries[position].sourceLists.append(named) }
            }
            if let event = node.child("EntryEvent")?.child("Date"), let year = event.value("Year").flatMap(Int.init) {
                let date = String(format: "%04d-%02d-%02d", year, event.value("Month").flatMap(Int.init) ?? 1, event.value("Day").flatMap(Int.init) ?? 1)
                if entries[position].listedOn.map({ date < $0 }) ?? true { entries[position].listedOn = date }
            }
            for measure in node.all("SanctionsMeasure") where value("SanctionsTypeValues", measure.attribute("SanctionsTypeID")) == "Program" {
                if let program = measure.value("Comment"), !entries[position].programs.contains(program) { entries[position].programs.append(program) }
            }
        }

        /// `Owned or Controlled By` and the like, from one profile to another; they come before the sanctions entries.
        mutating func relation(_ node: XMLElementNode) {
            guard node.attribute("Former") != "true", let from = node.attribute("From-ProfileID"), let position = positions[from],
                  let to = node.attribute("To-ProfileID"), let type = value("RelationTypeValues", node.attribute("RelationTypeID")) else { return }
            let other = positions[to].map { entries[$0] }
            entries[position].relations = (entries[position].relations ?? []) + [Relation(type: type, entryId: other?.id ?? to, name: other?.name)]
        }

        private func type(_ profile: XMLElementNode) -> EntityType {
            let subtype = profile.attribute("PartySubTypeID")
            switch value("PartySubTypeValues", subtype) {
            case "Vessel": return .vessel
            case "Aircraft": return .aircraft
            default: break
            }
            return value("PartyTypeValues", subtype.flatMap { partyTypeOfSubtype[$0] }) == "Individual" ? .person : .organization
        }

        /// A person's name as OFAC writes it elsewhere, `LAST, First Middle`; other names as their parts in order.
        static func format(_ parts: [(text: String, type: String?)]) -> String? {
            let present = parts.filter { !$0.text.isEmpty }
            guard !present.isEmpty else { return nil }
            let last = present.filter { $0.type == "Last Name" }.map(\.text)
            let rest = present.filter { $0.type != "Last Name" }.map(\.text)
            guard !last.isEmpty, !rest.isEmpty else { return present.map(\.text).joined(separator: " ") }
            return last.joined(separator: " ") + ", " + rest.joined(separator: " ")
        }

        /// A birth date as exact as the period allows: a day, a year (1 January to 31 December), else the start's year.
        static func date(_ period: XMLElementNode) -> String? {
            func day(_ node: XMLElementNode?) -> (Int, Int, Int)? {
                guard let node, let year = node.value("Year").flatMap(Int.init) else { return nil }
                return (year, node.value("Month").flatMap(Int.init) ?? 1, node.value("Day").flatMap(Int.init) ?? 1)
            }
            guard let start = day(period.child("Start")?.child("From")) else { return nil }
            let end = day(period.child("End")?.child("To")) ?? start
            if start == end { return String(format: "%04d-%02d-%02d", start.0, start.1, start.2) }
            if start.0 == end.0 && start.1 == 1 && start.2 == 1 && end.1 == 12 && end.2 == 31 { return String(start.0) }
            return start.0 == end.0 ? String(start.0) : "\(start.0)-\(end.0)"
        }
    }
}
