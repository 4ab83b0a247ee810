import Foundation
import OpenSSLCrypto
import Store

/// Idempotency keys being screened now by any replica sharing the database: a retry that reaches another replica
/// while its original is still being decided waits for it, then gets its decision, instead of deciding twice.
/// (Within one process `ScreeningService` waits on its own; this is the same rule across processes, as a lease per
/// key in the database.)
final class IdempotencyClaims: Sendable {
    private let leases: any LeaseStore
    /// Longer than any screening takes; a claim whose replica died is free again after it.
    private let duration: Double = 60
    /// How long a retry waits for its original before it is told to retry later.
    private let patience: Double = 30

    init(leases: any LeaseStore) {
        self.leases = leases
    }

    /// Claims `key` (the caller's key id and idempotency key), waiting while another replica holds it.
    func claim(_ key: String) throws {
        let deadline = Date().addingTimeInterval(patience)
        while try !leases.acquire(Self.name(key), holder: WorkLease.holder, for: duration) {
            guard Date() < deadline else {
                throw ServiceError.unavailable("a request with this Idempotency-Key is still being screened by another replica; retry shortly")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Gives the claim up once the decision is recorded (or failed); a release that fails leaves it to expire.
    func release(_ key: String) {
        try? leases.release(Self.name(key), holder: WorkLease.holder)
    }

    /// Hashed: idempotency keys are the caller's text, and lease names stay short and uniform.
    private static func name(_ key: String) -> String { "idempotency:" + SHA256.hex(key) }
}
