import Foundation
import HTTPServer
import Store

/// Reviewers' work: dispositions of a decision's matches (review role, recorded in the trail) and the review queue
/// (review and audit roles).
struct ReviewRoutes {
    let reviews: ReviewService
    let auth: Authenticator

    func register(on router: inout Router) {
        router.keyed(auth: auth, roles: [.review, .audit]) { routes in
            routes.add("POST", "/decisions/{id}/dispositions", roles: [.review], options: RouteOptions(maxBodyBytes: 512 * 1024)) { [reviews] request, principal in
                let body = try JSON.decode(DispositionRequest.self, from: request)
                return try JSON.response(try reviews.dispose(decisionID: request.parameter("id"), body, actor: principal), status: .created)
            }
            routes.add("GET", "/decisions/{id}/dispositions") { [reviews] request, _ in
                try JSON.response(try reviews.review(decisionID: request.parameter("id")))
            }
            routes.add("GET", "/reviews") { [reviews] request, _ in
                var filter = ReviewFilter()
                if let state = request.queryValue("state") {
                    guard ["open", "awaiting_second_review", "resolved"].contains(state) else {
                        throw ServiceError.invalidParameter("state", reason: "open, awaiting_second_review or resolved")
                    }
                    filter.state = state
                }
                filter.list = request.queryValue("list")
                filter.sourceList = request.queryValue("sourceList")
                filter.counterpartyID = request.queryValue("counterpartyId")
                let limit = try request.intQuery("limit", default: 50, range: 1...500)
                let cursor = try request.optionalIntQuery("cursor", range: 0...Int.max)
                let (items, next, counts) = try reviews.queue(filter, after: cursor, limit: limit)
                return try JSON.response(ReviewPage(reviews: items, nextCursor: next.map(String.init), counts: Counts(counts)))
            }
        }
    }

    struct ReviewPage: Encodable {
        var reviews: [ReviewItemView]
        var nextCursor: String?
        var counts: Counts
    }

    /// The dashboard's figures, whatever the filter.
    struct Counts: Encodable {
        var open: Int
        var awaitingSecondReview: Int
        var resolved: Int

        init(_ byState: [String: Int]) {
            open = byState["open"] ?? 0
            awaitingSecondReview = byState["awaiting_second_review"] ?? 0
            resolved = byState["resolved"] ?? 0
        }
    }
}
