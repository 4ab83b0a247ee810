import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One record of an XML list file (an individual, an entity) as a small element tree, with the line each element
/// starts on for error messages. Files are read with Foundation's streaming `XMLParser` one record at a time (see
/// `forEachRecord`), so a large file never becomes one tree.
final class XMLElementNode {
    let name: String
    let line: Int
    var text = ""
    var children: [XMLElementNode] = []
    /// The element's attributes (the EU file carries its data in them).
    var attributes: [String: String] = [:]

    init(name: String, line: Int) {
        self.name = name
        self.line = line
    }

    /// An attribute's trimmed value, nil when absent or empty.
    func attribute(_ name: String) -> String? { attributes[name]?.nonEmpty }

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

    /// Streams a list file as records: each element `recordDepth` levels down (the root is level 1) is built as a
    /// small tree, handed to `body` with the names of the elements it sits in, and dropped. Only one record is held
    /// at a time, whatever the file's size; text outside records is ignored. The root must be named `root`.
    static func forEachRecord(in file: ListFile, root: String, recordDepth: Int,
                              _ body: (_ ancestors: [String], _ record: XMLElementNode) throws -> Void) throws {
        try withoutActuallyEscaping(body) { body in
            let reader = RecordReader(root: root, recordDepth: recordDepth, body: body)
            // A stream, which the parser reads in small chunks: given the data whole, libxml2 sees one chunk and refuses
            // a document over 10 MB (its lookup limit) with an internal error.
            let parser = XMLParser(stream: InputStream(data: file.data))
            parser.delegate = reader
            parser.shouldResolveExternalEntities = false
            let parsed = parser.parse()
            if let thrown = reader.thrown { throw thrown }
            if let failure = reader.failure {
                throw ListParseError(file: file.name, line: failure.line, element: failure.element, failure.message)
            }
            guard parsed, reader.ancestors.isEmpty, reader.record == nil, reader.sawRoot else {
                let line = parser.lineNumber
                let reason = parser.parserError.map { Self.describe(($0 as NSError).code) } ?? "the document ends early"
                throw ListParseError(file: file.name, line: line > 0 ? line : nil, "malformed XML: \(reason)")
            }
        }
    }

    /// Words for the parser's commonest error codes (`XMLParser.ErrorCode`); Foundation's own text names only the code.
    private static func describe(_ code: Int) -> String {
        switch XMLParser.ErrorCode(rawValue: code) {
        case .emptyDocumentError?: "the document is empty"
        case .prematureDocumentEndError?: "the document ends before its elements are closed"
        case .invalidCharacterError?: "a character that XML does not allow"
        case .tagNameMismatchError?: "an end tag does not match its start tag"
        case .gtRequiredError?: "a tag is not closed with '>'"
        case .undeclaredEntityError?: "an undeclared entity"
        default: "XML parser error \(code)"
        }
    }

    /// The parser's delegate: keeps the names of the open elements above the record level and the open elements of
    /// the current record.
    private final class RecordReader: NSObject, XMLParserDelegate {
        let root: String
        let recordDepth: Int
        let body: ([String], XMLElementNode) throws -> Void
        var sawRoot = false
        var ancestors: [String] = []
        /// The open elements of the record being built, outermost first.
        var record: [XMLElementNode]?
        var failure: (line: Int, element: String?, message: String)?
        /// What `body` threw; parsing stopped there.
        var thrown: (any Error)?

        init(root: String, recordDepth: Int, body: @escaping ([String], XMLElementNode) throws -> Void) {
            self.root = root
            self.recordDepth = recordDepth
            self.body = body
        }

        private var depth: Int { ancestors.count + (record?.count ?? 0) }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if sawRoot && depth == 0 { return fail(parser, "malformed XML: content after the root element") }
            guard depth < XMLElementNode.maxDepth else { return fail(parser, "malformed XML: elements nested deeper than \(XMLElementNode.maxDepth) levels") }
            guard name.utf8.count <= ListFieldLimits.maxElementName else {
                return fail(parser, "malformed XML: an element name longer than \(ListFieldLimits.maxElementName) bytes")
            }
            if depth == 0 {
                guard name == root else { return fail(parser, element: name, "expected the \(root) root element") }
                sawRoot = true
            }
            if record == nil && depth + 1 < recordDepth {
                ancestors.append(name)
                return
            }
            let node = XMLElementNode(name: name, line: parser.lineNumber)
            guard attributes.values.allSatisfy({ $0.utf8.count <= ListFieldLimits.maxFieldBytes }) else {
                return fail(parser, element: name, "an attribute longer than \(ListFieldLimits.maxFieldBytes) bytes")
            }
            node.attributes = attributes
            record?.last?.children.append(node)
            record = (record ?? []) + [node]
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            guard var open = record else {
                guard ancestors.last == name else { return mismatched(parser, name, open: ancestors.last) }
                ancestors.removeLast()
                return
            }
            guard let node = open.last, node.name == name else { return mismatched(parser, name, open: open.last?.name) }
            open.removeLast()
            record = open.isEmpty ? nil : open
            guard open.isEmpty else { return }
            do {
                try body(ancestors, node)
            } catch {
                thrown = error
                parser.abortParsing()
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard let open = record?.last else { return }
            guard open.text.utf8.count + string.utf8.count <= ListFieldLimits.maxFieldBytes else {
                return fail(parser, element: open.name, "more than \(ListFieldLimits.maxFieldBytes) bytes of text in one element")
            }
            open.text += string
        }

        /// libxml2 recovers from some errors (a wrong end tag) without failing; they are caught here instead.
        private func mismatched(_ parser: XMLParser, _ name: String, open: String?) {
            fail(parser, "malformed XML: end tag </\(name)> does not match <\(open ?? "nothing")>")
        }

        private func fail(_ parser: XMLParser, element: String? = nil, _ message: String) {
            if failure == nil && thrown == nil { failure = (parser.lineNumber, element, message) }
            parser.abortParsing()
        }
    }
}
