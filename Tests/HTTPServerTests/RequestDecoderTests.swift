import Testing
@testable import HTTPServer

/// The decoder alone, on literal wire text: heads, pipelining split at every byte, limits, chunked framing.
@Suite struct RequestDecoderTests {
    func decoder(maxHeaderBytes: Int = 1024, maxRequestLineBytes: Int = 256) -> RequestDecoder {
        RequestDecoder(maxHeaderBytes: maxHeaderBytes, maxRequestLineBytes: maxRequestLineBytes)
    }

    @Test func pipelinedHeadsComeOutWholeWhereverTheBytesSplit() throws {
        let wire = Array("\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\nHost: y\n\nPOST /c HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi".utf8)
        let expected = ["GET /a HTTP/1.1\r\nHost: x", "GET /b HTTP/1.1\nHost: y", "POST /c HTTP/1.1\r\nContent-Length: 2"]
        for split in 0...wire.count {
            var decoder = decoder()
            var heads: [String] = []
            for piece in [wire[..<split], wire[split...]] {
                decoder.receive(piece)
                while let head = try decoder.nextHead() { heads.append(String(decoding: head, as: UTF8.self)) }
            }
            #expect(heads == expected, "split at \(split)")
            var body: [UInt8] = []
            _ = decoder.takeBody(upTo: 10) { body += $0 }
            #expect(body == Array("hi".utf8), "the body stays for the request that owns it")
        }
    }

    @Test func headsOverTheLimitsAre431BeforeTheyEnd() {
        var long = decoder(maxHeaderBytes: 64)
        long.receive(Array(("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 80)).utf8)[...])
        #expect(throws: ProtocolError.self) { try long.nextHead() }
        var line = decoder(maxRequestLineBytes: 16)
        line.receive(Array("GET /a-very-long-target".utf8)[...])
        #expect { try line.nextHead() } throws: { ($0 as? ProtocolError)?.detail.contains("request line") == true }
    }

    @Test func chunkedFramingLinesSizesAndEnds() throws {
        var decoder = decoder()
        decoder.receive(Array("1a;ext=1\r\n".utf8)[...])
        let line = try #require(try decoder.nextChunkLine(maxBytes: 64))
        #expect(try RequestDecoder.chunkSize(line) == 26)
        #expect(try decoder.nextChunkLine(maxBytes: 64) == nil, "nothing more buffered")
        decoder.receive(Array("\r".utf8)[...])
        #expect(try decoder.takeChunkEnd() == nil, "one byte is not yet a CRLF")
        decoder.receive(Array("\n".utf8)[...])
        #expect(try decoder.takeChunkEnd() == true)
        for bad in ["", "g", "-1", "1 2 3 4 5 6 7 8 9 a b c d e f 1"] {
            #expect(throws: ProtocolError.self, "\(bad)") { try RequestDecoder.chunkSize(Array(bad.utf8)) }
        }
        var bare = self.decoder()
        bare.receive(Array("5\n".utf8)[...])
        #expect(throws: ProtocolError.self) { try bare.nextChunkLine(maxBytes: 64) }
        var endless = self.decoder()
        endless.receive(Array(repeating: UInt8(ascii: "1"), count: 80)[...])
        #expect(throws: ProtocolError.self) { try endless.nextChunkLine(maxBytes: 64) }
    }
}
