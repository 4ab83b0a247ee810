import Foundation
import HTTPServer
import Store

/// `POST /keys`, `GET /keys`, `DELETE /keys/{id}` for admins.
struct KeyRoutes {
    let keys: APIKeyService
    let auth: Authenticator

    struct CreateRequest: Decodable {
        var name: String?
        var roles: [String]
        var owner: String?
    }

    struct KeyBody: Codable {
        var id: String
        var name: String
        var roles: [String]
        var createdAt: String
        var createdBy: String?
        var revokedAt: String?
        var owner: String?
        /// Present only in the creation response.
        var key: String?

        init(_ record: APIKeyRecord, key: String? = nil) {
            id = record.id
            name = record.name
            roles = record.roles
            createdAt = record.createdAt
            createdBy = record.createdBy
            revokedAt = record.revokedAt
            owner = record.owner
            self.key = key
        }
    }

    struct CurrentKey: Encodable {
        var keyId: String
        var name: String
        var roles: [Role]
    }

    func register(on router: inout Router) {
        router.keyed(auth: auth, roles: [.admin]) { routes in
            routes.add("POST", "/keys", options: RouteOptions(maxBodyBytes: 16 * 1024)) { [keys] request, principal in
                let body = try JSON.decode(CreateRequest.self, from: request)
                guard !body.roles.isEmpty else { throw JSON.invalid(pointer: "/roles", "at least one role is required") }
                var roles: [Role] = []
                for (index, name) in body.roles.enumerated() {
                    guard let role = Role(rawValue: name) else {
                        throw JSON.invalid(pointer: "/roles/\(index)", "unknown role \(name); expected one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    if !roles.contains(role) { roles.append(role) }
                }
                let name = body.name ?? "unnamed"
                guard name.count <= 200 else { throw JSON.invalid(pointer: "/name", "at most 200 characters") }
                if let owner = body.owner, !ScreenRequest.hasNonSpace(owner) || owner.unicodeScalars.count > 200 {
                    throw JSON.invalid(pointer: "/owner", "the person or system holding the key: 1 to 200 characters, not blank")
                }
                let created = try keys.create(name: name, roles: roles, owner: body.owner, createdBy: principal.keyID, actor: principal)
                var response = try JSON.response(KeyBody(created.record, key: created.key), status: .created)
                response.headers["Location"] = "/keys/\(created.record.id)"
                response.headers["Cache-Control"] = "no-store"
                return response
            }
            routes.add("GET", "/keys") { [keys] request, _ in
                return try JSON.response(["keys": try keys.list().map { KeyBody($0) }])
            }
            // Who the caller is: the console shows only what these roles allow.
            routes.add("GET", "/keys/current", roles: Role.allCases) { _, principal in
                try JSON.response(CurrentKey(keyId: principal.keyID, name: principal.name, roles: principal.roles))
            }
            routes.add("DELETE", "/keys/{id}") { [keys] request, principal in
                guard try keys.revoke(id: request.parameter("id"), actor: principal) else {
                    throw ServiceError.notFound("an active key \(request.parameter("id"))")
                }
                return HTTPResponse(status: .noContent)
            }
        }
    }
}
