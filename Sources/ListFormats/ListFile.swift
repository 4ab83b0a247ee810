import Foundation

/// One file of an upload, by the name it was sent under (`sdn.csv`, `consolidated.xml`, ...).
public struct ListFile: Sendable {
    public var name: String
    public var data: Data

    public init(name: String, data: Data) {
        self.name = name
        self.data = data
    }

    /// The bytes as text: UTF-8 (a leading byte-order mark dropped), or Latin-1 when they are not valid UTF-8.
    public var text: String {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        return String(bytes: bytes, encoding: .utf8) ?? String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}
