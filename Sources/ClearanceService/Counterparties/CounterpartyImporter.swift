import Foundation

/// Screens an import's rows in batches, each row like a `POST /screen` of its own (validated alone, recorded with
/// its decision), and reports each row as it is done: one NDJSON line per row, then a summary line.
struct CounterpartyImporter {
    let screening: ScreeningService
    let metrics: Metrics
    /// Rows screened and committed together.
    var batchSize = 100

    struct Summary: Encodable {
        var rows = 0
        var screened = 0
        var failed = 0
        var decisions: [String: Int] = ["clear": 0, "review": 0, "block": 0]
        /// Why the import stopped early, when it did (the rows after were not screened).
        var stopped: String?
    }

    private struct RowResult: Encodable {
        var line: Int
        var counterpartyId: String?
        var decision: String?
        var decisionId: String?
        var error: RowError?
    }

    private struct RowError: Encodable {
        var pointer: String
        var detail: String
    }

    /// The few fields of a decision record a row's result names.
    private struct RecordedDecision: Decodable {
        var decisionId: String
        var decision: String
        var counterpartyId: String?
    }

    func run(_ rows: [CounterpartyImport.Row], caller: Principal, emit: (String) throws -> Void) throws -> Summary {
        var summary = Summary()
        let encoder = JSON.encoder()
        func report(_ result: RowResult) throws {
            try emit(String(decoding: try encoder.encode(result), as: UTF8.self))
        }
        for start in stride(from: 0, to: rows.count, by: batchSize) {
            var subjects: [(line: Int, subject: ScreeningService.Subject)] = []
            for row in rows[start..<min(rows.count, start + batchSize)] {
                summary.rows += 1
                do {
                    let subject = try ScreenRoutes.subject(try row.body.get(), pointer: "")
                    guard subject.request.counterpartyId != nil else {
                        throw ServiceError.invalidField(pointer: "/counterpartyId", reason: "required in an import")
                    }
                    try screening.validate([subject]) { _ in "" }
                    subjects.append((row.line, subject))
                } catch let error as ServiceError {
                    summary.failed += 1
                    try report(RowResult(line: row.line, error: Self.rowError(error)))
                }
            }
            guard !subjects.isEmpty else { continue }
            let answer: ScreeningService.Answer
            do {
                answer = try Blocking.wait { done in
                    screening.screen(subjects.map(\.subject), batch: false, caller: caller, idempotencyKey: nil, completion: done)
                }
            } catch {
                summary.failed += subjects.count
                summary.stopped = "\(error)"
                return summary
            }
            let decoder = JSONDecoder()
            for (item, body) in zip(subjects, answer.records) {
                let recorded = try decoder.decode(RecordedDecision.self, from: Data(body.utf8))
                summary.screened += 1
                summary.decisions[recorded.decision, default: 0] += 1
                try report(RowResult(line: item.line, counterpartyId: recorded.counterpartyId, decision: recorded.decision, decisionId: recorded.decisionId))
            }
            metrics.increment("clearance_counterparty_import_rows_total", by: Double(subjects.count))
        }
        return summary
    }

    private static func rowError(_ error: ServiceError) -> RowError {
        if case .invalidField(let pointer, let reason) = error { return RowError(pointer: pointer, detail: reason) }
        return RowError(pointer: "", detail: error.description)
    }
}
