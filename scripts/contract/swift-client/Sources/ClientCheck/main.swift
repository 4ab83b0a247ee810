import Foundation
import HTTPTypes
import OpenAPIRuntime
import OpenAPIURLSession

/// Drives a running Clearance with the generated client: a typed screen, then a reviewer's typed disposition.
/// Usage: ClientCheck URL SCREEN_KEY REVIEW_KEY. Exits 1 with the reason when a call does not answer as typed.

/// The API key as a bearer token on every request.
struct BearerKey: ClientMiddleware {
    let key: String

    func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(key)"
        return try await next(request, body, baseURL)
    }
}

func client(_ url: URL, key: String) -> Client {
    // The one line a Swift client needs: Clearance's date-times carry milliseconds.
    Client(serverURL: url, configuration: .init(dateTranscoder: .iso8601WithFractionalSeconds), transport: URLSessionTransport(),
           middlewares: [BearerKey(key: key)])
}

func fail(_ reason: String) -> Never {
    FileHandle.standardError.write(Data("swift client: \(reason)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let url = URL(string: arguments[1]) else { fail("usage: ClientCheck URL SCREEN_KEY REVIEW_KEY") }

let screened = try await client(url, key: arguments[2]).screen(body: .json(.init(name: "Hangzhou Hikvision Digital Technology Co., Ltd.")))
guard case .ok(let answer) = screened, case .json(let record) = answer.body else { fail("POST /screen answered \(screened)") }
guard record.decision != .clear, let match = record.matches.first else { fail("expected a match to review, got \(record.decision)") }

let disposed = try await client(url, key: arguments[3]).recordDispositions(
    path: .init(id: record.decisionId),
    body: .json(.init(matches: [.true_match(.init(list: match.list, entryId: match.entryId, disposition: .true_match,
                                                            note: "The listed company itself"))])))
guard case .created(let created) = disposed, case .json(let review) = created.body else { fail("POST /decisions/{id}/dispositions answered \(disposed)") }
print("swift client: screened \(record.decisionId) (\(record.decision.rawValue)), disposed \(match.list):\(match.entryId): \(review.state.rawValue)")
