import COpenSSL
import Foundation

public struct CryptoError: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) {
        self.description = description
    }
}

/// An Ed25519 signing key (OpenSSL), kept as its 32-byte raw seed outside the database.
public final class Ed25519SigningKey: @unchecked Sendable {
    private let key: OpaquePointer

    public static func generate() throws -> Ed25519SigningKey {
        try Ed25519SigningKey(seed: SecureRandom.bytes(32))
    }

    public init(seed: [UInt8]) throws {
        guard seed.count == 32, let key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, seed, 32) else {
            throw CryptoError(description: "an Ed25519 seed is 32 bytes")
        }
        self.key = key
    }

    deinit { EVP_PKEY_free(key) }

    public var seed: [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length = 32
        EVP_PKEY_get_raw_private_key(key, &out, &length)
        return out
    }

    public var publicKey: [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length = 32
        EVP_PKEY_get_raw_public_key(key, &out, &length)
        return out
    }

    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        guard let ctx = EVP_MD_CTX_new() else { throw CryptoError(description: "out of memory") }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestSignInit(ctx, nil, nil, nil, key) == 1 else { throw CryptoError(description: "EVP_DigestSignInit failed") }
        var signature = [UInt8](repeating: 0, count: 64)
        var length = 64
        guard EVP_DigestSign(ctx, &signature, &length, message, message.count) == 1 else {
            throw CryptoError(description: "EVP_DigestSign failed")
        }
        return signature
    }
}

public enum Ed25519 {
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard publicKey.count == 32, signature.count == 64,
              let key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, publicKey, 32) else { return false }
        defer { EVP_PKEY_free(key) }
        guard let ctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestVerifyInit(ctx, nil, nil, nil, key) == 1 else { return false }
        return EVP_DigestVerify(ctx, signature, signature.count, message, message.count) == 1
    }
}
