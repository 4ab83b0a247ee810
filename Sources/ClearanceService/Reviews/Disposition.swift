import Foundation

/// The body of `POST /decisions/{id}/dispositions`: a reviewer's verdict on one or more matches of a decision.
struct DispositionRequest: Decodable {
    var matches: [Disposition]

    static let maxMatches = 100

    /// Checks every field; an invalid one is a 422 naming it.
    func validate() throws {
        guard (1...Self.maxMatches).contains(matches.count) else {
            throw JSON.invalid(pointer: "/matches", "from 1 to \(Self.maxMatches) dispositions")
        }
        for (index, item) in matches.enumerated() { try item.validate(pointer: "/matches/\(index)") }
    }

    /// One verdict per match: a second item on the same match is a 422 naming it.
    func checkEachMatchOnce() throws {
        var seen: Set<String> = []
        for (index, item) in matches.enumerated() where !seen.insert(item.list + "\u{0}" + item.entryId).inserted {
            throw JSON.invalid(pointer: "/matches/\(index)", "the match \(item.list):\(item.entryId) appears twice")
        }
    }
}

/// One reviewer's verdict on one match.
struct Disposition: Decodable {
    var list: String
    var entryId: String
    var disposition: Verdict
    var reason: Reason?
    var note: String

    enum Verdict: String, Codable, Sendable {
        case trueMatch = "true_match"
        case falsePositive = "false_positive"
    }

    /// Why a match is a false positive: a fixed vocabulary, so reports can count them.
    enum Reason: String, Codable, Sendable, CaseIterable {
        case differentCountry = "different_country"
        case differentDateOfBirth = "different_date_of_birth"
        case differentEntityType = "different_entity_type"
        case differentIdentifier = "different_identifier"
        case other
    }

    static let maxNote = 2000

    func validate(pointer: String) throws {
        guard !list.isEmpty, list.unicodeScalars.count <= 200 else { throw JSON.invalid(pointer: pointer + "/list", "a list id") }
        guard !entryId.isEmpty, entryId.unicodeScalars.count <= 200 else { throw JSON.invalid(pointer: pointer + "/entryId", "an entry id") }
        guard ScreenRequest.hasNonSpace(note) else { throw JSON.invalid(pointer: pointer + "/note", "a note is required") }
        guard note.unicodeScalars.count <= Self.maxNote else { throw JSON.invalid(pointer: pointer + "/note", "at most \(Self.maxNote) characters") }
        switch disposition {
        case .falsePositive:
            guard reason != nil else {
                throw JSON.invalid(pointer: pointer + "/reason", "a false positive needs a reason: "
                                   + Reason.allCases.map(\.rawValue).joined(separator: ", "))
            }
        case .trueMatch:
            guard reason == nil else { throw JSON.invalid(pointer: pointer + "/reason", "only a false positive takes a reason") }
        }
    }
}
