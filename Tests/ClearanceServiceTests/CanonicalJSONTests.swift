@testable import ClearanceService
import Foundation
import Testing

/// The canonical encoder writes the bytes Foundation's sorted-keys encoder writes, so records written before and
/// after it hash alike and read alike.
@Suite struct CanonicalJSONTests {
    private static func foundation<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func canonical<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try CanonicalJSONEncoder().encode(value), as: UTF8.self)
    }

    @Test func scalarsStringsAndKeysAreWrittenAsFoundationWritesThem() throws {
        let strings: [String] = ["a/b", "q\"uote", "back\\slash", "\u{01}\u{1f}\u{7f}", "tab\tnl\n\r\u{08}\u{0c}\u{0b}\u{00}", "é日本😀", "\u{2028}\u{2029}", "<>&'", ""]
        let numbers: [Double] = [0, -0.0, 1, -1, 0.1, 0.1 + 0.2, 1e-7, 1.5e-5, 1.2345678901234568e20, 1e21, 1e300, Double.leastNonzeroMagnitude, 1e15, 1e16, 100, 123456789.123]
        let keys = ["blockWithheld", "blocked", "a10", "a9", "B", "a", "Ab", "_x", "é", "z", "aB", "x-y", "x_y", "Z", "日本", "ß", "ss", "1", "01", ""]
        let object = JSONValue.object(Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, JSONValue.number(Double($0))) }))
        let value = JSONValue.object([
            "strings": .array(strings.map(JSONValue.string)), "numbers": .array(numbers.map(JSONValue.number)), "keys": object,
            "nested": .array([.null, .bool(true), .bool(false), .array([]), .object([:]), .object(["k": .array([.object(["x": .null])])])]),
        ])
        #expect(try Self.canonical(value) == Self.foundation(value))
        #expect(try Self.canonical(numbers) == Self.foundation(numbers))
        #expect(try Self.canonical([Float(1.1), 3, -0.5]) == Self.foundation([Float(1.1), 3, -0.5]))
        #expect(try Self.canonical([Int64.max, Int64.min]) == Self.foundation([Int64.max, Int64.min]))
        #expect(try Self.canonical(["k": [String: Int]()]) == Self.foundation(["k": [String: Int]()]))
    }

    /// A type that asks for its keyed container twice, overrides a key, and nests containers by hand.
    private struct Merged: Encodable {
        var inner: [String: String?] = ["b": nil, "a": "x"]
        enum Key: String, CodingKey { case zeta, alpha, list, object, a }
        func encode(to encoder: any Encoder) throws {
            try inner.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode("override", forKey: .a)
            try container.encode(1, forKey: .zeta)
            try container.encodeIfPresent(Optional<Int>.none, forKey: .alpha)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(2.5)
            var inList = list.nestedContainer(keyedBy: Key.self)
            try inList.encodeNil(forKey: .alpha)
            var object = container.nestedContainer(keyedBy: Key.self, forKey: .object)
            try object.encode([true], forKey: .zeta)
        }
    }

    @Test func containersAskedForTwiceMergeAndTheLastValueOfAKeyWins() throws {
        #expect(try Self.canonical(Merged()) == Self.foundation(Merged()))
        #expect(try Self.canonical(Merged()).contains(#""a":"override""#))
    }

    @Test func aNumberJSONCannotHoldIsRefused() {
        #expect(throws: EncodingError.self) { try CanonicalJSONEncoder().encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try CanonicalJSONEncoder().encode(["k": Double.infinity]) }
        #expect(throws: EncodingError.self) { try CanonicalJSONEncoder().encode([Date()]) }
    }

    /// Real decisions, with matches, evidence, explanations and owners: the response is the canonical form of the
    /// record it holds, byte for byte as Foundation writes it.
    @Test func aDecisionRecordIsWrittenAsFoundationWritesIt() throws {
        let (service, key) = try ScreenFixtures.service()
        let requests = [
            #"{"name": "Hangzhou Hikvision Digital Technology", "country": "CN", "reference": "SUP-1/a\"b", "owners": [{"name": "Banco Nacional de Cuba", "share": 0.51}]}"#,
            #"{"name": "Emiro del Carmen Ropero Suarez", "type": "person", "dateOfBirth": "1960-01-02", "extra": {"Zed": [1, 2.5, null, "é"], "alpha": true}}"#,
            #"{"name": "Nothing Like Any Listed Name"}"#,
        ]
        for (index, json) in requests.enumerated() {
            let response = try service.call("POST", "/screen", key: key, json: json)
            #expect(response.status == 200)
            let record = try JSONDecoder().decode(DecisionRecord.self, from: response.body)
            let body = String(decoding: response.body, as: UTF8.self)
            #expect(index == 2 || !record.matches.isEmpty)
            #expect(try Self.foundation(record) == body)
            #expect(try Self.canonical(record) == body)
        }
    }
}
