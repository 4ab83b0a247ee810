/// A normalised word of a name, and what kind of word it is.
public struct NameToken: Sendable, Equatable, Hashable {
    public enum Role: UInt8, Sendable {
        /// A word that identifies (a surname, a brand): weighted by how rare it is in the lists.
        case word
        /// A legal form (LLC, GmbH, OOO, S.A.): it neither creates nor hides a match.
        case legalForm
        /// A connective or name particle (of, and, the, de, al, bin): little weight.
        case particle
    }

    public var text: String
    public var role: Role

    public init(_ text: String, role: Role = .word) {
        self.text = text
        self.role = role
    }
}
