import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A small element tree built with Foundation's streaming `XMLParser`: enough for list files, with the line each
/// element starts on for error messages.
final class XMLElementNode {
    let name: String
    let line: Int
    var text = ""
    var children: [XMLElementNode] = []

    init(name: String, line: Int) {
        self.name = name
        self.line = line
    }

    func child(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }
    func all(_ name: String) -> [XMLElementNode] { children.filter { $0.name == name } }

    /// The trimmed text of a child element, nil when absent or empty.
    func value(_ name: String) -> String? { child(name)?.text.nonEmpty }

    /// Texts of `<NAME><VALUE>..</VALUE></NAME>` groups, the UN list's way of writing multi-valued fields.
    func values(_ name: String) -> [String] {
        all(name).flatMap { group in group.all("VALUE").compactMap { $0.text.nonEmpty } }
    }

    /// List files nest a handful of levels; a deeper document is refused before it can exhaust a worker's stack.
    static let maxDepth = 64

    static func parse(_ file: ListFile) throws -> XMLElementNode {
        let builder = Builder()
        let parser = XMLParser(data: file.data)
        parser.delegate = builder
        parser.shouldResolveExternalEntities = false
        let parsed = parser.parse()
        if let mismatch = builder.mismatch {
            throw ListParseError(file: file.name, line: mismatch.line, "malformed XML: \(mismatch.message)")
        }
        guard parsed, builder.stack.isEmpty, let root = builder.root else {
            let line = parser.lineNumber
            let reason = parser.parserError.map { ($0 as NSError).localizedDescription } ?? "malformed XML"
            throw ListParseError(file: file.name, line: line > 0 ? line : nil, "malformed XML: \(reason)")
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLElementNode?
        var stack: [XMLElementNode] = []
        /// libxml2 recovers from some errors (a wrong end tag) without failing; they are caught here instead.
        var mismatch: (line: Int, message: String)?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if root != nil && stack.isEmpty {
                fail(parser, "content after the root element")
                return
            }
            guard stack.count < XMLElementNode.maxDepth else {
                fail(parser, "elements nested deeper than \(XMLElementNode.maxDepth) levels")
                return
            }
            guard name.utf8.count <= ListFieldLimits.maxElementName else {
                fail(parser, "an element name longer than \(ListFieldLimits.maxElementName) bytes")
                return
            }
            let node = XMLElementNode(name: name, line: parser.lineNumber)
            stack.last?.children.append(node)
            if root == nil { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            guard let open = stack.last, open.name == name else {
                fail(parser, "end tag </\(name)> does not match <\(stack.last?.name ?? "nothing")>")
                return
            }
            stack.removeLast()
        }

        private func fail(_ parser: XMLParser, _ message: String) {
            if mismatch == nil { mismatch = (parser.lineNumber, message) }
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard let open = stack.last else { return }
            guard open.text.utf8.count + string.utf8.count <= ListFieldLimits.maxFieldBytes else {
                fail(parser, "<\(open.name)> holds more than \(ListFieldLimits.maxFieldBytes) bytes of text")
                return
            }
            open.text += string
        }
    }
}
