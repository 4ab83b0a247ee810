/// A counterparty to screen: its names and what else the caller knows of it.
public struct MatchQuery: Sendable {
    /// The name first, then any aliases.
    public var names: [String]
    public var kind: EntityKind
    /// ISO 3166 alpha-2.
    public var country: String?
    public var birthDate: BirthDate?
    /// Normalised with `IdentifierValue.normalize`.
    public var identifiers: [String]
    /// The caller's address, as `AddressWords`.
    public var addressWords: Set<String>

    public init(names: [String], kind: EntityKind = .unknown, country: String? = nil, birthDate: BirthDate? = nil, identifiers: [String] = [],
                addressWords: Set<String> = []) {
        self.names = names
        self.kind = kind
        self.country = country
        self.birthDate = birthDate
        self.identifiers = identifiers
        self.addressWords = addressWords
    }
}

/// One listed entry that matched, with its score and why.
public struct Match: Sendable {
    /// Index of the entry in the entries the index was built from.
    public var entry: Int
    public var score: Double
    public var explanation: MatchExplanation
}

/// Why an entry matched: which query words matched which listed words, how closely and with what weight, and what
/// secondary evidence moved the score.
public struct MatchExplanation: Sendable, Codable, Equatable {
    public var queryName: String
    public var matchedName: String
    public var nameKind: NameKind
    /// Name similarity before secondary evidence, in [0, 1].
    public var nameScore: Double
    /// Share of the query's weight that matched.
    public var queryCoverage: Double
    /// Share of the listed name's weight that matched.
    public var nameCoverage: Double
    public var tokens: [TokenMatch]
    public var evidence: [Evidence]
}

public struct TokenMatch: Sendable, Codable, Equatable {
    public var query: String
    /// The listed word(s) it matched; nil when it matched nothing.
    public var matched: String?
    /// A `MatchHow` raw value: exact, typo, transliteration, phonetic, ..., legal-form or unmatched.
    public var how: String
    public var similarity: Double
    /// The word's weight: rare words weigh close to 1, common ones less, legal forms 0.
    public var weight: Double
}

public struct Evidence: Sendable, Codable, Equatable {
    /// type, country, dateOfBirth or identifier.
    public var kind: String
    /// What it added to (or took from) the score.
    public var effect: Double
    public var detail: String
}
