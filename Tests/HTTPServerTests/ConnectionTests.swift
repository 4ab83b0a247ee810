#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import Testing
@testable import HTTPServer

/// The thin connection between decoder and encoder, over a `socketpair()`: literal wire text in, literal wire text
/// out, with no listener, event loop or worker pool (the test plays both).
@Suite struct ConnectionTests {
    final class Pair {
        let connection: Connection
        let peer: Int32

        init() {
            var fds: [Int32] = [0, 0]
            _ = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds)
            var router = Router()
            router.get("/hello", options: .eventLoop) { _ in .text("hello") }
            router.post("/echo") { request in .data(try request.body.data(), contentType: "application/octet-stream") }
            var configuration = ServerConfiguration()
            configuration.bodyReadTimeout = 2
            let context = ServerContext(configuration: configuration, router: router, logger: Logger(label: "test"), observer: nil)
            connection = Connection(socket: ConnectedSocket(fd: fds[0], remoteAddress: "peer", writeTimeout: 2), context: context)
            peer = fds[1]
        }

        deinit {
            connection.closeNow()
            close(peer)
        }

        func send(_ text: String) {
            _ = Array(text.utf8).withUnsafeBytes { Glibc.send(peer, $0.baseAddress, $0.count, 0) }
        }

        /// Everything the connection wrote so far, with each Date line's value and the generated request ids blanked.
        func received() -> String {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = chunk.withUnsafeMutableBytes { recv(peer, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                guard n > 0 else { break }
                bytes += chunk[0..<n]
            }
            return String(decoding: bytes, as: UTF8.self)
                .replacingOccurrences(of: #"Date: [^\r]*\r\n"#, with: "Date: *\r\n", options: .regularExpression)
                .replacingOccurrences(of: #"X-Request-Id: [^\r]*\r\n"#, with: "X-Request-Id: *\r\n", options: .regularExpression)
        }
    }

    @Test func servesInlineRoutesOnTheLoopAndHandsTheRestToAWorker() {
        let pair = Pair()
        // What an event loop read from the socket: two pipelined requests, the second for a worker route.
        pair.connection.receive(Array("GET /hello HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc".utf8)[...])
        #expect(pair.connection.processOnLoop().isPark == false, "the POST is handed off")
        #expect(pair.received() == "HTTP/1.1 200 OK\r\nDate: *\r\nContent-Type: text/plain; charset=utf-8\r\nX-Request-Id: *\r\nContent-Length: 5\r\n\r\nhello")
        guard case .park = pair.connection.serveOnWorker() else {
            Issue.record("the connection should park once the buffered requests are answered")
            return
        }
        #expect(pair.received() == "HTTP/1.1 200 OK\r\nDate: *\r\nContent-Type: application/octet-stream\r\nX-Request-Id: *\r\nContent-Length: 3\r\n\r\nabc")
    }

    @Test func aWorkerWaitsForABodyThatArrivesLaterInChunks() {
        let pair = Pair()
        pair.connection.receive(Array("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab".utf8)[...])
        let done = DispatchSemaphore(value: 0)
        let connection = pair.connection
        Thread {
            _ = connection.serveOnWorker()
            done.signal()
        }.start()
        Thread.sleep(forTimeInterval: 0.1)
        pair.send("c\r\n2\r\nde\r\n0\r\n\r\n")
        #expect(done.wait(timeout: .now() + 3) == .success)
        #expect(pair.received().hasSuffix("Content-Length: 5\r\n\r\nabcde"))
    }

    @Test func aBadChunkSizeIs400AndTheConnectionCloses() {
        let pair = Pair()
        pair.connection.receive(Array("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".utf8)[...])
        guard case .close = pair.connection.serveOnWorker() else {
            Issue.record("a framing error closes the connection")
            return
        }
        let text = pair.received()
        #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n") && text.contains("Connection: close\r\n") && text.contains("invalid chunk size"))
    }
}
