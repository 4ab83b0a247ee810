import Foundation
import OpenSSLCrypto
import Store

/// Creates, lists, revokes and checks API keys. A key is 256 random bits, shown once; only its SHA-256 is stored.
public final class APIKeyService: Sendable {
    private let store: any APIKeyStore

    public init(store: any APIKeyStore) {
        self.store = store
    }

    public struct CreatedKey: Sendable {
        public var record: APIKeyRecord
        /// The secret, returned to the caller once and never stored.
        public var key: String
    }

    /// `owner`: the person or system the key belongs to (four eyes compares owners); nil leaves the key's name in its place.
    public func create(name: String, roles: [Role], owner: String? = nil, createdBy: String?, actor: Principal?) throws -> CreatedKey {
        let (created, audit) = try Self.make(name: name, roles: roles, owner: owner, createdBy: createdBy, actor: actor)
        try store.insert(created.record, audit: audit)
        return created
    }

    /// Creates a key only if the database has none (the bootstrap admin key); nil when another process was first.
    public func createFirst(name: String, roles: [Role], createdBy: String) throws -> CreatedKey? {
        let (created, audit) = try Self.make(name: name, roles: roles, owner: nil, createdBy: createdBy, actor: nil)
        return try store.insertFirst(created.record, audit: audit) ? created : nil
    }

    private static func make(name: String, roles: [Role], owner: String?, createdBy: String?, actor: Principal?) throws -> (CreatedKey, AuditEntry) {
        let key = "clr_" + Base64URL.encode(SecureRandom.bytes(32))
        let record = APIKeyRecord(
            id: "key_" + Hex.encode(SecureRandom.bytes(8)), name: name, roles: roles.map(\.rawValue),
            keyHash: SHA256.hex(key), createdAt: Timestamp.now(), createdBy: createdBy, owner: owner)
        var details: [String: JSONValue] = ["keyId": .string(record.id), "name": .string(name), "roles": JSONValue(roles.map(\.rawValue))]
        if let owner { details["owner"] = .string(owner) }
        let audit = try AuditTrail.adminEntry("key.create", actor: actor, details: details)
        return (CreatedKey(record: record, key: key), audit)
    }

    public func list() throws -> [APIKeyRecord] { try store.all() }

    public func revoke(id: String, actor: Principal?) throws -> Bool {
        try store.revoke(id: id, at: Timestamp.now(), audit: try AuditTrail.adminEntry("key.revoke", actor: actor, details: ["keyId": .string(id)]))
    }

    public func count() throws -> Int { try store.count() }


    /// The principal for a bearer key, or nil when unknown or revoked. The lookup is by hash, and the stored hash is
    /// compared in constant time, so response timing says nothing about the key.
    public func authenticate(_ key: String) throws -> Principal? {
        let hash = SHA256.hash(key)
        guard let record = try store.find(hash: Hex.encode(hash)), record.revokedAt == nil,
              let stored = Hex.decode(record.keyHash), constantTimeEqual(stored, hash)
        else { return nil }
        return Principal(keyID: record.id, name: record.name, roles: record.roles.compactMap(Role.init(rawValue:)), holder: record.holder)
    }
}

enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
