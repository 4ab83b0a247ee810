import Foundation

/// One file of an upload, by the name it was sent under (`sdn.csv`, `consolidated.xml`, ...).
public struct ListFile: Sendable {
    public var name: String
    public var data: Data

    public init(name: String, data: Data) {
        self.name = name
        self.data = data
    }
}
