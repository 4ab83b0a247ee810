import Foundation
import HTTPServer
import Store

/// Monitored counterparties: list, read with history, stop monitoring, import in bulk.
struct CounterpartyRoutes {
    let counterparties: CounterpartyService
    let importer: CounterpartyImporter
    let screening: ScreeningService
    let auth: Authenticator
    static let readers: [Role] = [.screen, .review, .audit, .admin]
    /// Room for tens of thousands of rows; the body is spooled to disk as it arrives.
    static let maxImportBytes = 64 * 1024 * 1024

    func register(on router: inout Router) {
        router.keyed(auth: auth, roles: [.screen, .admin]) { routes in
            routes.add("GET", "/counterparties", roles: Self.readers) { [counterparties] request, _ in
                var filter = CounterpartyFilter()
                if let decision = request.queryValue("decision") {
                    guard Outcome(rawValue: decision) != nil else { throw ServiceError.invalidParameter("decision", reason: "clear, review or block") }
                    filter.decision = decision
                }
                filter.list = request.queryValue("list")
                filter.changedSince = try request.timestampQuery("changedSince")
                let limit = try request.intQuery("limit", default: 100, range: 1...1000)
                let (page, next) = try counterparties.page(filter, after: request.queryValue("cursor"), limit: limit)
                return try JSON.response(CounterpartyPage(counterparties: page, nextCursor: next))
            }
            routes.add("GET", "/counterparties/{id}", roles: Self.readers) { [counterparties] request, _ in
                try JSON.response(try counterparties.detail(id: request.parameter("id")))
            }
            routes.add("DELETE", "/counterparties/{id}") { [counterparties] request, principal in
                try counterparties.delete(id: request.parameter("id"), actor: principal)
                return HTTPResponse(status: .noContent)
            }
            routes.add("POST", "/counterparties/import", roles: [.screen],
                       options: RouteOptions(maxBodyBytes: Self.maxImportBytes, spoolBodyToDisk: true)) { [importer, screening] request, principal in
                let rows = try CounterpartyImport.rows(try request.body.data(), contentType: request.headers["Content-Type"])
                // Refused whole (503) before the first row when nothing could be screened.
                try screening.activeCorpus()
                return .stream(contentType: "application/x-ndjson") { writer in
                    let summary = try importer.run(rows, caller: principal) { line in
                        try writer.write(line)
                        try writer.write("\n")
                    }
                    try writer.write(String(decoding: try JSON.encoder().encode(["summary": summary]), as: UTF8.self))
                    try writer.write("\n")
                }
            }
        }
    }

    struct CounterpartyPage: Encodable {
        var counterparties: [CounterpartyView]
        var nextCursor: String?
    }
}
