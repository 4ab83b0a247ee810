import HTTPServer

/// Problems the service raises in several places.
enum Problems {
    static func notFound(_ what: String) -> HTTPError {
        HTTPError(.notFound, detail: "\(what) does not exist")
    }

    static func badQuery(_ name: String, _ detail: String) -> HTTPError {
        HTTPError(.unprocessableContent, title: "Invalid query parameter", detail: "\(name): \(detail)",
                  type: "validation-error", extensions: ["parameter": .string(name)])
    }

    static func unavailable(_ detail: String) -> HTTPError {
        HTTPError(.serviceUnavailable, detail: detail, headers: HTTPHeaders([("Retry-After", "1")]))
    }
}
