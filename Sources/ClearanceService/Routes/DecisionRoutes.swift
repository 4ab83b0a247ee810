import Foundation
import HTTPServer
import Store

/// The decision history for auditors (audit role): search, one record with its chain position, streamed export,
/// and replay against the list versions and policy a decision used.
struct DecisionRoutes {
    let decisions: any DecisionStore
    let replay: ReplayService
    let auth: Authenticator
    let exports: ExportSlots

    func register(on router: inout Router) {
        router.keyed(auth: auth, roles: [.audit]) { routes in
            routes.add("GET", "/decisions") { [decisions] request, _ in
                let filter = try Self.filter(request)
                let limit = try request.intQuery("limit", default: 100, range: 1...1000)
                let newestFirst = try Self.newestFirst(request)
                let cursor = try request.optionalIntQuery("cursor", range: 0...Int.max)
                let page = try KeysetPage(limit: limit) { try decisions.search(filter, newestFirst: newestFirst, after: cursor, limit: $0) }
                return try JSON.response(DecisionPage(decisions: try page.rows.map(Self.summary), nextCursor: page.next { String($0.seq) }))
            }
            routes.add("GET", "/decisions/export") { [decisions, exports] request, principal in
                let filter = try Self.filter(request)
                let newestFirst = try Self.newestFirst(request)
                let format = request.queryValue("format") ?? "ndjson"
                guard format == "ndjson" || format == "csv" else { throw ServiceError.invalidParameter("format", reason: "csv or ndjson") }
                let slot = try exports.take(for: principal.keyID)
                var response = HTTPResponse.stream(contentType: format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson") { writer in
                    withExtendedLifetime(slot) {}
                    if format == "csv" { try writer.write(DecisionCSV.header) }
                    let decoder = JSONDecoder()
                    // One row at a time from the database to the socket: memory stays flat for any number of records.
                    try decisions.forEach(filter, newestFirst: newestFirst) { hit in
                        if format == "csv" {
                            try writer.write(try DecisionCSV.row(hit, decoder: decoder))
                        } else {
                            try writer.write(hit.body)
                            try writer.write("\n")
                        }
                        return true
                    }
                }
                response.headers["Content-Disposition"] = "attachment; filename=\"decisions.\(format)\""
                return response
            }
            // Reviewers read the decision they dispose of: its matches, their explanations and evidence.
            routes.add("GET", "/decisions/{id}", roles: [.audit, .review]) { [decisions] request, _ in
                guard let hit = try decisions.find(id: request.parameter("id")) else { throw ServiceError.notFound("decision \(request.parameter("id"))") }
                let record = try DecisionRecord.stored(hit)
                return try JSON.response(FullDecision(record: record, chain: ChainPosition(seq: hit.seq, hash: hit.hash, prevHash: hit.prevHash)))
            }
            routes.add("POST", "/decisions/{id}/replay", options: RouteOptions(maxBodyBytes: 4096)) { [replay] request, _ in
                return try JSON.response(try replay.replay(decisionID: request.parameter("id")))
            }
        }
    }

    static func newestFirst(_ request: HTTPRequest) throws -> Bool {
        switch request.queryValue("order") ?? "newest" {
        case "newest": return true
        case "oldest": return false
        default: throw ServiceError.invalidParameter("order", reason: "newest or oldest")
        }
    }

    static func filter(_ request: HTTPRequest) throws -> DecisionFilter {
        var filter = DecisionFilter()
        filter.from = try request.timestampQuery("from")
        filter.to = try request.timestampQuery("to")
        if let decision = request.queryValue("decision") {
            guard Outcome(rawValue: decision) != nil else { throw ServiceError.invalidParameter("decision", reason: "clear, review or block") }
            filter.decision = decision
        }
        filter.list = request.queryValue("list")
        if request.queryValue("listVersion") != nil {
            guard filter.list != nil else { throw ServiceError.invalidParameter("listVersion", reason: "needs list") }
            filter.listVersion = try request.intQuery("listVersion", default: 0, range: 1...Int.max)
        }
        filter.policyVersion = try request.optionalIntQuery("policyVersion", range: 1...Int.max)
        filter.entryID = request.queryValue("entryId")
        filter.keyID = request.queryValue("keyId")
        filter.reference = request.queryValue("reference")
        filter.text = request.queryValue("q").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        return filter
    }

    static func summary(_ hit: DecisionHit) throws -> DecisionSummary {
        let record = try DecisionRecord.stored(hit)
        return DecisionSummary(
            decisionId: record.decisionId, seq: hit.seq, screenedAt: record.screenedAt, decision: record.decision, reference: record.reference,
            name: record.request["name"]?.stringValue ?? "", caller: record.caller, matchCount: record.matches.count,
            topMatch: record.matches.first.map { TopMatch(list: $0.list, entryId: $0.entryId, name: $0.name, score: $0.score) },
            listVersions: record.listVersions, policyVersion: record.policyVersion, engineVersion: record.engineVersion,
            counterpartyId: record.counterpartyId, trigger: record.trigger)
    }

    struct TopMatch: Codable {
        var list: String
        var entryId: String
        var name: String
        var score: Double
    }

    struct DecisionSummary: Codable {
        var decisionId: String
        var seq: Int
        var screenedAt: String
        var decision: Outcome
        var reference: String?
        var name: String
        var caller: DecisionRecord.CallerRef
        var matchCount: Int
        var topMatch: TopMatch?
        var listVersions: [ListVersionUsed]
        var policyVersion: Int
        var engineVersion: String
        var counterpartyId: String?
        var trigger: DecisionRecord.RescreenTrigger?
    }

    struct DecisionPage: Codable {
        var decisions: [DecisionSummary]
        var nextCursor: String?
    }

    struct ChainPosition: Codable {
        var seq: Int
        var hash: String
        var prevHash: String
    }

    struct FullDecision: Codable {
        var record: DecisionRecord
        var chain: ChainPosition
    }
}

/// CSV rows of the decision history (RFC 4180 quoting).
enum DecisionCSV {
    static let header = "decision_id,seq,screened_at,decision,reference,name,caller_key_id,caller_name,policy_version,engine_version,list_versions,match_count,top_list,top_entry_id,top_name,top_score,hash\r\n"

    static func row(_ hit: DecisionHit, decoder: JSONDecoder) throws -> String {
        let record = try DecisionRecord.stored(hit, decoder: decoder)
        let top = record.matches.first
        let fields: [String] = [
            record.decisionId, String(hit.seq), record.screenedAt, record.decision.rawValue, record.reference ?? "",
            record.request["name"]?.stringValue ?? "", record.caller.keyId, record.caller.name, String(record.policyVersion), record.engineVersion,
            record.listVersions.map { "\($0.list):\($0.version)" }.joined(separator: ";"), String(record.matches.count), top?.list ?? "",
            top?.entryId ?? "", top?.name ?? "", top.map { String($0.score) } ?? "", hit.hash,
        ]
        return fields.map(quote).joined(separator: ",") + "\r\n"
    }

    /// Quotes a field, first neutralising one a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or carriage
    /// return at its start; OWASP's CSV injection guidance): names and references come from callers and list files.
    static func quote(_ raw: String) -> String {
        let field = raw.first.map { "=+-@\t\r".contains($0) } == true ? "'" + raw : raw
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
