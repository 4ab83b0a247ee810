import Foundation
import OpenSSLCrypto

/// The web console's files (`Console/Assets`), compiled into the binary by EmbedFilesPlugin and decoded once.
enum ConsoleAssets {
    struct Asset: Sendable {
        let data: Data
        let contentType: String
        /// A strong validator: the SHA-256 of the bytes, so a changed file is fetched again after an upgrade.
        let etag: String
    }

    static let byName: [String: Asset] = {
        var assets: [String: Asset] = [:]
        for file in embeddedFiles {
            guard let data = Data(base64Encoded: file.base64) else { continue }
            assets[file.name] = Asset(data: data, contentType: contentType(of: file.name), etag: "\"" + SHA256.hex(data).prefix(32) + "\"")
        }
        return assets
    }()

    private static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        default: "application/octet-stream"
        }
    }
}
