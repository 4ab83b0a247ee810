import Foundation
import Testing
@testable import HTTPServer

/// The byte-level helpers that replaced `String` formatting on the per-request path must agree with it exactly.
@Suite struct ByteLevelTests {
    @Test func decimalsMatchStringFormatting() {
        for value in [0, 7, 9, 10, 99, 100, 101, 999, 1000, 12_345, 1_000_000, Int(Int32.max), Int.max, -1, -10, -987, Int.min] {
            var bytes = ByteBuffer(capacity: 0)
            bytes.appendDecimal(value)
            #expect(bytes.string == String(value))
        }
    }

    @Test func twoDigitsAndBorrowedUTF8AgreeWithStrings() {
        for value in 0...99 {
            var bytes = ByteBuffer(capacity: 0)
            bytes.appendTwoDigits(value)
            #expect(bytes.string == (value < 10 ? "0\(value)" : "\(value)"))
        }
        // Small (inline), large (heap) and sliced strings: borrowed bytes equal the string's UTF-8.
        let long = "Größe ✓ and a string well beyond the fifteen bytes of a small string"
        for text in ["", "GET", "é✓", long, String(long.dropFirst(3).prefix(20))] {
            #expect(text.withUTF8Bytes { Array($0) } == Array(text.utf8))
        }
    }

    @Test func bufferKeepsEveryByteInOrderAsItGrows() {
        var buffer = ByteBuffer(capacity: 16)
        var expected: [UInt8] = []
        buffer.append("static ")
        expected += Array("static ".utf8)
        buffer.appendUTF8("Größe ✓ and a string well beyond the fifteen bytes of a small string")
        expected += Array("Größe ✓ and a string well beyond the fifteen bytes of a small string".utf8)
        for i in 0..<5000 {
            buffer.append(UInt8(i % 251))
            expected.append(UInt8(i % 251))
        }
        let block = [UInt8](repeating: 7, count: 100_000)
        buffer.append(block)
        expected += block
        buffer.append(UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(buffer.count == expected.count)
        #expect(buffer.withUnsafeBytes { Array($0) } == expected)
    }

    @Test func headerNamesCompareCaseInsensitivelyOnlyForLetters() {
        #expect("Content-Length".caseInsensitiveEquals("content-LENGTH"))
        #expect("X-Request-Id".caseInsensitiveEquals("x-request-id"))
        #expect(!"Host".caseInsensitiveEquals("Hos"))
        #expect(!"Host".caseInsensitiveEquals("Hosu"))
        // `[` and `{` differ only in bit 0x20, as letters' cases do, but are not letters.
        #expect(!"a[".caseInsensitiveEquals("a{"))
        #expect(!"@".caseInsensitiveEquals("`"))
    }

    @Test func headerCountsAreCaseInsensitive() {
        let headers = HTTPHeaders([("Host", "a"), ("content-length", "1"), ("Content-Length", "2")])
        #expect(headers.count(of: "Content-Length") == 2)
        #expect(headers.count(of: "HOST") == 1)
        #expect(headers.count(of: "Transfer-Encoding") == 0)
        #expect(HTTPHeaders(name: "Content-Type", value: "text/plain")["content-type"] == "text/plain")
    }

    @Test func generatedRequestIDsAreUniqueHexAndSaneClientIDsAreKept() {
        let ids = (0..<1000).map { _ in RequestID.make(from: nil) }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(20) {
            let parts = id.split(separator: "-")
            #expect(parts.count == 2)
            #expect(parts.allSatisfy { $0.allSatisfy(\.isHexDigit) && $0 == $0.lowercased() })
        }
        #expect(RequestID.make(from: "client-42") == "client-42")
        #expect(RequestID.make(from: "has space") != "has space")
        #expect(RequestID.make(from: "") != "")
    }

    @Test func targetsSplitIntoDecodedPathAndQuery() {
        let (path, query) = RequestTarget.split("/lists/a%2Fb/versions?format=ofac-csv&note=a+b%21&flag&=x")
        #expect(path == "/lists/a/b/versions")
        #expect(query.map(\.name) == ["format", "note", "flag", ""])
        #expect(query.map(\.value) == ["ofac-csv", "a b!", "", "x"])
        #expect(RequestTarget.split("/a%20b+c?x=%41").0 == "/a b+c")
        #expect(RequestTarget.split("/bad%zzescape").0 == "/bad%zzescape")
        #expect(RequestTarget.split("/").1.isEmpty)
    }
}
