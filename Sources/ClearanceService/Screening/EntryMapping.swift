import ListFormats
import Matching

/// A list entry as the matcher sees it.
public enum EntryMapping {
    public static func matchable(_ entry: ListEntry) -> MatchableEntry {
        var names = [MatchableEntry.Name(text: entry.name, kind: .primary)]
        for alias in entry.aliases {
            let kind: NameKind = switch alias.kind {
            case .weak: .weak
            case .originalScript: .originalScript
            case .aka, .fka, .nka: .aka
            }
            names.append(MatchableEntry.Name(text: alias.name, kind: kind))
        }
        let kind: EntityKind = switch entry.type {
        case .person: .person
        case .organization: .organization
        case .vessel: .vessel
        case .aircraft: .aircraft
        case .unknown: .unknown
        }
        var countries = Set(entry.countries.compactMap(CountryCodes.code(for:)))
        for address in entry.addresses { if let code = address.country.flatMap(CountryCodes.code(for:)) { countries.insert(code) } }
        var strong: Set<String> = [], weak: Set<String> = []
        for identifier in entry.identifiers {
            let value = IdentifierValue.normalize(identifier.value)
            guard value.count >= 3 else { continue }
            // Under five characters (OFAC's four-digit Iranian registration numbers) a number is too short to name
            // one party worldwide: it supports a name only.
            if value.count >= 5 && isStrong(identifier, normalized: value, vessel: entry.type == .vessel) { strong.insert(value) } else { weak.insert(value) }
        }
        return MatchableEntry(kind: kind, names: names, countries: countries, birthDates: entry.datesOfBirth.compactMap(BirthDate.parse),
                              identifiers: strong, weakIdentifiers: weak,
                              addressWords: entry.addresses.reduce(into: Set<String>()) { $0.formUnion(AddressWords.of($1.text)) })
    }

    /// Kinds of identifier that name a listing, a line or a website rather than the party: they support a name only.
    static let weakIdentifierTypes = ["ticker", "phone", "fax", "email", "e-mail", "website", "url"]

    /// Whether an identifier identifies the party by itself. Registry numbers hold digits (a SWIFT/BIC code need
    /// not); what the CSL's `ids` column also carries (`Female`, sanctions notes) does not count. A ship's IMO number
    /// must pass its check digit (one that fails is a typo in the list, which must not find another ship); the IMO
    /// company numbers owners and managers carry have a check digit of their own and are taken as written.
    static func isStrong(_ identifier: Identifier, normalized: String, vessel: Bool) -> Bool {
        let type = identifier.type.lowercased()
        guard !weakIdentifierTypes.contains(where: type.contains) else { return false }
        guard normalized.contains(where: \.isNumber) || type.contains("swift") || type.contains("bic") else { return false }
        let isShipIMO = vessel && (type.contains("imo") || type.contains("vessel") || identifier.value.uppercased().hasPrefix("IMO"))
        return !isShipIMO || IdentifierValue.isValidIMO(normalized)
    }
}
