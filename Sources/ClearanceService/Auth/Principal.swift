/// The authenticated caller: its key id and name (never the key itself), its roles, and the person or system that
/// holds the key (what four eyes compares: one person's two keys are still one pair of eyes).
public struct Principal: Sendable, Codable, Equatable {
    public var keyID: String
    public var name: String
    public var roles: [Role]
    public var holder: String

    public init(keyID: String, name: String, roles: [Role], holder: String? = nil) {
        self.keyID = keyID
        self.name = name
        self.roles = roles
        self.holder = holder ?? name
    }
}
