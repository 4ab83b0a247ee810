/// What the matcher knows of a listed party: its names and the secondary facts that confirm or contradict a match.
public struct MatchableEntry: Sendable {
    public var kind: EntityKind
    public var names: [Name]
    /// ISO 3166 alpha-2 codes.
    public var countries: Set<String>
    public var birthDates: [BirthDate]
    /// Identifier values, normalised with `IdentifierValue.normalize`, that identify the party by themselves
    /// (registry numbers: IMO, MMSI, ISIN, USCC, SWIFT/BIC, passports, national and tax ids): an identical one finds
    /// the entry whatever the name.
    public var identifiers: Set<String>
    /// Identifiers that only support a name match (a ticker, a phone number).
    public var weakIdentifiers: Set<String>
    /// The words of the party's addresses (`AddressWords`).
    public var addressWords: Set<String>

    public struct Name: Sendable {
        public var text: String
        public var kind: NameKind

        public init(text: String, kind: NameKind) {
            self.text = text
            self.kind = kind
        }
    }

    public init(kind: EntityKind, names: [Name], countries: Set<String> = [], birthDates: [BirthDate] = [], identifiers: Set<String> = [],
                weakIdentifiers: Set<String> = [], addressWords: Set<String> = []) {
        self.kind = kind
        self.names = names
        self.countries = countries
        self.birthDates = birthDates
        self.identifiers = identifiers
        self.weakIdentifiers = weakIdentifiers
        self.addressWords = addressWords
    }
}

public enum EntityKind: String, Sendable, Codable {
    /// "a" or "an", for explanations.
    var article: String { self == .organization || self == .aircraft || self == .unknown ? "an" : "a" }

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
    /// Letters and digits only, upper-cased: `CNE-100 000.PM8` and `cne100000pm8` are the same identifier. A scheme
    /// written before the number is dropped where the number alone is the identifier: OFAC writes `IMO 9187655` and
    /// `MMSI 572469210`, a caller sends `9187655`.
    public static func normalize(_ value: String) -> String {
        let text = String(String.UnicodeScalarView(value.uppercased().unicodeScalars.filter { ($0.value >= 48 && $0.value <= 57) || ($0.value >= 65 && $0.value <= 90) }))
        for (scheme, digits) in [("IMO", 7), ("MMSI", 9)] where text.hasPrefix(scheme) {
            let number = text.dropFirst(scheme.count)
            if number.count == digits && number.allSatisfy(\.isNumber) { return String(number) }
        }
        return text
    }

    /// Whether a seven-digit number passes the IMO check digit (the first six digits weighted 7 to 2, summed, last
    /// digit of the sum): a number that fails it is a typo, not a vessel.
    public static func isValidIMO(_ number: String) -> Bool {
        let digits = number.compactMap(\.wholeNumberValue)
        guard digits.count == 7, number.count == 7 else { return false }
        let sum = zip(digits.prefix(6), [7, 6, 5, 4, 3, 2]).reduce(0) { $0 + $1.0 * $1.1 }
        return sum % 10 == digits[6]
    }
}
