import Foundation
import HTTPServer
import Store

/// Chain verification and signed checkpoints (audit role; admins may also take checkpoints).
struct AuditRoutes {
    let audit: AuditTrail
    let checkpoints: Checkpoints
    let auth: Authenticator

    struct VerifyBody: Codable {
        var valid: Bool
        var checked: Int
        var firstSeq: Int?
        var lastSeq: Int?
        var headHash: String?
        var firstBreak: BreakBody?
        /// The stored checkpoints, each checked against the trusted keys and the chain as it is now.
        var checkpoints: CheckpointVerifier.StoredVerification
    }

    struct BreakBody: Codable {
        var seq: Int
        var id: String?
        var reason: String
    }

    struct CheckpointList: Codable {
        var publicKey: String
        var checkpoints: [CheckpointRecord]
    }

    func register(on router: inout Router) {
        router.keyed(auth: auth, roles: [.audit]) { routes in
            routes.add("GET", "/audit/verify") { [audit, checkpoints] request, _ in
                let from = try request.optionalIntQuery("from", range: 1...Int.max)
                let to = try request.optionalIntQuery("to", range: 1...Int.max)
                let result = try audit.verify(from: from, to: to)
                let stored = try checkpoints.verifier.verifyStored()
                return try JSON.response(VerifyBody(
                    valid: result.isValid && stored.firstFailure == nil, checked: result.checked, firstSeq: result.firstSeq, lastSeq: result.lastSeq,
                    headHash: result.headHash, firstBreak: result.firstBreak.map { BreakBody(seq: $0.seq, id: $0.id, reason: $0.reason) },
                    checkpoints: stored))
            }
            routes.add("POST", "/audit/checkpoints", roles: [.audit, .admin], options: RouteOptions(maxBodyBytes: 4096)) { [checkpoints] request, _ in
                guard let checkpoint = try checkpoints.create() else {
                    throw HTTPError(.conflict, detail: "the audit trail is empty; there is nothing to sign")
                }
                return try JSON.response(checkpoint, status: .created)
            }
            routes.add("GET", "/audit/checkpoints") { [checkpoints] request, _ in
                return try JSON.response(CheckpointList(publicKey: checkpoints.publicKey, checkpoints: try checkpoints.all()))
            }
            routes.add("POST", "/audit/checkpoints/verify", options: RouteOptions(maxBodyBytes: 16 * 1024)) { [checkpoints] request, _ in
                let checkpoint = try JSON.decode(CheckpointRecord.self, from: request)
                guard checkpoint.seq >= 1 else { throw JSON.invalid(pointer: "/seq", "a chain position, 1 or more") }
                guard checkpoint.id >= 0 else { throw JSON.invalid(pointer: "/id", "0 or more") }
                return try JSON.response(try checkpoints.verifier.verify(checkpoint))
            }
        }
    }
}
