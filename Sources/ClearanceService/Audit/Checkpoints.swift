import Foundation
import OpenSSLCrypto
import Store

/// Signs the audit chain's head with an Ed25519 key kept in a file outside the database, and verifies checkpoints
/// an auditor kept: the signature must hold and the chain must still have that hash at that position.
public final class Checkpoints: Sendable {
    private let store: any CheckpointStore
    private let audit: any AuditLogStore
    private let key: Ed25519SigningKey

    public init(store: any CheckpointStore, audit: any AuditLogStore, keyFile: URL) throws {
        self.store = store
        self.audit = audit
        key = try Self.loadOrCreate(keyFile)
    }

    public var publicKey: String { Hex.encode(key.publicKey) }

    /// The 32-byte seed, hex, in a file readable by its owner only; created on first use.
    static func loadOrCreate(_ url: URL) throws -> Ed25519SigningKey {
        if let text = try? String(contentsOf: url, encoding: .utf8) {
            guard let seed = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw CryptoError(description: "checkpoint key file \(url.path) does not hold a hex Ed25519 seed")
            }
            return try Ed25519SigningKey(seed: seed)
        }
        let key = try Ed25519SigningKey.generate()
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: url.path, contents: Data(Hex.encode(key.seed).utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CryptoError(description: "cannot write the checkpoint key file \(url.path)")
        }
        return key
    }

    /// What is signed: a domain label, the position, the head hash and the time.
    public static func message(seq: Int, headHash: String, createdAt: String) -> [UInt8] {
        Array("clearance-audit-checkpoint\n\(seq)\n\(headHash)\n\(createdAt)".utf8)
    }

    /// Signs the current head (nil when the trail is empty).
    public func create() throws -> CheckpointRecord? {
        guard let head = try audit.head() else { return nil }
        let now = Timestamp.now()
        let signature = try key.sign(Self.message(seq: head.seq, headHash: head.hash, createdAt: now))
        return try store.insert(seq: head.seq, headHash: head.hash, createdAt: now, publicKey: publicKey, signature: Hex.encode(signature))
    }

    public func all() throws -> [CheckpointRecord] { try store.all() }

    public struct Verification: Codable, Sendable {
        public var valid: Bool
        public var signatureValid: Bool
        public var chainMatches: Bool
        /// The server key the signature verified under (hex), nil when none of its keys signed it.
        public var signedBy: String?
        /// `current` for the key the server signs with now, `previous` for one it signed with before a rotation.
        public var signingKey: String?
        public var detail: String
    }

    /// The public keys this server has signed with: the current one and those of its stored checkpoints (which the
    /// server wrote itself when it signed them, so a rotated key stays trusted for the checkpoints it made).
    func trustedKeys() throws -> [(key: String, status: String)] {
        [(publicKey, "current")] + (try store.publicKeys()).filter { $0 != publicKey }.map { ($0, "previous") }
    }

    /// Checks a checkpoint (as the auditor kept it): its signature under one of this server's own keys (never under
    /// the key the checkpoint itself names, which anyone could replace along with the signature), and that the
    /// chain up to its position verifies and still ends in its hash, i.e. history before it was not rewritten.
    public func verify(_ checkpoint: CheckpointRecord) throws -> Verification {
        let message = Self.message(seq: checkpoint.seq, headHash: checkpoint.headHash, createdAt: checkpoint.createdAt)
        let signer = try Hex.decode(checkpoint.signature).flatMap { signature in
            try trustedKeys().first { candidate in
                Hex.decode(candidate.key).map { Ed25519.verify(signature: signature, message: message, publicKey: $0) } ?? false
            }
        }
        let signatureValid = signer != nil
        let chain = try audit.verify(from: 1, to: checkpoint.seq)
        let chainMatches = chain.isValid && chain.lastSeq == checkpoint.seq && chain.headHash == checkpoint.headHash
        let detail: String
        if !signatureValid {
            detail = "the signature does not verify under any key this server has signed with"
        } else if let broken = chain.firstBreak {
            detail = "the chain breaks at record \(broken.seq): \(broken.reason)"
        } else if !chainMatches {
            detail = "record \(checkpoint.seq) no longer has the signed hash: history before the checkpoint was rewritten"
        } else {
            detail = "the signature verifies under the server's \(signer?.status ?? "") key and the chain up to record \(checkpoint.seq) is unchanged"
        }
        return Verification(valid: signatureValid && chainMatches, signatureValid: signatureValid, chainMatches: chainMatches,
                            signedBy: signer?.key, signingKey: signer?.status, detail: detail)
    }
}
