import Foundation

/// What Clearance remembers of a monitored counterparty to screen it again: the identity fields of its latest
/// request (not the caller's reference or result limit).
struct CounterpartyIdentity: Codable, Sendable, Equatable {
    var name: String
    var type: String?
    var aliases: [String]?
    var country: String?
    var dateOfBirth: String?
    var identifiers: [ScreenRequest.IdentifierInput]?
    var address: String?
    var lists: [String]?
    /// Its owners and controllers: a list change that names one alerts the counterparty.
    var owners: [ScreenRequest.OwnerInput]?

    init(_ request: ScreenRequest) {
        name = request.name
        type = request.type
        aliases = request.aliases
        country = request.country
        dateOfBirth = request.dateOfBirth
        identifiers = request.identifiers
        address = request.address
        lists = request.lists
        owners = request.owners
    }

    /// The request a re-screen sends for the counterparty.
    func request(counterpartyID: String) -> ScreenRequest {
        ScreenRequest(name: name, type: type, aliases: aliases, country: country, dateOfBirth: dateOfBirth, identifiers: identifiers,
                      address: address, reference: nil, lists: lists, limit: nil, counterpartyId: counterpartyID, owners: owners)
    }

    static func decode(_ json: String) throws -> CounterpartyIdentity {
        try JSONDecoder().decode(CounterpartyIdentity.self, from: Data(json.utf8))
    }

    func encoded() throws -> String {
        String(decoding: try JSON.encoder().encode(self), as: UTF8.self)
    }
}
