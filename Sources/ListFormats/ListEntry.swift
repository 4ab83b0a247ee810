/// One listed party, in the one model every list format is parsed into.
public struct ListEntry: Codable, Sendable, Equatable {
    /// The entry's id as its source gives it (OFAC `ent_num`, CSL `_id`, UN `REFERENCE_NUMBER`, ...).
    public var id: String
    public var type: EntityType
    public var name: String
    public var aliases: [Alias]
    public var programs: [String]
    /// The source lists naming this entry (a CSL entry may be on several, e.g. SDN and SSI).
    public var sourceLists: [String]
    public var addresses: [Address]
    /// Countries of nationality, citizenship, incorporation or address, as the source writes them.
    public var countries: [String]
    public var datesOfBirth: [String]
    public var identifiers: [Identifier]
    public var remarks: String?
    public var title: String?
    /// The same party in other lists, e.g. `ofac:306` for a CSL row with an OFAC entity number.
    public var references: [String]
    /// Who listed it, in the publisher's words (`Council of the European Union`, `Bureau of Industry and Security`).
    public var authority: String?
    /// When it was first listed (`YYYY-MM-DD`), where the format says.
    public var listedOn: String?
    /// Other listed parties it is linked to (owned or controlled by, acting for), where the format says.
    public var relations: [Relation]?

    public init(
        id: String, type: EntityType, name: String, aliases: [Alias] = [], programs: [String] = [], sourceLists: [String] = [],
        addresses: [Address] = [], countries: [String] = [], datesOfBirth: [String] = [], identifiers: [Identifier] = [],
        remarks: String? = nil, title: String? = nil, references: [String] = [], authority: String? = nil, listedOn: String? = nil,
        relations: [Relation]? = nil
    ) {
        self.id = id
        self.type = type
        self.name = name
        self.aliases = aliases
        self.programs = programs
        self.sourceLists = sourceLists
        self.addresses = addresses
        self.countries = countries
        self.datesOfBirth = datesOfBirth
        self.identifiers = identifiers
        self.remarks = remarks
        self.title = title
        self.references = references
        self.authority = authority
        self.listedOn = listedOn
        self.relations = relations
    }

    /// The primary name and every alias.
    public var nameCount: Int { 1 + aliases.count }

    /// The same entry with its multi-valued fields in a fixed order, so two editions that list the same facts in a
    /// different order are equal (and a diff does not report them as changed).
    public func canonicalized() -> ListEntry {
        var entry = self
        entry.aliases.sort { ($0.kind.rawValue, $0.name) < ($1.kind.rawValue, $1.name) }
        entry.addresses.sort { ($0.text, $0.country ?? "") < ($1.text, $1.country ?? "") }
        entry.identifiers.sort { ($0.type, $0.value, $0.country ?? "") < ($1.type, $1.value, $1.country ?? "") }
        entry.countries.sort()
        entry.datesOfBirth.sort()
        entry.programs.sort()
        entry.sourceLists.sort()
        entry.references.sort()
        entry.relations?.sort { ($0.type, $0.entryId ?? "", $0.name ?? "") < ($1.type, $1.entryId ?? "", $1.name ?? "") }
        return entry
    }
}

public enum EntityType: String, Codable, Sendable, CaseIterable {
    case person
    case organization
    case vessel
    case aircraft
    case unknown
}

public struct Alias: Codable, Sendable, Equatable, Hashable {
    public var name: String
    public var kind: AliasKind

    public init(name: String, kind: AliasKind) {
        self.name = name
        self.kind = kind
    }
}

public enum AliasKind: String, Codable, Sendable, CaseIterable {
    /// Also known as: a strong alias.
    case aka
    /// Formerly known as.
    case fka
    /// Now known as.
    case nka
    /// A weak, low-quality alias (OFAC remarks, UN "Low" quality): never enough on its own to block.
    case weak
    /// The name in its original, non-Latin script.
    case originalScript = "original-script"
}

public struct Address: Codable, Sendable, Equatable {
    public var text: String
    public var country: String?

    public init(text: String, country: String? = nil) {
        self.text = text
        self.country = country
    }
}

/// A link from one listed party to another, as the publisher states it.
public struct Relation: Codable, Sendable, Equatable {
    /// In the publisher's words: `Owned or Controlled By`, `Acting for or on behalf of`, `Parent company`.
    public var type: String
    /// The other party's entry id in the same list, when the publisher gives it.
    public var entryId: String?
    /// The other party's name, when the publisher gives it.
    public var name: String?

    public init(type: String, entryId: String? = nil, name: String? = nil) {
        self.type = type
        self.entryId = entryId
        self.name = name
    }
}

public struct Identifier: Codable, Sendable, Equatable {
    public var type: String
    public var value: String
    public var country: String?

    public init(type: String, value: String, country: String? = nil) {
        self.type = type
        self.value = value
        self.country = country
    }
}
