// A small, strict XML reader for MS Project files: elements, attributes, text, the five predefined
// entities and character references, comments, CDATA and processing instructions. It builds a tree
// whose elements remember their line and column. DTDs are refused (an MSPDI file has none).
import Portfolio

/// An element: its local name (without a namespace prefix), where its start tag begins, its text and children.
final class XMLElement {
    let name: String
    let at: Position
    var attributes: [String: String] = [:]
    var children: [XMLElement] = []
    var text = ""

    init(name: String, at: Position) { self.name = name; self.at = at }

    /// The first child with this name.
    func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

    /// The children with this name.
    func children(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }

    /// The trimmed text of the first child with this name, nil when absent or empty.
    func value(_ name: String) -> String? {
        guard let c = child(name) else { return nil }
        let t = trim(c.text.filter { $0 != "\n" && $0 != "\r" })
        return t.isEmpty ? nil : t
    }
}

struct XMLReader {
    let bytes: [UInt8]
    let file: String
    var i = 0
    var line = 1
    var lineStart = 0

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes; self.file = file
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3; lineStart = 3 }
    }

    /// Where the column count was last taken, so that finding a column costs the bytes since then.
    var colOffset = 0
    var colValue = 1

    /// The current position (columns count characters).
    var here: Position {
        mutating get {
            if colOffset < lineStart || colOffset > i { colOffset = lineStart; colValue = 1 }
            while colOffset < i && colOffset < bytes.count {
                if bytes[colOffset] & 0xC0 != 0x80 { colValue += 1 }
                colOffset += 1
            }
            return Position(line: line, column: colValue)
        }
    }

    mutating func fail(_ m: String, at p: Position? = nil) -> WorkspaceError {
        let p = p ?? here
        return WorkspaceError(data: LoadError(file: file, line: p.line, column: p.column, message: "not well-formed XML: " + m))
    }

    mutating func advance() {
        if bytes[i] == 10 { line += 1; lineStart = i + 1 }
        i += 1
    }

    func starts(_ s: String) -> Bool {
        let u = Array(s.utf8)
        return i + u.count <= bytes.count && bytes[i..<(i + u.count)].elementsEqual(u)
    }

    /// Skips to just after `end`, failing at the end of the text.
    mutating func skip(past end: String, what: String) throws(WorkspaceError) {
        let start = here
        while i < bytes.count {
            if starts(end) { for _ in 0..<end.utf8.count { advance() }; return }
            advance()
        }
        throw fail("\(what) is not closed", at: start)
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { advance() }
    }

    /// Skips comments, processing instructions and white space between elements.
    mutating func skipMisc() throws(WorkspaceError) {
        while true {
            skipSpace()
            if starts("<?") { try skip(past: "?>", what: "a processing instruction") }
            else if starts("<!--") { try skip(past: "-->", what: "a comment") }
            else if starts("<!DOCTYPE") { throw fail("a DOCTYPE is not accepted") }
            else { return }
        }
    }

    /// Reads the document and returns its root element.
    mutating func document() throws(WorkspaceError) -> XMLElement {
        try skipMisc()
        guard i < bytes.count, bytes[i] == 60 else { throw fail("expected the root element") }
        let root = try element()
        try skipMisc()
        if i < bytes.count { throw fail("text after the root element") }
        return root
    }

    static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 95 || c == 45 || c == 46 || c == 58 || c >= 0x80
    }

    mutating func name() throws(WorkspaceError) -> String {
        let start = i
        while i < bytes.count && XMLReader.isNameByte(bytes[i]) { i += 1 }
        if i == start { throw fail("expected a name") }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    static func local(_ qualified: String) -> String {
        qualified.split(separator: ":").last.map(String.init) ?? qualified
    }

    /// The deepest nesting of elements accepted (MS Project files nest about five levels), as for JSON.
    static let maxDepth = 200

    /// Reads an element starting at `<`, with everything inside it.
    mutating func element() throws(WorkspaceError) -> XMLElement {
        var stack: [(XMLElement, String)] = []
        var root: XMLElement?
        repeat {
            // At '<' of a start tag.
            let at = here
            i += 1
            let qname = try name()
            let e = XMLElement(name: XMLReader.local(qname), at: at)
            var empty = false
            while true {
                skipSpace()
                guard i < bytes.count else { throw fail("a start tag is not closed", at: at) }
                if bytes[i] == 62 { i += 1; break }
                if starts("/>") { i += 2; empty = true; break }
                let attr = try name()
                skipSpace()
                guard i < bytes.count, bytes[i] == 61 else { throw fail("expected '=' after attribute '\(attr)'") }
                i += 1
                skipSpace()
                guard i < bytes.count, bytes[i] == 34 || bytes[i] == 39 else { throw fail("expected a quoted attribute value") }
                let q = bytes[i]
                i += 1
                var raw: [UInt8] = []
                while i < bytes.count && bytes[i] != q {
                    if bytes[i] == 60 { throw fail("'<' in an attribute value") }
                    raw.append(bytes[i]); advance()
                }
                guard i < bytes.count else { throw fail("an attribute value is not closed") }
                i += 1
                e.attributes[attr] = try decode(raw)
            }
            if let parent = stack.last { parent.0.children.append(e) } else { root = e }
            if !empty { stack.append((e, qname)) }
            // A deeper tree would overflow the stack when it is released (each level frees the next).
            if stack.count > XMLReader.maxDepth { throw fail("elements nested more than \(XMLReader.maxDepth) levels deep", at: at) }
            // Content until the next start tag, or the end tags that close elements.
            while let (current, currentName) = stack.last {
                var text: [UInt8] = []
                while i < bytes.count && bytes[i] != 60 {
                    if bytes[i] == 38 { text.append(contentsOf: try reference()) } else { text.append(bytes[i]); advance() }
                }
                current.text += String(decoding: text, as: UTF8.self)
                guard i < bytes.count else { throw fail("element <\(currentName)> is not closed", at: current.at) }
                if starts("<!--") { try skip(past: "-->", what: "a comment"); continue }
                if starts("<?") { try skip(past: "?>", what: "a processing instruction"); continue }
                if starts("<![CDATA[") {
                    i += 9
                    let start = i
                    while i < bytes.count && !starts("]]>") { advance() }
                    guard i < bytes.count else { throw fail("a CDATA section is not closed") }
                    current.text += String(decoding: bytes[start..<i], as: UTF8.self)
                    i += 3
                    continue
                }
                if starts("</") {
                    let endAt = here
                    i += 2
                    let n = try name()
                    skipSpace()
                    guard i < bytes.count, bytes[i] == 62 else { throw fail("an end tag is not closed", at: endAt) }
                    i += 1
                    guard n == currentName else { throw fail("</\(n)> does not close <\(currentName)>", at: endAt) }
                    stack.removeLast()
                    continue
                }
                if starts("<!") { throw fail("unexpected markup") }
                break // a child start tag
            }
        } while !stack.isEmpty
        guard let root else { throw fail("expected an element") }
        return root
    }

    /// Decodes `&...;` in attribute bytes.
    mutating func decode(_ raw: [UInt8]) throws(WorkspaceError) -> String {
        guard raw.contains(38) else { return String(decoding: raw, as: UTF8.self) }
        var sub = XMLReader(bytes: raw, file: file)
        sub.line = line
        var out: [UInt8] = []
        while sub.i < raw.count {
            if raw[sub.i] == 38 { out.append(contentsOf: try sub.reference()) } else { out.append(raw[sub.i]); sub.i += 1 }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads an entity or character reference at `&`.
    mutating func reference() throws(WorkspaceError) -> [UInt8] {
        let at = here
        let start = i + 1
        var end = start
        while end < bytes.count && bytes[end] != 59 && end - start < 12 { end += 1 }
        guard end < bytes.count, bytes[end] == 59 else { throw fail("an '&' that starts no entity (write &amp;)", at: at) }
        let body = String(decoding: bytes[start..<end], as: UTF8.self)
        i = end + 1
        switch body {
        case "lt": return [60]
        case "gt": return [62]
        case "amp": return [38]
        case "quot": return [34]
        case "apos": return [39]
        default:
            var v: UInt32?
            if body.hasPrefix("#x") { v = UInt32(body.dropFirst(2), radix: 16) } else if body.hasPrefix("#") { v = UInt32(body.dropFirst(), radix: 10) }
            guard let v, let s = Unicode.Scalar(v) else { throw fail("unknown entity '&\(body);'", at: at) }
            return Array(String(Character(s)).utf8)
        }
    }
}
