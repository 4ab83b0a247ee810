/// The authenticated caller: its key id and name (never the key itself), and its roles.
public struct Principal: Sendable, Codable, Equatable {
    public var keyID: String
    public var name: String
    public var roles: [Role]

    public init(keyID: String, name: String, roles: [Role]) {
        self.keyID = keyID
        self.name = name
        self.roles = roles
    }
}
