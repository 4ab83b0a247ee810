import Foundation
import HTTPServer

/// `GET /policy` (admin, audit, review) and `PUT /policy` (admin): the screening policy in force.
struct PolicyRoutes {
    let policies: PolicyService
    let auth: Authenticator

    struct PolicyBody: Codable {
        var version: Int
        var policy: Policy
    }

    func register(on router: inout Router) {
        router.add("GET", "/policy", roles: [.admin, .audit, .review], auth: auth) { [policies] request, _ in
            let (version, policy) = try policies.current()
            return try JSON.response(PolicyBody(version: version, policy: policy))
        }
        router.add("GET", "/policy/versions/{version}", roles: [.admin, .audit, .review], auth: auth) { [policies] request, _ in
            guard let number = Int(request.parameter("version")), let policy = try policies.version(number) else {
                throw ServiceError.notFound("policy version \(request.parameter("version"))")
            }
            return try JSON.response(PolicyBody(version: number, policy: policy))
        }
        router.add("PUT", "/policy", roles: [.admin], auth: auth, options: RouteOptions(maxBodyBytes: 256 * 1024)) { [policies] request, principal in
            let policy = try JSON.decode(Policy.self, from: request)
            let (version, stored) = try policies.replace(policy, actor: principal)
            return try JSON.response(PolicyBody(version: version, policy: stored))
        }
    }
}
