import HTTPServer

/// Checks `Authorization: Bearer KEY` and the role a route needs: 401 without a valid key, 403 without the role,
/// 429 beyond the key's rate limit (and, for keyed routes, beyond its requests in flight; see `KeyConcurrency`).
public struct Authenticator: Sendable {
    let keys: APIKeyService
    let limiter: RateLimiter
    let concurrency: KeyConcurrency

    public func requireAny(_ roles: [Role], _ request: HTTPRequest) throws -> Principal {
        guard let header = request.headers["Authorization"], header.lowercased().hasPrefix("bearer ") else {
            throw unauthorized("an API key is required: Authorization: Bearer KEY")
        }
        let key = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, let principal = try keys.authenticate(key) else {
            throw unauthorized("the API key is unknown or revoked")
        }
        guard principal.roles.contains(where: roles.contains) else {
            throw ServiceError.forbidden("this key lacks the \(roles.map(\.rawValue).joined(separator: " or ")) role")
        }
        try limiter.take(principal.keyID)
        return principal
    }

    private func unauthorized(_ detail: String) -> ServiceError {
        .unauthenticated(detail)
    }
}

import Foundation
