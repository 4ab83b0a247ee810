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
        return MatchableEntry(kind: kind, names: names, countries: countries, birthDates: entry.datesOfBirth.compactMap(BirthDate.parse),
                              identifiers: Set(entry.identifiers.map { IdentifierValue.normalize($0.value) }.filter { $0.count >= 5 }))
    }
}
