/// What the matcher knows of a listed party: its names and the secondary facts that confirm or contradict a match.
public struct MatchableEntry: Sendable {
    public var kind: EntityKind
    public var names: [Name]
    /// ISO 3166 alpha-2 codes.
    public var countries: Set<String>
    public var birthDates: [BirthDate]
    /// Identifier values, normalised with `IdentifierValue.normalize`.
    public var identifiers: Set<String>

    public struct Name: Sendable {
        public var text: String
        public var kind: NameKind

        public init(text: String, kind: NameKind) {
            self.text = text
            self.kind = kind
        }
    }

    public init(kind: EntityKind, names: [Name], countries: Set<String> = [], birthDates: [BirthDate] = [], identifiers: Set<String> = []) {
        self.kind = kind
        self.names = names
        self.countries = countries
        self.birthDates = birthDates
        self.identifiers = identifiers
    }
}

public enum EntityKind: String, Sendable, Codable {
    case person, organization, vessel, aircraft, unknown

    /// A person is never a company, vessel or aircraft; a vessel never an aircraft.
    public func isCompatible(with other: EntityKind) -> Bool {
        if self == .unknown || other == .unknown || self == other { return true }
        switch (self, other) {
        case (.organization, .vessel), (.vessel, .organization), (.organization, .aircraft), (.aircraft, .organization): return true
        default: return false
        }
    }
}

public enum NameKind: String, Sendable, Codable {
    case primary
    case aka
    /// A weak, low-quality alias: alone it never justifies blocking.
    case weak
    case originalScript = "original-script"
}

/// A date of birth, as precise as the source gives it.
public struct BirthDate: Sendable, Equatable {
    public var year: Int
    public var month: Int?
    public var day: Int?

    public init(year: Int, month: Int? = nil, day: Int? = nil) {
        self.year = year
        self.month = month
        self.day = day
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Reads `1934-02-11`, `11 Feb 1934`, `Feb 1934`, `1934`, `circa 1958`, `1960 to 1962` (the first year).
    public static func parse(_ text: String) -> BirthDate? {
        let parts = text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        guard let yearIndex = parts.firstIndex(where: { $0.count == 4 && Int($0) != nil }), let year = Int(parts[yearIndex]),
              (1850...2100).contains(year) else { return nil }
        var date = BirthDate(year: year)
        if yearIndex == 0, parts.count >= 3, let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month), (1...31).contains(day) {
            date.month = month
            date.day = day
        } else if yearIndex >= 1 {
            let monthText = parts[yearIndex - 1].prefix(3)
            if let month = months.firstIndex(of: String(monthText)) {
                date.month = month + 1
                if yearIndex >= 2, let day = Int(parts[yearIndex - 2]), (1...31).contains(day) { date.day = day }
            }
        }
        return date
    }
}

public enum IdentifierValue {
    /// Letters and digits only, upper-cased: `CNE-100 000.PM8` and `cne100000pm8` are the same identifier.
    public static func normalize(_ value: String) -> String {
        String(String.UnicodeScalarView(value.uppercased().unicodeScalars.filter { ($0.value >= 48 && $0.value <= 57) || ($0.value >= 65 && $0.value <= 90) }))
    }
}
