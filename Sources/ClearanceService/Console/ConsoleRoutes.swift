import Foundation
import HTTPServer

/// The web console under `/console/`: static files served from memory on the event loop. The page holds no data:
/// it signs in with an API key kept in the tab's memory and calls the API with it as the bearer header, so there is
/// no cookie to forge a request with. Every answer carries a strict Content-Security-Policy (scripts and styles from
/// this origin only, no inline script, no framing) and an ETag, and is revalidated on each load.
struct ConsoleRoutes {
    static let securityHeaders: [(String, String)] = [
        ("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]

    func register(on router: inout Router) {
        // `/console` and `/console/` are one path to the router; the page names its files by absolute path.
        router.get("/console", options: .eventLoop) { request in Self.serve("index.html", request) }
        router.get("/console/{asset}", options: .eventLoop) { request in Self.serve(request.pathParameters["asset"] ?? "", request) }
    }

    static func serve(_ name: String, _ request: HTTPRequest) -> HTTPResponse {
        guard let asset = ConsoleAssets.byName[name] else {
            var missing = HTTPResponse.text("no console file \(name)\n", status: .notFound)
            for (header, value) in securityHeaders { missing.headers[header] = value }
            return missing
        }
        var response: HTTPResponse
        if let tags = request.headers["If-None-Match"], tags.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == asset.etag }) {
            response = HTTPResponse(status: .notModified)
        } else {
            response = .data(asset.data, contentType: asset.contentType)
        }
        response.headers["ETag"] = asset.etag
        // Revalidated on every load (a 304 when unchanged): the files are not fingerprinted, and an upgraded server
        // must not run yesterday's script against today's API.
        response.headers["Cache-Control"] = "no-cache"
        for (header, value) in securityHeaders { response.headers[header] = value }
        return response
    }
}
