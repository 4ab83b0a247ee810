import Foundation
import Testing
@testable import HTTPServer

/// The encoder alone: the exact wire text of responses (the Date line aside, which is the clock's).
@Suite struct ResponseEncoderTests {
    func wire(_ write: (inout ResponseEncoder, inout ByteBuffer) -> Void) -> String {
        var encoder = ResponseEncoder(extraFields: [("Clearance-Audit", "disabled")])
        var out = ByteBuffer(capacity: 64)
        write(&encoder, &out)
        return out.string.replacingOccurrences(of: #"Date: [^\r]*\r\n"#, with: "Date: *\r\n", options: .regularExpression)
    }

    @Test func aByteBodyWithItsLengthAndTheConfiguredFields() {
        var response = HTTPResponse.text("hello")
        response.headers["ETag"] = "\"1\""
        let text = wire { encoder, out in
            encoder.write(response, body: Data("hello".utf8), requestID: "r1", keepAlive: true, version: .http11, isHead: false, into: &out)
        }
        #expect(text == "HTTP/1.1 200 OK\r\nDate: *\r\nContent-Type: text/plain; charset=utf-8\r\nETag: \"1\"\r\nClearance-Audit: disabled\r\n"
                + "X-Request-Id: r1\r\nContent-Length: 5\r\n\r\nhello")
    }

    @Test func headAnd204HaveNoBodyAndCloseIsSaid() {
        let head = wire { encoder, out in
            encoder.write(.text("hello"), body: Data("hello".utf8), requestID: "r2", keepAlive: false, version: .http11, isHead: true, into: &out)
        }
        #expect(head.hasSuffix("X-Request-Id: r2\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"))
        let empty = wire { encoder, out in
            encoder.write(HTTPResponse(status: .noContent), body: Data(), requestID: "r3", keepAlive: true, version: .http10, isHead: false, into: &out)
        }
        #expect(empty.hasPrefix("HTTP/1.1 204 No Content\r\n") && empty.hasSuffix("Content-Length: 0\r\nConnection: keep-alive\r\n\r\n"))
    }

    @Test func streamsAreChunkedOrDelimitedByClose() {
        let chunked = wire { encoder, out in
            encoder.writeHead(HTTPResponse(), requestID: "r4", framing: .chunked, keepAlive: true, version: .http11, into: &out)
        }
        #expect(chunked.hasSuffix("X-Request-Id: r4\r\nTransfer-Encoding: chunked\r\n\r\n"))
        let untilClose = wire { encoder, out in
            encoder.writeHead(HTTPResponse(), requestID: "r5", framing: .untilClose, keepAlive: false, version: .http10, into: &out)
        }
        #expect(untilClose.hasSuffix("X-Request-Id: r5\r\nConnection: close\r\n\r\n"))
    }
}
