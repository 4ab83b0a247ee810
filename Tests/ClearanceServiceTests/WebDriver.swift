#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport

struct WebDriverError: Error, CustomStringConvertible {
    let description: String
}

/// A real Chromium, headless, driven over the W3C WebDriver protocol through Debian's `chromedriver` on a loopback
/// port. Only the commands the console tests use.
final class WebDriver {
    static let chromedriver = "/usr/bin/chromedriver"
    static let chromium = "/usr/bin/chromium"

    /// Why the browser tests cannot run here, or nil when they can. CI (`.ci/run`) installs both packages and sets
    /// `CLEARANCE_REQUIRE_BROWSER`, so there a missing browser fails the suite instead of skipping it.
    static var unavailable: String? {
        let missing = [chromedriver, chromium].filter { !FileManager.default.isExecutableFile(atPath: $0) }
        return missing.isEmpty ? nil : "needs Debian's chromium and chromium-driver (missing \(missing.joined(separator: ", ")))"
    }

    static var required: Bool { ProcessInfo.processInfo.environment["CLEARANCE_REQUIRE_BROWSER"] != nil }

    private let process = Process()
    private let port: Int
    /// The path of the browser this driver started: WebDriver's commands for it live under it.
    private var browserPath = ""
    /// Where W3C WebDriver starts a browser and keeps its commands (the protocol's own name for the path).
    private static let browsersPath = "/session"

    init(width: Int = 1280, height: Int = 900) throws {
        port = try LoopbackPort.free()
        process.executableURL = URL(fileURLWithPath: Self.chromedriver)
        process.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        _ = eventually(timeout: 20) { ((try? self.call("GET", "/status"))?["value"] as? [String: Any])?["ready"] as? Bool == true }
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": [
                "binary": Self.chromium,
                // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=\(width),\(height)"],
            ],
        ]]]
        let created = try call("POST", Self.browsersPath, capabilities)
        let id = try #require((created["value"] as? [String: Any])?["sessionId"] as? String, "chromedriver started no browser: \(created)")
        browserPath = "\(Self.browsersPath)/\(id)"
    }

    deinit {
        _ = try? call("DELETE", browserPath)
        // Not waitUntilExit: it never returns here once the child has exited under a test thread (no run loop).
        let pid = process.processIdentifier
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 && Date() < deadline { usleep(20_000) }
        kill(pid, SIGKILL)
    }

    /// One WebDriver command; its `value`, or the error it reports thrown.
    @discardableResult
    private func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) throws -> [String: Any] {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? (method == "POST" ? Data("{}".utf8) : nil)
        let response = try RawHTTPClient(port: port, timeout: 60).request(method, path, headers: ["Content-Type": "application/json"], data: data)
        let json = try response.json()
        if let value = json["value"] as? [String: Any], let error = value["error"] as? String {
            throw WebDriverError(description: "WebDriver \(method) \(path): \(error): \(value["message"] as? String ?? "")")
        }
        return json
    }

    @discardableResult
    private func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) throws -> Any? {
        try call(method, browserPath + path, body)["value"]
    }

    func open(_ url: String) throws { try command("POST", "/url", ["url": url]) }

    func resize(width: Int, height: Int) throws { try command("POST", "/window/rect", ["width": width, "height": height]) }

    /// Runs `script` in the page (its `arguments` are `args`) and returns what it returns.
    @discardableResult
    func run(_ script: String, _ args: [Any] = []) throws -> Any? {
        try command("POST", "/execute/sync", ["script": script, "args": args])
    }

    /// The element ids of what `css` selects now.
    func elements(_ css: String) throws -> [String] {
        (try command("POST", "/elements", ["using": "css selector", "value": css]) as? [[String: Any]] ?? []).compactMap { $0.values.first as? String }
    }

    /// The first element `css` selects, waited for.
    func element(_ css: String, timeout: Double = 10) throws -> String {
        var found: String?
        _ = try eventually(timeout: timeout) {
            found = try elements(css).first
            return found != nil
        }
        guard let found else { throw WebDriverError(description: "no element \(css) on the page; it says: \(try pageText().prefix(600))") }
        return found
    }

    func click(_ css: String) throws { try command("POST", "/element/\(try element(css))/click") }

    /// Types into an element as a keyboard would (WebDriver's key codes, e.g. "\u{E007}" for Enter, work too).
    func type(_ css: String, _ text: String) throws {
        try command("POST", "/element/\(try element(css))/value", ["text": text])
    }

    /// Chooses the option with `value` in a <select>.
    func select(_ css: String, _ value: String) throws {
        try run("const s = document.querySelector(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event('change'));", [css, value])
    }

    func text(_ css: String) throws -> String {
        try command("GET", "/element/\(try element(css))/text") as? String ?? ""
    }

    func pageText() throws -> String { try run("return document.body.innerText") as? String ?? "" }

    /// Waits until the page's visible text holds `text`.
    func waitForText(_ text: String, timeout: Double = 10) throws {
        let seen = try eventually(timeout: timeout) { try pageText().contains(text) }
        if !seen { throw WebDriverError(description: "the page never showed \"\(text)\"; it says: \(try pageText().prefix(800))") }
    }

    /// Whether a script opened an alert, confirm or prompt dialog.
    func hasOpenDialog() throws -> Bool {
        do {
            try command("GET", "/alert/text")
            return true
        } catch let error as WebDriverError where error.description.contains("no such alert") {
            return false
        }
    }

    /// Saves a PNG of the window.
    func screenshot(to url: URL) throws {
        let base64 = try command("GET", "/screenshot") as? String ?? ""
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(base64Encoded: base64)?.write(to: url)
    }
}
