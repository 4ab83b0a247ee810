import Foundation
import OpenSSLCrypto

/// The public keys a checkpoint may be signed with, all from outside the database: the signing key's own public half
/// and the keys listed in a trusted-keys file (keys rotated out, or the keys of other replicas). Whoever can write
/// the database can insert a checkpoint signed with a key of their own; they cannot make that key trusted without
/// also writing the key files, which the deployment keeps where the database writer has no access.
///
/// The trusted-keys file holds one hex Ed25519 public key per line; anything after a `#` is a comment (who held the
/// key, when it was rotated out), and blank lines are skipped.
public struct CheckpointTrust: Sendable {
    public struct Key: Sendable, Equatable {
        /// Hex Ed25519 public key.
        public var publicKey: String
        /// `current` for the key this server signs with, `previous` for one from the trusted-keys file.
        public var status: String

        public init(publicKey: String, status: String) {
            self.publicKey = publicKey
            self.status = status
        }

        /// The first 16 hex digits of the SHA-256 of the key's 32 bytes: what `/readyz` and the docs show, short enough to compare by eye.
        public var fingerprint: String { String(SHA256.hex(Data(Hex.decode(publicKey) ?? [])).prefix(16)) }
    }

    public let keys: [Key]

    public init(current: String?, previous: [String]) {
        var keys = current.map { [Key(publicKey: $0, status: "current")] } ?? []
        for key in previous where !keys.contains(where: { $0.publicKey == key }) {
            keys.append(Key(publicKey: key, status: "previous"))
        }
        self.keys = keys
    }

    /// Reads a trusted-keys file; a line that is not a 32-byte hex key is an error naming the line.
    public static func readKeys(_ url: URL) throws -> [String] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw CryptoError(description: "cannot read the trusted checkpoint keys file \(url.path): \(error.localizedDescription)")
        }
        var keys: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let key = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?
                .trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            if key.isEmpty { continue }
            guard Hex.decode(key)?.count == 32 else {
                throw CryptoError(description: "\(url.path) line \(number + 1): not a hex Ed25519 public key (64 hex digits)")
            }
            keys.append(key)
        }
        return keys
    }

    /// The trusted key `signature` verifies `message` under, if any.
    func signer(of message: [UInt8], signature: String) -> Key? {
        guard let signature = Hex.decode(signature) else { return nil }
        return keys.first { key in
            Hex.decode(key.publicKey).map { Ed25519.verify(signature: signature, message: message, publicKey: $0) } ?? false
        }
    }

    /// `current 1a2b…, previous 3c4d…`: the fingerprints `/readyz` shows.
    public var summary: String {
        keys.isEmpty ? "none" : keys.map { "\($0.status) \($0.fingerprint)" }.joined(separator: ", ")
    }
}
