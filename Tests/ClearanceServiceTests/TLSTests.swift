import Foundation
import Testing
import TestSupport

enum TLSTools {
    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")
}

/// `serve --tls-certificate --tls-key`, driven with the tools operators use: curl and `openssl s_client`, against a
/// certificate made for the test.
@Suite(.serialized, .enabled(if: TLSTools.available, "needs the openssl and curl commands"))
struct TLSTests {    let cli = CommandLineTests()

    @discardableResult
    static func tool(_ path: String, _ arguments: [String], input: String = "") throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = inPipe
        try process.run()
        inPipe.fileHandleForWriting.write(Data(input.utf8))
        try inPipe.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A self-signed certificate for localhost and 127.0.0.1 with common name `name`.
    static func certificate(in folder: URL, name: String) throws -> (certificate: String, key: String) {
        let certificate = folder.appendingPathComponent("\(name).pem").path, key = folder.appendingPathComponent("\(name)-key.pem").path
        let made = try tool("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
                                                 "-subj", "/CN=\(name)", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "1"])
        #expect(made.status == 0, "\(made.output)")
        return (certificate, key)
    }

    func curl(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try Self.tool("/usr/bin/curl", ["-s", "-m", "10"] + arguments)
    }

    @Test func servesHTTPSWithTLS12And13AndRefusesOlderAndPlain() throws {
        let folder = TestFolder.make("tls")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (certificate, key) = try Self.certificate(in: folder, name: "localhost")
        let db = folder.appendingPathComponent("db.sqlite").path
        let server = try ServeProcess(database: db, extra: ["--tls-certificate", certificate, "--tls-key", key])
        #expect(server.startupLog.contains(#""scheme":"https""#))
        let base = "https://127.0.0.1:\(server.port)"
        #expect(try curl(["--cacert", certificate, "\(base)/healthz"]).output == #"{"status":"ok"}"#)
        #expect(try curl(["--cacert", certificate, "--tlsv1.2", "--tls-max", "1.2", "\(base)/healthz"]).output == #"{"status":"ok"}"#)
        #expect(try Self.tool("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(server.port)", "-tls1_3", "-brief"]).output.contains("TLSv1.3"))
        let old = try Self.tool("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(server.port)", "-tls1_1"])
        #expect(old.output.contains("alert protocol version") || old.output.contains("no protocols available"), "TLS 1.1 is refused")
        // TLS 1.2: forward-secret AEAD suites only.
        for (cipher, accepted) in [("ECDHE-RSA-AES128-GCM-SHA256", true), ("ECDHE-RSA-CHACHA20-POLY1305", true), ("AES128-SHA", false),
                                   ("AES256-GCM-SHA384", false), ("ECDHE-RSA-AES128-SHA", false)] {
            let run = try Self.tool("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(server.port)", "-tls1_2", "-cipher", cipher, "-brief"])
            #expect(run.output.contains("Ciphersuite: \(cipher)") == accepted, "\(cipher): \(run.output)")
        }

        // A keyed request with a body, and keep-alive, over TLS.
        let admin = try #require(server.bootstrapKey)
        let csl = folder.appendingPathComponent("consolidated.csv")
        try Data(ScreenFixtures.csl.utf8).write(to: csl)
        let uploaded = try curl(["--cacert", certificate, "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(admin)",
                                 "--data-binary", "@\(csl.path)", "\(base)/lists/us-csl/versions?format=csl-csv"])
        #expect(uploaded.output == "201")
        let created = try curl(["--cacert", certificate, "-H", "Authorization: Bearer \(admin)", "-d", #"{"name": "erp", "roles": ["screen"]}"#, "\(base)/keys"])
        let screenKey = try #require((try JSONSerialization.jsonObject(with: Data(created.output.utf8)) as? [String: Any])?["key"] as? String)
        let screened = try curl(["--cacert", certificate, "-H", "Authorization: Bearer \(screenKey)", "-d", #"{"name": "Hikvision"}"#,
                                 "\(base)/screen", "\(base)/healthz", "-v"])
        #expect(screened.output.contains(#""decision":"#) && screened.output.contains("Re-using existing connection"))

        let plain = try? RawHTTPClient(port: server.port, timeout: 3).request("GET", "/healthz")
        #expect(plain?.status != 200, "plain HTTP is not served on the TLS port")
        #expect(server.terminate() == 0)
    }

    @Test func sighupReloadsTheCertificateAndABadOneKeepsTheOld() throws {
        let folder = TestFolder.make("tls-reload")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (certificate, key) = try Self.certificate(in: folder, name: "first")
        let server = try ServeProcess(database: folder.appendingPathComponent("db.sqlite").path,
                                      extra: ["--tls-certificate", certificate, "--tls-key", key])
        func subject() throws -> String {
            try Self.tool("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(server.port)"]).output
        }
        #expect(try subject().contains("CN = first"))
        let renewed = try Self.certificate(in: folder, name: "renewed")
        try FileManager.default.removeItem(atPath: certificate)
        try FileManager.default.removeItem(atPath: key)
        try FileManager.default.copyItem(atPath: renewed.certificate, toPath: certificate)
        try FileManager.default.copyItem(atPath: renewed.key, toPath: key)
        kill(server.process.processIdentifier, SIGHUP)
        var reloaded = false
        for _ in 0..<50 where !reloaded {
            Thread.sleep(forTimeInterval: 0.1)
            reloaded = try subject().contains("CN = renewed")
        }
        #expect(reloaded, "new connections get the renewed certificate")
        try Data("not a certificate".utf8).write(to: URL(fileURLWithPath: certificate))
        kill(server.process.processIdentifier, SIGHUP)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try subject().contains("CN = renewed"), "a bad file leaves the running certificate in place")
        #expect(server.log.contains("TLS reload failed"))
        #expect(server.process.isRunning, "SIGHUP never ends the process")
        #expect(server.terminate() == 0)
    }

    /// Clients that send the start of a ClientHello and stall hold no worker: the handshake runs on the event loop,
    /// so more of them than there are workers (512) do not delay a real client, and each is closed at the head deadline.
    @Test func stalledHandshakesHoldNoWorker() throws {
        let folder = TestFolder.make("tls-stall")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (certificate, key) = try Self.certificate(in: folder, name: "localhost")
        let server = try ServeProcess(database: folder.appendingPathComponent("db.sqlite").path,
                                      extra: ["--tls-certificate", certificate, "--tls-key", key, "--header-timeout", "4"])
        let partialHello: [UInt8] = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03]
        var stalled: [RawHTTPClient] = []
        for _ in 0..<600 {
            let client = try RawHTTPClient(port: server.port)
            try client.send(partialHello)
            stalled.append(client)
        }
        let started = Date()
        #expect(try curl(["--cacert", certificate, "https://127.0.0.1:\(server.port)/healthz"]).output == #"{"status":"ok"}"#)
        #expect(Date().timeIntervalSince(started) < 3, "a real client is served while 600 handshakes stall (not at their 4 s deadline)")
        // At the head deadline the stalled handshakes are closed.
        stalled[0].setTimeout(8)
        #expect(stalled[0].isClosedByPeer())
        #expect(server.terminate() == 0)
    }

    @Test func aKeyThatDoesNotMatchItsCertificateStopsTheStart() throws {
        let folder = TestFolder.make("tls-bad")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let first = try Self.certificate(in: folder, name: "one")
        let second = try Self.certificate(in: folder, name: "two")
        let refused = try cli.run(["serve", "--port", "0", "--database", folder.appendingPathComponent("db.sqlite").path,
                                   "--tls-certificate", first.certificate, "--tls-key", second.key])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("two-key.pem") && refused.stderr.contains("mismatch"), "the message names the key and the mismatch")
    }
}
