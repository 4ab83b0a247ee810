/// How a query word matched a listed word: the `how` of an explanation's token table, and of the contract's enum.
public enum MatchHow: String, Sendable, CaseIterable {
    case exact, typo, transliteration, phonetic, abbreviation, initial, joined, split
    case learntVariant = "learnt variant"
    case learntEnding = "learnt ending"
    case nickname
    case wordForm = "word form"
    case initials
    case legalForm = "legal-form"
    case unmatched
}
