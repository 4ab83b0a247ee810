import Foundation
import HTTPServer
import Store

/// Alerts raised by re-screens: list (reviewers, auditors, admins, procurement systems) and acknowledge (review or
/// admin role, recorded in the trail).
struct AlertRoutes {
    let alerts: AlertService
    let auth: Authenticator

    func register(on router: inout Router) {
        router.keyed(auth: auth, roles: [.review, .admin, .audit, .screen]) { routes in
            routes.add("GET", "/alerts") { [alerts] request, _ in
                var filter = AlertFilter()
                if let state = request.queryValue("state") {
                    guard ["open", "acknowledged"].contains(state) else { throw ServiceError.invalidParameter("state", reason: "open or acknowledged") }
                    filter.state = state
                }
                filter.list = request.queryValue("list")
                filter.counterpartyID = request.queryValue("counterpartyId")
                filter.since = try request.timestampQuery("since")
                let limit = try request.intQuery("limit", default: 100, range: 1...1000)
                let newestFirst = try DecisionRoutes.newestFirst(request)
                let cursor = try request.optionalIntQuery("cursor", range: 0...Int.max)
                let (page, next) = try alerts.page(filter, newestFirst: newestFirst, after: cursor, limit: limit)
                return try JSON.response(AlertPage(alerts: page, nextCursor: next.map(String.init)))
            }
            routes.add("GET", "/alerts/{id}") { [alerts] request, _ in
                try JSON.response(try alerts.find(id: request.parameter("id")))
            }
            routes.add("POST", "/alerts/{id}/acknowledge", roles: [.review, .admin], options: RouteOptions(maxBodyBytes: 32 * 1024)) { [alerts] request, principal in
                let body = request.body.count == 0 ? Acknowledgement() : try JSON.decode(Acknowledgement.self, from: request)
                if let note = body.note, note.unicodeScalars.count > 2000 { throw ServiceError.invalidField(pointer: "/note", reason: "at most 2000 characters") }
                return try JSON.response(try alerts.acknowledge(id: request.parameter("id"), note: body.note, actor: principal))
            }
        }
    }

    struct Acknowledgement: Decodable {
        var note: String?
    }

    struct AlertPage: Encodable {
        var alerts: [AlertView]
        var nextCursor: String?
    }
}
