import Foundation
import Logging
import OpenSSLCrypto
import Store

/// Signs the audit chain's head with an Ed25519 key kept in a file outside the database, publishes each checkpoint
/// where the database cannot reach it (the log, and every webhook as an `audit.checkpoint` event), and verifies
/// checkpoints against the keys of `CheckpointTrust`.
public final class Checkpoints: Sendable {
    private let store: any CheckpointStore
    private let audit: any AuditLogStore
    private let key: Ed25519SigningKey
    public let verifier: CheckpointVerifier
    private let logger: Logger
    /// Seconds a checkpoint's webhook deliveries are tried before they are given up.
    private let webhookGiveUpAfter: Double

    /// `trustedKeysFile`: further public keys checkpoints may be signed with (see `CheckpointTrust`); nil for none.
    public init(store: any CheckpointStore, audit: any AuditLogStore, keyFile: URL, trustedKeysFile: URL?, logger: Logger,
                webhookGiveUpAfter: Double) throws {
        self.store = store
        self.audit = audit
        self.logger = logger
        self.webhookGiveUpAfter = webhookGiveUpAfter
        key = try Self.loadOrCreate(keyFile)
        let previous = try trustedKeysFile.map(CheckpointTrust.readKeys) ?? []
        verifier = CheckpointVerifier(store: store, audit: audit,
                                      trust: CheckpointTrust(current: Hex.encode(key.publicKey), previous: previous))
    }

    public var publicKey: String { Hex.encode(key.publicKey) }

    /// The 32-byte seed, hex, in a file readable by its owner only; created on first use.
    public static func loadOrCreate(_ url: URL) throws -> Ed25519SigningKey {
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

    /// Signs the current head (nil when the trail is empty) and writes the whole checkpoint to the log: a copy
    /// outside the database, which a later rewrite of the database cannot reach.
    public func create() throws -> CheckpointRecord? {
        guard let head = try audit.head() else { return nil }
        let now = Timestamp.now()
        let signature = try key.sign(Self.message(seq: head.seq, headHash: head.hash, createdAt: now))
        let giveUpAt = Date().timeIntervalSince1970 + webhookGiveUpAfter
        let checkpoint = try store.insert(seq: head.seq, headHash: head.hash, createdAt: now, publicKey: publicKey,
                                          signature: Hex.encode(signature)) { checkpoint in
            let body = String(decoding: try JSON.encoder().encode(CheckpointEvent(checkpoint)), as: UTF8.self)
            return WebhookEvent(event: WebhookEvent.checkpoint, reference: "chk_\(checkpoint.id)", payload: body, createdAt: now, giveUpAt: giveUpAt)
        }
        logger.notice("audit checkpoint signed", metadata: [
            "seq": .stringConvertible(checkpoint.seq), "headHash": .string(checkpoint.headHash), "createdAt": .string(checkpoint.createdAt),
            "publicKey": .string(checkpoint.publicKey), "signature": .string(checkpoint.signature),
        ])
        return checkpoint
    }

    public func all() throws -> [CheckpointRecord] { try store.all() }
}

/// The body of an `audit.checkpoint` webhook delivery: the checkpoint as `GET /audit/checkpoints` lists it, with
/// the event's name, so a receiver that keeps it can later check the trail with `clearance verify --checkpoint`.
struct CheckpointEvent: Encodable {
    let checkpoint: CheckpointRecord

    init(_ checkpoint: CheckpointRecord) { self.checkpoint = checkpoint }

    private enum Key: String, CodingKey { case event }

    func encode(to encoder: any Encoder) throws {
        try checkpoint.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(WebhookEvent.checkpoint, forKey: .event)
    }
}

/// Verifies checkpoints, kept by an auditor or stored in the database, against trusted keys only (never the key a
/// checkpoint names, and never a key found in the database). Needs no signing key: the command line verifies offline
/// with the public keys an auditor holds.
public struct CheckpointVerifier: Sendable {
    private let store: any CheckpointStore
    private let audit: any AuditLogStore
    public let trust: CheckpointTrust

    public init(store: any CheckpointStore, audit: any AuditLogStore, trust: CheckpointTrust) {
        self.store = store
        self.audit = audit
        self.trust = trust
    }

    public struct Verification: Codable, Sendable {
        public var valid: Bool
        public var signatureValid: Bool
        public var chainMatches: Bool
        /// The trusted key the signature verified under (hex), nil when none did.
        public var signedBy: String?
        /// `current` for the key the server signs with now, `previous` for one from the trusted-keys file.
        public var signingKey: String?
        public var detail: String
    }

    /// Checks a checkpoint: its signature under a trusted key, and that the chain up to its position verifies and
    /// still ends in its hash, i.e. history before it was not rewritten.
    public func verify(_ checkpoint: CheckpointRecord) throws -> Verification {
        let signer = signer(of: checkpoint)
        let chain = try audit.verify(from: 1, to: checkpoint.seq)
        let chainMatches = chain.isValid && chain.lastSeq == checkpoint.seq && chain.headHash == checkpoint.headHash
        let detail: String
        if signer == nil {
            detail = "the signature does not verify under any trusted key (\(trust.summary)): the checkpoint was not made by this deployment"
        } else if let broken = chain.firstBreak {
            detail = "the chain breaks at record \(broken.seq): \(broken.reason)"
        } else if !chainMatches {
            detail = "record \(checkpoint.seq) no longer has the signed hash: history before the checkpoint was rewritten"
        } else {
            detail = "the signature verifies under the \(signer?.status ?? "") key \(signer?.fingerprint ?? "") and the chain up to record \(checkpoint.seq) is unchanged"
        }
        return Verification(valid: signer != nil && chainMatches, signatureValid: signer != nil, chainMatches: chainMatches,
                            signedBy: signer?.publicKey, signingKey: signer?.status, detail: detail)
    }

    /// The trusted key a checkpoint's signature verifies under, if any.
    private func signer(of checkpoint: CheckpointRecord) -> CheckpointTrust.Key? {
        trust.signer(of: Checkpoints.message(seq: checkpoint.seq, headHash: checkpoint.headHash, createdAt: checkpoint.createdAt),
                     signature: checkpoint.signature)
    }

    /// What the stored checkpoints say of the chain.
    public struct StoredVerification: Codable, Sendable {
        public var checked: Int
        /// The last position a checkpoint under a trusted key vouches for, nil when none does.
        public var vouchedUpTo: Int?
        /// The first stored checkpoint that fails, with why: a forged or foreign signature, or a rewritten chain.
        public var firstFailure: Failure?

        public struct Failure: Codable, Sendable {
            public var id: Int
            public var seq: Int
            public var detail: String
        }
    }

    /// Checks every checkpoint the database holds: each must be signed by a trusted key and name the hash its record
    /// has now. Whether the chain itself links up is the caller's walk (`AuditTrail.verify`), done once for all.
    public func verifyStored() throws -> StoredVerification {
        var result = StoredVerification(checked: 0)
        for checkpoint in try store.all() {
            result.checked += 1
            let failure: String?
            if signer(of: checkpoint) == nil {
                failure = "signed by a key that is not trusted (\(String(checkpoint.publicKey.prefix(16)))…): a checkpoint this deployment did not make"
            } else if try audit.record(seq: checkpoint.seq)?.hash != checkpoint.headHash {
                failure = "record \(checkpoint.seq) no longer has the signed hash: history before the checkpoint was rewritten"
            } else {
                failure = nil
                result.vouchedUpTo = max(result.vouchedUpTo ?? 0, checkpoint.seq)
            }
            if let failure, result.firstFailure == nil {
                result.firstFailure = .init(id: checkpoint.id, seq: checkpoint.seq, detail: failure)
            }
        }
        return result
    }
}
