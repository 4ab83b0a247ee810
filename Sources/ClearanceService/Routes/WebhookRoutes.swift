import Foundation
import HTTPServer
import Store

/// Webhook registration (admin) and the delivery log.
struct WebhookRoutes {
    let webhooks: WebhookService
    let auth: Authenticator

    func register(on router: inout Router) {
        router.keyed(auth: auth, roles: [.admin]) { routes in
            routes.add("POST", "/webhooks", options: RouteOptions(maxBodyBytes: 8192)) { [webhooks] request, principal in
                let created = try webhooks.create(try JSON.decode(WebhookService.Registration.self, from: request), actor: principal)
                var response = try JSON.response(created, status: .created)
                response.headers["Location"] = "/webhooks/\(created.id)"
                return response
            }
            routes.add("GET", "/webhooks") { [webhooks] _, _ in
                try JSON.response(["webhooks": try webhooks.list()])
            }
            routes.add("DELETE", "/webhooks/{id}") { [webhooks] request, principal in
                try webhooks.delete(id: request.parameter("id"), actor: principal)
                return HTTPResponse(status: .noContent)
            }
            routes.add("GET", "/webhooks/{id}/deliveries") { [webhooks] request, _ in
                let limit = try request.intQuery("limit", default: 100, range: 1...1000)
                let cursor = try request.optionalIntQuery("cursor", range: 0...Int.max)
                let (page, next) = try webhooks.deliveries(webhookID: request.parameter("id"), before: cursor, limit: limit)
                return try JSON.response(DeliveryPage(deliveries: page, nextCursor: next.map(String.init)))
            }
        }
    }

    struct DeliveryPage: Encodable {
        var deliveries: [DeliveryView]
        var nextCursor: String?
    }
}
