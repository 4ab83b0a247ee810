import Foundation
import Matching

/// The body of `POST /screen` (and each subject of a batch).
public struct ScreenRequest: Codable, Sendable, Equatable {
    public var name: String
    public var type: String?
    public var aliases: [String]?
    public var country: String?
    public var dateOfBirth: String?
    public var identifiers: [IdentifierInput]?
    public var address: String?
    public var reference: String?
    public var lists: [String]?
    public var limit: Int?
    /// The caller's stable id for the party: Clearance then monitors it (see `CounterpartyService`).
    public var counterpartyId: String?
    /// The supplier's owners and controllers, as collected at onboarding: each is screened, and blocked ownership
    /// is added up under the 50 percent rule (`OwnershipAssessment`).
    public var owners: [OwnerInput]?

    public struct IdentifierInput: Codable, Sendable, Equatable {
        public var type: String?
        public var value: String
        public var country: String?
    }

    /// An owner or controller of the screened party.
    public struct OwnerInput: Codable, Sendable, Equatable {
        public var name: String
        public var type: String?
        public var country: String?
        public var dateOfBirth: String?
        public var identifiers: [IdentifierInput]?
        /// The share of the screened party it owns, directly or indirectly, from 0 to 100.
        public var sharePercent: Double?
        /// Whether it controls the screened party (a director, a golden share, control by agreement).
        public var controls: Bool?

        /// The owner screened as a party of its own, against the same lists.
        func request(lists: [String]?) -> ScreenRequest {
            ScreenRequest(name: name, type: type, country: country, dateOfBirth: dateOfBirth, identifiers: identifiers, lists: lists)
        }
    }

    static let maxNameLength = 500
    static let maxAliases = 20
    static let maxIdentifiers = 20
    static let maxLists = 50
    static let maxIdentifierLength = 100
    static let maxOwners = 20

    /// The characters of every name and alias, the owners' included (each is screened too): what screening's CPU time
    /// grows with.
    var nameCharacters: Int {
        name.count + (aliases ?? []).reduce(0) { $0 + $1.count } + (owners ?? []).reduce(0) { $0 + $1.name.count }
    }

    /// Checks every field; an invalid one is a 422 with the JSON pointer to it (prefixed for batch items).
    func validate(pointerPrefix: String = "", activeLists: Set<String>) throws {
        func invalid(_ field: String, _ detail: String) -> Error { JSON.invalid(pointer: pointerPrefix + field, detail) }
        try Self.validateParty(name: name, type: type, country: country, dateOfBirth: dateOfBirth, identifiers: identifiers, at: pointerPrefix)
        for (index, alias) in (aliases ?? []).enumerated() {
            guard Self.hasNonSpace(alias), alias.count <= Self.maxNameLength else {
                throw invalid("/aliases/\(index)", "a non-empty name of at most \(Self.maxNameLength) characters")
            }
        }
        if (aliases ?? []).count > Self.maxAliases { throw invalid("/aliases", "at most \(Self.maxAliases) aliases") }
        if (lists ?? []).count > Self.maxLists { throw invalid("/lists", "at most \(Self.maxLists) lists") }
        // An empty filter would screen against nothing and answer clear: leave `lists` out to screen against every list.
        if lists?.isEmpty == true { throw invalid("/lists", "names no list; leave it out to screen against every active list") }
        for (index, list) in (lists ?? []).enumerated() where !activeLists.contains(list) {
            throw invalid("/lists/\(index)", "no active list \(list)")
        }
        if let limit, !(1...100).contains(limit) { throw invalid("/limit", "from 1 to 100") }
        if let reference, reference.count > 200 { throw invalid("/reference", "at most 200 characters") }
        if let address, address.count > 1000 { throw invalid("/address", "at most 1000 characters") }
        if let counterpartyId, !Self.isCounterpartyID(counterpartyId) {
            throw invalid("/counterpartyId", "1 to 200 characters, none of them control characters")
        }
        try validateOwners(pointerPrefix: pointerPrefix)
    }

    private func validateOwners(pointerPrefix: String) throws {
        guard let owners else { return }
        if owners.count > Self.maxOwners { throw JSON.invalid(pointer: pointerPrefix + "/owners", "at most \(Self.maxOwners) owners") }
        for (index, owner) in owners.enumerated() {
            let at = pointerPrefix + "/owners/\(index)"
            try Self.validateParty(name: owner.name, type: owner.type, country: owner.country, dateOfBirth: owner.dateOfBirth,
                                   identifiers: owner.identifiers, at: at)
            if let share = owner.sharePercent, !(share.isFinite && (0...100).contains(share)) {
                throw JSON.invalid(pointer: at + "/sharePercent", "a percentage from 0 to 100")
            }
        }
        // Shares of one party add up to 100 at most (indirect holdings are given as the share they come to).
        let total = owners.reduce(0) { $0 + ($1.sharePercent ?? 0) }
        if total > 100.000_001 { throw JSON.invalid(pointer: pointerPrefix + "/owners", "the owners' shares add up to \(total), more than 100") }
    }

    /// The fields a screened party and each of its owners share, checked the same way (`at` prefixes the pointers).
    static func validateParty(name: String, type: String?, country: String?, dateOfBirth: String?, identifiers: [IdentifierInput]?,
                              at prefix: String) throws {
        func invalid(_ field: String, _ detail: String) -> Error { JSON.invalid(pointer: prefix + field, detail) }
        guard hasNonSpace(name) else { throw invalid("/name", "must not be empty") }
        guard name.count <= maxNameLength else { throw invalid("/name", "at most \(maxNameLength) characters") }
        if let type, EntityKind(rawValue: type) == nil || type == "unknown" {
            throw invalid("/type", "one of person, organization, vessel, aircraft")
        }
        if let country, country.count != 2 || CountryCodes.code(for: country) != country.uppercased() {
            throw invalid("/country", "an ISO 3166 alpha-2 code, e.g. CN")
        }
        if let dateOfBirth, birthDate(dateOfBirth) == nil {
            throw invalid("/dateOfBirth", "a date as YYYY-MM-DD, YYYY-MM or YYYY")
        }
        if (identifiers ?? []).count > maxIdentifiers { throw invalid("/identifiers", "at most \(maxIdentifiers) identifiers") }
        for (index, identifier) in (identifiers ?? []).enumerated() {
            // An ASCII letter or digit, as the contract's pattern says (normalisation keeps only those).
            guard identifier.value.count <= maxIdentifierLength,
                  identifier.value.unicodeScalars.contains(where: { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }) else {
                throw invalid("/identifiers/\(index)/value", "must hold letters or digits, at most \(maxIdentifierLength) characters")
            }
            if let type = identifier.type, type.count > 50 { throw invalid("/identifiers/\(index)/type", "at most 50 characters") }
        }
    }

    static func isCounterpartyID(_ id: String) -> Bool {
        (1...200).contains(id.unicodeScalars.count) && !id.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// Whether `text` holds a character outside JSON Schema's `\s` (ECMA-262 white space and line terminators), as
    /// the contract's `\S` pattern for names asks.
    static func hasNonSpace(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            // Unicode's White_Space, less U+0085 (not in ECMA's set), plus U+FEFF (which is).
            !((scalar.properties.isWhitespace && scalar != "\u{85}") || scalar == "\u{FEFF}")
        }
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with two-digit months and days, year 1850 to 2100 (the pattern in
    /// openapi.yaml).
    static func birthDate(_ text: String) -> BirthDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              parts[0].count == 4, parts.dropFirst().allSatisfy({ $0.count == 2 }),
              let year = Int(parts[0]), (1850...2100).contains(year) else { return nil }
        let month = parts.count > 1 ? Int(parts[1]) : nil
        let day = parts.count > 2 ? Int(parts[2]) : nil
        if let month, !(1...12).contains(month) { return nil }
        if let day, !(1...31).contains(day) { return nil }
        return BirthDate(year: year, month: month, day: day)
    }

    /// The country an address names in its last part (`..., Hangzhou, China`), which stands in for `country` as
    /// evidence when that is not given.
    var addressCountry: String? {
        guard let last = address?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty else { return nil }
        return CountryCodes.code(for: last)
    }

    var query: MatchQuery {
        MatchQuery(names: [name] + (aliases ?? []), kind: type.flatMap(EntityKind.init(rawValue:)) ?? .unknown,
                   country: country?.uppercased() ?? addressCountry, birthDate: dateOfBirth.flatMap(Self.birthDate),
                   identifiers: (identifiers ?? []).map { IdentifierValue.normalize($0.value) }, addressWords: address.map(AddressWords.of) ?? [])
    }
}
