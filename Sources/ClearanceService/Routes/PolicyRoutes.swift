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
        router.keyed(auth: auth, roles: [.admin, .audit, .review]) { routes in
            routes.add("GET", "/policy") { [policies] request, _ in
                let (version, policy) = try policies.current()
                return try JSON.response(PolicyBody(version: version, policy: policy))
            }
            routes.add("GET", "/policy/versions/{version}") { [policies] request, _ in
                guard let number = Int(request.parameter("version")), let policy = try policies.version(number) else {
                    throw ServiceError.notFound("policy version \(request.parameter("version"))")
                }
                return try JSON.response(PolicyBody(version: number, policy: policy))
            }
            // The members sent replace those in force, the rest are kept: `{"profile": "us-federal-contractor"}` switches
            // the profile alone; a member sent as null is removed (`falsePositiveExpiryDays`: no expiry).
            routes.add("PUT", "/policy", roles: [.admin], options: RouteOptions(maxBodyBytes: 256 * 1024)) { [policies] request, principal in
                guard case .object(let sent) = try JSON.decode(JSONValue.self, from: request) else {
                    throw JSON.invalid(pointer: "", "a policy object")
                }
                let inForce = try JSON.decode(JSONValue.self, from: try JSON.encoder().encode(policies.current().policy), preflight: false)
                guard case .object(var merged) = inForce else { throw JSON.invalid(pointer: "", "a policy object") }
                for (member, value) in sent { merged[member] = value == .null ? nil : value }
                let policy = try JSON.decode(Policy.self, from: try JSON.encoder().encode(JSONValue.object(merged)), preflight: false)
                let (version, stored) = try policies.replace(policy, actor: principal)
                return try JSON.response(PolicyBody(version: version, policy: stored))
            }
        }
    }
}
