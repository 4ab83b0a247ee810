/// Why a list file was refused: the file, line or element at fault and what is wrong with it.
public struct ListParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var element: String?
    public var message: String

    public init(file: String? = nil, line: Int? = nil, element: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.element = element
        self.message = message
    }

    public var description: String {
        var location: [String] = []
        if let file { location.append(file) }
        if let line { location.append("line \(line)") }
        if let element { location.append(element) }
        return location.isEmpty ? message : "\(location.joined(separator: ", ")): \(message)"
    }
}
