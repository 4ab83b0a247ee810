import Foundation

/// Checks a request body's JSON structure before any decoder sees it, in one pass with no recursion:
/// - nesting deeper than `maxDepth` is refused (recursive decoders overflow a worker's stack on a few hundred
///   levels, and no request of ours nests more than four);
/// - an object naming a member twice is refused: parsers disagree on which one wins (Foundation keeps the first,
///   others the last), so `{"name": "x", "name": "Hikvision"}` could be screened as one name and logged as another.
/// Anything else malformed is left to the decoder, which reports it with its position.
/// Request bodies and list files (`clearance-json`, `csl-json`) go through it alike.
public enum JSONPreflight {
    public static let maxDepth = 32

    /// Where the structure is refused: a JSON pointer and why.
    public struct Refusal: Error, Sendable {
        public var pointer: String
        public var reason: String
    }

    public static func check(_ data: Data, maxDepth: Int = maxDepth) throws(Refusal) {
        let refusal = data.withUnsafeBytes { raw -> Refusal? in
            var scanner = Scanner(bytes: raw.bindMemory(to: UInt8.self), maxDepth: maxDepth)
            do throws(Refusal) {
                try scanner.run()
                return nil
            } catch {
                return error
            }
        }
        if let refusal { throw refusal }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let maxDepth: Int
        var index = 0
        /// One frame per open container: its member names when it is an object, and the JSON pointer to it.
        var frames: [(keys: Set<String>?, pointer: String, element: Int)] = []

        init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        mutating func run() throws(Refusal) {
            // Whether the next string read inside an object is a member name (after `{` or `,`).
            var expectKey = false
            var lastKey = ""
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    let pointer = childPointer(lastKey)
                    guard frames.count < maxDepth else {
                        throw Refusal(pointer: pointer, reason: "nested deeper than \(maxDepth) levels")
                    }
                    frames.append((byte == UInt8(ascii: "{") ? [] : nil, pointer, 0))
                    expectKey = byte == UInt8(ascii: "{")
                    index += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if !frames.isEmpty { frames.removeLast() }
                    expectKey = false
                    index += 1
                case UInt8(ascii: ","):
                    if let last = frames.indices.last {
                        if frames[last].keys != nil { expectKey = true } else { frames[last].element += 1 }
                    }
                    index += 1
                case UInt8(ascii: "\""):
                    guard expectKey, let last = frames.indices.last, frames[last].keys != nil else {
                        skipString()
                        continue
                    }
                    let text = readString()
                    guard frames[last].keys?.insert(text).inserted == true else {
                        throw Refusal(pointer: frames[last].pointer + "/" + Self.escape(text), reason: "the member \"\(text)\" appears more than once")
                    }
                    lastKey = text
                    expectKey = false
                default:
                    index += 1
                }
            }
        }

        /// The pointer of a container opening now: under the current object's last member or the array's element.
        private func childPointer(_ lastKey: String) -> String {
            guard let frame = frames.last else { return "" }
            return frame.pointer + "/" + (frame.keys != nil ? Self.escape(lastKey) : String(frame.element))
        }

        /// Moves past a string value (starting at its opening quote) without decoding it.
        private mutating func skipString() {
            index += 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""): index += 1; return
                case UInt8(ascii: "\\"): index += 2
                default: index += 1
                }
            }
        }

        /// Reads a member name starting at its opening quote, decoding escapes so `"a"` and `"\u0061"` are the same.
        private mutating func readString() -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var utf8: [UInt8] = []
            func flush() {
                if !utf8.isEmpty {
                    scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
                    utf8.removeAll(keepingCapacity: true)
                }
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    flush()
                    return String(scalars)
                }
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    flush()
                    let escaped = bytes[index + 1]
                    index += 2
                    switch escaped {
                    case UInt8(ascii: "u"):
                        var code = readHex4()
                        // A surrogate pair is one character.
                        if (0xD800..<0xDC00).contains(code), index + 5 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                            index += 2
                            let low = readHex4()
                            code = 0x10000 + ((code - 0xD800) << 10) + (low &- 0xDC00)
                        }
                        scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    default: scalars.append(Unicode.Scalar(escaped))
                    }
                    continue
                }
                utf8.append(byte)
                index += 1
            }
            flush()
            return String(scalars)
        }

        private mutating func readHex4() -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 where index < bytes.count {
                guard let digit = Character(Unicode.Scalar(bytes[index])).hexDigitValue else { break }
                value = value * 16 + UInt32(digit)
                index += 1
            }
            return value
        }

        private static func escape(_ key: String) -> String {
            key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        }
    }
}
